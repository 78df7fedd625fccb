// EobiBookBuilder: the Deutsche Boerse T7 EOBI 14.1 venue adapter — maps every incremental message to exactly
// one OrderBook event (order identity = the exact (SecurityID, Side, TrdRegTSTimePriority) key; every order
// message also carries the order's price, so the order is found at its price level by the book's located
// calls, with no order map), and keeps each instrument in
// sync without retransmission: MsgSeqNum gaps (PartitionSequencer) mark instruments STALE, their incrementals
// are buffered (bounded, preallocated), and the snapshot channel's cycle (13600, 13601, 13602s) rebuilds
// them, after which buffered messages newer than LastMsgSeqNumProcessed are applied (LIVE). Main types:
// EobiBookOptions, EobiBookBuilder, EobiSyncState, EobiBookCounter, EobiTradeEvent. See docs/eobi.md.
// Thread-safety: none; one thread (the book's). Counters may be read from any thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "numi/book/open_hash_map.hpp"
#include "numi/book/order_book.hpp"
#include "numi/book/refdata.hpp"
#include "numi/codec/eobi/decoder.hpp"
#include "numi/codec/eobi/messages.hpp"
#include "numi/codec/eobi/partition_sequencer.hpp"
#include "numi/core/counters.hpp"

namespace numi::book {

enum class EobiBookCounter : uint8_t {
  // Mapping.
  kUnknownOrders,           // 13101/13102/13104/13105/13106 naming no live order at the price they give
  kInvalidSide,             // Side/AggressorSide neither 1 nor 2 (decoder drops + direct calls)
  kImplicitInstruments,     // SecurityID first seen in a message, registered on the fly with the default tick
  kInstrumentRejected,      // SecurityID the book could not register (instrument table full)
  kRejectedEvents,          // book events rejected for another class (see book_*_total)
  kDuplicateKeys,           // 13100/13101/13602 whose new key is already live at its price (event dropped)
  kFullExecutionRemainder,  // 13104 whose LastQty left quantity open (the remainder is removed)
  kSamePrioIncrease,        // 13106 raising the quantity or changing the price (applied, priority lost)
  kExecutionSummaries,      // 13202 (aggressor recorded; the book is not reduced again)
  kTradeReports,            // 13201 (listener event, no book change)
  kTradeReversals,          // 13200 (listener event, no book change)
  kStateChanges,            // 13300/13301 applied as instrument states
  kUnknownStateCodes,       // 13300/13301/13601 codes with no InstrumentState mapping (state set to kUnknown)
  // Sequencing and snapshot synchronisation.
  kDuplicateMessages,     // incrementals with a MsgSeqNum already processed (A/B copies, replays)
  kPartitionLosses,       // MsgSeqNum gaps / resets / late joins that made a partition's instruments stale
  kInstrumentsStale,      // LIVE -> STALE transitions (start-up staleness is not counted)
  kInstrumentsRecovered,  // STALE -> LIVE transitions through a snapshot
  kBufferedMessages,      // incrementals buffered for a non-live instrument
  kBufferOverflow,   // incrementals dropped because the buffer was full (instrument waits for a later cycle)
  kBufferedApplied,  // buffered incrementals applied after recovery (MsgSeqNum > LastMsgSeqNumProcessed)
  kBufferedDiscarded,      // buffered incrementals already contained in the snapshot
  kAlreadyInSnapshot,      // live-path incrementals at or below the snapshot's LastMsgSeqNumProcessed
  kSnapshotCycles,         // 13600 ProductSummary messages (cycle starts)
  kSnapshotOrdersApplied,  // 13602 orders added to the book
  kSnapshotUnusable,       // stale instruments whose snapshot predates their loss (wait for the next cycle)
  kSnapshotIncomplete,     // instrument snapshots cut short (missing 13602s / broken MsgSeqNum)
  kSnapshotSkippedLive,    // 13601 of instruments already live (ignored)
  kDecodeLosses,  // incrementals dropped by the decoder (below root, invalid side): partition made stale
  kCount,
};
[[nodiscard]] std::span<const CounterDesc> counter_table(EobiBookCounter) noexcept;

enum class EobiSyncState : uint8_t {
  kStale = 0,   // book content not trusted; incrementals buffered until a usable snapshot
  kRecovering,  // between its 13601 and its last 13602 in the current snapshot cycle
  kLive,        // in sync; incrementals applied directly
};
[[nodiscard]] constexpr const char* to_string(EobiSyncState s) noexcept {
  switch (s) {
    case EobiSyncState::kStale:
      return "stale";
    case EobiSyncState::kRecovering:
      return "recovering";
    case EobiSyncState::kLive:
      return "live";
  }
  return "?";
}

// Trades that are not book changes (13200/13201) and 13202 execution summaries, for a listener.
struct EobiTradeEvent {
  uint16_t template_id;  // 13200 TradeReversal, 13201 TradeReport, 13202 ExecutionSummary
  InstrumentIndex instrument;
  int64_t security_id;
  Price price;
  Qty qty;
  uint64_t match_id;  // TrdMatchID (13200/13201), ExecID (13202)
  Aggressor aggressor;
  uint32_t msg_seq_num;
};
using EobiTradeListener = void (*)(void* user, const EobiTradeEvent& event) noexcept;

// EOBI prices are 1e-8 units and may be negative (spreads): tick 1 over [-kPriceLimit, kPriceLimit].
[[nodiscard]] constexpr TickTable eobi_default_tick_table() noexcept {
  return TickTable(1, -kPriceLimit, kPriceLimit);
}

// T7 codes -> InstrumentState (unknown codes return kUnknown and set *known = false).
[[nodiscard]] InstrumentState eobi_instrument_state(uint8_t security_status, uint8_t security_trading_status,
                                                    bool* known) noexcept;
[[nodiscard]] InstrumentState eobi_product_state(uint8_t trad_ses_status, uint8_t trading_session_sub_id,
                                                 bool* known) noexcept;

struct EobiBookOptions {
  uint32_t buffer_capacity = 1u << 16;  // buffered incrementals of non-live instruments (128 bytes each)
  // true: the feed is consumed from MsgSeqNum 1 of every partition, so instruments start LIVE (a first
  // MsgSeqNum > 1 is a loss). false: every instrument starts STALE and waits for the snapshot cycle.
  bool start_live = false;
  std::size_t max_streams = 64;  // PartitionSequencer (MarketSegmentID, PartitionID) capacity
  TickTable default_tick = eobi_default_tick_table();
};

class EobiBookBuilder {
 public:
  // `book` must outlive the builder and be located (BookLimits::identity = kLocated; else throws
  // std::invalid_argument naming the fix). `refdata` instruments are registered now (venue_id = SecurityID
  // bits); instruments already in the book are adopted. Allocates every table now (cold; may throw
  // bad_alloc).
  EobiBookBuilder(OrderBook& book, const EobiBookOptions& options = {},
                  std::span<const InstrumentSpec> refdata = {});
  EobiBookBuilder(const EobiBookBuilder&) = delete;
  EobiBookBuilder& operator=(const EobiBookBuilder&) = delete;

