// ITCH 5.0 message decode/encode: one hand-written byte fixture per message type, built from the field table
// in specs/itch50.md (NOT produced by our encoder). Every fixture uses the same head:
//   stock_locate 01 02, tracking_number 03 04, timestamp 0A 0B 0C 0D 0E 0F.
// Hand-laid wire tables / byte fixtures (one field per line with its spec comment): not reformatted.
// clang-format off
#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <cstring>
#include <vector>

#include "numi/codec/itch/decoder.hpp"
#include "numi/codec/itch/messages.hpp"

namespace itch = numi::codec::itch;

namespace {

using Bytes = std::vector<uint8_t>;

#define HEAD 0x01, 0x02, /* stock_locate = 0x0102 */ 0x03, 0x04, /* tracking_number = 0x0304 */ \
             0x0A, 0x0B, 0x0C, 0x0D, 0x0E, 0x0F /* timestamp = 0x0A0B0C0D0E0F */

const Bytes kS = {'S', HEAD, /*event_code*/ 'O'};
const Bytes kR = {'R', HEAD,
                  /*stock*/ 'A', 'A', 'P', 'L', ' ', ' ', ' ', ' ',
                  /*market_category*/ 'Q',
                  /*financial_status_indicator*/ 'N',
                  /*round_lot_size*/ 0x00, 0x00, 0x00, 0x64,
                  /*round_lots_only*/ 'N',
                  /*issue_classification*/ 'C',
                  /*issue_sub_type*/ 'Z', ' ',
                  /*authenticity*/ 'P',
                  /*short_sale_threshold_indicator*/ 'N',
                  /*ipo_flag*/ ' ',
                  /*luld_reference_price_tier*/ '1',
                  /*etp_flag*/ 'N',
                  /*etp_leverage_factor*/ 0x00, 0x00, 0x00, 0x02,
                  /*inverse_indicator*/ 'N'};
const Bytes kH = {'H', HEAD, /*stock*/ 'M', 'S', 'F', 'T', ' ', ' ', ' ', ' ', /*trading_state*/ 'T',
                  /*reserved*/ ' ', /*reason_code*/ 'M', 'W', 'C', '1'};
const Bytes kY = {'Y', /*locate_code*/ 0x01, 0x02, /*tracking_number*/ 0x03, 0x04,
                  /*timestamp*/ 0x0A, 0x0B, 0x0C, 0x0D, 0x0E, 0x0F,
                  /*stock*/ 'I', 'B', 'M', ' ', ' ', ' ', ' ', ' ', /*reg_sho_action*/ '1'};
const Bytes kL = {'L', HEAD, /*mpid*/ 'G', 'S', 'C', 'O', /*stock*/ 'A', 'M', 'Z', 'N', ' ', ' ', ' ', ' ',
                  /*primary_market_maker*/ 'Y', /*market_maker_mode*/ 'N', /*market_participant_state*/ 'A'};
const Bytes kV = {'V', HEAD,
                  /*level_1*/ 0x00, 0x00, 0x00, 0x01, 0x02, 0x03, 0x04, 0x05,
                  /*level_2*/ 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18,
                  /*level_3*/ 0x21, 0x22, 0x23, 0x24, 0x25, 0x26, 0x27, 0x28};
const Bytes kW = {'W', HEAD, /*breached_level*/ '2'};
const Bytes kK = {'K', HEAD, /*stock*/ 'Z', 'V', 'Z', 'Z', 'T', ' ', ' ', ' ',
                  /*ipo_quotation_release_time*/ 0x00, 0x00, 0x8C, 0xA0,
                  /*ipo_quotation_release_qualifier*/ 'A',
                  /*ipo_price*/ 0x00, 0x0F, 0x42, 0x40};
const Bytes kJ = {'J', HEAD, /*stock*/ 'T', 'S', 'L', 'A', ' ', ' ', ' ', ' ',
                  /*auction_collar_reference_price*/ 0x00, 0x18, 0x6A, 0x00,
                  /*upper_auction_collar_price*/ 0x00, 0x1A, 0xDB, 0x00,
                  /*lower_auction_collar_price*/ 0x00, 0x15, 0xF9, 0x00,
                  /*auction_collar_extension*/ 0x00, 0x00, 0x00, 0x01};
const Bytes kh = {'h', HEAD, /*stock*/ 'Q', 'Q', 'Q', ' ', ' ', ' ', ' ', ' ', /*market_code*/ 'Q',
                  /*operational_halt_action*/ 'H'};
const Bytes kA = {'A', HEAD,
                  /*order_reference_number*/ 0x00, 0x00, 0x00, 0x00, 0x00, 0xAB, 0xCD, 0xEF,
                  /*buy_sell_indicator*/ 'B',
                  /*shares*/ 0x00, 0x00, 0x00, 0x64,
                  /*stock*/ 'A', 'A', 'P', 'L', ' ', ' ', ' ', ' ',
                  /*price*/ 0x00, 0x16, 0xE3, 0x60};
const Bytes kF = {'F', HEAD,
                  /*order_reference_number*/ 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08,
                  /*buy_sell_indicator*/ 'S',
                  /*shares*/ 0x00, 0x00, 0x01, 0xF4,
                  /*stock*/ 'M', 'S', 'F', 'T', ' ', ' ', ' ', ' ',
                  /*price*/ 0x00, 0x04, 0xC4, 0xB4,
                  /*attribution*/ 'V', 'I', 'R', 'T'};
const Bytes kE = {'E', HEAD,
                  /*order_reference_number*/ 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x07,
                  /*executed_shares*/ 0x00, 0x00, 0x01, 0x2C,
                  /*match_number*/ 0x00, 0x00, 0x00, 0x00, 0xDE, 0xAD, 0xBE, 0xEF};
const Bytes kC = {'C', HEAD,
                  /*order_reference_number*/ 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x09,
                  /*executed_shares*/ 0x00, 0x00, 0x00, 0x32,
                  /*match_number*/ 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x02,
                  /*printable*/ 'Y',
                  /*execution_price*/ 0x00, 0x01, 0x86, 0xA0};
const Bytes kX = {'X', HEAD,
                  /*order_reference_number*/ 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xFF,
                  /*canceled_shares*/ 0x00, 0x00, 0x00, 0x0A};
const Bytes kD = {'D', HEAD, /*order_reference_number*/ 0x80, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01};
const Bytes kU = {'U', HEAD,
                  /*original_order_reference_number*/ 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x10, 0x00,
                  /*new_order_reference_number*/ 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x10, 0x01,
                  /*shares*/ 0x00, 0x00, 0x01, 0x90,
                  /*price*/ 0x00, 0x98, 0x96, 0x80};
const Bytes kP = {'P', HEAD,
                  /*order_reference_number*/ 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
                  /*buy_sell_indicator*/ 'B',
                  /*shares*/ 0x00, 0x00, 0x03, 0xE8,
                  /*stock*/ 'S', 'P', 'Y', ' ', ' ', ' ', ' ', ' ',
                  /*price*/ 0x00, 0x43, 0x1F, 0x88,
                  /*match_number*/ 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x12, 0x34};
const Bytes kQ = {'Q', HEAD,
                  /*cross_shares*/ 0x00, 0x00, 0x00, 0x00, 0x00, 0x0F, 0x42, 0x40,
                  /*stock*/ 'S', 'P', 'Y', ' ', ' ', ' ', ' ', ' ',
                  /*cross_price*/ 0x00, 0x43, 0x1F, 0x88,
                  /*match_number*/ 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x56, 0x78,
                  /*cross_type*/ 'O'};
const Bytes kB = {'B', HEAD, /*match_number*/ 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x56, 0x78};
const Bytes kI = {'I', HEAD,
                  /*paired_shares*/ 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x27, 0x10,
                  /*imbalance_shares*/ 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03, 0xE8,
                  /*imbalance_direction*/ 'B',
                  /*stock*/ 'A', 'A', 'P', 'L', ' ', ' ', ' ', ' ',
                  /*far_price*/ 0x00, 0x16, 0xE3, 0x60,
                  /*near_price*/ 0x00, 0x16, 0xE3, 0xC4,
                  /*current_reference_price*/ 0x00, 0x16, 0xE4, 0x28,
                  /*cross_type*/ 'O',
                  /*price_variation_indicator*/ 'L'};
const Bytes kN = {'N', HEAD, /*stock*/ 'A', 'A', 'P', 'L', ' ', ' ', ' ', ' ', /*interest_flag*/ 'B'};
const Bytes kO = {'O', HEAD,
                  /*stock*/ 'N', 'E', 'W', 'C', 'O', ' ', ' ', ' ',
                  /*open_eligibility_status*/ 'Y',
                  /*minimum_allowable_price*/ 0x00, 0x0F, 0x42, 0x40,
                  /*maximum_allowable_price*/ 0x00, 0x1E, 0x84, 0x80,
                  /*near_execution_price*/ 0x00, 0x16, 0xE3, 0x60,
                  /*near_execution_time*/ 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x8C, 0xA0,
                  /*lower_price_range_collar*/ 0x00, 0x0D, 0xBB, 0xA0,
                  /*upper_price_range_collar*/ 0x00, 0x20, 0x0B, 0x20};
#undef HEAD

struct Fixture {
  char type;
  const Bytes* bytes;
  std::size_t spec_length;  // the "total length" column of the spec table, typed again here
};
const Fixture kFixtures[] = {
    {'S', &kS, 12}, {'R', &kR, 39}, {'H', &kH, 25}, {'Y', &kY, 20}, {'L', &kL, 26}, {'V', &kV, 35},
    {'W', &kW, 12}, {'K', &kK, 28}, {'J', &kJ, 35}, {'h', &kh, 21}, {'A', &kA, 36}, {'F', &kF, 40},
    {'E', &kE, 31}, {'C', &kC, 36}, {'X', &kX, 23}, {'D', &kD, 19}, {'U', &kU, 35}, {'P', &kP, 44},
    {'Q', &kQ, 40}, {'B', &kB, 19}, {'I', &kI, 50}, {'N', &kN, 20}, {'O', &kO, 48},
};

const std::byte* as_bytes(const Bytes& b) { return reinterpret_cast<const std::byte*>(b.data()); }

// A handler that only knows message type M: every other type must be skipped by decode().
template <typename M>
struct Capture {
  M msg{};
  int calls = 0;
  void on(const M& m) {
    msg = m;
    ++calls;
  }
};

// Decodes the fixture as M, checks it was delivered once, and checks that encode() reproduces the bytes.
template <typename M>
M decode_fixture(const Bytes& bytes) {
  Capture<M> h;
  EXPECT_EQ(itch::decode(as_bytes(bytes), bytes.size(), h), itch::DecodeStatus::kOk);
  EXPECT_EQ(h.calls, 1);
  EXPECT_EQ(bytes.size(), M::kLength);
  std::array<std::byte, 64> out{};
  const std::size_t n = itch::encode(h.msg, out.data());
  EXPECT_EQ(n, bytes.size());
  EXPECT_EQ(std::memcmp(out.data(), bytes.data(), bytes.size()), 0) << "encode must reproduce the fixture";
  return h.msg;
}

template <typename M>
void expect_head(const M& m) {
  EXPECT_EQ(m.stock_locate, 0x0102);
  EXPECT_EQ(m.tracking_number, 0x0304);
  EXPECT_EQ(m.timestamp, 0x0A0B0C0D0E0Full);
}

template <std::size_t N>
std::array<char, N> chars(const char (&s)[N + 1]) {
  std::array<char, N> a{};
  std::memcpy(a.data(), s, N);
  return a;
}

}  // namespace

