"""Sphinx directives for the course's pages: real output, solutions, answers.

Registered in site/conf.py (``extensions = [..., "course"]``).  Plain docutils
nodes and raw HTML only, so it works with Sphinx 5 (Debian 12) and Sphinx 8
(Debian 13) and needs no extra package.

course-run: the expected output of a real run
---------------------------------------------

::

    .. course-run:: LESSON PROGRAM NP [ARGS...]
       :expect-fail:            (optional) the run must exit non-zero
       :variant: exercise       (optional) run exercises/LESSON instead of solutions/LESSON
       :timeout: SECONDS        (optional, default 300)
       :caption: TEXT           (optional) a caption above the block

Every time the site is built, this runs, from the course root::

    . common/mpi-env.sh && make -s --no-print-directory -C solutions/LESSON \\
        run PROG=PROGRAM NP=NP ARGS="ARGS..."

with standard input from /dev/null, ``OMP_NUM_THREADS=1`` unless set, no
MAKEFLAGS from an outer make, and a timeout (the whole process group gets TERM,
then KILL).  ``make run`` builds the program first if it is out of date.
The page shows a console block: the command a learner types in the lesson
folder, then what the program printed (stdout and stderr, in order)::

    $ make run PROG=hello NP=4
    Hello from rank 1 of 4 on vm
    ...
    check = PASS

LESSON is the folder name (``02-hello``).  ARGS is everything after NP, passed
to the program as written (``--root 2``, ``-da_grid_x 65 -snes_monitor``).
Two things are left out of the shown output, because they are make's and the
launcher's, not the program's: make's ``make: *** [...] Error N`` line and Open
MPI 5's boxed "prterun detected that one or more processes exited with non-zero
status" notice.

A non-zero exit status, a timeout or a missing folder is a warning, so
``make site`` (``-W``) fails and says which page, which command and the end of
the output.  With ``:expect-fail:`` the run must fail instead (a bad option, an
unsolved exercise), and an exit status of 0 is the warning.  Nothing is cached
from one build to the next: a page with a course-run block is read again, and
its programs run again, on every build, so the output on a page never drifts
from the code.  Within one build, the same command (same folder, program, NP,
ARGS) on two pages runs once and both pages show that run.  Runs in one lesson
folder take turns (a lock file in site/_build/course-run-locks/), so
``sphinx-build -j N`` may read pages side by side.

One exception, for the test suite only: with the environment variable
``COURSE_RUN_SHARE=DIR`` a run's status and output are stored in DIR, and a
later build with the same DIR shows the stored run instead of running the
command again.  tests/site.bats sets it for its two builds of one checkout (the
full site, then the copy without solutions), so the second shows exactly the
runs of the first; ``make site`` never sets it.

The block's HTML element carries the class ``course-run`` (tests/site.bats
looks for it and for ``check = PASS`` inside).

solution: the solution behind a click
-------------------------------------

::

    .. solution::              or   .. solution:: Step 2: the halo exchange

       Any content: prose, ``literalinclude`` of the solution's file, tabs ...

renders as an HTML ``<details class="course-solution">`` whose summary reads
"Show the solution" (or "Show the solution: TITLE"); the learner clicks to open
it.  ``make site SOLUTIONS=hide`` (the environment variable
``COURSE_SOLUTIONS=hide``, read into the config value ``course_solutions``)
builds a copy for live teaching in which the content is not even parsed: each
solution is one line, "Solutions are hidden in this copy.".

answer: a quiz answer behind a click
------------------------------------

::

    .. answer::

       **b.**  Because ... (say why, not only which).

renders as ``<details class="course-answer"><summary>Answer</summary>...``.
Answers stay visible in the SOLUTIONS=hide copy: they are part of the quiz.
"""

import fcntl
import hashlib
import html
import json
import os
import re
import signal
import subprocess
import tempfile
from pathlib import Path

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.directives.code import container_wrapper
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

logger = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parents[2]          # the course root
HIDDEN_NOTE = "Solutions are hidden in this copy."
DEFAULT_TIMEOUT = 300


# ---- course-run -------------------------------------------------------------

