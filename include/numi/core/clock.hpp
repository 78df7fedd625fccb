// The one monotonic clock of numi: now_ns() (CLOCK_MONOTONIC, vDSO, no syscall). Every duty cycle reads it
// once and passes now_ns down. Kernel RX timestamps (CLOCK_REALTIME) are mapped onto it by RealtimeMapper.
// Main types: now_ns()/realtime_ns() (free functions), RealtimeMapper (CLOCK_REALTIME -> CLOCK_MONOTONIC).
// Thread-safety: the free functions are thread-safe; a RealtimeMapper has one owner thread. See
// docs/timestamps.md.
#pragma once

#include <cstdint>
#include <ctime>

namespace numi {

inline constexpr uint64_t kNanosPerSecond = 1'000'000'000ULL;

// A timespec as nanoseconds (negative fields are clamped to 0: kernel stamps never are negative).
[[nodiscard]] constexpr uint64_t timespec_to_ns(const timespec& ts) noexcept {
  if (ts.tv_sec < 0 || ts.tv_nsec < 0) return 0;
  return static_cast<uint64_t>(ts.tv_sec) * kNanosPerSecond + static_cast<uint64_t>(ts.tv_nsec);
}

// Nanoseconds on CLOCK_MONOTONIC.
[[nodiscard]] inline uint64_t now_ns() noexcept {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return timespec_to_ns(ts);
}

// Nanoseconds on CLOCK_REALTIME (wall clock, steps with NTP). Only for mapping and for humans: never subtract
// it from a now_ns() value.
[[nodiscard]] inline uint64_t realtime_ns() noexcept {
  timespec ts{};
  clock_gettime(CLOCK_REALTIME, &ts);
  return timespec_to_ns(ts);
}

// Maps CLOCK_REALTIME nanoseconds (SO_TIMESTAMPING software and hw-sys stamps) onto CLOCK_MONOTONIC.
// calibrate() takes `samples` back-to-back (mono, real, mono) reads and keeps the one with the smallest
// mono gap: offset = midpoint(mono) - real, uncertainty = gap / 2. refresh(now_ns) recalibrates once the last
// calibration is older than the refresh period, so an NTP step or slew is followed within one period.
// Owned by one thread (normally the RX agent, which calls refresh(now_ns) once per duty cycle).
class RealtimeMapper {
 public:
  using ReadFn = uint64_t (*)() noexcept;

  static constexpr uint64_t kDefaultRefreshPeriodNs = kNanosPerSecond;
  static constexpr int kDefaultSamples = 7;

  // Calibrates immediately. `samples` < 1 is treated as 1. Clock readers are injectable for tests.
  explicit RealtimeMapper(uint64_t refresh_period_ns = kDefaultRefreshPeriodNs, int samples = kDefaultSamples,
                          ReadFn mono = &now_ns, ReadFn real = &realtime_ns) noexcept;

  // Recalibrates now (a handful of vDSO clock reads, ~100-300 ns).
  void calibrate() noexcept;
  // Recalibrates if `now_ns` (monotonic) is at least one refresh period past the last calibration, or
  // earlier than it. Returns true when it recalibrated. Costs one compare otherwise.
  bool refresh(uint64_t now_ns) noexcept {
    if (now_ns >= calibrated_at_ns_ && now_ns - calibrated_at_ns_ < refresh_period_ns_) return false;
    calibrate();
    return true;
  }

  // Monotonic nanoseconds for a CLOCK_REALTIME stamp; 0 when the stamp maps before the monotonic epoch.
  [[nodiscard]] uint64_t to_mono_ns(uint64_t realtime_ns) const noexcept {
    const int64_t mono = static_cast<int64_t>(realtime_ns) + offset_ns_;
    return mono > 0 ? static_cast<uint64_t>(mono) : 0;
  }
  [[nodiscard]] uint64_t to_mono_ns(const timespec& realtime) const noexcept {
    return to_mono_ns(timespec_to_ns(realtime));
  }

  // monotonic - realtime, in ns (normally hugely negative: realtime counts from 1970, monotonic from boot).
  [[nodiscard]] int64_t offset_ns() const noexcept { return offset_ns_; }
  // Half the smallest (mono, real, mono) read gap of the last calibration: |true offset - offset_ns()| bound.
  [[nodiscard]] uint64_t uncertainty_ns() const noexcept { return uncertainty_ns_; }
  // Monotonic time of the last calibration.
  [[nodiscard]] uint64_t calibrated_at_ns() const noexcept { return calibrated_at_ns_; }
  [[nodiscard]] uint64_t refresh_period_ns() const noexcept { return refresh_period_ns_; }
  // Number of calibrations so far (>= 1).
  [[nodiscard]] uint64_t calibrations() const noexcept { return calibrations_; }

 private:
  ReadFn mono_;
  ReadFn real_;
  uint64_t refresh_period_ns_;
  int samples_;
  int64_t offset_ns_ = 0;
  uint64_t uncertainty_ns_ = 0;
  uint64_t calibrated_at_ns_ = 0;
  uint64_t calibrations_ = 0;
};

}  // namespace numi
