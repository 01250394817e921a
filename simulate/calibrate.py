#!/usr/bin/env python3
"""Write the course's three SimGrid platforms from the course's own measurements.

    python3 simulate/calibrate.py            (or: make -C simulate calibrate)

Reads, in lessons/_data/ (written by `make bench` in the lessons):
  03-pingpong-ours-openmpi.csv  one-way time t(n) of lesson 03's ping-pong, 1 B ... 4 MiB,
                                2 ranks on this machine (Open MPI, shared memory)
  04-deadlock-threshold.csv     the largest message MPI_Send returns without a receiver
  08-heat-bench.csv             lesson 08's heat_mpi on one rank: seconds per step

and writes simulate/platforms/{this-machine,hpc,ethernet}.xml and the hostfiles
hpc.hosts, ethernet.hosts.  Every number in those files comes from here, with
its source in a comment beside it, so a platform can be read, copied and changed
on its own (change a number, ask "what if").

This machine's core speed.  SMPI runs a rank's computation for real and times it
(CPU time of that thread); smpi/host-speed converts those seconds into flops, and
the simulated core's `speed` turns flops back into simulated seconds.  Both are set
to what one core of this machine does on the course's main kernel, the heat
update of lesson 08 (9 flops per node: 2u once, two differences, two sums, two
products, two additions), so a computation takes in simulation the time it took
here.  The two clusters get cores of the same speed: only the network differs.

The shared-memory "link" between two ranks of this machine.  The ping-pong
t(n) is fitted piece by piece, t = latency + n / bandwidth, on three ranges of n
(least squares on the relative error, as pingpong.cpp does): below Open MPI's
eager limit (the first size where t(n) jumps), from there to 64 KiB, and above.
The link gets the smallest latency and the largest bandwidth; SMPI's
smpi/lat-factor and smpi/bw-factor (piecewise in n, as SimGrid's own calibration
procedure uses them) scale them to each range's fit.
"""
import csv
import datetime
import math
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "lessons" / "_data"
OUT = Path(__file__).resolve().parent / "platforms"

FLOPS_PER_NODE = 9          # heat update: u + cx (uW - 2u + uE) + cy (uS - 2u + uN)
SPLIT_LARGE = 65536         # bytes: start of the large-message range

# ---- (b) a modern HPC cluster ----------------------------------------------
# 32 nodes of 64 cores (2048 cores), HDR InfiniBand (200 Gb/s = 25 GB/s per
# link and direction), a two-level non-blocking fat tree: 4 leaf switches of 8
# nodes, each with 8 cables up to 4 spine switches.  SimGrid's fat tree gives
# every link the same latency; 0.25 us per link makes 1.0 us node to node
# through a spine (4 links) and 0.5 us under one leaf switch (2 links): the
# ~1 us MPI latency of current InfiniBand (NVIDIA ConnectX-6 HDR: 200 Gb/s,
# "sub 600 ns" adapter latency; osu_latency between two nodes is typically
# 1-1.5 us).  Between two cores of one node: this machine's shared memory.
HPC = dict(nodes=32, cores=64, bw="25GBps", lat="0.25us",
           topo="2;8,4;1,4;1,2")
# ---- (c) a commodity Ethernet cluster -----------------------------------------
# 64 nodes of 16 cores (1024 cores) on Gigabit Ethernet (125 MB/s per link and
# direction, 24 us per link, 48 us node to node), all behind one switch whose
# backbone carries 1.25 GB/s (10 Gb/s) in total, shared by every message that
# crosses it.  These are the numbers of SimGrid's description of a real Grid'5000
# cluster (examples/platforms/griffon.xml in SimGrid's sources: 1 GbE nodes, a
# 10 GbE backbone per cabinet of about 30 nodes).  Between two cores of one
# node: this machine's shared memory.
ETH = dict(nodes=64, cores=16, bw="125MBps", lat="24us", bb_bw="1.25GBps")


def rows(name):
    path = DATA / name
    if not path.exists():
        raise SystemExit(f"calibrate: {path} is missing (make bench in the lesson writes it)")
    return list(csv.DictReader(open(path)))


def fit(points):
    """t = a + n / bw minimising sum ((t_i - a - b n_i) / t_i)^2; returns (a, bw)."""
    s00 = s01 = s11 = r0 = r1 = 0.0
    for n, t in points:
        w = 1.0 / (t * t)
        s00 += w; s01 += w * n; s11 += w * n * n; r0 += w * t; r1 += w * n * t
    det = s00 * s11 - s01 * s01
    a = (r0 * s11 - r1 * s01) / det
    b = (s00 * r1 - s01 * r0) / det
    return max(a, 0.0), 1.0 / b


def pingpong_model():
    pts = [(int(r["bytes"]), float(r["latency_us"]) * 1e-6) for r in rows("03-pingpong-ours-openmpi.csv")]
    pts.sort()
    # Open MPI's eager limit: the first size whose time more than doubles.
    eager = next((n for (m, s), (n, t) in zip(pts, pts[1:]) if t > 2.0 * s), SPLIT_LARGE)
    ranges = [(0, eager), (eager, SPLIT_LARGE), (SPLIT_LARGE, math.inf)]
    fits = []
    for lo, hi in ranges:
        sel = [(n, t) for n, t in pts if lo <= n < hi]
        if len(sel) >= 2:
            fits.append((lo, *fit(sel), len(sel)))
    return eager, fits, pts


