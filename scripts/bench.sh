#!/usr/bin/env bash
# Runs numi's benchmarks the way docs/benchmarks.md records them: release build, pinned where a tool pins
# itself, each measurement RUNS times (default 5) with the median reported, plus the machine and git state.
# Usage: scripts/bench.sh [RUNS]        (needs ~3 GB in $BENCH_DIR, default /tmp/numi-bench)
#   BENCH_PGO=1 also builds the profile-guided tools (scripts/pgo_build.sh) and runs EOBI and ITCH with them
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
dir=${BENCH_DIR:-/tmp/numi-bench}
bin=out/release/bin
mkdir -p "$dir"
cmake --preset release >/dev/null
cmake --build --preset release >/dev/null

# median KEY FILE: median of KEY over the key=value lines in FILE
median() {
  python3 - "$1" "$2" <<'PY'
import statistics, sys
key, path = sys.argv[1], sys.argv[2]
vals = []
for line in open(path):
    for kv in line.split():
        k, _, v = kv.partition("=")
        if k == key:
            vals.append(float(v))
m = statistics.median(vals) if vals else None
# whole numbers for rates and counts; ratios and other small figures keep 3 significant digits
print("n/a" if m is None else f"{m:.0f}" if abs(m) >= 100 else f"{m:.3g}", end="")
PY
}
# bench NAME KEYS... -- COMMAND: runs COMMAND $runs times, prints the median of each key
bench() {
  local name=$1; shift
  local keys=()
  while [[ $1 != "--" ]]; do keys+=("$1"); shift; done
  shift
  local out="$dir/$name.kv"
  : > "$out"
  for ((i = 0; i < runs; i++)); do "$@" 2>/dev/null | head -1 >> "$out"; done
  printf '%-28s' "$name"
  for k in "${keys[@]}"; do printf ' %s=%s' "$k" "$(median "$k" "$out")"; done
  echo
}

echo "numi benchmarks: $(git rev-parse --short HEAD)$(git diff --quiet || echo -dirty), runs=$runs, $(nproc) cores," \
     "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), kernel $(uname -r), load $(cut -d' ' -f1-3 /proc/loadavg)"

[[ -f $dir/day50m.itch ]] || $bin/itch_gen --out "$dir/day50m.itch" --messages 50000000 --symbols 2000 --seed 7 >/dev/null
[[ -f $dir/day5m.itch ]] || $bin/itch_gen --out "$dir/day5m.itch" --messages 5000000 --symbols 500 --seed 7 >/dev/null

bench pool_soak ops_per_sec misses return_drops minflt_after_warmup -- $bin/pool_soak 65536 2048 10000 64
bench itch_parse_only_50m msgs_per_sec -- taskset -c 1 $bin/book_replay --itch "$dir/day50m.itch" --parse-only --quiet
bench itch_book_50m msgs_per_sec apply_p50_ns apply_p99_ns apply_p999_ns -- \
  taskset -c 1 $bin/book_replay --itch "$dir/day50m.itch" --quiet
bench itch_book_50m_noprefetch msgs_per_sec apply_p50_ns apply_p99_ns apply_p999_ns -- \
  taskset -c 1 $bin/book_replay --itch "$dir/day50m.itch" --quiet --no-prefetch
bench itch_book_5m msgs_per_sec apply_p50_ns apply_p99_ns apply_p999_ns -- \
  taskset -c 1 $bin/book_replay --itch "$dir/day5m.itch" --quiet
bench bench_orderbook events_per_sec cpu_events_per_sec apply_p50_ns apply_p99_ns apply_p999_ns -- \
  taskset -c 1 $bin/bench_orderbook
if [[ -x $bin/eobi_replay ]]; then
  bench eobi_replay decode_msgs_per_sec book_msgs_per_sec host_chase_4mb_ns book_plain_msgs_per_sec prefetch_ratio -- \
    taskset -c 1 $bin/eobi_replay --prefetch-compare
fi
if [[ ${BENCH_PGO:-0} == 1 ]]; then  # the profile-guided build of the same tools (scripts/pgo_build.sh)
  scripts/pgo_build.sh >/dev/null
  bench eobi_replay_pgo decode_msgs_per_sec book_msgs_per_sec host_chase_4mb_ns -- taskset -c 1 out/pgo/bin/eobi_replay
  bench itch_book_5m_pgo msgs_per_sec apply_p50_ns apply_p99_ns apply_p999_ns -- \
    taskset -c 1 out/pgo/bin/book_replay --itch "$dir/day5m.itch" --quiet
fi
bench mem_probe chase_packed_4mb_ns chase_packed_8mb_ns chase_pages_4096_ns chase_pages_8192_ns random_load_ns \
  load_work_ns load_work_prefetch8_ns -- taskset -c 1 $bin/mem_probe
echo "hot_paths (Google Benchmark, pins its own threads):"
$bin/hot_paths --benchmark_repetitions="$runs" --benchmark_report_aggregates_only=true 2>/dev/null |
  grep -E "_median" || true
