// OrderKeyIndex: exact identity under forced tag collisions, per-scope tables that grow and shrink inside the
// shared arena, clear, capacity, and no allocation after construction. BlockAllocator: reuse, splitting and
// exhaustion of the size-class arena both the index and the book's level arrays use.
#include "numi/book/order_key_index.hpp"

#include <gtest/gtest.h>

#include <map>
#include <random>
#include <utility>
#include <vector>

#include "numi/book/block_allocator.hpp"
#include "numi/testing/alloc_counter.hpp"

namespace numi::book {
namespace {

// Stand-in for the book's order records: handle -> the key stored in the record.
struct Records {
  std::vector<uint64_t> id;
  [[nodiscard]] auto same(uint64_t key) const {
    return [this, key](OrderHandle h) noexcept { return id[h] == key; };
  }
};

TEST(OrderKeyIndex, FindsInsertedKeysAndForgetsErasedOnes) {
  OrderKeyIndex idx(4, 100);
  Records r{{500, 501, 502}};
  for (OrderHandle h = 0; h < 3; ++h) {
    ASSERT_TRUE(idx.insert(1, OrderKeyIndex::tag_of(r.id[h]), h));
  }
  EXPECT_EQ(idx.size(), 3u);
  EXPECT_EQ(idx.size(1), 3u);
  for (OrderHandle h = 0; h < 3; ++h) {
    EXPECT_EQ(idx.find(1, OrderKeyIndex::tag_of(r.id[h]), r.same(r.id[h])), h);
    EXPECT_EQ(idx.find(2, OrderKeyIndex::tag_of(r.id[h]), r.same(r.id[h])), kNoHandle)
        << "scopes are separate";
  }
  EXPECT_TRUE(idx.erase(1, OrderKeyIndex::tag_of(501), r.same(501)));
  EXPECT_FALSE(idx.erase(1, OrderKeyIndex::tag_of(501), r.same(501)));
  EXPECT_EQ(idx.find(1, OrderKeyIndex::tag_of(501), r.same(501)), kNoHandle);
  EXPECT_EQ(idx.find(1, OrderKeyIndex::tag_of(502), r.same(502)), 2u);
  EXPECT_EQ(idx.check(), "");
}

TEST(OrderKeyIndex, EqualTagsNeverAliasTwoOrders) {
  // Every key gets the same tag: only the caller's exact check can tell them apart.
  OrderKeyIndex idx(1, 64);
  Records r;
  constexpr uint32_t kTag = 0xABCD1234u;
  for (uint64_t k = 0; k < 20; ++k) {
    r.id.push_back(1000 + k);
    ASSERT_TRUE(idx.insert(0, kTag, static_cast<OrderHandle>(k)));
  }
  for (uint64_t k = 0; k < 20; ++k) EXPECT_EQ(idx.find(0, kTag, r.same(1000 + k)), k);
  EXPECT_EQ(idx.find(0, kTag, r.same(999)), kNoHandle);
  ASSERT_TRUE(idx.erase(0, kTag, r.same(1007)));
  for (uint64_t k = 0; k < 20; ++k) EXPECT_EQ(idx.find(0, kTag, r.same(1000 + k)), k == 7 ? kNoHandle : k);
  EXPECT_EQ(idx.check(), "");
}

TEST(OrderKeyIndex, MatchesAMapThroughGrowthShrinkAndClearUnderCollisions) {
  constexpr uint32_t kScopes = 8;
  constexpr uint32_t kMaxKeys = 4000;
  OrderKeyIndex idx(kScopes, kMaxKeys);
  std::map<std::pair<uint32_t, uint64_t>, OrderHandle> ref;
  Records r{std::vector<uint64_t>(kMaxKeys * 4)};
  std::vector<OrderHandle> free_handles;
  for (OrderHandle h = 0; h < r.id.size(); ++h) free_handles.push_back(h);
  // Tags collide on purpose (only 97 distinct values): probe runs are long and wrap inside small tables.
  const auto tag = [](uint64_t key) { return static_cast<uint32_t>(key % 97) * 0x9E3779B1u; };
  std::mt19937_64 rng(11);
  for (int step = 0; step < 300'000; ++step) {
    const auto scope = static_cast<uint32_t>(rng() % kScopes);
    // Phases: fill, drain, mixed, so tables both grow and shrink.
    const int phase = (step / 20'000) % 3;
    const uint64_t roll = rng() % 100;
    const bool add = phase == 0 ? roll < 80 : phase == 1 ? roll < 20 : roll < 50;
    if (step % 50'000 == 49'999) {  // clear one scope now and then
      idx.clear(scope);
      for (auto it = ref.begin(); it != ref.end();) {
        if (it->first.first == scope) {
          free_handles.push_back(it->second);
          it = ref.erase(it);
        } else {
          ++it;
        }
      }
    } else if (add) {
      const uint64_t key = rng() % 20'000;
      if (ref.count({scope, key}) != 0) {
        ASSERT_EQ(idx.find(scope, tag(key), r.same(key)), (ref[{scope, key}]));
        continue;
      }
      const OrderHandle h = free_handles.back();
      r.id[h] = key;
      const bool inserted = idx.insert(scope, tag(key), h);
      ASSERT_EQ(inserted, ref.size() < kMaxKeys);
      if (inserted) {
        free_handles.pop_back();
        ref[{scope, key}] = h;
      }
    } else if (!ref.empty()) {
      auto it = ref.lower_bound({scope, rng() % 20'000});
      if (it == ref.end()) it = ref.begin();
      const auto [s, key] = it->first;
      const OrderHandle h = it->second;
      ASSERT_TRUE(idx.erase(s, tag(key), [h](OrderHandle x) noexcept { return x == h; }));
      free_handles.push_back(h);
      ref.erase(it);
    }
    if (step % 10'000 == 0) {
      ASSERT_EQ(idx.check(), "") << "step " << step;
      ASSERT_EQ(idx.size(), ref.size());
      for (const auto& [k, h] : ref) ASSERT_EQ(idx.find(k.first, tag(k.second), r.same(k.second)), h);
    }
  }
  EXPECT_EQ(idx.check(), "");
}

TEST(OrderKeyIndex, RefusesKeysBeyondItsMaximum) {
  OrderKeyIndex idx(2, 3);
  for (OrderHandle h = 0; h < 3; ++h) ASSERT_TRUE(idx.insert(h % 2, h, h));
  EXPECT_TRUE(idx.full());
  EXPECT_FALSE(idx.insert(0, 77, 9));
  EXPECT_TRUE(idx.erase(0, 0, [](OrderHandle h) noexcept { return h == 0; }));
  EXPECT_TRUE(idx.insert(0, 77, 9));
  EXPECT_EQ(idx.check(), "");
}

TEST(OrderKeyIndex, MemoryFollowsLiveKeysNotTheMaximum) {
  OrderKeyIndex idx(1000, 1'000'000);
  Records r;
  for (OrderHandle h = 0; h < 5000; ++h) {
    r.id.push_back(h);
    ASSERT_TRUE(idx.insert(h % 1000, OrderKeyIndex::tag_of(h), h));
  }
  // 5 keys per scope live in one 16-slot block each; the 1,000,000-key maximum reserves arena only.
  EXPECT_LE(idx.slots_in_use(), 1000u * 16);
  for (OrderHandle h = 0; h < 5000; ++h) {
    ASSERT_TRUE(idx.erase(h % 1000, OrderKeyIndex::tag_of(h), r.same(h)));
  }
  EXPECT_LE(idx.slots_in_use(), 1000u * 8);
  EXPECT_EQ(idx.check(), "");
}

TEST(OrderKeyIndex, SteadyStateAllocatesNothing) {
  OrderKeyIndex idx(64, 10'000);
  Records r{std::vector<uint64_t>(10'000)};
  std::mt19937_64 rng(5);
  numi::testing::AllocationScope scope;
  for (int round = 0; round < 20; ++round) {
    for (OrderHandle h = 0; h < 8000; ++h) {
      r.id[h] = rng();
      ASSERT_TRUE(idx.insert(h % 64, OrderKeyIndex::tag_of(r.id[h]), h));
    }
    for (OrderHandle h = 0; h < 8000; ++h) {
      ASSERT_TRUE(idx.erase(h % 64, OrderKeyIndex::tag_of(r.id[h]), r.same(r.id[h])));
    }
  }
  EXPECT_EQ(scope.allocations(), 0u);
  EXPECT_EQ(idx.check(), "");
}

TEST(BlockAllocator, ReusesFreedBlocksThenBumpsThenSplitsAndReportsExhaustion) {
  BlockAllocator a(64, 3);
  const uint32_t big = a.alloc(5);  // 32 slots
  const uint32_t b8 = a.alloc(3);   // 8
  EXPECT_EQ(big, 0u);
  EXPECT_EQ(b8, 32u);
  EXPECT_EQ(a.check(40), "");
  a.release(b8, 3);
  EXPECT_EQ(a.alloc(3), b8) << "a freed block of the class is reused first";
  EXPECT_EQ(a.alloc(4), 40u) << "then fresh space";
  EXPECT_EQ(a.alloc(3), 56u);
  EXPECT_EQ(a.alloc(3), BlockAllocator::kNoBlock) << "arena used up, nothing free";
  a.release(big, 5);
  // Then a larger free block is split: 8 slots for this request, the rest to the smaller free lists.
  EXPECT_EQ(a.alloc(3), 0u);
  EXPECT_EQ(a.check(64 - 24), "");
  EXPECT_EQ(a.alloc(3), 8u);
  EXPECT_EQ(a.alloc(4), 16u);
  EXPECT_EQ(a.alloc(3), BlockAllocator::kNoBlock);
  EXPECT_EQ(a.check(64), "");
  EXPECT_NE(a.check(63), "") << "the check notices slots the owner does not account for";
}

}  // namespace
}  // namespace numi::book
