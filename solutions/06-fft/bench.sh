#!/usr/bin/env bash
# bench.sh — the measurements behind lesson 06's page (run by `make bench`).
# Forward 2D FFT of N x N complex doubles, N = 1024, 2048, 4096, NP = 1, 2,
# Open MPI (FFTW-MPI's MPI), FFTW_MEASURE plans, best of REPS transforms:
#   serial FFTW (the root's reference in fft2d_transpose at NP=1),
#   fft2d_transpose (by hand; natural and transposed output),
#   fft2d_fftw_mpi  (FFTW-MPI; natural and FFTW_MPI_TRANSPOSED_OUT).
# Planning time is reported separately; GFLOP/s = 5 N^2 log2(N^2) / time.
#   -> $DATA/06-fft.csv         one row per run
#   -> $DATA/06-fft-ratios.csv  hand / FFTW-MPI per N and NP, both layouts
# The machine has 2 cores, so NP=2 is the most it can show.
set -euo pipefail
DATA="${DATA:-../../lessons/_data}"
SIZES="${SIZES:-1024 2048 4096}"
NPS="${NPS:-1 2}"
REPS="${REPS:-3}"
PLAN="${PLAN:-measure}"
T="${BENCH_TIMEOUT:-300}"
B=build/openmpi
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

for n in $SIZES; do
  serial=""
  for np in $NPS; do
    declare -A t=()
    for prog in fft2d_transpose fft2d_fftw_mpi; do
      for layout in natural transposed; do
        args=(--rows "$n" --cols "$n" --plan "$PLAN" --reps "$REPS")
        [ "$layout" = transposed ] && args+=(--transposed-out)
        # The serial anchor: the root's reference, planned like the others, timed once per N.
        ref=no
        if [ -z "$serial" ] && [ "$prog" = fft2d_transpose ] && [ "$layout" = natural ]; then
          args+=(--reference-plan "$PLAN"); ref=yes
        fi
        run "$np" "$B/$prog" "${args[@]}"
        if [ "$ref" = yes ]; then
          serial="$(val serial_forward_s)"
          g="$(awk -v n="$n" -v t="$serial" 'BEGIN{printf "%.3f", 5*n*n*log(n*n)/log(2)/t/1e9}')"
          echo "$n,1,fftw_serial,natural,$(val serial_plan_s),$serial,$g,," >> "$runs"
          echo "== N=$n serial FFTW: plan $(val serial_plan_s) s, forward $serial s, $g GFLOP/s"
        fi
        t[$prog.$layout]="$(val forward_s)"
        echo "$n,$np,$prog,$layout,$(val plan_s),$(val forward_s),$(val gflops),$(val fft_s),$(val transpose_s)" >> "$runs"
        split=""
        [ "$prog" = fft2d_transpose ] && split=" (FFTs $(val fft_s) s, transposes $(val transpose_s) s)"
        echo "== N=$n NP=$np $prog $layout: plan $(val plan_s) s, forward $(val forward_s) s," \
             "$(val gflops) GFLOP/s$split"
      done
    done
    r1="$(awk -v a="${t[fft2d_transpose.natural]}" -v b="${t[fft2d_fftw_mpi.natural]}" 'BEGIN{printf "%.2f", a/b}')"
    r2="$(awk -v a="${t[fft2d_transpose.transposed]}" -v b="${t[fft2d_fftw_mpi.transposed]}" 'BEGIN{printf "%.2f", a/b}')"
    echo "== N=$n NP=$np ratio hand / FFTW-MPI: natural $r1, transposed output $r2"
    echo "$n,$np,$serial,${t[fft2d_transpose.natural]},${t[fft2d_fftw_mpi.natural]},$r1,${t[fft2d_transpose.transposed]},${t[fft2d_fftw_mpi.transposed]},$r2" >> "$ratios"
    unset t
  done
done
echo "wrote $runs and $ratios"
