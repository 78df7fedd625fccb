// Writes UDP datagrams as Ethernet/IPv4/UDP frames to a pcap file (libpcap pcap_dump), nanosecond or
// microsecond timestamps, valid IPv4 header checksum, UDP checksum computed (or 0 when disabled).
// Main types: PcapWriter, PcapWriterOptions, UdpEndpoint; parse_ipv4(). Thread-safety: one thread per writer.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "numi/core/status.hpp"

namespace numi::net {

struct UdpEndpoint {
  uint32_t ip = 0;  // host byte order
  uint16_t port = 0;
};

struct PcapWriterOptions {
  bool nanosecond = true;    // pcap magic 0xa1b23c4d (ns) or 0xa1b2c3d4 (us)
  bool udp_checksum = true;  // compute the UDP checksum; false writes 0 (allowed for IPv4)
  uint8_t ttl = 64;
  std::array<uint8_t, 6> src_mac{0x02, 0x00, 0x00, 0x00, 0x00, 0x01};
};

// "233.54.12.111" -> host-order address; nullopt if not a dotted IPv4 address.
[[nodiscard]] std::optional<uint32_t> parse_ipv4(std::string_view text);
// "233.54.12.111:26477" -> endpoint; nullopt unless a dotted IPv4 address, ':' and a port 1..65535.
[[nodiscard]] std::optional<UdpEndpoint> parse_endpoint(std::string_view text);
// Host-order address -> dotted text.
[[nodiscard]] std::string format_ipv4(uint32_t ip);

// Internet checksum (RFC 1071) of `bytes` added to `initial` (a partial one's-complement sum); returns the
// folded, complemented 16-bit checksum.
[[nodiscard]] uint16_t internet_checksum(std::span<const std::byte> bytes, uint32_t initial = 0) noexcept;

class PcapWriter {
 public:
  static Result<PcapWriter> open(const std::string& path, const PcapWriterOptions& options = {});

  PcapWriter(PcapWriter&&) noexcept;
  PcapWriter& operator=(PcapWriter&&) noexcept;
  ~PcapWriter();

  // Appends one frame; false if the payload does not fit in one IPv4 datagram or the writer is closed.
  [[nodiscard]] bool write_udp(uint64_t ts_ns, UdpEndpoint src, UdpEndpoint dst,
                               std::span<const std::byte> payload) noexcept;
  // Flushes and closes; reports a write error naming the path. Idempotent.
  Result<void> close();

  [[nodiscard]] uint64_t packets() const noexcept { return packets_; }
  [[nodiscard]] uint64_t bytes() const noexcept { return bytes_; }

  struct Handle;

 private:
  PcapWriter() = default;
  std::unique_ptr<Handle> handle_;
  PcapWriterOptions options_{};
  std::vector<std::byte> frame_;
  std::string path_;
  uint64_t packets_ = 0;
  uint64_t bytes_ = 0;
  uint16_t ip_id_ = 0;
};

}  // namespace numi::net
