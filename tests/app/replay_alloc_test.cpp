// Counting allocator: after warm-up (stock directory and the first orders), replaying the rest of a generated
// ITCH day through decoder + adapter + L3 book allocates nothing. NUMI_REPLAY_MESSAGES sets the day's size
// (10^6 in the unit suite, 10^7 in the slow one).
#include <gtest/gtest.h>

#include "numi/app/itch_replay.hpp"
#include "numi/codec/itch/day_generator.hpp"
#include "numi/codec/itch/file_reader.hpp"
#include "numi/testing/alloc_counter.hpp"
#include "replay_fixture.hpp"

namespace numi::app {
namespace {

TEST(ReplayAllocation, SteadyStateReplayAllocatesNothing) {
  codec::itch::ItchDayOptions day;
  day.seed = 3;
  day.symbols = 500;
  day.messages = NUMI_REPLAY_MESSAGES;
  const std::vector<std::byte> bytes = codec::itch::generate_itch_day_bytes(day);
  ItchBook ib = testing::small_itch_book(day.messages);
  auto reader = codec::itch::ItchFileReader::from_memory(bytes);

  ReplayOptions warm;
  warm.limit = 100'000;  // directory, trading actions and the first orders of every symbol
  ItchReplay warm_up(ib.builder.get(), warm);
  ASSERT_EQ(warm_up.run(reader).messages, 100'000u);

  ItchReplay replay(ib.builder.get(), ReplayOptions{});
  numi::testing::AllocationScope scope(numi::testing::AllocationScope::Which::kProcess);
  const ReplayReport r = replay.run(reader);
  EXPECT_EQ(scope.allocations(), 0u);
  EXPECT_EQ(r.messages + 100'000u, day.messages);
  EXPECT_EQ(r.decode_errors, 0u);
  EXPECT_EQ(ib.builder->counters().load(book::ItchBookCounter::kUnknownRefs), 0u);
  EXPECT_EQ(ib.book->check_invariants(), "");
}

}  // namespace
}  // namespace numi::app
