// Golden: a generated ITCH day with a fixed seed replays to exactly known per-type counts, book event counts,
// live orders and canonical state hash. A change to the generator, decoder, adapter or book that alters the
// logical outcome fails here; update the numbers only after explaining the change.
#include <gtest/gtest.h>

#include "numi/app/itch_replay.hpp"
#include "numi/codec/itch/day_generator.hpp"
#include "numi/codec/itch/file_reader.hpp"
#include "replay_fixture.hpp"

namespace numi::app {
namespace {

TEST(ReplayGolden, GeneratedDayGivesKnownCountsLiveOrdersAndHash) {
  codec::itch::ItchDayOptions day;
  day.seed = 20261127;
  day.symbols = 64;
  day.messages = 300'000;
  const std::vector<std::byte> bytes = codec::itch::generate_itch_day_bytes(day);
  ItchBook ib = testing::small_itch_book(1u << 20);
  auto reader = codec::itch::ItchFileReader::from_memory(bytes);
  const ReplayReport r = replay_itch(reader, ib.builder.get(), ReplayOptions{});

  // The replay saw exactly what the generator says it wrote.
  codec::itch::ItchDayGenerator gen(day);
  std::span<const std::byte> m;
  while (gen.next(m)) {
  }
  for (const codec::itch::MessageInfo& info : codec::itch::kMessageTable) {
    EXPECT_EQ(r.by_type[static_cast<uint8_t>(info.type)],
              gen.count_by_type()[static_cast<uint8_t>(info.type)])
        << "type " << info.type;
  }
  EXPECT_EQ(r.messages, 300'000u);
  EXPECT_EQ(r.decode_errors, 0u);
  EXPECT_EQ(ib.book->live_orders(), gen.live_orders());
  EXPECT_EQ(ib.book->check_invariants(), "");

  // Known content (recorded from this seed; see the comment at the top before changing).
  EXPECT_EQ(r.by_type['A'], 120321u);
  EXPECT_EQ(r.by_type['D'], 119290u);
  EXPECT_EQ(r.by_type['U'], 15135u);
  EXPECT_EQ(ib.book->live_orders(), 8618u);
  EXPECT_EQ(ib.book->state_hash(), 0xd6aed0482f5ccdddULL);
  EXPECT_EQ(ib.builder->counters().load(book::ItchBookCounter::kUnknownRefs), 0u);
  EXPECT_EQ(ib.builder->counters().load(book::ItchBookCounter::kRejectedEvents), 0u);
}

}  // namespace
}  // namespace numi::app
