// MoldUDP64 framing: header parse/write, block iteration (heartbeat, end of session, truncated blocks), the
// MTU-bounded packet writer and the re-request. Packets are built by hand from specs/itch50.md.
#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <vector>

#include "numi/codec/itch/mold_udp64.hpp"

namespace itch = numi::codec::itch;

namespace {
using Bytes = std::vector<uint8_t>;
std::span<const std::byte> span_of(const Bytes& b) {
  return {reinterpret_cast<const std::byte*>(b.data()), b.size()};
}

// session "SESSION001", sequence 0x0000000000000105 (261), count as given.
Bytes header(uint8_t count_hi, uint8_t count_lo) {
  return {'S',      'E',     'S',  'S',  'I',  'O',  'N',  '0',  '0', '1',  // session @0:10
          0x00,     0x00,    0x00, 0x00, 0x00, 0x00, 0x01, 0x05,            // sequence @10:8
          count_hi, count_lo};                                              // count @18:2
}
}  // namespace

TEST(MoldUdp64, ParsesHeaderFieldsBigEndian) {
  const Bytes pkt = header(0x00, 0x02);
  itch::MoldHeader h;
  ASSERT_EQ(itch::parse_mold_header(span_of(pkt), h), itch::MoldStatus::kOk);
  EXPECT_EQ(h.session, itch::make_mold_session("SESSION001"));
  EXPECT_EQ(h.sequence, 261u);
  EXPECT_EQ(h.count, 2u);
  EXPECT_FALSE(h.is_heartbeat());
  EXPECT_FALSE(h.is_end_of_session());
  EXPECT_EQ(h.next_sequence(), 263u);
  std::array<std::byte, 20> out{};
  itch::write_mold_header(h, out.data());
  EXPECT_EQ(std::memcmp(out.data(), pkt.data(), 20), 0);
}

TEST(MoldUdp64, IteratesBlocksWithTheirSequenceNumbers) {
  Bytes pkt = header(0x00, 0x02);
  const Bytes blocks = {0x00, 0x03, 'a', 'b', 'c', 0x00, 0x01, 'z'};
  pkt.insert(pkt.end(), blocks.begin(), blocks.end());
  itch::MoldPacketView v;
  ASSERT_EQ(v.parse(span_of(pkt)), itch::MoldStatus::kOk);
  std::span<const std::byte> msg;
  uint64_t seq = 0;
  ASSERT_EQ(v.next(msg, seq), itch::MoldStatus::kOk);
  EXPECT_EQ(seq, 261u);
  ASSERT_EQ(msg.size(), 3u);
  EXPECT_EQ(static_cast<char>(msg[0]), 'a');
  ASSERT_EQ(v.next(msg, seq), itch::MoldStatus::kOk);
  EXPECT_EQ(seq, 262u);
  ASSERT_EQ(msg.size(), 1u);
  EXPECT_EQ(static_cast<char>(msg[0]), 'z');
  EXPECT_EQ(v.next(msg, seq), itch::MoldStatus::kEnd);
  EXPECT_EQ(v.trailing_bytes(), 0u);
}

TEST(MoldUdp64, HeartbeatCarriesNoMessages) {
  const Bytes pkt = header(0x00, 0x00);
  itch::MoldPacketView v;
  ASSERT_EQ(v.parse(span_of(pkt)), itch::MoldStatus::kOk);
  EXPECT_TRUE(v.header().is_heartbeat());
  EXPECT_EQ(v.header().next_sequence(), 261u);
  std::span<const std::byte> msg;
  EXPECT_EQ(v.next(msg), itch::MoldStatus::kEnd);
}

TEST(MoldUdp64, EndOfSessionCarriesNoMessages) {
  const Bytes pkt = header(0xFF, 0xFF);
  itch::MoldPacketView v;
  ASSERT_EQ(v.parse(span_of(pkt)), itch::MoldStatus::kOk);
  EXPECT_TRUE(v.header().is_end_of_session());
  EXPECT_EQ(v.header().message_count(), 0u);
  EXPECT_EQ(v.header().next_sequence(), 261u);
  std::span<const std::byte> msg;
  EXPECT_EQ(v.next(msg), itch::MoldStatus::kEnd);
}

TEST(MoldUdp64, RejectsShortHeader) {
  Bytes pkt = header(0x00, 0x01);
  pkt.pop_back();
  itch::MoldPacketView v;
  EXPECT_EQ(v.parse(span_of(pkt)), itch::MoldStatus::kTooShort);
}

