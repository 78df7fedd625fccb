// OrderBook: full-depth (L3, order-by-order) price-time book for every instrument of a venue. Price levels
// live in a level pool and each instrument side keeps a sorted array of (price key, level) with the BEST AT
// THE END. How a level queues its orders depends on how the venue names an order (BookLimits::identity):
//  - keyed (ITCH: messages carry only an order id): orders live in a preallocated slab (OrderHandle = uint32
//    index, 32-byte records) and each level's queue is an intrusive FIFO of 32-bit prev/next links, so a
//    cancel anywhere in a deep queue is O(1). Keyed calls go through a dense direct-indexed id table with an
//    OpenHashMap fallback; handle-level calls (*_order) serve adapters with their own index.
//  - located (EOBI: every order message carries the order's price): an order is named by (instrument, side,
//    price, id) and its whole state is one 16-byte entry {id, open qty} of its level's ring (a power-of-two
//    block of the ring arena), found by binary search on the ids, which rise along the queue (venue time
//    priorities do; a scan otherwise). No slab, no id table: a message costs the level and one ring line.
// Queries (BBO, depth, order, queue position), invariant checker, canonical XXH3 hash (the same bytes in both
// modes). Main types: OrderIdentity, BookLimits, InstrumentInfo, OrderAt, OrderBook. See docs/book.md.
// Thread-safety: none; one owner thread applies events and queries. Counters may be read from any thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "numi/book/block_allocator.hpp"
#include "numi/book/book_counters.hpp"
#include "numi/book/open_hash_map.hpp"
#include "numi/book/page_memory.hpp"
#include "numi/book/tick_table.hpp"
#include "numi/book/types.hpp"
#include "numi/core/status.hpp"

namespace numi::book {

// How the venue's messages name an order (see the header comment).
enum class OrderIdentity : uint8_t {
  kKeyed,    // by order id (keyed and handle-level calls)
  kLocated,  // by (instrument, side, price, id) (located calls)
};

// Capacities fixed at construction; everything is preallocated and page-touched, nothing grows later.
struct BookLimits {
  OrderIdentity identity = OrderIdentity::kKeyed;
  uint32_t max_instruments = 1024;
  uint32_t max_orders = 1u << 20;  // live orders, all instruments (keyed: the order slab)
  uint32_t max_levels = 1u << 18;  // live price levels, all instruments and sides (level pool)
  // Keyed: dense order index: ids in [order_id_base, order_id_base + order_id_capacity) map straight to a
  // handle (4 bytes per id). ITCH order reference numbers are dense and increasing: size this for the day.
  // Located books have no id index (both capacities are ignored).
  uint64_t order_id_base = 0;
  uint64_t order_id_capacity = 1u << 22;
  // Live orders whose id is outside the dense range (OpenHashMap fallback, load <= 0.5); 0 = reject them
  // with kOrderIdOutOfRange.
  uint32_t hashed_order_capacity = 1u << 16;
  // Slots of the arena that holds the per-side sorted level arrays; 0 = automatic
  // (4 * max_levels + 16 * max_instruments, rounded up).
  uint32_t level_arena_slots = 0;
  // Located: 16-byte entries of the arena that holds the levels' rings; 0 = automatic (4 * max_orders +
  // 4 * max_levels). A ring grows while more than a quarter of it is live and is compacted otherwise; when
  // the arena has no larger block, a ring with tombstones is compacted, else the add is rejected
  // (kLevelTableFull).
  uint32_t ring_arena_entries = 0;
};

// A located call's order: where it rests (the venue's message says) and its id there.
struct OrderAt {
  InstrumentIndex instrument;
  Side side;
  Price price;
  uint64_t order_id;
};

// Read-only description and statistics of one instrument.
struct InstrumentInfo {
  uint64_t venue_id = 0;
  std::string_view symbol;  // valid while the OrderBook lives
  TickTable tick;
  InstrumentState state = InstrumentState::kUnknown;
  Price last_price = 0;  // last trade (0 before the first trade)
  Qty last_qty = 0;
  uint64_t last_match_id = 0;
  Aggressor last_aggressor = Aggressor::kUnknown;
  uint64_t volume = 0;  // sum of traded quantity
  uint64_t trade_count = 0;
  uint32_t order_count = 0;  // live orders
  uint32_t bid_levels = 0;
  uint32_t ask_levels = 0;
};

class OrderBook {
 public:
  // Validates limits and preallocates every table (cold path; errors name the limit and the fix).
  static Result<std::unique_ptr<OrderBook>> create(const BookLimits& limits);

  OrderBook(const OrderBook&) = delete;
  OrderBook& operator=(const OrderBook&) = delete;
  ~OrderBook();

  // ---- Instruments (cold: start-up) ----
  // Registers an instrument; indices are dense 0,1,2,... Errors: duplicate venue id, table full, bad tick.
  Result<InstrumentIndex> add_instrument(uint64_t venue_id, std::string_view symbol, const TickTable& tick);
  [[nodiscard]] std::optional<InstrumentIndex> find_instrument(uint64_t venue_id) const noexcept;
  // Precondition: index < instrument_count().
  [[nodiscard]] InstrumentInfo instrument(InstrumentIndex index) const noexcept;
  [[nodiscard]] uint32_t instrument_count() const noexcept { return instrument_count_; }

  // ---- Keyed API (order id -> handle through the order index) ----
  // Check order: unknown instrument, bad qty, bad price, off tick, id out of range, duplicate id, table full.
  ApplyStatus add(InstrumentIndex instrument, uint64_t order_id, Side side, Price price, Qty qty) noexcept;
  // Partial cancel: open qty -= qty; qty >= open removes the order (over-reduce is counted).
  ApplyStatus reduce(uint64_t order_id, Qty qty) noexcept;
  // Execution against a resting order: reduces/removes it exactly once and records the trade. price ==
  // kNoPrice means "at the resting order's price".
  ApplyStatus execute(uint64_t order_id, Qty qty, Price price = kNoPrice, uint64_t match_id = 0,
                      Aggressor aggressor = Aggressor::kUnknown) noexcept;
  // New price/qty for the same order. Same price and qty <= open keeps queue priority; a price change or a
  // qty increase moves the order to the back of the (new) level's queue.
  ApplyStatus modify(uint64_t order_id, Price price, Qty qty) noexcept;
  // New order id, same instrument and side, new price/qty, priority lost (back of the queue).
  ApplyStatus replace(uint64_t old_id, uint64_t new_id, Price price, Qty qty) noexcept;
  ApplyStatus remove(uint64_t order_id) noexcept;

  // ---- Handle-level API (adapters with their own index; the returned handle stays valid until removal) ----
  AddResult add_order(InstrumentIndex instrument, uint64_t order_id, Side side, Price price,
                      Qty qty) noexcept;
  ApplyStatus reduce_order(OrderHandle h, Qty qty) noexcept;
  ApplyStatus execute_order(OrderHandle h, Qty qty, Price price = kNoPrice, uint64_t match_id = 0,
                            Aggressor aggressor = Aggressor::kUnknown) noexcept;
  ApplyStatus modify_order(OrderHandle h, Price price, Qty qty) noexcept;
  // Keeps the handle; stores new_id as the order's id (and re-keys the index if the order was added keyed).
  ApplyStatus replace_order(OrderHandle h, uint64_t new_id, Price price, Qty qty) noexcept;
  ApplyStatus remove_order(OrderHandle h) noexcept;