  // Registers (or adopts) one instrument (cold). Errors name the SecurityID and the fix.
  Result<InstrumentIndex> register_instrument(int64_t security_id, std::string_view symbol,
                                              const TickTable& tick);

  // ---- Entry points (hot): one UDP payload each, `data` borrowed for the call ----
  // Incremental channel: sequencing (MsgSeqNum per PartitionID, duplicates dropped, losses -> STALE),
  // routing and mapping.
  codec::eobi::DecodeStatus apply_incremental(const std::byte* data, std::size_t len) noexcept {
    return incremental_decoder_.decode_packet(data, len, *this);
  }
  // Snapshot channel: 13600 / 13601 / 13602 rebuild STALE instruments.
  codec::eobi::DecodeStatus apply_snapshot(const std::byte* data, std::size_t len) noexcept;

  // ---- Incremental decode handler (called by apply_incremental; callable directly for LIVE instruments)
  // ----
  void on(const codec::eobi::OrderAdd& m, const codec::eobi::MessageContext& ctx) noexcept;
  void on(const codec::eobi::OrderModify& m, const codec::eobi::MessageContext& ctx) noexcept;
  void on(const codec::eobi::OrderModifySamePrio& m, const codec::eobi::MessageContext& ctx) noexcept;
  void on(const codec::eobi::OrderDelete& m, const codec::eobi::MessageContext& ctx) noexcept;
  void on(const codec::eobi::OrderMassDelete& m, const codec::eobi::MessageContext& ctx) noexcept;
  void on(const codec::eobi::FullOrderExecution& m, const codec::eobi::MessageContext& ctx) noexcept;
  void on(const codec::eobi::PartialOrderExecution& m, const codec::eobi::MessageContext& ctx) noexcept;
  void on(const codec::eobi::ExecutionSummary& m, const codec::eobi::MessageContext& ctx) noexcept;
  void on(const codec::eobi::TradeReport& m, const codec::eobi::MessageContext& ctx) noexcept;
  void on(const codec::eobi::TradeReversal& m, const codec::eobi::MessageContext& ctx) noexcept;
  void on(const codec::eobi::InstrumentStateChange& m, const codec::eobi::MessageContext& ctx) noexcept;
  void on(const codec::eobi::ProductStateChange& m, const codec::eobi::MessageContext& ctx) noexcept;
  void on_error(codec::eobi::DecodeStatus s, const codec::eobi::MessageContext& ctx) noexcept;
  // Sequencing hooks: ApplSeqNum per packet; MsgSeqNum per message (false = duplicate, dropped).
  void on_packet(const codec::eobi::PacketHeader& h) noexcept;
  bool on_header(const codec::eobi::MessageContext& ctx) noexcept;

