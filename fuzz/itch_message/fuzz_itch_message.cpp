// Fuzz: decode() on arbitrary bytes must never read out of bounds; a decoded message must re-encode to the
// exact input bytes (every byte of every ITCH 5.0 message belongs to exactly one field).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>

#include "numi/codec/itch/decoder.hpp"

namespace {
struct ReEncode {
  const std::byte* input = nullptr;
  std::size_t len = 0;
  template <typename M>
  void on(const M& m) {
    std::byte out[64];
    const std::size_t n = numi::codec::itch::encode(m, out);
    if (n != len || std::memcmp(out, input, n) != 0) std::abort();
  }
};
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const auto* p = reinterpret_cast<const std::byte*>(data);
  numi::CounterBlock<numi::codec::itch::ItchCounter> counters;
  ReEncode h{p, size};
  const auto st = numi::codec::itch::decode(p, size, h, &counters);
  if (st == numi::codec::itch::DecodeStatus::kOk && size != numi::codec::itch::kLengthByType[data[0]])
    std::abort();
  return 0;
}
