// Syscall indirection for fault injection: the receive path calls numi::sys::recvmmsg() etc., which go
// through a table of function pointers that defaults to libc. Tests swap entries (tests/support
// ScopedSyscallHook) to inject EAGAIN/EINTR/fatal errors or short batches without a kernel.
// Thread-safety: install hooks before starting threads; calls read the table without synchronisation.
#pragma once

#include <sys/socket.h>
#include <sys/types.h>
#include <time.h>

namespace numi::sys {

struct Hooks {
  int (*recvmmsg)(int fd, mmsghdr* msgs, unsigned int vlen, int flags, timespec* timeout);
  ssize_t (*recvfrom)(int fd, void* buf, size_t len, int flags, sockaddr* addr, socklen_t* addrlen);
  ssize_t (*sendto)(int fd, const void* buf, size_t len, int flags, const sockaddr* addr, socklen_t addrlen);
  int (*sendmmsg)(int fd, mmsghdr* msgs, unsigned int vlen, int flags);
  int (*setsockopt)(int fd, int level, int name, const void* value, socklen_t len);
};

// The live table; starts as the libc functions.
Hooks& hooks() noexcept;
// The libc table, for restoring.
const Hooks& libc_hooks() noexcept;

inline int recvmmsg(int fd, mmsghdr* msgs, unsigned int vlen, int flags, timespec* timeout) noexcept {
  return hooks().recvmmsg(fd, msgs, vlen, flags, timeout);
}
inline ssize_t recvfrom(int fd, void* buf, size_t len, int flags, sockaddr* addr,
                        socklen_t* addrlen) noexcept {
  return hooks().recvfrom(fd, buf, len, flags, addr, addrlen);
}
inline ssize_t sendto(int fd, const void* buf, size_t len, int flags, const sockaddr* addr,
                      socklen_t addrlen) noexcept {
  return hooks().sendto(fd, buf, len, flags, addr, addrlen);
}
inline int sendmmsg(int fd, mmsghdr* msgs, unsigned int vlen, int flags) noexcept {
  return hooks().sendmmsg(fd, msgs, vlen, flags);
}
inline int setsockopt(int fd, int level, int name, const void* value, socklen_t len) noexcept {
  return hooks().setsockopt(fd, level, name, value, len);
}

}  // namespace numi::sys
