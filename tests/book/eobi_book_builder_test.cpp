// EobiBookBuilder mapping: one test per template (add, modify loses priority, same-prio modify keeps it,
// delete, mass delete, full/partial execution, execution summary aggressor, trade report), identity by exact
// key, counters for unknown orders / invalid sides / implicit instruments / duplicates.
#include "numi/book/eobi_book_builder.hpp"

#include <gtest/gtest.h>

#include <array>
#include <memory>
#include <stdexcept>
#include <vector>

#include "numi/codec/eobi/encoder.hpp"

namespace numi::book {
namespace {

namespace eobi = codec::eobi;

constexpr int64_t kSecA = (int64_t{5} << 32) | 77;  // same low 32 bits as kSecB
constexpr int64_t kSecB = (int64_t{9} << 32) | 77;
constexpr int64_t kPx = 100'00000000;  // 100.00
constexpr int64_t kLot = 10'000;

std::unique_ptr<OrderBook> make_book() {
  BookLimits l;
  l.max_instruments = 16;
  l.max_orders = 4096;
  l.max_levels = 2048;
  l.identity = OrderIdentity::kLocated;  // EOBI orders are found at their price: no id index
  auto b = OrderBook::create(l);
  EXPECT_TRUE(b.ok()) << (b.ok() ? "" : b.error().message);
  return std::move(b.value());
}

eobi::OrderAdd add(int64_t sec, eobi::Side side, uint64_t prio, int64_t px, int64_t qty) {
  return eobi::OrderAdd{prio, sec, prio, qty, side, 2, 0, px};
}

class EobiBookBuilderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    book_ = make_book();
    EobiBookOptions o;
    o.start_live = true;
    o.buffer_capacity = 64;
    builder_ = std::make_unique<EobiBookBuilder>(*book_, o);
    ASSERT_TRUE(builder_->register_instrument(kSecA, "A", eobi_default_tick_table()).ok());
    ASSERT_TRUE(builder_->register_instrument(kSecB, "B", eobi_default_tick_table()).ok());
    a_ = builder_->instrument_of(kSecA);
    b_ = builder_->instrument_of(kSecB);
  }
  eobi::MessageContext ctx() {
    eobi::MessageContext c{};
    c.msg_seq_num = ++seq_;
    return c;
  }
  template <typename Msg>
  void send(const Msg& m) {
    builder_->on(m, ctx());
  }
  uint64_t count(EobiBookCounter c) const { return builder_->counters().load(c); }
  // The live order with this key wherever it rests (test-side scan), found again through the builder at its
  // price.
  std::optional<OrderView> order(int64_t sec, eobi::Side side, uint64_t prio) const {
    const Side s = side == eobi::Side::kBuy ? Side::kBid : Side::kAsk;
    std::optional<OrderView> found;
    Price at = 0;
    book_->for_each_level(
        builder_->instrument_of(sec), s, [&](const LevelView& l) { at = l.price; },
        [&](uint64_t id, Qty) {
          if (id == prio && !found) found = builder_->find_order(sec, s, at, prio);
        });
    return found;
  }
  uint32_t ahead(int64_t sec, eobi::Side side, uint64_t prio) const {
    const std::optional<OrderView> o = order(sec, side, prio);
    return book_->queue_position_at(OrderAt{o->instrument, o->side, o->price, prio})->orders_ahead;
  }

  std::unique_ptr<OrderBook> book_;
  std::unique_ptr<EobiBookBuilder> builder_;
  InstrumentIndex a_ = kNoInstrument;
  InstrumentIndex b_ = kNoInstrument;
  uint32_t seq_ = 0;
};

TEST(EobiBookBuilderSetup, RefusesAKeyedBookAndNamesTheFix) {
  auto keyed = OrderBook::create(BookLimits{});
  ASSERT_TRUE(keyed.ok());
  try {
    EobiBookBuilder b(**keyed);
    FAIL() << "a keyed book was accepted";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("OrderIdentity::kLocated"), std::string::npos) << e.what();
  }
}

