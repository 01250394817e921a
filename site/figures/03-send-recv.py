"""Lesson 03 figure: ping-pong latency and bandwidth against message size,
ours and NetPIPE's, with Open MPI and with MPICH.

Reads lessons/_data/03-pingpong-{ours,netpipe}-{openmpi,mpich}.csv (written by
`make bench` in solutions/03-send-recv) and 03-pingpong-fit.csv (the fitted
model t(n) = latency + n / bandwidth over all sizes), and draws
FIGURES/03-pingpong.png."""
import csv

import matplotlib.pyplot as plt


def load(name):
    path = DATA / name
    if not path.exists():
        return None
    rows = list(csv.DictReader(open(path)))
    # Powers of two only: NetPIPE also measures 3 * 2^k bytes.
    rows = [r for r in rows if int(r["bytes"]) & (int(r["bytes"]) - 1) == 0]
    return ([int(r["bytes"]) for r in rows], [float(r["latency_us"]) for r in rows],
            [float(r["bandwidth_MBps"]) for r in rows])


fits = {}
if (DATA / "03-pingpong-fit.csv").exists():
    for r in csv.DictReader(open(DATA / "03-pingpong-fit.csv")):
        if r["sizes"] == "all" and r["bandwidth_MBps"] != "inf":
            fits[(r["mpi"], r["tool"])] = (float(r["latency_us"]), float(r["bandwidth_MBps"]))

colors = {"openmpi": "tab:blue", "mpich": "tab:orange"}
names = {"openmpi": "Open MPI", "mpich": "MPICH"}
fig, (ax_t, ax_b) = plt.subplots(1, 2, figsize=(10, 4))
for mpi in ("openmpi", "mpich"):
    for tool, style, label in (("ours", "o-", "pingpong"), ("netpipe", "s--", "NetPIPE")):
        d = load(f"03-pingpong-{tool}-{mpi}.csv")
        if d is None:
            continue
        n, t, bw = d
        kw = dict(color=colors[mpi], ms=3.5, lw=1.2, alpha=1.0 if tool == "ours" else 0.6,
                  label=f"{label}, {names[mpi]}")
        ax_t.loglog(n, t, style, **kw)
        ax_b.semilogx(n, bw, style, **kw)
    if (mpi, "ours") in fits:
        a, b = fits[(mpi, "ours")]
        n, _, _ = load(f"03-pingpong-ours-{mpi}.csv")
        ax_t.loglog(n, [a + k / b for k in n], ":", color=colors[mpi], lw=1.5,
                    label=f"model {a:.2f} µs + n / ({b:.0f} MB/s), {names[mpi]}")

ax_t.set_xlabel("message size n (bytes)")
ax_t.set_ylabel("one-way time t(n) (µs)")
ax_t.set_title("latency: half a round trip", fontsize=10)
ax_t.legend(fontsize=7)
ax_t.grid(True, which="major", alpha=0.3)
ax_b.set_xlabel("message size n (bytes)")
ax_b.set_ylabel("bandwidth n / t(n) (MB/s)")
ax_b.set_title("bandwidth (10^6 bytes per second)", fontsize=10)
ax_b.legend(fontsize=7)
ax_b.grid(True, which="major", alpha=0.3)
fig.suptitle("Ping-pong between 2 ranks on one 2-core machine (shared memory)", fontsize=10)
fig.tight_layout()
fig.savefig(FIGURES / "03-pingpong.png", dpi=120)
plt.close(fig)
