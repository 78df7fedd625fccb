// The one monotonic clock of numi: now_ns() (CLOCK_MONOTONIC, vDSO, no syscall). Every duty cycle reads it
// once and passes now_ns down. Kernel RX timestamps (CLOCK_REALTIME) are mapped onto it by RealtimeMapper.
// Thread-safety: now_ns() is thread-safe.
#pragma once

#include <cstdint>
#include <ctime>

namespace numi {

// Nanoseconds on CLOCK_MONOTONIC.
[[nodiscard]] inline uint64_t now_ns() noexcept {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<uint64_t>(ts.tv_sec) * 1'000'000'000ULL + static_cast<uint64_t>(ts.tv_nsec);
}

}  // namespace numi
