"""Lesson 17 figures: the course's programs on a simulated cluster (SimGrid SMPI).

Reads lessons/_data/17-scaling-*.csv (written by simulate/scaling.py and
simulate/validate.py from simulated runs) and draws FIGURES/17-scaling-*.png.
Also writes FIGURES/17-scaling-numbers.inc: reStructuredText substitutions
(|name|) for every number the page quotes in its prose, the fits and the
worksheet's answers, so that the page's numbers come from the same files.

Models, as the page states them:
  alpha-beta     t(n) = alpha + n / beta, alpha and beta from the simulated ping-pong
  halo per step  heat_mpi's four MPI_Sendrecv: 2 (alpha + 8 lx / beta) + 2 (alpha + 8 ly / beta),
                 lx x ly the block of a rank inside the grid of d0 x d1 blocks
  Amdahl         S(P) = 1 / (s + (1 - s) / P), s fitted to the strong-scaling speed-ups
  Gustafson      S(P) = P - s (P - 1), s fitted to the weak-scaling scaled speed-ups
  broadcast      loop of sends: (P - 1) (alpha + n / beta); binomial tree: ceil(log2 P) (alpha + n / beta)
"""
import csv
import math

import matplotlib.pyplot as plt

COLORS = {"hpc": "tab:blue", "ethernet": "tab:red"}
NAMES = {"hpc": "InfiniBand cluster (hpc)", "ethernet": "Ethernet cluster (ethernet)"}


def load(name):
    path = DATA / name
    return list(csv.DictReader(open(path))) if path.exists() else None


def fnum(x, digits=2):
    """A number for prose: 2 significant digits, no exponent below 1e5."""
    if x == 0:
        return "0"
    e = math.floor(math.log10(abs(x)))
    d = max(digits - 1 - e, 0)
    return f"{x:,.{d}f}".replace(",", " ") if abs(x) < 1e5 else f"{x:.{digits}g}"


def ftime(seconds, digits=2):
    """A time for prose in the unit that suits it: 48 µs, 3.7 ms, 8.5 s."""
    for unit, scale in (("s", 1.0), ("ms", 1e-3), ("µs", 1e-6)):
        if abs(seconds) >= scale or unit == "µs":
            return f"{fnum(seconds / scale, digits)} {unit}"


subs = {}
CORES = {}


def sub(name, text):
    subs[name] = str(text)


# ---- the platforms' own numbers (simulate/platforms/*.xml) --------------------------
def platform_numbers():
    import xml.etree.ElementTree as ET
    pdir = DATA.parent.parent / "simulate" / "platforms"
    for name, tag in (("hpc", "hpc"), ("ethernet", "eth")):
        path = pdir / f"{name}.xml"
        if not path.exists():
            continue
        c = ET.parse(path).getroot().find(".//cluster")
        lo, hi = (int(v) for v in c.get("radical").split("-"))
        sub(f"{tag}_nodes", hi - lo + 1)
        sub(f"{tag}_cores", c.get("core"))
        CORES[name] = int(c.get("core"))
        sub(f"{tag}_ranks", (hi - lo + 1) * int(c.get("core")))
        sub(f"{tag}_bw", c.get("bw").replace("GBps", " GB/s").replace("MBps", " MB/s"))
        sub(f"{tag}_lat", c.get("lat").replace("us", " µs"))


platform_numbers()


# ---- alpha-beta from the ping-pong ------------------------------------------------
ab = {}
fits = load("17-scaling-alphabeta.csv")
if fits:
    for r in fits:
        ab[(r["platform"], r["route"])] = (float(r["alpha_us"]) * 1e-6, float(r["beta_MBps"]) * 1e6)

    def inter(platform):
        for (p, route), v in ab.items():
            if p == platform and "nodes" in route and "leaf" not in route:
                return v
        return None

    def intra(platform):
        for (p, route), v in ab.items():
            if p == platform and "one node" in route:
                return v
        return None

    for p, tag in (("hpc", "hpc"), ("ethernet", "eth")):
        a, b = inter(p)
        sub(f"alpha_{tag}", fnum(a * 1e6, 3) + " µs")
        sub(f"beta_{tag}", fnum(b / 1e6, 3) + " MB/s")
    a, b = intra("hpc")
    sub("alpha_shm", fnum(a * 1e6, 2) + " µs")
    sub("beta_shm", fnum(b / 1e6, 3) + " MB/s")
    for p, tag in (("hpc", "hpc"), ("ethernet", "eth")):
        a, b = inter(p)
        sub(f"nhalf_{tag}", fnum(a * b / 1e3, 2) + " kB")
        sub(f"q4_{tag}_alpha", fnum(a * 1e6, 2) + " µs")
        sub(f"q4_{tag}_transfer", fnum(1024 / b * 1e6, 2) + " µs")
    a, b = inter("ethernet")
    n = 1 << 20
    sub("ws_bcast_msg", ftime(a + n / b))
    sub("ws_bcast_loop_pred", ftime(1023 * (a + n / b)))
    sub("ws_bcast_tree_pred", ftime(10 * (a + n / b)))

