#!/usr/bin/env python3
"""compare.py DATA — called by bench.sh after the runs (or alone, to redo the
tables from the CSV files in DATA).

Writes DATA/03-pingpong-fit.csv, the model t(n) = latency + n / bandwidth fitted
to each tool's points, and DATA/03-pingpong-ratios.csv, ours / NetPIPE for the
latency at 1-64 B and the bandwidth at 1-4 MiB (geometric means over the sizes
both tools measured; NetPIPE also measures 3 * 2^k bytes, only powers of two
count)."""
import csv, math, sys
from pathlib import Path
data = Path(sys.argv[1])
def load(p): return {int(r["bytes"]): r for r in csv.DictReader(open(p))}
def fmt(v, metric):
    return f"{v:.3f}" if "latency" in metric else f"{v:.0f}"
rows = [("mpi", "metric", "sizes", "ours", "netpipe", "ratio")]
for mpi in ("openmpi", "mpich"):
    o, n = data / f"03-pingpong-ours-{mpi}.csv", data / f"03-pingpong-netpipe-{mpi}.csv"
    if not (o.exists() and n.exists()): continue
    ours, net = load(o), load(n)
    for metric, col, sizes, label in (
            ("latency_us", "latency_us", [2**k for k in range(0, 7)], "1-64 B"),
            ("bandwidth_MBps", "bandwidth_MBps", [2**k for k in range(20, 23)], "1-4 MiB"),
            ("best_latency_us", "latency_us", [2**k for k in range(0, 7)], "1-64 B"),
            ("best_bandwidth_MBps", "bandwidth_MBps", [2**k for k in range(20, 23)], "1-4 MiB")):
        s = [k for k in sizes if k in ours and k in net]
        if not s: continue
        gm = lambda v: math.exp(sum(map(math.log, v)) / len(v))
        a = gm([float(ours[k][metric]) for k in s]); b = gm([float(net[k][col]) for k in s])
        rows.append((mpi, metric, label, fmt(a, metric), fmt(b, metric), f"{a / b:.3f}"))
with open(data / "03-pingpong-ratios.csv", "w", newline="") as f:
    csv.writer(f).writerows(rows)
# The model t(n) = a + n / b by least squares on the relative error, over all
# sizes, and over the small (<= 1 KiB) and large (>= 64 KiB) sizes apart.
def fit(pts):
    s00 = s01 = s11 = r0 = r1 = 0.0
    for n, t in pts:
        w = 1 / t**2; s00 += w; s01 += w * n; s11 += w * n * n; r0 += w * t; r1 += w * n * t
    det = s00 * s11 - s01 * s01
    return (r0 * s11 - r1 * s01) / det, (s00 * r1 - s01 * r0) / det
fits = [("mpi", "tool", "sizes", "latency_us", "bandwidth_MBps")]
for mpi in ("openmpi", "mpich"):
    for tool in ("ours", "netpipe"):
        p = data / f"03-pingpong-{tool}-{mpi}.csv"
        if not p.exists(): continue
        pts = [(n, float(r["latency_us"])) for n, r in load(p).items() if n & (n - 1) == 0]
        for label, lo, hi in (("all", 0, 1 << 40), ("<= 1 KiB", 0, 1024), (">= 64 KiB", 65536, 1 << 40)):
            sel = [(n, t) for n, t in pts if lo <= n <= hi]
            if len(sel) < 2: continue
            a, c = fit(sel)
            fits.append((mpi, tool, label, f"{a:.3f}", f"{1 / c:.0f}" if c > 0 else "inf"))
with open(data / "03-pingpong-fit.csv", "w", newline="") as f:
    csv.writer(f).writerows(fits)
print("\nfit t(n) = latency + n / bandwidth (latency in us, bandwidth in MB/s)")
for r in fits: print(f"{r[0]:8s} {r[1]:8s} {r[2]:10s} {r[3]:>10s} {r[4]:>14s}")
print("\nours / NetPIPE at NP=2, geometric mean over the sizes (best round of each tool;")
print("'best_' = our best single sample, like NetPIPE's best of 3 trials)")
for r in rows: print(f"{r[0]:8s} {r[1]:20s} {r[2]:8s} {r[3]:>10s} {r[4]:>10s} {r[5]:>7s}")
