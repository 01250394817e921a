"""Lesson 14 figure: loss curves of the four ways to fit one data set
(50,000 samples, 16 features): mini-batch SGD and full-batch gradient descent
on logistic regression (logreg), TAO lmvm on the same logistic model, and TAO
lmvm on the 16-32-16-1 network (mlp_tao).

Left: loss minus the logistic-regression minimum (TAO's converged loss), against
passes over the data (an SGD epoch, or one objective+gradient evaluation).
Right: the loss itself against wall time at NP=1, with the network.

Reads lessons/_data/14-ml-curves.csv (method,np,step,passes,loss,time_s),
written by `make bench` in solutions/14-ml."""
import csv

import matplotlib.pyplot as plt

rows = list(csv.DictReader(open(DATA / "14-ml-curves.csv")))
style = {
    "sgd": ("tab:blue", "mini-batch SGD (batch 256, lr 0.1)"),
    "gd": ("tab:orange", "full-batch gradient descent (lr 4)"),
    "tao-logreg": ("tab:green", "TAO lmvm, logistic model"),
    "tao-mlp": ("tab:red", "TAO lmvm, 16-32-16-1 network"),
}


def curve(method, np_):
    sel = [r for r in rows if r["method"] == method and int(r["np"]) == np_]
    return ([int(r["passes"]) for r in sel], [float(r["loss"]) for r in sel],
            [float(r["time_s"]) for r in sel])


_, tao_loss, _ = curve("tao-logreg", 1)
best = min(tao_loss)

fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(10.5, 4.0))
for m in ("sgd", "gd", "tao-logreg"):
    c, label = style[m]
    p, loss, _ = curve(m, 1)
    # Differences below 1e-13 are round-off: leave them out.
    pts = [(x, l - best) for x, l in zip(p, loss) if l - best > 1e-13]
    ax1.semilogy([x for x, _ in pts], [d for _, d in pts], "o-", ms=3, color=c, label=label)
ax1.set_xlabel("passes over the data")
ax1.set_ylabel("loss − minimum of the logistic loss")
ax1.set_title("Logistic regression, NP=1", fontsize=10)
ax1.grid(True, which="major", alpha=0.3)
ax1.legend(fontsize=8)

for m in ("sgd", "gd", "tao-logreg", "tao-mlp"):
    c, label = style[m]
    _, loss, t = curve(m, 1)
    ax2.plot([max(x, 1e-4) for x in t], loss, "-", color=c, label=label)
ax2.axhline(best, color="gray", lw=0.8, ls=":")
ax2.set_xscale("log")
ax2.set_xlabel("training time [s] (NP=1; the start is drawn at 1e-4 s)")
ax2.set_ylabel("mean cross-entropy loss")
ax2.set_title("All four, against time", fontsize=10)
ax2.grid(True, which="major", alpha=0.3)
ax2.legend(fontsize=8, loc="center right")
fig.suptitle("Same data, four fits (50,000 samples, 16 features, seed 42)", fontsize=10)
fig.tight_layout()
fig.savefig(FIGURES / "14-ml-loss.png", dpi=120)
plt.close(fig)
