// EOBI T7 14.1 encoder: non-template parts (PacketHeader, PacketBuilder).
#include "numi/codec/eobi/encoder.hpp"

#include <algorithm>

namespace numi::codec::eobi {
namespace {
constexpr std::size_t kApplSeqNumOffset = field_offset(template_id::kPacketHeader, "ApplSeqNum");
constexpr std::size_t kCompletionOffset = field_offset(template_id::kPacketHeader, "CompletionIndicator");
static_assert(kApplSeqNumOffset == 8 && kCompletionOffset == 17, "EOBI 14.1 PacketHeader offsets");
}  // namespace

std::size_t encode(const PacketHeader& h, std::byte* out) noexcept {
  constexpr const TemplateDesc& d = descriptor<PacketHeader>();
  std::memset(out, 0, d.root_len);
  store_le<uint16_t>(out + kBodyLenOffset, d.root_len);
  store_le<uint16_t>(out + kTemplateIdOffset, d.id);
  store_message(out, h);
  return d.root_len;
}

PacketBuilder::PacketBuilder(std::span<std::byte> buffer, std::size_t max_payload) noexcept
    : buffer_(buffer), limit_(std::min(buffer.size(), max_payload)) {}

void PacketBuilder::begin(const PacketHeader& header) noexcept {
  size_ = 0;
  message_count_ = 0;
  if (limit_ < encoded_size<PacketHeader>()) return;  // buffer too small for any packet: fits() stays false
  size_ = encode(header, buffer_.data());
}

void PacketBuilder::set_completion_indicator(uint8_t value) noexcept {
  if (size_ >= encoded_size<PacketHeader>()) store_le<uint8_t>(buffer_.data() + kCompletionOffset, value);
}

void PacketBuilder::set_appl_seq_num(uint32_t value) noexcept {
  if (size_ >= encoded_size<PacketHeader>()) store_le<uint32_t>(buffer_.data() + kApplSeqNumOffset, value);
}

}  // namespace numi::codec::eobi
