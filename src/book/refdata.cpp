// Reference-data CSV loader (cold path).
#include "numi/book/refdata.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <fstream>
#include <optional>
#include <sstream>
#include <unordered_set>

namespace numi::book {

namespace {

constexpr std::array<std::string_view, 5> kIdNames{"id", "security_id", "securityid", "stock_locate",
                                                   "locate"};
constexpr std::array<std::string_view, 4> kSymbolNames{"symbol", "stock", "ticker", "name"};
constexpr std::array<std::string_view, 4> kTickNames{"tick", "tick_size", "ticksize", "min_price_increment"};

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front())) != 0) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back())) != 0) s.remove_suffix(1);
  return s;
}

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

// Splits one CSV line on commas; a field wrapped in double quotes may contain commas ("" is a quote).
std::vector<std::string> split_csv(std::string_view line) {
  std::vector<std::string> fields;
  std::string cur;
  bool quoted = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
        cur += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        cur += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      fields.emplace_back(trim(cur));
      cur.clear();
    } else {
      cur += c;
    }
  }
  fields.emplace_back(trim(cur));
  return fields;
}

std::string join(std::span<const std::string_view> names) {
  std::string out;
  for (auto n : names) {
    if (!out.empty()) out += '|';
    out += n;
  }
  return out;
}

template <typename T>
std::optional<T> parse_int(std::string_view s) {
  T v{};
  const auto* end = s.data() + s.size();
  const auto r = std::from_chars(s.data(), end, v);
  if (s.empty() || r.ec != std::errc{} || r.ptr != end) return std::nullopt;
  return v;
}

std::optional<std::size_t> find_column(const std::vector<std::string>& header,
                                       std::span<const std::string_view> names) {
  for (std::size_t i = 0; i < header.size(); ++i) {
    const std::string h = lower(header[i]);
    for (auto n : names) {
      if (h == n) return i;
    }
  }
  return std::nullopt;
}

}  // namespace

Result<std::vector<InstrumentSpec>> parse_refdata_csv(std::string_view text, std::string_view source_name) {
  const std::string src(source_name);
  std::vector<InstrumentSpec> specs;
  std::vector<std::string> header;
  std::optional<std::size_t> id_col;
  std::optional<std::size_t> symbol_col;
  std::optional<std::size_t> tick_col;
  std::optional<std::size_t> bands_col;
  std::optional<std::size_t> min_col;
  std::optional<std::size_t> max_col;
  std::unordered_set<uint64_t> seen;
  std::size_t line_no = 0;
  std::size_t header_line = 0;
  while (!text.empty()) {
    const std::size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1);
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (trim(line).empty() || trim(line).front() == '#') continue;
    const std::string where = src + ":" + std::to_string(line_no);
    std::vector<std::string> fields = split_csv(line);
    if (header.empty()) {
      header = std::move(fields);
      header_line = line_no;
      id_col = find_column(header, kIdNames);
      symbol_col = find_column(header, kSymbolNames);
      tick_col = find_column(header, kTickNames);
      constexpr std::array<std::string_view, 1> kBands{"tick_bands"};
      constexpr std::array<std::string_view, 1> kMin{"min_price"};
      constexpr std::array<std::string_view, 1> kMax{"max_price"};
      bands_col = find_column(header, kBands);
      min_col = find_column(header, kMin);
      max_col = find_column(header, kMax);
      const auto missing = [&](std::string_view what, std::span<const std::string_view> names) {
        return Error{where + ": header has no '" + std::string(what) + "' column (accepted names: " +
                     join(names) + "); fix: add one of these columns to the header row"};
      };
      if (!id_col) return missing("id", kIdNames);
      if (!symbol_col) return missing("symbol", kSymbolNames);
      if (!tick_col) return missing("tick", kTickNames);
      continue;
    }
    if (fields.size() != header.size()) {
      return Error{where + ": row has " + std::to_string(fields.size()) + " fields but the header (line " +
                   std::to_string(header_line) + ") has " + std::to_string(header.size()) +
                   "; fix: make every row have one value per header column"};
    }
    const auto bad = [&](std::size_t col, std::string_view why) {
      return Error{where + ": column '" + header[col] + "' (column " + std::to_string(col + 1) +
                   "): value '" + fields[col] + "' " + std::string(why)};
    };
    InstrumentSpec spec;
    const auto id = parse_int<uint64_t>(fields[*id_col]);
    if (!id) return bad(*id_col, "is not an unsigned integer; fix: give the venue's numeric instrument id");
    if (!seen.insert(*id).second)
      return bad(*id_col, "repeats an earlier row's id; fix: remove the duplicate row");
    spec.venue_id = *id;
    spec.symbol = fields[*symbol_col];
    if (spec.symbol.empty()) return bad(*symbol_col, "is empty; fix: give the instrument's symbol");
    const auto tick = parse_int<int64_t>(fields[*tick_col]);
    if (!tick || *tick <= 0) {
      return bad(*tick_col, "is not a positive integer; fix: give the tick in integer venue price units");
    }
    Price min_price = 1;
    Price max_price = kPriceLimit;
    if (min_col && !fields[*min_col].empty()) {
      const auto v = parse_int<int64_t>(fields[*min_col]);
      if (!v || !within_price_limit(*v))
        return bad(*min_col, "is not an integer price; fix: use venue price units");
      min_price = *v;
    }
    if (max_col && !fields[*max_col].empty()) {
      const auto v = parse_int<int64_t>(fields[*max_col]);
      if (!v || *v < min_price || *v > kPriceLimit) {
        return bad(*max_col, "is not an integer price >= min_price; fix: use venue price units");
      }
      max_price = *v;
    }
    spec.tick = TickTable(*tick, min_price, max_price);
    if (bands_col && !fields[*bands_col].empty()) {
      std::string_view rest = fields[*bands_col];
      while (!rest.empty()) {
        const std::size_t semi = rest.find(';');
        const std::string_view band = trim(rest.substr(0, semi));
        rest = semi == std::string_view::npos ? std::string_view{} : rest.substr(semi + 1);
        const std::size_t colon = band.find(':');
        const auto from =
            colon == std::string_view::npos ? std::nullopt : parse_int<int64_t>(trim(band.substr(0, colon)));
        const auto t =
            colon == std::string_view::npos ? std::nullopt : parse_int<int64_t>(trim(band.substr(colon + 1)));
        if (!from || !t || !spec.tick.add_band(*from, *t)) {
          return bad(*bands_col,
                     "is not a ladder 'from:tick;from:tick' with increasing from, tick > 0, at most 4 bands; "
                     "fix: e.g. 0:1;10000:100");
        }
      }
    }
    specs.push_back(std::move(spec));
  }
  if (header.empty()) return Error{src + ": no header row; fix: start the file with e.g. 'id,symbol,tick'"};
  return specs;
}

Result<std::vector<InstrumentSpec>> load_refdata_csv(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error{path + ": cannot open reference-data file; fix: check the path and permissions"};
  std::ostringstream ss;
  ss << in.rdbuf();
  if (in.bad()) return Error{path + ": read error; fix: check the file"};
  return parse_refdata_csv(ss.str(), path);
}

Result<void> register_instruments(OrderBook& book, std::span<const InstrumentSpec> specs) {
  for (const InstrumentSpec& s : specs) {
    auto r = book.add_instrument(s.venue_id, s.symbol, s.tick);
    if (!r) return r.error();
  }
  return {};
}

}  // namespace numi::book
