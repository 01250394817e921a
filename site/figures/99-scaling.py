# Figure for the Performance page: what the second core buys.  For the main
# program of each lesson that times NP = 1 and NP = 2 of the same work, the
# speed-up time(NP=1) / time(NP=2), read from the lessons' own CSV files
# (written by `make bench`).  The machine has 2 cores sharing one memory
# system, so 2 is the ideal and memory-bound programs stay well below it.
import csv

import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt


def rows_of(name):
    path = DATA / name
    if not path.exists():
        return []
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def pick(rows, **want):
    for r in rows:
        if all(r.get(k) == v for k, v in want.items()):
            return r
    return None


items = []  # (label, speed-up)


def add(label, rows, key, one, two):
    a, b = pick(rows, **one), pick(rows, **two)
    if a and b and float(b[key]) > 0:
        items.append((label, float(a[key]) / float(b[key])))


fft = rows_of("06-fft-ratios.csv")
add("06 hand-written 2D FFT 4096²", fft, "hand_s", {"n": "4096", "np": "1"}, {"n": "4096", "np": "2"})
add("06 FFTW-MPI 2D FFT 4096²", fft, "fftw_mpi_s", {"n": "4096", "np": "1"}, {"n": "4096", "np": "2"})
mri = rows_of("07-mri-frame.csv")
add("07 256² 32-coil frame (Open MPI)", mri, "frame_ms", {"mpi": "openmpi", "np": "1", "n": "256"},
    {"mpi": "openmpi", "np": "2", "n": "256"})
heat = rows_of("08-heat-bench.csv")
add("08 heat_mpi step, 3001²", heat, "best_step_s", {"program": "heat_mpi", "halo": "sendrecv", "np": "1"},
    {"program": "heat_mpi", "halo": "sendrecv", "np": "2"})
add("08 heat_petsc step (PetscSF), 3001²", heat, "best_step_s",
    {"program": "heat_petsc", "halo": "PetscSF", "np": "1"}, {"program": "heat_petsc", "halo": "PetscSF", "np": "2"})
tao = rows_of("09-tao-throughput.csv")
add("09 T2 map 256², one Tao per rank", tao, "time_s", {"method": "one Tao per rank", "np": "1"},
    {"method": "one Tao per rank", "np": "2"})
grid = rows_of("12-grid-gamg.csv")
add("12 CG+GAMG, 1000×1000 buses", grid, "time_s", {"grid": "1000x1000", "np": "1"},
    {"grid": "1000x1000", "np": "2"})
wave = rows_of("13-wave-bench.csv")
add("13 leapfrog 2001×1201, 50 steps", wave, "time_s", {"np": "1"}, {"np": "2"})
ml = rows_of("14-ml-summary.csv")
add("14 MLP trained with TAO", ml, "time_s", {"method": "tao-mlp", "np": "1"}, {"method": "tao-mlp", "np": "2"})
gwas = rows_of("15-gwas-bench.csv")
add("15 GWAS scan, 10 000 × 500 000", gwas, "wall_s", {"program": "gwas", "np": "1"},
    {"program": "gwas", "np": "2"})

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
