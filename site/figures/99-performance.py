# Figure for the Performance page: every benchmark's ours/anchor ratio, turned
# into "how many times faster than the anchor" (anchor/ours for times, ours/anchor
# for rates), from lessons/_data/bench-report.csv written by `make bench`.
import csv

import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt

with open(DATA / "bench-report.csv", newline="") as f:
    rows = list(csv.DictReader(f))

labels, speed = [], []
for r in rows:
    ratio = float(r["ratio"])
    speed.append(1.0 / ratio if r["better"] == "lower" else ratio)
    labels.append(f"{r['lesson']} {r['job']}  vs  {r['anchor']}")

fig, ax = plt.subplots(figsize=(9, 0.32 * len(rows) + 1.2))
y = range(len(rows))[::-1]
colors = ["#2a9d8f" if s >= 1 else "#e76f51" for s in speed]
ax.barh(list(y), speed, color=colors)
ax.axvline(1.0, color="black", lw=1)
ax.set_yticks(list(y))
ax.set_yticklabels(labels, fontsize=7)
ax.set_xscale("log")
ax.set_xlabel("speed relative to the anchor (>1: ours is faster)")
ax.set_title(f"Each job against its anchor ({rows[0]['cores']} cores)" if rows else "no data", loc="right")
fig.tight_layout()
fig.savefig(FIGURES / "99-performance.png", dpi=110)
plt.close(fig)
