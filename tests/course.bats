#!/usr/bin/env bats
# The course's own tooling: top-level Makefile targets, lesson names, the
# install script and the lesson Makefiles' contract.

setup() {
  load helpers
  cd "$COURSE_ROOT"
}

# Every top-level target first runs `deps` (docker/install-deps.sh --check:
# one dpkg-query per package, seconds on a busy machine).  The first run-lesson
# below and the install-script tests run it; the other tests, about lesson
# names, variants and checks, pass DEPS=true to skip it.
NODEPS=DEPS=true

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
  run make --no-print-directory "$NODEPS" run-lesson LESSON=02-hello NP=3 PROG=hello_square
  assert_success
  assert_line "size = 3"
  assert_line "square_sum = 5"
}

@test "course: a wrong lesson name prints the list of lessons" {
  run make --no-print-directory "$NODEPS" run-lesson LESSON=99-nope
  assert_failure
  assert_output --partial "no lesson '99-nope'"
  assert_output --partial "  02-hello"
  run make --no-print-directory "$NODEPS" run-lesson
  assert_failure
  assert_output --partial "LESSON is not set"
}

@test "course: run-lesson with VARIANT=exercise, MPI=mpich and ARGS" {
  # The unsolved exercise runs, and its own check fails (status non-zero).
  run make --no-print-directory "$NODEPS" run-lesson LESSON=02 VARIANT=exercise NP=2
  assert_output --partial "Hello from rank"
  run make --no-print-directory "$NODEPS" run-lesson LESSON=02 MPI=mpich NP=2
  assert_success
  assert_line "size = 2"
  assert_output --partial "mpi_library = MPICH"
  run make --no-print-directory "$NODEPS" run-lesson LESSON=02 PROG=hello_root NP=4 ARGS="--root 3"
  assert_success
  assert_line "root = 3"
  run make --no-print-directory "$NODEPS" run-lesson LESSON=02 VARIANT=bogus
  assert_failure
  assert_output --partial "use solution or exercise"
}

@test "course: make all MPI=mpich builds the MPI lessons and skips the PETSc ones" {
  # The loop over the lessons on two of them, one of each kind (each lesson's
  # own tests build and run its programs under MPICH).
  run make --no-print-directory "$NODEPS" all MPI=mpich LESSONS="00-environment 02-hello"
  assert_success
  assert_line --partial "== skip 00-environment: a PETSc lesson"
  assert_line "== build solutions/02-hello"
  assert_line "== build exercises/02-hello"
  [ -x solutions/02-hello/build/mpich/hello_root ]
  [ -x exercises/02-hello/build/mpich/hello_root ]
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
  # A copy of one folder, without its builds, far from the course: it compiles
  # (one program is enough to show that nothing outside the folder is needed).
  tmp="$(mktemp -d)"
  cp -r solutions/02-hello "$tmp/"
  rm -rf "$tmp/02-hello/build"
  run make -s -C "$tmp/02-hello" all PROGRAMS=hello
  [ -x "$tmp/02-hello/build/system/hello" ] || status=1
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

@test "course: every file a learner edits is at most 200 lines; every solution main() at most 80" {
  bad=0
  # The files with a TODO are the ones the learner edits (helpers live in headers named for what they hold).
  for f in $(grep -rl --include='*.cpp' --include='*.hpp' TODO exercises/); do
    n=$(wc -l < "$f")
    [ "$n" -le 200 ] || { echo "$f: $n lines (at most 200)"; bad=1; }
  done
  # main() runs from its `int main(` line to the first `}` in column 1.
  for f in solutions/[0-9][0-9]-*/*.cpp; do
    n=$(awk '/^int main\(/ { on = 1 } on { n++ } on && /^}/ { print n; exit }' "$f")
    [ -z "$n" ] || [ "$n" -le 80 ] || { echo "$f: main() is $n lines (at most 80)"; bad=1; }
  done
  [ "$bad" -eq 0 ]
}

@test "course: check-lesson runs one lesson's tests; VARIANT=exercise grades the exercise" {
  # (FILTER: the lesson's bad-input tests only; the whole file runs on its own in the suite)
  run unbats make --no-print-directory "$NODEPS" check-lesson LESSON=02 FILTER='bad input'
  assert_success
  assert_line --regexp '^[1-9][0-9]* passed, 0 failed'
  # The unsolved exercise must fail its checks, without hanging.
  run unbats timeout 300 make --no-print-directory "$NODEPS" check-lesson LESSON=02 VARIANT=exercise
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

@test "course: the tests' filter drops Open MPI 5's launcher lines and keeps the program's" {
  local box; box="$(printf -- '-%.0s' {1..70})"
  output="$(printf '%s\n' "error: --np 9 is too many" \
    "[vm:4242] PMIX ERROR: PMIX_ERR_UNREACH in file server/pmix_server.c at line 3274" \
    "$box" "prterun detected that one or more processes exited with non-zero status," "$box" "check = FAIL")"
  drop_launcher_notice
  [ "$output" = "$(printf '%s\n' "error: --np 9 is too many" "check = FAIL")" ] || { echo "got: $output"; return 1; }
  [ "${#lines[@]}" -eq 2 ] && [ "${lines[1]}" = "check = FAIL" ]
  # output without the launcher's words is left as it is, with its lines
  output="check = PASS"; lines=("check = PASS")
  drop_launcher_notice
  [ "$output" = "check = PASS" ] && [ "$raw_output" = "check = PASS" ] && [ "${#lines[@]}" -eq 1 ]
}

@test "course: the tests' value helpers read whole lines only, and say what is missing" {
  local text; text="$(printf '%s\n' "xcheck = FAIL" "check = PASS" "time = 1.5 s" "check = FAIL" "size = 3")"
  output="$text"
  value_of check && [ "$REPLY" = PASS ]           # the first line that is NAME, not one ending so
  [ "$(value time)" = "1.5 s" ]
  assert_value check PASS
  assert_size 3
  output="$text"; run assert_close time 1.5 0 abs
  assert_failure
  assert_output "time = '1.5 s' is not a number"
  output="$text"; run value nothere
  assert_failure
  assert_line "no line 'nothere = ...' in the output:"
  output="$(printf '%s\n' "size = 3" "size = 3")"; run assert_size 3
  assert_failure                                  # two programs (mixed MPIs): caught
  output="xsize = 3"; run assert_size 3
  assert_failure
}

@test "course: make check inside a solution runs the lesson's tests on that build" {
  # The command: the lesson's Bats file, with LESSON_DIR naming this folder.
  run make --no-print-directory -n -C solutions/02-hello check
  assert_success
  assert_line "LESSON_DIR=$COURSE_ROOT/solutions/02-hello MPI=system bats ../../tests/02-hello.bats"
  # And it runs: a one-test Bats file in its place (TESTS=) sees the folder's
  # build through the helpers (the full file runs in check-lesson above).
  local t="$BATS_TEST_TMPDIR/probe.bats"
  # (printf, not a here-document: Bats would take a test line in it for one of its own)
  printf '%s\n' "load '$COURSE_ROOT/tests/helpers'" '@test "probe" {' \
    '  lesson_init 02-hello' \
    "  [ \"\$DIR\" = '$COURSE_ROOT/solutions/02-hello' ]" \
    '  mpirun 2 "$(bin "$DIR" hello)"' \
    '  assert_ok 2' '  assert_value check PASS' '}' > "$t"
  run unbats timeout 300 make --no-print-directory -C solutions/02-hello check TESTS="$t"
  assert_success
  assert_line "ok 1 probe"
}

@test "course: .ci/run runs make test" {
  grep -q 'make test' .ci/run
}
