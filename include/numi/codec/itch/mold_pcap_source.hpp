// Offline MoldUDP64 source: reads UDP datagrams from a pcap/pcapng (net::PcapReader), parses MoldUDP64
// packets and yields each ITCH message with its sequence number, in capture order. Gaps (a packet starting
// past the next expected sequence) and duplicates (messages below it) are detected and counted; duplicates
// are skipped, gaps are passed over. Main types: MoldPcapSource, SequencedMessage, MoldSourceCounter.
// Thread-safety: one thread per source.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <span>
#include <string>

#include "numi/codec/itch/mold_udp64.hpp"
#include "numi/core/counters.hpp"
#include "numi/core/status.hpp"
#include "numi/net/pcap_reader.hpp"

namespace numi::codec::itch {

struct SequencedMessage {
  uint64_t sequence = 0;             // MoldUDP64 message sequence number
  uint64_t ts_ns = 0;                // capture timestamp of the packet
  std::span<const std::byte> msg{};  // one ITCH message; valid until the next next()
};

enum class MoldSourceCounter : uint8_t {
  kPackets,   // MoldUDP64 packets parsed (heartbeats and end of session included)
  kMessages,  // messages yielded
  kHeartbeats,
  kEndOfSession,
  kGapEvents,          // packets (or heartbeats) that start past the next expected sequence
  kMissingMessages,    // messages skipped over by those gaps
  kDuplicateMessages,  // messages below the next expected sequence (skipped)
  kMalformedPackets,   // shorter than a header, or a block running past the end
  kOtherPort,          // datagrams to another destination port (when filtering)
  kCount
};

inline constexpr std::array<CounterDesc, static_cast<std::size_t>(MoldSourceCounter::kCount)>
    kMoldSourceCounterTable{{
        {"mold_packets_total", "MoldUDP64 packets parsed", MetricType::kCounter},
        {"mold_messages_total", "ITCH messages yielded in sequence", MetricType::kCounter},
        {"mold_heartbeats_total", "MoldUDP64 heartbeats", MetricType::kCounter},
        {"mold_end_of_session_total", "MoldUDP64 end-of-session packets", MetricType::kCounter},
        {"mold_gap_events_total", "packets that start past the next expected sequence", MetricType::kCounter},
        {"mold_missing_messages_total", "messages never seen because of gaps", MetricType::kCounter},
        {"mold_duplicate_messages_total", "messages skipped because their sequence was already seen",
         MetricType::kCounter},
        {"mold_malformed_packets_total", "datagrams that are not well-formed MoldUDP64 packets",
         MetricType::kCounter},
        {"mold_other_port_total", "datagrams to another destination port", MetricType::kCounter},
    }};
[[nodiscard]] constexpr std::span<const CounterDesc> counter_table(MoldSourceCounter) noexcept {
  return kMoldSourceCounterTable;
}

class MoldPcapSource {
 public:
  // `dst_port` 0 accepts every UDP datagram; otherwise only that destination port.
  static Result<MoldPcapSource> open(const std::string& path, uint16_t dst_port = 0);

  // Next in-sequence message; false at the end of the capture or on a read error (reader().status()).
  [[nodiscard]] bool next(SequencedMessage& out) noexcept;

  [[nodiscard]] const CounterBlock<MoldSourceCounter>& counters() const noexcept { return *counters_; }
  [[nodiscard]] const net::PcapReader& reader() const noexcept { return reader_; }
  [[nodiscard]] uint64_t next_expected() const noexcept { return expected_; }
  [[nodiscard]] const MoldSession& session() const noexcept { return session_; }

 private:
  explicit MoldPcapSource(net::PcapReader reader) noexcept;

  net::PcapReader reader_;
  std::unique_ptr<CounterBlock<MoldSourceCounter>> counters_;
  MoldPacketView view_{};
  net::UdpDatagram datagram_{};
  MoldSession session_{};
  uint64_t expected_ = 0;
  bool have_expected_ = false;
  bool in_packet_ = false;
  uint16_t dst_port_ = 0;
};

}  // namespace numi::codec::itch