def _strip_noise(text):
    """Drop make's 'make: *** ... Error N' lines and the lines Open MPI 5's
    launcher adds (its boxed notice after a failing run, PMIx's and its event
    library's lines): mpi_output_filter in common/mpi-env.sh, the filter the
    tests and the exercises' grader use too.  Keep everything else."""
    text = subprocess.run(["sh", "-c", ". common/mpi-env.sh && mpi_output_filter"],
                          cwd=ROOT, input=text, capture_output=True, text=True,
                          check=True).stdout
    out = [line for line in text.splitlines()
           if not line.startswith(("make: *** ", "make[1]: *** "))]
    while out and not out[-1].strip():
        out.pop()
    return "\n".join(out)


# The runs of this build: the same command on two pages (the instructors page
# repeats lesson 02's) runs once per build.  Emptied when a build starts.
_RUNS = {}


def run_program(folder, prog, np, args, timeout):
    """`make run` in FOLDER, once per build for the same command (see _RUNS),
    or the run stored under COURSE_RUN_SHARE (see the module's docstring)."""
    key = (str(folder), prog, np, args, timeout)
    if key not in _RUNS:
        stored = _stored_run_path(key)
        if stored and stored.is_file():
            _RUNS[key] = tuple(json.loads(stored.read_text()))
        else:
            _RUNS[key] = _run_program(folder, prog, np, args, timeout)
            if stored:
                tmp = stored.with_suffix(f".{os.getpid()}.tmp")
                tmp.write_text(json.dumps(list(_RUNS[key])))
                tmp.replace(stored)
    return _RUNS[key]


def _stored_run_path(key):
    """Where the run KEY is stored under $COURSE_RUN_SHARE, or None when unset."""
    share = os.environ.get("COURSE_RUN_SHARE")
    if not share:
        return None
    Path(share).mkdir(parents=True, exist_ok=True)
    return Path(share) / (hashlib.sha256(json.dumps(key).encode()).hexdigest() + ".json")


def _run_program(folder, prog, np, args, timeout):
    """Run `make run` in FOLDER; return (exit status or None on timeout, output).
    One run at a time per folder (a lock file in site/_build/course-run-locks/):
    with sphinx-build -j, two pages may run programs of one lesson side by side,
    and two makes must not build the same program at once."""
    env = dict(os.environ)
    for var in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL", "MAKEOVERRIDES"):
        env.pop(var, None)
    env.setdefault("OMP_NUM_THREADS", "1")
    script = ('. common/mpi-env.sh && exec make -s --no-print-directory -C "$1" run '
              'PROG="$2" NP="$3" ARGS="$4"')
    lock_dir = ROOT / "site" / "_build" / "course-run-locks"
    lock_dir.mkdir(parents=True, exist_ok=True)
    with open(lock_dir / ("-".join(folder.parts) + ".lock"), "w") as lock, \
         tempfile.TemporaryDirectory(prefix="course-run-") as session:
        fcntl.flock(lock, fcntl.LOCK_EX)
        # Open MPI 4's launchers share one session folder (/tmp/ompi.HOST.UID):
        # one that ends removes it while another, starting, creates its own in
        # it, and that one fails (Open MPI issue 8510).  With -j 2 two runs
        # overlap: each has its own.
        env["OMPI_MCA_orte_tmpdir_base"] = session
        return _run_locked(folder, prog, np, args, timeout, env, script)


