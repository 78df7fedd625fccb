// Histogram: log-linear (HdrHistogram-like) latency histogram of uint64 nanoseconds, fixed memory,
// embeddable. Values 0..255 are exact; above, each power of two is split into 128 equal sub-buckets, so a
// reported value is within 1/256 (0.4%) of the true one over the whole uint64 range. 7424 buckets (~58 KiB),
// no allocation ever. Main types: Histogram, HistogramBucket, HistogramSummary. Thread-safety: one writer
// thread (record/record_n/merge/reset); any thread may read concurrently (relaxed atomic cells, racy by
// design: a reader may see a record half-applied, e.g. count() ahead of the buckets).
#pragma once

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <limits>

namespace numi {

// One non-empty bucket: every value in [lowest, highest] (inclusive) was counted here.
struct HistogramBucket {
  uint64_t lowest;
  uint64_t highest;
  uint64_t count;
};

struct HistogramSummary {
  uint64_t count = 0;
  uint64_t min = 0;
  uint64_t max = 0;
  double mean = 0.0;
  uint64_t p50 = 0;
  uint64_t p90 = 0;
  uint64_t p99 = 0;
  uint64_t p999 = 0;   // p99.9
  uint64_t p9999 = 0;  // p99.99
};

class Histogram {
 public:
  static constexpr int kSubBucketBits = 7;                                // 128 sub-buckets per power of two
  static constexpr uint64_t kExactLimit = uint64_t{2} << kSubBucketBits;  // values below 256 are exact
  static constexpr std::size_t kBucketCount = (64 - kSubBucketBits - 1 + 2) << kSubBucketBits;  // 7424

  Histogram() noexcept = default;
  Histogram(const Histogram&) = delete;
  Histogram& operator=(const Histogram&) = delete;

  // Hot path: a handful of relaxed loads/stores, no branches on the value range.
  void record(uint64_t v) noexcept { record_n(v, 1); }
  void record_n(uint64_t v, uint64_t n) noexcept {
    if (n == 0) return;
    bump(counts_[bucket_index(v)], n);
    bump(count_, n);
    uint64_t s = sum_.load(std::memory_order_relaxed);
    uint64_t add = 0;
    if (__builtin_mul_overflow(v, n, &add) || __builtin_add_overflow(s, add, &s)) s = kSaturated;
    sum_.store(s, std::memory_order_relaxed);
    if (v < min_.load(std::memory_order_relaxed)) min_.store(v, std::memory_order_relaxed);
    if (v > max_.load(std::memory_order_relaxed)) max_.store(v, std::memory_order_relaxed);
  }

  // Adds every value of `other` (this histogram's writer thread only).
  void merge(const Histogram& other) noexcept;
  // Forgets everything (writer thread only).
  void reset() noexcept;

  [[nodiscard]] uint64_t count() const noexcept { return count_.load(std::memory_order_relaxed); }
  // Exact min/max of recorded values; 0 when empty.
  [[nodiscard]] uint64_t min() const noexcept {
    return count() == 0 ? 0 : min_.load(std::memory_order_relaxed);
  }
  [[nodiscard]] uint64_t max() const noexcept { return max_.load(std::memory_order_relaxed); }
  // Exact sum of recorded values, saturating at UINT64_MAX.
  [[nodiscard]] uint64_t sum() const noexcept { return sum_.load(std::memory_order_relaxed); }
  // Exact mean (from the exact sum); 0 when empty.
  [[nodiscard]] double mean() const noexcept;
  // Nearest-rank percentile: the value of rank ceil(p/100 * count) (at least 1) in sorted order, reported as
  // its bucket's midpoint clamped to [min, max] (so p0 == min and p100 == max exactly). p is clamped to
  // [0, 100]; 0 when empty. Walks the buckets: cold path.
  [[nodiscard]] uint64_t percentile(double p) const noexcept;
  [[nodiscard]] HistogramSummary summary() const noexcept;

  // Calls f(HistogramBucket) for every non-empty bucket in increasing value order (cold path).
  template <typename F>
  void for_each_bucket(F&& f) const {
    for (std::size_t i = 0; i < kBucketCount; ++i) {
      const uint64_t c = counts_[i].load(std::memory_order_relaxed);
      if (c != 0) f(HistogramBucket{bucket_lowest(i), bucket_highest(i), c});
    }
  }

  // Bucket geometry (public for exporters and tests).
  [[nodiscard]] static constexpr std::size_t bucket_index(uint64_t v) noexcept {
    const int msb = 63 - __builtin_clzll(v | (kExactLimit - 1));  // >= kSubBucketBits
    const int shift = msb - kSubBucketBits;
    return (static_cast<std::size_t>(shift) << kSubBucketBits) + static_cast<std::size_t>(v >> shift);
  }
  [[nodiscard]] static constexpr uint64_t bucket_lowest(std::size_t i) noexcept {
    if (i < kExactLimit) return i;
    const std::size_t shift = (i >> kSubBucketBits) - 1;
    const uint64_t sub = (i & ((std::size_t{1} << kSubBucketBits) - 1)) + (uint64_t{1} << kSubBucketBits);
    return sub << shift;
  }
  [[nodiscard]] static constexpr uint64_t bucket_highest(std::size_t i) noexcept {
    if (i < kExactLimit) return i;
    const std::size_t shift = (i >> kSubBucketBits) - 1;
    return bucket_lowest(i) + ((uint64_t{1} << shift) - 1);
  }

 private:
  static constexpr uint64_t kSaturated = std::numeric_limits<uint64_t>::max();
  static void bump(std::atomic<uint64_t>& cell, uint64_t n) noexcept {
    cell.store(cell.load(std::memory_order_relaxed) + n, std::memory_order_relaxed);
  }

  alignas(64) std::atomic<uint64_t> count_{0};
  std::atomic<uint64_t> sum_{0};
  std::atomic<uint64_t> min_{kSaturated};
  std::atomic<uint64_t> max_{0};
  alignas(64) std::array<std::atomic<uint64_t>, kBucketCount> counts_{};
};

static_assert(Histogram::kBucketCount == 7424);
static_assert(Histogram::bucket_index(255) == 255 && Histogram::bucket_index(256) == 256);
static_assert(Histogram::bucket_index(~uint64_t{0}) == Histogram::kBucketCount - 1);
static_assert(Histogram::bucket_highest(Histogram::kBucketCount - 1) == ~uint64_t{0});
static_assert(Histogram::bucket_lowest(Histogram::bucket_index(1000)) == 1000);

}  // namespace numi
