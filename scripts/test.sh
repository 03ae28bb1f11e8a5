#!/usr/bin/env bash
# Installs what is missing, builds, and runs every test (ctest): unit and
# golden tests, the rule pack's own tests, the end-to-end tests over the
# real attack logs in ../shared/corpus, and the replay of the fuzz seeds and
# regressions. Then builds the libFuzzer targets (tests/fuzz) with clang-19,
# ASan and UBSan into build-fuzz/ and runs each for a bounded time; a crash,
# leak, timeout or out-of-memory fails the script.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh
ctest --test-dir build --output-on-failure -j"$(nproc)"

fuzz_build=build-fuzz
fuzz_seconds=${SOCC_FUZZ_SECONDS:-30}
mkdir -p "$fuzz_build"
log=$fuzz_build/build.log
echo "socc: building the fuzzers (log: $log)"
if ! {
  [[ -f $fuzz_build/build.ninja ]] ||
    CC=clang-19 CXX=clang++-19 cmake -S . -B "$fuzz_build" -G Ninja \
      -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSOCC_FUZZ=ON
  cmake --build "$fuzz_build" -j"$(nproc)" --target socc_fuzz_parse socc_fuzz_event
} >"$log" 2>&1; then
  tail -n 60 "$log"
  echo "socc: fuzzer build failed; the whole log is $log" >&2
  exit 1
fi

# New corpus units and the fuzzers' temporary files go to a scratch
# directory, never into the repository.
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
# Seeds: the project's own rules and golden sources for the parser; the
# sample intrusion and sampled corpus lines for events.
declare -A seeds=(
  [parse]="rules tests/golden/diagnostics"
  [event]="rules/samples tests/fuzz/seeds/event"
)
failed=0
for target in parse event; do
  mkdir -p "$scratch/corpus-$target" "$scratch/tmp" "$fuzz_build/artifacts/$target"
  log=$fuzz_build/fuzz-$target.log
  echo "socc: fuzzing $target for ${fuzz_seconds} s (log: $log)"
  if TMPDIR=$scratch/tmp "$fuzz_build/tests/fuzz/socc_fuzz_$target" \
    -max_total_time="$fuzz_seconds" -rss_limit_mb=2048 -timeout=10 -max_len=65536 \
    -dict="tests/fuzz/$target.dict" -artifact_prefix="$fuzz_build/artifacts/$target/" \
    -print_final_stats=1 \
    "$scratch/corpus-$target" ${seeds[$target]} "tests/fuzz/regressions/$target" \
    >"$log" 2>&1; then
    grep -E '^stat::(number_of_executed_units|average_exec_per_sec)' "$log" | tr '\n' ' ' || true
    echo
  else
    tail -n 60 "$log"
    artifact=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log" | tail -n 1)
    echo "socc: fuzz_$target failed; input: ${artifact:-none written}; log: $log" >&2
    echo "socc: keep it as a regression: cp '${artifact:-<input>}' tests/fuzz/regressions/$target/" >&2
    failed=1
  fi
done
exit "$failed"
