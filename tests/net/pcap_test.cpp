// net::PcapWriter -> net::PcapReader round trips (ns and us), checksums checked on the raw frames, and frame
// parsing for Ethernet+VLAN, SLL, SLL2, raw IPv4, non-UDP, fragments and cut-short frames.
#include <gtest/gtest.h>
#include <pcap/pcap.h>
#include <unistd.h>

#include <filesystem>
#include <vector>

#include "numi/net/pcap_reader.hpp"
#include "numi/net/pcap_writer.hpp"

namespace net = numi::net;
namespace fs = std::filesystem;

namespace {

fs::path temp_dir() {
  fs::path d = fs::temp_directory_path() / ("numi_pcap_" + std::to_string(::getpid()));
  fs::create_directories(d);
  return d;
}

std::vector<std::byte> payload_of(std::size_t n, uint8_t seed) {
  std::vector<std::byte> p(n);
  for (std::size_t i = 0; i < n; ++i) p[i] = static_cast<std::byte>(seed + i * 7);
  return p;
}

// Minimal IPv4+UDP packet (no Ethernet), checksums left 0; `frag` sets flags/offset.
std::vector<uint8_t> ipv4_udp(std::size_t payload, uint8_t proto = 17, uint16_t frag = 0) {
  const std::size_t total = 20 + 8 + payload;
  std::vector<uint8_t> b(total, 0xAB);
  b[0] = 0x45;
  b[1] = 0;
  b[2] = static_cast<uint8_t>(total >> 8);
  b[3] = static_cast<uint8_t>(total);
  b[6] = static_cast<uint8_t>(frag >> 8);
  b[7] = static_cast<uint8_t>(frag);
  b[8] = 64;
  b[9] = proto;
  const uint8_t src[4] = {10, 1, 2, 3}, dst[4] = {233, 54, 12, 111};
  std::copy(src, src + 4, b.begin() + 12);
  std::copy(dst, dst + 4, b.begin() + 16);
  b[20] = 0x30, b[21] = 0x39;  // src port 12345
  b[22] = 0x67, b[23] = 0x6D;  // dst port 26477
  b[24] = static_cast<uint8_t>((8 + payload) >> 8);
  b[25] = static_cast<uint8_t>(8 + payload);
  b[26] = b[27] = 0;
  return b;
}

std::vector<uint8_t> concat(std::vector<uint8_t> head, const std::vector<uint8_t>& tail) {
  head.insert(head.end(), tail.begin(), tail.end());
  return head;
}

std::span<const std::byte> sp(const std::vector<uint8_t>& v) {
  return {reinterpret_cast<const std::byte*>(v.data()), v.size()};
}

}  // namespace

TEST(PcapWriterReader, RoundTripsDatagramsWithNanosecondTimestamps) {
  const fs::path dir = temp_dir();
  const std::string path = (dir / "ns.pcap").string();
  const uint64_t t0 = 1704153600ull * 1'000'000'000ull + 123'456'789ull;
  {
    auto w = net::PcapWriter::open(path);
    ASSERT_TRUE(w.ok()) << w.error().message;
    for (int i = 0; i < 50; ++i) {
      const auto p = payload_of(static_cast<std::size_t>(i * 29), static_cast<uint8_t>(i));
      ASSERT_TRUE(w->write_udp(t0 + static_cast<uint64_t>(i), {0x0A000001u, 40000},
                               {*net::parse_ipv4("233.54.12.111"), 26477}, p));
    }
    EXPECT_EQ(w->packets(), 50u);
    ASSERT_TRUE(w->close().ok());
  }
  auto r = net::PcapReader::open(path);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->link_type(), DLT_EN10MB);
  net::UdpDatagram d;
  int i = 0;
  while (r->next(d)) {
    EXPECT_EQ(d.ts_ns, t0 + static_cast<uint64_t>(i));
    EXPECT_EQ(d.src_ip, 0x0A000001u);
    EXPECT_EQ(net::format_ipv4(d.dst_ip), "233.54.12.111");
    EXPECT_EQ(d.src_port, 40000);
    EXPECT_EQ(d.dst_port, 26477);
    const auto p = payload_of(static_cast<std::size_t>(i * 29), static_cast<uint8_t>(i));
    ASSERT_EQ(d.payload.size(), p.size());
    EXPECT_TRUE(std::equal(d.payload.begin(), d.payload.end(), p.begin()));
    ++i;
  }
  EXPECT_EQ(i, 50);
  EXPECT_EQ(r->status(), net::PcapReadStatus::kEnd);
  EXPECT_EQ(r->counters().load(net::PcapCounter::kUdpDatagrams), 50u);
  fs::remove_all(dir);
}

