// TOML -> Config: parse with toml++, walk the schema tables, collect every problem with its line.
#include <toml++/toml.h>

#include <algorithm>
#include <bit>
#include <charconv>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include "numi/config/config.hpp"
#include "schema.hpp"

namespace numi::config {
namespace {

using detail::KeySpec;
using detail::Kind;
using detail::Value;

constexpr std::size_t kMaxShownBytes = 72;           // longer strings are cut in messages
constexpr std::size_t kMaxReportedErrors = 100;      // a fuzzed file can hold thousands of bad keys
constexpr std::uintmax_t kMaxFileBytes = 16u << 20;  // a config file is a few KiB

// ---- message formatting -----------------------------------------------------------------------------------

// Escapes control characters so that every diagnostic stays on one line.
std::string one_line(std::string_view s) {
  std::string q = detail::toml_quote(s);
  return q.substr(1, q.size() - 2);
}

std::string show_string(std::string_view s) {
  if (s.size() <= kMaxShownBytes) return detail::toml_quote(s);
  std::size_t cut = kMaxShownBytes;
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0u) == 0x80u) --cut;  // UTF-8 boundary
  return detail::toml_quote(s.substr(0, cut)) + "...(" + std::to_string(s.size()) + " bytes)";
}

bool is_bare_key(std::string_view k) {
  if (k.empty()) return false;
  return std::all_of(k.begin(), k.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
  });
}

std::string show_key(std::string_view k) { return is_bare_key(k) ? std::string(k) : show_string(k); }

std::string_view type_phrase(toml::node_type t) {
  switch (t) {
    case toml::node_type::table:
      return "a table";
    case toml::node_type::array:
      return "an array";
    case toml::node_type::string:
      return "a string";
    case toml::node_type::integer:
      return "an integer";
    case toml::node_type::floating_point:
      return "a floating-point number";
    case toml::node_type::boolean:
      return "a boolean";
    case toml::node_type::date:
      return "a date";
    case toml::node_type::time:
      return "a time";
    case toml::node_type::date_time:
      return "a date-time";
    case toml::node_type::none:
      break;
  }
  return "nothing";
}

std::string_view expected_phrase(Kind k) {
  switch (k) {
    case Kind::kBool:
      return "a boolean (true or false)";
    case Kind::kInt:
      return "an integer";
    case Kind::kString:
    case Kind::kEnum:
      return "a string";
    case Kind::kIntArray:
      return "an array of integers";
    case Kind::kTableArray:
      return "an array of tables";
  }
  return "a value";
}

// The value as written (for scalars), or "" for arrays, tables and dates.
std::string show_node(const toml::node& n) {
  if (const auto* s = n.as_string()) return show_string(s->get());
  if (const auto* i = n.as_integer()) return std::to_string(i->get());
  if (const auto* b = n.as_boolean()) return b->get() ? "true" : "false";
  if (const auto* f = n.as_floating_point()) {
    char buf[64];
    const auto r = std::to_chars(buf, buf + sizeof(buf), f->get());
    return r.ec == std::errc{} ? std::string(buf, r.ptr) : std::string("?");
  }
  if (const auto* a = n.as_array()) return "[" + std::to_string(a->size()) + " elements]";
  return {};
}

std::string got_phrase(const toml::node& n) {
  std::string out(type_phrase(n.type()));
  const std::string v = show_node(n);
  if (!v.empty()) out += " (" + v + ")";
  return out;
}

std::string range_text(std::int64_t min, std::int64_t max) {
  if (max == detail::kInt64Max) return ">= " + std::to_string(min);
  return std::to_string(min) + ".." + std::to_string(max);
}

std::string join_names(std::span<const std::string_view> names, std::string_view quote = {}) {
  std::string out;
  for (const auto n : names) {
    if (!out.empty()) out += ", ";
    out += quote;
    out += n;
    out += quote;
  }
  return out;
}