  // ---- Located API (identity kLocated; on a keyed book these reject with kUnknownOrder) ----
  // Same semantics as the keyed calls; ids are unique per instrument side, and a duplicate is detected at the
  // order's own price level.
  ApplyStatus add_at(InstrumentIndex instrument, uint64_t order_id, Side side, Price price, Qty qty) noexcept;
  ApplyStatus reduce_at(const OrderAt& at, Qty qty) noexcept;
  ApplyStatus execute_at(const OrderAt& at, Qty qty, Price price = kNoPrice, uint64_t match_id = 0,
                         Aggressor aggressor = Aggressor::kUnknown) noexcept;
  ApplyStatus modify_at(const OrderAt& at, Price price, Qty qty) noexcept;
  // New id (e.g. a new time priority), new price/qty, back of the queue; kDuplicateOrderId when new_id is
  // already live at the target price.
  ApplyStatus replace_at(const OrderAt& at, uint64_t new_id, Price price, Qty qty) noexcept;
  ApplyStatus remove_at(const OrderAt& at) noexcept;

  // ---- Instrument-wide events ----
  // Mass delete: removes every order of the instrument (trade statistics and state are kept).
  ApplyStatus clear_instrument(InstrumentIndex instrument) noexcept;
  // Removes every order of every instrument.
  void clear_all() noexcept;
  ApplyStatus set_state(InstrumentIndex instrument, InstrumentState state) noexcept;
  // A trade that did not execute a visible resting order (e.g. ITCH 'P', auction cross): statistics only.
  ApplyStatus record_trade(InstrumentIndex instrument, Price price, Qty qty, uint64_t match_id = 0,
                           Aggressor aggressor = Aggressor::kUnknown) noexcept;

  // ---- Prefetch hooks (call one message ahead) ----
  // Stage 1: prefetches the order index slot of order_id (no memory read; call two messages ahead).
  void prefetch(uint64_t order_id) const noexcept;
  // Stage 2: reads the index slot (cheap once stage 1 landed) and prefetches the order record and its level
  // (call one message ahead). Harmless for unknown ids.
  void prefetch_record(uint64_t order_id) const noexcept;
  void prefetch_order(OrderHandle h) const noexcept;

  // ---- Queries ----
  [[nodiscard]] OrderHandle lookup(uint64_t order_id) const noexcept;  // kNoHandle when not indexed
  [[nodiscard]] Bbo bbo(InstrumentIndex instrument) const noexcept;
  // Writes up to out.size() levels best first; returns how many were written.
  std::size_t depth(InstrumentIndex instrument, Side side, std::span<LevelView> out) const noexcept;
  [[nodiscard]] std::optional<OrderView> find(uint64_t order_id) const noexcept;
  [[nodiscard]] std::optional<OrderView> order(OrderHandle h) const noexcept;
  [[nodiscard]] std::optional<QueuePosition> queue_position(uint64_t order_id) const noexcept;
  [[nodiscard]] std::optional<QueuePosition> queue_position_of(OrderHandle h) const noexcept;
  [[nodiscard]] std::optional<OrderView> find_at(const OrderAt& at) const noexcept;
  [[nodiscard]] std::optional<QueuePosition> queue_position_at(const OrderAt& at) const noexcept;
  // Calls f(const LevelView&) for each level best first, then g(uint64_t order_id, Qty qty) for each order of
  // that level in queue order (cold path).
  template <typename LevelFn, typename OrderFn>
  void for_each_level(InstrumentIndex instrument, Side side, LevelFn&& f, OrderFn&& g) const;

  // ---- Checks and hash (cold) ----
  // "" when consistent, else a description of the first violation found.
  [[nodiscard]] std::string check_invariants() const;
  [[nodiscard]] std::string check_instrument(InstrumentIndex instrument) const;
  // Canonical XXH3-64 of the logical book (docs/book.md defines every byte).
  [[nodiscard]] uint64_t state_hash() const;

  [[nodiscard]] const CounterBlock<BookCounter>& counters() const noexcept { return counters_; }
  [[nodiscard]] uint32_t live_orders() const noexcept { return live_orders_; }
  [[nodiscard]] uint32_t live_levels() const noexcept { return live_levels_; }
  [[nodiscard]] bool located() const noexcept { return limits_.identity == OrderIdentity::kLocated; }
  // Located: ring-arena entries held by the levels' rings (the memory the queues occupy, for benchmarks).
  [[nodiscard]] std::size_t ring_entries_in_use() const noexcept;
  // Times an arena (side arrays, rings) had to merge its free blocks to serve a request: each is a cold pass
  // over its free lists (a latency outlier) that spared a kLevelTableFull rejection.
  [[nodiscard]] uint64_t arena_coalesce_passes() const noexcept {
    return arena_.coalesce_passes() + ring_arena_.coalesce_passes();
  }
  [[nodiscard]] const BookLimits& limits() const noexcept { return limits_; }

 private:
  // 32 bytes: two orders per cache line, never straddling one.
  struct alignas(32) Order {
    uint64_t id;
    Qty qty;           // open quantity (> 0 while live)
    OrderHandle prev;  // FIFO links within the level (kNoHandle at the ends)
    OrderHandle next;
    LevelIndex level;     // kNoLevel while free
    uint32_t instrument;  // instrument index | kIndexedBit when the keyed index points here
  };
  struct alignas(32) Level {
    Price price;
    Qty qty;         // total open qty of the queue
    uint32_t head;   // keyed: oldest order's handle; located: sequence number of the oldest (live) entry.
                     // The free-list link while free.
    uint32_t tail;   // keyed: newest order's handle; located: next sequence number (entry tail - 1 is live)
    uint32_t count;  // orders in the queue
    uint32_t owner;  // instrument << 1 | side; kFreeOwner while free
  };
  // Located: one order of a ring. Its slot is seq & (capacity - 1), so growing the ring keeps every sequence
  // number; a removed order leaves a tombstone (qty 0) until the head or tail passes it or the ring is
  // compacted (ring_erase keeps at most a quarter of a span dead: too_sparse).
  struct Entry {
    uint64_t id;
    Qty qty;  // open quantity; 0 = tombstone
  };
  struct Ring {
    uint32_t offset;  // block in the ring arena
    uint8_t cls;      // log2 of the capacity
    bool sorted;      // ids strictly rise from head to tail (binary search is valid)
    // Id of the newest order (the entry at tail - 1) while the ring holds one: an add decides "above every
    // queued id" and "still sorted" from this record, which the operation reads anyway, so the ring's tail
    // line is only written (a store miss does not stall; a load miss would).
    uint64_t last_id;
  };
  // A located order found: its level and its sequence number in the level's ring.
  struct Loc {
    LevelIndex level = kNoLevel;
    uint32_t seq = 0;
    [[nodiscard]] bool found() const noexcept { return level != kNoLevel; }
  };
  static_assert(sizeof(Order) == 32 && sizeof(Level) == 32 && sizeof(Entry) == 16 && sizeof(Ring) == 16);
  // Level records lie 1 << level_shift_ bytes apart: 32 in a keyed book; 64 in a located one, whose level's
  // ring record follows its level record in the same cache line, so the lookup that reaches a level has its
  // ring's offset, class and newest id with no second miss.
  static constexpr uint32_t kKeyedLevelShift = 5;
  static constexpr uint32_t kLocatedLevelShift = 6;
  static_assert(sizeof(Level) == (1u << kKeyedLevelShift) &&
                sizeof(Level) + sizeof(Ring) <= (1u << kLocatedLevelShift));
  [[nodiscard]] Level& level(LevelIndex li) const noexcept {
    return *reinterpret_cast<Level*>(level_base_ + (std::size_t{li} << level_shift_));
  }
  // Located books only.
  [[nodiscard]] Ring& ring_of(LevelIndex li) const noexcept {
    return *reinterpret_cast<Ring*>(level_base_ + (std::size_t{li} << kLocatedLevelShift) + sizeof(Level));
  }
  // Sorted (key, level) array of one side: keys ascending, best at the end (key = price for bids, -price for
  // asks), stored in the arena at [offset, offset + 2^cls).
  struct SideBook {
    uint32_t offset = 0;
    uint32_t size = 0;
    uint32_t cls = 0;            // log2 of capacity; 0 = no block yet
    LevelIndex best = kNoLevel;  // cached levels[size - 1]
  };
  struct Instrument {
    SideBook sides[2];
    uint32_t order_count = 0;
    InstrumentState state = InstrumentState::kUnknown;
    Aggressor last_aggressor = Aggressor::kUnknown;
    TickTable tick;
    uint64_t venue_id = 0;
    Price last_price = 0;
    Qty last_qty = 0;
    uint64_t volume = 0;
    uint64_t trade_count = 0;
    uint64_t last_match_id = 0;
  };

