"""Lesson 09 figures: the fitted T2 map of the 128 x 128 phantom beside the
truth, and the spread of T2 over 2000 noise draws against the Gauss-Newton
prediction; and the cost per voxel of the three ways to fit a slice
(09-tao-throughput.csv).

Reads lessons/_data/09-tao-map-fit.csv, 09-tao-map-true.csv (n rows of n T2
values in ms), 09-tao-draws.csv (draw,t2_ms) and 09-tao-uq.csv, written by
`make bench` in solutions/09-tao."""
import csv
import math

import matplotlib.pyplot as plt
import numpy as np

fit = np.loadtxt(DATA / "09-tao-map-fit.csv", delimiter=",")
true = np.loadtxt(DATA / "09-tao-map-true.csv", delimiter=",")
head = true > 0
rel = np.zeros_like(fit)
rel[head] = 100.0 * (fit[head] - true[head]) / true[head]

fig, axes = plt.subplots(1, 3, figsize=(13.0, 4.2))
for ax, img, title in ((axes[0], true, "true T2 [ms]"), (axes[1], fit, "fitted T2 [ms], 2% noise")):
    im = ax.imshow(np.where(head, img, np.nan), cmap="viridis", vmin=0, vmax=250)
    ax.set_title(title, fontsize=10)
    ax.axis("off")
    fig.colorbar(im, ax=ax, shrink=0.8)
im = axes[2].imshow(np.where(head, rel, np.nan), cmap="RdBu_r", vmin=-20, vmax=20)
axes[2].set_title("error of the fit [% of true T2]", fontsize=10)
axes[2].axis("off")
fig.colorbar(im, ax=axes[2], shrink=0.8)
fig.suptitle("T2 map of the Shepp-Logan phantom: bone 8 ms, muscle 50, grey matter 85, oedema 200", fontsize=10)
fig.tight_layout()
fig.savefig(FIGURES / "09-tao-map.png", dpi=110)
plt.close(fig)

t2 = np.array([float(r["t2_ms"]) for r in csv.DictReader(open(DATA / "09-tao-draws.csv"))])
uq = next(csv.DictReader(open(DATA / "09-tao-uq.csv")))
sd_gn = float(uq["t2_sd_gauss_newton_ms"])
fig, ax = plt.subplots(figsize=(6.0, 4.0))
ax.hist(t2, bins=50, density=True, color="tab:blue", alpha=0.6,
        label=f"{len(t2)} fits, spread {float(uq['t2_sd_draws_ms']):.2f} ms")
x = np.linspace(t2.min(), t2.max(), 300)
ax.plot(x, np.exp(-0.5 * ((x - 85.0) / sd_gn) ** 2) / (sd_gn * math.sqrt(2 * math.pi)), "k-",
        label=f"Gauss-Newton: N(85, {sd_gn:.2f}$^2$)")
ax.set_xlabel("fitted T2 [ms] (truth 85 ms, noise 0.02)")
ax.set_ylabel("density")
ax.legend(fontsize=8)
fig.tight_layout()
fig.savefig(FIGURES / "09-tao-uq.png", dpi=110)
plt.close(fig)

# ---- throughput: cost per voxel of the three ways, NP = 1 and 2 ------------
rows = list(csv.DictReader(open(DATA / "09-tao-throughput.csv")))
methods = []
for r in rows:
    if r["method"] not in methods:
        methods.append(r["method"])
fig, ax = plt.subplots(figsize=(7.0, 3.2))
colors = {"1": "tab:blue", "2": "tab:orange"}
y = 0
ticks, labels = [], []
for m in methods:
    for r in (r for r in rows if r["method"] == m):
        us = float(r["us_per_voxel"])
        ax.barh(y, us, color=colors.get(r["np"], "tab:grey"))
        ax.text(us * 1.15, y, f'{us:,.0f} µs  ({r["voxels_per_s"]} voxels/s)', va="center", fontsize=8)
        ticks.append(y)
        labels.append(f'{m}, NP={r["np"]}')
        y += 1
    y += 0.5
ax.set_xscale("log")
ax.set_yticks(ticks)
ax.set_yticklabels(labels, fontsize=8)
ax.invert_yaxis()
ax.set_xlim(5, 1e8)
ax.set_xlabel("wall time per voxel [µs], log scale")
ax.set_title("T2 fit of a 256² slice: cost per voxel (09-tao-throughput.csv)", fontsize=9)
ax.grid(axis="x", alpha=0.3)
fig.tight_layout()
fig.savefig(FIGURES / "09-tao-throughput.png", dpi=110)
plt.close(fig)
