// EOBI T7 14.1 encoder, generated from the same descriptor table and member bindings as the decoder:
// encode(msg, msg_seq_num, out) writes one message (header + root block, padding zeroed); PacketBuilder
// writes a PacketHeader followed by messages into a caller buffer, never beyond the configured max payload.
// Used by the venue simulator, tests, fuzz seeds and benchmarks. No allocation.
// Main types: encode(), encoded_size<Msg>(), PacketBuilder. Thread-safety: a PacketBuilder has one user.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <type_traits>

#include "numi/codec/eobi/messages.hpp"
#include "numi/codec/eobi/wire_table.hpp"

namespace numi::codec::eobi {

// Bytes encode() writes for Msg without groups (the table's root block length).
template <typename Msg>
[[nodiscard]] constexpr std::size_t encoded_size() noexcept {
  return descriptor<Msg>().root_len;
}

// Writes message header (BodyLen = root block + group bytes) + root block + `group` (verbatim) to `out`,
// which must have encoded_size<Msg>() + group.size() writable bytes. Returns the bytes written.
template <typename Msg>
requires(!std::is_same_v<Msg, PacketHeader>) std::size_t
    encode(const Msg& m, uint32_t msg_seq_num, std::byte* out, std::span<const std::byte> group = {})
noexcept {
  constexpr const TemplateDesc& d = descriptor<Msg>();
  const std::size_t total = d.root_len + group.size();
  std::memset(out, 0, d.root_len);
  store_le<uint16_t>(out + kBodyLenOffset, static_cast<uint16_t>(total));
  store_le<uint16_t>(out + kTemplateIdOffset, d.id);
  store_le<uint32_t>(out + kMsgSeqNumOffset, msg_seq_num);
  store_message(out, m);
  if (!group.empty()) std::memcpy(out + d.root_len, group.data(), group.size());
  return total;
}

// Writes the 32-byte PacketHeader (BodyLen 32, TemplateID 13002, MsgSeqNum field 0). Returns 32.
std::size_t encode(const PacketHeader& h, std::byte* out) noexcept;

// Builds one UDP payload: begin(header), then add() messages until it returns false (payload full).
// The buffer is borrowed for the builder's lifetime; bytes() is valid until the next begin().
class PacketBuilder {
 public:
  static constexpr std::size_t kDefaultMaxPayload = 1472;  // 1500-byte Ethernet MTU - IPv4 (20) - UDP (8)

  explicit PacketBuilder(std::span<std::byte> buffer, std::size_t max_payload = kDefaultMaxPayload) noexcept;

  // Starts a new packet with this header (any previous content is discarded).
  void begin(const PacketHeader& header) noexcept;

  // Appends one message (+ optional repeating-group bytes, copied verbatim after the root block).
  // Returns false, leaving the packet unchanged, if it would exceed the max payload or 65535 bytes.
  template <typename Msg>
  [[nodiscard]] bool add(const Msg& m, uint32_t msg_seq_num, std::span<const std::byte> group = {}) noexcept {
    const std::size_t need = encoded_size<Msg>() + group.size();
    if (!fits(need)) return false;
    size_ += encode(m, msg_seq_num, buffer_.data() + size_, group);
    ++message_count_;
    return true;
  }

  // True if a message of `body_len` bytes still fits.
  [[nodiscard]] bool fits(std::size_t body_len) const noexcept {
    return size_ >= encoded_size<PacketHeader>() && body_len <= 0xFFFF && size_ + body_len <= limit_;
  }

  // Patches header fields after the messages are known (e.g. the last packet of an update).
  void set_completion_indicator(uint8_t value) noexcept;
  void set_appl_seq_num(uint32_t value) noexcept;

  [[nodiscard]] std::span<const std::byte> bytes() const noexcept { return buffer_.first(size_); }
  [[nodiscard]] std::size_t size() const noexcept { return size_; }
  [[nodiscard]] std::size_t message_count() const noexcept { return message_count_; }
  [[nodiscard]] std::size_t max_payload() const noexcept { return limit_; }

 private:
  std::span<std::byte> buffer_;
  std::size_t limit_;
  std::size_t size_ = 0;
  std::size_t message_count_ = 0;
};

}  // namespace numi::codec::eobi
