#!/usr/bin/env bats
# The Sphinx site builds with warnings as errors, and every lesson has a page,
# a figure and both code variants on it; the course's directives (site/_ext/
# course.py) render, run real programs and hide solutions on request; every
# page is linked from the index; and every lesson page has the learner-first
# shape (time budget, tested output, quiz with answers, key points) and never
# speaks about the course's own making.
#
# The tests tagged `lesson-pages` check the lesson pages themselves
# (lessons/NN-*.rst) and name every page that lacks something; they pass once
# every lesson page is in the learner-first shape.  To run the others only:
#   bats --filter-tags '!lesson-pages' tests/site.bats

# The site is built once per run of this file, in setup_file: the full site
# (make site) and the copy without solutions (make site SOLUTIONS=hide).  The
# tests read those two builds; the behaviour of the course's directives is
# tested on small Sphinx projects of their own, in tests/site-directives.bats.
# SITE_REUSE=1 skips the two builds and tests what site/_build already holds
# (for a page writer who has just run both; never in `make test`).
setup_file() {
  load helpers
  local b="$BATS_FILE_TMPDIR"
  if [ "${SITE_REUSE:-0}" = 1 ]; then
    echo "SITE_REUSE=1: not built" | tee "$b/site.out" > "$b/hidden.out"
    echo 0 | tee "$b/site.status" > "$b/hidden.status"
    return 0
  fi
  # The copy without solutions shows the very runs of the full build
  # (COURSE_RUN_SHARE, site/_ext/course.py): the same checkout, built twice.
  # (|| st=$?: setup_file stops at a failing command; a failed build is the
  # tests' to report, with its output)
  local st=0
  ( cd "$COURSE_ROOT" && COURSE_RUN_SHARE="$b/runs" make site ) < /dev/null > "$b/site.out" 2>&1 || st=$?
  echo "$st" > "$b/site.status"
  st=0
  ( cd "$COURSE_ROOT" && COURSE_RUN_SHARE="$b/runs" make site SOLUTIONS=hide ) < /dev/null > "$b/hidden.out" 2>&1 || st=$?
  echo "$st" > "$b/hidden.status"
}

setup() {
  load helpers
  HTML="$COURSE_ROOT/site/_build/html"                    # make site
  HIDDEN="$COURSE_ROOT/site/_build/html-no-solutions"     # make site SOLUTIONS=hide
}

# built NAME: the status and output of setup_file's build NAME (site, hidden) in $status, $output.
built() {
  status="$(cat "$BATS_FILE_TMPDIR/$1.status")"
  output="$(cat "$BATS_FILE_TMPDIR/$1.out")"
}

# lesson_pages: the lesson pages, lessons/NN-slug.rst (00-16, and 17 when written).
lesson_pages() { (cd "$COURSE_ROOT/lessons" && ls [0-9][0-9]-*.rst | sed 's/\.rst$//'); }

@test "site: make site builds with -W" {
  grep -q -- '-W' "$COURSE_ROOT/site/Makefile"
  built site
  assert_success
  [ -f "$COURSE_ROOT/site/_build/html/index.html" ]
  [ -f "$COURSE_ROOT/site/_build/html/api.html" ]
}

@test "site: make site SOLUTIONS=hide builds the copy without solutions beside the full site" {
  built hidden
  assert_success
  [ "${SITE_REUSE:-0}" = 1 ] || assert_output --partial "site/_build/html-no-solutions/index.html"
  [ -f "$HIDDEN/index.html" ]
  [ -f "$HTML/index.html" ]
  # the page sources (which name the solution files) are not copied into it
  [ ! -d "$HIDDEN/_sources" ]
  # nor the program reference, which documents the solution programs: its page says so
  [ ! -d "$HIDDEN/api" ] && [ -d "$HTML/api" ]
  grep -q 'leaves it out' "$HIDDEN/api.html"
  run make -C "$COURSE_ROOT" site SOLUTIONS=maybe
  assert_failure
  assert_output --partial "SOLUTIONS=maybe: use show or hide"
}

