#!/usr/bin/env bash
# numi's whole test suite: install what is missing, then build and test four ways:
#   release (every label), asan (ASan+UBSan, every label but `slow`), tsan (label `stress`), fuzz (clang + libFuzzer,
#   each target for a bounded time); and the profile-guided build (scripts/pgo_build.sh --smoke: instrumented
#   build, training run, optimised build of eobi_replay, which must pass its own checks). Stops at the first
#   failing stage.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh --test

stage() {  # stage <name> <command...>
  local name=$1; shift
  local t0=$SECONDS
  echo "=== [$name] $*"
  "$@"
  echo "=== [$name] ok in $((SECONDS - t0)) s"
}
jobs=$(nproc)

stage release-configure cmake --preset release
stage release-build cmake --build --preset release -j "$jobs"
stage release-test ctest --preset release -j "$jobs"

stage pgo-smoke scripts/pgo_build.sh --smoke

stage asan-configure cmake --preset asan
stage asan-build cmake --build --preset asan -j "$jobs"
stage asan-test ctest --preset asan -j "$jobs" -LE slow

stage tsan-configure cmake --preset tsan
stage tsan-build cmake --build --preset tsan -j "$jobs" --target numi_stress_tests
stage tsan-test ctest --preset tsan

stage fuzz-configure cmake --preset fuzz
stage fuzz-build cmake --build --preset fuzz -j "$jobs"
stage fuzz-test ctest --preset fuzz -j "$jobs"
echo "numi: all test stages passed"
