// Fuzz target: EobiBookBuilder fed arbitrary packets on both channels. Input: byte 0 = options (bit 0:
// start_live), then records [u8 channel (bit 0: snapshot)][u16 LE length][payload]. After every input the
// book must pass support/book_check.hpp: every live order found by the builder by its exact (SecurityID,
// Side, priority) key at the price it rests at, as that very order. Small limits so the full-table,
// full-buffer and unknown-instrument paths are reached.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>

#include "numi/book/eobi_book_builder.hpp"
#include "numi/book/order_book.hpp"
#include "support/book_check.hpp"

using namespace numi::book;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  BookLimits limits;
  limits.max_instruments = 8;
  limits.max_orders = 256;
  limits.max_levels = 128;
  limits.identity = OrderIdentity::kLocated;  // EOBI orders are found at their price: no id index
  auto created = OrderBook::create(limits);
  if (!created.ok()) numi::fuzz::fail("eobi_book_fuzz", "create", created.error().message);
  OrderBook& book = **created;
  EobiBookOptions options;
  options.start_live = (data[0] & 1) != 0;
  options.buffer_capacity = 32;
  options.max_streams = 4;
  EobiBookBuilder builder(book, options);

  const auto* bytes = reinterpret_cast<const std::byte*>(data);
  std::size_t pos = 1;
  while (size - pos >= 3) {
    const bool snapshot = (data[pos] & 1) != 0;
    const std::size_t len =
        std::min<std::size_t>(data[pos + 1] | (std::size_t{data[pos + 2]} << 8), size - pos - 3);
    const std::span<const std::byte> packet(bytes + pos + 3, len);
    pos += 3 + len;
    if (snapshot) {
      (void)builder.apply_snapshot(packet.data(), packet.size());
    } else {
      (void)builder.apply_incremental(packet.data(), packet.size());
    }
  }

  numi::fuzz::check_book("eobi_book_fuzz", book, [&](InstrumentIndex i, Side side, Price price, uint64_t id) {
    return builder.find_order(static_cast<int64_t>(book.instrument(i).venue_id), side, price, id);
  });
  return 0;
}
