// Private: the declarative schema of numi's TOML config — one row per key with kind, range, meaning,
// setter and canonical getter. The loader, describe(), all_keys() and reference_table() all walk these
// tables, so adding a key is adding one row (plus a field in config.hpp and a line in config/numi.toml).
// Main types: Kind, Value, KeySpec<T>, SectionSpec. Thread-safety: immutable constant tables.
#pragma once

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <limits>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "numi/config/config.hpp"

namespace numi::config::detail {

enum class Kind : std::uint8_t {
  kBool,        // true / false
  kInt,         // integer in [min, max]; optionally a power of two
  kString,      // string, length in [min, max], then `check`
  kEnum,        // string, one of `choices`; the setter gets the index
  kIntArray,    // array of integers, each in [min, max]
  kTableArray,  // array of tables ([[book.instrument]]); handled by the loader, not by set/get
};

// A value that passed its type and range checks, handed to a setter.
struct Value {
  bool b = false;
  std::int64_t i = 0;
  std::string s;
  std::size_t choice = 0;
  std::vector<std::int64_t> ints;
};

inline constexpr std::int64_t kInt64Max = std::numeric_limits<std::int64_t>::max();

template <class T>
struct KeySpec {
  std::string_view name;
  Kind kind = Kind::kBool;
  std::int64_t min = 0;  // kInt / kIntArray elements: value range; kString: length range
  std::int64_t max = 0;
  bool pow2 = false;  // kInt: must also be a power of two
  bool required = false;
  std::span<const std::string_view> choices = {};  // kEnum, in enumerator order
  std::string_view allowed = {};      // human text for "allowed" when min/max/choices do not say it all
  std::string_view help = {};         // meaning, for docs and messages
  std::string_view default_doc = {};  // docs "default" text when not the getter's value on defaults()
  // kString: extra validation; returns "" when fine, else "<problem>: <fix>".
  std::string (*check)(std::string_view) = nullptr;
  void (*set)(T&, const Value&) = nullptr;
  std::string (*get)(const T&) = nullptr;  // canonical TOML text of the current value
};

struct SectionSpec {
  std::string_view name;
  std::span<const KeySpec<Config>> keys;
  std::string_view help;
};

// Top-level tables, in canonical order.
std::span<const SectionSpec> sections() noexcept;
// Keys of one [[book.instrument]] entry.
std::span<const KeySpec<InstrumentConfig>> instrument_keys() noexcept;
inline constexpr std::string_view kInstrumentArrayKey = "instrument";  // book.instrument

// Helpers shared by the loader and describe().
// Concatenation by appends (avoids g++ 12's false -Wrestrict on `"literal" + std::string` at -O3).
inline std::string cat(std::initializer_list<std::string_view> parts) {
  std::string out;
  for (const auto p : parts) out += p;
  return out;
}
std::string toml_quote(std::string_view s);  // a TOML basic string literal, control chars escaped
// Parses "host:port" / "[v6]:port". Returns "" on success, else "<problem>".
std::string parse_listen(std::string_view text, std::string* host, std::uint16_t* port);

}  // namespace numi::config::detail