TEST(ItchMessages, FixtureLengthsMatchSpecTableAndDecoderTable) {
  ASSERT_EQ(std::size(kFixtures), itch::kMessageTable.size());
  for (const Fixture& f : kFixtures) {
    EXPECT_EQ(f.bytes->size(), f.spec_length) << f.type;
    EXPECT_EQ(static_cast<char>((*f.bytes)[0]), f.type);
    EXPECT_EQ(itch::kLengthByType[static_cast<uint8_t>(f.type)], f.spec_length) << f.type;
  }
}

TEST(ItchMessages, DecodesSystemEvent) {
  const auto m = decode_fixture<itch::SystemEvent>(kS);
  expect_head(m);
  EXPECT_EQ(m.event_code, 'O');
}

TEST(ItchMessages, DecodesStockDirectory) {
  const auto m = decode_fixture<itch::StockDirectory>(kR);
  expect_head(m);
  EXPECT_EQ(m.stock, chars<8>("AAPL    "));
  EXPECT_EQ(m.market_category, 'Q');
  EXPECT_EQ(m.financial_status_indicator, 'N');
  EXPECT_EQ(m.round_lot_size, 100u);
  EXPECT_EQ(m.round_lots_only, 'N');
  EXPECT_EQ(m.issue_classification, 'C');
  EXPECT_EQ(m.issue_sub_type, chars<2>("Z "));
  EXPECT_EQ(m.authenticity, 'P');
  EXPECT_EQ(m.short_sale_threshold_indicator, 'N');
  EXPECT_EQ(m.ipo_flag, ' ');
  EXPECT_EQ(m.luld_reference_price_tier, '1');
  EXPECT_EQ(m.etp_flag, 'N');
  EXPECT_EQ(m.etp_leverage_factor, 2u);
  EXPECT_EQ(m.inverse_indicator, 'N');
}

