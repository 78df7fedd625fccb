# ItchBookBuilder: each ITCH book message becomes exactly one book event.
numi_add_test(itch_book_builder_test LABELS unit
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/itch_book_builder_test.cpp
  DEPS numi::book)
