# ITCH 5.0 codec, MoldUDP64 framing, file reader, day generator (unit) and the tshark MoldUDP64 check (golden).
numi_add_test(itch_codec_test LABELS unit
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/itch_messages_test.cpp
          ${CMAKE_CURRENT_LIST_DIR}/itch_mold_test.cpp
          ${CMAKE_CURRENT_LIST_DIR}/itch_file_reader_test.cpp
          ${CMAKE_CURRENT_LIST_DIR}/itch_generator_test.cpp
          ${CMAKE_CURRENT_LIST_DIR}/itch_mold_pcap_test.cpp
  DEPS numi::codec numi::net ZLIB::ZLIB)
numi_add_test(itch_golden_test LABELS golden
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/itch_golden_test.cpp
  DEPS numi::codec numi::net)
