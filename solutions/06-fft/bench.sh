#!/usr/bin/env bash
# bench.sh — the measurements behind lesson 06's page (run by `make bench`).
# Forward 2D FFT of N x N complex doubles, N = 1024, 2048, 4096, NP = 1, 2,
# Open MPI (FFTW-MPI's MPI), FFTW_MEASURE plans, best of REPS transforms in
# each of ROUNDS alternating runs (ROUNDS_LARGE from N = 4096 on):
#   serial FFTW (the root's reference in fft2d_transpose at NP=1),
#   fft2d_transpose (by hand; natural and transposed output),
#   fft2d_fftw_mpi  (FFTW-MPI; natural and FFTW_MPI_TRANSPOSED_OUT).
# Planning time is reported separately; GFLOP/s = 5 N^2 log2(N^2) / time.
#   -> $DATA/06-fft.csv         one row per run
#   -> $DATA/06-fft-ratios.csv  hand / FFTW-MPI per N and NP, both layouts
# The machine has 2 cores, so NP=2 is the most it can show.
set -euo pipefail
# The course's MPI environment (run as root, more ranks than cores; Open MPI 4 and 5).
. "$(dirname "$0")/mpi-env.sh"
DATA="${DATA:-../../lessons/_data}"
SIZES="${SIZES:-1024 2048 4096}"
NPS="${NPS:-1 2}"
REPS="${REPS:-5}"
ROUNDS="${ROUNDS:-3}"
ROUNDS_LARGE="${ROUNDS_LARGE:-2}"
PLAN="${PLAN:-measure}"
T="${BENCH_TIMEOUT:-300}"
B="${BUILD:-build/openmpi}"   # or another build made with Open MPI (BUILD=build/system on Debian)
mkdir -p "$DATA"

runs="$DATA/06-fft.csv"
ratios="$DATA/06-fft-ratios.csv"
echo "n,np,program,layout,plan_s,forward_s,gflops,fft_s,transpose_s" > "$runs"
echo "n,np,serial_s,hand_s,fftw_mpi_s,hand_over_fftw_mpi,hand_transposed_s,fftw_mpi_transposed_s,hand_over_fftw_mpi_transposed" > "$ratios"

# run NP PROGRAM ARGS...: run once, fail loudly unless check = PASS; output in $out.
run() {
  local np="$1"; shift
  out="$(timeout -k 5 "$T" mpiexec.openmpi -n "$np" "$@" < /dev/null)" || {
    echo "failed: $*"; echo "$out"; exit 1; }
  grep -q '^check = PASS' <<<"$out" || { echo "check failed: $*"; echo "$out"; exit 1; }
}
val() { sed -n "s/^$1 = //p" <<<"$out" | head -n 1; }
faster() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a < b) }'; }  # faster A B: A < B

# Each configuration runs ROUNDS times, the rounds alternating over the four
# programs and layouts (so a slow spell of the machine hits them all alike);
# the fastest round counts.  FFTW_MEASURE may pick a different plan each time.
for n in $SIZES; do
  serial="" serial_plan=""
  first_np="${NPS%% *}"
  for np in $NPS; do
    declare -A t=() row=() split=()
    rounds="$ROUNDS"
    [ "$n" -ge 4096 ] && rounds="$ROUNDS_LARGE"  # long runs vary less, and plan for seconds
    for round in $(seq "$rounds"); do
      for prog in fft2d_transpose fft2d_fftw_mpi; do
        for layout in natural transposed; do
          args=(--rows "$n" --cols "$n" --plan "$PLAN" --reps "$REPS")
          [ "$layout" = transposed ] && args+=(--transposed-out)
          # The serial anchor: the root's reference in the first NP's natural runs.
          ref=no
          if [ "$np" = "$first_np" ] && [ "$prog" = fft2d_transpose ] && [ "$layout" = natural ]; then
            args+=(--reference-plan "$PLAN"); ref=yes
          fi
          run "$np" "$B/$prog" "${args[@]}"
          if [ "$ref" = yes ] && { [ -z "$serial" ] || faster "$(val serial_forward_s)" "$serial"; }; then
            serial="$(val serial_forward_s)" serial_plan="$(val serial_plan_s)"
          fi
          k="$prog.$layout"
          if [ -z "${t[$k]:-}" ] || faster "$(val forward_s)" "${t[$k]}"; then
            t[$k]="$(val forward_s)"
            row[$k]="$n,$np,$prog,$layout,$(val plan_s),$(val forward_s),$(val gflops),$(val fft_s),$(val transpose_s)"
            split[$k]=""
            [ "$prog" = fft2d_transpose ] && split[$k]=" (FFTs $(val fft_s) s, transposes $(val transpose_s) s)"
          fi
        done
      done
    done
    if [ "$np" = "$first_np" ]; then
      g="$(awk -v n="$n" -v t="$serial" 'BEGIN{printf "%.3f", 5*n*n*log(n*n)/log(2)/t/1e9}')"
      echo "$n,1,fftw_serial,natural,$serial_plan,$serial,$g,," >> "$runs"
      echo "== N=$n serial FFTW: plan $serial_plan s, forward $serial s, $g GFLOP/s"
    fi
    for k in fft2d_transpose.natural fft2d_transpose.transposed fft2d_fftw_mpi.natural fft2d_fftw_mpi.transposed; do
      echo "${row[$k]}" >> "$runs"
      IFS=, read -r _ _ prog layout plan fwd gf _ <<<"${row[$k]}"
      echo "== N=$n NP=$np $prog $layout: plan $plan s, forward $fwd s, $gf GFLOP/s${split[$k]}"
    done
    r1="$(awk -v a="${t[fft2d_transpose.natural]}" -v b="${t[fft2d_fftw_mpi.natural]}" 'BEGIN{printf "%.2f", a/b}')"
    r2="$(awk -v a="${t[fft2d_transpose.transposed]}" -v b="${t[fft2d_fftw_mpi.transposed]}" 'BEGIN{printf "%.2f", a/b}')"
    echo "== N=$n NP=$np ratio hand / FFTW-MPI: natural $r1, transposed output $r2"
    echo "$n,$np,$serial,${t[fft2d_transpose.natural]},${t[fft2d_fftw_mpi.natural]},$r1,${t[fft2d_transpose.transposed]},${t[fft2d_fftw_mpi.transposed]},$r2" >> "$ratios"
    unset t row split
  done
done
echo "wrote $runs and $ratios"
