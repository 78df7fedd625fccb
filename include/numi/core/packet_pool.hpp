// PacketPool: a fixed set of receive buffers, allocated once in one mmap'd region at start-up (page-touched,
// optionally mlocked), handed out and taken back in O(1) without locks or allocation.
// Main types: PacketPool, PacketPoolOptions, PoolCounter (+ counter_table), PutStatus.
// Handles are Packet* (nullptr = "no buffer"); Packet::index() / at(BufferIndex) give the typed 4-byte index.
// Thread-safety: get() from ANY number of threads, put() from exactly ONE thread (the engine) at a time;
// available()/counters() from any thread. The free list is a tagged LIFO stack of u32 indices (one CAS per
// get or put; the most recently returned, cache-warm buffer is handed out first).
#pragma once

#include <atomic>
#include <cassert>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>

#include "numi/core/counters.hpp"
#include "numi/core/packet.hpp"
#include "numi/core/status.hpp"

namespace numi {

enum class PoolCounter : uint8_t {
  kMisses,             // get() on an empty pool
  kReturnDrops,        // put() of a packet already in the pool (double return) or not from this pool
  kSize,               // gauge: buffers in the pool
  kPreallocatedBytes,  // gauge: bytes of the region (buffers + metadata + free-list links)
  kCount
};

[[nodiscard]] std::span<const CounterDesc> counter_table(PoolCounter) noexcept;

struct PacketPoolOptions {
  uint32_t size = 65536;  // buffers; >= the packets in flight (burst x receivers + queue capacities)
  uint32_t max_packet_size = 2048;  // bytes per buffer (rounded up to 64 for alignment)
  bool lock_memory = false;         // mlock the region (needs RLIMIT_MEMLOCK or CAP_IPC_LOCK)
  bool huge_pages = false;          // madvise(MADV_HUGEPAGE) before touching (needs THP enabled/madvise)
};

// Result of put(). Failures are already counted (packet_pool_return_drops_total) and assert in debug
// builds, so callers on the hot path may ignore it.
enum class PutStatus : uint8_t { kOk, kNull, kDoubleReturn, kForeign };

class PacketPool {
 public:
  static constexpr uint32_t kMaxSize = 1u << 26;        // buffers
  static constexpr uint32_t kMaxPacketSize = 1u << 20;  // bytes per buffer

  // Maps, touches (and optionally locks) the whole region. Errors name the option and the fix.
  [[nodiscard]] static Result<std::unique_ptr<PacketPool>> create(const PacketPoolOptions& options);

  ~PacketPool();
  PacketPool(const PacketPool&) = delete;
  PacketPool& operator=(const PacketPool&) = delete;

  // A free buffer with reset metadata, or nullptr when the pool is empty (counted as a miss).
  // Any thread; lock-free (one CAS when uncontended). LIFO: the most recently returned (cache-warm) buffer.
  [[nodiscard]] Packet* get() noexcept {
    uint64_t head = head_.load(std::memory_order_acquire);
    for (;;) {
      const auto index = static_cast<uint32_t>(head);
      if (index == kNil) {
        count_miss();
        return nullptr;
      }
      // May read a stale link if `index` was taken and returned meanwhile; the tag then fails the CAS.
      const uint32_t next = next_[index].load(std::memory_order_relaxed);
      if (head_.compare_exchange_weak(head, bump_tag(head) | next, std::memory_order_acquire,
                                      std::memory_order_acquire)) {
        Packet* packet = &packets_[index];
        packet->state_.store(Packet::kInUse, std::memory_order_relaxed);
        packet->reset_metadata();
        return packet;
      }
    }
  }

  // Returns a buffer. ONE thread only (the engine). nullptr is a no-op (kNull). A packet already in the
  // pool or not from this pool is not taken: counted as a return drop, asserts in debug builds.
  PutStatus put(Packet* packet) noexcept {
    if (packet == nullptr) return PutStatus::kNull;
    if (!owns(packet)) {
      counters_.add(PoolCounter::kReturnDrops);
      assert(false && "PacketPool::put: packet does not belong to this pool");
      return PutStatus::kForeign;
    }
    if (packet->state_.load(std::memory_order_relaxed) != Packet::kInUse) {
      counters_.add(PoolCounter::kReturnDrops);
      assert(false && "PacketPool::put: double return (packet is already in the pool)");
      return PutStatus::kDoubleReturn;
    }
    packet->state_.store(Packet::kFree, std::memory_order_relaxed);
    const uint32_t index = packet->index_.value;
    uint64_t head = head_.load(std::memory_order_relaxed);
    do {
      next_[index].store(static_cast<uint32_t>(head), std::memory_order_relaxed);
    } while (!head_.compare_exchange_weak(head, bump_tag(head) | index, std::memory_order_release,
                                          std::memory_order_relaxed));
    puts_.store(puts_.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
    return PutStatus::kOk;
  }

  // The packet with this index (index < size()).
  [[nodiscard]] Packet& at(BufferIndex index) noexcept {
    assert(index.value < size_);
    return packets_[index.value];
  }
  [[nodiscard]] bool owns(const Packet* packet) const noexcept {
    const auto p = reinterpret_cast<uintptr_t>(packet);
    const auto first = reinterpret_cast<uintptr_t>(packets_);
    return p >= first && p < first + uintptr_t{size_} * sizeof(Packet) && (p - first) % sizeof(Packet) == 0;
  }

  // Buffers currently in the pool: exact when no get/put runs concurrently, else a snapshot.
  [[nodiscard]] uint32_t available() const noexcept;
  [[nodiscard]] uint32_t size() const noexcept { return size_; }
  [[nodiscard]] uint32_t max_packet_size() const noexcept { return max_packet_size_; }
  [[nodiscard]] std::size_t preallocated_bytes() const noexcept { return region_bytes_; }
  [[nodiscard]] bool memory_locked() const noexcept { return locked_; }
  [[nodiscard]] const CounterBlock<PoolCounter>& counters() const noexcept { return counters_; }

 private:
  static constexpr uint32_t kNil = 0xFFFFFFFF;  // empty stack
  // head_ = (tag << 32) | top index; the tag counts every get and put, so a getter that read a stale
  // (index, next) pair fails its CAS (ABA) unless exactly 2^32 operations happened in between.
  static constexpr uint64_t bump_tag(uint64_t head) noexcept {
    return (head & ~uint64_t{0xFFFFFFFF}) + (uint64_t{1} << 32);
  }

  PacketPool() = default;
  void count_miss() noexcept;  // cold: several getters may miss at once

  // Read-only after create().
  Packet* packets_ = nullptr;
  std::atomic<uint32_t>* next_ = nullptr;  // free-list links, one per buffer
  uint32_t size_ = 0;
  uint32_t max_packet_size_ = 0;
  void* region_ = nullptr;
  std::size_t region_bytes_ = 0;
  bool locked_ = false;

  alignas(64) std::atomic<uint64_t> head_{kNil};  // LIFO free list: getters and the putter CAS it
  alignas(64) std::atomic<uint64_t> puts_{0};     // written by the putter only (for available())
  alignas(64) std::atomic<uint64_t> misses_{0};   // exact miss count (fetch_add, cold)
  std::atomic_flag miss_publisher_ = ATOMIC_FLAG_INIT;
  CounterBlock<PoolCounter> counters_;
};

}  // namespace numi
