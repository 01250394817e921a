#!/usr/bin/env bash
# bench.sh — the measurements behind lesson 15's page (run by `make bench`).
#   1. gwas -write_bfile makes one PLINK fileset of SAMPLES x VARIANTS calls
#      (default 10,000 x 500,000 = 5e9 calls, a 1.25 GB .bed) in WORK.
#   2. The anchor, plink1.9 --bfile ... --assoc, and gwas -bfile ... -out at
#      NP=1 and NP=2: whole-process wall time (start-up, reading, counting,
#      writing the table), best of RUNS.  -> $DATA/15-gwas-bench.csv with
#      genotype calls per second, the ratio of our throughput to PLINK's, and
#      gwas's own scan_s (read + count) and out_s (format + write the table).
#   3. Every line of gwas's table against PLINK's (compare_assoc.awk), and a
#      reduced copy of the scan for the Manhattan and QQ plots
#      -> $DATA/15-gwas-scan.csv.
# The .bed is read from the page cache after the first run (the file was just
# written), for PLINK and for us alike.  The machine has 2 cores.
set -euo pipefail
. "$(dirname "$0")/mpi-env.sh"   # the MPI environment of every launch (Open MPI 4 and 5)
DATA="${DATA:-../../lessons/_data}"
BUILD="${BUILD:-build/system}"
MPIEXEC="${MPIEXEC:-mpiexec}"
SAMPLES="${SAMPLES:-10000}"
VARIANTS="${VARIANTS:-500000}"
RUNS="${RUNS:-3}"
T="${BENCH_TIMEOUT:-300}"
PLINK="${PLINK:-plink1.9}"
mkdir -p "$DATA"
command -v "$PLINK" > /dev/null || { echo "bench: $PLINK not found (Debian package plink1.9)"; exit 1; }

WORK="$(mktemp -d "${TMPDIR:-/tmp}/gwas-bench.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
need=$(( SAMPLES / 4 * VARIANTS * 12 / 10 / 1024 + 200000 ))   # KiB: .bed + tables
free=$(df -Pk "$WORK" | awk 'NR == 2 {print $4}')
[ "$free" -gt "$need" ] || { echo "bench: $WORK has $free KiB free, needs $need"; exit 1; }

now() { date +%s.%N; }
calls=$(( SAMPLES * VARIANTS ))

echo "== writing $SAMPLES x $VARIANTS = $calls calls to $WORK/big.bed (gwas -write_bfile, NP=2)"
t0=$(now)
timeout -k 5 "$T" "$MPIEXEC" -n 2 "$BUILD/gwas" -samples "$SAMPLES" -variants "$VARIANTS" \
  -write_bfile "$WORK/big" < /dev/null | grep -E '^(check|planted_in_top) = '
echo "   written in $(awk -v a="$t0" -v b="$(now)" 'BEGIN {printf "%.1f", b - a}') s, $(du -h "$WORK/big.bed" | cut -f1)"

# best_of NAME COMMAND...: the smallest wall time of RUNS runs, in seconds.
best_of() {
  local name="$1" best="" t s; shift
  for ((r = 0; r < RUNS; r++)); do
    s=$(now)
    timeout -k 5 "$T" "$@" < /dev/null > "$WORK/$name.log" 2>&1 \
      || { echo "bench: $name failed:"; cat "$WORK/$name.log"; exit 1; }
    t=$(awk -v a="$s" -v b="$(now)" 'BEGIN {printf "%.3f", b - a}')
    if [ -z "$best" ] || awk -v a="$t" -v b="$best" 'BEGIN {exit !(a < b)}'; then
      best="$t"; cp "$WORK/$name.log" "$WORK/$name.best"
    fi
  done
  echo "$best"
}

csv="$DATA/15-gwas-bench.csv"
echo "program,np,samples,variants,calls,wall_s,calls_per_s,throughput_vs_plink,scan_s,out_s" > "$csv"
t_plink=$(best_of plink "$PLINK" --bfile "$WORK/big" --assoc --allow-no-sex --out "$WORK/plink")
row() {  # row PROGRAM NP WALL [SCAN_S OUT_S]: scan_s and out_s as gwas reports them
  awk -v p="$1" -v n="$2" -v t="$3" -v c="$calls" -v s="$SAMPLES" -v v="$VARIANTS" -v a="$t_plink" \
    -v sc="${4:-}" -v o="${5:-}" \
    'BEGIN {printf "%s,%d,%d,%d,%.0f,%.3f,%.4g,%.2f,%s,%s\n", p, n, s, v, c, t, c / t, a / t, sc, o}' >> "$csv"
}
row plink1.9 1 "$t_plink"
echo "== plink1.9 --assoc: $t_plink s"
for np in 1 2; do
  t=$(best_of "gwas$np" "$MPIEXEC" -n "$np" "$BUILD/gwas" -bfile "$WORK/big" -out "$WORK/gwas$np.assoc")
  log="$WORK/gwas$np.best"
  grep -q '^check = PASS' "$log" || { echo "bench: gwas NP=$np failed its check"; cat "$log"; exit 1; }
  row gwas "$np" "$t" "$(sed -n 's/^scan_s = //p' "$log")" "$(sed -n 's/^out_s = //p' "$log")"
  echo "== gwas NP=$np: $t s, throughput vs plink1.9 = $(tail -n 1 "$csv" | cut -d, -f8)"
done
cmp -s "$WORK/gwas1.assoc" "$WORK/gwas2.assoc" || { echo "bench: the NP=1 and NP=2 tables differ"; exit 1; }
echo "== every variant against PLINK's table:"
awk -f compare_assoc.awk "$WORK/plink.assoc" "$WORK/gwas2.assoc"
column -t -s, "$csv"
echo "wrote $csv"

# The scan for the figures: every variant with p < 1e-3, one in 50 of the
# others; p_rank (1 = smallest p of all) gives the QQ plot its expected values.
scan="$DATA/15-gwas-scan.csv"
tail -n +2 "$WORK/gwas2.assoc" | awk '$9 != "NA" {print NR - 1, $1, $3, $9}' | sort -g -k4 |
  awk -v m="$VARIANTS" 'BEGIN {print "index,chr,bp,p,p_rank,variants"}
       $4 < 1e-3 || NR % 50 == 0 {printf "%d,%s,%s,%s,%d,%d\n", $1, $2, $3, $4, NR, m}' > "$scan"
echo "wrote $scan ($(($(wc -l < "$scan") - 1)) variants)"
