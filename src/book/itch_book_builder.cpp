#include "numi/book/itch_book_builder.hpp"

#include <array>
#include <string>

namespace numi::book {
namespace {
constexpr std::array<CounterDesc, static_cast<std::size_t>(ItchBookCounter::kCount)> kItchBookCounterTable{{
    {"itch_book_unknown_refs_total", "ITCH E/C/X/D/U messages naming an order the book does not hold",
     MetricType::kCounter},
    {"itch_book_invalid_side_total", "ITCH add orders whose buy_sell_indicator is neither B nor S",
     MetricType::kCounter},
    {"itch_book_implicit_instruments_total", "stock locates first seen in an order, not a stock directory",
     MetricType::kCounter},
    {"itch_book_instrument_rejected_total",
     "stock locates the book could not register (table full, bad tick)", MetricType::kCounter},
    {"itch_book_rejected_events_total", "ITCH book events rejected by the book for another class",
     MetricType::kCounter},
    {"itch_book_broken_trades_total", "ITCH broken trade (B) messages", MetricType::kCounter},
}};

std::string_view trimmed(const codec::itch::Stock& s) noexcept { return codec::itch::stock_view(s); }

InstrumentState state_of(char trading_state) noexcept {
  switch (trading_state) {
    case 'T':
      return InstrumentState::kTrading;
    case 'H':
      return InstrumentState::kHalted;
    case 'P':
      return InstrumentState::kHalted;  // paused (LULD)
    case 'Q':
      return InstrumentState::kAuction;  // quotation only period
    default:
      return InstrumentState::kUnknown;
  }
}
}  // namespace

std::span<const CounterDesc> counter_table(ItchBookCounter) noexcept { return kItchBookCounterTable; }

TickTable itch_default_tick_table() noexcept {
  TickTable t(1);
  (void)t.add_band(10'000, 100);
  return t;
}

ItchBookBuilder::ItchBookBuilder(OrderBook& book, std::span<const InstrumentSpec> refdata,
                                 TickTable default_tick)
    : book_(book), refdata_(refdata), default_tick_(default_tick) {
  locate_to_instrument_.fill(kNoInstrument);
}

InstrumentIndex ItchBookBuilder::register_locate(uint16_t locate, const codec::itch::Stock& stock,
                                                 bool implicit) noexcept {
  const std::string_view symbol = trimmed(stock);
  TickTable tick = default_tick_;
  for (const InstrumentSpec& spec : refdata_) {
    if (spec.venue_id == locate || (!spec.symbol.empty() && spec.symbol == symbol)) {
      tick = spec.tick;
      break;
    }
  }
  if (auto existing = book_.find_instrument(locate)) {
    locate_to_instrument_[locate] = *existing;
    return *existing;
  }
  Result<InstrumentIndex> r = book_.add_instrument(locate, symbol, tick);
  if (!r.ok()) {
    counters_.add(ItchBookCounter::kInstrumentRejected);
    return kNoInstrument;
  }
  if (implicit) counters_.add(ItchBookCounter::kImplicitInstruments);
  locate_to_instrument_[locate] = *r;
  return *r;
}

void ItchBookBuilder::on(const codec::itch::StockDirectory& m) noexcept {
  if (locate_to_instrument_[m.stock_locate] == kNoInstrument)
    (void)register_locate(m.stock_locate, m.stock, false);
}

void ItchBookBuilder::on(const codec::itch::StockTradingAction& m) noexcept {
  InstrumentIndex inst = locate_to_instrument_[m.stock_locate];
  if (inst == kNoInstrument) inst = register_locate(m.stock_locate, m.stock, true);
  if (inst == kNoInstrument) return;
  count(book_.set_state(inst, state_of(m.trading_state)));
}

void ItchBookBuilder::on(const codec::itch::NonCrossTrade& m) noexcept {
  const InstrumentIndex inst = locate_to_instrument_[m.stock_locate];
  if (inst == kNoInstrument) return;
  // The indicator names the resting non-displayed order that was hit, so the aggressor is the other side.
  const Aggressor aggressor = m.buy_sell_indicator == 'B'   ? Aggressor::kSell
                              : m.buy_sell_indicator == 'S' ? Aggressor::kBuy
                                                            : Aggressor::kUnknown;
  count(book_.record_trade(inst, m.price, m.shares, m.match_number, aggressor));
}

void ItchBookBuilder::on(const codec::itch::CrossTrade& m) noexcept {
  const InstrumentIndex inst = locate_to_instrument_[m.stock_locate];
  if (inst == kNoInstrument || m.cross_shares == 0) return;
  count(book_.record_trade(inst, m.cross_price, static_cast<Qty>(m.cross_shares), m.match_number));
}

}  // namespace numi::book
