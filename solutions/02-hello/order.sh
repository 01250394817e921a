#!/usr/bin/env bash
# order.sh [RUNS] [NP] — run `hello` RUNS times on NP ranks and record in which
# order the greetings arrived.  Writes CSV (run,position,rank) to stdout.
# Used by `make bench` for the figure on the lesson page.
set -euo pipefail
runs="${1:-50}"; np="${2:-4}"; exe="${HELLO:-build/system/hello}"; mpiexec="${MPIEXEC:-mpiexec}"
echo "run,position,rank"
for ((i = 0; i < runs; i++)); do
  "$mpiexec" -n "$np" "$exe" | sed -n 's/^Hello from rank \([0-9]*\) of.*/\1/p' |
    awk -v run="$i" '{ printf "%d,%d,%d\n", run, NR - 1, $1 }'
done
