#!/usr/bin/env bash
# Installs the Debian 12 packages socc builds and tests with. Run as root;
# does nothing when everything is already installed.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config lld default-jre-headless
  antlr4 libantlr4-runtime-dev uuid-dev llvm-19-dev libfmt-dev libcli11-dev
  libyaml-cpp-dev doctest-dev libsimdjson-dev libhyperscan-dev libre2-dev
  libcurl4-openssl-dev libbenchmark-dev jq clang-19 libclang-rt-19-dev
)

missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "ok installed"; then
    missing+=("$package")
  fi
done

if ((${#missing[@]} > 0)); then
  echo "socc: installing ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
