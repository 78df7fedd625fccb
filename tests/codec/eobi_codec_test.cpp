// EOBI T7 14.1 decoder/encoder: one hand-written fixture per template (bytes written field by field from the
// spec offsets, independent of the codec), decoded and compared field by field, then re-encoded byte-exact;
// every failure class counted; group padding skipped; no allocation while decoding.
// Hand-laid wire tables / byte fixtures (one field per line with its spec comment): not reformatted.
// clang-format off
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <ostream>
#include <set>
#include <string>
#include <vector>

#include "numi/codec/eobi/decoder.hpp"
#include "numi/codec/eobi/encoder.hpp"
#include "numi/testing/alloc_counter.hpp"

namespace numi::codec::eobi {
namespace {

using Buf = std::vector<std::byte>;

// Little-endian byte writer with literal offsets (deliberately not the codec's store_le or table).
class W {
 public:
  explicit W(std::size_t n) : b_(n, std::byte{0}) {}
  W& u8(std::size_t off, uint64_t v) { return put(off, v, 1); }
  W& u16(std::size_t off, uint64_t v) { return put(off, v, 2); }
  W& u32(std::size_t off, uint64_t v) { return put(off, v, 4); }
  W& u64(std::size_t off, uint64_t v) { return put(off, v, 8); }
  W& i32(std::size_t off, int32_t v) { return put(off, static_cast<uint32_t>(v), 4); }
  W& i64(std::size_t off, int64_t v) { return put(off, static_cast<uint64_t>(v), 8); }
  [[nodiscard]] Buf bytes() const { return b_; }

