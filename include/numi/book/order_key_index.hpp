// OrderKeyIndex: venue order key (uint64) -> OrderHandle for adapters whose keys are unique only within a
// scope (EOBI: one scope per instrument side, key = TrdRegTSTimePriority). One small open-addressing table
// per scope with 8-byte slots {32-bit hash tag, handle}; tables double and halve inside one preallocated
// arena, so the memory the hot path touches follows the live key count, not the configured maximum. Identity
// is exact: a tag match is confirmed by the caller's `same(handle)` check against the order record (the book
// keeps the key as the order id), so a hash collision can never alias two orders. Main types: OrderKeyIndex.
// Thread-safety: none; one owner thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "numi/book/block_allocator.hpp"
#include "numi/book/open_hash_map.hpp"
#include "numi/book/page_memory.hpp"
#include "numi/book/types.hpp"

namespace numi::book {

class OrderKeyIndex {
 public:
  OrderKeyIndex() = default;
  // `scopes` independent tables, at most `max_keys` live keys in all. Preallocates and page-touches the arena
  // (cold; throws std::bad_alloc).
  OrderKeyIndex(uint32_t scopes, uint32_t max_keys);
  OrderKeyIndex(OrderKeyIndex&&) noexcept = default;
  OrderKeyIndex& operator=(OrderKeyIndex&&) noexcept = default;
  OrderKeyIndex(const OrderKeyIndex&) = delete;
  OrderKeyIndex& operator=(const OrderKeyIndex&) = delete;
  ~OrderKeyIndex() = default;

  // The 32-bit tag of a key: its home slot (low bits) and its fingerprint (all bits).
  [[nodiscard]] static uint32_t tag_of(uint64_t key) noexcept { return static_cast<uint32_t>(mix64(key)); }

  // The handle stored for the key whose tag is `tag` and for which same(handle) holds; kNoHandle if none.
  template <typename Same>
  [[nodiscard]] OrderHandle find(uint32_t scope, uint32_t tag, Same&& same) const noexcept {
    const uint32_t i = locate(tables_[scope], tag, same);
    return i == kNoSlot ? kNoHandle : arena_[tables_[scope].offset + i].handle;
  }
  // Precondition: the key is not present. false when max_keys are live or the arena has no block left.
  [[nodiscard]] bool insert(uint32_t scope, uint32_t tag, OrderHandle handle) noexcept {
    Table& t = tables_[scope];
    if (size_ >= max_keys_) return false;
    if (t.cls == 0 || (t.size + 1) * 2 > (1u << t.cls)) {
      if (!resize(t, t.cls == 0 ? kMinClass : t.cls + 1)) return false;
    }
    place(arena_ + t.offset, (1u << t.cls) - 1, Slot{tag, handle});
    ++t.size;
    ++size_;
    return true;
  }

  // Removes the key (backward-shift deletion: no tombstones); false when absent. Halves the table when it
  // falls to 1/8 full.
  template <typename Same>
  bool erase(uint32_t scope, uint32_t tag, Same&& same) noexcept {
    Table& t = tables_[scope];
    const uint32_t i = locate(t, tag, same);
    if (i == kNoSlot) return false;
    Slot* s = arena_ + t.offset;
    const uint32_t mask = (1u << t.cls) - 1;
    uint32_t hole = i;
    for (uint32_t j = (i + 1) & mask; s[j].handle != kNoHandle; j = (j + 1) & mask) {
      const uint32_t k = s[j].tag & mask;
      // Slot j moves into the hole unless its home lies cyclically within (hole, j].
      const bool stays = hole <= j ? (hole < k && k <= j) : (hole < k || k <= j);
      if (!stays) {
        s[hole] = s[j];
        hole = j;
      }
    }
    s[hole].handle = kNoHandle;
    --t.size;
    --size_;
    if (t.cls > kMinClass && t.size * 8 <= (1u << t.cls)) (void)resize(t, t.cls - 1);
    return true;
  }

  // Removes every key of the scope and returns its table to the arena.
  void clear(uint32_t scope) noexcept;

  [[nodiscard]] std::size_t size() const noexcept { return size_; }
  [[nodiscard]] std::size_t max_size() const noexcept { return max_keys_; }
  [[nodiscard]] bool full() const noexcept { return size_ >= max_keys_; }
  [[nodiscard]] uint32_t scopes() const noexcept { return scope_count_; }
  [[nodiscard]] std::size_t size(uint32_t scope) const noexcept { return tables_[scope].size; }
  // Diagnostics (cold, O(slots in use)): slots held by all tables, and the longest probe distance.
  [[nodiscard]] std::size_t slots_in_use() const noexcept;
  [[nodiscard]] std::size_t max_probe_distance() const noexcept;
  [[nodiscard]] std::size_t arena_slots() const noexcept { return blocks_.slots(); }
  // Cold invariant check: per-table sizes and probe runs (every key reachable from its home slot), the total
  // size, and the arena's free lists. Returns "" or the first problem found.
  [[nodiscard]] std::string check() const;

 private:
  struct Slot {
    uint32_t tag;
    OrderHandle handle;  // kNoHandle = empty
  };
  struct Table {
    uint32_t offset = 0;
    uint32_t size = 0;
    uint32_t cls = 0;  // log2 of the slot count; 0 = no block
  };
  static_assert(sizeof(Slot) == 8);
  static constexpr uint32_t kMinClass = 3;  // 8 slots = one cache line
  static constexpr uint32_t kMaxClass = 30;

  static constexpr uint32_t kNoSlot = 0xFFFFFFFFu;

  // The probe: index (within the table) of the slot holding the key with `tag` for which same(handle)
  // holds, or kNoSlot.
  template <typename Same>
  [[nodiscard]] uint32_t locate(const Table& t, uint32_t tag, Same& same) const noexcept {
    if (t.cls == 0) return kNoSlot;
    const Slot* s = arena_ + t.offset;
    const uint32_t mask = (1u << t.cls) - 1;
    for (uint32_t i = tag & mask; s[i].handle != kNoHandle; i = (i + 1) & mask) {
      if (s[i].tag == tag && same(s[i].handle)) return i;
    }
    return kNoSlot;
  }
  static void place(Slot* s, uint32_t mask, Slot v) noexcept {
    uint32_t i = v.tag & mask;
    while (s[i].handle != kNoHandle) i = (i + 1) & mask;
    s[i] = v;
  }
  OrderKeyIndex(uint32_t scopes, uint32_t max_keys, std::size_t arena_slots);
  bool resize(Table& t, uint32_t cls) noexcept;  // rehash into a block of 2^cls slots

  uint32_t scope_count_ = 0;
  std::size_t max_keys_ = 0;
  std::size_t size_ = 0;
  PageMemory table_mem_;
  PageMemory arena_mem_;
  BlockAllocator blocks_;
  Table* tables_ = nullptr;
  Slot* arena_ = nullptr;
};

}  // namespace numi::book
