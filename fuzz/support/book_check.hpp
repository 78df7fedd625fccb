// The book fuzzers' end-of-input check, one for both venues: the book's invariants check clean, the level
// walk yields exactly the book's live orders, and each of them is found by the adapter's own lookup as that
// very order (instrument, side, price, id, open quantity). A violation prints the target and what broke, then
// aborts, which libFuzzer reports as a crash with the input saved.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>

#include "numi/book/order_book.hpp"

namespace numi::fuzz {

[[noreturn]] inline void fail(const char* target, const char* what, const std::string& detail) {
  std::fprintf(stderr, "%s: %s: %s\n", target, what, detail.c_str());
  std::abort();
}

// find(InstrumentIndex, Side, Price, uint64_t id) -> std::optional<book::OrderView>: the adapter's lookup of
// a live order (by reference number for ITCH, by its exact key at its price for EOBI).
template <typename Find>
void check_book(const char* target, const book::OrderBook& book, Find&& find) {
  using namespace numi::book;
  if (std::string e = book.check_invariants(); !e.empty()) fail(target, "book invariants", e);
  uint32_t walked = 0;
  for (InstrumentIndex i = 0; i < book.instrument_count(); ++i) {
    for (const Side side : {Side::kBid, Side::kAsk}) {
      Price price = 0;
      book.for_each_level(
          i, side, [&](const LevelView& l) noexcept { price = l.price; },
          [&](uint64_t id, Qty qty) {
            ++walked;
            const std::optional<OrderView> o = find(i, side, price, id);
            if (!o || o->instrument != i || o->side != side || o->price != price || o->order_id != id ||
                o->qty != qty) {
              fail(target, "order lookup",
                   "live order " + std::to_string(id) + " of instrument " + std::to_string(i) +
                       " is not found by its own key as itself");
            }
          });
    }
  }
  if (walked != book.live_orders()) {
    fail(target, "live orders",
         std::to_string(walked) + " walked != " + std::to_string(book.live_orders()) + " live");
  }
}

}  // namespace numi::fuzz
