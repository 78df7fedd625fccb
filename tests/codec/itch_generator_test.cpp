// ItchDayGenerator: determinism, message mix bands, day structure, and a small map-based book model that
// checks every E/C/X/D/U refers to a live order, refs rise from 1, replaces keep the side and adds never
// cross the opposite best. Also: decoding a generated buffer allocates nothing.
#include <gtest/gtest.h>

#include <map>
#include <unordered_map>
#include <vector>

#include "numi/codec/itch/day_generator.hpp"
#include "numi/codec/itch/decoder.hpp"
#include "numi/codec/itch/file_reader.hpp"
#include "numi/testing/alloc_counter.hpp"

namespace itch = numi::codec::itch;

namespace {

itch::ItchDayOptions small_day(uint64_t seed, uint64_t messages = 200'000) {
  itch::ItchDayOptions o;
  o.seed = seed;
  o.symbols = 50;
  o.messages = messages;
  o.max_live_per_symbol = 400;
  return o;
}

struct Model {
  struct Order {
    uint16_t locate;
    char side;
    uint32_t shares;
    uint32_t price;
  };
  std::unordered_map<uint64_t, Order> live;
  std::map<uint16_t, std::map<uint32_t, int>> bids, asks;  // locate -> price -> live orders
  uint64_t last_ref = 0;
  uint64_t last_ts = 0;
  int errors = 0;

  void fail(const char* what, uint64_t ref) {
    if (++errors <= 5) ADD_FAILURE() << what << " ref=" << ref;
  }
  void level(uint16_t loc, char side, uint32_t price, int delta) {
    auto& book = side == 'B' ? bids[loc] : asks[loc];
    if ((book[price] += delta) == 0) book.erase(price);
  }
  void add(uint16_t loc, uint64_t ref, char side, uint32_t shares, uint32_t price) {
    if (ref != last_ref + 1) fail("refs must rise by one from 1", ref);
    last_ref = ref;
    if (side != 'B' && side != 'S') fail("bad side", ref);
    if (shares == 0) fail("zero shares", ref);
    if (side == 'B' && !asks[loc].empty() && price >= asks[loc].begin()->first)
      fail("bid crosses best ask", ref);
    if (side == 'S' && !bids[loc].empty() && price <= bids[loc].rbegin()->first)
      fail("ask crosses best bid", ref);
    live[ref] = {loc, side, shares, price};
    level(loc, side, price, +1);
  }
  Order* find(uint16_t loc, uint64_t ref) {
    auto it = live.find(ref);
    if (it == live.end()) {
      fail("message refers to an order that is not live", ref);
      return nullptr;
    }
    if (it->second.locate != loc) fail("stock locate differs from the order's", ref);
    return &it->second;
  }
  void remove(uint64_t ref) {
    const Order o = live.at(ref);
    level(o.locate, o.side, o.price, -1);
    live.erase(ref);
  }
  void reduce(uint64_t ref, uint32_t by) {
    Order& o = live.at(ref);
    if (by == 0 || by > o.shares) fail("reduction exceeds the live shares", ref);
    o.shares -= by;
    if (o.shares == 0) remove(ref);
  }
  void ts(uint64_t t) {
    if (t < last_ts) fail("timestamps must not go backwards", t);
    last_ts = t;
  }

