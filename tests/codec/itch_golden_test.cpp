// Golden: a MoldUDP64 pcap written by the day generator's library code is read by Wireshark's own MoldUDP64
// dissector (tshark); session, sequence, count and every message length must match what was generated, and
// tshark must flag no packet as malformed. (tshark's nasdaq_itch dissector predates ITCH 5.0: not used.)
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include "numi/codec/itch/day_generator.hpp"

namespace itch = numi::codec::itch;
namespace fs = std::filesystem;

namespace {

bool have_tshark() { return std::system("command -v tshark >/dev/null 2>&1") == 0; }

std::vector<std::string> run_lines(const std::string& cmd) {
  std::vector<std::string> lines;
  FILE* p = ::popen(cmd.c_str(), "r");
  if (p == nullptr) return lines;
  std::string cur;
  char buf[65536];
  while (std::fgets(buf, sizeof buf, p) != nullptr) {
    cur += buf;
    if (!cur.empty() && cur.back() == '\n') {
      cur.pop_back();
      lines.push_back(cur);
      cur.clear();
    }
  }
  if (!cur.empty()) lines.push_back(cur);
  ::pclose(p);
  return lines;
}

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::stringstream ss(s);
  std::string item;
  while (std::getline(ss, item, sep)) out.push_back(item);
  if (!s.empty() && s.back() == sep) out.emplace_back();
  return out;
}

}  // namespace

TEST(ItchGolden, TsharkMoldUdp64DissectorAgreesWithGeneratedPcap) {
  if (!have_tshark())
    GTEST_SKIP() << "tshark not found; install the Debian package tshark (apt-get install tshark)";
  const fs::path dir = fs::temp_directory_path() / ("numi_itch_golden_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  itch::ItchDayOptions opt;
  opt.seed = 4242;
  opt.symbols = 40;
  opt.messages = 12'000;
  itch::ItchDayOutput out;
  out.pcap_path = (dir / "day.pcap").string();
  auto stats = itch::write_itch_day(opt, out);
  ASSERT_TRUE(stats.ok()) << stats.error().message;
  ASSERT_GE(stats->pcap_packets, 200u);

  // Expected message lengths, straight from the generator.
  std::vector<std::size_t> lengths;
  itch::ItchDayGenerator gen(opt);
  std::span<const std::byte> msg;
  while (gen.next(msg)) lengths.push_back(msg.size());

  const std::string base = "tshark -r '" + out.pcap_path + "' -d udp.port==26477,moldudp64 ";
  const auto rows = run_lines(base +
                              "-T fields -e moldudp64.session -e moldudp64.sequence -e moldudp64.count "
                              "-e moldudp64.msglen 2>/dev/null");
  ASSERT_EQ(rows.size(), stats->pcap_packets);
  uint64_t next_seq = 1;
  std::size_t msg_index = 0;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const auto f = split(rows[i], '\t');
    ASSERT_GE(f.size(), 3u) << rows[i];
    EXPECT_EQ(f[0], "NUMI000001") << "packet " << i;
    EXPECT_EQ(std::stoull(f[1]), next_seq) << "packet " << i;
    const uint64_t count = std::stoull(f[2]);
    if (i + 1 == rows.size()) {
      EXPECT_EQ(count, 0xFFFFu) << "last packet is end of session";
      break;
    }
    ASSERT_GE(f.size(), 4u) << rows[i];
    const auto lens = split(f[3], ',');
    ASSERT_EQ(lens.size(), count) << "packet " << i;
    for (const auto& l : lens) {
      ASSERT_LT(msg_index, lengths.size());
      EXPECT_EQ(std::stoull(l), lengths[msg_index]) << "message " << msg_index;
      ++msg_index;
    }
    next_seq += count;
  }
  EXPECT_EQ(msg_index, lengths.size());
  EXPECT_EQ(next_seq, lengths.size() + 1);

  const auto malformed = run_lines(base + "-Y _ws.malformed 2>/dev/null");
  EXPECT_TRUE(malformed.empty()) << malformed.size() << " malformed packets, first: " << malformed.front();
  fs::remove_all(dir);
}