TEST(MoldUdp64, BlockRunningPastThePacketIsAnErrorNotARead) {
  Bytes pkt = header(0x00, 0x02);
  const Bytes blocks = {0x00, 0x02, 'o', 'k', 0x00, 0x09, 'x', 'y'};  // second block claims 9, has 2
  pkt.insert(pkt.end(), blocks.begin(), blocks.end());
  itch::MoldPacketView v;
  ASSERT_EQ(v.parse(span_of(pkt)), itch::MoldStatus::kOk);
  std::span<const std::byte> msg;
  EXPECT_EQ(v.next(msg), itch::MoldStatus::kOk);
  EXPECT_EQ(v.next(msg), itch::MoldStatus::kTruncatedBlock);
}

TEST(MoldUdp64, CountBeyondTheBlocksPresentIsTruncated) {
  Bytes pkt = header(0x00, 0x03);
  const Bytes blocks = {0x00, 0x01, 'a', 0x00};  // one block, then half a length prefix
  pkt.insert(pkt.end(), blocks.begin(), blocks.end());
  itch::MoldPacketView v;
  ASSERT_EQ(v.parse(span_of(pkt)), itch::MoldStatus::kOk);
  std::span<const std::byte> msg;
  EXPECT_EQ(v.next(msg), itch::MoldStatus::kOk);
  EXPECT_EQ(v.next(msg), itch::MoldStatus::kTruncatedBlock);
}

TEST(MoldUdp64, WriterFillsUpToTheMtuAndFinalisesTheHeader) {
  std::array<std::byte, 2048> buf{};
  itch::MoldPacketWriter w(buf, itch::make_mold_session("NUMI000001"), 100);
  w.begin(42);
  const std::array<std::byte, 30> msg{};
  int appended = 0;
  while (w.try_append(msg)) ++appended;
  EXPECT_EQ(appended, 2);  // 20 + 2*(2+30) = 84; a third would make 116 > 100
  const auto pkt = w.finish();
  EXPECT_EQ(pkt.size(), 84u);
  itch::MoldPacketView v;
  ASSERT_EQ(v.parse(pkt), itch::MoldStatus::kOk);
  EXPECT_EQ(v.header().sequence, 42u);
  EXPECT_EQ(v.header().count, 2u);
  EXPECT_EQ(v.header().session, itch::make_mold_session("NUMI000001"));
  std::span<const std::byte> m;
  EXPECT_EQ(v.next(m), itch::MoldStatus::kOk);
  EXPECT_EQ(m.size(), 30u);
  EXPECT_EQ(v.next(m), itch::MoldStatus::kOk);
  EXPECT_EQ(v.next(m), itch::MoldStatus::kEnd);
  EXPECT_EQ(w.next_sequence(), 44u);
  const auto hb = w.heartbeat(44);
  ASSERT_EQ(v.parse(hb), itch::MoldStatus::kOk);
  EXPECT_TRUE(v.header().is_heartbeat());
  const auto eos = w.end_of_session(44);
  ASSERT_EQ(v.parse(eos), itch::MoldStatus::kOk);
  EXPECT_TRUE(v.header().is_end_of_session());
  EXPECT_EQ(v.header().sequence, 44u);
}

TEST(MoldUdp64, ReRequestRoundTripsAndMatchesTheSpecLayout) {
  const Bytes wire = {'N',  'U',  'M',  'I',  '0',  '0',  '0',  '0',  '0', '1',  // session
                      0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00,            // sequence 65536
                      0x03, 0xE8};                                               // count 1000
  itch::MoldRequest r;
  ASSERT_EQ(itch::parse_mold_request(span_of(wire), r), itch::MoldStatus::kOk);
  EXPECT_EQ(r.sequence, 65536u);
  EXPECT_EQ(r.count, 1000u);
  EXPECT_EQ(r.session, itch::make_mold_session("NUMI000001"));
  std::array<std::byte, 20> out{};
  EXPECT_EQ(itch::write_mold_request(r, out.data()), 20u);
  EXPECT_EQ(std::memcmp(out.data(), wire.data(), 20), 0);
  EXPECT_EQ(itch::parse_mold_request(span_of(wire).first(19), r), itch::MoldStatus::kTooShort);
}
