#!/usr/bin/env python3
"""The data of lesson 17 (scaling on a simulated cluster), from simulated runs.

    python3 simulate/scaling.py                   every study (an hour or so on 2 busy cores)
    python3 simulate/scaling.py pingpong strong   only these studies

Each study runs lesson programs with `make simulate` (simulate/run.sh) on the
platforms hpc and ethernet (simulate/platforms/) and writes lessons/_data/17-scaling-*.csv:

  pingpong  17-scaling-pingpong.csv   lesson 03's pingpong between two nodes: t(n),
            17-scaling-alphabeta.csv  and the alpha-beta fit the program prints
  strong    17-scaling-strong.csv     lesson 08's heat_mpi, 4096 x 4096 nodes, NP = 1 ... 1024:
                                      the step with computation, and without (communication only)
  weak      17-scaling-weak.csv       heat_mpi with 256 x 256 nodes per rank, NP = 1 ... 1024
  bcast     17-scaling-bcast.csv      lesson 05's bcast_timing: its loop of sends against MPI_Bcast
                                      with SMPI's algorithms, 1024 ranks, and NP = 2 ... 1024 at 64 KiB
  fft       17-scaling-fft.csv        lesson 06's fft2d_transpose, 2048 x 2048: the all-to-all transpose
  run       17-scaling-run.txt        the output of one simulated run, shown on the page
  speed     17-scaling-speed.csv      how long a 1024-rank heat_mpi takes to simulate here
                                      (wall-clock and CPU seconds, and the machine's load)

Every row also records the CPU seconds the simulation took here (sim_cpu_s).
Timings: heat's best step (each rank's fastest step, the slowest rank's), as
lesson 08 measures; the communication benchmarks (ping-pong, broadcast) run with
--cfg=smpi/simulate-computation:no, as in validate.py (their timed loops compute
nothing).
"""
import csv
import math
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "lessons" / "_data"
PLATFORMS = Path(__file__).resolve().parent / "platforms"
NO_COMPUTE = "--cfg=smpi/simulate-computation:no"
CLUSTERS = ("hpc", "ethernet")
POWERS = [2 ** k for k in range(11)]          # 1 ... 1024
HEAT_N, HEAT_STEPS, WEAK_PER_RANK = 4096, 20, 256
BCAST_ALGOS = ("binomial_tree", "scatter_rdb_allgather", "ompi_pipeline")
BCAST_SIZES = (8, 65536, 1 << 20)
FFT_N, FFT_NP = 2048, [1, 2, 4, 8, 16, 32, 64, 128, 256]
FFT_ALLTOALLV = "--cfg=smpi/alltoallv:pair"


def cpu_children():
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def simulate(lesson, prog, np, platform, args, flags=""):
    """Run `make simulate`; return (output, CPU seconds it took)."""
    env = dict(os.environ, SMPI_FLAGS=flags)
    cmd = ["make", "-s", "--no-print-directory", "-C", str(ROOT / "solutions" / lesson), "simulate",
           f"PROG={prog}", f"NP={np}", f"PLATFORM={platform}", f"ARGS={args}"]
    t0 = cpu_children()
    p = subprocess.run(cmd, env=env, stdin=subprocess.DEVNULL, capture_output=True, text=True)
    cpu = cpu_children() - t0
    if p.returncode != 0 or "check = PASS" not in p.stdout:
        sys.exit(f"scaling: {' '.join(cmd)} (SMPI_FLAGS={flags}) failed:\n{p.stdout[-3000:]}{p.stderr[-2000:]}")
    print(f"  {lesson} {prog} NP={np} {platform} {args} {flags}: {cpu:.1f} s CPU", flush=True)
    return p.stdout, cpu


def value(text, name):
    m = re.search(rf"^{re.escape(name)} = (\S+)", text, re.M)
    if not m:
        sys.exit(f"scaling: no '{name} = ' in\n{text[-2000:]}")
    return float(m.group(1))


