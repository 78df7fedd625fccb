// OpenHashMap<Key, Value, Hash, Eq>: fixed-capacity open-addressing hash table for hot paths. Linear probing,
// a strong 64-bit mix (Mix64Hash), load factor <= 0.5 (capacity = power of two >= 2 * max_elements), and
// tombstone-free deletion by backward shift, so probe lengths never degrade over a trading day. Storage is
// one preallocated, page-touched region: no allocation after construction. The exact key is stored and
// compared (a hash is never used as identity). Used by the book's order index (uint64 id -> OrderHandle), the
// venue id -> instrument registries and the EOBI SecurityID map; composite keys work with mix64_combine.
// Thread-safety: none (single owner thread).
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <type_traits>
#include <utility>

#include "numi/book/page_memory.hpp"

namespace numi::book {

// SplitMix64 finalizer: every input bit affects every output bit (good for dense, sequential ids).
[[nodiscard]] constexpr uint64_t mix64(uint64_t x) noexcept {
  x += 0x9E3779B97F4A7C15ULL;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
  return x ^ (x >> 31);
}
// Combines a running hash with one more 64-bit field (for tuple keys).
[[nodiscard]] constexpr uint64_t mix64_combine(uint64_t h, uint64_t v) noexcept {
  return mix64(h ^ (v + 0x632BE59BD9B4E019ULL + (h << 6) + (h >> 2)));
}

struct Mix64Hash {
  [[nodiscard]] constexpr uint64_t operator()(uint64_t key) const noexcept { return mix64(key); }
};

enum class [[nodiscard]] HashInsert : uint8_t{kInserted, kExists, kFull};

template <typename Key, typename Value, typename Hash = Mix64Hash, typename Eq = std::equal_to<Key>>
class OpenHashMap {
  static_assert(std::is_trivially_copyable_v<Key> && std::is_trivially_copyable_v<Value>,
                "OpenHashMap stores keys and values in raw preallocated memory");

 public:
  struct Slot {
    Key key;
    Value value;
    bool used;
  };

  OpenHashMap() = default;
  // Room for `max_elements` live entries at load factor <= 0.5. Throws std::bad_alloc (cold path).
  explicit OpenHashMap(std::size_t max_elements)
      : max_elements_(max_elements),
        capacity_(max_elements == 0 ? 0 : std::bit_ceil(max_elements * 2)),
        mask_(capacity_ == 0 ? 0 : capacity_ - 1),
        memory_(capacity_ * sizeof(Slot), 0) {
    slots_ = memory_.as<Slot>();
  }
  OpenHashMap(OpenHashMap&& o) noexcept { swap(o); }
  OpenHashMap& operator=(OpenHashMap&& o) noexcept {
    OpenHashMap tmp(std::move(o));
    swap(tmp);
    return *this;
  }
  OpenHashMap(const OpenHashMap&) = delete;
  OpenHashMap& operator=(const OpenHashMap&) = delete;
  ~OpenHashMap() = default;

  // Inserts key -> value. kExists leaves the stored value unchanged; kFull when size() == max_size().
  HashInsert insert(const Key& key, const Value& value) noexcept {
    if (capacity_ == 0) return HashInsert::kFull;
    std::size_t i = home(key);
    while (slots_[i].used) {
      if (eq_(slots_[i].key, key)) return HashInsert::kExists;
      i = (i + 1) & mask_;
    }
    if (size_ >= max_elements_) return HashInsert::kFull;
    slots_[i].key = key;
    slots_[i].value = value;
    slots_[i].used = true;
    ++size_;
    return HashInsert::kInserted;
  }

  [[nodiscard]] Value* find(const Key& key) noexcept {
    if (capacity_ == 0) return nullptr;
    std::size_t i = home(key);
    while (slots_[i].used) {
      if (eq_(slots_[i].key, key)) return &slots_[i].value;
      i = (i + 1) & mask_;
    }
    return nullptr;
  }
  [[nodiscard]] const Value* find(const Key& key) const noexcept {
    return const_cast<OpenHashMap*>(this)->find(key);
  }

  // Removes key (backward-shift deletion: later entries of the probe run move up; no tombstones).
  bool erase(const Key& key) noexcept {
    if (capacity_ == 0) return false;
    std::size_t i = home(key);
    while (true) {
      if (!slots_[i].used) return false;
      if (eq_(slots_[i].key, key)) break;
      i = (i + 1) & mask_;
    }
    std::size_t hole = i;
    std::size_t j = i;
    while (true) {
      j = (j + 1) & mask_;
      if (!slots_[j].used) break;
      const std::size_t k = home(slots_[j].key);
      // Move slot j into the hole when its home is not cyclically within (hole, j].
      const bool stays = hole <= j ? (hole < k && k <= j) : (hole < k || k <= j);
      if (!stays) {
        slots_[hole] = slots_[j];
        hole = j;
      }
    }
    slots_[hole].used = false;
    --size_;
    return true;
  }

  // Prefetches the key's home slot (call one message ahead of the lookup).
  void prefetch(const Key& key) const noexcept {
    if (capacity_ != 0) __builtin_prefetch(&slots_[home(key)], 0, 3);
  }

  void clear() noexcept {
    for (std::size_t i = 0; i < capacity_; ++i) slots_[i].used = false;
    size_ = 0;
  }

  // Calls f(key, value) for every live entry, in slot order (cold path).
  template <typename F>
  void for_each(F&& f) const {
    for (std::size_t i = 0; i < capacity_; ++i) {
      if (slots_[i].used) f(slots_[i].key, slots_[i].value);
    }
  }

  // Longest probe distance of any live entry from its home slot (diagnostics, cold).
  [[nodiscard]] std::size_t max_probe_distance() const noexcept {
    std::size_t worst = 0;
    for (std::size_t i = 0; i < capacity_; ++i) {
      if (!slots_[i].used) continue;
      const std::size_t d = (i - home(slots_[i].key)) & mask_;
      if (d > worst) worst = d;
    }
    return worst;
  }

  [[nodiscard]] std::size_t size() const noexcept { return size_; }
  [[nodiscard]] std::size_t max_size() const noexcept { return max_elements_; }
  [[nodiscard]] std::size_t capacity() const noexcept { return capacity_; }
  [[nodiscard]] bool full() const noexcept { return size_ >= max_elements_; }
  [[nodiscard]] bool empty() const noexcept { return size_ == 0; }

 private:
  void swap(OpenHashMap& o) noexcept {
    std::swap(max_elements_, o.max_elements_);
    std::swap(capacity_, o.capacity_);
    std::swap(mask_, o.mask_);
    std::swap(size_, o.size_);
    std::swap(memory_, o.memory_);
    std::swap(slots_, o.slots_);
  }
  [[nodiscard]] std::size_t home(const Key& key) const noexcept {
    return static_cast<std::size_t>(hash_(key)) & mask_;
  }

  std::size_t max_elements_ = 0;
  std::size_t capacity_ = 0;
  std::size_t mask_ = 0;
  std::size_t size_ = 0;
  PageMemory memory_;
  Slot* slots_ = nullptr;
  [[no_unique_address]] Hash hash_{};
  [[no_unique_address]] Eq eq_{};
};

}  // namespace numi::book
