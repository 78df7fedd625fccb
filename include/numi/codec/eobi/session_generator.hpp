// Deterministic synthetic T7 EOBI 14.1 session: incremental packets (PacketHeader with ApplSeqNum per
// partition, continuous MsgSeqNum per partition, several messages per packet, CompletionIndicator) carrying a
// realistic mix of 13100/13101/13106/13102, executions (13202 then 13104/13105 fills at the best level in
// priority order), rare 13103 mass deletes, 13201 trade reports and 13301 state changes — always on live
// orders of its own order model — plus, on demand, a full snapshot cycle of the CURRENT state of a partition
// (13600, then 13601 + 13602s per instrument in queue priority order). No book dependency. A/B copies are the
// same packets. Main types: EobiSessionOptions, EobiSessionGenerator, eobi_security_id(). Thread-safety: one
// thread per generator.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "numi/core/status.hpp"

namespace numi::codec::eobi {

struct EobiSessionOptions {
  uint64_t seed = 1;
  uint32_t instruments = 100;               // 1..100000; instrument i has SecurityID eobi_security_id(i)
  uint64_t messages = 100'000;              // incremental messages (at least; the last update is completed)
  uint32_t partitions = 1;                  // 1..256; instrument i is in PartitionID i % partitions
  int32_t market_segment_base = 1000;       // MarketSegmentID of partition p = base + p
  uint32_t max_live_per_instrument = 2000;  // 1..65535 (13601 TotNoOrders is u16)
  uint32_t max_updates_per_packet = 6;      // 1..64 updates (1-4 messages each) per packet
  std::size_t max_payload = 1472;           // 512..65535 bytes per UDP payload
};

// Checks the options; the error names the option, the value and the accepted range.
[[nodiscard]] Result<void> validate(const EobiSessionOptions& options);

// Deterministic SecurityIDs using all 64 bits: some negative, most above 2^32.
[[nodiscard]] int64_t eobi_security_id(uint32_t instrument) noexcept;

class EobiSessionGenerator {
 public:
  // `options` must pass validate(). Instruments start with empty books in state 203 (continuous).
  explicit EobiSessionGenerator(const EobiSessionOptions& options);
  EobiSessionGenerator(EobiSessionGenerator&&) noexcept;
  EobiSessionGenerator& operator=(EobiSessionGenerator&&) noexcept;
  ~EobiSessionGenerator();

  // The next incremental packet (UDP payload); valid until the next call. false when the session is done.
  [[nodiscard]] bool next_packet(std::span<const std::byte>& packet) noexcept;

  // A full snapshot cycle of partition `partition_id` as it is now (cold; one vector per UDP payload):
  // 13600 (LastMsgSeqNumProcessed = last MsgSeqNum emitted on the partition), then per instrument 13601 and
  // its TotNoOrders 13602s (bids best first, then asks best first, queue order within a level). Snapshot
  // MsgSeqNums start at 1 in every cycle.
  [[nodiscard]] std::vector<std::vector<std::byte>> snapshot_cycle(uint8_t partition_id) const;

  [[nodiscard]] uint64_t messages_emitted() const noexcept;
  [[nodiscard]] uint64_t packets_emitted() const noexcept;
  // Messages emitted so far with this TemplateID (0 for templates it never emits).
  [[nodiscard]] uint64_t count(uint16_t template_id) const noexcept;
  [[nodiscard]] uint32_t last_msg_seq_num(uint8_t partition_id) const noexcept;
  [[nodiscard]] uint64_t live_orders() const noexcept;
  [[nodiscard]] const EobiSessionOptions& options() const noexcept;

  struct State;

 private:
  std::unique_ptr<State> state_;
};

}  // namespace numi::codec::eobi