pp = load("17-scaling-pingpong.csv")
if pp and fits:
    fig, ax = plt.subplots(figsize=(6.5, 4.2))
    styles = {"hpc": "o", "ethernet": "s"}
    for (p, route), (a, b) in ab.items():
        pts = [(int(r["bytes"]), float(r["latency_us"])) for r in pp if r["platform"] == p and r["route"] == route]
        n = [x for x, _ in pts]
        color = COLORS[p] if "one node" not in route else "gray"
        ls = "-" if "leaf" not in route else "--"
        ax.loglog(n, [t for _, t in pts], styles[p], color=color, ms=3.5, alpha=0.8)
        ax.loglog(n, [(a + k / b) * 1e6 for k in n], ls, color=color, lw=1,
                  label=f"{p}, {route}: {a * 1e6:.3g} µs + n / ({b / 1e6:.4g} MB/s)")
    ax.set_xlabel("message size n (bytes)")
    ax.set_ylabel("one-way time t(n) (µs)")
    ax.set_title("Simulated ping-pong (points) and the fitted α–β model (lines)", fontsize=10)
    ax.legend(fontsize=6.5)
    ax.grid(True, which="major", alpha=0.3)
    fig.tight_layout()
    fig.savefig(FIGURES / "17-scaling-pingpong.png", dpi=120)
    plt.close(fig)


def halo_model(platform, nx, ny, blocks):
    """Time of heat_mpi's four MPI_Sendrecv for an inside rank, from alpha and beta:
    those of two cores of one node while all ranks fit on one node, else those of
    two nodes (an upper bound: some neighbours still share a node)."""
    d0, d1 = (int(v) for v in blocks.split(" x "))
    a, b = inter(platform) if d0 * d1 > CORES.get(platform, 1) else intra(platform)
    lx, ly = nx / d0, ny / d1
    t = 0.0
    if d1 > 1:
        t += 2 * (a + 8 * lx / b)    # rows north and south
    if d0 > 1:
        t += 2 * (a + 8 * ly / b)    # columns east and west
    return t


def amdahl_fit(ps, times):
    """s of Amdahl's law from step times: T(P) = a + b / P fitted by least squares on
    the relative error (every P counts alike), s = a / (a + b).  Fitting T(1) too
    keeps one noisy one-rank run from deciding s."""
    s00 = s01 = s11 = r0 = r1 = 0.0
    for p, t in zip(ps, times):
        w, x = 1.0 / (t * t), 1.0 / p
        s00 += w; s01 += w * x; s11 += w * x * x; r0 += w * t; r1 += w * x * t
    det = s00 * s11 - s01 * s01
    a = (r0 * s11 - r1 * s01) / det
    b = (s00 * r1 - s01 * r0) / det
    return a / (a + b), a + b


def gustafson_fit(ps, scaled):
    num = sum((p - s) * (p - 1) for p, s in zip(ps, scaled) if p > 1)
    den = sum((p - 1) ** 2 for p in ps if p > 1)
    return num / den


