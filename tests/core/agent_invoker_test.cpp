#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <vector>

#include "numi/core/agent.hpp"
#include "numi/core/agent_runner.hpp"
#include "numi/testing/stub_clock.hpp"

namespace numi {
namespace {

// Records every call; do_work returns a scripted amount of work.
class ScriptedAgent final : public Agent {
 public:
  ScriptedAgent(std::string name, std::vector<std::string>* log) : name_(std::move(name)), log_(log) {}
  int do_work(uint64_t now_ns) noexcept override {
    seen_.push_back(now_ns);
    return work_;
  }
  std::string_view name() const noexcept override { return name_; }
  void on_start() override {
    log_->push_back("start " + name_);
    if (throw_on_start_) throw std::runtime_error("port 5000 already bound");
  }
  void on_close() override { log_->push_back("close " + name_); }

  int work_ = 0;
  bool throw_on_start_ = false;
  std::vector<uint64_t> seen_;

 private:
  std::string name_;
  std::vector<std::string>* log_;
};

TEST(AgentInvoker, PassesTheGivenClockToEveryAgentAndSumsWork) {
  std::vector<std::string> log;
  ScriptedAgent a("a", &log);
  ScriptedAgent b("b", &log);
  a.work_ = 2;
  b.work_ = 3;
  AgentInvoker invoker({&a, &b});
  ASSERT_TRUE(invoker.start().ok());
  testing::StubClock clock;
  EXPECT_EQ(invoker.invoke(clock.now_ns()), 5);
  clock.advance(250);
  EXPECT_EQ(invoker.invoke(clock.now_ns()), 5);
  EXPECT_EQ(a.seen_, (std::vector<uint64_t>{1'000'000'000ULL, 1'000'000'250ULL}));
  EXPECT_EQ(b.seen_, a.seen_);
  EXPECT_EQ(invoker.duty_cycles(), 2u);
  EXPECT_EQ(invoker.idle_cycles(), 0u);
}

TEST(AgentInvoker, CountsIdleCyclesWhenNoAgentWorks) {
  std::vector<std::string> log;
  ScriptedAgent a("a", &log);
  AgentInvoker invoker(a);
  ASSERT_TRUE(invoker.start().ok());
  EXPECT_EQ(invoker.invoke(1), 0);
  a.work_ = 1;
  EXPECT_EQ(invoker.invoke(2), 1);
  EXPECT_EQ(invoker.duty_cycles(), 2u);
  EXPECT_EQ(invoker.idle_cycles(), 1u);
  const CounterView view = invoker.counters();
  ASSERT_EQ(view.descs.size(), 2u);
  EXPECT_EQ(view.descs[0].name, "agent_duty_cycles_total");
  EXPECT_EQ(view.values[1].load(), 1u);
}

TEST(AgentInvoker, DoesNothingBeforeStartOrAfterClose) {
  std::vector<std::string> log;
  ScriptedAgent a("a", &log);
  a.work_ = 1;
  AgentInvoker invoker(a);
  EXPECT_EQ(invoker.invoke(1), 0);
  ASSERT_TRUE(invoker.start().ok());
  EXPECT_EQ(invoker.invoke(2), 1);
  invoker.close();
  EXPECT_EQ(invoker.invoke(3), 0);
  EXPECT_EQ(a.seen_, (std::vector<uint64_t>{2}));
}

TEST(AgentInvoker, StartsInOrderAndClosesInReverseOnce) {
  std::vector<std::string> log;
  ScriptedAgent a("a", &log);
  ScriptedAgent b("b", &log);
  {
    AgentInvoker invoker({&a, &b});
    ASSERT_TRUE(invoker.start().ok());
    EXPECT_FALSE(invoker.start().ok());  // twice is an error
    invoker.close();
    invoker.close();
  }  // destructor does not close again
  EXPECT_EQ(log, (std::vector<std::string>{"start a", "start b", "close b", "close a"}));
}

TEST(AgentInvoker, FailedOnStartNamesTheAgentAndClosesTheStartedOnes) {
  std::vector<std::string> log;
  ScriptedAgent a("rx-a", &log);
  ScriptedAgent b("rx-b", &log);
  ScriptedAgent c("rx-c", &log);
  b.throw_on_start_ = true;
  AgentInvoker invoker({&a, &b, &c});
  auto started = invoker.start();
  ASSERT_FALSE(started.ok());
  EXPECT_NE(started.error().message.find("'rx-b'"), std::string::npos) << started.error().message;
  EXPECT_NE(started.error().message.find("port 5000 already bound"), std::string::npos);
  EXPECT_EQ(log, (std::vector<std::string>{"start rx-a", "start rx-b", "close rx-a"}));
  EXPECT_FALSE(invoker.started());
}

}  // namespace
}  // namespace numi
