// EOBI sequencing at codec level (no book): ApplSeqNum per (MarketSegmentID, PartitionID) stream for the
// merge stage, MsgSeqNum continuity per PartitionID (gap count and missing range), ApplSeqResetIndicator
// resetting both, CompletionIndicator passed through. Comparisons use 32-bit serial arithmetic (wrap-safe).
// Main types: SequencerCounter, PacketVerdict, MsgVerdict, PartitionSequencer (fixed capacity, preallocated).
// Thread-safety: one owner thread; the counters may be read by any thread.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "numi/codec/eobi/messages.hpp"
#include "numi/core/counters.hpp"

namespace numi::codec::eobi {

enum class SequencerCounter : uint8_t {
  kApplSeqGaps,
  kApplSeqMissing,
  kApplSeqDuplicates,
  kApplSeqResets,
  kMsgSeqGaps,
  kMsgSeqMissing,
  kMsgSeqDuplicates,
  kStreamTableFull,
  kCount
};

inline constexpr std::array<CounterDesc, static_cast<std::size_t>(SequencerCounter::kCount)>
    kSequencerCounterTable{{
        {"eobi_appl_seq_gaps_total", "EOBI ApplSeqNum gaps per (MarketSegmentID, PartitionID)",
         MetricType::kCounter},
        {"eobi_appl_seq_missing_total", "EOBI packets missing in ApplSeqNum gaps", MetricType::kCounter},
        {"eobi_appl_seq_duplicates_total", "EOBI packets with an ApplSeqNum already seen",
         MetricType::kCounter},
        {"eobi_appl_seq_resets_total", "EOBI packets with ApplSeqResetIndicator set", MetricType::kCounter},
        {"eobi_msg_seq_gaps_total", "EOBI MsgSeqNum gaps per PartitionID", MetricType::kCounter},
        {"eobi_msg_seq_missing_total", "EOBI messages missing in MsgSeqNum gaps", MetricType::kCounter},
        {"eobi_msg_seq_duplicates_total", "EOBI messages with a MsgSeqNum already seen",
         MetricType::kCounter},
        {"eobi_stream_table_full_total",
         "EOBI packets of a (segment, partition) beyond the sequencer capacity", MetricType::kCounter},
    }};

[[nodiscard]] constexpr std::span<const CounterDesc> counter_table(SequencerCounter) noexcept {
  return kSequencerCounterTable;
}

enum class SeqVerdict : uint8_t {
  kFirst,      // first number seen on this stream (baseline taken)
  kInOrder,    // exactly last + 1
  kGap,        // beyond last + 1: [missing_first, missing_last] lost; the new number is taken
  kDuplicate,  // <= last (serial arithmetic): already seen, state unchanged
  kReset,      // ApplSeqResetIndicator set: baseline taken, the partition's MsgSeqNum tracking cleared
  kTableFull,  // no room for a new (segment, partition) stream: not tracked (counted)
};

struct PacketVerdict {
  SeqVerdict verdict;
  uint32_t missing_first;  // meaningful for kGap
  uint32_t missing_last;
  bool completes_update;  // CompletionIndicator == 1: the book is consistent after this packet
};

struct MsgVerdict {
  SeqVerdict verdict;  // kFirst, kInOrder, kGap or kDuplicate
  uint32_t missing_first;
  uint32_t missing_last;
};

class PartitionSequencer {
 public:
  // Allocates room for `max_streams` (MarketSegmentID, PartitionID) pairs now; nothing allocates later.
  explicit PartitionSequencer(std::size_t max_streams);

  // ApplSeqNum of a packet (call once per packet, before its messages).
  [[nodiscard]] PacketVerdict on_packet(const PacketHeader& h) noexcept;
  // MsgSeqNum of one message of partition `partition_id` (inline: called for every message).
  [[nodiscard]] MsgVerdict on_message(uint8_t partition_id, uint32_t msg_seq_num) noexcept {
    Partition& p = partitions_[partition_id];
    if (!p.valid) [[unlikely]] {
      p.valid = true;
      p.last = msg_seq_num;
      return {SeqVerdict::kFirst, 0, 0};
    }
    if (msg_seq_num == p.last + 1) [[likely]] {
      p.last = msg_seq_num;
      return {SeqVerdict::kInOrder, 0, 0};
    }
    const MsgVerdict st = classify(p.last, msg_seq_num);
    if (st.verdict == SeqVerdict::kGap) {
      counters_.add(SequencerCounter::kMsgSeqGaps);
      counters_.add(SequencerCounter::kMsgSeqMissing, uint64_t{st.missing_last - st.missing_first} + 1);
      p.last = msg_seq_num;
    } else {
      counters_.add(SequencerCounter::kMsgSeqDuplicates);
    }
    return st;
  }

  [[nodiscard]] std::optional<uint32_t> last_appl_seq_num(int32_t market_segment_id,
                                                          uint8_t partition_id) const noexcept;
  [[nodiscard]] std::optional<uint32_t> last_msg_seq_num(uint8_t partition_id) const noexcept;
  [[nodiscard]] std::size_t stream_count() const noexcept { return used_; }
  [[nodiscard]] std::size_t capacity() const noexcept { return max_streams_; }
  // Forgets every stream and partition (e.g. after a full re-snapshot).
  void clear() noexcept;

  [[nodiscard]] const CounterBlock<SequencerCounter>& counters() const noexcept { return counters_; }

 private:
  struct Stream {
    uint64_t key;  // (uint32 segment << 8 | partition) + 1; 0 = empty slot
    uint32_t last;
  };
  struct Partition {
    bool valid;
    uint32_t last;
  };
  // Classifies `seq` against the last number of a stream (serial arithmetic, wrap-safe): in order, gap or
  // duplicate.
  [[nodiscard]] static MsgVerdict classify(uint32_t last, uint32_t seq) noexcept {
    const uint32_t expected = last + 1;
    const auto delta = static_cast<int32_t>(seq - expected);
    if (delta == 0) return {SeqVerdict::kInOrder, 0, 0};
    if (delta > 0) return {SeqVerdict::kGap, expected, seq - 1};
    return {SeqVerdict::kDuplicate, 0, 0};
  }
  [[nodiscard]] Stream* find_or_insert(uint64_t key) noexcept;
  [[nodiscard]] const Stream* find(uint64_t key) const noexcept;

  std::size_t max_streams_;
  std::size_t used_ = 0;
  std::size_t mask_;
  std::vector<Stream> slots_;  // power-of-two open-addressing table, load <= 0.5
  std::array<Partition, 256> partitions_{};
  CounterBlock<SequencerCounter> counters_;
};

}  // namespace numi::codec::eobi
