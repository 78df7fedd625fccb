// PacketPool semantics: sizing and options, get/put, misses, double and foreign returns, metadata reset,
// counters, no allocation after init.
#include "numi/core/packet_pool.hpp"

#include <gtest/gtest.h>
#include <linux/capability.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cstring>
#include <set>
#include <string>
#include <vector>

#include "numi/testing/alloc_counter.hpp"

namespace numi {
namespace {

std::unique_ptr<PacketPool> make_pool(uint32_t size, uint32_t packet_size = 256) {
  auto pool = PacketPool::create(PacketPoolOptions{.size = size, .max_packet_size = packet_size});
  EXPECT_TRUE(pool.ok()) << (pool.ok() ? "" : pool.error().message);
  return pool.ok() ? std::move(pool).value() : nullptr;
}

TEST(PacketPool, CreateRejectsZeroSizeNamingTheOption) {
  auto pool = PacketPool::create(PacketPoolOptions{.size = 0});
  ASSERT_FALSE(pool.ok());
  EXPECT_NE(pool.error().message.find("size=0"), std::string::npos) << pool.error().message;
  EXPECT_NE(pool.error().message.find("pool.size"), std::string::npos) << pool.error().message;
}

TEST(PacketPool, CreateRejectsZeroAndHugePacketSize) {
  auto zero = PacketPool::create(PacketPoolOptions{.size = 8, .max_packet_size = 0});
  ASSERT_FALSE(zero.ok());
  EXPECT_NE(zero.error().message.find("max_packet_size=0"), std::string::npos) << zero.error().message;
  auto huge =
      PacketPool::create(PacketPoolOptions{.size = 8, .max_packet_size = PacketPool::kMaxPacketSize + 1});
  ASSERT_FALSE(huge.ok());
  EXPECT_NE(huge.error().message.find("max_packet_size"), std::string::npos);
}

TEST(PacketPool, ReportsSizesAndStartsFull) {
  auto pool = make_pool(100, 1500);
  ASSERT_NE(pool, nullptr);
  EXPECT_EQ(pool->size(), 100u);
  EXPECT_EQ(pool->available(), 100u);
  EXPECT_EQ(pool->max_packet_size(), 1500u);
  EXPECT_GE(pool->preallocated_bytes(), 100u * 1500u + 100u * sizeof(Packet));
  EXPECT_EQ(pool->counters().load(PoolCounter::kSize), 100u);
  EXPECT_EQ(pool->counters().load(PoolCounter::kPreallocatedBytes), pool->preallocated_bytes());
  EXPECT_FALSE(pool->memory_locked());
}

TEST(PacketPool, HandsOutEveryBufferOnceWithDistinctAlignedNonOverlappingMemory) {
  auto pool = make_pool(64, 100);
  ASSERT_NE(pool, nullptr);
  std::vector<Packet*> got;
  std::set<uint32_t> indices;
  for (int i = 0; i < 64; ++i) {
    Packet* p = pool->get();
    ASSERT_NE(p, nullptr);
    EXPECT_EQ(p->capacity(), 100u);
    EXPECT_EQ(reinterpret_cast<uintptr_t>(p->data()) % 64, 0u);
    EXPECT_EQ(&pool->at(p->index()), p);
    EXPECT_TRUE(pool->owns(p));
    std::memset(p->data(), i, p->capacity());
    indices.insert(p->index().value);
    got.push_back(p);
  }
  EXPECT_EQ(indices.size(), 64u);
  for (int i = 0; i < 64; ++i) {
    for (uint32_t b = 0; b < 100; ++b)
      ASSERT_EQ(std::to_integer<int>(got[static_cast<size_t>(i)]->data()[b]), i);
  }
  EXPECT_EQ(pool->available(), 0u);
  for (Packet* p : got) EXPECT_EQ(pool->put(p), PutStatus::kOk);
  EXPECT_EQ(pool->available(), 64u);
}

TEST(PacketPool, EmptyPoolReturnsNullAndCountsEachMiss) {
  auto pool = make_pool(2);
  ASSERT_NE(pool, nullptr);
  Packet* a = pool->get();
  Packet* b = pool->get();
  ASSERT_NE(a, nullptr);
  ASSERT_NE(b, nullptr);
  EXPECT_EQ(pool->get(), nullptr);
  EXPECT_EQ(pool->get(), nullptr);
  EXPECT_EQ(pool->counters().load(PoolCounter::kMisses), 2u);
  EXPECT_EQ(pool->put(a), PutStatus::kOk);
  EXPECT_EQ(pool->get(), a);  // the one free buffer comes back
  EXPECT_EQ(pool->counters().load(PoolCounter::kMisses), 2u);
  EXPECT_EQ(pool->put(a), PutStatus::kOk);
  EXPECT_EQ(pool->put(b), PutStatus::kOk);
}

TEST(PacketPool, GetResetsMetadataLeftByThePreviousOwner) {
  auto pool = make_pool(1);
  ASSERT_NE(pool, nullptr);
  Packet* p = pool->get();
  ASSERT_NE(p, nullptr);
  p->length = 77;
  p->channel = Channel::kB;
  p->worker_id = 3;
  p->first_sequence = 1000;
  p->sequence_count = 5;
  p->rx_timestamp_ns = 123;
  p->rx_timestamp_source = TimestampSource::kHwRaw;
  p->receive_ns = 456;
  EXPECT_EQ(p->payload().size(), 77u);
  EXPECT_EQ(pool->put(p), PutStatus::kOk);
  Packet* q = pool->get();
  ASSERT_EQ(q, p);
  EXPECT_EQ(q->length, 0u);
  EXPECT_EQ(q->channel, Channel::kUnknown);
  EXPECT_EQ(q->worker_id, 0u);
  EXPECT_EQ(q->first_sequence, 0u);
  EXPECT_EQ(q->sequence_count, 0u);
  EXPECT_EQ(q->rx_timestamp_ns, 0u);
  EXPECT_EQ(q->rx_timestamp_source, TimestampSource::kNone);
  EXPECT_EQ(q->receive_ns, 0u);
  EXPECT_EQ(q->buffer().size(), 256u);
  EXPECT_EQ(pool->put(q), PutStatus::kOk);
}

TEST(PacketPool, PutOfNullIsANoOp) {
  auto pool = make_pool(4);
  ASSERT_NE(pool, nullptr);
  EXPECT_EQ(pool->put(nullptr), PutStatus::kNull);
  EXPECT_EQ(pool->available(), 4u);
  EXPECT_EQ(pool->counters().load(PoolCounter::kReturnDrops), 0u);
}

#ifdef NDEBUG
TEST(PacketPool, DoubleReturnIsRefusedAndCounted) {
  auto pool = make_pool(4);
  ASSERT_NE(pool, nullptr);
  Packet* p = pool->get();
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(pool->put(p), PutStatus::kOk);
  EXPECT_EQ(pool->put(p), PutStatus::kDoubleReturn);
  EXPECT_EQ(pool->available(), 4u);  // not added twice
  EXPECT_EQ(pool->counters().load(PoolCounter::kReturnDrops), 1u);
  // A never-taken buffer returned (pool full) is the same mistake.
  EXPECT_EQ(pool->put(&pool->at(BufferIndex{2})), PutStatus::kDoubleReturn);
  EXPECT_EQ(pool->counters().load(PoolCounter::kReturnDrops), 2u);
}

TEST(PacketPool, ForeignPacketIsRefusedAndCounted) {
  auto pool = make_pool(4);
  auto other = make_pool(4);
  ASSERT_NE(pool, nullptr);
  ASSERT_NE(other, nullptr);
  Packet* p = other->get();
  ASSERT_NE(p, nullptr);
  EXPECT_FALSE(pool->owns(p));
  EXPECT_EQ(pool->put(p), PutStatus::kForeign);
  EXPECT_EQ(pool->counters().load(PoolCounter::kReturnDrops), 1u);
  EXPECT_EQ(pool->available(), 4u);
  EXPECT_EQ(other->put(p), PutStatus::kOk);
}
#else
TEST(PacketPoolDeathTest, DoubleReturnAssertsInDebugBuilds) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  auto pool = make_pool(4);
  ASSERT_NE(pool, nullptr);
  Packet* p = pool->get();
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(pool->put(p), PutStatus::kOk);
  EXPECT_DEATH((void)pool->put(p), "double return");
}

TEST(PacketPoolDeathTest, ForeignPacketAssertsInDebugBuilds) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  auto pool = make_pool(4);
  auto other = make_pool(4);
  ASSERT_NE(other, nullptr);
  Packet* p = other->get();
  ASSERT_NE(p, nullptr);
  EXPECT_DEATH((void)pool->put(p), "does not belong");
  EXPECT_EQ(other->put(p), PutStatus::kOk);
}
#endif

