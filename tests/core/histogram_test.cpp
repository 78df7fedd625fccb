#include "numi/core/histogram.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "numi/testing/alloc_counter.hpp"

namespace numi {
namespace {

constexpr double kPercentiles[] = {0.0,  1.0,  10.0, 25.0, 50.0,  75.0, 90.0,
                                   95.0, 99.0, 99.5, 99.9, 99.99, 100.0};

// Nearest-rank percentile of sorted data, the definition Histogram::percentile documents.
uint64_t exact_percentile(const std::vector<uint64_t>& sorted, double p) {
  const auto n = static_cast<double>(sorted.size());
  auto rank = static_cast<std::size_t>(std::ceil(p / 100.0 * n));
  rank = std::clamp<std::size_t>(rank, 1, sorted.size());
  return sorted[rank - 1];
}

double relative_error(uint64_t got, uint64_t want) {
  if (want == 0) return got == 0 ? 0.0 : 1.0;
  return std::fabs(static_cast<double>(got) - static_cast<double>(want)) / static_cast<double>(want);
}

void expect_percentiles_within_1_percent(std::vector<uint64_t> values, const std::string& what) {
  auto h = std::make_unique<Histogram>();
  for (uint64_t v : values) h->record(v);
  std::sort(values.begin(), values.end());
  ASSERT_EQ(h->count(), values.size());
  EXPECT_EQ(h->min(), values.front()) << what;
  EXPECT_EQ(h->max(), values.back()) << what;
  for (double p : kPercentiles) {
    const uint64_t want = exact_percentile(values, p);
    const uint64_t got = h->percentile(p);
    EXPECT_LE(relative_error(got, want), 0.01) << what << " p" << p << " got " << got << " want " << want;
  }
}

TEST(Histogram, EmptyHistogramReportsZeros) {
  auto h = std::make_unique<Histogram>();
  EXPECT_EQ(h->count(), 0u);
  EXPECT_EQ(h->min(), 0u);
  EXPECT_EQ(h->max(), 0u);
  EXPECT_EQ(h->mean(), 0.0);
  EXPECT_EQ(h->percentile(99.0), 0u);
  int buckets = 0;
  h->for_each_bucket([&](const HistogramBucket&) { ++buckets; });
  EXPECT_EQ(buckets, 0);
}

TEST(Histogram, ValuesBelow256AreExact) {
  for (uint64_t v = 0; v < 256; ++v) {
    EXPECT_EQ(Histogram::bucket_lowest(Histogram::bucket_index(v)), v);
    EXPECT_EQ(Histogram::bucket_highest(Histogram::bucket_index(v)), v);
  }
  auto h = std::make_unique<Histogram>();
  for (uint64_t v = 0; v < 256; ++v) h->record(v);
  EXPECT_EQ(h->percentile(50.0), 127u);
  EXPECT_EQ(h->percentile(100.0), 255u);
}

TEST(Histogram, BucketsTileTheRangeWithWidthAtMostOneOver128OfTheirValues) {
  for (std::size_t i = 1; i < Histogram::kBucketCount; ++i) {
    ASSERT_EQ(Histogram::bucket_lowest(i), Histogram::bucket_highest(i - 1) + 1) << i;
    const uint64_t width = Histogram::bucket_highest(i) - Histogram::bucket_lowest(i) + 1;
    ASSERT_LE(width * 128, std::max<uint64_t>(Histogram::bucket_lowest(i), 128)) << i;
  }
  std::mt19937_64 rng(7);
  for (int k = 0; k < 100'000; ++k) {
    const uint64_t v = rng() >> (rng() % 64);
    const std::size_t i = Histogram::bucket_index(v);
    ASSERT_LE(Histogram::bucket_lowest(i), v);
    ASSERT_GE(Histogram::bucket_highest(i), v);
  }
}

TEST(Histogram, UniformPercentilesWithin1Percent) {
  std::mt19937_64 rng(1);
  std::uniform_int_distribution<uint64_t> dist(1, 10'000'000);
  std::vector<uint64_t> v(200'000);
  for (auto& x : v) x = dist(rng);
  expect_percentiles_within_1_percent(std::move(v), "uniform");
}

TEST(Histogram, LognormalPercentilesWithin1Percent) {
  std::mt19937_64 rng(2);
  std::lognormal_distribution<double> dist(std::log(5'000.0), 1.0);  // ~5 us median with a long tail
  std::vector<uint64_t> v(200'000);
  for (auto& x : v) x = static_cast<uint64_t>(dist(rng));
  expect_percentiles_within_1_percent(std::move(v), "lognormal");
}

TEST(Histogram, PercentilesWithOutliersWithin1Percent) {
  std::mt19937_64 rng(3);
  std::normal_distribution<double> body(2'000.0, 150.0);
  std::uniform_int_distribution<uint64_t> outlier(1'000'000, 50'000'000'000ULL);
  std::vector<uint64_t> v(100'000);
  for (std::size_t i = 0; i < v.size(); ++i) {
    v[i] = (i % 997 == 0) ? outlier(rng) : static_cast<uint64_t>(std::max(0.0, body(rng)));
  }
  v.push_back(std::numeric_limits<uint64_t>::max() / 3);
  expect_percentiles_within_1_percent(std::move(v), "outliers");
}

TEST(Histogram, ExponentialAcrossManyOctavesWithin1Percent) {
  std::mt19937_64 rng(4);
  std::vector<uint64_t> v(100'000);
  for (auto& x : v) x = (rng() >> (rng() % 64)) | 1;  // every power of two equally likely
  expect_percentiles_within_1_percent(std::move(v), "octaves");
}

TEST(Histogram, MeanSumMinMaxAreExact) {
  auto h = std::make_unique<Histogram>();
  h->record(1'000);
  h->record(3'001);
  h->record_n(10, 2);
  EXPECT_EQ(h->count(), 4u);
  EXPECT_EQ(h->sum(), 4'021u);
  EXPECT_DOUBLE_EQ(h->mean(), 4'021.0 / 4.0);
  EXPECT_EQ(h->min(), 10u);
  EXPECT_EQ(h->max(), 3'001u);
  h->record_n(77, 0);
  EXPECT_EQ(h->count(), 4u);
}

TEST(Histogram, HugeValuesSaturateTheSumButKeepExactMax) {
  auto h = std::make_unique<Histogram>();
  h->record(std::numeric_limits<uint64_t>::max());
  h->record(std::numeric_limits<uint64_t>::max());
  EXPECT_EQ(h->sum(), std::numeric_limits<uint64_t>::max());
  EXPECT_EQ(h->max(), std::numeric_limits<uint64_t>::max());
  EXPECT_EQ(h->percentile(50.0), std::numeric_limits<uint64_t>::max());
}

TEST(Histogram, MergeEqualsRecordingEverythingInOne) {
  std::mt19937_64 rng(5);
  std::lognormal_distribution<double> dist(std::log(20'000.0), 1.5);
  auto a = std::make_unique<Histogram>();
  auto b = std::make_unique<Histogram>();
  auto all = std::make_unique<Histogram>();
  for (int i = 0; i < 50'000; ++i) {
    const auto v = static_cast<uint64_t>(dist(rng));
    (i % 3 == 0 ? *a : *b).record(v);
    all->record(v);
  }
  a->merge(*b);
  EXPECT_EQ(a->count(), all->count());
  EXPECT_EQ(a->sum(), all->sum());
  EXPECT_EQ(a->min(), all->min());
  EXPECT_EQ(a->max(), all->max());
  std::vector<HistogramBucket> ba;
  std::vector<HistogramBucket> bb;
  a->for_each_bucket([&](const HistogramBucket& x) { ba.push_back(x); });
  all->for_each_bucket([&](const HistogramBucket& x) { bb.push_back(x); });
  ASSERT_EQ(ba.size(), bb.size());
  for (std::size_t i = 0; i < ba.size(); ++i) {
    EXPECT_EQ(ba[i].lowest, bb[i].lowest);
    EXPECT_EQ(ba[i].count, bb[i].count);
  }
  for (double p : kPercentiles) EXPECT_EQ(a->percentile(p), all->percentile(p)) << p;
}

TEST(Histogram, MergeIntoEmptyKeepsMinAndMergeOfEmptyChangesNothing) {
  auto a = std::make_unique<Histogram>();
  auto b = std::make_unique<Histogram>();
  b->record(500);
  a->merge(*b);
  EXPECT_EQ(a->min(), 500u);
  EXPECT_EQ(a->max(), 500u);
  auto empty = std::make_unique<Histogram>();
  a->merge(*empty);
  EXPECT_EQ(a->count(), 1u);
  EXPECT_EQ(a->min(), 500u);
}

TEST(Histogram, ResetForgetsEverything) {
  auto h = std::make_unique<Histogram>();
  for (uint64_t v = 1; v < 10'000; v += 7) h->record(v);
  h->reset();
  EXPECT_EQ(h->count(), 0u);
  EXPECT_EQ(h->sum(), 0u);
  EXPECT_EQ(h->max(), 0u);
  int buckets = 0;
  h->for_each_bucket([&](const HistogramBucket&) { ++buckets; });
  EXPECT_EQ(buckets, 0);
  h->record(42);
  EXPECT_EQ(h->min(), 42u);
}

TEST(Histogram, ForEachBucketVisitsNonEmptyBucketsInOrder) {
  auto h = std::make_unique<Histogram>();
  h->record(5);
  h->record_n(1'000'000, 3);
  h->record(5);
  std::vector<HistogramBucket> seen;
  h->for_each_bucket([&](const HistogramBucket& b) { seen.push_back(b); });
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen[0].lowest, 5u);
  EXPECT_EQ(seen[0].count, 2u);
  EXPECT_LE(seen[1].lowest, 1'000'000u);
  EXPECT_GE(seen[1].highest, 1'000'000u);
  EXPECT_EQ(seen[1].count, 3u);
}

TEST(Histogram, SummaryReportsTheStandardPercentiles) {
  auto h = std::make_unique<Histogram>();
  for (uint64_t v = 1; v <= 100'000; ++v) h->record(v);
  const HistogramSummary s = h->summary();
  EXPECT_EQ(s.count, 100'000u);
  EXPECT_EQ(s.min, 1u);
  EXPECT_EQ(s.max, 100'000u);
  EXPECT_DOUBLE_EQ(s.mean, 50'000.5);
  EXPECT_LE(relative_error(s.p50, 50'000), 0.01);
  EXPECT_LE(relative_error(s.p90, 90'000), 0.01);
  EXPECT_LE(relative_error(s.p99, 99'000), 0.01);
  EXPECT_LE(relative_error(s.p999, 99'900), 0.01);
  EXPECT_LE(relative_error(s.p9999, 99'990), 0.01);
}

TEST(Histogram, OutOfRangePercentileArgumentsClamp) {
  auto h = std::make_unique<Histogram>();
  h->record(10);
  h->record(1'000);
  EXPECT_EQ(h->percentile(-5.0), 10u);
  EXPECT_EQ(h->percentile(250.0), 1'000u);
  EXPECT_EQ(h->percentile(std::nan("")), 10u);
}

TEST(Histogram, RecordAndMergeNeverAllocate) {
  auto h = std::make_unique<Histogram>();
  auto other = std::make_unique<Histogram>();
  other->record(3);
  testing::AllocationScope scope;
  uint64_t v = 1;
  for (int i = 0; i < 100'000; ++i) {
    h->record(v);
    h->record_n(v * 3, 2);
    v = v * 6364136223846793005ULL + 1442695040888963407ULL;
  }
  h->merge(*other);
  (void)h->percentile(99.0);
  (void)h->summary();
  EXPECT_EQ(scope.allocations(), 0u);
  EXPECT_EQ(h->count(), 300'001u);
}

}  // namespace
}  // namespace numi
