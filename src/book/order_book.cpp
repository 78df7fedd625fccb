// OrderBook cold paths: construction, instrument registry, instrument-wide events, queries, invariant checker
// and canonical state hash. The per-order hot path is inline in order_book.hpp.
#include "numi/book/order_book.hpp"

#include <xxhash.h>

#include <algorithm>
#include <new>
#include <utility>

namespace numi::book {

namespace {

std::string num(uint64_t v) { return std::to_string(v); }
std::string snum(int64_t v) { return std::to_string(v); }

// Little-endian byte sink feeding XXH3 in chunks.
class HashSink {
 public:
  HashSink() : state_(XXH3_createState()) { XXH3_64bits_reset(state_); }
  ~HashSink() { XXH3_freeState(state_); }
  HashSink(const HashSink&) = delete;
  HashSink& operator=(const HashSink&) = delete;
  void u32(uint32_t v) { put(v, 4); }
  void u64(uint64_t v) { put(v, 8); }
  void i64(int64_t v) { put(static_cast<uint64_t>(v), 8); }
  uint64_t digest() {
    flush();
    return XXH3_64bits_digest(state_);
  }

 private:
  void put(uint64_t v, int bytes) {
    if (used_ + 8 > sizeof buf_) flush();
    for (int i = 0; i < bytes; ++i) buf_[used_++] = static_cast<unsigned char>(v >> (8 * i));
  }
  void flush() {
    if (used_ != 0) XXH3_64bits_update(state_, buf_, used_);
    used_ = 0;
  }
  XXH3_state_t* state_;
  unsigned char buf_[4096];
  std::size_t used_ = 0;
};

}  // namespace

Result<std::unique_ptr<OrderBook>> OrderBook::create(const BookLimits& limits) {
  if (limits.max_instruments == 0 || limits.max_instruments >= (1u << 30)) {
    return Error{"book limits: max_instruments=" + num(limits.max_instruments) +
                 " is out of range; fix: set 1 <= max_instruments < 1073741824"};
  }
  if (limits.max_orders == 0 || limits.max_orders >= kNoHandle) {
    return Error{"book limits: max_orders=" + num(limits.max_orders) +
                 " is out of range; fix: set 1 <= max_orders < 4294967295"};
  }
  if (limits.max_levels == 0 || limits.max_levels >= kNoLevel) {
    return Error{"book limits: max_levels=" + num(limits.max_levels) +
                 " is out of range; fix: set 1 <= max_levels < 4294967295"};
  }
  if (limits.order_id_capacity > (uint64_t{1} << 33)) {
    return Error{"book limits: order_id_capacity=" + num(limits.order_id_capacity) +
                 " exceeds 8589934592 (32 GiB of index); fix: lower it and rely on hashed_order_capacity"};
  }
  if (limits.order_id_base + limits.order_id_capacity < limits.order_id_base) {
    return Error{"book limits: order_id_base + order_id_capacity overflows uint64; fix: lower order_id_base"};
  }
  const uint64_t arena = limits.level_arena_slots != 0
                             ? limits.level_arena_slots
                             : uint64_t{4} * limits.max_levels + uint64_t{16} * limits.max_instruments;
  if (arena >= (uint64_t{1} << 31)) {
    return Error{"book limits: level arena of " + num(arena) +
                 " slots is too large; fix: lower max_levels/max_instruments or set level_arena_slots"};
  }
  const bool located = limits.identity == OrderIdentity::kLocated;
  const uint64_t ring = !located ? 0
                        : limits.ring_arena_entries != 0
                            ? limits.ring_arena_entries
                            : uint64_t{4} * limits.max_orders + uint64_t{4} * limits.max_levels;
  if (ring >= (uint64_t{1} << 31)) {
    return Error{"book limits: ring arena of " + num(ring) +
                 " entries is too large; fix: lower max_orders/max_levels or set ring_arena_entries"};
  }
  try {
    BookLimits l = limits;
    l.level_arena_slots = static_cast<uint32_t>(arena);
    l.ring_arena_entries = static_cast<uint32_t>(ring);
    if (located) {  // located books name orders by price: no id index
      l.order_id_capacity = 0;
      l.hashed_order_capacity = 0;
    }
    return std::unique_ptr<OrderBook>(new OrderBook(l));
  } catch (const std::bad_alloc&) {
    return Error{
        "book limits: could not map memory for the order book (max_orders=" + num(limits.max_orders) +
        " order_id_capacity=" + num(limits.order_id_capacity) + "); fix: lower the limits"};
  }
}

OrderBook::OrderBook(const BookLimits& limits)
    : limits_(limits),
      slab_size_(limits.identity == OrderIdentity::kLocated ? 0 : limits.max_orders),
      level_shift_(limits.identity == OrderIdentity::kLocated ? kLocatedLevelShift : kKeyedLevelShift),
      order_mem_(std::size_t{slab_size_} * sizeof(Order)),
      free_stack_mem_(std::size_t{slab_size_} * sizeof(OrderHandle)),
      level_mem_(std::size_t{limits.max_levels} << level_shift_),
      dense_mem_(static_cast<std::size_t>(limits.order_id_capacity) * sizeof(OrderHandle), 0xFF),
      arena_key_mem_(std::size_t{limits.level_arena_slots} * sizeof(Price)),
      arena_level_mem_(std::size_t{limits.level_arena_slots} * sizeof(LevelIndex)),
      instrument_mem_(std::size_t{limits.max_instruments} * sizeof(Instrument)),
      ring_entry_mem_(std::size_t{limits.ring_arena_entries} * sizeof(Entry)),
      arena_(limits.level_arena_slots, kMinClass),
      ring_arena_(limits.ring_arena_entries, kMinRingClass),
      hashed_(limits.hashed_order_capacity),
      venue_ids_(limits.max_instruments) {
  orders_ = order_mem_.as<Order>();
  level_base_ = level_mem_.as<std::byte>();
  dense_ = dense_mem_.as<OrderHandle>();
  arena_keys_ = arena_key_mem_.as<Price>();
  arena_levels_ = arena_level_mem_.as<LevelIndex>();
  instruments_ = instrument_mem_.as<Instrument>();
  free_stack_ = free_stack_mem_.as<OrderHandle>();
  ring_entries_ = ring_entry_mem_.as<Entry>();
  for (uint32_t i = 0; i < slab_size_; ++i) {
    orders_[i] = Order{0, 0, kNoHandle, kNoHandle, kNoLevel, 0};
    free_stack_[i] = slab_size_ - 1 - i;  // pops hand out 0, 1, 2, ... on a fresh book
  }
  free_top_ = slab_size_;
  for (uint32_t i = 0; i < limits_.max_levels; ++i) {
    level(i) = Level{0, 0, i + 1 < limits_.max_levels ? i + 1 : kNoLevel, kNoHandle, 0, kFreeOwner};
  }
  free_level_ = 0;
  symbols_.reserve(limits_.max_instruments);
}

OrderBook::~OrderBook() = default;

Result<InstrumentIndex> OrderBook::add_instrument(uint64_t venue_id, std::string_view symbol,
                                                  const TickTable& tick) {
  if (!tick.valid()) {
    return Error{"instrument " + num(venue_id) + " (" + std::string(symbol) + "): tick=" + snum(tick.tick()) +
                 " min_price=" + snum(tick.min_price()) + " max_price=" + snum(tick.max_price()) +
                 " is invalid; fix: tick > 0 and min_price <= max_price within +-2^62"};
  }
  if (venue_ids_.find(venue_id) != nullptr) {
    return Error{"instrument " + num(venue_id) + " (" + std::string(symbol) +
                 "): venue id registered twice; fix: remove the duplicate reference-data row"};
  }
  if (instrument_count_ >= limits_.max_instruments) {
    return Error{"instrument " + num(venue_id) + " (" + std::string(symbol) + "): max_instruments=" +
                 num(limits_.max_instruments) + " reached; fix: raise book max_instruments"};
  }
  const InstrumentIndex index = instrument_count_;
  Instrument* ins = new (&instruments_[index]) Instrument{};
  ins->tick = tick;
  ins->venue_id = venue_id;
  (void)venue_ids_.insert(venue_id, index);
  symbols_.emplace_back(symbol);
  ++instrument_count_;
  return index;
}

std::optional<InstrumentIndex> OrderBook::find_instrument(uint64_t venue_id) const noexcept {
  const InstrumentIndex* i = venue_ids_.find(venue_id);
  if (i == nullptr) return std::nullopt;
  return *i;
}

InstrumentInfo OrderBook::instrument(InstrumentIndex index) const noexcept {
  InstrumentInfo info;
  if (index >= instrument_count_) return info;
  const Instrument& ins = instruments_[index];
  info.venue_id = ins.venue_id;
  info.symbol = symbols_[index];
  info.tick = ins.tick;
  info.state = ins.state;
  info.last_price = ins.last_price;
  info.last_qty = ins.last_qty;
  info.last_match_id = ins.last_match_id;
  info.last_aggressor = ins.last_aggressor;
  info.volume = ins.volume;
  info.trade_count = ins.trade_count;
  info.order_count = ins.order_count;
  info.bid_levels = ins.sides[0].size;
  info.ask_levels = ins.sides[1].size;
  return info;
}

ApplyStatus OrderBook::clear_instrument(InstrumentIndex instrument) noexcept {
  if (instrument >= instrument_count_) return reject(ApplyStatus::kUnknownInstrument);
  Instrument& ins = instruments_[instrument];
  for (SideBook& sb : ins.sides) {
    for (uint32_t i = 0; i < sb.size; ++i) {
      const LevelIndex li = arena_levels_[sb.offset + i];
      Level& l = level(li);
      if (located()) {
        live_orders_ -= l.count;
        const Ring& r = ring_of(li);
        ring_arena_.release(r.offset, r.cls);
      } else {
        OrderHandle h = l.head;
        while (h != kNoHandle) {
          Order& o = orders_[h];
          const OrderHandle next = o.next;
          if ((o.instrument & kIndexedBit) != 0) index_erase(o.id);
          o.level = kNoLevel;
          free_stack_[free_top_++] = h;
          --live_orders_;
          h = next;
        }
      }
      l.owner = kFreeOwner;
      l.head = free_level_;
      free_level_ = li;
      --live_levels_;
    }
    if (sb.cls != 0) arena_.release(sb.offset, sb.cls);
    sb = SideBook{};
  }
  ins.order_count = 0;
  counters_.add(BookCounter::kClears);
  return ApplyStatus::kOk;
}

void OrderBook::clear_all() noexcept {
  for (InstrumentIndex i = 0; i < instrument_count_; ++i) {
    if (instruments_[i].order_count != 0) (void)clear_instrument(i);
  }
}

ApplyStatus OrderBook::set_state(InstrumentIndex instrument, InstrumentState state) noexcept {
  if (instrument >= instrument_count_) return reject(ApplyStatus::kUnknownInstrument);
  instruments_[instrument].state = state;
  counters_.add(BookCounter::kStateChanges);
  return ApplyStatus::kOk;
}

ApplyStatus OrderBook::record_trade(InstrumentIndex instrument, Price price, Qty qty, uint64_t match_id,
                                    Aggressor aggressor) noexcept {
  if (instrument >= instrument_count_) return reject(ApplyStatus::kUnknownInstrument);
  if (qty <= 0) return reject(ApplyStatus::kBadQuantity);
  if (!within_price_limit(price)) return reject(ApplyStatus::kBadPrice);
  note_trade(instruments_[instrument], price, qty, match_id, aggressor);
  return ApplyStatus::kOk;
}

std::size_t OrderBook::depth(InstrumentIndex instrument, Side side, std::span<LevelView> out) const noexcept {
  if (instrument >= instrument_count_) return 0;
  const SideBook& sb = instruments_[instrument].sides[side_index(side)];
  const std::size_t n = std::min<std::size_t>(sb.size, out.size());
  for (std::size_t i = 0; i < n; ++i) {
    const Level& l = level(arena_levels_[sb.offset + sb.size - 1 - i]);
    out[i] = LevelView{l.price, l.qty, l.count};
  }
  return n;
}

std::optional<OrderView> OrderBook::order(OrderHandle h) const noexcept {
  if (!live(h)) return std::nullopt;
  const Order& o = orders_[h];
  const Level& l = level(o.level);
  return OrderView{instrument_of(o), side_of(l), l.price, o.qty, o.id, h};
}

std::optional<OrderView> OrderBook::find(uint64_t order_id) const noexcept {
  const OrderHandle h = lookup(order_id);
  if (h == kNoHandle) return std::nullopt;
  return order(h);
}

std::optional<QueuePosition> OrderBook::queue_position_of(OrderHandle h) const noexcept {
  if (!live(h)) return std::nullopt;
  QueuePosition q;
  for (OrderHandle p = orders_[h].prev; p != kNoHandle; p = orders_[p].prev) {
    ++q.orders_ahead;
    q.qty_ahead += orders_[p].qty;
  }
  return q;
}

std::optional<OrderView> OrderBook::find_at(const OrderAt& at) const noexcept {
  const Loc loc = locate(at);
  if (!loc.found()) return std::nullopt;
  const Entry& e = at_seq(loc.level, loc.seq);
  return OrderView{at.instrument, at.side, at.price, e.qty, e.id, kNoHandle};
}

std::optional<QueuePosition> OrderBook::queue_position_at(const OrderAt& at) const noexcept {
  const Loc loc = locate(at);
  if (!loc.found()) return std::nullopt;
  QueuePosition q;
  for (uint32_t seq = level(loc.level).head; seq != loc.seq; ++seq) {  // tombstones (qty 0) are not orders
    const Qty qty = at_seq(loc.level, seq).qty;
    q.orders_ahead += qty != 0 ? 1u : 0u;
    q.qty_ahead += qty;
  }
  return q;
}

std::size_t OrderBook::ring_entries_in_use() const noexcept {
  if (!located()) return 0;
  std::size_t n = 0;
  for (InstrumentIndex i = 0; i < instrument_count_; ++i) {
    for (const SideBook& sb : instruments_[i].sides) {
      for (uint32_t k = 0; k < sb.size; ++k) n += std::size_t{1} << ring_of(arena_levels_[sb.offset + k]).cls;
    }
  }
  return n;
}

std::optional<QueuePosition> OrderBook::queue_position(uint64_t order_id) const noexcept {
  const OrderHandle h = lookup(order_id);
  if (h == kNoHandle) return std::nullopt;
  return queue_position_of(h);
}

// ---------------------------------------------------------------------------------------------------------
// Invariant checker
// ---------------------------------------------------------------------------------------------------------

std::string OrderBook::check_side(InstrumentIndex inst, Side side, uint32_t& orders_seen) const {
  const Instrument& ins = instruments_[inst];
  const SideBook& sb = ins.sides[side_index(side)];
  // Descriptions are built only on failure (the checker runs after every event in the differential test).
  const auto where = [&] {
    return "instrument " + num(inst) + " (venue id " + num(ins.venue_id) + ") " +
           (side == Side::kBid ? "bid" : "ask");
  };
  const auto at_level = [&](LevelIndex li) {
    return where() + " level " + num(li) + " price " + snum(level(li).price);
  };
  const auto at_order = [&](LevelIndex li, OrderHandle h) {
    return at_level(li) + " order " + num(orders_[h].id) + " (handle " + num(h) + ")";
  };
  if (sb.cls == 0) {
    if (sb.size != 0) return where() + ": " + num(sb.size) + " levels but no array block";
  } else {
    if (sb.cls < kMinClass || sb.cls > kMaxClass) return where() + ": bad array class " + num(sb.cls);
    if (sb.size > (1u << sb.cls)) return where() + ": size " + num(sb.size) + " exceeds block capacity";
    if (uint64_t{sb.offset} + (1u << sb.cls) > arena_.bump())
      return where() + ": block beyond the arena bump";
  }
  const LevelIndex expect_best = sb.size == 0 ? kNoLevel : arena_levels_[sb.offset + sb.size - 1];
  if (sb.best != expect_best) {
    return where() + ": cached best level " + num(sb.best) + " != computed " + num(expect_best);
  }
  for (uint32_t i = 0; i < sb.size; ++i) {
    const Price key = arena_keys_[sb.offset + i];
    if (i > 0 && arena_keys_[sb.offset + i - 1] >= key) {
      return where() + ": level array not strictly sorted at position " + num(i) +
             " (duplicate or unordered price)";
    }
    const LevelIndex li = arena_levels_[sb.offset + i];
    if (li >= limits_.max_levels) return where() + ": level index " + num(li) + " out of range";
    const Level& l = level(li);
    if (l.owner != ((inst << 1) | side_index(side)))
      return at_level(li) + ": owner mismatch (" + num(l.owner) + ")";
    if (key_of(side, l.price) != key)
      return at_level(li) + ": array key " + snum(key) + " does not match the price";
    if (ins.tick.check(l.price) != ApplyStatus::kOk) return at_level(li) + ": price fails the tick table";
    if (located()) {
      if (std::string e = check_ring(li, at_level); !e.empty()) return e;
      orders_seen += l.count;
      continue;
    }
    if (l.count == 0 || l.head == kNoHandle || l.tail == kNoHandle) {
      return at_level(li) + ": empty level kept in the array";
    }
    uint32_t count = 0;
    Qty qty = 0;
    OrderHandle prev = kNoHandle;
    for (OrderHandle h = l.head; h != kNoHandle; h = orders_[h].next) {
      if (h >= limits_.max_orders) return at_level(li) + ": order handle " + num(h) + " out of range";
      if (++count > l.count)
        return at_level(li) + ": queue longer than its count " + num(l.count) + " (cycle?)";
      const Order& o = orders_[h];
      if (o.level != li) return at_order(li, h) + ": order's level is " + num(o.level);
      if (instrument_of(o) != inst)
        return at_order(li, h) + ": order's instrument is " + num(instrument_of(o));
      if (o.prev != prev) return at_order(li, h) + ": prev link " + num(o.prev) + " != " + num(prev);
      if (o.qty <= 0) return at_order(li, h) + ": non-positive qty " + snum(o.qty);
      if ((o.instrument & kIndexedBit) != 0 && lookup(o.id) != h) {
        return at_order(li, h) + ": order index maps the id to " + num(lookup(o.id));
      }
      qty += o.qty;
      prev = h;
    }
    if (count != l.count) return at_level(li) + ": count " + num(l.count) + " but queue has " + num(count);
    if (l.tail != prev) return at_level(li) + ": tail " + num(l.tail) + " != last queued " + num(prev);
    if (l.qty != qty) return at_level(li) + ": qty " + snum(l.qty) + " != sum of orders " + snum(qty);
    orders_seen += count;
  }
  return {};
}

template <typename Where>
std::string OrderBook::check_ring(LevelIndex li, const Where& at_level) const {
  const Level& l = level(li);
  const Ring& r = ring_of(li);
  const uint32_t cap = 1u << r.cls;
  if (l.count == 0) return at_level(li) + ": empty level kept in the array";
  if (r.cls < kMinRingClass || r.cls > kMaxClass) return at_level(li) + ": bad ring class " + num(r.cls);
  if (uint64_t{r.offset} + cap > ring_arena_.bump()) return at_level(li) + ": ring beyond the arena bump";
  const uint32_t span = l.tail - l.head;
  if (span > cap || l.count > span) {
    return at_level(li) + ": " + num(l.count) + " orders over a span of " + num(span) + " in a ring of " +
           num(cap);
  }
  if (too_sparse(l.count, span)) {
    return at_level(li) + ": " + num(l.count) + " orders over a span of " + num(span) +
           " (more than a quarter are tombstones: it should have been compacted)";
  }
  if (at_seq(li, l.head).qty == 0 || at_seq(li, l.tail - 1).qty == 0)
    return at_level(li) + ": the ring's head or tail is a tombstone";
  if (r.last_id != at_seq(li, l.tail - 1).id) {
    return at_level(li) + ": ring's last id " + num(r.last_id) + " but the tail entry's is " +
           num(at_seq(li, l.tail - 1).id);
  }
  uint32_t count = 0;
  Qty qty = 0;
  for (uint32_t seq = l.head; seq != l.tail; ++seq) {
    const Entry& e = at_seq(li, seq);
    const auto at_order = [&] { return at_level(li) + " order seq " + num(seq) + " id " + num(e.id); };
    if (e.qty < 0) return at_order() + ": negative qty " + snum(e.qty);
    if (r.sorted && seq != l.head && at_seq(li, seq - 1).id >= e.id)
      return at_order() + ": ring marked sorted but ids do not rise";
    if (e.qty == 0) continue;  // tombstone
    if (!r.sorted) {           // rising ids are unique; otherwise look for the id among the live orders ahead
      for (uint32_t k = l.head; k != seq; ++k) {
        if (at_seq(li, k).qty != 0 && at_seq(li, k).id == e.id) return at_order() + ": id queued twice";
      }
    }
    ++count;
    qty += e.qty;
  }
  if (count != l.count) return at_level(li) + ": count " + num(l.count) + " but " + num(count) + " queued";
  if (l.qty != qty) return at_level(li) + ": qty " + snum(l.qty) + " != sum of orders " + snum(qty);
  return {};
}

std::string OrderBook::check_instrument(InstrumentIndex instrument) const {
  if (instrument >= instrument_count_) return "instrument " + num(instrument) + " is not registered";
  uint32_t seen = 0;
  if (std::string e = check_side(instrument, Side::kBid, seen); !e.empty()) return e;
  if (std::string e = check_side(instrument, Side::kAsk, seen); !e.empty()) return e;
  const Instrument& ins = instruments_[instrument];
  if (seen != ins.order_count) {
    return "instrument " + num(instrument) + ": order_count " + num(ins.order_count) + " but " + num(seen) +
           " orders queued";
  }
  return {};
}

std::string OrderBook::check_invariants() const {
  uint64_t orders = 0;
  uint64_t levels = 0;
  uint64_t used_slots = 0;
  for (InstrumentIndex i = 0; i < instrument_count_; ++i) {
    if (std::string e = check_instrument(i); !e.empty()) return e;
    orders += instruments_[i].order_count;
    for (const SideBook& sb : instruments_[i].sides) {
      levels += sb.size;
      if (sb.cls != 0) used_slots += 1u << sb.cls;
    }
  }
  if (orders != live_orders_)
    return "live_orders " + num(live_orders_) + " but instruments hold " + num(orders);
  if (levels != live_levels_) return "live_levels " + num(live_levels_) + " but sides hold " + num(levels);
  if (live_orders_ > limits_.max_orders)
    return "live_orders " + num(live_orders_) + " exceeds max_orders " + num(limits_.max_orders);
  if (!located() && uint64_t{free_top_} + live_orders_ != slab_size_) {
    return "order free stack holds " + num(free_top_) + ", live " + num(live_orders_) + ", capacity " +
           num(slab_size_);
  }
  if (located()) {
    if (std::string ring = ring_arena_.check(ring_entries_in_use()); !ring.empty()) return "ring " + ring;
  }
  {
    std::vector<bool> seen(slab_size_, false);
    for (uint32_t i = 0; i < free_top_; ++i) {
      const OrderHandle h = free_stack_[i];
      if (h >= slab_size_) return "order free stack: handle " + num(h) + " out of range";
      if (orders_[h].level != kNoLevel) return "order free stack: handle " + num(h) + " is live";
      if (seen[h]) return "order free stack: handle " + num(h) + " appears twice";
      seen[h] = true;
    }
  }
  uint64_t free_levels = 0;
  for (LevelIndex li = free_level_; li != kNoLevel; li = level(li).head) {
    if (li >= limits_.max_levels) return "level free list: index " + num(li) + " out of range";
    if (level(li).owner != kFreeOwner) return "level free list: level " + num(li) + " is owned";
    if (++free_levels > limits_.max_levels) return "level free list: cycle";
  }
  if (free_levels + live_levels_ != limits_.max_levels) {
    return "level free list holds " + num(free_levels) + ", live " + num(live_levels_) + ", capacity " +
           num(limits_.max_levels);
  }
  if (std::string arena = arena_.check(used_slots); !arena.empty()) return arena;
  // Order index <-> orders: every entry names a live, keyed order with that id; counts agree.
  uint64_t indexed = 0;
  for (uint32_t h = 0; h < slab_size_; ++h) {
    if (orders_[h].level != kNoLevel && (orders_[h].instrument & kIndexedBit) != 0) ++indexed;
  }
  uint64_t dense = 0;
  for (uint64_t rel = 0; rel < limits_.order_id_capacity; ++rel) {
    const OrderHandle h = dense_[rel];
    if (h == kNoHandle) continue;
    ++dense;
    if (!live(h) || orders_[h].id != limits_.order_id_base + rel ||
        (orders_[h].instrument & kIndexedBit) == 0) {
      return "dense index: id " + num(limits_.order_id_base + rel) +
             " maps to a handle that is not that order";
    }
  }
  if (dense != dense_count_) return "dense index: " + num(dense) + " entries but count " + num(dense_count_);
  std::string bad;
  hashed_.for_each([&](uint64_t id, OrderHandle h) {
    if (bad.empty() && (!live(h) || orders_[h].id != id || (orders_[h].instrument & kIndexedBit) == 0)) {
      bad = "hashed index: id " + num(id) + " maps to a handle that is not that order";
    }
  });
  if (!bad.empty()) return bad;
  if (dense + hashed_.size() != indexed) {
    return "order index holds " + num(dense + hashed_.size()) + " ids but " + num(indexed) +
           " keyed orders live";
  }
  return {};
}

// ---------------------------------------------------------------------------------------------------------
// Canonical state hash (docs/book.md, "State hash")
// ---------------------------------------------------------------------------------------------------------

uint64_t OrderBook::state_hash() const {
  std::vector<std::pair<uint64_t, InstrumentIndex>> order;
  order.reserve(instrument_count_);
  for (InstrumentIndex i = 0; i < instrument_count_; ++i) {
    if (instruments_[i].order_count != 0) order.emplace_back(instruments_[i].venue_id, i);
  }
  std::sort(order.begin(), order.end());
  HashSink sink;
  for (const auto& [venue_id, index] : order) {
    sink.u64(venue_id);
    for (const SideBook& sb : instruments_[index].sides) {
      sink.u32(sb.size);
      for (uint32_t i = sb.size; i > 0; --i) {
        const Level& l = level(arena_levels_[sb.offset + i - 1]);
        sink.i64(l.price);
        sink.i64(l.qty);
        sink.u32(l.count);
        for_each_order(arena_levels_[sb.offset + i - 1], [&](uint64_t id, Qty qty) {
          sink.u64(id);
          sink.i64(qty);
        });
      }
    }
  }
  return sink.digest();
}

}  // namespace numi::book
