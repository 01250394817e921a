# Sphinx configuration for "Scaling your science with parallel computing".
#
# Build: make site   (= sphinx-build -W -c site lessons site/_build/html)
# Source pages live in lessons/; this folder holds the configuration, the
# Doxygen setup, the figure scripts and static files.  Before Sphinx reads a
# page, this file
#   1. runs the site/figures/*.py, which turn the measured data in
#      lessons/_data/ (written by the programs and `make bench`) into
#      lessons/_figures/*.png (a script whose inputs have not changed since
#      its last run is not run again), and
#   2. runs Doxygen on the solution programs for the API page (Breathe; again
#      only for a file that changed).
# The course's own directives (course-run, solution, answer) are in
# site/_ext/course.py, which documents them for the page writers.
import os
import runpy
import re
import subprocess
import sys
from pathlib import Path

SITE = Path(__file__).resolve().parent
ROOT = SITE.parent
BUILD = SITE / "_build"

project = "Scaling your science with parallel computing"
author = "the course authors"
copyright = "2026, the course authors (code: MIT, narrative: CC BY-SA 4.0)"
release = "2026.11"

sys.path.insert(0, str(SITE / "_ext"))
extensions = [
    "sphinx.ext.mathjax",
    "sphinx_copybutton",
    "sphinx_tabs.tabs",
    "breathe",
    "course",
]

# `make site SOLUTIONS=hide` (COURSE_SOLUTIONS=hide) builds a copy for live
# teaching: every `.. solution::` becomes one line saying it is hidden, and the
# page sources (which name the solution files) are not copied into the site.
course_solutions = os.environ.get("COURSE_SOLUTIONS") or "show"
# The program reference (api/, section 2) documents the solution programs, so
# that copy leaves it out: its api page says so in one paragraph.
if course_solutions == "hide":
    html_copy_source = False
    html_show_sourcelink = False

html_theme = "furo"
html_title = project
html_static_path = ["static"]
html_css_files = ["course.css"]
exclude_patterns = ["_data", "_figures/README*"] + (["api/**"] if course_solutions == "hide" else [])
templates_path = []
highlight_language = "none"
# Copy only the command, not the prompt or the output.
copybutton_prompt_text = r"\$ "
copybutton_prompt_is_regexp = True
copybutton_only_copy_prompt_lines = True
sphinx_tabs_disable_tab_closing = True

# ---- 0. MathJax from Debian (libjs-mathjax), so formulas render offline ------
# (a workshop room or a container without internet).  Only what TeX input and
# CommonHTML output need is copied, about 1.5 MB.  Without the package, Sphinx
# falls back to its default, MathJax from a CDN.
_MATHJAX = Path("/usr/share/javascript/mathjax")
_MATHJAX_PARTS = ["MathJax.js", "config/TeX-AMS_CHTML.js", "jax/input/TeX", "jax/element",
                  "jax/output/CommonHTML", "extensions", "fonts/HTML-CSS/TeX/woff"]


def _local_mathjax():
    import shutil
    if not (_MATHJAX / "MathJax.js").exists():
        return None
    root = BUILD / "mathjax-static"
    dest = root / "mathjax"
    if not (dest / "MathJax.js").exists():
        for part in _MATHJAX_PARTS:
            src, dst = _MATHJAX / part, dest / part
            dst.parent.mkdir(parents=True, exist_ok=True)
            if src.is_dir():
                shutil.copytree(src, dst, dirs_exist_ok=True)
            else:
                shutil.copy2(src, dst)
    return root


_mj = _local_mathjax()
if _mj is not None:
    html_static_path.append(str(_mj))
    mathjax_path = "mathjax/MathJax.js?config=TeX-AMS_CHTML"

# ---- 1. figures from measured data ------------------------------------------
# A script runs again only when what it reads changed: the script, the helpers
# (scaling_pairs.py, bench_report.py), lessons/_data/, simulate/platforms/,
# and for a script that reads the lesson pages (96-budgets.py), the pages.
# Its key (a digest of those files) and the files it wrote are kept in
# lessons/_figures/.stamps/ (make clean removes both).  Scripts that must run,
# run side by side, one per core, each into a folder of its own whose files
# are then moved into lessons/_figures/.
FIGURE_INPUTS = [SITE / "bench_report.py",
                 *sorted(p for p in (SITE / "figures").glob("*.py") if not p.name[:2].isdigit()),
                 *sorted(p for p in (ROOT / "lessons" / "_data").rglob("*") if p.is_file()),
                 *sorted((ROOT / "simulate" / "platforms").glob("*.xml"))]


