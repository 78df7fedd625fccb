// ItchBookBuilder maps every ITCH 5.0 book message to exactly one book event, decoded from real wire bytes.
#include "numi/book/itch_book_builder.hpp"

#include <gtest/gtest.h>

#include <array>
#include <memory>

#include "numi/codec/itch/decoder.hpp"
#include "numi/codec/itch/messages.hpp"

namespace numi::book {
namespace {
namespace itch = codec::itch;

class ItchBookBuilderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    BookLimits limits;
    limits.max_instruments = 16;
    limits.max_orders = 1024;
    limits.max_levels = 1024;
    limits.order_id_capacity = 4096;
    auto made = OrderBook::create(limits);
    ASSERT_TRUE(made.ok()) << made.error().message;
    book_ = std::move(made.value());
    builder_ = std::make_unique<ItchBookBuilder>(*book_);
    directory(7, "ACME");
  }

  // Encodes `m` to wire bytes and decodes it into the builder, as a replay does.
  template <typename Msg>
  void feed(const Msg& m) {
    std::array<std::byte, 64> wire{};
    const std::size_t n = itch::encode(m, wire.data());
    ASSERT_EQ(itch::decode(wire.data(), n, *builder_), itch::DecodeStatus::kOk);
    ASSERT_EQ(book_->check_invariants(), "");
  }
  void directory(uint16_t locate, std::string_view symbol) {
    itch::StockDirectory r{};
    r.stock_locate = locate;
    r.stock = itch::make_stock(symbol);
    feed(r);
  }
  void add(uint64_t ref, char side, uint32_t shares, uint32_t price, uint16_t locate = 7) {
    itch::AddOrder a{};
    a.stock_locate = locate;
    a.order_reference_number = ref;
    a.buy_sell_indicator = side;
    a.shares = shares;
    a.stock = itch::make_stock("ACME");
    a.price = price;
    feed(a);
  }
  [[nodiscard]] InstrumentIndex acme() const { return builder_->instrument_of(7); }
  [[nodiscard]] uint64_t counter(BookCounter c) const { return book_->counters().load(c); }

  std::unique_ptr<OrderBook> book_;
  std::unique_ptr<ItchBookBuilder> builder_;
};

TEST_F(ItchBookBuilderTest, StockDirectoryRegistersTheLocateWithItsSymbol) {
  ASSERT_NE(acme(), kNoInstrument);
  EXPECT_EQ(book_->instrument(acme()).symbol, "ACME");
  EXPECT_EQ(book_->instrument(acme()).venue_id, 7u);
}

TEST_F(ItchBookBuilderTest, AddOrdersLandOnTheirSide) {
  add(1, 'B', 100, 1'000'000);
  itch::AddOrderMpid f{};
  f.stock_locate = 7;
  f.order_reference_number = 2;
  f.buy_sell_indicator = 'S';
  f.shares = 50;
  f.price = 1'000'100;
  f.attribution = {'N', 'S', 'D', 'Q'};
  feed(f);
  const Bbo b = book_->bbo(acme());
  EXPECT_EQ(b.bid_price, 1'000'000);
  EXPECT_EQ(b.bid_qty, 100);
  EXPECT_EQ(b.ask_price, 1'000'100);
  EXPECT_EQ(b.ask_qty, 50);
  EXPECT_EQ(counter(BookCounter::kAdds), 2u);
}

TEST_F(ItchBookBuilderTest, OrderExecutedReducesOnceAtTheRestingPrice) {
  add(1, 'B', 100, 1'000'000);
  itch::OrderExecuted e{};
  e.stock_locate = 7;
  e.order_reference_number = 1;
  e.executed_shares = 30;
  e.match_number = 99;
  feed(e);
  EXPECT_EQ(book_->find(1)->qty, 70);  // once, not twice
  const InstrumentInfo info = book_->instrument(acme());
  EXPECT_EQ(info.last_price, 1'000'000);
  EXPECT_EQ(info.last_qty, 30);
  EXPECT_EQ(info.volume, 30u);
  EXPECT_EQ(info.last_match_id, 99u);
  EXPECT_EQ(counter(BookCounter::kExecutions), 1u);
}