template <class T>
std::vector<std::string_view> names_of(std::span<const KeySpec<T>> specs) {
  std::vector<std::string_view> out;
  out.reserve(specs.size());
  for (const auto& s : specs) out.push_back(s.name);
  return out;
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> prev(b.size() + 1);
  std::vector<std::size_t> cur(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t sub = prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, sub});
    }
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

// The closest name within a small edit distance, or "" when nothing is close.
std::string_view closest(std::string_view given, std::span<const std::string_view> names) {
  if (given.size() > 64) return {};
  std::string_view best;
  std::size_t best_d = std::max<std::size_t>(2, given.size() / 3) + 1;
  for (const auto n : names) {
    const std::size_t d = edit_distance(given, n);
    if (d < best_d) {
      best_d = d;
      best = n;
    }
  }
  return best;
}

// A key of that exact name in another section ("size" at the top level -> "pool.size").
std::string other_section_with(std::string_view key, std::string_view except_section) {
  for (const auto& sec : detail::sections()) {
    if (sec.name == except_section) continue;
    for (const auto& k : sec.keys) {
      if (k.name == key) return std::string(sec.name) + "." + std::string(key);
    }
  }
  return {};
}

std::uint32_t line_of(const toml::node& n) { return n.source().begin.line; }

// ---- the loader -------------------------------------------------------------------------------------------

struct Diag {
  std::uint32_t line;  // 0 = no line (a default value is involved)
  std::string text;
};

class Loader {
 public:
  explicit Loader(std::string_view source) : source_(source) {}

  void run(const toml::table& root, Config& cfg) {
    std::vector<std::string_view> section_names;
    for (const auto& s : detail::sections()) section_names.push_back(s.name);
    for (const auto& [k, node] : root) {
      const auto* sec = find_section(k.str());
      if (sec == nullptr) {
        std::string hint;
        if (auto other = other_section_with(k.str(), {}); !other.empty()) {
          hint = " (did you mean '" + other + "'?)";
        } else if (auto c = closest(k.str(), section_names); !c.empty()) {
          hint = " (did you mean '" + std::string(c) + "'?)";
        }
        error(key_line(k, node), "unknown key '" + show_key(k.str()) + "'" + hint +
                                     "; allowed top-level tables: " + join_names(section_names));
        continue;
      }
      const auto* tbl = node.as_table();
      if (tbl == nullptr) {
        error(line_of(node), std::string(sec->name) + ": expected a table, got " + got_phrase(node) +
                                 ": write it as a [" + std::string(sec->name) + "] section");
        continue;
      }
      load_table<Config>(sec->keys, *tbl, std::string(sec->name), detail::cat({"[", sec->name, "]"}), cfg,
                         nullptr);
    }
    resolve_ticks(cfg);
    check_consistency(cfg);
  }

  [[nodiscard]] bool ok() const { return diags_.empty(); }

  [[nodiscard]] std::string report() {
    std::stable_sort(diags_.begin(), diags_.end(), [](const Diag& a, const Diag& b) {
      const auto ka = a.line == 0 ? UINT32_MAX : a.line;
      const auto kb = b.line == 0 ? UINT32_MAX : b.line;
      return ka < kb;
    });
    std::string out;
    const std::size_t shown = std::min(diags_.size(), kMaxReportedErrors);
    for (std::size_t i = 0; i < shown; ++i) {
      if (i != 0) out += '\n';
      out += source_;
      if (diags_[i].line != 0) {
        out += ':';
        out += std::to_string(diags_[i].line);
      }
      out += ": ";
      out += diags_[i].text;
    }
    if (diags_.size() > shown) {
      out += "\n" + source_ + ": ... and " + std::to_string(diags_.size() - shown) + " more errors not shown";
    }
    return out;
  }

 private:
  static const detail::SectionSpec* find_section(std::string_view name) {
    for (const auto& s : detail::sections()) {
      if (s.name == name) return &s;
    }
    return nullptr;
  }

