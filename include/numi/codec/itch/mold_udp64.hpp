// MoldUDP64 framing (specs/itch50.md): the 20-byte downstream header (session[10], sequence u64 BE = sequence
// of the first message, count u16 BE; 0 = heartbeat, 0xFFFF = end of session), message-block iteration that
// never reads past the packet, a packet writer bounded by an MTU, and the 20-byte re-request.
// Main types: MoldHeader, MoldPacketView, MoldPacketWriter, MoldRequest, MoldStatus.
// Thread-safety: plain values; a view/writer borrows its buffer and belongs to one thread.
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <string_view>

#include "numi/codec/itch/wire.hpp"

namespace numi::codec::itch {

inline constexpr std::size_t kMoldHeaderSize = 20;   // session 10 + sequence 8 + count 2
inline constexpr std::size_t kMoldRequestSize = 20;  // session 10 + sequence 8 + count 2
inline constexpr std::size_t kMoldSessionSize = 10;
inline constexpr std::size_t kMoldSequenceOffset = 10;
inline constexpr std::size_t kMoldCountOffset = 18;
inline constexpr uint16_t kMoldHeartbeatCount = 0;
inline constexpr uint16_t kMoldEndOfSessionCount = 0xFFFF;
static_assert(kMoldSessionSize + 8 + 2 == kMoldHeaderSize && kMoldCountOffset + 2 == kMoldHeaderSize,
              "MoldUDP64 spec: header is session[10] @0, sequence u64 @10, count u16 @18");

using MoldSession = std::array<char, kMoldSessionSize>;

// Session from text: up to 10 characters, right-padded with spaces.
[[nodiscard]] constexpr MoldSession make_mold_session(std::string_view s) noexcept {
  MoldSession out{};
  for (std::size_t i = 0; i < out.size(); ++i) out[i] = i < s.size() ? s[i] : ' ';
  return out;
}

enum class [[nodiscard]] MoldStatus : uint8_t{
    kOk,
    kEnd,             // every block announced by the header has been read
    kTooShort,        // fewer than 20 bytes: no header
    kTruncatedBlock,  // a block length (or its 2-byte prefix) runs past the end of the packet
};

[[nodiscard]] constexpr std::string_view to_string(MoldStatus s) noexcept {
  switch (s) {
    case MoldStatus::kOk:
      return "ok";
    case MoldStatus::kEnd:
      return "end";
    case MoldStatus::kTooShort:
      return "too_short";
    case MoldStatus::kTruncatedBlock:
      return "truncated_block";
  }
  return "invalid";
}

struct MoldHeader {
  MoldSession session{};
  uint64_t sequence = 0;  // sequence number of the first message (heartbeat: the next expected one)
  uint16_t count = 0;     // messages in this packet; 0 heartbeat, 0xFFFF end of session

  [[nodiscard]] bool is_heartbeat() const noexcept { return count == kMoldHeartbeatCount; }
  [[nodiscard]] bool is_end_of_session() const noexcept { return count == kMoldEndOfSessionCount; }
  // Number of messages carried (0 for heartbeat and end of session).
  [[nodiscard]] uint16_t message_count() const noexcept { return is_end_of_session() ? 0 : count; }
  // The sequence after this packet: the packet covers [sequence, next_sequence()).
  [[nodiscard]] uint64_t next_sequence() const noexcept { return sequence + message_count(); }
  friend bool operator==(const MoldHeader&, const MoldHeader&) = default;
};

[[nodiscard]] inline MoldStatus parse_mold_header(std::span<const std::byte> packet,
                                                  MoldHeader& out) noexcept {
  if (packet.size() < kMoldHeaderSize) return MoldStatus::kTooShort;
  std::memcpy(out.session.data(), packet.data(), kMoldSessionSize);
  out.sequence = wire::load_be64(packet.data() + kMoldSequenceOffset);
  out.count = wire::load_be16(packet.data() + kMoldCountOffset);
  return MoldStatus::kOk;
}

inline void write_mold_header(const MoldHeader& h, std::byte* out) noexcept {
  std::memcpy(out, h.session.data(), kMoldSessionSize);
  wire::store_be64(out + kMoldSequenceOffset, h.sequence);
  wire::store_be16(out + kMoldCountOffset, h.count);
}

// Iterates the message blocks of one downstream packet. Borrows the packet bytes (valid while they are).
//   MoldPacketView v; if (v.parse(pkt) != MoldStatus::kOk) ...; while (v.next(msg) == MoldStatus::kOk) ...
class MoldPacketView {
 public:
  MoldStatus parse(std::span<const std::byte> packet) noexcept {
    packet_ = packet;
    pos_ = kMoldHeaderSize;
    read_ = 0;
    return parse_mold_header(packet, header_);
  }
  [[nodiscard]] const MoldHeader& header() const noexcept { return header_; }

