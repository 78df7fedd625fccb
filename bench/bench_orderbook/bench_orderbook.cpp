// bench_orderbook: N instruments x M orders; phase 1 adds every order, phase 2 modifies every order (half
// keep priority with a qty decrease, half move price), phase 3 deletes every order; events applied in batches
// of 64 (the ids of a batch are prefetched first, as a decoder would one message ahead). Repeated; medians
// reported. A separate pass samples every 64th event's apply latency with rdtsc. The program checks its own
// work: every event must return kOk, the post-add state hash must be identical in every repetition, the book
// must be empty (and hash to the empty hash) after the deletes, and check_invariants must pass.
// Output: one key=value line on stdout, a human summary on stderr; exit 1 on a failed check, 2 on bad args.
#include <time.h>
#include <x86intrin.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "numi/book/order_book.hpp"
#include "numi/core/build_info.hpp"
#include "numi/core/clock.hpp"
#include "numi/core/histogram.hpp"
#include "numi/core/kv_line.hpp"

namespace {

using numi::book::ApplyStatus;
using numi::book::OrderBook;
using numi::book::Price;
using numi::book::Qty;
using numi::book::Side;

enum class Kind : uint8_t { kAdd, kModify, kDelete };

struct Event {
  Kind kind;
  Side side;
  uint32_t instrument;
  uint64_t id;
  Price price;
  Qty qty;
};

struct Options {
  uint32_t instruments = 32;
  uint32_t orders = 5000;  // per instrument
  uint32_t reps = 7;
  uint32_t batch = 64;
};

[[noreturn]] void usage_error(const std::string& msg) {
  std::fprintf(stderr,
               "bench_orderbook: %s\nusage: bench_orderbook [--instruments N (default 32)] [--orders M per "
               "instrument (default 5000)] [--reps R >= 5 (default 7)] [--batch B (default 64)]\n",
               msg.c_str());
  std::exit(2);
}

uint32_t parse_u32(std::string_view name, const char* value, uint32_t min, uint32_t max) {
  if (value == nullptr) usage_error(std::string(name) + " needs a value");
  char* end = nullptr;
  const unsigned long long v = std::strtoull(value, &end, 10);
  if (*value == '\0' || *end != '\0' || v < min || v > max) {
    usage_error(std::string(name) + "=" + value + " is not an integer in [" + std::to_string(min) + ", " +
                std::to_string(max) + "]");
  }
  return static_cast<uint32_t>(v);
}

Options parse(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; i += 2) {  // every option takes one value
    const std::string_view a = argv[i];
    const char* v = i + 1 < argc ? argv[i + 1] : nullptr;
    if (a == "--instruments") {
      o.instruments = parse_u32(a, v, 1, 1u << 20);
    } else if (a == "--orders") {
      o.orders = parse_u32(a, v, 1, 1u << 24);
    } else if (a == "--reps") {
      o.reps = parse_u32(a, v, 5, 1000);
    } else if (a == "--batch") {
      o.batch = parse_u32(a, v, 1, 4096);
    } else {
      usage_error("unknown argument '" + std::string(a) + "'");
    }
  }
  if (uint64_t{o.instruments} * o.orders >= (1u << 31))
    usage_error("--instruments x --orders must be < 2^31");
  return o;
}

// Deterministic event streams: prices cluster near a touch (20 ticks per side), ids dense from 1.
void build_events(const Options& o, std::vector<Event>& adds, std::vector<Event>& mods,
                  std::vector<Event>& dels) {
  const uint64_t total = uint64_t{o.instruments} * o.orders;
  uint64_t x = 0x9E3779B97F4A7C15ULL;
  const auto rnd = [&x] {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return x;
  };
  adds.reserve(total);
  for (uint64_t k = 0; k < total; ++k) {
    const auto inst = static_cast<uint32_t>(k % o.instruments);
    const Side side = (k / o.instruments) % 2 == 0 ? Side::kBid : Side::kAsk;
    const auto ticks = static_cast<Price>(rnd() % 20);
    const Price price = side == Side::kBid ? 1'000'000 - 100 * (1 + ticks) : 1'000'000 + 100 * (1 + ticks);
    adds.push_back({Kind::kAdd, side, inst, k + 1, price, static_cast<Qty>(100 + rnd() % 900)});
  }
  mods.reserve(total);
  for (const Event& e : adds) {
    Event m = e;
    m.kind = Kind::kModify;
    if (rnd() % 2 == 0) {
      m.qty = e.qty - 50;  // same price, qty down: keeps priority
    } else {
      m.price = e.side == Side::kBid ? e.price - 100 : e.price + 100;  // priority lost, maybe a new level
    }
    mods.push_back(m);
  }
  dels = adds;
  for (std::size_t i = dels.size(); i > 1; --i)
    std::swap(dels[i - 1], dels[rnd() % i]);  // random delete order
  for (Event& e : dels) e.kind = Kind::kDelete;
}

