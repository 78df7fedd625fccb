// Multi-threaded PacketPool and SpscQueue checks (label `stress`, run under TSan):
//  - several getter threads + one putter thread: every buffer is owned by one thread at a time, nothing is
//    lost or returned twice, the pool is full at rest;
//  - SPSC producer/consumer with single and batch operations: every item arrives exactly once, in order.
#include <gtest/gtest.h>

#include <array>
#include <atomic>
#include <cstring>
#include <memory>
#include <thread>
#include <vector>

#include "numi/core/packet_pool.hpp"
#include "numi/core/spsc_queue.hpp"

#if defined(__SANITIZE_THREAD__)
#define NUMI_TEST_TSAN 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define NUMI_TEST_TSAN 1
#endif
#endif

namespace numi {
namespace {

#ifdef NUMI_TEST_TSAN
constexpr uint64_t kScale = 3;
#else
constexpr uint64_t kScale = 4;
#endif

TEST(PacketPoolStress, SeveralGettersOnePutterKeepEveryBufferSingleOwned) {
  constexpr int kGetters = 3;
  constexpr uint32_t kPoolSize = 256;  // small: getters do run into an empty pool
  const uint64_t per_getter = 50'000 * kScale;
  auto created = PacketPool::create(PacketPoolOptions{.size = kPoolSize, .max_packet_size = 64});
  ASSERT_TRUE(created.ok()) << created.error().message;
  PacketPool& pool = *created.value();
  // owner[i] != 0 while buffer i is held by a getter; set by the getter, cleared by the putter.
  std::unique_ptr<std::atomic<int>[]> owner(new std::atomic<int>[kPoolSize]);
  for (uint32_t i = 0; i < kPoolSize; ++i) owner[i].store(0);
  std::vector<std::unique_ptr<SpscQueue<Packet*>>> queues;
  for (int g = 0; g < kGetters; ++g) queues.push_back(std::make_unique<SpscQueue<Packet*>>(64));
  std::atomic<int> getters_done{0};
  std::atomic<uint64_t> ownership_errors{0};
  std::atomic<uint64_t> content_errors{0};

  std::vector<std::thread> getters;
  for (int g = 0; g < kGetters; ++g) {
    getters.emplace_back([&, g] {
      SpscQueue<Packet*>& q = *queues[static_cast<size_t>(g)];
      for (uint64_t n = 0; n < per_getter;) {
        Packet* p = pool.get();
        if (p == nullptr) {
          std::this_thread::yield();
          continue;
        }
        int expected = 0;
        if (!owner[p->index().value].compare_exchange_strong(expected, g + 1)) ownership_errors.fetch_add(1);
        std::memcpy(p->data(), &n, sizeof n);
        p->data()[8] = static_cast<std::byte>(g);
        p->length = 9;
        p->worker_id = static_cast<uint16_t>(g);
        p->first_sequence = n;
        while (!q.try_push(p)) std::this_thread::yield();
        ++n;
      }
      getters_done.fetch_add(1);
    });
  }
  std::thread putter([&] {
    std::array<uint64_t, kGetters> next{};
    std::array<Packet*, 16> batch{};
    for (;;) {
      const bool all_done = getters_done.load() == kGetters;
      size_t drained = 0;
      for (int g = 0; g < kGetters; ++g) {
        const size_t n = queues[static_cast<size_t>(g)]->pop_n(batch);
        drained += n;
        for (size_t i = 0; i < n; ++i) {
          Packet* p = batch[i];
          uint64_t seq = 0;
          std::memcpy(&seq, p->data(), sizeof seq);
          if (seq != next[static_cast<size_t>(g)] || p->first_sequence != seq || p->worker_id != g ||
              p->data()[8] != static_cast<std::byte>(g) || p->length != 9) {
            content_errors.fetch_add(1);
          }
          ++next[static_cast<size_t>(g)];
          int expected = g + 1;
          if (!owner[p->index().value].compare_exchange_strong(expected, 0)) ownership_errors.fetch_add(1);
          if (pool.put(p) != PutStatus::kOk) ownership_errors.fetch_add(1);
        }
      }
      if (drained == 0) {
        if (all_done) break;
        std::this_thread::yield();
      }
    }
    for (uint64_t n : next) EXPECT_EQ(n, per_getter);
  });
  for (auto& t : getters) t.join();
  putter.join();
  EXPECT_EQ(ownership_errors.load(), 0u);
  EXPECT_EQ(content_errors.load(), 0u);
  EXPECT_EQ(pool.available(), kPoolSize);
  EXPECT_EQ(pool.counters().load(PoolCounter::kReturnDrops), 0u);
}

TEST(PacketPoolStress, ConcurrentMissesAreCountedExactly) {
  constexpr int kThreads = 3;
  constexpr uint64_t kMissesPerThread = 20'000;
  auto created = PacketPool::create(PacketPoolOptions{.size = 1, .max_packet_size = 64});
  ASSERT_TRUE(created.ok());
  PacketPool& pool = *created.value();
  Packet* only = pool.get();
  ASSERT_NE(only, nullptr);
  std::vector<std::thread> threads;
  std::atomic<uint64_t> unexpected{0};
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (uint64_t i = 0; i < kMissesPerThread; ++i) {
        if (pool.get() != nullptr) unexpected.fetch_add(1);
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(unexpected.load(), 0u);
  EXPECT_EQ(pool.counters().load(PoolCounter::kMisses), kThreads * kMissesPerThread);
  EXPECT_EQ(pool.put(only), PutStatus::kOk);
}

TEST(SpscQueueStress, EveryItemArrivesExactlyOnceInOrderWithMixedBatchOps) {
  const uint64_t kItems = 400'000 * kScale;
  SpscQueue<uint64_t> q(256);
  std::thread producer([&] {
    std::array<uint64_t, 32> batch{};
    uint64_t next = 0;
    while (next < kItems) {
      if (next % 3 == 0) {  // single pushes
        if (q.try_push(next)) {
          ++next;
        } else {
          std::this_thread::yield();
        }
      } else {  // a batch of up to 32 (may be partially accepted)
        const uint64_t n = std::min<uint64_t>(1 + next % 32, kItems - next);
        for (uint64_t i = 0; i < n; ++i) batch[i] = next + i;
        const size_t pushed = q.try_push_n(std::span<const uint64_t>(batch.data(), n));
        next += pushed;
        if (pushed == 0) std::this_thread::yield();
      }
    }
  });
  uint64_t expected = 0;
  uint64_t errors = 0;
  std::array<uint64_t, 24> out{};
  while (expected < kItems) {
    if (expected % 2 == 0) {
      const size_t n = q.pop_n(out);
      for (size_t i = 0; i < n; ++i) errors += out[i] != expected++;
      if (n == 0) std::this_thread::yield();
    } else if (uint64_t* v = q.front()) {
      errors += *v != expected++;
      q.pop();
    } else {
      std::this_thread::yield();
    }
  }
  producer.join();
  EXPECT_EQ(errors, 0u);
  EXPECT_EQ(expected, kItems);
  EXPECT_TRUE(q.empty());
}

}  // namespace
}  // namespace numi
