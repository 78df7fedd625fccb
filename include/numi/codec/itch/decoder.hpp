// ITCH 5.0 message decoder: checks the exact length for the type byte (256-entry table), loads the fields
// big-endian and calls the handler's `on(const Msg&)` overload; handlers implement only the overloads they
// want (others are skipped at compile time). Knows nothing about books.
// Main items: decode(), DecodeStatus, ItchCounter (+ counter_table). Thread-safety: pure; a CounterBlock has
// one writer thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "numi/codec/itch/messages.hpp"
#include "numi/core/counters.hpp"

namespace numi::codec::itch {

enum class [[nodiscard]] DecodeStatus : uint8_t{
    kOk,           // decoded; the handler was called if it has an overload for the type
    kEmpty,        // zero-length input
    kUnknownType,  // the type byte is not an ITCH 5.0 message type
    kBadLength,    // the length is not the exact length of the type
};

[[nodiscard]] constexpr std::string_view to_string(DecodeStatus s) noexcept {
  switch (s) {
    case DecodeStatus::kOk:
      return "ok";
    case DecodeStatus::kEmpty:
      return "empty";
    case DecodeStatus::kUnknownType:
      return "unknown_type";
    case DecodeStatus::kBadLength:
      return "bad_length";
  }
  return "invalid";
}

enum class ItchCounter : uint8_t { kUnknownType, kBadLength, kEmpty, kCount };

inline constexpr std::array<CounterDesc, static_cast<std::size_t>(ItchCounter::kCount)> kItchCounterTable{{
    {"itch_unknown_type_total", "ITCH messages whose type byte is not an ITCH 5.0 type",
     MetricType::kCounter},
    {"itch_bad_length_total", "ITCH messages whose length differs from the exact length of their type",
     MetricType::kCounter},
    {"itch_empty_total", "zero-length ITCH message blocks", MetricType::kCounter},
}};

[[nodiscard]] constexpr std::span<const CounterDesc> counter_table(ItchCounter) noexcept {
  return kItchCounterTable;
}

namespace detail {
template <typename Msg, typename Handler>
inline void dispatch(const std::byte* p, Handler& h) noexcept {
  if constexpr (requires(Handler & hh, const Msg& m) { hh.on(m); }) {
    Msg m;
    load(p, m);
    h.on(static_cast<const Msg&>(m));
  }
}
}  // namespace detail

// Decodes one ITCH message of `len` bytes at `data` (type byte first). `counters` (optional) counts failures.
template <typename Handler>
[[nodiscard]] inline DecodeStatus decode(const std::byte* data, std::size_t len, Handler& h,
                                         CounterBlock<ItchCounter>* counters = nullptr) noexcept {
  if (len == 0) [[unlikely]] {
    if (counters != nullptr) counters->add(ItchCounter::kEmpty);
    return DecodeStatus::kEmpty;
  }
  const auto type = static_cast<uint8_t>(data[0]);
  const std::size_t expected = kLengthByType[type];
  if (len != expected) [[unlikely]] {
    const bool unknown = expected == 0;
    if (counters != nullptr) counters->add(unknown ? ItchCounter::kUnknownType : ItchCounter::kBadLength);
    return unknown ? DecodeStatus::kUnknownType : DecodeStatus::kBadLength;
  }
  switch (static_cast<char>(type)) {
#define NUMI_ITCH_DISPATCH_CASE(ch, Name, spec_name, length) \
  case ch:                                                   \
    detail::dispatch<Name>(data, h);                         \
    break;
    NUMI_ITCH_MESSAGES(NUMI_ITCH_DISPATCH_CASE)
#undef NUMI_ITCH_DISPATCH_CASE
    default:
      break;  // unreachable: kLengthByType is 0 for every other byte
  }
  return DecodeStatus::kOk;
}

template <typename Handler>
[[nodiscard]] inline DecodeStatus decode(std::span<const std::byte> msg, Handler& h,
                                         CounterBlock<ItchCounter>* counters = nullptr) noexcept {
  return decode(msg.data(), msg.size(), h, counters);
}

}  // namespace numi::codec::itch
