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

# options_file NN-slug: run every line of tests/options/NN-slug.txt.
options_file() {
  local lesson="$1" f="$COURSE_ROOT/tests/options/$1.txt" prog np args n=0 bad=0
  [ -f "$f" ] || skip "no tests/options/$lesson.txt"
  while read -r prog np args; do
    case "$prog" in ''|'#'*) continue ;; esac
    args="${args%%#*}"
    n=$((n + 1))
    # shellcheck disable=SC2086
    mpirun "$np" "$COURSE_ROOT/solutions/$lesson/build/system/$prog" $args -malloc_dump
    if [ "$status" -eq 0 ] && printf '%s\n' "$output" | grep -qx 'check = PASS' &&
       ! printf '%s\n' "$output" | grep -q 'check = FAIL'; then
      continue
    fi
    if [ "$status" -ne 0 ] && [ "$status" -lt 124 ] && [ "${#lines[@]}" -eq 1 ] && [[ "${lines[0]}" == error:* ]]; then
      continue
    fi
    bad=$((bad + 1))
    echo "--- $prog -n $np $args: exit $status, ${#lines[@]} lines:" >&2
    printf '%s\n' "$output" | head -n 12 >&2
  done < "$f"
  [ "$n" -gt 0 ] || { echo "$f lists no run" >&2; return 1; }
  [ "$bad" -eq 0 ]
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
