// MoldPcapSource (see mold_pcap_source.hpp).
#include "numi/codec/itch/mold_pcap_source.hpp"

#include <utility>

namespace numi::codec::itch {

MoldPcapSource::MoldPcapSource(net::PcapReader reader) noexcept
    : reader_(std::move(reader)), counters_(std::make_unique<CounterBlock<MoldSourceCounter>>()) {}

Result<MoldPcapSource> MoldPcapSource::open(const std::string& path, uint16_t dst_port) {
  auto r = net::PcapReader::open(path);
  if (!r) return r.error();
  MoldPcapSource s(std::move(r.value()));
  s.dst_port_ = dst_port;
  return s;
}

bool MoldPcapSource::next(SequencedMessage& out) noexcept {
  auto& c = *counters_;
  for (;;) {
    if (in_packet_) {
      std::span<const std::byte> msg;
      uint64_t seq = 0;
      const MoldStatus st = view_.next(msg, seq);
      if (st == MoldStatus::kOk) {
        if (seq < expected_) {
          c.add(MoldSourceCounter::kDuplicateMessages);
          continue;
        }
        expected_ = seq + 1;
        out.sequence = seq;
        out.ts_ns = datagram_.ts_ns;
        out.msg = msg;
        c.add(MoldSourceCounter::kMessages);
        return true;
      }
      in_packet_ = false;
      if (st == MoldStatus::kTruncatedBlock) c.add(MoldSourceCounter::kMalformedPackets);
    }
    if (!reader_.next(datagram_)) return false;
    if (dst_port_ != 0 && datagram_.dst_port != dst_port_) {
      c.add(MoldSourceCounter::kOtherPort);
      continue;
    }
    if (view_.parse(datagram_.payload) != MoldStatus::kOk) {
      c.add(MoldSourceCounter::kMalformedPackets);
      continue;
    }
    c.add(MoldSourceCounter::kPackets);
    const MoldHeader& h = view_.header();
    session_ = h.session;
    if (h.is_end_of_session()) {
      c.add(MoldSourceCounter::kEndOfSession);
      continue;
    }
    if (!have_expected_) {
      have_expected_ = true;
      expected_ = h.sequence;
    }
    if (h.sequence > expected_) {  // a packet (or a heartbeat's next sequence) beyond what we have seen
      c.add(MoldSourceCounter::kGapEvents);
      c.add(MoldSourceCounter::kMissingMessages, h.sequence - expected_);
      expected_ = h.sequence;
    }
    if (h.is_heartbeat()) {
      c.add(MoldSourceCounter::kHeartbeats);
      continue;
    }
    in_packet_ = true;
  }
}

}  // namespace numi::codec::itch