  void on(const itch::SystemEvent& m) { ts(m.timestamp); }
  void on(const itch::StockDirectory& m) { ts(m.timestamp); }
  void on(const itch::StockTradingAction& m) { ts(m.timestamp); }
  void on(const itch::AddOrder& m) {
    ts(m.timestamp);
    add(m.stock_locate, m.order_reference_number, m.buy_sell_indicator, m.shares, m.price);
  }
  void on(const itch::AddOrderMpid& m) {
    ts(m.timestamp);
    add(m.stock_locate, m.order_reference_number, m.buy_sell_indicator, m.shares, m.price);
  }
  void on(const itch::OrderExecuted& m) {
    ts(m.timestamp);
    if (find(m.stock_locate, m.order_reference_number) != nullptr)
      reduce(m.order_reference_number, m.executed_shares);
  }
  void on(const itch::OrderExecutedWithPrice& m) {
    ts(m.timestamp);
    if (find(m.stock_locate, m.order_reference_number) != nullptr)
      reduce(m.order_reference_number, m.executed_shares);
  }
  void on(const itch::OrderCancel& m) {
    ts(m.timestamp);
    Order* o = find(m.stock_locate, m.order_reference_number);
    if (o == nullptr) return;
    if (m.canceled_shares >= o->shares) fail("X must be a partial cancel", m.order_reference_number);
    reduce(m.order_reference_number, m.canceled_shares);
  }
  void on(const itch::OrderDelete& m) {
    ts(m.timestamp);
    if (find(m.stock_locate, m.order_reference_number) != nullptr) remove(m.order_reference_number);
  }
  void on(const itch::OrderReplace& m) {
    ts(m.timestamp);
    Order* o = find(m.stock_locate, m.original_order_reference_number);
    if (o == nullptr) return;
    const Order old = *o;
    remove(m.original_order_reference_number);
    add(old.locate, m.new_order_reference_number, old.side, m.shares, m.price);  // side kept
  }
};

void run_model(const std::vector<std::byte>& bytes, Model& model) {
  auto r = itch::ItchFileReader::from_memory(bytes);
  std::span<const std::byte> msg;
  while (r.next(msg)) ASSERT_EQ(itch::decode(msg, model), itch::DecodeStatus::kOk);
  EXPECT_EQ(r.status(), itch::ReadStatus::kEnd);
}

}  // namespace

