"""Figures and worksheet tables of the concepts page (lessons/concepts.rst).

Everything measured comes from the lessons' own CSV files in lessons/_data
(written by `make bench` on the machine named on the Performance page);
scaling_pairs.py says which column of which file.  The curves of Amdahl's and
Gustafson's laws are the formulas, drawn through those measurements.

Writes into lessons/_figures/:
  concepts-why.png       lesson 12: solve time against problem size, 1 and 2 ranks
  concepts-models.png    shared, distributed and hybrid memory, and what two
                         threads (lesson 01) and two ranks (lesson 14) gave
  concepts-coupling.png  independent against coupled work: speed-ups at NP = 2,
                         and lesson 07's frame split into its phases
  concepts-amdahl.png    Amdahl's law, and lesson 05's scatter + sum by phase
  concepts-scaling.png   strong and weak scaling read off lesson 12's curves,
                         and Gustafson's law beside Amdahl's
  concepts-speedup.png   speed-up and efficiency at NP = 2 of every program
  concepts-worksheet.csv          the worksheet's given timings
  concepts-worksheet-answers.csv  its answers (speed-up, efficiency, serial fraction)
"""
import csv
import math
import sys
from pathlib import Path

import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt
import matplotlib.ticker
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

sys.path.insert(0, str(Path(__file__).resolve().parent))
from scaling_pairs import pairs, pick, rows  # noqa: E402

BLUE, ORANGE, GREEN, RED, GREY = "#457b9d", "#e76f51", "#2a9d8f", "#c0392b", "#888888"
ALL = pairs(DATA)


def save(fig, name):
    fig.savefig(FIGURES / name, dpi=110)
    plt.close(fig)


def amdahl(s, n):
    return 1.0 / (s + (1.0 - s) / n)


def gustafson(s, n):
    return n - s * (n - 1)


def serial_fraction(speedup, n=2):
    """Karp–Flatt: the serial fraction that Amdahl's law needs to explain a measured speed-up."""
    return (1.0 / speedup - 1.0 / n) / (1.0 - 1.0 / n)


def loglog_interp(xs, ys, y):
    """The x at which the piecewise log-log line through (xs, ys) reaches y (ys increasing)."""
    for (x0, y0), (x1, y1) in zip(zip(xs, ys), zip(xs[1:], ys[1:])):
        if y0 <= y <= y1:
            f = (math.log(y) - math.log(y0)) / (math.log(y1) - math.log(y0))
            return math.exp(math.log(x0) + f * (math.log(x1) - math.log(x0)))
    return None


# ---- lesson 12: time against problem size --------------------------------
grid = rows(DATA, "12-grid-gamg.csv")
curve = {}
for np_ in ("1", "2"):
    pts = sorted((int(r["buses"]), float(r["time_s"])) for r in grid if r["np"] == np_)
    curve[np_] = ([b for b, _ in pts], [t for _, t in pts])

fig, ax = plt.subplots(figsize=(6.4, 4.0), layout="constrained")
for np_, color in (("1", BLUE), ("2", ORANGE)):
    xs, ys = curve[np_]
    ax.plot(xs, ys, "o-", color=color, label=f"{np_} rank{'s' if np_ != '1' else ''}")
ax.set_xscale("log")
ax.set_yscale("log")
ax.set_xlabel("problem size: buses in the power network (lesson 12)")
ax.set_ylabel("time to solve (s)")
ax.set_title("A bigger problem takes longer; a second core brings the time down",
             fontsize=9, loc="left")
ax.grid(alpha=0.3, which="both")
ax.legend()
save(fig, "concepts-why.png")


# ---- memory models ----------------------------------------------------------
def box(ax, x, y, w, h, text, color, fs=7, alpha=0.25):
    ax.add_patch(FancyBboxPatch((x, y), w, h, boxstyle="round,pad=0.01,rounding_size=0.02",
                                fc=color, ec=color, alpha=alpha))
    ax.add_patch(FancyBboxPatch((x, y), w, h, boxstyle="round,pad=0.01,rounding_size=0.02",
                                fc="none", ec=color))
    ax.text(x + w / 2, y + h / 2, text, ha="center", va="center", fontsize=fs)


def arrow(ax, a, b, color="black", style="<->", ls="-"):
    ax.add_patch(FancyArrowPatch(a, b, arrowstyle=style, mutation_scale=9, color=color, lw=1,
                                 ls=ls))


