// Fuzz target: ItchBookBuilder fed an arbitrary ITCH 5.0 message stream. Input: messages back to back, each a
// type byte followed by exactly the rest of that type's length (so the stream is always framed; a byte that
// is no ITCH type is skipped). After the stream the book's invariants must check clean, and every live order
// the level walk yields must be found by its reference number as that very order (same instrument, side,
// price, open quantity). Small limits, a small dense id range and a small hashed fallback so the full-table,
// out-of-range and hashed-id paths are reached.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "numi/book/itch_book_builder.hpp"
#include "numi/book/order_book.hpp"
#include "numi/codec/itch/decoder.hpp"

namespace {

using namespace numi::book;
namespace itch = numi::codec::itch;

void fail(const char* what, const std::string& detail) {
  std::fprintf(stderr, "itch_book_fuzz: %s: %s\n", what, detail.c_str());
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
  BookLimits limits;
  limits.max_instruments = 8;
  limits.max_orders = 256;
  limits.max_levels = 128;
  limits.order_id_base = 0;
  limits.order_id_capacity = 1024;
  limits.hashed_order_capacity = 32;
  auto created = OrderBook::create(limits);
  if (!created.ok()) fail("create", created.error().message);
  OrderBook& book = **created;
  ItchBookBuilder builder(book);

  const auto* bytes = reinterpret_cast<const std::byte*>(data);
  std::size_t pos = 0;
  while (pos < size) {
    const std::size_t len = itch::kLengthByType[data[pos]];
    if (len == 0) {
      ++pos;
      continue;
    }
    if (size - pos < len) break;
    (void)itch::decode(bytes + pos, len, builder);
    pos += len;
  }

  if (std::string e = book.check_invariants(); !e.empty()) fail("book invariants", e);
  uint32_t seen = 0;
  for (InstrumentIndex i = 0; i < book.instrument_count(); ++i) {
    for (const Side side : {Side::kBid, Side::kAsk}) {
      Price price = 0;
      book.for_each_level(
          i, side, [&](const LevelView& l) noexcept { price = l.price; },
          [&](uint64_t ref, Qty qty) {
            ++seen;
            const std::optional<OrderView> o = book.find(ref);
            if (!o || o->instrument != i || o->side != side || o->price != price || o->qty != qty) {
              fail("order ref", "live order " + std::to_string(ref) + " of instrument " + std::to_string(i) +
                                    " is not found by its reference number");
            }
          });
    }
  }
  if (seen != book.live_orders()) {
    fail("live orders", std::to_string(seen) + " walked != " + std::to_string(book.live_orders()) + " live");
  }
  return 0;
}
