#include "numi/ops/metrics_registry.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>

namespace numi::ops {
namespace {

enum class FamilyType : uint8_t { kCounter, kGauge, kHistogram };

std::string_view type_name(FamilyType t) noexcept {
  switch (t) {
    case FamilyType::kCounter:
      return "counter";
    case FamilyType::kGauge:
      return "gauge";
    case FamilyType::kHistogram:
      return "histogram";
  }
  return "untyped";
}

constexpr std::array<uint64_t, 25> kDefaultLatencyLadder = [] {
  std::array<uint64_t, 25> le{};
  std::size_t i = 0;
  for (uint64_t decade = 100; decade <= 1'000'000'000ULL; decade *= 10) {
    le[i++] = decade;
    le[i++] = 2 * decade;
    le[i++] = 5 * decade;
  }
  le[i] = 10'000'000'000ULL;
  return le;
}();

bool is_name_start(char c) noexcept { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }

bool valid_metric_name(std::string_view s) noexcept {
  if (s.empty() || !(is_name_start(s[0]) || s[0] == ':')) return false;
  return std::all_of(s.begin(), s.end(), [](char c) { return is_name_start(c) || is_digit(c) || c == ':'; });
}

bool valid_label_name(std::string_view s) noexcept {
  if (s.empty() || !is_name_start(s[0]) || s.starts_with("__")) return false;
  return std::all_of(s.begin(), s.end(), [](char c) { return is_name_start(c) || is_digit(c); });
}

void append_escaped(std::string& out, std::string_view s, bool quote) {
  for (char c : s) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else if (quote && c == '"') {
      out += "\\\"";
    } else {
      out += c;
    }
  }
}

void append_double(std::string& out, double v) {
  if (std::isnan(v)) {
    out += "NaN";
  } else if (std::isinf(v)) {
    out += v > 0 ? "+Inf" : "-Inf";
  } else {
    fmt::format_to(std::back_inserter(out), "{}", v);
  }
}

std::string quoted(std::string_view s) {
  std::string out;  // built by append: g++ 12 -O3 raises a false -Wrestrict on "\"" + std::string(s)
  out.reserve(s.size() + 2);
  out += '"';
  out.append(s);
  out += '"';
  return out;
}

}  // namespace

std::span<const uint64_t> default_latency_buckets_ns() noexcept { return kDefaultLatencyLadder; }

struct MetricsRegistry::Series {
  std::string labels;  // rendered `k="v",...` without braces, registration order
  std::string key;     // canonical (sorted) label set for duplicate detection
  const Counter* counter = nullptr;
  std::function<double()> gauge;
  const Histogram* histogram = nullptr;
  std::vector<uint64_t> le;
  std::vector<std::string> le_text;
  double divisor = 1.0;
};

struct MetricsRegistry::Family {
  std::string name;
  std::string help;
  FamilyType type;
  std::vector<Series> series;
};

struct MetricsRegistry::PendingSeries {
  std::string name;
  std::string help;
  FamilyType type;
  Series series;
};

namespace {

// Validates and renders a label set; `reserved_le` rejects "le" (histograms add it themselves).
Result<std::pair<std::string, std::string>> render_labels(const Labels& labels, std::string_view metric,
                                                          bool reserved_le) {
  std::vector<std::string> keys;
  std::string text;
  std::vector<std::string> canonical;
  for (const auto& [k, v] : labels) {
    if (!valid_label_name(k)) {
      return Error{"metric " + quoted(metric) + ": invalid label name " + quoted(k) +
                   " (use [a-zA-Z_][a-zA-Z0-9_]*, not starting with \"__\")"};
    }
    if (reserved_le && k == "le") {
      return Error{"metric " + quoted(metric) + ": label name \"le\" is reserved for histogram buckets"};
    }
    if (std::find(keys.begin(), keys.end(), k) != keys.end()) {
      return Error{"metric " + quoted(metric) + ": label " + quoted(k) + " given twice"};
    }
    keys.push_back(k);
    std::string one = k + "=\"";
    append_escaped(one, v, true);
    one += '"';
    if (!text.empty()) text += ',';
    text += one;
    canonical.push_back(std::move(one));
  }
  std::sort(canonical.begin(), canonical.end());
  std::string key;
  for (const auto& c : canonical) key += c + '\x1f';
  return std::pair{std::move(text), std::move(key)};
}

Result<void> check_name(std::string_view name, FamilyType type) {
  if (!valid_metric_name(name)) {
    return Error{"invalid metric name " + quoted(name) + " (use [a-zA-Z_:][a-zA-Z0-9_:]*)"};
  }
  const bool total = name.ends_with("_total");
  if (type == FamilyType::kCounter && !total) {
    return Error{"counter " + quoted(name) +
                 " must end in \"_total\" (Prometheus naming); rename it in its table"};
  }
  if (type != FamilyType::kCounter && total) {
    return Error{std::string(type_name(type)) + " " + quoted(name) +
                 " must not end in \"_total\" (reserved for counters); rename it or make it a counter"};
  }
  return {};
}

}  // namespace

