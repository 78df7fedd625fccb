# numi::config: TOML loader, strict validation messages, canonical describe(), shipped config and docs in sync.
numi_add_test(config_loader_test LABELS unit
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/config_loader_test.cpp
  DEPS numi::config)
