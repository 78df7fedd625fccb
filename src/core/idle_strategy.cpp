#include "numi/core/idle_strategy.hpp"

#include <sched.h>

#include <array>
#include <cerrno>
#include <ctime>
#include <string>
#include <utility>

namespace numi {
namespace {

void sleep_for_ns(uint64_t ns) noexcept {
  timespec ts{};
  ts.tv_sec = static_cast<time_t>(ns / 1'000'000'000ULL);
  ts.tv_nsec = static_cast<long>(ns % 1'000'000'000ULL);
  // An interrupted sleep just ends the idle step early: the loop re-checks for work anyway.
  (void)clock_nanosleep(CLOCK_MONOTONIC, 0, &ts, nullptr);
}

constexpr std::array<std::pair<std::string_view, IdleKind>, 5> kKinds{{
    {"busy_spin", IdleKind::kBusySpin},
    {"spin_pause", IdleKind::kSpinPause},
    {"yield", IdleKind::kYield},
    {"sleep", IdleKind::kSleep},
    {"backoff", IdleKind::kBackoff},
}};

}  // namespace

std::string_view IdleStrategy::idle_kind_name(IdleKind kind) noexcept {
  for (const auto& [name, k] : kKinds) {
    if (k == kind) return name;
  }
  return "unknown";
}

void IdleStrategy::idle() noexcept {
  switch (kind_) {
    case IdleKind::kBusySpin:
      asm volatile("" ::: "memory");
      return;
    case IdleKind::kSpinPause:
      cpu_relax();
      return;
    case IdleKind::kYield:
      sched_yield();
      return;
    case IdleKind::kSleep:
      sleep_for_ns(params_.sleep_ns);
      return;
    case IdleKind::kBackoff:
      break;
  }
  switch (state_) {
    case State::kNotIdle:
      state_ = State::kSpinning;
      step_ = 0;
      [[fallthrough]];
    case State::kSpinning:
      if (step_ < params_.backoff_max_spins) {
        ++step_;
        cpu_relax();
        return;
      }
      state_ = State::kYielding;
      step_ = 0;
      [[fallthrough]];
    case State::kYielding:
      if (step_ < params_.backoff_max_yields) {
        ++step_;
        sched_yield();
        return;
      }
      state_ = State::kSleeping;
      sleep_ns_ = params_.backoff_min_sleep_ns;
      [[fallthrough]];
    case State::kSleeping:
      sleep_for_ns(sleep_ns_);
      sleep_ns_ =
          sleep_ns_ >= params_.backoff_max_sleep_ns / 2 ? params_.backoff_max_sleep_ns : sleep_ns_ * 2;
      return;
  }
}

Result<IdleStrategy> parse_idle_strategy(std::string_view name, const IdleParams& params) {
  for (const auto& [kind_name, kind] : kKinds) {
    if (kind_name != name) continue;
    if (kind == IdleKind::kSleep && params.sleep_ns == 0) {
      return Error{
          "idle strategy \"sleep\": sleep_ns must be > 0 (use \"yield\" or \"busy_spin\" for no sleep)"};
    }
    if (kind == IdleKind::kBackoff) {
      if (params.backoff_min_sleep_ns == 0) {
        return Error{"idle strategy \"backoff\": backoff_min_sleep_ns must be > 0"};
      }
      if (params.backoff_min_sleep_ns > params.backoff_max_sleep_ns) {
        return Error{"idle strategy \"backoff\": backoff_min_sleep_ns (" +
                     std::to_string(params.backoff_min_sleep_ns) + ") must be <= backoff_max_sleep_ns (" +
                     std::to_string(params.backoff_max_sleep_ns) + ")"};
      }
    }
    return IdleStrategy::of(kind, params);
  }
  std::string msg = "unknown idle strategy \"";
  msg.append(name);
  msg += "\": use one of";
  for (const auto& entry : kKinds) {
    msg += " \"";
    msg.append(entry.first);
    msg += '"';
  }
  return Error{std::move(msg)};
}

}  // namespace numi
