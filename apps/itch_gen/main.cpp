// itch_gen: writes a deterministic synthetic ITCH 5.0 day (see docs/itch.md) and prints one key=value line.
//   itch_gen --out FILE [--pcap FILE] [--messages N] [--symbols N] [--seed S]
#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <string>

#include "numi/codec/itch/day_generator.hpp"
#include "numi/codec/itch/messages.hpp"
#include "numi/core/kv_line.hpp"
#include "numi/net/pcap_writer.hpp"

int main(int argc, char** argv) {
  namespace itch = numi::codec::itch;
  CLI::App app{"itch_gen: deterministic synthetic Nasdaq TotalView-ITCH 5.0 trading day"};
  itch::ItchDayOptions opt;
  itch::ItchDayOutput out;
  std::string dst = "233.54.12.111:26477";
  std::string src = "10.0.0.1:40000";
  app.add_option("--out", out.itch_path, "output file, Nasdaq binary format (gzip if it ends in .gz)")
      ->required();
  app.add_option("--pcap", out.pcap_path, "also write MoldUDP64 packets to this pcap");
  app.add_option("--messages", opt.messages, "total messages (at least 2*symbols+6)");
  app.add_option("--symbols", opt.symbols, "number of symbols (1..65535)");
  app.add_option("--seed", opt.seed, "random seed (same seed, same bytes)");
  app.add_option("--max-live-per-symbol", opt.max_live_per_symbol, "live-order cap per symbol");
  app.add_option("--zipf", opt.zipf_exponent, "Zipf exponent of symbol activity");
  app.add_option("--dst", dst, "pcap destination ip:port");
  app.add_option("--src", src, "pcap source ip:port");
  app.add_option("--session", out.session, "MoldUDP64 session (10 characters)");
  app.add_option("--mtu", out.mold_mtu, "maximum MoldUDP64 payload per packet");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  const auto dst_ep = numi::net::parse_endpoint(dst);
  const auto src_ep = numi::net::parse_endpoint(src);
  if (!dst_ep) {
    std::fprintf(stderr, "itch_gen: --dst '%s' is not ip:port (example: 233.54.12.111:26477)\n", dst.c_str());
    return 2;
  }
  if (!src_ep) {
    std::fprintf(stderr, "itch_gen: --src '%s' is not ip:port (example: 10.0.0.1:40000)\n", src.c_str());
    return 2;
  }
  out.pcap_dst = *dst_ep;
  out.pcap_src = *src_ep;
  if (out.session.size() > 10) {
    std::fprintf(stderr, "itch_gen: --session '%s' is longer than 10 characters\n", out.session.c_str());
    return 2;
  }
  if (auto v = itch::validate(opt); !v) {
    std::fprintf(stderr, "itch_gen: %s\n", v.error().message.c_str());
    return 2;
  }
  const auto t0 = std::chrono::steady_clock::now();
  auto r = itch::write_itch_day(opt, out);
  const auto t1 = std::chrono::steady_clock::now();
  if (!r) {
    return numi::KvLine::print_failure("itch_gen", r.error().message);
  }
  const auto& st = r.value();
  const double ms = std::chrono::duration<double, std::milli>(t1 - t0).count();
  numi::KvLine line;
  line.add("status", "ok").add("messages", st.messages);
  for (const auto& m : itch::kMessageTable) {
    line.add(std::string("count_") + m.type, st.count_by_type[static_cast<uint8_t>(m.type)]);
  }
  line.add("symbols", opt.symbols)
      .add("seed", opt.seed)
      .add("bytes", st.itch_bytes)
      .add("pcap_packets", st.pcap_packets)
      .add("elapsed_ms", static_cast<uint64_t>(ms))
      .add("msgs_per_sec",
           static_cast<uint64_t>(ms > 0 ? static_cast<double>(st.messages) / (ms / 1000.0) : 0.0))
      .add("out", out.itch_path)
      .add("pcap", out.pcap_path);
  line.print();
  std::fprintf(stderr, "itch_gen: %llu messages (%llu bytes) for %u symbols in %.0f ms -> %s%s%s\n",
               static_cast<unsigned long long>(st.messages), static_cast<unsigned long long>(st.itch_bytes),
               opt.symbols, ms, out.itch_path.c_str(), out.pcap_path.empty() ? "" : " + ",
               out.pcap_path.c_str());
  return 0;
}
