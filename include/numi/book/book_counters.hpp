// Counters of numi::book: applied events by kind, one counter per rejected-event class (same order as
// ApplyStatus), and book conditions that are counted but not rejected (crossed book, over-reduce).
// Main types: BookCounter (enum, ends in kCount), counter_table(BookCounter) (name/help/type rows).
// Thread-safety: a CounterBlock<BookCounter> has one writer (the book's thread); any thread may read.
#pragma once

#include <array>
#include <cstddef>
#include <span>

#include "numi/book/types.hpp"
#include "numi/core/counters.hpp"

namespace numi::book {

enum class BookCounter : uint8_t {
  // Rejections: index = kRejectBase + ApplyStatus (kOk's slot is unused and stays 0).
  kRejectBase = 0,
  kUnknownOrder = 1,
  kDuplicateOrderId,
  kUnknownInstrument,
  kBadQuantity,
  kOffTickPrice,
  kBadPrice,
  kOrderTableFull,
  kLevelTableFull,
  kOrderIdOutOfRange,
  // Applied events by kind.
  kAdds,
  kExecutions,
  kReduces,
  kDeletes,
  kReplaces,
  kModifies,
  kModifiesKeptPriority,
  kClears,
  kStateChanges,
  kTrades,
  // Conditions counted, not rejected.
  kCrossed,
  kOverReduce,
  kCount,
};

static_assert(static_cast<unsigned>(BookCounter::kOrderIdOutOfRange) ==
                  static_cast<unsigned>(ApplyStatus::kOrderIdOutOfRange),
              "reject counters mirror ApplyStatus");

[[nodiscard]] constexpr BookCounter reject_counter(ApplyStatus s) noexcept {
  return static_cast<BookCounter>(static_cast<unsigned>(s));
}

inline constexpr std::array<CounterDesc, static_cast<std::size_t>(BookCounter::kCount)> kBookCounterTable{{
    {"book_ok_unused", "Unused slot (ApplyStatus::kOk is never counted as a rejection).",
     MetricType::kCounter},
    {"book_unknown_order_total", "Events naming an order id/handle that is not live.", MetricType::kCounter},
    {"book_duplicate_order_id_total", "Adds/replaces whose new order id is already live.",
     MetricType::kCounter},
    {"book_unknown_instrument_total", "Events naming an unregistered instrument.", MetricType::kCounter},
    {"book_bad_quantity_total",
     "Events with a zero or negative quantity, or one that would push its level's total past INT64_MAX.",
     MetricType::kCounter},
    {"book_off_tick_price_total", "Prices that are not a multiple of the instrument's tick.",
     MetricType::kCounter},
    {"book_bad_price_total", "Prices outside the instrument's allowed range.", MetricType::kCounter},
    {"book_order_table_full_total", "Adds rejected because the order slab or hashed index is full.",
     MetricType::kCounter},
    {"book_level_table_full_total", "Events rejected because the level pool or level arena is full.",
     MetricType::kCounter},
    {"book_order_id_out_of_range_total", "Order ids outside the dense range with no hashed index configured.",
     MetricType::kCounter},
    {"book_adds_total", "Orders added.", MetricType::kCounter},
    {"book_executions_total", "Executions applied against resting orders.", MetricType::kCounter},
    {"book_reduces_total", "Partial cancels (reduce) applied.", MetricType::kCounter},
    {"book_deletes_total", "Orders deleted.", MetricType::kCounter},
    {"book_replaces_total", "Order replaces (new id, priority lost) applied.", MetricType::kCounter},
    {"book_modifies_total", "Order modifies applied.", MetricType::kCounter},
    {"book_modifies_kept_priority_total",
     "Modifies that kept queue priority (qty down or equal, same price).", MetricType::kCounter},
    {"book_clears_total", "Instrument clears (mass deletes).", MetricType::kCounter},
    {"book_state_changes_total", "Instrument state changes.", MetricType::kCounter},
    {"book_trades_total", "Trades recorded (executions plus off-book trade reports).", MetricType::kCounter},
    {"book_crossed_total",
     "Updates that left an instrument with best bid >= best ask (applied, not rejected).",
     MetricType::kCounter},
    {"book_over_reduce_total", "Reduces/executions larger than the open quantity (order removed).",
     MetricType::kCounter},
}};

[[nodiscard]] constexpr std::span<const CounterDesc> counter_table(BookCounter) noexcept {
  return kBookCounterTable;
}

}  // namespace numi::book