# ---- strong scaling -------------------------------------------------------------
strong = load("17-scaling-strong.csv")
if strong and fits:
    fig, (ax_t, ax_s, ax_e) = plt.subplots(1, 3, figsize=(13, 4.2))
    for p in ("hpc", "ethernet"):
        rows = [r for r in strong if r["platform"] == p]
        if not rows:
            continue
        P = [int(r["np"]) for r in rows]
        T = [float(r["step_s"]) for r in rows]
        C = [float(r["comm_step_s"]) for r in rows]
        t1 = T[0]
        S = [t1 / t for t in T]
        E = [s / q for s, q in zip(S, P)]
        s_fit, t1_fit = amdahl_fit(P, T)
        tag = "hpc" if p == "hpc" else "eth"
        n = rows[0]["nx"]
        sub("strong_grid", f"{n} × {rows[0]['ny']}")
        sub("heat_steps", rows[0]["steps"])
        sub(f"amdahl_{tag}", fnum(s_fit, 2))
        sub(f"amdahl_{tag}_limit", fnum(1 / s_fit, 2) if s_fit > 0 else "∞")
        sub(f"t1_ms_{tag}", fnum(t1 * 1e3, 3) + " ms")
        sub(f"speedup_{tag}_max", fnum(S[-1], 3))
        sub(f"eff_{tag}_max", f"{100 * E[-1]:.0f} %")
        sub(f"np_{tag}_max", str(P[-1]))
        best = max(range(len(S)), key=lambda i: S[i])
        sub(f"np_{tag}_best", str(P[best]))
        sub(f"speedup_{tag}_best", fnum(S[best], 3))
        # Where the communication takes over: the first P whose step is more than half communication.
        cross = next((q for q, t, c in zip(P, T, C) if q > 1 and c > 0.5 * t), None)
        sub(f"cross_{tag}", str(cross) if cross else f"more than {P[-1]}")
        ax_t.loglog(P, [t * 1e3 for t in T], "o-", color=COLORS[p], label=f"{p}: step")
        ax_t.loglog(P[1:], [c * 1e3 for c in C[1:]], "x--", color=COLORS[p], label=f"{p}: communication only")
        ax_t.loglog(P, [t1 / q * 1e3 for q in P], ":", color=COLORS[p], lw=1)
        ax_t.loglog(P[1:], [halo_model(p, int(r["nx"]), int(r["ny"]), r["blocks"]) * 1e3 for r in rows[1:]],
                    "-", color=COLORS[p], lw=4, alpha=0.2)
        ax_s.loglog(P, S, "o-", color=COLORS[p], label=f"{p}: measured")
        ax_s.loglog(P, [t1 / (t1_fit * (s_fit + (1 - s_fit) / q)) for q in P], "--", color=COLORS[p], lw=1,
                    label=f"{p}: Amdahl, s = {s_fit:.2g}")
        ax_t.loglog(P, [(t1 / q + c) * 1e3 for q, c in zip(P, C)], "-", color=COLORS[p], lw=1, alpha=0.6)
        ax_e.semilogx(P, [100 * e for e in E], "o-", color=COLORS[p], label=p)
        if p == "hpc":
            sub("sim_cpu_1024", fnum(float(rows[-1]["sim_cpu_s"]), 2) + " s")
        # The halo exchange's simulated time, and how far the alpha-beta model is from it
        # once the ranks span more than one node.
        sub(f"comm_{tag}_min", ftime(min(C[1:])))
        sub(f"comm_{tag}_max", ftime(max(C[1:])))
        ratios = [c / halo_model(p, int(r["nx"]), int(r["ny"]), r["blocks"])
                  for r, q, c in zip(rows, P, C) if q > CORES.get(p, 1)]
        if ratios:
            sub(f"halo_{tag}_under_lo", fnum(min(ratios), 2))
            sub(f"halo_{tag}_under_hi", fnum(max(ratios), 2))
    ax_s.loglog(P, P, ":", color="black", lw=1, label="ideal: P")
    ax_t.plot([], [], ":", color="gray", lw=1, label="ideal T(1)/P")
    ax_t.plot([], [], "-", color="gray", lw=1, label="T(1)/P + communication")
    ax_t.plot([], [], "-", color="gray", lw=4, alpha=0.3, label="α–β model of the halo")
    ax_t.set_xlabel("simulated ranks P")
    ax_t.set_ylabel("time of one step (ms)")
    ax_t.set_title(f"heat_mpi, {subs.get('strong_grid', '')} nodes", fontsize=10)
    ax_t.legend(fontsize=6)
    ax_s.set_xlabel("simulated ranks P")
    ax_s.set_ylabel("speed-up T(1) / T(P)")
    ax_s.set_title("speed-up, and Amdahl's law fitted", fontsize=10)
    ax_s.legend(fontsize=6.5)
    ax_e.set_xlabel("simulated ranks P")
    ax_e.set_ylabel("efficiency S(P) / P (%)")
    ax_e.set_title("efficiency", fontsize=10)
    ax_e.axhline(100, color="black", lw=1, ls=":")
    ax_e.legend(fontsize=7)
    for ax in (ax_t, ax_s, ax_e):
        ax.grid(True, which="major", alpha=0.3)
    fig.suptitle("Strong scaling: the same grid on more and more simulated ranks", fontsize=10)
    fig.tight_layout()
    fig.savefig(FIGURES / "17-scaling-strong.png", dpi=110)
    plt.close(fig)

