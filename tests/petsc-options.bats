#!/usr/bin/env bats
# PETSc's own options never break a program: every line of tests/options/*.txt
# (PROGRAM NP ARGS...) ends with `check = PASS` and exit 0, or with one
# `error: ...` line and a non-zero exit.  See tests/options/README.md.

setup_file() {
  load helpers
  for f in "$COURSE_ROOT"/tests/options/[0-9][0-9]-*.txt; do
    build "$COURSE_ROOT/solutions/$(basename "$f" .txt)" system
  done
}

setup() {
  load helpers
  mpi_tools system
}

# options_file NN-slug: run every line of tests/options/NN-slug.txt, up to
# OPTIONS_JOBS at once (default 1).  More at once overlaps the start-ups, but
# on 2 cores 3 runs of 2 ranks oversubscribe them and a solver that talks at
# every iteration (bridge_modes' inner CG) slowed past the timeout, so one at a
# time is the default; raise it on a machine with more cores.  Each run has
# its own timeout (TEST_TIMEOUT, helpers.bash), so a hang costs one slot for
# that long and fails its line; the verdicts are given in the file's order.
options_file() {
  local lesson="$1" f="$COURSE_ROOT/tests/options/$1.txt" prog np args i n=0 bad=0
  local jobs="${OPTIONS_JOBS:-1}" dir="$BATS_TEST_TMPDIR/runs" st
  local -a cases=()
  [ -f "$f" ] || skip "no tests/options/$lesson.txt"
  while read -r prog np args; do
    case "$prog" in ''|'#'*) continue ;; esac
    cases+=("$prog $np ${args%%#*}")
  done < "$f"
  n=${#cases[@]}
  [ "$n" -gt 0 ] || { echo "$f lists no run" >&2; return 1; }
  mkdir -p "$dir"
  for i in "${!cases[@]}"; do
    while [ "$(jobs -pr | wc -l)" -ge "$jobs" ]; do wait -n || true; done
    # shellcheck disable=SC2086
    run_case "$lesson" "$dir/$i" ${cases[$i]} &
  done
  wait
  for i in "${!cases[@]}"; do
    st="$(cat "$dir/$i.status" 2>/dev/null || echo 255)"
    output="$(cat "$dir/$i.out" 2>/dev/null)"
    lines=()
    [ -z "$output" ] || mapfile -t lines <<< "$output"
    # A correct answer: check = PASS, exit 0, and nothing from -malloc_dump
    # (a leak) or PETSc's error handler on the way out.
    if [ "$st" -eq 0 ] && printf '%s\n' "$output" | grep -qx 'check = PASS' &&
       ! printf '%s\n' "$output" | grep -qE 'check = FAIL|PETSC ERROR|^\[ *[0-9]+\] *[0-9]+ bytes |Total space allocated'; then
      continue
    fi
    # A refusal: exactly one line `error: ...`, a non-zero exit, no timeout or signal.
    if [ "$st" -ne 0 ] && [ "$st" -lt 124 ] && [ "${#lines[@]}" -eq 1 ] && [[ "${lines[0]}" == error:* ]]; then
      continue
    fi
    bad=$((bad + 1))
    read -r prog np args <<< "${cases[$i]}"
    [ "$st" -ne 124 ] || st="124 (the timeout: a hang)"
    echo "--- $prog -n $np $args: exit $st, ${#lines[@]} lines:" >&2
    printf '%s\n' "$output" | head -n 12 >&2
  done
  [ "$bad" -eq 0 ]
}

# run_case NN-slug OUT PROGRAM NP ARGS...: one run with -malloc_dump; its exit
# status in OUT.status and its output (launcher notice removed) in OUT.out.
run_case() {
  local lesson="$1" out="$2" prog="$3" np="$4"; shift 4
  mpirun "$np" "$COURSE_ROOT/solutions/$lesson/build/system/$prog" "$@" -malloc_dump
  printf '%s' "$output" > "$out.out"
  echo "$status" > "$out.status"
}

@test "PETSc options: 00-environment" { options_file 00-environment; }
@test "PETSc options: 08-heat" { options_file 08-heat; }
@test "PETSc options: 09-tao" { options_file 09-tao; }
@test "PETSc options: 10-slepc" { options_file 10-slepc; }
@test "PETSc options: 11-snes" { options_file 11-snes; }
@test "PETSc options: 12-grid" { options_file 12-grid; }
@test "PETSc options: 13-wave" { options_file 13-wave; }
@test "PETSc options: 14-ml" { options_file 14-ml; }
@test "PETSc options: 15-gwas" { options_file 15-gwas; }
