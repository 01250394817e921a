"""Lesson 02 figure: in which order do the ranks' greetings arrive?

Reads lessons/_data/02-hello-order.csv (run,position,rank), written by
`make bench` in solutions/02-hello, and draws how often each rank's line came
first, second, ... over all runs."""
import csv

import matplotlib.pyplot as plt
import numpy as np

rows = list(csv.DictReader(open(DATA / "02-hello-order.csv")))
np_ranks = 1 + max(int(r["rank"]) for r in rows)
runs = 1 + max(int(r["run"]) for r in rows)
count = np.zeros((np_ranks, np_ranks), dtype=int)
for r in rows:
    count[int(r["rank"]), int(r["position"])] += 1

fig, ax = plt.subplots(figsize=(5.0, 3.6))
im = ax.imshow(count, cmap="Blues", vmin=0, vmax=runs)
for i in range(np_ranks):
    for j in range(np_ranks):
        ax.text(j, i, count[i, j], ha="center", va="center",
                color="white" if count[i, j] > runs / 2 else "black")
ax.set_xticks(range(np_ranks), [str(k + 1) for k in range(np_ranks)])
ax.set_yticks(range(np_ranks), [f"rank {k}" for k in range(np_ranks)])
ax.set_xlabel("position of the line in the output")
ax.set_title(f"{runs} runs of hello on {np_ranks} ranks", fontsize=10)
fig.colorbar(im, ax=ax, label="runs")
fig.tight_layout()
fig.savefig(FIGURES / "02-hello-order.png", dpi=120)
plt.close(fig)
