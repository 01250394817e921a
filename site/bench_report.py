#!/usr/bin/env python3
"""bench_report.py — one table of every lesson's benchmark against its anchor.

`make bench` runs each lesson's benchmark (which writes lessons/_data/NN-*.csv)
and then this script, which reads those files and writes
lessons/_data/bench-report.csv: one row per measured job with its anchor, the
anchor's figure, ours, the ratio, and the machine it ran on.  The site's
"Performance" page renders that file.  Nothing here is measured or typed in:
every number comes from a lesson's own CSV, written by its own benchmark run,
where ours and the anchor were measured in the same run.

ratio = ours / anchor in the row's unit; `better` says which way is good
(`higher` for bandwidths and speed-ups, `lower` for times).  A lesson whose
data is missing is reported and skipped, so the report can be built from a
partial run (`make bench-report` after one lesson's `make bench`).
"""
import csv
import os
import platform
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "lessons" / "_data"
OUT = DATA / "bench-report.csv"


def rows_of(name):
    with open(DATA / name, newline="") as f:
        return list(csv.DictReader(f))


def row(lesson, job, anchor, anchor_value, ours, unit, better, goal=""):
    anchor_value, ours = float(anchor_value), float(ours)
    return dict(lesson=lesson, job=job, anchor=anchor, anchor_value=f"{anchor_value:.4g}",
                ours=f"{ours:.4g}", unit=unit, ratio=f"{ours / anchor_value:.3g}",
                better=better, goal=goal)


# ---- one function per lesson: its CSVs -> report rows ------------------------
def lesson_00():
    r = {(x["program"], x["np"]): x for x in rows_of("00-environment-summary.csv")}
    np = max(int(k[1]) for k in r)
    a, o = r[("mpi_hello", str(np))], r[("petsc_info", str(np))]
    return [row("00", f"SlepcInitialize start-up, NP={np}", "MPI_Init start-up (mpi_hello)",
                a["init_s"], o["init_s"], "s", "lower")]


def lesson_01():
    out = []
    sums = [x for x in rows_of("01-sums.csv") if x["precision"] == "double"]
    n = max(int(x["n"]) for x in sums)
    big = {(x["kernel"], x["variant"]): x for x in sums if int(x["n"]) == n}
    out.append(row("01", f"sum, 4 accumulators (reduce), n={n:.0e}", "triad (STREAM-like)",
                   big[("triad", "anchor")]["gbs"], big[("sum", "reduce")]["gbs"], "GB/s", "higher"))
    pm = {(x["map"], x["threads"]): x for x in rows_of("01-parallel-map.csv")}
    for m in ("square", "heavy"):
        out.append(row("01", f"{m} map, 2 threads", f"{m} map, 1 thread",
                       pm[(m, "1")]["time_s"], pm[(m, "2")]["time_s"], "s", "lower"))
    return out


def lesson_03():
    out = []
    for x in rows_of("03-pingpong-ratios.csv"):
        if x["metric"] in ("latency_us", "bandwidth_MBps"):
            unit = "µs" if "latency" in x["metric"] else "MB/s"
            out.append(row("03", f"ping-pong {x['metric'].split('_')[0]} ({x['mpi']}, {x['sizes']})",
                           f"NetPIPE ({x['mpi']})", x["netpipe"], x["ours"], unit,
                           "lower" if "latency" in x["metric"] else "higher"))
    return out


def lesson_04():
    out = []
    data = rows_of("04-deadlock-ratios.csv")
    for mpi in sorted({x["mpi"] for x in data}):
        xs = [x for x in data if x["mpi"] == mpi]
        # the median over message sizes of each fix's time relative to MPI_Sendrecv
        for fix in ("nonblocking", "parity"):
            rel = statistics.median(float(x[f"{fix}/sendrecv"]) for x in xs)
            out.append(row("04", f"{fix} exchange, median over {len(xs)} sizes ({mpi})",
                           f"MPI_Sendrecv ({mpi})", 1.0, rel, "time (relative)", "lower"))
    return out


def lesson_05():
    out = []
    data = rows_of("05-bcast.csv")
    for mpi in sorted({x["mpi"] for x in data}):
        xs = [x for x in data if x["mpi"] == mpi]
        np = max(int(x["np"]) for x in xs)
        big = max((x for x in xs if int(x["np"]) == np), key=lambda x: int(x["bytes"]))
        out.append(row("05", f"MPI_Bcast of {int(big['bytes']) >> 20} MiB, NP={np} ({mpi})",
                       "a loop of MPI_Send from the root", big["p2p_s"], big["bcast_s"], "s", "lower"))
    return out