def node(ax, x0, label, workers, own_memory):
    """A node with two workers; own_memory: a memory of its own for each (ranks)."""
    box(ax, x0, 0.08, 0.40, 0.80, "", GREY, alpha=0.08)
    ax.text(x0 + 0.20, 0.80, label, ha="center", fontsize=7)
    if not own_memory:
        box(ax, x0 + 0.04, 0.14, 0.32, 0.16, "memory", BLUE)
    for k in range(2):
        cx = x0 + 0.04 + k * 0.17
        box(ax, cx, 0.48, 0.15, 0.18, workers[k], ORANGE, fs=6)
        if own_memory:
            box(ax, cx, 0.14, 0.15, 0.16, "its\nmemory", BLUE, fs=6)
        arrow(ax, (cx + 0.075, 0.47), (cx + 0.075, 0.31))


fig = plt.figure(figsize=(10.5, 5.4), layout="constrained")
sub = fig.subfigures(2, 1, height_ratios=[1.15, 1])
axes = sub[0].subplots(1, 3)
titles = ["shared memory: threads of one process",
          "distributed memory: processes (ranks)",
          "hybrid: ranks between nodes, threads inside"]
for ax, title in zip(axes, titles):
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.axis("off")
    ax.set_title(title, fontsize=8)
# shared: one memory, four cores
ax = axes[0]
box(ax, 0.1, 0.08, 0.8, 0.8, "", GREY, alpha=0.08)
ax.text(0.5, 0.80, "one node", ha="center", fontsize=7)
box(ax, 0.15, 0.14, 0.7, 0.16, "one memory: every thread reads every array", BLUE)
for k in range(4):
    cx = 0.15 + k * 0.18
    box(ax, cx, 0.48, 0.16, 0.18, f"thread {k}", ORANGE, fs=6)
    arrow(ax, (cx + 0.08, 0.47), (cx + 0.08, 0.31))
# distributed: two nodes, a rank each core, messages between
ax = axes[1]
node(ax, 0.05, "node A", ["rank 0", "rank 1"], True)
node(ax, 0.55, "node B", ["rank 2", "rank 3"], True)
arrow(ax, (0.43, 0.57), (0.61, 0.57), color=RED)
ax.text(0.5, 0.62, "messages", color=RED, ha="center", fontsize=6)
arrow(ax, (0.16, 0.67), (0.33, 0.67), color=RED)
# hybrid
ax = axes[2]
node(ax, 0.05, "node A: rank 0", ["thread 0", "thread 1"], False)
node(ax, 0.55, "node B: rank 1", ["thread 0", "thread 1"], False)
arrow(ax, (0.43, 0.57), (0.61, 0.57), color=RED)
ax.text(0.5, 0.62, "MPI", color=RED, ha="center", fontsize=6)

# measured: two cores used as threads and as ranks
ax = sub[1].subplots(1, 1)
items = []
pm = rows(DATA, "01-parallel-map.csv")
for name, label in (("heavy", "01 heavy map, 2 threads"), ("square", "01 square map, 2 threads")):
    one, two = pick(pm, map=name, threads="1"), pick(pm, map=name, threads="2")
    if one and two:
        items.append((label, float(one["time_s"]) / float(two["time_s"]), "#f4a261"))
for p in ALL:
    if p["lesson"] in ("14", "12", "15"):
        items.append((f"{p['lesson']} {p['label']}, 2 ranks", p["t1"] / p["t2"], BLUE))
y = list(range(len(items)))[::-1]
ax.barh(y, [s for _, s, _ in items], color=[c for _, _, c in items])
for yy, (_, s, _) in zip(y, items):
    ax.text(s + 0.02, yy, f"{s:.2f}×", va="center", fontsize=7)
ax.set_yticks(y)
ax.set_yticklabels([label for label, _, _ in items], fontsize=7)
ax.axvline(2.0, color="black", lw=1, ls="--")
ax.set_xlim(0, 2.4)
ax.set_xlabel("speed-up on 2 cores (dashed: ideal), measured; orange: threads, blue: ranks")
save(fig, "concepts-models.png")


# ---- independent against coupled work -----------------------------------------
fig, (ax, bx) = plt.subplots(1, 2, figsize=(10.5, 3.8), layout="constrained",
                             gridspec_kw={"width_ratios": [1.4, 1]})
ordered = sorted(ALL, key=lambda p: (p["work"] != "independent", -p["t1"] / p["t2"]))
y = list(range(len(ordered)))[::-1]
sp = [p["t1"] / p["t2"] for p in ordered]
ax.barh(y, sp, color=[GREEN if p["work"] == "independent" else RED for p in ordered])
for yy, s in zip(y, sp):
    ax.text(s + 0.02, yy, f"{s:.2f}×", va="center", fontsize=7)
