// EOBI T7 14.1 wire contract: the ONE descriptor table (template id, name, root block length, field list with
// offsets and wire types) that the typed decoder, the encoder and the tests are all generated from.
// Main types: FieldType, FieldDesc, TemplateDesc, kTemplates, template_desc(id), load_le/store_le.
// Source: /work/shared/specs/eobi141.md (Deutsche Boerse T7 Enhanced Order Book Interface, release 14.1).
// Thread-safety: constants and pure functions only.
// Hand-laid wire tables / byte fixtures (one field per line with its spec comment): not reformatted.
// clang-format off
#pragma once

#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <string_view>
#include <type_traits>

namespace numi::codec::eobi {

// Wire type of one field. Decimals are int64 with implied places: prices 8, quantities 4 (10,000 = 1 lot).
// kSide is a u8 whose only valid values are 1 (buy) and 2 (sell); anything else is counted and dropped.
enum class FieldType : uint8_t { kU8, kU16, kU32, kU64, kI32, kI64, kPrice, kQty, kSide };

[[nodiscard]] constexpr std::size_t field_width(FieldType t) noexcept {
  switch (t) {
    case FieldType::kU8:
    case FieldType::kSide: return 1;
    case FieldType::kU16: return 2;
    case FieldType::kU32:
    case FieldType::kI32: return 4;
    case FieldType::kU64:
    case FieldType::kI64:
    case FieldType::kPrice:
    case FieldType::kQty: return 8;
  }
  return 0;
}

struct FieldDesc {
  std::string_view name;  // spec name (e.g. "TrdRegTSTimePriority")
  uint16_t offset;        // from the start of the message header
  FieldType type;
};

struct TemplateDesc {
  uint16_t id;
  std::string_view name;
  uint16_t root_len;  // root block length incl. the 8-byte message header; BodyLen may be larger (groups)
  std::span<const FieldDesc> fields;
};

// Message header (every message, including the PacketHeader): BodyLen u16 @0, TemplateID u16 @2, MsgSeqNum u32 @4.
inline constexpr std::size_t kMessageHeaderLen = 8;
inline constexpr std::size_t kBodyLenOffset = 0;
inline constexpr std::size_t kTemplateIdOffset = 2;
inline constexpr std::size_t kMsgSeqNumOffset = 4;

namespace template_id {
inline constexpr uint16_t kPacketHeader = 13002;
inline constexpr uint16_t kHeartbeat = 13001;
inline constexpr uint16_t kOrderAdd = 13100;
inline constexpr uint16_t kOrderModify = 13101;
inline constexpr uint16_t kOrderDelete = 13102;
inline constexpr uint16_t kOrderMassDelete = 13103;
inline constexpr uint16_t kFullOrderExecution = 13104;
inline constexpr uint16_t kPartialOrderExecution = 13105;
inline constexpr uint16_t kOrderModifySamePrio = 13106;
inline constexpr uint16_t kTradeReversal = 13200;
inline constexpr uint16_t kTradeReport = 13201;
inline constexpr uint16_t kExecutionSummary = 13202;
inline constexpr uint16_t kProductStateChange = 13300;
inline constexpr uint16_t kInstrumentStateChange = 13301;
inline constexpr uint16_t kProductSummary = 13600;
inline constexpr uint16_t kInstrumentSummary = 13601;
inline constexpr uint16_t kSnapshotOrder = 13602;
}  // namespace template_id

// Known templates that numi passes over (counted as eobi_skipped_template_total).
inline constexpr std::array<uint16_t, 10> kSkippedTemplateIds{13203, 13302, 13400, 13401, 13402, 13500, 13501,
                                                              13502, 13503, 13504};

namespace fields {
using enum FieldType;
// clang-format off
inline constexpr std::array<FieldDesc, 7> kPacketHeader{{
    {"ApplSeqNum", 8, kU32}, {"MarketSegmentID", 12, kI32}, {"PartitionID", 16, kU8},
    {"CompletionIndicator", 17, kU8}, {"ApplSeqResetIndicator", 18, kU8}, {"DSCP", 19, kU8},
    {"TransactTime", 24, kU64}}};
inline constexpr std::array<FieldDesc, 1> kHeartbeat{{{"LastMsgSeqNumProcessed", 8, kU32}}};
inline constexpr std::array<FieldDesc, 8> kOrderAdd{{
    {"RequestTime", 8, kU64}, {"SecurityID", 16, kI64}, {"TrdRegTSTimePriority", 24, kU64},
    {"DisplayQty", 32, kQty}, {"Side", 40, kSide}, {"OrdType", 41, kU8}, {"HHIIndicator", 42, kU8},
    {"Price", 48, kPrice}}};
inline constexpr std::array<FieldDesc, 12> kOrderModify{{
    {"RequestTime", 8, kU64}, {"TrdRegTSPrevTimePriority", 16, kU64}, {"PrevPrice", 24, kPrice},
    {"PrevDisplayQty", 32, kQty}, {"SecurityID", 40, kI64}, {"TrdRegTSTimePriority", 48, kU64},
    {"DisplayQty", 56, kQty}, {"Side", 64, kSide}, {"OrdType", 65, kU8}, {"HHIIndicator", 66, kU8},
    {"Price", 72, kPrice}, {"PrevPriceHHIIndicator", 80, kU8}}};
inline constexpr std::array<FieldDesc, 9> kOrderDelete{{
    {"RequestTime", 8, kU64}, {"TransactTime", 16, kU64}, {"SecurityID", 24, kI64},
    {"TrdRegTSTimePriority", 32, kU64}, {"DisplayQty", 40, kQty}, {"Side", 48, kSide}, {"OrdType", 49, kU8},
    {"HHIIndicator", 50, kU8}, {"Price", 56, kPrice}}};
inline constexpr std::array<FieldDesc, 2> kOrderMassDelete{{{"SecurityID", 8, kI64}, {"TransactTime", 16, kU64}}};
// Shared by FullOrderExecution (13104) and PartialOrderExecution (13105): identical layouts.
inline constexpr std::array<FieldDesc, 10> kOrderExecution{{
    {"Side", 8, kSide}, {"OrdType", 9, kU8}, {"AlgorithmicTradeIndicator", 10, kU8}, {"HHIIndicator", 11, kU8},
    {"TrdMatchID", 12, kU32}, {"Price", 16, kPrice}, {"TrdRegTSTimePriority", 24, kU64},
    {"SecurityID", 32, kI64}, {"LastQty", 40, kQty}, {"LastPx", 48, kPrice}}};
inline constexpr std::array<FieldDesc, 10> kOrderModifySamePrio{{
    {"RequestTime", 8, kU64}, {"TransactTime", 16, kU64}, {"PrevDisplayQty", 24, kQty}, {"SecurityID", 32, kI64},
    {"TrdRegTSTimePriority", 40, kU64}, {"DisplayQty", 48, kQty}, {"Side", 56, kSide}, {"OrdType", 57, kU8},
    {"HHIIndicator", 58, kU8}, {"Price", 64, kPrice}}};
inline constexpr std::array<FieldDesc, 9> kTradeReversal{{
    {"SecurityID", 8, kI64}, {"TransactTime", 16, kU64}, {"LastQty", 24, kQty}, {"LastPx", 32, kPrice},
    {"TrdRegTSExecutionTime", 40, kU64}, {"TrdMatchID", 48, kU32}, {"TradeCondition", 52, kU16},
    {"MDOriginType", 54, kU8}, {"NoMDEntries", 55, kU8}}};
inline constexpr std::array<FieldDesc, 9> kTradeReport{{
    {"SecurityID", 8, kI64}, {"TransactTime", 16, kU64}, {"LastQty", 24, kQty}, {"LastPx", 32, kPrice},
    {"TrdMatchID", 40, kU32}, {"MatchType", 44, kU8}, {"MatchSubType", 45, kU8},
    {"AlgorithmicTradeIndicator", 46, kU8}, {"TradeCondition", 48, kU16}}};
inline constexpr std::array<FieldDesc, 14> kExecutionSummary{{
    {"SecurityID", 8, kI64}, {"RequestTime", 16, kU64}, {"ExecID", 24, kU64}, {"LastQty", 32, kQty},
    {"AggressorSide", 40, kSide}, {"TradeCondition", 42, kU16}, {"TradingHHIIndicator", 44, kU8},
    {"LastPx", 48, kPrice}, {"TrdRegTSPrevTimePriority", 56, kU64}, {"DisplayQty", 64, kQty},
    {"Price", 72, kPrice}, {"RestingHiddenQty", 80, kQty}, {"RestingCxlQty", 88, kQty},
    {"AggressorTime", 96, kU64}}};
inline constexpr std::array<FieldDesc, 7> kProductStateChange{{
    {"TradingSessionID", 8, kU8}, {"TradingSessionSubID", 9, kU8}, {"TradSesStatus", 10, kU8},
    {"MarketCondition", 11, kU8}, {"FastMarketIndicator", 12, kU8}, {"TESTradSesStatus", 13, kU8},
    {"TransactTime", 16, kU64}}};
inline constexpr std::array<FieldDesc, 11> kInstrumentStateChange{{
    {"SecurityID", 8, kI64}, {"SecurityStatus", 16, kU8}, {"SecurityTradingStatus", 17, kU8},
    {"MarketCondition", 18, kU8}, {"FastMarketIndicator", 19, kU8}, {"SecurityTradingEvent", 20, kU8},
    {"SoldOutIndicator", 21, kU8}, {"HighPx", 24, kPrice}, {"LowPx", 32, kPrice}, {"TransactTime", 40, kU64},
    {"TESSecurityStatus", 48, kU8}}};
inline constexpr std::array<FieldDesc, 7> kProductSummary{{
    {"LastMsgSeqNumProcessed", 8, kU32}, {"TradingSessionID", 12, kU8}, {"TradingSessionSubID", 13, kU8},
    {"TradSesStatus", 14, kU8}, {"MarketCondition", 15, kU8}, {"FastMarketIndicator", 16, kU8},
    {"TESTradSesStatus", 17, kU8}}};
inline constexpr std::array<FieldDesc, 15> kInstrumentSummary{{
    {"SecurityID", 8, kI64}, {"LastUpdateTime", 16, kU64}, {"TrdRegTSExecutionTime", 24, kU64},
    {"TotNoOrders", 32, kU16}, {"SecurityStatus", 34, kU8}, {"SecurityTradingStatus", 35, kU8},
    {"MarketCondition", 36, kU8}, {"FastMarketIndicator", 37, kU8}, {"SecurityTradingEvent", 38, kU8},
    {"SoldOutIndicator", 39, kU8}, {"HighPx", 40, kPrice}, {"LowPx", 48, kPrice}, {"ProductComplex", 56, kU8},
    {"NoMDEntries", 57, kU8}, {"TESSecurityStatus", 58, kU8}}};
inline constexpr std::array<FieldDesc, 6> kSnapshotOrder{{
    {"TrdRegTSTimePriority", 8, kU64}, {"DisplayQty", 16, kQty}, {"Side", 24, kSide}, {"OrdType", 25, kU8},
    {"HHIIndicator", 26, kU8}, {"Price", 32, kPrice}}};
// clang-format on
}  // namespace fields

// THE table: every decoded template of EOBI 14.1 (the PacketHeader first).
inline constexpr std::array<TemplateDesc, 17> kTemplates{{
    {template_id::kPacketHeader, "PacketHeader", 32, fields::kPacketHeader},
    {template_id::kHeartbeat, "Heartbeat", 16, fields::kHeartbeat},
    {template_id::kOrderAdd, "OrderAdd", 56, fields::kOrderAdd},
    {template_id::kOrderModify, "OrderModify", 88, fields::kOrderModify},
    {template_id::kOrderDelete, "OrderDelete", 64, fields::kOrderDelete},
    {template_id::kOrderMassDelete, "OrderMassDelete", 24, fields::kOrderMassDelete},
    {template_id::kFullOrderExecution, "FullOrderExecution", 56, fields::kOrderExecution},
    {template_id::kPartialOrderExecution, "PartialOrderExecution", 56, fields::kOrderExecution},
    {template_id::kOrderModifySamePrio, "OrderModifySamePrio", 72, fields::kOrderModifySamePrio},
    {template_id::kTradeReversal, "TradeReversal", 56, fields::kTradeReversal},
    {template_id::kTradeReport, "TradeReport", 56, fields::kTradeReport},
    {template_id::kExecutionSummary, "ExecutionSummary", 104, fields::kExecutionSummary},
    {template_id::kProductStateChange, "ProductStateChange", 24, fields::kProductStateChange},
    {template_id::kInstrumentStateChange, "InstrumentStateChange", 56, fields::kInstrumentStateChange},
    {template_id::kProductSummary, "ProductSummary", 24, fields::kProductSummary},
    {template_id::kInstrumentSummary, "InstrumentSummary", 64, fields::kInstrumentSummary},
    {template_id::kSnapshotOrder, "SnapshotOrder", 40, fields::kSnapshotOrder},
}};

inline constexpr std::size_t kNoTemplate = static_cast<std::size_t>(-1);

// Index of the row for `id` in kTemplates, or kNoTemplate (index, not pointer: GCC's UBSan instrumentation
// makes pointer comparisons non-constant).
[[nodiscard]] constexpr std::size_t template_index(uint16_t id) noexcept {
  for (std::size_t i = 0; i < kTemplates.size(); ++i) {
    if (kTemplates[i].id == id) return i;
  }
  return kNoTemplate;
}

// The row for `id`, or nullptr.
[[nodiscard]] constexpr const TemplateDesc* find_template(uint16_t id) noexcept {
  const std::size_t i = template_index(id);
  return i == kNoTemplate ? nullptr : &kTemplates[i];
}

// Offset of field `name` in template `id` (SIZE_MAX if absent), for the few hand-written spots.
[[nodiscard]] constexpr std::size_t field_offset(uint16_t id, std::string_view name) noexcept {
  const std::size_t i = template_index(id);
  if (i == kNoTemplate) return static_cast<std::size_t>(-1);
  for (const FieldDesc& f : kTemplates[i].fields) {
    if (f.name == name) return f.offset;
  }
  return static_cast<std::size_t>(-1);
}

[[nodiscard]] constexpr bool is_skipped_template(uint16_t id) noexcept {
  for (uint16_t s : kSkippedTemplateIds) {
    if (s == id) return true;
  }
  return false;
}

// Structural checks over the whole table: fields sorted, non-overlapping, after the message header and
// inside the root block; ids unique and disjoint from the skipped list.
[[nodiscard]] constexpr bool table_is_well_formed() noexcept {
  for (std::size_t i = 0; i < kTemplates.size(); ++i) {
    const TemplateDesc& t = kTemplates[i];
    if (t.root_len < kMessageHeaderLen || is_skipped_template(t.id)) return false;
    for (std::size_t j = i + 1; j < kTemplates.size(); ++j) {
      if (kTemplates[j].id == t.id) return false;
    }
    std::size_t next_free = kMessageHeaderLen;
    for (const FieldDesc& f : t.fields) {
      if (f.offset < next_free) return false;
      next_free = f.offset + field_width(f.type);
      if (next_free > t.root_len) return false;
      if (f.offset % field_width(f.type) != 0) return false;  // every EOBI field is naturally aligned
    }
  }
  return true;
}
static_assert(table_is_well_formed(), "EOBI 14.1 descriptor table: overlapping/out-of-root/unaligned field");

// Root block lengths, each checked against the spec table (eobi141.md "Root block lengths").
static_assert(kTemplates[template_index(13002)].root_len == 32, "EOBI 14.1: PacketHeader is 32 bytes");
static_assert(kTemplates[template_index(13001)].root_len == 16, "EOBI 14.1: Heartbeat root is 16 bytes");
static_assert(kTemplates[template_index(13100)].root_len == 56, "EOBI 14.1: OrderAdd root is 56 bytes");
static_assert(kTemplates[template_index(13101)].root_len == 88, "EOBI 14.1: OrderModify root is 88 bytes");
static_assert(kTemplates[template_index(13102)].root_len == 64, "EOBI 14.1: OrderDelete root is 64 bytes");
static_assert(kTemplates[template_index(13103)].root_len == 24,
              "EOBI 14.1: OrderMassDelete root is 24 bytes");
static_assert(kTemplates[template_index(13104)].root_len == 56,
              "EOBI 14.1: FullOrderExecution root is 56 bytes");
static_assert(kTemplates[template_index(13105)].root_len == 56,
              "EOBI 14.1: PartialOrderExecution root is 56 bytes");
static_assert(kTemplates[template_index(13106)].root_len == 72,
              "EOBI 14.1: OrderModifySamePrio root is 72 bytes");
static_assert(kTemplates[template_index(13200)].root_len == 56, "EOBI 14.1: TradeReversal root is 56 bytes");
static_assert(kTemplates[template_index(13201)].root_len == 56, "EOBI 14.1: TradeReport root is 56 bytes");
static_assert(kTemplates[template_index(13202)].root_len == 104,
              "EOBI 14.1: ExecutionSummary root is 104 bytes");
static_assert(kTemplates[template_index(13300)].root_len == 24,
              "EOBI 14.1: ProductStateChange root is 24 bytes");
static_assert(kTemplates[template_index(13301)].root_len == 56,
              "EOBI 14.1: InstrumentStateChange root is 56 bytes");
static_assert(kTemplates[template_index(13600)].root_len == 24, "EOBI 14.1: ProductSummary root is 24 bytes");
static_assert(kTemplates[template_index(13601)].root_len == 64,
              "EOBI 14.1: InstrumentSummary root is 64 bytes");
static_assert(kTemplates[template_index(13602)].root_len == 40, "EOBI 14.1: SnapshotOrder root is 40 bytes");
static_assert(kTemplates[template_index(13002)].fields[0].offset == 8,
              "EOBI 14.1: ApplSeqNum (merge sequence) at offset 8");

// ---- explicit little-endian loads/stores (memcpy + byteswap on big-endian hosts) ----
template <typename T>
[[nodiscard]] inline T load_le(const std::byte* p) noexcept {
  static_assert(std::is_integral_v<T>);
  using U = std::make_unsigned_t<T>;
  U u;
  std::memcpy(&u, p, sizeof(U));
  if constexpr (std::endian::native == std::endian::big && sizeof(U) > 1) {
    if constexpr (sizeof(U) == 2) u = __builtin_bswap16(u);
    if constexpr (sizeof(U) == 4) u = __builtin_bswap32(u);
    if constexpr (sizeof(U) == 8) u = __builtin_bswap64(u);
  }
  return static_cast<T>(u);
}

template <typename T>
inline void store_le(std::byte* p, T value) noexcept {
  static_assert(std::is_integral_v<T>);
  using U = std::make_unsigned_t<T>;
  U u = static_cast<U>(value);
  if constexpr (std::endian::native == std::endian::big && sizeof(U) > 1) {
    if constexpr (sizeof(U) == 2) u = __builtin_bswap16(u);
    if constexpr (sizeof(U) == 4) u = __builtin_bswap32(u);
    if constexpr (sizeof(U) == 8) u = __builtin_bswap64(u);
  }
  std::memcpy(p, &u, sizeof(U));
}

}  // namespace numi::codec::eobi
// clang-format on
