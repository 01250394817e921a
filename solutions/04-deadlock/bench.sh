#!/usr/bin/env bash
# bench.sh — the data behind lesson 04's page, for Open MPI and MPICH:
#   $DATA/04-deadlock-threshold.csv  eager threshold found by `threshold`
#   $DATA/04-deadlock-fixes.csv      time of one exchange for each fix,
#                                    8 B ... 8 MiB, NP=2: the fastest exchange
#                                    (time_min_s) and the mean (time_mean_s),
#                                    each the best of 3 launches
#   $DATA/04-deadlock-ratios.csv     parity and nonblocking relative to sendrecv
# and prints each fix's time relative to MPI_Sendrecv (the anchor) measured in
# the same run.  Used by `make bench` (which builds both MPIs first).
set -euo pipefail
. ./mpi-env.sh   # the MPI environment (Open MPI 4 and 5), also when run without make
data="${DATA:-../../lessons/_data}"
mkdir -p "$data"
np=2
sizes=(8 32 128 512 2048 8192 32768 131072 524288 2097152 8388608)
modes=(parity sendrecv nonblocking)
trials=3

# `value NAME`: the value of the `NAME = value` line on stdin.
value() { sed -n "s/^$1 = //p" | head -n 1; }
# `smaller A B`: the smaller number (A may be empty).
smaller() { awk -v a="$1" -v b="$2" 'BEGIN { print (a == "" || b + 0 < a + 0) ? b : a }'; }

# Written under temporary names and renamed when every run is done, so an
# interrupted bench leaves the previous files whole.
threshold_csv="$data/04-deadlock-threshold.csv.tmp"
fixes_csv="$data/04-deadlock-fixes.csv.tmp"
echo "mpi,library,threshold_bytes,blocks_at_bytes,check" > "$threshold_csv"
echo "mpi,mode,bytes,repeat,time_min_s,time_mean_s,check" > "$fixes_csv"

for mpi in openmpi mpich; do
  mpiexec="mpiexec.$mpi"
  exe="build/$mpi"
  out="$(timeout -k 5 120 "$mpiexec" -n "$np" "$exe/threshold")"
  lib="$(value mpi_library <<< "$out" | cut -d, -f1 | sed 's/Version:[[:space:]]*/ /; s/  */ /g')"
  t="$(value threshold_bytes <<< "$out")"; b="$(value blocks_at_bytes <<< "$out")"
  c="$(value check <<< "$out")"
  echo "$mpi,$lib,$t,$b,$c" >> "$threshold_csv"
  echo "$mpi ($lib): unsafe exchange completes up to $t bytes, blocks at $b bytes (check $c)"

  for bytes in "${sizes[@]}"; do
    # About 32 MiB per rank and direction in total, at least 10 and at most 2000 exchanges.
    rep=$(( (1 << 25) / bytes )); (( rep < 10 )) && rep=10; (( rep > 2000 )) && rep=2000
    for mode in "${modes[@]}"; do
      # Best of $trials launches: on a shared 2-core machine a run can lose its
      # core to another process for milliseconds; the fastest run is the
      # closest to what the exchange itself costs.
      best_min=""; best_mean=""; check=PASS
      for ((i = 0; i < trials; i++)); do
        out="$(timeout -k 5 60 "$mpiexec" -n "$np" "$exe/deadlock" --mode "$mode" \
                 --bytes "$bytes" --repeat "$rep")"
        [ "$(value check <<< "$out")" = PASS ] || check=FAIL
        best_min="$(smaller "$best_min" "$(value time_min_s <<< "$out")")"
        best_mean="$(smaller "$best_mean" "$(value time_per_exchange_s <<< "$out")")"
      done
      echo "$mpi,$mode,$bytes,$rep,$best_min,$best_mean,$check" >> "$fixes_csv"
    done
  done
done
mv "$threshold_csv" "${threshold_csv%.tmp}"; threshold_csv="${threshold_csv%.tmp}"
mv "$fixes_csv" "${fixes_csv%.tmp}"; fixes_csv="${fixes_csv%.tmp}"
echo "wrote $threshold_csv and $fixes_csv"

# Ratios against the anchor (MPI_Sendrecv, same MPI, same size, same run),
# written to $DATA/04-deadlock-ratios.csv and printed.
ratios_csv="$data/04-deadlock-ratios.csv"
awk -F, 'NR > 1 { t[$1 "," $3 "," $2] = $5; if (!seen[$1 "," $3]++) key[++n] = $1 "," $3 }
  END {
    print "mpi,bytes,sendrecv_us,parity/sendrecv,nonblocking/sendrecv"
    for (i = 1; i <= n; i++) {
      split(key[i], k, ","); a = t[key[i] ",sendrecv"]
      printf "%s,%d,%.3g,%.2f,%.2f\n", k[1], k[2], a * 1e6,
             t[key[i] ",parity"] / a, t[key[i] ",nonblocking"] / a
    }
  }' "$fixes_csv" > "$ratios_csv.tmp"
mv "$ratios_csv.tmp" "$ratios_csv"
echo
echo "fastest exchange relative to MPI_Sendrecv (NP=$np), also in $ratios_csv:"
awk -F, '{ printf "%-8s %9s %12s %16s %21s\n", $1, $2, $3, $4, $5 }' "$ratios_csv"
