#include "numi/book/page_memory.hpp"

#include <sys/mman.h>
#include <unistd.h>

#include <cstring>
#include <new>

namespace numi::book {

PageMemory::PageMemory(std::size_t bytes, unsigned char fill) {
  if (bytes == 0) return;
  const auto page = static_cast<std::size_t>(sysconf(_SC_PAGESIZE));
  const std::size_t rounded = (bytes + page - 1) / page * page;
  void* p = mmap(nullptr, rounded, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED) throw std::bad_alloc();
  constexpr std::size_t kHugePage = std::size_t{2} << 20;
  if (rounded >= kHugePage) (void)madvise(p, rounded, MADV_HUGEPAGE);  // advisory: ignore failure
  // Touch every page now (and set the initial contents) so the hot path never takes a page fault.
  std::memset(p, fill, rounded);
  data_ = p;
  size_ = rounded;
}

PageMemory::~PageMemory() {
  if (data_ != nullptr) munmap(data_, size_);
}

}  // namespace numi::book
