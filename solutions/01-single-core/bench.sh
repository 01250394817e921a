#!/usr/bin/env bash
# bench.sh — the measurements behind the lesson page (run by `make bench`).
#
# 1. sums at n = 1M, 5M, 20M, double and float, best of 5: every variant's
#    time and GB/s, and its ratio to the STREAM triad measured in the same run.
# 2. parallel_map: the square and the heavy map on 1 and 2 threads.
# Writes $DATA/01-sums.csv and $DATA/01-parallel-map.csv; prints the ratios.
set -euo pipefail
build="${BUILD:-build/system}"; data="${DATA:-../../lessons/_data}"
mkdir -p "$data"

# key NAME: the value of `NAME = value` in $out.
key() { sed -n "s/^$1 = //p" <<<"$out" | head -n 1; }

# Write to temporary files and move them into place only when every run passed.
sums_csv="$data/01-sums.csv.tmp"
echo "precision,n,kernel,variant,time_s,gbs,vs_triad,rel_error" > "$sums_csv"
for precision in double float; do
  flag=""; [ "$precision" = float ] && flag="--float"
  for n in 1000000 5000000 20000000; do
    out="$(timeout 300 "$build/sums" --n "$n" --repeat 5 $flag)"
    [ "$(key check)" = PASS ] || { echo "sums --n $n $flag: check failed" >&2; echo "$out" >&2; exit 1; }
    echo "== sums, n = $n, $precision: GB/s and ratio to the triad ($(key triad_gbs) GB/s)"
    echo "$precision,$n,triad,anchor,$(key triad_time_s),$(key triad_gbs),1.000,0" >> "$sums_csv"
    for kernel in sum add_sum; do
      for variant in O0 O2 O3 accumulate reduce; do
        k="${kernel}_${variant}"
        echo "$precision,$n,$kernel,$variant,$(key ${k}_time_s),$(key ${k}_gbs),$(key ${k}_vs_triad),$(key ${k}_error)" >> "$sums_csv"
        printf '   %-20s %8s GB/s  %6s x triad  error %s\n' "$k" "$(key ${k}_gbs)" "$(key ${k}_vs_triad)" "$(key ${k}_error)"
      done
    done
  done
done
mv "$sums_csv" "$data/01-sums.csv"
echo "wrote $data/01-sums.csv"

map_csv="$data/01-parallel-map.csv.tmp"
out="$(timeout 300 "$build/parallel_map" --n 20000000 --heavy-n 500000 --threads 2 --repeat 5)"
[ "$(key check)" = PASS ] || { echo "parallel_map: check failed" >&2; echo "$out" >&2; exit 1; }
{
  echo "map,elements,threads,time_s,speedup"
  echo "square,$(key n),1,$(key square_time_s_1),1.000"
  echo "square,$(key n),2,$(key square_time_s),$(key square_speedup)"
  echo "heavy,$(key heavy_n),1,$(key heavy_time_s_1),1.000"
  echo "heavy,$(key heavy_n),2,$(key heavy_time_s),$(key heavy_speedup)"
} > "$map_csv"
echo "== parallel_map on 2 threads: speedup square $(key square_speedup), heavy $(key heavy_speedup)"
mv "$map_csv" "$data/01-parallel-map.csv"
echo "wrote $data/01-parallel-map.csv"
