// Fuzz: a MoldUDP64 packet of arbitrary bytes; blocks must stay inside the packet, sequences must count up
// from the header's, and re-writing the parsed blocks with MoldPacketWriter must reproduce the consumed
// bytes.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "numi/codec/itch/decoder.hpp"
#include "numi/codec/itch/mold_udp64.hpp"

namespace {
struct Touch {
  uint64_t sum = 0;
  void on(const auto& m) { sum += m.timestamp; }
};
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace itch = numi::codec::itch;
  const std::span<const std::byte> pkt(reinterpret_cast<const std::byte*>(data), size);
  itch::MoldPacketView v;
  if (v.parse(pkt) != itch::MoldStatus::kOk) {
    if (size >= itch::kMoldHeaderSize) std::abort();
    return 0;
  }
  std::vector<std::byte> out(size + 64);
  itch::MoldPacketWriter w(out, v.header().session, out.size());
  w.begin(v.header().sequence);
  std::span<const std::byte> msg;
  uint64_t seq = 0;
  uint64_t expect = v.header().sequence;
  Touch t;
  itch::MoldStatus st;
  while ((st = v.next(msg, seq)) == itch::MoldStatus::kOk) {
    if (seq != expect++) std::abort();
    if (msg.data() < pkt.data() || msg.data() + msg.size() > pkt.data() + pkt.size()) std::abort();
    if (!w.try_append(msg)) std::abort();
    (void)itch::decode(msg, t);
  }
  if (st == itch::MoldStatus::kEnd && !v.header().is_end_of_session()) {
    const auto again = w.finish();
    if (again.size() != size - v.trailing_bytes() || std::memcmp(again.data(), data, again.size()) != 0)
      std::abort();
  }
  itch::MoldRequest r;
  if (itch::parse_mold_request(pkt, r) == itch::MoldStatus::kOk) {
    std::byte req[20];
    (void)itch::write_mold_request(r, req);
    if (std::memcmp(req, data, 20) != 0) std::abort();
  }
  return 0;
}
