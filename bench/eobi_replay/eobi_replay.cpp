// eobi_replay: generates a deterministic T7 EOBI 14.1 session in memory (EobiSessionGenerator), then measures
// decode-only msgs/s and decode + EobiBookBuilder (sequencing, located L3 book) msgs/s, median of N runs
// each, and beside them the host's 4 MB pointer-chase latency measured in the same runs (how much cache the
// book had: on this shared VM it moves by the minute, and the book's rate with it). The book pass consumes
// the packets as the engine does, prefetching the packet --prefetch-ahead places after the current one;
// --prefetch-compare also times, in every run, the book pass without that prefetch (order alternating), for
// the in-run ratio. Self-checks: identical state hash every run, no unknown orders / rejected events, book
// invariants. Prints one key=value line on stdout and a human summary on stderr; exit 1 when a check fails.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "numi/book/eobi_book_builder.hpp"
#include "numi/book/page_memory.hpp"
#include "numi/codec/eobi/decoder.hpp"
#include "numi/codec/eobi/session_generator.hpp"
#include "numi/core/build_info.hpp"
#include "numi/core/clock.hpp"
#include "numi/core/kv_line.hpp"
#include "numi/core/prefetch.hpp"
#include "support/pointer_chase.hpp"

namespace {

namespace eobi = numi::codec::eobi;
namespace book = numi::book;

uint64_t thread_cpu_ns() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<uint64_t>(ts.tv_sec) * 1'000'000'000ULL + static_cast<uint64_t>(ts.tv_nsec);
}

template <typename T>
T median(std::vector<T> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? T{} : v[v.size() / 2];
}

// The replay buffer: one contiguous span of packets and their offsets.
struct Packets {
  std::span<const std::byte> data;
  std::vector<std::size_t> offsets;  // packet i is [offsets[i], offsets[i + 1])
  [[nodiscard]] std::size_t size() const noexcept { return offsets.size() - 1; }
  // Calls f(bytes, len) for every packet in order, first prefetching the packet `ahead` places later (0 = no
  // prefetch), as a consumer of a packet queue does.
  template <typename F>
  void for_each(std::size_t ahead, F&& f) const {
    const std::size_t n = size();
    for (std::size_t i = 0; i < n; ++i) {
      if (ahead != 0 && i + ahead < n) {
        numi::prefetch_range(data.data() + offsets[i + ahead], offsets[i + ahead + 1] - offsets[i + ahead]);
      }
      f(data.data() + offsets[i], offsets[i + 1] - offsets[i]);
    }
  }
};

