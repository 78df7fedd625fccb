// KvLine: the one machine-readable output line of every numi tool and benchmark — space-separated key=value
// pairs, values percent-escaped (% space tab LF CR =) so any value survives a naive split.
// Main types: KvLine. Thread-safety: none (a local value on a cold path).
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>
#include <type_traits>

namespace numi {

class KvLine {
 public:
  KvLine& add(std::string_view key, std::string_view value) {
    if (!line_.empty()) line_ += ' ';
    line_.append(key);
    line_ += '=';
    append_escaped(value);
    return *this;
  }
  KvLine& add(std::string_view key, const char* value) { return add(key, std::string_view(value)); }
  KvLine& add(std::string_view key, const std::string& value) { return add(key, std::string_view(value)); }
  KvLine& add(std::string_view key, bool value) { return add(key, value ? "true" : "false"); }
  template <typename T>
  requires std::is_integral_v<T> KvLine& add(std::string_view key, T value) {
    return add(key, std::string_view(std::to_string(value)));
  }
  // Floating values with a fixed number of decimals.
  KvLine& add(std::string_view key, double value, int decimals = 1) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f", decimals, value);
    return add(key, std::string_view(buf));
  }

  [[nodiscard]] const std::string& str() const noexcept { return line_; }
  // Writes the line and a newline to stdout.
  void print() const { std::printf("%s\n", line_.c_str()); }

  // A tool's failure: "<tool>: <why>" on stderr and `status=fail error=<why>` on stdout; returns exit code 1.
  static int print_failure(std::string_view tool, std::string_view why) {
    std::fprintf(stderr, "%.*s: %.*s\n", static_cast<int>(tool.size()), tool.data(),
                 static_cast<int>(why.size()), why.data());
    KvLine line;
    line.add("status", "fail").add("error", why);
    line.print();
    return 1;
  }

  static std::string escape(std::string_view value) {
    KvLine l;
    l.append_escaped(value);
    return l.line_;
  }

 private:
  void append_escaped(std::string_view value) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    for (char c : value) {
      if (c == '%' || c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '=') {
        line_ += '%';
        line_ += kHex[(static_cast<unsigned char>(c) >> 4) & 0xF];
        line_ += kHex[static_cast<unsigned char>(c) & 0xF];
      } else {
        line_ += c;
      }
    }
  }
  std::string line_;
};

}  // namespace numi
