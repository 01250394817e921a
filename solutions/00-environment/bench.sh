#!/usr/bin/env bash
# bench.sh [RUNS] — how long does it take to start MPI, PETSc and SLEPc?
#
# Runs each check program RUNS times (default 5) at NP = 1, 2, 4 and records
#   init_s  the program's own time for MPI_Init / PetscInitialize /
#           SlepcInitialize (slowest rank, as printed by the program),
#   wall_s  the whole launch as the shell sees it: mpiexec starting the ranks,
#           loading the shared libraries, initialising, running, finalising.
# Writes CSV (program,init_call,np,run,init_s,wall_s) to stdout and a summary
# with ratios against mpi_hello (the anchor: plain MPI) to stderr, and as CSV
# to the file $SUMMARY when set.
# Used by `make bench`, which sets BUILD and MPIEXEC.
set -euo pipefail
. ./mpi-env.sh   # the MPI environment (Open MPI 4 and 5), also when run without make
runs="${1:-5}"; build="${BUILD:-build/system}"; mpiexec="${MPIEXEC:-mpiexec}"
programs=(mpi_hello vec_sum petsc_info)
declare -A call=([mpi_hello]=MPI_Init [vec_sum]=PetscInitialize [petsc_info]=SlepcInitialize)

csv="$(mktemp)"; trap 'rm -f "$csv"' EXIT
echo "program,init_call,np,run,init_s,wall_s" > "$csv"
# Interleave programs and rank counts so that a busy moment of the machine
# does not land on one program only.
for ((run = 0; run < runs; run++)); do
  for np in 1 2 4; do
    for prog in "${programs[@]}"; do
      t0=$(date +%s.%N)
      out="$(timeout -k 5 60 "$mpiexec" -n "$np" "$build/$prog")"
      t1=$(date +%s.%N)
      init="$(printf '%s\n' "$out" | sed -n 's/^init_s = //p')"
      [ -n "$init" ] || { echo "bench: $prog on $np ranks printed no init_s" >&2; exit 1; }
      printf '%s,%s,%d,%d,%s,%.4f\n' "$prog" "${call[$prog]}" "$np" "$run" "$init" \
        "$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')" | tee -a "$csv"
    done
  done
done >/dev/null

cat "$csv"

# Summary: medians per program and NP, ratios against mpi_hello at the same NP.
summary="$(
  echo "program,init_call,np,init_s,init_ratio,wall_s,wall_ratio"
  for np in 1 2 4; do
    for prog in "${programs[@]}"; do
      awk -F, -v p="$prog" -v n="$np" -v a=mpi_hello 'NR > 1 && $3 == n {
          if ($1 == p) { i[++k] = $5; w[k] = $6; c = $2 }
          if ($1 == a) { ai[++m] = $5; aw[m] = $6 } }
        function median(x, len,   s, j, t, q) {
          for (j = 1; j <= len; j++) s[j] = x[j]
          for (j = 1; j <= len; j++) for (q = j + 1; q <= len; q++) if (s[q] < s[j]) { t = s[j]; s[j] = s[q]; s[q] = t }
          return (len % 2) ? s[(len + 1) / 2] : (s[len / 2] + s[len / 2 + 1]) / 2 }
        END { mi = median(i, k); mw = median(w, k); ami = median(ai, m); amw = median(aw, m)
          printf "%s,%s,%d,%.3f,%.2f,%.3f,%.2f\n", p, c, n, mi, mi / ami, mw, mw / amw }' "$csv"
    done
  done
)"
if [ -n "${SUMMARY:-}" ]; then printf '%s\n' "$summary" > "$SUMMARY.tmp" && mv "$SUMMARY.tmp" "$SUMMARY"; fi
{
  echo
  echo "median over $runs runs; ratio = this program / mpi_hello (plain MPI) at the same NP"
  printf '%s\n' "$summary" | awk -F, 'NR == 1 { printf "%-11s %-16s %3s %8s %7s %8s %7s\n", $1, $2, $3, $4, "ratio", $6, "ratio"; next }
    { printf "%-11s %-16s %3d %8.3f %6.2fx %8.3f %6.2fx\n", $1, $2, $3, $4, $5, $6, $7 }'
} >&2