// Decode-only handler: reads the fields a book adapter reads, so the loads are not optimised away.
struct SumHandler {
  uint64_t sum = 0;
  void on(const eobi::OrderAdd& m, const eobi::MessageContext&) noexcept {
    sum += static_cast<uint64_t>(m.security_id) ^ m.trd_reg_ts_time_priority ^
           static_cast<uint64_t>(m.price + m.display_qty);
  }
  void on(const eobi::OrderModify& m, const eobi::MessageContext&) noexcept {
    sum += m.trd_reg_ts_prev_time_priority ^ m.trd_reg_ts_time_priority ^
           static_cast<uint64_t>(m.price + m.display_qty);
  }
  void on(const eobi::OrderModifySamePrio& m, const eobi::MessageContext&) noexcept {
    sum += m.trd_reg_ts_time_priority ^ static_cast<uint64_t>(m.display_qty);
  }
  void on(const eobi::OrderDelete& m, const eobi::MessageContext&) noexcept {
    sum += m.trd_reg_ts_time_priority;
  }
  void on(const eobi::OrderMassDelete& m, const eobi::MessageContext&) noexcept {
    sum += static_cast<uint64_t>(m.security_id);
  }
  void on(const eobi::FullOrderExecution& m, const eobi::MessageContext&) noexcept {
    sum += m.trd_reg_ts_time_priority ^ static_cast<uint64_t>(m.last_qty);
  }
  void on(const eobi::PartialOrderExecution& m, const eobi::MessageContext&) noexcept {
    sum += m.trd_reg_ts_time_priority ^ static_cast<uint64_t>(m.last_qty);
  }
  void on(const eobi::ExecutionSummary& m, const eobi::MessageContext&) noexcept { sum += m.exec_id; }
  void on(const eobi::TradeReport& m, const eobi::MessageContext&) noexcept { sum += m.trd_match_id; }
  void on(const eobi::InstrumentStateChange& m, const eobi::MessageContext&) noexcept {
    sum += m.security_trading_status;
  }
};

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"eobi_replay: EOBI decode and decode+book throughput over a generated session"};
  uint64_t messages = 5'000'000;
  uint32_t instruments = 500;
  uint32_t partitions = 4;
  uint32_t runs = 5;
  uint64_t seed = 1;
  uint32_t max_live = 2000;
  uint32_t book_orders = 0;
  std::size_t prefetch_ahead = numi::kPacketPrefetchAhead;
  bool prefetch_compare = false;
  app.add_option("--messages", messages, "incremental messages to generate")
      ->check(CLI::Range(uint64_t{1000}, uint64_t{1'000'000'000}));
  app.add_option("--instruments", instruments, "instruments")->check(CLI::Range(1u, 100'000u));
  app.add_option("--partitions", partitions, "partitions")->check(CLI::Range(1u, 256u));
  app.add_option("--runs", runs, "timed runs per mode (median reported)")->check(CLI::Range(1u, 101u));
  app.add_option("--seed", seed, "generator seed");
  app.add_option("--max-live", max_live, "live-order cap per instrument")->check(CLI::Range(1u, 65'535u));
  app.add_option("--book-orders", book_orders, "book max_orders (0 = instruments * max-live + 1024)");
  app.add_option("--prefetch-ahead", prefetch_ahead,
                 "prefetch the packet this many places ahead of the one applied (0 = none)")
      ->check(CLI::Range(std::size_t{0}, std::size_t{64}));
  app.add_flag("--prefetch-compare", prefetch_compare,
               "also time, in every run, the book pass without the packet prefetch (in-run ratio)");
  CLI11_PARSE(app, argc, argv);

  eobi::EobiSessionOptions so;
  so.seed = seed;
  so.instruments = instruments;
  so.partitions = partitions;
  so.messages = messages;
  so.max_live_per_instrument = max_live;
  if (const numi::Result<void> v = eobi::validate(so); !v.ok()) {
    std::fprintf(stderr, "eobi_replay: %s\n", v.error().message.c_str());
    return 2;
  }

  // Generate into one contiguous buffer (+ packet offsets). The buffer is huge-page backed (PageMemory), as
  // the receive path's packet buffers are: with 4 KiB pages every page of a multi-GB replay buffer costs a
  // TLB walk and restarts the hardware prefetcher, which would be charged to the decoder.
  const uint64_t g0 = numi::now_ns();
  eobi::EobiSessionGenerator gen(so);
  std::vector<std::byte> staging;
  Packets input;
  input.offsets.push_back(0);
  staging.reserve(messages * 64);
  std::span<const std::byte> p;
  while (gen.next_packet(p)) {
    staging.insert(staging.end(), p.begin(), p.end());
    input.offsets.push_back(staging.size());
  }
  book::PageMemory data_mem(staging.size());
  std::memcpy(data_mem.data(), staging.data(), staging.size());
  std::vector<std::byte>().swap(staging);
  input.data = std::span<const std::byte>(data_mem.as<const std::byte>(), input.offsets.back());
  const uint64_t gen_ns = numi::now_ns() - g0;
  const uint64_t total_messages = gen.messages_emitted();
  const std::size_t packets = input.size();

  book::BookLimits limits;
  limits.max_instruments = instruments + 16;
  limits.max_orders =
      book_orders != 0
          ? book_orders
          : std::max<uint32_t>(1u << 16, std::min<uint32_t>(instruments * max_live + 1024, 1u << 26));
  limits.max_levels = std::max<uint32_t>(1u << 14, instruments * 64);
  limits.identity = book::OrderIdentity::kLocated;  // EOBI orders are found at their price: no id index

  // Each run times decode only (the in-run baseline), then a 4 MB pointer chase (the cache this host gives
  // the book right now; < 0.1 s), then decode + builder + book on a fresh book (creation is not timed), so
  // the host's noise hits all three alike. With --prefetch-compare the book pass also runs without the
  // packet prefetch, before or after the other by turns. Only the book pass prefetches packets: the
  // decode-only loop streams fast enough for the hardware prefetcher (a software one costs it ~15 %).
  numi::bench::PointerChase chase_4mb((std::size_t{4} << 20) / 64, 64);
  std::vector<double> chase_ns;
  std::vector<uint64_t> decode_ns;
  std::vector<uint64_t> book_ns;
  std::vector<uint64_t> book_cpu_ns;
  std::vector<uint64_t> plain_ns;  // --prefetch-compare: the book pass without the packet prefetch, per run
  uint64_t decode_sum = 0;
  bool decode_ok = true;
  bool hash_consistent = true;
  uint64_t unknown = 0;
  uint64_t rejected = 0;
  struct BookEnd {
    uint64_t hash = 0;
    std::string invariants;
    uint64_t live_orders = 0;
    std::size_t ring_entries = 0;
    uint64_t live_levels = 0;
  };
  std::optional<BookEnd> first;
  // One timed decode + builder + book pass on a fresh book; checks its end state against the first pass's.
  const auto book_pass = [&](std::size_t ahead, uint64_t* cpu_ns) -> uint64_t {
    auto created = book::OrderBook::create(limits);
    if (!created.ok()) {
      std::fprintf(stderr, "eobi_replay: %s\n", created.error().message.c_str());
      std::exit(2);
    }
    book::OrderBook& bk = **created;
    book::EobiBookOptions bo;
    bo.start_live = true;
    book::EobiBookBuilder builder(bk, bo);
    for (uint32_t i = 0; i < instruments; ++i) {
      (void)builder.register_instrument(eobi::eobi_security_id(i), "", book::eobi_default_tick_table());
    }
    const uint64_t c0 = thread_cpu_ns();
    const uint64_t t0 = numi::now_ns();
    input.for_each(
        ahead, [&](const std::byte* bytes, std::size_t len) { (void)builder.apply_incremental(bytes, len); });
    const uint64_t ns = numi::now_ns() - t0;
    if (cpu_ns != nullptr) *cpu_ns = thread_cpu_ns() - c0;
    const uint64_t h = bk.state_hash();
    if (!first) {
      first = BookEnd{h, bk.check_invariants(), bk.live_orders(), bk.ring_entries_in_use(), bk.live_levels()};
    }
    hash_consistent &= h == first->hash;
    unknown += builder.counters().load(book::EobiBookCounter::kUnknownOrders);
    rejected += builder.counters().load(book::EobiBookCounter::kRejectedEvents) +
                builder.counters().load(book::EobiBookCounter::kDuplicateKeys) +
                builder.counters().load(book::EobiBookCounter::kPartitionLosses);
    return ns;
  };
  for (uint32_t r = 0; r < runs; ++r) {
    {
      eobi::Decoder dec;
      SumHandler h;
      const uint64_t t0 = numi::now_ns();
      input.for_each(
          0, [&](const std::byte* bytes, std::size_t len) { (void)dec.decode_packet(bytes, len, h); });
      decode_ns.push_back(numi::now_ns() - t0);
      if (r == 0) decode_sum = h.sum;
      decode_ok &= h.sum == decode_sum && dec.counters().load(eobi::EobiCounter::kMessages) == total_messages;
    }
    chase_ns.push_back(chase_4mb.ns_per_load(uint64_t{1} << 19));
    const bool plain_first = prefetch_compare && r % 2 == 1;
    if (plain_first) plain_ns.push_back(book_pass(0, nullptr));
    uint64_t cpu_ns = 0;
    book_ns.push_back(book_pass(prefetch_ahead, &cpu_ns));
    book_cpu_ns.push_back(cpu_ns);
    if (prefetch_compare && !plain_first) plain_ns.push_back(book_pass(0, nullptr));
  }
  const uint64_t hash = first->hash;
  const std::string& invariants = first->invariants;
  const uint64_t live_orders = first->live_orders;
  const std::size_t ring_entries = first->ring_entries;
  const uint64_t live_levels = first->live_levels;

  const auto rate = [&](uint64_t ns) {
    return ns == 0 ? 0.0 : static_cast<double>(total_messages) * 1e9 / static_cast<double>(ns);
  };
  const double decode_rate = rate(median(decode_ns));
  const double book_rate = rate(median(book_ns));
  const double book_cpu_rate = rate(median(book_cpu_ns));
  // The fastest run: this host's neighbours only ever slow a run down, so with many runs the best one is the
  // least disturbed (compare builds by it, alternating, as well as by the median).
  const double book_best_rate = rate(*std::min_element(book_ns.begin(), book_ns.end()));
  // --prefetch-compare: each run's plain time over its prefetched time, and their median.
  std::vector<double> prefetch_gain;
  for (std::size_t r = 0; r < plain_ns.size(); ++r) {
    prefetch_gain.push_back(static_cast<double>(plain_ns[r]) / static_cast<double>(book_ns[r]));
  }
  const double prefetch_ratio = median(prefetch_gain);
  const double plain_rate = rate(median(plain_ns));
  const double chase_median_ns = median(chase_ns);
  const bool ok = chase_median_ns > 0 && decode_ok && hash_consistent && unknown == 0 && rejected == 0 &&
                  invariants.empty() && live_orders == gen.live_orders();
  char hash_hex[32];
  std::snprintf(hash_hex, sizeof hash_hex, "%016llx", static_cast<unsigned long long>(hash));

  numi::KvLine line;
  line.add("bench", "eobi_replay")
      .add("status", ok ? "ok" : "fail")
      .add("messages", total_messages)
      .add("packets", static_cast<uint64_t>(packets))
      .add("instruments", instruments)
      .add("partitions", partitions)
      .add("seed", seed)
      .add("runs", runs)
      .add("decode_msgs_per_sec", decode_rate, 0)
      .add("book_msgs_per_sec", book_rate, 0)
      .add("book_cpu_msgs_per_sec", book_cpu_rate, 0)
      .add("book_best_msgs_per_sec", book_best_rate, 0)
      .add("book_ns_per_msg", 1e9 / book_rate, 2)
      .add("decode_to_book_ratio", book_rate > 0 ? decode_rate / book_rate : 0.0, 2)
      .add("host_chase_4mb_ns", chase_median_ns, 1)
      .add("prefetch_ahead", static_cast<uint64_t>(prefetch_ahead));
  if (prefetch_compare) {
    line.add("book_plain_msgs_per_sec", plain_rate, 0).add("prefetch_ratio", prefetch_ratio, 3);
  }
  line.add("live_levels", live_levels)
      .add("ring_bytes", static_cast<uint64_t>(ring_entries * 16))
      .add("live_orders", live_orders)
      .add("state_hash", std::string(hash_hex))
      .add("hash_consistent", hash_consistent)
      .add("invariants_ok", invariants.empty())
      .add("unknown_orders", unknown)
      .add("rejected", rejected)
      .add("generate_ms", static_cast<double>(gen_ns) / 1e6, 1)
      .add("goal_book_msgs_per_sec", uint64_t{20'000'000})
      .add("goal_met", book_rate >= 20e6);
  numi::add_build_and_machine(line);
  line.print();
  std::fprintf(
      stderr,
      "eobi_replay: %llu messages in %zu packets, %u instruments, %u partitions; median of %u runs: decode "
      "%.1f M msgs/s, decode+book %.1f M msgs/s (cpu %.1f M/s), %llu live orders at end, rings in "
      "%.1f MB; host 4 MB chase %.1f ns per load; %s\n",
      static_cast<unsigned long long>(total_messages), packets, instruments, partitions, runs,
      decode_rate / 1e6, book_rate / 1e6, book_cpu_rate / 1e6, static_cast<unsigned long long>(live_orders),
      static_cast<double>(ring_entries) * 16 / 1e6, chase_median_ns,
      ok ? "all checks passed" : ("CHECK FAILED: " + invariants).c_str());
  if (prefetch_compare) {
    std::fprintf(stderr,
                 "eobi_replay: the packet prefetch %zu ahead: %.1f M msgs/s without it, median per-run ratio "
                 "%.3f\n",
                 prefetch_ahead, plain_rate / 1e6, prefetch_ratio);
  }
  return ok ? 0 : 1;
}
