// EOBI PartitionSequencer: ApplSeqNum per (segment, partition), MsgSeqNum per partition, resets, capacity.
#include <gtest/gtest.h>

#include "numi/codec/eobi/partition_sequencer.hpp"
#include "numi/testing/alloc_counter.hpp"

namespace numi::codec::eobi {
namespace {

PacketHeader hdr(uint32_t appl_seq, int32_t segment = 7, uint8_t partition = 1, uint8_t reset = 0,
                 uint8_t complete = 1) {
  return PacketHeader{.appl_seq_num = appl_seq,
                      .market_segment_id = segment,
                      .partition_id = partition,
                      .completion_indicator = complete,
                      .appl_seq_reset_indicator = reset};
}

TEST(EobiPartitionSequencer, FirstPacketTakesBaselineThenInOrder) {
  PartitionSequencer s(4);
  EXPECT_EQ(s.on_packet(hdr(100)).verdict, SeqVerdict::kFirst);
  EXPECT_EQ(s.on_packet(hdr(101)).verdict, SeqVerdict::kInOrder);
  EXPECT_EQ(s.last_appl_seq_num(7, 1), 101u);
  EXPECT_EQ(s.last_appl_seq_num(7, 2), std::nullopt);
  EXPECT_EQ(s.counters().load(SequencerCounter::kApplSeqGaps), 0u);
}

TEST(EobiPartitionSequencer, ApplSeqGapReportsMissingRangeAndCounts) {
  PartitionSequencer s(4);
  (void)s.on_packet(hdr(10));
  const PacketVerdict v = s.on_packet(hdr(14));
  EXPECT_EQ(v.verdict, SeqVerdict::kGap);
  EXPECT_EQ(v.missing_first, 11u);
  EXPECT_EQ(v.missing_last, 13u);
  EXPECT_EQ(s.counters().load(SequencerCounter::kApplSeqGaps), 1u);
  EXPECT_EQ(s.counters().load(SequencerCounter::kApplSeqMissing), 3u);
  EXPECT_EQ(s.on_packet(hdr(15)).verdict, SeqVerdict::kInOrder);
}

TEST(EobiPartitionSequencer, DuplicateApplSeqLeavesStateUnchanged) {
  PartitionSequencer s(4);
  (void)s.on_packet(hdr(10));
  (void)s.on_packet(hdr(11));
  EXPECT_EQ(s.on_packet(hdr(11)).verdict, SeqVerdict::kDuplicate);
  EXPECT_EQ(s.on_packet(hdr(5)).verdict, SeqVerdict::kDuplicate);
  EXPECT_EQ(s.last_appl_seq_num(7, 1), 11u);
  EXPECT_EQ(s.counters().load(SequencerCounter::kApplSeqDuplicates), 2u);
}

TEST(EobiPartitionSequencer, StreamsAreKeyedBySegmentAndPartition) {
  PartitionSequencer s(4);
  EXPECT_EQ(s.on_packet(hdr(1, 7, 1)).verdict, SeqVerdict::kFirst);
  EXPECT_EQ(s.on_packet(hdr(500, 8, 1)).verdict, SeqVerdict::kFirst);
  EXPECT_EQ(s.on_packet(hdr(900, 7, 2)).verdict, SeqVerdict::kFirst);
  EXPECT_EQ(s.on_packet(hdr(2, 7, 1)).verdict, SeqVerdict::kInOrder);
  EXPECT_EQ(s.on_packet(hdr(501, 8, 1)).verdict, SeqVerdict::kInOrder);
  EXPECT_EQ(s.on_packet(hdr(1, -7, 1)).verdict, SeqVerdict::kFirst);  // negative segment ids are distinct
  EXPECT_EQ(s.stream_count(), 4u);
}

TEST(EobiPartitionSequencer, TableFullIsCountedNotTracked) {
  PartitionSequencer s(2);
  (void)s.on_packet(hdr(1, 1));
  (void)s.on_packet(hdr(1, 2));
  EXPECT_EQ(s.on_packet(hdr(1, 3)).verdict, SeqVerdict::kTableFull);
  EXPECT_EQ(s.counters().load(SequencerCounter::kStreamTableFull), 1u);
  EXPECT_EQ(s.on_packet(hdr(2, 2)).verdict, SeqVerdict::kInOrder);
}

TEST(EobiPartitionSequencer, MsgSeqGapIsPerPartitionWithRange) {
  PartitionSequencer s(4);
  EXPECT_EQ(s.on_message(1, 50).verdict, SeqVerdict::kFirst);
  EXPECT_EQ(s.on_message(1, 51).verdict, SeqVerdict::kInOrder);
  EXPECT_EQ(s.on_message(2, 7).verdict, SeqVerdict::kFirst);
  const MsgVerdict g = s.on_message(1, 60);
  EXPECT_EQ(g.verdict, SeqVerdict::kGap);
  EXPECT_EQ(g.missing_first, 52u);
  EXPECT_EQ(g.missing_last, 59u);
  EXPECT_EQ(s.on_message(2, 8).verdict, SeqVerdict::kInOrder);
  EXPECT_EQ(s.on_message(1, 55).verdict, SeqVerdict::kDuplicate);
  EXPECT_EQ(s.counters().load(SequencerCounter::kMsgSeqGaps), 1u);
  EXPECT_EQ(s.counters().load(SequencerCounter::kMsgSeqMissing), 8u);
  EXPECT_EQ(s.counters().load(SequencerCounter::kMsgSeqDuplicates), 1u);
  EXPECT_EQ(s.last_msg_seq_num(1), 60u);
}

TEST(EobiPartitionSequencer, SequenceNumbersWrapWithoutFalseGap) {
  PartitionSequencer s(4);
  (void)s.on_message(1, 0xFFFFFFFFu);
  EXPECT_EQ(s.on_message(1, 0).verdict, SeqVerdict::kInOrder);
  (void)s.on_packet(hdr(0xFFFFFFFFu));
  EXPECT_EQ(s.on_packet(hdr(0)).verdict, SeqVerdict::kInOrder);
}

TEST(EobiPartitionSequencer, ApplSeqResetIndicatorResetsApplAndMsgSequences) {
  PartitionSequencer s(4);
  (void)s.on_packet(hdr(100));
  (void)s.on_message(1, 1000);
  const PacketVerdict v = s.on_packet(hdr(1, 7, 1, /*reset=*/1));
  EXPECT_EQ(v.verdict, SeqVerdict::kReset);
  EXPECT_EQ(s.last_appl_seq_num(7, 1), 1u);
  EXPECT_EQ(s.last_msg_seq_num(1), std::nullopt);
  EXPECT_EQ(s.on_message(1, 1).verdict, SeqVerdict::kFirst);  // no false gap/duplicate after reset
  EXPECT_EQ(s.on_packet(hdr(2)).verdict, SeqVerdict::kInOrder);
  EXPECT_EQ(s.counters().load(SequencerCounter::kApplSeqResets), 1u);
  EXPECT_EQ(s.counters().load(SequencerCounter::kApplSeqDuplicates), 0u);
  EXPECT_EQ(s.counters().load(SequencerCounter::kMsgSeqDuplicates), 0u);
}

TEST(EobiPartitionSequencer, CompletionIndicatorIsExposed) {
  PartitionSequencer s(4);
  EXPECT_FALSE(s.on_packet(hdr(1, 7, 1, 0, /*complete=*/0)).completes_update);
  EXPECT_TRUE(s.on_packet(hdr(2, 7, 1, 0, /*complete=*/1)).completes_update);
}

TEST(EobiPartitionSequencer, ClearForgetsEverything) {
  PartitionSequencer s(4);
  (void)s.on_packet(hdr(1));
  (void)s.on_message(1, 1);
  s.clear();
  EXPECT_EQ(s.stream_count(), 0u);
  EXPECT_EQ(s.on_packet(hdr(50)).verdict, SeqVerdict::kFirst);
  EXPECT_EQ(s.on_message(1, 50).verdict, SeqVerdict::kFirst);
}

TEST(EobiPartitionSequencer, SteadyStateAllocatesNothing) {
  PartitionSequencer s(64);
  numi::testing::AllocationScope scope;
  uint32_t msg = 1;
  for (uint32_t p = 1; p <= 1000; ++p) {
    for (int32_t seg = 0; seg < 32; ++seg) (void)s.on_packet(hdr(p, seg, static_cast<uint8_t>(seg % 4)));
    for (int i = 0; i < 4; ++i) (void)s.on_message(static_cast<uint8_t>(i), msg);
    ++msg;
  }
  EXPECT_EQ(scope.allocations(), 0u);
  EXPECT_EQ(s.stream_count(), 32u);
  EXPECT_EQ(s.counters().load(SequencerCounter::kApplSeqGaps), 0u);
}

}  // namespace
}  // namespace numi::codec::eobi
