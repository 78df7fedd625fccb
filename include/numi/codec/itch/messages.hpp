// Nasdaq TotalView-ITCH 5.0 messages (specs/itch50.md): one plain struct per message type, generated from ONE
// message table (type char, struct, spec name, exact length, fields with offset and length). The same table
// generates the struct, the big-endian field loads (load()), the encoder (encode()) and compile-time layout
// checks: fields must tile the message exactly from offset 1 to its length, with a C++ type that fits.
// Main types: AddOrder, OrderExecuted, ... (see NUMI_ITCH_MESSAGES), MessageInfo, kMessageTable,
// kLengthByType. Thread-safety: plain values and pure functions. Hand-laid wire tables / byte fixtures (one
// field per line with its spec comment): not reformatted.
// clang-format off
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "numi/codec/itch/wire.hpp"

namespace numi::codec::itch {

using Stock = std::array<char, 8>;   // ASCII, right-padded with spaces
using Alpha4 = std::array<char, 4>;  // MPID, attribution, reason code
using Alpha2 = std::array<char, 2>;  // issue sub-type

// Common leading fields: stock_locate @1:2, tracking_number @3:2, timestamp @5:6 (ns since midnight).
#define NUMI_ITCH_HEAD(F) F(uint16_t, stock_locate, 1, 2) F(uint16_t, tracking_number, 3, 2) F(uint64_t, timestamp, 5, 6)

// ---- Field lists: F(c++ type, field name, offset, length), copied from the spec table ------------------------
#define NUMI_ITCH_FIELDS_SystemEvent(F) NUMI_ITCH_HEAD(F) F(char, event_code, 11, 1)
#define NUMI_ITCH_FIELDS_StockDirectory(F)                                                                 \
  NUMI_ITCH_HEAD(F) F(Stock, stock, 11, 8) F(char, market_category, 19, 1)                                 \
  F(char, financial_status_indicator, 20, 1) F(uint32_t, round_lot_size, 21, 4) F(char, round_lots_only, 25, 1) \
  F(char, issue_classification, 26, 1) F(Alpha2, issue_sub_type, 27, 2) F(char, authenticity, 29, 1)       \
  F(char, short_sale_threshold_indicator, 30, 1) F(char, ipo_flag, 31, 1)                                   \
  F(char, luld_reference_price_tier, 32, 1) F(char, etp_flag, 33, 1) F(uint32_t, etp_leverage_factor, 34, 4) \
  F(char, inverse_indicator, 38, 1)
#define NUMI_ITCH_FIELDS_StockTradingAction(F)                                                  \
  NUMI_ITCH_HEAD(F) F(Stock, stock, 11, 8) F(char, trading_state, 19, 1) F(char, reserved, 20, 1) \
  F(Alpha4, reason_code, 21, 4)
#define NUMI_ITCH_FIELDS_RegShoRestriction(F)                                                  \
  F(uint16_t, locate_code, 1, 2) F(uint16_t, tracking_number, 3, 2) F(uint64_t, timestamp, 5, 6) \
  F(Stock, stock, 11, 8) F(char, reg_sho_action, 19, 1)
#define NUMI_ITCH_FIELDS_MarketParticipantPosition(F)                                               \
  NUMI_ITCH_HEAD(F) F(Alpha4, mpid, 11, 4) F(Stock, stock, 15, 8) F(char, primary_market_maker, 23, 1) \
  F(char, market_maker_mode, 24, 1) F(char, market_participant_state, 25, 1)
#define NUMI_ITCH_FIELDS_MwcbDeclineLevel(F) \
  NUMI_ITCH_HEAD(F) F(uint64_t, level_1, 11, 8) F(uint64_t, level_2, 19, 8) F(uint64_t, level_3, 27, 8)
#define NUMI_ITCH_FIELDS_MwcbStatusLevel(F) NUMI_ITCH_HEAD(F) F(char, breached_level, 11, 1)
#define NUMI_ITCH_FIELDS_IpoQuotingPeriodUpdate(F)                                   \
  NUMI_ITCH_HEAD(F) F(Stock, stock, 11, 8) F(uint32_t, ipo_quotation_release_time, 19, 4) \
  F(char, ipo_quotation_release_qualifier, 23, 1) F(uint32_t, ipo_price, 24, 4)
#define NUMI_ITCH_FIELDS_LuldAuctionCollar(F)                                                       \
  NUMI_ITCH_HEAD(F) F(Stock, stock, 11, 8) F(uint32_t, auction_collar_reference_price, 19, 4)          \
  F(uint32_t, upper_auction_collar_price, 23, 4) F(uint32_t, lower_auction_collar_price, 27, 4) \
  F(uint32_t, auction_collar_extension, 31, 4)
#define NUMI_ITCH_FIELDS_OperationalHalt(F) \
  NUMI_ITCH_HEAD(F) F(Stock, stock, 11, 8) F(char, market_code, 19, 1) F(char, operational_halt_action, 20, 1)
#define NUMI_ITCH_FIELDS_AddOrder(F)                                                                    \
  NUMI_ITCH_HEAD(F) F(uint64_t, order_reference_number, 11, 8) F(char, buy_sell_indicator, 19, 1)          \
  F(uint32_t, shares, 20, 4) F(Stock, stock, 24, 8) F(uint32_t, price, 32, 4)
#define NUMI_ITCH_FIELDS_AddOrderMpid(F)                                                                \
  NUMI_ITCH_HEAD(F) F(uint64_t, order_reference_number, 11, 8) F(char, buy_sell_indicator, 19, 1)          \
  F(uint32_t, shares, 20, 4) F(Stock, stock, 24, 8) F(uint32_t, price, 32, 4) F(Alpha4, attribution, 36, 4)
#define NUMI_ITCH_FIELDS_OrderExecuted(F)                                                                \
  NUMI_ITCH_HEAD(F) F(uint64_t, order_reference_number, 11, 8) F(uint32_t, executed_shares, 19, 4) \
  F(uint64_t, match_number, 23, 8)
#define NUMI_ITCH_FIELDS_OrderExecutedWithPrice(F)                                                       \
  NUMI_ITCH_HEAD(F) F(uint64_t, order_reference_number, 11, 8) F(uint32_t, executed_shares, 19, 4) \
  F(uint64_t, match_number, 23, 8) F(char, printable, 31, 1) F(uint32_t, execution_price, 32, 4)
#define NUMI_ITCH_FIELDS_OrderCancel(F) \
  NUMI_ITCH_HEAD(F) F(uint64_t, order_reference_number, 11, 8) F(uint32_t, canceled_shares, 19, 4)
#define NUMI_ITCH_FIELDS_OrderDelete(F) NUMI_ITCH_HEAD(F) F(uint64_t, order_reference_number, 11, 8)
#define NUMI_ITCH_FIELDS_OrderReplace(F)                                                                        \
  NUMI_ITCH_HEAD(F) F(uint64_t, original_order_reference_number, 11, 8) F(uint64_t, new_order_reference_number, 19, 8) \
  F(uint32_t, shares, 27, 4) F(uint32_t, price, 31, 4)
#define NUMI_ITCH_FIELDS_NonCrossTrade(F)                                                               \
  NUMI_ITCH_HEAD(F) F(uint64_t, order_reference_number, 11, 8) F(char, buy_sell_indicator, 19, 1)          \
  F(uint32_t, shares, 20, 4) F(Stock, stock, 24, 8) F(uint32_t, price, 32, 4) F(uint64_t, match_number, 36, 8)
#define NUMI_ITCH_FIELDS_CrossTrade(F)                                                                    \
  NUMI_ITCH_HEAD(F) F(uint64_t, cross_shares, 11, 8) F(Stock, stock, 19, 8) F(uint32_t, cross_price, 27, 4) \
  F(uint64_t, match_number, 31, 8) F(char, cross_type, 39, 1)
#define NUMI_ITCH_FIELDS_BrokenTrade(F) NUMI_ITCH_HEAD(F) F(uint64_t, match_number, 11, 8)
#define NUMI_ITCH_FIELDS_NetOrderImbalanceIndicator(F)                                                      \
  NUMI_ITCH_HEAD(F) F(uint64_t, paired_shares, 11, 8) F(uint64_t, imbalance_shares, 19, 8)                   \
  F(char, imbalance_direction, 27, 1) F(Stock, stock, 28, 8) F(uint32_t, far_price, 36, 4)                   \
  F(uint32_t, near_price, 40, 4) F(uint32_t, current_reference_price, 44, 4) F(char, cross_type, 48, 1) \
  F(char, price_variation_indicator, 49, 1)
#define NUMI_ITCH_FIELDS_RetailPriceImprovementIndicator(F) \
  NUMI_ITCH_HEAD(F) F(Stock, stock, 11, 8) F(char, interest_flag, 19, 1)
#define NUMI_ITCH_FIELDS_DirectListingPriceDiscovery(F)                                                   \
  NUMI_ITCH_HEAD(F) F(Stock, stock, 11, 8) F(char, open_eligibility_status, 19, 1)                           \
  F(uint32_t, minimum_allowable_price, 20, 4) F(uint32_t, maximum_allowable_price, 24, 4)                    \
  F(uint32_t, near_execution_price, 28, 4) F(uint64_t, near_execution_time, 32, 8)                          \
  F(uint32_t, lower_price_range_collar, 40, 4) F(uint32_t, upper_price_range_collar, 44, 4)

// ---- The message table: X(type char, struct, spec name, exact length in bytes) ---------------------------
#define NUMI_ITCH_MESSAGES(X)                                                                   \
  X('S', SystemEvent, "System Event", 12)                                                       \
  X('R', StockDirectory, "Stock Directory", 39)                                                 \
  X('H', StockTradingAction, "Stock Trading Action", 25)                                        \
  X('Y', RegShoRestriction, "Reg Sho Short Sale Price Test Restricted Indicator", 20)           \
  X('L', MarketParticipantPosition, "Market Participant Position", 26)                          \
  X('V', MwcbDeclineLevel, "Mwcb Decline Level", 35)                                            \
  X('W', MwcbStatusLevel, "Mwcb Status Level", 12)                                              \
  X('K', IpoQuotingPeriodUpdate, "IPO Quoting Period Update", 28)                               \
  X('J', LuldAuctionCollar, "Luld Auction Collar", 35)                                          \
  X('h', OperationalHalt, "Operational Halt", 21)                                               \
  X('A', AddOrder, "Add Order No Mpid Attribution", 36)                                         \
  X('F', AddOrderMpid, "Add Order With Mpid Attribution", 40)                                   \
  X('E', OrderExecuted, "Order Executed", 31)                                                   \
  X('C', OrderExecutedWithPrice, "Order Executed With Price", 36)                               \
  X('X', OrderCancel, "Order Cancel", 23)                                                       \
  X('D', OrderDelete, "Order Delete", 19)                                                       \
  X('U', OrderReplace, "Order Replace", 35)                                                     \
  X('P', NonCrossTrade, "Non Cross Trade", 44)                                                  \
  X('Q', CrossTrade, "Cross Trade", 40)                                                         \
  X('B', BrokenTrade, "Broken Trade", 19)                                                       \
  X('I', NetOrderImbalanceIndicator, "Net Order Imbalance Indicator", 50)                       \
  X('N', RetailPriceImprovementIndicator, "Retail Price Improvement Indicator", 20)             \
  X('O', DirectListingPriceDiscovery, "Direct Listing With Capital Raise Price Discovery", 48)

// One field's place on the wire.
struct FieldLayout {
  std::size_t offset;
  std::size_t length;
  bool type_fits;
};

// True when the fields tile [1, length) exactly, in order, each with a C++ type that holds it.
template <std::size_t N>
[[nodiscard]] constexpr bool fields_tile_message(const std::array<FieldLayout, N>& fields, std::size_t length) {
  std::size_t next = 1;  // offset 0 is the message type byte
  for (const FieldLayout& f : fields) {
    if (f.offset != next || !f.type_fits) return false;
    next = f.offset + f.length;
  }
  return next == length;
}

#define NUMI_ITCH_FIELD_DECL(T, name, off, len) T name{};
#define NUMI_ITCH_FIELD_LAYOUT(T, name, off, len) FieldLayout{off, len, wire::field_type_fits<T>(len)},
#define NUMI_ITCH_FIELD_LOAD(T, name, off, len) m.name = wire::load_field<T, len>(p + (off));
#define NUMI_ITCH_FIELD_STORE(T, name, off, len) wire::store_field<len>(out + (off), m.name);

// Struct per message: fields in wire order, plus kType, kLength, kName and the field layout.
#define NUMI_ITCH_DECLARE(ch, Name, spec_name, len)                                                     \
  struct Name {                                                                                         \
    static constexpr char kType = ch;                                                                   \
    static constexpr std::size_t kLength = len;                                                         \
    static constexpr std::string_view kName = spec_name;                                                \
    NUMI_ITCH_FIELDS_##Name(NUMI_ITCH_FIELD_DECL) friend bool operator==(const Name&, const Name&) = default; \
  };                                                                                                    \
  inline constexpr std::array kLayout##Name = {NUMI_ITCH_FIELDS_##Name(NUMI_ITCH_FIELD_LAYOUT)};         \
  static_assert(fields_tile_message(kLayout##Name, len),                                                \
                "ITCH 5.0 spec table: fields of " spec_name " must tile the message exactly");          \
  /* Loads every field of a message whose type and exact length the caller has checked. */             \
  inline void load(const std::byte* p, Name& m) noexcept { NUMI_ITCH_FIELDS_##Name(NUMI_ITCH_FIELD_LOAD) } \
  /* Writes the message (type byte + fields, big-endian) to out[0, kLength); returns kLength. */        \
  inline std::size_t encode(const Name& m, std::byte* out) noexcept {                                   \
    out[0] = static_cast<std::byte>(ch);                                                                \
    NUMI_ITCH_FIELDS_##Name(NUMI_ITCH_FIELD_STORE) return len;                                          \
  }

NUMI_ITCH_MESSAGES(NUMI_ITCH_DECLARE)

// The exact lengths, written out a second time from the spec table, so an edit to either place fails here.
static_assert(SystemEvent::kLength == 12 && StockDirectory::kLength == 39 && StockTradingAction::kLength == 25 &&
                  RegShoRestriction::kLength == 20 && MarketParticipantPosition::kLength == 26 &&
                  MwcbDeclineLevel::kLength == 35 && MwcbStatusLevel::kLength == 12 &&
                  IpoQuotingPeriodUpdate::kLength == 28 && LuldAuctionCollar::kLength == 35 &&
                  OperationalHalt::kLength == 21 && AddOrder::kLength == 36 && AddOrderMpid::kLength == 40 &&
                  OrderExecuted::kLength == 31 && OrderExecutedWithPrice::kLength == 36 &&
                  OrderCancel::kLength == 23 && OrderDelete::kLength == 19 && OrderReplace::kLength == 35 &&
                  NonCrossTrade::kLength == 44 && CrossTrade::kLength == 40 && BrokenTrade::kLength == 19 &&
                  NetOrderImbalanceIndicator::kLength == 50 && RetailPriceImprovementIndicator::kLength == 20 &&
                  DirectListingPriceDiscovery::kLength == 48,
              "ITCH 5.0 spec table: message lengths");

// One row of the message table, for tools and tests.
struct MessageInfo {
  char type;
  std::string_view name;
  std::size_t length;
};

#define NUMI_ITCH_INFO_ROW(ch, Name, spec_name, len) MessageInfo{ch, spec_name, len},
inline constexpr std::array kMessageTable = {NUMI_ITCH_MESSAGES(NUMI_ITCH_INFO_ROW)};
#undef NUMI_ITCH_INFO_ROW
static_assert(kMessageTable.size() == 23, "ITCH 5.0 defines 23 message types");

// Exact length by type byte; 0 = not an ITCH 5.0 message type.
inline constexpr std::array<uint8_t, 256> kLengthByType = [] {
  std::array<uint8_t, 256> t{};
  for (const MessageInfo& m : kMessageTable) t[static_cast<uint8_t>(m.type)] = static_cast<uint8_t>(m.length);
  return t;
}();

// The spec name of a message type ("Add Order No Mpid Attribution"), or "Unknown".
[[nodiscard]] constexpr std::string_view message_type_name(char type) noexcept {
  for (const MessageInfo& m : kMessageTable) {
    if (m.type == type) return m.name;
  }
  return "Unknown";
}

// Builds a Stock field from text: copies up to 8 characters and pads with spaces.
[[nodiscard]] constexpr Stock make_stock(std::string_view s) noexcept {
  Stock out{};
  for (std::size_t i = 0; i < out.size(); ++i) out[i] = i < s.size() ? s[i] : ' ';
  return out;
}

// The stock symbol without its space padding.
[[nodiscard]] inline std::string_view stock_view(const Stock& s) noexcept {
  std::size_t n = s.size();
  while (n > 0 && s[n - 1] == ' ') --n;
  return {s.data(), n};
}

}  // namespace numi::codec::itch
// clang-format on
