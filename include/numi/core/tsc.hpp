// TSC cycle counter for sampling short intervals (book apply latency) without a clock call's overhead, and a
// two-point calibration that converts cycles to nanoseconds on our monotonic clock over the measured run.
// Main types: rdtsc(), TscSpan. Thread-safety: rdtsc() anywhere; a TscSpan is one thread's value.
#pragma once

#include <x86intrin.h>

#include <cstdint>

#include "numi/core/clock.hpp"

namespace numi {

// Serialising enough for sampling: rdtscp waits for earlier instructions to retire.
[[nodiscard]] inline uint64_t rdtsc() noexcept {
  unsigned aux = 0;
  return __rdtscp(&aux);
}

// Converts TSC deltas to ns by pairing (now_ns, rdtsc) at start and finish of a measured run.
class TscSpan {
 public:
  TscSpan() noexcept : ns0_(now_ns()), tsc0_(rdtsc()) {}
  // Call once when the run ends; returns cycles per ns (0 if no time passed).
  double finish() noexcept {
    const uint64_t ns1 = now_ns();
    const uint64_t tsc1 = rdtsc();
    elapsed_ns_ = ns1 - ns0_;
    cycles_per_ns_ =
        elapsed_ns_ == 0 ? 0.0 : static_cast<double>(tsc1 - tsc0_) / static_cast<double>(elapsed_ns_);
    return cycles_per_ns_;
  }
  [[nodiscard]] uint64_t elapsed_ns() const noexcept { return elapsed_ns_; }
  [[nodiscard]] double to_ns(uint64_t cycles) const noexcept {
    return cycles_per_ns_ <= 0.0 ? 0.0 : static_cast<double>(cycles) / cycles_per_ns_;
  }

 private:
  uint64_t ns0_;
  uint64_t tsc0_;
  uint64_t elapsed_ns_ = 0;
  double cycles_per_ns_ = 0.0;
};

}  // namespace numi
