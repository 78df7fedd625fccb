// After construction and warm-up the book never allocates, whatever the event mix.
#include <gtest/gtest.h>

#include <cstdint>

#include "numi/book/order_book.hpp"
#include "numi/testing/alloc_counter.hpp"

namespace numi::book {
namespace {

// Plain xorshift: no allocation in the generator either.
struct XorShift {
  uint64_t s = 88172645463325252ULL;
  uint64_t operator()() {
    s ^= s << 13;
    s ^= s >> 7;
    s ^= s << 17;
    return s;
  }
};

void run_events(OrderBook& book, XorShift& rng, uint64_t& next_id, uint64_t n, uint32_t instruments) {
  for (uint64_t k = 0; k < n; ++k) {
    const uint64_t r = rng();
    const uint64_t live_lo = next_id > 20'000 ? next_id - 20'000 : 1;
    const uint64_t id = live_lo + (r >> 20) % (next_id - live_lo + 1);
    const auto inst = static_cast<InstrumentIndex>((r >> 8) % instruments);
    const Price price = 100'000 + static_cast<Price>((r >> 40) % 64) * 100;
    const Side side = (r & 1) != 0 ? Side::kBid : Side::kAsk;
    ApplyStatus s{};
    switch ((r >> 4) % 8) {
      case 0:
      case 1:
      case 2:
        s = book.add(inst, next_id++, side, side == Side::kBid ? price - 10'000 : price, 100);
        break;
      case 3:
        s = book.reduce(id, 10);
        break;
      case 4:
        s = book.execute(id, 30, kNoPrice, k, Aggressor::kSell);
        break;
      case 5:
        s = book.modify(id, price, 50);
        break;
      case 6:
        s = book.replace(id, next_id++, price, 60);
        break;
      default:
        s = book.remove(id);
        break;
    }
    (void)s;
    if (k % 100'000 == 99'999) (void)book.clear_instrument(inst);
  }
}

TEST(BookAllocation, MillionMixedEventsAfterWarmUpAllocateNothing) {
  BookLimits l;
  l.max_instruments = 32;
  l.max_orders = 200'000;
  l.max_levels = 50'000;
  l.order_id_capacity = 2'000'000;
  l.hashed_order_capacity = 1024;
  auto created = OrderBook::create(l);
  ASSERT_TRUE(created.ok());
  OrderBook& book = *created.value();
  for (uint32_t i = 0; i < 32; ++i) ASSERT_TRUE(book.add_instrument(i + 1, "S", TickTable(100)).ok());
  XorShift rng;
  uint64_t next_id = 1;
  run_events(book, rng, next_id, 100'000, 32);  // warm-up
  const numi::testing::AllocationScope scope;
  run_events(book, rng, next_id, 1'000'000, 32);
  EXPECT_EQ(scope.allocations(), 0u);
  EXPECT_GT(book.counters().load(BookCounter::kAdds), 100'000u);
  EXPECT_EQ(book.check_invariants(), "");
}

}  // namespace
}  // namespace numi::book
