// ScopedSyscallHook: installs fault-injecting replacements into numi::sys::hooks() for one scope and
// restores libc on exit. The receive path's tests use it for EAGAIN / EINTR / fatal errors / short batches.
// Thread-safety: install before the threads that make the calls start; not for concurrent scopes.
#pragma once

#include <cstdint>

#include "numi/core/sys_hooks.hpp"

namespace numi::testing {

// Makes the next `count` recvmmsg() calls fail with `error_number` (-1, errno set) without calling the
// kernel; later calls go to libc. `calls()` counts every call seen while installed.
class RecvmmsgFault {
 public:
  RecvmmsgFault(int error_number, uint64_t count) noexcept;
  ~RecvmmsgFault();
  RecvmmsgFault(const RecvmmsgFault&) = delete;
  RecvmmsgFault& operator=(const RecvmmsgFault&) = delete;
  [[nodiscard]] uint64_t calls() const noexcept;
  [[nodiscard]] uint64_t injected() const noexcept;
};

// Replaces the whole hook table for a scope (for tests that need custom behaviour).
class ScopedSyscallHooks {
 public:
  explicit ScopedSyscallHooks(const sys::Hooks& replacement) noexcept : saved_(sys::hooks()) {
    sys::hooks() = replacement;
  }
  ~ScopedSyscallHooks() { sys::hooks() = saved_; }
  ScopedSyscallHooks(const ScopedSyscallHooks&) = delete;
  ScopedSyscallHooks& operator=(const ScopedSyscallHooks&) = delete;

 private:
  sys::Hooks saved_;
};

}  // namespace numi::testing
