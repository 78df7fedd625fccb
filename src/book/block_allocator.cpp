#include "numi/book/block_allocator.hpp"

namespace numi::book {

void BlockAllocator::mark_free_blocks(bool on) noexcept {
  for (uint32_t c = min_class_; c <= kMaxClass; ++c) {
    for (uint32_t off = free_[c]; off != kNoBlock; off = links_[off >> min_class_])
      marks_[off >> min_class_] = on ? static_cast<uint8_t>(c + 1) : uint8_t{0};
  }
}

bool BlockAllocator::coalesce() noexcept {
  ++coalesce_passes_;
  released_since_pass_ = false;
  mark_free_blocks(true);
  constexpr uint8_t kPaired = 0xFF;
  bool merged = false;
  for (uint32_t c = min_class_; c < kMaxClass; ++c) {
    // Pairs whose both halves are free at class c are marked first; then the list is walked again, each
    // pair's lower half becomes a block of class c + 1 (marked, so it can merge again at the next class) and
    // the survivors are relinked in their old order. (Pushing while the first walk is under way would rewrite
    // the link of a block the walk has yet to reach.)
    const uint32_t size = 1u << c;
    for (uint32_t off = free_[c]; off != kNoBlock; off = links_[off >> min_class_]) {
      const uint32_t buddy = off ^ size;
      if (marks_[off >> min_class_] == c + 1 && std::size_t{buddy} + size <= bump_ &&
          marks_[buddy >> min_class_] == c + 1) {
        marks_[off >> min_class_] = kPaired;
        marks_[buddy >> min_class_] = kPaired;
      }
    }
    uint32_t keep = kNoBlock;
    uint32_t* tail = &keep;
    for (uint32_t off = free_[c]; off != kNoBlock;) {
      const uint32_t next = links_[off >> min_class_];
      uint8_t& mark = marks_[off >> min_class_];
      if (mark != kPaired) {
        *tail = off;
        tail = &links_[off >> min_class_];
      } else if ((off & size) == 0) {
        mark = static_cast<uint8_t>(c + 2);
        push(off, c + 1);
        merged = true;
      } else {
        mark = 0;
      }
      off = next;
    }
    *tail = kNoBlock;
    free_[c] = keep;
  }
  mark_free_blocks(false);
  return merged;
}

std::string BlockAllocator::check(std::size_t used_slots) const {
  std::size_t free_slots = 0;
  for (uint32_t c = 0; c <= kMaxClass; ++c) {
    const std::string list = "arena free list " + std::to_string(c);
    std::size_t n = 0;
    for (uint32_t off = free_[c]; off != kNoBlock; off = links_[off >> min_class_]) {
      const std::size_t size = std::size_t{1} << c;
      if (c < min_class_) return list + ": block below the smallest class";
      if (std::size_t{off} + size > bump_) return list + ": block beyond bump";
      if ((off & (size - 1)) != 0) return list + ": block not aligned to its size";
      if (++n > (slots_ >> min_class_)) return list + ": cycle";
      free_slots += size;
    }
  }
  if (used_slots + free_slots != bump_) {
    return "arena: used " + std::to_string(used_slots) + " + free " + std::to_string(free_slots) +
           " slots != bump " + std::to_string(bump_);
  }
  return {};
}

}  // namespace numi::book
