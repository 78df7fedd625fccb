// The pool is page-touched at creation: a million get/put pairs that write every byte of every buffer they
// get cause no minor page fault (getrusage RUSAGE_SELF ru_minflt delta). Own executable: nothing else runs.
#include <gtest/gtest.h>
#include <sys/resource.h>

#include <cstring>

#include "numi/core/packet_pool.hpp"
#include "numi/core/spsc_queue.hpp"

namespace numi {
namespace {

long minor_faults() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_minflt;
}

TEST(PacketPoolPageFaults, NoMinorFaultsInAMillionGetPutPairsAfterInit) {
  constexpr uint32_t kSize = 4096;
  constexpr uint32_t kPacketSize = 2048;
  constexpr int kBurst = 16;
  auto created = PacketPool::create(PacketPoolOptions{.size = kSize, .max_packet_size = kPacketSize});
  ASSERT_TRUE(created.ok()) << created.error().message;
  PacketPool& pool = *created.value();
  SpscQueue<Packet*> queue(kBurst);
  Packet* held[kBurst];
  uint64_t checksum = 0;
  auto run = [&](int rounds) {
    for (int r = 0; r < rounds; ++r) {
      for (auto& h : held) {
        h = pool.get();
        if (h == nullptr) return;
        std::memset(h->data(), r & 0xFF, h->capacity());  // every byte of the buffer
        h->length = h->capacity();
        if (!queue.try_push(h)) return;
      }
      for (int i = 0; i < kBurst; ++i) {
        Packet* p = *queue.front();
        queue.pop();
        checksum += std::to_integer<uint64_t>(p->data()[p->length - 1]);
        (void)pool.put(p);
      }
    }
  };
  run(1);  // warm-up: code pages, stack
  const long before = minor_faults();
  run(1'000'000 / kBurst);
  const long after = minor_faults();
  EXPECT_EQ(after - before, 0) << "minor page faults during the steady-state loop";
  EXPECT_EQ(pool.available(), kSize);
  EXPECT_EQ(pool.counters().load(PoolCounter::kMisses), 0u);
  EXPECT_GT(checksum, 0u);
}

}  // namespace
}  // namespace numi
