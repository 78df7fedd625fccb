// OpenHashMap: exact-key lookups, fixed capacity, and backward-shift deletion under heavy collisions.
#include "numi/book/open_hash_map.hpp"

#include <gtest/gtest.h>

#include <random>
#include <unordered_map>

#include "numi/book/types.hpp"

namespace numi::book {
namespace {

TEST(OpenHashMap, InsertFindEraseAndFullAtHalfLoad) {
  OpenHashMap<uint64_t, uint32_t> m(4);
  EXPECT_EQ(m.capacity(), 8u);
  EXPECT_EQ(m.insert(10, 1), HashInsert::kInserted);
  EXPECT_EQ(m.insert(10, 2), HashInsert::kExists);
  EXPECT_EQ(*m.find(10), 1u);
  for (uint64_t k = 11; k < 14; ++k) EXPECT_EQ(m.insert(k, 0), HashInsert::kInserted);
  EXPECT_EQ(m.insert(99, 0), HashInsert::kFull);
  EXPECT_TRUE(m.erase(10));
  EXPECT_FALSE(m.erase(10));
  EXPECT_EQ(m.find(10), nullptr);
  EXPECT_EQ(m.insert(99, 5), HashInsert::kInserted);
  EXPECT_EQ(m.size(), 4u);
}

// A terrible hash forces long probe runs that wrap around the table: deletion must keep every key findable.
struct CollidingHash {
  uint64_t operator()(uint64_t k) const noexcept { return k % 3; }
};

TEST(OpenHashMap, BackwardShiftDeletionMatchesStdMapUnderCollisions) {
  OpenHashMap<uint64_t, uint64_t, CollidingHash> m(64);
  std::unordered_map<uint64_t, uint64_t> ref;
  std::mt19937_64 rng(3);
  for (int step = 0; step < 200'000; ++step) {
    const uint64_t key = rng() % 200;
    if (rng() % 2 == 0) {
      const HashInsert r = m.insert(key, key * 7);
      if (ref.count(key) != 0) {
        ASSERT_EQ(r, HashInsert::kExists);
      } else if (ref.size() >= 64) {
        ASSERT_EQ(r, HashInsert::kFull);
      } else {
        ASSERT_EQ(r, HashInsert::kInserted);
        ref[key] = key * 7;
      }
    } else {
      ASSERT_EQ(m.erase(key), ref.erase(key) == 1);
    }
    if (step % 1000 == 0) {
      for (uint64_t k = 0; k < 200; ++k) {
        const uint64_t* v = m.find(k);
        ASSERT_EQ(v != nullptr, ref.count(k) == 1) << k;
        if (v != nullptr) {
          ASSERT_EQ(*v, ref[k]);
        }
      }
    }
  }
  EXPECT_EQ(m.size(), ref.size());
}

// A composite key (a venue's (SecurityID, Side, priority) shape), compared field by field.
struct EobiKey {
  int64_t security_id;
  Side side;
  uint64_t priority;
  friend bool operator==(const EobiKey&, const EobiKey&) = default;
};
struct EobiKeyHash {
  uint64_t operator()(const EobiKey& k) const noexcept {
    return mix64_combine(
        mix64_combine(mix64(static_cast<uint64_t>(k.security_id)), static_cast<uint64_t>(k.side)),
        k.priority);
  }
};

TEST(OpenHashMap, TupleKeysAreComparedExactly) {
  OpenHashMap<EobiKey, OrderHandle, EobiKeyHash> m(1000);
  for (uint64_t p = 0; p < 500; ++p) {
    ASSERT_EQ(m.insert({-5, Side::kBid, p}, static_cast<OrderHandle>(p)), HashInsert::kInserted);
    ASSERT_EQ(m.insert({-5, Side::kAsk, p}, static_cast<OrderHandle>(p + 1000)), HashInsert::kInserted);
  }
  EXPECT_EQ(*m.find({-5, Side::kAsk, 42}), 1042u);
  EXPECT_EQ(*m.find({-5, Side::kBid, 42}), 42u);
  EXPECT_EQ(m.find({5, Side::kBid, 42}), nullptr);
  EXPECT_LT(m.max_probe_distance(), 64u);
  auto moved = std::move(m);
  EXPECT_EQ(moved.size(), 1000u);
  EXPECT_EQ(*moved.find({-5, Side::kBid, 7}), 7u);
}

}  // namespace
}  // namespace numi::book
