// EOBI T7 14.1 packet decoder: PacketHeader (13002) + messages -> one typed callback per message
// (`h.on(const OrderAdd&, const MessageContext&)`, ...); handlers implement only the overloads they need.
// Every failure class bumps its own EobiCounter; framing errors stop the packet, per-message errors skip
// only that message. No allocation, no exceptions.
// Main types: EobiCounter, DecodeStatus, MessageContext, decode_packet(), Decoder.
// Thread-safety: a Decoder (its CounterBlock) has one writer thread; decode_packet itself is reentrant.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "numi/codec/eobi/messages.hpp"
#include "numi/codec/eobi/wire_table.hpp"
#include "numi/core/counters.hpp"

namespace numi::codec::eobi {

enum class EobiCounter : uint8_t {
  kPackets,
  kMessages,
  kTruncatedPacket,
  kBadPacketHeader,
  kTrailingBytes,
  kBodyLenTooSmall,
  kBodyLenPastPayload,
  kBelowRootLength,
  kUnknownTemplate,
  kInvalidSide,
  kSkippedTemplate,
  kCount
};

inline constexpr std::array<CounterDesc, static_cast<std::size_t>(EobiCounter::kCount)> kEobiCounterTable{{
    {"eobi_packets_total", "EOBI packets whose PacketHeader was decoded", MetricType::kCounter},
    {"eobi_messages_total", "EOBI messages delivered to the handler", MetricType::kCounter},
    {"eobi_truncated_packet_total", "EOBI packets shorter than the 32-byte PacketHeader",
     MetricType::kCounter},
    {"eobi_bad_packet_header_total",
     "EOBI packets whose first message is not a PacketHeader (13002, BodyLen>=32)", MetricType::kCounter},
    {"eobi_trailing_bytes_total", "EOBI packets ending in 1-7 bytes too short for a message header",
     MetricType::kCounter},
    {"eobi_body_len_too_small_total", "EOBI messages with BodyLen < 8 (rest of packet dropped)",
     MetricType::kCounter},
    {"eobi_body_len_past_payload_total",
     "EOBI messages whose BodyLen runs past the UDP payload (rest dropped)", MetricType::kCounter},
    {"eobi_below_root_length_total", "EOBI messages with BodyLen below the template's root block (skipped)",
     MetricType::kCounter},
    {"eobi_unknown_template_total", "EOBI messages with an unknown TemplateID (skipped)",
     MetricType::kCounter},
    {"eobi_invalid_side_total", "EOBI messages with a Side other than 1 (buy) or 2 (sell) (skipped)",
     MetricType::kCounter},
    {"eobi_skipped_template_total", "EOBI messages of known templates numi does not use (passed over)",
     MetricType::kCounter},
}};

[[nodiscard]] constexpr std::span<const CounterDesc> counter_table(EobiCounter) noexcept {
  return kEobiCounterTable;
}

// Outcome of one packet: kOk, or the FIRST failure met (later messages may still have been delivered,
// except after a framing failure, which stops the packet).
enum class [[nodiscard]] DecodeStatus : uint8_t{
    kOk,
    kTruncatedPacket,     // < 32 bytes: no PacketHeader (nothing delivered)
    kBadPacketHeader,     // first message is not a 13002 PacketHeader (nothing delivered)
    kTrailingBytes,       // 1-7 bytes left after the last message (framing; stop)
    kBodyLenTooSmall,     // BodyLen < 8 (framing; stop)
    kBodyLenPastPayload,  // BodyLen beyond the payload (framing; stop)
    kBelowRootLength,     // message skipped
    kUnknownTemplate,     // message skipped
    kInvalidSide,         // message skipped
};

[[nodiscard]] constexpr std::string_view to_string(DecodeStatus s) noexcept {
  switch (s) {
    case DecodeStatus::kOk:
      return "ok";
    case DecodeStatus::kTruncatedPacket:
      return "truncated_packet";
    case DecodeStatus::kBadPacketHeader:
      return "bad_packet_header";
    case DecodeStatus::kTrailingBytes:
      return "trailing_bytes";
    case DecodeStatus::kBodyLenTooSmall:
      return "body_len_too_small";
    case DecodeStatus::kBodyLenPastPayload:
      return "body_len_past_payload";
    case DecodeStatus::kBelowRootLength:
      return "below_root_length";
    case DecodeStatus::kUnknownTemplate:
      return "unknown_template";
    case DecodeStatus::kInvalidSide:
      return "invalid_side";
  }
  return "?";
}

// What the handler gets beside each message: the packet's header and this message's header fields.
// Valid only during the callback.
struct MessageContext {
  PacketHeader packet;
  uint32_t msg_seq_num;
  uint16_t template_id;
  uint16_t body_len;  // may exceed the root block length (repeating groups, skipped)
};

namespace detail {

struct DecodeState {
  DecodeStatus first = DecodeStatus::kOk;
  void fail(DecodeStatus s) noexcept {
    if (first == DecodeStatus::kOk) first = s;
  }
};

template <typename Handler>
inline void report_error(Handler& h, DecodeStatus s, const MessageContext& ctx) noexcept {
  if constexpr (requires { h.on_error(s, ctx); }) h.on_error(s, ctx);
}

// Decodes one message of type Msg (body_len already checked against the payload) if the handler wants it.
template <typename Msg, typename Handler>
inline void deliver(const std::byte* msg, const MessageContext& ctx, Handler& h, CounterBlock<EobiCounter>& c,
                    DecodeState& st, uint32_t& delivered) noexcept {
  if (ctx.body_len < descriptor<Msg>().root_len) [[unlikely]] {
    c.add(EobiCounter::kBelowRootLength);
    st.fail(DecodeStatus::kBelowRootLength);
    report_error(h, DecodeStatus::kBelowRootLength, ctx);
    return;
  }
  if constexpr (requires(const Msg& m) { h.on(m, ctx); }) {
    Msg m;
    if (!load_message(msg, m)) [[unlikely]] {
      c.add(EobiCounter::kInvalidSide);
      st.fail(DecodeStatus::kInvalidSide);
      report_error(h, DecodeStatus::kInvalidSide, ctx);
      return;
    }
    ++delivered;
    h.on(static_cast<const Msg&>(m), ctx);
  }
}

}  // namespace detail

// Decodes one UDP payload. `data` is borrowed for the duration of the call. Optional handler hooks:
//   h.on(const <Msg>&, const MessageContext&)      per message type it wants (others are length-checked only)
//   h.on_packet(const PacketHeader&)              once, before the first message
//   h.on_header(const MessageContext&) -> bool    for every framed message, known or not, before its
//                                                 template is dispatched; false drops the message (the
//                                                 handler counts why, e.g. a duplicate MsgSeqNum)
//   h.on_error(DecodeStatus, const MessageContext&) for each message-level failure (cold)
template <typename Handler>
DecodeStatus decode_packet(const std::byte* data, std::size_t len, Handler& h,
                           CounterBlock<EobiCounter>& counters) noexcept {
  using namespace template_id;
  constexpr std::size_t kHeaderLen = 32;
  static_assert(descriptor<PacketHeader>().root_len == kHeaderLen);
  if (len < kHeaderLen) [[unlikely]] {
    counters.add(EobiCounter::kTruncatedPacket);
    return DecodeStatus::kTruncatedPacket;
  }
  const std::size_t header_len = load_le<uint16_t>(data + kBodyLenOffset);
  if (load_le<uint16_t>(data + kTemplateIdOffset) != kPacketHeader || header_len < kHeaderLen ||
      header_len > len) [[unlikely]] {
    counters.add(EobiCounter::kBadPacketHeader);
    return DecodeStatus::kBadPacketHeader;
  }
  MessageContext ctx{};
  (void)load_message(data, ctx.packet);
  counters.add(EobiCounter::kPackets);
  if constexpr (requires { h.on_packet(ctx.packet); })
    h.on_packet(static_cast<const PacketHeader&>(ctx.packet));

  detail::DecodeState st;
  uint32_t delivered = 0;
  std::size_t pos = header_len;
  while (pos < len) {
    const std::byte* msg = data + pos;
    const std::size_t remaining = len - pos;
    if (remaining < kMessageHeaderLen) [[unlikely]] {
      counters.add(EobiCounter::kTrailingBytes);
      st.fail(DecodeStatus::kTrailingBytes);
      break;
    }
    const uint16_t body_len = load_le<uint16_t>(msg + kBodyLenOffset);
    ctx.template_id = load_le<uint16_t>(msg + kTemplateIdOffset);
    ctx.msg_seq_num = load_le<uint32_t>(msg + kMsgSeqNumOffset);
    ctx.body_len = body_len;
    if (body_len < kMessageHeaderLen) [[unlikely]] {
      counters.add(EobiCounter::kBodyLenTooSmall);
      st.fail(DecodeStatus::kBodyLenTooSmall);
      detail::report_error(h, DecodeStatus::kBodyLenTooSmall, ctx);
      break;
    }
    if (body_len > remaining) [[unlikely]] {
      counters.add(EobiCounter::kBodyLenPastPayload);
      st.fail(DecodeStatus::kBodyLenPastPayload);
      detail::report_error(h, DecodeStatus::kBodyLenPastPayload, ctx);
      break;
    }
    if constexpr (requires { h.on_header(ctx); }) {
      if (!h.on_header(static_cast<const MessageContext&>(ctx))) {
        pos += body_len;
        continue;
      }
    }
    switch (ctx.template_id) {
#define NUMI_EOBI_CASE(Msg)                                     \
  case Msg::kTemplateId:                                        \
    detail::deliver<Msg>(msg, ctx, h, counters, st, delivered); \
    break;
      NUMI_EOBI_CASE(OrderAdd)
      NUMI_EOBI_CASE(OrderModify)
      NUMI_EOBI_CASE(OrderDelete)
      NUMI_EOBI_CASE(OrderMassDelete)
      NUMI_EOBI_CASE(FullOrderExecution)
      NUMI_EOBI_CASE(PartialOrderExecution)
      NUMI_EOBI_CASE(OrderModifySamePrio)
      NUMI_EOBI_CASE(TradeReversal)
      NUMI_EOBI_CASE(TradeReport)
      NUMI_EOBI_CASE(ExecutionSummary)
      NUMI_EOBI_CASE(ProductStateChange)
      NUMI_EOBI_CASE(InstrumentStateChange)
      NUMI_EOBI_CASE(ProductSummary)
      NUMI_EOBI_CASE(InstrumentSummary)
      NUMI_EOBI_CASE(SnapshotOrder)
      NUMI_EOBI_CASE(Heartbeat)
#undef NUMI_EOBI_CASE
      default:
        if (is_skipped_template(ctx.template_id)) {
          counters.add(EobiCounter::kSkippedTemplate);
        } else {
          counters.add(EobiCounter::kUnknownTemplate);
          st.fail(DecodeStatus::kUnknownTemplate);
          detail::report_error(h, DecodeStatus::kUnknownTemplate, ctx);
        }
        break;
    }
    pos += body_len;  // skips repeating groups / padding beyond the root block
  }
  if (delivered != 0) counters.add(EobiCounter::kMessages, delivered);
  return st.first;
}

// Owns the counters of one decoding thread.
class Decoder {
 public:
  template <typename Handler>
  DecodeStatus decode_packet(const std::byte* data, std::size_t len, Handler& h) noexcept {
    return eobi::decode_packet(data, len, h, counters_);
  }
  [[nodiscard]] const CounterBlock<EobiCounter>& counters() const noexcept { return counters_; }
  [[nodiscard]] CounterBlock<EobiCounter>& counters() noexcept { return counters_; }

 private:
  CounterBlock<EobiCounter> counters_;
};

}  // namespace numi::codec::eobi
