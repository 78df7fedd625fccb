// AgentRunner with real threads (label: stress, run under TSan).
#include "numi/core/agent_runner.hpp"

#include <gtest/gtest.h>
#include <pthread.h>
#include <sched.h>

#include <atomic>
#include <stdexcept>
#include <string>
#include <thread>

#include "numi/core/clock.hpp"

namespace numi {
namespace {

// Counts its calls with relaxed atomics so the test thread can watch it run.
class CountingAgent final : public Agent {
 public:
  explicit CountingAgent(std::string name, int work = 1) : name_(std::move(name)), work_(work) {}
  int do_work(uint64_t now_ns) noexcept override {
    // now_ns is read once per cycle and never goes backwards.
    if (now_ns < last_now_) backwards_.store(true, std::memory_order_relaxed);
    last_now_ = now_ns;
    calls_.store(calls_.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
    return work_;
  }
  std::string_view name() const noexcept override { return name_; }
  void on_start() override {
    starts_.fetch_add(1);
    start_thread_ = std::this_thread::get_id();
    cpu_set_t set;
    CPU_ZERO(&set);
    if (pthread_getaffinity_np(pthread_self(), sizeof(set), &set) == 0) affinity_count_ = CPU_COUNT(&set);
    if (pthread_getaffinity_np(pthread_self(), sizeof(set), &set) == 0)
      on_cpu0_only_ = CPU_ISSET(0, &set) != 0;
    if (throw_on_start_) throw std::runtime_error("cannot open capture file");
  }
  void on_close() override {
    closes_.fetch_add(1);
    close_thread_ = std::this_thread::get_id();
    if (throw_on_close_) throw std::runtime_error("flush failed");
  }
  [[nodiscard]] uint64_t calls() const noexcept { return calls_.load(std::memory_order_relaxed); }

  std::atomic<int> starts_{0};
  std::atomic<int> closes_{0};
  std::atomic<bool> backwards_{false};
  std::thread::id start_thread_;  // written on the runner thread, read after start()/stop() synchronise
  std::thread::id close_thread_;
  int affinity_count_ = 0;
  bool on_cpu0_only_ = false;
  bool throw_on_start_ = false;
  bool throw_on_close_ = false;

 private:
  std::string name_;
  int work_;
  uint64_t last_now_ = 0;
  std::atomic<uint64_t> calls_{0};
};

void wait_for_calls(const CountingAgent& agent, uint64_t n) {
  const uint64_t deadline = now_ns() + 20'000'000'000ULL;
  while (agent.calls() < n && now_ns() < deadline) std::this_thread::yield();
  ASSERT_GE(agent.calls(), n) << "agent did not run";
}

TEST(AgentRunner, RunsAgentOnItsOwnThreadUntilStopped) {
  CountingAgent agent("rx");
  AgentRunner runner(agent, IdleStrategy::busy_spin());
  ASSERT_TRUE(runner.start().ok());
  EXPECT_TRUE(runner.running());
  EXPECT_EQ(agent.starts_.load(), 1);
  EXPECT_NE(agent.start_thread_, std::this_thread::get_id());
  wait_for_calls(agent, 1'000);
  runner.stop();
  EXPECT_FALSE(runner.running());
  EXPECT_EQ(agent.closes_.load(), 1);
  EXPECT_EQ(agent.close_thread_, agent.start_thread_);  // on_close runs on the runner thread
  EXPECT_EQ(runner.duty_cycles(), agent.calls());
  EXPECT_EQ(runner.idle_cycles(), 0u);
  EXPECT_FALSE(agent.backwards_.load());
  const uint64_t after_stop = agent.calls();
  std::this_thread::sleep_for(std::chrono::milliseconds(5));
  EXPECT_EQ(agent.calls(), after_stop);
  EXPECT_EQ(runner.name(), "rx");
}

TEST(AgentRunner, CompositeStepsEveryAgentEachCycleAndCountsIdleCycles) {
  CountingAgent a("a", 0);
  CountingAgent b("b", 0);
  CountingAgent c("c", 0);
  AgentRunner runner({&a, &b, &c}, IdleStrategy::backoff(), {"shared", -1});
  ASSERT_TRUE(runner.start().ok());
  wait_for_calls(c, 200);
  runner.stop();
  EXPECT_EQ(a.calls(), runner.duty_cycles());
  EXPECT_EQ(b.calls(), runner.duty_cycles());
  EXPECT_EQ(c.calls(), runner.duty_cycles());
  EXPECT_EQ(runner.idle_cycles(), runner.duty_cycles());
}

TEST(AgentRunner, StartsAndStopsManyTimes) {
  CountingAgent a("a", 1);
  CountingAgent b("b", 0);
  AgentRunner runner({&a, &b}, IdleStrategy::yield(), {"restart", -1});
  constexpr int kRounds = 40;
  for (int i = 0; i < kRounds; ++i) {
    ASSERT_TRUE(runner.start().ok()) << i;
    if (i % 4 == 0) wait_for_calls(a, static_cast<uint64_t>(i) + 1);
    runner.stop();
  }
  runner.stop();  // idempotent
  EXPECT_EQ(a.starts_.load(), kRounds);
  EXPECT_EQ(a.closes_.load(), kRounds);
  EXPECT_EQ(b.closes_.load(), kRounds);
  EXPECT_EQ(a.calls(), runner.duty_cycles());
  EXPECT_EQ(b.calls(), runner.duty_cycles());
  EXPECT_EQ(runner.idle_cycles(), 0u);  // a always works
}

TEST(AgentRunner, ManyRunnersInParallel) {
  constexpr int kRunners = 4;
  std::vector<std::unique_ptr<CountingAgent>> agents;
  std::vector<std::unique_ptr<AgentRunner>> runners;
  for (int i = 0; i < kRunners; ++i) {
    agents.push_back(std::make_unique<CountingAgent>("p" + std::to_string(i), i % 2));
    runners.push_back(std::make_unique<AgentRunner>(*agents.back(), IdleStrategy::sleep(10'000)));
    ASSERT_TRUE(runners.back()->start().ok());
  }
  for (auto& a : agents) wait_for_calls(*a, 10);
  for (auto& r : runners) r->stop();
  for (int i = 0; i < kRunners; ++i) EXPECT_EQ(agents[static_cast<std::size_t>(i)]->closes_.load(), 1);
}

TEST(AgentRunner, PinsToCpu0) {
  cpu_set_t allowed;
  CPU_ZERO(&allowed);
  ASSERT_EQ(sched_getaffinity(0, sizeof(allowed), &allowed), 0);
  if (!CPU_ISSET(0, &allowed)) GTEST_SKIP() << "CPU 0 is not in this process's affinity mask";
  CountingAgent agent("pinned");
  AgentRunner runner(agent, IdleStrategy::sleep(50'000), {"pinned", 0});
  auto started = runner.start();
  ASSERT_TRUE(started.ok()) << started.error().message;
  EXPECT_EQ(runner.cpu(), 0);
  EXPECT_EQ(agent.affinity_count_, 1);
  EXPECT_TRUE(agent.on_cpu0_only_);
  runner.stop();
}

TEST(AgentRunner, PinToCpuThatDoesNotExistFailsWithAClearError) {
  CountingAgent agent("rx");
  AgentRunner runner(agent, IdleStrategy::busy_spin(), {"rx-a", 1000});  // < CPU_SETSIZE, not present
  auto started = runner.start();
  ASSERT_FALSE(started.ok());
  const std::string& msg = started.error().message;
  EXPECT_NE(msg.find("agent runner 'rx-a'"), std::string::npos) << msg;
  EXPECT_NE(msg.find("cpu 1000"), std::string::npos) << msg;
  EXPECT_NE(msg.find("allowed CPUs: "), std::string::npos) << msg;
  EXPECT_FALSE(runner.running());
  EXPECT_EQ(agent.starts_.load(), 0);  // the agent never started
  EXPECT_EQ(agent.calls(), 0u);
}

TEST(AgentRunner, CpuOutOfRangeFailsBeforeCreatingAThread) {
  CountingAgent agent("rx");
  for (int cpu : {-2, CPU_SETSIZE, 1 << 20}) {
    AgentRunner runner(agent, IdleStrategy::busy_spin(), {"rx", cpu});
    auto started = runner.start();
    ASSERT_FALSE(started.ok()) << cpu;
    EXPECT_NE(started.error().message.find("out of range"), std::string::npos) << started.error().message;
  }
  EXPECT_EQ(agent.starts_.load(), 0);
}

TEST(AgentRunner, OnStartFailureIsReturnedFromStart) {
  CountingAgent ok_agent("first");
  CountingAgent bad("decoder");
  bad.throw_on_start_ = true;
  AgentRunner runner({&ok_agent, &bad}, IdleStrategy::busy_spin(), {"engine", -1});
  auto started = runner.start();
  ASSERT_FALSE(started.ok());
  EXPECT_NE(started.error().message.find("'decoder'"), std::string::npos) << started.error().message;
  EXPECT_NE(started.error().message.find("cannot open capture file"), std::string::npos);
  EXPECT_FALSE(runner.running());
  EXPECT_EQ(ok_agent.closes_.load(), 1);  // rolled back
  EXPECT_EQ(ok_agent.calls(), 0u);
}

TEST(AgentRunner, StartWhileRunningAndEmptyRunnerAreErrors) {
  CountingAgent agent("rx");
  AgentRunner runner(agent, IdleStrategy::yield());
  ASSERT_TRUE(runner.start().ok());
  auto again = runner.start();
  ASSERT_FALSE(again.ok());
  EXPECT_NE(again.error().message.find("while running"), std::string::npos);
  runner.stop();

  AgentRunner empty(std::vector<Agent*>{}, IdleStrategy::yield(), {"nothing", -1});
  auto none = empty.start();
  ASSERT_FALSE(none.ok());
  EXPECT_NE(none.error().message.find("no agents"), std::string::npos);
}

TEST(AgentRunner, OnCloseExceptionIsRecordedNotFatal) {
  CountingAgent agent("writer");
  agent.throw_on_close_ = true;
  AgentRunner runner(agent, IdleStrategy::yield());
  ASSERT_TRUE(runner.start().ok());
  runner.stop();
  EXPECT_NE(runner.last_error().find("flush failed"), std::string::npos) << runner.last_error();
}

TEST(AgentRunner, DestructorStopsTheThread) {
  CountingAgent agent("rx");
  {
    AgentRunner runner(agent, IdleStrategy::spin_pause());
    ASSERT_TRUE(runner.start().ok());
    wait_for_calls(agent, 10);
  }
  EXPECT_EQ(agent.closes_.load(), 1);
}

}  // namespace
}  // namespace numi
