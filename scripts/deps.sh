#!/usr/bin/env bash
# Installs the Debian 12 packages numi needs, only those missing (idempotent); sudo only when not root.
# Usage: scripts/deps.sh [--test]     (--test adds what the test suite needs: clang/libFuzzer, tshark, promtool)
set -euo pipefail

build_pkgs=(g++ cmake ninja-build pkg-config git
  libfmt-dev libspdlog-dev libtomlplusplus-dev libcli11-dev libboost-dev libxxhash-dev libpcap-dev zlib1g-dev
  libgtest-dev libgmock-dev libbenchmark-dev)
test_pkgs=(clang libclang-rt-14-dev tshark prometheus)

want=("${build_pkgs[@]}")
[[ "${1:-}" == "--test" ]] && want+=("${test_pkgs[@]}")

missing=()
for p in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]} == 0)); then
  echo "deps: all ${#want[@]} packages present"
  exit 0
fi
echo "deps: installing ${missing[*]}"
sudo=""
if [[ $(id -u) -ne 0 ]]; then sudo="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -q
$sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
