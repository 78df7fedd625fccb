// ITCH replay: pulls ITCH 5.0 messages from any source (Nasdaq binary file, MoldUDP64 pcap, in-memory day),
// decodes each one and applies it to the L3 book through ItchBookBuilder (or only decodes, parse-only),
// counts messages by type, samples decode+apply latency with the TSC every Nth message and reports progress
// ~1/s. Main types: ReplayOptions, ReplayReport, ItchReplay, replay_itch(), PcapMessageSource. Thread-safety:
// one thread.
#pragma once

#include <array>
#include <cstdint>
#include <cstring>
#include <functional>
#include <memory>
#include <span>
#include <utility>

#include "numi/book/itch_book_builder.hpp"
#include "numi/codec/itch/decoder.hpp"
#include "numi/codec/itch/mold_pcap_source.hpp"
#include "numi/core/histogram.hpp"
#include "numi/core/tsc.hpp"

namespace numi::app {

struct ReplayOptions {
  uint64_t limit = 0;         // stop after this many messages (0 = all)
  bool parse_only = false;    // decode every field, touch no book
  uint32_t sample_shift = 6;  // sample the latency of one message in 2^sample_shift
  bool prefetch = true;       // prefetch order index slots and records a few messages ahead
  // Called about once a second with (messages so far, ns since start); cold, may print.
  std::function<void(uint64_t, uint64_t)> progress;
};

struct ReplayReport {
  uint64_t messages = 0;
  std::array<uint64_t, 256> by_type{};
  uint64_t decode_errors = 0;  // unknown type, bad length, empty
  uint64_t elapsed_ns = 0;
  HistogramSummary apply_ns;  // decode + book apply of one message, ns (sampled)
};

// Adapts MoldPcapSource (sequenced messages) to the plain next(span) shape.
class PcapMessageSource {
 public:
  explicit PcapMessageSource(codec::itch::MoldPcapSource& src) noexcept : src_(src) {}
  [[nodiscard]] bool next(std::span<const std::byte>& msg) noexcept {
    if (!src_.next(m_)) return false;
    msg = m_.msg;
    return true;
  }

 private:
  codec::itch::MoldPcapSource& src_;
  codec::itch::SequencedMessage m_;
};

namespace detail {
// Parse-only handler: every message is fully loaded by decode(); touching one field keeps it alive.
struct TouchSink {
  uint64_t acc = 0;
  template <typename Msg>
  void on(const Msg& m) noexcept {
    acc += m.timestamp;
  }
};
}  // namespace detail

// Replays sources through one builder (or parse-only). Construction allocates the latency histogram; run()
// allocates nothing, so a test can warm up with one run() and count allocations over the next.
class ItchReplay {
 public:
  // `builder` may be null when options.parse_only.
  ItchReplay(book::ItchBookBuilder* builder, ReplayOptions options)
      : builder_(builder), options_(std::move(options)), cycles_(std::make_unique<Histogram>()) {}

  // Source: anything with `bool next(std::span<const std::byte>&)`. Applies up to options.limit messages (all
  // when 0) and reports this run only.
  template <typename Source>
  ReplayReport run(Source& source) noexcept;

