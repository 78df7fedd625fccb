// StubClock: a hand-driven time source for agents and state machines that take now_ns as an argument.
// Thread-safety: none; step it from the test thread.
#pragma once

#include <cstdint>

namespace numi::testing {

class StubClock {
 public:
  explicit StubClock(uint64_t start_ns = 1'000'000'000ULL) noexcept : now_(start_ns) {}
  [[nodiscard]] uint64_t now_ns() const noexcept { return now_; }
  uint64_t advance(uint64_t delta_ns) noexcept { return now_ += delta_ns; }
  void set(uint64_t now_ns) noexcept { now_ = now_ns; }

 private:
  uint64_t now_;
};

}  // namespace numi::testing
