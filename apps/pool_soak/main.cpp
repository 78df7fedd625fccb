// pool_soak [pool_size] [packet_size] [iterations] [burst] [allow_misses] [--threads N]
// Soaks the PacketPool: each iteration gets `burst` buffers, writes every byte of each, and puts them back.
// With --threads N, N getter threads hand their buffers over SPSC queues to one putter thread (the engine's
// shape). Prints one key=value line; exits 1 on misses or return drops unless allow_misses=1, 2 on bad usage.
#include <sys/resource.h>

#include <algorithm>
#include <atomic>
#include <bit>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "numi/core/clock.hpp"
#include "numi/core/kv_line.hpp"
#include "numi/core/packet_pool.hpp"
#include "numi/core/spsc_queue.hpp"

namespace {

constexpr const char* kUsage =
    "usage: pool_soak [pool_size=65536] [packet_size=2048] [iterations=10000] [burst=64] [allow_misses=0] "
    "[--threads N]";

struct Args {
  uint64_t pool_size = 65536;
  uint64_t packet_size = 2048;
  uint64_t iterations = 10000;
  uint64_t burst = 64;
  uint64_t allow_misses = 0;
  uint64_t threads = 0;  // 0 = single-threaded mode
};

std::optional<uint64_t> parse_u64(std::string_view text) {
  if (text.empty() || text.size() > 19) return std::nullopt;
  uint64_t v = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + static_cast<uint64_t>(c - '0');
  }
  return v;
}

bool parse_positive(const char* name, std::string_view text, uint64_t max, uint64_t& out) {
  const auto v = parse_u64(text);
  if (!v) {
    std::fprintf(stderr, "pool_soak: %s=%.*s is not a number: give a positive integer\n%s\n", name,
                 static_cast<int>(text.size()), text.data(), kUsage);
    return false;
  }
  if (*v == 0 || *v > max) {
    std::fprintf(stderr, "pool_soak: %s=%llu is out of range: give 1..%llu\n%s\n", name,
                 static_cast<unsigned long long>(*v), static_cast<unsigned long long>(max), kUsage);
    return false;
  }
  out = *v;
  return true;
}

std::optional<Args> parse_args(int argc, char** argv) {
  Args args;
  std::vector<std::string_view> positional;
  for (int i = 1; i < argc; ++i) {
    const std::string_view a = argv[i];
    if (a == "-h" || a == "--help") {
      std::fprintf(stderr, "%s\n", kUsage);
      std::exit(0);
    }
    if (a == "--threads" || a.starts_with("--threads=")) {
      std::string_view value;
      if (a == "--threads") {
        if (i + 1 >= argc) {
          std::fprintf(stderr, "pool_soak: --threads needs a value, e.g. --threads 2\n%s\n", kUsage);
          return std::nullopt;
        }
        value = argv[++i];
      } else {
        value = a.substr(std::strlen("--threads="));
      }
      if (!parse_positive("--threads", value, 64, args.threads)) return std::nullopt;
      continue;
    }
    if (a.starts_with("-")) {
      std::fprintf(stderr, "pool_soak: unknown option %s\n%s\n", argv[i], kUsage);
      return std::nullopt;
    }
    positional.push_back(a);
  }
  if (positional.size() > 5) {
    std::fprintf(stderr, "pool_soak: too many arguments (%zu, at most 5)\n%s\n", positional.size(), kUsage);
    return std::nullopt;
  }
  struct Slot {
    const char* name;
    uint64_t max;
    uint64_t* out;
  };
  const Slot slots[] = {{"pool_size", numi::PacketPool::kMaxSize, &args.pool_size},
                        {"packet_size", numi::PacketPool::kMaxPacketSize, &args.packet_size},
                        {"iterations", uint64_t{1} << 40, &args.iterations},
                        {"burst", numi::PacketPool::kMaxSize, &args.burst}};
  for (size_t i = 0; i < positional.size() && i < 4; ++i) {
    if (!parse_positive(slots[i].name, positional[i], slots[i].max, *slots[i].out)) return std::nullopt;
  }
  if (positional.size() == 5) {
    const auto v = parse_u64(positional[4]);
    if (!v || *v > 1) {
      std::fprintf(stderr, "pool_soak: allow_misses=%.*s must be 0 or 1\n%s\n",
                   static_cast<int>(positional[4].size()), positional[4].data(), kUsage);
      return std::nullopt;
    }
    args.allow_misses = *v;
  }
  return args;
}

long minor_faults() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_minflt;
}

struct Outcome {
  uint64_t ops = 0;  // get+put pairs completed
  uint64_t elapsed_ns = 0;
  long minflt_after_warmup = 0;
  uint64_t required_buffers = 0;  // buffers in flight at most, for the sizing advice
};

// Maps the next 32 KiB of the calling thread's stack, so deeper calls in the measured loop do not fault.
[[gnu::noinline]] void prefault_stack() {
  volatile char pad[32 * 1024];
  for (size_t i = 0; i < sizeof pad; i += 4096) pad[i] = 0;
}

