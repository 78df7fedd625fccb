// Software prefetch of a whole byte range (a packet's payload): the consumer of a packet queue prefetches the
// packet a few places after the one it applies, so the packet's first line is not a demand miss when its
// turn comes. The hardware stream prefetcher does not cover that case once the apply path's own random loads
// keep the miss queue busy (docs/benchmarks.md, "EOBI: the next packet's bytes", thirteenth session). Main
// items: kCacheLineBytes, prefetch_range(), kPacketPrefetchAhead. Thread-safety: a hint, no state.
#pragma once

#include <cstddef>
#include <cstdint>

namespace numi {

inline constexpr std::size_t kCacheLineBytes = 64;

// How many packets ahead of the one being applied a packet consumer prefetches (eobi_replay measured 1-8
// alike on this VM; 4 leaves room for packets of a few lines each).
inline constexpr std::size_t kPacketPrefetchAhead = 4;

// Requests every cache line that [data, data + len) touches, for reading, into all cache levels. A hint only:
// no fault on any address, nothing to undo; len 0 requests nothing.
inline void prefetch_range(const void* data, std::size_t len) noexcept {
  const auto begin = reinterpret_cast<uintptr_t>(data);
  for (uintptr_t line = begin & ~uintptr_t{kCacheLineBytes - 1}; line < begin + len;
       line += kCacheLineBytes) {
    __builtin_prefetch(reinterpret_cast<const void*>(line), 0, 3);
  }
}

}  // namespace numi
