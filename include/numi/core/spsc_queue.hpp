// SpscQueue<T>: bounded single-producer single-consumer queue in rigtorp's shape: producer and consumer
// positions on separate cache lines, each side caches the other's position, power-of-two capacity, 64-bit
// positions that never wrap, storage allocated once at construction. Batch try_push_n / pop_n.
// Thread-safety: exactly one producer thread (try_push*, try_emplace) and one consumer thread (front, pop*,
// try_pop); size()/empty()/capacity() from either side.
#pragma once

#include <algorithm>
#include <atomic>
#include <bit>
#include <cassert>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <new>
#include <span>
#include <string>
#include <type_traits>
#include <utility>

#include "numi/core/status.hpp"

namespace numi {

template <typename T>
class SpscQueue {
  static_assert(std::is_nothrow_destructible_v<T>, "SpscQueue<T> needs a noexcept destructor");

 public:
  static constexpr std::size_t kMaxCapacity = std::size_t{1} << 32;

  // Strict factory for configured sizes: capacity must be a power of two in [2, kMaxCapacity].
  [[nodiscard]] static Result<std::unique_ptr<SpscQueue>> create(std::size_t capacity) {
    if (capacity < 2 || capacity > kMaxCapacity || !std::has_single_bit(capacity)) {
      const std::size_t hint = capacity < 2 ? 2 : std::min(std::bit_ceil(capacity), kMaxCapacity);
      return Error{"SPSC queue capacity=" + std::to_string(capacity) +
                   " is not a power of two in [2, 2^32]: set the queue capacity to a power of two, e.g. " +
                   std::to_string(hint)};
    }
    return Result<std::unique_ptr<SpscQueue>>(std::make_unique<SpscQueue>(capacity));
  }

  // Rounds `capacity` UP to the next power of two (min 2, max kMaxCapacity); capacity() tells the result.
  explicit SpscQueue(std::size_t capacity)
      : capacity_(std::bit_ceil(std::clamp<std::size_t>(capacity, 2, kMaxCapacity))),
        mask_(capacity_ - 1),
        slots_(std::allocator<T>().allocate(capacity_)) {}

  ~SpscQueue() {
    const uint64_t write = write_pos_.load(std::memory_order_acquire);
    for (uint64_t read = read_pos_.load(std::memory_order_relaxed); read != write; ++read) {
      slots_[read & mask_].~T();
    }
    std::allocator<T>().deallocate(slots_, capacity_);
  }
  SpscQueue(const SpscQueue&) = delete;
  SpscQueue& operator=(const SpscQueue&) = delete;

  // ---- producer ----
  template <typename... Args>
  [[nodiscard]] bool try_emplace(Args&&... args) noexcept(std::is_nothrow_constructible_v<T, Args&&...>) {
    const uint64_t write = write_pos_.load(std::memory_order_relaxed);
    if (write - read_pos_cache_ >= capacity_) {
      read_pos_cache_ = read_pos_.load(std::memory_order_acquire);
      if (write - read_pos_cache_ >= capacity_) return false;
    }
    ::new (static_cast<void*>(&slots_[write & mask_])) T(std::forward<Args>(args)...);
    write_pos_.store(write + 1, std::memory_order_release);
    return true;
  }
  [[nodiscard]] bool try_push(const T& value) noexcept(std::is_nothrow_copy_constructible_v<T>) {
    return try_emplace(value);
  }
  [[nodiscard]] bool try_push(T&& value) noexcept(std::is_nothrow_move_constructible_v<T>) {
    return try_emplace(std::move(value));
  }
  // Pushes a prefix of `items` (as many as fit, in order) with one release store; returns how many.
  [[nodiscard]] std::size_t try_push_n(std::span<const T> items) noexcept(
      std::is_nothrow_copy_constructible_v<T>) {
    const uint64_t write = write_pos_.load(std::memory_order_relaxed);
    uint64_t free_slots = capacity_ - (write - read_pos_cache_);
    if (free_slots < items.size()) {
      read_pos_cache_ = read_pos_.load(std::memory_order_acquire);
      free_slots = capacity_ - (write - read_pos_cache_);
    }
    const std::size_t n = static_cast<std::size_t>(std::min<uint64_t>(free_slots, items.size()));
    for (std::size_t i = 0; i < n; ++i) {
      ::new (static_cast<void*>(&slots_[(write + i) & mask_])) T(items[i]);
    }
    if (n != 0) write_pos_.store(write + n, std::memory_order_release);
    return n;
  }