// Writes every byte of the buffer (the soak's "touch") and records the length.
void touch(numi::Packet& p, uint64_t stamp) noexcept {
  std::memset(p.data(), static_cast<int>(stamp & 0xFF), p.capacity());
  p.length = p.capacity();
  p.first_sequence = stamp;
}

Outcome run_single(numi::PacketPool& pool, const Args& args) {
  std::vector<numi::Packet*> held(args.burst);
  Outcome out;
  out.required_buffers = args.burst;
  auto iteration = [&](uint64_t it) {
    size_t n = 0;
    for (uint64_t b = 0; b < args.burst; ++b) {
      numi::Packet* p = pool.get();
      if (p == nullptr) continue;  // counted by the pool
      touch(*p, it);
      held[n++] = p;
    }
    for (size_t i = 0; i < n; ++i) (void)pool.put(held[i]);
    return n;
  };
  (void)iteration(0);    // warm-up
  (void)numi::now_ns();  // first clock read maps the vDSO data page
  const long faults_before = minor_faults();
  const uint64_t start = numi::now_ns();
  for (uint64_t it = 0; it < args.iterations; ++it) out.ops += iteration(it);
  out.elapsed_ns = numi::now_ns() - start;
  out.minflt_after_warmup = minor_faults() - faults_before;
  return out;
}

