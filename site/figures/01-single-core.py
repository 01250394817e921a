"""Lesson 01 figures: memory throughput of each sum variant, and the speedup
of the parallel map.

Reads lessons/_data/01-sums.csv and lessons/_data/01-parallel-map.csv,
written by `make bench` in solutions/01-single-core."""
import csv

import matplotlib.pyplot as plt
import numpy as np

# ---- 1. GB/s per variant, per size, double and float ------------------------
rows = list(csv.DictReader(open(DATA / "01-sums.csv")))
variants = ["O0", "O2", "O3", "accumulate", "reduce"]
labels = {"O0": "loop -O0", "O2": "loop -O2", "O3": "loop -O3",
          "accumulate": "std::accumulate", "reduce": "std::reduce unseq"}
sizes = sorted({int(r["n"]) for r in rows})
colors = plt.cm.viridis(np.linspace(0.05, 0.85, len(variants)))

fig, axes = plt.subplots(2, 2, figsize=(10, 6.4), sharey=True)
for i, precision in enumerate(["double", "float"]):
    for j, kernel in enumerate(["sum", "add_sum"]):
        ax = axes[i, j]
        width = 0.8 / len(variants)
        x = np.arange(len(sizes))
        for k, v in enumerate(variants):
            gbs = [float(r["gbs"]) for n in sizes for r in rows
                   if r["precision"] == precision and int(r["n"]) == n
                   and r["kernel"] == kernel and r["variant"] == v]
            ax.bar(x + (k - 2) * width, gbs, width, color=colors[k], label=labels[v])
        triad = [float(r["gbs"]) for n in sizes for r in rows
                 if r["precision"] == precision and int(r["n"]) == n and r["kernel"] == "triad"]
        for xi, t in zip(x, triad):
            ax.hlines(t, xi - 0.45, xi + 0.45, colors="crimson", linestyles="--",
                      label="triad (anchor)" if xi == 0 else None)
        ax.set_xticks(x, [f"n = {n // 10**6}M" for n in sizes])
        title = "Σ a_i" if kernel == "sum" else "Σ (a_i + b_i)"
        ax.set_title(f"{title}, {precision}", fontsize=10)
        if j == 0:
            ax.set_ylabel("GB/s read (best of 5)")
        ax.set_yscale("log")
        ax.set_ylim(0.5, 200)
handles, names = axes[0, 0].get_legend_handles_labels()
fig.legend(handles, names, loc="lower center", ncol=6, fontsize=8, frameon=False)
fig.suptitle("One core: memory read per second of each sum (log scale)", fontsize=11)
fig.tight_layout(rect=(0, 0.05, 1, 1))
fig.savefig(FIGURES / "01-single-core-sums.png", dpi=110)
plt.close(fig)

# ---- 2. parallel map: speedup on 1 and 2 threads ------------------------------
rows = list(csv.DictReader(open(DATA / "01-parallel-map.csv")))
fig, ax = plt.subplots(figsize=(5.2, 3.6))
maxt = max(int(r["threads"]) for r in rows)
ax.plot([1, maxt], [1, maxt], color="grey", linestyle=":", label="ideal")
for m, marker in [("square", "o"), ("heavy", "s")]:
    pts = sorted((int(r["threads"]), float(r["speedup"])) for r in rows if r["map"] == m)
    n = next(r["elements"] for r in rows if r["map"] == m)
    ax.plot([p[0] for p in pts], [p[1] for p in pts], marker=marker,
            label=f"{m} map, n = {int(n):,}")
ax.set_xticks(range(1, maxt + 1))
ax.set_xlabel("threads")
ax.set_ylabel("speedup over 1 thread")
ax.set_ylim(0, maxt + 0.5)
ax.legend(fontsize=8)
ax.set_title("parallel map on a 2-core machine", fontsize=10)
fig.tight_layout()
fig.savefig(FIGURES / "01-single-core-map.png", dpi=110)
plt.close(fig)