TEST(PacketPool, CounterTableNamesMatchTheEnum) {
  auto table = counter_table(PoolCounter{});
  ASSERT_EQ(table.size(), static_cast<size_t>(PoolCounter::kCount));
  EXPECT_EQ(table[static_cast<size_t>(PoolCounter::kMisses)].name, "packet_pool_misses_total");
  EXPECT_EQ(table[static_cast<size_t>(PoolCounter::kReturnDrops)].name, "packet_pool_return_drops_total");
  EXPECT_EQ(table[static_cast<size_t>(PoolCounter::kSize)].type, MetricType::kGauge);
  auto pool = make_pool(4);
  ASSERT_NE(pool, nullptr);
  EXPECT_EQ(pool->counters().view().values.size(), table.size());
}

TEST(PacketPool, NoAllocationAcrossAMillionGetPutPairs) {
  auto pool = make_pool(1024);
  ASSERT_NE(pool, nullptr);
  Packet* held[8];
  testing::AllocationScope scope(testing::AllocationScope::Which::kProcess);
  uint64_t checksum = 0;
  for (int i = 0; i < 125'000; ++i) {
    for (auto& h : held) {
      h = pool->get();
      h->data()[0] = std::byte{1};
      checksum += h->index().value;
    }
    for (auto* h : held) (void)pool->put(h);
  }
  EXPECT_EQ(scope.allocations(), 0u);
  EXPECT_GT(checksum, 0u);
  EXPECT_EQ(pool->available(), 1024u);
  EXPECT_EQ(pool->counters().load(PoolCounter::kMisses), 0u);
}