  static std::uint32_t key_line(const toml::key& k, const toml::node& n) {
    const std::uint32_t l = k.source().begin.line;
    return l != 0 ? l : line_of(n);
  }

  void error(std::uint32_t line, std::string text) { diags_.push_back({line, std::move(text)}); }

  // Walks one table against its key specs. `seen` (when given) records which specs were present.
  template <class T>
  void load_table(std::span<const KeySpec<T>> specs, const toml::table& tbl, const std::string& prefix,
                  const std::string& label, T& out, std::vector<bool>* seen) {
    for (const auto& [k, node] : tbl) {
      const std::string name(k.str());
      const KeySpec<T>* spec = nullptr;
      for (std::size_t i = 0; i < specs.size(); ++i) {
        if (specs[i].name == name) {
          spec = &specs[i];
          if (seen != nullptr) (*seen)[i] = true;
        }
      }
      const std::string full = prefix + "." + show_key(name);
      if (spec == nullptr) {
        const auto names = names_of(specs);
        std::string hint;
        if (auto c = closest(name, names); !c.empty()) {
          hint = " (did you mean '" + prefix + "." + std::string(c) + "'?)";
        } else if (auto other = other_section_with(name, prefix); !other.empty()) {
          hint = " (did you mean '" + other + "'?)";
        }
        error(key_line(k, node),
              "unknown key '" + full + "'" + hint + "; allowed keys in " + label + ": " + join_names(names));
        continue;
      }
      lines_[full] = line_of(node);
      if (spec->kind == Kind::kTableArray) {
        if constexpr (std::is_same_v<T, Config>) load_instruments(node, full, out);
        continue;
      }
      Value v;
      if (read_value(*spec, node, full, v)) {
        spec->set(out, v);
      } else {
        bad_.insert(full);
      }
    }
  }

  template <class T>
  bool read_value(const KeySpec<T>& spec, const toml::node& node, const std::string& key, Value& v) {
    const std::uint32_t line = line_of(node);
    const auto type_error = [&] {
      error(line,
            key + ": expected " + std::string(expected_phrase(spec.kind)) + ", got " + got_phrase(node));
      return false;
    };
    switch (spec.kind) {
      case Kind::kBool: {
        const auto* b = node.as_boolean();
        if (b == nullptr) return type_error();
        v.b = b->get();
        return true;
      }
      case Kind::kInt: {
        const auto* i = node.as_integer();
        if (i == nullptr) return type_error();
        v.i = i->get();
        return check_int(spec, v.i, key, line);
      }
      case Kind::kString: {
        const auto* s = node.as_string();
        if (s == nullptr) return type_error();
        v.s = s->get();
        const auto len = static_cast<std::int64_t>(v.s.size());
        if (len < spec.min || len > spec.max) {
          std::string allowed = spec.allowed.empty() ? range_text(spec.min, spec.max) + " characters"
                                                     : std::string(spec.allowed);
          error(line, key + " = " + show_string(v.s) + ": length " + std::to_string(v.s.size()) +
                          " is out of range; allowed: " + allowed);
          return false;
        }
        if (spec.check != nullptr) {
          if (std::string problem = spec.check(v.s); !problem.empty()) {
            error(line, key + " = " + show_string(v.s) + ": " + problem);
            return false;
          }
        }
        return true;
      }
      case Kind::kEnum: {
        const auto* s = node.as_string();
        if (s == nullptr) return type_error();
        const std::string& text = s->get();
        for (std::size_t c = 0; c < spec.choices.size(); ++c) {
          if (spec.choices[c] == text) {
            v.choice = c;
            return true;
          }
        }
        std::string hint;
        if (auto c = closest(text, spec.choices); !c.empty())
          hint = " (did you mean \"" + std::string(c) + "\"?)";
        error(line, key + " = " + show_string(text) + ": not an allowed value" + hint +
                        "; allowed: " + join_names(spec.choices, "\""));
        return false;
      }
      case Kind::kIntArray: {
        const auto* a = node.as_array();
        if (a == nullptr) return type_error();
        bool good = true;
        for (std::size_t idx = 0; idx < a->size(); ++idx) {
          const toml::node& el = *a->get(idx);
          const std::string el_key = key + "[" + std::to_string(idx) + "]";
          const auto* i = el.as_integer();
          if (i == nullptr) {
            error(line_of(el), el_key + ": expected an integer, got " + got_phrase(el));
            good = false;
            continue;
          }
          if (check_int(spec, i->get(), el_key, line_of(el))) {
            v.ints.push_back(i->get());
          } else {
            good = false;
          }
        }
        return good;
      }
      case Kind::kTableArray:
        break;
    }
    return false;
  }

