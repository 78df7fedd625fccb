// Exporter renders while the hot thread writes (label: stress, run under TSan): racy-by-design relaxed reads.
#include <gtest/gtest.h>

#include <array>
#include <atomic>
#include <memory>
#include <string>
#include <thread>

#include "numi/core/counters.hpp"
#include "numi/core/histogram.hpp"
#include "numi/ops/metrics_registry.hpp"

namespace numi::ops {
namespace {

enum class HotCounter : uint8_t { kPackets, kCount };
constexpr std::array<CounterDesc, 1> kHotTable{{{"hot_packets_total", "Packets", MetricType::kCounter}}};
constexpr std::span<const CounterDesc> counter_table(HotCounter) noexcept { return kHotTable; }

TEST(MetricsRegistryStress, RendersWhileAWriterThreadRecords) {
  CounterBlock<HotCounter> counters;
  auto hist = std::make_unique<Histogram>();
  MetricsRegistry reg("numi_");
  ASSERT_TRUE(reg.add(counters.view(), {{"channel", "A"}}).ok());
  ASSERT_TRUE(reg.add_histogram("hot_latency_seconds", "Latency", hist.get()).ok());

  std::atomic<bool> stop{false};
  constexpr uint64_t kRecords = 200'000;
  std::thread writer([&] {
    for (uint64_t i = 0; i < kRecords; ++i) {
      counters.add(HotCounter::kPackets);
      hist->record(1'000 + (i * 7919) % 1'000'000);
    }
    stop.store(true, std::memory_order_release);
  });
  int renders = 0;
  while (!stop.load(std::memory_order_acquire) || renders < 3) {
    const std::string out = reg.render();
    ASSERT_NE(out.find("numi_hot_latency_seconds_count "), std::string::npos);
    ++renders;
  }
  writer.join();
  const std::string last = reg.render();
  EXPECT_NE(last.find("numi_hot_packets_total{channel=\"A\"} 200000\n"), std::string::npos) << last;
  EXPECT_NE(last.find("numi_hot_latency_seconds_count 200000\n"), std::string::npos) << last;
  EXPECT_GE(renders, 3);
}

}  // namespace
}  // namespace numi::ops