 private:
  book::ItchBookBuilder* builder_;
  ReplayOptions options_;
  std::unique_ptr<Histogram> cycles_;  // TSC cycles of sampled messages
};

// One-shot convenience: ItchReplay(builder, options).run(source).
template <typename Source>
ReplayReport replay_itch(Source& source, book::ItchBookBuilder* builder, const ReplayOptions& options) {
  ItchReplay replay(builder, options);
  return replay.run(source);
}

template <typename Source>
ReplayReport ItchReplay::run(Source& source) noexcept {
  ReplayReport report;
  Histogram& cycles = *cycles_;
  cycles.reset();
  const uint64_t sample_mask = (uint64_t{1} << options_.sample_shift) - 1;
  const uint64_t limit = options_.limit == 0 ? ~uint64_t{0} : options_.limit;
  std::span<const std::byte> msg;
  uint64_t n = 0;       // messages taken from the source
  uint64_t errors = 0;  // decode failures (unknown type, bad length, empty)
  TscSpan span;
  const uint64_t start_ns = now_ns();
  uint64_t next_progress_ns = start_ns + 1'000'000'000ULL;
  auto progress = [&]() {
    if ((n & 0xFFFFF) == 0 && options_.progress) [[unlikely]] {
      const uint64_t t = now_ns();
      if (t >= next_progress_ns) {
        options_.progress(n, t - start_ns);
        next_progress_ns = t + 1'000'000'000ULL;
      }
    }
  };

  if (options_.parse_only || builder_ == nullptr) {
    detail::TouchSink sink;
    while (n < limit && source.next(msg)) {
      ++n;
      if (!msg.empty()) [[likely]]
        ++report.by_type[static_cast<uint8_t>(msg[0])];
      errors += codec::itch::decode(msg, sink) != codec::itch::DecodeStatus::kOk;
      progress();
    }
    asm volatile("" : : "r"(sink.acc) : "memory");  // parse-only results are used, so decoding is not elided
  } else {
    // Look-ahead pipeline: each message is copied into a small ring as it arrives (the source's span is only
    // valid until its next call), its order index slot is prefetched kAhead messages before it is applied and
    // the order record kAhead/2 before, so the book's cache misses overlap instead of queueing.
    constexpr uint64_t kAhead = 8;
    struct Slot {
      std::array<std::byte, 64> bytes;  // the longest ITCH 5.0 message is 50 bytes
      std::size_t len;
    };
    std::array<Slot, kAhead> ring;
    book::ItchBookBuilder& builder = *builder_;
    uint64_t queued = 0;   // messages put in the ring (ring index = queued & (kAhead - 1))
    uint64_t applied = 0;  // messages applied to the book
    bool more = true;
    for (;;) {
      while (more && queued - applied < kAhead) {
        if (n >= limit || !source.next(msg)) {
          more = false;
          break;
        }
        ++n;
        if (msg.empty() || msg.size() > sizeof(Slot::bytes)) [[unlikely]] {
          if (!msg.empty()) ++report.by_type[static_cast<uint8_t>(msg[0])];
          ++errors;  // no ITCH 5.0 message is empty or longer than 50 bytes: never queued
          continue;
        }
        Slot& slot = ring[++queued & (kAhead - 1)];
        std::memcpy(slot.bytes.data(), msg.data(), msg.size());
        slot.len = msg.size();
        ++report.by_type[static_cast<uint8_t>(msg[0])];
        if (options_.prefetch) builder.prefetch_index({slot.bytes.data(), slot.len});
        progress();
      }
      if (applied == queued) break;
      ++applied;
      if (options_.prefetch && applied + kAhead / 2 <= queued) {
        const Slot& later = ring[(applied + kAhead / 2) & (kAhead - 1)];
        builder.prefetch_record({later.bytes.data(), later.len});
      }
      const Slot& slot = ring[applied & (kAhead - 1)];
      if ((applied & sample_mask) != 0) [[likely]] {
        errors += codec::itch::decode(slot.bytes.data(), slot.len, builder) != codec::itch::DecodeStatus::kOk;
      } else {
        const uint64_t t0 = rdtsc();
        errors += codec::itch::decode(slot.bytes.data(), slot.len, builder) != codec::itch::DecodeStatus::kOk;
        cycles.record(rdtsc() - t0);
      }
    }
  }
  span.finish();
  report.messages = n;
  report.decode_errors = errors;
  report.elapsed_ns = span.elapsed_ns();
  const HistogramSummary c = cycles.summary();
  auto ns = [&](uint64_t v) { return static_cast<uint64_t>(span.to_ns(v) + 0.5); };
  report.apply_ns = HistogramSummary{
      c.count,   ns(c.min),  ns(c.max),  span.to_ns(static_cast<uint64_t>(c.mean)), ns(c.p50), ns(c.p90),
      ns(c.p99), ns(c.p999), ns(c.p9999)};
  return report;
}

}  // namespace numi::app