TEST(ItchMessages, DecodesStockTradingAction) {
  const auto m = decode_fixture<itch::StockTradingAction>(kH);
  expect_head(m);
  EXPECT_EQ(m.stock, chars<8>("MSFT    "));
  EXPECT_EQ(m.trading_state, 'T');
  EXPECT_EQ(m.reserved, ' ');
  EXPECT_EQ(m.reason_code, chars<4>("MWC1"));
}

TEST(ItchMessages, DecodesRegShoRestriction) {
  const auto m = decode_fixture<itch::RegShoRestriction>(kY);
  EXPECT_EQ(m.locate_code, 0x0102);
  EXPECT_EQ(m.tracking_number, 0x0304);
  EXPECT_EQ(m.timestamp, 0x0A0B0C0D0E0Full);
  EXPECT_EQ(m.stock, chars<8>("IBM     "));
  EXPECT_EQ(m.reg_sho_action, '1');
}

TEST(ItchMessages, DecodesMarketParticipantPosition) {
  const auto m = decode_fixture<itch::MarketParticipantPosition>(kL);
  expect_head(m);
  EXPECT_EQ(m.mpid, chars<4>("GSCO"));
  EXPECT_EQ(m.stock, chars<8>("AMZN    "));
  EXPECT_EQ(m.primary_market_maker, 'Y');
  EXPECT_EQ(m.market_maker_mode, 'N');
  EXPECT_EQ(m.market_participant_state, 'A');
}