  void set_trade_listener(EobiTradeListener listener, void* user) noexcept {
    listener_ = listener;
    listener_user_ = user;
  }

  // ---- Queries ----
  [[nodiscard]] InstrumentIndex instrument_of(int64_t security_id) const noexcept {
    const InstrumentIndex* i = securities_.find(static_cast<uint64_t>(security_id));
    return i == nullptr ? kNoInstrument : *i;
  }
  // Precondition: instrument < book().instrument_count().
  [[nodiscard]] EobiSyncState sync_state(InstrumentIndex instrument) const noexcept {
    return sync_[instrument].state;
  }
  [[nodiscard]] uint32_t stale_instruments() const noexcept;  // STALE or RECOVERING (cold, O(instruments))
  // AggressorSide of the instrument's last 13202 ExecutionSummary (kUnknown before the first).
  [[nodiscard]] Aggressor last_aggressor(InstrumentIndex instrument) const noexcept {
    return sync_[instrument].aggressor;
  }
  // The live order (SecurityID, Side, TrdRegTSTimePriority) resting at `price`.
  [[nodiscard]] std::optional<OrderView> find_order(int64_t security_id, Side side, Price price,
                                                    uint64_t priority) const noexcept {
    const InstrumentIndex inst = instrument_of(security_id);
    if (inst == kNoInstrument) return std::nullopt;
    return book_.find_at(OrderAt{inst, side, price, priority});
  }
  [[nodiscard]] uint32_t buffered_now() const noexcept { return buffer_used_; }
  [[nodiscard]] const CounterBlock<EobiBookCounter>& counters() const noexcept { return counters_; }
  [[nodiscard]] const CounterBlock<codec::eobi::EobiCounter>& decode_counters() const noexcept {
    return incremental_decoder_.counters();
  }
  [[nodiscard]] const codec::eobi::PartitionSequencer& sequencer() const noexcept { return sequencer_; }
  [[nodiscard]] OrderBook& book() noexcept { return book_; }
  [[nodiscard]] const OrderBook& book() const noexcept { return book_; }

 private:
  static constexpr uint16_t kNoPartition = 0xFFFF;
  static constexpr uint32_t kNil = 0xFFFFFFFFu;