ax.set_yticks(y)
ax.set_yticklabels([f"{p['lesson']} {p['label']}" for p in ordered], fontsize=7)
ax.axvline(1.0, color="black", lw=1)
ax.axvline(2.0, color="black", lw=1, ls="--")
ax.set_xlim(0, 2.4)
ax.set_xlabel("speed-up from 1 to 2 ranks; green: independent pieces, red: coupled")
mri = rows(DATA, "07-mri-frame.csv")
phases = [("scatter_ms", "send the coils' data", GREY), ("recon_ms", "reconstruct (independent)", GREEN),
          ("reduce_ms", "combine the coils", RED)]
labels, bottoms = [], []
for k, np_ in enumerate(("1", "2")):
    r = pick(mri, mpi="openmpi", n="512", np=np_)
    if not r:
        continue
    bottom = 0.0
    for col, name, color in phases:
        v = float(r[col])
        bx.bar(k, v, bottom=bottom, color=color, label=name if k == 0 else None)
        bottom += v
    labels.append(f"{np_} rank{'s' if np_ != '1' else ''}")
bx.set_xticks(range(len(labels)))
bx.set_xticklabels(labels)
bx.set_ylabel("time per 512² 32-coil frame (ms)")
bx.set_title("lesson 07: moving the data costs more with 2 ranks", fontsize=8)
bx.legend(fontsize=7)
save(fig, "concepts-coupling.png")


# ---- Amdahl -------------------------------------------------------------------
fig, (ax, bx) = plt.subplots(1, 2, figsize=(10.5, 3.9), layout="constrained")
ns = [2 ** (k / 4) for k in range(0, 4 * 6 + 1)]  # 1 .. 64
for s, color in ((0.0, "black"), (0.01, GREEN), (0.05, BLUE), (0.10, ORANGE), (0.25, RED)):
    ax.plot(ns, [amdahl(s, n) for n in ns], color=color, lw=1.2,
            label=f"serial fraction s = {s:g}" + ("  (ideal)" if s == 0 else ""))
sc = rows(DATA, "05-scatter.csv")
one, two = pick(sc, mpi="openmpi", np="1"), pick(sc, mpi="openmpi", np="2")
if one and two:
    s05 = float(one["scatter_s"]) / float(one["time_s"])
    ax.plot(ns, [amdahl(s05, n) for n in ns], color=GREY, lw=1.2, ls="--",
            label=f"lesson 05: s = scatter / total at 1 rank = {s05:.2f}")
    ax.plot([2], [float(one["time_s"]) / float(two["time_s"])], "o", color="black",
            label="lesson 05 measured at 2 ranks")
ax.set_xscale("log", base=2)
ax.set_yscale("log", base=2)
for axis in (ax.xaxis, ax.yaxis):
    axis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda v, _: f"{v:g}"))
ax.set_xlabel("number of ranks N")
ax.set_ylabel("speed-up S(N)")
ax.set_title("Amdahl: S(N) = 1 / (s + (1 − s) / N)", fontsize=9)
ax.grid(alpha=0.3, which="both")
ax.legend(fontsize=7)
labels = []
for k, np_ in enumerate(("1", "2")):
    r = pick(sc, mpi="openmpi", np=np_)
    if not r:
        continue
    a, b = float(r["scatter_s"]) * 1e3, float(r["sum_s"]) * 1e3
    bx.bar(k, a, color=GREY, label="scatter from rank 0 (does not shrink: it grows)" if k == 0 else None)
    bx.bar(k, b, bottom=a, color=GREEN, label="sum of the pieces (halves)" if k == 0 else None)
    bx.text(k, a + b + 0.2, f"{a + b:.1f} ms", ha="center", fontsize=8)
    labels.append(f"{np_} rank{'s' if np_ != '1' else ''}")
bx.set_xticks(range(len(labels)))
bx.set_xticklabels(labels)
bx.set_ylabel("time (ms)")
bx.set_title("lesson 05: scatter 10⁷ numbers, then sum them", fontsize=9)
bx.legend(fontsize=7, loc="lower right")
save(fig, "concepts-amdahl.png")


# ---- strong and weak scaling, Gustafson ------------------------------------------
fig, (ax, bx) = plt.subplots(1, 2, figsize=(10.5, 4.0), layout="constrained")
x1, y1 = curve["1"]
x2, y2 = curve["2"]
ax.plot(x1, y1, "o-", color=BLUE, label="1 rank")
ax.plot(x2, y2, "o-", color=ORANGE, label="2 ranks")
big = max(x for x in x1 if x in x2)
t1, t2 = y1[x1.index(big)], y2[x2.index(big)]
ax.annotate("", xy=(big, t2), xytext=(big, t1),
            arrowprops=dict(arrowstyle="->", color="black", lw=1.3))