  // ---- consumer ----
  // The oldest item, or nullptr when empty; valid until pop().
  [[nodiscard]] T* front() noexcept {
    const uint64_t read = read_pos_.load(std::memory_order_relaxed);
    if (read >= write_pos_cache_) {  // >=: pop() may run without a front() (positions never wrap)
      write_pos_cache_ = write_pos_.load(std::memory_order_acquire);
      if (read == write_pos_cache_) return nullptr;
    }
    return &slots_[read & mask_];
  }
  // Removes the oldest item. Precondition: front() != nullptr.
  void pop() noexcept {
    const uint64_t read = read_pos_.load(std::memory_order_relaxed);
    assert(read != write_pos_.load(std::memory_order_acquire) && "SpscQueue::pop on an empty queue");
    slots_[read & mask_].~T();
    read_pos_.store(read + 1, std::memory_order_release);
  }
  // Moves the oldest item into `out`; false when empty.
  [[nodiscard]] bool try_pop(T& out) noexcept(std::is_nothrow_move_assignable_v<T>) {
    T* item = front();
    if (item == nullptr) return false;
    out = std::move(*item);
    pop();
    return true;
  }
  // Moves up to out.size() items into out (oldest first) with one release store; returns how many.
  [[nodiscard]] std::size_t pop_n(std::span<T> out) noexcept(std::is_nothrow_move_assignable_v<T>) {
    const uint64_t read = read_pos_.load(std::memory_order_relaxed);
    uint64_t ready = write_pos_cache_ > read ? write_pos_cache_ - read : 0;
    if (ready < out.size()) {
      write_pos_cache_ = write_pos_.load(std::memory_order_acquire);
      ready = write_pos_cache_ - read;
    }
    const std::size_t n = static_cast<std::size_t>(std::min<uint64_t>(ready, out.size()));
    for (std::size_t i = 0; i < n; ++i) {
      T& slot = slots_[(read + i) & mask_];
      out[i] = std::move(slot);
      slot.~T();
    }
    if (n != 0) read_pos_.store(read + n, std::memory_order_release);
    return n;
  }

  // ---- either side ----
  // Items in the queue (a snapshot when the other side is running).
  [[nodiscard]] std::size_t size() const noexcept {
    const uint64_t read = read_pos_.load(std::memory_order_acquire);
    const uint64_t write = write_pos_.load(std::memory_order_acquire);
    return static_cast<std::size_t>(write - read);
  }
  [[nodiscard]] bool empty() const noexcept { return size() == 0; }
  [[nodiscard]] std::size_t capacity() const noexcept { return capacity_; }

 private:
  static constexpr std::size_t kCacheLine = 64;

  // Read-only after construction.
  const std::size_t capacity_;
  const std::size_t mask_;
  T* const slots_;

  // Producer line: its position and its cache of the consumer's.
  alignas(kCacheLine) std::atomic<uint64_t> write_pos_{0};
  uint64_t read_pos_cache_ = 0;
  // Consumer line: its position and its cache of the producer's.
  alignas(kCacheLine) std::atomic<uint64_t> read_pos_{0};
  uint64_t write_pos_cache_ = 0;
  // (alignas makes sizeof a multiple of 64, so nothing after this object shares the consumer's line.)
};

}  // namespace numi
