# ops: MetricsRegistry + Prometheus text exposition (exact rendering, promtool lint).
numi_add_test(ops_metrics_test LABELS unit
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/metrics_registry_test.cpp
  DEPS numi::ops)
numi_add_test(ops_metrics_stress_test LABELS stress
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/metrics_registry_stress_test.cpp
  DEPS numi::ops Threads::Threads)
