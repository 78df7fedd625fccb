// IdleStrategy: what a duty-cycle loop does when a cycle found no work (Aeron's idle strategies as one value
// type, no virtual call, no allocation). Kinds: busy_spin, spin_pause (_mm_pause), yield (sched_yield), sleep
// (fixed ns), backoff (spin -> yield -> sleep doubling from min to max, reset by any work). Main types:
// IdleStrategy, IdleParams, parse_idle_strategy(). Thread-safety: one owner thread per instance.
#pragma once

#include <cstdint>
#include <string_view>

#include "numi/core/status.hpp"

namespace numi {

enum class IdleKind : uint8_t { kBusySpin, kSpinPause, kYield, kSleep, kBackoff };

// Tunables for the kinds that take parameters (the defaults are what parse_idle_strategy uses).
struct IdleParams {
  uint64_t sleep_ns = 1'000'000;     // kSleep: fixed sleep per idle cycle
  uint32_t backoff_max_spins = 100;  // kBackoff: pause-spins before yielding
  uint32_t backoff_max_yields = 20;  // kBackoff: yields before sleeping
  uint64_t backoff_min_sleep_ns = 1'000;
  uint64_t backoff_max_sleep_ns = 1'000'000;
};

class IdleStrategy {
 public:
  // Backoff progress (kBackoff only; the other kinds stay kNotIdle).
  enum class State : uint8_t { kNotIdle, kSpinning, kYielding, kSleeping };

  // Default: busy spin.
  constexpr IdleStrategy() noexcept = default;
  static constexpr IdleStrategy busy_spin() noexcept { return IdleStrategy(IdleKind::kBusySpin, {}); }
  static constexpr IdleStrategy spin_pause() noexcept { return IdleStrategy(IdleKind::kSpinPause, {}); }
  static constexpr IdleStrategy yield() noexcept { return IdleStrategy(IdleKind::kYield, {}); }
  static constexpr IdleStrategy sleep(uint64_t ns) noexcept {
    IdleParams p;
    p.sleep_ns = ns;
    return IdleStrategy(IdleKind::kSleep, p);
  }
  static constexpr IdleStrategy backoff(const IdleParams& params = {}) noexcept {
    return IdleStrategy(IdleKind::kBackoff, params);
  }
  // Any kind with explicit parameters (parameters a kind does not use are ignored).
  static constexpr IdleStrategy of(IdleKind kind, const IdleParams& params = {}) noexcept {
    return IdleStrategy(kind, params);
  }

  // After a duty cycle: work_count > 0 resets the backoff and returns at once; 0 idles per the kind.
  void idle(int work_count) noexcept {
    if (work_count > 0) {
      reset();
      return;
    }
    idle();
  }
  // One idle step.
  void idle() noexcept;
  void reset() noexcept {
    state_ = State::kNotIdle;
    step_ = 0;
    sleep_ns_ = params_.backoff_min_sleep_ns;
  }

  [[nodiscard]] IdleKind kind() const noexcept { return kind_; }
  [[nodiscard]] const IdleParams& params() const noexcept { return params_; }
  [[nodiscard]] State state() const noexcept { return state_; }
  // Next sleep of a backoff in kSleeping (doubles up to backoff_max_sleep_ns).
  [[nodiscard]] uint64_t current_sleep_ns() const noexcept { return sleep_ns_; }
  // "busy_spin", "spin_pause", "yield", "sleep" or "backoff".
  [[nodiscard]] std::string_view name() const noexcept { return idle_kind_name(kind_); }

  [[nodiscard]] static std::string_view idle_kind_name(IdleKind kind) noexcept;

 private:
  constexpr IdleStrategy(IdleKind kind, const IdleParams& params) noexcept
      : kind_(kind), params_(params), sleep_ns_(params.backoff_min_sleep_ns) {}

  IdleKind kind_ = IdleKind::kBusySpin;
  IdleParams params_{};
  State state_ = State::kNotIdle;
  uint64_t step_ = 0;
  uint64_t sleep_ns_ = IdleParams{}.backoff_min_sleep_ns;
};

// Config entry point: "busy_spin" | "spin_pause" | "yield" | "sleep" | "backoff" (exact, lower case).
// Errors name the value and list the accepted names; invalid params (sleep_ns 0 for "sleep", backoff min
// sleep 0 or > max) are errors too, never clamped.
[[nodiscard]] Result<IdleStrategy> parse_idle_strategy(std::string_view name, const IdleParams& params = {});

// Pauses the CPU for one spin-wait iteration (x86 `pause`, else a compiler barrier).
inline void cpu_relax() noexcept {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#elif defined(__aarch64__)
  asm volatile("yield" ::: "memory");
#else
  asm volatile("" ::: "memory");
#endif
}

}  // namespace numi
