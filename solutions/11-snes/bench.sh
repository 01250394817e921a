#!/usr/bin/env bash
# bench.sh — lesson 11's measurements, against PETSc's own ex5 (the anchor).
#
# 1. Iterations and time: lambda = 6 on 65^2, 129^2, 257^2, 513^2 nodes
#    (a 5 x 5 grid refined 4..7 times, -da_refine), NP = 1, with geometric
#    multigrid (-pc_type mg, one level per refinement) and with the default
#    preconditioner (GMRES + ILU(0)) up to 257^2 only: its linear iterations
#    grow about 6-fold per refinement, so 513^2 would dominate the run.  bratu and ex5 (-mms 0, so its "error inf" is
#    max u) run with the same grid and options; the solve time of each is
#    PETSc's own SNESSolve time from -log_view.  bratu and ex5 run in pairs,
#    one right after the other, so that both see the same machine: REPS pairs
#    (default 5), and on 65^2 and 129^2, solves of 15-130 ms where a slow
#    moment of the machine is a large share, REPS_SMALL pairs (default 11).
#    The table shows the median pair (by its ratio bratu / ex5), and the
#    lowest and highest ratio of all pairs.  Writes
#    $DATA/11-snes-iterations.csv and prints ratio = bratu / ex5.
# 2. Continuation: max u against lambda on 129^2 (CONT_REFINE=5 refinements
#    of 5 x 5) up to the turning point (-continuation, multigrid).  Writes
#    $DATA/11-snes-continuation.csv and $DATA/11-snes-fold.csv.
# Used by `make bench`, which sets BUILD, MPIEXEC and DATA.
set -euo pipefail
. "$(dirname "$0")/mpi-env.sh"   # the MPI environment of every launch (Open MPI 4 and 5)
build="${BUILD:-build/system}"; mpiexec="${MPIEXEC:-mpiexec}"; data="${DATA:-../../lessons/_data}"
refines_mg="${REFINES_MG:-4 5 6 7}"; refines_default="${REFINES_DEFAULT:-4 5 6}"; cont_refine="${CONT_REFINE:-5}"
reps="${REPS:-5}"; reps_small="${REPS_SMALL:-11}"
tmp="$(mktemp)"; trap 'rm -f "$tmp"' EXIT
mkdir -p "$data"

# solve_time: PETSc's SNESSolve time (max over ranks) from -log_view in $tmp.
solve_time() { awk '$1 == "SNESSolve" { print $4; exit }' "$tmp"; }

iters="$data/11-snes-iterations.csv"
echo "grid,pc,newton_its,linear_its,ex5_newton_its,ex5_linear_its,max_u,ex5_max_u,time_s,ex5_time_s,ratio,ratio_min,ratio_max,pairs" > "$iters"
printf '%-9s %-8s %7s %7s %7s %7s %9s %9s %7s\n' grid pc newton linear ex5_new ex5_lin time_s ex5_s ratio >&2
for pc in default mg; do
  refines="$refines_default"; [ "$pc" = mg ] && refines="$refines_mg"
  for r in $refines; do
    opts=(-da_refine "$r" -log_view)
    [ "$pc" = mg ] && opts+=(-pc_type mg)
    pairs=(); runs="$reps"
    [ "$r" -le 5 ] && runs="$reps_small"
    for ((k = 0; k < runs; k++)); do
      timeout -k 5 300 "$mpiexec" -n 1 "$build/bratu" -nx 5 -ny 5 -lambda 6 "${opts[@]}" > "$tmp"
      n="$(sed -n 's/^nx = //p' "$tmp")"; its="$(sed -n 's/^newton_its = //p' "$tmp")"
      lits="$(sed -n 's/^linear_its = //p' "$tmp")"; mu="$(sed -n 's/^max_u = //p' "$tmp")"
      t="$(solve_time)"
      grep -q '^check = PASS' "$tmp" || { echo "bench: bratu failed its check on ${n}^2" >&2; cat "$tmp" >&2; exit 1; }
      timeout -k 5 300 "$mpiexec" -n 1 "$build/ex5" -mms 0 -par 6 -da_grid_x 5 -da_grid_y 5 "${opts[@]}" \
        -snes_converged_reason -ksp_converged_reason > "$tmp"
      eits="$(awk '/^ *Nonlinear solve converged/ { print $NF }' "$tmp")"
      elits="$(awk '/Linear solve converged/ { s += $NF } END { print s + 0 }' "$tmp")"
      emu="$(awk '/error L2/ { print $NF }' "$tmp")"; et="$(solve_time)"
      [ -n "$eits" ] || { echo "bench: ex5 did not converge on ${n}^2" >&2; exit 1; }
      pairs+=("$(awk -v a="$t" -v b="$et" 'BEGIN { printf "%.6f", a / b }') $t $et")
    done
    # The median pair by ratio, and the range of the ratios.
    sorted="$(printf '%s\n' "${pairs[@]}" | sort -g)"
    read -r ratio t et <<<"$(sed -n "$(( (runs + 1) / 2 ))p" <<<"$sorted")"
    lo="$(head -n 1 <<<"$sorted" | cut -d' ' -f1)"; hi="$(tail -n 1 <<<"$sorted" | cut -d' ' -f1)"
    ratio="$(printf '%.2f' "$ratio")"; lo="$(printf '%.2f' "$lo")"; hi="$(printf '%.2f' "$hi")"
    echo "${n}x${n},$pc,$its,$lits,$eits,$elits,$mu,$emu,$t,$et,$ratio,$lo,$hi,$runs" >> "$iters"
    printf '%-9s %-8s %7s %7s %7s %7s %9.4f %9.4f %6sx (%s ... %s)\n' "${n}x${n}" "$pc" "$its" "$lits" "$eits" "$elits" "$t" "$et" "$ratio" "$lo" "$hi" >&2
  done
done
echo "wrote $iters" >&2

# Continuation on 129^2 (5 x 5 refined 5 times), multigrid.
cont="$data/11-snes-continuation.csv"
timeout -k 5 300 "$mpiexec" -n 2 "$build/bratu" -nx 5 -ny 5 -da_refine "$cont_refine" -pc_type mg \
  -continuation -lambda 7 -lambda_step 0.25 > "$tmp"
echo "lambda,max_u,newton_its,linear_its" > "$cont"
awk '$1 == "step" { print $4 "," $6 "," $8 "," $10 }' "$tmp" >> "$cont"
fold="$data/11-snes-fold.csv"
{ echo "grid,fold_lambda,fold_estimate,max_u_at_fold_lambda,solves_newton_its,solves_linear_its"
  n="$(sed -n 's/^nx = //p' "$tmp")"
  printf '%sx%s,%s,%s,%s,%s,%s\n' "$n" "$n" "$(sed -n 's/^fold_lambda = //p' "$tmp")" "$(sed -n 's/^fold_estimate = //p' "$tmp")" \
    "$(sed -n 's/^max_u = //p' "$tmp")" "$(sed -n 's/^newton_its = //p' "$tmp")" "$(sed -n 's/^linear_its = //p' "$tmp")"; } > "$fold"
echo "wrote $cont and $fold" >&2
cat "$fold" >&2