TEST(ItchDayGenerator, SameSeedGivesSameBytesDifferentSeedDifferentBytes) {
  const auto a = itch::generate_itch_day_bytes(small_day(11, 30'000));
  const auto b = itch::generate_itch_day_bytes(small_day(11, 30'000));
  const auto c = itch::generate_itch_day_bytes(small_day(12, 30'000));
  EXPECT_FALSE(a.empty());
  EXPECT_TRUE(a == b);
  EXPECT_FALSE(a == c);
}

TEST(ItchDayGenerator, EveryOrderEventRefersToALiveOrderAndAddsNeverCross) {
  Model model;
  run_model(itch::generate_itch_day_bytes(small_day(3)), model);
  EXPECT_EQ(model.errors, 0);
  EXPECT_GT(model.last_ref, 50'000u);
}

TEST(ItchDayGenerator, MixStaysInTheStatedBands) {
  itch::ItchDayGenerator gen(small_day(5));
  std::span<const std::byte> msg;
  while (gen.next(msg)) {
  }
  const auto& c = gen.count_by_type();
  const double n = static_cast<double>(gen.emitted());
  ASSERT_EQ(gen.emitted(), 200'000u);
  auto pct = [&](std::initializer_list<char> types) {
    uint64_t s = 0;
    for (char t : types) s += c[static_cast<uint8_t>(t)];
    return 100.0 * static_cast<double>(s) / n;
  };
  EXPECT_NEAR(pct({'A', 'F'}), 45, 4);
  EXPECT_NEAR(pct({'D'}), 40, 4);
  EXPECT_NEAR(pct({'E', 'C'}), 5, 1.5);
  EXPECT_NEAR(pct({'X'}), 3, 1);
  EXPECT_NEAR(pct({'U'}), 5, 1.5);
  EXPECT_NEAR(pct({'P'}), 1.5, 0.7);
  EXPECT_GT(c['F'], 0u);
  EXPECT_GT(c['C'], 0u);
  for (char t : {'I', 'Q', 'Y', 'L', 'N'}) EXPECT_GT(c[static_cast<uint8_t>(t)], 0u) << t;
  EXPECT_LT(pct({'I', 'Q', 'Y', 'L', 'N'}), 1.0);
  EXPECT_LE(gen.live_orders(), 50u * 400u);
}

TEST(ItchDayGenerator, FixedMessagesFrameTheDay) {
  struct Seq {
    std::vector<std::pair<char, char>> events;  // (type, event_code or trading_state)
    std::vector<uint16_t> directory_locates;
    void on(const itch::SystemEvent& m) { events.emplace_back('S', m.event_code); }
    void on(const itch::StockDirectory& m) { directory_locates.push_back(m.stock_locate); }
    void on(const itch::StockTradingAction& m) { events.emplace_back('H', m.trading_state); }
  } seq;
  const auto o = small_day(9, 5'000);
  itch::ItchDayGenerator gen(o);
  std::span<const std::byte> msg;
  std::vector<char> first;
  while (gen.next(msg)) {
    if (first.size() < 2 * o.symbols + 3) first.push_back(static_cast<char>(msg[0]));
    ASSERT_EQ(itch::decode(msg, seq), itch::DecodeStatus::kOk);
  }
  EXPECT_EQ(gen.emitted(), 5'000u);
  ASSERT_EQ(first.size(), 2u * o.symbols + 3);
  EXPECT_EQ(first[0], 'S');
  for (uint32_t i = 1; i <= o.symbols; ++i) EXPECT_EQ(first[i], 'R');
  for (uint32_t i = o.symbols + 1; i <= 2 * o.symbols; ++i) EXPECT_EQ(first[i], 'H');
  ASSERT_EQ(seq.directory_locates.size(), o.symbols);
  for (uint32_t i = 0; i < o.symbols; ++i) EXPECT_EQ(seq.directory_locates[i], i + 1);
  ASSERT_GE(seq.events.size(), 6u);
  const auto& e = seq.events;
  EXPECT_EQ(e.front(), std::make_pair('S', 'O'));
  EXPECT_EQ(e[1 + o.symbols], std::make_pair('S', 'S'));
  EXPECT_EQ(e[2 + o.symbols], std::make_pair('S', 'Q'));
  EXPECT_EQ(e[e.size() - 3], std::make_pair('S', 'M'));
  EXPECT_EQ(e[e.size() - 2], std::make_pair('S', 'E'));
  EXPECT_EQ(e[e.size() - 1], std::make_pair('S', 'C'));
}

TEST(ItchDayGenerator, TooFewMessagesStillEmitsTheFixedFrame) {
  auto o = small_day(1, 10);
  EXPECT_EQ(itch::total_messages(o), 2u * 50 + 6);
  o.symbols = 0;
  EXPECT_FALSE(itch::validate(o).ok());
}

namespace {
struct TouchOneField {
  uint64_t sum = 0;
  void on(const itch::AddOrder& m) { sum += m.price; }
  void on(const itch::AddOrderMpid& m) { sum += m.price; }
  void on(const itch::OrderExecuted& m) { sum += m.executed_shares; }
  void on(const itch::OrderCancel& m) { sum += m.canceled_shares; }
  void on(const itch::OrderDelete& m) { sum += m.order_reference_number; }
  void on(const itch::OrderReplace& m) { sum += m.new_order_reference_number; }
};
}  // namespace

TEST(ItchDecoder, DecodingAGeneratedBufferAllocatesNothing) {
  const auto bytes = itch::generate_itch_day_bytes(small_day(2, 50'000));
  numi::CounterBlock<itch::ItchCounter> counters;
  TouchOneField h;
  uint64_t decoded = 0;
  numi::testing::AllocationScope scope;
  auto r = itch::ItchFileReader::from_memory(bytes);
  std::span<const std::byte> msg;
  while (r.next(msg)) decoded += itch::decode(msg, h, &counters) == itch::DecodeStatus::kOk ? 1 : 0;
  EXPECT_EQ(scope.allocations(), 0u);
  EXPECT_EQ(decoded, 50'000u);
  EXPECT_GT(h.sum, 0u);
}
