# Target helpers: one place for warnings, sanitizers and the module/test/app shapes of CONVENTIONS.md.

# Warnings (and -Werror under CI) for one of our own targets.
function(numi_target_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wconversion -Wshadow
                                           -Wno-missing-field-initializers
                                           # g++ 12 reports false -Wrestrict on std::string concatenation at
                                           # -O3 (GCC PR 105329); clang still checks it.
                                           $<$<CXX_COMPILER_ID:GNU>:-Wno-restrict>)
  if(NUMI_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()

# Sanitizers apply to everything we build (libraries, tests, apps) so the runtime sees one world.
if(NUMI_SANITIZE)
  add_compile_options(-fsanitize=${NUMI_SANITIZE} -fno-omit-frame-pointer -fno-sanitize-recover=all)
  add_link_options(-fsanitize=${NUMI_SANITIZE})
endif()

# Profile-guided optimisation (g++ only; scripts/pgo_build.sh runs both stages in one build directory, since
# the profile files are named after the object files' paths). `use` keeps code the training never ran
# optimised as usual (-fprofile-partial-training) and accepts objects without a profile (tests, tools).
if(NUMI_PGO STREQUAL "generate" OR NUMI_PGO STREQUAL "use")
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
    message(FATAL_ERROR "NUMI_PGO=${NUMI_PGO} needs g++ (the compiler is ${CMAKE_CXX_COMPILER_ID}); "
                        "fix: configure with CMAKE_CXX_COMPILER=g++ or set NUMI_PGO to ''")
  endif()
  if(NUMI_PGO STREQUAL "generate")
    add_compile_options(-fprofile-generate=${NUMI_PGO_DIR} -fprofile-update=prefer-atomic)
    add_link_options(-fprofile-generate=${NUMI_PGO_DIR})
  else()
    if(NOT IS_DIRECTORY "${NUMI_PGO_DIR}")
      message(FATAL_ERROR "NUMI_PGO=use but NUMI_PGO_DIR=${NUMI_PGO_DIR} holds no profile; fix: build with "
                          "NUMI_PGO=generate and run the training first (scripts/pgo_build.sh does both)")
    endif()
    add_compile_options(-fprofile-use=${NUMI_PGO_DIR} -fprofile-partial-training -Wno-missing-profile)
  endif()
elseif(NOT NUMI_PGO STREQUAL "")
  message(FATAL_ERROR "NUMI_PGO='${NUMI_PGO}' is not a PGO stage; fix: set NUMI_PGO to '', 'generate' or 'use'")
endif()

# numi_add_module(<module> SOURCES ... [DEPS ...] [PRIVATE_DEPS ...])
# Creates numi_<module> with alias numi::<module>; public headers live in include/numi/<module>/.
function(numi_add_module module)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS;PRIVATE_DEPS" ${ARGN})
  if(NOT ARG_SOURCES)  # a header-only module (or one whose sources have not landed yet)
    add_library(numi_${module} INTERFACE)
    target_include_directories(numi_${module} INTERFACE ${PROJECT_SOURCE_DIR}/include)
    target_link_libraries(numi_${module} INTERFACE ${ARG_DEPS} ${ARG_PRIVATE_DEPS})
    add_library(numi::${module} ALIAS numi_${module})
    return()
  endif()
  add_library(numi_${module} ${ARG_SOURCES})
  add_library(numi::${module} ALIAS numi_${module})
  target_include_directories(numi_${module} PUBLIC ${PROJECT_SOURCE_DIR}/include)
  target_compile_features(numi_${module} PUBLIC cxx_std_20)
  target_link_libraries(numi_${module} PUBLIC ${ARG_DEPS} PRIVATE ${ARG_PRIVATE_DEPS})
  numi_target_warnings(numi_${module})
endfunction()

# numi_add_test(<name> LABELS unit|stress|golden|net|slow SOURCES ... [DEPS ...] [TIMEOUT s])
# One GoogleTest executable per (module, layer); every discovered test carries the labels.
function(numi_add_test name)
  cmake_parse_arguments(ARG "" "TIMEOUT" "LABELS;SOURCES;DEPS" ${ARGN})
  if(NOT ARG_TIMEOUT)
    set(ARG_TIMEOUT 300)
  endif()
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE ${ARG_DEPS} numi::testing GTest::gtest GTest::gmock GTest::gtest_main)
  numi_target_warnings(${name})
  gtest_discover_tests(${name}
    PROPERTIES LABELS "${ARG_LABELS}" TIMEOUT ${ARG_TIMEOUT}
    DISCOVERY_TIMEOUT 60)
  if("stress" IN_LIST ARG_LABELS)
    set_property(GLOBAL APPEND PROPERTY NUMI_STRESS_TESTS ${name})
  endif()