# ---- weak scaling -----------------------------------------------------------------------
weak = load("17-scaling-weak.csv")
if weak:
    fig, (ax_t, ax_s) = plt.subplots(1, 2, figsize=(10, 4.2))
    for p in ("hpc", "ethernet"):
        rows = [r for r in weak if r["platform"] == p]
        if not rows:
            continue
        P = [int(r["np"]) for r in rows]
        T = [float(r["step_s"]) for r in rows]
        C = [float(r["comm_step_s"]) for r in rows]
        tag = "hpc" if p == "hpc" else "eth"
        S = [q * T[0] / t for q, t in zip(P, T)]
        s_fit = gustafson_fit(P, S)
        sub(f"gustafson_{tag}", fnum(s_fit, 2))
        sub(f"weak_eff_{tag}_max", f"{100 * T[0] / T[-1]:.0f} %")
        sub(f"weak_grid_max", f"{rows[-1]['nx']} × {rows[-1]['ny']}")
        ax_t.loglog(P, [t * 1e3 for t in T], "o-", color=COLORS[p], label=f"{NAMES[p]}: step")
        ax_t.loglog(P[1:], [c * 1e3 for c in C[1:]], "x--", color=COLORS[p], label=f"{p}: communication only")
        ax_t.loglog(P, [(T[0] + c) * 1e3 for c in C], "-", color=COLORS[p], lw=1, alpha=0.6,
                      label=f"{p}: T(1) + communication")
        sub(f"weak_model_eff_{tag}", f"{100 * T[0] / (T[0] + C[-1]):.0f} %")
        sub(f"weak_comm_{tag}_max", fnum(C[-1] * 1e6, 2) + " µs")
        sub(f"weak_t1_{tag}", fnum(T[0] * 1e6, 2) + " µs")
        sub(f"weak_t_{tag}_max", fnum(T[-1] * 1e6, 2) + " µs")
        ax_s.loglog(P, S, "o-", color=COLORS[p], label=f"{p}: scaled speed-up P T(1) / T(P)")
        ax_s.loglog(P, [q - s_fit * (q - 1) for q in P], "--", color=COLORS[p], lw=1,
                    label=f"{p}: Gustafson, s = {s_fit:.2g}")
    ax_s.loglog(P, P, ":", color="black", lw=1, label="ideal: P")
    sub("weak_per_rank", f"{int(weak[0]['nx'])} × {int(weak[0]['ny'])}")
    ax_t.set_xlabel("simulated ranks P")
    ax_t.set_ylabel("time of one step (ms)")
    ax_t.set_title(f"heat_mpi, {subs['weak_per_rank']} nodes per rank", fontsize=10)
    ax_t.legend(fontsize=7)
    ax_s.set_xlabel("simulated ranks P")
    ax_s.set_ylabel("scaled speed-up")
    ax_s.set_title("scaled speed-up, and Gustafson's law fitted", fontsize=10)
    ax_s.legend(fontsize=7)
    for ax in (ax_t, ax_s):
        ax.grid(True, which="major", alpha=0.3)
    fig.suptitle("Weak scaling: the grid grows with the ranks", fontsize=10)
    fig.tight_layout()
    fig.savefig(FIGURES / "17-scaling-weak.png", dpi=110)
    plt.close(fig)

