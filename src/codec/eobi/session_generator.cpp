#include "numi/codec/eobi/session_generator.hpp"

#include <algorithm>
#include <array>
#include <cstring>
#include <string>

#include "numi/codec/eobi/encoder.hpp"
#include "numi/codec/eobi/messages.hpp"

namespace numi::codec::eobi {

namespace {

constexpr int64_t kLot = 10'000;                                    // quantities: 4 implied decimals
constexpr int64_t kTick = 1'000'000;                                // prices: 8 implied decimals, 0.01 tick
constexpr uint64_t kEpochNs = 1'704'186'000ull * 1'000'000'000ull;  // 2024-01-02T09:00:00Z
constexpr uint8_t kContinuous = 203;
constexpr uint8_t kIntradayAuction = 206;

struct Rng {  // xoshiro-like splitmix64 stream: deterministic across platforms
  uint64_t s;
  uint64_t next() noexcept {
    uint64_t z = (s += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  uint32_t below(uint32_t n) noexcept { return static_cast<uint32_t>((next() >> 32) * n >> 32); }
};

struct GenOrder {
  uint64_t prio;
  int64_t price;
  int64_t qty;
  Side side;
};

struct GenInstrument {
  int64_t security_id = 0;
  int64_t mid = 0;
  uint8_t partition = 0;
  uint8_t trading_status = kContinuous;
  uint64_t last_update = 0;
  std::vector<GenOrder> orders;
};

struct GenPartition {
  uint32_t msg_seq = 0;
  uint32_t appl_seq = 0;
  std::vector<uint32_t> instruments;
};

// Best first for its side, then queue (priority) order.
bool snapshot_less(const GenOrder& a, const GenOrder& b) noexcept {
  if (a.side != b.side) return a.side == Side::kBuy;
  if (a.price != b.price) return a.side == Side::kBuy ? a.price > b.price : a.price < b.price;
  return a.prio < b.prio;
}

}  // namespace

struct EobiSessionGenerator::State {
  EobiSessionOptions opt;
  Rng rng{0};
  std::vector<GenInstrument> instruments;
  std::vector<GenPartition> partitions;
  std::array<uint64_t, 1024> counts{};
  uint64_t clock = kEpochNs;
  uint64_t match_id = 0;
  uint64_t messages = 0;
  uint64_t packets = 0;
  uint64_t live = 0;
  std::vector<std::byte> packet;
  // Current update (messages encoded with MsgSeqNum 0, patched when placed in a packet).
  std::array<std::byte, 1024> update{};
  std::size_t update_len = 0;
  uint32_t update_msgs = 0;
  std::array<std::size_t, 8> update_offsets{};
  std::vector<GenOrder> scratch;

  uint64_t tick_clock() noexcept { return clock += 1 + rng.below(5000); }

  template <typename Msg>
  void put(const Msg& m) noexcept {
    update_offsets[update_msgs++] = update_len;
    update_len += encode(m, 0, update.data() + update_len);
    ++counts[Msg::kTemplateId - 13000];
  }

  GenOrder& random_order(GenInstrument& g) noexcept {
    return g.orders[rng.below(static_cast<uint32_t>(g.orders.size()))];
  }

  int64_t level_price(const GenInstrument& g, Side side) noexcept {
    // Geometric-ish distance from the mid: mostly near the touch. Bids below the mid, asks above: never
    // cross.
    uint32_t k = 1;
    while (k < 20 && rng.below(100) < 55) ++k;
    return side == Side::kBuy ? g.mid - k * kTick : g.mid + k * kTick;
  }

  void remove_at(GenInstrument& g, std::size_t i) noexcept {
    g.orders[i] = g.orders.back();
    g.orders.pop_back();
    --live;
  }

  void gen_add(GenInstrument& g) {
    GenOrder o{tick_clock(), 0, (1 + rng.below(50)) * kLot, rng.below(2) == 0 ? Side::kBuy : Side::kSell};
    o.price = level_price(g, o.side);
    g.orders.push_back(o);
    ++live;
    put(OrderAdd{clock, g.security_id, o.prio, o.qty, o.side, 2, 0, o.price});
  }

