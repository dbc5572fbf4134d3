#!/usr/bin/env bash
# Installs what the project needs on a fresh Debian machine (idempotent): the
# toolchain (clang for the fuzzers, lld for `mfh check`'s links), GoogleTest,
# Google Benchmark, Z3, RapidCheck, AFL++, mimalloc (the allocator the
# churn benchmark compares with), python3 (for the measuring scripts of
# ci/) and llvm-14 (llvm-cov and llvm-profdata: the model's coverage in
# ci/property_reach.sh).  Packages that
# are already installed are not asked for again, so a machine that has them
# needs no network.
set -euo pipefail

packages=(cmake ninja-build g++ clang binutils libgtest-dev libbenchmark-dev
          libz3-dev z3 librapidcheck-dev afl++ lld libmimalloc-dev python3 llvm-14)

missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done

if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  sudo_cmd=()
  if [[ $(id -u) -ne 0 ]]; then sudo_cmd=(sudo); fi
  export DEBIAN_FRONTEND=noninteractive
  "${sudo_cmd[@]}" apt-get update -qq
  "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
else
  echo "setup: all packages present"
fi
