#!/usr/bin/env bash
# bench.sh — the measurements behind lesson 05's page (run by `make bench`).
#   1. bcast_timing, 8 B ... 16 MiB, NP=2 and NP=4, Open MPI and MPICH:
#      hand-written broadcast (P-1 sends) vs MPI_Bcast, the anchor; prints
#      the ratio p2p/Bcast per size.  -> $DATA/05-bcast.csv
#   2. scatter_sum of N = 10M doubles at NP=1 and NP=2, both MPIs, best of 3:
#      time and effective bandwidth 8N / time.  -> $DATA/05-scatter.csv
# The machine has 2 cores: NP=4 is oversubscribed and measures the scheduler
# as much as MPI.  Binaries: build/openmpi and build/mpich (make bench builds them).
set -euo pipefail
# The course's MPI environment (run as root, more ranks than cores; Open MPI 4 and 5).
. "$(dirname "$0")/mpi-env.sh"
DATA="${DATA:-../../lessons/_data}"
REPS="${REPS:-21}"
N="${N:-10000000}"
T="${BENCH_TIMEOUT:-120}"
mkdir -p "$DATA"
tmp="$(mktemp)"; trap 'rm -f "$tmp"' EXIT

bcast="$DATA/05-bcast.csv"
echo "mpi,np,bytes,samples,p2p_s,bcast_s,ratio" > "$bcast"
for mpi in openmpi mpich; do
  for np in 2 4; do
    echo "== bcast_timing MPI=$mpi NP=$np (ratio = p2p / MPI_Bcast)"
    timeout -k 5 "$T" "mpiexec.$mpi" -n "$np" "build/$mpi/bcast_timing" \
      --min-bytes 8 --max-bytes 16777216 --reps "$REPS" --csv "$tmp" |
      grep -v -e '^mpi = ' -e '^buffers_checked'
    tail -n +2 "$tmp" >> "$bcast"
  done
done
echo "wrote $bcast"

scatter="$DATA/05-scatter.csv"
echo "mpi,np,n,scatter_s,sum_s,time_s,bandwidth_GBps,speedup" > "$scatter"
for mpi in openmpi mpich; do
  t1=""
  for np in 1 2; do
    best=""
    for run in 1 2 3; do
      out="$(timeout -k 5 "$T" "mpiexec.$mpi" -n "$np" "build/$mpi/scatter_sum" --n "$N")"
      grep -q '^check = PASS' <<<"$out" || { echo "scatter_sum failed:"; echo "$out"; exit 1; }
      line="$(awk -F' = ' '$1=="scatter_s"{s=$2} $1=="sum_s"{u=$2} $1=="time_s"{t=$2}
                 END {print t, s, u}' <<<"$out")"
      if [ -z "$best" ] || awk -v a="${line%% *}" -v b="${best%% *}" 'BEGIN{exit !(a<b)}'; then
        best="$line"
      fi
    done
    read -r t s u <<<"$best"
    [ -n "$t1" ] || t1="$t"
    bw="$(awk -v n="$N" -v t="$t" 'BEGIN{printf "%.3f", 8*n/t/1e9}')"
    sp="$(awk -v a="$t1" -v b="$t" 'BEGIN{printf "%.2f", a/b}')"
    echo "== scatter_sum MPI=$mpi NP=$np N=$N: time_s = $t (scatter $s, sum $u)," \
         "bandwidth = $bw GB/s, speedup vs NP=1 = $sp"
    echo "$mpi,$np,$N,$s,$u,$t,$bw,$sp" >> "$scatter"
  done
done
echo "wrote $scatter"