TEST_F(EobiBookBuilderTest, AddCreatesOrderKeyedBySecuritySidePriority) {
  send(add(kSecA, eobi::Side::kBuy, 1000, kPx, 5 * kLot));
  const auto o = order(kSecA, eobi::Side::kBuy, 1000);
  ASSERT_TRUE(o.has_value());
  EXPECT_EQ(o->instrument, a_);
  EXPECT_EQ(o->side, Side::kBid);
  EXPECT_EQ(o->price, kPx);
  EXPECT_EQ(o->qty, 5 * kLot);
  EXPECT_EQ(o->order_id, 1000u);  // book order id = TrdRegTSTimePriority
  EXPECT_EQ(book_->live_orders(), 1u);
}

TEST_F(EobiBookBuilderTest, SecurityIdsDifferingOnlyInHighBitsAreDistinctInstruments) {
  EXPECT_NE(a_, b_);
  send(add(kSecA, eobi::Side::kBuy, 1, kPx, kLot));
  send(add(kSecB, eobi::Side::kBuy, 1, kPx, kLot));
  EXPECT_EQ(book_->instrument(a_).order_count, 1u);
  EXPECT_EQ(book_->instrument(b_).order_count, 1u);
  EXPECT_EQ(count(EobiBookCounter::kDuplicateKeys), 0u);
}

TEST_F(EobiBookBuilderTest, SidesAndPrioritiesAreSeparateKeysAndExactDuplicatesAreDropped) {
  send(add(kSecA, eobi::Side::kBuy, 7, kPx, kLot));
  send(add(kSecA, eobi::Side::kSell, 7, kPx + 100, kLot));
  send(add(kSecA, eobi::Side::kBuy, 8, kPx, kLot));
  send(add(kSecA, eobi::Side::kBuy, 7, kPx, 3 * kLot));  // same key again
  EXPECT_EQ(book_->live_orders(), 3u);
  EXPECT_EQ(count(EobiBookCounter::kDuplicateKeys), 1u);
  EXPECT_EQ(order(kSecA, eobi::Side::kBuy, 7)->qty, kLot);
}

TEST_F(EobiBookBuilderTest, OrderModifyMovesToNewKeyAndLosesPriority) {
  send(add(kSecA, eobi::Side::kBuy, 1, kPx, kLot));
  send(add(kSecA, eobi::Side::kBuy, 2, kPx, kLot));
  // Same price and quantity, new priority timestamp: back of the queue.
  send(eobi::OrderModify{0, 1, kPx, kLot, kSecA, 3, kLot, eobi::Side::kBuy, 2, 0, kPx, 0});
  EXPECT_FALSE(order(kSecA, eobi::Side::kBuy, 1).has_value());
  ASSERT_TRUE(order(kSecA, eobi::Side::kBuy, 3).has_value());
  EXPECT_EQ(ahead(kSecA, eobi::Side::kBuy, 3), 1u);
  EXPECT_EQ(ahead(kSecA, eobi::Side::kBuy, 2), 0u);
  EXPECT_EQ(book_->live_orders(), 2u);
  // Price change onto another level.
  send(eobi::OrderModify{0, 3, kPx, kLot, kSecA, 4, 2 * kLot, eobi::Side::kBuy, 2, 0, kPx - 100, 0});
  const auto o = order(kSecA, eobi::Side::kBuy, 4);
  ASSERT_TRUE(o.has_value());
  EXPECT_EQ(o->price, kPx - 100);
  EXPECT_EQ(o->qty, 2 * kLot);
  EXPECT_EQ(o->order_id, 4u);
  EXPECT_EQ(book_->live_orders(), 2u);
  EXPECT_EQ(book_->check_invariants(), "");
}

