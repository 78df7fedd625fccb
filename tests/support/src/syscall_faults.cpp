#include "numi/testing/syscall_faults.hpp"

#include <atomic>
#include <cerrno>

namespace numi::testing {
namespace {
std::atomic<uint64_t> g_remaining{0};
std::atomic<uint64_t> g_calls{0};
std::atomic<uint64_t> g_injected{0};
int g_errno = 0;
sys::Hooks g_saved{};

int faulty_recvmmsg(int fd, mmsghdr* msgs, unsigned int vlen, int flags, timespec* timeout) {
  g_calls.fetch_add(1, std::memory_order_relaxed);
  uint64_t left = g_remaining.load(std::memory_order_relaxed);
  while (left > 0) {
    if (g_remaining.compare_exchange_weak(left, left - 1, std::memory_order_relaxed)) {
      g_injected.fetch_add(1, std::memory_order_relaxed);
      errno = g_errno;
      return -1;
    }
  }
  return sys::libc_hooks().recvmmsg(fd, msgs, vlen, flags, timeout);
}
}  // namespace

RecvmmsgFault::RecvmmsgFault(int error_number, uint64_t count) noexcept {
  g_saved = sys::hooks();
  g_errno = error_number;
  g_remaining.store(count);
  g_calls.store(0);
  g_injected.store(0);
  sys::hooks().recvmmsg = faulty_recvmmsg;
}
RecvmmsgFault::~RecvmmsgFault() { sys::hooks() = g_saved; }
uint64_t RecvmmsgFault::calls() const noexcept { return g_calls.load(); }
uint64_t RecvmmsgFault::injected() const noexcept { return g_injected.load(); }

}  // namespace numi::testing
