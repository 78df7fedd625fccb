// Shared by the replay tests: a small book sized for generated days, built like the tools build theirs.
#pragma once

#include <gtest/gtest.h>

#include "numi/app/book_report.hpp"
#include "numi/config/config.hpp"

namespace numi::app::testing {

inline ItchBook small_itch_book(uint64_t order_refs) {
  config::BookConfig cfg = config::defaults().book;
  cfg.max_instruments = 1024;
  cfg.max_orders = 1u << 20;
  cfg.max_levels = 1u << 18;
  cfg.order_id_capacity = order_refs;
  auto made = make_itch_book(cfg);
  EXPECT_TRUE(made.ok()) << (made.ok() ? "" : made.error().message);
  return std::move(made.value());
}

}  // namespace numi::app::testing
