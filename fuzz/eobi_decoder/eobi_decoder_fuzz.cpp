// Fuzz target: EOBI decode_packet on arbitrary bytes. The handler reads every field of every template (via
// the table bindings) so ASan/UBSan see each load; checks the decoder never delivers a message past the
// payload.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <tuple>

#include "numi/codec/eobi/decoder.hpp"

namespace {

using namespace numi::codec::eobi;

struct ReadEverything {
  const std::byte* begin;
  std::size_t len;
  uint64_t sink = 0;

  template <typename Msg>
  void on(const Msg& m, const MessageContext& ctx) {
    std::apply([&](auto... member) { ((sink += static_cast<uint64_t>(m.*member)), ...); },
               MessageFields<Msg>::kMembers);
    sink += ctx.msg_seq_num + ctx.packet.appl_seq_num + ctx.template_id;
    if (ctx.body_len < descriptor<Msg>().root_len || ctx.body_len > len) std::abort();
  }
  void on_packet(const PacketHeader& h) {
    sink += h.appl_seq_num + static_cast<uint64_t>(h.market_segment_id);
  }
  void on_error(DecodeStatus s, const MessageContext&) { sink += static_cast<uint64_t>(s); }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
  static numi::CounterBlock<EobiCounter> counters;
  const auto* bytes = reinterpret_cast<const std::byte*>(data);
  ReadEverything h{bytes, size};
  (void)decode_packet(bytes, size, h, counters);
  return 0;
}
