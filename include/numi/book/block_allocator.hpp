// BlockAllocator: hands out power-of-two blocks of slot offsets inside a fixed arena owned by the caller
// (size classes min_class..31): a free list per class, bump allocation of fresh space, and splitting of a
// larger free block when both are exhausted. Used for the book's per-side level arrays and the located book's
// per-level rings, so arrays that grow and shrink never allocate after start-up. The free-list links
// live in the allocator's own preallocated array. Main types: BlockAllocator.
// Thread-safety: none; one owner thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "numi/book/page_memory.hpp"

namespace numi::book {

class BlockAllocator {
 public:
  static constexpr uint32_t kNoBlock = 0xFFFFFFFFu;
  static constexpr uint32_t kMaxClass = 31;

  BlockAllocator() = default;
  // An arena of `slots` slots (< 2^32) whose smallest block is 2^min_class slots. Throws std::bad_alloc.
  BlockAllocator(std::size_t slots, uint32_t min_class)
      : slots_(slots), min_class_(min_class), link_mem_(((slots >> min_class) + 1) * sizeof(uint32_t)) {
    links_ = link_mem_.as<uint32_t>();
    for (uint32_t& f : free_) f = kNoBlock;
  }
  BlockAllocator(BlockAllocator&&) noexcept = default;
  BlockAllocator& operator=(BlockAllocator&&) noexcept = default;

  // Offset of a free block of 2^cls slots (min_class <= cls <= 31), or kNoBlock when the arena is exhausted.
  [[nodiscard]] uint32_t alloc(uint32_t cls) noexcept {
    if (free_[cls] != kNoBlock) {
      const uint32_t off = free_[cls];
      free_[cls] = links_[off >> min_class_];
      return off;
    }
    const std::size_t size = std::size_t{1} << cls;
    if (size <= slots_ && bump_ <= slots_ - size) {
      const auto off = static_cast<uint32_t>(bump_);
      bump_ += size;
      return off;
    }
    // Split the smallest larger free block; its upper halves go to the free lists of the smaller classes.
    for (uint32_t j = cls + 1; j <= kMaxClass; ++j) {
      if (free_[j] == kNoBlock) continue;
      const uint32_t off = free_[j];
      free_[j] = links_[off >> min_class_];
      while (j > cls) {
        --j;
        release(off + (1u << j), j);
      }
      return off;
    }
    return kNoBlock;
  }
  // Returns a block obtained from alloc(cls).
  void release(uint32_t offset, uint32_t cls) noexcept {
    links_[offset >> min_class_] = free_[cls];
    free_[cls] = offset;
  }

  [[nodiscard]] std::size_t slots() const noexcept { return slots_; }
  [[nodiscard]] uint32_t min_class() const noexcept { return min_class_; }
  // Slots ever handed out by bump allocation (every block lies below this).
  [[nodiscard]] std::size_t bump() const noexcept { return bump_; }

  // Cold check: walks the free lists; `used_slots` (the slots the owner holds) + free slots must equal
  // bump(). Returns "" or a description of the first problem.
  [[nodiscard]] std::string check(std::size_t used_slots) const;

 private:
  std::size_t slots_ = 0;
  uint32_t min_class_ = 0;
  std::size_t bump_ = 0;
  uint32_t free_[kMaxClass + 1] = {};
  PageMemory link_mem_;
  uint32_t* links_ = nullptr;
};

}  // namespace numi::book
