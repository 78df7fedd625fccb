// Counting global allocator for "no allocation on the hot path" tests. Linking numi::testing and calling
// anything here replaces global operator new/delete with versions that count every allocation, per thread
// and process-wide. Thread-safety: counts are thread-local plus one relaxed process-wide atomic.
#pragma once

#include <cstdint>

namespace numi::testing {

// operator new calls made by the calling thread since it started.
[[nodiscard]] uint64_t thread_allocations() noexcept;
// operator new calls made by all threads since the process started.
[[nodiscard]] uint64_t process_allocations() noexcept;

// Counts allocations of the calling thread (or of the whole process) inside a scope:
//   AllocationScope scope; run_hot_loop(); EXPECT_EQ(scope.allocations(), 0u);
class AllocationScope {
 public:
  enum class Which : uint8_t { kThisThread, kProcess };
  explicit AllocationScope(Which which = Which::kThisThread) noexcept
      : which_(which), start_(current(which)) {}
  [[nodiscard]] uint64_t allocations() const noexcept { return current(which_) - start_; }

 private:
  static uint64_t current(Which which) noexcept {
    return which == Which::kThisThread ? thread_allocations() : process_allocations();
  }
  Which which_;
  uint64_t start_;
};

}  // namespace numi::testing
