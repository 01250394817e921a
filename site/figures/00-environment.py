"""Lesson 00 figure: what does it cost to start MPI, PETSc and SLEPc?

Reads lessons/_data/00-environment-startup.csv
(program,init_call,np,run,init_s,wall_s), written by `make bench` in
solutions/00-environment, and draws the median over the runs of
  left:  the initialisation call alone (MPI_Init, PetscInitialize, SlepcInitialize),
  right: the whole launch as the shell sees it (mpiexec, loading, init, run, exit),
for NP = 1, 2, 4.  The thin black lines show the fastest and slowest run."""
import csv
import statistics

import matplotlib.pyplot as plt
import numpy as np

rows = list(csv.DictReader(open(DATA / "00-environment-startup.csv")))
programs = list(dict.fromkeys(r["program"] for r in rows))
calls = {r["program"]: r["init_call"] for r in rows}
nps = sorted({int(r["np"]) for r in rows})
runs = 1 + max(int(r["run"]) for r in rows)

fig, axes = plt.subplots(1, 2, figsize=(9.0, 3.6), sharey=False)
width = 0.8 / len(programs)
for ax, key, title in zip(axes, ["init_s", "wall_s"],
                          ["the init call alone", "the whole mpiexec launch"]):
    for k, prog in enumerate(programs):
        med, lo, hi = [], [], []
        for n in nps:
            t = [float(r[key]) for r in rows if r["program"] == prog and int(r["np"]) == n]
            med.append(statistics.median(t))
            lo.append(min(t))
            hi.append(max(t))
        x = np.arange(len(nps)) + (k - (len(programs) - 1) / 2) * width
        med = np.array(med)
        ax.bar(x, med, width, label=f"{prog} ({calls[prog]})")
        ax.errorbar(x, med, yerr=[med - np.array(lo), np.array(hi) - med],
                    fmt="none", ecolor="black", elinewidth=0.8, capsize=2)
    ax.set_xticks(range(len(nps)), [f"NP={n}" for n in nps])
    ax.set_ylabel("seconds (median)")
    ax.set_title(title, fontsize=10)
axes[0].legend(fontsize=8, loc="upper left")
fig.suptitle(f"Start-up cost, {runs} runs each (Open MPI 4.1.4, PETSc 3.18, 2 cores)",
             fontsize=10)
fig.tight_layout()
fig.savefig(FIGURES / "00-environment-startup.png", dpi=120)
plt.close(fig)
