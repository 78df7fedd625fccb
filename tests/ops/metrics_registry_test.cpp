#include "numi/ops/metrics_registry.hpp"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <limits>
#include <memory>
#include <random>
#include <string>

#include "numi/core/agent_runner.hpp"
#include "numi/core/counters.hpp"
#include "numi/core/histogram.hpp"

namespace numi::ops {
namespace {

enum class RxCounter : uint8_t { kPackets, kDrops, kQueueDepth, kCount };
constexpr std::array<CounterDesc, 3> kRxTable{{
    {"rx_packets_total", "Packets received", MetricType::kCounter},
    {"rx_drops_total", "Packets dropped because the queue was full", MetricType::kCounter},
    {"rx_queue_depth", "Packets waiting in the queue", MetricType::kGauge},
}};
constexpr std::span<const CounterDesc> counter_table(RxCounter) noexcept { return kRxTable; }

enum class BadCounter : uint8_t { kPackets, kCount };
constexpr std::array<CounterDesc, 1> kBadTable{{{"rx_packets", "Packets (no _total)", MetricType::kCounter}}};
constexpr std::span<const CounterDesc> counter_table(BadCounter) noexcept { return kBadTable; }

TEST(MetricsRegistry, RendersASmallRegistryExactly) {
  CounterBlock<RxCounter> a;
  CounterBlock<RxCounter> b;
  a.add(RxCounter::kPackets, 5);
  a.add(RxCounter::kDrops, 1);
  a.set(RxCounter::kQueueDepth, 7);
  b.add(RxCounter::kPackets, 9);
  auto h = std::make_unique<Histogram>();
  for (uint64_t v : {500ULL, 900ULL, 5'000ULL, 20'600ULL}) h->record(v);
  static constexpr std::array<uint64_t, 2> kLe{1'000, 10'000};

  MetricsRegistry reg("numi_");
  ASSERT_TRUE(reg.add(a.view(), {{"channel", "A"}}).ok());
  ASSERT_TRUE(reg.add(b.view(), {{"channel", "B"}}).ok());
  ASSERT_TRUE(reg.add_gauge("uptime_seconds", "Seconds since start", [] { return 12.5; }).ok());
  ASSERT_TRUE(reg.add_histogram("rx_latency_seconds", "RX timestamp to decode entry", h.get(),
                                {{"channel", "A"}}, {kLe, 1e9})
                  .ok());
  EXPECT_EQ(reg.family_count(), 5u);
  EXPECT_EQ(reg.render(),
            "# HELP numi_rx_packets_total Packets received\n"
            "# TYPE numi_rx_packets_total counter\n"
            "numi_rx_packets_total{channel=\"A\"} 5\n"
            "numi_rx_packets_total{channel=\"B\"} 9\n"
            "# HELP numi_rx_drops_total Packets dropped because the queue was full\n"
            "# TYPE numi_rx_drops_total counter\n"
            "numi_rx_drops_total{channel=\"A\"} 1\n"
            "numi_rx_drops_total{channel=\"B\"} 0\n"
            "# HELP numi_rx_queue_depth Packets waiting in the queue\n"
            "# TYPE numi_rx_queue_depth gauge\n"
            "numi_rx_queue_depth{channel=\"A\"} 7\n"
            "numi_rx_queue_depth{channel=\"B\"} 0\n"
            "# HELP numi_uptime_seconds Seconds since start\n"
            "# TYPE numi_uptime_seconds gauge\n"
            "numi_uptime_seconds 12.5\n"
            "# HELP numi_rx_latency_seconds RX timestamp to decode entry\n"
            "# TYPE numi_rx_latency_seconds histogram\n"
            "numi_rx_latency_seconds_bucket{channel=\"A\",le=\"1e-06\"} 2\n"
            "numi_rx_latency_seconds_bucket{channel=\"A\",le=\"1e-05\"} 3\n"
            "numi_rx_latency_seconds_bucket{channel=\"A\",le=\"+Inf\"} 4\n"
            "numi_rx_latency_seconds_sum{channel=\"A\"} 2.7e-05\n"
            "numi_rx_latency_seconds_count{channel=\"A\"} 4\n");
}

TEST(MetricsRegistry, ReadsLiveValuesAtEachRender) {
  CounterBlock<RxCounter> a;
  MetricsRegistry reg;
  ASSERT_TRUE(reg.add(a.view()).ok());
  EXPECT_NE(reg.render().find("rx_packets_total 0\n"), std::string::npos);
  a.add(RxCounter::kPackets, 41);
  a.add(RxCounter::kPackets);
  EXPECT_NE(reg.render().find("rx_packets_total 42\n"), std::string::npos);
}

TEST(MetricsRegistry, EscapesLabelValuesAndHelp) {
  MetricsRegistry reg;
  ASSERT_TRUE(reg.add_gauge("g", "line one\nback\\slash \"quoted\"", [] { return 1.0; },
                            {{"path", "C:\\dir \"x\"\nnext"}})
                  .ok());
  EXPECT_EQ(reg.render(),
            "# HELP g line one\\nback\\\\slash \"quoted\"\n"
            "# TYPE g gauge\n"
            "g{path=\"C:\\\\dir \\\"x\\\"\\nnext\"} 1\n");
}

TEST(MetricsRegistry, RendersSpecialGaugeValues) {
  MetricsRegistry reg;
  ASSERT_TRUE(reg.add_gauge("a", "h", [] { return std::numeric_limits<double>::quiet_NaN(); }).ok());
  ASSERT_TRUE(reg.add_gauge("b", "h", [] { return std::numeric_limits<double>::infinity(); }).ok());
  ASSERT_TRUE(reg.add_gauge("c", "h", [] { return -std::numeric_limits<double>::infinity(); }).ok());
  ASSERT_TRUE(reg.add_gauge("d", "h", [] { return 1e21; }).ok());
  const std::string out = reg.render();
  EXPECT_NE(out.find("\na NaN\n"), std::string::npos) << out;
  EXPECT_NE(out.find("\nb +Inf\n"), std::string::npos) << out;
  EXPECT_NE(out.find("\nc -Inf\n"), std::string::npos) << out;
  EXPECT_NE(out.find("\nd 1e+21\n"), std::string::npos) << out;
}

TEST(MetricsRegistry, HistogramBucketsAreCumulativeOnTheDefaultLadder) {
  auto h = std::make_unique<Histogram>();
  for (uint64_t v = 1; v <= 10'000'000; v *= 3) h->record(v);
  h->record(100'000'000'000ULL);  // 100 s: only in +Inf
  MetricsRegistry reg;
  ASSERT_TRUE(reg.add_histogram("lat_seconds", "h", h.get()).ok());
  const std::string out = reg.render();
  EXPECT_EQ(default_latency_buckets_ns().size(), 25u);
  EXPECT_NE(out.find("lat_seconds_bucket{le=\"1e-07\"} 5\n"), std::string::npos) << out;  // 1,3,9,27,81
  EXPECT_NE(out.find("lat_seconds_bucket{le=\"10\"} 15\n"), std::string::npos) << out;
  EXPECT_NE(out.find("lat_seconds_bucket{le=\"+Inf\"} 16\n"), std::string::npos) << out;
  EXPECT_NE(out.find("lat_seconds_count 16\n"), std::string::npos) << out;
  uint64_t prev = 0;
  std::size_t lines = 0;
  for (std::size_t pos = out.find("_bucket"); pos != std::string::npos; pos = out.find("_bucket", pos + 1)) {
    const std::size_t sp = out.find(' ', pos);
    const uint64_t v = std::stoull(out.substr(sp + 1));
    EXPECT_GE(v, prev);
    prev = v;
    ++lines;
  }
  EXPECT_EQ(lines, 26u);
}

TEST(MetricsRegistry, RejectsBadNamesLabelsAndConflicts) {
  CounterBlock<RxCounter> a;
  CounterBlock<BadCounter> bad;
  auto h = std::make_unique<Histogram>();
  MetricsRegistry reg;

  auto no_total = reg.add(bad.view());
  ASSERT_FALSE(no_total.ok());
  EXPECT_NE(no_total.error().message.find("must end in \"_total\""), std::string::npos);

  auto gauge_total = reg.add_gauge("queue_total", "h", [] { return 0.0; });
  ASSERT_FALSE(gauge_total.ok());
  EXPECT_NE(gauge_total.error().message.find("must not end in \"_total\""), std::string::npos);

  EXPECT_FALSE(reg.add_gauge("9lives", "h", [] { return 0.0; }).ok());
  EXPECT_FALSE(reg.add_gauge("has-dash", "h", [] { return 0.0; }).ok());
  EXPECT_FALSE(reg.add_gauge("g", "h", [] { return 0.0; }, {{"bad-key", "v"}}).ok());
  EXPECT_FALSE(reg.add_gauge("g", "h", [] { return 0.0; }, {{"__reserved", "v"}}).ok());
  EXPECT_FALSE(reg.add_gauge("g", "h", [] { return 0.0; }, {{"k", "1"}, {"k", "2"}}).ok());
  EXPECT_FALSE(reg.add_gauge("g", "h", {}).ok());
  EXPECT_FALSE(reg.add_histogram("lat", "h", h.get(), {{"le", "x"}}).ok());
  EXPECT_FALSE(reg.add_histogram("lat", "h", nullptr).ok());
  static constexpr std::array<uint64_t, 3> kUnsorted{10, 5, 20};
  EXPECT_FALSE(reg.add_histogram("lat", "h", h.get(), {}, {kUnsorted, 1e9}).ok());
  EXPECT_FALSE(reg.add_histogram("lat", "h", h.get(), {}, {{}, 0.0}).ok());
  EXPECT_EQ(reg.family_count(), 0u);  // nothing half-registered

  ASSERT_TRUE(reg.add(a.view(), {{"channel", "A"}}).ok());
  auto dup = reg.add(a.view(), {{"channel", "A"}});
  ASSERT_FALSE(dup.ok());
  EXPECT_NE(dup.error().message.find("already has the label set {channel=\"A\"}"), std::string::npos)
      << dup.error().message;
  auto type_clash = reg.add_gauge("rx_packets_total_x", "h", [] { return 0.0; });
  EXPECT_TRUE(type_clash.ok());
  auto as_histogram = reg.add_histogram("rx_queue_depth", "Packets waiting in the queue", h.get());
  ASSERT_FALSE(as_histogram.ok());
  EXPECT_NE(as_histogram.error().message.find("already registered as a gauge"), std::string::npos);
  auto help_clash = reg.add_gauge("rx_queue_depth", "other help", [] { return 0.0; }, {{"channel", "C"}});
  ASSERT_FALSE(help_clash.ok());
  EXPECT_NE(help_clash.error().message.find("share one help text"), std::string::npos);
  // Same label set in another order is the same series.
  ASSERT_TRUE(reg.add_gauge("g2", "h", [] { return 0.0; }, {{"a", "1"}, {"b", "2"}}).ok());
  EXPECT_FALSE(reg.add_gauge("g2", "h", [] { return 0.0; }, {{"b", "2"}, {"a", "1"}}).ok());
}

// ---- promtool lint
// -------------------------------------------------------------------------------------------

struct CommandResult {
  int exit_code = -1;
  std::string output;
};

// Runs `promtool check metrics` with `exposition` on stdin; captures stdout+stderr.
CommandResult promtool_check(const std::string& exposition) {
  char path[] = "/tmp/numi_metrics_XXXXXX";
  const int fd = mkstemp(path);
  if (fd < 0) return {};
  close(fd);
  {
    std::ofstream f(path, std::ios::binary);
    f << exposition;
  }
  const std::string cmd = std::string("/usr/bin/promtool check metrics < ") + path + " 2>&1";
  CommandResult r;
  FILE* p = popen(cmd.c_str(), "r");
  if (p != nullptr) {
    std::array<char, 4096> buf{};
    std::size_t n = 0;
    while ((n = fread(buf.data(), 1, buf.size(), p)) > 0) r.output.append(buf.data(), n);
    const int status = pclose(p);
    r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }
  std::remove(path);
  return r;
}

bool have_promtool() { return access("/usr/bin/promtool", X_OK) == 0; }

TEST(MetricsRegistryPromtool, RealisticExpositionPassesPromtoolCheckMetrics) {
  if (!have_promtool()) GTEST_SKIP() << "promtool not found: install the Debian package `prometheus`";
  CounterBlock<RxCounter> a;
  CounterBlock<RxCounter> b;
  a.add(RxCounter::kPackets, 123'456);
  a.add(RxCounter::kDrops, 3);
  a.set(RxCounter::kQueueDepth, 12);
  b.add(RxCounter::kPackets, 123'401);
  AgentInvoker invoker(std::vector<Agent*>{});
  ASSERT_TRUE(invoker.start().ok());
  (void)invoker.invoke(1);
  auto lat_a = std::make_unique<Histogram>();
  auto lat_b = std::make_unique<Histogram>();
  auto empty = std::make_unique<Histogram>();
  std::mt19937_64 rng(11);
  std::lognormal_distribution<double> dist(std::log(6'000.0), 0.8);
  for (int i = 0; i < 20'000; ++i) {
    lat_a->record(static_cast<uint64_t>(dist(rng)));
    lat_b->record(static_cast<uint64_t>(dist(rng) * 1.3));
  }
  lat_a->record(20'000'000'000ULL);  // one 20 s outlier lands in +Inf only

  MetricsRegistry reg("numi_");
  ASSERT_TRUE(reg.add(a.view(), {{"channel", "A"}, {"feed", "eobi"}}).ok());
  ASSERT_TRUE(reg.add(b.view(), {{"channel", "B"}, {"feed", "eobi"}}).ok());
  ASSERT_TRUE(reg.add(invoker.counters(), {{"runner", "engine"}}).ok());
  ASSERT_TRUE(reg.add_gauge("build_info", "Build information (value is always 1)", [] { return 1.0; },
                            {{"version", "0.1.0"}, {"compiler", "g++ \"12\" \\ release"}})
                  .ok());
  ASSERT_TRUE(
      reg.add_gauge("process_start_time_seconds", "Start time since the Unix epoch", [] { return 1.7e9; })
          .ok());
  ASSERT_TRUE(reg.add_gauge("book_spread_ratio", "Not yet known", [] { return std::nan(""); }).ok());
  ASSERT_TRUE(reg.add_histogram("rx_latency_seconds",
                                "RX timestamp (mapped to CLOCK_MONOTONIC) to decode entry", lat_a.get(),
                                {{"channel", "A"}, {"source", "software"}})
                  .ok());
  ASSERT_TRUE(reg.add_histogram("rx_latency_seconds",
                                "RX timestamp (mapped to CLOCK_MONOTONIC) to decode entry", lat_b.get(),
                                {{"channel", "B"}, {"source", "software"}})
                  .ok());
  ASSERT_TRUE(reg.add_histogram("decode_duration_seconds", "Decode time per packet", empty.get()).ok());
  const std::string text = reg.render();
  const CommandResult r = promtool_check(text);
  EXPECT_EQ(r.exit_code, 0) << r.output << "\n--- exposition ---\n" << text;
  EXPECT_EQ(r.output, "") << "\n--- exposition ---\n" << text;
}

TEST(MetricsRegistryPromtool, HarnessSeesPromtoolComplaints) {
  if (!have_promtool()) GTEST_SKIP() << "promtool not found: install the Debian package `prometheus`";
  const CommandResult r =
      promtool_check("# HELP x_nanoseconds h\n# TYPE x_nanoseconds gauge\nx_nanoseconds 1\n");
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.output.find("seconds"), std::string::npos) << r.output;
}

}  // namespace
}  // namespace numi::ops
