// BlockAllocator: hands out power-of-two blocks of slot offsets inside a fixed arena owned by the caller
// (size classes min_class..31). Every block is aligned to its size. A request takes the last released block
// of its class (LIFO: likely still cached), else fresh space, else splits the smallest larger free block;
// when none of these serves it, a cold pass merges every pair of free buddies (the two aligned halves of a
// block twice their size), repeatedly, and the request is tried again, so a day of churn through small blocks
// never strands the arena in pieces too small for a large request while the hot path stays a list pop and
// push. Used for the book's per-side level arrays and the located book's per-level rings, so arrays that grow
// and shrink never allocate after start-up. The free-list links live in the allocator's own preallocated
// array. Main types: BlockAllocator. Thread-safety: none; one owner thread.
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
      : slots_(slots),
        min_class_(min_class),
        link_mem_(((slots >> min_class) + 1) * sizeof(uint32_t)),
        mark_mem_((slots >> min_class) + 1) {
    links_ = link_mem_.as<uint32_t>();
    marks_ = mark_mem_.as<uint8_t>();
    for (uint32_t& f : free_) f = kNoBlock;
  }
  BlockAllocator(BlockAllocator&&) noexcept = default;
  BlockAllocator& operator=(BlockAllocator&&) noexcept = default;

  // Offset (a multiple of 2^cls) of a free block of 2^cls slots (min_class <= cls <= 31), or kNoBlock when
  // not even the merged free blocks hold one.
  [[nodiscard]] uint32_t alloc(uint32_t cls) noexcept {
    if (free_[cls] != kNoBlock) return pop(cls);
    if (const uint32_t off = alloc_fresh(cls); off != kNoBlock) return off;
    if (const uint32_t off = split(cls); off != kNoBlock) return off;
    // Only now, and only if a block came back since the last pass (a truly full arena is not walked again on
    // every failing request): the cold pass that rebuilds larger blocks.
    if (!released_since_pass_ || !coalesce()) return kNoBlock;
    return free_[cls] != kNoBlock ? pop(cls) : split(cls);
  }
  // Returns a block obtained from alloc(cls) (last in, first out: the block most likely still cached).
  void release(uint32_t offset, uint32_t cls) noexcept {
    push(offset, cls);
    released_since_pass_ = true;
  }

  [[nodiscard]] std::size_t slots() const noexcept { return slots_; }
  [[nodiscard]] uint32_t min_class() const noexcept { return min_class_; }
  // Slots ever handed out as fresh space (every block lies below this).
  [[nodiscard]] std::size_t bump() const noexcept { return bump_; }
  // Coalescing passes run so far (each one a request no free list and no fresh space could serve).
  [[nodiscard]] uint64_t coalesce_passes() const noexcept { return coalesce_passes_; }

  // Cold check: walks the free lists (bounds, alignment, cycles); `used_slots` (the slots the owner holds) +
  // free slots must equal bump(). Returns "" or a description of the first problem.
  [[nodiscard]] std::string check(std::size_t used_slots) const;

 private:
  void push(uint32_t off, uint32_t cls) noexcept {
    links_[off >> min_class_] = free_[cls];
    free_[cls] = off;
  }
  uint32_t pop(uint32_t cls) noexcept {
    const uint32_t off = free_[cls];
    free_[cls] = links_[off >> min_class_];
    return off;
  }
  // Fresh space aligned to the block's size (a buddy must be the other half of an aligned block); the gap
  // below it goes to the free lists as the largest aligned blocks that tile it.
  uint32_t alloc_fresh(uint32_t cls) noexcept {
    const std::size_t size = std::size_t{1} << cls;
    const std::size_t aligned = (bump_ + size - 1) & ~(size - 1);
    if (aligned > slots_ || size > slots_ - aligned) return kNoBlock;
    for (std::size_t from = bump_; from < aligned;) {
      uint32_t c = static_cast<uint32_t>(__builtin_ctzll(from));  // from > 0 here
      while ((std::size_t{1} << c) > aligned - from) --c;
      push(static_cast<uint32_t>(from), c);
      from += std::size_t{1} << c;
    }
    bump_ = aligned + size;
    return static_cast<uint32_t>(aligned);
  }
  // Splits the smallest larger free block; its upper halves go to the free lists of the smaller classes.
  uint32_t split(uint32_t cls) noexcept {
    for (uint32_t j = cls + 1; j <= kMaxClass; ++j) {
      if (free_[j] == kNoBlock) continue;
      const uint32_t off = pop(j);
      while (j > cls) {
        --j;
        push(off + (1u << j), j);
      }
      return off;
    }
    return kNoBlock;
  }
  // Merges every pair of free buddies, smallest class first, so merged blocks merge again; false when nothing
  // merged. O(free blocks); runs only when a request would otherwise fail.
  bool coalesce() noexcept;
  // Sets every free block's mark to its class + 1 (on) or clears it (off).
  void mark_free_blocks(bool on) noexcept;

  std::size_t slots_ = 0;
  uint32_t min_class_ = 0;
  std::size_t bump_ = 0;
  uint64_t coalesce_passes_ = 0;
  bool released_since_pass_ = false;
  uint32_t free_[kMaxClass + 1] = {};
  PageMemory link_mem_;
  PageMemory mark_mem_;
  uint32_t* links_ = nullptr;  // per smallest block: the free-list link of the free block starting there
  uint8_t* marks_ = nullptr;   // per smallest block: class + 1 of a free block, during coalesce() only
};

}  // namespace numi::book
