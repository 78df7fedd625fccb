// BlockAllocator: aligned power-of-two blocks, splitting, and the coalescing pass (a long day's churn must
// not strand the arena in small blocks).
#include "numi/book/block_allocator.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <utility>
#include <vector>

namespace numi::book {
namespace {

constexpr uint32_t kNo = BlockAllocator::kNoBlock;

TEST(BlockAllocator, BlocksAreAlignedToTheirSizeAndDisjoint) {
  BlockAllocator a(1024, 2);
  std::vector<std::pair<uint32_t, uint32_t>> held;  // offset, class
  for (const uint32_t cls : {2u, 4u, 3u, 2u, 6u, 5u, 2u, 7u}) {
    const uint32_t off = a.alloc(cls);
    ASSERT_NE(off, kNo);
    EXPECT_EQ(off % (1u << cls), 0u) << "class " << cls;
    held.emplace_back(off, cls);
  }
  std::sort(held.begin(), held.end());
  std::size_t used = 0;
  for (std::size_t i = 0; i < held.size(); ++i) {
    used += std::size_t{1} << held[i].second;
    if (i + 1 < held.size()) {
      EXPECT_LE(held[i].first + (1u << held[i].second), held[i + 1].first);
    }
  }
  EXPECT_EQ(a.check(used), "");
}

TEST(BlockAllocator, FreedSmallBlocksMergeBackIntoTheWholeArena) {
  // Fill the arena with the smallest blocks, free them all, then ask for the whole arena: without coalescing
  // the free lists hold 64 small blocks and nothing larger, and the request fails.
  BlockAllocator a(256, 2);
  std::vector<uint32_t> small;
  for (int i = 0; i < 64; ++i) {
    const uint32_t off = a.alloc(2);
    ASSERT_NE(off, kNo);
    small.push_back(off);
  }
  EXPECT_EQ(a.alloc(2), kNo);  // full
  EXPECT_EQ(a.alloc(2), kNo);
  EXPECT_EQ(a.coalesce_passes(), 0u);  // nothing was ever released: no pass to run
  std::shuffle(small.begin(), small.end(), std::mt19937(3));
  for (const uint32_t off : small) a.release(off, 2);
  EXPECT_EQ(a.check(0), "");
  EXPECT_EQ(a.alloc(8), 0u);
  EXPECT_EQ(a.coalesce_passes(), 1u);
  EXPECT_EQ(a.alloc(2), kNo);  // full again, and nothing released since the pass: no second pass
  EXPECT_EQ(a.coalesce_passes(), 1u);
  EXPECT_EQ(a.check(256), "");
  a.release(0, 8);
  EXPECT_EQ(a.check(0), "");
}

TEST(BlockAllocator, AnArenaThatIsNotAPowerOfTwoIsUsedToItsLastSlot) {
  BlockAllocator a(96, 2);  // 64 + 32
  const uint32_t big = a.alloc(6);
  const uint32_t half = a.alloc(5);
  ASSERT_NE(big, kNo);
  ASSERT_NE(half, kNo);
  EXPECT_EQ(a.alloc(2), kNo);
  a.release(big, 6);
  a.release(half, 5);
  std::vector<uint32_t> small;
  for (uint32_t off = a.alloc(2); off != kNo; off = a.alloc(2)) small.push_back(off);
  EXPECT_EQ(small.size(), 24u);
  for (const uint32_t off : small) a.release(off, 2);
  EXPECT_EQ(a.check(0), "");
  EXPECT_NE(a.alloc(6), kNo);
  EXPECT_NE(a.alloc(5), kNo);
}

TEST(BlockAllocator, RandomChurnNeverLosesASlot) {
  // Against a model: after any interleaving of allocations and releases of mixed classes, freeing everything
  // gives back blocks that merge into the largest ones again.
  BlockAllocator a(4096, 2);
  ASSERT_EQ(a.alloc(12), 0u);  // the whole arena once, so every slot is below bump()
  a.release(0, 12);
  std::mt19937_64 rng(11);
  std::vector<std::pair<uint32_t, uint32_t>> held;
  std::size_t used = 0;
  for (int step = 0; step < 50'000; ++step) {
    if (held.empty() || rng() % 100 < 52) {
      const uint32_t cls = 2 + static_cast<uint32_t>(rng() % 7);
      const uint32_t off = a.alloc(cls);
      if (off == kNo) continue;
      ASSERT_EQ(off % (1u << cls), 0u);
      held.emplace_back(off, cls);
      used += std::size_t{1} << cls;
    } else {
      const std::size_t k = rng() % held.size();
      a.release(held[k].first, held[k].second);
      used -= std::size_t{1} << held[k].second;
      held[k] = held.back();
      held.pop_back();
    }
    if (step % 1000 == 0) {
      ASSERT_EQ(a.check(used), "") << "step " << step;
    }
  }
  for (const auto& [off, cls] : held) a.release(off, cls);
  ASSERT_EQ(a.check(0), "");
  EXPECT_EQ(a.alloc(12), 0u);  // the whole arena in one block again
  EXPECT_GE(a.coalesce_passes(), 1u);
}

}  // namespace
}  // namespace numi::book