TEST_F(EobiBookBuilderTest, OrderModifySamePrioKeepsQueuePosition) {
  send(add(kSecA, eobi::Side::kSell, 1, kPx, 5 * kLot));
  send(add(kSecA, eobi::Side::kSell, 2, kPx, kLot));
  send(eobi::OrderModifySamePrio{0, 0, 5 * kLot, kSecA, 1, 2 * kLot, eobi::Side::kSell, 2, 0, kPx});
  EXPECT_EQ(ahead(kSecA, eobi::Side::kSell, 1), 0u);
  EXPECT_EQ(order(kSecA, eobi::Side::kSell, 1)->qty, 2 * kLot);
  EXPECT_EQ(book_->bbo(a_).ask_qty, 3 * kLot);
  EXPECT_EQ(count(EobiBookCounter::kSamePrioIncrease), 0u);
}

TEST_F(EobiBookBuilderTest, OrderDeleteRemovesOrderAndKey) {
  send(add(kSecA, eobi::Side::kBuy, 1, kPx, kLot));
  send(eobi::OrderDelete{0, 0, kSecA, 1, kLot, eobi::Side::kBuy, 2, 0, kPx});
  EXPECT_EQ(book_->live_orders(), 0u);
  EXPECT_EQ(book_->live_orders(), 0u);
  send(eobi::OrderDelete{0, 0, kSecA, 1, kLot, eobi::Side::kBuy, 2, 0, kPx});
  EXPECT_EQ(count(EobiBookCounter::kUnknownOrders), 1u);
}

TEST_F(EobiBookBuilderTest, OrderMessagesFindTheOrderAtThePriceTheyCarry) {
  // Every EOBI order message carries the order's (previous) price: the right key at another price names no
  // live order (counted) and leaves the book alone.
  send(add(kSecA, eobi::Side::kBuy, 1, kPx, 2 * kLot));
  send(eobi::OrderDelete{0, 0, kSecA, 1, 2 * kLot, eobi::Side::kBuy, 2, 0, kPx - 100});
  send(eobi::PartialOrderExecution{eobi::Side::kBuy, 2, 0, 0, 1, kPx + 100, 1, kSecA, kLot, kPx});
  send(eobi::OrderModify{0, 1, kPx - 100, 2 * kLot, kSecA, 2, kLot, eobi::Side::kBuy, 2, 0, kPx, 0});
  EXPECT_EQ(count(EobiBookCounter::kUnknownOrders), 3u);
  EXPECT_EQ(order(kSecA, eobi::Side::kBuy, 1)->qty, 2 * kLot);
  send(eobi::OrderModify{0, 1, kPx, 2 * kLot, kSecA, 2, kLot, eobi::Side::kBuy, 2, 0, kPx - 100, 0});
  EXPECT_EQ(order(kSecA, eobi::Side::kBuy, 2)->price, kPx - 100);
  EXPECT_FALSE(order(kSecA, eobi::Side::kBuy, 1).has_value());
  EXPECT_EQ(book_->check_invariants(), "");
}

TEST_F(EobiBookBuilderTest, MassDeleteClearsOnlyThatInstrumentAndItsKeys) {
  for (uint64_t p = 1; p <= 5; ++p)
    send(add(kSecA, p % 2 ? eobi::Side::kBuy : eobi::Side::kSell, p,
             kPx + (p % 2 ? -100 : 100) * static_cast<int64_t>(p), kLot));
  send(add(kSecB, eobi::Side::kBuy, 1, kPx, kLot));
  send(eobi::OrderMassDelete{kSecA, 0});
  EXPECT_EQ(book_->instrument(a_).order_count, 0u);
  EXPECT_EQ(book_->instrument(b_).order_count, 1u);
  EXPECT_EQ(book_->live_orders(), 1u);
  EXPECT_TRUE(builder_->find_order(kSecB, Side::kBid, kPx, 1).has_value());
  send(add(kSecA, eobi::Side::kBuy, 1, kPx, kLot));  // the old key is free again
  EXPECT_EQ(count(EobiBookCounter::kDuplicateKeys), 0u);
  EXPECT_EQ(book_->check_invariants(), "");
}

