// Explicit big-endian loads and stores for ITCH 5.0 / MoldUDP64 wire fields (memcpy + byte swap; never a
// reinterpret_cast of packet bytes to a struct). Main items: load_be16/32/48/64, store_be16/32/48/64,
// load_field<T, N>/store_field<N> used by the message table in messages.hpp.
// Thread-safety: pure functions.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <type_traits>

namespace numi::codec::itch::wire {

[[nodiscard]] inline uint16_t load_be16(const std::byte* p) noexcept {
  uint16_t v;
  std::memcpy(&v, p, 2);
  return __builtin_bswap16(v);
}
[[nodiscard]] inline uint32_t load_be32(const std::byte* p) noexcept {
  uint32_t v;
  std::memcpy(&v, p, 4);
  return __builtin_bswap32(v);
}
// 6-byte field (ITCH timestamp): a 2-byte and a 4-byte load (a 6-byte memcpy into a zeroed u64 goes
// through the stack and stalls on store forwarding).
[[nodiscard]] inline uint64_t load_be48(const std::byte* p) noexcept {
  uint16_t hi;
  uint32_t lo;
  std::memcpy(&hi, p, 2);
  std::memcpy(&lo, p + 2, 4);
  return (uint64_t{__builtin_bswap16(hi)} << 32) | __builtin_bswap32(lo);
}
[[nodiscard]] inline uint64_t load_be64(const std::byte* p) noexcept {
  uint64_t v;
  std::memcpy(&v, p, 8);
  return __builtin_bswap64(v);
}

inline void store_be16(std::byte* p, uint16_t v) noexcept {
  v = __builtin_bswap16(v);
  std::memcpy(p, &v, 2);
}
inline void store_be32(std::byte* p, uint32_t v) noexcept {
  v = __builtin_bswap32(v);
  std::memcpy(p, &v, 4);
}
// Stores the low 48 bits; higher bits are not representable on the wire and are dropped.
inline void store_be48(std::byte* p, uint64_t v) noexcept {
  v = __builtin_bswap64(v << 16);
  std::memcpy(p, &v, 6);
}
inline void store_be64(std::byte* p, uint64_t v) noexcept {
  v = __builtin_bswap64(v);
  std::memcpy(p, &v, 8);
}

template <typename T>
struct IsCharArray : std::false_type {};
template <std::size_t N>
struct IsCharArray<std::array<char, N>> : std::true_type {};

// True when a C++ field type can hold a wire field of `len` bytes exactly as the message table declares it.
template <typename T>
[[nodiscard]] constexpr bool field_type_fits(std::size_t len) noexcept {
  if constexpr (std::is_same_v<T, char>) {
    return len == 1;
  } else if constexpr (IsCharArray<T>::value) {
    return len == std::tuple_size_v<T>;
  } else if constexpr (std::is_same_v<T, uint16_t>) {
    return len == 2;
  } else if constexpr (std::is_same_v<T, uint32_t>) {
    return len == 4;
  } else if constexpr (std::is_same_v<T, uint64_t>) {
    return len == 6 || len == 8;
  } else {
    return false;
  }
}

template <typename T, std::size_t N>
[[nodiscard]] inline T load_field(const std::byte* p) noexcept {
  static_assert(field_type_fits<T>(N), "field type does not match its wire length");
  if constexpr (std::is_same_v<T, char>) {
    return static_cast<char>(p[0]);
  } else if constexpr (IsCharArray<T>::value) {
    T v;
    std::memcpy(v.data(), p, N);
    return v;
  } else if constexpr (N == 2) {
    return load_be16(p);
  } else if constexpr (N == 4) {
    return load_be32(p);
  } else if constexpr (N == 6) {
    return load_be48(p);
  } else {
    return load_be64(p);
  }
}

template <std::size_t N, typename T>
inline void store_field(std::byte* p, const T& v) noexcept {
  static_assert(field_type_fits<T>(N), "field type does not match its wire length");
  if constexpr (std::is_same_v<T, char>) {
    p[0] = static_cast<std::byte>(v);
  } else if constexpr (IsCharArray<T>::value) {
    std::memcpy(p, v.data(), N);
  } else if constexpr (N == 2) {
    store_be16(p, v);
  } else if constexpr (N == 4) {
    store_be32(p, v);
  } else if constexpr (N == 6) {
    store_be48(p, v);
  } else {
    store_be64(p, v);
  }
}

}  // namespace numi::codec::itch::wire
