#!/usr/bin/env bash
# Installs what is missing, builds, and runs every test (ctest): unit and
# golden tests, the rule pack's own tests, and the end-to-end tests over the
# real attack logs in ../shared/corpus.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh
ctest --test-dir build --output-on-failure -j"$(nproc)"
