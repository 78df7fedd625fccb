// Randomised differential test: every event is applied to the OrderBook and to a plain std::map-based
// reference model; status, BBO, top-10 depth, the touched order and trade statistics must agree after every
// event, check_instrument must pass after every event, and every 10k events the whole book (full depth,
// invariants, canonical hash recomputed from the model) is compared. Runs against a keyed book (calls by id)
// and a located book (calls by instrument, side, price and id, the price taken from the model). Some adds,
// modifies and replaces bring a level's total to within a few units of INT64_MAX, either side of it, so the
// level-total rule (a total must stay a Qty) is checked against the model too.
#include <gtest/gtest.h>
#include <xxhash.h>

#include <algorithm>
#include <cstdint>
#include <limits>
#include <list>
#include <map>
#include <random>
#include <unordered_map>
#include <vector>

#include "numi/book/order_book.hpp"

#ifndef NUMI_DIFF_EVENTS
#define NUMI_DIFF_EVENTS 100000
#endif

namespace numi::book {
namespace {

// ---------------------------------------------------------------- reference model (deliberately plain) ----
struct RefOrder {
  uint32_t inst;
  Side side;
  Price price;
  Qty qty;
};

struct RefInstrument {
  uint64_t venue_id = 0;
  TickTable tick;
  std::map<Price, std::list<uint64_t>> levels[2];  // price -> queue of order ids, for bids and asks
  Price last_price = 0;
  Qty last_qty = 0;
  uint64_t volume = 0;
  uint64_t trades = 0;
};

class RefBook {
 public:
  std::vector<RefInstrument> inst;
  std::unordered_map<uint64_t, RefOrder> orders;
  uint64_t dense_base = 0;
  uint64_t dense_cap = 0;

  // A level's total open quantity must stay a Qty: an event that would push it past INT64_MAX is rejected
  // with kBadQuantity (after the duplicate check), changing nothing. Precondition: add > 0 (the quantity is
  // checked first); the driver also asks it whether an order's quantity can grow by `add`.
  static bool fits(Qty total, Qty add) { return total <= std::numeric_limits<Qty>::max() - add; }
  Qty level_total(uint32_t i, Side side, Price price) const {
    const auto& lv = inst[i].levels[side_index(side)];
    const auto it = lv.find(price);
    return it == lv.end() ? 0 : level_qty(it->second);
  }
  // The total the order's new quantity joins at `price`: the level's, less its own if it stays there.
  Qty total_without(const RefOrder& o, Price price) const {
    return level_total(o.inst, o.side, price) - (price == o.price ? o.qty : 0);
  }

