# numi::core PacketPool / SpscQueue suites: semantics (unit), no page faults after init (unit, own process so
# nothing else faults meanwhile), and multi-threaded ownership/order checks (stress, run under TSan).
numi_add_test(packet_pool_test LABELS unit
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/packet_pool_test.cpp ${CMAKE_CURRENT_LIST_DIR}/spsc_queue_test.cpp
  DEPS numi::core)
numi_add_test(page_fault_test LABELS unit
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/page_fault_test.cpp
  DEPS numi::core)
numi_add_test(pool_stress_test LABELS stress
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/pool_stress_test.cpp
  DEPS numi::core Threads::Threads TIMEOUT 120)