TEST(ItchMessages, DecodesMwcbDeclineLevel) {
  const auto m = decode_fixture<itch::MwcbDeclineLevel>(kV);
  expect_head(m);
  EXPECT_EQ(m.level_1, 0x0000000102030405ull);
  EXPECT_EQ(m.level_2, 0x1112131415161718ull);
  EXPECT_EQ(m.level_3, 0x2122232425262728ull);
}

TEST(ItchMessages, DecodesMwcbStatusLevel) {
  const auto m = decode_fixture<itch::MwcbStatusLevel>(kW);
  expect_head(m);
  EXPECT_EQ(m.breached_level, '2');
}

TEST(ItchMessages, DecodesIpoQuotingPeriodUpdate) {
  const auto m = decode_fixture<itch::IpoQuotingPeriodUpdate>(kK);
  expect_head(m);
  EXPECT_EQ(m.stock, chars<8>("ZVZZT   "));
  EXPECT_EQ(m.ipo_quotation_release_time, 36000u);
  EXPECT_EQ(m.ipo_quotation_release_qualifier, 'A');
  EXPECT_EQ(m.ipo_price, 1000000u);
}

TEST(ItchMessages, DecodesLuldAuctionCollar) {
  const auto m = decode_fixture<itch::LuldAuctionCollar>(kJ);
  expect_head(m);
  EXPECT_EQ(m.stock, chars<8>("TSLA    "));
  EXPECT_EQ(m.auction_collar_reference_price, 0x00186A00u);
  EXPECT_EQ(m.upper_auction_collar_price, 0x001ADB00u);
  EXPECT_EQ(m.lower_auction_collar_price, 0x0015F900u);
  EXPECT_EQ(m.auction_collar_extension, 1u);
}

TEST(ItchMessages, DecodesOperationalHalt) {
  const auto m = decode_fixture<itch::OperationalHalt>(kh);
  expect_head(m);
  EXPECT_EQ(m.stock, chars<8>("QQQ     "));
  EXPECT_EQ(m.market_code, 'Q');
  EXPECT_EQ(m.operational_halt_action, 'H');
}

TEST(ItchMessages, DecodesAddOrder) {
  const auto m = decode_fixture<itch::AddOrder>(kA);
  expect_head(m);
  EXPECT_EQ(m.order_reference_number, 0xABCDEFull);
  EXPECT_EQ(m.buy_sell_indicator, 'B');
  EXPECT_EQ(m.shares, 100u);
  EXPECT_EQ(m.stock, chars<8>("AAPL    "));
  EXPECT_EQ(m.price, 1500000u);  // $150.0000
}

