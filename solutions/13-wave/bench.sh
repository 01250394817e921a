#!/usr/bin/env bash
# bench.sh — the measurements behind lesson 13's page (run by `make bench`).
#   1.+2. In ROUNDS rounds (default 7) at NP=1, 2: the roofline, the STREAM
#      triad (10M doubles per array and rank, best of 10), and right after it
#      the leapfrog on NX x NY nodes (default 2001 x 1201: two fields of
#      19 MB, together beyond the 32 MB L3 cache), STEPS steps, tuned ($TUNED:
#      -halo sf -kernel rows4): cell updates/s
#      and the effective bandwidth (24 bytes per node and step) / the triad of
#      the same round.
#      -> $DATA/13-wave-rounds.csv (every round), $DATA/13-wave-bench.csv
#         (the median round per NP, with the lowest and highest ratio)
#   3. The default run (200 x 120 nodes, 1100 steps) with wave at NP=1, 2 and
#      with reference.py (numpy, serial): time and speed-up over numpy.
#      -> $DATA/13-wave-vs-numpy.csv
#   4. The figures' data: a 40 km x 24 km run of 8.8 s (dt = 0.008) with and
#      without the sponge: energy histories, seismograms, three snapshots.
#      -> $DATA/13-wave-energy.csv, 13-wave-seismogram.csv, 13-wave-snap-*.csv
# The machine has 2 cores, so NP=2 is the largest run that is not oversubscribed.
set -euo pipefail
# The MPI environment every launch of the course uses (Open MPI 4 and 5).
. "$(dirname "$0")/mpi-env.sh"
DATA="${DATA:-../../lessons/_data}"
BUILD="${BUILD:-build/system}"
MPIEXEC="${MPIEXEC:-mpiexec}"
PYTHON="${PYTHON:-/usr/bin/python3}"
NX="${NX:-2001}"
NY="${NY:-1201}"
STEPS="${STEPS:-50}"
ROUNDS="${ROUNDS:-7}"
TRIAD_N="${TRIAD_N:-10000000}"
T="${BENCH_TIMEOUT:-120}"
# The tuned variants (wave_tuned.hpp): the halo by a PetscSF, four rows per pass.
TUNED="${TUNED:--halo sf -kernel rows4}"
mkdir -p "$DATA"

get() { awk -F' = ' -v k="$1" '$1 == k { print $2; exit }' <<<"$out"; }
run() {  # run NP PROGRAM ARGS...: output in $out, stop on a failed check
  local np="$1"; shift
  out="$(timeout -k 5 "$T" "$MPIEXEC" -n "$np" "$BUILD/$@" < /dev/null)"
  [ "$(get check)" = PASS ] || { echo "$* failed:"; echo "$out"; exit 1; }
}
faster() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(b == "" || a < b) }'; }

# Rounds: triad, then the leapfrog right after it, so that each ratio compares
# two numbers measured seconds apart (the memory bandwidth of this virtual
# machine drifts by tens of percent from minute to minute).  The table shows
# the median round per NP, with the lowest and highest ratio of all rounds.
rounds="$DATA/13-wave-rounds.csv"
header="np,grid,steps,time_s,cell_updates_per_s,GBps,triad_GBps,ratio"
echo "round,$header" > "$rounds"
for np in 1 2; do
  for round in $(seq "$ROUNDS"); do
    run "$np" triad --n "$TRIAD_N" --reps 10
    triad="$(get triad_GBps)"
    run "$np" wave -nx "$NX" -ny "$NY" -steps "$STEPS" -output_interval 0 $TUNED
    bw="$(get bandwidth_GBps)"
    ratio="$(awk -v a="$bw" -v b="$triad" 'BEGIN { printf "%.3f", a / b }')"
    echo "== round $round NP=$np: triad $triad GB/s, wave $(get time_s) s, $bw GB/s, ratio $ratio"
    echo "$round,$np,${NX}x${NY},$STEPS,$(get time_s),$(get cell_updates_per_s),$bw,$triad,$ratio" >> "$rounds"
  done
done
echo "wrote $rounds"

csv="$DATA/13-wave-bench.csv"
echo "$header,ratio_min,ratio_max,rounds" > "$csv"
for np in 1 2; do
  sorted="$(awk -F, -v np="$np" 'NR > 1 && $2 == np' "$rounds" | sort -t, -k9,9g)"
  n="$(wc -l <<<"$sorted")"
  mid="$(sed -n "$(( (n + 1) / 2 ))p" <<<"$sorted")"
  lo="$(head -n 1 <<<"$sorted" | cut -d, -f9)"; hi="$(tail -n 1 <<<"$sorted" | cut -d, -f9)"
  IFS=, read -r _ np_ grid steps time rate bw triad ratio <<<"$mid"
  printf '%s,%s,%s,%s,%s,%s,%s,%.2f,%.2f,%.2f,%d\n' "$np_" "$grid" "$steps" "$time" "$rate" "$bw" "$triad" \
    "$ratio" "$lo" "$hi" "$n" >> "$csv"
  printf '== wave NP=%s: median ratio %.2f (%.2f ... %.2f over %d rounds)\n' "$np" "$ratio" "$lo" "$hi" "$n"
done
echo "wrote $csv"

vsnumpy="$DATA/13-wave-vs-numpy.csv"
out="$("$PYTHON" reference.py)"
tpy="$(get time_s)" pyrate="$(get cell_updates_per_s)"
echo "== numpy reference.py (serial), default run: $tpy s"
echo "program,np,time_s,cell_updates_per_s,speedup_vs_numpy" > "$vsnumpy"
echo "reference.py (numpy),1,$tpy,$pyrate,1.0" >> "$vsnumpy"
for np in 1 2; do
  best="" rate=""
  for rep in 1 2 3; do
    run "$np" wave -output_interval 0 $TUNED
    if faster "$(get time_s)" "$best"; then best="$(get time_s)" rate="$(get cell_updates_per_s)"; fi
  done
  s="$(awk -v a="$tpy" -v b="$best" 'BEGIN { printf "%.1f", a / b }')"
  echo "== wave NP=$np, default run: $best s, $s x faster than numpy"
  echo "wave (PETSc DMDA),$np,$best,$rate,$s" >> "$vsnumpy"
done
echo "wrote $vsnumpy"

# The figures: 1100 steps of 0.008 s, the wave reaches every edge.
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
FIG=(-dt 0.008 -steps 1100 -output_interval 25)
run 2 wave "${FIG[@]}" -absorb_strength 0 -energy_history "$tmp/e0.csv"
run 2 wave "${FIG[@]}" -energy_history "$tmp/e1.csv" -seismogram "$DATA/13-wave-seismogram.csv" \
  -receiver_x 21000,23000,25000,35000 -receiver_y 12000,12000,12000,12000 \
  -snapshot_prefix "$tmp/snap" -snapshot_interval 275 -snapshot_stride 2
echo "sponge,step,t,energy,max_abs_u" > "$DATA/13-wave-energy.csv"
tail -n +2 "$tmp/e0.csv" | sed 's/^/none,/' >> "$DATA/13-wave-energy.csv"
tail -n +2 "$tmp/e1.csv" | sed 's/^/sponge,/' >> "$DATA/13-wave-energy.csv"
for s in 00275 00550 01100; do cp "$tmp/snap-$s.csv" "$DATA/13-wave-snap-$s.csv"; done
echo "wrote $DATA/13-wave-energy.csv, 13-wave-seismogram.csv, 13-wave-snap-*.csv"
