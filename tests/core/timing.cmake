# Timing foundation: clocks, Histogram, idle strategies, AgentInvoker (unit) and AgentRunner threads (stress).
numi_add_test(core_timing_test LABELS unit
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/clock_test.cpp
          ${CMAKE_CURRENT_LIST_DIR}/histogram_test.cpp
          ${CMAKE_CURRENT_LIST_DIR}/idle_strategy_test.cpp
          ${CMAKE_CURRENT_LIST_DIR}/agent_invoker_test.cpp
  DEPS numi::core)
numi_add_test(core_agent_runner_test LABELS stress
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/agent_runner_test.cpp
  DEPS numi::core)