TEST(ItchMessages, DecodesAddOrderMpid) {
  const auto m = decode_fixture<itch::AddOrderMpid>(kF);
  expect_head(m);
  EXPECT_EQ(m.order_reference_number, 0x0102030405060708ull);
  EXPECT_EQ(m.buy_sell_indicator, 'S');
  EXPECT_EQ(m.shares, 500u);
  EXPECT_EQ(m.stock, chars<8>("MSFT    "));
  EXPECT_EQ(m.price, 0x0004C4B4u);
  EXPECT_EQ(m.attribution, chars<4>("VIRT"));
}

TEST(ItchMessages, DecodesOrderExecuted) {
  const auto m = decode_fixture<itch::OrderExecuted>(kE);
  expect_head(m);
  EXPECT_EQ(m.order_reference_number, 7u);
  EXPECT_EQ(m.executed_shares, 300u);
  EXPECT_EQ(m.match_number, 0xDEADBEEFull);
}

TEST(ItchMessages, DecodesOrderExecutedWithPrice) {
  const auto m = decode_fixture<itch::OrderExecutedWithPrice>(kC);
  expect_head(m);
  EXPECT_EQ(m.order_reference_number, 9u);
  EXPECT_EQ(m.executed_shares, 50u);
  EXPECT_EQ(m.match_number, 0x0000000100000002ull);
  EXPECT_EQ(m.printable, 'Y');
  EXPECT_EQ(m.execution_price, 100000u);
}

TEST(ItchMessages, DecodesOrderCancel) {
  const auto m = decode_fixture<itch::OrderCancel>(kX);
  expect_head(m);
  EXPECT_EQ(m.order_reference_number, 0xFFu);
  EXPECT_EQ(m.canceled_shares, 10u);
}

TEST(ItchMessages, DecodesOrderDelete) {
  const auto m = decode_fixture<itch::OrderDelete>(kD);
  expect_head(m);
  EXPECT_EQ(m.order_reference_number, 0x8000000000000001ull);
}

TEST(ItchMessages, DecodesOrderReplace) {
  const auto m = decode_fixture<itch::OrderReplace>(kU);
  expect_head(m);
  EXPECT_EQ(m.original_order_reference_number, 0x1000u);
  EXPECT_EQ(m.new_order_reference_number, 0x1001u);
  EXPECT_EQ(m.shares, 400u);
  EXPECT_EQ(m.price, 10000000u);
}

TEST(ItchMessages, DecodesNonCrossTrade) {
  const auto m = decode_fixture<itch::NonCrossTrade>(kP);
  expect_head(m);
  EXPECT_EQ(m.order_reference_number, 0u);
  EXPECT_EQ(m.buy_sell_indicator, 'B');
  EXPECT_EQ(m.shares, 1000u);
  EXPECT_EQ(m.stock, chars<8>("SPY     "));
  EXPECT_EQ(m.price, 0x00431F88u);
  EXPECT_EQ(m.match_number, 0x1234u);
}

TEST(ItchMessages, DecodesCrossTrade) {
  const auto m = decode_fixture<itch::CrossTrade>(kQ);
  expect_head(m);
  EXPECT_EQ(m.cross_shares, 1000000u);
  EXPECT_EQ(m.stock, chars<8>("SPY     "));
  EXPECT_EQ(m.cross_price, 0x00431F88u);
  EXPECT_EQ(m.match_number, 0x5678u);
  EXPECT_EQ(m.cross_type, 'O');
}

TEST(ItchMessages, DecodesBrokenTrade) {
  const auto m = decode_fixture<itch::BrokenTrade>(kB);
  expect_head(m);
  EXPECT_EQ(m.match_number, 0x5678u);
}

TEST(ItchMessages, DecodesNetOrderImbalanceIndicator) {
  const auto m = decode_fixture<itch::NetOrderImbalanceIndicator>(kI);
  expect_head(m);
  EXPECT_EQ(m.paired_shares, 10000u);
  EXPECT_EQ(m.imbalance_shares, 1000u);
  EXPECT_EQ(m.imbalance_direction, 'B');
  EXPECT_EQ(m.stock, chars<8>("AAPL    "));
  EXPECT_EQ(m.far_price, 0x0016E360u);
  EXPECT_EQ(m.near_price, 0x0016E3C4u);
  EXPECT_EQ(m.current_reference_price, 0x0016E428u);
  EXPECT_EQ(m.cross_type, 'O');
  EXPECT_EQ(m.price_variation_indicator, 'L');
}

