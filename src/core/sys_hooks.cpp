#include "numi/core/sys_hooks.hpp"

namespace numi::sys {
namespace {
int libc_recvmmsg(int fd, mmsghdr* msgs, unsigned int vlen, int flags, timespec* timeout) {
  return ::recvmmsg(fd, msgs, vlen, flags, timeout);
}
int libc_sendmmsg(int fd, mmsghdr* msgs, unsigned int vlen, int flags) {
  return ::sendmmsg(fd, msgs, vlen, flags);
}
constexpr Hooks kLibc{libc_recvmmsg, ::recvfrom, ::sendto, libc_sendmmsg, ::setsockopt};
Hooks g_hooks = kLibc;
}  // namespace

Hooks& hooks() noexcept { return g_hooks; }
const Hooks& libc_hooks() noexcept { return kLibc; }
}  // namespace numi::sys
