#include "numi/core/build_info.hpp"

#include <sys/utsname.h>
#include <unistd.h>

#include <fstream>
#include <string>

#include "numi_git_info.hpp"  // generated at build time by cmake/GitInfo.cmake

namespace numi {
namespace {
std::string compiler_name() {
#if defined(__clang__)
  return "clang-" + std::to_string(__clang_major__) + "." + std::to_string(__clang_minor__) + "." +
         std::to_string(__clang_patchlevel__);
#elif defined(__GNUC__)
  return "gcc-" + std::to_string(__GNUC__) + "." + std::to_string(__GNUC_MINOR__) + "." +
         std::to_string(__GNUC_PATCHLEVEL__);
#else
  return "unknown";
#endif
}

std::string value_after(const std::string& path, const std::string& prefix, char sep) {
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(prefix, 0) != 0) continue;
    auto pos = line.find(sep);
    if (pos == std::string::npos) continue;
    std::string v = line.substr(pos + 1);
    while (!v.empty() && (v.front() == ' ' || v.front() == '\t' || v.front() == '"')) v.erase(v.begin());
    while (!v.empty() && (v.back() == ' ' || v.back() == '"')) v.pop_back();
    return v;
  }
  return "unknown";
}
}  // namespace

const BuildInfo& build_info() noexcept {
  static const BuildInfo info{kNumiGitSha, kNumiGitDirty, compiler_name(), kNumiBuildType};
  return info;
}

MachineInfo machine_info() {
  MachineInfo m;
  m.cpu = value_after("/proc/cpuinfo", "model name", ':');
  m.cores = static_cast<int>(sysconf(_SC_NPROCESSORS_ONLN));
  utsname u{};
  m.kernel = uname(&u) == 0 ? std::string(u.release) : "unknown";
  m.os = value_after("/etc/os-release", "PRETTY_NAME", '=');
  return m;
}

void add_build_and_machine(KvLine& line) {
  const BuildInfo& b = build_info();
  const MachineInfo m = machine_info();
  line.add("git_sha", b.git_sha)
      .add("git_dirty", b.git_dirty)
      .add("compiler", b.compiler)
      .add("build_type", b.build_type)
      .add("os", m.os)
      .add("kernel", m.kernel)
      .add("cpu", m.cpu)
      .add("cores", m.cores);
}

}  // namespace numi
