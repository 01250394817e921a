#!/usr/bin/env bash
# bench.sh — the measurements behind lesson 14's page (run by `make bench`).
# One data set (-samples $N -features 16 -seed 42), four ways to fit it, at
# NP=1 and NP=2:
#   sgd        logreg, mini-batch SGD, batch 256, lr 0.1, 20 epochs
#   gd         logreg, full-batch gradient descent, lr 4, 100 epochs
#   tao-logreg mlp_tao -hidden1 0 -hidden2 0 -output_bias 0: the same model, TAO lmvm
#              (the anchor: it converges to |gradient| < 1e-6, the true minimum)
#   tao-mlp    mlp_tao, the 16-32-16-1 network, TAO lmvm, 100 iterations
# -> $DATA/14-ml-curves.csv  (method,np,step,passes,loss,time_s): the loss curves
# -> $DATA/14-ml-summary.csv (one line per method and NP), ratios printed.
# A "pass" is one sweep over the data: an SGD epoch, or one TAO objective+gradient
# evaluation.  The machine has 2 cores: NP=2 is the most it can show.
set -euo pipefail
# The MPI environment (root, more ranks than cores; Open MPI 4 and 5).
. ./mpi-env.sh
BUILD="${BUILD:-build/system}"
MPIEXEC="${MPIEXEC:-mpiexec}"
DATA="${DATA:-../../lessons/_data}"
N="${N:-50000}"
T="${BENCH_TIMEOUT:-300}"
mkdir -p "$DATA"
tmp="$(mktemp)"; out="$(mktemp)"; trap 'rm -f "$tmp" "$out"' EXIT

curves="$DATA/14-ml-curves.csv"
summary="$DATA/14-ml-summary.csv"
echo "method,np,step,passes,loss,time_s" > "$curves"
echo "method,np,iterations,passes,final_loss,final_accuracy,gradient_norm,time_s,time_per_pass_s" > "$summary"

val() { sed -n "s/^$1 = //p" "$out" | head -n 1; }

run() {  # run METHOD NP PROGRAM ARGS...
  local method="$1" np="$2" prog="$3"; shift 3
  timeout -k 5 "$T" "$MPIEXEC" -n "$np" "$BUILD/$prog" -samples "$N" -seed 42 "$@" -csv "$tmp" \
    < /dev/null > "$out" || true   # a failed run shows its output below
  grep -q '^check = PASS' "$out" || { echo "$method NP=$np failed:"; cat "$out"; exit 1; }
  local its passes
  if [ "$prog" = logreg ]; then
    its="$(val epochs)"; passes="$its"
    # epoch,loss,accuracy,train_time_s
    tail -n +2 "$tmp" | awk -F, -v m="$method" -v p="$np" '{print m","p","$1","$1","$2","$4}' >> "$curves"
  else
    its="$(val iterations)"; passes="$(val evaluations)"
    # iteration,evaluations,loss,gradient_norm,time_s
    tail -n +2 "$tmp" | awk -F, -v m="$method" -v p="$np" '{print m","p","$1","$2","$3","$5}' >> "$curves"
  fi
  # Training time only: logreg's time_s also holds its per-epoch loss report.
  local t
  if [ "$prog" = logreg ]; then t="$(awk -v a="$(val time_per_epoch_s)" -v e="$its" 'BEGIN{printf "%.6f", a*e}')"
  else t="$(val time_s)"; fi
  local tpp; tpp="$(awk -v t="$t" -v n="$passes" 'BEGIN{printf "%.6f", t/n}')"
  echo "$method,$np,$its,$passes,$(val final_loss),$(val final_accuracy),$(val gradient_norm),$t,$tpp" >> "$summary"
  printf '== %-10s NP=%d  iterations %4s  passes %4s  final_loss %.8f  accuracy %s  time %8.3f s  per pass %.5f s\n' \
    "$method" "$np" "$its" "$passes" "$(val final_loss)" "$(val final_accuracy)" "$t" "$tpp"
}

for np in 1 2; do
  run sgd        "$np" logreg  -features 16 -batch 256 -lr 0.1 -epochs 20
  run gd         "$np" logreg  -features 16 -batch 0 -lr 4 -epochs 100
  run tao-logreg "$np" mlp_tao -features 16 -hidden1 0 -hidden2 0 -output_bias 0
  run tao-mlp    "$np" mlp_tao -features 16 -tao_max_it 100
done

# Ratios against the anchor (tao-logreg at the same NP) and NP=2 vs NP=1.
awk -F, 'NR > 1 { k = $1 "," $2; loss[k] = $5; t[k] = $8; m[$1] = 1 }
  END {
    for (p = 1; p <= 2; p++) {
      a = "tao-logreg," p
      for (x in m) if (x != "tao-logreg" && x != "tao-mlp")
        printf "ratio NP=%d %-4s / tao-logreg: time %.2f, loss excess %.2e\n", p, x, t[x "," p] / t[a], loss[x "," p] - loss[a]
    }
    for (x in m) printf "speedup NP=2 vs NP=1 %-10s %.2f\n", x, t[x ",1"] / t[x ",2"]
  }' "$summary" | sort
echo "wrote $curves and $summary"
