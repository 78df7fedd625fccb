#include "numi/app/book_report.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>

#include "numi/codec/itch/messages.hpp"

namespace numi::app {

Result<ItchBook> make_itch_book(const config::BookConfig& cfg, uint64_t min_order_refs) {
  ItchBook out;
  if (!cfg.refdata_csv.empty()) {
    auto specs = book::load_refdata_csv(cfg.refdata_csv);
    if (!specs.ok()) return specs.error();
    out.refdata = std::move(specs.value());
  }
  for (const config::InstrumentConfig& ic : cfg.instruments) {
    book::InstrumentSpec spec;
    spec.venue_id = ic.id;
    spec.symbol = ic.symbol;
    spec.tick = book::TickTable(static_cast<book::Price>(ic.tick == 0 ? cfg.default_tick : ic.tick));
    out.refdata.push_back(std::move(spec));
  }
  book::BookLimits limits;
  limits.max_instruments = cfg.max_instruments;
  limits.max_orders = static_cast<uint32_t>(cfg.max_orders);
  limits.max_levels = static_cast<uint32_t>(cfg.max_levels);
  limits.order_id_base = 0;
  limits.order_id_capacity = std::max<uint64_t>(cfg.order_id_capacity, min_order_refs);
  auto created = book::OrderBook::create(limits);
  if (!created.ok()) return created.error();
  out.book = std::move(created.value());
  // ITCH grid: sub-penny below $1.00 (Reg NMS rule 612), book.default_tick from $1.00.
  book::TickTable grid(1);
  (void)grid.add_band(10'000, static_cast<book::Price>(cfg.default_tick));
  out.builder = std::make_unique<book::ItchBookBuilder>(*out.book, out.refdata, grid);
  return out;
}

void add_replay_keys(KvLine& line, const ReplayReport& r) {
  line.add("messages", r.messages);
  for (const codec::itch::MessageInfo& m : codec::itch::kMessageTable) {
    line.add(std::string("msg_") + m.type, r.by_type[static_cast<uint8_t>(m.type)]);
  }
  const double secs = static_cast<double>(r.elapsed_ns) / 1e9;
  line.add("decode_errors", r.decode_errors)
      .add("elapsed_ms", static_cast<double>(r.elapsed_ns) / 1e6, 1)
      .add("msgs_per_sec", secs > 0 ? static_cast<double>(r.messages) / secs : 0.0, 0)
      .add("apply_samples", r.apply_ns.count)
      .add("apply_p50_ns", r.apply_ns.p50)
      .add("apply_p99_ns", r.apply_ns.p99)
      .add("apply_p999_ns", r.apply_ns.p999)
      .add("apply_max_ns", r.apply_ns.max);
}

void add_book_keys(KvLine& line, const book::OrderBook& b, const book::ItchBookBuilder& builder) {
  using book::BookCounter;
  const auto& c = b.counters();
  uint64_t rejected = 0;
  for (auto i = static_cast<std::size_t>(BookCounter::kUnknownOrder);
       i <= static_cast<std::size_t>(BookCounter::kOrderIdOutOfRange); ++i) {
    rejected += c.load(static_cast<BookCounter>(i));
  }
  line.add("adds", c.load(BookCounter::kAdds))
      .add("executions", c.load(BookCounter::kExecutions))
      .add("cancels", c.load(BookCounter::kReduces))
      .add("deletes", c.load(BookCounter::kDeletes))
      .add("replaces", c.load(BookCounter::kReplaces))
      .add("trades", c.load(BookCounter::kTrades))
      .add("unknown_refs", builder.counters().load(book::ItchBookCounter::kUnknownRefs))
      .add("rejected", rejected)
      .add("crossed", c.load(BookCounter::kCrossed))
      .add("instruments", b.instrument_count())
      .add("live_orders", b.live_orders())
      .add("live_levels", b.live_levels())
      .add("state_hash", fmt::format("{:016x}", b.state_hash()));
}

namespace {
std::string price_text(book::Price p, int decimals) {
  if (decimals <= 0) return fmt::format("{}", p);
  int64_t scale = 1;
  for (int i = 0; i < decimals; ++i) scale *= 10;
  const char* sign = p < 0 ? "-" : "";
  const int64_t a = p < 0 ? -p : p;
  return fmt::format("{}{}.{:0{}}", sign, a / scale, a % scale, decimals);
}

std::string_view state_text(book::InstrumentState s) {
  switch (s) {
    case book::InstrumentState::kUnknown:
      return "unknown";
    case book::InstrumentState::kPreOpen:
      return "pre-open";
    case book::InstrumentState::kAuction:
      return "auction";
    case book::InstrumentState::kTrading:
      return "trading";
    case book::InstrumentState::kHalted:
      return "halted";
    case book::InstrumentState::kClosed:
      return "closed";
    case book::InstrumentState::kPostTrade:
      return "post-trade";
  }
  return "?";
}
}  // namespace

std::string format_ladder(const book::OrderBook& b, book::InstrumentIndex inst, uint32_t depth,
                          int decimals) {
  const book::InstrumentInfo info = b.instrument(inst);
  std::vector<book::LevelView> bids(depth);
  std::vector<book::LevelView> asks(depth);
  const std::size_t nb = b.depth(inst, book::Side::kBid, bids);
  const std::size_t na = b.depth(inst, book::Side::kAsk, asks);
  std::string out =
      fmt::format("{} (id {}) state={} orders={} levels={}/{} last={} x {} volume={} trades={}\n",
                  info.symbol.empty() ? "?" : info.symbol, info.venue_id, state_text(info.state),
                  info.order_count, info.bid_levels, info.ask_levels, price_text(info.last_price, decimals),
                  info.last_qty, info.volume, info.trade_count);
  out += fmt::format("  {:>3} {:>7} {:>10} {:>12} | {:<12} {:>10} {:>7}\n", "#", "orders", "bid_qty", "bid",
                     "ask", "ask_qty", "orders");
  for (std::size_t i = 0; i < std::max(nb, na); ++i) {
    std::string left = i < nb ? fmt::format("{:>7} {:>10} {:>12}", bids[i].count, bids[i].qty,
                                            price_text(bids[i].price, decimals))
                              : fmt::format("{:>7} {:>10} {:>12}", "", "", "");
    std::string right = i < na ? fmt::format("{:<12} {:>10} {:>7}", price_text(asks[i].price, decimals),
                                             asks[i].qty, asks[i].count)
                               : std::string();
    out += fmt::format("  {:>3} {} | {}\n", i + 1, left, right);
  }
  return out;
}

std::vector<book::InstrumentIndex> busiest_instruments(const book::OrderBook& b, std::size_t n) {
  std::vector<std::pair<uint32_t, book::InstrumentIndex>> all;
  for (book::InstrumentIndex i = 0; i < b.instrument_count(); ++i)
    all.emplace_back(b.instrument(i).order_count, i);
  std::sort(all.begin(), all.end(), [&](const auto& a, const auto& c) {
    if (a.first != c.first) return a.first > c.first;
    return b.instrument(a.second).venue_id < b.instrument(c.second).venue_id;
  });
  std::vector<book::InstrumentIndex> out;
  for (std::size_t i = 0; i < all.size() && i < n; ++i) out.push_back(all[i].second);
  return out;
}

std::optional<book::InstrumentIndex> find_symbol(const book::OrderBook& b, std::string_view symbol) {
  for (book::InstrumentIndex i = 0; i < b.instrument_count(); ++i) {
    if (b.instrument(i).symbol == symbol) return i;
  }
  return std::nullopt;
}

}  // namespace numi::app
