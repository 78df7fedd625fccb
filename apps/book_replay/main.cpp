// book_replay: replays an ITCH 5.0 capture (Nasdaq binary file, plain or .gz, or a MoldUDP64 pcap/pcapng)
// through the L3 book (or only the decoder with --parse-only) and prints one key=value line (counts by type,
// book events, live orders, canonical state hash, throughput, sampled apply latency), then the top-of-book
// ladder of the requested symbols (default: the five busiest). Progress goes to stderr every second.
#include <sys/stat.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <string>
#include <vector>

#include "numi/app/book_report.hpp"
#include "numi/app/itch_replay.hpp"
#include "numi/codec/itch/file_reader.hpp"
#include "numi/codec/itch/mold_pcap_source.hpp"
#include "numi/config/config.hpp"
#include "numi/core/build_info.hpp"

namespace {
int fail(const std::string& why) { return numi::KvLine::print_failure("book_replay", why); }
}  // namespace

int main(int argc, char** argv) {
  CLI::App cli{"Replay an ITCH 5.0 capture through numi's L3 order book"};
  std::string itch_path;
  std::string pcap_path;
  std::string config_path;
  std::vector<std::string> symbols;
  uint32_t depth = 5;
  uint64_t limit = 0;
  uint16_t port = 0;
  bool parse_only = false;
  bool quiet = false;
  bool no_prefetch = false;
  auto* in = cli.add_option("--itch", itch_path,
                            "Nasdaq binary file format (u16 BE length + message), plain or .gz");
  cli.add_option("--pcap", pcap_path, "pcap/pcapng of MoldUDP64 over UDP")->excludes(in);
  cli.add_option("--port", port, "only UDP packets to this destination port (pcap; 0 = all)");
  cli.add_option("--config", config_path, "numi TOML config ([book] sizing and instruments)");
  cli.add_option("--symbol", symbols, "symbol whose ladder to print (repeatable; default: the 5 busiest)");
  cli.add_option("--depth", depth, "ladder depth per side")->check(CLI::Range(1, 1000));
  cli.add_option("--limit", limit, "stop after N messages (0 = all)");
  cli.add_flag("--parse-only", parse_only, "decode only; do not build the book");
  cli.add_flag("--quiet", quiet, "no progress lines and no ladder");
  cli.add_flag("--no-prefetch", no_prefetch,
               "apply without the look-ahead prefetch (baseline for benchmarks)");
  CLI11_PARSE(cli, argc, argv);
  if (itch_path.empty() == pcap_path.empty())
    return fail("give exactly one input: --itch FILE or --pcap FILE");

  numi::config::Config cfg = numi::config::defaults();
  if (!config_path.empty()) {
    auto loaded = numi::config::load_file(config_path);
    if (!loaded.ok()) return fail(loaded.error().message);
    cfg = std::move(loaded.value());
  }
  // Size the dense order table for every reference a plain file can hold, so refs never spill into the hash
  // fallback (a .gz file's size says nothing: book.order_id_capacity applies).
  uint64_t min_refs = 0;
  struct stat st {};
  if (!itch_path.empty() && stat(itch_path.c_str(), &st) == 0 && itch_path.size() > 3 &&
      itch_path.substr(itch_path.size() - 3) != ".gz") {
    min_refs = numi::app::itch_max_order_refs(static_cast<uint64_t>(st.st_size));
  }
  numi::app::ItchBook ib;
  if (!parse_only) {
    auto made = numi::app::make_itch_book(cfg.book, min_refs);
    if (!made.ok()) return fail(made.error().message);
    ib = std::move(made.value());
  }

  numi::app::ReplayOptions opts;
  opts.limit = limit;
  opts.parse_only = parse_only;
  opts.prefetch = !no_prefetch;
  if (!quiet) {
    opts.progress = [](uint64_t n, uint64_t ns) {
      std::fprintf(stderr, "book_replay: %llu messages, %.1f s, %.2f M msg/s\n",
                   static_cast<unsigned long long>(n), static_cast<double>(ns) / 1e9,
                   static_cast<double>(n) / (static_cast<double>(ns) / 1e3));
    };
  }
  numi::app::ReplayReport report;
  numi::KvLine line;
  line.add("status", "ok")
      .add("input", !itch_path.empty() ? itch_path : pcap_path)
      .add("parse_only", parse_only)
      .add("prefetch", !no_prefetch);
  if (!itch_path.empty()) {
    auto reader = numi::codec::itch::ItchFileReader::open(itch_path);
    if (!reader.ok()) return fail(reader.error().message);
    report = numi::app::replay_itch(reader.value(), ib.builder.get(), opts);
    if (reader->status() == numi::codec::itch::ReadStatus::kTruncated ||
        reader->status() == numi::codec::itch::ReadStatus::kIoError) {
      return fail(itch_path + ": " + reader->error_message());
    }
  } else {
    auto src = numi::codec::itch::MoldPcapSource::open(pcap_path, port);
    if (!src.ok()) return fail(src.error().message);
    numi::app::PcapMessageSource messages(src.value());
    report = numi::app::replay_itch(messages, ib.builder.get(), opts);
    const auto& c = src->counters();
    line.add("mold_packets", c.load(numi::codec::itch::MoldSourceCounter::kPackets))
        .add("mold_gap_events", c.load(numi::codec::itch::MoldSourceCounter::kGapEvents))
        .add("mold_missing_messages", c.load(numi::codec::itch::MoldSourceCounter::kMissingMessages))
        .add("mold_duplicate_messages", c.load(numi::codec::itch::MoldSourceCounter::kDuplicateMessages))
        .add("mold_malformed_packets", c.load(numi::codec::itch::MoldSourceCounter::kMalformedPackets));
  }
  numi::app::add_replay_keys(line, report);
  if (ib.book) numi::app::add_book_keys(line, *ib.book, *ib.builder);
  numi::add_build_and_machine(line);
  line.print();
  std::fflush(stdout);

  if (ib.book && !quiet) {
    std::vector<numi::book::InstrumentIndex> show;
    if (symbols.empty()) {
      show = numi::app::busiest_instruments(*ib.book, 5);
    } else {
      for (const std::string& s : symbols) {
        auto idx = numi::app::find_symbol(*ib.book, s);
        if (!idx) {
          std::fprintf(stderr, "book_replay: symbol %s not in the stock directory of %s\n", s.c_str(),
                       (!itch_path.empty() ? itch_path : pcap_path).c_str());
          continue;
        }
        show.push_back(*idx);
      }
    }
    for (numi::book::InstrumentIndex i : show) {
      std::printf("\n%s", numi::app::format_ladder(*ib.book, i, depth, 4).c_str());
    }
  }
  return 0;
}
