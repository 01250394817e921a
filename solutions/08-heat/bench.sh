#!/usr/bin/env bash
# bench.sh — the measurements behind lesson 08's page (run by `make bench`).
#   1. The roofline: STREAM triad (triad, 10M doubles per array and rank) at
#      NP=1 and NP=2, best of 10 repetitions.
#   2. The heat update on NX x NY nodes (default 3001 x 3001: two fields of
#      72 MB, beyond the 32 MB L3 cache), STEPS steps, 3 runs:
#      heat_mpi (MPI_Sendrecv), heat_mpi --overlap, heat_petsc (DMLocalToLocal),
#      at NP=1 and 2.
#      Effective bandwidth = 16 bytes per inner node / the best step's time
#      (best of all steps of all runs, as the triad takes its best repetition);
#      ratio = that / the triad bandwidth at the same NP.
#      -> $DATA/08-heat-bench.csv
#   3. The field at 4 times on a 31 x 31 grid for the figure.
#      -> $DATA/08-heat-field.csv
# The machine has 2 cores, so NP=2 is the largest run that is not oversubscribed.
set -euo pipefail
DATA="${DATA:-../../lessons/_data}"
BUILD="${BUILD:-build/system}"
MPIEXEC="${MPIEXEC:-mpiexec}"
NX="${NX:-3001}"
NY="${NY:-3001}"
STEPS="${STEPS:-40}"
TRIAD_N="${TRIAD_N:-10000000}"
T="${BENCH_TIMEOUT:-120}"
mkdir -p "$DATA"

# get NAME: the value of `NAME = value` in $out.
get() { awk -F' = ' -v k="$1" '$1 == k { print $2; exit }' <<<"$out"; }

run() {  # run NP PROGRAM ARGS...: output in $out, stop on a failed check
  local np="$1"; shift
  out="$(timeout -k 5 "$T" "$MPIEXEC" -n "$np" "$BUILD/$@" < /dev/null)"
  [ "$(get check)" = PASS ] || { echo "$* failed:"; echo "$out"; exit 1; }
}

declare -A triad
for np in 1 2; do
  run "$np" triad --n "$TRIAD_N" --reps 10
  triad[$np]="$(get triad_GBps)"
  echo "== triad NP=$np: ${triad[$np]} GB/s"
done

csv="$DATA/08-heat-bench.csv"
echo "program,halo,np,grid,steps,best_step_s,time_s,GBps,triad_GBps,ratio" > "$csv"
for np in 1 2; do
  for variant in "heat_mpi sendrecv" "heat_mpi overlap" "heat_petsc DMLocalToLocal"; do
    set -- $variant
    prog="$1" halo="$2" best="" bw="" total=""
    for rep in 1 2 3; do
      case "$halo" in
        sendrecv) run "$np" heat_mpi --nx "$NX" --ny "$NY" --steps "$STEPS" ;;
        overlap)  run "$np" heat_mpi --nx "$NX" --ny "$NY" --steps "$STEPS" --overlap ;;
        *)        run "$np" heat_petsc -nx "$NX" -ny "$NY" -steps "$STEPS" ;;
      esac
      t="$(get best_step_s)"
      if [ -z "$best" ] || awk -v a="$t" -v b="$best" 'BEGIN { exit !(a < b) }'; then
        best="$t" bw="$(get bandwidth_GBps)" total="$(get time_s)"
      fi
    done
    ratio="$(awk -v a="$bw" -v b="${triad[$np]}" 'BEGIN { printf "%.2f", a / b }')"
    echo "== $prog ($halo) NP=$np ${NX}x${NY}, $STEPS steps: best step $best s" \
         "(run $total s), $bw GB/s, ratio to triad = $ratio"
    echo "$prog,$halo,$np,${NX}x${NY},$STEPS,$best,$total,$bw,${triad[$np]},$ratio" >> "$csv"
  done
done
echo "wrote $csv"

field="$DATA/08-heat-field.csv"
run 2 heat_mpi --nx 31 --ny 31 --steps 672 --frames 3 --csv "$field"
echo "== field of heat_mpi at 4 times, 31 x 31 nodes: max_error = $(get max_error)"
echo "wrote $field"
