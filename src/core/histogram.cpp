#include "numi/core/histogram.hpp"

#include <algorithm>
#include <cmath>

namespace numi {

void Histogram::merge(const Histogram& other) noexcept {
  const uint64_t other_count = other.count();
  if (other_count == 0) return;
  for (std::size_t i = 0; i < kBucketCount; ++i) {
    const uint64_t c = other.counts_[i].load(std::memory_order_relaxed);
    if (c != 0) bump(counts_[i], c);
  }
  bump(count_, other_count);
  uint64_t s = sum_.load(std::memory_order_relaxed);
  if (__builtin_add_overflow(s, other.sum(), &s)) s = kSaturated;
  sum_.store(s, std::memory_order_relaxed);
  const uint64_t omin = other.min_.load(std::memory_order_relaxed);
  const uint64_t omax = other.max_.load(std::memory_order_relaxed);
  if (omin < min_.load(std::memory_order_relaxed)) min_.store(omin, std::memory_order_relaxed);
  if (omax > max_.load(std::memory_order_relaxed)) max_.store(omax, std::memory_order_relaxed);
}

void Histogram::reset() noexcept {
  for (auto& c : counts_) c.store(0, std::memory_order_relaxed);
  count_.store(0, std::memory_order_relaxed);
  sum_.store(0, std::memory_order_relaxed);
  min_.store(kSaturated, std::memory_order_relaxed);
  max_.store(0, std::memory_order_relaxed);
}

double Histogram::mean() const noexcept {
  const uint64_t n = count();
  return n == 0 ? 0.0 : static_cast<double>(sum()) / static_cast<double>(n);
}

uint64_t Histogram::percentile(double p) const noexcept {
  const uint64_t n = count();
  if (n == 0) return 0;
  if (!(p > 0.0)) p = 0.0;  // also maps NaN to 0
  if (p > 100.0) p = 100.0;
  const double exact_rank = std::ceil(p / 100.0 * static_cast<double>(n));
  uint64_t rank = exact_rank < 1.0 ? 1 : static_cast<uint64_t>(exact_rank);
  rank = std::min(rank, n);
  const uint64_t lo = min();
  const uint64_t hi = max();
  if (rank == 1) return lo;
  if (rank == n) return hi;
  uint64_t seen = 0;
  for (std::size_t i = 0; i < kBucketCount; ++i) {
    seen += counts_[i].load(std::memory_order_relaxed);
    if (seen >= rank) {
      const uint64_t low = bucket_lowest(i);
      const uint64_t mid = low + (bucket_highest(i) - low) / 2;
      return std::clamp(mid, lo, std::max(lo, hi));
    }
  }
  return hi;  // a concurrent writer bumped count() before the bucket
}

HistogramSummary Histogram::summary() const noexcept {
  HistogramSummary s;
  s.count = count();
  s.min = min();
  s.max = max();
  s.mean = mean();
  s.p50 = percentile(50.0);
  s.p90 = percentile(90.0);
  s.p99 = percentile(99.0);
  s.p999 = percentile(99.9);
  s.p9999 = percentile(99.99);
  return s;
}

}  // namespace numi