def heat_speed():
    for r in rows("08-heat-bench.csv"):
        if r["program"] == "heat_mpi" and r["halo"] == "sendrecv" and r["np"] == "1":
            nx, ny = (int(v) for v in r["grid"].split("x"))
            step = float(r["best_step_s"])
            return FLOPS_PER_NODE * (nx - 2) * (ny - 2) / step, r["grid"], step
    raise SystemExit("calibrate: no heat_mpi sendrecv np=1 row in 08-heat-bench.csv")


def eager_threshold():
    for r in rows("04-deadlock-threshold.csv"):
        if r["mpi"] == "openmpi":
            return int(r["blocks_at_bytes"])
    return None


def gf(x):
    return f"{x / 1e9:.3f}Gf"


def header(summary, lines):
    body = "\n".join(("  " + l).rstrip() for l in lines)
    return (f"<?xml version='1.0'?>\n"
            f"<!DOCTYPE platform SYSTEM \"https://simgrid.org/simgrid.dtd\">\n"
            f"<!--\n  summary: {summary}\n\n{body}\n-->\n")


def main():
    speed, grid, step = heat_speed()
    eager, fits, pts = pingpong_model()
    detach = eager_threshold()
    lat0 = min(a for _, a, _, _ in fits)
    bwmax = max(b for _, _, b, _ in fits)
    latf = ";".join(f"{lo}:{a / lat0:.4g}" for lo, a, _, _ in fits)
    bwf = ";".join(f"{lo}:{b / bwmax:.4g}" for lo, _, b, _ in fits)
    today = datetime.date.today().isoformat()
    OUT.mkdir(exist_ok=True)
    fit_lines = [f"    n >= {lo:>6} B: {a * 1e6:7.3f} us + n / ({b / 1e6:6.0f} MB/s)   ({k} sizes)"
                 for lo, a, b, k in fits]
    common = [
        f"Written by simulate/calibrate.py on {today}; run it again after `make bench`.",
        "",
        "Core speed (speed, smpi/host-speed): one core of this machine on lesson 08's",
        f"heat update, {FLOPS_PER_NODE} flops per node: heat_mpi on a {grid.replace('x', ' x ')} grid on one",
        f"rank took {step * 1e3:.3f} ms per step (lessons/_data/08-heat-bench.csv, best step),",
        f"so {speed / 1e9:.3f} Gflop/s.  smpi/host-speed is the same number: a computation",
        "takes in simulation the time it took on this machine.",
    ]
    shm = [
        "Shared memory between two cores (lesson 03's ping-pong, Open MPI, median",
        "one-way times, lessons/_data/03-pingpong-ours-openmpi.csv), fitted as",
        "t(n) = latency + n / bandwidth on three ranges of message size n:",
        *fit_lines,
    ]

    # ---- (a) this machine -----------------------------------------------------
    text = header("this machine: one host, 2 cores, shared memory (calibrated from lessons 03, 04, 08)", [
        *common, "",
        *shm,
        f"The link below has the smallest latency ({lat0 * 1e6:.3f} us) and the largest",
        f"bandwidth ({bwmax / 1e6:.0f} MB/s); smpi/lat-factor and smpi/bw-factor scale them",
        "to each range's fit (\"size:factor;...\": from that size on).",
        "",
        f"smpi/send-is-detached-thresh: MPI_Send returns before the receive is posted",
        f"below {detach} bytes, as Open MPI does here (lesson 04's threshold program,",
        "lessons/_data/04-deadlock-threshold.csv).",
        "",
        "The link is a FATPIPE: two messages at once (a halo exchange both ways)",
        "each get the whole bandwidth, as two cores copying at once roughly do.",
        "Not modelled: the memory bandwidth the two cores share while they compute.",
    ])
    text += f"""<platform version="4.1">
  <config>
    <prop id="smpi/host-speed" value="{gf(speed)}"/>
    <prop id="smpi/lat-factor" value="{latf}"/>
    <prop id="smpi/bw-factor" value="{bwf}"/>
    <prop id="smpi/send-is-detached-thresh" value="{detach}"/>
  </config>
  <zone id="this-machine" routing="Full">
    <host id="this-machine" speed="{gf(speed)}" core="2"/>
    <link id="shared-memory" bandwidth="{bwmax / 1e6:.0f}MBps" latency="{lat0 * 1e6:.3f}us" sharing_policy="FATPIPE"/>
    <route src="this-machine" dst="this-machine"><link_ctn id="shared-memory"/></route>
  </zone>
</platform>
"""
    (OUT / "this-machine.xml").write_text(text)

    # The clusters: numbers as written (factors 1), loopback = this machine's shared memory.
    plain = ["smpi/lat-factor and smpi/bw-factor are 1: a message of n bytes takes",
             "the sum of its links' latencies plus n / (the smallest bandwidth on its way),",
             "with the bandwidth shared between the messages that cross a link at once."]
    loop = (f'loopback_bw="{bwmax / 1e6:.0f}MBps" loopback_lat="{lat0 * 1e6:.3f}us"')

    # ---- (b) HPC ------------------------------------------------------------------
    n, c = HPC["nodes"], HPC["cores"]
    text = header(f"a modern HPC cluster: {n} nodes x {c} cores, InfiniBand HDR (25 GB/s, ~1 us), fat tree", [
        f"{n} nodes of {c} cores ({n * c} cores), HDR InfiniBand: 200 Gb/s = 25 GB/s per link and",
        "direction (full duplex: SPLITDUPLEX), a two-level non-blocking fat tree: 4 leaf",
        "switches of 8 nodes, each with 8 cables up to 4 spine switches",
        f"(topo_parameters=\"{HPC['topo']}\": levels; children per switch; parents per node or",
        "switch; cables per connection).  Every link has 0.25 us, so 1.0 us node to node",
        "through a spine and 0.5 us under one leaf: the ~1 us MPI latency of current",
        "InfiniBand (NVIDIA ConnectX-6 HDR adapters: 200 Gb/s, under 0.6 us in the adapter;",
        "osu_latency between two nodes is typically 1-1.5 us).",
        "",
        *plain,
        "",
        "Between two cores of one node (loopback): this machine's shared memory,",
        f"{lat0 * 1e6:.3f} us and {bwmax / 1e6:.0f} MB/s (see this-machine.xml).",
        "",
        *common,
        "The cores here run at this machine's speed, so that only the network differs.",
        "",
        f"Ranks fill nodes in order (hpc.hosts: {c} ranks per node).  The cluster sits in a",
        "zone of its own: SimGrid 4.0 needs that for a fat tree.",
    ])
    text += f"""<platform version="4.1">
  <config>
    <prop id="smpi/host-speed" value="{gf(speed)}"/>
    <prop id="smpi/lat-factor" value="0:1"/>
    <prop id="smpi/bw-factor" value="0:1"/>
  </config>
  <zone id="world" routing="Full">
    <cluster id="hpc" prefix="node-" suffix="" radical="0-{n - 1}" core="{c}" speed="{gf(speed)}"
             bw="{HPC['bw']}" lat="{HPC['lat']}" sharing_policy="SPLITDUPLEX"
             topology="FAT_TREE" topo_parameters="{HPC['topo']}"
             {loop}/>
  </zone>
</platform>
"""
    (OUT / "hpc.xml").write_text(text)
    (OUT / "hpc.hosts").write_text("".join(f"node-{i}:{c}\n" for i in range(n)))

    # ---- (c) Ethernet ---------------------------------------------------------------
    n, c = ETH["nodes"], ETH["cores"]
    text = header(f"a commodity Ethernet cluster: {n} nodes x {c} cores, Gigabit Ethernet (125 MB/s, 48 us), one switch", [
        f"{n} nodes of {c} cores ({n * c} cores) on Gigabit Ethernet: 125 MB/s per link and",
        "direction (SPLITDUPLEX), 24 us per link, so 48 us node to node (2 links).  All",
        f"nodes hang off one switch whose backbone carries {ETH['bb_bw']} (10 Gb/s) in",
        "total, shared by every message that crosses it.  The numbers are those of",
        "SimGrid's description of a real Grid'5000 cluster (examples/platforms/griffon.xml",
        "in SimGrid's sources: 1 GbE nodes, 24 us links, a 10 GbE backbone per cabinet).",
        "",
        *plain,
        "",
        "Between two cores of one node (loopback): this machine's shared memory,",
        f"{lat0 * 1e6:.3f} us and {bwmax / 1e6:.0f} MB/s (see this-machine.xml).",
        "",
        *common,
        "The cores here run at this machine's speed, so that only the network differs.",
        "",
        f"Ranks fill nodes in order (ethernet.hosts: {c} ranks per node).",
    ])
    text += f"""<platform version="4.1">
  <config>
    <prop id="smpi/host-speed" value="{gf(speed)}"/>
    <prop id="smpi/lat-factor" value="0:1"/>
    <prop id="smpi/bw-factor" value="0:1"/>
  </config>
  <zone id="world" routing="Full">
    <cluster id="ethernet" prefix="eth-" suffix="" radical="0-{n - 1}" core="{c}" speed="{gf(speed)}"
             bw="{ETH['bw']}" lat="{ETH['lat']}" sharing_policy="SPLITDUPLEX"
             bb_bw="{ETH['bb_bw']}" bb_lat="0us" bb_sharing_policy="SHARED"
             {loop}/>
  </zone>
</platform>
"""
    (OUT / "ethernet.xml").write_text(text)
    (OUT / "ethernet.hosts").write_text("".join(f"eth-{i}:{c}\n" for i in range(n)))
    print(f"calibrate: core {speed / 1e9:.3f} Gflop/s; shared memory {lat0 * 1e6:.3f} us, "
          f"{bwmax / 1e6:.0f} MB/s; eager below {eager} B; wrote {OUT}/*.xml")


if __name__ == "__main__":
    main()
