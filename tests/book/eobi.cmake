# EOBI venue adapter: template mapping and snapshot-cycle synchronisation (unit), generated session with pinned
# counts and book hash (golden).
numi_add_test(eobi_book_test LABELS unit
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/eobi_book_builder_test.cpp ${CMAKE_CURRENT_LIST_DIR}/eobi_sync_test.cpp
  DEPS numi::book numi::codec)
numi_add_test(eobi_session_test LABELS golden
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/eobi_session_generator_test.cpp
  DEPS numi::book numi::codec)
