// EOBI snapshot-cycle synchronisation over generated sessions: a deliberate gap recovers every affected
// instrument from a snapshot cycle and ends with the state hash of a book fed the gap-free stream; a book
// started mid-session goes live from the snapshot; buffer overflow waits for the next cycle; a cut snapshot
// is counted; and after warm-up nothing allocates (decode + builder + sync).
#include <gtest/gtest.h>

#include <cstddef>
#include <memory>
#include <span>
#include <vector>

#include "numi/book/eobi_book_builder.hpp"
#include "numi/codec/eobi/session_generator.hpp"
#include "numi/testing/alloc_counter.hpp"

namespace numi::book {
namespace {

namespace eobi = codec::eobi;
using Packet = std::vector<std::byte>;

std::unique_ptr<OrderBook> make_book() {
  BookLimits l;
  l.max_instruments = 256;
  l.max_orders = 1u << 17;
  l.max_levels = 1u << 15;
  l.identity = OrderIdentity::kLocated;  // EOBI orders are found at their price: no id index
  auto b = OrderBook::create(l);
  EXPECT_TRUE(b.ok()) << (b.ok() ? "" : b.error().message);
  return std::move(b.value());
}

eobi::EobiSessionOptions session(uint64_t messages) {
  eobi::EobiSessionOptions o;
  o.seed = 11;
  o.instruments = 40;
  o.partitions = 2;
  o.messages = messages;
  o.max_live_per_instrument = 300;
  return o;
}

struct Fed {
  std::unique_ptr<OrderBook> book = make_book();
  std::unique_ptr<EobiBookBuilder> builder;
  explicit Fed(bool start_live, uint32_t buffer_capacity = 1u << 14) {
    EobiBookOptions o;
    o.start_live = start_live;
    o.buffer_capacity = buffer_capacity;
    builder = std::make_unique<EobiBookBuilder>(*book, o);
  }
  void incremental(std::span<const std::byte> p) const {
    (void)builder->apply_incremental(p.data(), p.size());
  }
  void snapshot(const std::vector<Packet>& cycle) const {
    for (const Packet& p : cycle) (void)builder->apply_snapshot(p.data(), p.size());
  }
  uint64_t count(EobiBookCounter c) const { return builder->counters().load(c); }
};

std::vector<Packet> full_cycle(const eobi::EobiSessionGenerator& gen) {
  std::vector<Packet> all;
  for (uint32_t p = 0; p < gen.options().partitions; ++p) {
    auto c = gen.snapshot_cycle(static_cast<uint8_t>(p));
    all.insert(all.end(), c.begin(), c.end());
  }
  return all;
}

void expect_all_live(const EobiBookBuilder& b) {
  for (InstrumentIndex i = 0; i < b.book().instrument_count(); ++i) {
    EXPECT_EQ(b.sync_state(i), EobiSyncState::kLive) << "instrument " << i;
  }
  EXPECT_EQ(b.stale_instruments(), 0u);
}

TEST(EobiSync, GapRecoversEveryAffectedInstrumentAndMatchesTheGapFreeBook) {
  eobi::EobiSessionGenerator gen(session(60'000));
  Fed reference(true);
  Fed gapped(true);
  constexpr std::size_t kGapFirst = 1500;
  constexpr std::size_t kGapLast = 1580;        // packets [1500, 1580) are lost (both partitions)
  constexpr std::size_t kSnapshotAt = 2000;     // the cycle reflects the state after packet 2000 ...
  constexpr std::size_t kSnapshotFedAt = 2100;  // ... and is read 100 packets later (those are buffered)
  std::vector<Packet> cycle;
  std::span<const std::byte> p;
  std::size_t n = 0;
  bool stale_seen = false;
  while (gen.next_packet(p)) {
    reference.incremental(p);
    if (n < kGapFirst || n >= kGapLast) gapped.incremental(p);
    if (n == kGapLast + 5) stale_seen = gapped.builder->stale_instruments() > 0;
    if (n == kSnapshotAt) cycle = full_cycle(gen);
    if (n == kSnapshotFedAt) {
      EXPECT_GT(gapped.builder->buffered_now(), 0u);
      gapped.snapshot(cycle);
      expect_all_live(*gapped.builder);
    }
    ++n;
  }
  ASSERT_GT(n, kSnapshotFedAt);
  EXPECT_TRUE(stale_seen);
  expect_all_live(*gapped.builder);
  EXPECT_EQ(gapped.book->state_hash(), reference.book->state_hash());
  EXPECT_EQ(gapped.book->check_invariants(), "");
  EXPECT_EQ(reference.book->check_invariants(), "");
  EXPECT_EQ(reference.count(EobiBookCounter::kUnknownOrders), 0u);
  EXPECT_EQ(reference.count(EobiBookCounter::kRejectedEvents), 0u);
  EXPECT_EQ(reference.count(EobiBookCounter::kPartitionLosses), 0u);
  EXPECT_EQ(gapped.count(EobiBookCounter::kPartitionLosses), 2u);  // one gap per partition
  EXPECT_EQ(gapped.count(EobiBookCounter::kInstrumentsStale), 40u);
  EXPECT_EQ(gapped.count(EobiBookCounter::kInstrumentsRecovered), 40u);
  EXPECT_GT(gapped.count(EobiBookCounter::kBufferedApplied), 0u);
  EXPECT_GT(gapped.count(EobiBookCounter::kBufferedDiscarded), 0u);
  EXPECT_GT(gapped.count(EobiBookCounter::kSnapshotOrdersApplied), 0u);
  EXPECT_EQ(gapped.count(EobiBookCounter::kBufferOverflow), 0u);
  EXPECT_EQ(gapped.count(EobiBookCounter::kUnknownOrders), 0u);
  EXPECT_EQ(gapped.count(EobiBookCounter::kDuplicateKeys), 0u);
  EXPECT_EQ(gapped.builder->buffered_now(), 0u);
  EXPECT_EQ(gapped.builder->book().live_orders(), reference.builder->book().live_orders());
}

TEST(EobiSync, BookStartedMidSessionGoesLiveFromTheSnapshotCycleAndMatches) {
  eobi::EobiSessionGenerator gen(session(40'000));
  Fed reference(true);
  Fed late(false);
  constexpr std::size_t kJoin = 1200;
  constexpr std::size_t kSnapshotAt = 1300;
  constexpr std::size_t kSnapshotFedAt = 1350;
  std::vector<Packet> cycle;
  std::span<const std::byte> p;
  std::size_t n = 0;
  while (gen.next_packet(p)) {
    reference.incremental(p);
    if (n >= kJoin) late.incremental(p);
    if (n == kJoin + 10) {
      EXPECT_GT(late.builder->stale_instruments(), 0u);
      EXPECT_EQ(late.book->live_orders(), 0u);  // nothing applied while stale
    }
    if (n == kSnapshotAt) cycle = full_cycle(gen);
    if (n == kSnapshotFedAt) late.snapshot(cycle);
    ++n;
  }
  expect_all_live(*late.builder);
  EXPECT_EQ(late.book->instrument_count(), 40u);
  EXPECT_EQ(late.book->state_hash(), reference.book->state_hash());
  EXPECT_EQ(late.book->check_invariants(), "");
  EXPECT_EQ(late.count(EobiBookCounter::kInstrumentsRecovered), 40u);
  EXPECT_EQ(late.count(EobiBookCounter::kInstrumentsStale), 0u);  // start-up staleness is not a transition
  EXPECT_EQ(late.count(EobiBookCounter::kUnknownOrders), 0u);
}

TEST(EobiSync, SnapshotOlderThanTheLossIsNotUsedAndTheNextCycleRecovers) {
  eobi::EobiSessionGenerator gen(session(30'000));
  Fed reference(true);
  Fed gapped(true);
  std::vector<Packet> old_cycle;
  std::span<const std::byte> p;
  std::size_t n = 0;
  while (gen.next_packet(p)) {
    reference.incremental(p);
    if (n < 1000 || n >= 1010) gapped.incremental(p);
    if (n == 900) old_cycle = full_cycle(gen);  // taken before the loss
    if (n == 1100) {
      gapped.snapshot(old_cycle);
      EXPECT_GT(gapped.count(EobiBookCounter::kSnapshotUnusable), 0u);
      EXPECT_GT(gapped.builder->stale_instruments(), 0u);
      gapped.snapshot(full_cycle(gen));
      expect_all_live(*gapped.builder);
    }
    ++n;
  }
  EXPECT_EQ(gapped.book->state_hash(), reference.book->state_hash());
  EXPECT_EQ(gapped.book->check_invariants(), "");
}

TEST(EobiSync, BufferOverflowIsCountedAndTheInstrumentWaitsForTheNextCycle) {
  eobi::EobiSessionGenerator gen(session(30'000));
  Fed reference(true);
  Fed late(false, 16);  // tiny buffer
  std::vector<Packet> cycle;
  std::span<const std::byte> p;
  std::size_t n = 0;
  while (gen.next_packet(p)) {
    reference.incremental(p);
    if (n >= 500) late.incremental(p);
    if (n == 600) cycle = full_cycle(gen);
    if (n == 700) {  // 100 packets past the snapshot point: far more than 16 buffered messages
      late.snapshot(cycle);
      EXPECT_GT(late.count(EobiBookCounter::kBufferOverflow), 0u);
      EXPECT_GT(late.builder->stale_instruments(), 0u);
    }
    if (n == 701) {  // a fresh cycle read immediately needs no buffer
      late.snapshot(full_cycle(gen));
      expect_all_live(*late.builder);
    }
    ++n;
  }
  EXPECT_EQ(late.book->state_hash(), reference.book->state_hash());
  EXPECT_EQ(late.book->check_invariants(), "");
}

TEST(EobiSync, CutSnapshotIsCountedAndLeavesInstrumentsStale) {
  eobi::EobiSessionGenerator gen(session(20'000));
  Fed late(false);
  std::span<const std::byte> p;
  for (int i = 0; i < 300 && gen.next_packet(p); ++i) late.incremental(p);
  std::vector<Packet> cycle = gen.snapshot_cycle(0);
  ASSERT_GE(cycle.size(), 3u);
  cycle.erase(cycle.begin() + 1);  // lose one snapshot packet
  late.snapshot(cycle);
  EXPECT_GT(late.count(EobiBookCounter::kSnapshotIncomplete), 0u);
  EXPECT_GT(late.builder->stale_instruments(), 0u);
  EXPECT_EQ(late.book->check_invariants(), "");
  late.snapshot(full_cycle(gen));
  expect_all_live(*late.builder);
}

TEST(EobiSync, ABCopiesOfEveryPacketAreAppliedOnce) {
  eobi::EobiSessionGenerator gen(session(20'000));
  Fed reference(true);
  Fed ab(true);
  std::span<const std::byte> p;
  uint64_t messages = 0;
  while (gen.next_packet(p)) {
    reference.incremental(p);
    ab.incremental(p);
    ab.incremental(p);  // feed B: the same bytes
  }
  messages = gen.messages_emitted();
  EXPECT_EQ(ab.book->state_hash(), reference.book->state_hash());
  EXPECT_EQ(ab.count(EobiBookCounter::kDuplicateMessages), messages);
  EXPECT_EQ(ab.count(EobiBookCounter::kPartitionLosses), 0u);
  expect_all_live(*ab.builder);
}

TEST(EobiSync, SnapshotAheadOfTheIncrementalsSkipsWhatItAlreadyContains) {
  eobi::EobiSessionGenerator gen(session(20'000));
  Fed reference(true);
  Fed late(false);
  std::vector<Packet> delayed;
  std::span<const std::byte> p;
  std::size_t n = 0;
  while (gen.next_packet(p)) {
    reference.incremental(p);
    if (n >= 400 && n < 500) {
      delayed.emplace_back(p.begin(), p.end());  // incrementals 400..499 arrive after the snapshot
    } else if (n >= 300) {
      late.incremental(p);
    }
    if (n == 499) {
      late.snapshot(full_cycle(gen));  // reflects everything up to packet 499
      expect_all_live(*late.builder);
      for (const Packet& d : delayed) late.incremental(d);
    }
    ++n;
  }
  EXPECT_GT(late.count(EobiBookCounter::kAlreadyInSnapshot), 0u);
  EXPECT_EQ(late.book->state_hash(), reference.book->state_hash());
  EXPECT_EQ(late.book->check_invariants(), "");
}

TEST(EobiSync, NoAllocationAfterWarmUpAcrossDecodeBuilderGapAndSnapshot) {
  eobi::EobiSessionGenerator gen(session(40'000));
  std::vector<Packet> packets;
  std::vector<Packet> cycle;
  std::span<const std::byte> p;
  while (gen.next_packet(p)) {
    packets.emplace_back(p.begin(), p.end());
    if (packets.size() == 2400) cycle = full_cycle(gen);
  }
  ASSERT_GT(packets.size(), 3000u);
  Fed fed(true);
  for (std::size_t i = 0; i < 1000; ++i) fed.incremental(packets[i]);  // warm-up
  testing::AllocationScope scope;
  for (std::size_t i = 1000; i < packets.size(); ++i) {
    if (i >= 2000 && i < 2050) continue;  // gap
    fed.incremental(packets[i]);
    if (i == 2450) fed.snapshot(cycle);
  }
  EXPECT_EQ(scope.allocations(), 0u);
  EXPECT_EQ(fed.count(EobiBookCounter::kInstrumentsRecovered), 40u);
  expect_all_live(*fed.builder);
}

}  // namespace
}  // namespace numi::book