  static constexpr uint32_t kIndexedBit = 1u << 31;
  static constexpr uint32_t kFreeOwner = 0xFFFFFFFFu;
  static constexpr uint32_t kMinClass = 3;  // smallest side array: 8 levels
  static constexpr uint32_t kMaxClass = BlockAllocator::kMaxClass;
  static constexpr uint32_t kNoBlock = BlockAllocator::kNoBlock;
  static constexpr uint32_t kFreePrefetch = 8;
  static constexpr uint32_t kMinRingClass = 2;  // smallest ring: 4 entries (one cache line)
  // A ring's span (head to tail) is compacted once more than a quarter of it, and at least a cache line's
  // worth of entries, are tombstones. Appends only dilute the tombstones, so this holds after every
  // operation.
  static constexpr uint32_t kLineEntries = 64 / sizeof(Entry);  // ring entries per cache line
  [[nodiscard]] static constexpr bool too_sparse(uint32_t count, uint32_t span) noexcept {
    const uint32_t dead = span - count;
    return dead >= kLineEntries && dead > span / 4;
  }
  static constexpr uint32_t kNoSeq = 0xFFFFFFFFu;

  explicit OrderBook(const BookLimits& limits);

  ApplyStatus reject(ApplyStatus s) noexcept {
    counters_.add(reject_counter(s));
    return s;
  }
  // A level's total open quantity after `add` (> 0) joins `total` still fits a Qty. Venue quantities are
  // int64 on the wire (EOBI DisplayQty), so a level's sum can pass INT64_MAX; an event that would push it
  // there is rejected with kBadQuantity before anything changes.
  [[nodiscard]] static bool total_fits(Qty total, Qty add) noexcept {
    Qty sum;
    return !__builtin_add_overflow(total, add, &sum);
  }
  [[nodiscard]] static Price key_of(Side side, Price price) noexcept {
    return side == Side::kBid ? price : -price;
  }
  [[nodiscard]] bool live(OrderHandle h) const noexcept {
    return h < slab_size_ && orders_[h].level != kNoLevel;
  }
  [[nodiscard]] uint32_t instrument_of(const Order& o) const noexcept { return o.instrument & ~kIndexedBit; }
  [[nodiscard]] Side side_of(const Level& l) const noexcept { return static_cast<Side>(l.owner & 1u); }
  [[nodiscard]] static InstrumentIndex instrument_of(const Level& l) noexcept { return l.owner >> 1; }

  // Order index.
  [[nodiscard]] ApplyStatus index_check(uint64_t order_id, bool may_reuse_hash_slot) const noexcept;
  void index_insert(uint64_t order_id, OrderHandle h) noexcept;
  void index_erase(uint64_t order_id) noexcept;

  // Level arrays.
  struct Pos {
    uint32_t pos;
    bool found;
  };
  [[nodiscard]] Pos find_pos(const SideBook& sb, Price key) const noexcept;
  bool ensure_room(SideBook& sb) noexcept;
  // Finds or creates the level; kNoLevel when the level pool/arena is full.
  LevelIndex level_for(InstrumentIndex inst, Side side, Price price) noexcept;
  void remove_level(Instrument& ins, Side side, LevelIndex li, bool allow_shrink) noexcept;

  // Queue operations.
  void link_back(LevelIndex li, OrderHandle h) noexcept;
  // Unlinks from its level; removes the level when it empties. Leaves o.level stale.
  void unlink(OrderHandle h, bool allow_shrink) noexcept;
  void free_order(OrderHandle h) noexcept;
  void after_update(const Instrument& ins) noexcept;
  // Trade statistics of one trade (last price/qty/match/aggressor, volume, count) and its counter.
  void note_trade(Instrument& ins, Price price, Qty qty, uint64_t match_id, Aggressor aggressor) noexcept {
    ins.last_price = price;
    ins.last_qty = qty;
    ins.last_match_id = match_id;
    ins.last_aggressor = aggressor;
    ins.volume += static_cast<uint64_t>(qty);
    ++ins.trade_count;
    counters_.add(BookCounter::kTrades);
  }

  ApplyStatus add_impl(InstrumentIndex inst, uint64_t order_id, Side side, Price price, Qty qty, bool keyed,
                       OrderHandle* out) noexcept;

  // Located rings. A RingView is taken once per operation: through at_seq every access reloads the ring's
  // offset and class, which stores to the level's head/tail (also uint32_t) may alias.
  struct RingView {
    Entry* base;
    uint32_t mask;
    [[nodiscard]] Entry& operator[](uint32_t seq) const noexcept { return base[seq & mask]; }
  };
  [[nodiscard]] RingView ring_view(LevelIndex li) const noexcept {
    const Ring& r = ring_of(li);
    return RingView{ring_entries_ + r.offset, (1u << r.cls) - 1};
  }
  [[nodiscard]] Entry& at_seq(LevelIndex li, uint32_t seq) const noexcept { return ring_view(li)[seq]; }
  [[nodiscard]] uint32_t find_in_ring(LevelIndex li, uint64_t order_id) const noexcept;
  // True when the id is live in the level's queue (an id above the last of a sorted ring needs no search).
  [[nodiscard]] bool queued(LevelIndex li, uint64_t order_id) const noexcept;
  // front_first: the order is probably the oldest of its level (an execution: price-time priority fills the
  // front of the queue first), so the head entry is compared before any search.
  [[nodiscard]] Loc locate(const OrderAt& at, bool front_first = false) const noexcept;
  // Room for one more order at the back: grows the ring or compacts its tombstones away; false when the arena
  // has no larger block and there is no tombstone.
  bool ring_reserve(LevelIndex li) noexcept;
  void ring_move(LevelIndex li, uint32_t to, uint32_t cls) noexcept;  // keeps every sequence number
  void ring_compact(LevelIndex li) noexcept;                          // renumbers the live orders from head
  void ring_push(LevelIndex li, uint64_t order_id, Qty qty) noexcept;
  // Removes the order (tombstone unless at the head or tail); removes the level when it empties.
  void ring_erase(LevelIndex li, uint32_t seq) noexcept;
  ApplyStatus ring_reduce(Loc at, Qty qty) noexcept;
  ApplyStatus ring_move_order(Loc at, uint64_t new_id, Price price, Qty qty, bool relink_always) noexcept;
  ApplyStatus reduce_impl(OrderHandle h, Qty qty) noexcept;
  ApplyStatus modify_impl(OrderHandle h, Price price, Qty qty, bool relink_always) noexcept;

