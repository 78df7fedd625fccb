#!/usr/bin/env bash
# Profile-guided release build of numi's tools in out/pgo (g++): builds them instrumented (preset pgo-train),
# trains them on generated sessions whose seeds differ from the benchmarks' inputs (EOBI seed 7, the
# benchmark's is 1; ITCH seed 11, the benchmark days' is 7), then rebuilds them in the same directory with
# the profile (preset pgo). docs/benchmarks.md reports the PGO figures beside the plain release ones.
# Usage: scripts/pgo_build.sh [--smoke]
#   --smoke: only eobi_replay, a short training run and one check run of the result (the test suite's stage)
set -euo pipefail
cd "$(dirname "$0")/.."
smoke=0
if [[ ${1:-} == --smoke ]]; then
  smoke=1
elif [[ $# -gt 0 ]]; then
  echo "usage: $0 [--smoke]" >&2
  exit 2
fi
jobs=$(nproc)
bin=out/pgo/bin
profile=out/pgo/pgo-profile  # NUMI_PGO_DIR of the presets (${CMAKE_BINARY_DIR}/pgo-profile)
targets=(--target eobi_replay)
if ((smoke == 0)); then
  targets+=(book_replay itch_gen bench_orderbook numi-orderbook)
fi

# A stale profile from an older build of the same objects would not match: start from none.
rm -rf "$profile"
cmake --preset pgo-train >/dev/null
cmake --build --preset pgo-train -j "$jobs" "${targets[@]}"

train() {  # train COMMAND...: runs one training command quietly; its output is shown only if it fails
  local log
  if ! log=$("$@" 2>&1); then
    printf 'pgo: training run failed: %s\n%s\n' "$*" "$log" >&2
    exit 1
  fi
}
echo "pgo: training"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
if ((smoke == 1)); then
  train "$bin/eobi_replay" --seed 7 --messages 200000 --runs 1
else
  train "$bin/eobi_replay" --seed 7 --messages 3000000 --runs 1
  train "$bin/itch_gen" --out "$work/train.itch" --messages 3000000 --symbols 500 --seed 11
  train "$bin/book_replay" --itch "$work/train.itch" --quiet
  train "$bin/bench_orderbook" --reps 5
fi
if [[ -z $(find "$profile" -name '*.gcda' -print -quit 2>/dev/null) ]]; then
  echo "pgo: the training wrote no profile to $profile; fix: check the pgo-train build" >&2
  exit 1
fi

cmake --preset pgo >/dev/null
cmake --build --preset pgo -j "$jobs" "${targets[@]}"
if ((smoke == 1)); then
  # eobi_replay exits 1 when a check of its own fails (state hash, invariants, unknown orders, ...)
  if ! out=$("$bin/eobi_replay" --messages 200000 --runs 1 2>&1); then
    echo "pgo: the optimised eobi_replay failed its own checks: $out" >&2
    exit 1
  fi
fi
echo "pgo: optimised tools in $bin"
