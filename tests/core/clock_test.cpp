#include "numi/core/clock.hpp"

#include <gtest/gtest.h>

#include <array>
#include <cstdint>

namespace numi {
namespace {

TEST(Clock, NowNsNeverGoesBackwards) {
  uint64_t prev = now_ns();
  for (int i = 0; i < 10'000; ++i) {
    const uint64_t t = now_ns();
    ASSERT_GE(t, prev);
    prev = t;
  }
}

TEST(Clock, TimespecToNsConvertsAndClampsNegative) {
  EXPECT_EQ(timespec_to_ns(timespec{3, 250}), 3'000'000'250ULL);
  EXPECT_EQ(timespec_to_ns(timespec{-1, 5}), 0u);
}

TEST(RealtimeMapper, MapsCurrentRealtimeOntoCurrentMonotonic) {
  RealtimeMapper mapper;
  EXPECT_EQ(mapper.calibrations(), 1u);
  EXPECT_LT(mapper.offset_ns(), 0);  // realtime counts from 1970, monotonic from boot
  const uint64_t before = now_ns();
  const uint64_t mapped = mapper.to_mono_ns(realtime_ns());
  const uint64_t after = now_ns();
  // Exact up to the calibration uncertainty (plus generous slack for a loaded VM / sanitizers).
  const uint64_t slack = mapper.uncertainty_ns() + 2'000'000;
  EXPECT_GE(mapped + slack, before);
  EXPECT_LE(mapped, after + slack);
}

TEST(RealtimeMapper, TimespecOverloadMatchesNanoseconds) {
  RealtimeMapper mapper;
  const timespec ts{1'700'000'000, 123'456'789};
  EXPECT_EQ(mapper.to_mono_ns(ts), mapper.to_mono_ns(1'700'000'000'123'456'789ULL));
}

// Scripted clocks: each calibration sample i reads mono m1 = t, real, mono m2 = t + gap[i]. The real clock is
// read at fraction real_at[i] of the gap, so only a sample read at the midpoint gives the true offset.
struct FakeClocks {
  static constexpr int kSamples = 4;
  std::array<uint64_t, kSamples> gap{};
  std::array<double, kSamples> real_at{};
  uint64_t t = 5'000'000'000ULL;  // monotonic now
  int64_t real_minus_mono = 1'700'000'000'000'000'000LL;
  int mono_calls = 0;
  int sample = 0;

  uint64_t mono() {
    const bool second = (mono_calls++ % 2) == 1;
    if (!second) return t;
    const uint64_t m2 = t + gap[static_cast<std::size_t>(sample)];
    t = m2 + 100;
    sample = (sample + 1) % kSamples;
    return m2;
  }
  uint64_t real() const {
    const auto i = static_cast<std::size_t>(sample);
    const auto at = static_cast<uint64_t>(static_cast<double>(gap[i]) * real_at[i]);
    return static_cast<uint64_t>(static_cast<int64_t>(t + at) + real_minus_mono);
  }
};
FakeClocks g_fake;
uint64_t fake_mono() noexcept { return g_fake.mono(); }
uint64_t fake_real() noexcept { return g_fake.real(); }

TEST(RealtimeMapper, KeepsTheSampleWithTheSmallestGap) {
  g_fake = FakeClocks{};
  g_fake.gap = {4000, 1000, 20, 3000};
  g_fake.real_at = {0.0, 1.0, 0.5, 0.0};  // the 20 ns sample is read at its midpoint: exact
  RealtimeMapper mapper(1'000'000'000ULL, FakeClocks::kSamples, &fake_mono, &fake_real);
  EXPECT_EQ(mapper.offset_ns(), -g_fake.real_minus_mono);
  EXPECT_EQ(mapper.uncertainty_ns(), 10u);
  const uint64_t mono_now = 9'000'000'000ULL;
  EXPECT_EQ(mapper.to_mono_ns(static_cast<uint64_t>(static_cast<int64_t>(mono_now) + g_fake.real_minus_mono)),
            mono_now);
}

TEST(RealtimeMapper, RefreshFollowsAnNtpStepOnlyAfterThePeriod) {
  g_fake = FakeClocks{};
  g_fake.gap = {10, 10, 10, 10};
  g_fake.real_at = {0.5, 0.5, 0.5, 0.5};
  const uint64_t period = 1'000'000'000ULL;
  RealtimeMapper mapper(period, FakeClocks::kSamples, &fake_mono, &fake_real);
  const int64_t before = mapper.offset_ns();
  const uint64_t at = mapper.calibrated_at_ns();

  g_fake.real_minus_mono += 5'000'000'000LL;  // NTP steps the wall clock 5 s forward
  EXPECT_FALSE(mapper.refresh(at + period - 1));
  EXPECT_EQ(mapper.offset_ns(), before);  // still the old mapping inside the period
  EXPECT_EQ(mapper.calibrations(), 1u);

  g_fake.t = at + period;
  EXPECT_TRUE(mapper.refresh(at + period));
  EXPECT_EQ(mapper.offset_ns(), before - 5'000'000'000LL);
  EXPECT_EQ(mapper.calibrations(), 2u);
}

TEST(RealtimeMapper, RefreshRecalibratesWhenNowIsBeforeLastCalibration) {
  g_fake = FakeClocks{};
  g_fake.gap = {10, 10, 10, 10};
  g_fake.real_at = {0.5, 0.5, 0.5, 0.5};
  RealtimeMapper mapper(1'000'000'000ULL, FakeClocks::kSamples, &fake_mono, &fake_real);
  EXPECT_TRUE(mapper.refresh(mapper.calibrated_at_ns() - 1));
}

TEST(RealtimeMapper, StampBeforeMonotonicEpochMapsToZero) {
  RealtimeMapper mapper;
  EXPECT_EQ(mapper.to_mono_ns(uint64_t{1}), 0u);
}

}  // namespace
}  // namespace numi
