#!/usr/bin/env bash
# bench.sh — the measurements behind lesson 07's page (run by `make bench`).
# mri at N = 256 and 512 with 32 coils, NP = 1 and 2, Open MPI and MPICH;
# every time is the best of REPS repetitions inside the program.
#   1. one slice: the sequential 2D inverse FFT on rank 0 is the anchor; the
#      two-stage scheme and the transpose version as ratios to it.
#      -> $DATA/07-mri-slice.csv
#      numpy.fft.ifft2 (what a Python code would call) on the same k-space sizes, best
#      of REPS, if /usr/bin/python3 has numpy.  -> $DATA/07-mri-numpy.csv
#   2. one 32-coil frame (scatter the coils' k-space, reconstruct, reduce the
#      sum of squares): speedup against NP=1 of the same MPI, and the time
#      against the 20 ms goal.  -> $DATA/07-mri-frame.csv
# The machine has 2 cores, so NP=2 is the most it can show.
# Binaries: build/openmpi and build/mpich (make bench builds them).
set -euo pipefail
# The course's MPI environment (run as root, more ranks than cores; Open MPI 4 and 5).
. "$(dirname "$0")/mpi-env.sh"
DATA="${DATA:-../../lessons/_data}"
REPS="${REPS:-20}"
COILS="${COILS:-32}"
SIZES="${SIZES:-256 512}"
T="${BENCH_TIMEOUT:-120}"
mkdir -p "$DATA"

slice="$DATA/07-mri-slice.csv"
frame="$DATA/07-mri-frame.csv"
echo "mpi,np,n,seq_ms,two_stage_ms,stage1_ms,stage2_ms,transpose_ms,two_stage_vs_seq,transpose_vs_seq" > "$slice"
echo "mpi,np,n,coils,scatter_ms,recon_ms,reduce_ms,frame_ms,speedup,within_20ms" > "$frame"
ms() { awk -v s="$1" 'BEGIN{printf "%.3f", 1000 * s}'; }
for mpi in openmpi mpich; do
  for n in $SIZES; do
    f1=""
    for np in 1 2; do
      out="$(timeout -k 5 "$T" "mpiexec.$mpi" -n "$np" "build/$mpi/mri" \
             --n "$n" --coils "$COILS" --reps "$REPS" < /dev/null)"
      grep -q '^check = PASS' <<<"$out" || { echo "mri failed:"; echo "$out"; exit 1; }
      v() { sed -n "s/^$1 = //p" <<<"$out"; }
      seq="$(v seq_s)"; two="$(v two_stage_s)"; tr="$(v transpose_s)"; fr="$(v frame_s)"
      [ -n "$f1" ] || f1="$fr"
      r2="$(awk -v a="$two" -v b="$seq" 'BEGIN{printf "%.2f", a/b}')"
      rt="$(awk -v a="$tr" -v b="$seq" 'BEGIN{printf "%.2f", a/b}')"
      sp="$(awk -v a="$f1" -v b="$fr" 'BEGIN{printf "%.2f", a/b}')"
      ok="$(awk -v a="$fr" 'BEGIN{print (a <= 0.020) ? "yes" : "no"}')"
      echo "== MPI=$mpi N=$n NP=$np: slice seq $(ms "$seq") ms, two-stage $(ms "$two") ms" \
           "(x$r2), transpose $(ms "$tr") ms (x$rt); $COILS-coil frame $(ms "$fr") ms" \
           "(speedup vs NP=1 $sp, within 20 ms: $ok)"
      echo "$mpi,$np,$n,$(ms "$seq"),$(ms "$two"),$(ms "$(v stage1_s)"),$(ms "$(v stage2_s)"),$(ms "$tr"),$r2,$rt" >> "$slice"
      echo "$mpi,$np,$n,$COILS,$(ms "$(v coil_scatter_s)"),$(ms "$(v coil_recon_s)"),$(ms "$(v coil_reduce_s)"),$(ms "$fr"),$sp,$ok" >> "$frame"
    done
  done
done
echo "wrote $slice and $frame"

numpy="$DATA/07-mri-numpy.csv"
if /usr/bin/python3 -c 'import numpy' 2>/dev/null; then
  echo "n,ifft2_ms" > "$numpy"
  for n in $SIZES; do
    t="$(timeout -k 5 "$T" /usr/bin/python3 - "$n" "$REPS" <<'PY'
import sys, time
import numpy as np
n, reps = int(sys.argv[1]), int(sys.argv[2])
k = np.fft.fft2(np.random.default_rng(1).random((n, n)))
best = min((lambda t0: (np.fft.ifft2(k), time.perf_counter() - t0)[1])(time.perf_counter())
           for _ in range(reps))
print(f"{1000 * best:.3f}")
PY
)"
    echo "== numpy.fft.ifft2 N=$n: $t ms"
    echo "$n,$t" >> "$numpy"
  done
  echo "wrote $numpy"
else
  echo "no numpy for /usr/bin/python3: $numpy not updated"
fi
