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
    grep -q '<img' "$page" || { echo "no figure on $l"; return 1; }
    grep -q "exercises/$l" "$COURSE_ROOT/lessons/$l.rst" || { echo "$l shows no exercise code"; return 1; }
    grep -q "solutions/$l" "$COURSE_ROOT/lessons/$l.rst" || { echo "$l shows no solution code"; return 1; }
  done
}

@test "site: formulas use the MathJax shipped with the site (renders offline)" {
  [ -f "$COURSE_ROOT/site/_build/html/_static/mathjax/MathJax.js" ]
  grep -q '_static/mathjax/MathJax.js' "$COURSE_ROOT/site/_build/html/03-send-recv.html"
}
