// PacketPool start-up (map, touch, lock) and its cold paths; get/put live inline in the header.
#include "numi/core/packet_pool.hpp"

#include <sys/mman.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <new>
#include <string>
#include <utility>

namespace numi {
namespace {

constexpr std::array<CounterDesc, static_cast<std::size_t>(PoolCounter::kCount)> kPoolCounterTable{{
    {"packet_pool_misses_total", "get() calls that found the packet pool empty (raise pool size)",
     MetricType::kCounter},
    {"packet_pool_return_drops_total",
     "put() calls refused: buffer already in the pool (double return) or not from this pool",
     MetricType::kCounter},
    {"packet_pool_size", "Buffers in the packet pool", MetricType::kGauge},
    {"packet_pool_preallocated_bytes",
     "Bytes preallocated for the packet pool (buffers, metadata, free-list links)", MetricType::kGauge},
}};

constexpr std::size_t align_up(std::size_t value, std::size_t alignment) noexcept {
  return (value + alignment - 1) / alignment * alignment;
}

std::string errno_text(int err) { return std::string(std::strerror(err)); }

}  // namespace

std::span<const CounterDesc> counter_table(PoolCounter) noexcept { return kPoolCounterTable; }

Result<std::unique_ptr<PacketPool>> PacketPool::create(const PacketPoolOptions& options) {
  if (options.size == 0 || options.size > kMaxSize) {
    return Error{"packet pool: size=" + std::to_string(options.size) +
                 " is out of range: set the pool size " + "(PacketPoolOptions::size / pool.size) to 1.." +
                 std::to_string(kMaxSize) +
                 ", at least the packets in flight (burst x receivers + queue capacities)"};
  }
  if (options.max_packet_size == 0 || options.max_packet_size > kMaxPacketSize) {
    return Error{"packet pool: max_packet_size=" + std::to_string(options.max_packet_size) +
                 " is out of range: set PacketPoolOptions::max_packet_size (pool.max_packet_size) to 1.." +
                 std::to_string(kMaxPacketSize) +
                 " bytes, e.g. 2048 for 1500-MTU feeds or 9216 for jumbo frames"};
  }

  const auto page = static_cast<std::size_t>(sysconf(_SC_PAGESIZE));
  const std::size_t size = options.size;
  const std::size_t stride = align_up(options.max_packet_size, 64);
  const std::size_t packets_bytes = size * sizeof(Packet);
  const std::size_t links_offset = align_up(packets_bytes, 64);
  const std::size_t buffers_offset = align_up(links_offset + size * sizeof(std::atomic<uint32_t>), page);
  const std::size_t region_bytes =
      align_up(buffers_offset + size * stride, options.huge_pages ? std::size_t{2} << 20 : page);

  const int flags = MAP_PRIVATE | MAP_ANONYMOUS | (options.huge_pages ? 0 : MAP_POPULATE);
  void* region = mmap(nullptr, region_bytes, PROT_READ | PROT_WRITE, flags, -1, 0);
  if (region == MAP_FAILED) {
    const int err = errno;
    return Error{"packet pool: mmap of " + std::to_string(region_bytes) +
                 " bytes (size=" + std::to_string(options.size) +
                 " x max_packet_size=" + std::to_string(options.max_packet_size) + ") failed (" +
                 errno_text(err) + "): lower pool.size or pool.max_packet_size, or free memory"};
  }
  std::unique_ptr<PacketPool> pool(new PacketPool());
  pool->region_ = region;  // owned from here: the destructor unmaps on every error path below
  pool->region_bytes_ = region_bytes;

  if (options.huge_pages && madvise(region, region_bytes, MADV_HUGEPAGE) != 0) {
    const int err = errno;
    return Error{"packet pool: huge_pages=true but madvise(MADV_HUGEPAGE) failed (" + errno_text(err) +
                 "): enable transparent huge pages (echo madvise > "
                 "/sys/kernel/mm/transparent_hugepage/enabled) or set huge_pages=false"};
  }
  // Touch every byte once so no page fault happens on the hot path.
  std::memset(region, 0, region_bytes);
  if (options.lock_memory && mlock(region, region_bytes) != 0) {
    const int err = errno;
    return Error{
        "packet pool: lock_memory=true but mlock of " + std::to_string(region_bytes) + " bytes failed (" +
        errno_text(err) +
        "): raise RLIMIT_MEMLOCK (ulimit -l, LimitMEMLOCK= in the systemd unit), grant CAP_IPC_LOCK, "
        "lower pool.size, or set lock_memory=false"};
  }
  pool->locked_ = options.lock_memory;

  auto* base = static_cast<std::byte*>(region);
  pool->size_ = options.size;
  pool->max_packet_size_ = options.max_packet_size;
  pool->packets_ = reinterpret_cast<Packet*>(base);
  pool->next_ = reinterpret_cast<std::atomic<uint32_t>*>(base + links_offset);
  std::byte* buffers = base + buffers_offset;
  for (std::size_t i = 0; i < size; ++i) {
    Packet* packet = new (base + i * sizeof(Packet)) Packet();
    packet->data_ = buffers + i * stride;
    packet->capacity_ = options.max_packet_size;
    packet->index_ = BufferIndex{static_cast<uint32_t>(i)};
    // Free list 0 -> 1 -> ... -> size-1 -> nil: buffers are handed out in address order at first.
    new (base + links_offset + i * sizeof(std::atomic<uint32_t>))
        std::atomic<uint32_t>(i + 1 < size ? static_cast<uint32_t>(i + 1) : kNil);
  }
  pool->head_.store(0, std::memory_order_release);  // tag 0, top = buffer 0
  pool->counters_.set(PoolCounter::kSize, size);
  pool->counters_.set(PoolCounter::kPreallocatedBytes, region_bytes);
  return Result<std::unique_ptr<PacketPool>>(std::move(pool));
}

uint32_t PacketPool::available() const noexcept {
  // Every get and put bumps the tag once, so gets = tag - puts and available = size - (gets - puts)
  // (mod 2^32). Reading puts_ first keeps a racing snapshot from undercounting puts beyond the tag.
  const auto puts = static_cast<uint32_t>(puts_.load(std::memory_order_acquire));
  const auto tag = static_cast<uint32_t>(head_.load(std::memory_order_acquire) >> 32);
  const uint32_t outstanding = tag - puts - puts;
  return outstanding > size_ ? 0 : size_ - outstanding;
}

PacketPool::~PacketPool() {
  if (region_ != nullptr) {
    munmap(region_, region_bytes_);  // also unlocks
  }
}

void PacketPool::count_miss() noexcept {
  // Several getters may miss at once but a Counter has one writer: the exact count lives in misses_
  // (fetch_add) and whoever holds miss_publisher_ copies it into the counter cell; a getter that finds the
  // flag taken leaves, because the holder re-checks misses_ after releasing it.
  misses_.fetch_add(1);
  while (!miss_publisher_.test_and_set()) {
    const uint64_t published = misses_.load();
    counters_.set(PoolCounter::kMisses, published);
    miss_publisher_.clear();
    if (misses_.load() == published) break;
  }
}

}  // namespace numi
