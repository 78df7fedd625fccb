// TickTable: the price grid of one instrument — a tick size in venue price units, an optional ladder of up to
// kMaxBands price bands (e.g. ITCH sub-penny rule: tick 1 below 10000 = $1, tick 100 at and above), and the
// accepted price range. check() is the hot-path validation used by every add/modify/replace.
// Main types: TickTable, TickBand. Thread-safety: plain value.
#pragma once

#include <array>
#include <cstdint>

#include "numi/book/types.hpp"

namespace numi::book {

// From `from_price` upwards (inclusive) the tick is `tick`, until the next band's from_price.
struct TickBand {
  Price from_price = 0;
  Price tick = 1;
};

class TickTable {
 public:
  static constexpr uint32_t kMaxBands = 4;

  constexpr TickTable() noexcept = default;
  constexpr explicit TickTable(Price tick, Price min_price = 1, Price max_price = kPriceLimit) noexcept
      : tick_(tick), min_price_(min_price), max_price_(max_price) {}

  // Adds a band (bands must be added in increasing from_price). Returns false when the ladder is full, the
  // band is out of order, or tick <= 0 (cold path).
  constexpr bool add_band(Price from_price, Price tick) noexcept {
    if (band_count_ >= kMaxBands || tick <= 0) return false;
    if (band_count_ > 0 && from_price <= bands_[band_count_ - 1].from_price) return false;
    bands_[band_count_++] = TickBand{from_price, tick};
    return true;
  }

  // Tick size in force at `price`.
  [[nodiscard]] constexpr Price tick_at(Price price) const noexcept {
    Price t = tick_;
    for (uint32_t i = 0; i < band_count_; ++i) {
      if (price >= bands_[i].from_price) t = bands_[i].tick;
    }
    return t;
  }

  // kOk, kBadPrice (outside [min_price, max_price]) or kOffTickPrice.
  [[nodiscard]] constexpr ApplyStatus check(Price price) const noexcept {
    if (price < min_price_ || price > max_price_) return ApplyStatus::kBadPrice;
    const Price t = band_count_ == 0 ? tick_ : tick_at(price);
    if (t > 1 && price % t != 0) return ApplyStatus::kOffTickPrice;
    return ApplyStatus::kOk;
  }

  [[nodiscard]] constexpr Price tick() const noexcept { return tick_; }
  [[nodiscard]] constexpr Price min_price() const noexcept { return min_price_; }
  [[nodiscard]] constexpr Price max_price() const noexcept { return max_price_; }
  [[nodiscard]] constexpr uint32_t band_count() const noexcept { return band_count_; }
  [[nodiscard]] constexpr const TickBand& band(uint32_t i) const noexcept { return bands_[i]; }
  // A tick table is usable when tick > 0 and min_price <= max_price within +-kPriceLimit.
  [[nodiscard]] constexpr bool valid() const noexcept {
    return tick_ > 0 && min_price_ <= max_price_ && min_price_ >= -kPriceLimit && max_price_ <= kPriceLimit;
  }

 private:
  Price tick_ = 1;
  Price min_price_ = 1;
  Price max_price_ = kPriceLimit;
  std::array<TickBand, kMaxBands> bands_{};
  uint32_t band_count_ = 0;
};

}  // namespace numi::book
