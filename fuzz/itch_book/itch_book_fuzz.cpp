// Fuzz target: ItchBookBuilder fed an arbitrary ITCH 5.0 message stream. Input: messages back to back, each a
// type byte followed by exactly the rest of that type's length (so the stream is always framed; a byte that
// is no ITCH type is skipped). After the stream the book must pass support/book_check.hpp: every live order
// found by its reference number as that very order. Small limits, a small dense id range and a small hashed
// fallback so the full-table, out-of-range and hashed-id paths are reached.
#include <cstddef>
#include <cstdint>

#include "numi/book/itch_book_builder.hpp"
#include "numi/book/order_book.hpp"
#include "numi/codec/itch/decoder.hpp"
#include "support/book_check.hpp"

using namespace numi::book;
namespace itch = numi::codec::itch;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
  BookLimits limits;
  limits.max_instruments = 8;
  limits.max_orders = 256;
  limits.max_levels = 128;
  limits.order_id_base = 0;
  limits.order_id_capacity = 1024;
  limits.hashed_order_capacity = 32;
  auto created = OrderBook::create(limits);
  if (!created.ok()) numi::fuzz::fail("itch_book_fuzz", "create", created.error().message);
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

  numi::fuzz::check_book("itch_book_fuzz", book,
                         [&](InstrumentIndex, Side, Price, uint64_t id) { return book.find(id); });
  return 0;
}
