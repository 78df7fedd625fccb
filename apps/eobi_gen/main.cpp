// eobi_gen: writes a deterministic synthetic T7 EOBI 14.1 session (EobiSessionGenerator, docs/eobi.md) as a
// pcap of Ethernet/IPv4/UDP frames and prints one key=value line (human summary on stderr).
//   eobi_gen --out FILE.pcap [--messages N] [--instruments N] [--partitions N] [--seed S]
//            [--ab] [--snapshot-every P] [--dst-a ip:port] [--dst-b ip:port] [--snapshot-dst ip:port]
#include <CLI/CLI.hpp>
#include <cstdint>
#include <cstdio>
#include <span>
#include <string>

#include "numi/codec/eobi/session_generator.hpp"
#include "numi/codec/eobi/wire_table.hpp"
#include "numi/core/kv_line.hpp"
#include "numi/net/pcap_writer.hpp"

int main(int argc, char** argv) {
  namespace eobi = numi::codec::eobi;
  CLI::App app{"eobi_gen: deterministic synthetic Deutsche Boerse T7 EOBI 14.1 session as a pcap"};
  eobi::EobiSessionOptions opt;
  std::string out_path;
  bool ab = false;
  uint64_t snapshot_every = 0;
  std::string dst_a = "224.0.50.1:59000";
  std::string dst_b = "224.0.51.1:59000";
  std::string snap_dst = "224.0.50.2:59001";
  std::string src_text = "10.0.0.2:40000";
  app.add_option("--out", out_path, "output pcap (nanosecond timestamps)")->required();
  app.add_option("--messages", opt.messages, "incremental messages (at least; the last update is completed)");
  app.add_option("--instruments", opt.instruments, "instruments (1..100000)");
  app.add_option("--partitions", opt.partitions, "partitions (1..256); instrument i is in partition i % N");
  app.add_option("--seed", opt.seed, "random seed (same seed, same bytes)");
  app.add_option("--max-live", opt.max_live_per_instrument, "live-order cap per instrument (1..65535)");
  app.add_flag("--ab", ab, "also write every incremental packet to feed B (same bytes)");
  app.add_option("--snapshot-every", snapshot_every,
                 "write a snapshot cycle of every partition each N incremental packets (0 = never)");
  app.add_option("--dst-a", dst_a, "incremental feed A destination ip:port");
  app.add_option("--dst-b", dst_b, "incremental feed B destination ip:port");
  app.add_option("--snapshot-dst", snap_dst, "snapshot channel destination ip:port");
  app.add_option("--src", src_text, "source ip:port");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  numi::net::UdpEndpoint a{};
  numi::net::UdpEndpoint b{};
  numi::net::UdpEndpoint snap{};
  numi::net::UdpEndpoint src{};
  for (const auto& [name, text, ep] :
       {std::tuple{"--dst-a", &dst_a, &a}, std::tuple{"--dst-b", &dst_b, &b},
        std::tuple{"--snapshot-dst", &snap_dst, &snap}, std::tuple{"--src", &src_text, &src}}) {
    const auto parsed = numi::net::parse_endpoint(*text);
    if (!parsed) {
      std::fprintf(stderr, "eobi_gen: %s '%s' is not ip:port; fix: e.g. 224.0.50.1:59000\n", name,
                   text->c_str());
      return 2;
    }
    *ep = *parsed;
  }
  if (const numi::Result<void> v = eobi::validate(opt); !v.ok()) {
    std::fprintf(stderr, "eobi_gen: %s\n", v.error().message.c_str());
    return 2;
  }
  auto writer = numi::net::PcapWriter::open(out_path);
  if (!writer.ok()) {
    std::fprintf(stderr, "eobi_gen: %s\n", writer.error().message.c_str());
    return 1;
  }
  eobi::EobiSessionGenerator gen(opt);
  std::span<const std::byte> p;
  uint64_t packets = 0;
  uint64_t snapshot_packets = 0;
  uint64_t snapshot_cycles = 0;
  uint64_t ts = 0;
  bool write_ok = true;
  while (gen.next_packet(p)) {
    ts = eobi::load_le<uint64_t>(p.data() + 24);  // PacketHeader TransactTime
    write_ok &= writer->write_udp(ts, src, a, p);
    if (ab) write_ok &= writer->write_udp(ts + 1, src, b, p);
    ++packets;
    if (snapshot_every != 0 && packets % snapshot_every == 0) {
      for (uint32_t part = 0; part < opt.partitions && part < opt.instruments; ++part) {
        for (const auto& sp : gen.snapshot_cycle(static_cast<uint8_t>(part))) {
          write_ok &= writer->write_udp(ts + 2, src, snap, sp);
          ++snapshot_packets;
        }
        ++snapshot_cycles;
      }
    }
  }
  if (const numi::Result<void> c = writer->close(); !c.ok()) {
    std::fprintf(stderr, "eobi_gen: %s\n", c.error().message.c_str());
    return 1;
  }
  if (!write_ok) {
    std::fprintf(stderr, "eobi_gen: a packet could not be written to '%s'\n", out_path.c_str());
    return 1;
  }
  numi::KvLine line;
  line.add("tool", "eobi_gen")
      .add("status", "ok")
      .add("out", out_path)
      .add("seed", opt.seed)
      .add("instruments", opt.instruments)
      .add("partitions", opt.partitions)
      .add("messages", gen.messages_emitted())
      .add("packets", packets)
      .add("ab", ab)
      .add("snapshot_cycles", snapshot_cycles)
      .add("snapshot_packets", snapshot_packets)
      .add("live_orders", gen.live_orders())
      .add("order_add", gen.count(13100))
      .add("order_modify", gen.count(13101))
      .add("order_delete", gen.count(13102))
      .add("mass_delete", gen.count(13103))
      .add("full_execution", gen.count(13104))
      .add("partial_execution", gen.count(13105))
      .add("modify_same_prio", gen.count(13106))
      .add("trade_report", gen.count(13201))
      .add("execution_summary", gen.count(13202))
      .add("instrument_state", gen.count(13301));
  line.print();
  std::fprintf(
      stderr, "eobi_gen: %llu messages in %llu packets%s, %llu snapshot cycles (%llu packets) -> %s\n",
      static_cast<unsigned long long>(gen.messages_emitted()), static_cast<unsigned long long>(packets),
      ab ? " (x2 A/B)" : "", static_cast<unsigned long long>(snapshot_cycles),
      static_cast<unsigned long long>(snapshot_packets), out_path.c_str());
  return 0;
}