  template <class T>
  bool check_int(const KeySpec<T>& spec, std::int64_t x, const std::string& key, std::uint32_t line) {
    if (x < spec.min || x > spec.max) {
      std::string allowed =
          spec.pow2 ? "a power of two in " + range_text(spec.min, spec.max) : range_text(spec.min, spec.max);
      error(line, key + " = " + std::to_string(x) + ": out of range; allowed: " + allowed + " (" +
                      std::string(spec.help) + ")");
      return false;
    }
    if (spec.pow2 && !std::has_single_bit(static_cast<std::uint64_t>(x))) {
      const auto next = std::bit_ceil(static_cast<std::uint64_t>(x));
      const auto prev = std::bit_floor(static_cast<std::uint64_t>(x));
      const std::string fix =
          static_cast<std::int64_t>(next) <= spec.max
              ? "use " + std::to_string(next) + " (the next power of two)"
              : "use " + std::to_string(prev) + " (the largest allowed power of two below it)";
      error(line, key + " = " + std::to_string(x) + ": must be a power of two in " +
                      range_text(spec.min, spec.max) + ": " + fix);
      return false;
    }
    return true;
  }

  void load_instruments(const toml::node& node, const std::string& key, Config& cfg) {
    const auto* arr = node.as_array();
    if (arr == nullptr) {
      error(line_of(node), key + ": expected an array of tables, got " + got_phrase(node) +
                               ": write each instrument as its own [[book.instrument]] table");
      bad_.insert(key);
      return;
    }
    const auto specs = detail::instrument_keys();
    static constexpr std::size_t kIdIndex = 0;  // order of detail::instrument_keys(), checked below
    static constexpr std::size_t kTickIndex = 2;
    if (specs.size() <= kTickIndex || specs[kIdIndex].name != "id" || specs[kTickIndex].name != "tick") {
      error(0, "internal error: the [[book.instrument]] schema changed without updating the loader");
      return;
    }
    std::map<std::uint64_t, std::pair<std::size_t, std::uint32_t>> first_seen;  // id -> (index, line)
    for (std::size_t idx = 0; idx < arr->size(); ++idx) {
      const toml::node& el = *arr->get(idx);
      const std::string el_key = key + "[" + std::to_string(idx) + "]";
      const auto* tbl = el.as_table();
      if (tbl == nullptr) {
        error(line_of(el), el_key + ": expected a table, got " + got_phrase(el) +
                               ": write each instrument as its own [[book.instrument]] table");
        bad_.insert(key);
        continue;
      }
      InstrumentConfig inst;
      std::vector<bool> seen(specs.size(), false);
      const std::size_t errors_before = diags_.size();
      load_table<InstrumentConfig>(specs, *tbl, el_key, "[[book.instrument]]", inst, &seen);
      for (std::size_t i = 0; i < specs.size(); ++i) {
        if (specs[i].required && !seen[i]) {
          error(line_of(el), el_key + ": missing required key '" + std::string(specs[i].name) + "' (" +
                                 std::string(specs[i].help) + "): add " + std::string(specs[i].name) +
                                 " = ... to this [[book.instrument]] table");
        }
      }
      const bool id_given = seen[kIdIndex] && bad_.count(el_key + ".id") == 0;
      if (id_given) {
        const std::uint32_t id_line = lines_[el_key + ".id"];
        const auto [it, fresh] = first_seen.try_emplace(inst.id, idx, id_line);
        if (!fresh) {
          error(id_line, el_key + ".id = " + std::to_string(inst.id) +
                             ": duplicate instrument id; first defined at line " +
                             std::to_string(it->second.second) + " (" + key + "[" +
                             std::to_string(it->second.first) +
                             "]): give each [[book.instrument]] a unique id");
        }
      }
      if (diags_.size() != errors_before) bad_.insert(key);
      tick_given_.push_back(seen[kTickIndex]);
      cfg.book.instruments.push_back(std::move(inst));
    }
  }