MetricsRegistry::MetricsRegistry(std::string prefix) : prefix_(std::move(prefix)) {}
MetricsRegistry::~MetricsRegistry() = default;

Result<void> MetricsRegistry::add(CounterView view, Labels labels) {
  if (view.descs.size() != view.values.size()) {
    return Error{"counter view has " + std::to_string(view.descs.size()) + " descriptions but " +
                 std::to_string(view.values.size()) +
                 " values; its counter_table() must have one row per id"};
  }
  std::vector<PendingSeries> pending;
  for (std::size_t i = 0; i < view.descs.size(); ++i) {
    const CounterDesc& d = view.descs[i];
    const FamilyType type = d.type == MetricType::kCounter ? FamilyType::kCounter : FamilyType::kGauge;
    PendingSeries p{prefix_ + std::string(d.name), std::string(d.help), type, {}};
    if (auto ok = check_name(p.name, type); !ok) return ok;
    auto rendered = render_labels(labels, p.name, false);
    if (!rendered) return rendered.error();
    p.series.labels = std::move(rendered->first);
    p.series.key = std::move(rendered->second);
    p.series.counter = &view.values[i];
    pending.push_back(std::move(p));
  }
  return insert(std::move(pending));
}

Result<void> MetricsRegistry::add_gauge(std::string_view name, std::string_view help,
                                        std::function<double()> read, Labels labels) {
  PendingSeries p{prefix_ + std::string(name), std::string(help), FamilyType::kGauge, {}};
  if (auto ok = check_name(p.name, p.type); !ok) return ok;
  if (!read) return Error{"gauge " + quoted(p.name) + ": empty read callback"};
  auto rendered = render_labels(labels, p.name, false);
  if (!rendered) return rendered.error();
  p.series.labels = std::move(rendered->first);
  p.series.key = std::move(rendered->second);
  p.series.gauge = std::move(read);
  std::vector<PendingSeries> pending;
  pending.push_back(std::move(p));
  return insert(std::move(pending));
}

Result<void> MetricsRegistry::add_histogram(std::string_view name, std::string_view help,
                                            const Histogram* histogram, Labels labels,
                                            HistogramExport options) {
  PendingSeries p{prefix_ + std::string(name), std::string(help), FamilyType::kHistogram, {}};
  if (auto ok = check_name(p.name, p.type); !ok) return ok;
  if (histogram == nullptr) return Error{"histogram " + quoted(p.name) + ": null histogram pointer"};
  if (!(options.divisor > 0.0) || std::isinf(options.divisor)) {
    return Error{"histogram " + quoted(p.name) +
                 ": divisor must be a finite number > 0 (1e9 for ns -> seconds)"};
  }
  const std::span<const uint64_t> le = options.le.empty() ? default_latency_buckets_ns() : options.le;
  for (std::size_t i = 1; i < le.size(); ++i) {
    if (le[i] <= le[i - 1]) {
      return Error{"histogram " + quoted(p.name) + ": le bounds must be strictly increasing (" +
                   std::to_string(le[i - 1]) + " then " + std::to_string(le[i]) + ")"};
    }
  }
  auto rendered = render_labels(labels, p.name, true);
  if (!rendered) return rendered.error();
  p.series.labels = std::move(rendered->first);
  p.series.key = std::move(rendered->second);
  p.series.histogram = histogram;
  p.series.divisor = options.divisor;
  p.series.le.assign(le.begin(), le.end());
  for (uint64_t bound : le) {
    std::string text;
    append_double(text, static_cast<double>(bound) / options.divisor);
    p.series.le_text.push_back(std::move(text));
  }
  std::vector<PendingSeries> pending;
  pending.push_back(std::move(p));
  return insert(std::move(pending));
}

