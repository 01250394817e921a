"""Lesson 10 figures: the bridge deck's first mode shapes, the O(h^2)
convergence of the lowest eigenvalue, and the eigensolve time against grid size.

Reads, all written by `make bench` in solutions/10-slepc:
  lessons/_data/10-slepc-modes.csv        x,y,mode1_m1_n1,... (one row per interior node)
  lessons/_data/10-slepc-convergence.csv  nx,ny,h,lambda_1,continuum_1,rel_error,error_ratio,order
  lessons/_data/10-slepc-timing.csv       solver,np,nx,ny,unknowns,time_s,outer_its,inner_its,ratio_vs_mumps
and writes 10-slepc-modes.png and 10-slepc-convergence.png."""
import csv

import matplotlib.pyplot as plt
import numpy as np

# --- 1. mode shapes -----------------------------------------------------------
rows = list(csv.DictReader(open(DATA / "10-slepc-modes.csv")))
modes = [k for k in rows[0] if k.startswith("mode")]
xs = sorted({float(r["x"]) for r in rows})
ys = sorted({float(r["y"]) for r in rows})
nx, ny = len(xs), len(ys)
hx, hy = xs[0], ys[0]
length, width = (nx + 1) * hx, (ny + 1) * hy

fig, axes = plt.subplots(len(modes), 1, figsize=(9.0, 1.35 * len(modes) + 0.6), sharex=True)
axes = np.atleast_1d(axes)
for ax, key in zip(axes, modes):
    # Nodes are in natural order (x fastest); add the fixed edges (w = 0).
    w = np.zeros((ny + 2, nx + 2))
    w[1:-1, 1:-1] = np.array([float(r[key]) for r in rows]).reshape(ny, nx)
    im = ax.imshow(w, origin="lower", extent=(-hx / 2, length + hx / 2, -hy / 2, width + hy / 2),
                   cmap="RdBu_r", vmin=-1, vmax=1, aspect=2.0, interpolation="bilinear")
    k, m, n = key.split("_")
    ax.set_title(f"mode {k[4:]}: (m, n) = ({m[1:]}, {n[1:]})", fontsize=9, loc="left")
    ax.set_ylabel("y")
    ax.set_yticks([0, width])
axes[-1].set_xlabel("x along the deck")
fig.colorbar(im, ax=axes, shrink=0.8, label="deflection w (max |w| = 1)")
fig.suptitle(f"First {len(modes)} vibration modes of the {length:g} x {width:g} deck "
             f"({nx} x {ny} interior nodes; y stretched 2x)", fontsize=10)
fig.savefig(FIGURES / "10-slepc-modes.png", dpi=120, bbox_inches="tight")
plt.close(fig)

# --- 2. convergence and time --------------------------------------------------
conv = list(csv.DictReader(open(DATA / "10-slepc-convergence.csv")))
timing = list(csv.DictReader(open(DATA / "10-slepc-timing.csv")))

fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(10.0, 4.0))
h = np.array([float(r["h"]) for r in conv])
err = np.array([float(r["rel_error"]) for r in conv])
ax1.loglog(h, err, "o-", label="computed λ₁₁ vs π²(1/L² + 1/W²)")
ax1.loglog(h, err[0] * (h / h[0]) ** 2, "k--", lw=0.8, label="slope 2: O(h²)")
ax1.set_xticks(h, [f"{v:g}" for v in h])
ax1.minorticks_off()
ax1.set_xlabel("grid spacing h = hx = hy")
ax1.set_ylabel("relative error")
ax1.set_title("discretisation error of the lowest mode", fontsize=10)
ax1.legend(fontsize=8)
ax1.grid(True, which="major", alpha=0.3)

styles = {"cg+bjacobi": "o", "cg+gamg": "s", "mumps": "^"}
colours = {1: "tab:blue", 2: "tab:red"}
for solver in sorted({r["solver"] for r in timing}):
    for np_ in sorted({int(r["np"]) for r in timing}):
        sel = [r for r in timing if r["solver"] == solver and int(r["np"]) == np_]
        if not sel:
            continue
        ax2.loglog([int(r["unknowns"]) for r in sel], [float(r["time_s"]) for r in sel],
                   marker=styles.get(solver, "x"), color=colours.get(np_, "tab:gray"),
                   ls="-" if np_ == 1 else "--", ms=4, label=f"{solver}, NP={np_}")
ax2.set_xlabel("unknowns nx·ny")
ax2.set_ylabel("EPSSolve time [s]")
ax2.set_title("4 lowest modes, shift-and-invert: inner solvers", fontsize=10)
ax2.legend(fontsize=7, ncol=2)
ax2.grid(True, which="major", alpha=0.3)
fig.suptitle("Open MPI 4.1.4, PETSc/SLEPc 3.18, 2 cores", fontsize=9)
fig.tight_layout()
fig.savefig(FIGURES / "10-slepc-convergence.png", dpi=120)
plt.close(fig)