endfunction()

# numi_stress_tests: builds only the executables that carry the `stress` label (the tsan preset's job).
function(numi_add_stress_target)
  get_property(targets GLOBAL PROPERTY NUMI_STRESS_TESTS)
  add_custom_target(numi_stress_tests)
  if(targets)
    add_dependencies(numi_stress_tests ${targets})
  endif()
endfunction()

# numi_add_app(<name> SOURCES ... [DEPS ...]) — an executable in out/<preset>/bin.
function(numi_add_app name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE ${ARG_DEPS})
  numi_target_warnings(${name})
endfunction()

function(numi_add_optional_subdirectory dir)
  if(EXISTS ${CMAKE_CURRENT_SOURCE_DIR}/${dir}/CMakeLists.txt)
    add_subdirectory(${dir})
  endif()
endfunction()

# Adds every direct child folder of <dir> that has a CMakeLists.txt (apps/, bench/, fuzz/, tests/):
# each program owns its folder, so adding one never edits a shared list.
function(numi_add_each_subdirectory dir)
  file(GLOB children LIST_DIRECTORIES true RELATIVE ${CMAKE_CURRENT_SOURCE_DIR}/${dir}
       ${CMAKE_CURRENT_SOURCE_DIR}/${dir}/*)
  list(SORT children)
  foreach(child ${children})
    if(EXISTS ${CMAKE_CURRENT_SOURCE_DIR}/${dir}/${child}/CMakeLists.txt)
      add_subdirectory(${dir}/${child})
    endif()
  endforeach()
endfunction()

# numi_add_fuzzer(<name> SOURCES ... DEPS ... [DICT file] [SECONDS n])
# A libFuzzer executable fuzz_<name> (fuzz preset: clang, -fsanitize=fuzzer) and a bounded ctest run labelled
# `fuzz`. New inputs go to a scratch dir in the build tree; the seed corpus in the source tree stays read-only.
# Targets include fuzz/ (shared checks: "support/....hpp").
function(numi_add_fuzzer name)
  cmake_parse_arguments(ARG "" "DICT;SECONDS" "SOURCES;DEPS" ${ARGN})
  if(NOT ARG_SECONDS)
    set(ARG_SECONDS 20)
  endif()
  set(exe fuzz_${name})
  add_executable(${exe} ${ARG_SOURCES})
  target_link_libraries(${exe} PRIVATE ${ARG_DEPS})
  target_include_directories(${exe} PRIVATE ${PROJECT_SOURCE_DIR}/fuzz)
  target_link_options(${exe} PRIVATE -fsanitize=fuzzer)
  numi_target_warnings(${exe})
  set(work ${CMAKE_CURRENT_BINARY_DIR}/corpus_work)
  file(MAKE_DIRECTORY ${work})
  set(dict_arg "")
  if(ARG_DICT)
    set(dict_arg -dict=${CMAKE_CURRENT_SOURCE_DIR}/${ARG_DICT})
  endif()
  add_test(NAME ${exe}
           COMMAND ${exe} -max_total_time=${ARG_SECONDS} -rss_limit_mb=2048 ${dict_arg}
                   -artifact_prefix=${CMAKE_CURRENT_BINARY_DIR}/ ${work} ${CMAKE_CURRENT_SOURCE_DIR}/corpus)
  set_tests_properties(${exe} PROPERTIES LABELS fuzz TIMEOUT 300)
endfunction()

# numi_add_tool_test(<name> COMMAND <shell command> [LABELS ...] [FIXTURES_SETUP f] [FIXTURES_REQUIRED f])
# Runs one of our executables the way a gate does (a /bin/sh command line; $<TARGET_FILE:...> allowed) and
# passes on exit 0: the tools check their own output and exit non-zero when their gate fails.
function(numi_add_tool_test name)
  if(NOT NUMI_BUILD_TESTS)
    return()
  endif()
  cmake_parse_arguments(ARG "" "COMMAND;FIXTURES_SETUP;FIXTURES_REQUIRED" "LABELS" ${ARGN})
  if(NOT ARG_LABELS)
    set(ARG_LABELS unit)
  endif()
  add_test(NAME tool.${name} COMMAND sh -c "${ARG_COMMAND}")
  set_tests_properties(tool.${name} PROPERTIES LABELS "${ARG_LABELS}" TIMEOUT 600)
  if(ARG_FIXTURES_SETUP)
    set_tests_properties(tool.${name} PROPERTIES FIXTURES_SETUP ${ARG_FIXTURES_SETUP})
  endif()
  if(ARG_FIXTURES_REQUIRED)
    set_tests_properties(tool.${name} PROPERTIES FIXTURES_REQUIRED ${ARG_FIXTURES_REQUIRED})
  endif()
endfunction()
