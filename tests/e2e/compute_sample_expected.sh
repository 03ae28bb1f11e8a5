#!/bin/sh
# Recomputes sample_expected.tsv with the jq programs in jq/ (see README.md).
# Usage: tests/e2e/compute_sample_expected.sh > tests/e2e/sample_expected.tsv
# The sample has one deliberately truncated line; jq would stop at it, so
# each line is read raw and parsed with `fromjson?`, which drops it (socc
# reports it as malformed and goes on, like this).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
sample=rules/samples/intrusion.jsonl
printf 'file\trule\tcount\n'
for program in "$here"/jq/*.jq; do
  rule=$(basename "$program" .jq)
  [ "$rule" = prelude ] && continue
  count=$(jq -c -R 'fromjson? // empty' "$root/$sample" \
            | jq -r -L "$here/jq" -f "$program" | wc -l)
  [ "$count" -gt 0 ] && printf '%s\t%s\t%d\n' "$sample" "$rule" "$count"
done | LC_ALL=C sort -t "$(printf '\t')" -k1,1 -k2,2
