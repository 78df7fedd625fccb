// Offline reader of UDP datagrams from pcap / pcapng captures (libpcap pcap_open_offline), with nanosecond
// timestamps. Link types: Ethernet (+802.1Q/802.1ad VLAN tags), Linux cooked SLL and SLL2, raw IPv4.
// Non-UDP frames, IPv4 fragments and malformed frames are skipped and counted.
// Main types: PcapReader, UdpDatagram, PcapCounter. Thread-safety: one thread per reader.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>

#include "numi/core/counters.hpp"
#include "numi/core/status.hpp"

namespace numi::net {

struct UdpDatagram {
  uint64_t ts_ns = 0;   // capture timestamp, ns since the Unix epoch
  uint32_t src_ip = 0;  // host byte order (10.0.0.1 == 0x0A000001)
  uint32_t dst_ip = 0;
  uint16_t src_port = 0;
  uint16_t dst_port = 0;
  std::span<const std::byte> payload{};  // UDP payload; valid until the next next()
};

enum class PcapCounter : uint8_t { kFrames, kUdpDatagrams, kNonUdp, kIpFragments, kMalformed, kCount };

inline constexpr std::array<CounterDesc, static_cast<std::size_t>(PcapCounter::kCount)> kPcapCounterTable{{
    {"pcap_frames_total", "frames read from the capture", MetricType::kCounter},
    {"pcap_udp_datagrams_total", "UDP datagrams yielded", MetricType::kCounter},
    {"pcap_non_udp_total", "frames skipped because they are not IPv4/UDP", MetricType::kCounter},
    {"pcap_ip_fragments_total", "IPv4 fragments skipped (not reassembled)", MetricType::kCounter},
    {"pcap_malformed_total", "frames skipped because headers are cut short or inconsistent",
     MetricType::kCounter},
}};
[[nodiscard]] constexpr std::span<const CounterDesc> counter_table(PcapCounter) noexcept {
  return kPcapCounterTable;
}

enum class PcapReadStatus : uint8_t { kOk, kEnd, kError };

class PcapReader {
 public:
  // Opens a pcap or pcapng file; the error names the path and libpcap's reason.
  static Result<PcapReader> open(const std::string& path);

  PcapReader(PcapReader&&) noexcept;
  PcapReader& operator=(PcapReader&&) noexcept;
  ~PcapReader();

  // Next UDP datagram; false at the end of the capture or on a read error (see status()).
  [[nodiscard]] bool next(UdpDatagram& out) noexcept;

  [[nodiscard]] PcapReadStatus status() const noexcept { return status_; }
  [[nodiscard]] const std::string& error_message() const noexcept { return error_; }
  [[nodiscard]] int link_type() const noexcept { return link_type_; }
  [[nodiscard]] const CounterBlock<PcapCounter>& counters() const noexcept { return *counters_; }

  // Parses one captured frame of `link_type`; exposed for tests. Returns false (and counts) when skipped.
  [[nodiscard]] static bool parse_frame(int link_type, std::span<const std::byte> frame, UdpDatagram& out,
                                        CounterBlock<PcapCounter>& counters) noexcept;

  struct Handle;

 private:
  PcapReader() = default;
  std::unique_ptr<Handle> handle_;
  std::unique_ptr<CounterBlock<PcapCounter>> counters_;
  int link_type_ = 0;
  PcapReadStatus status_ = PcapReadStatus::kOk;
  std::string error_;
};

}  // namespace numi::net
