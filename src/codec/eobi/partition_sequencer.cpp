// EOBI PartitionSequencer: ApplSeqNum per (segment, partition), MsgSeqNum per partition.
#include "numi/codec/eobi/partition_sequencer.hpp"

#include <bit>

namespace numi::codec::eobi {
namespace {

uint64_t stream_key(int32_t segment, uint8_t partition) noexcept {
  return ((static_cast<uint64_t>(static_cast<uint32_t>(segment)) << 8) | partition) + 1;
}

uint64_t mix(uint64_t x) noexcept {  // splitmix64 finalizer
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ULL;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebULL;
  x ^= x >> 31;
  return x;
}

}  // namespace

PartitionSequencer::PartitionSequencer(std::size_t max_streams)
    : max_streams_(max_streams == 0 ? 1 : max_streams),
      mask_(std::bit_ceil(max_streams_ * 2) - 1),
      slots_(mask_ + 1, Stream{0, 0}) {}

PartitionSequencer::Stream* PartitionSequencer::find_or_insert(uint64_t key) noexcept {
  for (std::size_t i = mix(key) & mask_;; i = (i + 1) & mask_) {
    Stream& s = slots_[i];
    if (s.key == key) return &s;
    if (s.key == 0) {
      if (used_ >= max_streams_) return nullptr;
      ++used_;
      s.key = key;
      return &s;  // caller sets `last`
    }
  }
}

const PartitionSequencer::Stream* PartitionSequencer::find(uint64_t key) const noexcept {
  for (std::size_t i = mix(key) & mask_;; i = (i + 1) & mask_) {
    const Stream& s = slots_[i];
    if (s.key == key) return &s;
    if (s.key == 0) return nullptr;
  }
}

PacketVerdict PartitionSequencer::on_packet(const PacketHeader& h) noexcept {
  const bool complete = h.completion_indicator == 1;
  const uint64_t key = stream_key(h.market_segment_id, h.partition_id);
  const std::size_t before = used_;
  Stream* s = find_or_insert(key);
  if (s == nullptr) {
    counters_.add(SequencerCounter::kStreamTableFull);
    return {SeqVerdict::kTableFull, 0, 0, complete};
  }
  if (h.appl_seq_reset_indicator != 0) {
    counters_.add(SequencerCounter::kApplSeqResets);
    s->last = h.appl_seq_num;
    partitions_[h.partition_id].valid = false;
    return {SeqVerdict::kReset, 0, 0, complete};
  }
  if (used_ != before) {
    s->last = h.appl_seq_num;
    return {SeqVerdict::kFirst, 0, 0, complete};
  }
  const MsgVerdict st = classify(s->last, h.appl_seq_num);
  switch (st.verdict) {
    case SeqVerdict::kGap:
      counters_.add(SequencerCounter::kApplSeqGaps);
      counters_.add(SequencerCounter::kApplSeqMissing, uint64_t{st.missing_last - st.missing_first} + 1);
      s->last = h.appl_seq_num;
      break;
    case SeqVerdict::kDuplicate:
      counters_.add(SequencerCounter::kApplSeqDuplicates);
      break;
    default:
      s->last = h.appl_seq_num;
      break;
  }
  return {st.verdict, st.missing_first, st.missing_last, complete};
}

std::optional<uint32_t> PartitionSequencer::last_appl_seq_num(int32_t market_segment_id,
                                                              uint8_t partition_id) const noexcept {
  const Stream* s = find(stream_key(market_segment_id, partition_id));
  if (s == nullptr) return std::nullopt;
  return s->last;
}

std::optional<uint32_t> PartitionSequencer::last_msg_seq_num(uint8_t partition_id) const noexcept {
  const Partition& p = partitions_[partition_id];
  if (!p.valid) return std::nullopt;
  return p.last;
}

void PartitionSequencer::clear() noexcept {
  for (Stream& s : slots_) s = Stream{0, 0};
  used_ = 0;
  partitions_ = {};
}

}  // namespace numi::codec::eobi