ax.text(big * 0.8, math.sqrt(t1 * t2), f"strong: same problem\n{t1 / t2:.2f}× faster",
        ha="right", va="center", fontsize=7)
mid = sorted(x1)[-2]
tm = y1[x1.index(mid)]
bigger = loglog_interp(x2, y2, tm)
if bigger:
    ax.annotate("", xy=(bigger, tm), xytext=(mid, tm),
                arrowprops=dict(arrowstyle="->", color=GREEN, lw=1.3))
    ax.text(math.sqrt(mid * bigger), tm / 1.5, f"weak: in the same time,\n{bigger / mid:.1f}× the "
            f"problem\n(ideal: 2×)", ha="left", va="top", fontsize=7, color=GREEN)
ax.set_xscale("log")
ax.set_yscale("log")
ax.set_xlabel("buses (lesson 12)")
ax.set_ylabel("time to solve (s)")
ax.grid(alpha=0.3, which="both")
ax.legend(fontsize=8, loc="upper left")
ax.set_title("strong and weak scaling, read off a real run", fontsize=9)
ns = list(range(1, 65))
for s, color in ((0.05, BLUE), (0.25, RED)):
    bx.plot(ns, [gustafson(s, n) for n in ns], color=color, lw=1.4,
            label=f"Gustafson (problem grows with N), s = {s:g}")
    bx.plot(ns, [amdahl(s, n) for n in ns], color=color, lw=1.2, ls="--",
            label=f"Amdahl (fixed problem), s = {s:g}")
bx.plot(ns, ns, color="black", lw=0.8, ls=":", label="ideal")
bx.set_xlabel("number of ranks N")
bx.set_ylabel("speed-up")
bx.set_title("the same serial fraction, two questions", fontsize=9)
bx.grid(alpha=0.3)
bx.legend(fontsize=7)
save(fig, "concepts-scaling.png")


# ---- speed-up and efficiency of every program -----------------------------------
fig, ax = plt.subplots(figsize=(9.5, 0.34 * len(ALL) + 1.4), layout="constrained")
y = list(range(len(ALL)))[::-1]
sp = [p["t1"] / p["t2"] for p in ALL]
eff = [s / 2 for s in sp]
h = 0.38
ax.barh([v + h / 2 for v in y], sp, height=h, color=BLUE, label="speed-up S = T₁ / T₂")
ax.barh([v - h / 2 for v in y], eff, height=h, color=GREEN, label="efficiency E = S / 2")
for yy, s, e in zip(y, sp, eff):
    ax.text(s + 0.02, yy + h / 2, f"{s:.2f}", va="center", fontsize=7)
    ax.text(e + 0.02, yy - h / 2, f"{e:.0%}", va="center", fontsize=7)
ax.set_yticks(y)
ax.set_yticklabels([f"{p['lesson']} {p['label']}" for p in ALL], fontsize=7)
ax.axvline(1.0, color="black", lw=1)
ax.axvline(2.0, color="black", lw=1, ls="--")
ax.set_xlim(0, 2.4)
ax.legend(fontsize=7, loc="lower right")
ax.set_xlabel("measured from 1 to 2 ranks on the 2 cores of the Performance page's machine")
save(fig, "concepts-speedup.png")


# ---- the worksheet ---------------------------------------------------------
def by_lesson(lesson, start):
    return next((p for p in ALL if p["lesson"] == lesson and p["label"].startswith(start)), None)


sheet = [("A", by_lesson("12", "CG+GAMG")), ("B", by_lesson("15", "GWAS")),
         ("C", by_lesson("07", "256²"))]
sheet = [(k, p) for k, p in sheet if p]
unit = {"07": "ms"}
with open(FIGURES / "concepts-worksheet.csv", "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["run", "lesson", "what ran", "T₁ (1 rank)", "T₂ (2 ranks)"])
    for k, p in sheet:
        u = unit.get(p["lesson"], "s")
        w.writerow([k, p["lesson"], p["label"], f"{p['t1']:.3g} {u}", f"{p['t2']:.3g} {u}"])
with open(FIGURES / "concepts-worksheet-answers.csv", "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["run", "speed-up S = T₁/T₂", "efficiency E = S/2", "serial fraction e = 2/S − 1",
                "Amdahl with that e: S(16)"])
    for k, p in sheet:
        s = float(f"{p['t1']:.3g}") / float(f"{p['t2']:.3g}")  # from the numbers the learner sees
        e = round(serial_fraction(s), 2)  # the learner goes on from the rounded value
        s16 = f"{amdahl(e, 16):.2f}" if 0 <= e < 1 else "— (e ≥ 1: slower)"
        w.writerow([k, f"{s:.2f}", f"{s / 2:.0%}", f"{e:.2f}", s16])