TEST_F(EobiBookBuilderTest, FullExecutionRemovesAndPartialExecutionReduces) {
  send(add(kSecA, eobi::Side::kSell, 1, kPx, 3 * kLot));
  send(add(kSecA, eobi::Side::kSell, 2, kPx, 4 * kLot));
  send(eobi::PartialOrderExecution{eobi::Side::kSell, 2, 0, 0, 9, kPx, 2, kSecA, kLot, kPx});
  EXPECT_EQ(order(kSecA, eobi::Side::kSell, 2)->qty, 3 * kLot);
  send(eobi::FullOrderExecution{eobi::Side::kSell, 2, 0, 0, 10, kPx, 1, kSecA, 3 * kLot, kPx});
  EXPECT_FALSE(order(kSecA, eobi::Side::kSell, 1).has_value());
  EXPECT_EQ(book_->live_orders(), 1u);
  const InstrumentInfo info = book_->instrument(a_);
  EXPECT_EQ(info.volume, static_cast<uint64_t>(4 * kLot));
  EXPECT_EQ(info.trade_count, 2u);
  EXPECT_EQ(info.last_match_id, 10u);
  // A full execution whose LastQty is short still ends the order (counted).
  send(eobi::FullOrderExecution{eobi::Side::kSell, 2, 0, 0, 11, kPx, 2, kSecA, kLot, kPx});
  EXPECT_EQ(book_->live_orders(), 0u);
  EXPECT_EQ(book_->live_orders(), 0u);
  EXPECT_EQ(count(EobiBookCounter::kFullExecutionRemainder), 1u);
}

TEST_F(EobiBookBuilderTest, PartialExecutionOfTheWholeQuantityDropsTheKey) {
  send(add(kSecA, eobi::Side::kBuy, 1, kPx, kLot));
  send(eobi::PartialOrderExecution{eobi::Side::kBuy, 2, 0, 0, 1, kPx, 1, kSecA, kLot, kPx});
  EXPECT_EQ(book_->live_orders(), 0u);
  EXPECT_EQ(book_->live_orders(), 0u);
}

TEST_F(EobiBookBuilderTest, ExecutionSummaryRecordsAggressorWithoutReducingTheBookAgain) {
  std::vector<EobiTradeEvent> events;
  builder_->set_trade_listener(
      [](void* user, const EobiTradeEvent& e) noexcept {
        static_cast<std::vector<EobiTradeEvent>*>(user)->push_back(e);
      },
      &events);
  send(add(kSecA, eobi::Side::kBuy, 1, kPx, 5 * kLot));
  eobi::ExecutionSummary s{};
  s.security_id = kSecA;
  s.exec_id = 42;
  s.last_qty = 2 * kLot;
  s.aggressor_side = eobi::Side::kSell;
  s.last_px = kPx;
  send(s);
  EXPECT_EQ(order(kSecA, eobi::Side::kBuy, 1)->qty, 5 * kLot);  // the summary alone changes nothing
  send(eobi::PartialOrderExecution{eobi::Side::kBuy, 2, 0, 0, 42, kPx, 1, kSecA, 2 * kLot, kPx});
  EXPECT_EQ(order(kSecA, eobi::Side::kBuy, 1)->qty, 3 * kLot);
  const InstrumentInfo info = book_->instrument(a_);
  EXPECT_EQ(info.last_aggressor, Aggressor::kSell);
  EXPECT_EQ(info.volume, static_cast<uint64_t>(2 * kLot));  // counted once
  EXPECT_EQ(builder_->last_aggressor(a_), Aggressor::kSell);
  EXPECT_EQ(count(EobiBookCounter::kExecutionSummaries), 1u);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].template_id, 13202);
  EXPECT_EQ(events[0].aggressor, Aggressor::kSell);
  EXPECT_EQ(events[0].instrument, a_);
}

