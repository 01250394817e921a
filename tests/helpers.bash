# helpers.bash — shared by every tests/NN-slug.bats.
#
# A lesson's tests run against one build directory:
#   LESSON_DIR   the lesson folder under test (default: solutions/NN-slug);
#                `make check` inside exercises/NN-slug sets it to the exercise.
#   MPI          system (mpicxx/mpiexec, the default), openmpi or mpich.
#   TEST_TIMEOUT seconds one mpiexec may take before it counts as a hang (default 60).
#
# Conventions the programs follow (see STYLE): rank 0 prints `name = value` lines;
# every program prints `size = N`; a bad input prints one line `error: ...` from
# rank 0 and every rank exits non-zero.

# Every test loads this file, so what it costs, every test pays (366 times in
# `make test`).  It starts no process: a process started from a test is a fork
# of the whole Bats shell, and that was the suite's largest single cost
# (perf, the whole suite: 18% of its CPU time in bash, 11,000 forks and more).

# untraced FUNCTION [ARGS...]: call FUNCTION without Bats's DEBUG trap, which
# runs before every command of a test, in every function it calls (set -T),
# and makes a loop in bash about 150 times slower (measured: 20,000 commands
# in 16 s instead of 0.1 s).  Failures are still reported at the line of the
# test that called FUNCTION.
untraced() { local -; set +T; "$@"; }

# This file, and the libraries it loads, are read untraced (each of their
# commands, each function definition, would run the trap).
if [[ $- == *T* ]]; then untraced source "${BASH_SOURCE[0]}"; return; fi

# load_library NAME: what `bats_load_library NAME` does, without the
# `$(dirname ...)` on each line of the library's load.bash (15 processes per
# test for bats-support and bats-assert): its files are sourced from their
# folder.  A load.bash of any other form is left to bats_load_library.
load_library() {
  local dir="" path line f files=() paths
  IFS=: read -ra paths <<< "${BATS_LIB_PATH:-/usr/lib/bats}"
  for path in "${paths[@]}"; do
    [ ! -f "$path/$1/load.bash" ] || { dir="$path/$1"; break; }
  done
  [ -n "$dir" ] || { bats_load_library "$1"; return; }
  while IFS= read -r line; do
    case "$line" in
      '' | '#'*) ;;
      'source "$(dirname "${BASH_SOURCE[0]}")/'*'"')
        f="${line#'source "$(dirname "${BASH_SOURCE[0]}")/'}"; files+=("$dir/${f%'"'}") ;;
      *) bats_load_library "$1"; return ;;
    esac
  done < "$dir/load.bash"
  for f in "${files[@]}"; do
    # shellcheck disable=SC1090
    source "$f" || return 1
  done
}
load_library bats-support
load_library bats-assert