inline ApplyStatus apply(OrderBook& book, const Event& e) noexcept {
  switch (e.kind) {
    case Kind::kAdd:
      return book.add(e.instrument, e.id, e.side, e.price, e.qty);
    case Kind::kModify:
      return book.modify(e.id, e.price, e.qty);
    case Kind::kDelete:
      return book.remove(e.id);
  }
  return ApplyStatus::kUnknownOrder;
}

// CPU time of this thread: excludes time the shared machine gave to other processes.
uint64_t thread_cpu_ns() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<uint64_t>(ts.tv_sec) * 1'000'000'000ULL + static_cast<uint64_t>(ts.tv_nsec);
}

// Applies a phase in batches; returns elapsed wall ns (adds thread CPU ns to cpu_ns); counts non-ok statuses.
uint64_t run_phase(OrderBook& book, const std::vector<Event>& ev, uint32_t batch, uint64_t& failures,
                   uint64_t& cpu_ns) {
  const uint64_t c0 = thread_cpu_ns();
  const uint64_t t0 = numi::now_ns();
  uint64_t bad = 0;
  for (std::size_t i = 0; i < ev.size(); i += batch) {
    const std::size_t end = std::min(ev.size(), i + batch);
    for (std::size_t j = i; j < end; ++j) book.prefetch(ev[j].id);         // index slots
    for (std::size_t j = i; j < end; ++j) book.prefetch_record(ev[j].id);  // order records
    for (std::size_t j = i; j < end; ++j) bad += apply(book, ev[j]) != ApplyStatus::kOk ? 1 : 0;
  }
  const uint64_t t1 = numi::now_ns();
  cpu_ns += thread_cpu_ns() - c0;
  failures += bad;
  return t1 - t0;
}

double tsc_ns_per_cycle() {
  const uint64_t n0 = numi::now_ns();
  const uint64_t c0 = __rdtsc();
  while (numi::now_ns() - n0 < 50'000'000) {
  }
  const uint64_t n1 = numi::now_ns();
  const uint64_t c1 = __rdtsc();
  return static_cast<double>(n1 - n0) / static_cast<double>(c1 - c0);
}

