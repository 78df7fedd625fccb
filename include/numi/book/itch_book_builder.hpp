// ItchBookBuilder: the ITCH 5.0 venue adapter — a decode() handler that turns each book message into exactly
// one OrderBook event (A/F add, E execute at the resting price, C execute at its own price, X reduce, D
// delete, U replace keeping the side with priority lost, P/Q trades that touch no visible order) and feeds
// the non-book messages it needs (R stock directory -> instrument, H trading action -> instrument state).
// Main types: ItchBookBuilder, ItchTickPolicy. Thread-safety: one thread (the book's).
#pragma once

#include <array>
#include <cstdint>
#include <cstring>
#include <span>
#include <string_view>

#include "numi/book/order_book.hpp"
#include "numi/book/refdata.hpp"
#include "numi/codec/itch/messages.hpp"

namespace numi::book {

// Counters of the adapter itself (the book counts its own rejections by class).
enum class ItchBookCounter : uint8_t {
  kUnknownRefs,          // E/C/X/D/U naming an order the book does not hold
  kInvalidSide,          // buy_sell_indicator neither 'B' nor 'S'
  kImplicitInstruments,  // an order for a locate with no preceding stock directory (registered on the fly)
  kInstrumentRejected,   // a locate that could not be registered (instrument table full, bad tick)
  kRejectedEvents,       // book events rejected for any other class (see book_*_total)
  kBrokenTrades,         // B messages (trade statistics are not rewritten)
  kCount,
};
[[nodiscard]] std::span<const CounterDesc> counter_table(ItchBookCounter) noexcept;

// ITCH prices are 1e-4 dollars. Default grid (Reg NMS rule 612): 1 unit below $1.00, one cent (100) from
// $1.00.
[[nodiscard]] TickTable itch_default_tick_table() noexcept;

class ItchBookBuilder {
 public:
  // `book` must outlive the builder. `refdata` (optional) overrides the tick table of a locate (venue_id =
  // stock locate) or of a symbol; everything else gets `default_tick`.
  ItchBookBuilder(OrderBook& book, std::span<const InstrumentSpec> refdata = {},
                  TickTable default_tick = itch_default_tick_table());

  // ---- decode() handler: book messages (hot) ----
  void on(const codec::itch::AddOrder& m) noexcept {
    add(m.stock_locate, m.order_reference_number, m.buy_sell_indicator, m.price, m.shares, m.stock);
  }
  void on(const codec::itch::AddOrderMpid& m) noexcept {
    add(m.stock_locate, m.order_reference_number, m.buy_sell_indicator, m.price, m.shares, m.stock);
  }
  void on(const codec::itch::OrderExecuted& m) noexcept {
    count(book_.execute(m.order_reference_number, m.executed_shares, kNoPrice, m.match_number));
  }
  void on(const codec::itch::OrderExecutedWithPrice& m) noexcept {
    count(book_.execute(m.order_reference_number, m.executed_shares, m.execution_price, m.match_number));
  }
  void on(const codec::itch::OrderCancel& m) noexcept {
    count(book_.reduce(m.order_reference_number, m.canceled_shares));
  }
  void on(const codec::itch::OrderDelete& m) noexcept { count(book_.remove(m.order_reference_number)); }
  void on(const codec::itch::OrderReplace& m) noexcept {
    count(book_.replace(m.original_order_reference_number, m.new_order_reference_number, m.price, m.shares));
  }
  // Executions of non-displayed orders: a trade, never a change to the visible book.
  void on(const codec::itch::NonCrossTrade& m) noexcept;
  void on(const codec::itch::CrossTrade& m) noexcept;
  void on(const codec::itch::BrokenTrade&) noexcept { counters_.add(ItchBookCounter::kBrokenTrades); }

  // ---- decode() handler: reference and state messages ----
  void on(const codec::itch::StockDirectory& m) noexcept;
  void on(const codec::itch::StockTradingAction& m) noexcept;

  // Two-stage prefetch of what a message (type byte first, at least 19 bytes) will touch, for callers that
  // look ahead: stage 1 (a few messages early) the order index slot, stage 2 (later) the order record behind
  // it.
  void prefetch_index(std::span<const std::byte> msg) const noexcept {
    if (const uint64_t ref = order_ref_of(msg)) book_.prefetch(ref);
  }
  void prefetch_record(std::span<const std::byte> msg) const noexcept {
    if (const uint64_t ref = order_ref_of(msg)) book_.prefetch_record(ref);
  }

  // Instrument of a stock locate, or kNoInstrument.
  [[nodiscard]] InstrumentIndex instrument_of(uint16_t locate) const noexcept {
    return locate_to_instrument_[locate];
  }
  [[nodiscard]] const CounterBlock<ItchBookCounter>& counters() const noexcept { return counters_; }
  [[nodiscard]] OrderBook& book() noexcept { return book_; }

 private:
  void add(uint16_t locate, uint64_t ref, char side, uint32_t price, uint32_t shares,
           const codec::itch::Stock& stock) noexcept {
    InstrumentIndex inst = locate_to_instrument_[locate];
    if (inst == kNoInstrument) [[unlikely]] {
      inst = register_locate(locate, stock, true);
      if (inst == kNoInstrument) return;
    }
    if (side != 'B' && side != 'S') [[unlikely]] {
      counters_.add(ItchBookCounter::kInvalidSide);
      return;
    }
    count(book_.add(inst, ref, side == 'B' ? Side::kBid : Side::kAsk, price, shares));
  }
  // The order reference an E/C/X/D/U message acts on (offset 11 in all five), or 0.
  static uint64_t order_ref_of(std::span<const std::byte> msg) noexcept {
    const char type = static_cast<char>(msg[0]);
    if ((type != 'E' && type != 'C' && type != 'X' && type != 'D' && type != 'U') || msg.size() < 19)
      return 0;
    uint64_t ref;
    std::memcpy(&ref, msg.data() + 11, sizeof ref);
    return __builtin_bswap64(ref);
  }
  void count(ApplyStatus s) noexcept {
    if (s == ApplyStatus::kOk) [[likely]]
      return;
    counters_.add(s == ApplyStatus::kUnknownOrder ? ItchBookCounter::kUnknownRefs
                                                  : ItchBookCounter::kRejectedEvents);
  }
  // Cold: registers a locate with the book (tick from refdata or the default).
  InstrumentIndex register_locate(uint16_t locate, const codec::itch::Stock& stock, bool implicit) noexcept;

  OrderBook& book_;
  std::span<const InstrumentSpec> refdata_;
  TickTable default_tick_;
  std::array<InstrumentIndex, 65536> locate_to_instrument_;
  CounterBlock<ItchBookCounter> counters_;
};

}  // namespace numi::book
