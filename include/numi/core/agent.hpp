// Agent: the unit of work of every numi thread. do_work(now_ns) does a bounded slice of work and returns how
// much it did (0 = idle); the caller reads the clock once per duty cycle and passes it down. The same agent
// runs on a dedicated thread, on a thread shared with other agents (AgentRunner), or stepped by hand
// (AgentInvoker). Main types: Agent. Thread-safety: all four calls happen on the one thread that runs the
// agent.
#pragma once

#include <cstdint>
#include <string_view>

namespace numi {

class Agent {
 public:
  Agent() = default;
  Agent(const Agent&) = delete;
  Agent& operator=(const Agent&) = delete;
  virtual ~Agent() = default;

  // Hot path: one duty cycle's worth of work. Returns the work count (>= 0); 0 lets the idle strategy run.
  virtual int do_work(uint64_t now_ns) noexcept = 0;
  // Stable name for errors, thread names and metrics labels.
  [[nodiscard]] virtual std::string_view name() const noexcept = 0;
  // Called once on the running thread before the first do_work (after CPU pinning). May throw (cold path):
  // the runner reports the exception from start() and does not run the agent.
  virtual void on_start() {}
  // Called once on the running thread after the last do_work. Should not throw (an exception is caught and
  // recorded in the runner's last_error()).
  virtual void on_close() {}
};

}  // namespace numi
