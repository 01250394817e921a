"""Lesson 07 figures.

1. 07-mri-images.png: the phantom, log |k-space|, the reconstruction and the
   8-coil sum-of-squares image, from the 16-bit PGMs that `make figures` in
   solutions/07-mri writes (mri --n 128 --coils 8 --write lessons/_data/07-mri).
2. 07-mri-coils.png: the eight coil images |I_c| (the _coils.pgm montage).
3. 07-mri-times.png: slice and 32-coil frame times at N = 256 and 512, NP = 1
   and 2, from lessons/_data/07-mri-slice.csv and 07-mri-frame.csv (make bench).
"""
import csv

import matplotlib.pyplot as plt
import numpy as np


def read_pgm(path):
    """A binary PGM (P5) as floats in [0, 1]; header comments are skipped."""
    raw = path.read_bytes()
    fields, pos = [], 0
    while len(fields) < 4:
        while raw[pos:pos + 1].isspace():
            pos += 1
        if raw[pos:pos + 1] == b"#":
            pos = raw.index(b"\n", pos) + 1
            continue
        end = pos
        while not raw[end:end + 1].isspace():
            end += 1
        fields.append(raw[pos:end].decode())
        pos = end
    pos += 1  # the single whitespace after maxval
    magic, width, height, maxval = fields[0], int(fields[1]), int(fields[2]), int(fields[3])
    assert magic == "P5", f"{path}: not a binary PGM"
    dtype = ">u2" if maxval > 255 else "u1"
    img = np.frombuffer(raw, dtype=dtype, count=width * height, offset=pos)
    return img.reshape(height, width).astype(float) / maxval


# 1. the pipeline, one panel per stage
panels = [("phantom", "phantom $I(x, y)$"),
          ("kspace", r"k-space $\log(1 + |K|)$, centred"),
          ("recon", "reconstruction (inverse FFT)"),
          ("sos", "8 coils, sum of squares")]
fig, axes = plt.subplots(1, 4, figsize=(12.0, 3.4))
for ax, (name, title) in zip(axes, panels):
    img = read_pgm(DATA / f"07-mri_{name}.pgm")
    ax.imshow(img, cmap="gray", vmin=0, vmax=1, interpolation="nearest")
    ax.set_title(title, fontsize=9)
    ax.set_xticks([])
    ax.set_yticks([])
fig.tight_layout()
fig.savefig(FIGURES / "07-mri-images.png", dpi=120)
plt.close(fig)

# 2. the coil images
coils = read_pgm(DATA / "07-mri_coils.pgm")
fig, ax = plt.subplots(figsize=(9.0, 4.6))
ax.imshow(coils, cmap="gray", vmin=0, vmax=1, interpolation="nearest")
ax.set_xticks([])
ax.set_yticks([])
ax.set_title("coil images $|I_c|$, coils 0-3 (top) and 4-7 (bottom); one scale for all",
             fontsize=9)
fig.tight_layout()
fig.savefig(FIGURES / "07-mri-coils.png", dpi=120)
plt.close(fig)

# 3. measured times, in the order of the CSV files (MPI, N, NP)
slices = list(csv.DictReader(open(DATA / "07-mri-slice.csv")))
frames = list(csv.DictReader(open(DATA / "07-mri-frame.csv")))


def label(r):
    return f"{r['mpi']}\nN={r['n']}\nNP={r['np']}"


def grouped(ax, rows, series):
    x = np.arange(len(rows))
    w = 0.8 / len(series)
    for k, (key, name) in enumerate(series):
        ax.bar(x + (k - (len(series) - 1) / 2) * w, [float(r[key]) for r in rows], w, label=name)
    ax.set_yscale("log")
    top = max(float(r[key]) for r in rows for key, _ in series)
    ax.set_ylim(top=12 * top)  # room for the legend above the bars
    ax.set_xticks(x)
    ax.set_xticklabels([label(r) for r in rows], fontsize=7)
    ax.grid(True, axis="y", which="both", alpha=0.3)


fig, axes = plt.subplots(1, 2, figsize=(12.0, 4.4))
grouped(axes[0], slices, [("seq_ms", "sequential (rank 0)"),
                          ("two_stage_ms", "two-stage (scatter, rows, gather, columns)"),
                          ("transpose_ms", "transpose (rows, Alltoallv, rows, Alltoallv)")])
axes[0].set_ylabel("time per slice [ms] (best of repetitions)")
axes[0].set_title("one slice", fontsize=10)
axes[0].legend(fontsize=7)
grouped(axes[1], frames, [("frame_ms", "whole frame"), ("scatter_ms", "scatter coils"),
                          ("recon_ms", "FFTs + |I_c|^2"), ("reduce_ms", "reduce + sqrt")])
axes[1].axhline(20, color="k", ls="--", lw=1, label="goal: 20 ms")
axes[1].axhline(50, color="tab:red", ls=":", lw=1, label="cardiac cine budget: 50 ms")
axes[1].set_ylabel("time per frame [ms] (each phase: slowest rank)")
axes[1].set_title(f"one {frames[0]['coils']}-coil frame", fontsize=10)
axes[1].legend(fontsize=7, ncol=2)
fig.suptitle("MRI reconstruction on one 2-core node (best of repetitions)", fontsize=10)
fig.tight_layout()
fig.savefig(FIGURES / "07-mri-times.png", dpi=120)
plt.close(fig)