  void resolve_ticks(Config& cfg) const {
    for (std::size_t i = 0; i < cfg.book.instruments.size() && i < tick_given_.size(); ++i) {
      if (!tick_given_[i]) cfg.book.instruments[i].tick = cfg.book.default_tick;
    }
  }

  // ---- cross-key rules
  // --------------------------------------------------------------------------------------

  [[nodiscard]] bool any_bad(std::initializer_list<std::string_view> keys) const {
    return std::any_of(keys.begin(), keys.end(), [&](std::string_view k) { return bad_.count(k) != 0; });
  }
  [[nodiscard]] std::uint32_t given_line(std::string_view key) const {
    const auto it = lines_.find(key);
    return it == lines_.end() ? 0 : it->second;
  }
  // The line of the first of `keys` that the file sets (0 when all are defaults).
  [[nodiscard]] std::uint32_t first_line(std::initializer_list<std::string_view> keys) const {
    for (const auto k : keys) {
      if (const auto l = given_line(k); l != 0) return l;
    }
    return 0;
  }
  [[nodiscard]] std::string shown(std::string_view key, const std::string& value) const {
    return std::string(key) + " = " + value + (lines_.count(key) != 0 ? "" : " (default)");
  }

  void check_consistency(const Config& cfg) {
    // The pool must be able to fill every RX queue and the recovery queue at once.
    if (!any_bad({"pool.size", "queues.rx_capacity", "queues.rx_queues", "queues.recovery_capacity"})) {
      const std::uint64_t need =
          std::uint64_t{cfg.queues.rx_capacity} * cfg.queues.rx_queues + cfg.queues.recovery_capacity;
      if (cfg.pool.size < need) {
        error(first_line({"pool.size", "queues.rx_capacity", "queues.rx_queues", "queues.recovery_capacity"}),
              shown("pool.size", std::to_string(cfg.pool.size)) +
                  ": must be >= queues.rx_capacity * queues.rx_queues + queues.recovery_capacity (= " +
                  std::to_string(need) + "): raise pool.size or lower the queue capacities");
      }
    }
    // Every configured instrument must fit.
    if (!any_bad({"book.max_instruments"}) && cfg.book.instruments.size() > cfg.book.max_instruments) {
      const std::uint32_t line = first_line({"book.max_instruments", "book.instrument"});
      error(line, shown("book.max_instruments", std::to_string(cfg.book.max_instruments)) + ": " +
                      std::to_string(cfg.book.instruments.size()) +
                      " [[book.instrument]] tables exceed it: raise book.max_instruments to at least " +
                      std::to_string(cfg.book.instruments.size()) + " or remove instruments");
    }
    // rx_cpus pins one thread per RX queue.
    const auto& rt = cfg.runtime;
    if (!any_bad({"runtime.rx_cpus", "queues.rx_queues"}) && !rt.rx_cpus.empty() &&
        rt.rx_cpus.size() != cfg.queues.rx_queues) {
      error(first_line({"runtime.rx_cpus", "queues.rx_queues"}),
            shown("runtime.rx_cpus", cpu_list(rt.rx_cpus)) + ": lists " + std::to_string(rt.rx_cpus.size()) +
                " CPUs but " + shown("queues.rx_queues", std::to_string(cfg.queues.rx_queues)) +
                ": list exactly one CPU per RX queue, or [] for no pinning");
    }
    // Dedicated placement gives every pinned hot thread a CPU of its own.
    if (rt.placement == Placement::kDedicated &&
        !any_bad({"runtime.rx_cpus", "runtime.engine_cpu", "runtime.placement"})) {
      std::set<std::int32_t> used;
      for (const auto cpu : rt.rx_cpus) {
        if (!used.insert(cpu).second) {
          error(first_line({"runtime.rx_cpus", "runtime.placement"}),
                shown("runtime.rx_cpus", cpu_list(rt.rx_cpus)) + ": CPU " + std::to_string(cpu) +
                    " is listed twice but " + shown("runtime.placement", "\"dedicated\"") +
                    " needs one CPU per hot thread: use distinct CPUs or placement = \"shared\"");
          break;
        }
      }
      if (rt.engine_cpu >= 0 && used.count(rt.engine_cpu) != 0) {
        error(first_line({"runtime.engine_cpu", "runtime.rx_cpus", "runtime.placement"}),
              shown("runtime.engine_cpu", std::to_string(rt.engine_cpu)) + ": also in runtime.rx_cpus " +
                  cpu_list(rt.rx_cpus) + " but " + shown("runtime.placement", "\"dedicated\"") +
                  " needs one CPU per hot thread: pick another engine CPU or placement = \"shared\"");
      }
    }
  }

