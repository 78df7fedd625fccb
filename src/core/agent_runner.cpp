#include "numi/core/agent_runner.hpp"

#include <pthread.h>
#include <sched.h>

#include <array>
#include <condition_variable>
#include <cstring>
#include <exception>
#include <optional>
#include <utility>

#include "numi/core/clock.hpp"

namespace numi {
namespace {

constexpr std::array<CounterDesc, 2> kAgentCounters{{
    {"agent_duty_cycles_total", "Duty cycles run (each reads the clock once and steps every agent)",
     MetricType::kCounter},
    {"agent_idle_cycles_total", "Duty cycles in which no agent did work (the idle strategy ran)",
     MetricType::kCounter},
}};

std::string exception_message(std::exception_ptr e) {
  try {
    std::rethrow_exception(std::move(e));
  } catch (const std::exception& ex) {
    return ex.what();
  } catch (...) {
    return "unknown exception";
  }
}

// Calls on_start() in order; on a throw closes the started ones (reverse order) and returns the message.
std::optional<std::string> start_agents(const std::vector<Agent*>& agents, std::string_view owner) {
  for (std::size_t i = 0; i < agents.size(); ++i) {
    try {
      agents[i]->on_start();
    } catch (...) {
      std::string msg = std::string(owner) + ": agent '" + std::string(agents[i]->name()) +
                        "' failed in on_start(): " + exception_message(std::current_exception());
      for (std::size_t j = i; j-- > 0;) {
        try {
          agents[j]->on_close();
        } catch (...) {  // the on_start failure is the error to report
        }
      }
      return msg;
    }
  }
  return std::nullopt;
}

// Calls on_close() in reverse order; returns the last exception message (empty if none).
std::string close_agents(const std::vector<Agent*>& agents) {
  std::string error;
  for (std::size_t j = agents.size(); j-- > 0;) {
    try {
      agents[j]->on_close();
    } catch (...) {
      error = "agent '" + std::string(agents[j]->name()) +
              "' failed in on_close(): " + exception_message(std::current_exception());
    }
  }
  return error;
}

std::string allowed_cpus_text() {
  cpu_set_t set;
  CPU_ZERO(&set);
  if (sched_getaffinity(0, sizeof(set), &set) != 0) return "unknown";
  std::string out;
  for (int c = 0; c < CPU_SETSIZE; ++c) {
    if (!CPU_ISSET(c, &set)) continue;
    if (!out.empty()) out += ',';
    out += std::to_string(c);
  }
  return out.empty() ? "none" : out;
}

std::string runner_label(std::string_view name) { return "agent runner '" + std::string(name) + "'"; }

}  // namespace

std::span<const CounterDesc> counter_table(AgentCounter) noexcept { return kAgentCounters; }

struct AgentRunner::Handshake {
  std::mutex mutex;
  std::condition_variable cv;
  bool done = false;
  std::string error;  // empty = started
};

AgentRunner::AgentRunner(std::vector<Agent*> agents, IdleStrategy idle, AgentRunnerOptions options)
    : agents_(std::move(agents)), idle_(idle), name_(std::move(options.name)), cpu_(options.cpu) {
  if (name_.empty() && !agents_.empty() && agents_.front() != nullptr)
    name_ = std::string(agents_.front()->name());
}

AgentRunner::AgentRunner(Agent& agent, IdleStrategy idle, AgentRunnerOptions options)
    : AgentRunner(std::vector<Agent*>{&agent}, idle, std::move(options)) {}

AgentRunner::~AgentRunner() { stop(); }

Result<void> AgentRunner::start() {
  const std::string label = runner_label(name_);
  if (thread_.joinable()) return Error{label + ": start() called while running; call stop() first"};
  if (agents_.empty()) return Error{label + ": no agents to run; pass at least one agent"};
  for (const Agent* a : agents_) {
    if (a == nullptr) return Error{label + ": agent list contains a null pointer"};
  }
  if (cpu_ < -1 || cpu_ >= CPU_SETSIZE) {
    return Error{label + ": cpu " + std::to_string(cpu_) +
                 " is out of range; use -1 (not pinned) or one of the " +
                 "allowed CPUs: " + allowed_cpus_text()};
  }
  stop_.store(false, std::memory_order_relaxed);
  idle_.reset();
  Handshake handshake;
  try {
    thread_ = std::thread([this, &handshake] { run(handshake); });
  } catch (const std::system_error& e) {
    return Error{label + ": cannot create thread: " + e.what()};
  }
  std::unique_lock lock(handshake.mutex);
  handshake.cv.wait(lock, [&] { return handshake.done; });
  if (!handshake.error.empty()) {
    lock.unlock();
    thread_.join();
    return Error{std::move(handshake.error)};
  }
  running_.store(true, std::memory_order_release);
  return {};
}

void AgentRunner::stop() {
  if (!thread_.joinable()) return;
  stop_.store(true, std::memory_order_release);
  thread_.join();
  running_.store(false, std::memory_order_release);
}

std::string AgentRunner::last_error() const {
  std::lock_guard lock(error_mutex_);
  return last_error_;
}

void AgentRunner::run(Handshake& handshake) noexcept {
  const std::string label = runner_label(name_);
  std::string error;
  const std::string thread_name = name_.substr(0, 15);            // Linux limit: 16 bytes with the NUL
  (void)pthread_setname_np(pthread_self(), thread_name.c_str());  // cosmetic (top/perf): never fatal
  if (cpu_ >= 0) {
    const std::string allowed = allowed_cpus_text();
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(static_cast<std::size_t>(cpu_), &set);
    const int rc = pthread_setaffinity_np(pthread_self(), sizeof(set), &set);
    if (rc != 0) {
      error = label + ": cannot pin thread to cpu " + std::to_string(cpu_) + ": " + std::strerror(rc) +
              "; allowed CPUs: " + allowed + "; pick one of them or use -1 (not pinned)";
    }
  }
  if (error.empty()) {
    if (auto failed = start_agents(agents_, label)) error = std::move(*failed);
  }
  const bool ok = error.empty();
  {
    std::lock_guard lock(handshake.mutex);
    handshake.error = std::move(error);
    handshake.done = true;
    handshake.cv.notify_one();  // under the lock: `handshake` lives on start()'s stack
  }
  if (!ok) return;

  while (!stop_.load(std::memory_order_acquire)) {
    const uint64_t now = now_ns();
    int work = 0;
    for (Agent* agent : agents_) work += agent->do_work(now);
    counters_.add(AgentCounter::kDutyCycles);
    if (work <= 0) counters_.add(AgentCounter::kIdleCycles);
    idle_.idle(work);
  }

  std::string close_error = close_agents(agents_);
  if (!close_error.empty()) {
    std::lock_guard lock(error_mutex_);
    last_error_ = label + ": " + close_error;
  }
}

AgentInvoker::AgentInvoker(std::vector<Agent*> agents) : agents_(std::move(agents)) {}
AgentInvoker::AgentInvoker(Agent& agent) : AgentInvoker(std::vector<Agent*>{&agent}) {}
AgentInvoker::~AgentInvoker() { close(); }

Result<void> AgentInvoker::start() {
  if (started_) return Error{"agent invoker: start() called twice; call close() first"};
  for (const Agent* a : agents_) {
    if (a == nullptr) return Error{"agent invoker: agent list contains a null pointer"};
  }
  if (auto failed = start_agents(agents_, "agent invoker")) return Error{std::move(*failed)};
  started_ = true;
  return {};
}

int AgentInvoker::invoke(uint64_t now_ns) noexcept {
  if (!started_) return 0;
  int work = 0;
  for (Agent* agent : agents_) work += agent->do_work(now_ns);
  counters_.add(AgentCounter::kDutyCycles);
  if (work <= 0) counters_.add(AgentCounter::kIdleCycles);
  return work;
}

void AgentInvoker::close() {
  if (!started_) return;
  started_ = false;
  (void)close_agents(agents_);
}

}  // namespace numi