  // Next block: kOk with `msg` set and `sequence` = its message sequence, kEnd after the announced count,
  // kTruncatedBlock when the next block does not fit (nothing past the packet is read).
  MoldStatus next(std::span<const std::byte>& msg, uint64_t& sequence) noexcept {
    if (read_ >= header_.message_count()) return MoldStatus::kEnd;
    if (packet_.size() - pos_ < 2) return MoldStatus::kTruncatedBlock;
    const std::size_t len = wire::load_be16(packet_.data() + pos_);
    if (packet_.size() - pos_ - 2 < len) return MoldStatus::kTruncatedBlock;
    msg = packet_.subspan(pos_ + 2, len);
    sequence = header_.sequence + read_;
    pos_ += 2 + len;
    ++read_;
    return MoldStatus::kOk;
  }
  MoldStatus next(std::span<const std::byte>& msg) noexcept {
    uint64_t seq = 0;
    return next(msg, seq);
  }
  // Bytes after the last announced block (only meaningful once next() returned kEnd).
  [[nodiscard]] std::size_t trailing_bytes() const noexcept { return packet_.size() - pos_; }

 private:
  std::span<const std::byte> packet_{};
  MoldHeader header_{};
  std::size_t pos_ = kMoldHeaderSize;
  uint32_t read_ = 0;
};

// Builds downstream packets in a caller buffer: begin(seq), try_append(msg) until it returns false (the
// packet would exceed the MTU / buffer or hold 0xFFFE messages), finish() writes the header and returns
// the packet bytes (valid until the next begin()).
class MoldPacketWriter {
 public:
  MoldPacketWriter(std::span<std::byte> buffer, MoldSession session, std::size_t mtu = 1400) noexcept
      : buf_(buffer), session_(session), limit_(std::min(buffer.size(), mtu)) {}

  void begin(uint64_t sequence) noexcept {
    sequence_ = sequence;
    size_ = kMoldHeaderSize;
    count_ = 0;
  }
  [[nodiscard]] bool try_append(std::span<const std::byte> msg) noexcept {
    if (msg.size() > 0xFFFF || count_ >= kMoldEndOfSessionCount - 1 || size_ + 2 + msg.size() > limit_) {
      return false;
    }
    wire::store_be16(buf_.data() + size_, static_cast<uint16_t>(msg.size()));
    if (!msg.empty()) std::memcpy(buf_.data() + size_ + 2, msg.data(), msg.size());
    size_ += 2 + msg.size();
    ++count_;
    return true;
  }
  // Finalises the header (count = appended messages; 0 makes a heartbeat).
  std::span<const std::byte> finish() noexcept {
    write_mold_header(MoldHeader{session_, sequence_, count_}, buf_.data());
    return std::span<const std::byte>(buf_.data(), size_);
  }
  // A header-only packet: heartbeat (next expected sequence) or end of session.
  std::span<const std::byte> heartbeat(uint64_t next_sequence) noexcept {
    begin(next_sequence);
    return finish();
  }
  std::span<const std::byte> end_of_session(uint64_t next_sequence) noexcept {
    write_mold_header(MoldHeader{session_, next_sequence, kMoldEndOfSessionCount}, buf_.data());
    size_ = kMoldHeaderSize;
    count_ = 0;
    return std::span<const std::byte>(buf_.data(), kMoldHeaderSize);
  }

  [[nodiscard]] uint16_t count() const noexcept { return count_; }
  [[nodiscard]] std::size_t size() const noexcept { return size_; }
  [[nodiscard]] uint64_t sequence() const noexcept { return sequence_; }
  [[nodiscard]] uint64_t next_sequence() const noexcept { return sequence_ + count_; }
  [[nodiscard]] const MoldSession& session() const noexcept { return session_; }

 private:
  std::span<std::byte> buf_;
  MoldSession session_;
  std::size_t limit_;
  uint64_t sequence_ = 0;
  std::size_t size_ = kMoldHeaderSize;
  uint16_t count_ = 0;
};

// Re-request: ask the re-request server for `count` messages starting at `sequence`.
struct MoldRequest {
  MoldSession session{};
  uint64_t sequence = 0;
  uint16_t count = 0;
  friend bool operator==(const MoldRequest&, const MoldRequest&) = default;
};

// Needs at least 20 bytes (kTooShort otherwise); bytes after the 20 are ignored.
[[nodiscard]] inline MoldStatus parse_mold_request(std::span<const std::byte> bytes,
                                                   MoldRequest& out) noexcept {
  if (bytes.size() < kMoldRequestSize) return MoldStatus::kTooShort;
  std::memcpy(out.session.data(), bytes.data(), kMoldSessionSize);
  out.sequence = wire::load_be64(bytes.data() + kMoldSequenceOffset);
  out.count = wire::load_be16(bytes.data() + kMoldCountOffset);
  return MoldStatus::kOk;
}

inline std::size_t write_mold_request(const MoldRequest& r, std::byte* out) noexcept {
  std::memcpy(out, r.session.data(), kMoldSessionSize);
  wire::store_be64(out + kMoldSequenceOffset, r.sequence);
  wire::store_be16(out + kMoldCountOffset, r.count);
  return kMoldRequestSize;
}

}  // namespace numi::codec::itch
