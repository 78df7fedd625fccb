// Paths tests need: the source tree (fixtures, config/numi.toml, docs) and the build's bin/ directory (tools
// and outputs), fixed at configure time so a test binary works the same under ctest and when run by hand.
// Thread-safety: constant values.
#pragma once

#include <string>

namespace numi::testing {

[[nodiscard]] inline std::string source_dir() { return NUMI_TEST_SOURCE_DIR; }
[[nodiscard]] inline std::string bin_dir() { return NUMI_TEST_BIN_DIR; }

}  // namespace numi::testing