TEST(ItchMessages, DecodesRetailPriceImprovementIndicator) {
  const auto m = decode_fixture<itch::RetailPriceImprovementIndicator>(kN);
  expect_head(m);
  EXPECT_EQ(m.stock, chars<8>("AAPL    "));
  EXPECT_EQ(m.interest_flag, 'B');
}

TEST(ItchMessages, DecodesDirectListingPriceDiscovery) {
  const auto m = decode_fixture<itch::DirectListingPriceDiscovery>(kO);
  expect_head(m);
  EXPECT_EQ(m.stock, chars<8>("NEWCO   "));
  EXPECT_EQ(m.open_eligibility_status, 'Y');
  EXPECT_EQ(m.minimum_allowable_price, 1000000u);
  EXPECT_EQ(m.maximum_allowable_price, 2000000u);
  EXPECT_EQ(m.near_execution_price, 1500000u);
  EXPECT_EQ(m.near_execution_time, 36000u);
  EXPECT_EQ(m.lower_price_range_collar, 900000u);
  EXPECT_EQ(m.upper_price_range_collar, 2100000u);
}

namespace {
struct CountAll {
  int calls = 0;
  void on(const auto&) { ++calls; }
};
}  // namespace

TEST(ItchMessages, RejectsWrongLengthForEveryTypeAndCountsIt) {
  numi::CounterBlock<itch::ItchCounter> counters;
  CountAll h;
  std::array<uint8_t, 80> buf{};
  uint64_t rejected = 0;
  for (const Fixture& f : kFixtures) {
    std::memcpy(buf.data(), f.bytes->data(), f.bytes->size());
    const auto* p = reinterpret_cast<const std::byte*>(buf.data());
    EXPECT_EQ(itch::decode(p, f.spec_length - 1, h, &counters), itch::DecodeStatus::kBadLength) << f.type;
    EXPECT_EQ(itch::decode(p, f.spec_length + 1, h, &counters), itch::DecodeStatus::kBadLength) << f.type;
    EXPECT_EQ(itch::decode(p, 1, h, &counters), itch::DecodeStatus::kBadLength) << f.type;
    rejected += 3;
    EXPECT_EQ(itch::decode(p, f.spec_length, h, &counters), itch::DecodeStatus::kOk) << f.type;
  }
  EXPECT_EQ(h.calls, static_cast<int>(std::size(kFixtures)));
  EXPECT_EQ(counters.load(itch::ItchCounter::kBadLength), rejected);
  EXPECT_EQ(counters.load(itch::ItchCounter::kUnknownType), 0u);
}

TEST(ItchMessages, RejectsUnknownTypesAndEmptyInput) {
  numi::CounterBlock<itch::ItchCounter> counters;
  CountAll h;
  std::array<std::byte, 64> buf{};
  uint64_t unknown = 0;
  for (int t = 0; t < 256; ++t) {
    if (itch::kLengthByType[static_cast<std::size_t>(t)] != 0) continue;
    buf[0] = static_cast<std::byte>(t);
    EXPECT_EQ(itch::decode(buf.data(), 36, h, &counters), itch::DecodeStatus::kUnknownType) << t;
    ++unknown;
  }
  EXPECT_EQ(unknown, 256u - 23u);
  EXPECT_EQ(itch::decode(buf.data(), 0, h, &counters), itch::DecodeStatus::kEmpty);
  EXPECT_EQ(h.calls, 0);
  EXPECT_EQ(counters.load(itch::ItchCounter::kUnknownType), unknown);
  EXPECT_EQ(counters.load(itch::ItchCounter::kEmpty), 1u);
}

TEST(ItchMessages, NamesEveryTypeFromTheSpecTable) {
  EXPECT_EQ(itch::message_type_name('A'), "Add Order No Mpid Attribution");
  EXPECT_EQ(itch::message_type_name('h'), "Operational Halt");
  EXPECT_EQ(itch::message_type_name('Z'), "Unknown");
  for (const auto& m : itch::kMessageTable) EXPECT_NE(itch::message_type_name(m.type), "Unknown");
}

TEST(ItchMessages, StockHelpersPadAndTrim) {
  const itch::Stock s = itch::make_stock("AAPL");
  EXPECT_EQ(s, chars<8>("AAPL    "));
  EXPECT_EQ(itch::stock_view(s), "AAPL");
}
// clang-format on