Result<void> MetricsRegistry::insert(std::vector<PendingSeries> pending) {
  std::lock_guard lock(mutex_);
  auto find = [&](const std::string& name) -> Family* {
    for (auto& f : families_) {
      if (f->name == name) return f.get();
    }
    return nullptr;
  };
  // Validate the whole batch first (against the registry and against itself), then insert.
  for (std::size_t i = 0; i < pending.size(); ++i) {
    const PendingSeries& p = pending[i];
    if (const Family* f = find(p.name)) {
      if (f->type != p.type) {
        return Error{"metric " + quoted(p.name) + " already registered as a " +
                     std::string(type_name(f->type)) + ", cannot add it as a " +
                     std::string(type_name(p.type))};
      }
      if (f->help != p.help) {
        return Error{"metric " + quoted(p.name) + " already registered with help " + quoted(f->help) +
                     "; every label set of a family must share one help text"};
      }
      for (const Series& s : f->series) {
        if (s.key == p.series.key) {
          return Error{"metric " + quoted(p.name) + " already has the label set {" + p.series.labels +
                       "}; give each registration distinct labels (e.g. channel=\"A\")"};
        }
      }
    }
    for (std::size_t j = 0; j < i; ++j) {
      if (pending[j].name == p.name) {
        return Error{"metric " + quoted(p.name) + " appears twice in one registration (duplicate table row)"};
      }
    }
  }
  for (PendingSeries& p : pending) {
    Family* f = find(p.name);
    if (f == nullptr) {
      families_.push_back(std::make_unique<Family>(Family{p.name, p.help, p.type, {}}));
      f = families_.back().get();
    }
    f->series.push_back(std::move(p.series));
  }
  return {};
}

std::size_t MetricsRegistry::family_count() const {
  std::lock_guard lock(mutex_);
  return families_.size();
}

std::string MetricsRegistry::render() const {
  std::string out;
  render_to(out);
  return out;
}

void MetricsRegistry::render_to(std::string& out) const {
  std::lock_guard lock(mutex_);
  auto series_name = [&out](std::string_view name, std::string_view suffix, const std::string& labels,
                            std::string_view extra_label) {
    out += name;
    out += suffix;
    if (!labels.empty() || !extra_label.empty()) {
      out += '{';
      out += labels;
      if (!labels.empty() && !extra_label.empty()) out += ',';
      out += extra_label;
      out += '}';
    }
    out += ' ';
  };
  std::vector<uint64_t> per_le;
  for (const auto& f : families_) {
    out += "# HELP ";
    out += f->name;
    out += ' ';
    append_escaped(out, f->help, false);
    out += "\n# TYPE ";
    out += f->name;
    out += ' ';
    out += type_name(f->type);
    out += '\n';
    for (const Series& s : f->series) {
      if (s.counter != nullptr) {
        series_name(f->name, "", s.labels, "");
        fmt::format_to(std::back_inserter(out), "{}\n", s.counter->load());
      } else if (s.gauge) {
        series_name(f->name, "", s.labels, "");
        append_double(out, s.gauge());
        out += '\n';
      } else if (s.histogram != nullptr) {
        per_le.assign(s.le.size() + 1, 0);
        s.histogram->for_each_bucket([&](const HistogramBucket& b) {
          const auto it = std::lower_bound(s.le.begin(), s.le.end(), b.highest);
          per_le[static_cast<std::size_t>(it - s.le.begin())] += b.count;
        });
        uint64_t cumulative = 0;
        for (std::size_t i = 0; i <= s.le.size(); ++i) {
          cumulative += per_le[i];
          const std::string le_label =
              "le=\"" + (i < s.le.size() ? s.le_text[i] : std::string("+Inf")) + "\"";
          series_name(f->name, "_bucket", s.labels, le_label);
          fmt::format_to(std::back_inserter(out), "{}\n", cumulative);
        }
        series_name(f->name, "_sum", s.labels, "");
        append_double(out, static_cast<double>(s.histogram->sum()) / s.divisor);
        out += '\n';
        series_name(f->name, "_count", s.labels, "");
        fmt::format_to(std::back_inserter(out), "{}\n", cumulative);
      }
    }
  }
}

}  // namespace numi::ops
