#include "numi/book/order_key_index.hpp"

#include <algorithm>
#include <bit>
#include <new>

namespace numi::book {

namespace {

// Arena slots for `max_keys` live keys: a table holds at most 4x its keys plus one line (it doubles above 1/2
// full and halves at 1/8 full); the blocks it left behind while growing add at most as much again until other
// tables reuse or split them (blocks are not coalesced). Hence 8x, plus two smallest blocks per scope.
std::size_t arena_slots_for(uint32_t scopes, uint32_t max_keys) {
  const std::size_t slots = 8 * std::bit_ceil(std::max<std::size_t>(max_keys, 1)) + std::size_t{16} * scopes;
  if (slots >= (std::size_t{1} << 32)) throw std::bad_alloc();
  return slots;
}

}  // namespace

OrderKeyIndex::OrderKeyIndex(uint32_t scopes, uint32_t max_keys)
    : OrderKeyIndex(scopes, max_keys, arena_slots_for(scopes, max_keys)) {}

OrderKeyIndex::OrderKeyIndex(uint32_t scopes, uint32_t max_keys, std::size_t arena_slots)
    : scope_count_(scopes),
      max_keys_(max_keys),
      table_mem_(std::size_t{scopes} * sizeof(Table)),
      arena_mem_(arena_slots * sizeof(Slot), 0xFF),
      blocks_(arena_slots, kMinClass) {
  tables_ = table_mem_.as<Table>();
  arena_ = arena_mem_.as<Slot>();
  for (uint32_t i = 0; i < scopes; ++i) tables_[i] = Table{};
}

bool OrderKeyIndex::resize(Table& t, uint32_t cls) noexcept {
  if (cls > kMaxClass) return false;
  const uint32_t off = blocks_.alloc(cls);
  if (off == BlockAllocator::kNoBlock) return false;
  Slot* fresh = arena_ + off;
  const uint32_t n = 1u << cls;
  for (uint32_t i = 0; i < n; ++i) fresh[i].handle = kNoHandle;
  if (t.cls != 0) {
    const Slot* old = arena_ + t.offset;
    const uint32_t old_n = 1u << t.cls;
    for (uint32_t i = 0; i < old_n; ++i) {
      if (old[i].handle != kNoHandle) place(fresh, n - 1, old[i]);
    }
    blocks_.release(t.offset, t.cls);
  }
  t.offset = off;
  t.cls = cls;
  return true;
}

void OrderKeyIndex::clear(uint32_t scope) noexcept {
  Table& t = tables_[scope];
  if (t.cls == 0) return;
  blocks_.release(t.offset, t.cls);
  size_ -= t.size;
  t = Table{};
}

std::size_t OrderKeyIndex::slots_in_use() const noexcept {
  std::size_t n = 0;
  for (uint32_t i = 0; i < scope_count_; ++i) n += tables_[i].cls == 0 ? 0 : std::size_t{1} << tables_[i].cls;
  return n;
}

std::size_t OrderKeyIndex::max_probe_distance() const noexcept {
  std::size_t worst = 0;
  for (uint32_t i = 0; i < scope_count_; ++i) {
    const Table& t = tables_[i];
    if (t.cls == 0) continue;
    const uint32_t mask = (1u << t.cls) - 1;
    for (uint32_t j = 0; j <= mask; ++j) {
      const Slot& s = arena_[t.offset + j];
      if (s.handle != kNoHandle) worst = std::max<std::size_t>(worst, (j - (s.tag & mask)) & mask);
    }
  }
  return worst;
}

std::string OrderKeyIndex::check() const {
  std::size_t total = 0;
  for (uint32_t i = 0; i < scope_count_; ++i) {
    const Table& t = tables_[i];
    const std::string where = "order key table " + std::to_string(i);
    if (t.cls == 0) {
      if (t.size != 0) return where + ": " + std::to_string(t.size) + " keys but no block";
      continue;
    }
    if (t.cls < kMinClass || t.cls > kMaxClass) return where + ": bad class " + std::to_string(t.cls);
    if (std::size_t{t.offset} + (std::size_t{1} << t.cls) > blocks_.bump())
      return where + ": block beyond arena";
    const uint32_t mask = (1u << t.cls) - 1;
    const Slot* s = arena_ + t.offset;
    std::size_t live = 0;
    for (uint32_t j = 0; j <= mask; ++j) {
      if (s[j].handle == kNoHandle) continue;
      ++live;
      for (uint32_t k = s[j].tag & mask; k != j; k = (k + 1) & mask) {
        if (s[k].handle == kNoHandle)
          return where + ": slot " + std::to_string(j) + " unreachable from its home";
      }
    }
    if (live != t.size)
      return where + ": holds " + std::to_string(live) + " keys, size says " + std::to_string(t.size);
    if (2 * std::size_t{t.size} > (std::size_t{1} << t.cls)) return where + ": more than half full";
    total += live;
  }
  if (total != size_)
    return "order key index: tables hold " + std::to_string(total) + " keys, size says " +
           std::to_string(size_);
  return blocks_.check(slots_in_use());
}

}  // namespace numi::book
