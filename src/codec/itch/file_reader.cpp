// ItchFileReader: mmap for plain files, zlib gzread into a fixed buffer for .gz (see file_reader.hpp).
#include "numi/codec/itch/file_reader.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <new>
#include <utility>

namespace numi::codec::itch {

namespace {
constexpr std::size_t kGzBufferSize = std::size_t{1} << 20;  // holds any record (<= 2 + 65535 bytes)
constexpr unsigned kGzInternalBuffer = 256u << 10;
constexpr std::size_t kPlainBufferSize = std::size_t{4} << 20;  // 2 huge pages

// A buffer for streamed reads: 2 MiB aligned so that MADV_HUGEPAGE can back it with huge pages.
std::byte* alloc_buffer(std::size_t size) {
  constexpr std::size_t kAlign = std::size_t{2} << 20;
  const std::size_t rounded = (size + kAlign - 1) / kAlign * kAlign;  // aligned_alloc needs a multiple
  void* p = std::aligned_alloc(kAlign, rounded);
  if (p == nullptr) throw std::bad_alloc();
  (void)::madvise(p, rounded, MADV_HUGEPAGE);
  return static_cast<std::byte*>(p);
}
struct FreeBuffer {
  void operator()(std::byte* p) const noexcept { std::free(p); }
};

std::string errno_text(int err) {
  return std::string(std::strerror(err)) + " (errno " + std::to_string(err) + ")";
}
}  // namespace

struct ItchFileReader::Source {
  int fd = -1;
  void* map = nullptr;
  std::size_t map_size = 0;
  gzFile gz = nullptr;
  std::unique_ptr<std::byte, FreeBuffer> buf;
  std::size_t buf_size = 0;
  bool eof = false;

  Source() = default;
  Source(const Source&) = delete;
  Source& operator=(const Source&) = delete;
  ~Source() {
    if (map != nullptr) ::munmap(map, map_size);
    if (fd >= 0) ::close(fd);
    if (gz != nullptr) ::gzclose(gz);
  }
};

ItchFileReader::ItchFileReader() noexcept = default;
ItchFileReader::ItchFileReader(ItchFileReader&&) noexcept = default;
ItchFileReader& ItchFileReader::operator=(ItchFileReader&&) noexcept = default;
ItchFileReader::~ItchFileReader() = default;

ItchFileReader ItchFileReader::from_memory(std::span<const std::byte> bytes) noexcept {
  ItchFileReader r;
  r.cur_ = bytes.data();
  r.end_ = bytes.data() + bytes.size();
  return r;
}

Result<ItchFileReader> ItchFileReader::open(const std::string& path, PlainReadMode mode) {
  ItchFileReader r;
  r.path_ = path;
  r.source_ = std::make_unique<Source>();
  Source& s = *r.source_;
  s.fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (s.fd < 0) {
    return Error{"cannot open ITCH file '" + path + "': " + errno_text(errno) +
                 "; check the path and permissions"};
  }
  unsigned char magic[2] = {0, 0};
  const ssize_t got = ::pread(s.fd, magic, sizeof magic, 0);
  if (got < 0) return Error{"cannot read ITCH file '" + path + "': " + errno_text(errno)};
  if (got == 2 && magic[0] == 0x1f && magic[1] == 0x8b) {
    r.compressed_ = true;
    const int dup_fd = ::dup(s.fd);
    if (dup_fd < 0) return Error{"cannot dup fd of '" + path + "': " + errno_text(errno)};
    s.gz = ::gzdopen(dup_fd, "rb");
    if (s.gz == nullptr) {
      ::close(dup_fd);
      return Error{"cannot open gzip stream of '" + path + "': out of memory"};
    }
    ::gzbuffer(s.gz, kGzInternalBuffer);
    s.buf.reset(alloc_buffer(kGzBufferSize));
    s.buf_size = kGzBufferSize;
    r.cur_ = s.buf.get();
    r.end_ = s.buf.get();
    return r;
  }
  if (mode == PlainReadMode::kRead) {
    (void)::posix_fadvise(s.fd, 0, 0, POSIX_FADV_SEQUENTIAL);
    s.buf.reset(alloc_buffer(kPlainBufferSize));
    s.buf_size = kPlainBufferSize;
    r.cur_ = s.buf.get();
    r.end_ = s.buf.get();
    return r;
  }
  struct stat st {};
  if (::fstat(s.fd, &st) != 0) return Error{"cannot stat ITCH file '" + path + "': " + errno_text(errno)};
  s.map_size = static_cast<std::size_t>(st.st_size);
  if (s.map_size > 0) {
    void* m = ::mmap(nullptr, s.map_size, PROT_READ, MAP_PRIVATE | MAP_POPULATE, s.fd, 0);
    if (m == MAP_FAILED) return Error{"cannot mmap ITCH file '" + path + "': " + errno_text(errno)};
    s.map = m;
    (void)::madvise(m, s.map_size, MADV_SEQUENTIAL);
    r.cur_ = static_cast<const std::byte*>(m);
    r.end_ = r.cur_ + s.map_size;
  }
  return r;
}

bool ItchFileReader::next_slow(std::span<const std::byte>& msg) noexcept {
  if (status_ != ReadStatus::kOk) return false;
  for (;;) {
    const auto avail = static_cast<std::size_t>(end_ - cur_);
    if (avail >= 2) {
      const std::size_t len = wire::load_be16(cur_);
      if (avail - 2 >= len) {
        msg = std::span<const std::byte>(cur_ + 2, len);
        cur_ += 2 + len;
        ++messages_;
        return true;
      }
    }
    Source* s = source_.get();
    if (s == nullptr || !s->buf || s->eof) {
      if (avail == 0) {
        status_ = ReadStatus::kEnd;
      } else {
        status_ = ReadStatus::kTruncated;
        try {
          error_ = "ITCH file '" + path_ + "' ends inside a record after message " +
                   std::to_string(messages_) + " (" + std::to_string(avail) +
                   " trailing bytes); the file is truncated";
        } catch (...) {  // keep noexcept: the status alone still reports the failure
        }
      }
      return false;
    }
    // Refill: move the partial record to the front, then inflate behind it.
    std::byte* base = s->buf.get();
    if (avail > 0 && cur_ != base) std::memmove(base, cur_, avail);
    ssize_t n = 0;
    if (s->gz != nullptr) {
      n = ::gzread(s->gz, base + avail, static_cast<unsigned>(s->buf_size - avail));
    } else {
      do {
        n = ::read(s->fd, base + avail, s->buf_size - avail);
      } while (n < 0 && errno == EINTR);
      if (n < 0) {
        status_ = ReadStatus::kIoError;
        try {
          error_ = "cannot read ITCH file '" + path_ + "': " + errno_text(errno);
        } catch (...) {
        }
        return false;
      }
    }
    if (n < 0) {
      int zerr = 0;
      const char* what = ::gzerror(s->gz, &zerr);
      status_ = zerr == Z_BUF_ERROR ? ReadStatus::kTruncated : ReadStatus::kIoError;
      try {
        error_ = "cannot inflate ITCH file '" + path_ + "': " + (what != nullptr ? what : "zlib error");
      } catch (...) {
      }
      return false;
    }
    if (n == 0) s->eof = true;
    cur_ = base;
    end_ = base + avail + static_cast<std::size_t>(n);
  }
}

}  // namespace numi::codec::itch
