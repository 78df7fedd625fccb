// EOBI T7 14.1 typed messages: one plain struct per template (fields = spec names in snake_case), bound to
// the descriptor table of wire_table.hpp by MessageFields<Msg>::kMembers (pointers-to-member in table order).
// The generic load_message/store_message walk table row + member list together, so decoder and encoder share
// one code path and a type mismatch between table and struct fails to compile.
// Main types: Side, PacketHeader, OrderAdd, ... SnapshotOrder, MessageFields<>, load_message, store_message.
// Thread-safety: plain values and pure functions.
// Hand-laid wire tables / byte fixtures (one field per line with its spec comment): not reformatted.
// clang-format off
#pragma once

#include <cstddef>
#include <cstdint>
#include <tuple>
#include <type_traits>
#include <utility>

#include "numi/codec/eobi/wire_table.hpp"

namespace numi::codec::eobi {

enum class Side : uint8_t { kBuy = 1, kSell = 2 };

// Decimals: int64 prices carry 8 implied decimal places, quantities 4 (10,000 = one lot).
using Price = int64_t;
using Qty = int64_t;

struct PacketHeader {
  static constexpr uint16_t kTemplateId = template_id::kPacketHeader;
  uint32_t appl_seq_num;
  int32_t market_segment_id;
  uint8_t partition_id;
  uint8_t completion_indicator;  // 1: this packet completes an update (the book is consistent after it)
  uint8_t appl_seq_reset_indicator;
  uint8_t dscp;
  uint64_t transact_time;
  bool operator==(const PacketHeader&) const = default;
};

struct Heartbeat {
  static constexpr uint16_t kTemplateId = template_id::kHeartbeat;
  uint32_t last_msg_seq_num_processed;
  bool operator==(const Heartbeat&) const = default;
};

struct OrderAdd {
  static constexpr uint16_t kTemplateId = template_id::kOrderAdd;
  uint64_t request_time;
  int64_t security_id;
  uint64_t trd_reg_ts_time_priority;
  Qty display_qty;
  Side side;
  uint8_t ord_type;
  uint8_t hhi_indicator;
  Price price;
  bool operator==(const OrderAdd&) const = default;
};

struct OrderModify {
  static constexpr uint16_t kTemplateId = template_id::kOrderModify;
  uint64_t request_time;
  uint64_t trd_reg_ts_prev_time_priority;
  Price prev_price;
  Qty prev_display_qty;
  int64_t security_id;
  uint64_t trd_reg_ts_time_priority;
  Qty display_qty;
  Side side;
  uint8_t ord_type;
  uint8_t hhi_indicator;
  Price price;
  uint8_t prev_price_hhi_indicator;
  bool operator==(const OrderModify&) const = default;
};

struct OrderDelete {
  static constexpr uint16_t kTemplateId = template_id::kOrderDelete;
  uint64_t request_time;
  uint64_t transact_time;
  int64_t security_id;
  uint64_t trd_reg_ts_time_priority;
  Qty display_qty;
  Side side;
  uint8_t ord_type;
  uint8_t hhi_indicator;
  Price price;
  bool operator==(const OrderDelete&) const = default;
};

struct OrderMassDelete {
  static constexpr uint16_t kTemplateId = template_id::kOrderMassDelete;
  int64_t security_id;
  uint64_t transact_time;
  bool operator==(const OrderMassDelete&) const = default;
};

// FullOrderExecution (13104) and PartialOrderExecution (13105) share one layout but stay distinct types.
template <uint16_t Id>
struct OrderExecution {
  static constexpr uint16_t kTemplateId = Id;
  Side side;
  uint8_t ord_type;
  uint8_t algorithmic_trade_indicator;
  uint8_t hhi_indicator;
  uint32_t trd_match_id;
  Price price;
  uint64_t trd_reg_ts_time_priority;
  int64_t security_id;
  Qty last_qty;
  Price last_px;
  bool operator==(const OrderExecution&) const = default;
};
using FullOrderExecution = OrderExecution<template_id::kFullOrderExecution>;
using PartialOrderExecution = OrderExecution<template_id::kPartialOrderExecution>;

struct OrderModifySamePrio {
  static constexpr uint16_t kTemplateId = template_id::kOrderModifySamePrio;
  uint64_t request_time;
  uint64_t transact_time;
  Qty prev_display_qty;
  int64_t security_id;
  uint64_t trd_reg_ts_time_priority;
  Qty display_qty;
  Side side;
  uint8_t ord_type;
  uint8_t hhi_indicator;
  Price price;
  bool operator==(const OrderModifySamePrio&) const = default;
};

struct TradeReversal {
  static constexpr uint16_t kTemplateId = template_id::kTradeReversal;
  int64_t security_id;
  uint64_t transact_time;
  Qty last_qty;
  Price last_px;
  uint64_t trd_reg_ts_execution_time;
  uint32_t trd_match_id;
  uint16_t trade_condition;
  uint8_t md_origin_type;
  uint8_t no_md_entries;  // repeating group entries follow the root block (skipped by the decoder)
  bool operator==(const TradeReversal&) const = default;
};

struct TradeReport {
  static constexpr uint16_t kTemplateId = template_id::kTradeReport;
  int64_t security_id;
  uint64_t transact_time;
  Qty last_qty;
  Price last_px;
  uint32_t trd_match_id;
  uint8_t match_type;
  uint8_t match_sub_type;
  uint8_t algorithmic_trade_indicator;
  uint16_t trade_condition;
  bool operator==(const TradeReport&) const = default;
};

struct ExecutionSummary {
  static constexpr uint16_t kTemplateId = template_id::kExecutionSummary;
  int64_t security_id;
  uint64_t request_time;
  uint64_t exec_id;
  Qty last_qty;
  Side aggressor_side;
  uint16_t trade_condition;
  uint8_t trading_hhi_indicator;
  Price last_px;
  uint64_t trd_reg_ts_prev_time_priority;
  Qty display_qty;
  Price price;
  Qty resting_hidden_qty;
  Qty resting_cxl_qty;
  uint64_t aggressor_time;
  bool operator==(const ExecutionSummary&) const = default;
};

struct ProductStateChange {
  static constexpr uint16_t kTemplateId = template_id::kProductStateChange;
  uint8_t trading_session_id;
  uint8_t trading_session_sub_id;
  uint8_t trad_ses_status;
  uint8_t market_condition;
  uint8_t fast_market_indicator;
  uint8_t tes_trad_ses_status;
  uint64_t transact_time;
  bool operator==(const ProductStateChange&) const = default;
};

struct InstrumentStateChange {
  static constexpr uint16_t kTemplateId = template_id::kInstrumentStateChange;
  int64_t security_id;
  uint8_t security_status;
  uint8_t security_trading_status;
  uint8_t market_condition;
  uint8_t fast_market_indicator;
  uint8_t security_trading_event;
  uint8_t sold_out_indicator;
  Price high_px;
  Price low_px;
  uint64_t transact_time;
  uint8_t tes_security_status;
  bool operator==(const InstrumentStateChange&) const = default;
};

struct ProductSummary {
  static constexpr uint16_t kTemplateId = template_id::kProductSummary;
  uint32_t last_msg_seq_num_processed;
  uint8_t trading_session_id;
  uint8_t trading_session_sub_id;
  uint8_t trad_ses_status;
  uint8_t market_condition;
  uint8_t fast_market_indicator;
  uint8_t tes_trad_ses_status;
  bool operator==(const ProductSummary&) const = default;
};

struct InstrumentSummary {
  static constexpr uint16_t kTemplateId = template_id::kInstrumentSummary;
  int64_t security_id;
  uint64_t last_update_time;
  uint64_t trd_reg_ts_execution_time;
  uint16_t tot_no_orders;
  uint8_t security_status;
  uint8_t security_trading_status;
  uint8_t market_condition;
  uint8_t fast_market_indicator;
  uint8_t security_trading_event;
  uint8_t sold_out_indicator;
  Price high_px;
  Price low_px;
  uint8_t product_complex;
  uint8_t no_md_entries;  // repeating group entries follow the root block (skipped by the decoder)
  uint8_t tes_security_status;
  bool operator==(const InstrumentSummary&) const = default;
};

struct SnapshotOrder {
  static constexpr uint16_t kTemplateId = template_id::kSnapshotOrder;
  uint64_t trd_reg_ts_time_priority;
  Qty display_qty;
  Side side;
  uint8_t ord_type;
  uint8_t hhi_indicator;
  Price price;
  bool operator==(const SnapshotOrder&) const = default;
};

// ---- binding: members in the order of the table's field list for the struct's template id ----
template <typename Msg>
struct MessageFields;

// clang-format off
template <> struct MessageFields<PacketHeader> {
  static constexpr auto kMembers = std::tuple{
      &PacketHeader::appl_seq_num, &PacketHeader::market_segment_id, &PacketHeader::partition_id,
      &PacketHeader::completion_indicator, &PacketHeader::appl_seq_reset_indicator, &PacketHeader::dscp,
      &PacketHeader::transact_time};
};
template <> struct MessageFields<Heartbeat> {
  static constexpr auto kMembers = std::tuple{&Heartbeat::last_msg_seq_num_processed};
};
template <> struct MessageFields<OrderAdd> {
  static constexpr auto kMembers = std::tuple{
      &OrderAdd::request_time, &OrderAdd::security_id, &OrderAdd::trd_reg_ts_time_priority,
      &OrderAdd::display_qty, &OrderAdd::side, &OrderAdd::ord_type, &OrderAdd::hhi_indicator, &OrderAdd::price};
};
template <> struct MessageFields<OrderModify> {
  static constexpr auto kMembers = std::tuple{
      &OrderModify::request_time, &OrderModify::trd_reg_ts_prev_time_priority, &OrderModify::prev_price,
      &OrderModify::prev_display_qty, &OrderModify::security_id, &OrderModify::trd_reg_ts_time_priority,
      &OrderModify::display_qty, &OrderModify::side, &OrderModify::ord_type, &OrderModify::hhi_indicator,
      &OrderModify::price, &OrderModify::prev_price_hhi_indicator};
};
template <> struct MessageFields<OrderDelete> {
  static constexpr auto kMembers = std::tuple{
      &OrderDelete::request_time, &OrderDelete::transact_time, &OrderDelete::security_id,
      &OrderDelete::trd_reg_ts_time_priority, &OrderDelete::display_qty, &OrderDelete::side,
      &OrderDelete::ord_type, &OrderDelete::hhi_indicator, &OrderDelete::price};
};
template <> struct MessageFields<OrderMassDelete> {
  static constexpr auto kMembers = std::tuple{&OrderMassDelete::security_id, &OrderMassDelete::transact_time};
};
template <uint16_t Id> struct MessageFields<OrderExecution<Id>> {
  using M = OrderExecution<Id>;
  static constexpr auto kMembers = std::tuple{
      &M::side, &M::ord_type, &M::algorithmic_trade_indicator, &M::hhi_indicator, &M::trd_match_id, &M::price,
      &M::trd_reg_ts_time_priority, &M::security_id, &M::last_qty, &M::last_px};
};
template <> struct MessageFields<OrderModifySamePrio> {
  using M = OrderModifySamePrio;
  static constexpr auto kMembers = std::tuple{
      &M::request_time, &M::transact_time, &M::prev_display_qty, &M::security_id, &M::trd_reg_ts_time_priority,
      &M::display_qty, &M::side, &M::ord_type, &M::hhi_indicator, &M::price};
};
template <> struct MessageFields<TradeReversal> {
  using M = TradeReversal;
  static constexpr auto kMembers = std::tuple{
      &M::security_id, &M::transact_time, &M::last_qty, &M::last_px, &M::trd_reg_ts_execution_time,
      &M::trd_match_id, &M::trade_condition, &M::md_origin_type, &M::no_md_entries};
};
template <> struct MessageFields<TradeReport> {
  using M = TradeReport;
  static constexpr auto kMembers = std::tuple{
      &M::security_id, &M::transact_time, &M::last_qty, &M::last_px, &M::trd_match_id, &M::match_type,
      &M::match_sub_type, &M::algorithmic_trade_indicator, &M::trade_condition};
};
template <> struct MessageFields<ExecutionSummary> {
  using M = ExecutionSummary;
  static constexpr auto kMembers = std::tuple{
      &M::security_id, &M::request_time, &M::exec_id, &M::last_qty, &M::aggressor_side, &M::trade_condition,
      &M::trading_hhi_indicator, &M::last_px, &M::trd_reg_ts_prev_time_priority, &M::display_qty, &M::price,
      &M::resting_hidden_qty, &M::resting_cxl_qty, &M::aggressor_time};
};
template <> struct MessageFields<ProductStateChange> {
  using M = ProductStateChange;
  static constexpr auto kMembers = std::tuple{
      &M::trading_session_id, &M::trading_session_sub_id, &M::trad_ses_status, &M::market_condition,
      &M::fast_market_indicator, &M::tes_trad_ses_status, &M::transact_time};
};
template <> struct MessageFields<InstrumentStateChange> {
  using M = InstrumentStateChange;
  static constexpr auto kMembers = std::tuple{
      &M::security_id, &M::security_status, &M::security_trading_status, &M::market_condition,
      &M::fast_market_indicator, &M::security_trading_event, &M::sold_out_indicator, &M::high_px, &M::low_px,
      &M::transact_time, &M::tes_security_status};
};
template <> struct MessageFields<ProductSummary> {
  using M = ProductSummary;
  static constexpr auto kMembers = std::tuple{
      &M::last_msg_seq_num_processed, &M::trading_session_id, &M::trading_session_sub_id, &M::trad_ses_status,
      &M::market_condition, &M::fast_market_indicator, &M::tes_trad_ses_status};
};
template <> struct MessageFields<InstrumentSummary> {
  using M = InstrumentSummary;
  static constexpr auto kMembers = std::tuple{
      &M::security_id, &M::last_update_time, &M::trd_reg_ts_execution_time, &M::tot_no_orders,
      &M::security_status, &M::security_trading_status, &M::market_condition, &M::fast_market_indicator,
      &M::security_trading_event, &M::sold_out_indicator, &M::high_px, &M::low_px, &M::product_complex,
      &M::no_md_entries, &M::tes_security_status};
};
template <> struct MessageFields<SnapshotOrder> {
  using M = SnapshotOrder;
  static constexpr auto kMembers = std::tuple{
      &M::trd_reg_ts_time_priority, &M::display_qty, &M::side, &M::ord_type, &M::hhi_indicator, &M::price};
};
// clang-format on

// Every struct bound to a table row (the PacketHeader first), in table order.
using AllMessages = std::tuple<PacketHeader, Heartbeat, OrderAdd, OrderModify, OrderDelete, OrderMassDelete,
                               FullOrderExecution, PartialOrderExecution, OrderModifySamePrio, TradeReversal,
                               TradeReport, ExecutionSummary, ProductStateChange, InstrumentStateChange,
                               ProductSummary, InstrumentSummary, SnapshotOrder>;

namespace detail {

template <FieldType T>
struct WireCpp;
template <>
struct WireCpp<FieldType::kU8> {
  using type = uint8_t;
};
template <>
struct WireCpp<FieldType::kU16> {
  using type = uint16_t;
};
template <>
struct WireCpp<FieldType::kU32> {
  using type = uint32_t;
};
template <>
struct WireCpp<FieldType::kU64> {
  using type = uint64_t;
};
template <>
struct WireCpp<FieldType::kI32> {
  using type = int32_t;
};
template <>
struct WireCpp<FieldType::kI64> {
  using type = int64_t;
};
template <>
struct WireCpp<FieldType::kPrice> {
  using type = Price;
};
template <>
struct WireCpp<FieldType::kQty> {
  using type = Qty;
};
template <>
struct WireCpp<FieldType::kSide> {
  using type = Side;
};

template <typename C, typename M>
M member_type_of(M C::*);

template <typename Msg>
inline constexpr const TemplateDesc& kDescOf = kTemplates[template_index(Msg::kTemplateId)];

template <typename Msg, std::size_t... I>
constexpr bool binding_matches(std::index_sequence<I...>) noexcept {
  constexpr auto& d = kDescOf<Msg>;
  return ((std::is_same_v<decltype(member_type_of(std::get<I>(MessageFields<Msg>::kMembers))),
                          typename WireCpp<d.fields[I].type>::type>)&&...);
}

template <typename Msg>
constexpr bool binding_ok() noexcept {
  constexpr std::size_t n = std::tuple_size_v<decltype(MessageFields<Msg>::kMembers)>;
  if constexpr (template_index(Msg::kTemplateId) == kNoTemplate) {
    return false;
  } else if constexpr (n != kDescOf<Msg>.fields.size()) {
    return false;
  } else {
    return binding_matches<Msg>(std::make_index_sequence<n>{});
  }
}

template <std::size_t... I>
constexpr bool all_bindings_ok(std::index_sequence<I...>) noexcept {
  return ((binding_ok<std::tuple_element_t<I, AllMessages>>() &&
           std::tuple_element_t<I, AllMessages>::kTemplateId == kTemplates[I].id) &&
          ...);
}
static_assert(std::tuple_size_v<AllMessages> == kTemplates.size(), "one struct per EOBI table row");
static_assert(all_bindings_ok(std::make_index_sequence<kTemplates.size()>{}),
              "EOBI struct members must match the descriptor table (count, order and wire type)");

template <FieldType T, typename V>
inline void load_field(const std::byte* p, V& out) noexcept {
  if constexpr (T == FieldType::kSide) {
    out = static_cast<Side>(load_le<uint8_t>(p));
  } else {
    out = load_le<V>(p);
  }
}

template <FieldType T, typename V>
inline void store_field(std::byte* p, const V& v) noexcept {
  if constexpr (T == FieldType::kSide) {
    store_le<uint8_t>(p, static_cast<uint8_t>(v));
  } else {
    store_le<V>(p, v);
  }
}

inline constexpr bool is_valid_side(Side s) noexcept { return s == Side::kBuy || s == Side::kSell; }

// Domain check of one loaded field: only Side has a closed domain (1 buy, 2 sell).
template <FieldType T, typename V>
inline bool field_ok(const V& v) noexcept {
  if constexpr (T == FieldType::kSide) {
    return is_valid_side(v);
  } else {
    (void)v;
    return true;
  }
}

template <typename Msg, std::size_t... I>
inline bool load_all(const std::byte* msg, Msg& out, std::index_sequence<I...>) noexcept {
  constexpr auto& d = kDescOf<Msg>;
  constexpr auto& members = MessageFields<Msg>::kMembers;
  (load_field<d.fields[I].type>(msg + d.fields[I].offset, out.*std::get<I>(members)), ...);
  return (field_ok<d.fields[I].type>(out.*std::get<I>(members)) && ...);
}

template <typename Msg, std::size_t... I>
inline void store_all(std::byte* msg, const Msg& in, std::index_sequence<I...>) noexcept {
  constexpr auto& d = kDescOf<Msg>;
  constexpr auto& members = MessageFields<Msg>::kMembers;
  (store_field<d.fields[I].type>(msg + d.fields[I].offset, in.*std::get<I>(members)), ...);
}

}  // namespace detail

// The table row for a message type.
template <typename Msg>
[[nodiscard]] constexpr const TemplateDesc& descriptor() noexcept {
  return detail::kDescOf<Msg>;
}

// Reads every root-block field of `Msg` from `msg` (which points at the message header and has at least
// descriptor<Msg>().root_len readable bytes). Returns false if a Side field is neither 1 nor 2.
template <typename Msg>
[[nodiscard]] inline bool load_message(const std::byte* msg, Msg& out) noexcept {
  constexpr std::size_t n = std::tuple_size_v<decltype(MessageFields<Msg>::kMembers)>;
  return detail::load_all(msg, out, std::make_index_sequence<n>{});
}

// Writes every root-block field of `Msg` at its table offset (header and padding are the caller's).
template <typename Msg>
inline void store_message(std::byte* msg, const Msg& in) noexcept {
  constexpr std::size_t n = std::tuple_size_v<decltype(MessageFields<Msg>::kMembers)>;
  detail::store_all(msg, in, std::make_index_sequence<n>{});
}

}  // namespace numi::codec::eobi
// clang-format on