  struct InstrumentSync {
    int64_t security_id = 0;
    EobiSyncState state = EobiSyncState::kStale;
    Aggressor aggressor = Aggressor::kUnknown;  // last 13202
    Aggressor pending = Aggressor::kUnknown;    // for the fills that follow a 13202 (reset by other events)
    bool has_skip = false;                      // skip_through valid (set by a snapshot)
    bool has_overflow = false;                  // overflow_floor valid
    uint16_t partition = kNoPartition;
    int32_t market_segment_id = 0;
    uint32_t skip_through = 0;    // LastMsgSeqNumProcessed of the snapshot that made it live
    uint32_t overflow_floor = 0;  // highest MsgSeqNum dropped by a buffer overflow
    uint32_t buf_head = kNil;     // buffered incrementals (oldest first)
    uint32_t buf_tail = kNil;
  };
  struct PartitionSync {
    bool seen = false;       // an incremental was sequenced on this partition
    bool has_floor = false;  // a loss happened; a snapshot must have LastMsgSeqNumProcessed >= floor
    uint32_t floor = 0;
  };
  // A decoded message of a template the book maps (all SecurityID-bearing book templates).
  union MessageBody {
    codec::eobi::OrderAdd add;
    codec::eobi::OrderModify modify;
    codec::eobi::OrderModifySamePrio same_prio;
    codec::eobi::OrderDelete del;
    codec::eobi::OrderMassDelete mass_delete;
    codec::eobi::FullOrderExecution full;
    codec::eobi::PartialOrderExecution partial;
    codec::eobi::ExecutionSummary summary;
    codec::eobi::InstrumentStateChange state;
  };
  // One buffered incremental: the decoded message + its MsgSeqNum.
  struct Buffered {
    uint32_t next;
    uint32_t msg_seq_num;
    uint16_t template_id;
    MessageBody body;
  };
  // Snapshot channel state machine (one cycle at a time).
  struct Cycle {
    bool active = false;
    uint8_t partition = 0;
    uint32_t last_processed = 0;              // 13600 LastMsgSeqNumProcessed
    uint32_t expect_seq = 0;                  // next snapshot MsgSeqNum
    InstrumentIndex current = kNoInstrument;  // RECOVERING instrument
    uint32_t remaining = 0;                   // 13602s still expected for it
  };
  struct SnapshotHandler {
    EobiBookBuilder& b;
    void on(const codec::eobi::ProductSummary& m, const codec::eobi::MessageContext& ctx) noexcept {
      b.on_product_summary(m, ctx);
    }
    void on(const codec::eobi::InstrumentSummary& m, const codec::eobi::MessageContext& ctx) noexcept {
      b.on_instrument_summary(m, ctx);
    }
    void on(const codec::eobi::SnapshotOrder& m, const codec::eobi::MessageContext& ctx) noexcept {
      b.on_snapshot_order(m, ctx);
    }
  };

  // Routing: returns the instrument to apply to now, or kNoInstrument when the message was consumed
  // (buffered, already in snapshot, rejected instrument; duplicates never get here: see on_header).
  template <typename Msg>
  InstrumentIndex route(const Msg& m, const codec::eobi::MessageContext& ctx) noexcept;
  // Finds or registers (implicitly) the instrument of a SecurityID; the messages of one update (and often of
  // a packet) name the same instrument, so the last answer is kept.
  InstrumentIndex resolve(int64_t security_id) noexcept {
    if (security_id == last_security_id_ && last_instrument_ != kNoInstrument) [[likely]]
      return last_instrument_;
    return resolve_lookup(security_id);
  }
  InstrumentIndex resolve_lookup(int64_t security_id) noexcept;
  [[gnu::cold]] InstrumentIndex register_implicit(int64_t security_id) noexcept;
  void buffer(InstrumentIndex inst, uint16_t template_id, uint32_t msg_seq_num, const void* msg,
              std::size_t size) noexcept;
  void release_buffer(InstrumentSync& s) noexcept;
  void mark_partition_lost(uint8_t partition, uint32_t floor) noexcept;
  void make_stale(InstrumentIndex inst) noexcept;
  void complete_recovery(InstrumentIndex inst) noexcept;
  void abort_recovery() noexcept;
  void on_product_summary(const codec::eobi::ProductSummary& m,
                          const codec::eobi::MessageContext& ctx) noexcept;
  void on_instrument_summary(const codec::eobi::InstrumentSummary& m,
                             const codec::eobi::MessageContext& ctx) noexcept;
  void on_snapshot_order(const codec::eobi::SnapshotOrder& m,
                         const codec::eobi::MessageContext& ctx) noexcept;

