# numi::book tests: unit suite, the 10^5-event differential test (unit) and its 10^6-event variant (slow).
numi_add_test(book_test LABELS unit
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/order_book_test.cpp ${CMAKE_CURRENT_LIST_DIR}/state_hash_test.cpp
          ${CMAKE_CURRENT_LIST_DIR}/alloc_test.cpp ${CMAKE_CURRENT_LIST_DIR}/refdata_test.cpp
          ${CMAKE_CURRENT_LIST_DIR}/open_hash_map_test.cpp
          ${CMAKE_CURRENT_LIST_DIR}/block_allocator_test.cpp
  DEPS numi::book)
numi_add_test(book_differential_test LABELS unit
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/differential_test.cpp
  DEPS numi::book PkgConfig::XXHASH)
target_compile_definitions(book_differential_test PRIVATE NUMI_DIFF_EVENTS=100000)
numi_add_test(book_differential_slow_test LABELS slow TIMEOUT 900
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/differential_test.cpp
  DEPS numi::book PkgConfig::XXHASH)
target_compile_definitions(book_differential_slow_test PRIVATE NUMI_DIFF_EVENTS=1000000)