TEST_F(EobiBookBuilderTest, TradeReportsGoToTheListenerNotTheBook) {
  std::vector<EobiTradeEvent> events;
  builder_->set_trade_listener(
      [](void* user, const EobiTradeEvent& e) noexcept {
        static_cast<std::vector<EobiTradeEvent>*>(user)->push_back(e);
      },
      &events);
  send(eobi::TradeReport{kSecB, 0, 7 * kLot, kPx, 99, 5, 0, 0, 0});
  send(eobi::TradeReversal{kSecB, 0, 7 * kLot, kPx, 0, 99, 0, 0, 0});
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].template_id, 13201);
  EXPECT_EQ(events[0].match_id, 99u);
  EXPECT_EQ(events[1].template_id, 13200);
  EXPECT_EQ(book_->instrument(b_).trade_count, 0u);
  EXPECT_EQ(count(EobiBookCounter::kTradeReports), 1u);
  EXPECT_EQ(count(EobiBookCounter::kTradeReversals), 1u);
}

TEST_F(EobiBookBuilderTest, InvalidSideAndUnknownOrdersAreCounted) {
  send(add(kSecA, static_cast<eobi::Side>(3), 1, kPx, kLot));
  send(eobi::OrderDelete{0, 0, kSecA, 77, kLot, eobi::Side::kBuy, 2, 0, kPx});
  send(eobi::FullOrderExecution{eobi::Side::kSell, 2, 0, 0, 1, kPx, 78, kSecA, kLot, kPx});
  send(eobi::OrderModify{0, 79, kPx, kLot, kSecA, 80, kLot, eobi::Side::kBuy, 2, 0, kPx, 0});
  send(eobi::OrderModifySamePrio{0, 0, kLot, kSecA, 81, kLot, eobi::Side::kBuy, 2, 0, kPx});
  EXPECT_EQ(count(EobiBookCounter::kInvalidSide), 1u);
  EXPECT_EQ(count(EobiBookCounter::kUnknownOrders), 4u);
  EXPECT_EQ(book_->live_orders(), 0u);
}

