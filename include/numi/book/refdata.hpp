// Reference data: instrument specs (venue id, symbol, tick table) loaded from a CSV file with a header row.
// Column names are case-insensitive with aliases — id: id|security_id|securityid|stock_locate|locate;
// symbol: symbol|stock|ticker|name; tick: tick|tick_size|ticksize|min_price_increment (integer venue price
// units); optional tick_bands: "from:tick;from:tick" (ladder), min_price, max_price. Other columns are
// ignored; '#' lines and blank lines are skipped. Errors name the file, line, column and the fix.
// Main types: InstrumentSpec, load_refdata_csv, parse_refdata_csv, register_instruments. Thread-safety: cold.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "numi/book/order_book.hpp"
#include "numi/book/tick_table.hpp"
#include "numi/core/status.hpp"

namespace numi::book {

struct InstrumentSpec {
  uint64_t venue_id = 0;
  std::string symbol;
  TickTable tick;
};

// Reads and parses `path`.
Result<std::vector<InstrumentSpec>> load_refdata_csv(const std::string& path);
// Parses CSV text; `source_name` is used in error messages (e.g. the file path).
Result<std::vector<InstrumentSpec>> parse_refdata_csv(std::string_view text, std::string_view source_name);
// Registers every spec with the book (stops at the first error, which names the instrument).
Result<void> register_instruments(OrderBook& book, std::span<const InstrumentSpec> specs);

}  // namespace numi::book
