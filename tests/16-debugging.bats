#!/usr/bin/env bats
# Lesson 16-debugging: six small programs, each with one planted bug in the
# exercise and fixed in the solution.  For every bug, the tool the lesson
# teaches must really report it on the buggy version (a timeout and gdb's
# backtrace of each rank, MPI's error code, the program's own check,
# AddressSanitizer, PETSc's -malloc_dump, MPI_Wtime per phase and -log_view),
# and the fixed version must be clean.  No process may be left behind.

setup_file() {
  load helpers
  lesson_init 16-debugging
  build "$DIR"
  [ -n "${LESSON_DIR:-}" ] || build "$EX"
}

setup() {
  load helpers
  lesson_init 16-debugging
  export ASAN_OPTIONS="detect_leaks=0"   # MPI's own allocations at exit are not the lesson's leaks
}

# assert_no_leak / assert_leak: -malloc_dump's lines read "[r] N bytes f() at file:line".
assert_no_leak() {
  if printf '%s\n' "$output" | grep -Eq '^\[ *[0-9]+\] [0-9]+ bytes '; then
    echo "-malloc_dump reports a leak:" >&2; printf '%s\n' "$output" >&2; return 1
  fi
}

# assert_page_quotes FILE: every `FILE.cpp:LINE` the lesson page quotes from a
# tool's output (its static excerpts) is in this run's output too, so the
# page cannot drift from the code.
assert_page_quotes() {
  local ref n=0
  for ref in $(grep -oE "$1\.cpp:[0-9]+" "$COURSE_ROOT/lessons/16-debugging.rst" | sort -u); do
    n=$((n + 1))
    printf '%s\n' "$output" | grep -qF "$ref" || { echo "the page quotes $ref, this run does not show it" >&2; return 1; }
  done
  [ "$n" -gt 0 ]
}

# log_count EVENT: the Count column of EVENT's first line in -log_view's table.
log_count() { printf '%s\n' "$output" | awk -v e="$1" '$1 == e {print $2; exit}'; }

@test "16 the fixed programs pass at NP=3 (uneven blocks), the PETSc ones without a leak" {
  for p in ring gather differences halo; do
    mpirun 3 "$(bin "$DIR" "$p")"
    assert_ok 3
    assert_value check PASS
  done
  assert_value first_wrong none   # halo's
  for p in norms phases; do
    mpirun 3 "$(bin "$DIR" "$p")" -malloc_dump
    assert_ok 3
    assert_value check PASS
    assert_no_leak
  done
}

@test "16 deadlock: the buggy ring hangs; a backtrace of every rank shows it waiting in MPI_Recv; nothing is left running" {
  skip_in_check
  command -v gdb > /dev/null || skip "gdb is not installed (Debian package gdb)"
  run timeout -k 5 120 "$EX/stacks.sh" 3 2 ring
  [ "$status" -eq 124 ] || { echo "expected the time limit (124), got $status:" >&2; printf '%s\n' "$output" >&2; return 1; }
  assert_output --partial "ring on 2 ranks still runs after 3 s"
  assert_line --partial "-- rank 0 (process"
  assert_line --partial "-- rank 1 (process"
  # Each rank's stack: MPI's receive, called from ShiftRight in ring.cpp.
  [ "$(printf '%s\n' "$output" | grep -cE 'in P?MPI_Recv ')" -eq 2 ] || { printf '%s\n' "$output" >&2; return 1; }
  [ "$(printf '%s\n' "$output" | grep -cE 'in ShiftRight .* at ring\.cpp:[0-9]+')" -eq 2 ]
  assert_page_quotes ring
  # Every rank stopped.
  local pids
  pids="$(printf '%s\n' "$output" | sed -n 's/^-- rank .* (process \([0-9]*\))$/\1/p')"
  [ -n "$pids" ]
  for p in $pids; do
    local state; state="$(awk '{print $3}' "/proc/$p/stat" 2> /dev/null)" || true
    [ -z "$state" ] || [ "$state" = Z ] || { echo "process $p still runs (state $state)" >&2; return 1; }
  done
}

@test "16 deadlock: the fixed ring ends under the same tool, with its own status" {
  skip_in_check
  run timeout -k 5 120 "$SOL/stacks.sh" 20 3 ring
  assert_success
  assert_line "check = PASS"
  refute_output --partial "still runs"
}

@test "16 wrong count: MPI reports MPI_ERR_TRUNCATE on the buggy gather at NP=2 and 3, not at NP=1; fixed is clean" {
  skip_in_check
  for np in 2 3; do
    mpirun "$np" "$(bin "$EX" gather)"
    assert_failure 1
    assert_output --regexp "\[rank 0\] MPI_Recv of rank [0-9]+'s block failed: .*(MPI_ERR_TRUNCATE|[Mm]essage truncated)"
    assert_value check FAIL
  done
  mpirun 1 "$(bin "$EX" gather)"
  assert_success
  mpirun 3 "$(bin "$SOL" gather)"
  assert_success
  refute_output --partial "failed"
}

