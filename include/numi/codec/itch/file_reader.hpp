// Streaming reader for Nasdaq's binary ITCH file format (each message preceded by a u16 BE length): plain
// files are read through a fixed buffer (or mmapped with MADV_SEQUENTIAL for zero-copy spans); gzip files
// (detected by magic) are inflated through zlib into a fixed buffer, carrying partial records across refills.
// The whole file is never loaded. Main type: ItchFileReader. Thread-safety: one thread per reader.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "numi/codec/itch/wire.hpp"
#include "numi/core/status.hpp"

namespace numi::codec::itch {

// How plain files are read. kRead streams through a fixed 4 MiB buffer (huge-page backed when the kernel
// allows): measured faster than mmap on VMs where page-table work is expensive (docs/itch.md). kMmap gives
// zero-copy spans into a MAP_POPULATE + MADV_SEQUENTIAL mapping.
enum class PlainReadMode : uint8_t { kRead, kMmap };

enum class ReadStatus : uint8_t {
  kOk,         // still reading (or ended cleanly if next() returned false)
  kEnd,        // clean end of input
  kTruncated,  // the input ends inside a record (length prefix or message body)
  kIoError,    // read/inflate failure; error_message() has the detail
};

class ItchFileReader {
 public:
  // Opens `path` (plain or gzip). Errors name the path and errno text.
  static Result<ItchFileReader> open(const std::string& path, PlainReadMode mode = PlainReadMode::kRead);
  // Reads records from memory (not copied; `bytes` must outlive the reader). Plain format only.
  static ItchFileReader from_memory(std::span<const std::byte> bytes) noexcept;

  ItchFileReader(ItchFileReader&&) noexcept;
  ItchFileReader& operator=(ItchFileReader&&) noexcept;
  ItchFileReader(const ItchFileReader&) = delete;
  ItchFileReader& operator=(const ItchFileReader&) = delete;
  ~ItchFileReader();

  // The next message (without its length prefix); valid until the next call. false at the end or on error:
  // then status() tells which.
  [[nodiscard]] bool next(std::span<const std::byte>& msg) noexcept {
    const auto avail = static_cast<std::size_t>(end_ - cur_);
    if (avail >= 2) [[likely]] {
      const std::size_t len = wire::load_be16(cur_);
      if (avail - 2 >= len) [[likely]] {
        msg = std::span<const std::byte>(cur_ + 2, len);
        cur_ += 2 + len;
        ++messages_;
        return true;
      }
    }
    return next_slow(msg);
  }

  [[nodiscard]] ReadStatus status() const noexcept { return status_; }
  [[nodiscard]] const std::string& error_message() const noexcept { return error_; }
  [[nodiscard]] uint64_t messages() const noexcept { return messages_; }
  [[nodiscard]] bool compressed() const noexcept { return compressed_; }
  [[nodiscard]] const std::string& path() const noexcept { return path_; }

  struct Source;  // mmap or gzip state (internal)

 private:
  ItchFileReader() noexcept;
  bool next_slow(std::span<const std::byte>& msg) noexcept;

  const std::byte* cur_ = nullptr;
  const std::byte* end_ = nullptr;
  std::unique_ptr<Source> source_;
  uint64_t messages_ = 0;
  ReadStatus status_ = ReadStatus::kOk;
  bool compressed_ = false;
  std::string path_;
  std::string error_;
};

}  // namespace numi::codec::itch
