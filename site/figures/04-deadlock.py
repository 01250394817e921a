"""Lesson 04 figure: time of one exchange vs message size for the three safe
exchanges, under Open MPI and MPICH, with each MPI's eager threshold marked.

Reads lessons/_data/04-deadlock-fixes.csv (mpi,mode,bytes,repeat,time_min_s,
time_mean_s,check) and lessons/_data/04-deadlock-threshold.csv (mpi,library,
threshold_bytes,blocks_at_bytes,check), both written by `make bench` in
solutions/04-deadlock."""
import csv

import matplotlib.pyplot as plt

fixes = list(csv.DictReader(open(DATA / "04-deadlock-fixes.csv")))
thresholds = {r["mpi"]: r for r in csv.DictReader(open(DATA / "04-deadlock-threshold.csv"))}
mpis = [m for m in ("openmpi", "mpich") if m in thresholds]
styles = {"parity": ("o-", "C0"), "sendrecv": ("s-", "C1"), "nonblocking": ("^-", "C2")}

fig, axes = plt.subplots(1, len(mpis), figsize=(9.0, 3.8), sharey=True, squeeze=False)
for ax, mpi in zip(axes[0], mpis):
    for mode, (marker, color) in styles.items():
        rows = sorted((int(r["bytes"]), float(r["time_min_s"]))
                      for r in fixes if r["mpi"] == mpi and r["mode"] == mode)
        if rows:
            ax.loglog([b for b, _ in rows], [t * 1e6 for _, t in rows], marker,
                      color=color, label=mode, markersize=4)
    t = int(thresholds[mpi]["threshold_bytes"])
    ax.axvline(t, color="0.3", linestyle="--", linewidth=1)
    ax.text(t * 1.15, 0.97, f"eager limit\n{t} B", transform=ax.get_xaxis_transform(),
            va="top", fontsize=8, color="0.3")
    ax.set_title(thresholds[mpi]["library"], fontsize=10)
    ax.set_xlabel("bytes per message")
    ax.grid(True, which="major", alpha=0.3)
axes[0][0].set_ylabel("fastest exchange (µs)")
axes[0][0].legend(fontsize=8, loc="lower right")
fig.suptitle("Ring exchange on 2 ranks: every rank sends B bytes to each neighbour (best of 3 runs)", fontsize=10)
fig.tight_layout()
fig.savefig(FIGURES / "04-deadlock-fixes.png", dpi=120)
plt.close(fig)