def write(name, rows):
    path = DATA / name
    tmp = path.with_suffix(".tmp")
    with open(tmp, "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    tmp.rename(path)
    print(f"wrote {path}", flush=True)


def dims_create(p):
    """MPI_Dims_create(p, 2): the most square d0 x d1 = p, d0 >= d1."""
    d1 = int(math.isqrt(p))
    while p % d1:
        d1 -= 1
    return p // d1, d1


def two_nodes(platform, a, b, tmp):
    """A copy of a platform whose hostfile puts rank 0 on node a and rank 1 on node b."""
    xml = tmp / f"{platform}-{a}-{b}.xml"
    shutil.copy(PLATFORMS / f"{platform}.xml", xml)
    xml.with_suffix(".hosts").write_text(f"{a}\n{b}\n")
    return xml


# ---- studies -----------------------------------------------------------------------
def study_pingpong():
    tmp = Path(tempfile.mkdtemp())
    routes = [("hpc", "node-0", "node-31", "two nodes, through a spine switch"),
              ("hpc", "node-0", "node-1", "two nodes under one leaf switch"),
              ("hpc", "node-0", "node-0", "two cores of one node"),
              ("ethernet", "eth-0", "eth-1", "two nodes, through the switch"),
              ("ethernet", "eth-0", "eth-0", "two cores of one node")]
    points, fits = [], []
    for platform, a, b, route in routes:
        xml = two_nodes(platform, a, b, tmp)
        csv_path = tmp / "pp.csv"
        out, cpu = simulate("03-send-recv", "pingpong", 2, xml, f"--csv {csv_path}", NO_COMPUTE)
        for r in csv.DictReader(open(csv_path)):
            points.append({"platform": platform, "route": route, "bytes": r["bytes"],
                           "latency_us": r["latency_us"], "bandwidth_MBps": r["bandwidth_MBps"]})
        fits.append({"platform": platform, "route": route,
                     "alpha_us": value(out, "fit_latency_us"), "beta_MBps": value(out, "fit_bandwidth_MBps"),
                     "sim_cpu_s": f"{cpu:.1f}"})
    write("17-scaling-pingpong.csv", points)
    write("17-scaling-alphabeta.csv", fits)


def heat_row(platform, np, nx, ny, kind):
    args = f"--nx {nx} --ny {ny} --steps {HEAT_STEPS}"
    out, cpu = simulate("08-heat", "heat_mpi", np, platform, args)
    comm, cpu2 = simulate("08-heat", "heat_mpi", np, platform, args, NO_COMPUTE)
    return {"platform": platform, "study": kind, "np": np, "nx": nx, "ny": ny, "steps": HEAT_STEPS,
            "blocks": out and re.search(r"^blocks = (.*)$", out, re.M).group(1),
            "step_s": f"{value(out, 'best_step_s'):.6g}", "comm_step_s": f"{value(comm, 'best_step_s'):.6g}",
            "mean_step_s": f"{value(out, 'time_s') / HEAT_STEPS:.6g}",
            "max_error": re.search(r"^max_error = (\S+)", out, re.M).group(1),
            "sim_cpu_s": f"{cpu:.1f}", "sim_cpu_comm_s": f"{cpu2:.1f}"}


def study_strong():
    rows = []
    for platform in CLUSTERS:
        for np in POWERS:
            rows.append(heat_row(platform, np, HEAT_N, HEAT_N, "strong"))
            write("17-scaling-strong.csv", rows)


def study_weak():
    rows = []
    for platform in CLUSTERS:
        for np in POWERS:
            d0, d1 = dims_create(np)
            rows.append(heat_row(platform, np, WEAK_PER_RANK * d0, WEAK_PER_RANK * d1, "weak"))
            write("17-scaling-weak.csv", rows)


def study_bcast():
    rows = []

    def one(platform, np, n, algo):
        out, cpu = simulate("05-collectives", "bcast_timing", np, platform,
                            f"--min-bytes {n} --max-bytes {n} --reps 3", f"{NO_COMPUTE} --cfg=smpi/bcast:{algo}")
        m = re.search(rf"^\s*{n}\s+\d+\s+(\S+)\s+(\S+)", out, re.M)
        rows.append({"platform": platform, "np": np, "bytes": n, "algorithm": algo,
                     "loop_us": m.group(1), "bcast_us": m.group(2), "sim_cpu_s": f"{cpu:.1f}"})
        write("17-scaling-bcast.csv", rows)

    for platform in CLUSTERS:
        for n in BCAST_SIZES:
            for algo in BCAST_ALGOS:
                one(platform, 1024, n, algo)
    for np in POWERS[1:-1]:
        one("hpc", np, 65536, "binomial_tree")


def study_fft():
    rows = []
    for platform in CLUSTERS:
        for np in FFT_NP:
            out, cpu = simulate("06-fft", "fft2d_transpose", np, platform,
                                f"--rows {FFT_N} --cols {FFT_N} --reps 3", FFT_ALLTOALLV)
            rows.append({"platform": platform, "np": np, "n": FFT_N,
                         "forward_s": value(out, "forward_s"), "fft_s": value(out, "fft_s"),
                         "transpose_s": value(out, "transpose_s"), "max_error": value(out, "max_error"),
                         "sim_cpu_s": f"{cpu:.1f}"})
            write("17-scaling-fft.csv", rows)


def study_run():
    out, cpu = simulate("08-heat", "heat_mpi", 256, "hpc", "--nx 1025 --ny 1025 --steps 20")
    (DATA / "17-scaling-run.txt").write_text(
        "$ make simulate NP=256 PLATFORM=hpc ARGS=\"--nx 1025 --ny 1025 --steps 20\"\n" + out)
    print(f"wrote {DATA / '17-scaling-run.txt'}")


def study_speed():
    """A 1024-rank heat_mpi on the strong-scaling grid, timed by the clock on the wall."""
    import time
    rows = []
    for platform in CLUSTERS:
        load = os.getloadavg()[0]
        t0 = time.monotonic()
        out, cpu = simulate("08-heat", "heat_mpi", 1024, platform,
                            f"--nx {HEAT_N} --ny {HEAT_N} --steps {HEAT_STEPS}")
        wall = time.monotonic() - t0
        rows.append({"platform": platform, "np": 1024, "nx": HEAT_N, "ny": HEAT_N, "steps": HEAT_STEPS,
                     "wall_s": f"{wall:.1f}", "cpu_s": f"{cpu:.1f}", "load_before": f"{load:.1f}",
                     "cores": os.cpu_count(), "check": re.search(r"^check = (\S+)", out, re.M).group(1)})
        write("17-scaling-speed.csv", rows)


STUDIES = {"pingpong": study_pingpong, "strong": study_strong, "weak": study_weak,
           "bcast": study_bcast, "fft": study_fft, "run": study_run,
           "speed": study_speed}

if __name__ == "__main__":
    wanted = sys.argv[1:] or list(STUDIES)
    for name in wanted:
        if name not in STUDIES:
            sys.exit(f"scaling: no study '{name}': {', '.join(STUDIES)}")
    for name in wanted:
        print(f"== {name}", flush=True)
        STUDIES[name]()
