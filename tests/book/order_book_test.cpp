// Behaviour of numi::book::OrderBook: events, priority rules, level management, errors and counters, queries.
#include "numi/book/order_book.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <limits>
#include <numeric>
#include <random>
#include <vector>

namespace numi::book {
namespace {

std::unique_ptr<OrderBook> make_book(BookLimits limits = {}) {
  auto b = OrderBook::create(limits);
  EXPECT_TRUE(b.ok()) << (b.ok() ? "" : b.error().message);
  return std::move(b.value());
}

BookLimits small_limits() {
  BookLimits l;
  l.max_instruments = 16;
  l.max_orders = 100'000;
  l.max_levels = 50'000;
  l.order_id_capacity = 1'000'000;
  l.hashed_order_capacity = 1024;
  return l;
}

class OrderBookTest : public ::testing::Test {
 protected:
  void SetUp() override {
    book_ = make_book(small_limits());
    auto r = book_->add_instrument(7, "AAPL", TickTable(100));
    ASSERT_TRUE(r.ok());
    inst_ = r.value();
  }
  uint64_t count(BookCounter c) const { return book_->counters().load(c); }
  void expect_ok() const { EXPECT_EQ(book_->check_invariants(), ""); }

  std::unique_ptr<OrderBook> book_;
  InstrumentIndex inst_ = 0;
};

TEST_F(OrderBookTest, AddBuildsBboAndDepthBestFirst) {
  EXPECT_EQ(book_->add(inst_, 1, Side::kBid, 10'000, 100), ApplyStatus::kOk);
  EXPECT_EQ(book_->add(inst_, 2, Side::kBid, 10'100, 50), ApplyStatus::kOk);
  EXPECT_EQ(book_->add(inst_, 3, Side::kBid, 10'100, 25), ApplyStatus::kOk);
  EXPECT_EQ(book_->add(inst_, 4, Side::kAsk, 10'300, 10), ApplyStatus::kOk);
  EXPECT_EQ(book_->add(inst_, 5, Side::kAsk, 10'200, 20), ApplyStatus::kOk);
  const Bbo b = book_->bbo(inst_);
  EXPECT_EQ(b, (Bbo{10'100, 75, 2, 10'200, 20, 1, true, true}));
  std::vector<LevelView> out(10);
  ASSERT_EQ(book_->depth(inst_, Side::kBid, out), 2u);
  EXPECT_EQ(out[0], (LevelView{10'100, 75, 2}));
  EXPECT_EQ(out[1], (LevelView{10'000, 100, 1}));
  ASSERT_EQ(book_->depth(inst_, Side::kAsk, out), 2u);
  EXPECT_EQ(out[0], (LevelView{10'200, 20, 1}));
  EXPECT_EQ(out[1], (LevelView{10'300, 10, 1}));
  const auto o = book_->find(3);
  ASSERT_TRUE(o.has_value());
  EXPECT_EQ(o->instrument, inst_);
  EXPECT_EQ(o->side, Side::kBid);
  EXPECT_EQ(o->price, 10'100);
  EXPECT_EQ(o->qty, 25);
  EXPECT_EQ(book_->queue_position(3), (QueuePosition{1, 50}));
  EXPECT_EQ(book_->queue_position(2), (QueuePosition{0, 0}));
  EXPECT_EQ(count(BookCounter::kAdds), 5u);
  expect_ok();
}

TEST_F(OrderBookTest, QtyDownModifyKeepsQueuePosition) {
  for (uint64_t id = 1; id <= 3; ++id)
    ASSERT_EQ(book_->add(inst_, id, Side::kBid, 10'000, 100), ApplyStatus::kOk);
  EXPECT_EQ(book_->modify(1, 10'000, 40), ApplyStatus::kOk);
  EXPECT_EQ(book_->queue_position(1), (QueuePosition{0, 0}));
  EXPECT_EQ(book_->queue_position(2), (QueuePosition{1, 40}));
  EXPECT_EQ(book_->modify(2, 10'000, 100), ApplyStatus::kOk);  // equal qty also keeps it
  EXPECT_EQ(book_->queue_position(2), (QueuePosition{1, 40}));
  EXPECT_EQ(book_->bbo(inst_).bid_qty, 240);
  EXPECT_EQ(count(BookCounter::kModifiesKeptPriority), 2u);
  expect_ok();
}

TEST_F(OrderBookTest, QtyUpModifyMovesToBackOfQueue) {
  for (uint64_t id = 1; id <= 3; ++id)
    ASSERT_EQ(book_->add(inst_, id, Side::kAsk, 10'000, 100), ApplyStatus::kOk);
  EXPECT_EQ(book_->modify(1, 10'000, 101), ApplyStatus::kOk);
  EXPECT_EQ(book_->queue_position(1), (QueuePosition{2, 200}));
  EXPECT_EQ(book_->queue_position(2), (QueuePosition{0, 0}));
  EXPECT_EQ(book_->bbo(inst_).ask_qty, 301);
  expect_ok();
}

TEST_F(OrderBookTest, PriceChangeModifyMovesToBackOfNewLevel) {
  ASSERT_EQ(book_->add(inst_, 1, Side::kBid, 10'000, 10), ApplyStatus::kOk);
  ASSERT_EQ(book_->add(inst_, 2, Side::kBid, 9'900, 20), ApplyStatus::kOk);
  ASSERT_EQ(book_->add(inst_, 3, Side::kBid, 9'900, 30), ApplyStatus::kOk);
  EXPECT_EQ(book_->modify(1, 9'900, 5), ApplyStatus::kOk);  // qty down but new price: priority lost
  EXPECT_EQ(book_->queue_position(1), (QueuePosition{2, 50}));
  EXPECT_EQ(book_->bbo(inst_), (Bbo{9'900, 55, 3, 0, 0, 0, true, false}));
  // Back again to a fresh level.
  EXPECT_EQ(book_->modify(2, 10'100, 20), ApplyStatus::kOk);
  EXPECT_EQ(book_->bbo(inst_).bid_price, 10'100);
  EXPECT_EQ(book_->queue_position(3), (QueuePosition{0, 0}));
  expect_ok();
}

TEST_F(OrderBookTest, ReplaceGivesNewIdAtBackAndForgetsOldId) {
  ASSERT_EQ(book_->add(inst_, 1, Side::kAsk, 10'000, 10), ApplyStatus::kOk);
  ASSERT_EQ(book_->add(inst_, 2, Side::kAsk, 10'000, 20), ApplyStatus::kOk);
  EXPECT_EQ(book_->replace(1, 50, 10'000, 7), ApplyStatus::kOk);
  EXPECT_FALSE(book_->find(1).has_value());
  ASSERT_TRUE(book_->find(50).has_value());
  EXPECT_EQ(book_->find(50)->side, Side::kAsk);
  EXPECT_EQ(book_->queue_position(50), (QueuePosition{1, 20}));
  EXPECT_EQ(book_->replace(2, 50, 10'000, 7), ApplyStatus::kDuplicateOrderId);
  EXPECT_EQ(book_->replace(1, 51, 10'000, 7), ApplyStatus::kUnknownOrder);
  EXPECT_EQ(count(BookCounter::kReplaces), 1u);
  EXPECT_EQ(count(BookCounter::kDuplicateOrderId), 1u);
  expect_ok();
}

TEST_F(OrderBookTest, ExecuteReducesOnceAndRecordsTrade) {
  ASSERT_EQ(book_->add(inst_, 1, Side::kAsk, 10'000, 100), ApplyStatus::kOk);
  EXPECT_EQ(book_->execute(1, 30, kNoPrice, 77, Aggressor::kBuy), ApplyStatus::kOk);
  EXPECT_EQ(book_->find(1)->qty, 70);
  EXPECT_EQ(book_->bbo(inst_).ask_qty, 70);
  EXPECT_EQ(book_->execute(1, 70, 10'000, 78, Aggressor::kBuy), ApplyStatus::kOk);
  EXPECT_FALSE(book_->find(1).has_value());
  EXPECT_FALSE(book_->bbo(inst_).has_ask);
  EXPECT_EQ(book_->execute(1, 1), ApplyStatus::kUnknownOrder);  // not twice
  const InstrumentInfo info = book_->instrument(inst_);
  EXPECT_EQ(info.last_price, 10'000);
  EXPECT_EQ(info.last_qty, 70);
  EXPECT_EQ(info.last_match_id, 78u);
  EXPECT_EQ(info.last_aggressor, Aggressor::kBuy);
  EXPECT_EQ(info.volume, 100u);
  EXPECT_EQ(info.trade_count, 2u);
  EXPECT_EQ(count(BookCounter::kExecutions), 2u);
  EXPECT_EQ(book_->record_trade(inst_, 10'100, 5, 79), ApplyStatus::kOk);
  EXPECT_EQ(book_->instrument(inst_).trade_count, 3u);
  expect_ok();
}

TEST_F(OrderBookTest, ReduceBeyondOpenQtyRemovesOrderAndCountsIt) {
  ASSERT_EQ(book_->add(inst_, 1, Side::kBid, 10'000, 10), ApplyStatus::kOk);
  EXPECT_EQ(book_->reduce(1, 4), ApplyStatus::kOk);
  EXPECT_EQ(book_->find(1)->qty, 6);
  EXPECT_EQ(book_->reduce(1, 9), ApplyStatus::kOk);
  EXPECT_FALSE(book_->find(1).has_value());
  EXPECT_EQ(count(BookCounter::kOverReduce), 1u);
  EXPECT_EQ(count(BookCounter::kReduces), 2u);
  expect_ok();
}

TEST_F(OrderBookTest, RejectsAndCountsEachErrorClass) {
  ASSERT_EQ(book_->add(inst_, 1, Side::kBid, 10'000, 10), ApplyStatus::kOk);
  EXPECT_EQ(book_->add(inst_, 1, Side::kBid, 10'000, 10), ApplyStatus::kDuplicateOrderId);
  EXPECT_EQ(book_->add(99, 2, Side::kBid, 10'000, 10), ApplyStatus::kUnknownInstrument);
  EXPECT_EQ(book_->add(inst_, 2, Side::kBid, 10'000, 0), ApplyStatus::kBadQuantity);
  EXPECT_EQ(book_->add(inst_, 2, Side::kBid, 10'000, -5), ApplyStatus::kBadQuantity);
  EXPECT_EQ(book_->add(inst_, 2, Side::kBid, 10'050, 10), ApplyStatus::kOffTickPrice);
  EXPECT_EQ(book_->add(inst_, 2, Side::kBid, 0, 10), ApplyStatus::kBadPrice);
  EXPECT_EQ(book_->reduce(42, 1), ApplyStatus::kUnknownOrder);
  EXPECT_EQ(book_->remove(42), ApplyStatus::kUnknownOrder);
  EXPECT_EQ(book_->modify(1, 10'001, 1), ApplyStatus::kOffTickPrice);
  EXPECT_EQ(book_->modify(1, 10'000, 0), ApplyStatus::kBadQuantity);
  EXPECT_EQ(book_->clear_instrument(99), ApplyStatus::kUnknownInstrument);
  EXPECT_EQ(count(BookCounter::kDuplicateOrderId), 1u);
  EXPECT_EQ(count(BookCounter::kUnknownInstrument), 2u);
  EXPECT_EQ(count(BookCounter::kBadQuantity), 3u);
  EXPECT_EQ(count(BookCounter::kOffTickPrice), 2u);
  EXPECT_EQ(count(BookCounter::kBadPrice), 1u);
  EXPECT_EQ(count(BookCounter::kUnknownOrder), 2u);
  EXPECT_EQ(book_->find(1)->qty, 10);  // rejected events changed nothing
  expect_ok();
}

// Venue quantities are int64 on the wire: two orders can sum past INT64_MAX at one level (the eobi_book
// fuzzer found it). Every way into a level's total checks it first and leaves the book unchanged.
TEST_F(OrderBookTest, QuantitiesALevelsTotalCannotHoldAreRejectedAndChangeNothing) {
  constexpr Qty kBig = std::numeric_limits<Qty>::max() / 2 + 1;  // two of them overflow
  ASSERT_EQ(book_->add(inst_, 1, Side::kBid, 10'000, kBig), ApplyStatus::kOk);
  EXPECT_EQ(book_->add(inst_, 2, Side::kBid, 10'000, kBig), ApplyStatus::kBadQuantity);
  ASSERT_EQ(book_->add(inst_, 3, Side::kBid, 9'900, kBig), ApplyStatus::kOk);
  EXPECT_EQ(book_->modify(3, 10'000, kBig), ApplyStatus::kBadQuantity);  // into a level that cannot hold it
  ASSERT_EQ(book_->add(inst_, 4, Side::kBid, 10'000, 10), ApplyStatus::kOk);
  EXPECT_EQ(book_->modify(4, 10'000, kBig), ApplyStatus::kBadQuantity);  // a raise at its own level
  EXPECT_EQ(book_->replace(4, 5, 10'000, kBig), ApplyStatus::kBadQuantity);
  EXPECT_EQ(count(BookCounter::kBadQuantity), 4u);
  EXPECT_FALSE(book_->find(2).has_value());
  EXPECT_EQ(book_->find(3)->price, 9'900);
  EXPECT_EQ(book_->find(4)->qty, 10);
  const Bbo b = book_->bbo(inst_);
  EXPECT_EQ(b.bid_qty, kBig + 10);
  EXPECT_EQ(b.bid_count, 2u);
  ASSERT_EQ(book_->modify(4, 10'000, kBig - 1), ApplyStatus::kOk);  // exactly INT64_MAX fits
  EXPECT_EQ(book_->bbo(inst_).bid_qty, std::numeric_limits<Qty>::max());
  expect_ok();
}

TEST(OrderBookLimits, FullTablesAndOutOfRangeIdsAreRejectedAndCounted) {
  BookLimits l;
  l.max_instruments = 2;
  l.max_orders = 3;
  l.max_levels = 2;
  l.order_id_capacity = 100;
  l.hashed_order_capacity = 0;
  auto book = make_book(l);
  const InstrumentIndex i = book->add_instrument(1, "X", TickTable(1)).value();
  EXPECT_EQ(book->add(i, 500, Side::kBid, 10, 1), ApplyStatus::kOrderIdOutOfRange);
  EXPECT_EQ(book->add(i, 1, Side::kBid, 10, 1), ApplyStatus::kOk);
  EXPECT_EQ(book->add(i, 2, Side::kBid, 11, 1), ApplyStatus::kOk);
  EXPECT_EQ(book->add(i, 3, Side::kBid, 12, 1), ApplyStatus::kLevelTableFull);
  EXPECT_EQ(book->modify(1, 12, 1), ApplyStatus::kLevelTableFull);
  EXPECT_EQ(book->find(1)->price, 10);  // the rejected modify left the order alone
  EXPECT_EQ(book->add(i, 3, Side::kBid, 11, 1), ApplyStatus::kOk);
  EXPECT_EQ(book->add(i, 4, Side::kBid, 11, 1), ApplyStatus::kOrderTableFull);
  EXPECT_EQ(book->counters().load(BookCounter::kOrderIdOutOfRange), 1u);
  EXPECT_EQ(book->counters().load(BookCounter::kLevelTableFull), 2u);
  EXPECT_EQ(book->counters().load(BookCounter::kOrderTableFull), 1u);
  EXPECT_EQ(book->check_invariants(), "");
}

TEST(OrderBookLimits, CreateRejectsUnusableLimitsNamingThem) {
  BookLimits l;
  l.max_orders = 0;
  auto b = OrderBook::create(l);
  ASSERT_FALSE(b.ok());
  EXPECT_NE(b.error().message.find("max_orders"), std::string::npos);
}

TEST_F(OrderBookTest, IdsOutsideDenseRangeUseHashedIndex) {
  const uint64_t big = uint64_t{1} << 50;
  EXPECT_EQ(book_->add(inst_, big, Side::kBid, 10'000, 10), ApplyStatus::kOk);
  EXPECT_EQ(book_->add(inst_, big, Side::kBid, 10'000, 10), ApplyStatus::kDuplicateOrderId);
  EXPECT_EQ(book_->replace(big, big + 1, 10'100, 3), ApplyStatus::kOk);
  EXPECT_FALSE(book_->find(big).has_value());
  EXPECT_EQ(book_->find(big + 1)->price, 10'100);
  EXPECT_EQ(book_->replace(big + 1, 5, 10'100, 3), ApplyStatus::kOk);  // hashed -> dense
  EXPECT_EQ(book_->find(5)->qty, 3);
  expect_ok();
  EXPECT_EQ(book_->remove(5), ApplyStatus::kOk);
  expect_ok();
}

TEST_F(OrderBookTest, CrossedBookIsCountedNotRejected) {
  ASSERT_EQ(book_->add(inst_, 1, Side::kAsk, 10'000, 10), ApplyStatus::kOk);
  EXPECT_EQ(count(BookCounter::kCrossed), 0u);
  EXPECT_EQ(book_->add(inst_, 2, Side::kBid, 10'000, 10), ApplyStatus::kOk);
  EXPECT_EQ(count(BookCounter::kCrossed), 1u);
  EXPECT_TRUE(book_->bbo(inst_).has_bid);
  expect_ok();
}

TEST_F(OrderBookTest, NextLevelAfterBestEmptiesWithThousandsOfLevels) {
  constexpr int kLevels = 5000;
  for (int k = 0; k < kLevels; ++k) {
    ASSERT_EQ(book_->add(inst_, static_cast<uint64_t>(k + 1), Side::kBid, 100'000 + k * 100, 1),
              ApplyStatus::kOk);
    ASSERT_EQ(book_->add(inst_, static_cast<uint64_t>(k + 1 + kLevels), Side::kAsk, 700'000 + k * 100, 1),
              ApplyStatus::kOk);
  }
  expect_ok();
  for (int k = kLevels - 1; k > 0; --k) {
    ASSERT_EQ(book_->remove(static_cast<uint64_t>(k + 1)), ApplyStatus::kOk);  // best bid empties
    ASSERT_EQ(book_->bbo(inst_).bid_price, 100'000 + (k - 1) * 100);
  }
  for (int k = 0; k < kLevels - 1; ++k) {
    ASSERT_EQ(book_->execute(static_cast<uint64_t>(k + 1 + kLevels), 1),
              ApplyStatus::kOk);  // best ask empties
    ASSERT_EQ(book_->bbo(inst_).ask_price, 700'000 + (k + 1) * 100);
  }
  EXPECT_EQ(book_->instrument(inst_).bid_levels, 1u);
  EXPECT_EQ(book_->instrument(inst_).ask_levels, 1u);
  expect_ok();
}

// The original book created a second level for one price after its price window moved; here one price is one
// level whatever the history.
TEST_F(OrderBookTest, OnePriceIsOneLevelAfterManyAddDeleteCyclesAcrossAWideRange) {
  std::mt19937_64 rng(7);
  std::vector<uint64_t> live;
  uint64_t next = 1;
  for (int cycle = 0; cycle < 200; ++cycle) {
    // Jump the activity window around a wide range (10^9 price units), then come back to the same prices.
    const Price centre = (cycle % 2 == 0 ? 100'000 : 1'000'000'000) + (cycle % 7) * 10'000;
    for (int k = 0; k < 50; ++k) {
      const Price p = centre + static_cast<Price>(rng() % 40) * 100;
      ASSERT_EQ(book_->add(inst_, next, Side::kBid, p, 1), ApplyStatus::kOk);
      live.push_back(next++);
    }
    std::shuffle(live.begin(), live.end(), rng);
    while (live.size() > 300) {
      ASSERT_EQ(book_->remove(live.back()), ApplyStatus::kOk);
      live.pop_back();
    }
    ASSERT_EQ(book_->check_instrument(inst_), "");
  }
  // Depth has exactly one level per distinct price, with the right counts.
  std::map<Price, uint32_t> want;
  for (uint64_t id : live) ++want[book_->find(id)->price];
  std::vector<LevelView> out(100'000);
  const std::size_t n = book_->depth(inst_, Side::kBid, out);
  ASSERT_EQ(n, want.size());
  auto it = want.rbegin();
  for (std::size_t k = 0; k < n; ++k, ++it) {
    EXPECT_EQ(out[k].price, it->first);
    EXPECT_EQ(out[k].count, it->second);
  }
  expect_ok();
}

// The price find scans the last eight levels of a side from the touch, then binary searches deeper: every
// price must be found, or placed, at every depth of both sides (either side of the scan's boundary).
TEST_F(OrderBookTest, EveryPriceIsFoundOrPlacedAtEveryDepthOfASide) {
  uint64_t next = 1;
  for (const Side side : {Side::kBid, Side::kAsk}) {
    for (uint32_t levels = 0; levels <= 40; ++levels) {
      ASSERT_EQ(book_->clear_instrument(inst_), ApplyStatus::kOk);
      for (uint32_t k = 0; k < levels; ++k) {  // prices 1000, 1200, 1400, ... (every other tick)
        ASSERT_EQ(book_->add(inst_, next++, side, 1'000 + 200 * static_cast<Price>(k), 1), ApplyStatus::kOk);
      }
      for (uint32_t k = 0; k <= levels; ++k) {
        const Price on_level = 1'000 + 200 * static_cast<Price>(k);
        // An existing level is joined (no new level); one past the deepest/best is created.
        const uint32_t after_join = k < levels ? levels : levels + 1;
        const uint64_t joined = next++;
        ASSERT_EQ(book_->add(inst_, joined, side, on_level, 1), ApplyStatus::kOk);
        EXPECT_EQ(book_->live_levels(), after_join) << levels << " levels, k " << k;
        const uint64_t between = next++;
        ASSERT_EQ(book_->add(inst_, between, side, on_level - 100, 1), ApplyStatus::kOk);  // a new level
        EXPECT_EQ(book_->live_levels(), after_join + 1) << levels << " levels, k " << k;
        ASSERT_EQ(book_->check_instrument(inst_), "") << levels << " levels, k " << k;
        ASSERT_EQ(book_->remove(between), ApplyStatus::kOk);
        ASSERT_EQ(book_->remove(joined), ApplyStatus::kOk);
        ASSERT_EQ(book_->live_levels(), levels);
      }
    }
  }
  expect_ok();
}

TEST_F(OrderBookTest, HandleLevelApiWorksWithoutTheKeyedIndex) {
  const AddResult a = book_->add_order(inst_, 900, Side::kBid, 10'000, 10);
  ASSERT_EQ(a.status, ApplyStatus::kOk);
  const AddResult b = book_->add_order(inst_, 900, Side::kBid, 10'000, 20);  // ids are the adapter's business
  ASSERT_EQ(b.status, ApplyStatus::kOk);
  EXPECT_EQ(book_->lookup(900), kNoHandle);
  EXPECT_EQ(book_->order(a.handle)->qty, 10);
  EXPECT_EQ(book_->reduce_order(a.handle, 3), ApplyStatus::kOk);
  EXPECT_EQ(book_->modify_order(a.handle, 10'100, 7), ApplyStatus::kOk);
  EXPECT_EQ(book_->bbo(inst_).bid_price, 10'100);
  EXPECT_EQ(book_->replace_order(b.handle, 901, 10'100, 5), ApplyStatus::kOk);
  EXPECT_EQ(book_->order(b.handle)->order_id, 901u);
  EXPECT_EQ(book_->queue_position_of(b.handle), (QueuePosition{1, 7}));
  EXPECT_EQ(book_->execute_order(b.handle, 5, kNoPrice, 1, Aggressor::kSell), ApplyStatus::kOk);
  EXPECT_FALSE(book_->order(b.handle).has_value());
  EXPECT_EQ(book_->remove_order(a.handle), ApplyStatus::kOk);
  EXPECT_EQ(book_->remove_order(a.handle), ApplyStatus::kUnknownOrder);
  EXPECT_EQ(book_->reduce_order(kNoHandle, 1), ApplyStatus::kUnknownOrder);
  expect_ok();
}

TEST_F(OrderBookTest, ClearInstrumentRemovesOnlyThatInstrumentsOrders) {
  const InstrumentIndex other = book_->add_instrument(8, "MSFT", TickTable(1)).value();
  for (uint64_t id = 1; id <= 100; ++id) {
    ASSERT_EQ(book_->add(id % 2 ? inst_ : other, id, id % 3 ? Side::kBid : Side::kAsk,
                         static_cast<Price>(10'000 + (id % 10) * 100 + (id % 3 ? 0 : 5'000)), 1),
              ApplyStatus::kOk);
  }
  EXPECT_EQ(book_->clear_instrument(inst_), ApplyStatus::kOk);
  EXPECT_EQ(book_->instrument(inst_).order_count, 0u);
  EXPECT_FALSE(book_->bbo(inst_).has_bid);
  EXPECT_FALSE(book_->find(1).has_value());
  EXPECT_TRUE(book_->find(2).has_value());
  EXPECT_EQ(book_->live_orders(), 50u);
  EXPECT_EQ(book_->add(inst_, 1, Side::kBid, 10'000, 1), ApplyStatus::kOk);  // ids are free again
  expect_ok();
  book_->clear_all();
  EXPECT_EQ(book_->live_orders(), 0u);
  EXPECT_EQ(book_->live_levels(), 0u);
  expect_ok();
}

TEST_F(OrderBookTest, InstrumentRegistryAndState) {
  EXPECT_EQ(book_->find_instrument(7), inst_);
  EXPECT_FALSE(book_->find_instrument(8).has_value());
  EXPECT_EQ(book_->instrument(inst_).symbol, "AAPL");
  const auto dup = book_->add_instrument(7, "AAPL2", TickTable(1));
  ASSERT_FALSE(dup.ok());
  EXPECT_NE(dup.error().message.find("twice"), std::string::npos);
  EXPECT_FALSE(book_->add_instrument(9, "BAD", TickTable(0)).ok());
  EXPECT_EQ(book_->set_state(inst_, InstrumentState::kHalted), ApplyStatus::kOk);
  EXPECT_EQ(book_->instrument(inst_).state, InstrumentState::kHalted);
  EXPECT_EQ(book_->set_state(55, InstrumentState::kTrading), ApplyStatus::kUnknownInstrument);
}

TEST(TickTableTest, LadderChecksTheTickInForceAtThePrice) {
  TickTable t(1);
  ASSERT_TRUE(t.add_band(10'000, 100));
  EXPECT_FALSE(t.add_band(5'000, 10));  // out of order
  EXPECT_EQ(t.check(9'999), ApplyStatus::kOk);
  EXPECT_EQ(t.check(10'000), ApplyStatus::kOk);
  EXPECT_EQ(t.check(10'001), ApplyStatus::kOffTickPrice);
  EXPECT_EQ(t.check(0), ApplyStatus::kBadPrice);
  EXPECT_EQ(t.tick_at(20'000), 100);
  TickTable neg(5, -1000, 1000);  // e.g. spreads may trade below zero
  EXPECT_EQ(neg.check(-995), ApplyStatus::kOk);
  EXPECT_EQ(neg.check(-993), ApplyStatus::kOffTickPrice);
  EXPECT_EQ(neg.check(1005), ApplyStatus::kBadPrice);
}

TEST_F(OrderBookTest, SideArraysGrowAndShrinkThroughTheArena) {
  for (int round = 0; round < 3; ++round) {
    for (int k = 0; k < 3000; ++k) {
      ASSERT_EQ(book_->add(inst_, static_cast<uint64_t>(k + 1), Side::kAsk, 100'000 + k * 100, 1),
                ApplyStatus::kOk);
    }
    ASSERT_EQ(book_->check_invariants(), "");
    for (int k = 0; k < 3000; ++k) ASSERT_EQ(book_->remove(static_cast<uint64_t>(k + 1)), ApplyStatus::kOk);
    ASSERT_EQ(book_->check_invariants(), "");
  }
  EXPECT_EQ(book_->live_levels(), 0u);
}

TEST_F(OrderBookTest, PrefetchIsHarmlessForAnyId) {
  book_->prefetch(1);
  book_->prefetch(uint64_t{1} << 60);
  book_->prefetch_order(kNoHandle);
  EXPECT_EQ(book_->live_orders(), 0u);
}

// ---- Located books (orders named by instrument, side, price and id) ----

class LocatedBookTest : public ::testing::Test {
 protected:
  void SetUp() override {
    BookLimits l = small_limits();
    l.identity = OrderIdentity::kLocated;
    book_ = make_book(l);
    auto r = book_->add_instrument(7, "FDAX", TickTable(100));
    ASSERT_TRUE(r.ok());
    inst_ = r.value();
  }
  OrderAt at(Side side, Price price, uint64_t id) const { return OrderAt{inst_, side, price, id}; }
  void expect_ok() const { EXPECT_EQ(book_->check_invariants(), ""); }

  std::unique_ptr<OrderBook> book_;
  InstrumentIndex inst_ = 0;
};

TEST_F(LocatedBookTest, FindsOrdersAtTheirPriceWithoutAnIdIndex) {
  ASSERT_TRUE(book_->located());
  ASSERT_EQ(book_->add_at(inst_, 900, Side::kBid, 10'000, 10), ApplyStatus::kOk);
  ASSERT_EQ(book_->add_at(inst_, 900, Side::kAsk, 10'200, 20), ApplyStatus::kOk);  // unique per side only
  EXPECT_EQ(book_->add_at(inst_, 900, Side::kBid, 10'000, 5), ApplyStatus::kDuplicateOrderId);
  ASSERT_EQ(book_->add_at(inst_, 901, Side::kBid, 10'000, 20), ApplyStatus::kOk);
  const OrderAt a = at(Side::kBid, 10'000, 900);
  EXPECT_EQ(book_->find_at(a)->qty, 10);
  EXPECT_FALSE(book_->find_at(at(Side::kBid, 10'100, 900)).has_value());  // not at that price
  EXPECT_EQ(book_->reduce_at(at(Side::kBid, 10'100, 900), 1), ApplyStatus::kUnknownOrder);
  // Message prices reach the lookup unvalidated: any int64 names no level (found by the eobi_book fuzzer).
  EXPECT_EQ(book_->remove_at(at(Side::kAsk, std::numeric_limits<Price>::min(), 900)),
            ApplyStatus::kUnknownOrder);
  EXPECT_EQ(book_->remove_at(at(Side::kBid, std::numeric_limits<Price>::max(), 900)),
            ApplyStatus::kUnknownOrder);
  EXPECT_EQ(book_->reduce_at(a, 3), ApplyStatus::kOk);
  EXPECT_EQ(book_->modify_at(a, 10'100, 7), ApplyStatus::kOk);
  EXPECT_EQ(book_->bbo(inst_).bid_price, 10'100);
  const OrderAt moved = at(Side::kBid, 10'100, 900);
  ASSERT_EQ(book_->add_at(inst_, 902, Side::kBid, 10'100, 4), ApplyStatus::kOk);
  // 901 (alone at 10'000) becomes 903 at 10'100: back of the queue, behind 900 and 902.
  EXPECT_EQ(book_->replace_at(at(Side::kBid, 10'000, 901), 903, 10'100, 5), ApplyStatus::kOk);
  EXPECT_EQ(book_->instrument(inst_).bid_levels, 1u);
  EXPECT_EQ(book_->queue_position_at(at(Side::kBid, 10'100, 903)), (QueuePosition{2, 11}));
  EXPECT_EQ(book_->replace_at(at(Side::kBid, 10'100, 903), 902, 10'100, 5), ApplyStatus::kDuplicateOrderId);
  EXPECT_EQ(book_->execute_at(at(Side::kBid, 10'100, 903), 5, kNoPrice, 1, Aggressor::kSell),
            ApplyStatus::kOk);
  EXPECT_FALSE(book_->find_at(at(Side::kBid, 10'100, 903)).has_value());
  EXPECT_EQ(book_->instrument(inst_).last_price, 10'100);
  EXPECT_EQ(book_->remove_at(moved), ApplyStatus::kOk);
  EXPECT_EQ(book_->remove_at(moved), ApplyStatus::kUnknownOrder);
  EXPECT_EQ(book_->live_orders(), 2u);  // 902 bid, 900 ask
  expect_ok();
}

TEST_F(LocatedBookTest, KeyedAndHandleCallsAreRejectedAndTheOtherWayRound) {
  EXPECT_EQ(book_->add(inst_, 1, Side::kBid, 10'000, 10), ApplyStatus::kOrderIdOutOfRange);
  EXPECT_EQ(book_->add_order(inst_, 1, Side::kBid, 10'000, 10).status, ApplyStatus::kOrderTableFull);
  ASSERT_EQ(book_->add_at(inst_, 1, Side::kBid, 10'000, 10), ApplyStatus::kOk);
  EXPECT_EQ(book_->remove(1), ApplyStatus::kUnknownOrder);
  EXPECT_FALSE(book_->find(1).has_value());
  EXPECT_EQ(book_->remove_order(0), ApplyStatus::kUnknownOrder);
  auto keyed = make_book(small_limits());
  const InstrumentIndex k = keyed->add_instrument(7, "AAPL", TickTable(100)).value();
  EXPECT_FALSE(keyed->located());
  EXPECT_EQ(keyed->add_at(k, 1, Side::kBid, 10'000, 10), ApplyStatus::kUnknownOrder);
  ASSERT_EQ(keyed->add(k, 1, Side::kBid, 10'000, 10), ApplyStatus::kOk);
  EXPECT_EQ(keyed->remove_at({k, Side::kBid, 10'000, 1}), ApplyStatus::kUnknownOrder);
  EXPECT_FALSE(keyed->find_at({k, Side::kBid, 10'000, 1}).has_value());
  EXPECT_EQ(book_->live_orders(), 1u);
  EXPECT_EQ(keyed->live_orders(), 1u);
}

TEST_F(LocatedBookTest, OutOfOrderIdsAreStillFoundByAScan) {
  // Ids normally rise along a queue (binary search); a quantity increase sends an order to the back with its
  // old id, and from then on the level is searched by a scan.
  for (uint64_t id = 1; id <= 40; ++id) {
    ASSERT_EQ(book_->add_at(inst_, id, Side::kAsk, 20'000, 10), ApplyStatus::kOk);
  }
  ASSERT_EQ(book_->modify_at(at(Side::kAsk, 20'000, 5), 20'000, 11), ApplyStatus::kOk);
  ASSERT_EQ(book_->modify_at(at(Side::kAsk, 20'000, 1), 20'000, 12), ApplyStatus::kOk);
  EXPECT_EQ(book_->add_at(inst_, 5, Side::kAsk, 20'000, 1), ApplyStatus::kDuplicateOrderId);
  EXPECT_EQ(book_->queue_position_at(at(Side::kAsk, 20'000, 5)), (QueuePosition{38, 380}));
  EXPECT_EQ(book_->queue_position_at(at(Side::kAsk, 20'000, 1)), (QueuePosition{39, 391}));
  for (uint64_t id = 40; id >= 1; --id) {
    ASSERT_TRUE(book_->find_at(at(Side::kAsk, 20'000, id)).has_value()) << id;
    ASSERT_EQ(book_->remove_at(at(Side::kAsk, 20'000, id)), ApplyStatus::kOk) << id;
    ASSERT_EQ(book_->check_invariants(), "") << id;
  }
  EXPECT_EQ(book_->live_levels(), 0u);
  EXPECT_EQ(book_->ring_entries_in_use(), 0u);
}

TEST_F(LocatedBookTest, LongQueuesFindEveryIdThroughTombstonesAndUnevenSpacing) {
  // A long sorted queue is binary-searched on its ids, tombstones included: ids spread unevenly (a few early
  // orders far apart, a dense burst, a few late ones far apart) are all found, absent ids between them are
  // not, through cancels in a scattered order.
  std::vector<uint64_t> ids;
  for (uint64_t k = 0; k < 6; ++k) ids.push_back(1'000 + k * 1'000'000);        // sparse early orders
  for (uint64_t k = 0; k < 60; ++k) ids.push_back(10'000'000 + k);              // a dense burst
  for (uint64_t k = 1; k <= 6; ++k) ids.push_back(10'000'000 + k * 1'000'000);  // sparse late orders
  for (const uint64_t id : ids) ASSERT_EQ(book_->add_at(inst_, id, Side::kBid, 10'000, 1), ApplyStatus::kOk);
  for (const uint64_t id : ids) {
    EXPECT_TRUE(book_->find_at(at(Side::kBid, 10'000, id)).has_value()) << id;
    // Absent ids between, below and above the live ones.
    EXPECT_FALSE(book_->find_at(at(Side::kBid, 10'000, id + 500'000)).has_value()) << id;
    if (std::find(ids.begin(), ids.end(), id - 1) == ids.end()) {
      EXPECT_FALSE(book_->find_at(at(Side::kBid, 10'000, id - 1)).has_value()) << id;
    }
  }
  EXPECT_FALSE(book_->find_at(at(Side::kBid, 10'000, 999)).has_value());
  EXPECT_EQ(book_->add_at(inst_, 10'000'030, Side::kBid, 10'000, 1), ApplyStatus::kDuplicateOrderId);
  // Cancel in a scattered order (tombstones keep their ids, so the queue stays searchable): each cancel
  // finds its order, and every order not yet cancelled is still found with its queue position.
  std::vector<uint64_t> order = ids;
  for (std::size_t i = 0; i < order.size(); ++i) std::swap(order[i], order[(i * 37 + 11) % order.size()]);
  std::size_t left = ids.size();
  for (const uint64_t id : order) {
    ASSERT_EQ(book_->remove_at(at(Side::kBid, 10'000, id)), ApplyStatus::kOk) << id;
    ASSERT_EQ(book_->remove_at(at(Side::kBid, 10'000, id)), ApplyStatus::kUnknownOrder) << id;
    --left;
    uint32_t ahead = 0;
    for (const uint64_t other : ids) {
      const auto pos = book_->queue_position_at(at(Side::kBid, 10'000, other));
      if (!pos.has_value()) continue;
      ASSERT_EQ(pos->orders_ahead, ahead) << other;
      ++ahead;
    }
    ASSERT_EQ(ahead, left);
    ASSERT_EQ(book_->check_invariants(), "") << id;
  }
  EXPECT_EQ(book_->live_levels(), 0u);
}

TEST_F(LocatedBookTest, QueuesThinnedInTheMiddleAreCompactedAndGiveTheirRingBack) {
  // Cancels inside a queue leave tombstones that the head and tail never pass; once more than a quarter of
  // the span is dead the ring is compacted (the span a lookup searches stays dense), so a queue of 256
  // thinned to 17 orders fits a ring of 128 again. Queue order and positions survive every compaction.
  const Price p = 10'000;
  for (uint64_t id = 1; id <= 256; ++id)
    ASSERT_EQ(book_->add_at(inst_, id, Side::kAsk, p, 1), ApplyStatus::kOk);
  EXPECT_EQ(book_->ring_entries_in_use(), 256u);
  std::vector<uint64_t> kept{1};
  for (uint64_t id = 16; id <= 256; id += 16) kept.push_back(id);
  for (uint64_t id = 2; id < 256; ++id) {
    if (id % 16 == 0) continue;
    ASSERT_EQ(book_->remove_at(at(Side::kAsk, p, id)), ApplyStatus::kOk) << id;
    ASSERT_EQ(book_->check_invariants(), "") << id;
  }
  EXPECT_LE(book_->ring_entries_in_use(), 128u);
  for (std::size_t i = 0; i < kept.size(); ++i) {
    EXPECT_EQ(book_->queue_position_at(at(Side::kAsk, p, kept[i])),
              (QueuePosition{static_cast<uint32_t>(i), static_cast<Qty>(i)}))
        << kept[i];
  }
  EXPECT_FALSE(book_->find_at(at(Side::kAsk, p, 17)).has_value());
  ASSERT_EQ(book_->add_at(inst_, 300, Side::kAsk, p, 1), ApplyStatus::kOk);  // appends after a compaction
  EXPECT_EQ(book_->queue_position_at(at(Side::kAsk, p, 300)),
            (QueuePosition{static_cast<uint32_t>(kept.size()), static_cast<Qty>(kept.size())}));
  expect_ok();
}

TEST_F(LocatedBookTest, TheRingsNewestIdFollowsTailCancelsAndRenames) {
  // Adds decide "above every queued id" from the ring record's newest id, not from the tail entry: the record
  // must follow a cancel at the tail and a rename of the last order (check_invariants compares the two).
  const Price p = 10'000;
  for (const uint64_t id : {10u, 20u, 30u})
    ASSERT_EQ(book_->add_at(inst_, id, Side::kAsk, p, 1), ApplyStatus::kOk);
  ASSERT_EQ(book_->remove_at(at(Side::kAsk, p, 30)), ApplyStatus::kOk);  // the tail: newest is 20 again
  expect_ok();
  ASSERT_EQ(book_->add_at(inst_, 30, Side::kAsk, p, 2), ApplyStatus::kOk);  // not a duplicate any more
  EXPECT_EQ(book_->add_at(inst_, 20, Side::kAsk, p, 1), ApplyStatus::kDuplicateOrderId);
  EXPECT_EQ(book_->add_at(inst_, 30, Side::kAsk, p, 1), ApplyStatus::kDuplicateOrderId);
  expect_ok();
  // The last order renamed in place (a new priority at the same price keeps it at the back).
  ASSERT_EQ(book_->replace_at(at(Side::kAsk, p, 30), 40, p, 3), ApplyStatus::kOk);
  expect_ok();
  EXPECT_EQ(book_->queue_position_at(at(Side::kAsk, p, 40))->orders_ahead, 2u);
  EXPECT_EQ(book_->add_at(inst_, 40, Side::kAsk, p, 1), ApplyStatus::kDuplicateOrderId);
  // An id below the newest appended out of order is still found (the ring is scanned from then on).
  ASSERT_EQ(book_->add_at(inst_, 35, Side::kAsk, p, 4), ApplyStatus::kOk);
  expect_ok();
  EXPECT_EQ(book_->find_at(at(Side::kAsk, p, 35))->qty, 4);
  EXPECT_EQ(book_->find_at(at(Side::kAsk, p, 40))->qty, 3);
  ASSERT_EQ(book_->remove_at(at(Side::kAsk, p, 35)), ApplyStatus::kOk);
  expect_ok();
}

TEST_F(LocatedBookTest, RingsGrowCompactAndShrinkWithoutLosingTheQueueOrder) {
  // A deep queue with cancels everywhere, executions at the front and adds at the back; after every step the
  // queue must equal a plain model, ids and quantities in order.
  std::mt19937_64 rng(7);
  std::vector<std::pair<uint64_t, Qty>> model;
  uint64_t next = 1;
  std::size_t peak_ring = 0;
  for (int step = 0; step < 20'000; ++step) {
    const uint64_t r = rng() % 100;
    const bool grow = step < 10'000;
    if (model.empty() || r < (grow ? 55u : 35u)) {
      const Qty q = 1 + static_cast<Qty>(rng() % 50);
      ASSERT_EQ(book_->add_at(inst_, next, Side::kBid, 10'000, q), ApplyStatus::kOk);
      model.emplace_back(next++, q);
    } else if (r < 80) {  // cancel anywhere
      const std::size_t k = rng() % model.size();
      ASSERT_EQ(book_->remove_at(at(Side::kBid, 10'000, model[k].first)), ApplyStatus::kOk);
      model.erase(model.begin() + static_cast<std::ptrdiff_t>(k));
    } else {  // execute at the front, fully or partly
      const Qty q = 1 + static_cast<Qty>(rng() % 60);
      ASSERT_EQ(book_->execute_at(at(Side::kBid, 10'000, model.front().first), q), ApplyStatus::kOk);
      if (q >= model.front().second) {
        model.erase(model.begin());
      } else {
        model.front().second -= q;
      }
    }
    peak_ring = std::max(peak_ring, book_->ring_entries_in_use());
    if (step % 97 == 0 || model.size() < 3) {
      ASSERT_EQ(book_->check_invariants(), "") << "step " << step;
      std::vector<std::pair<uint64_t, Qty>> got;
      book_->for_each_level(
          inst_, Side::kBid, [](const LevelView&) {}, [&](uint64_t id, Qty q) { got.emplace_back(id, q); });
      ASSERT_EQ(got, model) << "step " << step;
    }
  }
  EXPECT_GE(peak_ring, 1024u);  // the queue grew deep ...
  EXPECT_LE(book_->ring_entries_in_use(),
            std::max<std::size_t>(4, 8 * model.size()));  // ... and gave it back
  expect_ok();
}

TEST_F(LocatedBookTest, QuantitiesALevelsTotalCannotHoldAreRejectedAndChangeNothing) {
  constexpr Qty kBig = std::numeric_limits<Qty>::max() / 2 + 1;
  ASSERT_EQ(book_->add_at(inst_, 1, Side::kAsk, 10'200, kBig), ApplyStatus::kOk);
  EXPECT_EQ(book_->add_at(inst_, 2, Side::kAsk, 10'200, kBig), ApplyStatus::kBadQuantity);
  ASSERT_EQ(book_->add_at(inst_, 3, Side::kAsk, 10'300, kBig), ApplyStatus::kOk);
  EXPECT_EQ(book_->replace_at(at(Side::kAsk, 10'300, 3), 4, 10'200, kBig), ApplyStatus::kBadQuantity);
  ASSERT_EQ(book_->add_at(inst_, 5, Side::kAsk, 10'200, 10), ApplyStatus::kOk);
  ASSERT_EQ(book_->add_at(inst_, 6, Side::kAsk, 10'200, 10), ApplyStatus::kOk);
  EXPECT_EQ(book_->modify_at(at(Side::kAsk, 10'200, 5), 10'200, kBig),
            ApplyStatus::kBadQuantity);  // mid-queue
  EXPECT_EQ(book_->modify_at(at(Side::kAsk, 10'200, 6), 10'200, kBig),
            ApplyStatus::kBadQuantity);  // at the back
  EXPECT_EQ(book_->counters().load(BookCounter::kBadQuantity), 4u);
  EXPECT_FALSE(book_->find_at(at(Side::kAsk, 10'200, 2)).has_value());
  EXPECT_EQ(book_->find_at(at(Side::kAsk, 10'300, 3))->qty, kBig);
  EXPECT_EQ(book_->find_at(at(Side::kAsk, 10'200, 5))->qty, 10);
  EXPECT_EQ(book_->find_at(at(Side::kAsk, 10'200, 6))->qty, 10);
  const Bbo b = book_->bbo(inst_);
  EXPECT_EQ(b.ask_qty, kBig + 20);
  EXPECT_EQ(b.ask_count, 3u);
  expect_ok();
}

TEST(OrderBookIdentity, ALocatedBookReusesTheRingArenaAfterItsLevelsChurn) {
  // Many one-order levels take the whole ring arena in 4-entry rings; once they are gone, one level's queue
  // must be able to grow into the same space (the freed rings merge back into large blocks).
  BookLimits l = small_limits();
  l.identity = OrderIdentity::kLocated;
  l.max_orders = 64;
  l.max_levels = 64;
  l.ring_arena_entries = 256;
  auto b = make_book(l);
  const InstrumentIndex i = b->add_instrument(7, "FDAX", TickTable(1)).value();
  for (uint64_t k = 0; k < 64; ++k) {
    ASSERT_EQ(b->add_at(i, k, Side::kBid, 1000 + static_cast<Price>(k), 1), ApplyStatus::kOk);
  }
  EXPECT_EQ(b->ring_entries_in_use(), 256u);
  for (uint64_t k = 0; k < 64; ++k) {
    ASSERT_EQ(b->remove_at(OrderAt{i, Side::kBid, 1000 + static_cast<Price>(k), k}), ApplyStatus::kOk);
  }
  for (uint64_t k = 100; k < 164; ++k) {
    ASSERT_EQ(b->add_at(i, k, Side::kAsk, 2000, 1), ApplyStatus::kOk) << "order " << k;
  }
  EXPECT_EQ(b->bbo(i).ask_count, 64u);
  EXPECT_EQ(b->counters().load(BookCounter::kLevelTableFull), 0u);
  EXPECT_GE(b->arena_coalesce_passes(), 1u);
  EXPECT_EQ(b->check_invariants(), "");
}

TEST(OrderBookIdentity, LocatedBooksHaveNoIdIndexButARingArena) {
  BookLimits l = small_limits();
  l.identity = OrderIdentity::kLocated;
  auto b = make_book(l);
  EXPECT_EQ(b->limits().order_id_capacity, 0u);
  EXPECT_EQ(b->limits().hashed_order_capacity, 0u);
  EXPECT_GT(b->limits().ring_arena_entries, 0u);
}

}  // namespace
}  // namespace numi::book
