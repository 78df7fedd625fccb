// Build and machine facts recorded beside every benchmark figure: git SHA and dirty flag (taken at build
// time), compiler, build type, and the host's CPU model, kernel and OS (read at run time).
// Main types: BuildInfo, MachineInfo. Thread-safety: functions return values; safe anywhere (cold path).
#pragma once

#include <string>

#include "numi/core/kv_line.hpp"

namespace numi {

struct BuildInfo {
  std::string git_sha;   // full SHA of HEAD when built, or "unknown"
  bool git_dirty;        // uncommitted changes in the work tree when built
  std::string compiler;  // e.g. "gcc-12.2.0"
  std::string build_type;
};

struct MachineInfo {
  std::string cpu;     // /proc/cpuinfo "model name"
  int cores;           // online CPUs
  std::string kernel;  // uname -r
  std::string os;      // PRETTY_NAME from /etc/os-release
};

[[nodiscard]] const BuildInfo& build_info() noexcept;
[[nodiscard]] MachineInfo machine_info();
// Appends git_sha git_dirty compiler build_type os kernel cpu cores to a key=value line.
void add_build_and_machine(KvLine& line);

}  // namespace numi