TEST_F(EobiBookBuilderTest, UnknownSecurityIsRegisteredImplicitlyWithTheDefaultTick) {
  constexpr int64_t kNew = -123456789012345;
  send(add(kNew, eobi::Side::kSell, 5, -3'00000000, kLot));  // negative prices are valid in EOBI
  const InstrumentIndex i = builder_->instrument_of(kNew);
  ASSERT_NE(i, kNoInstrument);
  EXPECT_EQ(book_->instrument(i).venue_id, static_cast<uint64_t>(kNew));
  EXPECT_EQ(book_->instrument(i).order_count, 1u);
  EXPECT_EQ(count(EobiBookCounter::kImplicitInstruments), 1u);
  EXPECT_EQ(builder_->sync_state(i), EobiSyncState::kLive);
}

TEST_F(EobiBookBuilderTest, InstrumentStateChangeSetsBookState) {
  send(eobi::InstrumentStateChange{kSecA, 1, 206, 0, 0, 0, 0, 0, 0, 0, 0});
  EXPECT_EQ(book_->instrument(a_).state, InstrumentState::kAuction);
  send(eobi::InstrumentStateChange{kSecA, 1, 203, 0, 0, 0, 0, 0, 0, 0, 0});
  EXPECT_EQ(book_->instrument(a_).state, InstrumentState::kTrading);
  send(eobi::InstrumentStateChange{kSecA, 1, 99, 0, 0, 0, 0, 0, 0, 0, 0});
  EXPECT_EQ(count(EobiBookCounter::kUnknownStateCodes), 1u);
}

// ---- Through apply_incremental: sequencing ----

// One incremental packet of PartitionID 0 (MarketSegmentID 1000), built message by message.
class TestPacket {
 public:
  explicit TestPacket(uint32_t appl_seq) { pb_.begin(eobi::PacketHeader{appl_seq, 1000, 0, 1, 0, 0, 0}); }
  TestPacket(const TestPacket&) = delete;
  TestPacket& operator=(const TestPacket&) = delete;
  template <typename Msg>
  TestPacket& add(const Msg& m, uint32_t msg_seq) {
    EXPECT_TRUE(pb_.add(m, msg_seq));
    return *this;
  }
  [[nodiscard]] std::vector<std::byte> bytes() const { return {pb_.bytes().begin(), pb_.bytes().end()}; }

 private:
  std::vector<std::byte> buf_ = std::vector<std::byte>(1472);
  eobi::PacketBuilder pb_{buf_};
};

// A packet of OrderAdds with consecutive MsgSeqNums after `msg_seq`.
std::vector<std::byte> packet(uint32_t appl_seq, uint32_t& msg_seq, const std::vector<eobi::OrderAdd>& adds) {
  TestPacket p(appl_seq);
  for (const auto& m : adds) p.add(m, ++msg_seq);
  return p.bytes();
}

TEST_F(EobiBookBuilderTest, DuplicatePacketsAreDroppedByMsgSeqNum) {
  uint32_t seq = 0;
  const auto p1 = packet(
      1, seq, {add(kSecA, eobi::Side::kBuy, 1, kPx, kLot), add(kSecA, eobi::Side::kBuy, 2, kPx, kLot)});
  EXPECT_EQ(builder_->apply_incremental(p1.data(), p1.size()), eobi::DecodeStatus::kOk);
  const uint64_t hash = book_->state_hash();
  EXPECT_EQ(builder_->apply_incremental(p1.data(), p1.size()), eobi::DecodeStatus::kOk);  // B copy
  EXPECT_EQ(book_->state_hash(), hash);
  EXPECT_EQ(count(EobiBookCounter::kDuplicateMessages), 2u);
  EXPECT_EQ(count(EobiBookCounter::kDuplicateKeys), 0u);
  EXPECT_EQ(builder_->sync_state(a_), EobiSyncState::kLive);
}

TEST_F(EobiBookBuilderTest, GapMakesThePartitionsInstrumentsStaleAndBuffersTheirMessages) {
  uint32_t seq = 0;
  const auto p1 = packet(1, seq, {add(kSecA, eobi::Side::kBuy, 1, kPx, kLot)});
  const auto lost = packet(2, seq, {add(kSecA, eobi::Side::kBuy, 2, kPx, kLot)});
  const auto p3 = packet(3, seq, {add(kSecA, eobi::Side::kBuy, 3, kPx, kLot)});
  (void)builder_->apply_incremental(p1.data(), p1.size());
  (void)builder_->apply_incremental(p3.data(), p3.size());
  EXPECT_EQ(builder_->sync_state(a_), EobiSyncState::kStale);
  EXPECT_EQ(count(EobiBookCounter::kInstrumentsStale), 2u);  // A, and B whose partition was still unknown
  EXPECT_EQ(count(EobiBookCounter::kBufferedMessages), 1u);
  EXPECT_EQ(builder_->buffered_now(), 1u);
  EXPECT_EQ(book_->live_orders(), 1u);
}

TEST_F(EobiBookBuilderTest, TemplatesTheBookIgnoresAreSequencedSoTheyNeverLookLikeAGap) {
  const auto pk = TestPacket(1)
                      .add(add(kSecA, eobi::Side::kBuy, 1, kPx, kLot), 1)
                      .add(eobi::Heartbeat{0}, 2)  // no book meaning, still sequenced
                      .add(add(kSecA, eobi::Side::kBuy, 2, kPx, kLot), 3)
                      .bytes();
  EXPECT_EQ(builder_->apply_incremental(pk.data(), pk.size()), eobi::DecodeStatus::kOk);
  EXPECT_EQ(count(EobiBookCounter::kPartitionLosses), 0u);
  EXPECT_EQ(builder_->sync_state(a_), EobiSyncState::kLive);
  EXPECT_EQ(book_->live_orders(), 2u);
}

TEST_F(EobiBookBuilderTest, RepeatedMsgSeqNumInsideOnePacketIsDroppedAsDuplicate) {
  const auto pk = TestPacket(1)
                      .add(add(kSecA, eobi::Side::kBuy, 1, kPx, kLot), 1)
                      .add(add(kSecA, eobi::Side::kBuy, 2, kPx, kLot), 1)  // same MsgSeqNum again
                      .bytes();
  (void)builder_->apply_incremental(pk.data(), pk.size());
  EXPECT_EQ(count(EobiBookCounter::kDuplicateMessages), 1u);
  EXPECT_EQ(book_->live_orders(), 1u);
  EXPECT_TRUE(order(kSecA, eobi::Side::kBuy, 1).has_value());
  EXPECT_FALSE(order(kSecA, eobi::Side::kBuy, 2).has_value());
}

TEST_F(EobiBookBuilderTest, MessagesBeforeAGapInsideAPacketApplyAndLaterOnesAreBuffered) {
  uint32_t seq = 0;
  const auto p1 = packet(1, seq, {add(kSecA, eobi::Side::kBuy, 1, kPx, kLot)});
  (void)builder_->apply_incremental(p1.data(), p1.size());
  const auto pk = TestPacket(2)
                      .add(add(kSecA, eobi::Side::kBuy, 2, kPx, kLot), 2)  // in order
                      .add(add(kSecA, eobi::Side::kBuy, 4, kPx, kLot), 4)  // MsgSeqNum 3 is lost
                      .bytes();
  (void)builder_->apply_incremental(pk.data(), pk.size());
  EXPECT_EQ(count(EobiBookCounter::kPartitionLosses), 1u);
  EXPECT_EQ(builder_->sync_state(a_), EobiSyncState::kStale);
  EXPECT_EQ(book_->live_orders(), 2u);  // priorities 1 and 2
  EXPECT_EQ(count(EobiBookCounter::kBufferedMessages), 1u);
}

TEST_F(EobiBookBuilderTest, InvalidSideOnTheWireIsCountedAndMakesThePartitionStale) {
  uint32_t seq = 0;
  auto p1 = packet(1, seq, {add(kSecA, eobi::Side::kBuy, 1, kPx, kLot)});
  (void)builder_->apply_incremental(p1.data(), p1.size());
  auto p2 = packet(2, seq, {add(kSecA, eobi::Side::kBuy, 2, kPx, kLot)});
  p2[32 + 40] = std::byte{7};  // Side @40 of the OrderAdd
  EXPECT_EQ(builder_->apply_incremental(p2.data(), p2.size()), eobi::DecodeStatus::kInvalidSide);
  EXPECT_EQ(count(EobiBookCounter::kInvalidSide), 1u);
  EXPECT_EQ(count(EobiBookCounter::kDecodeLosses), 1u);
  EXPECT_EQ(builder_->sync_state(a_), EobiSyncState::kStale);
}

TEST_F(EobiBookBuilderTest, ProductStateChangeAppliesToTheInstrumentsOfItsPartition) {
  uint32_t seq = 0;
  const auto p1 = packet(1, seq, {add(kSecA, eobi::Side::kBuy, 1, kPx, kLot)});
  (void)builder_->apply_incremental(p1.data(), p1.size());
  const auto pk = TestPacket(2)
                      .add(eobi::ProductStateChange{1, 1, 1, 0, 0, 0, 0}, ++seq)  // TradSesStatus 1: halted
                      .bytes();
  (void)builder_->apply_incremental(pk.data(), pk.size());
  EXPECT_EQ(book_->instrument(a_).state, InstrumentState::kHalted);
  EXPECT_EQ(book_->instrument(b_).state, InstrumentState::kUnknown);  // B was never seen on partition 0
  EXPECT_EQ(count(EobiBookCounter::kStateChanges), 1u);
}

}  // namespace
}  // namespace numi::book