# ---- broadcast ------------------------------------------------------------------------
bc = load("17-scaling-bcast.csv")
if bc and fits:
    fig, (ax_a, ax_p) = plt.subplots(1, 2, figsize=(12, 4.4))
    big = [r for r in bc if r["np"] == "1024"]
    algos = []
    for r in big:
        if r["algorithm"] not in algos:
            algos.append(r["algorithm"])
    sizes = sorted({int(r["bytes"]) for r in big})
    groups = [(p, n) for p in ("hpc", "ethernet") for n in sizes]
    width = 0.8 / (len(algos) + 1)
    labels = {8: "8 B", 65536: "64 KiB", 1 << 20: "1 MiB"}
    for k, (p, n) in enumerate(groups):
        rows = [r for r in big if r["platform"] == p and int(r["bytes"]) == n]
        if not rows:
            continue
        loop = sorted(float(r["loop_us"]) for r in rows)[len(rows) // 2]   # the loop, median of the runs
        ax_a.bar(k - 0.4 + width / 2, loop, width, color="black", label="lesson 05's loop of sends" if k == 0 else None)
        for j, algo in enumerate(algos):
            v = [float(r["bcast_us"]) for r in rows if r["algorithm"] == algo]
            if v:
                ax_a.bar(k - 0.4 + width * (j + 1.5), v[0], width, color=f"C{j + 2}",
                         label=f"MPI_Bcast, {algo}" if k == 0 else None)
        tag = "hpc" if p == "hpc" else "eth"
        for r in rows:
            sub(f"bcast_{tag}_{n}_{r['algorithm']}", ftime(float(r["bcast_us"]) * 1e-6))
        best = min(rows, key=lambda r: float(r["bcast_us"]))
        sub(f"bcast_{tag}_{n}_loop", ftime(loop * 1e-6))
        sub(f"bcast_{tag}_{n}_best", ftime(float(best["bcast_us"]) * 1e-6))
        sub(f"bcast_{tag}_{n}_bestalgo", best["algorithm"])
        sub(f"bcast_{tag}_{n}_gain", fnum(loop / float(best["bcast_us"]), 2))
    ax_a.set_xticks(range(len(groups)))
    ax_a.set_xticklabels([f"{p}\n{labels.get(n, n)}" for p, n in groups], fontsize=8)
    ax_a.set_yscale("log")
    ax_a.set_ylabel("time until every rank has the data (µs)")
    ax_a.set_title("Broadcast to 1024 simulated ranks", fontsize=10)
    ax_a.legend(fontsize=7)
    ax_a.grid(True, axis="y", which="major", alpha=0.3)
    sweep = sorted((r for r in bc if r["platform"] == "hpc" and r["bytes"] == "65536"
                    and r["algorithm"] == "binomial_tree"), key=lambda r: int(r["np"]))
    if sweep:
        P = [int(r["np"]) for r in sweep]
        a, b = inter("hpc")
        n = 65536
        ax_p.loglog(P, [float(r["loop_us"]) for r in sweep], "o-", color="black", label="loop of sends (simulated)")
        ax_p.loglog(P, [float(r["bcast_us"]) for r in sweep], "o-", color="C2", label="MPI_Bcast, binomial_tree (simulated)")
        ax_p.loglog(P, [(q - 1) * (a + n / b) * 1e6 for q in P], "--", color="black", lw=1,
                    label="model (P - 1)(α + n/β)")
        ax_p.loglog(P, [math.ceil(math.log2(q)) * (a + n / b) * 1e6 for q in P], "--", color="C2", lw=1,
                    label="model ⌈log₂ P⌉ (α + n/β)")
        ax_p.set_xlabel("simulated ranks P")
        ax_p.set_ylabel("time (µs)")
        ax_p.set_title("64 KiB on the InfiniBand cluster: P - 1 steps or log₂ P", fontsize=10)
        ax_p.legend(fontsize=7)
        ax_p.grid(True, which="major", alpha=0.3)
        sub("bcast_model_loop_1024", ftime(1023 * (a + n / b)))
        sub("bcast_model_tree_1024", ftime(10 * (a + n / b)))
    fig.tight_layout()
    fig.savefig(FIGURES / "17-scaling-bcast.png", dpi=110)
    plt.close(fig)

# ---- the FFT's all-to-all -----------------------------------------------------------------
fft = load("17-scaling-fft.csv")
if fft:
    fig, ax = plt.subplots(figsize=(6.5, 4.2))
    for p in ("hpc", "ethernet"):
        # One rank transposes nothing (lesson 06: its column FFTs run down the columns).
        rows = [r for r in fft if r["platform"] == p and int(r["np"]) > 1]
        if not rows:
            continue
        P = [int(r["np"]) for r in rows]
        tr = [float(r["transpose_s"]) for r in rows]
        tag = "hpc" if p == "hpc" else "eth"
        sub(f"fft_tmin_np_{tag}", str(P[tr.index(min(tr))]))
        sub(f"fft_tmin_{tag}", ftime(min(tr)))
        one_node = [t for q, t in zip(P, tr) if q <= CORES.get(p, 1)]
        more = [(q, t) for q, t in zip(P, tr) if q > CORES.get(p, 1)]
        if one_node and more:
            sub(f"fft_node_np_{tag}", str(more[0][0]))
            sub(f"fft_node_jump_{tag}", fnum(more[0][1] / one_node[-1], 2))
        ax.loglog(P, [float(r["fft_s"]) * 1e3 for r in rows], "o-", color=COLORS[p], label=f"{p}: the 1D FFTs")
        ax.loglog(P, [float(r["transpose_s"]) * 1e3 for r in rows], "s--", color=COLORS[p],
                  label=f"{p}: the all-to-all transpose")
        cross = next((q for q, r in zip(P, rows) if float(r["transpose_s"]) > float(r["fft_s"])), None)
        sub(f"fft_cross_{tag}", str(cross) if cross else f"more than {P[-1]}")
        last = rows[-1]
        sub(f"fft_share_{tag}_max",
            f"{100 * float(last['transpose_s']) / (float(last['transpose_s']) + float(last['fft_s'])):.0f} %")
        sub("fft_np_max", str(P[-1]))
    sub("fft_grid", f"{fft[0]['n']} × {fft[0]['n']}")
    ax.set_xlabel("simulated ranks P")
    ax.set_ylabel("time (ms)")
    ax.set_title(f"fft2d_transpose, {subs['fft_grid']} complex numbers", fontsize=10)
    ax.legend(fontsize=7)
    ax.grid(True, which="major", alpha=0.3)
    fig.tight_layout()
    fig.savefig(FIGURES / "17-scaling-fft.png", dpi=120)
    plt.close(fig)

# ---- how long a 1024-rank simulation takes here ----------------------------------------
speed = load("17-scaling-speed.csv")
if speed:
    for r in speed:
        tag = "hpc" if r["platform"] == "hpc" else "eth"
        sub(f"speed_{tag}_wall", fnum(float(r["wall_s"]), 2) + " s")
        sub(f"speed_{tag}_cpu", fnum(float(r["cpu_s"]), 2) + " s")
        sub(f"speed_{tag}_load", r["load_before"])
        sub("speed_cores", r["cores"])
        sub("speed_np", r["np"])
        sub("speed_grid", f"{r['nx']} × {r['ny']}")
        sub("speed_steps", r["steps"])

# ---- validation (numbers for the prose) ------------------------------------------------------
val = load("17-scaling-validation.csv")
if val:
    for r in val:
        key = None
        if r["case"].startswith("ping-pong latency") and "network only" in r["case"]:
            key = "val_lat"
        elif r["case"].startswith("ping-pong latency"):
            key = "val_lat_compute"
        elif r["case"].startswith("heat") and r["np"] == "1":
            key = "val_heat1"
        elif r["case"].startswith("heat") and r["np"] == "2":
            key = "val_heat2"
        if key:
            sub(key, r["ratio"])
            sub(key + "_sim", r["simulated"])
            sub(key + "_real", r["real"])

# ---- the worksheet: given numbers and their answers -----------------------------------------
if strong and fits:
    rows = [r for r in strong if r["platform"] == "ethernet"]
    pick = {int(r["np"]): float(r["step_s"]) for r in rows}
    if 1 in pick and 64 in pick:
        t1, t64 = pick[1], pick[64]
        s64 = t1 / t64
        sub("ws_t1", fnum(t1 * 1e3, 3) + " ms")
        sub("ws_t64", fnum(t64 * 1e3, 3) + " ms")
        sub("ws_s64", fnum(s64, 3))
        sub("ws_e64", f"{100 * s64 / 64:.0f} %")
        sub("ws_kf64", fnum((1 / s64 - 1 / 64) / (1 - 1 / 64), 2))
    # Predict the Ethernet halo at 256 ranks from alpha and beta.
    r256 = next((r for r in rows if r["np"] == "256"), None)
    if r256:
        a, b = inter("ethernet")
        d0, d1 = (int(v) for v in r256["blocks"].split(" x "))
        lx = int(r256["nx"]) // d0
        sub("ws_blocks", r256["blocks"].replace("x", "×"))
        sub("ws_lx", str(lx))
        sub("ws_msg", fnum(8 * lx, 3) + " bytes")
        sub("ws_halo_pred", fnum(halo_model("ethernet", int(r256["nx"]), int(r256["ny"]), r256["blocks"]) * 1e6, 3) + " µs")
        sub("ws_halo_sim", fnum(float(r256["comm_step_s"]) * 1e6, 3) + " µs")
        sub("ws_compute256", fnum(pick[1] / 256 * 1e6, 3) + " µs")

with open(FIGURES / "17-scaling-numbers.inc", "w") as f:
    f.write(".. Written by site/figures/17-scaling.py from lessons/_data/17-scaling-*.csv.\n\n")
    for k in sorted(subs):
        f.write(f".. |{k}| replace:: {subs[k]}\n")
