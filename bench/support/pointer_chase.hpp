// PointerChase: the latency of one dependent random load over a working set of a given size: how much of this
// host's cache a benchmark has at the moment it runs. On a shared VM the last-level share moves by the minute
// (a 4 MB chase measured 18 ns on one day and 124 ns on another), and an EOBI book's speed with it, so the
// replay benchmarks print a 4 MB chase beside their rates, measured in the same runs. mem_probe uses it for
// its sweep of sizes and strides. Memory is a PageMemory (huge-page advised, page-touched), like the book's
// tables. Main types: XorShift64, PointerChase. Thread-safety: none (benchmark code, one thread).
#pragma once

#include <cstddef>
#include <cstdint>
#include <numeric>
#include <utility>
#include <vector>

#include "numi/book/page_memory.hpp"
#include "numi/core/clock.hpp"

namespace numi::bench {

struct XorShift64 {  // deterministic, so every run walks the same cycle
  uint64_t s = 0x9E3779B97F4A7C15ULL;
  uint64_t next() noexcept {
    s ^= s << 13;
    s ^= s >> 7;
    s ^= s << 17;
    return s;
  }
};

class PointerChase {
 public:
  // `lines` cache lines placed `stride` bytes apart (stride >= 8), linked in one random cycle.
  PointerChase(std::size_t lines, std::size_t stride) : mem_(lines * stride + 64), lines_(lines) {
    auto* base = mem_.as<unsigned char>();
    std::vector<std::size_t> order(lines);
    std::iota(order.begin(), order.end(), std::size_t{0});
    XorShift64 rng;
    for (std::size_t i = lines - 1; i > 0; --i) std::swap(order[i], order[rng.next() % (i + 1)]);
    for (std::size_t i = 0; i < lines; ++i) {
      *reinterpret_cast<void**>(base + order[i] * stride) = base + order[(i + 1) % lines] * stride;
    }
    start_ = base + order[0] * stride;
  }

  // Average ns per load over `steps` dependent loads, after one unmeasured lap of the cycle (warm).
  [[nodiscard]] double ns_per_load(uint64_t steps) {
    void* p = start_;
    for (std::size_t i = 0; i < lines_; ++i) p = *static_cast<void**>(p);
    const uint64_t t0 = now_ns();
    for (uint64_t i = 0; i < steps; ++i) p = *static_cast<void**>(p);
    const uint64_t t1 = now_ns();
    asm volatile("" : : "r"(p) : "memory");
    return static_cast<double>(t1 - t0) / static_cast<double>(steps);
  }

 private:
  book::PageMemory mem_;
  std::size_t lines_;
  void* start_ = nullptr;
};

}  // namespace numi::bench
