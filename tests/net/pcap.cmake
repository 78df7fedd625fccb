# pcap/pcapng reading (link types, skips) and writing (checksums, ns/us timestamps): round trips through files.
numi_add_test(pcap_test LABELS unit
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/pcap_test.cpp
  DEPS numi::net PkgConfig::PCAP)
