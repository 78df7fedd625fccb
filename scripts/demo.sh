#!/usr/bin/env bash
# numi's main job on its embedded default: install what is missing, build the release preset, run numi-orderbook.
# Extra arguments go to numi-orderbook (try --help).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh >&2
cmake --preset release >&2
cmake --build --preset release --target numi-orderbook >&2
exec out/release/bin/numi-orderbook "$@"
