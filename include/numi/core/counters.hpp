// Counters: single-writer metric cells read by a cold exporter.
// Main types: Counter (one relaxed atomic cell), CounterDesc (name/help/type), CounterBlock<Id> (a module's
// counters, indexed by its own enum, described by one table that the module provides via counter_table(Id)).
// Thread-safety: each CounterBlock has exactly one writer thread; any thread may read (relaxed loads).
#pragma once

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

namespace numi {

enum class MetricType : uint8_t { kCounter, kGauge };

// One row of a module's counter table. `name` is the Prometheus name (snake_case, `_total` for counters).
struct CounterDesc {
  std::string_view name;
  std::string_view help;
  MetricType type;
};

// A single-writer cell: increments are a relaxed load + store (no locked instruction on the hot path).
class Counter {
 public:
  void add(uint64_t n = 1) noexcept {
    value_.store(value_.load(std::memory_order_relaxed) + n, std::memory_order_relaxed);
  }
  void set(uint64_t v) noexcept { value_.store(v, std::memory_order_relaxed); }
  [[nodiscard]] uint64_t load() const noexcept { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<uint64_t> value_{0};
};

// A read-only view for exporters: descriptions and values side by side (same length).
struct CounterView {
  std::span<const CounterDesc> descs;
  std::span<const Counter> values;
};

// A module's counters. `Id` is an enum class ending in `kCount`; the module defines, next to the enum,
//   constexpr std::span<const CounterDesc> counter_table(Id) noexcept;   // found by ADL
// returning exactly kCount rows in enum order.
template <typename Id>
class CounterBlock {
 public:
  static constexpr std::size_t kSize = static_cast<std::size_t>(Id::kCount);

  CounterBlock() = default;
  CounterBlock(const CounterBlock&) = delete;
  CounterBlock& operator=(const CounterBlock&) = delete;

  void add(Id id, uint64_t n = 1) noexcept { values_[index(id)].add(n); }
  void set(Id id, uint64_t v) noexcept { values_[index(id)].set(v); }
  [[nodiscard]] uint64_t load(Id id) const noexcept { return values_[index(id)].load(); }
  [[nodiscard]] CounterView view() const noexcept { return {counter_table(Id{}), values_}; }

 private:
  static constexpr std::size_t index(Id id) noexcept { return static_cast<std::size_t>(id); }
  alignas(64) std::array<Counter, kSize> values_{};
};

}  // namespace numi
