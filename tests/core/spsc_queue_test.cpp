// SpscQueue semantics on one thread: capacity rules, FIFO order across many laps, front/pop/try_pop, batch
// push/pop (partial when full/empty), element lifetimes, no allocation after construction.
#include "numi/core/spsc_queue.hpp"

#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "numi/testing/alloc_counter.hpp"

namespace numi {
namespace {

TEST(SpscQueue, CreateRejectsNonPowerOfTwoAndSuggestsOne) {
  auto q = SpscQueue<int>::create(1000);
  ASSERT_FALSE(q.ok());
  EXPECT_NE(q.error().message.find("capacity=1000"), std::string::npos) << q.error().message;
  EXPECT_NE(q.error().message.find("1024"), std::string::npos) << q.error().message;
  EXPECT_FALSE(SpscQueue<int>::create(0).ok());
  EXPECT_FALSE(SpscQueue<int>::create(1).ok());
  auto ok = SpscQueue<int>::create(64);
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(ok.value()->capacity(), 64u);
}

TEST(SpscQueue, ConstructorRoundsCapacityUpToAPowerOfTwo) {
  EXPECT_EQ(SpscQueue<int>(1000).capacity(), 1024u);
  EXPECT_EQ(SpscQueue<int>(1024).capacity(), 1024u);
  EXPECT_EQ(SpscQueue<int>(0).capacity(), 2u);
}

TEST(SpscQueue, IndicesSitOnSeparateCacheLines) {
  EXPECT_EQ(alignof(SpscQueue<int>), 64u);
  EXPECT_GE(sizeof(SpscQueue<int>), 3 * 64u);
}

TEST(SpscQueue, FillsToCapacityThenRefusesAndDrainsInOrder) {
  SpscQueue<int> q(8);
  EXPECT_TRUE(q.empty());
  EXPECT_EQ(q.front(), nullptr);
  for (int i = 0; i < 8; ++i) EXPECT_TRUE(q.try_push(i));
  EXPECT_FALSE(q.try_push(99));
  EXPECT_EQ(q.size(), 8u);
  for (int i = 0; i < 8; ++i) {
    ASSERT_NE(q.front(), nullptr);
    EXPECT_EQ(*q.front(), i);
    q.pop();
  }
  EXPECT_EQ(q.front(), nullptr);
  EXPECT_TRUE(q.empty());
}

TEST(SpscQueue, KeepsFifoOrderOverManyLaps) {
  SpscQueue<uint64_t> q(4);
  uint64_t next_in = 0;
  uint64_t next_out = 0;
  for (int round = 0; round < 1000; ++round) {
    const int n = 1 + round % 4;
    for (int i = 0; i < n; ++i) ASSERT_TRUE(q.try_push(next_in++));
    for (int i = 0; i < n; ++i) {
      uint64_t v = 0;
      ASSERT_TRUE(q.try_pop(v));
      ASSERT_EQ(v, next_out++);
    }
  }
  uint64_t v = 0;
  EXPECT_FALSE(q.try_pop(v));
  EXPECT_EQ(next_out, next_in);
}

TEST(SpscQueue, TryEmplaceConstructsInPlace) {
  SpscQueue<std::pair<int, std::string>> q(2);
  EXPECT_TRUE(q.try_emplace(7, "seven"));
  ASSERT_NE(q.front(), nullptr);
  EXPECT_EQ(q.front()->first, 7);
  EXPECT_EQ(q.front()->second, "seven");
  q.pop();
}

TEST(SpscQueue, BatchPushStopsAtCapacityAndReturnsCount) {
  SpscQueue<int> q(8);
  const std::array<int, 5> a{0, 1, 2, 3, 4};
  EXPECT_EQ(q.try_push_n(a), 5u);
  EXPECT_EQ(q.try_push_n(a), 3u);  // only 3 slots left: pushes 0, 1, 2
  EXPECT_EQ(q.try_push_n(a), 0u);
  std::array<int, 16> out{};
  EXPECT_EQ(q.pop_n(out), 8u);
  const std::array<int, 8> expected{0, 1, 2, 3, 4, 0, 1, 2};
  for (size_t i = 0; i < 8; ++i) EXPECT_EQ(out[i], expected[i]);
  EXPECT_EQ(q.pop_n(out), 0u);
}

TEST(SpscQueue, BatchPopTakesAtMostTheOutputSizeAcrossTheWrap) {
  SpscQueue<int> q(4);
  std::array<int, 3> in{10, 11, 12};
  std::array<int, 2> out{};
  for (int round = 0; round < 10; ++round) {
    ASSERT_EQ(q.try_push_n(in), 3u);
    ASSERT_EQ(q.pop_n(out), 2u);
    EXPECT_EQ(out[0], 10);
    EXPECT_EQ(out[1], 11);
    ASSERT_EQ(q.pop_n(out), 1u);
    EXPECT_EQ(out[0], 12);
  }
}

struct Tracked {
  static inline int live = 0;
  explicit Tracked(int v) noexcept : value(v) { ++live; }
  Tracked(const Tracked& o) noexcept : value(o.value) { ++live; }
  Tracked& operator=(const Tracked&) noexcept = default;
  ~Tracked() { --live; }
  int value;
};

TEST(SpscQueue, DestroysPoppedAndRemainingElements) {
  Tracked::live = 0;
  {
    SpscQueue<Tracked> q(4);
    EXPECT_TRUE(q.try_emplace(1));
    EXPECT_TRUE(q.try_emplace(2));
    EXPECT_TRUE(q.try_emplace(3));
    EXPECT_EQ(Tracked::live, 3);
    q.pop();
    EXPECT_EQ(Tracked::live, 2);
  }
  EXPECT_EQ(Tracked::live, 0);
}

TEST(SpscQueue, NoAllocationAcrossAMillionPushPops) {
  SpscQueue<uint64_t> q(1024);
  std::array<uint64_t, 32> batch{};
  std::array<uint64_t, 32> out{};
  testing::AllocationScope scope(testing::AllocationScope::Which::kProcess);
  uint64_t sum = 0;
  for (uint64_t i = 0; i < 500'000; ++i) {
    if (!q.try_push(i)) break;
    sum += *q.front();
    q.pop();
  }
  for (uint64_t i = 0; i < 500'000 / 32; ++i) {
    for (auto& b : batch) b = i;
    if (q.try_push_n(batch) != batch.size()) break;
    if (q.pop_n(out) != out.size()) break;
    sum += out[31];
  }
  EXPECT_EQ(scope.allocations(), 0u);
  EXPECT_EQ(sum, 499'999ull * 500'000 / 2 + (15'624ull * 15'625 / 2));
}

}  // namespace
}  // namespace numi