  // Book mapping (instrument LIVE, or replaying its buffer).
  void apply(InstrumentIndex inst, const codec::eobi::OrderAdd& m) noexcept;
  void apply(InstrumentIndex inst, const codec::eobi::OrderModify& m) noexcept;
  void apply(InstrumentIndex inst, const codec::eobi::OrderModifySamePrio& m) noexcept;
  void apply(InstrumentIndex inst, const codec::eobi::OrderDelete& m) noexcept;
  void apply(InstrumentIndex inst, const codec::eobi::OrderMassDelete& m) noexcept;
  void apply(InstrumentIndex inst, const codec::eobi::FullOrderExecution& m) noexcept;
  void apply(InstrumentIndex inst, const codec::eobi::PartialOrderExecution& m) noexcept;
  void apply(InstrumentIndex inst, const codec::eobi::ExecutionSummary& m) noexcept;
  void apply(InstrumentIndex inst, const codec::eobi::InstrumentStateChange& m) noexcept;
  void apply_message(InstrumentIndex inst, uint16_t template_id, const MessageBody& body) noexcept;
  // 13100 / 13602: a new order at the back of its level's queue; false when dropped (counted).
  bool add_order(InstrumentIndex inst, codec::eobi::Side side, uint64_t priority, Price price,
                 Qty qty) noexcept;
  // Where the order a 13101/13102/13104/13105/13106 names rests; false (invalid side counted) when the side
  // is neither buy nor sell.
  bool order_at(InstrumentIndex inst, codec::eobi::Side eside, Price price, uint64_t priority,
                OrderAt& at) noexcept;
  void count(ApplyStatus s) noexcept {
    if (s == ApplyStatus::kOk) [[likely]]
      return;
    counters_.add(s == ApplyStatus::kUnknownOrder       ? EobiBookCounter::kUnknownOrders
                  : s == ApplyStatus::kDuplicateOrderId ? EobiBookCounter::kDuplicateKeys
                                                        : EobiBookCounter::kRejectedEvents);
  }
  // Hands a trade to the listener, if any (the event, with its instrument lookup, is built only then).
  void emit(uint16_t template_id, int64_t security_id, Price price, Qty qty, uint64_t match_id,
            Aggressor aggressor, uint32_t msg_seq_num) noexcept {
    if (listener_ == nullptr) return;
    listener_(listener_user_, EobiTradeEvent{template_id, instrument_of(security_id), security_id, price, qty,
                                             match_id, aggressor, msg_seq_num});
  }

  OrderBook& book_;
  EobiBookOptions options_;
  std::span<const InstrumentSpec> refdata_;
  OpenHashMap<uint64_t, InstrumentIndex> securities_;
  std::vector<InstrumentSync> sync_;       // by InstrumentIndex, sized to the book's max_instruments
  std::vector<PartitionSync> partitions_;  // 256
  std::vector<Buffered> records_;
  uint32_t free_record_ = kNil;
  uint32_t buffer_used_ = 0;
  codec::eobi::PartitionSequencer sequencer_;
  codec::eobi::Decoder incremental_decoder_;
  codec::eobi::Decoder snapshot_decoder_;
  Cycle cycle_;
  int64_t last_security_id_ = 0;  // resolve()'s last answer
  InstrumentIndex last_instrument_ = kNoInstrument;
  EobiTradeListener listener_ = nullptr;
  void* listener_user_ = nullptr;
  CounterBlock<EobiBookCounter> counters_;
};

}  // namespace numi::book
