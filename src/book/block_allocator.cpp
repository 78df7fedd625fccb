#include "numi/book/block_allocator.hpp"

namespace numi::book {

std::string BlockAllocator::check(std::size_t used_slots) const {
  std::size_t free_slots = 0;
  for (uint32_t c = 0; c <= kMaxClass; ++c) {
    std::size_t n = 0;
    for (uint32_t off = free_[c]; off != kNoBlock; off = links_[off >> min_class_]) {
      if (std::size_t{off} + (std::size_t{1} << c) > bump_) {
        return "arena free list " + std::to_string(c) + ": block beyond bump";
      }
      if (++n > slots_) return "arena free list " + std::to_string(c) + ": cycle";
      free_slots += std::size_t{1} << c;
    }
  }
  if (used_slots + free_slots != bump_) {
    return "arena: used " + std::to_string(used_slots) + " + free " + std::to_string(free_slots) +
           " slots != bump " + std::to_string(bump_);
  }
  return {};
}

}  // namespace numi::book