def _run_locked(folder, prog, np, args, timeout, env, script):
    proc = subprocess.Popen(["bash", "-c", script, "course-run", str(folder), prog, np, args],
                            cwd=ROOT, env=env, stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            start_new_session=True)
    try:
        out, _ = proc.communicate(timeout=timeout)
        status = proc.returncode
    except subprocess.TimeoutExpired:
        # SIGTERM first: make then deletes a half-built program, mpiexec stops its ranks.
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            out, _ = proc.communicate(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            out, _ = proc.communicate()
        status = None
    return status, out.decode("utf-8", errors="replace")


class CourseRun(SphinxDirective):
    required_arguments = 3
    optional_arguments = 1
    final_argument_whitespace = True
    has_content = False
    option_spec = {
        "expect-fail": directives.flag,
        "variant": lambda v: directives.choice(v, ("solution", "exercise")),
        "timeout": directives.positive_int,
        "caption": directives.unchanged_required,
    }

    def run(self):
        lesson, prog, np = self.arguments[:3]
        args = self.arguments[3] if len(self.arguments) > 3 else ""
        variant = self.options.get("variant", "solution")
        expect_fail = "expect-fail" in self.options
        timeout = self.options.get("timeout", DEFAULT_TIMEOUT)
        where = (self.env.docname, self.lineno)
        # Read this page again on every build: its output comes from a run, not a cache.
        self.env.note_reread()

        command = f"make run PROG={prog} NP={np}" + (f' ARGS="{args}"' if args else "")
        folder = Path(f"{variant}s") / lesson
        if not np.isdigit() or int(np) < 1:
            logger.warning(f"course-run: NP must be a positive number, not {np!r}", location=where)
            return []
        if not (ROOT / folder / "Makefile").is_file():
            logger.warning(f"course-run: no lesson folder {folder} (with a Makefile)", location=where)
            return []

        status, output = run_program(folder, prog, np, args, timeout)
        shown = _strip_noise(output)
        tail = "\n".join(output.rstrip().splitlines()[-15:])
        if status is None:
            logger.warning(f"course-run: `{command}` in {folder} did not finish within "
                           f"{timeout} s; last output:\n{tail}", location=where)
        elif status != 0 and not expect_fail:
            logger.warning(f"course-run: `{command}` in {folder} exited with status {status}; "
                           f"last output:\n{tail}", location=where)
        elif status == 0 and expect_fail:
            logger.warning(f"course-run: `{command}` in {folder} was expected to fail "
                           f"(:expect-fail:) but exited with status 0", location=where)

        text = f"$ {command}\n{shown}" if shown else f"$ {command}"
        block = nodes.literal_block(text, text, language="console", classes=["course-run"])
        self.set_source_info(block)
        if "caption" in self.options:
            return [container_wrapper(self, block, self.options["caption"])]
        return [block]


# ---- solution and answer -----------------------------------------------------

def _details(directive, css_class, summary):
    """The directive's content, parsed, inside <details><summary>SUMMARY</summary>."""
    body = nodes.container(classes=[f"{css_class}-body"])
    directive.state.nested_parse(directive.content, directive.content_offset, body)
    opening = nodes.raw("", f'<details class="{css_class}"><summary>{html.escape(summary)}'
                            f"</summary>\n", format="html")
    closing = nodes.raw("", "</details>\n", format="html")
    return [opening, body, closing]


class Solution(SphinxDirective):
    optional_arguments = 1
    final_argument_whitespace = True
    has_content = True

    def run(self):
        mode = self.config.course_solutions
        if mode not in ("show", "hide"):
            logger.warning(f"course_solutions must be 'show' or 'hide', not {mode!r} "
                           f"(make site SOLUTIONS=hide)", location=(self.env.docname, self.lineno))
        if mode == "hide":
            note = nodes.paragraph("", HIDDEN_NOTE, classes=["course-solution-hidden"])
            return [nodes.container("", note, classes=["course-solution-hidden"])]
        summary = "Show the solution" + (f": {self.arguments[0]}" if self.arguments else "")
        return _details(self, "course-solution", summary)


class Answer(SphinxDirective):
    has_content = True

    def run(self):
        return _details(self, "course-answer", "Answer")


def _new_build(app):
    _RUNS.clear()


_RUN_RE = re.compile(r"^\s*\.\. course-run::", re.M)


def _spread_runs(app, env, docnames):
    """With sphinx-build -j N, Sphinx reads the pages in chunks of consecutive
    names, N chunks at a time; in name order, every lesson page (00-... to
    17-...) would fall into the first chunk, and their programs would run one
    after the other.  Reorder the names (in place, as Sphinx allows) so that
    each chunk gets a fair share of the course-run blocks."""
    if app.parallel <= 1 or len(docnames) <= 5:
        return
    from sphinx.util.parallel import make_chunks
    sizes = [len(c) for c in make_chunks(list(docnames), app.parallel)]

    def runs(doc):
        try:
            return len(_RUN_RE.findall(Path(env.doc2path(doc)).read_text(errors="replace")))
        except OSError:
            return 0

    weight = {doc: runs(doc) for doc in docnames}
    chunks, load = [[] for _ in sizes], [0] * len(sizes)
    for doc in sorted(docnames, key=lambda d: -weight[d]):
        i = min((i for i in range(len(sizes)) if len(chunks[i]) < sizes[i]),
                key=lambda i: (load[i], len(chunks[i])))
        chunks[i].append(doc)
        load[i] += weight[doc]
    docnames[:] = [doc for chunk in chunks for doc in chunk]


def setup(app):
    app.connect("builder-inited", _new_build)
    app.connect("env-before-read-docs", _spread_runs)
    app.add_config_value("course_solutions", "show", "env")
    app.add_directive("course-run", CourseRun)
    app.add_directive("solution", Solution)
    app.add_directive("answer", Answer)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