# bats test_tags=lesson-pages
@test "lesson pages: every lesson has a page with a figure, the exercise's code and the solution's" {
  # Every lesson folder has a page; every lesson page has a figure; where the
  # lesson has an exercise (exercises/NN-slug), the page shows its code and,
  # behind a click, the solution's.  A page without an exercise folder needs neither.
  local d l page lacks=()
  for d in "$COURSE_ROOT"/solutions/[0-9][0-9]-*/ "$COURSE_ROOT"/exercises/[0-9][0-9]-*/; do
    l="$(basename "$d")"
    [ -f "$COURSE_ROOT/lessons/$l.rst" ] || lacks+=("$l: no page lessons/$l.rst")
  done
  for l in $(lesson_pages); do
    page="$HTML/$l.html"
    [ -f "$page" ] || { lacks+=("$l: no page in the built site"); continue; }
    # 16-debugging is about tools whose output is text: its pictures are the tools' reports.
    [ "$l" = 16-debugging ] || grep -q '<img' "$page" || lacks+=("$l: no figure")
    [ -d "$COURSE_ROOT/exercises/$l" ] || continue
    grep -q "literalinclude:: \.\./exercises/$l/" "$COURSE_ROOT/lessons/$l.rst" ||
      lacks+=("$l: no exercise code (literalinclude of ../exercises/$l/)")
    # the solution's code inside a directive (a solution dropdown), not on the open page
    grep -qE "^\s+\.\. literalinclude:: \.\./solutions/$l/" "$COURSE_ROOT/lessons/$l.rst" ||
      lacks+=("$l: no solution code (literalinclude of ../solutions/$l/ in a solution dropdown)")
  done
  [ ${#lacks[@]} -eq 0 ] || { printf '%s\n' "${lacks[@]}"; return 1; }
}

@test "site: formulas use the MathJax shipped with the site (renders offline)" {
  [ -f "$COURSE_ROOT/site/_build/html/_static/mathjax/MathJax.js" ]
  grep -q '_static/mathjax/MathJax.js' "$COURSE_ROOT/site/_build/html/03-send-recv.html"
}

# ---- the course's directives (site/_ext/course.py) -------------------------

@test "site: every page is linked from the index, the concepts page first" {
  local page missing=()
  local article
  article="$(sed -n '/<article/,/<\/article>/p' "$HTML/index.html")"
  for page in $(cd "$COURSE_ROOT/lessons" && ls *.rst | sed 's/\.rst$//'); do
    [ "$page" = index ] && continue
    grep -q "href=\"$page.html" <<< "$article" || missing+=("$page")
  done
  [ ${#missing[@]} -eq 0 ] || { echo "not linked from the index page's text: ${missing[*]}"; return 1; }
  # the concepts page comes before lesson 00 in the learning path
  local first
  first="$(grep -o 'href="\(concepts\|00-environment\)\.html' <<< "$article" | head -1)"
  [ "$first" = 'href="concepts.html' ] || { echo "the index links $first before concepts.html"; return 1; }
}

@test "site: course-run shows the program's lines, not make's or Open MPI 5's launcher's" {
  run /usr/bin/python3 - "$COURSE_ROOT/site/_ext" <<'PY'
import sys
sys.path.insert(0, sys.argv[1])
from course import _strip_noise
box = "-" * 70
raw = "\n".join(["error: --root 5 is not a rank (0..1)",
                 "[vm:4242] PMIX ERROR: PMIX_ERR_UNREACH in file server/pmix_server.c at line 3274",
                 "[warn] Epoll MOD(4) on fd 27 failed. Old events were 6; read change was 0 (none)",
                 box, "prterun detected that one or more processes exited with non-zero status,", box,
                 "make: *** [lesson.mk:92: run] Error 1",
                 box, "a box of the program's own", box])
out = _strip_noise(raw)
want = "\n".join(["error: --root 5 is not a rank (0..1)", box, "a box of the program's own", box])
assert out == want, out
print("ok")
PY
  assert_success
  assert_output ok
}

@test "site: course-run, solution and answer render on the instructors page" {
  run /usr/bin/python3 - "$HTML/instructors.html" <<'PY'
import html, re, sys
s = open(sys.argv[1]).read()
runs = re.findall(r'<div class="course-run[^"]*">(.*?)</pre>', s, re.S)
text = [html.unescape(re.sub(r"<[^>]+>", "", r)) for r in runs]
assert len(runs) >= 2, f"{len(runs)} course-run blocks"
assert text[0].startswith("$ make run PROG=hello NP=2\n"), text[0][:80]
assert "check = PASS" in text[0] and "size = 2" in text[0], text[0]
assert 'ARGS="--root 5"' in text[1] and "error: --root 5" in text[1], text[1]
assert "prterun" not in text[1] and "make: ***" not in text[1], text[1]
sol = re.findall(r'<details class="course-solution"><summary>(.*?)</summary>(.*?)</details>', s, re.S)
assert sol and sol[0][0].startswith("Show the solution"), sol[:1]
assert "&gt;&gt;&gt; step 4" in sol[0][1], "the solution's code is not inside its <details>"
ans = re.findall(r'<details class="course-answer"><summary>Answer</summary>(.*?)</details>', s, re.S)
assert ans and "size = 1" in html.unescape(re.sub(r"<[^>]+>", "", ans[0])), ans[:1]
print("ok")
PY
  assert_success
  assert_output ok
}

@test "site: SOLUTIONS=hide hides every solution block, and the full site shows each one" {
  [ -f "$HIDDEN/index.html" ] || { echo "no copy without solutions: the SOLUTIONS=hide test above failed"; return 1; }
  run /usr/bin/python3 - "$COURSE_ROOT/lessons" "$HTML" "$HIDDEN" <<'PY'
import re, sys
from pathlib import Path
lessons, full, hidden = (Path(a) for a in sys.argv[1:])
bad, total = [], 0
for rst in sorted(lessons.glob("*.rst")):
    n = len(re.findall(r"^\s*\.\. solution::", rst.read_text(), re.M))
    total += n
    page = rst.stem + ".html"
    f, h = (full / page).read_text(), (hidden / page).read_text()
    shown = f.count('<details class="course-solution">')
    notes = h.count('<p class="course-solution-hidden">')
    left = h.count('<details class="course-solution">')
    if shown != n or notes != n or left:
        bad.append(f"{rst.stem}: {n} solution blocks, {shown} shown in the full site, "
                   f"{notes} hidden and {left} still shown in the copy without solutions")
print("\n".join(bad) or f"ok: {total} solution blocks")
sys.exit(1 if bad else 0)
PY
  assert_success
  assert_output --partial ok
}

# ---- lesson pages (lessons/NN-slug.rst): the learner-first shape --------------

# bats test_tags=lesson-pages
@test "lesson pages: none speaks about the course's making (seed, workshop, brief, earlier version)" {
  # Only sources.rst credits the documents the course grew from.
  local hits
  hits="$(cd "$COURSE_ROOT/lessons" && grep -n -i -E \
    "workshop|\bthe brief\b|\bbrief's|course brief|\bseed's\b|\bseed (lesson|code|program|document|material|example)|\bthe seed\b ?([^ =0-9(]|$)|earlier version|python original" \
    $(ls *.rst | grep -v '^sources\.rst$') || true)"
  [ -z "$hits" ] || {
    echo "pages that mention the course's making (say it on sources.rst, or say it as physics/numerics):"
    printf '%s\n' "$hits" | awk -F: '{print $1}' | sort | uniq -c | awk '{printf "  %s: %d lines\n", $2, $1}'
    printf '%s\n' "$hits" | cut -c1-160
    return 1; }
}

# bats test_tags=lesson-pages
@test "lesson pages: each has a time budget, a course-run, a solution dropdown, a quiz with answers and key points" {
  run /usr/bin/python3 - "$COURSE_ROOT" $(lesson_pages) <<'PY'
import re, sys
from pathlib import Path
root, pages = Path(sys.argv[1]), sys.argv[2:]
lessons = root / "lessons"
time_re = re.compile(r"^\.\. admonition:: Time\s*\n(?:\s*\n)*\s+[^\n]*?teaching\D{0,20}?\d+\s*min"
                     r"[^\n]*?exercise\D{0,20}?\d+\s*min", re.M | re.I)
report = []
for page in pages:
    text = (lessons / f"{page}.rst").read_text()
    lacks = []
    if not time_re.search(text):
        lacks.append('time budget (".. admonition:: Time" + "Teaching N min · exercise N min.")')
    if not re.search(r"^\s*\.\. course-run::", text, re.M):
        lacks.append("course-run block")
    # the solution of the lesson's exercise behind a click (a page without an
    # exercises/NN-slug folder has no exercise, and so no solution to hide)
    if (root / "exercises" / page).is_dir() and not re.search(r"^\s*\.\. solution::", text, re.M):
        lacks.append("solution dropdown")
    if not re.search(r"^Quiz\n[-=~^]{4,}\s*$", text, re.M):
        lacks.append('"Quiz" section')
    answers = len(re.findall(r"^\s*\.\. answer::", text, re.M))
    if answers < 3:
        lacks.append(f"3-5 quiz answers (has {answers})")
    if not re.search(r"^Key points\n[-=~^]{4,}\s*$", text, re.M):
        lacks.append('"Key points" section')
    if lacks:
        report.append(f"{page}: no " + "; no ".join(lacks))
print("\n".join(report) or f"ok: {len(pages)} lesson pages")
sys.exit(1 if report else 0)
PY
  assert_success
}

# bats test_tags=lesson-pages
@test "lesson pages: each shows the output of a real run with check = PASS in the built site" {
  run /usr/bin/python3 - "$HTML" $(lesson_pages) <<'PY'
import html, re, sys
from pathlib import Path
site, pages = Path(sys.argv[1]), sys.argv[2:]
report = []
for page in pages:
    path = site / f"{page}.html"
    if not path.exists():
        report.append(f"{page}: no page in the built site")
        continue
    runs = re.findall(r'<div class="course-run[^"]*">(.*?)</pre>', path.read_text(), re.S)
    texts = [html.unescape(re.sub(r"<[^>]+>", "", r)) for r in runs]
    if not runs:
        report.append(f"{page}: no course-run output")
    elif not any(re.search(r"^check = PASS$", t, re.M) for t in texts):
        report.append(f"{page}: {len(runs)} course-run blocks, none with check = PASS")
print("\n".join(report) or f"ok: {len(pages)} lesson pages")
sys.exit(1 if report else 0)
PY
  assert_success
}

# bats test_tags=lesson-pages
@test "lesson pages: the copy without solutions shows no solution code (no step block of solutions/)" {
  [ -f "$HIDDEN/index.html" ] || { echo "no copy without solutions: the SOLUTIONS=hide test above failed"; return 1; }
  run /usr/bin/python3 - "$COURSE_ROOT" "$HIDDEN" $(lesson_pages) <<'PY'
import html, re, sys
from pathlib import Path
root, hidden, pages = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3:]
start = re.compile(r"^\s*(//|#)\s*>>> step (\d+)")
report = []
for page in pages:
    folder = root / "solutions" / page
    path = hidden / f"{page}.html"
    if not folder.is_dir() or not path.exists():
        continue
    pre = []
    for block in re.findall(r"<pre>(.*?)</pre>", path.read_text(), re.S):
        text = html.unescape(re.sub(r"<[^>]+>", "", block))
        pre += [l.strip() for l in text.splitlines() if l.strip()]
    joined = "\n" + "\n".join(pre) + "\n"
    leaks = []
    for src in sorted(folder.iterdir()):
        if src.suffix not in (".cpp", ".hpp", ".c", ".h", ".py", ".sh"):
            continue
        body, step = None, None
        for line in src.read_text(errors="replace").splitlines():
            m = start.match(line)
            if m:
                body, step = [], m.group(2)
            elif body is not None and re.match(r"^\s*(//|#)\s*<<< step", line):
                code = [l.strip() for l in body if l.strip()]
                if len(code) >= 2 and "\n" + "\n".join(code) + "\n" in joined:
                    leaks.append(f"{src.name} step {step}")
                body = None
            elif body is not None:
                body.append(line)
    if leaks:
        report.append(f"{page}: shown without SOLUTIONS: " + ", ".join(leaks))
print("\n".join(report) or f"ok: {len(pages)} lesson pages")
sys.exit(1 if report else 0)
PY
  assert_success
}

# ---- the site in a real browser (headless Chromium) --------------------------
# The built site is served on localhost; tests/browser/check.html, served
# beside it, opens each page in an iframe and reports what a learner would see.

chromium_bin() { command -v chromium || command -v chromium-browser; }

# serve: start a static server for site/_build/html (as site/) and the checker;
# sets SERVE_DIR, PORT; the server's pid is in $SERVE_DIR/pid.
serve() {
  SERVE_DIR="$(mktemp -d /tmp/course-browser.XXXXXX)"
  ln -s "$COURSE_ROOT/site/_build/html" "$SERVE_DIR/site"
  cp "$COURSE_ROOT/tests/browser/check.html" "$SERVE_DIR/"
  PORT="$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
  ( cd "$SERVE_DIR" && exec /usr/bin/python3 -m http.server "$PORT" --bind 127.0.0.1 ) \
    < /dev/null > "$SERVE_DIR/server.log" 2>&1 &
  echo $! > "$SERVE_DIR/pid"
  local i
  for ((i = 0; i < 50; i++)); do
    /usr/bin/python3 -c "import urllib.request as u; u.urlopen('http://127.0.0.1:$PORT/check.html')" \
      2>/dev/null && return 0
    sleep 0.1
  done
  return 1
}

unserve() {
  [ -n "${SERVE_DIR:-}" ] || return 0
  kill "$(cat "$SERVE_DIR/pid")" 2>/dev/null || true
  rm -rf "$SERVE_DIR"
}

# browse URL [ARGS...]: headless Chromium with a fresh profile, under a timeout
# (600 s: in the whole suite this file runs at idle priority beside two busy
# lanes, where a check of 25 s alone can take minutes; a hang still ends).
browse() {
  local url="$1"; shift
  timeout -k 5 600 "$(chromium_bin)" --headless --no-sandbox --disable-gpu --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --user-data-dir="$SERVE_DIR/profile-$RANDOM" "$@" "$url" 2>/dev/null
}

# check_pages PAGES [SEARCH]: run the checker; $output holds its result lines.
check_pages() {
  local dom
  dom="$(browse "http://127.0.0.1:$PORT/check.html?pages=$1&search=${2:-}" \
         --virtual-time-budget=120000 --dump-dom)"
  output="$(printf '%s\n' "$dom" | sed -n '/<pre id="result">/,/<\/pre>/p' | sed 's/<[^>]*>//g')"
}

@test "site in a browser: every page loads with its images, code and working internal links" {
  [ -n "$(chromium_bin)" ] || skip "chromium is not installed: docker/install-deps.sh installs it"
  [ -f "$COURSE_ROOT/site/_build/html/index.html" ] || skip "the site is not built (make site)"
  serve
  local pages
  pages="$(cd "$COURSE_ROOT/site/_build/html" && find . -name '*.html' ! -path './_*' | sed 's|^\./||' | sort | paste -sd,)"
  check_pages "$pages" MPI_Sendrecv
  unserve
  printf '%s\n' "$output"
  [[ "$output" == *DONE* ]] || { echo "the checker did not finish" >&2; return 1; }
  ! printf '%s\n' "$output" | grep -q '^FAIL'
  # every page was seen, and each lesson page shows its figure and code
  [ "$(printf '%s\n' "$output" | grep -c '^PASS .*\.html:')" -eq "$(tr ',' '\n' <<< "$pages" | wc -l)" ]
  local l
  local img
  for l in $(lesson_pages); do
    # as in the figure test above: 16-debugging's pictures are the tools' text reports
    img='[1-9][0-9]*'; [ "$l" != 16-debugging ] || img='[0-9]+'
    printf '%s\n' "$output" | grep -qE "^PASS $l\.html: $img images, [1-9][0-9]* code blocks" ||
      { echo "$l.html: no image or no code in the browser" >&2; return 1; }
  done
  printf '%s\n' "$output" | grep -qE '^PASS search MPI_Sendrecv: [1-9]'
  # the solution and the answer of the instructors page open on a click (the checker clicks them)
  printf '%s\n' "$output" | grep -qE '^PASS instructors\.html: .* [2-9][0-9]* dropdowns' ||
    { echo "instructors.html: the solution and the answer did not open on a click" >&2; return 1; }
}

@test "site in a browser: the checker itself catches a broken image and a broken link" {
  [ -n "$(chromium_bin)" ] || skip "chromium is not installed"
  serve
  printf '<html><body><h1>x</h1><img src="nothere.png"><a href="missing.html">m</a></body></html>\n' \
    > "$SERVE_DIR/broken.html"
  check_pages ../broken.html
  unserve
  assert_output --partial 'FAIL ../broken.html'
  assert_output --partial 'image not loaded: nothere.png'
  assert_output --partial 'broken link: missing.html'
}

@test "site in a browser: screenshots of the index and two lesson pages (site/_build/screenshots)" {
  [ -n "$(chromium_bin)" ] || skip "chromium is not installed"
  [ -f "$COURSE_ROOT/site/_build/html/index.html" ] || skip "the site is not built (make site)"
  serve
  local shots="$COURSE_ROOT/site/_build/screenshots" p
  mkdir -p "$shots"
  for p in index 03-send-recv 05-collectives; do
    rm -f "$shots/$p.png"
    browse "http://127.0.0.1:$PORT/site/$p.html" --hide-scrollbars --window-size=1280,1600 \
      --screenshot="$shots/$p.png" > /dev/null
  done
  unserve
  for p in index 03-send-recv 05-collectives; do
    [ "$(stat -c %s "$shots/$p.png")" -gt 20000 ] || { echo "screenshot $p.png is missing or blank" >&2; return 1; }
  done
}
