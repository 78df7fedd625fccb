// numi::config — the typed, validated configuration of one numi process, loaded from TOML.
// Main types: Config (feed, pool, queues, book, runtime, metrics sections) and the loader API
// load_file / load_string / defaults / describe. Every rule (key, type, range, default) lives in one
// declarative schema table in src/config/schema.cpp; docs/config.md holds the generated reference.
// Thread-safety: plain values and pure functions; the loader is a cold-path, start-up-only component.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "numi/core/status.hpp"

namespace numi::config {

// Which venue protocol the decoder speaks ([feed] protocol).
enum class Protocol : std::uint8_t { kItch, kEobi };
// How agents are placed on threads ([runtime] placement).
enum class Placement : std::uint8_t { kDedicated, kShared };
// What an agent thread does between empty duty cycles ([runtime] idle).
enum class IdleStrategy : std::uint8_t { kBusySpin, kSpinPause, kYield, kSleep, kBackoff };

// The TOML spelling of each enumerator ("itch", "dedicated", "spin_pause", ...).
[[nodiscard]] std::string_view to_string(Protocol v) noexcept;
[[nodiscard]] std::string_view to_string(Placement v) noexcept;
[[nodiscard]] std::string_view to_string(IdleStrategy v) noexcept;

struct FeedConfig {
  Protocol protocol = Protocol::kItch;
  bool operator==(const FeedConfig&) const = default;
};

struct PoolConfig {
  std::uint32_t size = 65536;            // packet buffers, preallocated at start-up
  std::uint32_t max_packet_size = 2048;  // bytes per buffer
  bool mlock = false;                    // mlock() the pool memory
  bool prefault = true;                  // touch every page at start-up
  bool operator==(const PoolConfig&) const = default;
};

struct QueuesConfig {
  std::uint32_t rx_capacity = 8192;        // per RX queue, power of two
  std::uint32_t rx_queues = 2;             // RX queues (feeds A, B, ...) the pool must be able to fill
  std::uint32_t recovery_capacity = 4096;  // recovery queue, power of two
  bool operator==(const QueuesConfig&) const = default;
};

struct InstrumentConfig {
  std::uint64_t id = 0;    // venue instrument id (ITCH stock locate / EOBI SecurityID), unique
  std::string symbol;      // 1..8 printable ASCII characters
  std::uint64_t tick = 0;  // price units per tick; book.default_tick when not given in the file
  bool operator==(const InstrumentConfig&) const = default;
};

struct BookConfig {
  std::uint32_t max_instruments = 16384;
  std::uint64_t max_orders = 4194304;
  std::uint64_t max_levels = 1048576;
  std::uint64_t order_id_capacity = 16777216;  // dense ITCH order-reference table; 0 = hash index only
  std::uint64_t default_tick = 100;            // venue price units per tick
  std::string refdata_csv;                     // "" = none; otherwise an existing file (checked at load)
  std::vector<InstrumentConfig> instruments;   // [[book.instrument]], in file order
  bool operator==(const BookConfig&) const = default;
};

struct RuntimeConfig {
  Placement placement = Placement::kDedicated;
  IdleStrategy idle = IdleStrategy::kBackoff;
  std::int32_t engine_cpu = -1;       // -1 = not pinned
  std::vector<std::int32_t> rx_cpus;  // empty = not pinned; else one CPU per RX queue
  bool mlockall = false;
  std::int32_t realtime_priority = 0;  // 0 = off; 1..99 = SCHED_FIFO priority
  bool operator==(const RuntimeConfig&) const = default;
};

struct MetricsConfig {
  bool enabled = true;
  std::string listen = "127.0.0.1:9464";  // as written: host:port or [ipv6]:port
  std::string host = "127.0.0.1";         // parsed from listen (brackets removed)
  std::uint16_t port = 9464;              // parsed from listen
  bool operator==(const MetricsConfig&) const = default;
};

struct Config {
  FeedConfig feed;
  PoolConfig pool;
  QueuesConfig queues;
  BookConfig book;
  RuntimeConfig runtime;
  MetricsConfig metrics;
  bool operator==(const Config&) const = default;
};

// The built-in defaults (what an empty file gives). Always valid.
[[nodiscard]] Config defaults();

// Loads and validates a TOML file. On failure the Error holds every problem found, one per line, each
// naming the file, the line, the full dotted key, the value given and what is allowed or how to fix it.
[[nodiscard]] Result<Config> load_file(const std::string& path);

// Same, from text in memory; `source_name` stands for the file name in messages.
[[nodiscard]] Result<Config> load_string(std::string_view text, std::string_view source_name);

// Canonical dump of the effective config: valid TOML, every key in schema order, one value per line, so
// equal configs give equal text (hash it to identify a run's config). load_string(describe(c)) == c.
[[nodiscard]] std::string describe(const Config& config);

// Every key of the schema as a dotted path ("pool.size", "book.instrument.id", ...), in schema order.
[[nodiscard]] std::vector<std::string> all_keys();

// The Markdown reference table (key, type, default, allowed, meaning) generated from the schema;
// docs/config.md embeds it verbatim (a test keeps the two in sync).
[[nodiscard]] std::string reference_table();

}  // namespace numi::config