def lesson_06():
    out = []
    for x in rows_of("06-fft-ratios.csv"):
        out.append(row("06", f"hand-written 2D FFT {x['n']}², natural layout, NP={x['np']}",
                       "FFTW-MPI, same layout", x["fftw_mpi_s"], x["hand_s"], "s", "lower", "≤ 1.2"))
        out.append(row("06", f"hand-written 2D FFT {x['n']}², transposed out, NP={x['np']}",
                       "FFTW-MPI, FFTW_MPI_TRANSPOSED_OUT", x["fftw_mpi_transposed_s"],
                       x["hand_transposed_s"], "s", "lower", "≤ 1.2"))
    return out


def lesson_07():
    out = []
    numpy = {x["n"]: x for x in rows_of("07-mri-numpy.csv")}
    for x in rows_of("07-mri-slice.csv"):
        if x["mpi"] == "openmpi" and x["np"] == "1" and x["n"] in numpy:
            out.append(row("07", f"{x['n']}² slice reconstruction, FFTW, 1 core",
                           "numpy.fft.ifft2 (the workshop's tool)", numpy[x["n"]]["ifft2_ms"], x["seq_ms"],
                           "ms", "lower"))
    for x in rows_of("07-mri-frame.csv"):
        if x["np"] == "2":
            out.append(row("07", f"{x['n']}², {x['coils']}-coil frame, NP=2 ({x['mpi']})",
                           "the same frame, NP=1", [y for y in rows_of("07-mri-frame.csv")
                                                    if y["mpi"] == x["mpi"] and y["n"] == x["n"]
                                                    and y["np"] == "1"][0]["frame_ms"],
                           x["frame_ms"], "ms", "lower", "≤ 20 ms at 256²"))
    return out


def lesson_08():
    return [row("08", f"heat update {x['grid']}, {x['program']} ({x['halo']}), NP={x['np']}",
                f"STREAM triad, NP={x['np']}", x["triad_GBps"], x["GBps"], "GB/s", "higher", "≥ 0.7")
            for x in rows_of("08-heat-bench.csv")]


def lesson_09():
    r = {(x["method"], x["np"]): x for x in rows_of("09-tao-throughput.csv")}
    out = []
    for np in ("1", "2"):
        out.append(row("09", f"T2 map, one Tao per rank reused, NP={np}",
                       f"a new Tao per voxel, NP={np}", r[("one Tao per voxel", np)]["us_per_voxel"],
                       r[("one Tao per rank", np)]["us_per_voxel"], "µs/voxel", "lower"))
    seed = [x for x in r.values() if "process" in x["method"]]
    if seed:
        out.append(row("09", "T2 map, one Tao per rank reused, NP=1", seed[0]["method"],
                       seed[0]["us_per_voxel"], r[("one Tao per rank", "1")]["us_per_voxel"], "µs/voxel", "lower"))
    return out


def lesson_10():
    data = rows_of("10-slepc-timing.csv")
    big = max(int(x["unknowns"]) for x in data)
    return [row("10", f"eigensolve, {x['solver']} inner solver, {x['nx']}x{x['ny']}, NP={x['np']}",
                f"MUMPS LU inner solver, NP={x['np']}", float(x["time_s"]) / float(x["ratio_vs_mumps"]),
                x["time_s"], "s", "lower")
            for x in data if int(x["unknowns"]) == big and x["solver"] != "mumps"]


def lesson_11():
    return [row("11", f"Bratu λ=6, {x['grid']}, -pc_type {x['pc']} ({x['newton_its']}/{x['linear_its']} its)",
                "PETSc ex5, same options and iterations", x["ex5_time_s"], x["time_s"], "s", "lower", "≤ 1.1")
            for x in rows_of("11-snes-iterations.csv")]


def lesson_12():
    data = rows_of("12-grid-gamg.csv")
    out = []
    for np in sorted({x["np"] for x in data}):
        xs = sorted((x for x in data if x["np"] == np), key=lambda x: int(x["buses"]))
        small, big = xs[0], xs[-1]
        out.append(row("12", f"CG+GAMG iterations, {big['grid']} buses, NP={np}",
                       f"CG+GAMG iterations, {small['grid']}", small["its"], big["its"], "iterations", "lower"))
        out.append(row("12", f"CG+GAMG time per bus, {big['grid']}, NP={np}",
                       f"time per bus, {small['grid']}", small["us_per_bus"], big["us_per_bus"], "µs/bus", "lower"))
    return out