# The course's root: this file is its tests/helpers.bash (Bats loads it by
# an absolute path; any other path is made absolute by cd and pwd).
COURSE_ROOT="${BASH_SOURCE[0]%/tests/helpers.bash}"
if [[ "$COURSE_ROOT" != /* || "$COURSE_ROOT" == *"/."* || "$COURSE_ROOT" == "${BASH_SOURCE[0]}" ]]; then
  COURSE_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
fi

# The environment every launch uses (root, more ranks than cores, quiet
# failures; Open MPI 4 and 5): the one in common/mpi-env.sh.
# shellcheck source=../common/mpi-env.sh
. "$COURSE_ROOT/common/mpi-env.sh"
export OMP_NUM_THREADS="${OMP_NUM_THREADS:-1}"

# lesson_init NN-slug: set SOL, EX, DIR (the folder under test) and the MPI tools.
lesson_init() {
  LESSON="$1"
  SOL="$COURSE_ROOT/solutions/$LESSON"
  EX="$COURSE_ROOT/exercises/$LESSON"
  DIR="${LESSON_DIR:-$SOL}"
  MPI="${MPI:-system}"
  mpi_tools "$MPI"
}

# mpi_tools system|openmpi|mpich: set MPIEXEC for that MPI.
mpi_tools() {
  case "$1" in
    system)  MPIEXEC=mpiexec ;;
    openmpi) MPIEXEC=mpiexec.openmpi ;;
    mpich)   MPIEXEC=mpiexec.mpich ;;
    *) echo "unknown MPI '$1' (system, openmpi or mpich)" >&2; return 1 ;;
  esac
}

# build DIR [MPI]: build a lesson folder quietly; show the compiler output on failure.
build() {
  local dir="$1" mpi="${2:-$MPI}" log
  log="$(make -s --no-print-directory -C "$dir" MPI="$mpi" all 2>&1)" || {
    echo "$log" >&2; echo "build of $dir with MPI=$mpi failed" >&2; return 1; }
}

# bin DIR PROGRAM [MPI]: path of a built program.
bin() { echo "$1/build/${3:-$MPI}/$2"; }

# mpirun NP PROGRAM [ARGS...]: run under the timeout with `run`, output (stdout
# and stderr) in $output.  A hang shows as status 124.  Standard input is
# /dev/null: no program reads it, and Open MPI's mpiexec, which forwards stdin
# to rank 0, misbehaves (hangs at exit, orphans ranks) when it is closed, as it
# can be under CI.
mpirun() {
  local np="$1"; shift
  run timeout -k 5 "${TEST_TIMEOUT:-60}" "$MPIEXEC" -n "$np" "$@" < /dev/null
  drop_launcher_notice
}

# drop_launcher_notice: remove from $output (and $lines) the lines Open MPI 5's
# launcher adds that are not the program's (mpi_output_filter, in
# common/mpi-env.sh: its boxed notice after a failing run, and two lines of
# PMIx and of its event library); the unfiltered text stays in $raw_output.
drop_launcher_notice() {
  raw_output="$output"
  mpi_has_launcher_lines "$output" || return 0
  output="$(printf '%s\n' "$output" | mpi_output_filter)"
  [ "$output" != "$raw_output" ] || return 0
  lines=()
  [ -z "$output" ] || mapfile -t lines <<< "$output"
}

# value_of NAME: the value of the first `NAME = value` line in $output, in
# $REPLY (no process started: the assertions below call it, hundreds of times
# in the suite).
value_of() {
  REPLY=""
  [[ $'\n'"$output" =~ $'\n'"$1 = "([^$'\n']*) ]] && REPLY="${BASH_REMATCH[1]}"
  [ -n "$REPLY" ] || { echo "no line '$1 = ...' in the output:" >&2; printf '%s\n' "$output" >&2; return 1; }
}

# value NAME: print the value of the first `NAME = value` line in $output.
value() {
  value_of "$1" || return 1
  printf '%s\n' "$REPLY"
}

# assert_value NAME EXPECTED: exact match (integers, words).
assert_value() {
  local v; value_of "$1" || return 1; v="$REPLY"
  [ "$v" = "$2" ] || { echo "$1 = $v, expected $2" >&2; return 1; }
}

# assert_close NAME EXPECTED TOL [rel|abs]: |value - expected| <= tol
# (relative to |expected| with rel, the default).
assert_close() {
  local v; value_of "$1" || return 1; v="$REPLY"
  [[ "$v" =~ ^[-+]?[0-9.]+([eE][-+]?[0-9]+)?$ ]] || { echo "$1 = '$v' is not a number" >&2; return 1; }
  awk -v n="$1" -v v="$v" -v e="$2" -v t="$3" -v m="${4:-rel}" 'BEGIN {
      d = v - e; if (d < 0) d = -d
      s = (m == "rel") ? ((e < 0) ? -e : e) : 1; if (s == 0) s = 1
      if (d > t * s) { printf "%s = %s, expected %s within %s (%s)\n", n, v, e, t, m > "/dev/stderr"; exit 1 }
    }'
}

# assert_below NAME LIMIT: value <= limit (errors, residuals).
assert_below() {
  local v; value_of "$1" || return 1; v="$REPLY"
  awk -v v="$v" -v l="$2" 'BEGIN { if (!(v + 0 <= l + 0)) exit 1 }' \
    || { echo "$1 = $v, expected <= $2" >&2; return 1; }
}

# assert_size NP: the program saw NP ranks.  Catches a program built with one
# MPI and launched with the other, which runs as NP separate one-rank jobs.
assert_size() {
  local all=$'\n'"$output" rest n
  rest="${all//$'\n'size = /}"
  n=$(( (${#all} - ${#rest}) / 8 ))          # 8 characters: a newline and "size = "
  [ "$n" -eq 1 ] || { echo "expected one 'size = $1' line, found $n (mixed MPIs?):" >&2; printf '%s\n' "$output" >&2; return 1; }
  assert_value size "$1"
}

# assert_ok NP: the run succeeded with NP ranks.
assert_ok() {
  [ "$status" -eq 0 ] || { echo "exit status $status:" >&2; printf '%s\n' "$output" >&2; return 1; }
  assert_size "$1"
}

# assert_bad_input PATTERN: the last run failed cleanly: non-zero exit, not a
# timeout, and exactly one line of output, `error: ...` matching PATTERN.
assert_bad_input() {
  [ "$status" -ne 0 ] || { echo "expected a non-zero exit, got 0:" >&2; printf '%s\n' "$output" >&2; return 1; }
  [ "$status" -ne 124 ] && [ "$status" -ne 137 ] || { echo "the run hung (killed by the timeout)" >&2; return 1; }
  [ "${#lines[@]}" -eq 1 ] || { echo "expected one line, got ${#lines[@]}:" >&2; printf '%s\n' "$output" >&2; return 1; }
  [[ "${lines[0]}" == error:* ]] || { echo "expected 'error: ...', got: ${lines[0]}" >&2; return 1; }
  [[ "${lines[0]}" =~ $1 ]] || { echo "error line does not match /$1/: ${lines[0]}" >&2; return 1; }
}

# skip_unless_exercise_test: tests of the exercise itself run only in the full
# suite, not in `make check` inside an exercise (there the exercise is DIR).
skip_in_check() { [ -z "${LESSON_DIR:-}" ] || skip "part of the course suite, not of make check"; }

# --- the exercise: fails unsolved, passes with the solution's step blocks ----

# exercise_fails_unsolved: `make check` in the exercise as given fails, names
# step 1 as the first to fix, and never hangs.
exercise_fails_unsolved() {
  run timeout -k 5 600 make -s --no-print-directory -C "$EX" check < /dev/null
  [ "$status" -ne 0 ] || { echo "make check passed on the unsolved exercise:" >&2; printf '%s\n' "$output" >&2; return 1; }
  [ "$status" -ne 124 ] || { echo "make check hung" >&2; return 1; }
  assert_output --partial "step 1: FAIL"
  assert_output --partial "first to fix: step 1."
}

# exercise_never_passes PROGRAM [ARGS...]: the unsolved program, on 2 ranks,
# does not print `check = PASS` (a learner must never be told it works).
exercise_never_passes() {
  local p="$1"; shift
  mpirun 2 "$(bin "$EX" "$p")" "$@"
  [ "$status" -ne 124 ] || { echo "$p hung" >&2; return 1; }
  refute_line "check = PASS"
}

# exercise_passes_solved: the exercise with every step block taken from the
# solution passes `make check`, every step.
exercise_passes_solved() {
  local dir="$BATS_FILE_TMPDIR/solved-$LESSON"
  /usr/bin/python3 "$COURSE_ROOT/tests/exercise_blocks.py" fill "$EX" "$SOL" "$dir"
  # Filled, the exercise's code is the solution's byte for byte: its programs
  # are the solution's, already built (make test builds every folder first).
  reuse_build "$SOL" "$dir" || true
  run timeout -k 5 600 make -s --no-print-directory -C "$dir" check < /dev/null
  assert_success
  assert_output --regexp "all [0-9]+ steps pass"
  refute_output --partial "FAIL"
}

# reuse_build FROM TO [MPI]: when folder TO would build exactly what FROM has
# already built -- the same C/C++ files, byte for byte, and the same commands
# (`make -n -B all`, which names every compiler flag and source) -- copy FROM's
# build into TO, newer than TO's sources, instead of compiling it again.
# Otherwise (status 1) copy nothing: TO builds from its sources as usual.
reuse_build() {
  local from="$1" to="$2" mpi="${3:-${MPI:-system}}" f a b
  [ -d "$from/build/$mpi" ] && [ ! -e "$to/build/$mpi" ] || return 1
  make -q -s --no-print-directory -C "$from" MPI="$mpi" all > /dev/null 2>&1 || return 1
  a="$(cd "$from" && ls -- *.c *.cpp *.h *.hpp 2>/dev/null)"
  b="$(cd "$to" && ls -- *.c *.cpp *.h *.hpp 2>/dev/null)"
  [ -n "$a" ] && [ "$a" = "$b" ] || return 1
  for f in $a; do cmp -s "$from/$f" "$to/$f" || return 1; done
  a="$(make -n -B -s --no-print-directory -C "$from" MPI="$mpi" all 2>&1)" || return 1
  b="$(make -n -B -s --no-print-directory -C "$to" MPI="$mpi" all 2>&1)" || return 1
  [ "$a" = "$b" ] || return 1
  mkdir -p "$to/build" && cp -a "$from/build/$mpi" "$to/build/" &&
    find "$to/build/$mpi" -exec touch {} + || return 1
  # The same sources and Makefile: the sanitizer builds (build/$mpi-address...) too.
  for f in "$from/build/$mpi"-*; do
    [ -d "$f" ] && [ ! -e "$to/build/${f##*/}" ] || continue
    cp -a "$f" "$to/build/" && find "$to/build/${f##*/}" -exec touch {} +
  done
  return 0
}

# exercise_matches_solution: outside the step blocks, exercise and solution are
# the same code (so the exercise is the lesson's program with its calls blanked).
exercise_matches_solution() {
  run /usr/bin/python3 "$COURSE_ROOT/tests/exercise_blocks.py" compare "$EX" "$SOL"
  assert_success
}
