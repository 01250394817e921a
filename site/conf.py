# Sphinx configuration for "Scaling your science with parallel computing".
#
# Build: make site   (= sphinx-build -W -c site lessons site/_build/html)
# Source pages live in lessons/; this folder holds the configuration, the
# Doxygen setup, the figure scripts and static files.  Before Sphinx reads a
# page, this file
#   1. runs every site/figures/*.py, which turn the measured data in
#      lessons/_data/ (written by the programs and `make bench`) into
#      lessons/_figures/*.png, and
#   2. runs Doxygen on the solution programs for the API page (Breathe).
# The course's own directives (course-run, solution, answer) are in
# site/_ext/course.py, which documents them for the page writers.
import os
import runpy
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
if course_solutions == "hide":
    html_copy_source = False
    html_show_sourcelink = False

html_theme = "furo"
html_title = project
html_static_path = ["static"]
html_css_files = ["course.css"]
exclude_patterns = ["_data", "_figures/README*"]
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
def _make_figures():
    import matplotlib
    matplotlib.use("Agg")
    out = ROOT / "lessons" / "_figures"
    out.mkdir(exist_ok=True)
    for script in sorted((SITE / "figures").glob("[0-9][0-9]-*.py")):
        runpy.run_path(str(script), init_globals={
            "DATA": ROOT / "lessons" / "_data", "FIGURES": out}, run_name="__main__")

_make_figures()

# ---- 2. API reference: one Doxygen project and one page per source file ------
# Every lesson is standalone, so several lessons carry their own copy of a
# helper (cli.hpp's class Options, say), and PETSc programs in one lesson each
# have their own `AppCtx`.  One Doxygen project and one page per file keeps
# them apart (Doxygen merges same-named structs of one project, and Breathe's
# HTML ids are the struct names); a C++ namespace per file keeps Sphinx from
# reading the programs' `main` functions as one declaration defined twice.
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

    folders = sorted(p for p in (ROOT / "solutions").glob("[0-9][0-9]-*") if p.is_dir())
    for lesson in folders + [ROOT / "common"]:
        files = sorted(lesson.glob("*.cpp")) + sorted(lesson.glob("*.hpp"))
        if lesson.name != "common":
            files = [f for f in files if not is_common_copy(f)]
        if not files:
            continue
        page = ROOT / "lessons" / f"{lesson.name}.rst"
        if lesson.name == "common":
            title = "Shared helpers (common/)"
        else:
            title = page.read_text().splitlines()[0] if page.exists() else lesson.name
        (api / lesson.name).mkdir(exist_ok=True)
        entries = []
        for f in files:
            project = f"{lesson.name}/{f.name}"
            out = BUILD / "doxygen" / lesson.name / f.name
            out.mkdir(parents=True, exist_ok=True)
            env = dict(os.environ, DOXY_INPUT=str(f), DOXY_OUTPUT=str(out))
            subprocess.run(["doxygen", str(SITE / "Doxyfile")], cwd=ROOT, env=env, check=True,
                           stdout=subprocess.DEVNULL)
            breathe_projects[project] = str(out / "xml")
            ns = "l" + "".join(c if c.isalnum() else "_" for c in f"{lesson.name}_{f.name}")
            target = api / lesson.name / f"{f.stem}-{f.suffix[1:]}.rst"
            _write_if_changed(target, f"{f.name}\n{'=' * len(f.name)}\n\n"
                              f".. cpp:namespace:: {ns}\n\n"
                              f".. doxygenfile:: {f.name}\n   :project: {project}\n")
            wanted.add(target)
            entries.append(f"   {lesson.name}/{target.stem}\n")
        index = api / f"{lesson.name}.rst"
        what = ("The headers in ``common/`` that lesson folders carry identical copies of"
                if lesson.name == "common" else f"The programs of lesson ``{lesson.name}``")
        _write_if_changed(index, f"{title}\n{'=' * len(title)}\n\n"
                          f"{what}, as Doxygen reads them, one page per file.\n\n"
                          f".. toctree::\n   :maxdepth: 1\n\n" + "".join(entries))
        wanted.add(index)
    for stale in set(api.rglob("*.rst")) - wanted:
        stale.unlink()


_api_pages()
