// mem_probe: measures what bounds a book's per-message cost on this host. (1) Dependent pointer chase over
// lines packed into N bytes (cache levels), (2) the same over one line per 4 KiB page (address-translation
// reach), (3) independent random loads (memory-level parallelism), (4) a load followed by dependent work,
// with and without a software prefetch a few iterations ahead. Memory comes from PageMemory (huge-page
// advised and page-touched, like the book's tables). Prints one key=value line (stdout) and a summary
// (stderr).
#include <CLI/CLI.hpp>
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include "numi/book/page_memory.hpp"
#include "numi/core/build_info.hpp"
#include "numi/core/clock.hpp"
#include "numi/core/kv_line.hpp"
#include "support/pointer_chase.hpp"

namespace {

using numi::book::PageMemory;

// Average ns per independent random 8-byte load over `bytes`.
double random_loads(std::size_t bytes, uint64_t loads) {
  PageMemory mem(bytes);
  const auto* a = mem.as<const uint64_t>();
  const std::size_t n = bytes / 8;
  std::vector<uint32_t> idx(loads);
  numi::bench::XorShift64 rng;
  for (auto& i : idx) i = static_cast<uint32_t>(rng.next() % n);
  uint64_t sum = 0;
  const uint64_t t0 = numi::now_ns();
  for (const uint32_t i : idx) sum += a[i];
  const uint64_t t1 = numi::now_ns();
  asm volatile("" : : "r"(sum) : "memory");
  return static_cast<double>(t1 - t0) / static_cast<double>(loads);
}

// Average ns per iteration of: load a random word of `bytes`, then 40 dependent multiplies on it; with
// `ahead` > 0 the load `ahead` iterations later is prefetched first.
double load_then_work(std::size_t bytes, uint64_t iters, uint32_t ahead) {
  PageMemory mem(bytes);
  const auto* a = mem.as<const uint64_t>();
  const std::size_t n = bytes / 8;
  std::vector<uint32_t> idx(iters + ahead);
  numi::bench::XorShift64 rng;
  for (auto& i : idx) i = static_cast<uint32_t>(rng.next() % n);
  uint64_t acc = 1;
  const uint64_t t0 = numi::now_ns();
  for (uint64_t i = 0; i < iters; ++i) {
    if (ahead != 0) __builtin_prefetch(&a[idx[i + ahead]]);
    uint64_t v = a[idx[i]] ^ acc;
    for (int k = 0; k < 40; ++k) v = v * 6364136223846793005ULL + 1442695040888963407ULL;
    acc = v;
  }
  const uint64_t t1 = numi::now_ns();
  asm volatile("" : : "r"(acc) : "memory");
  return static_cast<double>(t1 - t0) / static_cast<double>(iters);
}

std::string fmt(const char* f, double v, std::size_t n) {
  char buf[64];
  std::snprintf(buf, sizeof buf, f, n, v);
  return buf;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"mem_probe: memory latency, translation reach, parallelism and prefetch on this host"};
  bool quick = false;
  app.add_flag("--quick", quick, "small sizes and few steps (a smoke run, not a measurement)");
  CLI11_PARSE(app, argc, argv);

  const std::size_t mb = std::size_t{1} << 20;
  const uint64_t steps = quick ? 200'000 : 4'000'000;
  const std::vector<std::size_t> packed_mb =
      quick ? std::vector<std::size_t>{1, 4} : std::vector<std::size_t>{1, 4, 8, 16};
  const std::vector<std::size_t> pages =
      quick ? std::vector<std::size_t>{256, 4096} : std::vector<std::size_t>{256, 4096, 8192, 65536};
  const std::size_t random_mb = quick ? 16 : 64;

  numi::KvLine line;
  line.add("bench", "mem_probe");
  bool ok = true;
  std::string summary = "mem_probe: chase (packed)";
  for (const std::size_t m : packed_mb) {
    const double ns = numi::bench::PointerChase(m * mb / 64, 64).ns_per_load(steps);
    ok &= ns > 0;
    line.add("chase_packed_" + std::to_string(m) + "mb_ns", ns, 1);
    summary += fmt(" %zu MB %.1f ns;", ns, m);
  }
  summary += " chase (one line per 4 KiB page)";
  for (const std::size_t p : pages) {
    // +64: the lines fall in different cache sets
    const double ns = numi::bench::PointerChase(p, 4096 + 64).ns_per_load(steps);
    ok &= ns > 0;
    line.add("chase_pages_" + std::to_string(p) + "_ns", ns, 1);
    summary += fmt(" %zu pages %.1f ns;", ns, p);
  }
  const double indep = random_loads(random_mb * mb, steps * 2);
  const double work_plain = load_then_work(random_mb * mb, steps / 2, 0);
  const double work_ahead = load_then_work(random_mb * mb, steps / 2, 8);
  ok &= indep > 0 && work_plain > 0 && work_ahead > 0;
  line.add("random_loads_mb", static_cast<uint64_t>(random_mb))
      .add("random_load_ns", indep, 2)
      .add("load_work_ns", work_plain, 1)
      .add("load_work_prefetch8_ns", work_ahead, 1)
      .add("prefetch_speedup", work_plain / work_ahead, 2)
      .add("quick", quick)
      .add("status", ok ? "ok" : "fail");
  numi::add_build_and_machine(line);
  line.print();
  std::fprintf(
      stderr,
      "%s independent random loads over %zu MB %.2f ns; load + work %.1f ns, with prefetch 8 ahead %.1f ns\n",
      summary.c_str(), random_mb, indep, work_plain, work_ahead);
  return ok ? 0 : 1;
}