  void gen_modify(GenInstrument& g) noexcept {
    GenOrder& o = random_order(g);
    const GenOrder prev = o;
    if (rng.below(10) >= 3) o.price = level_price(g, o.side);
    o.qty = (1 + rng.below(50)) * kLot;
    o.prio = tick_clock();
    put(OrderModify{clock, prev.prio, prev.price, prev.qty, g.security_id, o.prio, o.qty, o.side, 2, 0,
                    o.price, 0});
  }

  void gen_same_prio(GenInstrument& g) noexcept {
    GenOrder& o = random_order(g);
    if (o.qty < 2 * kLot) {  // cannot reduce further: delete it instead
      gen_delete(g, static_cast<std::size_t>(&o - g.orders.data()));
      return;
    }
    const int64_t prev = o.qty;
    o.qty = (1 + rng.below(static_cast<uint32_t>(prev / kLot - 1))) * kLot;
    put(OrderModifySamePrio{tick_clock(), clock, prev, g.security_id, o.prio, o.qty, o.side, 2, 0, o.price});
  }

  void gen_delete(GenInstrument& g, std::size_t i) noexcept {
    const GenOrder o = g.orders[i];
    put(OrderDelete{tick_clock(), clock, g.security_id, o.prio, o.qty, o.side, 2, 0, o.price});
    remove_at(g, i);
  }

  void gen_execution(GenInstrument& g) {
    const Side aggressor = rng.below(2) == 0 ? Side::kBuy : Side::kSell;
    const Side resting = aggressor == Side::kBuy ? Side::kSell : Side::kBuy;
    // Resting orders at the best price of the resting side, in priority order.
    bool found = false;
    int64_t best = 0;
    for (const GenOrder& o : g.orders) {
      if (o.side != resting) continue;
      if (!found || (resting == Side::kBuy ? o.price > best : o.price < best)) best = o.price;
      found = true;
    }
    if (!found) {
      gen_add(g);
      return;
    }
    scratch.clear();
    for (const GenOrder& o : g.orders) {
      if (o.side == resting && o.price == best) scratch.push_back(o);
    }
    std::sort(scratch.begin(), scratch.end(), snapshot_less);
    const std::size_t fills = std::min<std::size_t>(scratch.size(), 1 + rng.below(3));
    // Decide each fill first so the summary carries the total.
    std::array<int64_t, 3> fill_qty{};
    int64_t total = 0;
    for (std::size_t f = 0; f < fills; ++f) {
      const bool last = f + 1 == fills;
      fill_qty[f] = scratch[f].qty;
      if (last && scratch[f].qty >= 2 * kLot && rng.below(10) < 5) {
        fill_qty[f] = (1 + rng.below(static_cast<uint32_t>(scratch[f].qty / kLot - 1))) * kLot;
      }
      total += fill_qty[f];
    }
    const uint64_t exec_id = ++match_id;
    const uint32_t match = static_cast<uint32_t>(exec_id);
    put(ExecutionSummary{g.security_id, tick_clock(), exec_id, total, aggressor, 0, 0, best, 0, 0, 0, 0, 0,
                         clock});
    for (std::size_t f = 0; f < fills; ++f) {
      const GenOrder& o = scratch[f];
      const auto it = std::find_if(g.orders.begin(), g.orders.end(),
                                   [&](const GenOrder& x) { return x.prio == o.prio && x.side == o.side; });
      if (fill_qty[f] == o.qty) {
        put(FullOrderExecution{o.side, 2, 0, 0, match, o.price, o.prio, g.security_id, fill_qty[f], best});
        remove_at(g, static_cast<std::size_t>(it - g.orders.begin()));
      } else {
        put(PartialOrderExecution{o.side, 2, 0, 0, match, o.price, o.prio, g.security_id, fill_qty[f], best});
        it->qty -= fill_qty[f];
      }
    }
  }

  void gen_trade_report(GenInstrument& g) noexcept {
    const uint32_t match = static_cast<uint32_t>(++match_id);
    put(TradeReport{g.security_id, tick_clock(), (1 + rng.below(20)) * kLot, g.mid, match, 5, 0, 0, 0});
  }

  void gen_state(GenInstrument& g) noexcept {
    g.trading_status = g.trading_status == kContinuous ? kIntradayAuction : kContinuous;
    put(InstrumentStateChange{g.security_id, 1, g.trading_status, 0, 0, 0, 0, 0, 0, tick_clock(), 0});
  }

