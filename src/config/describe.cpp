// Schema walks that do not parse: the canonical dump, the key list and the Markdown reference table.
#include <string>
#include <vector>

#include "numi/config/config.hpp"
#include "schema.hpp"

namespace numi::config {
namespace {

using detail::KeySpec;
using detail::Kind;

std::string range_text(std::int64_t min, std::int64_t max) {
  if (max == detail::kInt64Max) return ">= " + std::to_string(min);
  return std::to_string(min) + ".." + std::to_string(max);
}

std::string_view type_name(Kind k) {
  switch (k) {
    case Kind::kBool:
      return "bool";
    case Kind::kInt:
      return "integer";
    case Kind::kString:
    case Kind::kEnum:
      return "string";
    case Kind::kIntArray:
      return "array of integers";
    case Kind::kTableArray:
      return "array of tables";
  }
  return "?";
}

template <class T>
std::string allowed_text(const KeySpec<T>& k) {
  if (!k.allowed.empty()) return std::string(k.allowed);
  switch (k.kind) {
    case Kind::kBool:
      return "true, false";
    case Kind::kInt:
      return k.pow2 ? "power of two, " + range_text(k.min, k.max) : range_text(k.min, k.max);
    case Kind::kIntArray:
      return "each " + range_text(k.min, k.max);
    case Kind::kEnum: {
      std::string out;
      for (const auto c : k.choices) {
        if (!out.empty()) out += ", ";
        out += "`\"" + std::string(c) + "\"`";
      }
      return out;
    }
    case Kind::kString:
      return range_text(k.min, k.max) + " characters";
    case Kind::kTableArray:
      return "up to book.max_instruments tables";
  }
  return {};
}

template <class T>
void table_row(std::string& out, const std::string& key, const KeySpec<T>& k, const T& defaults_of) {
  std::string def;
  if (!k.default_doc.empty()) {
    def = std::string(k.default_doc);
  } else if (k.get != nullptr) {
    def = detail::cat({"`", k.get(defaults_of), "`"});
  } else {
    def = "none";
  }
  out += "| `" + key + "` | " + std::string(type_name(k.kind)) + " | " + def + " | " + allowed_text(k) +
         " | " + std::string(k.help) + " |\n";
}

}  // namespace

std::string describe(const Config& config) {
  std::string out = "# numi effective config (canonical form, schema v1)\n";
  for (const auto& sec : detail::sections()) {
    out += "\n[" + std::string(sec.name) + "]\n";
    bool has_instruments = false;
    for (const auto& k : sec.keys) {
      if (k.kind == Kind::kTableArray) {
        has_instruments = true;
        continue;
      }
      out += std::string(k.name) + " = " + k.get(config) + "\n";
    }
    if (!has_instruments) continue;
    for (const auto& inst : config.book.instruments) {
      out += "\n[[" + std::string(sec.name) + "." + std::string(detail::kInstrumentArrayKey) + "]]\n";
      for (const auto& k : detail::instrument_keys()) out += std::string(k.name) + " = " + k.get(inst) + "\n";
    }
  }
  return out;
}

std::vector<std::string> all_keys() {
  std::vector<std::string> out;
  for (const auto& sec : detail::sections()) {
    for (const auto& k : sec.keys) {
      out.push_back(std::string(sec.name) + "." + std::string(k.name));
      if (k.kind != Kind::kTableArray) continue;
      for (const auto& ik : detail::instrument_keys()) {
        out.push_back(std::string(sec.name) + "." + std::string(k.name) + "." + std::string(ik.name));
      }
    }
  }
  return out;
}

std::string reference_table() {
  const Config d = defaults();
  const InstrumentConfig inst_defaults{};
  std::string out = "| key | type | default | allowed | meaning |\n|---|---|---|---|---|\n";
  for (const auto& sec : detail::sections()) {
    for (const auto& k : sec.keys) {
      const std::string key = std::string(sec.name) + "." + std::string(k.name);
      table_row(out, key, k, d);
      if (k.kind != Kind::kTableArray) continue;
      for (const auto& ik : detail::instrument_keys())
        table_row(out, key + "." + std::string(ik.name), ik, inst_defaults);
    }
  }
  return out;
}

}  // namespace numi::config
