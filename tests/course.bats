#!/usr/bin/env bats
# The course's own tooling: top-level Makefile targets, lesson names, the
# install script and the lesson Makefiles' contract.

setup() {
  load helpers
  cd "$COURSE_ROOT"
}

# Run a command that itself starts Bats as a learner would, without this Bats
# run's variables and its libexec folder on PATH (a nested run breaks on them).
unbats() {
  local path; path="$(printf '%s' "$PATH" | tr ':' '\n' | grep -v bats-core | paste -sd:)"
  env $(compgen -e | grep '^BATS_' | sed 's/^/-u /') PATH="$path" "$@"
}

@test "course: make with no target prints help and the lesson list" {
  run make --no-print-directory
  assert_success
  assert_output --partial "make run-lesson LESSON=02 NP=4"
  assert_output --partial "  02-hello"
}

@test "course: install script finds everything installed and lists its packages" {
  run docker/install-deps.sh --check
  assert_success
  run docker/install-deps.sh --list
  assert_success
  assert_line libopenmpi-dev
  assert_line mpich
  assert_line pkgconf
}

@test "course: install script without root or sudo names the apt-get line" {
  command -v setpriv >/dev/null || skip "setpriv not available"
  [ "$(id -u)" -eq 0 ] || skip "needs root to switch to an unprivileged user"
  run env EXTRA_PACKAGES=no-such-package-course-test PATH=/usr/bin:/bin \
      setpriv --reuid=65534 --regid=65534 --clear-groups docker/install-deps.sh
  assert_failure
  assert_output --partial "apt-get install -y --no-install-recommends no-such-package-course-test"
}

@test "course: LESSON=02 and LESSON=02-hello name the same lesson" {
  run make --no-print-directory run-lesson LESSON=02 NP=2
  assert_success
  assert_line "size = 2"
  run make --no-print-directory run-lesson LESSON=02-hello NP=3 PROG=hello_square
  assert_success
  assert_line "size = 3"
  assert_line "square_sum = 5"
}

@test "course: a wrong lesson name prints the list of lessons" {
  run make --no-print-directory run-lesson LESSON=99-nope
  assert_failure
  assert_output --partial "no lesson '99-nope'"
  assert_output --partial "  02-hello"
  run make --no-print-directory run-lesson
  assert_failure
  assert_output --partial "LESSON is not set"
}

@test "course: run-lesson with VARIANT=exercise, MPI=mpich and ARGS" {
  # The unsolved exercise runs, and its own check fails (status non-zero).
  run make --no-print-directory run-lesson LESSON=02 VARIANT=exercise NP=2
  assert_output --partial "Hello from rank"
  run make --no-print-directory run-lesson LESSON=02 MPI=mpich NP=2
  assert_success
  assert_line "size = 2"
  assert_output --partial "mpi_library = MPICH"
  run make --no-print-directory run-lesson LESSON=02 PROG=hello_root NP=4 ARGS="--root 3"
  assert_success
  assert_line "root = 3"
  run make --no-print-directory run-lesson LESSON=02 VARIANT=bogus
  assert_failure
  assert_output --partial "use solution or exercise"
}

@test "course: make all MPI=mpich builds the MPI lessons and skips the PETSc ones" {
  run make --no-print-directory all MPI=mpich
  assert_success
  assert_line --partial "== skip 00-environment: a PETSc lesson"
  assert_line "== build solutions/02-hello"
  [ -x solutions/05-collectives/build/mpich/scatter_sum ]
}

@test "course: every lesson folder has the Makefile contract and builds alone" {
  for d in solutions/[0-9][0-9]-*/ exercises/[0-9][0-9]-*/; do
    for t in all run check clean; do
      grep -qE "^$t:" "$d/Makefile" "$d/lesson.mk" || { echo "$d/Makefile has no '$t' target"; return 1; }
    done
    grep -q '^include lesson.mk' "$d/Makefile" || { echo "$d/Makefile does not include lesson.mk"; return 1; }
    # standalone: nothing outside the folder is included or compiled
    ! grep -nE '^\s*-?include\s+\.\./' "$d/Makefile" || { echo "$d includes files outside itself"; return 1; }
  done
  tmp="$(mktemp -d)"
  cp -r solutions/02-hello "$tmp/"
  run make -s -C "$tmp/02-hello" all
  rm -rf "$tmp"
  assert_success
}

@test "course: solutions have no TODO, exercises have TODO markers" {
  for d in solutions/[0-9][0-9]-*/; do
    l="$(basename "$d")"
    ! grep -rn TODO "$d" || { echo "solutions/$l holds a TODO"; return 1; }
    grep -rq TODO "exercises/$l" || { echo "exercises/$l has no TODO"; return 1; }
  done
}

@test "course: check-lesson runs one lesson's tests; VARIANT=exercise grades the exercise" {
  run unbats make --no-print-directory check-lesson LESSON=02
  assert_success
  assert_output --regexp '[0-9]+ passed, 0 failed'
  # The unsolved exercise must fail its checks, without hanging.
  run unbats timeout 300 make --no-print-directory check-lesson LESSON=02 VARIANT=exercise
  assert_failure
  [ "$status" -ne 124 ]
  assert_output --partial "step 1: FAIL"
  assert_output --partial "first to fix: step 1."
}

@test "course: every copy of a common/ file in a lesson folder is identical to common/" {
  run make --no-print-directory -n sync
  n=0
  for f in common/*; do
    name="$(basename "$f")"
    for c in solutions/[0-9][0-9]-*/"$name" exercises/[0-9][0-9]-*/"$name"; do
      [ -f "$c" ] || continue
      n=$((n + 1))
      cmp -s "$f" "$c" || { echo "$c differs from $f: edit $f and run make sync"; return 1; }
    done
  done
  [ "$n" -ge 64 ] || { echo "only $n copies found"; return 1; }
  for d in solutions/[0-9][0-9]-*/ exercises/[0-9][0-9]-*/; do
    [ -f "$d/lesson.mk" ] && [ -f "$d/mpi-env.sh" ] || { echo "$d lacks lesson.mk or mpi-env.sh"; return 1; }
  done
}

@test "course: make check inside an exercise runs the lesson's tests on that build" {
  run unbats timeout 300 make --no-print-directory -C exercises/02-hello check
  assert_failure
  [ "$status" -ne 124 ]
  assert_output --partial "not ok 1 02 hello: every rank greets once"
  assert_output --partial "ok 5 02 bad input: --root beyond the last rank"
}

@test "course: .ci/run runs make test" {
  grep -q 'make test' .ci/run
}
