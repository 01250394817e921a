#!/usr/bin/env bats
# The Sphinx site builds with warnings as errors, and every lesson has a page,
# a figure and both code variants on it.

setup() { load helpers; }

@test "site: make site builds with -W" {
  run make -C "$COURSE_ROOT" site
  assert_success
  [ -f "$COURSE_ROOT/site/_build/html/index.html" ]
  [ -f "$COURSE_ROOT/site/_build/html/api.html" ]
}

@test "site: every lesson page exists, has a figure, and shows exercise and solution" {
  for d in "$COURSE_ROOT"/solutions/[0-9][0-9]-*/; do
    l="$(basename "$d")"
    page="$COURSE_ROOT/site/_build/html/$l.html"
    [ -f "$page" ] || { echo "no page for $l"; return 1; }
    # 16-debugging is about tools whose output is text: its pictures are the tools' reports.
    [ "$l" = 16-debugging ] || grep -q '<img' "$page" || { echo "no figure on $l"; return 1; }
    grep -q "exercises/$l" "$COURSE_ROOT/lessons/$l.rst" || { echo "$l shows no exercise code"; return 1; }
    grep -qE "solutions/$l|^\.\. solution::" "$COURSE_ROOT/lessons/$l.rst" || { echo "$l shows no solution code"; return 1; }
  done
}

@test "site: formulas use the MathJax shipped with the site (renders offline)" {
  [ -f "$COURSE_ROOT/site/_build/html/_static/mathjax/MathJax.js" ]
  grep -q '_static/mathjax/MathJax.js' "$COURSE_ROOT/site/_build/html/03-send-recv.html"
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

# browse URL [ARGS...]: headless Chromium with a fresh profile, under a timeout.
browse() {
  local url="$1"; shift
  timeout -k 5 120 "$(chromium_bin)" --headless --no-sandbox --disable-gpu --no-first-run \
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
  for l in $(ls "$COURSE_ROOT/solutions"); do
    printf '%s\n' "$output" | grep -qE "^PASS $l\.html: [1-9][0-9]* images, [1-9][0-9]* code blocks" ||
      { echo "$l.html: no image or no code in the browser" >&2; return 1; }
  done
  printf '%s\n' "$output" | grep -qE '^PASS search MPI_Sendrecv: [1-9]'
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