TEST(PacketPool, LockMemoryLocksTheRegionWhenAllowed) {
  auto pool = PacketPool::create(PacketPoolOptions{.size = 16, .max_packet_size = 256, .lock_memory = true});
  if (!pool.ok()) GTEST_SKIP() << "mlock not permitted here: " << pool.error().message;
  EXPECT_TRUE(pool.value()->memory_locked());
}

// Drops CAP_IPC_LOCK from this thread's effective set and RLIMIT_MEMLOCK to 0 for the scope, so mlock fails
// even when the tests run as root.
class ScopedNoMemlock {
 public:
  ScopedNoMemlock() {
    getrlimit(RLIMIT_MEMLOCK, &saved_limit_);
    rlimit none = saved_limit_;
    none.rlim_cur = 0;
    ok_ = setrlimit(RLIMIT_MEMLOCK, &none) == 0;
    header_.version = _LINUX_CAPABILITY_VERSION_3;
    header_.pid = 0;
    if (syscall(SYS_capget, &header_, saved_caps_) == 0) {
      __user_cap_data_struct caps[2];
      std::memcpy(caps, saved_caps_, sizeof caps);
      caps[CAP_IPC_LOCK / 32].effective &= ~(1u << (CAP_IPC_LOCK % 32));
      caps_changed_ = syscall(SYS_capset, &header_, caps) == 0;
    }
  }
  ~ScopedNoMemlock() {
    if (caps_changed_) syscall(SYS_capset, &header_, saved_caps_);
    setrlimit(RLIMIT_MEMLOCK, &saved_limit_);
  }
  [[nodiscard]] bool ok() const { return ok_; }

 private:
  rlimit saved_limit_{};
  __user_cap_header_struct header_{};
  __user_cap_data_struct saved_caps_[2]{};
  bool ok_ = false;
  bool caps_changed_ = false;
};

TEST(PacketPool, LockMemoryFailureNamesTheOptionAndTheFix) {
  ScopedNoMemlock no_memlock;
  ASSERT_TRUE(no_memlock.ok());
  auto pool = PacketPool::create(PacketPoolOptions{.size = 16, .max_packet_size = 256, .lock_memory = true});
  if (pool.ok()) GTEST_SKIP() << "mlock still permitted (cannot drop CAP_IPC_LOCK here)";
  EXPECT_NE(pool.error().message.find("lock_memory"), std::string::npos) << pool.error().message;
  EXPECT_NE(pool.error().message.find("RLIMIT_MEMLOCK"), std::string::npos) << pool.error().message;
}

}  // namespace
}  // namespace numi
