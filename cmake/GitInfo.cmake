# Run at build time (cmake -P): writes OUT (a header with the git SHA and dirty flag) only when it changed,
# so every build records the commit it was built from without forcing rebuilds.
execute_process(COMMAND git -C ${SRC} rev-parse HEAD OUTPUT_VARIABLE sha OUTPUT_STRIP_TRAILING_WHITESPACE
                RESULT_VARIABLE rc ERROR_QUIET)
if(NOT rc EQUAL 0)
  set(sha "unknown")
endif()
execute_process(COMMAND git -C ${SRC} status --porcelain --untracked-files=no OUTPUT_VARIABLE status
                RESULT_VARIABLE rc2 ERROR_QUIET)
if(rc2 EQUAL 0 AND status STREQUAL "")
  set(dirty false)
else()
  set(dirty true)
endif()
set(content "#pragma once\ninline constexpr const char* kNumiGitSha = \"${sha}\";\ninline constexpr bool kNumiGitDirty = ${dirty};\ninline constexpr const char* kNumiBuildType = \"${BUILD_TYPE}\";\n")
if(EXISTS ${OUT})
  file(READ ${OUT} old)
else()
  set(old "")
endif()
if(NOT old STREQUAL content)
  file(WRITE ${OUT} "${content}")
endif()