def lesson_13():
    out = [row("13", f"leapfrog update {x['grid']}, NP={x['np']}", f"STREAM triad, NP={x['np']}",
               x["triad_GBps"], x["GBps"], "GB/s", "higher", "≥ 0.7") for x in rows_of("13-wave-bench.csv")]
    default = rows_of("13-wave-vs-numpy.csv")
    numpy = [x for x in default if "numpy" in x["program"]][0]
    out += [row("13", f"the default run (200x120, 1100 steps), NP={x['np']}", "the same scheme in numpy",
                numpy["time_s"], x["time_s"], "s", "lower", "≥ 100× faster")
            for x in default if "numpy" not in x["program"]]
    return out


def lesson_14():
    r = {(x["method"], x["np"]): x for x in rows_of("14-ml-summary.csv")}
    out = []
    for np in ("1", "2"):
        for m in ("gd", "sgd"):
            if (m, np) in r and ("tao-logreg", np) in r:
                out.append(row("14", f"logistic regression, {m}, {r[(m, np)]['passes']} passes, NP={np}",
                               f"TAO lmvm, {r[('tao-logreg', np)]['passes']} passes", r[("tao-logreg", np)]["time_s"],
                               r[(m, np)]["time_s"], "s", "lower"))
    for m in ("tao-logreg", "tao-mlp"):
        if (m, "1") in r and (m, "2") in r:
            out.append(row("14", f"{m}, NP=2", f"{m}, NP=1", r[(m, "1")]["time_s"], r[(m, "2")]["time_s"],
                           "s", "lower"))
    return out


def lesson_15():
    data = rows_of("15-gwas-bench.csv")
    plink = [x for x in data if x["program"] == "plink1.9"][0]
    return [row("15", f"association scan, {float(x['calls']):.0e} genotype calls, NP={x['np']}",
                "plink1.9 --assoc, same .bed", plink["calls_per_s"], x["calls_per_s"], "calls/s", "higher",
                "≥ 1 at NP=2, ≥ 0.67 at NP=1")
            for x in data if x["program"] != "plink1.9"]


EXTRACTORS = [lesson_00, lesson_01, lesson_03, lesson_04, lesson_05, lesson_06, lesson_07, lesson_08, lesson_09, lesson_10, lesson_11, lesson_12, lesson_13, lesson_14, lesson_15]


def first_line(cmd):
    try:
        return subprocess.run(cmd, capture_output=True, text=True, timeout=20).stdout.splitlines()[0].strip()
    except Exception:
        return "unknown"


def cpu_model():
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def machine():
    mpich = first_line(["sh", "-c", "mpichversion 2>/dev/null | sed -n 's/^MPICH Version:[[:space:]]*/MPICH /p'"])
    ompi = first_line(["sh", "-c", "ompi_info --version 2>/dev/null | head -1"])
    return dict(cores=str(os.cpu_count()), cpu=cpu_model(),
                mpi="; ".join(x for x in (ompi, mpich) if x and x != "unknown"),
                compiler=first_line(["g++", "--version"]))


def main():
    rows, missing = [], []
    for f in EXTRACTORS:
        try:
            rows += f()
        except (FileNotFoundError, KeyError, ValueError) as e:
            missing.append(f"{f.__name__}: {e}")
    m = machine()
    for r in rows:
        r.update(m)
    fields = ["lesson", "job", "anchor", "anchor_value", "ours", "unit", "ratio", "better", "goal",
              "cores", "cpu", "mpi", "compiler"]
    with open(OUT, "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=fields)
        w.writeheader()
        w.writerows(rows)
    # The page shows the jobs in one table and the machine once.
    with open(DATA / "bench-report-jobs.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["lesson", "job", "anchor", "anchor", "ours", "unit", "ours/anchor", "better"])
        for r in rows:
            w.writerow([r[k] for k in ("lesson", "job", "anchor", "anchor_value", "ours", "unit", "ratio", "better")])
    with open(DATA / "bench-report-machine.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["cores", "cpu", "MPI", "compiler"])
        w.writerow([m["cores"], m["cpu"], m["mpi"], m["compiler"]])
    for x in missing:
        print(f"bench-report: skipped {x}", file=sys.stderr)
    print(f"bench-report: {len(rows)} rows -> {OUT.relative_to(ROOT)}")
    for r in rows:
        print(f"  {r['lesson']}  {r['job']:<58.58} {r['ratio']:>7}  ({r['better']} is better)")


if __name__ == "__main__":
    main()
