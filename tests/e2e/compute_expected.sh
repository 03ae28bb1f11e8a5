#!/bin/sh
# Recomputes corpus_expected.tsv with the jq programs in jq/ (one per
# detection, see README.md). Usage:
#   tests/e2e/compute_expected.sh [CORPUS_DIR] > tests/e2e/corpus_expected.tsv
# CORPUS_DIR defaults to ../shared/corpus/evtx next to the project root.
# Needs jq (1.6 or later) and a POSIX shell.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
corpus=${1:-$here/../../../shared/corpus/evtx}
cd "$corpus"
printf 'file\trule\tcount\n'
for program in "$here"/jq/*.jq; do
  rule=$(basename "$program" .jq)
  [ "$rule" = prelude ] && continue
  find EVTX-ATTACK-SAMPLES -name '*.jsonl' -print0 \
    | xargs -0 jq -r -L "$here/jq" -f "$program" \
    | sort | uniq -c \
    | awk -v rule="$rule" '{ n = $1; sub(/^ *[0-9]+ /, ""); printf "%s\t%s\t%d\n", $0, rule, n }'
done | LC_ALL=C sort -t "$(printf '\t')" -k1,1 -k2,2
