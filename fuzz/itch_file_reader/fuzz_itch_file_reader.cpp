// Fuzz: ItchFileReader over arbitrary bytes, in memory and through a memfd file (so the mmap path runs, and
// the gzip path when the input starts with the gzip magic). Both must agree for plain input, every span must
// lie inside the input, and the end status must be kEnd or kTruncated (or kIoError for bad gzip).
#include <sys/mman.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "numi/codec/itch/decoder.hpp"
#include "numi/codec/itch/file_reader.hpp"

namespace {
struct Touch {
  uint64_t sum = 0;
  void on(const auto& m) { sum += m.timestamp; }
};
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace itch = numi::codec::itch;
  const std::span<const std::byte> in(reinterpret_cast<const std::byte*>(data), size);
  auto mem = itch::ItchFileReader::from_memory(in);
  std::span<const std::byte> msg;
  uint64_t n_mem = 0;
  std::size_t consumed = 0;
  Touch t;
  while (mem.next(msg)) {
    if (msg.data() < in.data() || msg.data() + msg.size() > in.data() + in.size()) std::abort();
    consumed += 2 + msg.size();
    ++n_mem;
    (void)itch::decode(msg, t);
  }
  if (mem.status() == itch::ReadStatus::kEnd && consumed != size) std::abort();
  if (mem.status() != itch::ReadStatus::kEnd && mem.status() != itch::ReadStatus::kTruncated) std::abort();

  const int fd = ::memfd_create("numi_fuzz_itch", MFD_CLOEXEC);
  if (fd < 0) return 0;
  if (size > 0 && ::write(fd, data, size) != static_cast<ssize_t>(size)) {
    ::close(fd);
    return 0;
  }
  const std::string path = "/proc/self/fd/" + std::to_string(fd);
  auto file = itch::ItchFileReader::open(path);
  if (file.ok()) {
    uint64_t n_file = 0;
    while (file->next(msg)) ++n_file;
    if (!file->compressed() && (n_file != n_mem || file->status() != mem.status())) std::abort();
  }
  ::close(fd);
  return 0;
}
