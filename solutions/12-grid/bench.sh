#!/usr/bin/env bash
# bench.sh — lesson 12's measurements.
#
# 1. CG + GAMG on the city grid from 40 x 20 to 1000 x 1000 buses, NP = 1 and
#    2: iterations (the point: nearly constant) and the solve time, setup of
#    the multigrid hierarchy included (KSPSolve, from -log_view), and the time
#    per bus.  The anchor is the 200 x 200 grid (big enough to time well):
#    time_ratio = time / time of 200 x 200 at the same NP, next to the ratio
#    of the number of buses (linear work: equal).  Writes $DATA/12-grid-gamg.csv.
# 2. The figure's data: voltages of the 40 x 20 city before and after line
#    420-421 fails (-dump).  Writes $DATA/12-grid-field.csv and 12-grid-case.csv.
# Used by `make bench`, which sets BUILD, MPIEXEC and DATA.
set -euo pipefail
. "$(dirname "$0")/mpi-env.sh"   # the MPI environment of every launch (Open MPI 4 and 5)
build="${BUILD:-build/system}"; mpiexec="${MPIEXEC:-mpiexec}"; data="${DATA:-../../lessons/_data}"
grids="${GRIDS:-40x20 100x100 200x200 500x500 1000x1000}"; nps="${NPS:-1 2}"
anchor="${ANCHOR:-200x200}"
tmp="$(mktemp)"; trap 'rm -f "$tmp"' EXIT

solve_time() { awk '$1 == "KSPSolve" { print $4; exit }' "$tmp"; }

out="$data/12-grid-gamg.csv"
echo "grid,buses,np,its,time_s,us_per_bus,buses_ratio,time_ratio" > "$out"
printf '%-10s %9s %3s %5s %10s %8s %10s %10s\n' grid buses np its time_s us/bus buses_x time_x >&2
for np in $nps; do
  declare -A T=() N=() IT=()
  for g in $grids; do
    nx="${g%x*}"; ny="${g#*x}"
    timeout -k 5 600 "$mpiexec" -n "$np" "$build/grid" -nx "$nx" -ny "$ny" -lu_check 0 -log_view > "$tmp"
    grep -q '^check = PASS' "$tmp" || { echo "bench: grid failed its check on $g" >&2; cat "$tmp" >&2; exit 1; }
    its="$(sed -n 's/^its = //p' "$tmp")"; n="$(sed -n 's/^buses = //p' "$tmp")"; t="$(solve_time)"
    T[$g]="$t"; N[$g]="$n"; IT[$g]="$its"
  done
  [ -n "${T[$anchor]:-}" ] || { echo "bench: the anchor $anchor is not among the grids" >&2; exit 1; }
  for g in $grids; do
    t="${T[$g]}"; n="${N[$g]}"
    us="$(awk -v a="$t" -v b="$n" 'BEGIN { printf "%.3f", 1e6 * a / b }')"
    rn="$(awk -v a="$n" -v b="${N[$anchor]}" 'BEGIN { printf "%.3g", a / b }')"
    rt="$(awk -v a="$t" -v b="${T[$anchor]}" 'BEGIN { printf "%.3g", a / b }')"
    echo "$g,$n,$np,${IT[$g]},$t,$us,$rn,$rt" >> "$out"
    printf '%-10s %9s %3s %5s %10.4f %8s %9sx %9sx\n' "$g" "$n" "$np" "${IT[$g]}" "$t" "$us" "$rn" "$rt" >&2
  done
  unset T N IT
done
echo "wrote $out" >&2

field="$data/12-grid-field.csv"
timeout -k 5 120 "$mpiexec" -n 2 "$build/grid" -fail_line 420,421 -dump "$field" > "$tmp"
grep -q '^check = PASS' "$tmp" || { echo "bench: the failed-line run failed its check" >&2; cat "$tmp" >&2; exit 1; }
{ echo "nx,ny,g,slack,fail_a,fail_b,failed_line_current,max_voltage_change"
  printf '40,20,10,420,420,421,%s,%s\n' "$(sed -n 's/^failed_line_current = //p' "$tmp")" "$(sed -n 's/^max_voltage_change = //p' "$tmp")"; } > "$data/12-grid-case.csv"
echo "wrote $field and $data/12-grid-case.csv" >&2