  std::string check_side(InstrumentIndex inst, Side side, uint32_t& orders_seen) const;
  template <typename Where>
  std::string check_ring(LevelIndex li, const Where& at_level) const;
  // Calls g(order id, open qty) for each order of the level in queue order (both identities).
  template <typename OrderFn>
  void for_each_order(LevelIndex li, OrderFn&& g) const {
    const Level& l = level(li);
    if (located()) {
      for (uint32_t seq = l.head; seq != l.tail; ++seq) {
        const Entry& e = at_seq(li, seq);
        if (e.qty != 0) g(e.id, e.qty);
      }
    } else {
      for (OrderHandle h = l.head; h != kNoHandle; h = orders_[h].next) g(orders_[h].id, orders_[h].qty);
    }
  }

  BookLimits limits_;
  uint32_t instrument_count_ = 0;
  uint32_t live_orders_ = 0;
  uint32_t live_levels_ = 0;
  uint32_t dense_count_ = 0;
  uint32_t slab_size_ = 0;    // order records (keyed: max_orders; located: none)
  uint32_t level_shift_ = 0;  // log2 of the distance between level records (see level())
  uint32_t free_top_ = 0;     // free handles: free_stack_[0, free_top_)
  LevelIndex free_level_ = kNoLevel;
  Order* orders_ = nullptr;
  OrderHandle* free_stack_ = nullptr;
  std::byte* level_base_ = nullptr;  // level records, 1 << level_shift_ bytes apart
  OrderHandle* dense_ = nullptr;
  Entry* ring_entries_ = nullptr;
  Price* arena_keys_ = nullptr;
  LevelIndex* arena_levels_ = nullptr;
  Instrument* instruments_ = nullptr;
  PageMemory order_mem_;
  PageMemory free_stack_mem_;
  PageMemory level_mem_;
  PageMemory dense_mem_;
  PageMemory arena_key_mem_;
  PageMemory arena_level_mem_;
  PageMemory instrument_mem_;
  PageMemory ring_entry_mem_;
  BlockAllocator arena_;       // blocks of arena_keys_/arena_levels_ (per-side level arrays)
  BlockAllocator ring_arena_;  // located: blocks of ring_entries_
  OpenHashMap<uint64_t, OrderHandle> hashed_;
  OpenHashMap<uint64_t, InstrumentIndex> venue_ids_;
  std::vector<std::string> symbols_;
  CounterBlock<BookCounter> counters_;
};

// =====================================================================================================
// Hot path (inline so venue adapters and decoders can inline it into their per-message callbacks).
// =====================================================================================================

inline OrderHandle OrderBook::lookup(uint64_t order_id) const noexcept {
  const uint64_t rel = order_id - limits_.order_id_base;
  if (rel < limits_.order_id_capacity) return dense_[rel];
  const OrderHandle* h = hashed_.find(order_id);
  return h == nullptr ? kNoHandle : *h;
}

inline void OrderBook::prefetch(uint64_t order_id) const noexcept {
  const uint64_t rel = order_id - limits_.order_id_base;
  if (rel < limits_.order_id_capacity) {
    __builtin_prefetch(&dense_[rel], 0, 3);
  } else {
    hashed_.prefetch(order_id);
  }
}

inline void OrderBook::prefetch_order(OrderHandle h) const noexcept {
  if (h < slab_size_) __builtin_prefetch(&orders_[h], 1, 3);
}

inline void OrderBook::prefetch_record(uint64_t order_id) const noexcept {
  const uint64_t rel = order_id - limits_.order_id_base;
  const OrderHandle h = rel < limits_.order_id_capacity ? dense_[rel] : kNoHandle;
  if (h < slab_size_) {
    __builtin_prefetch(&orders_[h], 1, 3);
  }
}

inline ApplyStatus OrderBook::index_check(uint64_t order_id, bool may_reuse_hash_slot) const noexcept {
  const uint64_t rel = order_id - limits_.order_id_base;
  if (rel < limits_.order_id_capacity) {
    return dense_[rel] == kNoHandle ? ApplyStatus::kOk : ApplyStatus::kDuplicateOrderId;
  }
  if (hashed_.max_size() == 0) return ApplyStatus::kOrderIdOutOfRange;
  if (hashed_.find(order_id) != nullptr) return ApplyStatus::kDuplicateOrderId;
  if (hashed_.full() && !may_reuse_hash_slot) return ApplyStatus::kOrderTableFull;
  return ApplyStatus::kOk;
}

inline void OrderBook::index_insert(uint64_t order_id, OrderHandle h) noexcept {
  const uint64_t rel = order_id - limits_.order_id_base;
  if (rel < limits_.order_id_capacity) {
    dense_[rel] = h;
    ++dense_count_;
  } else {
    (void)hashed_.insert(order_id, h);  // checked by index_check
  }
}

inline void OrderBook::index_erase(uint64_t order_id) noexcept {
  const uint64_t rel = order_id - limits_.order_id_base;
  if (rel < limits_.order_id_capacity) {
    dense_[rel] = kNoHandle;
    --dense_count_;
  } else {
    (void)hashed_.erase(order_id);
  }
}

inline OrderBook::Pos OrderBook::find_pos(const SideBook& sb, Price key) const noexcept {
  const Price* keys = arena_keys_ + sb.offset;
  uint32_t p = sb.size;
  // Activity is near the touch (the end): scan a few entries linearly, then binary search the rest.
  const uint32_t stop = p > 8 ? p - 8 : 0;
  while (p > stop && keys[p - 1] > key) --p;
  if (p == stop && p > 0 && keys[p - 1] > key) {
    uint32_t lo = 0;
    uint32_t hi = p;  // first index in [lo, hi) with keys[i] > key
    while (lo < hi) {
      const uint32_t mid = lo + (hi - lo) / 2;
      if (keys[mid] > key) {
        hi = mid;
      } else {
        lo = mid + 1;
      }
    }
    p = lo;
  }
  return Pos{p, p > 0 && keys[p - 1] == key};
}

inline bool OrderBook::ensure_room(SideBook& sb) noexcept {
  if (sb.cls != 0 && sb.size < (1u << sb.cls)) return true;
  const uint32_t new_cls = sb.cls == 0 ? kMinClass : sb.cls + 1;
  if (new_cls > kMaxClass) return false;
  const uint32_t off = arena_.alloc(new_cls);
  if (off == kNoBlock) return false;
  if (sb.cls != 0) {
    std::memcpy(arena_keys_ + off, arena_keys_ + sb.offset, sb.size * sizeof(Price));
    std::memcpy(arena_levels_ + off, arena_levels_ + sb.offset, sb.size * sizeof(LevelIndex));
    arena_.release(sb.offset, sb.cls);
  }
  sb.offset = off;
  sb.cls = new_cls;
  return true;
}

inline LevelIndex OrderBook::level_for(InstrumentIndex inst, Side side, Price price) noexcept {
  SideBook& sb = instruments_[inst].sides[side_index(side)];
  const Price key = key_of(side, price);
  const Pos at = find_pos(sb, key);
  if (at.found) return arena_levels_[sb.offset + at.pos - 1];
  if (free_level_ == kNoLevel || !ensure_room(sb)) return kNoLevel;
  uint32_t ring = 0;
  if (located()) {
    ring = ring_arena_.alloc(kMinRingClass);
    if (ring == kNoBlock) return kNoLevel;
  }
  const LevelIndex li = free_level_;
  Level& l = level(li);
  free_level_ = l.head;
  if (located()) {
    l = Level{price, 0, 0, 0, 0, (inst << 1) | side_index(side)};  // ring sequence numbers from 0
    ring_of(li) = Ring{ring, static_cast<uint8_t>(kMinRingClass), true, 0};
  } else {
    l = Level{price, 0, kNoHandle, kNoHandle, 0, (inst << 1) | side_index(side)};
  }
  ++live_levels_;
  Price* keys = arena_keys_ + sb.offset;
  LevelIndex* lv = arena_levels_ + sb.offset;
  const uint32_t tail = sb.size - at.pos;
  if (tail != 0) {
    std::memmove(keys + at.pos + 1, keys + at.pos, tail * sizeof(Price));
    std::memmove(lv + at.pos + 1, lv + at.pos, tail * sizeof(LevelIndex));
  }
  keys[at.pos] = key;
  lv[at.pos] = li;
  ++sb.size;
  if (tail == 0) sb.best = li;
  return li;
}

inline void OrderBook::link_back(LevelIndex li, OrderHandle h) noexcept {
  Level& l = level(li);
  Order& o = orders_[h];
  o.level = li;
  o.next = kNoHandle;
  o.prev = l.tail;
  if (l.tail != kNoHandle) {
    orders_[l.tail].next = h;
  } else {
    l.head = h;
  }
  l.tail = h;
  l.qty += o.qty;
  ++l.count;
}

inline void OrderBook::unlink(OrderHandle h, bool allow_shrink) noexcept {
  Order& o = orders_[h];
  const LevelIndex li = o.level;
  Level& l = level(li);
  if (o.prev != kNoHandle) {
    orders_[o.prev].next = o.next;
  } else {
    l.head = o.next;
  }
  if (o.next != kNoHandle) {
    orders_[o.next].prev = o.prev;
  } else {
    l.tail = o.prev;
  }
  l.qty -= o.qty;
  if (--l.count == 0) remove_level(instruments_[instrument_of(o)], side_of(l), li, allow_shrink);
}

inline void OrderBook::remove_level(Instrument& ins, Side side, LevelIndex li, bool allow_shrink) noexcept {
  SideBook& sb = ins.sides[side_index(side)];
  Price* keys = arena_keys_ + sb.offset;
  LevelIndex* lv = arena_levels_ + sb.offset;
  uint32_t pos = sb.size - 1;
  if (lv[pos] != li) {  // not the best: locate by price (levels are unique per price)
    const Pos at = find_pos(sb, key_of(side, level(li).price));
    pos = at.pos - 1;
    const uint32_t tail = sb.size - 1 - pos;
    std::memmove(keys + pos, keys + pos + 1, tail * sizeof(Price));
    std::memmove(lv + pos, lv + pos + 1, tail * sizeof(LevelIndex));
  }
  --sb.size;
  sb.best = sb.size == 0 ? kNoLevel : lv[sb.size - 1];
  Level& l = level(li);
  if (located()) {
    const Ring& r = ring_of(li);
    ring_arena_.release(r.offset, r.cls);
  }
  l.owner = kFreeOwner;
  l.head = free_level_;
  free_level_ = li;
  --live_levels_;
  // Give memory back when a side shrank to a quarter of its block (hysteresis avoids grow/shrink flapping).
  if (allow_shrink && sb.cls > kMinClass && sb.size * 4 <= (1u << sb.cls)) {
    const uint32_t off = arena_.alloc(sb.cls - 1);
    if (off != kNoBlock) {
      std::memcpy(arena_keys_ + off, keys, sb.size * sizeof(Price));
      std::memcpy(arena_levels_ + off, lv, sb.size * sizeof(LevelIndex));
      arena_.release(sb.offset, sb.cls);
      sb.offset = off;
      --sb.cls;
    }
  }
}

inline void OrderBook::free_order(OrderHandle h) noexcept {
  Order& o = orders_[h];
  if ((o.instrument & kIndexedBit) != 0) index_erase(o.id);
  --instruments_[instrument_of(o)].order_count;
  o.level = kNoLevel;
  free_stack_[free_top_++] = h;
  --live_orders_;
}

inline void OrderBook::after_update(const Instrument& ins) noexcept {
  const LevelIndex b = ins.sides[0].best;
  const LevelIndex a = ins.sides[1].best;
  if (b != kNoLevel && a != kNoLevel && level(b).price >= level(a).price)
    counters_.add(BookCounter::kCrossed);
}

inline ApplyStatus OrderBook::add_impl(InstrumentIndex inst, uint64_t order_id, Side side, Price price,
                                       Qty qty, bool keyed, OrderHandle* out) noexcept {
  if (inst >= instrument_count_) return reject(ApplyStatus::kUnknownInstrument);
  if (qty <= 0) return reject(ApplyStatus::kBadQuantity);
  Instrument& ins = instruments_[inst];
  if (const ApplyStatus s = ins.tick.check(price); s != ApplyStatus::kOk) return reject(s);
  if (keyed) {
    if (const ApplyStatus s = index_check(order_id, false); s != ApplyStatus::kOk) return reject(s);
  }
  if (free_top_ == 0) return reject(ApplyStatus::kOrderTableFull);
  const LevelIndex li = level_for(inst, side, price);
  if (li == kNoLevel) return reject(ApplyStatus::kLevelTableFull);
  if (!total_fits(level(li).qty, qty)) return reject(ApplyStatus::kBadQuantity);  // a new level holds 0
  // Free handles are a stack (not a list threaded through the records), so popping never waits for a cache
  // miss and the record of the add 8 pops from now can be prefetched.
  const OrderHandle h = free_stack_[--free_top_];
  if (free_top_ >= kFreePrefetch) __builtin_prefetch(&orders_[free_stack_[free_top_ - kFreePrefetch]], 1, 3);
  Order& o = orders_[h];
  o.id = order_id;
  o.qty = qty;
  o.instrument = inst | (keyed ? kIndexedBit : 0u);
  link_back(li, h);
  ++ins.order_count;
  ++live_orders_;
  if (keyed) index_insert(order_id, h);
  counters_.add(BookCounter::kAdds);
  after_update(ins);
  *out = h;
  return ApplyStatus::kOk;
}

inline ApplyStatus OrderBook::add(InstrumentIndex instrument, uint64_t order_id, Side side, Price price,
                                  Qty qty) noexcept {
  OrderHandle h = kNoHandle;
  return add_impl(instrument, order_id, side, price, qty, true, &h);
}

inline AddResult OrderBook::add_order(InstrumentIndex instrument, uint64_t order_id, Side side, Price price,
                                      Qty qty) noexcept {
  OrderHandle h = kNoHandle;
  const ApplyStatus s = add_impl(instrument, order_id, side, price, qty, false, &h);
  return AddResult{s, h};
}

// Precondition: h live, qty > 0. Returns kOk; removes the order when qty >= open.
inline ApplyStatus OrderBook::reduce_impl(OrderHandle h, Qty qty) noexcept {
  Order& o = orders_[h];
  if (qty < o.qty) {
    o.qty -= qty;
    level(o.level).qty -= qty;
    return ApplyStatus::kOk;
  }
  if (qty > o.qty) counters_.add(BookCounter::kOverReduce);
  unlink(h, true);
  free_order(h);
  return ApplyStatus::kOk;
}

inline ApplyStatus OrderBook::reduce_order(OrderHandle h, Qty qty) noexcept {
  if (qty <= 0) return reject(ApplyStatus::kBadQuantity);
  if (!live(h)) return reject(ApplyStatus::kUnknownOrder);
  counters_.add(BookCounter::kReduces);
  return reduce_impl(h, qty);
}

inline ApplyStatus OrderBook::reduce(uint64_t order_id, Qty qty) noexcept {
  if (qty <= 0) return reject(ApplyStatus::kBadQuantity);
  const OrderHandle h = lookup(order_id);
  if (h == kNoHandle) return reject(ApplyStatus::kUnknownOrder);
  counters_.add(BookCounter::kReduces);
  return reduce_impl(h, qty);
}

inline ApplyStatus OrderBook::execute_order(OrderHandle h, Qty qty, Price price, uint64_t match_id,
                                            Aggressor aggressor) noexcept {
  if (qty <= 0) return reject(ApplyStatus::kBadQuantity);
  if (!live(h)) return reject(ApplyStatus::kUnknownOrder);
  const Order& o = orders_[h];
  note_trade(instruments_[instrument_of(o)], price == kNoPrice ? level(o.level).price : price, qty, match_id,
             aggressor);
  counters_.add(BookCounter::kExecutions);
  return reduce_impl(h, qty);
}

inline ApplyStatus OrderBook::execute(uint64_t order_id, Qty qty, Price price, uint64_t match_id,
                                      Aggressor aggressor) noexcept {
  if (qty <= 0) return reject(ApplyStatus::kBadQuantity);
  const OrderHandle h = lookup(order_id);
  if (h == kNoHandle) return reject(ApplyStatus::kUnknownOrder);
  return execute_order(h, qty, price, match_id, aggressor);
}

inline ApplyStatus OrderBook::remove_order(OrderHandle h) noexcept {
  if (!live(h)) return reject(ApplyStatus::kUnknownOrder);
  unlink(h, true);
  free_order(h);
  counters_.add(BookCounter::kDeletes);
  return ApplyStatus::kOk;
}

inline ApplyStatus OrderBook::remove(uint64_t order_id) noexcept {
  const OrderHandle h = lookup(order_id);
  if (h == kNoHandle) return reject(ApplyStatus::kUnknownOrder);
  return remove_order(h);
}

// Precondition: h live, qty > 0, price validated. relink_always: priority is lost even when it could be kept.
inline ApplyStatus OrderBook::modify_impl(OrderHandle h, Price price, Qty qty, bool relink_always) noexcept {
  Order& o = orders_[h];
  const uint32_t inst = instrument_of(o);
  Level& old_level = level(o.level);
  const Side side = side_of(old_level);
  Instrument& ins = instruments_[inst];
  const bool same_level = old_level.price == price;
  if (same_level) {
    if (!relink_always && qty <= o.qty) {  // quantity down (or equal) at the same price keeps priority
      old_level.qty -= o.qty - qty;
      o.qty = qty;
      return ApplyStatus::kOk;
    }
    if (old_level.count == 1) {  // alone at its level: back of the queue == where it is
      old_level.qty += qty - o.qty;
      o.qty = qty;
      return ApplyStatus::kOk;
    }
  }
  // The target level must exist, and its total hold the order, before anything changes. A level level_for
  // creates holds no order (total 0), so a rejection below never leaves an empty level; on the same level the
  // order is not alone, so unlinking it leaves the level in place.
  const LevelIndex target = same_level ? o.level : level_for(inst, side, price);
  if (target == kNoLevel) return reject(ApplyStatus::kLevelTableFull);
  if (!total_fits(level(target).qty - (same_level ? o.qty : 0), qty))
    return reject(ApplyStatus::kBadQuantity);
  unlink(h, false);
  o.qty = qty;
  link_back(target, h);
  after_update(ins);
  return ApplyStatus::kOk;
}

inline ApplyStatus OrderBook::modify_order(OrderHandle h, Price price, Qty qty) noexcept {
  if (qty <= 0) return reject(ApplyStatus::kBadQuantity);
  if (!live(h)) return reject(ApplyStatus::kUnknownOrder);
  const Order& o = orders_[h];
  if (const ApplyStatus s = instruments_[instrument_of(o)].tick.check(price); s != ApplyStatus::kOk) {
    return reject(s);
  }
  const bool keeps = level(o.level).price == price && qty <= o.qty;
  const ApplyStatus s = modify_impl(h, price, qty, false);
  if (s == ApplyStatus::kOk) {
    counters_.add(BookCounter::kModifies);
    if (keeps) counters_.add(BookCounter::kModifiesKeptPriority);
  }
  return s;
}

inline ApplyStatus OrderBook::modify(uint64_t order_id, Price price, Qty qty) noexcept {
  if (qty <= 0) return reject(ApplyStatus::kBadQuantity);
  const OrderHandle h = lookup(order_id);
  if (h == kNoHandle) return reject(ApplyStatus::kUnknownOrder);
  return modify_order(h, price, qty);
}

inline ApplyStatus OrderBook::replace_order(OrderHandle h, uint64_t new_id, Price price, Qty qty) noexcept {
  if (qty <= 0) return reject(ApplyStatus::kBadQuantity);
  if (!live(h)) return reject(ApplyStatus::kUnknownOrder);
  Order& o = orders_[h];
  if (const ApplyStatus s = instruments_[instrument_of(o)].tick.check(price); s != ApplyStatus::kOk) {
    return reject(s);
  }
  const bool keyed = (o.instrument & kIndexedBit) != 0;
  const bool rekey = keyed && new_id != o.id;
  if (rekey) {
    const uint64_t old_rel = o.id - limits_.order_id_base;
    const bool old_hashed = old_rel >= limits_.order_id_capacity;
    if (const ApplyStatus s = index_check(new_id, old_hashed); s != ApplyStatus::kOk) return reject(s);
  }
  const ApplyStatus s = modify_impl(h, price, qty, true);
  if (s != ApplyStatus::kOk) return s;
  if (rekey) {
    index_erase(o.id);
    index_insert(new_id, h);
  }
  o.id = new_id;
  counters_.add(BookCounter::kReplaces);
  return ApplyStatus::kOk;
}

inline ApplyStatus OrderBook::replace(uint64_t old_id, uint64_t new_id, Price price, Qty qty) noexcept {
  if (qty <= 0) return reject(ApplyStatus::kBadQuantity);
  const OrderHandle h = lookup(old_id);
  if (h == kNoHandle) return reject(ApplyStatus::kUnknownOrder);
  return replace_order(h, new_id, price, qty);
}

// ---- Located rings ----

inline uint32_t OrderBook::find_in_ring(LevelIndex li, uint64_t order_id) const noexcept {
  // Returns the offset from head of the live entry with this id, or kNoSeq.
  const Level& l = level(li);
  const uint32_t head = l.head;
  const uint32_t span = l.tail - head;
  if (span == 0) return kNoSeq;
  const RingView ring = ring_view(li);
  // Sorted: binary search on the ids, which rise from head to tail (tombstones keep theirs). Branchless (the
  // step is a multiply: gcc turns a select into a branch, mispredicted on every other probe), so its probes
  // form one dependent chain; out of cache each would be a miss in turn. Before every four levels the lines
  // those levels can probe are requested together (every line of a short span, sixteen evenly spaced entries
  // of a long one): the chain waits for about one miss per four levels.
  if (ring_of(li).sorted) {
    uint32_t lo = 0;
    uint32_t n = span;
    while (n > 1) {
      if (n > kLineEntries) {
        const uint32_t step = n > 16 * kLineEntries ? n / 16 : kLineEntries;
        for (uint32_t k = 0; k < n; k += step) __builtin_prefetch(&ring[head + lo + k], 0, 3);
        __builtin_prefetch(&ring[head + lo + n - 1], 0, 3);
      }
      for (uint32_t level = 0; level < 4 && n > 1; ++level) {
        const uint32_t half = n / 2;
        lo += half * static_cast<uint32_t>(ring[head + lo + half].id <= order_id);
        n -= half;
      }
    }
    const Entry& e = ring[head + lo];
    return e.id == order_id && e.qty != 0 ? lo : kNoSeq;
  }
  for (uint32_t k = span; k > 0; --k) {
    const Entry& e = ring[head + k - 1];
    if (e.id == order_id && e.qty != 0) return k - 1;
  }
  return kNoSeq;
}

inline bool OrderBook::queued(LevelIndex li, uint64_t order_id) const noexcept {
  const Level& l = level(li);
  if (l.count == 0) return false;
  if (ring_of(li).sorted && ring_of(li).last_id < order_id) return false;
  return find_in_ring(li, order_id) != kNoSeq;
}

inline OrderBook::Loc OrderBook::locate(const OrderAt& at, bool front_first) const noexcept {
  if (!located() || at.instrument >= instrument_count_) return Loc{};
  // A message's price is not validated yet: outside the price limit no level exists (and key_of could not
  // negate INT64_MIN).
  if (!within_price_limit(at.price)) return Loc{};
  const SideBook& sb = instruments_[at.instrument].sides[side_index(at.side)];
  const Pos p = find_pos(sb, key_of(at.side, at.price));
  if (!p.found) return Loc{};
  const LevelIndex li = arena_levels_[sb.offset + p.pos - 1];
  if (front_first) {
    const uint32_t head = level(li).head;
    if (at_seq(li, head).id == at.order_id) return Loc{li, head};  // the head entry is live (ring invariant)
  }
  const uint32_t k = find_in_ring(li, at.order_id);
  return k == kNoSeq ? Loc{} : Loc{li, level(li).head + k};
}

inline void OrderBook::ring_move(LevelIndex li, uint32_t to, uint32_t cls) noexcept {
  const Level& l = level(li);
  const RingView from = ring_view(li);
  const RingView dest{ring_entries_ + to, (1u << cls) - 1};
  for (uint32_t seq = l.head; seq != l.tail; ++seq) dest[seq] = from[seq];
  Ring& r = ring_of(li);
  ring_arena_.release(r.offset, r.cls);
  r.offset = to;
  r.cls = static_cast<uint8_t>(cls);
}

inline void OrderBook::ring_compact(LevelIndex li) noexcept {
  // In place, oldest first: an entry's new slot holds a tombstone or an entry already moved.
  Level& l = level(li);
  const RingView ring = ring_view(li);
  uint32_t next = l.head;
  for (uint32_t seq = l.head; seq != l.tail; ++seq) {
    const Entry e = ring[seq];
    if (e.qty == 0) continue;
    if (next != seq) ring[next] = e;
    ++next;
  }
  l.tail = next;
}

inline bool OrderBook::ring_reserve(LevelIndex li) noexcept {
  const Level& l = level(li);
  const Ring& r = ring_of(li);
  const uint32_t cap = 1u << r.cls;
  if (l.tail - l.head < cap) return true;
  // Full. More than a quarter live: grow (sequence numbers stay); else compact in place. Without a larger
  // block, compacting is the fallback when there is a tombstone.
  if (l.count > cap / 4) {
    const uint32_t cls = r.cls + 1u;
    const uint32_t off = cls <= kMaxClass ? ring_arena_.alloc(cls) : kNoBlock;
    if (off != kNoBlock) {
      ring_move(li, off, cls);
      return true;
    }
    if (l.count == cap) return false;
  }
  ring_compact(li);
  return true;
}

inline void OrderBook::ring_push(LevelIndex li, uint64_t order_id, Qty qty) noexcept {
  Level& l = level(li);
  const RingView ring = ring_view(li);
  Ring& r = ring_of(li);
  const uint32_t tail = l.tail;
  if (tail != l.head && r.last_id >= order_id) r.sorted = false;
  r.last_id = order_id;
  ring[tail] = Entry{order_id, qty};
  l.tail = tail + 1;
  ++l.count;
  l.qty += qty;
}

inline void OrderBook::ring_erase(LevelIndex li, uint32_t seq) noexcept {
  Level& l = level(li);
  const RingView ring = ring_view(li);
  Entry& e = ring[seq];
  Instrument& ins = instruments_[instrument_of(l)];
  l.qty -= e.qty;
  e.qty = 0;  // tombstone
  --l.count;
  --ins.order_count;
  --live_orders_;
  if (l.count == 0) {
    remove_level(ins, side_of(l), li, true);
    return;
  }
  // Head and tail stay on live orders (the queue's front, and "is it last" for appends).
  if (seq == l.head) {
    uint32_t head = seq + 1;
    while (ring[head].qty == 0) ++head;
    l.head = head;
  } else if (seq + 1 == l.tail) {
    uint32_t tail = seq;
    while (ring[tail - 1].qty == 0) --tail;
    l.tail = tail;
    ring_of(li).last_id = ring[tail - 1].id;
  }
  // Keep the span dense: a lookup searches and reads the whole span, tombstones included, so a queue thinned
  // by cancels in its middle would cost lines (cache footprint) and search steps for nothing. Compacting
  // when a quarter of it is dead moves at most the span's live entries once per span/4 removals.
  if (too_sparse(l.count, l.tail - l.head)) ring_compact(li);
  // Give memory back when the queue fell to an eighth of its ring and its span fits half of it.
  const Ring& r = ring_of(li);
  const uint32_t cap = 1u << r.cls;
  if (r.cls > kMinRingClass && l.count * 8 <= cap && l.tail - l.head <= cap / 2) {
    const uint32_t cls = r.cls - 1u;
    if (const uint32_t off = ring_arena_.alloc(cls); off != kNoBlock) ring_move(li, off, cls);
  }
}

inline ApplyStatus OrderBook::add_at(InstrumentIndex inst, uint64_t order_id, Side side, Price price,
                                     Qty qty) noexcept {
  if (!located()) return reject(ApplyStatus::kUnknownOrder);
  if (inst >= instrument_count_) return reject(ApplyStatus::kUnknownInstrument);
  if (qty <= 0) return reject(ApplyStatus::kBadQuantity);
  Instrument& ins = instruments_[inst];
  if (const ApplyStatus s = ins.tick.check(price); s != ApplyStatus::kOk) return reject(s);
  if (live_orders_ >= limits_.max_orders) return reject(ApplyStatus::kOrderTableFull);
  const LevelIndex li = level_for(inst, side, price);
  if (li == kNoLevel) return reject(ApplyStatus::kLevelTableFull);
  if (queued(li, order_id)) return reject(ApplyStatus::kDuplicateOrderId);
  if (!total_fits(level(li).qty, qty)) return reject(ApplyStatus::kBadQuantity);  // a new level holds 0
  // ring_reserve fails only on a full, hence non-empty, ring: a level created above is never left empty.
  if (!ring_reserve(li)) return reject(ApplyStatus::kLevelTableFull);
  ring_push(li, order_id, qty);
  ++ins.order_count;
  ++live_orders_;
  counters_.add(BookCounter::kAdds);
  after_update(ins);
  return ApplyStatus::kOk;
}

// Precondition: at found, qty > 0. Returns kOk; removes the order when qty >= open.
inline ApplyStatus OrderBook::ring_reduce(Loc at, Qty qty) noexcept {
  Entry& e = at_seq(at.level, at.seq);
  if (qty < e.qty) {
    e.qty -= qty;
    level(at.level).qty -= qty;
    return ApplyStatus::kOk;
  }
  if (qty > e.qty) counters_.add(BookCounter::kOverReduce);
  ring_erase(at.level, at.seq);
  return ApplyStatus::kOk;
}

inline ApplyStatus OrderBook::reduce_at(const OrderAt& where, Qty qty) noexcept {
  if (qty <= 0) return reject(ApplyStatus::kBadQuantity);
  const Loc at = locate(where);
  if (!at.found()) return reject(ApplyStatus::kUnknownOrder);
  counters_.add(BookCounter::kReduces);
  return ring_reduce(at, qty);
}

inline ApplyStatus OrderBook::execute_at(const OrderAt& where, Qty qty, Price price, uint64_t match_id,
                                         Aggressor aggressor) noexcept {
  if (qty <= 0) return reject(ApplyStatus::kBadQuantity);
  const Loc at = locate(where, true);
  if (!at.found()) return reject(ApplyStatus::kUnknownOrder);
  const Level& l = level(at.level);
  note_trade(instruments_[instrument_of(l)], price == kNoPrice ? l.price : price, qty, match_id, aggressor);
  counters_.add(BookCounter::kExecutions);
  return ring_reduce(at, qty);
}

inline ApplyStatus OrderBook::remove_at(const OrderAt& where) noexcept {
  const Loc at = locate(where);
  if (!at.found()) return reject(ApplyStatus::kUnknownOrder);
  ring_erase(at.level, at.seq);
  counters_.add(BookCounter::kDeletes);
  return ApplyStatus::kOk;
}

// Precondition: at found, qty > 0, price valid. Same rules as modify_impl; new_id != the order's id renames
// it.
inline ApplyStatus OrderBook::ring_move_order(Loc at, uint64_t new_id, Price price, Qty qty,
                                              bool relink_always) noexcept {
  Level& old_level = level(at.level);
  const RingView ring = ring_view(at.level);
  Entry& e = ring[at.seq];
  const uint64_t old_id = e.id;
  const InstrumentIndex inst = instrument_of(old_level);
  const Side side = side_of(old_level);
  Instrument& ins = instruments_[inst];
  const bool same_level = old_level.price == price;
  // Ids are unique per level: the new key must not be live at the target price already.
  if (same_level) {
    if (new_id != old_id && queued(at.level, new_id)) return reject(ApplyStatus::kDuplicateOrderId);
    if (!total_fits(old_level.qty - e.qty, qty)) return reject(ApplyStatus::kBadQuantity);
    const bool keeps = !relink_always && new_id == old_id && qty <= e.qty;  // qty down keeps priority
    if (keeps || at.seq + 1 == old_level.tail) {  // or already at the back: the back is where it is
      old_level.qty += qty - e.qty;
      e.qty = qty;
      if (new_id != old_id) {  // a new id never keeps priority, so the order is the last
        e.id = new_id;
        Ring& r = ring_of(at.level);
        r.last_id = new_id;
        if (at.seq != old_level.head && ring[at.seq - 1].id >= new_id) r.sorted = false;
      }
      return ApplyStatus::kOk;
    }
  }
  // The target level, room in its ring and room in its total must exist before anything changes. A level
  // level_for creates holds no order (so no duplicate, total 0) and has room, so a rejection below never
  // leaves an empty level. On the same level the order is not last, so the level keeps the orders behind
  // it, and the tombstone the erase leaves is room ring_reserve can always reclaim.
  const LevelIndex target = same_level ? at.level : level_for(inst, side, price);
  if (target == kNoLevel) return reject(ApplyStatus::kLevelTableFull);
  if (!same_level && queued(target, new_id)) return reject(ApplyStatus::kDuplicateOrderId);
  if (!same_level && !total_fits(level(target).qty, qty)) return reject(ApplyStatus::kBadQuantity);
  if (!same_level && !ring_reserve(target)) return reject(ApplyStatus::kLevelTableFull);
  ring_erase(at.level, at.seq);
  ++ins.order_count;  // ring_erase counted the order out; it stays live
  ++live_orders_;
  if (same_level) (void)ring_reserve(target);
  ring_push(target, new_id, qty);
  after_update(ins);
  return ApplyStatus::kOk;
}

inline ApplyStatus OrderBook::modify_at(const OrderAt& where, Price price, Qty qty) noexcept {
  if (qty <= 0) return reject(ApplyStatus::kBadQuantity);
  const Loc at = locate(where);
  if (!at.found()) return reject(ApplyStatus::kUnknownOrder);
  if (const ApplyStatus s = instruments_[where.instrument].tick.check(price); s != ApplyStatus::kOk) {
    return reject(s);
  }
  const bool keeps = level(at.level).price == price && qty <= at_seq(at.level, at.seq).qty;
  const ApplyStatus s = ring_move_order(at, where.order_id, price, qty, false);
  if (s == ApplyStatus::kOk) {
    counters_.add(BookCounter::kModifies);
    if (keeps) counters_.add(BookCounter::kModifiesKeptPriority);
  }
  return s;
}

inline ApplyStatus OrderBook::replace_at(const OrderAt& where, uint64_t new_id, Price price,
                                         Qty qty) noexcept {
  if (qty <= 0) return reject(ApplyStatus::kBadQuantity);
  const Loc at = locate(where);
  if (!at.found()) return reject(ApplyStatus::kUnknownOrder);
  if (const ApplyStatus s = instruments_[where.instrument].tick.check(price); s != ApplyStatus::kOk) {
    return reject(s);
  }
  const ApplyStatus s = ring_move_order(at, new_id, price, qty, true);
  if (s == ApplyStatus::kOk) counters_.add(BookCounter::kReplaces);
  return s;
}

inline Bbo OrderBook::bbo(InstrumentIndex instrument) const noexcept {
  Bbo b;
  if (instrument >= instrument_count_) return b;
  const Instrument& ins = instruments_[instrument];
  if (const LevelIndex li = ins.sides[0].best; li != kNoLevel) {
    const Level& l = level(li);
    b.bid_price = l.price;
    b.bid_qty = l.qty;
    b.bid_count = l.count;
    b.has_bid = true;
  }
  if (const LevelIndex li = ins.sides[1].best; li != kNoLevel) {
    const Level& l = level(li);
    b.ask_price = l.price;
    b.ask_qty = l.qty;
    b.ask_count = l.count;
    b.has_ask = true;
  }
  return b;
}

template <typename LevelFn, typename OrderFn>
void OrderBook::for_each_level(InstrumentIndex instrument, Side side, LevelFn&& f, OrderFn&& g) const {
  if (instrument >= instrument_count_) return;
  const SideBook& sb = instruments_[instrument].sides[side_index(side)];
  for (uint32_t i = sb.size; i > 0; --i) {
    const Level& l = level(arena_levels_[sb.offset + i - 1]);
    f(LevelView{l.price, l.qty, l.count});
    for_each_order(arena_levels_[sb.offset + i - 1], g);
  }
}

}  // namespace numi::book
