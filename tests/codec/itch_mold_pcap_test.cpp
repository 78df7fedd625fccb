// MoldPcapSource: a generated MoldUDP64 pcap yields exactly the generated messages with sequences 1..N; a
// hand-made capture with a duplicate packet, an overlap, a gap, a heartbeat and a truncated packet is
// counted.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <vector>

#include "numi/codec/itch/day_generator.hpp"
#include "numi/codec/itch/mold_pcap_source.hpp"
#include "numi/codec/itch/mold_udp64.hpp"
#include "numi/net/pcap_writer.hpp"

namespace itch = numi::codec::itch;
namespace fs = std::filesystem;
using C = itch::MoldSourceCounter;

namespace {
fs::path temp_dir(const char* tag) {
  fs::path d = fs::temp_directory_path() / (std::string(tag) + std::to_string(::getpid()));
  fs::create_directories(d);
  return d;
}
}  // namespace

TEST(MoldPcapSource, YieldsGeneratedMessagesInSequence) {
  const fs::path dir = temp_dir("numi_mold_src_");
  itch::ItchDayOptions opt;
  opt.seed = 99;
  opt.symbols = 10;
  opt.messages = 5'000;
  itch::ItchDayOutput out;
  out.pcap_path = (dir / "day.pcap").string();
  ASSERT_TRUE(itch::write_itch_day(opt, out).ok());

  auto src = itch::MoldPcapSource::open(out.pcap_path, 26477);
  ASSERT_TRUE(src.ok()) << src.error().message;
  itch::ItchDayGenerator gen(opt);
  itch::SequencedMessage m;
  std::span<const std::byte> expected;
  uint64_t n = 0;
  while (src->next(m)) {
    ASSERT_TRUE(gen.next(expected));
    ++n;
    ASSERT_EQ(m.sequence, n);
    ASSERT_EQ(m.msg.size(), expected.size());
    ASSERT_TRUE(std::equal(m.msg.begin(), m.msg.end(), expected.begin()));
  }
  EXPECT_FALSE(gen.next(expected));
  EXPECT_EQ(n, 5'000u);
  const auto& c = src->counters();
  EXPECT_EQ(c.load(C::kMessages), 5'000u);
  EXPECT_EQ(c.load(C::kGapEvents), 0u);
  EXPECT_EQ(c.load(C::kDuplicateMessages), 0u);
  EXPECT_EQ(c.load(C::kEndOfSession), 1u);
  EXPECT_EQ(src->session(), itch::make_mold_session("NUMI000001"));
  fs::remove_all(dir);
}

TEST(MoldPcapSource, CountsGapsDuplicatesHeartbeatsAndMalformedPackets) {
  const fs::path dir = temp_dir("numi_mold_gap_");
  const std::string path = (dir / "gaps.pcap").string();
  {
    auto w = numi::net::PcapWriter::open(path);
    ASSERT_TRUE(w.ok());
    std::array<std::byte, 1500> buf{};
    itch::MoldPacketWriter mw(buf, itch::make_mold_session("S"), 1400);
    const std::array<std::byte, 3> msg{std::byte{'x'}, std::byte{'y'}, std::byte{'z'}};
    auto packet = [&](uint64_t seq, int count) {
      mw.begin(seq);
      for (int i = 0; i < count; ++i) EXPECT_TRUE(mw.try_append(msg));
      const auto p = mw.finish();
      EXPECT_TRUE(w->write_udp(1, {1, 1}, {2, 26477}, p));
    };
    packet(1, 2);                                                       // 1,2
    packet(1, 2);                                                       // duplicate 1,2
    packet(2, 2);                                                       // overlap: 2 dup, 3 new
    packet(6, 1);                                                       // gap: 4,5 missing
    EXPECT_TRUE(w->write_udp(1, {1, 1}, {2, 26477}, mw.heartbeat(9)));  // heartbeat says 7,8 missing
    const std::array<std::byte, 5> junk{};
    EXPECT_TRUE(w->write_udp(1, {1, 1}, {2, 26477}, junk));  // too short for a header
    EXPECT_TRUE(w->write_udp(1, {1, 1}, {2, 9999}, junk));   // other port
    ASSERT_TRUE(w->close().ok());
  }
  auto src = itch::MoldPcapSource::open(path, 26477);
  ASSERT_TRUE(src.ok());
  std::vector<uint64_t> seqs;
  itch::SequencedMessage m;
  while (src->next(m)) seqs.push_back(m.sequence);
  EXPECT_EQ(seqs, (std::vector<uint64_t>{1, 2, 3, 6}));
  const auto& c = src->counters();
  EXPECT_EQ(c.load(C::kDuplicateMessages), 3u);
  EXPECT_EQ(c.load(C::kGapEvents), 2u);
  EXPECT_EQ(c.load(C::kMissingMessages), 4u);
  EXPECT_EQ(c.load(C::kHeartbeats), 1u);
  EXPECT_EQ(c.load(C::kMalformedPackets), 1u);
  EXPECT_EQ(c.load(C::kOtherPort), 1u);
  EXPECT_EQ(src->next_expected(), 9u);
  fs::remove_all(dir);
}
