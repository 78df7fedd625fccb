# ITCH replay through the book: golden counts/hash of a generated day, and allocation-free steady state.
numi_add_test(replay_golden_test LABELS golden
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/replay_golden_test.cpp
  DEPS numi::app)
numi_add_test(replay_alloc_test LABELS unit
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/replay_alloc_test.cpp
  DEPS numi::app)
target_compile_definitions(replay_alloc_test PRIVATE NUMI_REPLAY_MESSAGES=1000000)
numi_add_test(replay_alloc_slow_test LABELS slow TIMEOUT 900
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/replay_alloc_test.cpp
  DEPS numi::app)
target_compile_definitions(replay_alloc_slow_test PRIVATE NUMI_REPLAY_MESSAGES=10000000)
