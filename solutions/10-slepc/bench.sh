#!/usr/bin/env bash
# bench.sh — the measurements behind lesson 10's page (run by `make bench`).
#   1. Eigensolve time (the program's time_s: EPSSolve and reading the modes) of the 4 lowest modes
#      against grid size, for three inner solvers of shift-and-invert:
#        cg+bjacobi  the program's default (CG, block Jacobi / ILU(0)),
#        cg+gamg     CG with PETSc's algebraic multigrid,
#        mumps       Cholesky factorization by MUMPS, the anchor:
#      ratio = time / MUMPS's time on the same grid and NP.  Grids with
#      hx = hy (nx+1 = 10 (ny+1)), NP = 1 and 2.    -> $DATA/10-slepc-timing.csv
#   2. Convergence of λ_11 to the continuum value π²(1/L² + 1/W²) over the
#      same 4 grids: error, ratio to the previous grid, observed order
#      log2(ratio) (2 for O(h²)).                   -> $DATA/10-slepc-convergence.csv
#   3. The first 4 mode shapes on a 119 x 11 grid.  -> $DATA/10-slepc-modes.csv
# Every run must print `check = PASS` (λ within 1e-8 of the exact discrete values).
# The machine has 2 cores: NP=2 uses both, and anything else running slows it.
set -euo pipefail
. "$(dirname "$0")/mpi-env.sh"   # the MPI environment of every launch (Open MPI 4 and 5)
BUILD="${BUILD:-build/system}"; MPIEXEC="${MPIEXEC:-mpiexec}"
DATA="${DATA:-../../lessons/_data}"
T="${BENCH_TIMEOUT:-300}"
GRIDS="${GRIDS:-79x7 159x15 319x31 639x63}"
mkdir -p "$DATA"
prog="$BUILD/bridge_modes"
declare -A opts=(
  [cg+bjacobi]=""
  [cg+gamg]="-st_pc_type gamg"
  [mumps]="-st_ksp_type preonly -st_pc_type cholesky -st_pc_factor_mat_solver_type mumps"
)
solvers=(cg+bjacobi cg+gamg mumps)

# run NP NX NY ARGS...: one solve; prints "time outer inner lambda1 continuum1".
run() {
  local np="$1" nx="$2" ny="$3"; shift 3
  local out
  out="$(timeout -k 5 "$T" "$MPIEXEC" -n "$np" "$prog" -nx "$nx" -ny "$ny" -nev 4 "$@" < /dev/null)" || {
    echo "bench: bridge_modes -nx $nx -ny $ny $* on $np ranks failed" >&2; echo "$out" >&2; exit 1; }
  grep -q '^check = PASS$' <<<"$out" || { echo "bench: check failed:" >&2; echo "$out" >&2; exit 1; }
  awk -F' = ' '{ v[$1] = $2 } END { print v["time_s"], v["iterations"], v["inner_iterations"],
                                          v["lambda_1"], v["continuum_1"] }' <<<"$out"
}

timing="$DATA/10-slepc-timing.csv"
conv="$DATA/10-slepc-convergence.csv"
tmp="$(mktemp)"; trap 'rm -f "$tmp" "$tmp.conv"' EXIT
echo "solver,np,nx,ny,unknowns,time_s,outer_its,inner_its,ratio_vs_mumps" > "$timing"
echo "nx,ny,h,lambda_1,continuum_1,rel_error,error_ratio,order" > "$conv"
printf '%-11s %3s %9s %9s %10s %6s %8s %8s\n' solver np grid unknowns time_s outer inner "vs mumps"
for g in $GRIDS; do
  nx="${g%x*}"; ny="${g#*x}"
  for np in 1 2; do
    : > "$tmp"
    for s in "${solvers[@]}"; do
      # shellcheck disable=SC2086
      read -r t o i l c < <(run "$np" "$nx" "$ny" ${opts[$s]})
      echo "$s $t $o $i $l $c" >> "$tmp"
    done
    anchor="$(awk '$1 == "mumps" { print $2 }' "$tmp")"
    while read -r s t o i l c; do
      ratio="$(awk -v a="$t" -v b="$anchor" 'BEGIN { printf "%.2f", a / b }')"
      echo "$s,$np,$nx,$ny,$((nx * ny)),$t,$o,$i,$ratio" >> "$timing"
      printf '%-11s %3d %9s %9d %10.4f %6d %8d %7sx\n' "$s" "$np" "$g" $((nx * ny)) "$t" "$o" "$i" "$ratio"
      if [ "$s" = mumps ] && [ "$np" = 1 ]; then echo "$nx $ny $l $c" >> "$tmp.conv"; fi
    done < "$tmp"
  done
done
awk -v L=100 'BEGIN { OFS = "," }
  { h = L / ($1 + 1); e = ($3 - $4) / $4; if (e < 0) e = -e
    if (NR == 1) { r = ""; p = "" } else { r = sprintf("%.3f", prev / e); p = sprintf("%.3f", log(prev / e) / log(2)) }
    printf "%d,%d,%.6g,%.12e,%.12e,%.4e,%s,%s\n", $1, $2, h, $3, $4, e, r, p; prev = e }' "$tmp.conv" >> "$conv"
rm -f "$tmp.conv"
echo "wrote $timing"
echo
echo "convergence of lambda_11 to pi^2 (1/L^2 + 1/W^2) (order 2 = O(h^2)):"
column -s, -t "$conv"
echo "wrote $conv"

modes="$DATA/10-slepc-modes.csv"
run 1 119 11 -modes_file "$modes" > /dev/null
echo "wrote $modes"