TEST_F(ItchBookBuilderTest, ExecutedWithPriceReportsItsOwnPriceAndRemovesAFullFill) {
  add(1, 'S', 40, 1'000'100);
  itch::OrderExecutedWithPrice c{};
  c.stock_locate = 7;
  c.order_reference_number = 1;
  c.executed_shares = 40;
  c.match_number = 5;
  c.printable = 'Y';
  c.execution_price = 999'900;
  feed(c);
  EXPECT_FALSE(book_->find(1).has_value());
  EXPECT_EQ(book_->instrument(acme()).last_price, 999'900);
  EXPECT_FALSE(book_->bbo(acme()).has_ask);
}

TEST_F(ItchBookBuilderTest, CancelReducesAndDeleteRemoves) {
  add(1, 'B', 100, 1'000'000);
  itch::OrderCancel x{};
  x.stock_locate = 7;
  x.order_reference_number = 1;
  x.canceled_shares = 25;
  feed(x);
  EXPECT_EQ(book_->find(1)->qty, 75);
  itch::OrderDelete d{};
  d.stock_locate = 7;
  d.order_reference_number = 1;
  feed(d);
  EXPECT_FALSE(book_->find(1).has_value());
  EXPECT_EQ(book_->live_orders(), 0u);
}

TEST_F(ItchBookBuilderTest, ReplaceKeepsTheSideAndLosesPriority) {
  add(1, 'B', 100, 1'000'000);
  add(2, 'B', 100, 1'000'000);
  itch::OrderReplace u{};
  u.stock_locate = 7;
  u.original_order_reference_number = 1;
  u.new_order_reference_number = 3;
  u.shares = 100;
  u.price = 1'000'000;  // same price: still behind order 2 afterwards
  feed(u);
  EXPECT_FALSE(book_->find(1).has_value());
  ASSERT_TRUE(book_->find(3).has_value());
  EXPECT_EQ(book_->find(3)->side, Side::kBid);
  EXPECT_EQ(book_->queue_position(3)->orders_ahead, 1u);
  EXPECT_EQ(book_->queue_position(2)->orders_ahead, 0u);
  EXPECT_EQ(counter(BookCounter::kReplaces), 1u);
}

TEST_F(ItchBookBuilderTest, UnknownReferencesAreCountedNotApplied) {
  itch::OrderDelete d{};
  d.stock_locate = 7;
  d.order_reference_number = 404;
  feed(d);
  itch::OrderExecuted e{};
  e.stock_locate = 7;
  e.order_reference_number = 405;
  e.executed_shares = 1;
  feed(e);
  EXPECT_EQ(builder_->counters().load(ItchBookCounter::kUnknownRefs), 2u);
  EXPECT_EQ(book_->live_orders(), 0u);
}

TEST_F(ItchBookBuilderTest, NonCrossTradeIsATradeThatLeavesTheVisibleBookAlone) {
  add(1, 'B', 100, 1'000'000);
  const uint64_t before = book_->state_hash();
  itch::NonCrossTrade p{};
  p.stock_locate = 7;
  p.buy_sell_indicator = 'B';
  p.shares = 10;
  p.stock = itch::make_stock("ACME");
  p.price = 1'000'050;
  p.match_number = 77;
  feed(p);
  EXPECT_EQ(book_->state_hash(), before);
  const InstrumentInfo info = book_->instrument(acme());
  EXPECT_EQ(info.last_price, 1'000'050);
  EXPECT_EQ(info.last_aggressor, Aggressor::kSell);  // a resting buy was hit
  EXPECT_EQ(info.trade_count, 1u);
}

TEST_F(ItchBookBuilderTest, TradingActionSetsTheInstrumentState) {
  itch::StockTradingAction h{};
  h.stock_locate = 7;
  h.stock = itch::make_stock("ACME");
  h.trading_state = 'H';
  feed(h);
  EXPECT_EQ(book_->instrument(acme()).state, InstrumentState::kHalted);
  h.trading_state = 'T';
  feed(h);
  EXPECT_EQ(book_->instrument(acme()).state, InstrumentState::kTrading);
}

TEST_F(ItchBookBuilderTest, InvalidSideAndImplicitInstrumentsAreCounted) {
  add(1, 'Z', 100, 1'000'000);
  EXPECT_EQ(builder_->counters().load(ItchBookCounter::kInvalidSide), 1u);
  add(2, 'S', 100, 1'000'000, /*locate=*/9);  // no stock directory for locate 9
  EXPECT_EQ(builder_->counters().load(ItchBookCounter::kImplicitInstruments), 1u);
  EXPECT_NE(builder_->instrument_of(9), kNoInstrument);
}

TEST_F(ItchBookBuilderTest, SubPennyPricesAreOnlyAcceptedBelowOneDollar) {
  add(1, 'B', 100, 5'001);      // $0.5001: sub-penny tick allowed below $1
  add(2, 'B', 100, 1'000'001);  // $100.0001: off the one-cent grid
  EXPECT_TRUE(book_->find(1).has_value());
  EXPECT_FALSE(book_->find(2).has_value());
  EXPECT_EQ(counter(BookCounter::kOffTickPrice), 1u);
  EXPECT_EQ(builder_->counters().load(ItchBookCounter::kRejectedEvents), 1u);
}

}  // namespace
}  // namespace numi::book
