#!/usr/bin/env bash
# run-suite.sh [FILE.bats ...] — run Bats files (default: every tests/*.bats),
# print their TAP, and end with one line `N passed, N failed, N skipped`.
# Exit status: 0 when nothing failed.
set -uo pipefail
cd "$(dirname "$0")/.."
if [ $# -eq 0 ]; then set -- tests/*.bats; fi
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
for f in "$@"; do
  echo "# ---- $f"
  bats --tap "$f" < /dev/null 2>&1 | tee -a "$log"
done
passed=$(grep -cE '^ok [0-9]+' "$log" | head -1)
skipped=$(grep -cE '^ok [0-9]+ .*# skip' "$log" | head -1)
failed=$(grep -cE '^not ok [0-9]+' "$log" | head -1)
passed=$((passed - skipped))
# A file that could not even start (syntax error) has no plan line: count it as failed.
plans=$(grep -cE '^1\.\.[0-9]+' "$log" | head -1)
[ "$plans" -eq $# ] || failed=$((failed + $# - plans))
echo
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