 private:
  W& put(std::size_t off, uint64_t v, std::size_t n) {
    for (std::size_t i = 0; i < n; ++i) b_.at(off + i) = static_cast<std::byte>((v >> (8 * i)) & 0xFF);
    return *this;
  }
  Buf b_;
};

// PacketHeader 13002 fixture (32 bytes).
Buf packet_header_bytes(uint32_t appl_seq = 77, uint8_t partition = 3) {
  return W(32)
      .u16(0, 32)                  // BodyLen
      .u16(2, 13002)               // TemplateID
      .u32(8, appl_seq)            // ApplSeqNum
      .i32(12, -48)                // MarketSegmentID
      .u8(16, partition)           // PartitionID
      .u8(17, 1)                   // CompletionIndicator
      .u8(18, 0)                   // ApplSeqResetIndicator
      .u8(19, 0x2A)                // DSCP
      .u64(24, 0x1718191A1B1C1D1E)  // TransactTime
      .bytes();
}
const PacketHeader kFixtureHeader{.appl_seq_num = 77,
                                  .market_segment_id = -48,
                                  .partition_id = 3,
                                  .completion_indicator = 1,
                                  .appl_seq_reset_indicator = 0,
                                  .dscp = 0x2A,
                                  .transact_time = 0x1718191A1B1C1D1E};

Buf concat(std::initializer_list<Buf> parts) {
  Buf out;
  for (const Buf& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

// Captures the last message of type Msg and counts every delivery.
template <typename Msg>
struct Capture {
  Msg last{};
  MessageContext ctx{};
  int count = 0;
  int others = 0;
  void on(const Msg& m, const MessageContext& c) {
    last = m;
    ctx = c;
    ++count;
  }
  template <typename Other>
  void on(const Other&, const MessageContext&) {
    ++others;
  }
};

struct Case {
  std::string name;
  uint16_t template_id;
  Buf bytes;
  std::function<void(const Case&)> run;
};

void PrintTo(const Case& c, std::ostream* os) { *os << c.name << " (" << c.template_id << ")"; }

template <typename Msg>
Case make_case(std::string name, Buf bytes, Msg expected) {
  const uint16_t id = Msg::kTemplateId;
  return Case{std::move(name), id, std::move(bytes), [expected](const Case& c) {
                const Buf packet = concat({packet_header_bytes(), c.bytes});
                Decoder dec;
                Capture<Msg> cap;
                EXPECT_EQ(dec.decode_packet(packet.data(), packet.size(), cap), DecodeStatus::kOk);
                ASSERT_EQ(cap.count, 1);
                EXPECT_EQ(cap.others, 0);
                EXPECT_TRUE(cap.last == expected) << "decoded fields differ from the fixture's values";
                EXPECT_EQ(cap.ctx.packet, kFixtureHeader);
                EXPECT_EQ(cap.ctx.msg_seq_num, 0x0A0B0C0Du);
                EXPECT_EQ(cap.ctx.template_id, c.template_id);
                EXPECT_EQ(cap.ctx.body_len, c.bytes.size());
                Buf out(c.bytes.size() + 16, std::byte{0xEE});
                const std::size_t n = encode(cap.last, cap.ctx.msg_seq_num, out.data());
                ASSERT_EQ(n, c.bytes.size());
                out.resize(n);
                EXPECT_EQ(out, c.bytes) << "encode(decoded) is not the fixture";
                EXPECT_EQ(dec.counters().load(EobiCounter::kMessages), 1u);
              }};
}

// Every fixture: message header (BodyLen, TemplateID, MsgSeqNum 0x0A0B0C0D) + each field at its spec offset.
std::vector<Case> all_cases() {
  constexpr uint32_t kSeq = 0x0A0B0C0D;
  std::vector<Case> v;
  v.push_back(make_case("Heartbeat",
                        W(16).u16(0, 16).u16(2, 13001).u32(4, kSeq)
                            .u32(8, 0xCAFEBABE)  // LastMsgSeqNumProcessed
                            .bytes(),
                        Heartbeat{.last_msg_seq_num_processed = 0xCAFEBABE}));
  v.push_back(make_case("OrderAdd",
                        W(56).u16(0, 56).u16(2, 13100).u32(4, kSeq)
                            .u64(8, 0x0102030405060708)            // RequestTime
                            .i64(16, -0x0123456789ABCDEF)          // SecurityID (full 64-bit, negative)
                            .u64(24, 0x1112131415161718)           // TrdRegTSTimePriority
                            .i64(32, 123'4567)                     // DisplayQty (123.4567 lots)
                            .u8(40, 2)                             // Side = sell
                            .u8(41, 5)                             // OrdType
                            .u8(42, 6)                             // HHIIndicator
                            .i64(48, -1'2345'6789'0123)            // Price (negative, 8 places)
                            .bytes(),
                        OrderAdd{.request_time = 0x0102030405060708,
                                 .security_id = -0x0123456789ABCDEF,
                                 .trd_reg_ts_time_priority = 0x1112131415161718,
                                 .display_qty = 123'4567,
                                 .side = Side::kSell,
                                 .ord_type = 5,
                                 .hhi_indicator = 6,
                                 .price = -1'2345'6789'0123}));
  v.push_back(make_case("OrderModify",
                        W(88).u16(0, 88).u16(2, 13101).u32(4, kSeq)
                            .u64(8, 0x0807060504030201)   // RequestTime
                            .u64(16, 0x2122232425262728)  // TrdRegTSPrevTimePriority
                            .i64(24, 9'9000'0000)         // PrevPrice
                            .i64(32, 50000)               // PrevDisplayQty
                            .i64(40, 0x7FEEDDCCBBAA9988)  // SecurityID
                            .u64(48, 0x3132333435363738)  // TrdRegTSTimePriority
                            .i64(56, 70000)               // DisplayQty
                            .u8(64, 1)                    // Side = buy
                            .u8(65, 7)                    // OrdType
                            .u8(66, 8)                    // HHIIndicator
                            .i64(72, 10'1000'0000)        // Price
                            .u8(80, 9)                    // PrevPriceHHIIndicator
                            .bytes(),
                        OrderModify{.request_time = 0x0807060504030201,
                                    .trd_reg_ts_prev_time_priority = 0x2122232425262728,
                                    .prev_price = 9'9000'0000,
                                    .prev_display_qty = 50000,
                                    .security_id = 0x7FEEDDCCBBAA9988,
                                    .trd_reg_ts_time_priority = 0x3132333435363738,
                                    .display_qty = 70000,
                                    .side = Side::kBuy,
                                    .ord_type = 7,
                                    .hhi_indicator = 8,
                                    .price = 10'1000'0000,
                                    .prev_price_hhi_indicator = 9}));
  v.push_back(make_case("OrderDelete",
                        W(64).u16(0, 64).u16(2, 13102).u32(4, kSeq)
                            .u64(8, 0x4142434445464748)   // RequestTime
                            .u64(16, 0x5152535455565758)  // TransactTime
                            .i64(24, 0x0000000100000002)  // SecurityID (needs > 32 bits)
                            .u64(32, 0x6162636465666768)  // TrdRegTSTimePriority
                            .i64(40, 30000)               // DisplayQty
                            .u8(48, 2)                    // Side
                            .u8(49, 3)                    // OrdType
                            .u8(50, 4)                    // HHIIndicator
                            .i64(56, 5'5000'0000)         // Price
                            .bytes(),
                        OrderDelete{.request_time = 0x4142434445464748,
                                    .transact_time = 0x5152535455565758,
                                    .security_id = 0x0000000100000002,
                                    .trd_reg_ts_time_priority = 0x6162636465666768,
                                    .display_qty = 30000,
                                    .side = Side::kSell,
                                    .ord_type = 3,
                                    .hhi_indicator = 4,
                                    .price = 5'5000'0000}));
  v.push_back(make_case("OrderMassDelete",
                        W(24).u16(0, 24).u16(2, 13103).u32(4, kSeq)
                            .i64(8, 0x1234567890ABCDEF)   // SecurityID
                            .u64(16, 0x0F0E0D0C0B0A0908)  // TransactTime
                            .bytes(),
                        OrderMassDelete{.security_id = 0x1234567890ABCDEF, .transact_time = 0x0F0E0D0C0B0A0908}));
  const auto exec_bytes = [&](uint16_t id) {
    return W(56).u16(0, 56).u16(2, id).u32(4, kSeq)
        .u8(8, 1)                     // Side
        .u8(9, 2)                     // OrdType
        .u8(10, 3)                    // AlgorithmicTradeIndicator
        .u8(11, 4)                    // HHIIndicator
        .u32(12, 0xDEADBEEF)          // TrdMatchID
        .i64(16, 12'3400'0000)        // Price
        .u64(24, 0x7172737475767778)  // TrdRegTSTimePriority
        .i64(32, 0x0102000000000304)  // SecurityID
        .i64(40, 2'0000)              // LastQty
        .i64(48, 12'3500'0000)        // LastPx
        .bytes();
  };
  v.push_back(make_case("FullOrderExecution", exec_bytes(13104),
                        FullOrderExecution{.side = Side::kBuy,
                                           .ord_type = 2,
                                           .algorithmic_trade_indicator = 3,
                                           .hhi_indicator = 4,
                                           .trd_match_id = 0xDEADBEEF,
                                           .price = 12'3400'0000,
                                           .trd_reg_ts_time_priority = 0x7172737475767778,
                                           .security_id = 0x0102000000000304,
                                           .last_qty = 2'0000,
                                           .last_px = 12'3500'0000}));
  v.push_back(make_case("PartialOrderExecution", exec_bytes(13105),
                        PartialOrderExecution{.side = Side::kBuy,
                                              .ord_type = 2,
                                              .algorithmic_trade_indicator = 3,
                                              .hhi_indicator = 4,
                                              .trd_match_id = 0xDEADBEEF,
                                              .price = 12'3400'0000,
                                              .trd_reg_ts_time_priority = 0x7172737475767778,
                                              .security_id = 0x0102000000000304,
                                              .last_qty = 2'0000,
                                              .last_px = 12'3500'0000}));
  v.push_back(make_case("OrderModifySamePrio",
                        W(72).u16(0, 72).u16(2, 13106).u32(4, kSeq)
                            .u64(8, 0x8182838485868788)   // RequestTime
                            .u64(16, 0x9192939495969798)  // TransactTime
                            .i64(24, 40000)               // PrevDisplayQty
                            .i64(32, 0x00000000FFFFFFFF)  // SecurityID
                            .u64(40, 0xA1A2A3A4A5A6A7A8)  // TrdRegTSTimePriority
                            .i64(48, 10000)               // DisplayQty
                            .u8(56, 2)                    // Side
                            .u8(57, 1)                    // OrdType
                            .u8(58, 0)                    // HHIIndicator
                            .i64(64, 1)                   // Price
                            .bytes(),
                        OrderModifySamePrio{.request_time = 0x8182838485868788,
                                            .transact_time = 0x9192939495969798,
                                            .prev_display_qty = 40000,
                                            .security_id = 0x00000000FFFFFFFF,
                                            .trd_reg_ts_time_priority = 0xA1A2A3A4A5A6A7A8,
                                            .display_qty = 10000,
                                            .side = Side::kSell,
                                            .ord_type = 1,
                                            .hhi_indicator = 0,
                                            .price = 1}));
  v.push_back(make_case("TradeReversal",
                        W(56).u16(0, 56).u16(2, 13200).u32(4, kSeq)
                            .i64(8, 0x0A0A0A0A0B0B0B0B)   // SecurityID
                            .u64(16, 0xB1B2B3B4B5B6B7B8)  // TransactTime
                            .i64(24, 3'0000)              // LastQty
                            .i64(32, 99'0000'0000)        // LastPx
                            .u64(40, 0xC1C2C3C4C5C6C7C8)  // TrdRegTSExecutionTime
                            .u32(48, 0x01020304)          // TrdMatchID
                            .u16(52, 0xBEEF)              // TradeCondition
                            .u8(54, 5)                    // MDOriginType
                            .u8(55, 0)                    // NoMDEntries
                            .bytes(),
                        TradeReversal{.security_id = 0x0A0A0A0A0B0B0B0B,
                                      .transact_time = 0xB1B2B3B4B5B6B7B8,
                                      .last_qty = 3'0000,
                                      .last_px = 99'0000'0000,
                                      .trd_reg_ts_execution_time = 0xC1C2C3C4C5C6C7C8,
                                      .trd_match_id = 0x01020304,
                                      .trade_condition = 0xBEEF,
                                      .md_origin_type = 5,
                                      .no_md_entries = 0}));
  v.push_back(make_case("TradeReport",
                        W(56).u16(0, 56).u16(2, 13201).u32(4, kSeq)
                            .i64(8, 0x0C0C0C0C0D0D0D0D)   // SecurityID
                            .u64(16, 0xD1D2D3D4D5D6D7D8)  // TransactTime
                            .i64(24, 4'0000)              // LastQty
                            .i64(32, 98'0000'0000)        // LastPx
                            .u32(40, 0x05060708)          // TrdMatchID
                            .u8(44, 3)                    // MatchType
                            .u8(45, 4)                    // MatchSubType
                            .u8(46, 1)                    // AlgorithmicTradeIndicator
                            .u16(48, 0x1234)              // TradeCondition
                            .bytes(),
                        TradeReport{.security_id = 0x0C0C0C0C0D0D0D0D,
                                    .transact_time = 0xD1D2D3D4D5D6D7D8,
                                    .last_qty = 4'0000,
                                    .last_px = 98'0000'0000,
                                    .trd_match_id = 0x05060708,
                                    .match_type = 3,
                                    .match_sub_type = 4,
                                    .algorithmic_trade_indicator = 1,
                                    .trade_condition = 0x1234}));
  v.push_back(make_case("ExecutionSummary",
                        W(104).u16(0, 104).u16(2, 13202).u32(4, kSeq)
                            .i64(8, 0x0E0E0E0E0F0F0F0F)   // SecurityID
                            .u64(16, 0xE1E2E3E4E5E6E7E8)  // RequestTime
                            .u64(24, 0xF1F2F3F4F5F6F7F8)  // ExecID
                            .i64(32, 5'0000)              // LastQty
                            .u8(40, 1)                    // AggressorSide
                            .u16(42, 0x4321)              // TradeCondition
                            .u8(44, 2)                    // TradingHHIIndicator
                            .i64(48, 97'0000'0000)        // LastPx
                            .u64(56, 0x0203040506070809)  // TrdRegTSPrevTimePriority
                            .i64(64, 6'0000)              // DisplayQty
                            .i64(72, 96'0000'0000)        // Price
                            .i64(80, 7'0000)              // RestingHiddenQty
                            .i64(88, 8'0000)              // RestingCxlQty
                            .u64(96, 0x1213141516171819)  // AggressorTime
                            .bytes(),
                        ExecutionSummary{.security_id = 0x0E0E0E0E0F0F0F0F,
                                         .request_time = 0xE1E2E3E4E5E6E7E8,
                                         .exec_id = 0xF1F2F3F4F5F6F7F8,
                                         .last_qty = 5'0000,
                                         .aggressor_side = Side::kBuy,
                                         .trade_condition = 0x4321,
                                         .trading_hhi_indicator = 2,
                                         .last_px = 97'0000'0000,
                                         .trd_reg_ts_prev_time_priority = 0x0203040506070809,
                                         .display_qty = 6'0000,
                                         .price = 96'0000'0000,
                                         .resting_hidden_qty = 7'0000,
                                         .resting_cxl_qty = 8'0000,
                                         .aggressor_time = 0x1213141516171819}));
  v.push_back(make_case("ProductStateChange",
                        W(24).u16(0, 24).u16(2, 13300).u32(4, kSeq)
                            .u8(8, 1)                     // TradingSessionID
                            .u8(9, 2)                     // TradingSessionSubID
                            .u8(10, 3)                    // TradSesStatus
                            .u8(11, 4)                    // MarketCondition
                            .u8(12, 5)                    // FastMarketIndicator
                            .u8(13, 6)                    // TESTradSesStatus
                            .u64(16, 0x2223242526272829)  // TransactTime
                            .bytes(),
                        ProductStateChange{.trading_session_id = 1,
                                           .trading_session_sub_id = 2,
                                           .trad_ses_status = 3,
                                           .market_condition = 4,
                                           .fast_market_indicator = 5,
                                           .tes_trad_ses_status = 6,
                                           .transact_time = 0x2223242526272829}));
  v.push_back(make_case("InstrumentStateChange",
                        W(56).u16(0, 56).u16(2, 13301).u32(4, kSeq)
                            .i64(8, 0x1010101020202020)   // SecurityID
                            .u8(16, 1)                    // SecurityStatus
                            .u8(17, 2)                    // SecurityTradingStatus
                            .u8(18, 3)                    // MarketCondition
                            .u8(19, 4)                    // FastMarketIndicator
                            .u8(20, 5)                    // SecurityTradingEvent
                            .u8(21, 6)                    // SoldOutIndicator
                            .i64(24, 101'0000'0000)       // HighPx
                            .i64(32, 90'0000'0000)        // LowPx
                            .u64(40, 0x3233343536373839)  // TransactTime
                            .u8(48, 7)                    // TESSecurityStatus
                            .bytes(),
                        InstrumentStateChange{.security_id = 0x1010101020202020,
                                              .security_status = 1,
                                              .security_trading_status = 2,
                                              .market_condition = 3,
                                              .fast_market_indicator = 4,
                                              .security_trading_event = 5,
                                              .sold_out_indicator = 6,
                                              .high_px = 101'0000'0000,
                                              .low_px = 90'0000'0000,
                                              .transact_time = 0x3233343536373839,
                                              .tes_security_status = 7}));
  v.push_back(make_case("ProductSummary",
                        W(24).u16(0, 24).u16(2, 13600).u32(4, kSeq)
                            .u32(8, 0x00ABCDEF)  // LastMsgSeqNumProcessed
                            .u8(12, 1)           // TradingSessionID
                            .u8(13, 2)           // TradingSessionSubID
                            .u8(14, 3)           // TradSesStatus
                            .u8(15, 4)           // MarketCondition
                            .u8(16, 5)           // FastMarketIndicator
                            .u8(17, 6)           // TESTradSesStatus
                            .bytes(),
                        ProductSummary{.last_msg_seq_num_processed = 0x00ABCDEF,
                                       .trading_session_id = 1,
                                       .trading_session_sub_id = 2,
                                       .trad_ses_status = 3,
                                       .market_condition = 4,
                                       .fast_market_indicator = 5,
                                       .tes_trad_ses_status = 6}));
  v.push_back(make_case("InstrumentSummary",
                        W(64).u16(0, 64).u16(2, 13601).u32(4, kSeq)
                            .i64(8, 0x3030303040404040)   // SecurityID
                            .u64(16, 0x4243444546474849)  // LastUpdateTime
                            .u64(24, 0x5253545556575859)  // TrdRegTSExecutionTime
                            .u16(32, 0x0102)              // TotNoOrders
                            .u8(34, 1)                    // SecurityStatus
                            .u8(35, 2)                    // SecurityTradingStatus
                            .u8(36, 3)                    // MarketCondition
                            .u8(37, 4)                    // FastMarketIndicator
                            .u8(38, 5)                    // SecurityTradingEvent
                            .u8(39, 6)                    // SoldOutIndicator
                            .i64(40, 102'0000'0000)       // HighPx
                            .i64(48, 91'0000'0000)        // LowPx
                            .u8(56, 7)                    // ProductComplex
                            .u8(57, 0)                    // NoMDEntries
                            .u8(58, 8)                    // TESSecurityStatus
                            .bytes(),
                        InstrumentSummary{.security_id = 0x3030303040404040,
                                          .last_update_time = 0x4243444546474849,
                                          .trd_reg_ts_execution_time = 0x5253545556575859,
                                          .tot_no_orders = 0x0102,
                                          .security_status = 1,
                                          .security_trading_status = 2,
                                          .market_condition = 3,
                                          .fast_market_indicator = 4,
                                          .security_trading_event = 5,
                                          .sold_out_indicator = 6,
                                          .high_px = 102'0000'0000,
                                          .low_px = 91'0000'0000,
                                          .product_complex = 7,
                                          .no_md_entries = 0,
                                          .tes_security_status = 8}));
  v.push_back(make_case("SnapshotOrder",
                        W(40).u16(0, 40).u16(2, 13602).u32(4, kSeq)
                            .u64(8, 0x6263646566676869)  // TrdRegTSTimePriority
                            .i64(16, 9'0000)             // DisplayQty
                            .u8(24, 1)                   // Side
                            .u8(25, 2)                   // OrdType
                            .u8(26, 3)                   // HHIIndicator
                            .i64(32, 95'0000'0000)       // Price
                            .bytes(),
                        SnapshotOrder{.trd_reg_ts_time_priority = 0x6263646566676869,
                                      .display_qty = 9'0000,
                                      .side = Side::kBuy,
                                      .ord_type = 2,
                                      .hhi_indicator = 3,
                                      .price = 95'0000'0000}));
  return v;
}

class EobiTemplateFixture : public ::testing::TestWithParam<Case> {};

TEST_P(EobiTemplateFixture, DecodesEveryFieldAndReencodesByteExact) { GetParam().run(GetParam()); }

INSTANTIATE_TEST_SUITE_P(AllTemplates, EobiTemplateFixture, ::testing::ValuesIn(all_cases()),
                         [](const ::testing::TestParamInfo<Case>& p) { return p.param.name; });

TEST(EobiTable, EveryTableTemplateHasExactlyOneFixture) {
  std::multiset<uint16_t> fixture_ids;
  for (const Case& c : all_cases()) fixture_ids.insert(c.template_id);
  for (const TemplateDesc& t : kTemplates) {
    if (t.id == template_id::kPacketHeader) continue;  // covered by PacketHeaderFixtureRoundTrips
    EXPECT_EQ(fixture_ids.count(t.id), 1u) << t.name;
  }
  EXPECT_EQ(fixture_ids.size(), kTemplates.size() - 1);
}

TEST(EobiTable, FixtureLengthsEqualTableRootLengths) {
  for (const Case& c : all_cases()) {
    const TemplateDesc* t = find_template(c.template_id);
    ASSERT_NE(t, nullptr) << c.name;
    EXPECT_EQ(t->root_len, c.bytes.size()) << c.name;
    EXPECT_EQ(t->name, c.name);
  }
}

TEST(EobiPacketHeader, PacketHeaderFixtureRoundTrips) {
  const Buf bytes = packet_header_bytes();
  PacketHeader h{};
  ASSERT_TRUE(load_message(bytes.data(), h));
  EXPECT_EQ(h, kFixtureHeader);
  Buf out(32);
  EXPECT_EQ(encode(h, out.data()), 32u);
  EXPECT_EQ(out, bytes);
}

struct PacketHook {
  int packets = 0;
  PacketHeader seen{};
  void on_packet(const PacketHeader& h) {
    ++packets;
    seen = h;
  }
};

TEST(EobiDecoder, HeaderOnlyPacketCallsOnPacketAndDeliversNothing) {
  const Buf packet = packet_header_bytes();
  Decoder dec;
  PacketHook hook;
  EXPECT_EQ(dec.decode_packet(packet.data(), packet.size(), hook), DecodeStatus::kOk);
  EXPECT_EQ(hook.packets, 1);
  EXPECT_EQ(hook.seen, kFixtureHeader);
  EXPECT_EQ(dec.counters().load(EobiCounter::kPackets), 1u);
}

// Minimal valid messages for error tests.
Buf order_add(uint32_t seq, uint8_t side = 1, uint16_t body_len = 56) {
  W w(std::max<std::size_t>(body_len, 8));
  w.u16(0, body_len).u16(2, 13100).u32(4, seq);
  if (body_len >= 56) w.i64(16, 42).u8(40, side).i64(48, 100'0000'0000);
  return w.bytes();
}
Buf order_delete(uint32_t seq) {
  return W(64).u16(0, 64).u16(2, 13102).u32(4, seq).i64(24, 43).u8(48, 2).bytes();
}

struct Recorder {
  std::vector<uint32_t> add_seqs;
  std::vector<uint32_t> delete_seqs;
  std::vector<DecodeStatus> errors;
  void on(const OrderAdd&, const MessageContext& c) { add_seqs.push_back(c.msg_seq_num); }
  void on(const OrderDelete&, const MessageContext& c) { delete_seqs.push_back(c.msg_seq_num); }
  void on_error(DecodeStatus s, const MessageContext&) { errors.push_back(s); }
};

TEST(EobiDecoder, TruncatedPacketHeaderIsCounted) {
  const Buf packet = packet_header_bytes();
  Decoder dec;
  Recorder r;
  EXPECT_EQ(dec.decode_packet(packet.data(), 31, r), DecodeStatus::kTruncatedPacket);
  EXPECT_EQ(dec.decode_packet(packet.data(), 0, r), DecodeStatus::kTruncatedPacket);
  EXPECT_EQ(dec.counters().load(EobiCounter::kTruncatedPacket), 2u);
  EXPECT_EQ(dec.counters().load(EobiCounter::kPackets), 0u);
}

TEST(EobiDecoder, PacketNotStartingWithPacketHeaderIsCounted) {
  Buf packet = concat({packet_header_bytes(), order_add(1)});
  packet[2] = std::byte{0x2C};  // TemplateID 13100 instead of 13002
  packet[3] = std::byte{0x33};
  Decoder dec;
  Recorder r;
  EXPECT_EQ(dec.decode_packet(packet.data(), packet.size(), r), DecodeStatus::kBadPacketHeader);
  EXPECT_EQ(dec.counters().load(EobiCounter::kBadPacketHeader), 1u);
  EXPECT_TRUE(r.add_seqs.empty());
}

TEST(EobiDecoder, BodyLenBelowHeaderSizeStopsPacketAndIsCounted) {
  Buf bad = W(8).u16(0, 7).u16(2, 13100).u32(4, 2).bytes();
  const Buf packet = concat({packet_header_bytes(), order_add(1), bad, order_add(3)});
  Decoder dec;
  Recorder r;
  EXPECT_EQ(dec.decode_packet(packet.data(), packet.size(), r), DecodeStatus::kBodyLenTooSmall);
  EXPECT_EQ(dec.counters().load(EobiCounter::kBodyLenTooSmall), 1u);
  EXPECT_EQ(r.add_seqs, std::vector<uint32_t>{1});
  EXPECT_EQ(r.errors, std::vector<DecodeStatus>{DecodeStatus::kBodyLenTooSmall});
}

TEST(EobiDecoder, BodyLenZeroDoesNotLoop) {
  const Buf packet = concat({packet_header_bytes(), W(8).u16(0, 0).u16(2, 13100).bytes()});
  Decoder dec;
  Recorder r;
  EXPECT_EQ(dec.decode_packet(packet.data(), packet.size(), r), DecodeStatus::kBodyLenTooSmall);
  EXPECT_EQ(dec.counters().load(EobiCounter::kBodyLenTooSmall), 1u);
}

TEST(EobiDecoder, BodyLenPastPayloadIsCountedAndNothingBeyondIsRead) {
  Buf packet = concat({packet_header_bytes(), order_add(1), order_add(2)});
  packet.resize(packet.size() - 1);  // last message one byte short
  Decoder dec;
  Recorder r;
  EXPECT_EQ(dec.decode_packet(packet.data(), packet.size(), r), DecodeStatus::kBodyLenPastPayload);
  EXPECT_EQ(dec.counters().load(EobiCounter::kBodyLenPastPayload), 1u);
  EXPECT_EQ(r.add_seqs, std::vector<uint32_t>{1});
}

TEST(EobiDecoder, TrailingBytesShorterThanMessageHeaderAreCounted) {
  Buf packet = concat({packet_header_bytes(), order_add(1), Buf(5, std::byte{0})});
  Decoder dec;
  Recorder r;
  EXPECT_EQ(dec.decode_packet(packet.data(), packet.size(), r), DecodeStatus::kTrailingBytes);
  EXPECT_EQ(dec.counters().load(EobiCounter::kTrailingBytes), 1u);
  EXPECT_EQ(r.add_seqs, std::vector<uint32_t>{1});
}

TEST(EobiDecoder, BelowRootLengthSkipsOnlyThatMessage) {
  const Buf packet = concat({packet_header_bytes(), order_add(1, 1, 48), order_delete(2)});
  Decoder dec;
  Recorder r;
  EXPECT_EQ(dec.decode_packet(packet.data(), packet.size(), r), DecodeStatus::kBelowRootLength);
  EXPECT_EQ(dec.counters().load(EobiCounter::kBelowRootLength), 1u);
  EXPECT_TRUE(r.add_seqs.empty());
  EXPECT_EQ(r.delete_seqs, std::vector<uint32_t>{2});
}

TEST(EobiDecoder, BelowRootLengthIsCountedEvenForTemplatesTheHandlerIgnores) {
  const Buf short_summary = W(16).u16(0, 16).u16(2, 13202).u32(4, 1).bytes();
  const Buf packet = concat({packet_header_bytes(), short_summary});
  Decoder dec;
  Recorder r;
  EXPECT_EQ(dec.decode_packet(packet.data(), packet.size(), r), DecodeStatus::kBelowRootLength);
  EXPECT_EQ(dec.counters().load(EobiCounter::kBelowRootLength), 1u);
}

TEST(EobiDecoder, UnknownTemplateIsCountedAndSkipped) {
  const Buf unknown = W(24).u16(0, 24).u16(2, 9999).u32(4, 1).bytes();
  const Buf packet = concat({packet_header_bytes(), unknown, order_add(2)});
  Decoder dec;
  Recorder r;
  EXPECT_EQ(dec.decode_packet(packet.data(), packet.size(), r), DecodeStatus::kUnknownTemplate);
  EXPECT_EQ(dec.counters().load(EobiCounter::kUnknownTemplate), 1u);
  EXPECT_EQ(r.add_seqs, std::vector<uint32_t>{2});
  EXPECT_EQ(r.errors, std::vector<DecodeStatus>{DecodeStatus::kUnknownTemplate});
}

TEST(EobiDecoder, InvalidSideIsCountedAndTheMessageDropped) {
  const Buf packet = concat({packet_header_bytes(), order_add(1, 0), order_add(2, 3), order_add(3, 2)});
  Decoder dec;
  Recorder r;
  EXPECT_EQ(dec.decode_packet(packet.data(), packet.size(), r), DecodeStatus::kInvalidSide);
  EXPECT_EQ(dec.counters().load(EobiCounter::kInvalidSide), 2u);
  EXPECT_EQ(r.add_seqs, std::vector<uint32_t>{3});
  EXPECT_EQ(dec.counters().load(EobiCounter::kMessages), 1u);
}

TEST(EobiDecoder, InvalidAggressorSideInExecutionSummaryIsCounted) {
  const Buf summary = W(104).u16(0, 104).u16(2, 13202).u32(4, 1).u8(40, 9).bytes();
  const Buf packet = concat({packet_header_bytes(), summary});
  Decoder dec;
  Capture<ExecutionSummary> cap;
  EXPECT_EQ(dec.decode_packet(packet.data(), packet.size(), cap), DecodeStatus::kInvalidSide);
  EXPECT_EQ(cap.count, 0);
  EXPECT_EQ(dec.counters().load(EobiCounter::kInvalidSide), 1u);
}

TEST(EobiDecoder, RepeatingGroupBytesAreSkippedNotReadAsMessages) {
  // TradeReversal with NoMDEntries = 2 and 2 x 16 group bytes that look exactly like an OrderAdd header.
  W rev(56 + 32);
  rev.u16(0, 56 + 32).u16(2, 13200).u32(4, 10).i64(8, 555).u8(55, 2);  // BodyLen, TemplateID, seq, SecurityID
  rev.u16(56, 56).u16(58, 13100).u32(60, 999);                        // decoy "OrderAdd" header in the group
  rev.u16(72, 56).u16(74, 13100).u32(76, 998);
  const Buf packet = concat({packet_header_bytes(), rev.bytes(), order_add(11)});
  struct H {
    std::vector<uint32_t> adds;
    int reversals = 0;
    TradeReversal last{};
    uint16_t body_len = 0;
    void on(const OrderAdd&, const MessageContext& c) { adds.push_back(c.msg_seq_num); }
    void on(const TradeReversal& m, const MessageContext& c) {
      ++reversals;
      last = m;
      body_len = c.body_len;
    }
  } h;
  Decoder dec;
  EXPECT_EQ(dec.decode_packet(packet.data(), packet.size(), h), DecodeStatus::kOk);
  EXPECT_EQ(h.reversals, 1);
  EXPECT_EQ(h.last.security_id, 555);
  EXPECT_EQ(h.last.no_md_entries, 2);
  EXPECT_EQ(h.body_len, 88);
  EXPECT_EQ(h.adds, std::vector<uint32_t>{11});
}

TEST(EobiDecoder, KnownButIgnoredTemplatesAreCountedAsSkipped) {
  Buf packet = packet_header_bytes();
  uint32_t seq = 1;
  for (uint16_t id : kSkippedTemplateIds) {
    const Buf m = W(40).u16(0, 40).u16(2, id).u32(4, seq++).bytes();
    packet.insert(packet.end(), m.begin(), m.end());
  }
  const Buf tail = order_add(seq);
  packet.insert(packet.end(), tail.begin(), tail.end());
  Decoder dec;
  Recorder r;
  EXPECT_EQ(dec.decode_packet(packet.data(), packet.size(), r), DecodeStatus::kOk);
  EXPECT_EQ(dec.counters().load(EobiCounter::kSkippedTemplate), kSkippedTemplateIds.size());
  EXPECT_EQ(dec.counters().load(EobiCounter::kUnknownTemplate), 0u);
  EXPECT_EQ(r.add_seqs, std::vector<uint32_t>{seq});
  EXPECT_TRUE(r.errors.empty());
}

// A handler with the on_header hook: sees every framed message, skipped templates included, and drops the
// ones it refuses (here: odd MsgSeqNums).
struct HeaderFilter : Recorder {
  std::vector<uint32_t> headers;
  bool on_header(const MessageContext& ctx) {
    headers.push_back(ctx.msg_seq_num);
    return ctx.msg_seq_num % 2 == 0;
  }
};

TEST(EobiDecoder, OnHeaderSeesEveryFramedMessageAndCanDropIt) {
  Buf packet = packet_header_bytes();
  for (uint32_t seq = 1; seq <= 4; ++seq) {
    const Buf m = order_add(seq);
    packet.insert(packet.end(), m.begin(), m.end());
  }
  const Buf skipped = W(40).u16(0, 40).u16(2, kSkippedTemplateIds[0]).u32(4, 5).bytes();
  packet.insert(packet.end(), skipped.begin(), skipped.end());
  Decoder dec;
  HeaderFilter h;
  EXPECT_EQ(dec.decode_packet(packet.data(), packet.size(), h), DecodeStatus::kOk);
  EXPECT_EQ(h.headers, (std::vector<uint32_t>{1, 2, 3, 4, 5}));
  EXPECT_EQ(h.add_seqs, (std::vector<uint32_t>{2, 4}));
  EXPECT_EQ(dec.counters().load(EobiCounter::kMessages), 2u);
  EXPECT_EQ(dec.counters().load(EobiCounter::kSkippedTemplate), 0u) << "message 5 was dropped by the hook";
}

TEST(EobiDecoder, FullSixtyFourBitSecurityIdSurvivesDecode) {
  W w(56);
  w.u16(0, 56).u16(2, 13100).u32(4, 1).i64(16, INT64_MIN + 5).u8(40, 1);
  const Buf packet = concat({packet_header_bytes(), w.bytes()});
  Capture<OrderAdd> cap;
  Decoder dec;
  EXPECT_EQ(dec.decode_packet(packet.data(), packet.size(), cap), DecodeStatus::kOk);
  EXPECT_EQ(cap.last.security_id, INT64_MIN + 5);
}

TEST(EobiPacketBuilder, StopsAtMaxPayloadAndPacketsDecode) {
  std::vector<std::byte> buf(4096);
  PacketBuilder b(buf, 200);  // 32 header + 3 x 56 = 200
  b.begin(kFixtureHeader);
  const OrderAdd add{.security_id = 7, .display_qty = 10000, .side = Side::kBuy, .price = 100};
  EXPECT_TRUE(b.add(add, 1));
  EXPECT_TRUE(b.add(add, 2));
  EXPECT_TRUE(b.add(add, 3));
  EXPECT_FALSE(b.add(add, 4));
  EXPECT_EQ(b.size(), 200u);
  EXPECT_EQ(b.message_count(), 3u);
  b.set_completion_indicator(0);
  b.set_appl_seq_num(1234);
  Decoder dec;
  struct : Recorder {
    PacketHeader h{};
    void on_packet(const PacketHeader& p) { h = p; }
  } hr;
  EXPECT_EQ(dec.decode_packet(b.bytes().data(), b.size(), hr), DecodeStatus::kOk);
  EXPECT_EQ(hr.add_seqs, (std::vector<uint32_t>{1, 2, 3}));
  EXPECT_EQ(hr.h.completion_indicator, 0);
  EXPECT_EQ(hr.h.appl_seq_num, 1234u);
}

TEST(EobiPacketBuilder, GroupBytesExtendBodyLen) {
  std::vector<std::byte> buf(512);
  PacketBuilder b(buf);
  b.begin(kFixtureHeader);
  const Buf group(32, std::byte{0x5A});
  ASSERT_TRUE(b.add(TradeReversal{.no_md_entries = 2}, 9, group));
  EXPECT_EQ(b.size(), 32u + 56u + 32u);
  EXPECT_EQ(load_le<uint16_t>(b.bytes().data() + 32), 88);
  Capture<TradeReversal> cap;
  Decoder dec;
  EXPECT_EQ(dec.decode_packet(b.bytes().data(), b.size(), cap), DecodeStatus::kOk);
  EXPECT_EQ(cap.count, 1);
  EXPECT_EQ(cap.ctx.body_len, 88);
}

// Builds `packets` packets of a realistic add/modify/delete/execution mix (built before any measurement).
struct Corpus {
  std::vector<std::byte> data;
  std::vector<std::pair<std::size_t, std::size_t>> packets;  // offset, length
  std::size_t messages = 0;
};
Corpus make_corpus(std::size_t packets) {
  Corpus c;
  c.data.resize(packets * PacketBuilder::kDefaultMaxPayload);
  std::size_t off = 0;
  uint32_t seq = 1;
  for (std::size_t p = 0; p < packets; ++p) {
    PacketBuilder b(std::span<std::byte>(c.data).subspan(off), PacketBuilder::kDefaultMaxPayload);
    b.begin(PacketHeader{.appl_seq_num = static_cast<uint32_t>(p + 1), .market_segment_id = 5,
                         .partition_id = 1, .completion_indicator = 1});
    for (int i = 0;; ++i) {
      const auto sid = static_cast<int64_t>(1000 + (seq % 16));
      const Side side = (seq & 1) ? Side::kBuy : Side::kSell;
      bool ok = false;
      switch (i % 4) {
        case 0:
          ok = b.add(OrderAdd{.security_id = sid, .trd_reg_ts_time_priority = seq, .display_qty = 10000,
                              .side = side, .price = 100'0000'0000},
                     seq);
          break;
        case 1:
          ok = b.add(OrderModify{.security_id = sid, .trd_reg_ts_time_priority = seq, .display_qty = 20000,
                                 .side = side, .price = 100'0000'0000},
                     seq);
          break;
        case 2:
          ok = b.add(OrderDelete{.security_id = sid, .trd_reg_ts_time_priority = seq, .side = side}, seq);
          break;
        default:
          ok = b.add(PartialOrderExecution{.side = side, .security_id = sid, .last_qty = 10000}, seq);
          break;
      }
      if (!ok) break;
      ++seq;
    }
    c.packets.emplace_back(off, b.size());
    c.messages += b.message_count();
    off += b.size();
  }
  return c;
}

struct SumHandler {
  uint64_t n = 0;
  int64_t sum = 0;
  void on(const OrderAdd& m, const MessageContext&) { ++n; sum += m.security_id + m.price + m.display_qty; }
  void on(const OrderModify& m, const MessageContext&) { ++n; sum += m.security_id + m.price; }
  void on(const OrderDelete& m, const MessageContext&) { ++n; sum += m.security_id; }
  void on(const PartialOrderExecution& m, const MessageContext&) { ++n; sum += m.last_qty; }
};

TEST(EobiDecoder, DecodingManyPacketsAllocatesNothing) {
  const Corpus c = make_corpus(500);
  Decoder dec;
  SumHandler h;
  numi::testing::AllocationScope scope;
  for (const auto& [off, len] : c.packets) {
    EXPECT_EQ(dec.decode_packet(c.data.data() + off, len, h), DecodeStatus::kOk);
  }
  EXPECT_EQ(scope.allocations(), 0u);
  EXPECT_EQ(h.n, c.messages);
  EXPECT_GT(c.messages, 500u * 20u);
}

// Manual measurement (not a pass/fail timing goal): ./eobi_codec_test --gtest_also_run_disabled_tests
//   --gtest_filter='*DISABLED_MeasureDecodeThroughput*'
TEST(EobiDecoder, DISABLED_MeasureDecodeThroughput) {
  const Corpus c = make_corpus(20000);
  std::vector<double> rates;
  for (int rep = 0; rep < 3; ++rep) {
    Decoder dec;
    SumHandler h;
    const auto t0 = std::chrono::steady_clock::now();
    for (const auto& [off, len] : c.packets) (void)dec.decode_packet(c.data.data() + off, len, h);
    const auto t1 = std::chrono::steady_clock::now();
    ASSERT_EQ(h.n, c.messages);
    rates.push_back(static_cast<double>(c.messages) / std::chrono::duration<double>(t1 - t0).count());
  }
  std::sort(rates.begin(), rates.end());
  std::fprintf(stderr, "eobi_decode messages=%zu bytes=%zu msgs_per_s_median=%.0f min=%.0f max=%.0f\n",
               c.messages, c.packets.back().first + c.packets.back().second, rates[1], rates[0], rates[2]);
  EXPECT_GT(rates[1], 0.0);
}

}  // namespace
}  // namespace numi::codec::eobi
// clang-format on
