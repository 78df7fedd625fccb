// Reporting shared by book_replay and numi-orderbook: the key=value fields of a replay and of a book, the
// top-of-book ladder of one instrument, the busiest instruments, and building a book from the config.
// Main functions: make_itch_book, add_replay_keys, add_book_keys, format_ladder, busiest_instruments.
// Thread-safety: cold path; call from the thread that owns the book.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "numi/app/itch_replay.hpp"
#include "numi/book/itch_book_builder.hpp"
#include "numi/book/order_book.hpp"
#include "numi/book/refdata.hpp"
#include "numi/config/config.hpp"
#include "numi/core/kv_line.hpp"

namespace numi::app {

// A book and its ITCH adapter, sized from [book]. `min_order_refs` raises the dense order-reference table
// (e.g. derived from the input size) above book.order_id_capacity.
struct ItchBook {
  std::unique_ptr<book::OrderBook> book;
  std::vector<book::InstrumentSpec> refdata;  // [[book.instrument]] + book.refdata_csv
  std::unique_ptr<book::ItchBookBuilder> builder;
};
[[nodiscard]] Result<ItchBook> make_itch_book(const config::BookConfig& cfg, uint64_t min_order_refs = 0);
// Upper bound on the order references in `bytes` of Nasdaq binary file format: every reference is introduced
// by an A, F or U message of at least 35 bytes plus its 2-byte length prefix (margin added for small inputs).
[[nodiscard]] constexpr uint64_t itch_max_order_refs(uint64_t bytes) noexcept { return bytes / 37 + 1024; }

// messages, msg_<type> for every ITCH type, decode_errors, elapsed_ms, msgs_per_sec, apply_p50_ns,
// apply_p99_ns, apply_p999_ns, apply_max_ns, apply_samples.
void add_replay_keys(KvLine& line, const ReplayReport& report);
// adds executions cancels deletes replaces unknown_refs rejected instruments live_orders live_levels crossed
// state_hash.
void add_book_keys(KvLine& line, const book::OrderBook& book, const book::ItchBookBuilder& builder);

// A ladder of the best `depth` levels per side, prices shown with `price_decimals` implied decimals.
[[nodiscard]] std::string format_ladder(const book::OrderBook& book, book::InstrumentIndex instrument,
                                        uint32_t depth, int price_decimals);
// The `n` instruments with the most live orders (ties: lower venue id first).
[[nodiscard]] std::vector<book::InstrumentIndex> busiest_instruments(const book::OrderBook& book,
                                                                     std::size_t n);
// The instrument whose symbol is `symbol`, if registered.
[[nodiscard]] std::optional<book::InstrumentIndex> find_symbol(const book::OrderBook& book,
                                                               std::string_view symbol);

}  // namespace numi::app