def _digest(paths, extra=b""):
    import hashlib
    h = hashlib.sha256(extra)
    for path in paths:
        h.update(str(path.relative_to(ROOT)).encode() + b"\0")
        h.update(path.read_bytes() if path.exists() else b"(missing)")
        h.update(b"\0")
    return h.hexdigest()


def _figure_key(script, common):
    text = script.read_text()
    pages = sorted((ROOT / "lessons").glob("*.rst")) if ("LESSONS" in text or ".rst" in text) else []
    return _digest([script, *pages], common.encode())


def _run_figure(script, out, err):
    """In a forked child: run one figure script with FIGURES = OUT; on an
    error, write it to ERR and exit 1."""
    import gc
    import traceback
    import matplotlib
    matplotlib.use("Agg")
    code = 0
    try:
        runpy.run_path(str(script), init_globals={
            "DATA": ROOT / "lessons" / "_data", "FIGURES": out}, run_name="__main__")
    except SystemExit as e:
        if e.code not in (None, 0):
            err.write_text(f"{script.name}: exit status {e.code}")
            code = 1
    except BaseException:  # noqa: BLE001 - reported by the parent, with the script's name
        err.write_text(f"{script.name}:\n{traceback.format_exc()}")
        code = 1
    gc.collect()            # a file the script left open is flushed before the child ends
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


def _make_figures():
    import json
    import multiprocessing
    import multiprocessing.connection
    import shutil
    import tempfile
    out = ROOT / "lessons" / "_figures"
    stamps = out / ".stamps"
    stamps.mkdir(parents=True, exist_ok=True)
    common = _digest(FIGURE_INPUTS)
    todo = []
    for script in sorted((SITE / "figures").glob("[0-9][0-9]-*.py")):
        key = _figure_key(script, common)
        stamp = stamps / f"{script.stem}.json"
        try:
            old = json.loads(stamp.read_text())
        except (OSError, ValueError):
            old = {}
        if old.get("key") == key and all((out / f).exists() for f in old.get("outputs", [])):
            continue
        todo.append((script, key, stamp))
    if not todo:
        return
    # Imported once here, each forked child starts with them (importing
    # pyplot takes most of a second, about half of a small figure's time).
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot  # noqa: F401
    import numpy  # noqa: F401
    work = Path(tempfile.mkdtemp(prefix="course-figures-"))
    try:
        ctx = multiprocessing.get_context("fork")
        jobs = os.cpu_count() or 1
        pending, running, failed = list(todo), {}, []
        while pending or running:
            while pending and len(running) < jobs:
                script, key, stamp = pending.pop(0)
                folder, err = work / script.stem, work / f"{script.stem}.err"
                folder.mkdir()
                proc = ctx.Process(target=_run_figure, args=(script, folder, err))
                proc.start()
                running[proc.sentinel] = (proc, script, key, stamp, folder, err)
            for sentinel in multiprocessing.connection.wait(list(running)):
                proc, script, key, stamp, folder, err = running.pop(sentinel)
                proc.join()
                made = sorted(p.name for p in folder.iterdir())
                for name in made:
                    shutil.move(str(folder / name), str(out / name))
                if proc.exitcode == 0:
                    stamp.write_text(json.dumps({"key": key, "outputs": made}))
                else:
                    stamp.unlink(missing_ok=True)
                    failed.append(err.read_text() if err.exists()
                                  else f"{script.name}: exit status {proc.exitcode}")
        if failed:
            raise RuntimeError("figure scripts failed:\n" + "\n".join(failed))
    finally:
        shutil.rmtree(work, ignore_errors=True)


_make_figures()

# ---- 2. API reference: a Doxygen project per source file, a page per lesson --
# Every lesson is standalone, so several lessons carry their own copy of a
# helper (cli.hpp's class Options, say), and PETSc programs in one lesson each
# have their own `AppCtx`.  One Doxygen project per file keeps them apart
# (Doxygen merges same-named structs of one project); Breathe's HTML ids are
# the struct names, so two files of a lesson that define the same name go on
# two pages; a C++ namespace per file keeps Sphinx from reading the programs'
# `main` functions as one declaration defined twice.  (A page per file, 118
# pages, took Sphinx about twice as long: measured, 55-60 s against 33 s on
# one core.)
# The headers every lesson shares (common/*.hpp, copied into the lesson folders
# by `make sync`) get one page of their own, api/common, instead of one per
# copy: their macros (PETSC_SUCCESS) are C declarations, which no namespace
# keeps apart.  lessons/api/ is generated (ignored by git).
breathe_projects = {}
breathe_default_members = ("members",)


def _write_if_changed(path, text):
    if not path.exists() or path.read_text() != text:
        path.write_text(text)


