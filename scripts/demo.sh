#!/usr/bin/env bash
# The main job on the bundled default: installs what is missing, builds,
# then runs the rules in rules/ over the sample intrusion in
# rules/samples/intrusion.jsonl, printing the alerts (JSON lines) and the
# planned response (dry-run audit records).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh

audit=$(mktemp --suffix=.jsonl)
trap 'rm -f "$audit"' EXIT

echo "== alerts =="
build/compiler/driver/socc run --rules rules --audit "$audit" rules/samples/intrusion.jsonl
echo
echo "== planned response (dry-run audit log) =="
cat "$audit"
