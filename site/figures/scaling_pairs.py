"""The NP = 1 and NP = 2 timings of the same work, one pair per lesson program.

Used by the figure scripts of the Performance page (99-scaling.py) and the
concepts page (98-concepts.py): `pairs(DATA)` reads the lessons' own CSV files
(written by `make bench`) and returns, for every program that was timed at
both NP = 1 and NP = 2, a dict with
    lesson  "12"
    label   what ran ("CG+GAMG, 1000×1000 buses")
    t1, t2  the time at NP = 1 and at NP = 2 (same unit, same work)
    work    "independent" (no messages between the pieces of work during the
            computation) or "coupled" (ranks exchange data every step or solve)
A file that is missing is skipped.  Not run by conf.py (no number prefix)."""
import csv


def _rows(data, name):
    path = data / name
    if not path.exists():
        return []
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def _pick(rows, **want):
    for r in rows:
        if all(r.get(k) == v for k, v in want.items()):
            return r
    return None


def pairs(data):
    out = []

    def add(lesson, label, work, rows, key, one, two):
        a, b = _pick(rows, **one), _pick(rows, **two)
        if a and b and float(b[key]) > 0:
            out.append({"lesson": lesson, "label": label, "work": work,
                        "t1": float(a[key]), "t2": float(b[key])})

    fft = _rows(data, "06-fft-ratios.csv")
    add("06", "hand-written 2D FFT 4096²", "coupled", fft, "hand_s",
        {"n": "4096", "np": "1"}, {"n": "4096", "np": "2"})
    add("06", "FFTW-MPI 2D FFT 4096²", "coupled", fft, "fftw_mpi_s",
        {"n": "4096", "np": "1"}, {"n": "4096", "np": "2"})
    mri = _rows(data, "07-mri-frame.csv")
    add("07", "256² 32-coil frame (Open MPI)", "independent", mri, "frame_ms",
        {"mpi": "openmpi", "np": "1", "n": "256"}, {"mpi": "openmpi", "np": "2", "n": "256"})
    heat = _rows(data, "08-heat-bench.csv")
    add("08", "heat_mpi step, 3001²", "coupled", heat, "best_step_s",
        {"program": "heat_mpi", "halo": "sendrecv", "np": "1"},
        {"program": "heat_mpi", "halo": "sendrecv", "np": "2"})
    add("08", "heat_petsc step (PetscSF), 3001²", "coupled", heat, "best_step_s",
        {"program": "heat_petsc", "halo": "PetscSF", "np": "1"},
        {"program": "heat_petsc", "halo": "PetscSF", "np": "2"})
    tao = _rows(data, "09-tao-throughput.csv")
    add("09", "T2 map 256², one Tao per rank", "independent", tao, "time_s",
        {"method": "one Tao per rank", "np": "1"}, {"method": "one Tao per rank", "np": "2"})
    add("09", "T2 map, a new Tao per voxel", "independent", tao, "time_s",
        {"method": "one Tao per voxel", "np": "1"}, {"method": "one Tao per voxel", "np": "2"})
    grid = _rows(data, "12-grid-gamg.csv")
    add("12", "CG+GAMG, 1000×1000 buses", "coupled", grid, "time_s",
        {"grid": "1000x1000", "np": "1"}, {"grid": "1000x1000", "np": "2"})
    wave = _rows(data, "13-wave-bench.csv")
    add("13", "leapfrog 2001×1201, 50 steps", "coupled", wave, "time_s", {"np": "1"}, {"np": "2"})
    ml = _rows(data, "14-ml-summary.csv")
    add("14", "MLP trained with TAO", "coupled", ml, "time_s",
        {"method": "tao-mlp", "np": "1"}, {"method": "tao-mlp", "np": "2"})
    gwas = _rows(data, "15-gwas-bench.csv")
    add("15", "GWAS scan, 10 000 × 500 000", "independent", gwas, "wall_s",
        {"program": "gwas", "np": "1"}, {"program": "gwas", "np": "2"})
    return out


def rows(data, name):
    """The rows of lessons/_data/NAME as dicts ([] when the file is missing)."""
    return _rows(data, name)


def pick(rows_, **want):
    """The first row whose columns have the wanted values, or None."""
    return _pick(rows_, **want)