  ApplyStatus add(uint32_t i, uint64_t id, Side side, Price price, Qty qty) {
    if (i >= inst.size()) return ApplyStatus::kUnknownInstrument;
    if (qty <= 0) return ApplyStatus::kBadQuantity;
    if (auto s = inst[i].tick.check(price); s != ApplyStatus::kOk) return s;
    if (orders.count(id) != 0) return ApplyStatus::kDuplicateOrderId;
    if (!fits(level_total(i, side, price), qty)) return ApplyStatus::kBadQuantity;
    orders[id] = RefOrder{i, side, price, qty};
    inst[i].levels[side_index(side)][price].push_back(id);
    return ApplyStatus::kOk;
  }
  void unlink(uint64_t id) {
    RefOrder& o = orders.at(id);
    auto& lv = inst[o.inst].levels[side_index(o.side)];
    auto it = lv.find(o.price);
    it->second.remove(id);
    if (it->second.empty()) lv.erase(it);
  }
  void take(uint64_t id, Qty qty) {
    RefOrder& o = orders.at(id);
    if (qty >= o.qty) {
      unlink(id);
      orders.erase(id);
    } else {
      o.qty -= qty;
    }
  }
  ApplyStatus reduce(uint64_t id, Qty qty) {
    if (qty <= 0) return ApplyStatus::kBadQuantity;
    if (orders.count(id) == 0) return ApplyStatus::kUnknownOrder;
    take(id, qty);
    return ApplyStatus::kOk;
  }
  ApplyStatus execute(uint64_t id, Qty qty, Price price) {
    if (qty <= 0) return ApplyStatus::kBadQuantity;
    if (orders.count(id) == 0) return ApplyStatus::kUnknownOrder;
    RefInstrument& ri = inst[orders[id].inst];
    ri.last_price = price == kNoPrice ? orders[id].price : price;
    ri.last_qty = qty;
    ri.volume += static_cast<uint64_t>(qty);
    ++ri.trades;
    take(id, qty);
    return ApplyStatus::kOk;
  }
  ApplyStatus modify(uint64_t id, Price price, Qty qty) {
    if (qty <= 0) return ApplyStatus::kBadQuantity;
    if (orders.count(id) == 0) return ApplyStatus::kUnknownOrder;
    RefOrder& o = orders[id];
    if (auto s = inst[o.inst].tick.check(price); s != ApplyStatus::kOk) return s;
    if (price == o.price && qty <= o.qty) {
      o.qty = qty;  // keeps priority
      return ApplyStatus::kOk;
    }
    if (!fits(total_without(o, price), qty)) return ApplyStatus::kBadQuantity;
    unlink(id);
    o.price = price;
    o.qty = qty;
    inst[o.inst].levels[side_index(o.side)][price].push_back(id);
    return ApplyStatus::kOk;
  }
  ApplyStatus replace(uint64_t old_id, uint64_t new_id, Price price, Qty qty) {
    if (qty <= 0) return ApplyStatus::kBadQuantity;
    if (orders.count(old_id) == 0) return ApplyStatus::kUnknownOrder;
    RefOrder o = orders[old_id];
    if (auto s = inst[o.inst].tick.check(price); s != ApplyStatus::kOk) return s;
    if (new_id != old_id && orders.count(new_id) != 0) return ApplyStatus::kDuplicateOrderId;
    if (!fits(total_without(o, price), qty)) return ApplyStatus::kBadQuantity;
    unlink(old_id);
    orders.erase(old_id);
    o.price = price;
    o.qty = qty;
    orders[new_id] = o;
    inst[o.inst].levels[side_index(o.side)][price].push_back(new_id);
    return ApplyStatus::kOk;
  }
  ApplyStatus remove(uint64_t id) {
    if (orders.count(id) == 0) return ApplyStatus::kUnknownOrder;
    unlink(id);
    orders.erase(id);
    return ApplyStatus::kOk;
  }
  ApplyStatus clear(uint32_t i) {
    if (i >= inst.size()) return ApplyStatus::kUnknownInstrument;
    for (auto& side : inst[i].levels) {
      for (auto& [p, q] : side) {
        for (uint64_t id : q) orders.erase(id);
      }
      side.clear();
    }
    return ApplyStatus::kOk;
  }

  Qty level_qty(const std::list<uint64_t>& q) const {
    Qty s = 0;
    for (uint64_t id : q) s += orders.at(id).qty;
    return s;
  }
  // Best-first levels of one side.
  std::vector<LevelView> depth(uint32_t i, Side side, std::size_t n) const {
    std::vector<LevelView> out;
    const auto& lv = inst[i].levels[side_index(side)];
    if (side == Side::kBid) {
      for (auto it = lv.rbegin(); it != lv.rend() && out.size() < n; ++it) {
        out.push_back({it->first, level_qty(it->second), static_cast<uint32_t>(it->second.size())});
      }
    } else {
      for (auto it = lv.begin(); it != lv.end() && out.size() < n; ++it) {
        out.push_back({it->first, level_qty(it->second), static_cast<uint32_t>(it->second.size())});
      }
    }
    return out;
  }
  Bbo bbo(uint32_t i) const {
    Bbo b;
    auto bid = depth(i, Side::kBid, 1);
    auto ask = depth(i, Side::kAsk, 1);
    if (!bid.empty()) b = Bbo{bid[0].price, bid[0].qty, bid[0].count, 0, 0, 0, true, false};
    if (!ask.empty()) {
      b.ask_price = ask[0].price;
      b.ask_qty = ask[0].qty;
      b.ask_count = ask[0].count;
      b.has_ask = true;
    }
    return b;
  }
  QueuePosition queue_position(uint64_t id) const {
    const RefOrder& o = orders.at(id);
    QueuePosition q;
    for (uint64_t other : inst[o.inst].levels[side_index(o.side)].at(o.price)) {
      if (other == id) break;
      ++q.orders_ahead;
      q.qty_ahead += orders.at(other).qty;
    }
    return q;
  }
  // The canonical hash exactly as docs/book.md defines it, computed independently from the model.
  uint64_t hash() const {
    std::vector<unsigned char> bytes;
    const auto put = [&](uint64_t v, int n) {
      for (int k = 0; k < n; ++k) bytes.push_back(static_cast<unsigned char>(v >> (8 * k)));
    };
    std::vector<std::pair<uint64_t, uint32_t>> order;
    for (uint32_t i = 0; i < inst.size(); ++i) {
      if (!inst[i].levels[0].empty() || !inst[i].levels[1].empty()) order.emplace_back(inst[i].venue_id, i);
    }
    std::sort(order.begin(), order.end());
    for (auto [venue, i] : order) {
      put(venue, 8);
      for (Side side : {Side::kBid, Side::kAsk}) {
        const auto levels = depth(i, side, SIZE_MAX);
        put(levels.size(), 4);
        for (const LevelView& l : levels) {
          put(static_cast<uint64_t>(l.price), 8);
          put(static_cast<uint64_t>(l.qty), 8);
          put(l.count, 4);
          for (uint64_t id : inst[i].levels[side_index(side)].at(l.price)) {
            put(id, 8);
            put(static_cast<uint64_t>(orders.at(id).qty), 8);
          }
        }
      }
    }
    return XXH3_64bits(bytes.data(), bytes.size());
  }
};

// ------------------------------------------------------------------------------------------- the driver ----
class Differential {
 public:
  static constexpr uint32_t kInstruments = 64;
  static constexpr std::size_t kTargetLive = 12000;
  static constexpr uint64_t kHashedIdBase = uint64_t{1} << 40;

