// MetricsRegistry: the cold-side catalogue of everything numi exports, rendered as Prometheus text exposition
// format 0.0.4 (one # HELP / # TYPE per family, even when several label sets share it; lint-clean for
// promtool). Sources: counter blocks (CounterView + labels), gauges read through a callback, and
// numi::Histogram exported as a Prometheus histogram on a bounded `le` ladder. Main types: MetricsRegistry,
// Labels, HistogramExport. Thread-safety: all members are thread-safe (one internal mutex, cold side only);
// the registered sources are read with relaxed loads while their writer threads run (racy by design). Gauge
// callbacks run under the mutex on the rendering thread and must not call back into the registry.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "numi/core/counters.hpp"
#include "numi/core/histogram.hpp"
#include "numi/core/status.hpp"

namespace numi::ops {

// Label key/value pairs, e.g. {{"channel", "A"}, {"feed", "eobi"}}. Keys match [a-zA-Z_][a-zA-Z0-9_]* and do
// not start with "__"; values are any UTF-8 (escaped on output).
using Labels = std::vector<std::pair<std::string, std::string>>;

// Default `le` ladder for nanosecond latency histograms: 1-2-5 steps from 100 ns to 5 s, then 10 s (25
// bounds).
[[nodiscard]] std::span<const uint64_t> default_latency_buckets_ns() noexcept;

struct HistogramExport {
  // Bucket upper bounds in the histogram's own unit (strictly increasing); +Inf is always added.
  // Empty = default_latency_buckets_ns(). The span must stay valid while registered.
  std::span<const uint64_t> le{};
  // Exported value = recorded value / divisor. 1e9 turns nanoseconds into seconds (Prometheus base unit).
  double divisor = 1e9;
};

class MetricsRegistry {
 public:
  // `prefix` is prepended to every metric name (e.g. "numi_").
  explicit MetricsRegistry(std::string prefix = {});
  MetricsRegistry(const MetricsRegistry&) = delete;
  MetricsRegistry& operator=(const MetricsRegistry&) = delete;
  ~MetricsRegistry();

  // Registers every counter of a block (borrowed: the block must outlive the registry) under `labels`.
  // Counter names must end in "_total", gauge names must not. A family registered again with the same
  // type and help gains another label set; a different type/help, a duplicate label set, or an invalid name
  // or label is an error (nothing of this call is registered then).
  [[nodiscard]] Result<void> add(CounterView view, Labels labels = {});
  // A gauge whose value is read by `read` at render time.
  [[nodiscard]] Result<void> add_gauge(std::string_view name, std::string_view help,
                                       std::function<double()> read, Labels labels = {});
  // A histogram (borrowed, must outlive the registry), rendered as <name>_bucket{le=...} (cumulative, counted
  // conservatively: a log-linear bucket counts under the first `le` >= its highest value, so bounds that do
  // not fall on a bucket edge are exact to the histogram's 1% resolution), <name>_sum and <name>_count.
  [[nodiscard]] Result<void> add_histogram(std::string_view name, std::string_view help,
                                           const Histogram* histogram, Labels labels = {},
                                           HistogramExport options = {});

  // The whole exposition (Content-Type: text/plain; version=0.0.4; charset=utf-8).
  [[nodiscard]] std::string render() const;
  void render_to(std::string& out) const;  // appends

  [[nodiscard]] std::size_t family_count() const;
  [[nodiscard]] const std::string& prefix() const noexcept { return prefix_; }

  static constexpr std::string_view kContentType = "text/plain; version=0.0.4; charset=utf-8";

 private:
  struct Family;
  struct Series;
  struct PendingSeries;
  Result<void> insert(std::vector<PendingSeries> pending);

  std::string prefix_;
  mutable std::mutex mutex_;
  std::vector<std::unique_ptr<Family>> families_;
};

}  // namespace numi::ops
