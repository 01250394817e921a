"""Lesson 12 figure, from the CSV files `make bench` writes in solutions/12-grid.

12-grid.png: left, the voltage of every bus of the 40 x 20 city
  (lessons/_data/12-grid-field.csv, column v); right, how the line currents
  change when line 420-421 next to the slack bus fails (v_failed - v, times
  the conductance g, line by line; 12-grid-case.csv names the line)."""
import csv

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.collections import LineCollection

case = list(csv.DictReader(open(DATA / "12-grid-case.csv")))[0]
rows = list(csv.DictReader(open(DATA / "12-grid-field.csv")))
nx, ny, g = int(case["nx"]), int(case["ny"]), float(case["g"])
fa, fb, slack = int(case["fail_a"]), int(case["fail_b"]), int(case["slack"])
v = np.zeros((ny, nx))
w = np.zeros((ny, nx))
for r in rows:
    v[int(r["y"]), int(r["x"])] = float(r["v"])
    w[int(r["y"]), int(r["x"])] = float(r["v_failed"])

segments, change = [], []
for y in range(ny):
    for x in range(nx):
        a = x + nx * y
        for (xn, yn) in ((x + 1, y), (x, y + 1)):
            if xn >= nx or yn >= ny:
                continue
            b = xn + nx * yn
            before = g * (v[y, x] - v[yn, xn])
            after = 0.0 if {a, b} == {fa, fb} else g * (w[y, x] - w[yn, xn])
            segments.append([(x, y), (xn, yn)])
            change.append(abs(after - before))

fig, axes = plt.subplots(1, 2, figsize=(11.0, 3.6))
im = axes[0].imshow(v, origin="lower", cmap="viridis", aspect="equal")
axes[0].plot(slack % nx, slack // nx, "r*", ms=10, label="slack bus")
axes[0].set_title(f"Bus voltages, {nx} x {ny} city, intact grid", fontsize=10)
axes[0].legend(fontsize=8, loc="upper right")
fig.colorbar(im, ax=axes[0], shrink=0.85, label="v (per unit)")

lc = LineCollection(segments, array=np.array(change), cmap="magma_r", linewidths=2.0)
axes[1].add_collection(lc)
axes[1].plot([fa % nx, fb % nx], [fa // nx, fb // nx], color="deepskyblue", lw=4, label=f"failed line {fa}-{fb}")
axes[1].set_xlim(-0.5, nx - 0.5)
axes[1].set_ylim(-0.5, ny - 0.5)
axes[1].set_aspect("equal")
axes[1].set_title("|change of line current| after the failure", fontsize=10)
axes[1].legend(fontsize=8, loc="upper right")
fig.colorbar(lc, ax=axes[1], shrink=0.85, label="|ΔI| (per unit)")
for ax in axes:
    ax.set_xlabel("x (street)")
    ax.set_ylabel("y (avenue)")
fig.tight_layout()
fig.savefig(FIGURES / "12-grid.png", dpi=120)
plt.close(fig)