// N getters (each with its own SPSC queue) -> one putter. A getter waits for queue room before taking a
// burst, so buffers in flight stay <= threads x (queue capacity + burst): misses mean the pool is too small.
Outcome run_threads(numi::PacketPool& pool, const Args& args) {
  const size_t queue_capacity = std::bit_ceil(static_cast<size_t>(args.burst));
  std::vector<std::unique_ptr<numi::SpscQueue<numi::Packet*>>> queues;
  for (uint64_t t = 0; t < args.threads; ++t) {
    queues.push_back(std::make_unique<numi::SpscQueue<numi::Packet*>>(queue_capacity));
    // Touch the slot array once (fill and drain, before any thread starts) so its pages are mapped.
    while (queues.back()->try_push(nullptr)) {
    }
    while (queues.back()->front() != nullptr) queues.back()->pop();
  }
  Outcome out;
  out.required_buffers = args.threads * (queue_capacity + args.burst);

  // Warm-up on this thread (one iteration), as in single-threaded mode.
  {
    std::vector<numi::Packet*> held(args.burst);
    size_t n = 0;
    for (uint64_t b = 0; b < args.burst; ++b) {
      if (numi::Packet* p = pool.get()) {
        touch(*p, 0);
        held[n++] = p;
      }
    }
    for (size_t i = 0; i < n; ++i) (void)pool.put(held[i]);
  }
  // Threads start, allocate and touch their stacks, then wait for `go`: faults and time count from there.
  std::atomic<uint64_t> ready{0};
  std::atomic<bool> go{false};
  std::atomic<uint64_t> getters_done{0};
  std::atomic<bool> putter_done{false};
  std::atomic<bool> finish{false};
  std::atomic<uint64_t> puts{0};
  auto wait_for_go = [&] {
    prefault_stack();
    ready.fetch_add(1);
    while (!go.load(std::memory_order_acquire)) std::this_thread::yield();
  };
  std::vector<std::thread> getters;
  for (uint64_t t = 0; t < args.threads; ++t) {
    getters.emplace_back([&, t] {
      numi::SpscQueue<numi::Packet*>& q = *queues[t];
      std::vector<numi::Packet*> held(args.burst);
      (void)numi::now_ns();
      wait_for_go();
      for (uint64_t it = 0; it < args.iterations; ++it) {
        while (q.capacity() - q.size() < args.burst) std::this_thread::yield();
        size_t n = 0;
        for (uint64_t b = 0; b < args.burst; ++b) {
          numi::Packet* p = pool.get();
          if (p == nullptr) continue;
          touch(*p, it);
          p->worker_id = static_cast<uint16_t>(t);
          held[n++] = p;
        }
        size_t pushed = 0;
        while (pushed < n) {
          pushed += q.try_push_n(std::span<numi::Packet* const>(held.data() + pushed, n - pushed));
          if (pushed < n) std::this_thread::yield();
        }
      }
      getters_done.fetch_add(1, std::memory_order_release);
      while (!finish.load(std::memory_order_acquire)) std::this_thread::yield();  // exit after measuring
    });
  }
  std::thread putter([&] {
    std::vector<numi::Packet*> batch(std::min<size_t>(queue_capacity, 256));
    uint64_t local_puts = 0;
    wait_for_go();
    for (;;) {
      const bool done = getters_done.load(std::memory_order_acquire) == args.threads;
      size_t drained = 0;
      for (auto& q : queues) {
        const size_t n = q->pop_n(batch);
        for (size_t i = 0; i < n; ++i) (void)pool.put(batch[i]);
        drained += n;
      }
      local_puts += drained;
      if (drained == 0) {
        if (done) break;
        std::this_thread::yield();
      }
    }
    puts.store(local_puts);
    putter_done.store(true, std::memory_order_release);
    while (!finish.load(std::memory_order_acquire)) std::this_thread::yield();
  });
  while (ready.load() != args.threads + 1) std::this_thread::yield();
  (void)numi::now_ns();
  const long faults_before = minor_faults();
  const uint64_t start = numi::now_ns();
  go.store(true, std::memory_order_release);
  while (!putter_done.load(std::memory_order_acquire)) std::this_thread::yield();
  out.elapsed_ns = numi::now_ns() - start;
  out.minflt_after_warmup = minor_faults() - faults_before;  // before any thread exits
  finish.store(true, std::memory_order_release);
  for (auto& g : getters) g.join();
  putter.join();
  out.ops = puts.load();
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  const auto parsed = parse_args(argc, argv);
  if (!parsed) return 2;
  const Args& args = *parsed;

  auto created = numi::PacketPool::create(
      numi::PacketPoolOptions{.size = static_cast<uint32_t>(args.pool_size),
                              .max_packet_size = static_cast<uint32_t>(args.packet_size)});
  if (!created.ok()) {
    std::fprintf(stderr, "pool_soak: %s\n", created.error().message.c_str());
    return 2;
  }
  numi::PacketPool& pool = *created.value();

  const Outcome out = args.threads == 0 ? run_single(pool, args) : run_threads(pool, args);
  const uint64_t misses = pool.counters().load(numi::PoolCounter::kMisses);
  const uint64_t return_drops = pool.counters().load(numi::PoolCounter::kReturnDrops);
  const double elapsed_ms = static_cast<double>(out.elapsed_ns) / 1e6;
  const double ops_per_sec =
      out.elapsed_ns == 0 ? 0.0 : static_cast<double>(out.ops) * 1e9 / static_cast<double>(out.elapsed_ns);

  numi::KvLine line;
  line.add("pool_size", args.pool_size)
      .add("packet_size", args.packet_size)
      .add("iterations", args.iterations)
      .add("burst", args.burst);
  if (args.threads != 0) line.add("threads", args.threads);
  line.add("ops", out.ops)
      .add("elapsed_ms", elapsed_ms, 3)
      .add("ops_per_sec", ops_per_sec, 0)
      .add("preallocated_bytes", static_cast<uint64_t>(pool.preallocated_bytes()))
      .add("misses", misses)
      .add("return_drops", return_drops)
      .add("minflt_after_warmup", static_cast<int64_t>(out.minflt_after_warmup))
      .add("available_at_end", pool.available());
  line.print();
  std::fflush(stdout);

  std::fprintf(stderr,
               "pool_soak: %llu get+put pairs of %llu-byte buffers in %.1f ms (%.1f M ops/s), %ld minor "
               "faults after warm-up, %llu misses, %llu return drops\n",
               static_cast<unsigned long long>(out.ops), static_cast<unsigned long long>(args.packet_size),
               elapsed_ms, ops_per_sec / 1e6, out.minflt_after_warmup,
               static_cast<unsigned long long>(misses), static_cast<unsigned long long>(return_drops));
  bool failed = false;
  if (pool.available() != pool.size()) {
    std::fprintf(stderr,
                 "pool_soak: FAIL: %u of %u buffers back in the pool at the end (a buffer was lost)\n",
                 pool.available(), pool.size());
    failed = true;
  }
  if (misses != 0 && args.allow_misses == 0) {
    if (args.threads == 0) {
      std::fprintf(
          stderr,
          "pool_soak: FAIL: %llu misses: pool_size=%llu < burst=%llu: raise pool.size in the config to at "
          "least burst x consumers, or lower the burst (or pass allow_misses=1 to accept misses)\n",
          static_cast<unsigned long long>(misses), static_cast<unsigned long long>(args.pool_size),
          static_cast<unsigned long long>(args.burst));
    } else {
      std::fprintf(
          stderr,
          "pool_soak: FAIL: %llu misses: pool_size=%llu < %llu buffers in flight (threads=%llu x (queue "
          "capacity + burst=%llu)): raise pool.size in the config to at least that, lower the burst or "
          "the threads (or pass allow_misses=1 to accept misses)\n",
          static_cast<unsigned long long>(misses), static_cast<unsigned long long>(args.pool_size),
          static_cast<unsigned long long>(out.required_buffers),
          static_cast<unsigned long long>(args.threads), static_cast<unsigned long long>(args.burst));
    }
    failed = true;
  }
  if (return_drops != 0 && args.allow_misses == 0) {
    std::fprintf(stderr,
                 "pool_soak: FAIL: %llu return drops (a buffer returned twice or to the wrong pool)\n",
                 static_cast<unsigned long long>(return_drops));
    failed = true;
  }
  return failed ? 1 : 0;
}
