// PcapWriter: Ethernet/IPv4/UDP framing + libpcap pcap_dump (see pcap_writer.hpp).
#include "numi/net/pcap_writer.hpp"

#include <arpa/inet.h>
#include <pcap/pcap.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

namespace numi::net {

namespace {
constexpr std::size_t kEthLen = 14;
constexpr std::size_t kIpLen = 20;
constexpr std::size_t kUdpLen = 8;
constexpr std::size_t kHeaders = kEthLen + kIpLen + kUdpLen;
constexpr std::size_t kMaxPayload = 65535 - kIpLen - kUdpLen;

void put16(std::byte* p, uint16_t v) noexcept {
  p[0] = static_cast<std::byte>(v >> 8);
  p[1] = static_cast<std::byte>(v & 0xff);
}
void put32(std::byte* p, uint32_t v) noexcept {
  put16(p, static_cast<uint16_t>(v >> 16));
  put16(p + 2, static_cast<uint16_t>(v & 0xffff));
}
uint32_t partial_sum(std::span<const std::byte> bytes, uint32_t sum) noexcept {
  std::size_t i = 0;
  for (; i + 1 < bytes.size(); i += 2) {
    sum += (static_cast<uint32_t>(bytes[i]) << 8) | static_cast<uint32_t>(bytes[i + 1]);
    sum = (sum & 0xffffu) + (sum >> 16);
  }
  if (i < bytes.size()) {
    sum += static_cast<uint32_t>(bytes[i]) << 8;
    sum = (sum & 0xffffu) + (sum >> 16);
  }
  return sum;
}
}  // namespace

std::optional<uint32_t> parse_ipv4(std::string_view text) {
  const std::string s(text);
  in_addr a{};
  if (::inet_pton(AF_INET, s.c_str(), &a) != 1) return std::nullopt;
  return ntohl(a.s_addr);
}

std::optional<UdpEndpoint> parse_endpoint(std::string_view text) {
  const auto colon = text.rfind(':');
  if (colon == std::string_view::npos || colon + 1 == text.size() || text.size() - colon > 6)
    return std::nullopt;
  const auto ip = parse_ipv4(text.substr(0, colon));
  if (!ip) return std::nullopt;
  uint32_t port = 0;
  for (const char c : text.substr(colon + 1)) {
    if (c < '0' || c > '9') return std::nullopt;
    port = port * 10 + static_cast<uint32_t>(c - '0');
  }
  if (port == 0 || port > 65535) return std::nullopt;
  return UdpEndpoint{*ip, static_cast<uint16_t>(port)};
}

std::string format_ipv4(uint32_t ip) {
  return std::to_string(ip >> 24) + "." + std::to_string((ip >> 16) & 0xff) + "." +
         std::to_string((ip >> 8) & 0xff) + "." + std::to_string(ip & 0xff);
}

uint16_t internet_checksum(std::span<const std::byte> bytes, uint32_t initial) noexcept {
  uint32_t sum = partial_sum(bytes, initial);
  while ((sum >> 16) != 0) sum = (sum & 0xffffu) + (sum >> 16);
  return static_cast<uint16_t>(~sum & 0xffffu);
}

struct PcapWriter::Handle {
  pcap_t* dead = nullptr;
  pcap_dumper_t* dumper = nullptr;
  Handle() = default;
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;
  ~Handle() {
    if (dumper != nullptr) pcap_dump_close(dumper);
    if (dead != nullptr) pcap_close(dead);
  }
};

PcapWriter::PcapWriter(PcapWriter&&) noexcept = default;
PcapWriter& PcapWriter::operator=(PcapWriter&&) noexcept = default;
PcapWriter::~PcapWriter() = default;

Result<PcapWriter> PcapWriter::open(const std::string& path, const PcapWriterOptions& options) {
  PcapWriter w;
  w.handle_ = std::make_unique<Handle>();
  w.options_ = options;
  w.path_ = path;
  w.handle_->dead = pcap_open_dead_with_tstamp_precision(
      DLT_EN10MB, 65535, options.nanosecond ? PCAP_TSTAMP_PRECISION_NANO : PCAP_TSTAMP_PRECISION_MICRO);
  if (w.handle_->dead == nullptr) return Error{"cannot create pcap writer for '" + path + "': out of memory"};
  errno = 0;
  w.handle_->dumper = pcap_dump_open(w.handle_->dead, path.c_str());
  if (w.handle_->dumper == nullptr) {
    return Error{"cannot create capture file '" + path + "': " + pcap_geterr(w.handle_->dead) +
                 "; check that the directory exists and is writable"};
  }
  w.frame_.resize(kHeaders + kMaxPayload);
  return w;
}

bool PcapWriter::write_udp(uint64_t ts_ns, UdpEndpoint src, UdpEndpoint dst,
                           std::span<const std::byte> payload) noexcept {
  if (!handle_ || handle_->dumper == nullptr || payload.size() > kMaxPayload) return false;
  std::byte* f = frame_.data();
  // Ethernet: destination MAC (IPv4 multicast mapping 01:00:5e + low 23 bits), source MAC, EtherType IPv4.
  if ((dst.ip >> 28) == 0xE) {
    const uint8_t mac[6] = {0x01,
                            0x00,
                            0x5e,
                            static_cast<uint8_t>((dst.ip >> 16) & 0x7f),
                            static_cast<uint8_t>((dst.ip >> 8) & 0xff),
                            static_cast<uint8_t>(dst.ip & 0xff)};
    std::memcpy(f, mac, 6);
  } else {
    const uint8_t mac[6] = {0x02, 0x00, 0x00, 0x00, 0x00, 0x02};
    std::memcpy(f, mac, 6);
  }
  std::memcpy(f + 6, options_.src_mac.data(), 6);
  put16(f + 12, 0x0800);
  // IPv4 header (no options, DF clear, not fragmented).
  std::byte* ip = f + kEthLen;
  const auto ip_total = static_cast<uint16_t>(kIpLen + kUdpLen + payload.size());
  ip[0] = std::byte{0x45};
  ip[1] = std::byte{0};
  put16(ip + 2, ip_total);
  put16(ip + 4, ip_id_++);
  put16(ip + 6, 0);
  ip[8] = static_cast<std::byte>(options_.ttl);
  ip[9] = std::byte{17};
  put16(ip + 10, 0);
  put32(ip + 12, src.ip);
  put32(ip + 16, dst.ip);
  put16(ip + 10, internet_checksum(std::span<const std::byte>(ip, kIpLen)));
  // UDP header + payload.
  std::byte* udp = ip + kIpLen;
  const auto udp_len = static_cast<uint16_t>(kUdpLen + payload.size());
  put16(udp, src.port);
  put16(udp + 2, dst.port);
  put16(udp + 4, udp_len);
  put16(udp + 6, 0);
  if (!payload.empty()) std::memcpy(udp + kUdpLen, payload.data(), payload.size());
  if (options_.udp_checksum) {
    // Pseudo-header: src, dst, zero + protocol, UDP length.
    uint32_t pseudo = (src.ip >> 16) + (src.ip & 0xffff) + (dst.ip >> 16) + (dst.ip & 0xffff) + 17u + udp_len;
    pseudo = (pseudo & 0xffffu) + (pseudo >> 16);
    uint16_t c = internet_checksum(std::span<const std::byte>(udp, udp_len), pseudo);
    if (c == 0) c = 0xffff;  // 0 means "no checksum" on the wire
    put16(udp + 6, c);
  }
  const std::size_t frame_len = kEthLen + ip_total;
  pcap_pkthdr hdr{};
  hdr.ts.tv_sec = static_cast<time_t>(ts_ns / 1'000'000'000ull);
  const uint64_t sub = ts_ns % 1'000'000'000ull;
  hdr.ts.tv_usec = static_cast<suseconds_t>(options_.nanosecond ? sub : sub / 1000);
  hdr.caplen = static_cast<bpf_u_int32>(frame_len);
  hdr.len = static_cast<bpf_u_int32>(frame_len);
  pcap_dump(reinterpret_cast<u_char*>(handle_->dumper), &hdr, reinterpret_cast<const u_char*>(f));
  ++packets_;
  bytes_ += frame_len;
  return true;
}

Result<void> PcapWriter::close() {
  if (!handle_ || handle_->dumper == nullptr) return {};
  const bool flush_failed = pcap_dump_flush(handle_->dumper) != 0;
  const bool stream_error = std::ferror(pcap_dump_file(handle_->dumper)) != 0;
  pcap_dump_close(handle_->dumper);
  handle_->dumper = nullptr;
  if (flush_failed || stream_error) {
    return Error{"write error on capture file '" + path_ + "' (disk full or I/O error)"};
  }
  return {};
}

}  // namespace numi::net
