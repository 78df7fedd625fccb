// PageMemory: one anonymous mmap region, transparent-huge-page advised and page-touched at construction, so
// the hot path never faults or allocates. Typed arrays of trivially copyable records live inside it.
// Main types: PageMemory (move-only RAII owner of the mapping).
// Thread-safety: none; construct on the cold path, then the owning thread uses the memory.
#pragma once

#include <cstddef>
#include <utility>

namespace numi::book {

class PageMemory {
 public:
  PageMemory() noexcept = default;
  // Maps `bytes` (rounded up to the page size), advises huge pages for large regions and writes every page
  // with `fill` (0 or 0xFF). Throws std::bad_alloc when the mapping fails (cold path only).
  explicit PageMemory(std::size_t bytes, unsigned char fill = 0);
  ~PageMemory();
  PageMemory(PageMemory&& other) noexcept { swap(other); }
  PageMemory& operator=(PageMemory&& other) noexcept {
    PageMemory tmp(std::move(other));
    swap(tmp);
    return *this;
  }
  PageMemory(const PageMemory&) = delete;
  PageMemory& operator=(const PageMemory&) = delete;

  [[nodiscard]] void* data() const noexcept { return data_; }
  [[nodiscard]] std::size_t size() const noexcept { return size_; }
  template <typename T>
  [[nodiscard]] T* as() const noexcept {
    return static_cast<T*>(data_);
  }

 private:
  void swap(PageMemory& o) noexcept {
    std::swap(data_, o.data_);
    std::swap(size_, o.size_);
  }
  void* data_ = nullptr;
  std::size_t size_ = 0;
};

}  // namespace numi::book
