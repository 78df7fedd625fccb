# EOBI T7 14.1 codec: per-template fixtures, failure counters, sequencing (unit); tshark interop (golden).
numi_add_test(eobi_codec_test LABELS unit
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/eobi_codec_test.cpp ${CMAKE_CURRENT_LIST_DIR}/eobi_sequencer_test.cpp
  DEPS numi::codec)
numi_add_test(eobi_tshark_test LABELS golden
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/eobi_tshark_test.cpp
  DEPS numi::codec PkgConfig::PCAP
  TIMEOUT 120)
