"""Lesson 13 figures.

1. 13-wave-snapshots.png: the wave field at three times of a 40 km x 24 km
   run with sponge layers (every 2nd node), the sponge's inner edge dashed.
   Data: lessons/_data/13-wave-snap-*.csv, written by `make bench`
   (wave -dt 0.008 -steps 1100 ... -snapshot_interval 275 on 2 ranks).
2. 13-wave-energy.png: the discrete energy E^{n+1/2} without and with the
   sponge (left) and the seismograms at four receivers (right).
   Data: lessons/_data/13-wave-energy.csv, 13-wave-seismogram.csv."""
import csv

import matplotlib.pyplot as plt

LX, LY, NX, NY, WIDTH = 40.0, 24.0, 200, 120, 20  # km, nodes, sponge nodes


def read_snap(path):
    rows = [line for line in open(path) if not line.startswith("#")]
    return [[float(v) for v in row.split(",")] for row in rows]


# ---- 1. snapshots ---------------------------------------------------------
snaps = sorted(DATA.glob("13-wave-snap-*.csv"))
fig, axes = plt.subplots(1, len(snaps), figsize=(13.0, 3.2), layout="constrained")
vmax = max(abs(v) for p in snaps for row in read_snap(p) for v in row) * 0.5
for ax, path in zip(axes, snaps):
    field = read_snap(path)
    step = int(path.stem.split("-")[-1])
    im = ax.imshow(field, origin="lower", extent=[0, LX, 0, LY], cmap="seismic", vmin=-vmax, vmax=vmax)
    wx, wy = WIDTH * LX / (NX - 1), WIDTH * LY / (NY - 1)
    ax.plot([wx, LX - wx, LX - wx, wx, wx], [wy, wy, LY - wy, LY - wy, wy], "k--", lw=0.8)
    ax.set_title(f"t = {step * 0.008:.1f} s")
    ax.set_xlabel("x (km)")
axes[0].set_ylabel("y (km)")
fig.colorbar(im, ax=axes, shrink=0.9, label="u")
fig.savefig(FIGURES / "13-wave-snapshots.png", dpi=120)
plt.close(fig)

# ---- 2. energy and seismograms ---------------------------------------------
def _numeric(r):
    try:
        return all(float(r[k]) == float(r[k]) for k in ("step", "t", "energy"))
    except (TypeError, ValueError):
        return False


rows = [r for r in csv.DictReader(open(DATA / "13-wave-energy.csv")) if _numeric(r)]
fig, (a1, a2) = plt.subplots(1, 2, figsize=(12.0, 3.8), layout="constrained")
for sponge, label in (("none", "no sponge (energy conserved)"), ("sponge", "sponge layers")):
    sel = [r for r in rows if r["sponge"] == sponge]
    a1.plot([float(r["t"]) for r in sel], [float(r["energy"]) for r in sel], "o-", ms=2, label=label)
a1.axvline(1.6, color="gray", lw=0.8, ls=":")
a1.text(1.7, 0.05, "source stops", transform=a1.get_xaxis_transform(), color="gray")
a1.set_xlabel("t (s)")
a1.set_ylabel("discrete energy $E^{n+1/2}$")
a1.legend()
seis = list(csv.DictReader(open(DATA / "13-wave-seismogram.csv")))
t = [float(r["t"]) for r in seis]
names = [k for k in seis[0] if k != "t"]
dist = [1, 3, 5, 15]
scale = max(abs(float(r[k])) for r in seis for k in names)
for off, (k, d) in enumerate(zip(names, dist)):
    a2.plot(t, [off + 0.8 * float(r[k]) / scale for r in seis], lw=1)
a2.set_yticks(range(len(names)), [f"{d} km" for d in dist[: len(names)]])
a2.set_xlabel("t (s)")
a2.set_ylabel("receiver, distance east of the source")
fig.savefig(FIGURES / "13-wave-energy.png", dpi=120)
plt.close(fig)
