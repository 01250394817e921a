"""The index page's picture: one problem shared by four ranks.

The temperature field of lesson 08's heat_mpi (lessons/_data/08-heat-field.csv,
written by `make bench`), at its second saved time, cut into the blocks that
four ranks own: MPI_Dims_create(4, 2) gives a 2 x 2 grid of blocks, and each
direction is split as heat_block.hpp's split() does (the first n % p parts get
one node more).  heat_mpi computes the same field bit for bit at any number of
ranks, so the field drawn is the field four ranks compute.  One layer of halo
nodes around a block (copies of the neighbours' edge nodes) is outlined for
rank 0.  Writes lessons/_figures/index-heat-ranks.png.
"""
import csv

import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt
from matplotlib.patches import Rectangle


def split(n, p, c):
    """Nodes [first, first + count) of n split over p parts, part c (heat_block.hpp)."""
    q, r = n // p, n % p
    return c * q + min(c, r), q + (1 if c < r else 0)


with open(DATA / "08-heat-field.csv", newline="") as f:
    rows = list(csv.DictReader(f))
times = sorted({float(r["t"]) for r in rows})
t = times[1] if len(times) > 1 else times[0]
xs = sorted({float(r["x"]) for r in rows})
ys = sorted({float(r["y"]) for r in rows})
ix = {x: i for i, x in enumerate(xs)}
iy = {y: j for j, y in enumerate(ys)}
field = [[0.0] * len(xs) for _ in ys]
for r in rows:
    if float(r["t"]) == t:
        field[iy[float(r["y"])]][ix[float(r["x"])]] = float(r["u"])
nx, ny = len(xs), len(ys)

fig, ax = plt.subplots(figsize=(6.2, 5.0), layout="constrained")
im = ax.imshow(field, origin="lower", cmap="inferno", vmin=0.0,
               extent=(-0.5, nx - 0.5, -0.5, ny - 0.5))
dims = (2, 2)  # MPI_Dims_create(4, 2): blocks in y, blocks in x
for cy in range(dims[0]):
    y0, ly = split(ny, dims[0], cy)
    for cx in range(dims[1]):
        x0, lx = split(nx, dims[1], cx)
        rank = cy * dims[1] + cx  # MPI_Cart_create, row-major, no reordering
        ax.add_patch(Rectangle((x0 - 0.5, y0 - 0.5), lx, ly, fill=False, ec="white", lw=2.2))
        ax.text(x0 + lx / 2 - 0.5, y0 + ly / 2 - 0.5, f"rank {rank}", color="white",
                ha="center", va="center", fontsize=13, weight="bold")
        if rank == 0:
            # The halo of rank 0: the row and column of its neighbours' nodes next to its block.
            ax.add_patch(Rectangle((x0 - 0.5, y0 + ly - 0.5), lx + 1, 1, fill=False, ec="#8ecae6",
                                   lw=1.6, ls="--"))
            ax.add_patch(Rectangle((x0 + lx - 0.5, y0 - 0.5), 1, ly + 1, fill=False, ec="#8ecae6",
                                   lw=1.6, ls="--"))
            ax.text(x0 + lx + 1.2, y0 + 1.0, "dashed: rank 0's halo,\ncopies of its\nneighbours' edge nodes",
                    color="white", fontsize=8, va="bottom",
                    bbox=dict(boxstyle="round", fc="black", ec="#8ecae6", alpha=0.75))
ax.set_xticks([])
ax.set_yticks([])
ax.set_title(f"Heat diffusing on a {nx} × {ny} grid, shared by four ranks", fontsize=10)
fig.colorbar(im, ax=ax, label="temperature", shrink=0.8)
fig.savefig(FIGURES / "index-heat-ranks.png", dpi=110)
plt.close(fig)
