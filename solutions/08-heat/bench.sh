#!/usr/bin/env bash
# bench.sh — the measurements behind lesson 08's page (run by `make bench`).
# The heat update against the memory-bandwidth roofline of this machine, in
# ROUNDS rounds (default 7) at NP=1 and NP=2 (NPS="1 2").  Each round runs, one right
# after the other:
#   the STREAM triad (triad, 10M doubles per array and rank, best of 10), and
#   the heat update on NX x NY nodes (default 3001 x 3001: two fields of 72 MB,
#   beyond the 32 MB L3 cache), STEPS steps, eight rows per pass (the tuned
#   kernel, -kernel rows8), in four versions: heat_mpi (MPI_Sendrecv), heat_mpi
#   --overlap, heat_petsc -halo sf (PetscSF), heat_petsc -halo localtolocal
#   (DMLocalToLocal).
# Effective bandwidth = 16 bytes per inner node / the best step's time;
# ratio = that / the triad of the same round.  The memory bandwidth of this
# virtual machine drifts by tens of percent from minute to minute, which is
# why each version is compared with a triad measured seconds before it, and
# why the table reports the median round (with the lowest and highest ratio).
#   -> $DATA/08-heat-rounds.csv  every round
#   -> $DATA/08-heat-bench.csv   the median round per version and NP
# Then the field at 4 times on a 31 x 31 grid for the figure.
#   -> $DATA/08-heat-field.csv
# The machine has 2 cores, so NP=2 is the largest run that is not oversubscribed.
set -euo pipefail
# The MPI environment every launch of the course uses (Open MPI 4 and 5).
. "$(dirname "$0")/mpi-env.sh"
DATA="${DATA:-../../lessons/_data}"
BUILD="${BUILD:-build/system}"
MPIEXEC="${MPIEXEC:-mpiexec}"
NX="${NX:-3001}"
NY="${NY:-3001}"
STEPS="${STEPS:-40}"
ROUNDS="${ROUNDS:-7}"
NPS="${NPS:-1 2}"
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

header="program,halo,np,grid,steps,best_step_s,time_s,GBps,triad_GBps,ratio"
rounds="$DATA/08-heat-rounds.csv"
echo "round,$header" > "$rounds"
for np in $NPS; do
  for round in $(seq "$ROUNDS"); do
    run "$np" triad --n "$TRIAD_N" --reps 10
    triad="$(get triad_GBps)"
    echo "== round $round NP=$np: triad $triad GB/s"
    for variant in "heat_mpi sendrecv" "heat_mpi overlap" "heat_petsc PetscSF" "heat_petsc DMLocalToLocal"; do
      set -- $variant
      prog="$1" halo="$2"
      case "$halo" in
        sendrecv)      run "$np" heat_mpi --nx "$NX" --ny "$NY" --steps "$STEPS" --kernel rows8 ;;
        overlap)       run "$np" heat_mpi --nx "$NX" --ny "$NY" --steps "$STEPS" --kernel rows8 --overlap ;;
        PetscSF)       run "$np" heat_petsc -nx "$NX" -ny "$NY" -steps "$STEPS" -kernel rows8 -halo sf ;;
        DMLocalToLocal) run "$np" heat_petsc -nx "$NX" -ny "$NY" -steps "$STEPS" -kernel rows8 -halo localtolocal ;;
      esac
      [ "$(get halo)" = "$halo" ] || { echo "expected halo = $halo:"; echo "$out"; exit 1; }
      bw="$(get bandwidth_GBps)"
      ratio="$(awk -v a="$bw" -v b="$triad" 'BEGIN { printf "%.3f", a / b }')"
      echo "   $prog ($halo): best step $(get best_step_s) s, $bw GB/s, ratio $ratio"
      echo "$round,$prog,$halo,$np,${NX}x${NY},$STEPS,$(get best_step_s),$(get time_s),$bw,$triad,$ratio" >> "$rounds"
    done
  done
done
echo "wrote $rounds"

# The median round of each version and NP (ROUNDS odd: the middle one), with
# the spread of the ratio over all rounds.
csv="$DATA/08-heat-bench.csv"
echo "$header,ratio_min,ratio_max,rounds" > "$csv"
tail -n +2 "$rounds" | sort -t, -k4,4n -k2,2 -k3,3 -k11,11g | awk -F, -v OFS=, '
  function flush() {
    if (n == 0) return
    m = int((n + 1) / 2)
    split(line[m], f, ",")
    printf "%s,%s,%s,%s,%s,%s,%s,%s,%s,%.2f,%.2f,%.2f,%d\n", f[2], f[3], f[4], f[5], f[6], f[7], f[8], f[9],
           f[10], f[11], lo, hi, n
    printf "== %s (%s) NP=%s: median ratio %.2f (%.2f ... %.2f over %d rounds)\n", f[2], f[3], f[4], f[11], lo,
           hi, n > "/dev/stderr"
    n = 0
  }
  { key = $2 "," $3 "," $4
    if (key != last) { flush(); last = key; lo = $11 }
    line[++n] = $0; hi = $11 }
  END { flush() }' >> "$csv"
echo "wrote $csv"

field="$DATA/08-heat-field.csv"
run 2 heat_mpi --nx 31 --ny 31 --steps 672 --frames 3 --csv "$field"
echo "== field of heat_mpi at 4 times, 31 x 31 nodes: max_error = $(get max_error)"
echo "wrote $field"
