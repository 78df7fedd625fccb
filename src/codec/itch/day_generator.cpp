// ItchDayGenerator and write_itch_day (see day_generator.hpp). Deterministic: only our own integer RNG
// (xoshiro256**) and integer arithmetic decide what is emitted, never std:: distributions.
#include "numi/codec/itch/day_generator.hpp"

#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <utility>

#include "numi/codec/itch/messages.hpp"
#include "numi/codec/itch/mold_udp64.hpp"

namespace numi::codec::itch {

namespace {

constexpr int32_t kWindowTicks = 1024;  // per-symbol price window, in penny ticks
constexpr uint32_t kTick = 100;         // $0.01 in 1e-4 price units
constexpr uint64_t kNsPerSecond = 1'000'000'000ull;
constexpr uint64_t kStartOfMessages = 4ull * 3600 * kNsPerSecond;                         // 04:00
constexpr uint64_t kMarketOpen = 9ull * 3600 * kNsPerSecond + 30ull * 60 * kNsPerSecond;  // 09:30
constexpr uint64_t kMarketClose = 16ull * 3600 * kNsPerSecond;                            // 16:00
constexpr uint64_t kEndOfSystem = 20ull * 3600 * kNsPerSecond;                            // 20:00
constexpr uint64_t kFixedPerSymbol = 2;                                                   // R + H
constexpr uint64_t kFixedOther = 6;  // S O, S S, S Q, S M, S E, S C

__extension__ using Uint128 = unsigned __int128;

uint64_t splitmix64(uint64_t& x) noexcept {
  uint64_t z = (x += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

class Rng {
 public:
  explicit Rng(uint64_t seed) noexcept {
    for (auto& w : s_) w = splitmix64(seed);
  }
  uint64_t operator()() noexcept {
    const uint64_t result = rotl(s_[1] * 5, 7) * 9;
    const uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
  }
  // Uniform in [0, n) (n > 0), by multiply-shift.
  uint64_t below(uint64_t n) noexcept {
    return static_cast<uint64_t>((static_cast<Uint128>((*this)()) * n) >> 64);
  }
  uint32_t below32(uint32_t n) noexcept { return static_cast<uint32_t>(below(n)); }

 private:
  static uint64_t rotl(uint64_t x, int k) noexcept { return (x << k) | (x >> (64 - k)); }
  uint64_t s_[4];
};

struct LiveOrder {
  uint64_t ref;
  uint32_t shares;
  int32_t tick;  // price = base + tick * kTick
  char side;     // 'B' or 'S'
};

struct Symbol {
  Stock stock{};
  uint16_t locate = 0;
  uint32_t base = 0;  // price of tick 0, 1e-4 units
  int32_t mid = kWindowTicks / 2;
  int32_t best_bid = -1;            // -1: no bids
  int32_t best_ask = kWindowTicks;  // kWindowTicks: no asks
  std::vector<LiveOrder> orders;
  std::vector<uint16_t> bid_count;  // live bids per tick
  std::vector<uint16_t> ask_count;
};

Stock symbol_name(uint32_t index) noexcept {
  Stock s = make_stock("");
  uint32_t v = index;
  for (int i = 3; i >= 0; --i) {
    s[static_cast<std::size_t>(i)] = static_cast<char>('A' + v % 26);
    v /= 26;
  }
  return s;
}

}  // namespace

struct ItchDayGenerator::State {
  ItchDayOptions opt;
  Rng rng;
  std::vector<Symbol> symbols;
  std::vector<uint64_t> zipf_cdf;  // cumulative weights (scaled) by rank
  std::vector<uint32_t> rank_to_symbol;
  uint64_t total = 0;
  uint64_t body_total = 0;
  uint64_t emitted = 0;
  uint64_t body_emitted = 0;
  uint64_t next_ref = 1;
  uint64_t next_match = 1;
  uint64_t ts = kStartOfMessages;
  uint64_t avg_step = 1;
  uint64_t live = 0;
  std::array<uint64_t, 256> counts{};
  alignas(8) std::array<std::byte, 64> buf{};

  explicit State(const ItchDayOptions& o) : opt(o), rng(o.seed) {
    const uint32_t n = o.symbols;
    symbols.resize(n);
    for (uint32_t i = 0; i < n; ++i) {
      Symbol& s = symbols[i];
      s.stock = symbol_name(i);
      s.locate = static_cast<uint16_t>(i + 1);
      // Mid between $5 and $500; tick 0 sits half a window below it.
      const uint32_t mid_price = (5u + rng.below32(496u)) * 10000u;
      s.base = mid_price - static_cast<uint32_t>(kWindowTicks / 2) * kTick;
      if (mid_price < static_cast<uint32_t>(kWindowTicks / 2) * kTick + kTick)
        s.base = kTick;  // stay positive
      s.bid_count.assign(static_cast<std::size_t>(kWindowTicks), 0);
      s.ask_count.assign(static_cast<std::size_t>(kWindowTicks), 0);
    }
    // Zipf weights by rank; a seeded permutation decides which symbol holds which rank.
    zipf_cdf.resize(n);
    double acc = 0;
    for (uint32_t k = 0; k < n; ++k) {
      acc += 1.0 / std::pow(static_cast<double>(k + 1), o.zipf_exponent);
      zipf_cdf[k] = static_cast<uint64_t>(acc * 1e9);
    }
    rank_to_symbol.resize(n);
    for (uint32_t i = 0; i < n; ++i) rank_to_symbol[i] = i;
    for (uint32_t i = n; i > 1; --i) std::swap(rank_to_symbol[i - 1], rank_to_symbol[rng.below32(i)]);
    total = total_messages(o);
    body_total = total - (kFixedPerSymbol * n + kFixedOther);
    avg_step = body_total == 0 ? 1 : std::max<uint64_t>(1, (kMarketClose - kMarketOpen) / body_total);
  }

  std::span<const std::byte> emit(std::size_t len) noexcept {
    ++counts[static_cast<uint8_t>(buf[0])];
    ++emitted;
    return std::span<const std::byte>(buf.data(), len);
  }

  template <typename Msg>
  std::span<const std::byte> put(const Msg& m) noexcept {
    return emit(encode(m, buf.data()));
  }

  std::span<const std::byte> system_event(char code, uint64_t at) noexcept {
    SystemEvent m;
    m.timestamp = at;
    m.event_code = code;
    return put(m);
  }

  Symbol& pick_symbol() noexcept {
    const uint64_t r = rng.below(zipf_cdf.back());
    const auto it = std::upper_bound(zipf_cdf.begin(), zipf_cdf.end(), r);
    const auto rank = static_cast<std::size_t>(it - zipf_cdf.begin());
    return symbols[rank_to_symbol[std::min(rank, zipf_cdf.size() - 1)]];
  }

  uint32_t price_of(const Symbol& s, int32_t tick) const noexcept {
    return s.base + static_cast<uint32_t>(tick) * kTick;
  }

  // Ticks away from the touch: mostly 0..4, sometimes deeper.
  int32_t depth() noexcept {
    const uint64_t r = rng();
    if ((r & 0x1f) == 0) return static_cast<int32_t>(5 + ((r >> 8) % 40));
    return static_cast<int32_t>(std::min(__builtin_ctzll((r >> 5) | (1ull << 6)), 6) +
                                static_cast<int>((r >> 16) % 2));
  }

  // A price tick for a new order on `side` that never crosses the opposite best.
  int32_t new_tick(const Symbol& s, char side) noexcept {
    const int32_t d = depth();
    if (side == 'B') {
      int32_t t = std::min(s.mid - 1 - d, s.best_ask - 1);
      return std::max(t, 0);
    }
    int32_t t = std::max(s.mid + 1 + d, s.best_bid + 1);
    return std::min(t, kWindowTicks - 1);
  }

  void add_live(Symbol& s, const LiveOrder& o) noexcept {
    s.orders.push_back(o);
    ++live;
    const auto i = static_cast<std::size_t>(o.tick);
    if (o.side == 'B') {
      ++s.bid_count[i];
      s.best_bid = std::max(s.best_bid, o.tick);
    } else {
      ++s.ask_count[i];
      s.best_ask = std::min(s.best_ask, o.tick);
    }
  }

  void remove_live(Symbol& s, std::size_t idx) noexcept {
    const LiveOrder o = s.orders[idx];
    s.orders[idx] = s.orders.back();
    s.orders.pop_back();
    --live;
    const auto i = static_cast<std::size_t>(o.tick);
    if (o.side == 'B') {
      if (--s.bid_count[i] == 0 && o.tick == s.best_bid) {
        while (s.best_bid >= 0 && s.bid_count[static_cast<std::size_t>(s.best_bid)] == 0) --s.best_bid;
      }
    } else {
      if (--s.ask_count[i] == 0 && o.tick == s.best_ask) {
        while (s.best_ask < kWindowTicks && s.ask_count[static_cast<std::size_t>(s.best_ask)] == 0)
          ++s.best_ask;
      }
    }
  }

  // A live order, mostly a recent one (most orders die young, near the touch), sometimes any.
  std::size_t pick_recent(const Symbol& s) noexcept {
    const std::size_t n = s.orders.size();
    const uint64_t r = rng();
    if ((r & 7) == 0) return static_cast<std::size_t>(((r >> 3) & 0xffffffffu) * n >> 32);
    const std::size_t window = std::min<std::size_t>(n, 48);
    return n - 1 - static_cast<std::size_t>(((r >> 35) * window) >> 29);
  }

  // A live order, preferring ones near the touch (best of two recent picks).
  std::size_t pick_near_touch(const Symbol& s) noexcept {
    const std::size_t a = pick_recent(s);
    const std::size_t b = pick_recent(s);
    auto dist = [&s](const LiveOrder& o) {
      return o.side == 'B' ? s.best_bid - o.tick : o.tick - s.best_ask;
    };
    return dist(s.orders[a]) <= dist(s.orders[b]) ? a : b;
  }

  uint32_t random_shares() noexcept {
    const uint64_t r = rng.below(100);
    if (r < 10) return 1 + rng.below32(99);                // odd lot
    return 100u * (1u + rng.below32(r < 90 ? 10u : 50u));  // round lots
  }

  void advance_time() noexcept { ts += rng.below(2 * avg_step + 1); }

  std::span<const std::byte> body_message() noexcept {
    advance_time();
    Symbol& s = pick_symbol();
    // The mid random-walks, reflected inside the middle half of the window.
    const uint64_t walk = rng.below(16);
    if (walk == 0 && s.mid > kWindowTicks / 4) --s.mid;
    if (walk == 1 && s.mid < 3 * kWindowTicks / 4) ++s.mid;

    uint64_t r = rng.below(1000);
    const bool empty = s.orders.empty();
    const bool full = s.orders.size() >= opt.max_live_per_symbol;
    if (r < 450 && full) r = 450;                          // over the cap: delete instead of add
    if (r >= 450 && r < 980 && empty) r = rng.below(450);  // nothing live: add instead
    if (r < 400) return add(s, false);
    if (r < 450) return add(s, true);
    if (r < 850) return del(s);
    if (r < 890) return execute(s, false);
    if (r < 900) return execute(s, true);
    if (r < 930) return cancel(s);
    if (r < 980) return replace(s);
    if (r < 995) return trade(s);
    return misc(s);
  }

  std::span<const std::byte> add(Symbol& s, bool attributed) noexcept {
    const char side = (rng() & 1) != 0 ? 'B' : 'S';
    const LiveOrder o{next_ref++, random_shares(), new_tick(s, side), side};
    add_live(s, o);
    auto fill = [&](auto& m) {
      m.stock_locate = s.locate;
      m.timestamp = ts;
      m.order_reference_number = o.ref;
      m.buy_sell_indicator = side;
      m.shares = o.shares;
      m.stock = s.stock;
      m.price = price_of(s, o.tick);
    };
    if (attributed) {
      static constexpr std::array<Alpha4, 4> kMpids{
          {{'N', 'U', 'M', 'I'}, {'G', 'S', 'C', 'O'}, {'M', 'S', 'C', 'O'}, {'V', 'I', 'R', 'T'}}};
      AddOrderMpid m;
      fill(m);
      m.attribution = kMpids[rng.below(kMpids.size())];
      return put(m);
    }
    AddOrder m;
    fill(m);
    return put(m);
  }

  std::span<const std::byte> del(Symbol& s) noexcept {
    const std::size_t idx = pick_recent(s);
    OrderDelete m;
    m.stock_locate = s.locate;
    m.timestamp = ts;
    m.order_reference_number = s.orders[idx].ref;
    remove_live(s, idx);
    return put(m);
  }

  std::span<const std::byte> execute(Symbol& s, bool with_price) noexcept {
    const std::size_t idx = pick_near_touch(s);
    LiveOrder& o = s.orders[idx];
    const uint32_t executed = (o.shares == 1 || (rng() & 1) != 0) ? o.shares : 1 + rng.below32(o.shares - 1);
    const uint64_t ref = o.ref;
    const uint32_t price = price_of(s, o.tick);
    if (executed == o.shares) {
      remove_live(s, idx);
    } else {
      o.shares -= executed;
    }
    if (with_price) {
      OrderExecutedWithPrice m;
      m.stock_locate = s.locate;
      m.timestamp = ts;
      m.order_reference_number = ref;
      m.executed_shares = executed;
      m.match_number = next_match++;
      m.printable = rng.below(10) == 0 ? 'N' : 'Y';
      m.execution_price = price;
      return put(m);
    }
    OrderExecuted m;
    m.stock_locate = s.locate;
    m.timestamp = ts;
    m.order_reference_number = ref;
    m.executed_shares = executed;
    m.match_number = next_match++;
    return put(m);
  }

  std::span<const std::byte> cancel(Symbol& s) noexcept {
    const std::size_t idx = pick_recent(s);
    LiveOrder& o = s.orders[idx];
    if (o.shares < 2) return del_at(s, idx);
    const uint32_t canceled = 1 + rng.below32(o.shares - 1);  // partial: the order stays live
    o.shares -= canceled;
    OrderCancel m;
    m.stock_locate = s.locate;
    m.timestamp = ts;
    m.order_reference_number = o.ref;
    m.canceled_shares = canceled;
    return put(m);
  }

  std::span<const std::byte> del_at(Symbol& s, std::size_t idx) noexcept {
    OrderDelete m;
    m.stock_locate = s.locate;
    m.timestamp = ts;
    m.order_reference_number = s.orders[idx].ref;
    remove_live(s, idx);
    return put(m);
  }

  std::span<const std::byte> replace(Symbol& s) noexcept {
    const std::size_t idx = pick_recent(s);
    const LiveOrder old = s.orders[idx];
    remove_live(s, idx);
    const LiveOrder o{next_ref++, random_shares(), new_tick(s, old.side), old.side};
    add_live(s, o);
    OrderReplace m;
    m.stock_locate = s.locate;
    m.timestamp = ts;
    m.original_order_reference_number = old.ref;
    m.new_order_reference_number = o.ref;
    m.shares = o.shares;
    m.price = price_of(s, o.tick);
    return put(m);
  }

  std::span<const std::byte> trade(Symbol& s) noexcept {
    NonCrossTrade m;
    m.stock_locate = s.locate;
    m.timestamp = ts;
    m.order_reference_number = 0;
    m.buy_sell_indicator = (rng() & 1) != 0 ? 'B' : 'S';
    m.shares = random_shares();
    m.stock = s.stock;
    m.price = price_of(s, s.mid);
    m.match_number = next_match++;
    return put(m);
  }

  std::span<const std::byte> misc(Symbol& s) noexcept {
    switch (rng.below(5)) {
      case 0: {
        NetOrderImbalanceIndicator m;
        m.stock_locate = s.locate;
        m.timestamp = ts;
        m.paired_shares = 100u * rng.below(1000);
        m.imbalance_shares = 100u * rng.below(100);
        m.imbalance_direction = "BSNO"[rng.below(4)];
        m.stock = s.stock;
        m.far_price = price_of(s, s.mid);
        m.near_price = price_of(s, s.mid);
        m.current_reference_price = price_of(s, s.mid);
        m.cross_type = "OCH"[rng.below(3)];
        m.price_variation_indicator = 'L';
        return put(m);
      }
      case 1: {
        CrossTrade m;
        m.stock_locate = s.locate;
        m.timestamp = ts;
        m.cross_shares = 100u * rng.below(10000);
        m.stock = s.stock;
        m.cross_price = price_of(s, s.mid);
        m.match_number = next_match++;
        m.cross_type = "OCH"[rng.below(3)];
        return put(m);
      }
      case 2: {
        RegShoRestriction m;
        m.locate_code = s.locate;
        m.timestamp = ts;
        m.stock = s.stock;
        m.reg_sho_action = "012"[rng.below(3)];
        return put(m);
      }
      case 3: {
        MarketParticipantPosition m;
        m.stock_locate = s.locate;
        m.timestamp = ts;
        m.mpid = {'N', 'U', 'M', 'I'};
        m.stock = s.stock;
        m.primary_market_maker = 'N';
        m.market_maker_mode = 'N';
        m.market_participant_state = 'A';
        return put(m);
      }
      default: {
        RetailPriceImprovementIndicator m;
        m.stock_locate = s.locate;
        m.timestamp = ts;
        m.stock = s.stock;
        m.interest_flag = "BSAN"[rng.below(4)];
        return put(m);
      }
    }
  }

  bool next(std::span<const std::byte>& msg) noexcept {
    const uint64_t n = symbols.size();
    const uint64_t i = emitted;
    if (i >= total) return false;
    if (i == 0) {
      msg = system_event('O', kStartOfMessages);
    } else if (i <= n) {
      const Symbol& s = symbols[i - 1];
      StockDirectory m;
      m.stock_locate = s.locate;
      m.timestamp = kStartOfMessages + i;
      m.stock = s.stock;
      m.market_category = 'Q';
      m.financial_status_indicator = 'N';
      m.round_lot_size = 100;
      m.round_lots_only = 'N';
      m.issue_classification = 'C';
      m.issue_sub_type = {'Z', ' '};
      m.authenticity = 'P';
      m.short_sale_threshold_indicator = 'N';
      m.ipo_flag = 'N';
      m.luld_reference_price_tier = '1';
      m.etp_flag = 'N';
      m.etp_leverage_factor = 0;
      m.inverse_indicator = 'N';
      msg = put(m);
    } else if (i <= 2 * n) {
      const Symbol& s = symbols[i - n - 1];
      StockTradingAction m;
      m.stock_locate = s.locate;
      m.timestamp = kStartOfMessages + i;
      m.stock = s.stock;
      m.trading_state = 'T';
      m.reserved = ' ';
      m.reason_code = {' ', ' ', ' ', ' '};
      msg = put(m);
    } else if (i == 2 * n + 1) {
      msg = system_event('S', kStartOfMessages + i);
    } else if (i == 2 * n + 2) {
      ts = kMarketOpen;
      msg = system_event('Q', kMarketOpen);
    } else if (body_emitted < body_total) {
      ++body_emitted;
      msg = body_message();
    } else {
      const uint64_t k = i - (2 * n + 3 + body_total);
      const uint64_t close_ts = std::max(ts, kMarketClose);
      msg = k == 0   ? system_event('M', close_ts)
            : k == 1 ? system_event('E', std::max(ts, kEndOfSystem))
                     : system_event('C', std::max(ts, kEndOfSystem) + 1);
    }
    return true;
  }
};

Result<void> validate(const ItchDayOptions& o) {
  if (o.symbols < 1 || o.symbols > 65535) {
    return Error{"symbols=" + std::to_string(o.symbols) +
                 " is out of range; use 1..65535 (stock locate is 16-bit)"};
  }
  if (o.max_live_per_symbol < 1 || o.max_live_per_symbol > 60000) {
    return Error{"max_live_per_symbol=" + std::to_string(o.max_live_per_symbol) +
                 " is out of range; use 1..60000"};
  }
  if (!(o.zipf_exponent >= 0.0 && o.zipf_exponent <= 4.0)) {
    return Error{"zipf_exponent=" + std::to_string(o.zipf_exponent) + " is out of range; use 0..4"};
  }
  return {};
}

uint64_t total_messages(const ItchDayOptions& o) noexcept {
  return std::max<uint64_t>(o.messages, kFixedPerSymbol * o.symbols + kFixedOther);
}

ItchDayGenerator::ItchDayGenerator(const ItchDayOptions& options)
    : state_(std::make_unique<State>(options)) {}
ItchDayGenerator::ItchDayGenerator(ItchDayGenerator&&) noexcept = default;
ItchDayGenerator& ItchDayGenerator::operator=(ItchDayGenerator&&) noexcept = default;
ItchDayGenerator::~ItchDayGenerator() = default;

bool ItchDayGenerator::next(std::span<const std::byte>& msg) noexcept { return state_->next(msg); }
uint64_t ItchDayGenerator::emitted() const noexcept { return state_->emitted; }
uint64_t ItchDayGenerator::total() const noexcept { return state_->total; }
const std::array<uint64_t, 256>& ItchDayGenerator::count_by_type() const noexcept { return state_->counts; }
uint64_t ItchDayGenerator::live_orders() const noexcept { return state_->live; }

namespace {

// Buffered output of the binary file format: plain (write(2) via stdio) or gzip.
class FileSink {
 public:
  ~FileSink() {
    if (file_ != nullptr) std::fclose(file_);
    if (gz_ != nullptr) gzclose(gz_);
  }
  Result<void> open(const std::string& path) {
    path_ = path;
    buf_.resize(std::size_t{1} << 20);
    if (path.size() >= 3 && path.compare(path.size() - 3, 3, ".gz") == 0) {
      gz_ = gzopen(path.c_str(), "wb1");
      if (gz_ == nullptr) return Error{"cannot create '" + path + "': " + std::strerror(errno)};
      gzbuffer(gz_, 1u << 20);
    } else {
      file_ = std::fopen(path.c_str(), "wb");
      if (file_ == nullptr) return Error{"cannot create '" + path + "': " + std::strerror(errno)};
    }
    return {};
  }
  bool append(std::span<const std::byte> msg) noexcept {
    if (used_ + 2 + msg.size() > buf_.size() && !flush()) return false;
    wire::store_be16(buf_.data() + used_, static_cast<uint16_t>(msg.size()));
    std::memcpy(buf_.data() + used_ + 2, msg.data(), msg.size());
    used_ += 2 + msg.size();
    return true;
  }
  bool flush() noexcept {
    if (used_ == 0) return true;
    bool ok = true;
    if (gz_ != nullptr) {
      ok = gzwrite(gz_, buf_.data(), static_cast<unsigned>(used_)) == static_cast<int>(used_);
    } else {
      ok = std::fwrite(buf_.data(), 1, used_, file_) == used_;
    }
    used_ = 0;
    return ok;
  }
  Result<void> close() {
    bool ok = flush();
    if (gz_ != nullptr) {
      ok = gzclose(gz_) == Z_OK && ok;
      gz_ = nullptr;
    }
    if (file_ != nullptr) {
      ok = std::fclose(file_) == 0 && ok;
      file_ = nullptr;
    }
    if (!ok) return Error{"write error on '" + path_ + "' (disk full or I/O error)"};
    return {};
  }

 private:
  std::string path_;
  std::vector<std::byte> buf_;
  std::size_t used_ = 0;
  std::FILE* file_ = nullptr;
  gzFile gz_ = nullptr;
};

}  // namespace

Result<ItchDayStats> write_itch_day(const ItchDayOptions& options, const ItchDayOutput& output) {
  if (auto v = validate(options); !v) return v.error();
  if (output.mold_mtu < kMoldHeaderSize + 2 + 50 || output.mold_mtu > 65000) {
    return Error{"mold_mtu=" + std::to_string(output.mold_mtu) + " is out of range; use 72..65000"};
  }
  FileSink file;
  const bool want_file = !output.itch_path.empty();
  if (want_file) {
    if (auto r = file.open(output.itch_path); !r) return r.error();
  }
  std::unique_ptr<net::PcapWriter> pcap;
  std::vector<std::byte> packet(output.mold_mtu);
  MoldPacketWriter mold(packet, make_mold_session(output.session), output.mold_mtu);
  uint64_t packet_ts = 0;
  ItchDayStats stats;
  auto flush_packet = [&]() -> bool {
    if (mold.count() == 0) return true;
    const auto bytes = mold.finish();
    ++stats.pcap_packets;
    const bool ok = pcap->write_udp(output.day_epoch_ns + packet_ts, output.pcap_src, output.pcap_dst, bytes);
    mold.begin(mold.next_sequence());
    return ok;
  };
  if (!output.pcap_path.empty()) {
    auto w = net::PcapWriter::open(output.pcap_path);
    if (!w) return w.error();
    pcap = std::make_unique<net::PcapWriter>(std::move(w.value()));
    mold.begin(1);
  }

  ItchDayGenerator gen(options);
  std::span<const std::byte> msg;
  while (gen.next(msg)) {
    if (want_file && !file.append(msg)) return Error{"write error on '" + output.itch_path + "'"};
    stats.itch_bytes += 2 + msg.size();
    if (pcap) {
      if (mold.count() == 0) packet_ts = wire::load_be48(msg.data() + 5);
      if (!mold.try_append(msg)) {
        if (!flush_packet()) return Error{"cannot write packet to '" + output.pcap_path + "'"};
        packet_ts = wire::load_be48(msg.data() + 5);
        if (!mold.try_append(msg)) return Error{"message does not fit in mold_mtu"};
      }
    }
  }
  if (pcap) {
    if (!flush_packet()) return Error{"cannot write packet to '" + output.pcap_path + "'"};
    if (output.end_of_session_packet) {
      const auto eos = mold.end_of_session(mold.sequence());
      ++stats.pcap_packets;
      if (!pcap->write_udp(output.day_epoch_ns + packet_ts + 1, output.pcap_src, output.pcap_dst, eos)) {
        return Error{"cannot write packet to '" + output.pcap_path + "'"};
      }
    }
    if (auto r = pcap->close(); !r) return r.error();
  }
  if (want_file) {
    if (auto r = file.close(); !r) return r.error();
  }
  stats.messages = gen.emitted();
  stats.count_by_type = gen.count_by_type();
  return stats;
}

std::vector<std::byte> generate_itch_day_bytes(const ItchDayOptions& options) {
  std::vector<std::byte> out;
  ItchDayGenerator gen(options);
  std::span<const std::byte> msg;
  while (gen.next(msg)) {
    const std::size_t at = out.size();
    out.resize(at + 2 + msg.size());
    wire::store_be16(out.data() + at, static_cast<uint16_t>(msg.size()));
    std::memcpy(out.data() + at + 2, msg.data(), msg.size());
  }
  return out;
}

}  // namespace numi::codec::itch
