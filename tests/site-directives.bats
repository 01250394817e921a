#!/usr/bin/env bats
# The course's course-run directive (site/_ext/course.py) on small Sphinx
# projects of their own, not on the site: it fails the -W build when a program
# fails (or an expected failure passes), runs again on every build, shows the
# exercise with :variant:, shares runs between two builds under
# COURSE_RUN_SHARE, and works under sphinx-build -j 2.  A file of its own, not
# part of tests/site.bats: these need no site build, so they run in a lane
# while the site builds beside the lanes.

setup() {
  load helpers
}

# A small Sphinx project in a temporary folder that loads the extension: the
# behaviour of course-run without building the whole site.
mini_site() {
  MINI="$(mktemp -d /tmp/course-mini.XXXXXX)"
  cat > "$MINI/conf.py" <<PY
import sys
sys.path.insert(0, "$COURSE_ROOT/site/_ext")
extensions = ["course"]
PY
  printf 'Mini\n====\n\n%s\n' "$1" > "$MINI/index.rst"
}
mini_build() { run sphinx-build -W --keep-going -b html "$MINI" "$MINI/_build" < /dev/null; }

@test "site: course-run fails the -W build when the program fails, and when an expected failure passes" {
  mini_site '.. course-run:: 02-hello hello_root 2 --root 5'
  mini_build
  assert_failure
  assert_output --partial 'course-run: `make run PROG=hello_root NP=2 ARGS="--root 5"` in solutions/02-hello exited with status'
  assert_output --partial 'error: --root 5 does not exist'
  printf 'Mini\n====\n\n.. course-run:: 02-hello hello 1\n   :expect-fail:\n' > "$MINI/index.rst"
  mini_build
  assert_failure
  assert_output --partial 'was expected to fail (:expect-fail:) but exited with status 0'
  printf 'Mini\n====\n\n.. course-run:: 99-nothing hello 1\n' > "$MINI/index.rst"
  mini_build
  assert_failure
  assert_output --partial 'no lesson folder solutions/99-nothing'
  rm -rf "$MINI"
}

@test "site: course-run runs again on every build (nothing cached) and shows the exercise with :variant:" {
  mini_site '.. course-run:: 02-hello hello 1'
  mini_build
  assert_success
  grep -q 'check = PASS' "$MINI/_build/index.html"
  # nothing changed, yet the page is read (and the program run) again
  mini_build
  assert_success
  assert_output --regexp 'updating environment: .*1 changed'
  printf 'Mini\n====\n\n.. course-run:: 02-hello hello 2\n   :variant: exercise\n   :expect-fail:\n' > "$MINI/index.rst"
  mini_build
  assert_success
  ! grep -q 'check = PASS' "$MINI/_build/index.html"
  rm -rf "$MINI"
}

@test "site: COURSE_RUN_SHARE (as in site.bats, for its two builds) shows the first build's run in the second" {
  mini_site '.. course-run:: 02-hello hello 2'
  local share="$MINI/runs"
  COURSE_RUN_SHARE="$share" mini_build
  assert_success
  [ "$(ls "$share" | wc -l)" -eq 1 ]
  # the stored run is shown, not a new one: mark it and see the mark on the page
  sed -i 's/check = PASS/check = PASS (stored)/' "$share"/*.json
  COURSE_RUN_SHARE="$share" mini_build
  assert_success
  grep -q 'check = PASS (stored)' "$MINI/_build/index.html"
  # without it, the program runs again
  mini_build
  assert_success
  ! grep -q '(stored)' "$MINI/_build/index.html"
  rm -rf "$MINI"
}

@test "site: course-run under sphinx-build -j 2 (as make site): pages read side by side show their runs" {
  # make site reads pages in parallel (Sphinx does so from 6 pages on, in
  # chunks; course.py spreads the pages with course-run blocks over the chunks,
  # so p1 and p4 are read side by side); runs in one lesson folder take turns
  # (a lock in site/_build/course-run-locks).
  grep -q -- '-j 2' "$COURSE_ROOT/site/Makefile"
  mini_site "$(printf '.. toctree::\n\n   p1\n   p2\n   p3\n   p4\n   p5\n   p6\n')"
  local i
  for i in 1 2 3 4 5 6; do
    printf 'Page %s\n======\n\nText.\n' "$i" > "$MINI/p$i.rst"
  done
  printf '\n.. course-run:: 02-hello hello 1\n' | tee -a "$MINI/p1.rst" >> "$MINI/p4.rst"
  run sphinx-build -W --keep-going -j 2 -b html "$MINI" "$MINI/_build" < /dev/null
  assert_success
  for i in 1 4; do
    grep -q 'check = PASS' "$MINI/_build/p$i.html" || { echo "p$i.html: no check = PASS"; return 1; }
  done
  rm -rf "$MINI"
}
