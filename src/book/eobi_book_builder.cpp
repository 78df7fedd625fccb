#include "numi/book/eobi_book_builder.hpp"

#include <array>
#include <charconv>
#include <cstring>
#include <stdexcept>
#include <string>
#include <type_traits>

namespace numi::book {

namespace eobi = codec::eobi;

namespace {

constexpr std::array<CounterDesc, static_cast<std::size_t>(EobiBookCounter::kCount)> kEobiBookCounterTable{{
    {"eobi_book_unknown_orders_total",
     "EOBI messages naming a (SecurityID, Side, priority) key that is not live at their price",
     MetricType::kCounter},
    {"eobi_book_invalid_side_total", "EOBI messages with Side/AggressorSide neither 1 nor 2",
     MetricType::kCounter},
    {"eobi_book_implicit_instruments_total",
     "SecurityIDs first seen in a message (registered with the default tick)", MetricType::kCounter},
    {"eobi_book_instrument_rejected_total", "SecurityIDs the book could not register (instrument table full)",
     MetricType::kCounter},
    {"eobi_book_rejected_events_total", "EOBI book events rejected by the book for another class",
     MetricType::kCounter},
    {"eobi_book_duplicate_keys_total",
     "EOBI adds/modifies/snapshot orders whose new key is already live at its price (dropped)",
     MetricType::kCounter},
    {"eobi_book_full_execution_remainder_total",
     "13104 full executions that left quantity open (remainder removed)", MetricType::kCounter},
    {"eobi_book_same_prio_increase_total", "13106 messages raising the quantity (applied; priority lost)",
     MetricType::kCounter},
    {"eobi_book_execution_summaries_total", "13202 execution summaries (aggressor recorded)",
     MetricType::kCounter},
    {"eobi_book_trade_reports_total", "13201 trade reports (listener events, no book change)",
     MetricType::kCounter},
    {"eobi_book_trade_reversals_total", "13200 trade reversals (listener events, no book change)",
     MetricType::kCounter},
    {"eobi_book_state_changes_total", "13300/13301 state changes applied to instruments",
     MetricType::kCounter},
    {"eobi_book_unknown_state_codes_total", "T7 state codes with no InstrumentState mapping",
     MetricType::kCounter},
    {"eobi_sync_duplicate_messages_total", "EOBI incrementals with a MsgSeqNum already processed",
     MetricType::kCounter},
    {"eobi_sync_partition_losses_total", "MsgSeqNum gaps, resets and late joins that made a partition stale",
     MetricType::kCounter},
    {"eobi_sync_instruments_stale_total", "instrument transitions LIVE -> STALE", MetricType::kCounter},
    {"eobi_sync_instruments_recovered_total", "instrument transitions STALE -> LIVE through a snapshot cycle",
     MetricType::kCounter},
    {"eobi_sync_buffered_messages_total", "incrementals buffered for non-live instruments",
     MetricType::kCounter},
    {"eobi_sync_buffer_overflow_total", "incrementals dropped because the sync buffer was full",
     MetricType::kCounter},
    {"eobi_sync_buffered_applied_total", "buffered incrementals applied after a recovery",
     MetricType::kCounter},
    {"eobi_sync_buffered_discarded_total", "buffered incrementals already contained in the snapshot",
     MetricType::kCounter},
    {"eobi_sync_already_in_snapshot_total",
     "incrementals at or below the LastMsgSeqNumProcessed of the snapshot", MetricType::kCounter},
    {"eobi_sync_snapshot_cycles_total", "snapshot cycles started (13600 ProductSummary)",
     MetricType::kCounter},
    {"eobi_sync_snapshot_orders_applied_total", "13602 snapshot orders added to the book",
     MetricType::kCounter},
    {"eobi_sync_snapshot_unusable_total",
     "instrument snapshots older than the instrument's loss (wait for next)", MetricType::kCounter},
    {"eobi_sync_snapshot_incomplete_total",
     "instrument snapshots cut short (missing 13602s or snapshot MsgSeqNum gap)", MetricType::kCounter},
    {"eobi_sync_snapshot_skipped_live_total", "13601 of instruments already live (ignored)",
     MetricType::kCounter},
    {"eobi_sync_decode_losses_total", "incrementals dropped by the decoder (partition made stale)",
     MetricType::kCounter},
}};

// Serial-number arithmetic on 32-bit MsgSeqNums (wrap-safe).
[[nodiscard]] constexpr bool seq_lt(uint32_t a, uint32_t b) noexcept {
  return static_cast<int32_t>(a - b) < 0;
}
[[nodiscard]] constexpr bool seq_le(uint32_t a, uint32_t b) noexcept {
  return static_cast<int32_t>(a - b) <= 0;
}

// Arithmetic, not a compare per value: the side of consecutive messages is random, so a branch on it is
// mispredicted half the time (buy 1 -> bid 0, sell 2 -> ask 1; anything else is invalid).
[[nodiscard]] constexpr bool to_book_side(eobi::Side s, Side& out) noexcept {
  static_assert(static_cast<unsigned>(eobi::Side::kBuy) == 1 &&
                static_cast<unsigned>(eobi::Side::kSell) == 2 && static_cast<unsigned>(Side::kBid) == 0 &&
                static_cast<unsigned>(Side::kAsk) == 1);
  const unsigned v = static_cast<unsigned>(s) - 1u;
  if (v > 1u) [[unlikely]]
    return false;
  out = static_cast<Side>(v);
  return true;
}

}  // namespace

std::span<const CounterDesc> counter_table(EobiBookCounter) noexcept { return kEobiBookCounterTable; }

// T7 SecurityStatus: 1 active, 2 inactive, 4 expired, 9 suspended. SecurityTradingStatus: 200 closed,
// 201 restricted, 202 book, 203 continuous, 204-213 auctions and their freezes, 214 pre-call, 215 call,
// 216 freeze, 217 trade at close.
InstrumentState eobi_instrument_state(uint8_t security_status, uint8_t security_trading_status,
                                      bool* known) noexcept {
  *known = true;
  if (security_status == 9) return InstrumentState::kHalted;
  if (security_status == 4) return InstrumentState::kClosed;
  switch (security_trading_status) {
    case 200:
      return InstrumentState::kClosed;
    case 201:
      return InstrumentState::kHalted;
    case 202:
      return InstrumentState::kPreOpen;
    case 203:
      return InstrumentState::kTrading;
    case 214:
      return InstrumentState::kPreOpen;
    case 216:
      return InstrumentState::kHalted;
    case 217:
      return InstrumentState::kTrading;
    default:
      if (security_trading_status >= 204 && security_trading_status <= 215) return InstrumentState::kAuction;
      *known = false;
      return InstrumentState::kUnknown;
  }
}

// T7 TradSesStatus: 1 halted, 2 open, 3 closed. TradingSessionSubID: 1 pre-trading, 3 continuous, 4 closing
// (auction), 5 post-trading, 7 quiescent, 8 any auction.
InstrumentState eobi_product_state(uint8_t trad_ses_status, uint8_t trading_session_sub_id,
                                   bool* known) noexcept {
  *known = true;
  if (trad_ses_status == 1) return InstrumentState::kHalted;
  if (trad_ses_status == 3) return InstrumentState::kClosed;
  switch (trading_session_sub_id) {
    case 1:
      return InstrumentState::kPreOpen;
    case 3:
      return InstrumentState::kTrading;
    case 4:
      return InstrumentState::kAuction;
    case 5:
      return InstrumentState::kPostTrade;
    case 7:
      return InstrumentState::kHalted;
    case 8:
      return InstrumentState::kAuction;
    default:
      *known = false;
      return InstrumentState::kUnknown;
  }
}

EobiBookBuilder::EobiBookBuilder(OrderBook& book, const EobiBookOptions& options,
                                 std::span<const InstrumentSpec> refdata)
    : book_(book),
      options_(options),
      refdata_(refdata),
      securities_(book.limits().max_instruments),
      sync_(book.limits().max_instruments),
      partitions_(256),
      records_(options.buffer_capacity),
      sequencer_(options.max_streams) {
  if (!book.located()) {
    throw std::invalid_argument(
        "EobiBookBuilder needs a located book; fix: create it with BookLimits::identity = "
        "OrderIdentity::kLocated (EOBI messages name orders by price and priority)");
  }
  for (uint32_t i = 0; i < options.buffer_capacity; ++i) {
    records_[i].next = i + 1 < options.buffer_capacity ? i + 1 : kNil;
  }
  free_record_ = options.buffer_capacity == 0 ? kNil : 0;
  // Adopt instruments the book already holds, then register refdata.
  for (InstrumentIndex i = 0; i < book_.instrument_count(); ++i) {
    const uint64_t venue = book_.instrument(i).venue_id;
    (void)securities_.insert(venue, i);
    sync_[i] = InstrumentSync{};
    sync_[i].security_id = static_cast<int64_t>(venue);
    sync_[i].state = options_.start_live ? EobiSyncState::kLive : EobiSyncState::kStale;
  }
  for (const InstrumentSpec& spec : refdata_) {
    (void)register_instrument(static_cast<int64_t>(spec.venue_id), spec.symbol, spec.tick);
  }
}

Result<InstrumentIndex> EobiBookBuilder::register_instrument(int64_t security_id, std::string_view symbol,
                                                             const TickTable& tick) {
  if (const InstrumentIndex* i = securities_.find(static_cast<uint64_t>(security_id)); i != nullptr)
    return *i;
  InstrumentIndex idx = kNoInstrument;
  if (auto existing = book_.find_instrument(static_cast<uint64_t>(security_id))) {
    idx = *existing;
  } else {
    Result<InstrumentIndex> r = book_.add_instrument(static_cast<uint64_t>(security_id), symbol, tick);
    if (!r.ok()) {
      return Error{"EOBI SecurityID " + std::to_string(security_id) + ": " + r.error().message};
    }
    idx = *r;
  }
  if (securities_.insert(static_cast<uint64_t>(security_id), idx) == HashInsert::kFull) {
    return Error{"EOBI SecurityID " + std::to_string(security_id) +
                 ": instrument map full; fix: raise BookLimits::max_instruments"};
  }
  sync_[idx] = InstrumentSync{};
  sync_[idx].security_id = security_id;
  sync_[idx].state = options_.start_live ? EobiSyncState::kLive : EobiSyncState::kStale;
  return idx;
}

uint32_t EobiBookBuilder::stale_instruments() const noexcept {
  uint32_t n = 0;
  for (InstrumentIndex i = 0; i < book_.instrument_count(); ++i)
    n += sync_[i].state != EobiSyncState::kLive ? 1u : 0u;
  return n;
}

InstrumentIndex EobiBookBuilder::resolve_lookup(int64_t security_id) noexcept {
  if (const InstrumentIndex* i = securities_.find(static_cast<uint64_t>(security_id)); i != nullptr)
      [[likely]] {
    last_security_id_ = security_id;
    last_instrument_ = *i;
    return *i;
  }
  return register_implicit(security_id);
}

InstrumentIndex EobiBookBuilder::register_implicit(int64_t security_id) noexcept {
  // Cold: an instrument missing from refdata. The symbol is the decimal SecurityID.
  TickTable tick = options_.default_tick;
  for (const InstrumentSpec& spec : refdata_) {
    if (spec.venue_id == static_cast<uint64_t>(security_id)) tick = spec.tick;
  }
  char text[24];
  const auto res = std::to_chars(text, text + sizeof text, security_id);
  const std::string_view symbol(text, static_cast<std::size_t>(res.ptr - text));
  if (book_.instrument_count() >= book_.limits().max_instruments) {
    counters_.add(EobiBookCounter::kInstrumentRejected);
    return kNoInstrument;
  }
  Result<InstrumentIndex> r = register_instrument(security_id, symbol, tick);
  if (!r.ok()) {
    counters_.add(EobiBookCounter::kInstrumentRejected);
    return kNoInstrument;
  }
  counters_.add(EobiBookCounter::kImplicitInstruments);
  return *r;
}

// ---------------------------------------------------------------------------------------------------------
// Sequencing
// ---------------------------------------------------------------------------------------------------------

void EobiBookBuilder::on_packet(const eobi::PacketHeader& h) noexcept {
  // ApplSeqNum per (segment, partition) is tracked for the merge stage; an ApplSeqResetIndicator also
  // clears the partition's MsgSeqNum, so its next message is sequenced as a first one (below).
  (void)sequencer_.on_packet(h);
}

bool EobiBookBuilder::on_header(const eobi::MessageContext& ctx) noexcept {
  // Every framed message is sequenced (templates the book ignores included, so they never look like a gap).
  const uint8_t p = ctx.packet.partition_id;
  const eobi::MsgVerdict mv = sequencer_.on_message(p, ctx.msg_seq_num);
  if (mv.verdict == eobi::SeqVerdict::kInOrder) [[likely]]
    return true;
  if (mv.verdict == eobi::SeqVerdict::kDuplicate) {
    counters_.add(EobiBookCounter::kDuplicateMessages);  // A/B copies, replays
    return false;
  }
  if (mv.verdict == eobi::SeqVerdict::kGap) {
    counters_.add(EobiBookCounter::kPartitionLosses);
    mark_partition_lost(p, mv.missing_last);
    return true;
  }
  // kFirst: the partition's first message, or the first after an ApplSeqResetIndicator.
  PartitionSync& ps = partitions_[p];
  const uint32_t seq = ctx.msg_seq_num;
  const uint32_t floor = seq == 0 ? 0 : seq - 1;
  if (!ps.seen) {
    ps.seen = true;
    // Joining late (or without history): everything up to seq - 1 is unknown.
    if (!options_.start_live || seq != 1) {
      if (options_.start_live) counters_.add(EobiBookCounter::kPartitionLosses);
      mark_partition_lost(p, floor);
    }
  } else {  // after an ApplSeqResetIndicator: new numbering, recover from the next cycle
    counters_.add(EobiBookCounter::kPartitionLosses);
    mark_partition_lost(p, floor);
  }
  return true;
}

void EobiBookBuilder::mark_partition_lost(uint8_t partition, uint32_t floor) noexcept {
  PartitionSync& ps = partitions_[partition];
  if (!ps.has_floor || seq_lt(ps.floor, floor)) ps.floor = floor;
  ps.has_floor = true;
  // O(instruments) on this rare event; instruments whose partition is still unknown are included.
  for (InstrumentIndex i = 0; i < book_.instrument_count(); ++i) {
    InstrumentSync& s = sync_[i];
    if (s.partition != partition && s.partition != kNoPartition) continue;
    if (s.state != EobiSyncState::kLive) continue;
    if (s.has_skip && seq_le(floor, s.skip_through)) continue;  // its snapshot already covers the loss
    make_stale(i);
  }
}

void EobiBookBuilder::make_stale(InstrumentIndex inst) noexcept {
  InstrumentSync& s = sync_[inst];
  s.state = EobiSyncState::kStale;
  s.has_skip = false;
  s.pending = Aggressor::kUnknown;
  counters_.add(EobiBookCounter::kInstrumentsStale);
}

void EobiBookBuilder::on_error(eobi::DecodeStatus st, const eobi::MessageContext& ctx) noexcept {
  // A message the decoder dropped (bad length, invalid side) may have been a book change: its partition can
  // no longer be trusted. Unknown templates (a newer release) and framing errors (seen as a gap later) are
  // not.
  const bool book_template = (ctx.template_id >= eobi::OrderAdd::kTemplateId &&
                              ctx.template_id <= eobi::OrderModifySamePrio::kTemplateId) ||
                             ctx.template_id == eobi::ExecutionSummary::kTemplateId ||
                             ctx.template_id == eobi::InstrumentStateChange::kTemplateId;
  if (book_template &&
      (st == eobi::DecodeStatus::kBelowRootLength || st == eobi::DecodeStatus::kInvalidSide)) {
    if (st == eobi::DecodeStatus::kInvalidSide) counters_.add(EobiBookCounter::kInvalidSide);
    counters_.add(EobiBookCounter::kDecodeLosses);
    mark_partition_lost(ctx.packet.partition_id, ctx.msg_seq_num);
  }
}

template <typename Msg>
inline InstrumentIndex EobiBookBuilder::route(const Msg& m, const eobi::MessageContext& ctx) noexcept {
  const InstrumentIndex inst = resolve(m.security_id);
  if (inst == kNoInstrument) [[unlikely]]
    return kNoInstrument;
  InstrumentSync& s = sync_[inst];
  if (s.partition == kNoPartition) [[unlikely]] {
    s.partition = ctx.packet.partition_id;
    s.market_segment_id = ctx.packet.market_segment_id;
    const PartitionSync& ps = partitions_[s.partition];
    if (s.state == EobiSyncState::kLive && ps.has_floor &&
        !(s.has_skip && seq_le(ps.floor, s.skip_through))) {
      make_stale(inst);  // first seen after a loss of its partition: it may have missed messages
    }
  }
  if (s.state != EobiSyncState::kLive) [[unlikely]] {
    buffer(inst, Msg::kTemplateId, ctx.msg_seq_num, &m, sizeof m);
    return kNoInstrument;
  }
  if (s.has_skip) [[unlikely]] {
    if (seq_le(ctx.msg_seq_num, s.skip_through)) {
      counters_.add(EobiBookCounter::kAlreadyInSnapshot);
      return kNoInstrument;
    }
    s.has_skip = false;  // past the snapshot point: later messages are all newer
  }
  return inst;
}

void EobiBookBuilder::buffer(InstrumentIndex inst, uint16_t template_id, uint32_t msg_seq_num,
                             const void* msg, std::size_t size) noexcept {
  InstrumentSync& s = sync_[inst];
  if (free_record_ == kNil) [[unlikely]] {
    counters_.add(EobiBookCounter::kBufferOverflow);
    if (!s.has_overflow || seq_lt(s.overflow_floor, msg_seq_num)) s.overflow_floor = msg_seq_num;
    s.has_overflow = true;
    // Everything buffered for it is older than the dropped message, so no usable snapshot can need it.
    release_buffer(s);
    return;
  }
  const uint32_t r = free_record_;
  Buffered& rec = records_[r];
  free_record_ = rec.next;
  ++buffer_used_;
  rec.next = kNil;
  rec.msg_seq_num = msg_seq_num;
  rec.template_id = template_id;
  std::memcpy(static_cast<void*>(&rec.body), msg, size);
  if (s.buf_tail == kNil) {
    s.buf_head = r;
  } else {
    records_[s.buf_tail].next = r;
  }
  s.buf_tail = r;
  counters_.add(EobiBookCounter::kBufferedMessages);
}

void EobiBookBuilder::release_buffer(InstrumentSync& s) noexcept {
  uint32_t r = s.buf_head;
  while (r != kNil) {
    const uint32_t next = records_[r].next;
    records_[r].next = free_record_;
    free_record_ = r;
    --buffer_used_;
    r = next;
  }
  s.buf_head = kNil;
  s.buf_tail = kNil;
}

// ---------------------------------------------------------------------------------------------------------
// Snapshot cycle
// ---------------------------------------------------------------------------------------------------------

eobi::DecodeStatus EobiBookBuilder::apply_snapshot(const std::byte* data, std::size_t len) noexcept {
  SnapshotHandler h{*this};
  return snapshot_decoder_.decode_packet(data, len, h);
}

void EobiBookBuilder::on_product_summary(const eobi::ProductSummary& m,
                                         const eobi::MessageContext& ctx) noexcept {
  if (cycle_.current != kNoInstrument) abort_recovery();
  cycle_.active = true;
  cycle_.partition = ctx.packet.partition_id;
  cycle_.last_processed = m.last_msg_seq_num_processed;
  cycle_.expect_seq = ctx.msg_seq_num + 1;
  counters_.add(EobiBookCounter::kSnapshotCycles);
}

void EobiBookBuilder::on_instrument_summary(const eobi::InstrumentSummary& m,
                                            const eobi::MessageContext& ctx) noexcept {
  if (!cycle_.active) return;  // joined mid-cycle: wait for the next 13600
  if (ctx.msg_seq_num != cycle_.expect_seq) {
    if (cycle_.current != kNoInstrument) abort_recovery();
    counters_.add(EobiBookCounter::kSnapshotIncomplete);
    cycle_.active = false;
    return;
  }
  ++cycle_.expect_seq;
  if (cycle_.current != kNoInstrument)
    abort_recovery();  // previous instrument got fewer 13602s than announced
  const InstrumentIndex inst = resolve(m.security_id);
  if (inst == kNoInstrument) return;
  InstrumentSync& s = sync_[inst];
  if (s.partition == kNoPartition) {
    s.partition = cycle_.partition;
    s.market_segment_id = ctx.packet.market_segment_id;
  }
  if (s.state == EobiSyncState::kLive) {
    counters_.add(EobiBookCounter::kSnapshotSkippedLive);
    return;
  }
  const PartitionSync& ps = partitions_[cycle_.partition];
  const uint32_t x = cycle_.last_processed;
  if (s.partition != cycle_.partition || (ps.has_floor && seq_lt(x, ps.floor)) ||
      (s.has_overflow && seq_lt(x, s.overflow_floor))) {
    counters_.add(EobiBookCounter::kSnapshotUnusable);
    return;
  }
  (void)book_.clear_instrument(inst);
  bool known = false;
  const InstrumentState st = eobi_instrument_state(m.security_status, m.security_trading_status, &known);
  if (!known) counters_.add(EobiBookCounter::kUnknownStateCodes);
  count(book_.set_state(inst, st));
  s.state = EobiSyncState::kRecovering;
  cycle_.current = inst;
  cycle_.remaining = m.tot_no_orders;
  if (cycle_.remaining == 0) complete_recovery(inst);
}

void EobiBookBuilder::on_snapshot_order(const eobi::SnapshotOrder& m,
                                        const eobi::MessageContext& ctx) noexcept {
  if (!cycle_.active) return;
  if (ctx.msg_seq_num != cycle_.expect_seq) {
    if (cycle_.current != kNoInstrument) abort_recovery();
    counters_.add(EobiBookCounter::kSnapshotIncomplete);
    cycle_.active = false;
    return;
  }
  ++cycle_.expect_seq;
  if (cycle_.current == kNoInstrument) return;  // orders of an instrument that is live or not recoverable
  const InstrumentIndex inst = cycle_.current;
  if (add_order(inst, m.side, m.trd_reg_ts_time_priority, m.price, m.display_qty)) {
    counters_.add(EobiBookCounter::kSnapshotOrdersApplied);
  }
  if (--cycle_.remaining == 0) complete_recovery(inst);
}

void EobiBookBuilder::abort_recovery() noexcept {
  const InstrumentIndex inst = cycle_.current;
  cycle_.current = kNoInstrument;
  counters_.add(EobiBookCounter::kSnapshotIncomplete);
  (void)book_.clear_instrument(inst);
  sync_[inst].state = EobiSyncState::kStale;
}

void EobiBookBuilder::complete_recovery(InstrumentIndex inst) noexcept {
  cycle_.current = kNoInstrument;
  InstrumentSync& s = sync_[inst];
  const uint32_t x = cycle_.last_processed;
  const PartitionSync& ps = partitions_[s.partition];
  if ((ps.has_floor && seq_lt(x, ps.floor)) || (s.has_overflow && seq_lt(x, s.overflow_floor))) {
    // A loss newer than the snapshot happened while it was loading.
    counters_.add(EobiBookCounter::kSnapshotUnusable);
    (void)book_.clear_instrument(inst);
    s.state = EobiSyncState::kStale;
    return;
  }
  s.state = EobiSyncState::kLive;
  s.has_skip = true;
  s.skip_through = x;
  s.has_overflow = false;
  s.pending = Aggressor::kUnknown;
  for (uint32_t r = s.buf_head; r != kNil; r = records_[r].next) {
    const Buffered& rec = records_[r];
    if (seq_le(rec.msg_seq_num, x)) {
      counters_.add(EobiBookCounter::kBufferedDiscarded);
    } else {
      apply_message(inst, rec.template_id, rec.body);
      counters_.add(EobiBookCounter::kBufferedApplied);
    }
  }
  release_buffer(s);
  counters_.add(EobiBookCounter::kInstrumentsRecovered);
}

void EobiBookBuilder::apply_message(InstrumentIndex inst, uint16_t template_id,
                                    const MessageBody& body) noexcept {
  switch (template_id) {
    case eobi::OrderAdd::kTemplateId:
      apply(inst, body.add);
      break;
    case eobi::OrderModify::kTemplateId:
      apply(inst, body.modify);
      break;
    case eobi::OrderModifySamePrio::kTemplateId:
      apply(inst, body.same_prio);
      break;
    case eobi::OrderDelete::kTemplateId:
      apply(inst, body.del);
      break;
    case eobi::OrderMassDelete::kTemplateId:
      apply(inst, body.mass_delete);
      break;
    case eobi::FullOrderExecution::kTemplateId:
      apply(inst, body.full);
      break;
    case eobi::PartialOrderExecution::kTemplateId:
      apply(inst, body.partial);
      break;
    case eobi::ExecutionSummary::kTemplateId:
      apply(inst, body.summary);
      break;
    case eobi::InstrumentStateChange::kTemplateId:
      apply(inst, body.state);
      break;
    default:
      break;
  }
}

// ---------------------------------------------------------------------------------------------------------
// Incremental handler -> routing -> book mapping
// ---------------------------------------------------------------------------------------------------------

void EobiBookBuilder::on(const eobi::OrderAdd& m, const eobi::MessageContext& ctx) noexcept {
  if (const InstrumentIndex i = route(m, ctx); i != kNoInstrument) [[likely]]
    apply(i, m);
}
void EobiBookBuilder::on(const eobi::OrderModify& m, const eobi::MessageContext& ctx) noexcept {
  if (const InstrumentIndex i = route(m, ctx); i != kNoInstrument) [[likely]]
    apply(i, m);
}
void EobiBookBuilder::on(const eobi::OrderModifySamePrio& m, const eobi::MessageContext& ctx) noexcept {
  if (const InstrumentIndex i = route(m, ctx); i != kNoInstrument) [[likely]]
    apply(i, m);
}
void EobiBookBuilder::on(const eobi::OrderDelete& m, const eobi::MessageContext& ctx) noexcept {
  if (const InstrumentIndex i = route(m, ctx); i != kNoInstrument) [[likely]]
    apply(i, m);
}
void EobiBookBuilder::on(const eobi::OrderMassDelete& m, const eobi::MessageContext& ctx) noexcept {
  if (const InstrumentIndex i = route(m, ctx); i != kNoInstrument) apply(i, m);
}
void EobiBookBuilder::on(const eobi::FullOrderExecution& m, const eobi::MessageContext& ctx) noexcept {
  if (const InstrumentIndex i = route(m, ctx); i != kNoInstrument) [[likely]]
    apply(i, m);
}
void EobiBookBuilder::on(const eobi::PartialOrderExecution& m, const eobi::MessageContext& ctx) noexcept {
  if (const InstrumentIndex i = route(m, ctx); i != kNoInstrument) [[likely]]
    apply(i, m);
}
void EobiBookBuilder::on(const eobi::InstrumentStateChange& m, const eobi::MessageContext& ctx) noexcept {
  if (const InstrumentIndex i = route(m, ctx); i != kNoInstrument) apply(i, m);
}

void EobiBookBuilder::on(const eobi::ExecutionSummary& m, const eobi::MessageContext& ctx) noexcept {
  const Aggressor a = m.aggressor_side == eobi::Side::kBuy    ? Aggressor::kBuy
                      : m.aggressor_side == eobi::Side::kSell ? Aggressor::kSell
                                                              : Aggressor::kUnknown;
  emit(m.kTemplateId, m.security_id, m.last_px, m.last_qty, m.exec_id, a, ctx.msg_seq_num);
  if (const InstrumentIndex i = route(m, ctx); i != kNoInstrument) apply(i, m);
}

void EobiBookBuilder::on(const eobi::TradeReport& m, const eobi::MessageContext& ctx) noexcept {
  counters_.add(EobiBookCounter::kTradeReports);
  emit(m.kTemplateId, m.security_id, m.last_px, m.last_qty, m.trd_match_id, Aggressor::kUnknown,
       ctx.msg_seq_num);
}

void EobiBookBuilder::on(const eobi::TradeReversal& m, const eobi::MessageContext& ctx) noexcept {
  counters_.add(EobiBookCounter::kTradeReversals);
  emit(m.kTemplateId, m.security_id, m.last_px, m.last_qty, m.trd_match_id, Aggressor::kUnknown,
       ctx.msg_seq_num);
}

void EobiBookBuilder::on(const eobi::ProductStateChange& m, const eobi::MessageContext& ctx) noexcept {
  bool known = false;
  const InstrumentState st = eobi_product_state(m.trad_ses_status, m.trading_session_sub_id, &known);
  if (!known) counters_.add(EobiBookCounter::kUnknownStateCodes);
  // Product-wide: every instrument seen on this partition (O(instruments), rare). States are not part of the
  // book hash and a snapshot re-sends each instrument's own state, so stale instruments are updated too.
  for (InstrumentIndex i = 0; i < book_.instrument_count(); ++i) {
    if (sync_[i].partition == ctx.packet.partition_id) {
      count(book_.set_state(i, st));
      counters_.add(EobiBookCounter::kStateChanges);
    }
  }
}

bool EobiBookBuilder::order_at(InstrumentIndex inst, eobi::Side eside, Price price, uint64_t priority,
                               OrderAt& at) noexcept {
  Side side;
  if (!to_book_side(eside, side)) [[unlikely]] {
    counters_.add(EobiBookCounter::kInvalidSide);
    return false;
  }
  at = OrderAt{inst, side, price, priority};
  return true;
}

bool EobiBookBuilder::add_order(InstrumentIndex inst, eobi::Side eside, uint64_t priority, Price price,
                                Qty qty) noexcept {
  OrderAt at;
  if (!order_at(inst, eside, price, priority, at)) [[unlikely]]
    return false;
  const ApplyStatus s = book_.add_at(inst, priority, at.side, price, qty);
  count(s);
  return s == ApplyStatus::kOk;
}

void EobiBookBuilder::apply(InstrumentIndex inst, const eobi::OrderAdd& m) noexcept {
  sync_[inst].pending = Aggressor::kUnknown;
  (void)add_order(inst, m.side, m.trd_reg_ts_time_priority, m.price, m.display_qty);
}

void EobiBookBuilder::apply(InstrumentIndex inst, const eobi::OrderModify& m) noexcept {
  sync_[inst].pending = Aggressor::kUnknown;
  OrderAt at;
  if (!order_at(inst, m.side, m.prev_price, m.trd_reg_ts_prev_time_priority, at)) [[unlikely]]
    return;
  // New id = new priority, always to the back of the (new) level's queue.
  count(book_.replace_at(at, m.trd_reg_ts_time_priority, m.price, m.display_qty));
}

void EobiBookBuilder::apply(InstrumentIndex inst, const eobi::OrderModifySamePrio& m) noexcept {
  sync_[inst].pending = Aggressor::kUnknown;
  OrderAt at;
  if (!order_at(inst, m.side, m.price, m.trd_reg_ts_time_priority, at)) [[unlikely]]
    return;
  if (m.display_qty > m.prev_display_qty) [[unlikely]]
    counters_.add(EobiBookCounter::kSamePrioIncrease);
  // Same price and qty <= open keeps the queue position (the book's rule).
  count(book_.modify_at(at, m.price, m.display_qty));
}

void EobiBookBuilder::apply(InstrumentIndex inst, const eobi::OrderDelete& m) noexcept {
  sync_[inst].pending = Aggressor::kUnknown;
  OrderAt at;
  if (!order_at(inst, m.side, m.price, m.trd_reg_ts_time_priority, at)) [[unlikely]]
    return;
  count(book_.remove_at(at));
}

void EobiBookBuilder::apply(InstrumentIndex inst, const eobi::OrderMassDelete&) noexcept {
  sync_[inst].pending = Aggressor::kUnknown;
  count(book_.clear_instrument(inst));
}

void EobiBookBuilder::apply(InstrumentIndex inst, const eobi::FullOrderExecution& m) noexcept {
  OrderAt at;
  if (!order_at(inst, m.side, m.price, m.trd_reg_ts_time_priority, at)) [[unlikely]]
    return;
  const uint32_t before = book_.live_orders();
  const ApplyStatus s = book_.execute_at(at, m.last_qty, m.last_px, m.trd_match_id, sync_[inst].pending);
  if (s == ApplyStatus::kUnknownOrder) [[unlikely]] {
    count(s);
  } else if (s != ApplyStatus::kOk) [[unlikely]] {
    count(s);
    (void)book_.remove_at(at);  // a full execution ends the order whatever its LastQty said
  } else if (book_.live_orders() == before) [[unlikely]] {
    counters_.add(EobiBookCounter::kFullExecutionRemainder);
    (void)book_.remove_at(at);
  }
}

void EobiBookBuilder::apply(InstrumentIndex inst, const eobi::PartialOrderExecution& m) noexcept {
  OrderAt at;
  if (!order_at(inst, m.side, m.price, m.trd_reg_ts_time_priority, at)) [[unlikely]]
    return;
  count(book_.execute_at(at, m.last_qty, m.last_px, m.trd_match_id, sync_[inst].pending));
}

void EobiBookBuilder::apply(InstrumentIndex inst, const eobi::ExecutionSummary& m) noexcept {
  counters_.add(EobiBookCounter::kExecutionSummaries);
  InstrumentSync& s = sync_[inst];
  Aggressor a = Aggressor::kUnknown;
  if (m.aggressor_side == eobi::Side::kBuy) {
    a = Aggressor::kBuy;
  } else if (m.aggressor_side == eobi::Side::kSell) {
    a = Aggressor::kSell;
  } else {
    counters_.add(EobiBookCounter::kInvalidSide);
  }
  // The aggressor is recorded through the 13104/13105 fills that follow (execute_order), so the volume of the
  // visible fills is counted once. Only the part that hit hidden quantity is recorded here as a trade.
  s.aggressor = a;
  s.pending = a;
  if (m.resting_hidden_qty > 0)
    count(book_.record_trade(inst, m.last_px, m.resting_hidden_qty, m.exec_id, a));
}

void EobiBookBuilder::apply(InstrumentIndex inst, const eobi::InstrumentStateChange& m) noexcept {
  bool known = false;
  const InstrumentState st = eobi_instrument_state(m.security_status, m.security_trading_status, &known);
  if (!known) counters_.add(EobiBookCounter::kUnknownStateCodes);
  counters_.add(EobiBookCounter::kStateChanges);
  count(book_.set_state(inst, st));
}

static_assert(std::is_trivially_copyable_v<eobi::ExecutionSummary>);

}  // namespace numi::book
