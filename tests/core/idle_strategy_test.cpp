#include "numi/core/idle_strategy.hpp"

#include <gtest/gtest.h>

#include <string>

#include "numi/core/clock.hpp"

namespace numi {
namespace {

TEST(IdleStrategy, ParsesEveryKindByName) {
  const std::pair<const char*, IdleKind> cases[] = {{"busy_spin", IdleKind::kBusySpin},
                                                    {"spin_pause", IdleKind::kSpinPause},
                                                    {"yield", IdleKind::kYield},
                                                    {"sleep", IdleKind::kSleep},
                                                    {"backoff", IdleKind::kBackoff}};
  for (const auto& [name, kind] : cases) {
    auto parsed = parse_idle_strategy(name);
    ASSERT_TRUE(parsed.ok()) << name << ": " << parsed.error().message;
    EXPECT_EQ(parsed->kind(), kind);
    EXPECT_EQ(parsed->name(), name);
  }
}

TEST(IdleStrategy, ParsePassesParameters) {
  IdleParams params;
  params.sleep_ns = 12'345;
  auto parsed = parse_idle_strategy("sleep", params);
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->params().sleep_ns, 12'345u);
}

TEST(IdleStrategy, UnknownNameIsAnErrorListingTheAcceptedNames) {
  for (const char* bad : {"", "Backoff", "spin", "busy-spin", "sleep "}) {
    auto parsed = parse_idle_strategy(bad);
    ASSERT_FALSE(parsed.ok()) << bad;
    const std::string& msg = parsed.error().message;
    EXPECT_NE(msg.find(std::string("\"") + bad + "\""), std::string::npos) << msg;
    EXPECT_NE(msg.find("\"busy_spin\" \"spin_pause\" \"yield\" \"sleep\" \"backoff\""), std::string::npos)
        << msg;
  }
}

TEST(IdleStrategy, InvalidParametersAreErrorsNotClamped) {
  IdleParams zero_sleep;
  zero_sleep.sleep_ns = 0;
  auto a = parse_idle_strategy("sleep", zero_sleep);
  ASSERT_FALSE(a.ok());
  EXPECT_NE(a.error().message.find("sleep_ns"), std::string::npos);

  IdleParams inverted;
  inverted.backoff_min_sleep_ns = 10'000;
  inverted.backoff_max_sleep_ns = 1'000;
  auto b = parse_idle_strategy("backoff", inverted);
  ASSERT_FALSE(b.ok());
  EXPECT_NE(b.error().message.find("backoff_min_sleep_ns (10000)"), std::string::npos) << b.error().message;

  IdleParams zero_min;
  zero_min.backoff_min_sleep_ns = 0;
  EXPECT_FALSE(parse_idle_strategy("backoff", zero_min).ok());
}

TEST(IdleStrategy, BackoffSpinsThenYieldsThenSleepsDoublingUpToTheCap) {
  IdleParams p;
  p.backoff_max_spins = 3;
  p.backoff_max_yields = 2;
  p.backoff_min_sleep_ns = 1'000;
  p.backoff_max_sleep_ns = 5'000;
  IdleStrategy idle = IdleStrategy::backoff(p);
  EXPECT_EQ(idle.state(), IdleStrategy::State::kNotIdle);
  for (int i = 0; i < 3; ++i) {
    idle.idle(0);
    EXPECT_EQ(idle.state(), IdleStrategy::State::kSpinning) << i;
  }
  for (int i = 0; i < 2; ++i) {
    idle.idle(0);
    EXPECT_EQ(idle.state(), IdleStrategy::State::kYielding) << i;
  }
  idle.idle(0);  // sleeps 1 us
  EXPECT_EQ(idle.state(), IdleStrategy::State::kSleeping);
  EXPECT_EQ(idle.current_sleep_ns(), 2'000u);
  idle.idle(0);  // 2 us
  EXPECT_EQ(idle.current_sleep_ns(), 4'000u);
  idle.idle(0);  // 4 us
  EXPECT_EQ(idle.current_sleep_ns(), 5'000u);
  idle.idle(0);  // 5 us (capped)
  EXPECT_EQ(idle.current_sleep_ns(), 5'000u);

  idle.idle(1);  // work resets
  EXPECT_EQ(idle.state(), IdleStrategy::State::kNotIdle);
  EXPECT_EQ(idle.current_sleep_ns(), 1'000u);
  idle.idle(0);
  EXPECT_EQ(idle.state(), IdleStrategy::State::kSpinning);
}

TEST(IdleStrategy, SleepStrategySleepsAtLeastItsPeriod) {
  IdleStrategy idle = IdleStrategy::sleep(200'000);
  const uint64_t start = now_ns();
  idle.idle(0);
  EXPECT_GE(now_ns() - start, 200'000u);
}

TEST(IdleStrategy, WorkSkipsIdlingForEveryKind) {
  for (IdleStrategy s : {IdleStrategy::busy_spin(), IdleStrategy::spin_pause(), IdleStrategy::yield(),
                         IdleStrategy::sleep(1'000'000'000ULL), IdleStrategy::backoff()}) {
    const uint64_t start = now_ns();
    s.idle(5);  // must return at once even for the 1 s sleep
    EXPECT_LT(now_ns() - start, 500'000'000u) << s.name();
    if (s.kind() == IdleKind::kSleep) continue;
    s.idle();  // and a bare idle step works for the cheap ones
    EXPECT_EQ(s.kind() == IdleKind::kBackoff, s.state() == IdleStrategy::State::kSpinning) << s.name();
  }
}

TEST(IdleStrategy, DefaultIsBusySpin) {
  IdleStrategy s;
  EXPECT_EQ(s.kind(), IdleKind::kBusySpin);
  EXPECT_EQ(s.name(), "busy_spin");
}

}  // namespace
}  // namespace numi
