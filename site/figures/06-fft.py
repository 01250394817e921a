"""Lesson 06 figure: forward 2D FFT of N x N complex doubles, serial FFTW,
the hand-written slab FFT (fft2d_transpose) and FFTW-MPI, natural and
transposed output, NP = 1 and 2; and where the hand-written one spends its
time (1D FFTs against transposes).

Reads lessons/_data/06-fft.csv
(n,np,program,layout,plan_s,forward_s,gflops,fft_s,transpose_s),
written by `make bench` in solutions/06-fft."""
import csv

import matplotlib.pyplot as plt

rows = list(csv.DictReader(open(DATA / "06-fft.csv")))
sizes = sorted({int(r["n"]) for r in rows})

fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(11.0, 5.4))

styles = {
    ("fftw_serial", "natural"): ("black", "o", "-", "serial FFTW"),
    ("fft2d_transpose", "natural"): ("tab:blue", "s", "-", "by hand"),
    ("fft2d_transpose", "transposed"): ("tab:blue", "s", "--", "by hand, transposed out"),
    ("fft2d_fftw_mpi", "natural"): ("tab:red", "^", "-", "FFTW-MPI"),
    ("fft2d_fftw_mpi", "transposed"): ("tab:red", "^", "--", "FFTW-MPI, TRANSPOSED_OUT"),
}
for (prog, layout), (colour, marker, line, label) in styles.items():
    for p in (1, 2):
        sel = [r for r in rows if r["program"] == prog and r["layout"] == layout
               and int(r["np"]) == p]
        if not sel:
            continue
        sel.sort(key=lambda r: int(r["n"]))
        name = label if prog == "fftw_serial" else f"{label}, NP={p}"
        ax1.plot([int(r["n"]) for r in sel], [float(r["gflops"]) for r in sel],
                 marker=marker, ls=line, color=colour, alpha=1.0 if p == 2 else 0.45,
                 mfc=colour if p == 2 else "none", label=name)
ax1.set_xscale("log", base=2)
ax1.set_xticks(sizes, [str(n) for n in sizes])
ax1.set_xlabel("N (array of N x N complex doubles)")
ax1.set_ylabel("GFLOP/s = 5 N² log₂(N²) / forward time")
ax1.set_ylim(bottom=0)
ax1.grid(True, alpha=0.3)
ax1.legend(fontsize=7, ncol=2, loc="upper center", bbox_to_anchor=(0.5, -0.16))
ax1.set_title("Forward 2D FFT (FFTW_MEASURE, fastest of all runs)", fontsize=10)

hand = [r for r in rows if r["program"] == "fft2d_transpose"]
hand.sort(key=lambda r: (int(r["n"]), int(r["np"]), r["layout"]))
labels = [f"{r['n']}\nNP={r['np']}\n{'T' if r['layout'] == 'transposed' else 'nat'}"
          for r in hand]
total = [float(r["fft_s"]) + float(r["transpose_s"]) for r in hand]
fft = [100 * float(r["fft_s"]) / t for r, t in zip(hand, total)]
tr = [100 * float(r["transpose_s"]) / t for r, t in zip(hand, total)]
x = range(len(hand))
ax2.bar(x, fft, color="tab:green", label="1D FFTs")
ax2.bar(x, tr, bottom=fft, color="tab:orange", label="transposes (pack, Alltoallv, unpack)")
for i, r in zip(x, hand):
    ax2.text(i, 101, f"{1e3 * float(r['forward_s']):.0f}", ha="center", fontsize=6)
ax2.set_xticks(list(x), labels, fontsize=7)

ax2.set_ylabel("share of the forward transform [%] (ms on top)")
ax2.set_ylim(0, 112)
ax2.set_title("fft2d_transpose: where the time goes (nat = natural, T = transposed out)",
              fontsize=9)
ax2.legend(fontsize=7, ncol=2, loc="upper center", bbox_to_anchor=(0.5, -0.2))
ax2.grid(True, axis="y", alpha=0.3)

fig.tight_layout()
fig.savefig(FIGURES / "06-fft.png", dpi=120)
plt.close(fig)
