// The canonical state hash depends only on the logical book, never on history, handles or registration order.
#include <gtest/gtest.h>

#include "numi/book/order_book.hpp"

namespace numi::book {
namespace {

std::unique_ptr<OrderBook> make_book() {
  BookLimits l;
  l.max_instruments = 8;
  l.max_orders = 10'000;
  l.max_levels = 10'000;
  l.order_id_capacity = 100'000;
  auto b = OrderBook::create(l);
  EXPECT_TRUE(b.ok());
  return std::move(b.value());
}

InstrumentIndex reg(OrderBook& b, uint64_t venue) {
  std::string symbol = "S";
  symbol += std::to_string(venue);
  return b.add_instrument(venue, symbol, TickTable(1)).value();
}

TEST(StateHash, EqualForEqualBooksBuiltWithDifferentHistories) {
  auto a = make_book();
  const InstrumentIndex a1 = reg(*a, 101);
  const InstrumentIndex a2 = reg(*a, 202);
  ASSERT_EQ(a->add(a1, 1, Side::kBid, 100, 10), ApplyStatus::kOk);
  ASSERT_EQ(a->add(a1, 2, Side::kBid, 100, 20), ApplyStatus::kOk);
  ASSERT_EQ(a->add(a1, 3, Side::kAsk, 105, 5), ApplyStatus::kOk);
  ASSERT_EQ(a->add(a2, 4, Side::kBid, 50, 7), ApplyStatus::kOk);
  ASSERT_EQ(a->add(a2, 5, Side::kAsk, 51, 8), ApplyStatus::kOk);

  // Different registration order, an extra instrument filled then emptied, unrelated churn, other handles,
  // and the same final queues reached through modifies and replaces.
  auto b = make_book();
  const InstrumentIndex b2 = reg(*b, 202);
  const InstrumentIndex extra = reg(*b, 303);
  const InstrumentIndex b1 = reg(*b, 101);
  for (uint64_t id = 1000; id < 1100; ++id) {
    ASSERT_EQ(b->add(extra, id, Side::kAsk, static_cast<Price>(id), 1), ApplyStatus::kOk);
  }
  ASSERT_EQ(b->add(b2, 5, Side::kAsk, 51, 80), ApplyStatus::kOk);
  ASSERT_EQ(b->modify(5, 51, 8), ApplyStatus::kOk);  // keeps priority, qty 8
  ASSERT_EQ(b->add(b1, 900, Side::kBid, 99, 10), ApplyStatus::kOk);
  ASSERT_EQ(b->replace(900, 1, 100, 10), ApplyStatus::kOk);
  ASSERT_EQ(b->add(b1, 2, Side::kBid, 100, 20), ApplyStatus::kOk);
  ASSERT_EQ(b->add(b2, 4, Side::kBid, 50, 7), ApplyStatus::kOk);
  ASSERT_EQ(b->add(b1, 3, Side::kAsk, 106, 5), ApplyStatus::kOk);
  ASSERT_EQ(b->modify(3, 105, 5), ApplyStatus::kOk);
  ASSERT_EQ(b->clear_instrument(extra), ApplyStatus::kOk);
  EXPECT_EQ(a->state_hash(), b->state_hash());
  EXPECT_EQ(a->check_invariants(), "");
  EXPECT_EQ(b->check_invariants(), "");

  // One quantity differs -> the hash differs.
  ASSERT_EQ(b->reduce(2, 1), ApplyStatus::kOk);
  EXPECT_NE(a->state_hash(), b->state_hash());
}

TEST(StateHash, QueueOrderIsPartOfTheHash) {
  auto a = make_book();
  auto b = make_book();
  const InstrumentIndex ia = reg(*a, 1);
  const InstrumentIndex ib = reg(*b, 1);
  ASSERT_EQ(a->add(ia, 1, Side::kBid, 100, 10), ApplyStatus::kOk);
  ASSERT_EQ(a->add(ia, 2, Side::kBid, 100, 10), ApplyStatus::kOk);
  ASSERT_EQ(b->add(ib, 2, Side::kBid, 100, 10), ApplyStatus::kOk);
  ASSERT_EQ(b->add(ib, 1, Side::kBid, 100, 10), ApplyStatus::kOk);
  EXPECT_NE(a->state_hash(), b->state_hash());
}

TEST(StateHash, SideIsPartOfTheHash) {
  auto a = make_book();
  auto b = make_book();
  const InstrumentIndex ia = reg(*a, 1);
  const InstrumentIndex ib = reg(*b, 1);
  ASSERT_EQ(a->add(ia, 1, Side::kBid, 100, 10), ApplyStatus::kOk);
  ASSERT_EQ(b->add(ib, 1, Side::kAsk, 100, 10), ApplyStatus::kOk);
  EXPECT_NE(a->state_hash(), b->state_hash());
}

TEST(StateHash, EmptyBooksHashAlikeWhateverTheirInstruments) {
  auto a = make_book();
  auto b = make_book();
  const InstrumentIndex i = reg(*b, 5);
  ASSERT_EQ(b->add(i, 1, Side::kBid, 100, 10), ApplyStatus::kOk);
  ASSERT_EQ(b->remove(1), ApplyStatus::kOk);
  EXPECT_EQ(a->state_hash(), b->state_hash());
}

}  // namespace
}  // namespace numi::book
