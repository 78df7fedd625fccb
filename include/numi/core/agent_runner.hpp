// AgentRunner runs one or several agents on a dedicated std::thread: each duty cycle reads now_ns() once,
// steps every agent with it, then lets the IdleStrategy idle if no agent did work. Optional CPU pinning fails
// start() with a clear error (never silent). AgentInvoker steps the same agents by hand (tests, no thread).
// Main types: AgentRunner, AgentRunnerOptions, AgentInvoker, AgentCounter.
// Thread-safety: start()/stop() from one controlling thread; counters readable from any thread (relaxed).
#pragma once

#include <atomic>
#include <cstdint>
#include <mutex>
#include <span>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "numi/core/agent.hpp"
#include "numi/core/counters.hpp"
#include "numi/core/idle_strategy.hpp"
#include "numi/core/status.hpp"

namespace numi {

enum class AgentCounter : uint8_t { kDutyCycles, kIdleCycles, kCount };
[[nodiscard]] std::span<const CounterDesc> counter_table(AgentCounter) noexcept;

struct AgentRunnerOptions {
  std::string name;  // thread name (first 15 bytes) and error prefix; empty = the first agent's name
  int cpu = -1;      // CPU to pin the thread to; -1 = not pinned
};

class AgentRunner {
 public:
  // Borrows the agents: they must outlive the runner (or at least the last stop()). The idle strategy is
  // copied.
  AgentRunner(std::vector<Agent*> agents, IdleStrategy idle, AgentRunnerOptions options = {});
  AgentRunner(Agent& agent, IdleStrategy idle, AgentRunnerOptions options = {});
  AgentRunner(const AgentRunner&) = delete;
  AgentRunner& operator=(const AgentRunner&) = delete;
  ~AgentRunner();  // stop()

  // Starts the thread and returns once it is pinned (if asked) and every agent's on_start() returned. On any
  // failure (no agents, already running, bad CPU, pin refused, on_start threw) the thread is gone again and
  // the error names the runner, the agent/CPU and the fix. A stopped runner may be started again.
  [[nodiscard]] Result<void> start();
  // Sets the stop flag and joins; on_close() runs on the runner thread after its last duty cycle. Idempotent.
  void stop();

  [[nodiscard]] bool running() const noexcept { return running_.load(std::memory_order_acquire); }
  [[nodiscard]] std::string_view name() const noexcept { return name_; }
  [[nodiscard]] int cpu() const noexcept { return cpu_; }
  // Cumulative over restarts. Idle cycles are duty cycles in which every agent returned 0.
  [[nodiscard]] uint64_t duty_cycles() const noexcept { return counters_.load(AgentCounter::kDutyCycles); }
  [[nodiscard]] uint64_t idle_cycles() const noexcept { return counters_.load(AgentCounter::kIdleCycles); }
  [[nodiscard]] CounterView counters() const noexcept { return counters_.view(); }
  // Message of the last exception thrown by an agent's on_close() (empty if none).
  [[nodiscard]] std::string last_error() const;

 private:
  struct Handshake;  // start() <-> thread: start result
  void run(Handshake& handshake) noexcept;

  std::vector<Agent*> agents_;
  IdleStrategy idle_;
  std::string name_;
  int cpu_;
  std::thread thread_;
  std::atomic<bool> stop_{false};
  std::atomic<bool> running_{false};
  CounterBlock<AgentCounter> counters_;
  mutable std::mutex error_mutex_;
  std::string last_error_;
};

// Steps agents by hand: invoke(now_ns) is one duty cycle with the given time. No thread, no idle strategy.
class AgentInvoker {
 public:
  explicit AgentInvoker(std::vector<Agent*> agents);
  explicit AgentInvoker(Agent& agent);
  AgentInvoker(const AgentInvoker&) = delete;
  AgentInvoker& operator=(const AgentInvoker&) = delete;
  ~AgentInvoker();  // close()

  // Calls on_start() of each agent in order; if one throws, closes those already started and returns the
  // error.
  [[nodiscard]] Result<void> start();
  // One duty cycle: every agent's do_work(now_ns); returns the summed work. Returns 0 and does nothing unless
  // started (and not closed).
  int invoke(uint64_t now_ns) noexcept;
  // Calls on_close() of each started agent (reverse order). Idempotent.
  void close();

  [[nodiscard]] bool started() const noexcept { return started_; }
  [[nodiscard]] uint64_t duty_cycles() const noexcept { return counters_.load(AgentCounter::kDutyCycles); }
  [[nodiscard]] uint64_t idle_cycles() const noexcept { return counters_.load(AgentCounter::kIdleCycles); }
  [[nodiscard]] CounterView counters() const noexcept { return counters_.view(); }

 private:
  std::vector<Agent*> agents_;
  bool started_ = false;
  CounterBlock<AgentCounter> counters_;
};

}  // namespace numi
