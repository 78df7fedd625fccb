#!/usr/bin/env bash
# Compares two builds of one benchmark on a noisy host: runs them alternately N times (A, B, A, B, ...), so
# each pair shares the host's conditions of that moment, and reports every pair's B/A ratio of one output key
# and their median. docs/benchmarks.md quotes ratios measured this way.
# Usage: scripts/bench_pairs.sh N KEY BIN_A BIN_B [benchmark args...]
#   e.g. scripts/bench_pairs.sh 10 book_msgs_per_sec /tmp/base/bin/eobi_replay out/release/bin/eobi_replay --runs 3
# BENCH_CPU=c pins both builds to CPU c (taskset): this VM's two vCPUs are not equally fast at every moment
# (one ran 1.2-1.4x slower than the other for minutes), so unpinned pairs can compare different CPUs.
set -euo pipefail
if [[ $# -lt 4 || ! $1 =~ ^[0-9]+$ ]]; then
  echo "usage: $0 N KEY BIN_A BIN_B [benchmark args...]  (N pairs, KEY = the key=value to compare)" >&2
  exit 2
fi
n=$1 key=$2 a=$3 b=$4
shift 4
pin=()
if [[ -n ${BENCH_CPU:-} ]]; then
  pin=(taskset -c "$BENCH_CPU")
fi
value() {  # value BIN args...: KEY from the benchmark's key=value stdout line
  local v
  v=$("${pin[@]}" "$@" 2>/dev/null | tr ' ' '\n' | sed -n "s/^${key}=//p" | head -1)
  if [[ -z $v ]]; then
    echo "bench_pairs: '$1' printed no ${key}=...; fix: name a key of its stdout line" >&2
    exit 1
  fi
  echo "$v"
}
ratios=()
for i in $(seq "$n"); do
  va=$(value "$a" "$@")
  vb=$(value "$b" "$@")
  r=$(python3 -c "print(f'{$vb / $va:.3f}')")
  ratios+=("$r")
  echo "pair $i: A=$va B=$vb B/A=$r"
done
python3 -c "import statistics, sys; print('median B/A', f'{statistics.median(float(x) for x in sys.argv[1:]):.3f}')" "${ratios[@]}"