  void gen_mass_delete(GenInstrument& g) noexcept {
    put(OrderMassDelete{g.security_id, tick_clock()});
    live -= g.orders.size();
    g.orders.clear();
  }

  // One update (1-4 messages) for instrument g.
  void gen_update(GenInstrument& g) {
    update_len = 0;
    update_msgs = 0;
    const uint32_t r = rng.below(10'000);
    const bool empty = g.orders.empty();
    const bool full = g.orders.size() >= opt.max_live_per_instrument;
    // Books grow towards half the cap, then adds and removals balance (half the deletes become adds below
    // it).
    const bool grow =
        g.orders.size() < opt.max_live_per_instrument / 2 && r >= 5'600 && r < 8'400 && (r & 1) == 0;
    if (empty || grow || (r < 3'600 && !full)) {
      gen_add(g);
    } else if (r < 3'600) {
      gen_delete(g, rng.below(static_cast<uint32_t>(g.orders.size())));
    } else if (r < 4'800) {
      gen_modify(g);
    } else if (r < 5'600) {
      gen_same_prio(g);
    } else if (r < 8'400) {
      gen_delete(g, rng.below(static_cast<uint32_t>(g.orders.size())));
    } else if (r < 9'700) {
      gen_execution(g);
    } else if (r < 9'900) {
      gen_trade_report(g);
    } else if (r < 9'997) {
      gen_state(g);
    } else {
      gen_mass_delete(g);
    }
    g.last_update = clock;
  }

  uint32_t pick_instrument(const GenPartition& p) noexcept {
    // Skewed activity: the low indices of a partition are busier (u^2 on [0, 1)).
    const uint64_t n = p.instruments.size();
    const uint64_t u = rng.below(1u << 16);
    return p.instruments[static_cast<std::size_t>((u * u * n) >> 32)];
  }

  bool next(std::span<const std::byte>& out) {
    if (messages >= opt.messages) return false;
    const uint32_t pi = rng.below(static_cast<uint32_t>(partitions.size()));
    GenPartition& part = partitions[pi];
    packet.resize(opt.max_payload);
    PacketHeader h{++part.appl_seq,
                   opt.market_segment_base + static_cast<int32_t>(pi),
                   static_cast<uint8_t>(pi),
                   1,
                   0,
                   0,
                   clock};
    std::size_t size = encode(h, packet.data());
    const uint32_t updates = 1 + rng.below(opt.max_updates_per_packet);
    for (uint32_t u = 0; u < updates && messages < opt.messages; ++u) {
      // Every update fits an empty packet (<= 4 messages, < 512 bytes); stop before one that would not fit.
      if (size + 4 * 104 > opt.max_payload) break;
      gen_update(instruments[pick_instrument(part)]);
      for (uint32_t m = 0; m < update_msgs; ++m)
        store_le<uint32_t>(update.data() + update_offsets[m] + kMsgSeqNumOffset, ++part.msg_seq);
      std::memcpy(packet.data() + size, update.data(), update_len);
      size += update_len;
      messages += update_msgs;
    }
    // Header TransactTime = time of the packet's last event.
    store_le<uint64_t>(packet.data() + 24, clock);
    packet.resize(size);
    ++packets;
    out = std::span<const std::byte>(packet.data(), packet.size());
    return true;
  }
};

Result<void> validate(const EobiSessionOptions& o) {
  auto bad = [](const char* name, uint64_t v, const char* range) {
    return Error{std::string("EOBI session option '") + name + "' = " + std::to_string(v) +
                 " is out of range; fix: use " + range};
  };
  if (o.instruments < 1 || o.instruments > 100'000) return bad("instruments", o.instruments, "1..100000");
  if (o.partitions < 1 || o.partitions > 256) return bad("partitions", o.partitions, "1..256");
  if (o.max_live_per_instrument < 1 || o.max_live_per_instrument > 65'535) {
    return bad("max_live_per_instrument", o.max_live_per_instrument, "1..65535");
  }
  if (o.max_updates_per_packet < 1 || o.max_updates_per_packet > 64) {
    return bad("max_updates_per_packet", o.max_updates_per_packet, "1..64");
  }
  if (o.max_payload < 512 || o.max_payload > 65'535) return bad("max_payload", o.max_payload, "512..65535");
  return {};
}

int64_t eobi_security_id(uint32_t instrument) noexcept {
  if (instrument % 4 == 3) return -static_cast<int64_t>(1'000'003ull * (instrument + 1));
  return static_cast<int64_t>((static_cast<uint64_t>(instrument + 1) << 33) |
                              (static_cast<uint64_t>(instrument) * 7 + 5));
}

EobiSessionGenerator::EobiSessionGenerator(const EobiSessionOptions& options)
    : state_(std::make_unique<State>()) {
  State& s = *state_;
  s.opt = options;
  s.rng.s = options.seed * 0x2545F4914F6CDD1DULL + 0x1234567;
  s.instruments.resize(options.instruments);
  s.partitions.resize(options.partitions);
  for (uint32_t i = 0; i < options.instruments; ++i) {
    GenInstrument& g = s.instruments[i];
    g.security_id = eobi_security_id(i);
    g.mid = (100 + static_cast<int64_t>(i % 400)) * 100 * kTick;  // 100.00 .. 499.00
    g.partition = static_cast<uint8_t>(i % options.partitions);
    s.partitions[g.partition].instruments.push_back(i);
  }
  // A partition without instruments (partitions > instruments) would have nothing to send.
  s.partitions.resize(std::min<std::size_t>(options.partitions, options.instruments));
}

EobiSessionGenerator::EobiSessionGenerator(EobiSessionGenerator&&) noexcept = default;
EobiSessionGenerator& EobiSessionGenerator::operator=(EobiSessionGenerator&&) noexcept = default;
EobiSessionGenerator::~EobiSessionGenerator() = default;

bool EobiSessionGenerator::next_packet(std::span<const std::byte>& packet) noexcept {
  return state_->next(packet);
}

std::vector<std::vector<std::byte>> EobiSessionGenerator::snapshot_cycle(uint8_t partition_id) const {
  const State& s = *state_;
  std::vector<std::vector<std::byte>> out;
  if (partition_id >= s.partitions.size()) return out;
  const GenPartition& part = s.partitions[partition_id];
  uint32_t appl = 0;
  uint32_t seq = 0;
  std::vector<std::byte> buf(s.opt.max_payload);
  PacketBuilder pb(buf, s.opt.max_payload);
  auto begin = [&] {
    pb.begin(PacketHeader{++appl, s.opt.market_segment_base + static_cast<int32_t>(partition_id),
                          partition_id, 1, 0, 0, s.clock});
  };
  auto flush = [&] {
    if (pb.message_count() != 0) out.emplace_back(pb.bytes().begin(), pb.bytes().end());
    begin();
  };
  auto add = [&](const auto& m) {
    if (!pb.add(m, seq + 1)) {
      flush();
      (void)pb.add(m, seq + 1);
    }
    ++seq;
  };
  begin();
  add(ProductSummary{part.msg_seq, 1, 3, 2, 0, 0, 0});
  std::vector<GenOrder> sorted;
  for (const uint32_t i : part.instruments) {
    const GenInstrument& g = s.instruments[i];
    sorted = g.orders;
    std::sort(sorted.begin(), sorted.end(), snapshot_less);
    add(InstrumentSummary{g.security_id, g.last_update, 0, static_cast<uint16_t>(sorted.size()), 1,
                          g.trading_status, 0, 0, 0, 0, 0, 0, 0, 0, 0});
    for (const GenOrder& o : sorted) add(SnapshotOrder{o.prio, o.qty, o.side, 2, 0, o.price});
  }
  if (pb.message_count() != 0) out.emplace_back(pb.bytes().begin(), pb.bytes().end());
  return out;
}

uint64_t EobiSessionGenerator::messages_emitted() const noexcept { return state_->messages; }
uint64_t EobiSessionGenerator::packets_emitted() const noexcept { return state_->packets; }
uint64_t EobiSessionGenerator::count(uint16_t template_id) const noexcept {
  if (template_id < 13000 || template_id >= 13000 + state_->counts.size()) return 0;
  return state_->counts[template_id - 13000u];
}
uint32_t EobiSessionGenerator::last_msg_seq_num(uint8_t partition_id) const noexcept {
  return partition_id < state_->partitions.size() ? state_->partitions[partition_id].msg_seq : 0;
}
uint64_t EobiSessionGenerator::live_orders() const noexcept { return state_->live; }
const EobiSessionOptions& EobiSessionGenerator::options() const noexcept { return state_->opt; }

}  // namespace numi::codec::eobi
