// The schema tables (one row per key) and the small helpers they use.
// Hand-laid wire tables / byte fixtures (one field per line with its spec comment): not reformatted.
// clang-format off
#include "schema.hpp"

#include <charconv>
#include <filesystem>
#include <system_error>
#include <type_traits>

namespace numi::config {

namespace {
constexpr std::string_view kProtocolNames[] = {"itch", "eobi"};
constexpr std::string_view kPlacementNames[] = {"dedicated", "shared"};
constexpr std::string_view kIdleNames[] = {"busy_spin", "spin_pause", "yield", "sleep", "backoff"};
}  // namespace

std::string_view to_string(Protocol v) noexcept { return kProtocolNames[static_cast<std::size_t>(v)]; }
std::string_view to_string(Placement v) noexcept { return kPlacementNames[static_cast<std::size_t>(v)]; }
std::string_view to_string(IdleStrategy v) noexcept { return kIdleNames[static_cast<std::size_t>(v)]; }

Config defaults() { return Config{}; }

namespace detail {

std::string toml_quote(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(s.size() + 2);
  out += '"';
  for (const char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\t') {
      out += "\\t";
    } else if (c == '\r') {
      out += "\\r";
    } else if (u < 0x20 || u == 0x7F) {
      out += "\\u00";
      out += kHex[u >> 4];
      out += kHex[u & 0xF];
    } else {
      out += c;
    }
  }
  out += '"';
  return out;
}

std::string parse_listen(std::string_view text, std::string* host, std::uint16_t* port) {
  std::string_view h;
  std::string_view p;
  if (!text.empty() && text.front() == '[') {
    const auto close = text.find(']');
    if (close == std::string_view::npos) return "unclosed '[' in an IPv6 address";
    h = text.substr(1, close - 1);
    if (close + 1 >= text.size() || text[close + 1] != ':') return "missing ':port' after the ']'";
    p = text.substr(close + 2);
    if (h.empty()) return "empty host";
    for (const char c : h) {
      const bool ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') ||
                      c == ':' || c == '.';
      if (!ok) return "invalid character in the IPv6 address";
    }
  } else {
    const auto colon = text.rfind(':');
    if (colon == std::string_view::npos) return "missing ':port'";
    h = text.substr(0, colon);
    p = text.substr(colon + 1);
    if (h.empty()) return "empty host";
    if (h.find(':') != std::string_view::npos) return "an IPv6 host must be in brackets";
    for (const char c : h) {
      const bool ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                      c == '-' || c == '.' || c == '_';
      if (!ok) return "invalid character in the host name";
    }
  }
  if (p.empty()) return "empty port";
  if (p.size() > 5) return "port out of range";
  unsigned value = 0;
  const auto [end, ec] = std::from_chars(p.data(), p.data() + p.size(), value);
  if (ec != std::errc{} || end != p.data() + p.size()) return "port is not a number";
  if (value < 1 || value > 65535) return "port out of range";
  if (host != nullptr) *host = std::string(h);
  if (port != nullptr) *port = static_cast<std::uint16_t>(value);
  return {};
}

namespace {

// ---- setters and canonical getters, addressed by a member-pointer path from the root struct ----------
template <class T, auto... Path>
void set_int(T& obj, const Value& v) {
  auto& f = (obj .* ... .* Path);
  f = static_cast<std::remove_cvref_t<decltype(f)>>(v.i);
}
template <class T, auto... Path>
std::string get_int(const T& obj) {
  return std::to_string((obj .* ... .* Path));
}
template <class T, auto... Path>
void set_bool(T& obj, const Value& v) {
  (obj .* ... .* Path) = v.b;
}
template <class T, auto... Path>
std::string get_bool(const T& obj) {
  return (obj .* ... .* Path) ? "true" : "false";
}
template <class T, auto... Path>
void set_string(T& obj, const Value& v) {
  (obj .* ... .* Path) = v.s;
}
template <class T, auto... Path>
std::string get_string(const T& obj) {
  return toml_quote((obj .* ... .* Path));
}
template <class T, auto... Path>
void set_enum(T& obj, const Value& v) {
  auto& f = (obj .* ... .* Path);
  f = static_cast<std::remove_cvref_t<decltype(f)>>(v.choice);
}
template <class T, auto... Path>
std::string get_enum(const T& obj) {
  return toml_quote(to_string((obj .* ... .* Path)));
}
template <class T, auto... Path>
void set_int_array(T& obj, const Value& v) {
  auto& f = (obj .* ... .* Path);
  f.clear();
  for (const auto x : v.ints) f.push_back(static_cast<typename std::remove_cvref_t<decltype(f)>::value_type>(x));
}
template <class T, auto... Path>
std::string get_int_array(const T& obj) {
  std::string out = "[";
  const auto& f = (obj .* ... .* Path);
  for (std::size_t k = 0; k < f.size(); ++k) {
    if (k != 0) out += ", ";
    out += std::to_string(f[k]);
  }
  return out + "]";
}

void set_listen(Config& c, const Value& v) {
  c.metrics.listen = v.s;
  (void)parse_listen(v.s, &c.metrics.host, &c.metrics.port);  // already checked by check_listen
}

// ---- string checks ("" = fine, else "<problem>: <fix>") -------------------------------------------------
std::string check_listen(std::string_view s) {
  std::string problem = parse_listen(s, nullptr, nullptr);
  if (problem.empty()) return {};
  return problem + ": must be host:port with port 1..65535, e.g. \"127.0.0.1:9464\", \"0.0.0.0:9464\" or \"[::1]:9464\"";
}

std::string check_symbol(std::string_view s) {
  for (const char c : s) {
    if (c < 0x20 || c > 0x7E) return "contains a non-printable or non-ASCII character: use printable ASCII only";
  }
  if (s.front() == ' ' || s.back() == ' ') return "has a leading or trailing space: remove the padding";
  return {};
}

std::string check_refdata(std::string_view s) {
  if (s.empty()) return {};
  for (const char c : s) {
    if (static_cast<unsigned char>(c) < 0x20) return "contains a control character: fix the path";
  }
  std::error_code ec;
  const std::filesystem::path path{std::string(s)};
  const auto status = std::filesystem::status(path, ec);
  std::string where;
  if (path.is_relative()) {
    std::error_code cwd_ec;
    const auto cwd = std::filesystem::current_path(cwd_ec);
    where = " (relative paths are resolved against the current directory " + cwd.string() + ")";
  }
  if (ec || !std::filesystem::exists(status)) {
    return "file does not exist" + where + ": fix the path, or set \"\" for no reference-data file";
  }
  if (!std::filesystem::is_regular_file(status)) {
    return "is not a regular file" + where + ": point it at the reference-data CSV, or set \"\" for none";
  }
  return {};
}

// ---- the tables -------------------------------------------------------------------------------------------
using K = KeySpec<Config>;

constexpr K kFeedKeys[] = {
    {.name = "protocol", .kind = Kind::kEnum, .choices = kProtocolNames,
     .help = "venue protocol: itch = Nasdaq TotalView-ITCH 5.0 over MoldUDP64, eobi = Deutsche Boerse T7 EOBI 14.1",
     .set = &set_enum<Config, &Config::feed, &FeedConfig::protocol>,
     .get = &get_enum<Config, &Config::feed, &FeedConfig::protocol>},
};

constexpr K kPoolKeys[] = {
    {.name = "size", .kind = Kind::kInt, .min = 1, .max = 16 << 20,
     .help = "packet buffers preallocated at start-up; must cover every queue at once (see consistency rules)",
     .set = &set_int<Config, &Config::pool, &PoolConfig::size>,
     .get = &get_int<Config, &Config::pool, &PoolConfig::size>},
    {.name = "max_packet_size", .kind = Kind::kInt, .min = 64, .max = 65535,
     .help = "bytes per packet buffer; at least the largest datagram payload (1500-byte MTU, 9000 jumbo)",
     .set = &set_int<Config, &Config::pool, &PoolConfig::max_packet_size>,
     .get = &get_int<Config, &Config::pool, &PoolConfig::max_packet_size>},
    {.name = "mlock", .kind = Kind::kBool, .help = "mlock() the pool memory so it is never paged out",
     .set = &set_bool<Config, &Config::pool, &PoolConfig::mlock>,
     .get = &get_bool<Config, &Config::pool, &PoolConfig::mlock>},
    {.name = "prefault", .kind = Kind::kBool,
     .help = "touch every pool page at start-up so the hot path never page-faults",
     .set = &set_bool<Config, &Config::pool, &PoolConfig::prefault>,
     .get = &get_bool<Config, &Config::pool, &PoolConfig::prefault>},
};

constexpr K kQueuesKeys[] = {
    {.name = "rx_capacity", .kind = Kind::kInt, .min = 2, .max = 1 << 20, .pow2 = true,
     .help = "slots in each RX queue (receive thread -> engine)",
     .set = &set_int<Config, &Config::queues, &QueuesConfig::rx_capacity>,
     .get = &get_int<Config, &Config::queues, &QueuesConfig::rx_capacity>},
    {.name = "rx_queues", .kind = Kind::kInt, .min = 1, .max = 64,
     .help = "RX queues (feeds A, B, ...) the pool must be able to fill at the same time",
     .set = &set_int<Config, &Config::queues, &QueuesConfig::rx_queues>,
     .get = &get_int<Config, &Config::queues, &QueuesConfig::rx_queues>},
    {.name = "recovery_capacity", .kind = Kind::kInt, .min = 2, .max = 1 << 20, .pow2 = true,
     .help = "slots in the recovery queue (re-requested / replayed packets)",
     .set = &set_int<Config, &Config::queues, &QueuesConfig::recovery_capacity>,
     .get = &get_int<Config, &Config::queues, &QueuesConfig::recovery_capacity>},
};

constexpr K kBookKeys[] = {
    {.name = "max_instruments", .kind = Kind::kInt, .min = 1, .max = 1 << 20,
     .help = "instruments the book can hold (also bounds the [[book.instrument]] count)",
     .set = &set_int<Config, &Config::book, &BookConfig::max_instruments>,
     .get = &get_int<Config, &Config::book, &BookConfig::max_instruments>},
    {.name = "max_orders", .kind = Kind::kInt, .min = 1, .max = std::int64_t{256} << 20,
     .help = "resting orders across all instruments (order storage preallocated at start-up)",
     .set = &set_int<Config, &Config::book, &BookConfig::max_orders>,
     .get = &get_int<Config, &Config::book, &BookConfig::max_orders>},
    {.name = "max_levels", .kind = Kind::kInt, .min = 1, .max = std::int64_t{64} << 20,
     .help = "price levels across all instruments and both sides (preallocated)",
     .set = &set_int<Config, &Config::book, &BookConfig::max_levels>,
     .get = &get_int<Config, &Config::book, &BookConfig::max_levels>},
    {.name = "order_id_capacity", .kind = Kind::kInt, .min = 0, .max = std::int64_t{1} << 32,
     .help = "entries of the dense ITCH order-reference table (0 = hash index only)",
     .set = &set_int<Config, &Config::book, &BookConfig::order_id_capacity>,
     .get = &get_int<Config, &Config::book, &BookConfig::order_id_capacity>},
    {.name = "default_tick", .kind = Kind::kInt, .min = 1, .max = kInt64Max,
     .help = "venue price units per tick for instruments that do not set their own tick",
     .set = &set_int<Config, &Config::book, &BookConfig::default_tick>,
     .get = &get_int<Config, &Config::book, &BookConfig::default_tick>},
    {.name = "refdata_csv", .kind = Kind::kString, .min = 0, .max = 4096,
     .allowed = "\"\" or the path of an existing file",
     .help = "reference-data CSV (tick tables); \"\" = none; relative to the current directory; checked at load",
     .check = &check_refdata,
     .set = &set_string<Config, &Config::book, &BookConfig::refdata_csv>,
     .get = &get_string<Config, &Config::book, &BookConfig::refdata_csv>},
    {.name = kInstrumentArrayKey, .kind = Kind::kTableArray,
     .help = "one [[book.instrument]] table per configured instrument (keys below)"},
};

constexpr K kRuntimeKeys[] = {
    {.name = "placement", .kind = Kind::kEnum, .choices = kPlacementNames,
     .help = "dedicated = one thread per hot agent; shared = agents share threads (small boxes, tests)",
     .set = &set_enum<Config, &Config::runtime, &RuntimeConfig::placement>,
     .get = &get_enum<Config, &Config::runtime, &RuntimeConfig::placement>},
    {.name = "idle", .kind = Kind::kEnum, .choices = kIdleNames,
     .help = "what a thread does after an empty duty cycle",
     .set = &set_enum<Config, &Config::runtime, &RuntimeConfig::idle>,
     .get = &get_enum<Config, &Config::runtime, &RuntimeConfig::idle>},
    {.name = "engine_cpu", .kind = Kind::kInt, .min = -1, .max = 1023,
     .help = "CPU the engine thread (arbiter + decoder + book) is pinned to; -1 = not pinned",
     .set = &set_int<Config, &Config::runtime, &RuntimeConfig::engine_cpu>,
     .get = &get_int<Config, &Config::runtime, &RuntimeConfig::engine_cpu>},
    {.name = "rx_cpus", .kind = Kind::kIntArray, .min = 0, .max = 1023,
     .allowed = "[] or queues.rx_queues CPUs, each 0..1023",
     .help = "CPU of each RX thread, in queue order (A, B, ...); [] = not pinned",
     .set = &set_int_array<Config, &Config::runtime, &RuntimeConfig::rx_cpus>,
     .get = &get_int_array<Config, &Config::runtime, &RuntimeConfig::rx_cpus>},
    {.name = "mlockall", .kind = Kind::kBool, .help = "mlockall(MCL_CURRENT, MCL_FUTURE) at start-up; fails fast if refused",
     .set = &set_bool<Config, &Config::runtime, &RuntimeConfig::mlockall>,
     .get = &get_bool<Config, &Config::runtime, &RuntimeConfig::mlockall>},
    {.name = "realtime_priority", .kind = Kind::kInt, .min = 0, .max = 99,
     .help = "SCHED_FIFO priority of the hot threads; 0 = off (normal scheduling); fails fast if refused",
     .set = &set_int<Config, &Config::runtime, &RuntimeConfig::realtime_priority>,
     .get = &get_int<Config, &Config::runtime, &RuntimeConfig::realtime_priority>},
};

constexpr K kMetricsKeys[] = {
    {.name = "enabled", .kind = Kind::kBool, .help = "serve Prometheus /metrics and the health endpoints",
     .set = &set_bool<Config, &Config::metrics, &MetricsConfig::enabled>,
     .get = &get_bool<Config, &Config::metrics, &MetricsConfig::enabled>},
    {.name = "listen", .kind = Kind::kString, .min = 0, .max = 300, .allowed = "host:port or [ipv6]:port, port 1..65535",
     .help = "address the metrics HTTP server binds", .check = &check_listen, .set = &set_listen,
     .get = &get_string<Config, &Config::metrics, &MetricsConfig::listen>},
};

constexpr SectionSpec kSections[] = {
    {"feed", kFeedKeys, "the market-data feed"},
    {"pool", kPoolKeys, "the packet buffer pool"},
    {"queues", kQueuesKeys, "SPSC queues between threads"},
    {"book", kBookKeys, "the L3 order book"},
    {"runtime", kRuntimeKeys, "threads, pinning, real-time scheduling"},
    {"metrics", kMetricsKeys, "Prometheus exposition"},
};

using IK = KeySpec<InstrumentConfig>;
constexpr IK kInstrumentKeys[] = {
    {.name = "id", .kind = Kind::kInt, .min = 0, .max = kInt64Max, .required = true,
     .help = "venue instrument id (ITCH stock locate, EOBI SecurityID); unique", .default_doc = "required",
     .set = &set_int<InstrumentConfig, &InstrumentConfig::id>,
     .get = &get_int<InstrumentConfig, &InstrumentConfig::id>},
    {.name = "symbol", .kind = Kind::kString, .min = 1, .max = 8, .required = true,
     .allowed = "1..8 printable ASCII characters, no leading/trailing space",
     .help = "display symbol used in logs and metrics", .default_doc = "required", .check = &check_symbol,
     .set = &set_string<InstrumentConfig, &InstrumentConfig::symbol>,
     .get = &get_string<InstrumentConfig, &InstrumentConfig::symbol>},
    {.name = "tick", .kind = Kind::kInt, .min = 1, .max = kInt64Max,
     .help = "venue price units per tick for this instrument", .default_doc = "book.default_tick",
     .set = &set_int<InstrumentConfig, &InstrumentConfig::tick>,
     .get = &get_int<InstrumentConfig, &InstrumentConfig::tick>},
};

}  // namespace

std::span<const SectionSpec> sections() noexcept { return kSections; }
std::span<const KeySpec<InstrumentConfig>> instrument_keys() noexcept { return kInstrumentKeys; }

}  // namespace detail
}  // namespace numi::config
// clang-format on
