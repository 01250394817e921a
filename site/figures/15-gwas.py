"""Lesson 15 figures: the Manhattan plot and the QQ plot of one scan.

Reads lessons/_data/15-gwas-scan.csv (index,chr,bp,p,p_rank,variants), a
reduced copy of the benchmark's scan written by `make bench` in
solutions/15-gwas: every variant with p < 1e-3 and one in 50 of the others;
p_rank is the rank of p among all tested variants (1 = smallest)."""
import csv
import math
from statistics import NormalDist

import matplotlib.pyplot as plt

rows = list(csv.DictReader(open(DATA / "15-gwas-scan.csv")))
m = int(rows[0]["variants"])
tested = max(int(r["p_rank"]) for r in rows)
# p values of 0 (below the smallest double) are drawn at the top of the axis.
def minus_log10(p):
    return -math.log10(p) if p > 0 else 320.0

fig, (ax, qq) = plt.subplots(1, 2, figsize=(11.0, 4.0), gridspec_kw={"width_ratios": [2.2, 1]})

# Manhattan: variants in genome order, chromosomes side by side.
rows.sort(key=lambda r: int(r["index"]))
chroms = sorted({r["chr"] for r in rows}, key=lambda c: (len(c), c))
ticks = []
for k, c in enumerate(chroms):
    sel = [r for r in rows if r["chr"] == c]
    x = [int(r["index"]) for r in sel]
    y = [minus_log10(float(r["p"])) for r in sel]
    ax.scatter(x, y, s=4, color="tab:blue" if k % 2 == 0 else "tab:gray", rasterized=True)
    ticks.append((sum(x) / len(x), c))
ax.axhline(-math.log10(5e-8), color="tab:red", lw=0.8, ls="--", label="5·10⁻⁸ (genome-wide)")
ax.axhline(-math.log10(0.05 / m), color="tab:orange", lw=0.8, ls=":", label=f"0.05 / {m:,} (Bonferroni)")
ax.set_xticks([t[0] for t in ticks])
ax.set_xticklabels([t[1] for t in ticks], fontsize=7)
ax.set_xlabel("chromosome (variants in genome order)")
ax.set_ylabel("−log₁₀ p")
ax.legend(fontsize=8, loc="upper right")
ax.set_title(f"Manhattan plot: {m:,} variants (p < 10⁻³ all, others 1 in 50)", fontsize=10)

# QQ: observed against expected -log10 p under the null, (rank - 0.5) / n.
pts = sorted((int(r["p_rank"]), float(r["p"])) for r in rows)
ex = [-math.log10((k - 0.5) / tested) for k, _ in pts]
ob = [minus_log10(p) for _, p in pts]
qq.scatter(ex, ob, s=5, color="tab:blue", rasterized=True)
top = max(ex)
qq.plot([0, top], [0, top], color="tab:red", lw=0.8)
# Genomic inflation: median chi-square / 0.4549 (the median of chi-square, 1 d.o.f.).
mid = min(pts, key=lambda t: abs(t[0] - tested / 2))[1]
lam = NormalDist().inv_cdf(1 - mid / 2) ** 2 / 0.45494
qq.set_xlabel("expected −log₁₀ p (no association)")
qq.set_ylabel("observed −log₁₀ p")
qq.set_title(f"QQ plot, λ_GC ≈ {lam:.3f}", fontsize=10)
qq.set_ylim(0, max(ob) * 1.05)
fig.tight_layout()
fig.savefig(FIGURES / "15-gwas-manhattan.png", dpi=120)
plt.close(fig)