@test "16 off-by-one halo: the check passes at NP=1 and names the first wrong point, at a rank boundary, at NP=2 and 3" {
  skip_in_check
  mpirun 1 "$(bin "$EX" halo)"
  assert_success
  assert_value first_wrong none
  mpirun 2 "$(bin "$EX" halo)"
  assert_failure 1
  assert_value first_wrong "step 1, point 500 (rank 1)"
  assert_value check FAIL
  mpirun 3 "$(bin "$EX" halo)" --verbose
  assert_failure 1
  assert_value first_wrong "step 1, point 334 (rank 1)"
  # --verbose: one line per rank, prefixed with its rank.
  for r in 0 1 2; do assert_line --regexp "^\[$r\] owns [0-9]+\.\.[0-9]+, left ghost "; done
  mpirun 3 "$(bin "$SOL" halo)" --verbose
  assert_success
  assert_value first_wrong none
}

@test "16 out-of-bounds write: AddressSanitizer reports a heap-buffer-overflow WRITE in Differences; the fixed build is clean" {
  skip_in_check
  local d
  for d in "$EX" "$SOL"; do
    run make -s --no-print-directory -C "$d" SANITIZE=address "build/$MPI-address/differences"
    assert_success
  done
  mpirun 2 "$EX/build/$MPI-address/differences"
  assert_failure
  assert_output --partial "ERROR: AddressSanitizer: heap-buffer-overflow"
  assert_output --regexp "WRITE of size 8"
  assert_output --regexp "#0 .* in Differences .*differences\.cpp:[0-9]+"
  assert_output --regexp "is located 0 bytes (to the right of|after) 8000-byte region"
  assert_page_quotes differences
  mpirun 2 "$SOL/build/$MPI-address/differences"
  assert_success
  refute_output --partial "AddressSanitizer"
  assert_value check PASS
}

@test "16 leak: -malloc_dump lists the work vector the buggy norms never destroys; nothing for the fixed one" {
  skip_in_check
  mpirun 2 "$(bin "$EX" norms)" -malloc_dump
  assert_success
  assert_value check PASS   # the answer is right: only the tool shows the bug
  # Each rank lists the vectors' allocations, made in VecCreate and its helpers
  # (VecCreate() in PETSc 3.18, VecCreateWithLayout_Private() in 3.22).
  assert_line --regexp '^\[ *0\] [0-9]+ bytes VecCreate[A-Za-z_]*\(\) at '
  assert_line --regexp '^\[ *1\] [0-9]+ bytes VecCreate[A-Za-z_]*\(\) at '
  mpirun 2 "$(bin "$SOL" norms)" -malloc_dump
  assert_success
  assert_no_leak
}

@test "16 slow phase: MPI_Wtime names Fill; -log_view counts 20000 VecAssemblyBegin in stage Fill; the fixed fill assembles once" {
  skip_in_check
  mpirun 2 "$(bin "$EX" phases)" -log_view
  assert_success
  assert_value check PASS
  assert_value slowest_phase Fill
  # The stage summary has one line per stage; the Fill stage's events follow its header.
  assert_output --regexp '1: +Fill: '
  assert_output --partial -- '--- Event Stage 1: Fill'
  [ "$(log_count VecAssemblyBegin)" -eq 20000 ]
  mpirun 2 "$(bin "$SOL" phases)" -log_view
  assert_success
  assert_value check PASS
  [ "$(log_count VecAssemblyBegin)" -eq 1 ]
}

@test "16 bad input: one line, a non-zero exit" {
  mpirun 2 "$(bin "$DIR" ring)" --steps -1
  assert_bad_input 'steps'
  mpirun 3 "$(bin "$DIR" gather)" --n 2
  assert_bad_input 'less than the number of ranks'
  mpirun 2 "$(bin "$DIR" phases)" -blocks 0
  assert_bad_input 'less than allowed bound 1'
}

@test "16 exercise: make check fails unsolved, naming step 1; the buggy programs with a wrong answer never say PASS" {
  skip_in_check
  exercise_fails_unsolved
  for p in gather halo differences; do exercise_never_passes "$p"; done
}

@test "16 exercise: with the solution's step blocks, make check passes every step" {
  skip_in_check
  exercise_passes_solved
}

@test "16 exercise: differs from the solution only inside the step blocks" {
  skip_in_check
  exercise_matches_solution
}
