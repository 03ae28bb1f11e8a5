#!/usr/bin/env bash
# Configures and builds socc into ./build (release with debug info). The
# build's own output goes to build/build.log and is shown only on failure.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p build
log=build/build.log
echo "socc: building (log: $log)"
if ! {
  [[ -f build/build.ninja ]] ||
    cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo
  cmake --build build -j"$(nproc)"
} >"$log" 2>&1; then
  tail -n 60 "$log"
  echo "socc: build failed; the whole log is $log" >&2
  exit 1
fi
