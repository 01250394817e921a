"""Lesson 11 figures, from the CSV files `make bench` writes in solutions/11-snes.

11-snes-continuation.png: max u against lambda on 129 x 129 nodes, traced by
  natural continuation (lessons/_data/11-snes-continuation.csv), with the
  turning point it found (11-snes-fold.csv).
11-snes-iterations.png: linear iterations per Newton step against the grid
  size, default preconditioner (GMRES + ILU(0)) against multigrid
  (11-snes-iterations.csv)."""
import csv

import matplotlib.pyplot as plt

rows = list(csv.DictReader(open(DATA / "11-snes-continuation.csv")))
fold = list(csv.DictReader(open(DATA / "11-snes-fold.csv")))[0]
lam = [float(r["lambda"]) for r in rows]
mu = [float(r["max_u"]) for r in rows]

fig, ax = plt.subplots(figsize=(6.4, 4.0))
ax.plot(lam, mu, "o-", ms=3.5, lw=1.2, label="converged solves (previous solution as the guess)")
ax.axvline(float(fold["fold_estimate"]), color="crimson", ls="--", lw=1,
           label=f"turning point ≈ {float(fold['fold_estimate']):.4f}")
ax.set_xlabel("λ (strength of the heat release)")
ax.set_ylabel("max u (temperature rise at the centre)")
ax.set_title(f"Bratu problem on {fold['grid']} nodes: no steady state beyond the fold", fontsize=10)
ax.legend(fontsize=8, loc="upper left")
ax.grid(alpha=0.3)
fig.tight_layout()
fig.savefig(FIGURES / "11-snes-continuation.png", dpi=120)
plt.close(fig)

rows = list(csv.DictReader(open(DATA / "11-snes-iterations.csv")))
fig, ax = plt.subplots(figsize=(6.4, 3.8))
for pc, label in [("default", "GMRES + ILU(0) (default)"), ("mg", "GMRES + multigrid (-pc_type mg)")]:
    sel = [r for r in rows if r["pc"] == pc]
    n = [int(r["grid"].split("x")[0]) for r in sel]
    per = [int(r["linear_its"]) / int(r["newton_its"]) for r in sel]
    ax.plot(n, per, "o-", label=label)
ax.set_xscale("log", base=2)
ax.set_yscale("log")
ax.set_xticks(n, [f"{k}²" for k in n])
ax.set_xlabel("grid (nodes)")
ax.set_ylabel("linear iterations per Newton step")
ax.set_title("λ = 6, 1 rank: same counts for bratu and PETSc's ex5", fontsize=10)
ax.legend(fontsize=8)
ax.grid(alpha=0.3, which="both")
fig.tight_layout()
fig.savefig(FIGURES / "11-snes-iterations.png", dpi=120)
plt.close(fig)
