# Figure for the Performance page: what the second core buys.  For the main
# program of each lesson that times NP = 1 and NP = 2 of the same work, the
# speed-up time(NP=1) / time(NP=2), read from the lessons' own CSV files
# (written by `make bench`; scaling_pairs.py says which column of which file).
# The machine has 2 cores sharing one memory system, so 2 is the ideal and
# memory-bound programs stay well below it.
import sys
from pathlib import Path

import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt

sys.path.insert(0, str(Path(__file__).resolve().parent))
from scaling_pairs import pairs  # noqa: E402

items = [(f"{p['lesson']} {p['label']}", p["t1"] / p["t2"]) for p in pairs(DATA)
         if not p["label"].endswith("a new Tao per voxel")]

fig, ax = plt.subplots(figsize=(8, 0.34 * len(items) + 1.3))
y = list(range(len(items)))[::-1]
ax.barh(y, [s for _, s in items], color="#457b9d")
for yy, (_, s) in zip(y, items):
    ax.text(s + 0.02, yy, f"{s:.2f}×", va="center", fontsize=8)
ax.axvline(1.0, color="black", lw=1)
ax.axvline(2.0, color="black", lw=1, ls="--")
ax.set_yticks(y)
ax.set_yticklabels([label for label, _ in items], fontsize=8)
ax.set_xlim(0, 2.3)
ax.set_xlabel("speed-up from NP = 1 to NP = 2 (dashed: ideal)")
ax.set_title("What the second core buys", loc="right", fontsize=10)
fig.tight_layout()
fig.savefig(FIGURES / "99-scaling.png", dpi=110)
plt.close(fig)
