// PcapReader: libpcap offline reading + Ethernet/VLAN/SLL/SLL2/raw IPv4 -> UDP parsing (see pcap_reader.hpp).
#include "numi/net/pcap_reader.hpp"

#include <pcap/pcap.h>

#include <cstring>
#include <utility>

namespace numi::net {

namespace {
constexpr int kLinkTypeSll2 = 276;  // DLT_LINUX_SLL2 (older headers lack the macro)
constexpr uint16_t kEtherIpv4 = 0x0800;
constexpr uint16_t kEtherVlan = 0x8100;
constexpr uint16_t kEtherQinQ = 0x88a8;
constexpr uint8_t kIpProtoUdp = 17;

uint16_t be16(const std::byte* p) noexcept {
  return static_cast<uint16_t>((static_cast<unsigned>(p[0]) << 8) | static_cast<unsigned>(p[1]));
}
uint32_t be32(const std::byte* p) noexcept { return (uint32_t{be16(p)} << 16) | be16(p + 2); }
}  // namespace

struct PcapReader::Handle {
  pcap_t* p = nullptr;
  Handle() = default;
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;
  ~Handle() {
    if (p != nullptr) pcap_close(p);
  }
};

PcapReader::PcapReader(PcapReader&&) noexcept = default;
PcapReader& PcapReader::operator=(PcapReader&&) noexcept = default;
PcapReader::~PcapReader() = default;

Result<PcapReader> PcapReader::open(const std::string& path) {
  char errbuf[PCAP_ERRBUF_SIZE] = {0};
  pcap_t* p = pcap_open_offline_with_tstamp_precision(path.c_str(), PCAP_TSTAMP_PRECISION_NANO, errbuf);
  if (p == nullptr) {
    return Error{"cannot open capture '" + path + "': " + errbuf +
                 "; expected a readable pcap or pcapng file"};
  }
  PcapReader r;
  r.handle_ = std::make_unique<Handle>();
  r.handle_->p = p;
  r.counters_ = std::make_unique<CounterBlock<PcapCounter>>();
  r.link_type_ = pcap_datalink(p);
  return r;
}

bool PcapReader::parse_frame(int link_type, std::span<const std::byte> frame, UdpDatagram& out,
                             CounterBlock<PcapCounter>& counters) noexcept {
  const std::byte* d = frame.data();
  const std::size_t n = frame.size();
  std::size_t off = 0;
  uint16_t ether_type = 0;
  auto malformed = [&counters] {
    counters.add(PcapCounter::kMalformed);
    return false;
  };
  auto non_udp = [&counters] {
    counters.add(PcapCounter::kNonUdp);
    return false;
  };
  switch (link_type) {
    case DLT_EN10MB: {
      if (n < 14) return malformed();
      ether_type = be16(d + 12);
      off = 14;
      while (ether_type == kEtherVlan || ether_type == kEtherQinQ) {
        if (n < off + 4) return malformed();
        ether_type = be16(d + off + 2);
        off += 4;
      }
      break;
    }
    case DLT_LINUX_SLL:
      if (n < 16) return malformed();
      ether_type = be16(d + 14);
      off = 16;
      break;
    case kLinkTypeSll2:
      if (n < 20) return malformed();
      ether_type = be16(d);
      off = 20;
      break;
    case DLT_RAW:
    case DLT_IPV4:
      if (n < 1) return malformed();
      if ((static_cast<unsigned>(d[0]) >> 4) != 4) return non_udp();
      ether_type = kEtherIpv4;
      break;
    default:
      return non_udp();
  }
  if (ether_type != kEtherIpv4) return non_udp();
  if (n < off + 20) return malformed();
  const std::byte* ip = d + off;
  const unsigned version = static_cast<unsigned>(ip[0]) >> 4;
  const std::size_t ihl = (static_cast<unsigned>(ip[0]) & 0x0fu) * 4u;
  if (version != 4 || ihl < 20 || n < off + ihl) return malformed();
  const std::size_t total_len = be16(ip + 2);
  if (total_len < ihl || n < off + total_len) return malformed();
  if ((be16(ip + 6) & 0x3fffu) != 0) {  // MF flag or a fragment offset
    counters.add(PcapCounter::kIpFragments);
    return false;
  }
  if (static_cast<uint8_t>(ip[9]) != kIpProtoUdp) return non_udp();
  const std::byte* udp = ip + ihl;
  const std::size_t ip_payload = total_len - ihl;
  if (ip_payload < 8) return malformed();
  const std::size_t udp_len = be16(udp + 4);
  if (udp_len < 8 || udp_len > ip_payload) return malformed();
  out.src_ip = be32(ip + 12);
  out.dst_ip = be32(ip + 16);
  out.src_port = be16(udp);
  out.dst_port = be16(udp + 2);
  out.payload = std::span<const std::byte>(udp + 8, udp_len - 8);
  counters.add(PcapCounter::kUdpDatagrams);
  return true;
}

bool PcapReader::next(UdpDatagram& out) noexcept {
  if (status_ != PcapReadStatus::kOk) return false;
  for (;;) {
    pcap_pkthdr* hdr = nullptr;
    const u_char* data = nullptr;
    const int rc = pcap_next_ex(handle_->p, &hdr, &data);
    if (rc == PCAP_ERROR_BREAK) {
      status_ = PcapReadStatus::kEnd;
      return false;
    }
    if (rc != 1) {
      status_ = PcapReadStatus::kError;
      try {
        error_ = std::string("capture read error: ") + pcap_geterr(handle_->p);
      } catch (...) {
      }
      return false;
    }
    counters_->add(PcapCounter::kFrames);
    const std::span<const std::byte> frame(reinterpret_cast<const std::byte*>(data), hdr->caplen);
    if (parse_frame(link_type_, frame, out, *counters_)) {
      out.ts_ns =
          static_cast<uint64_t>(hdr->ts.tv_sec) * 1'000'000'000ull + static_cast<uint64_t>(hdr->ts.tv_usec);
      return true;
    }
  }
}

}  // namespace numi::net
