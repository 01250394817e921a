"""Lesson 05 figure: broadcast time against message size, a hand-written
broadcast (the root sends P-1 messages) against MPI_Bcast, at NP=2 and NP=4,
for Open MPI and MPICH.

Reads lessons/_data/05-bcast.csv (mpi,np,bytes,samples,p2p_s,bcast_s,ratio),
written by `make bench` in solutions/05-collectives."""
import csv

import matplotlib.pyplot as plt

rows = list(csv.DictReader(open(DATA / "05-bcast.csv")))
mpis = sorted({r["mpi"] for r in rows})
nps = sorted({int(r["np"]) for r in rows})

fig, axes = plt.subplots(1, len(mpis), figsize=(5.0 * len(mpis), 4.0), sharey=True,
                         squeeze=False)
colours = {2: "tab:blue", 4: "tab:red"}
for ax, mpi in zip(axes[0], mpis):
    for p in nps:
        sel = [r for r in rows if r["mpi"] == mpi and int(r["np"]) == p]
        size = [int(r["bytes"]) for r in sel]
        c = colours.get(p, "tab:gray")
        ax.loglog(size, [1e6 * float(r["bcast_s"]) for r in sel], "o-", color=c, ms=3,
                  label=f"MPI_Bcast, NP={p}")
        ax.loglog(size, [1e6 * float(r["p2p_s"]) for r in sel], "s--", color=c, ms=3,
                  mfc="none", label=f"P-1 sends, NP={p}")
    ax.set_title(mpi, fontsize=10)
    ax.set_xlabel("message size [bytes]")
    ax.grid(True, which="major", alpha=0.3)
axes[0][0].set_ylabel("median time until the last rank has the data [µs]")
axes[0][-1].legend(fontsize=8, loc="upper left")
fig.suptitle("Broadcast on one 2-core node (NP=4 is oversubscribed)", fontsize=10)
fig.tight_layout()
fig.savefig(FIGURES / "05-collectives-bcast.png", dpi=120)
plt.close(fig)