  explicit Differential(bool located) : rng_(20261127), located_(located) {
    BookLimits limits;
    if (located) limits.identity = OrderIdentity::kLocated;
    limits.max_instruments = kInstruments;
    limits.max_orders = 40000;
    limits.max_levels = 40000;
    limits.order_id_base = 1;
    limits.order_id_capacity = uint64_t{NUMI_DIFF_EVENTS} + 1000;
    limits.hashed_order_capacity = 8192;
    auto b = OrderBook::create(limits);
    if (!b) ADD_FAILURE() << b.error().message;
    book_ = std::move(b.value());
    for (uint32_t i = 0; i < kInstruments; ++i) {
      TickTable tick(i % 3 == 0 ? 100 : 1, 1, 100'000'000);
      Price mid = 500'000 + static_cast<Price>(i) * 1000;
      if (i % 4 == 1) {  // sub-penny ladder near its boundary
        tick = TickTable(1, 1, 100'000'000);
        (void)tick.add_band(10'000, 100);
        mid = 10'000;
      }
      // Registration order differs from venue id order on purpose.
      const uint64_t venue = 1000 + (static_cast<uint64_t>(i) * 37) % kInstruments;
      std::string symbol = "S";
      symbol += std::to_string(i);
      auto r = book_->add_instrument(venue, symbol, tick);
      if (!r) ADD_FAILURE() << r.error().message;
      RefInstrument ri;
      ri.venue_id = venue;
      ri.tick = tick;
      ref_.inst.push_back(ri);
      mid_.push_back(mid);
    }
  }

  void run(uint64_t events) {
    for (uint64_t n = 1; n <= events; ++n) {
      step();
      if (::testing::Test::HasFailure()) {
        ADD_FAILURE() << "stopped at event " << n;
        return;
      }
      if (n % 10000 == 0) full_check(n);
    }
    full_check(events);
    // Every applied kind was exercised and every rejection was counted.
    const auto& c = book_->counters();
    for (auto k : {BookCounter::kAdds, BookCounter::kExecutions, BookCounter::kReduces, BookCounter::kDeletes,
                   BookCounter::kReplaces, BookCounter::kModifies, BookCounter::kModifiesKeptPriority,
                   BookCounter::kClears, BookCounter::kCrossed}) {
      EXPECT_GT(c.load(k), 0u) << counter_table(k)[static_cast<std::size_t>(k)].name;
    }
    for (unsigned s = 1; s < static_cast<unsigned>(ApplyStatus::kCount); ++s) {
      EXPECT_EQ(c.load(static_cast<BookCounter>(s)), status_seen_[s])
          << to_string(static_cast<ApplyStatus>(s));
    }
    // The level-total rule was met both ways (see maybe_huge).
    EXPECT_GT(huge_accepted_, 0u);
    EXPECT_GT(huge_rejected_, 0u);
    for (auto s :
         {ApplyStatus::kUnknownOrder, ApplyStatus::kDuplicateOrderId, ApplyStatus::kUnknownInstrument,
          ApplyStatus::kBadQuantity, ApplyStatus::kOffTickPrice, ApplyStatus::kBadPrice}) {
      EXPECT_GT(status_seen_[static_cast<unsigned>(s)], 0u) << to_string(s);
    }
  }

 private:
  uint64_t rnd(uint64_t n) { return std::uniform_int_distribution<uint64_t>(0, n - 1)(rng_); }
  // Where the model has the order (located calls); an unknown id is looked for at some price.
  OrderAt at(uint64_t id) const {
    const auto it = ref_.orders.find(id);
    if (it == ref_.orders.end()) return OrderAt{0, Side::kBid, 500'000, id};
    return OrderAt{it->second.inst, it->second.side, it->second.price, id};
  }
  bool chance(double p) { return std::bernoulli_distribution(p)(rng_); }

  uint64_t new_id() {
    if (chance(0.03)) return kHashedIdBase + next_hashed_++;
    return next_id_++;
  }
  uint64_t pick_live() {
    if (live_.empty()) return 999'999'999'999ULL;  // unknown
    return live_[rnd(live_.size())];
  }
  void track_add(uint64_t id) {
    pos_[id] = live_.size();
    live_.push_back(id);
  }
  void track_remove(uint64_t id) {
    auto it = pos_.find(id);
    if (it == pos_.end()) return;
    const std::size_t p = it->second;
    live_[p] = live_.back();
    pos_[live_[p]] = p;
    live_.pop_back();
    pos_.erase(id);
  }
  void resync_live() {  // after a clear: rebuild the live id list from the model
    live_.clear();
    pos_.clear();
    for (const auto& [id, o] : ref_.orders) track_add(id);
  }
  Price tick_at(uint32_t i, Price p) const { return ref_.inst[i].tick.tick_at(p); }
  Price make_price(uint32_t i, Side side) {
    Price& mid = mid_[i];
    if (chance(0.02)) mid += chance(0.5) ? tick_at(i, mid) : -tick_at(i, mid);
    if (mid < 2000) mid = 2000;
    // Mostly near the touch, sometimes deep, sometimes through the other side (crossing).
    int64_t ticks = static_cast<int64_t>(rnd(6));
    if (chance(0.15)) ticks = static_cast<int64_t>(rnd(200));
    if (chance(0.03)) ticks = -static_cast<int64_t>(rnd(3)) - 1;
    const Price t = tick_at(i, mid);
    Price p = side == Side::kBid ? mid - t - ticks * t : mid + t + ticks * t;
    p -= p % tick_at(i, p);                                  // snap to the ladder at that price
    if (chance(0.01)) p += 1 + static_cast<Price>(rnd(50));  // maybe off tick
    if (chance(0.003)) p = -p;                               // bad price
    return p;
  }
  Qty make_qty() {
    if (chance(0.01)) return -static_cast<Qty>(rnd(3));  // zero or negative
    return 1 + static_cast<Qty>(rnd(999));
  }
  // Sometimes a quantity that brings the level's total (`total`: what it holds besides the order) to within a
  // few units of INT64_MAX, either side of it: the level-total rule (RefBook::fits) is exercised both ways.
  Qty maybe_huge(Qty q, Qty total) {
    if (!chance(0.004)) return q;
    huge_now_ = true;
    constexpr Qty kMax = std::numeric_limits<Qty>::max();
    const Qty room = kMax - total;                    // total >= 0
    const Qty over = static_cast<Qty>(rnd(7)) - 3;    // how far past INT64_MAX the total would go
    if (over > 0 && room > kMax - over) return kMax;  // an empty level cannot be pushed past it
    const Qty huge = room + over;
    return huge > 0 ? huge : 1;
  }

  void step() {
    huge_now_ = false;
    const uint64_t roll = rnd(1000);
    const bool shrink = live_.size() > kTargetLive;
    uint64_t touched_id = 0;
    uint64_t touched_id2 = 0;
    uint32_t inst = static_cast<uint32_t>(rnd(kInstruments));
    ApplyStatus got{};
    ApplyStatus want{};
    if (roll < (shrink ? 250u : 380u)) {  // add
      const Side side = chance(0.5) ? Side::kBid : Side::kAsk;
      Side side_used = side;
      uint64_t id = new_id();
      uint32_t i = inst;
      Price p = make_price(inst, side);
      if (chance(0.01) && !live_.empty()) {  // duplicate (located books see it at the order's own level)
        id = pick_live();
        if (located_) {
          const OrderAt a = at(id);
          i = a.instrument;
          side_used = a.side;
          p = a.price;
        }
      }
      if (chance(0.005)) i = kInstruments + static_cast<uint32_t>(rnd(5));
      Qty q = make_qty();
      if (i < kInstruments && p > 0) q = maybe_huge(q, ref_.level_total(i, side_used, p));
      got = located_ ? book_->add_at(i, id, side_used, p, q) : book_->add(i, id, side_used, p, q);
      want = ref_.add(i, id, side_used, p, q);
      if (want == ApplyStatus::kOk) track_add(id);
      touched_id = id;
    } else if (roll < 500) {  // reduce (partial cancel, sometimes over-reduce)
      const uint64_t id = chance(0.02) ? 888'888'888'888ULL : pick_live();
      Qty q = make_qty();
      if (chance(0.1) && ref_.orders.count(id) && RefBook::fits(ref_.orders[id].qty, 3))
        q = ref_.orders[id].qty + static_cast<Qty>(rnd(3));
      got = located_ ? book_->reduce_at(at(id), q) : book_->reduce(id, q);
      want = ref_.reduce(id, q);
      if (want == ApplyStatus::kOk && ref_.orders.count(id) == 0) track_remove(id);
      touched_id = id;
    } else if (roll < 620) {  // execute
      const uint64_t id = chance(0.02) ? 777'777'777'777ULL : pick_live();
      Qty q = make_qty();
      if (chance(0.3) && ref_.orders.count(id)) q = ref_.orders[id].qty;  // full fill
      const Price p = chance(0.5) || ref_.orders.count(id) == 0 ? kNoPrice : ref_.orders[id].price;
      const uint64_t match = rnd(1u << 30);
      got = located_ ? book_->execute_at(at(id), q, p, match, Aggressor::kBuy)
                     : book_->execute(id, q, p, match, Aggressor::kBuy);
      want = ref_.execute(id, q, p);
      if (want == ApplyStatus::kOk && ref_.orders.count(id) == 0) track_remove(id);
      touched_id = id;
    } else if (roll < 770) {  // modify: keep (qty down, same price) or lose priority
      const uint64_t id = chance(0.02) ? 666'666'666'666ULL : pick_live();
      Price p = 100;
      Qty q = make_qty();
      if (auto it = ref_.orders.find(id); it != ref_.orders.end()) {
        inst = it->second.inst;
        const uint64_t kind = rnd(4);
        if (kind <= 1) {
          p = it->second.price;
          if (q > 0) q = std::max<Qty>(1, it->second.qty - static_cast<Qty>(rnd(5)));
        } else if (kind == 2) {
          p = it->second.price;
          if (q > 0 && RefBook::fits(it->second.qty, 51)) q = it->second.qty + 1 + static_cast<Qty>(rnd(50));
        } else {
          p = make_price(inst, it->second.side);
        }
        if (q > 0 && p > 0) q = maybe_huge(q, ref_.total_without(it->second, p));
      }
      got = located_ ? book_->modify_at(at(id), p, q) : book_->modify(id, p, q);
      want = ref_.modify(id, p, q);
      touched_id = id;
    } else if (roll < 850) {  // replace
      const uint64_t old_id = chance(0.02) ? 555'555'555'555ULL : pick_live();
      uint64_t nid = new_id();
      if (chance(0.02)) nid = located_ ? old_id : pick_live();  // duplicate (or itself; located: itself)
      Price p = 100;
      Qty q = make_qty();
      if (auto it = ref_.orders.find(old_id); it != ref_.orders.end()) {
        inst = it->second.inst;
        p = make_price(inst, it->second.side);
        if (chance(0.3)) p = it->second.price;  // same level: its own quantity leaves the total
        if (q > 0 && p > 0) q = maybe_huge(q, ref_.total_without(it->second, p));
      }
      got = located_ ? book_->replace_at(at(old_id), nid, p, q) : book_->replace(old_id, nid, p, q);
      want = ref_.replace(old_id, nid, p, q);
      if (want == ApplyStatus::kOk) {
        track_remove(old_id);
        track_add(nid);
      }
      touched_id = old_id;
      touched_id2 = nid;
    } else if (roll < 999) {  // delete
      const uint64_t id = chance(0.02) ? 444'444'444'444ULL : pick_live();
      got = located_ ? book_->remove_at(at(id)) : book_->remove(id);
      want = ref_.remove(id);
      if (want == ApplyStatus::kOk) track_remove(id);
      touched_id = id;
    } else {  // clear instrument (mass delete)
      uint32_t i = inst;
      if (chance(0.1)) i = kInstruments + 1;
      got = book_->clear_instrument(i);
      want = ref_.clear(i);
      if (want == ApplyStatus::kOk) resync_live();
    }
    ASSERT_EQ(got, want) << "roll " << roll;
    ++status_seen_[static_cast<unsigned>(want)];
    if (want == ApplyStatus::kBadQuantity && huge_now_) ++huge_rejected_;
    if (want == ApplyStatus::kOk && huge_now_) ++huge_accepted_;
    if (auto it = ref_.orders.find(touched_id); it != ref_.orders.end()) inst = it->second.inst;
    if (inst < kInstruments) compare_instrument(inst, 10);
    compare_order(touched_id);
    if (touched_id2 != 0) compare_order(touched_id2);
    const std::string err = inst < kInstruments ? book_->check_instrument(inst) : std::string{};
    ASSERT_EQ(err, "");
  }

  void compare_order(uint64_t id) {
    const auto got = located_ ? book_->find_at(at(id)) : book_->find(id);
    const auto it = ref_.orders.find(id);
    ASSERT_EQ(got.has_value(), it != ref_.orders.end()) << "order " << id;
    if (!got) return;
    EXPECT_EQ(got->instrument, it->second.inst);
    EXPECT_EQ(got->side, it->second.side);
    EXPECT_EQ(got->price, it->second.price);
    EXPECT_EQ(got->qty, it->second.qty);
    EXPECT_EQ(got->order_id, id);
    EXPECT_EQ(located_ ? book_->queue_position_at(at(id)) : book_->queue_position(id),
              ref_.queue_position(id))
        << "order " << id;
  }

  void compare_instrument(uint32_t i, std::size_t levels) {
    ASSERT_EQ(book_->bbo(i), ref_.bbo(i)) << "instrument " << i;
    for (Side side : {Side::kBid, Side::kAsk}) {
      const auto want = ref_.depth(i, side, levels);
      std::vector<LevelView> got(
          std::min(levels, want.size() + 1));  // one spare: the book must not have more
      const std::size_t n = book_->depth(i, side, got);
      ASSERT_EQ(n, want.size()) << "instrument " << i;
      for (std::size_t k = 0; k < n; ++k) ASSERT_EQ(got[k], want[k]) << "instrument " << i << " level " << k;
    }
    const InstrumentInfo info = book_->instrument(i);
    EXPECT_EQ(info.last_price, ref_.inst[i].last_price);
    EXPECT_EQ(info.last_qty, ref_.inst[i].last_qty);
    EXPECT_EQ(info.volume, ref_.inst[i].volume);
    EXPECT_EQ(info.trade_count, ref_.inst[i].trades);
  }

  void full_check(uint64_t n) {
    ASSERT_EQ(book_->check_invariants(), "") << "after event " << n;
    for (uint32_t i = 0; i < kInstruments; ++i) compare_instrument(i, 1'000'000);
    ASSERT_EQ(book_->live_orders(), ref_.orders.size());
    ASSERT_EQ(book_->state_hash(), ref_.hash()) << "after event " << n;
  }

  std::mt19937_64 rng_;
  bool located_;
  std::unique_ptr<OrderBook> book_;
  RefBook ref_;
  std::vector<Price> mid_;
  std::vector<uint64_t> live_;
  std::unordered_map<uint64_t, std::size_t> pos_;
  uint64_t next_id_ = 1;
  uint64_t next_hashed_ = 0;
  uint64_t status_seen_[static_cast<unsigned>(ApplyStatus::kCount)] = {};
  bool huge_now_ = false;       // this event's quantity came from maybe_huge
  uint64_t huge_accepted_ = 0;  // ... and brought its level's total to within a few units of INT64_MAX
  uint64_t huge_rejected_ = 0;  // ... and would have passed INT64_MAX
};

// Distinct test names per variant so ctest keeps the unit and slow labels apart.
#if NUMI_DIFF_EVENTS >= 1000000
TEST(BookDifferentialSlow, MatchesReferenceModelAfterEveryEventOverAMillionEvents) {
#else
TEST(BookDifferential, MatchesReferenceModelAfterEveryEvent) {
#endif
  Differential d(false);
  d.run(NUMI_DIFF_EVENTS);
}

#if NUMI_DIFF_EVENTS >= 1000000
TEST(BookDifferentialSlow, LocatedBookMatchesReferenceModelAfterEveryEventOverAMillionEvents) {
#else
TEST(BookDifferential, LocatedBookMatchesReferenceModelAfterEveryEvent) {
#endif
  Differential d(true);
  d.run(NUMI_DIFF_EVENTS);
}

}  // namespace
}  // namespace numi::book
