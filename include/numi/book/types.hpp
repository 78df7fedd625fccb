// Vocabulary of numi::book: prices, quantities, sides, typed handles, the hot-path ApplyStatus, instrument
// states and the small value types returned by queries (Bbo, LevelView, OrderView, QueuePosition).
// Main types: Side, ApplyStatus, InstrumentState, Aggressor, OrderHandle, InstrumentIndex, AddResult.
// Thread-safety: plain values.
#pragma once

#include <cstdint>
#include <limits>

namespace numi::book {

// Prices are integers in the venue's price units (ITCH: 1e-4 dollars, so 100 = one cent; EOBI: 1e-8).
using Price = int64_t;
// Quantities are integers in the venue's quantity units (shares, contracts, or EOBI 1e-4 units).
using Qty = int64_t;
// Dense index of an order record in the order slab.
using OrderHandle = uint32_t;
// Dense index of a registered instrument (0, 1, 2, ... in registration order).
using InstrumentIndex = uint32_t;
// Index of a price level record in the level pool.
using LevelIndex = uint32_t;

inline constexpr OrderHandle kNoHandle = std::numeric_limits<uint32_t>::max();
inline constexpr LevelIndex kNoLevel = std::numeric_limits<uint32_t>::max();
inline constexpr InstrumentIndex kNoInstrument = std::numeric_limits<uint32_t>::max();
// Passed as an execution price: "use the resting order's price".
inline constexpr Price kNoPrice = std::numeric_limits<int64_t>::min();
// Accepted prices lie in [-kPriceLimit, kPriceLimit] (a TickTable may narrow this further).
inline constexpr Price kPriceLimit = Price{1} << 62;
[[nodiscard]] constexpr bool within_price_limit(Price p) noexcept {
  return p >= -kPriceLimit && p <= kPriceLimit;
}

enum class Side : uint8_t { kBid = 0, kAsk = 1 };

[[nodiscard]] constexpr Side opposite(Side s) noexcept { return s == Side::kBid ? Side::kAsk : Side::kBid; }
[[nodiscard]] constexpr unsigned side_index(Side s) noexcept { return static_cast<unsigned>(s); }

// Who initiated a trade, when the venue says.
enum class Aggressor : uint8_t { kUnknown = 0, kBuy = 1, kSell = 2 };

// Trading phase of one instrument (venue adapters map their own codes onto these).
enum class InstrumentState : uint8_t {
  kUnknown = 0,
  kPreOpen,
  kAuction,  // opening/closing/intraday call auction
  kTrading,  // continuous trading
  kHalted,   // halt, pause or suspension
  kClosed,
  kPostTrade,
};

// Result of every book event. Every value other than kOk bumps its own counter (see book_counters.hpp).
enum class [[nodiscard]] ApplyStatus : uint8_t{
    kOk = 0,
    kUnknownOrder,       // order id / handle not live
    kDuplicateOrderId,   // add/replace with an id that is already live
    kUnknownInstrument,  // instrument index not registered
    kBadQuantity,        // zero or negative quantity, or one its level's total (int64) cannot hold
    kOffTickPrice,       // price not a multiple of the instrument's tick at that price
    kBadPrice,           // price outside the instrument's [min_price, max_price]
    kOrderTableFull,     // order slab (or the hashed order index) is full
    kLevelTableFull,     // level pool or level-array arena is full
    kOrderIdOutOfRange,  // id outside the dense range and no hashed index configured
    kCount,
};

[[nodiscard]] constexpr const char* to_string(ApplyStatus s) noexcept {
  switch (s) {
    case ApplyStatus::kOk:
      return "ok";
    case ApplyStatus::kUnknownOrder:
      return "unknown_order";
    case ApplyStatus::kDuplicateOrderId:
      return "duplicate_order_id";
    case ApplyStatus::kUnknownInstrument:
      return "unknown_instrument";
    case ApplyStatus::kBadQuantity:
      return "bad_quantity";
    case ApplyStatus::kOffTickPrice:
      return "off_tick_price";
    case ApplyStatus::kBadPrice:
      return "bad_price";
    case ApplyStatus::kOrderTableFull:
      return "order_table_full";
    case ApplyStatus::kLevelTableFull:
      return "level_table_full";
    case ApplyStatus::kOrderIdOutOfRange:
      return "order_id_out_of_range";
    case ApplyStatus::kCount:
      break;
  }
  return "?";
}

// Result of an add at handle level: the handle is valid only when status == kOk.
struct [[nodiscard]] AddResult {
  ApplyStatus status;
  OrderHandle handle;
};

// Best bid and offer of one instrument. A missing side has price 0, qty 0, count 0 and has_* false.
struct Bbo {
  Price bid_price = 0;
  Qty bid_qty = 0;
  uint32_t bid_count = 0;
  Price ask_price = 0;
  Qty ask_qty = 0;
  uint32_t ask_count = 0;
  bool has_bid = false;
  bool has_ask = false;
  friend bool operator==(const Bbo&, const Bbo&) = default;
};

// One aggregated price level (depth queries).
struct LevelView {
  Price price = 0;
  Qty qty = 0;         // total resting quantity at this price
  uint32_t count = 0;  // number of orders queued at this price
  friend bool operator==(const LevelView&, const LevelView&) = default;
};

// One live order (find/order queries).
struct OrderView {
  InstrumentIndex instrument = kNoInstrument;
  Side side = Side::kBid;
  Price price = 0;
  Qty qty = 0;
  uint64_t order_id = 0;
  OrderHandle handle = kNoHandle;
  friend bool operator==(const OrderView&, const OrderView&) = default;
};

// Orders and quantity queued ahead of an order at its price level (0/0 = at the head).
struct QueuePosition {
  uint32_t orders_ahead = 0;
  Qty qty_ahead = 0;
  friend bool operator==(const QueuePosition&, const QueuePosition&) = default;
};

}  // namespace numi::book
