// Packet: one pooled receive buffer (fixed pointer + capacity, owned by the PacketPool) plus the metadata the
// receive path fills in (length, channel, worker, sequence range, RX timestamp and its source, receive time).
// Main types: Packet, BufferIndex (the pool's typed index), Channel, TimestampSource.
// Thread-safety: a Packet is owned by exactly one stage at a time (pool -> receiver -> queue -> engine ->
// pool); ownership moves with the pointer through an SPSC queue, which provides the happens-before edge.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <span>

namespace numi {

class PacketPool;

// Typed index of a buffer inside its PacketPool: 0 .. pool.size()-1. Carry it (4 bytes) instead of a Packet*
// where density matters; PacketPool::at(index) maps it back.
struct BufferIndex {
  uint32_t value = 0;
  friend constexpr bool operator==(BufferIndex, BufferIndex) noexcept = default;
};

// Which input a packet came from. Open for future channels; kUnknown is the default of a fresh packet.
enum class Channel : uint8_t { kUnknown, kA, kB, kRecovery, kSnapshot, kReplay };

// Where `rx_timestamp_ns` came from: none, kernel software stamp (SO_TIMESTAMPING software RX),
// NIC hardware stamp converted to system time, or raw NIC hardware clock.
enum class TimestampSource : uint8_t { kNone, kSoftware, kHwSys, kHwRaw };

// One pooled buffer plus metadata. The buffer (data(), capacity()) is fixed for the pool's lifetime; the
// metadata fields are plain public members reset by PacketPool::get(). One Packet occupies one cache line
// in the pool's metadata array ("beside the buffer": same mmap region, no allocation per packet).
class alignas(64) Packet {
 public:
  // Buffer of capacity() bytes; valid while the Packet is owned (between get() and put()).
  [[nodiscard]] std::byte* data() noexcept { return data_; }
  [[nodiscard]] const std::byte* data() const noexcept { return data_; }
  [[nodiscard]] uint32_t capacity() const noexcept { return capacity_; }
  // The received bytes: data()[0 .. length).
  [[nodiscard]] std::span<std::byte> payload() noexcept { return {data_, length}; }
  [[nodiscard]] std::span<const std::byte> payload() const noexcept { return {data_, length}; }
  // The whole buffer, for receive calls that fill it.
  [[nodiscard]] std::span<std::byte> buffer() noexcept { return {data_, capacity_}; }
  [[nodiscard]] BufferIndex index() const noexcept { return index_; }

  // Resets the metadata to a fresh packet's values (get() calls it).
  void reset_metadata() noexcept {
    length = 0;
    channel = Channel::kUnknown;
    rx_timestamp_source = TimestampSource::kNone;
    worker_id = 0;
    sequence_count = 0;
    first_sequence = 0;
    rx_timestamp_ns = 0;
    receive_ns = 0;
  }

  // --- metadata, filled by the receiver / sequence source ---
  uint32_t length = 0;                  // bytes used in data(), <= capacity()
  Channel channel = Channel::kUnknown;  // input channel
  TimestampSource rx_timestamp_source = TimestampSource::kNone;
  uint16_t worker_id = 0;        // receive worker that filled it
  uint32_t sequence_count = 0;   // messages covered: [first_sequence, +count)
  uint64_t first_sequence = 0;   // merge sequence of the first message
  uint64_t rx_timestamp_ns = 0;  // RX stamp, in the clock named by the source
  uint64_t receive_ns = 0;       // numi::now_ns() when the receiver saw it

  Packet() = default;
  Packet(const Packet&) = delete;
  Packet& operator=(const Packet&) = delete;

 private:
  friend class PacketPool;
  enum : uint8_t { kFree = 0, kInUse = 1 };

  std::byte* data_ = nullptr;
  uint32_t capacity_ = 0;
  BufferIndex index_{};
  std::atomic<uint8_t> state_{kFree};  // kFree while in the pool; catches double returns
};

static_assert(sizeof(Packet) == 64, "Packet metadata must stay one cache line");

}  // namespace numi