  static std::string cpu_list(const std::vector<std::int32_t>& cpus) {
    std::string out = "[";
    for (std::size_t i = 0; i < cpus.size(); ++i) {
      if (i != 0) out += ", ";
      out += std::to_string(cpus[i]);
    }
    return out + "]";
  }

  std::string source_;
  std::vector<Diag> diags_;
  std::map<std::string, std::uint32_t, std::less<>> lines_;  // dotted keys the file sets -> line
  std::set<std::string, std::less<>> bad_;                   // dotted keys whose value was rejected
  std::vector<bool> tick_given_;                             // per [[book.instrument]], in order
};

}  // namespace

Result<Config> load_string(std::string_view text, std::string_view source_name) {
  toml::table root;
  try {
    root = toml::parse(text, source_name);
  } catch (const toml::parse_error& e) {
    const auto& where = e.source().begin;
    return Error{std::string(source_name) + ":" + std::to_string(where.line) + ":" +
                 std::to_string(where.column) + ": TOML syntax error: " + one_line(e.description()) +
                 ": fix the TOML at that line and column (see https://toml.io/en/v1.0.0)"};
  }
  Config cfg = defaults();
  Loader loader(source_name);
  loader.run(root, cfg);
  if (!loader.ok()) return Error{loader.report()};
  return cfg;
}

Result<Config> load_file(const std::string& path) {
  std::error_code ec;
  const auto status = std::filesystem::status(path, ec);
  if (ec || !std::filesystem::exists(status)) {
    return Error{path + ": cannot open config file: " + (ec ? ec.message() : "No such file or directory") +
                 ": check the path (relative paths are resolved against the current directory)"};
  }
  if (!std::filesystem::is_regular_file(status)) {
    return Error{path + ": cannot read config file: not a regular file: pass the path of a .toml file"};
  }
  const auto size = std::filesystem::file_size(path, ec);
  if (!ec && size > kMaxFileBytes) {
    return Error{path + ": config file is " + std::to_string(size) + " bytes, more than the " +
                 std::to_string(kMaxFileBytes) + " allowed: is this the right file?"};
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    const std::error_code open_ec(errno, std::generic_category());
    return Error{path + ": cannot open config file: " + open_ec.message() +
                 ": check the path and its permissions"};
  }
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) return Error{path + ": error while reading the config file: check the file and the disk"};
  return load_string(text, path);
}

}  // namespace numi::config
