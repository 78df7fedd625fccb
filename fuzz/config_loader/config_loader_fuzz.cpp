// libFuzzer entry: feeds arbitrary bytes to numi::config::load_string. Accepted configs must round-trip
// through describe() unchanged; rejected ones must carry a non-empty message. Crashes, leaks and UB are found
// by the sanitizers of the fuzz preset.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "numi/config/config.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto first = numi::config::load_string(text, "fuzz.toml");
  if (!first.ok()) {
    if (first.error().message.empty()) __builtin_trap();
    return 0;
  }
  const std::string canon = numi::config::describe(*first);
  const auto second = numi::config::load_string(canon, "describe.toml");
  if (!second.ok() || !(*second == *first) || numi::config::describe(*second) != canon) __builtin_trap();
  return 0;
}
