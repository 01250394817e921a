#!/usr/bin/env python3
"""How far to trust the simulator: simulated against real times on this machine.

    python3 simulate/validate.py        (a few minutes; writes lessons/_data/17-scaling-validation.csv)

The real times are the course's own measurements, taken on a quiet machine by
`make bench` in the lessons (lessons/_data/):
  ping-pong   03-pingpong-ours-openmpi.csv   one-way time, 2 ranks, Open MPI
  broadcast   05-bcast.csv                   MPI_Bcast, 2 ranks, Open MPI
  heat        08-heat-bench.csv              heat_mpi's best step, 3001 x 3001, NP = 1, 2

The simulated times come from the same programs built with smpicxx and run now
with `make simulate PLATFORM=this-machine` (simulate/platforms/this-machine.xml,
calibrated from those files by calibrate.py: the ping-pong rows check the fit,
the broadcast and heat rows were not used to calibrate anything).

The ping-pong and broadcast rows run with --cfg=smpi/simulate-computation:no:
their timed loops compute nothing, and what SMPI would time between two MPI
calls is its own bookkeeping, a few microseconds on a busy machine.  One row
shows the ping-pong latency with computation simulated too, to show that.

Each row carries the range of simulated/real that lesson 17 states for it
(low, high); tests/simulate.bats checks that the ratios stay inside.
"""
import csv
import os
import re
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "lessons" / "_data"
OUT = DATA / "17-scaling-validation.csv"
NO_COMPUTE = "--cfg=smpi/simulate-computation:no"

# The range each kind of row must stay in (simulated / real), as the page says.
RANGES = {
    "pingpong": (0.8, 1.25),        # the platform was fitted to these very points
    "pingpong-compute": (0.8, 30),  # SMPI times its own bookkeeping as computation
    "bcast": (0.5, 2.0),            # one message at NP = 2, but the measurement adds a barrier
    "heat1": (0.67, 1.5),           # a computation timed for real: as good as the timer
    "heat2": (0.4, 1.25),           # two ranks do not share memory bandwidth in simulation
}


def simulate(lesson, prog, np, args, flags=""):
    env = dict(os.environ, SMPI_FLAGS=flags)
    cmd = ["make", "-s", "--no-print-directory", "-C", str(ROOT / "solutions" / lesson), "simulate",
           f"PROG={prog}", f"NP={np}", "PLATFORM=this-machine", f"ARGS={args}"]
    p = subprocess.run(cmd, env=env, stdin=subprocess.DEVNULL, capture_output=True, text=True)
    if p.returncode != 0 or "check = PASS" not in p.stdout:
        sys.exit(f"validate: {' '.join(cmd)} failed:\n{p.stdout}{p.stderr}")
    return p.stdout


def value(text, name):
    m = re.search(rf"^{re.escape(name)} = (\S+)", text, re.M)
    return float(m.group(1))


def rows(name):
    return list(csv.DictReader(open(DATA / name)))


def main():
    out = []

    def add(kind, case, np, metric, real, sim):
        lo, hi = RANGES[kind]
        out.append({"case": case, "np": np, "metric": metric, "real": f"{real:.4g}",
                    "simulated": f"{sim:.4g}", "ratio": f"{sim / real:.2f}", "low": lo, "high": hi})

    tmp = Path(tempfile.mkdtemp())
    # ---- ping-pong: latency (1-64 B) and bandwidth (1-4 MiB) -------------------------
    real_pp = {int(r["bytes"]): r for r in rows("03-pingpong-ours-openmpi.csv")}
    small = [n for n in real_pp if n <= 64]
    large = [n for n in real_pp if 1 << 20 <= n <= 4 << 20]
    for flags, kind in ((NO_COMPUTE, "pingpong"), ("", "pingpong-compute")):
        csv_path = tmp / f"pingpong{kind}.csv"
        simulate("03-send-recv", "pingpong", 2, f"--max-bytes {4 << 20} --csv {csv_path}", flags)
        sim_pp = {int(r["bytes"]): r for r in csv.DictReader(open(csv_path))}
        common_small = [n for n in small if n in sim_pp]
        lat_real = statistics.mean(float(real_pp[n]["latency_us"]) for n in common_small)
        lat_sim = statistics.mean(float(sim_pp[n]["latency_us"]) for n in common_small)
        what = "computation simulated too" if flags == "" else "network only"
        add(kind, f"ping-pong latency {common_small[0]}-{common_small[-1]} B ({what})", 2,
            "latency_us", lat_real, lat_sim)
        if flags:
            bw_real = statistics.mean(float(real_pp[n]["bandwidth_MBps"]) for n in large)
            bw_sim = statistics.mean(float(sim_pp[n]["bandwidth_MBps"]) for n in large)
            add(kind, "ping-pong bandwidth 1-4 MiB (network only)", 2, "bandwidth_MBps", bw_real, bw_sim)

    # ---- broadcast: MPI_Bcast at NP = 2 -------------------------------------------------
    real_bc = {int(r["bytes"]): float(r["bcast_s"]) for r in rows("05-bcast.csv")
               if r["mpi"] == "Open MPI" and r["np"] == "2"}
    csv_path = tmp / "bcast.csv"
    simulate("05-collectives", "bcast_timing", 2, f"--max-bytes {1 << 20} --csv {csv_path}", NO_COMPUTE)
    sim_bc = {int(r["bytes"]): float(r["bcast_s"]) for r in csv.DictReader(open(csv_path))}
    for n, label in ((8, "8 B"), (65536, "64 KiB"), (1 << 20, "1 MiB")):
        add("bcast", f"MPI_Bcast of {label} (network only)", 2, "time_us", real_bc[n] * 1e6, sim_bc[n] * 1e6)

    # ---- heat: best step on 3001 x 3001 at NP = 1 and 2 ----------------------------------
    for r in rows("08-heat-bench.csv"):
        if r["program"] != "heat_mpi" or r["halo"] != "sendrecv" or r["np"] not in ("1", "2"):
            continue
        np = int(r["np"])
        nx, ny = r["grid"].split("x")
        text = simulate("08-heat", "heat_mpi", np, f"--nx {nx} --ny {ny} --steps {r['steps']}")
        add(f"heat{np}", f"heat_mpi step {nx} x {ny}", np, "step_ms",
            float(r["best_step_s"]) * 1e3, value(text, "best_step_s") * 1e3)

    with open(OUT.with_suffix(".tmp"), "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(out[0]))
        w.writeheader()
        w.writerows(out)
    OUT.with_suffix(".tmp").rename(OUT)
    for r in out:
        print(f"{r['case']:55s} np={r['np']}  real {r['real']:>8}  simulated {r['simulated']:>8}  "
              f"ratio {r['ratio']}  [{r['low']}, {r['high']}]")
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