template <typename T>
T median(std::vector<T> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  const Options opt = parse(argc, argv);
  const uint64_t total = uint64_t{opt.instruments} * opt.orders;
  numi::book::BookLimits limits;
  limits.max_instruments = opt.instruments;
  limits.max_orders = static_cast<uint32_t>(total);
  limits.max_levels = static_cast<uint32_t>(std::min<uint64_t>(total, uint64_t{opt.instruments} * 64));
  limits.order_id_base = 1;
  limits.order_id_capacity = total;
  limits.hashed_order_capacity = 0;
  auto created = OrderBook::create(limits);
  if (!created) {
    std::fprintf(stderr, "bench_orderbook: %s\n", created.error().message.c_str());
    return 1;
  }
  OrderBook& book = *created.value();
  for (uint32_t i = 0; i < opt.instruments; ++i) {
    auto r = book.add_instrument(10'000 + i, "SYM" + std::to_string(i), numi::book::TickTable(100));
    if (!r) {
      std::fprintf(stderr, "bench_orderbook: %s\n", r.error().message.c_str());
      return 1;
    }
  }
  std::vector<Event> adds;
  std::vector<Event> mods;
  std::vector<Event> dels;
  build_events(opt, adds, mods, dels);
  const uint64_t empty_hash = book.state_hash();

  uint64_t failures = 0;
  bool hash_consistent = true;
  uint64_t add_hash = 0;
  std::vector<uint64_t> total_ns;
  std::vector<uint64_t> add_ns;
  std::vector<uint64_t> mod_ns;
  std::vector<uint64_t> del_ns;
  std::vector<uint64_t> cpu_total_ns;
  // One untimed warm-up repetition, then the timed ones.
  for (uint32_t rep = 0; rep <= opt.reps; ++rep) {
    uint64_t cpu = 0;
    const uint64_t a = run_phase(book, adds, opt.batch, failures, cpu);
    const uint64_t h = book.state_hash();
    if (rep == 0) add_hash = h;
    hash_consistent = hash_consistent && h == add_hash;
    const uint64_t m = run_phase(book, mods, opt.batch, failures, cpu);
    const uint64_t d = run_phase(book, dels, opt.batch, failures, cpu);
    hash_consistent = hash_consistent && book.live_orders() == 0 && book.state_hash() == empty_hash;
    if (rep == 0) continue;
    add_ns.push_back(a);
    mod_ns.push_back(m);
    del_ns.push_back(d);
    total_ns.push_back(a + m + d);
    cpu_total_ns.push_back(cpu);
  }
  const std::string invariants = book.check_invariants();

  // Latency pass: every event applied alone; every 64th timed with rdtsc.
  numi::Histogram latency;
  const double ns_per_cycle = tsc_ns_per_cycle();
  for (const std::vector<Event>* phase : {&adds, &mods, &dels}) {
    for (std::size_t i = 0; i < phase->size(); ++i) {
      const Event& e = (*phase)[i];
      if ((i & 63) == 0) {
        _mm_lfence();
        const uint64_t c0 = __rdtsc();
        failures += apply(book, e) != ApplyStatus::kOk ? 1 : 0;
        _mm_lfence();
        const uint64_t c1 = __rdtsc();
        latency.record(static_cast<uint64_t>(static_cast<double>(c1 - c0) * ns_per_cycle));
      } else {
        failures += apply(book, e) != ApplyStatus::kOk ? 1 : 0;
      }
    }
  }

  const uint64_t events = 3 * total;
  const auto rate = [](uint64_t n, uint64_t ns) {
    return ns == 0 ? 0.0 : static_cast<double>(n) * 1e9 / static_cast<double>(ns);
  };
  const uint64_t med_total = median(total_ns);
  const double eps = rate(events, med_total);
  const bool ok = failures == 0 && hash_consistent && invariants.empty();
  const numi::HistogramSummary lat = latency.summary();
  char hash_hex[32];
  std::snprintf(hash_hex, sizeof hash_hex, "%016llx", static_cast<unsigned long long>(add_hash));

  numi::KvLine line;
  line.add("bench", "bench_orderbook")
      .add("status", ok ? "ok" : "fail")
      .add("instruments", opt.instruments)
      .add("orders_per_instrument", opt.orders)
      .add("batch", opt.batch)
      .add("reps", opt.reps)
      .add("events", events)
      .add("elapsed_ms", static_cast<double>(med_total) / 1e6, 3)
      .add("events_per_sec", eps, 0)
      .add("add_per_sec", rate(total, median(add_ns)), 0)
      .add("modify_per_sec", rate(total, median(mod_ns)), 0)
      .add("delete_per_sec", rate(total, median(del_ns)), 0)
      .add("cpu_events_per_sec", rate(events, median(cpu_total_ns)), 0)
      .add("ns_per_event", static_cast<double>(med_total) / static_cast<double>(events), 2)
      .add("latency_samples", lat.count)
      .add("apply_p50_ns", lat.p50)
      .add("apply_p99_ns", lat.p99)
      .add("apply_p999_ns", lat.p999)
      .add("apply_max_ns", lat.max)
      .add("failed_events", failures)
      .add("state_hash", std::string(hash_hex))
      .add("hash_consistent", hash_consistent)
      .add("invariants_ok", invariants.empty())
      .add("goal_events_per_sec", uint64_t{30'000'000})
      .add("goal_met", eps >= 30e6);
  numi::add_build_and_machine(line);
  line.print();
  std::fprintf(
      stderr,
      "bench_orderbook: %u instruments x %u orders, %llu events/rep, median %.2f ms -> %.1f M events/s "
      "(add %.1f M/s, modify %.1f M/s, delete %.1f M/s); apply latency p50 %llu ns p99 %llu ns p99.9 %llu "
      "ns max %llu ns; %s\n",
      opt.instruments, opt.orders, static_cast<unsigned long long>(events),
      static_cast<double>(med_total) / 1e6, eps / 1e6, rate(total, median(add_ns)) / 1e6,
      rate(total, median(mod_ns)) / 1e6, rate(total, median(del_ns)) / 1e6,
      static_cast<unsigned long long>(lat.p50), static_cast<unsigned long long>(lat.p99),
      static_cast<unsigned long long>(lat.p999), static_cast<unsigned long long>(lat.max),
      ok ? "all checks passed"
         : ("CHECK FAILED: " + invariants + " failures=" + std::to_string(failures) +
            " hash_consistent=" + (hash_consistent ? "true" : "false"))
               .c_str());
  return ok ? 0 : 1;
}