TEST(PcapWriterReader, MicrosecondFilesKeepMicrosecondTimestamps) {
  const fs::path dir = temp_dir();
  const std::string path = (dir / "us.pcap").string();
  {
    net::PcapWriterOptions o;
    o.nanosecond = false;
    auto w = net::PcapWriter::open(path, o);
    ASSERT_TRUE(w.ok());
    ASSERT_TRUE(w->write_udp(5'000'123'456ull, {1, 2}, {3, 4}, payload_of(10, 1)));
    ASSERT_TRUE(w->close().ok());
  }
  auto r = net::PcapReader::open(path);
  ASSERT_TRUE(r.ok());
  net::UdpDatagram d;
  ASSERT_TRUE(r->next(d));
  EXPECT_EQ(d.ts_ns, 5'000'123'000ull);  // truncated to microseconds
  fs::remove_all(dir);
}

TEST(PcapWriter, WritesValidIpv4AndUdpChecksums) {
  const fs::path dir = temp_dir();
  const std::string path = (dir / "sum.pcap").string();
  {
    auto w = net::PcapWriter::open(path);
    ASSERT_TRUE(w.ok());
    ASSERT_TRUE(w->write_udp(1, {0xC0A80001u, 1111}, {0xE9360C6Fu, 26477}, payload_of(33, 9)));  // odd length
    ASSERT_TRUE(w->close().ok());
  }
  char err[PCAP_ERRBUF_SIZE];
  pcap_t* p = pcap_open_offline(path.c_str(), err);
  ASSERT_NE(p, nullptr) << err;
  pcap_pkthdr* h = nullptr;
  const u_char* data = nullptr;
  ASSERT_EQ(pcap_next_ex(p, &h, &data), 1);
  ASSERT_EQ(h->caplen, 14u + 20 + 8 + 33);
  const auto* frame = reinterpret_cast<const std::byte*>(data);
  EXPECT_EQ(data[0], 0x01);  // multicast MAC 01:00:5e:36:0c:6f
  EXPECT_EQ(data[3], 0x36);
  EXPECT_EQ(net::internet_checksum({frame + 14, 20}), 0) << "IPv4 header checksum must verify";
  uint32_t pseudo = 0xC0A8 + 0x0001 + 0xE936 + 0x0C6F + 17 + (8 + 33);
  EXPECT_EQ(net::internet_checksum({frame + 34, 8 + 33}, pseudo), 0) << "UDP checksum must verify";
  EXPECT_NE(data[34 + 6] | data[34 + 7], 0);
  pcap_close(p);
  fs::remove_all(dir);
}

TEST(PcapReader, ParsesVlanTaggedEthernet) {
  const std::vector<uint8_t> eth = {1, 0, 0x5e, 0,    0,    1,    2,    0,    0,
                                    0, 0, 1,    0x81, 0x00, 0x00, 0x64, 0x08, 0x00};
  const auto frame = concat(eth, ipv4_udp(12));
  numi::CounterBlock<net::PcapCounter> c;
  net::UdpDatagram d;
  ASSERT_TRUE(net::PcapReader::parse_frame(DLT_EN10MB, sp(frame), d, c));
  EXPECT_EQ(d.payload.size(), 12u);
  EXPECT_EQ(d.src_port, 12345);
  EXPECT_EQ(d.dst_port, 26477);
  EXPECT_EQ(net::format_ipv4(d.src_ip), "10.1.2.3");
}

TEST(PcapReader, ParsesLinuxCookedSllAndSll2AndRawIpv4) {
  numi::CounterBlock<net::PcapCounter> c;
  net::UdpDatagram d;
  std::vector<uint8_t> sll(16, 0);
  sll[14] = 0x08;  // protocol @14 = 0x0800
  ASSERT_TRUE(net::PcapReader::parse_frame(DLT_LINUX_SLL, sp(concat(sll, ipv4_udp(5))), d, c));
  EXPECT_EQ(d.payload.size(), 5u);
  std::vector<uint8_t> sll2(20, 0);
  sll2[0] = 0x08;  // protocol @0 = 0x0800
  ASSERT_TRUE(net::PcapReader::parse_frame(276, sp(concat(sll2, ipv4_udp(6))), d, c));
  EXPECT_EQ(d.payload.size(), 6u);
  ASSERT_TRUE(net::PcapReader::parse_frame(DLT_RAW, sp(ipv4_udp(7)), d, c));
  EXPECT_EQ(d.payload.size(), 7u);
  EXPECT_EQ(c.load(net::PcapCounter::kUdpDatagrams), 3u);
}

TEST(PcapReader, SkipsAndCountsNonUdpFragmentsAndCutFrames) {
  numi::CounterBlock<net::PcapCounter> c;
  net::UdpDatagram d;
  const std::vector<uint8_t> eth = {1, 0, 0x5e, 0, 0, 1, 2, 0, 0, 0, 0, 1, 0x08, 0x00};
  EXPECT_FALSE(net::PcapReader::parse_frame(DLT_EN10MB, sp(concat(eth, ipv4_udp(8, 6))), d, c));  // TCP
  std::vector<uint8_t> arp = eth;
  arp[12] = 0x08, arp[13] = 0x06;
  EXPECT_FALSE(net::PcapReader::parse_frame(DLT_EN10MB, sp(concat(arp, ipv4_udp(8))), d, c));  // ARP
  EXPECT_EQ(c.load(net::PcapCounter::kNonUdp), 2u);
  EXPECT_FALSE(
      net::PcapReader::parse_frame(DLT_EN10MB, sp(concat(eth, ipv4_udp(8, 17, 0x2000))), d, c));  // MF
  EXPECT_FALSE(
      net::PcapReader::parse_frame(DLT_EN10MB, sp(concat(eth, ipv4_udp(8, 17, 0x0010))), d, c));  // offset
  EXPECT_EQ(c.load(net::PcapCounter::kIpFragments), 2u);
  auto cut = concat(eth, ipv4_udp(40));
  cut.resize(cut.size() - 10);  // captured shorter than the IP total length
  EXPECT_FALSE(net::PcapReader::parse_frame(DLT_EN10MB, sp(cut), d, c));
  EXPECT_FALSE(net::PcapReader::parse_frame(DLT_EN10MB, sp(std::vector<uint8_t>(10, 0)), d, c));
  EXPECT_EQ(c.load(net::PcapCounter::kMalformed), 2u);
  EXPECT_EQ(c.load(net::PcapCounter::kUdpDatagrams), 0u);
}

TEST(PcapReader, OpenFailureNamesThePath) {
  auto r = net::PcapReader::open("/nonexistent/capture.pcap");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("/nonexistent/capture.pcap"), std::string::npos);
}

namespace numi::net {
namespace {
TEST(ParseEndpoint, AcceptsDottedIpv4AndPortOnly) {
  const auto ep = parse_endpoint("233.54.12.111:26477");
  ASSERT_TRUE(ep.has_value());
  EXPECT_EQ(ep->ip, (233u << 24) | (54u << 16) | (12u << 8) | 111u);
  EXPECT_EQ(ep->port, 26477);
  EXPECT_FALSE(parse_endpoint("233.54.12.111").has_value());
  EXPECT_FALSE(parse_endpoint("233.54.12.111:").has_value());
  EXPECT_FALSE(parse_endpoint("233.54.12.111:0").has_value());
  EXPECT_FALSE(parse_endpoint("233.54.12.111:65536").has_value());
  EXPECT_FALSE(parse_endpoint("233.54.12.111:12x").has_value());
  EXPECT_FALSE(parse_endpoint("host:80").has_value());
}
}  // namespace
}  // namespace numi::net
