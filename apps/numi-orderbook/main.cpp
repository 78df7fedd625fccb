// numi-orderbook — numi's main program. Until the live pipeline lands (receive path, A/B arbitration,
// recovery) its main job is the offline demo: generate a deterministic ITCH 5.0 trading day in memory, replay
// it through the L3 book exactly as book_replay does, and print a key=value summary and the top-of-book
// ladders.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <string>
#include <vector>

#include "numi/app/book_report.hpp"
#include "numi/app/itch_replay.hpp"
#include "numi/codec/itch/day_generator.hpp"
#include "numi/codec/itch/file_reader.hpp"
#include "numi/config/config.hpp"
#include "numi/core/build_info.hpp"
#include "numi/core/clock.hpp"

namespace {
int fail(const std::string& why) { return numi::KvLine::print_failure("numi-orderbook", why); }
}  // namespace

int main(int argc, char** argv) {
  CLI::App cli{
      "numi-orderbook: L3 order book over ITCH 5.0 (demo: a generated trading day replayed offline)"};
  std::string config_path;
  numi::codec::itch::ItchDayOptions day;
  day.messages = 5'000'000;
  day.symbols = 500;
  uint32_t depth = 5;
  std::size_t ladders = 3;
  std::vector<std::string> symbols;
  cli.add_option("--config", config_path, "numi TOML config (default: the embedded defaults)");
  cli.add_option("--messages", day.messages, "messages in the generated day");
  cli.add_option("--symbols", day.symbols, "symbols in the generated day");
  cli.add_option("--seed", day.seed, "generator seed (same seed, same day, same state hash)");
  cli.add_option("--symbol", symbols, "symbol whose ladder to print (repeatable)");
  cli.add_option("--ladders", ladders, "how many of the busiest symbols to show when no --symbol is given");
  cli.add_option("--depth", depth, "ladder depth per side")->check(CLI::Range(1, 1000));
  CLI11_PARSE(cli, argc, argv);

  numi::config::Config cfg = numi::config::defaults();
  if (!config_path.empty()) {
    auto loaded = numi::config::load_file(config_path);
    if (!loaded.ok()) return fail(loaded.error().message);
    cfg = std::move(loaded.value());
  }
  if (auto ok = numi::codec::itch::validate(day); !ok.ok()) return fail(ok.error().message);

  std::fprintf(stderr, "numi-orderbook: generating a trading day: %llu messages, %u symbols, seed %llu\n",
               static_cast<unsigned long long>(day.messages), day.symbols,
               static_cast<unsigned long long>(day.seed));
  const uint64_t g0 = numi::now_ns();
  const std::vector<std::byte> bytes = numi::codec::itch::generate_itch_day_bytes(day);
  const uint64_t gen_ns = numi::now_ns() - g0;

  // Order references of a generated day are dense from 1: size the direct table for all of them.
  auto made = numi::app::make_itch_book(cfg.book, numi::app::itch_max_order_refs(bytes.size()));
  if (!made.ok()) return fail(made.error().message);
  numi::app::ItchBook ib = std::move(made.value());

  numi::app::ReplayOptions opts;
  opts.progress = [](uint64_t n, uint64_t ns) {
    std::fprintf(stderr, "numi-orderbook: %llu messages applied, %.1f s\n",
                 static_cast<unsigned long long>(n), static_cast<double>(ns) / 1e9);
  };
  auto reader = numi::codec::itch::ItchFileReader::from_memory(bytes);
  std::fprintf(stderr, "numi-orderbook: replaying %.1f MB through the L3 book\n",
               static_cast<double>(bytes.size()) / 1e6);
  const numi::app::ReplayReport report = numi::app::replay_itch(reader, ib.builder.get(), opts);

  const std::string invariants = ib.book->check_invariants();
  numi::KvLine line;
  line.add("status", invariants.empty() ? "ok" : "fail")
      .add("mode", "demo-replay")
      .add("seed", day.seed)
      .add("symbols", day.symbols)
      .add("generate_ms", static_cast<double>(gen_ns) / 1e6, 1)
      .add("bytes", static_cast<uint64_t>(bytes.size()));
  numi::app::add_replay_keys(line, report);
  numi::app::add_book_keys(line, *ib.book, *ib.builder);
  line.add("invariants", invariants.empty() ? "ok" : invariants);
  numi::add_build_and_machine(line);
  line.print();
  std::fflush(stdout);

  std::vector<numi::book::InstrumentIndex> show;
  for (const std::string& s : symbols) {
    if (auto idx = numi::app::find_symbol(*ib.book, s)) {
      show.push_back(*idx);
    } else {
      std::fprintf(stderr, "numi-orderbook: no symbol %s in the generated day\n", s.c_str());
    }
  }
  if (symbols.empty()) show = numi::app::busiest_instruments(*ib.book, ladders);
  for (numi::book::InstrumentIndex i : show)
    std::printf("\n%s", numi::app::format_ladder(*ib.book, i, depth, 4).c_str());

  const double secs = static_cast<double>(report.elapsed_ns) / 1e9;
  std::fprintf(
      stderr,
      "\nnumi-orderbook: %llu messages in %.2f s = %.1f M msg/s through decode + L3 book; apply p50 %llu ns,"
      " p99 %llu ns, p99.9 %llu ns; %u live orders in %u instruments; invariants %s\n",
      static_cast<unsigned long long>(report.messages), secs,
      secs > 0 ? static_cast<double>(report.messages) / secs / 1e6 : 0.0,
      static_cast<unsigned long long>(report.apply_ns.p50),
      static_cast<unsigned long long>(report.apply_ns.p99),
      static_cast<unsigned long long>(report.apply_ns.p999), ib.book->live_orders(),
      ib.book->instrument_count(), invariants.empty() ? "ok" : invariants.c_str());
  return invariants.empty() ? 0 : 1;
}
