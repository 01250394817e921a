"""Lesson 08 figures.

1. 08-heat-field.png: the temperature field of heat_mpi at four times (left,
   one colour scale) and, right, its cut along y = Ly/2 against the exact
   solution exp(-alpha pi^2 (1/Lx^2 + 1/Ly^2) t) sin(pi x/Lx).
   Data: lessons/_data/08-heat-field.csv (t,x,y,u), written by `make bench`
   (heat_mpi --nx 31 --ny 31 --steps 672 --frames 3 --csv ... on 2 ranks).
2. 08-heat-bench.png: the ratio of the heat update's effective bandwidth to
   the triad of the same round (four versions, NP=1 and 2): the median round,
   with the lowest and highest ratio over all rounds.
   Data: lessons/_data/08-heat-bench.csv, written by `make bench`."""
import csv
import math

import matplotlib.pyplot as plt

# ---- 1. the field --------------------------------------------------------
rows = list(csv.DictReader(open(DATA / "08-heat-field.csv")))
times = sorted({float(r["t"]) for r in rows})
xs = sorted({float(r["x"]) for r in rows})
ys = sorted({float(r["y"]) for r in rows})
lx, ly = xs[-1], ys[-1]
field = {t: [[0.0] * len(xs) for _ in ys] for t in times}
ix = {x: i for i, x in enumerate(xs)}
iy = {y: j for j, y in enumerate(ys)}
for r in rows:
    field[float(r["t"])][iy[float(r["y"])]][ix[float(r["x"])]] = float(r["u"])

fig, axes = plt.subplots(1, len(times) + 1, figsize=(13.0, 3.0), layout="constrained",
                         gridspec_kw={"width_ratios": [1] * len(times) + [1.7]})
for k, t in enumerate(times):
    ax = axes[k]
    im = ax.imshow(field[t], origin="lower", extent=(0, lx, 0, ly), vmin=0.0, vmax=1.0,
                   cmap="inferno")
    ax.set_title(f"t = {t:.3f}", fontsize=9)
    ax.set_xlabel("x")
    if k == 0:
        ax.set_ylabel("y")
    else:
        ax.set_yticklabels([])
fig.colorbar(im, ax=list(axes[:len(times)]), label="u", shrink=0.9)

ax = axes[-1]
mid = min(range(len(ys)), key=lambda j: abs(ys[j] - ly / 2))
fine = [lx * i / 200 for i in range(201)]
rate = math.pi ** 2 * (1 / lx ** 2 + 1 / ly ** 2)  # alpha = 1
for t, c in zip(times, plt.cm.viridis([0.0, 0.33, 0.66, 0.95])):
    ax.plot(xs, field[t][mid], "o", ms=3, color=c, label=f"heat_mpi, t = {t:.3f}")
    ax.plot(fine, [math.exp(-rate * t) * math.sin(math.pi * x / lx) * math.sin(math.pi * ys[mid] / ly)
                   for x in fine], "-", lw=0.8, color=c)
ax.set_xlabel("x")
ax.set_ylabel(f"u(x, y = {ys[mid]:.2f})")
ax.set_title("middle cut; lines: exact solution", fontsize=9)
ax.legend(fontsize=7)
ax.grid(alpha=0.3)
fig.savefig(FIGURES / "08-heat-field.png", dpi=120)
plt.close(fig)

# ---- 2. bandwidth against the triad ---------------------------------------
# One bar per version and NP: the ratio to the triad of the same round in the
# median round, with the lowest and highest ratio over all rounds.
rows = list(csv.DictReader(open(DATA / "08-heat-bench.csv")))
nps = sorted({int(r["np"]) for r in rows})
labels = []
for r in rows:
    name = f'{r["program"]} ({r["halo"]})'
    if name not in labels:
        labels.append(name)
fig, ax = plt.subplots(figsize=(7.0, 3.6))
width = 0.8 / len(labels)
for k, name in enumerate(labels):
    sel = [next(r for r in rows if f'{r["program"]} ({r["halo"]})' == name and int(r["np"]) == p)
           for p in nps]
    mid = [float(r["ratio"]) for r in sel]
    lo = [m - float(r["ratio_min"]) for m, r in zip(mid, sel)]
    hi = [float(r["ratio_max"]) - m for m, r in zip(mid, sel)]
    ax.bar([i + (k - (len(labels) - 1) / 2) * width for i in range(len(nps))], mid, width,
           yerr=[lo, hi], capsize=3, label=name)
ax.axhline(0.7, color="k", ls=":", lw=0.8)
ax.axhline(16 / 24 / (24 / 32), color="k", ls="--", lw=0.8)
ax.text(len(nps) - 0.55, 0.7, "goal 0.7", fontsize=7, va="bottom", ha="right")
ax.text(len(nps) - 0.55, 16 / 24 / (24 / 32), "ceiling 0.89 (write-allocate)", fontsize=7,
        va="bottom", ha="right")
ax.set_xticks(range(len(nps)))
ax.set_xticklabels([f"NP={p}" for p in nps])
ax.set_ylabel("effective bandwidth / triad")
rounds = rows[0]["rounds"]
ax.set_title(f"Heat update vs the triad of the same round (median of {rounds} rounds; bars: lowest to highest)",
             fontsize=9)
ax.set_ylim(0, 1.25)
ax.legend(fontsize=7, loc="upper center", ncol=2)
ax.grid(axis="y", alpha=0.3)
fig.tight_layout()
fig.savefig(FIGURES / "08-heat-bench.png", dpi=120)
plt.close(fig)