def _api_pages():
    api = ROOT / "lessons" / "api"
    api.mkdir(exist_ok=True)
    wanted = set()
    common = {f.name: f.read_bytes() for f in sorted((ROOT / "common").glob("*.hpp"))}

    def is_common_copy(f):
        return f.name in common and f.read_bytes() == common[f.name]

    lessons = []                 # (lesson folder, [(source file, its Doxygen output folder)])
    folders = sorted(p for p in (ROOT / "solutions").glob("[0-9][0-9]-*") if p.is_dir())
    for lesson in folders + [ROOT / "common"]:
        files = sorted(lesson.glob("*.cpp")) + sorted(lesson.glob("*.hpp"))
        if lesson.name != "common":
            files = [f for f in files if not is_common_copy(f)]
        if files:
            lessons.append((lesson, [(f, BUILD / "doxygen" / lesson.name / f.name) for f in files]))
    _run_doxygen([job for _, files in lessons for job in files])
    for lesson, files in lessons:
        page = ROOT / "lessons" / f"{lesson.name}.rst"
        if lesson.name == "common":
            title = "Shared helpers (common/)"
        else:
            title = page.read_text().splitlines()[0] if page.exists() else lesson.name
        # One page per lesson, a section per file.  Breathe's HTML ids are
        # Doxygen's (structOptions), so two files that each define a struct
        # Options go on different pages: a file goes on the first page where
        # none of its classes, structs and namespaces is taken.
        pages = []               # [(taken names, sections)]
        for f, out in files:
            project = f"{lesson.name}/{f.name}"
            breathe_projects[project] = str(out / "xml")
            names = set(re.findall(r'refid="([^"]+)" kind="(?:struct|class|union|namespace)"',
                                   (out / "xml" / "index.xml").read_text()))
            ns = "l" + "".join(c if c.isalnum() else "_" for c in f"{lesson.name}_{f.name}")
            section = (f"{f.name}\n{'-' * len(f.name)}\n\n.. cpp:namespace:: {ns}\n\n"
                       f".. doxygenfile:: {f.name}\n   :project: {project}\n\n")
            for taken, sections in pages:
                if not taken & names:
                    taken |= names
                    sections.append((f.name, section))
                    break
            else:
                pages.append((set(names), [(f.name, section)]))
        what = ("The headers in ``common/`` that lesson folders carry identical copies of"
                if lesson.name == "common" else f"The programs of lesson ``{lesson.name}``")
        for i, (_, sections) in enumerate(pages):
            target = api / (f"{lesson.name}.rst" if i == 0 else f"{lesson.name}-{i + 1}.rst")
            head = title if i == 0 else f"{title}: {sections[0][0]}"
            intro = (f"{what}, as Doxygen reads them, a section per file."
                     if len(pages) == 1 else
                     f"{what}, as Doxygen reads them, a section per file (page {i + 1} of "
                     f"{len(pages)}: files that define a class of the same name are on "
                     "different pages).")
            _write_if_changed(target, f"{head}\n{'=' * len(head)}\n\n{intro}\n\n"
                              + "".join(sec for _, sec in sections))
            wanted.add(target)
    for stale in set(api.rglob("*.rst")) - wanted:
        stale.unlink()


def _run_doxygen(todo):
    """Doxygen on each file, unless its XML is there for this very file and
    Doxyfile (a stamp with their digest); the runs that are needed go side by side."""
    import concurrent.futures
    runs = []
    for f, out in todo:
        key = _digest([f, SITE / "Doxyfile"])
        stamp = out / "stamp"
        if stamp.exists() and stamp.read_text() == key and (out / "xml" / "index.xml").exists():
            continue
        out.mkdir(parents=True, exist_ok=True)
        stamp.unlink(missing_ok=True)
        runs.append((f, out, stamp, key))

    def run(job):
        f, out, stamp, key = job
        env = dict(os.environ, DOXY_INPUT=str(f), DOXY_OUTPUT=str(out))
        subprocess.run(["doxygen", str(SITE / "Doxyfile")], cwd=ROOT, env=env, check=True,
                       stdout=subprocess.DEVNULL)
        stamp.write_text(key)

    with concurrent.futures.ThreadPoolExecutor(2 * (os.cpu_count() or 1)) as pool:
        list(pool.map(run, runs))


if course_solutions != "hide":
    _api_pages()

API_HIDDEN = """Program reference
=================

The program reference is generated from the solution programs, so this copy
of the site, made without solutions, leaves it out.  The full site has it.
"""


def _hide_api_page(app, docname, source):
    if docname == "api":
        source[0] = API_HIDDEN


def setup(app):
    if course_solutions == "hide":
        app.connect("source-read", _hide_api_page)
