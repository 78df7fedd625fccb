#include "numi/core/clock.hpp"

#include <limits>

namespace numi {

RealtimeMapper::RealtimeMapper(uint64_t refresh_period_ns, int samples, ReadFn mono, ReadFn real) noexcept
    : mono_(mono), real_(real), refresh_period_ns_(refresh_period_ns), samples_(samples < 1 ? 1 : samples) {
  calibrate();
}

void RealtimeMapper::calibrate() noexcept {
  uint64_t best_gap = std::numeric_limits<uint64_t>::max();
  int64_t best_offset = 0;
  uint64_t best_mono = 0;
  for (int i = 0; i < samples_; ++i) {
    const uint64_t m1 = mono_();
    const uint64_t r = real_();
    const uint64_t m2 = mono_();
    if (m2 < m1) continue;  // cannot happen on CLOCK_MONOTONIC; a broken reader must not poison the offset
    const uint64_t gap = m2 - m1;
    if (gap < best_gap) {
      best_gap = gap;
      best_mono = m1 + gap / 2;
      best_offset = static_cast<int64_t>(best_mono) - static_cast<int64_t>(r);
    }
  }
  if (best_gap == std::numeric_limits<uint64_t>::max()) {  // every sample was rejected: keep the old offset
    calibrated_at_ns_ = mono_();
    ++calibrations_;
    return;
  }
  offset_ns_ = best_offset;
  uncertainty_ns_ = (best_gap + 1) / 2;
  calibrated_at_ns_ = best_mono;
  ++calibrations_;
}

}  // namespace numi
