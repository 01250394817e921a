#!/usr/bin/env bats
# Lesson 01-single-core: sums at -O0/-O2/-O3 and with the standard library,
# checked to the last bit; the parallel map on 1, 2, 3 threads.  No MPI here:
# the programs run as one process (no `size =` line), under the same timeout.

setup_file() {
  load helpers
  lesson_init 01-single-core
  build "$DIR"
}

setup() {
  load helpers
  lesson_init 01-single-core
}

# runp PROGRAM [ARGS...]: run a lesson program under the timeout, output in $output.
runp() {
  local prog="$1"; shift
  run timeout -k 5 "${TEST_TIMEOUT:-60}" "$(bin "$DIR" "$prog")" "$@"
}

# exact_sum N: Σ_{i<N} (i mod 1024)/1024 by a plain loop (awk, in double: every
# partial sum is a multiple of 1/1024 below 2^43, so this is exact too).
exact_sum() {
  awk -v n="$1" 'BEGIN { s = 0; for (i = 0; i < n; i++) s += (i % 1024) / 1024; printf "%.17g\n", s }'
}

VARIANTS="O0 O2 O3 accumulate reduce"

@test "01 sums, double: every variant exact, n = 100000 and odd n = 99991" {
  for n in 100000 99991; do
    runp sums --n "$n" --repeat 2
    assert_success
    assert_value check PASS
    assert_value precision double
    assert_value threads 1
    assert_value n "$n"
    local s; s="$(exact_sum "$n")"
    assert_close sum_exact "$s" 0 abs
    assert_close add_sum_exact "$n" 0 abs
    for v in $VARIANTS; do
      assert_close "sum_$v" "$s" 0 abs
      assert_close "add_sum_$v" "$n" 0 abs
      assert_value "sum_${v}_error" 0
      assert_value "add_sum_${v}_error" 0
    done
  done
}

@test "01 sums, float: in-order variants agree bit for bit, errors within the bound" {
  runp sums --n 99991 --repeat 2 --float
  assert_success
  assert_value check PASS
  assert_value precision float
  local s; s="$(exact_sum 99991)"
  assert_close sum_exact "$s" 0 abs
  # -O0, -O2, -O3 and std::accumulate add in the same order: same rounding.
  local ref; ref="$(value sum_O0)"
  for v in O2 O3 accumulate; do assert_value "sum_$v" "$ref"; done
  # ... and that order loses digits in float: a visible error, far below the bound.
  for v in $VARIANTS; do
    assert_close "sum_$v" "$s" 1e-3 rel
    assert_below "sum_${v}_error" "$(value error_bound)"
    assert_close "add_sum_$v" 99991 0 abs   # 1.0f added < 2^24 times: exact
  done
  run awk -v e="$(value sum_O2_error)" 'BEGIN { exit !(e > 1e-6) }'
  assert_success
}

@test "01 sums, float: a running sum of ones stops at 2^24 = 16777216" {
  runp sums --n 17000000 --repeat 1 --float
  assert_success
  assert_value check PASS
  for v in O0 O2 O3 accumulate; do assert_value "add_sum_$v" 16777216; done
  # std::reduce keeps several partial sums, each below 2^24: exact here.
  assert_value add_sum_reduce 17000000
}

@test "01 parallel_map: 1, 2, 3 threads agree, Σ x² = (n-1)n(2n-1)/6" {
  local n=99991 heavy=""
  for t in 1 2 3; do
    runp parallel_map --n "$n" --heavy-n 9999 --threads "$t" --repeat 2
    assert_success
    assert_value check PASS
    assert_value threads "$t"
    assert_value mismatches 0
    assert_value square_sum $(((n - 1) * n * (2 * n - 1) / 6))
    assert_value square_sum_expected $(((n - 1) * n * (2 * n - 1) / 6))
    assert_close heavy_sum 9999 1e-12 rel
    [ -z "$heavy" ] || assert_value heavy_sum "$heavy"
    heavy="$(value heavy_sum)"
  done
}

@test "01 parallel_map: n smaller than the thread count, n = 1" {
  runp parallel_map --n 3 --heavy-n 1 --threads 5 --repeat 1
  assert_success
  assert_value check PASS
  assert_value square_sum 5
  runp parallel_map --n 1 --heavy-n 2 --threads 2 --repeat 1
  assert_success
  assert_value square_sum 0
  assert_value check PASS
}

@test "01 bad input: --n 0, --n abc" {
  runp sums --n 0
  assert_bad_input 'out of range'
  runp sums --n abc
  assert_bad_input 'needs an integer'
  runp parallel_map --n 0
  assert_bad_input 'out of range'
}

@test "01 bad input: --threads 0, --repeat -1" {
  runp parallel_map --threads 0
  assert_bad_input 'out of range'
  runp sums --repeat -1
  assert_bad_input 'out of range'
  runp parallel_map --repeat -1
  assert_bad_input 'out of range'
}

@test "01 bad input: unknown option, missing value, value for a flag" {
  runp sums --size 10
  assert_bad_input "unknown option '--size'"
  runp parallel_map --threads
  assert_bad_input 'needs a value'
  runp sums --float 1
  assert_bad_input 'takes no value'
}

@test "01 --help prints usage and exits 0" {
  runp sums --help
  assert_success
  assert_output --partial 'usage: sums'
  runp parallel_map --help
  assert_success
  assert_output --partial 'usage: parallel_map'
}

@test "01 MPI=mpich is accepted (no MPI in this lesson): builds and runs" {
  [ "$MPI" != mpich ] || skip "this run is already MPI=mpich"
  build "$DIR" mpich
  run timeout -k 5 60 make -s --no-print-directory -C "$DIR" MPI=mpich run NP=4 ARGS="--n 5000 --repeat 1"
  assert_success
  assert_value check PASS
}

@test "01 a failed check exits non-zero: the unsolved exercise prints FAIL, exit 1" {
  skip_in_check
  build "$EX"
  run timeout -k 5 60 "$(bin "$EX" sums)" --n 5000 --repeat 1
  [ "$status" -eq 1 ]
  assert_line "check = FAIL"
  run timeout -k 5 60 "$(bin "$EX" parallel_map)" --n 5000 --heavy-n 100 --threads 1 --repeat 1
  [ "$status" -eq 1 ]
  assert_line "check = FAIL"
}

@test "01 exercise: make check fails unsolved, naming step 1; no program says PASS" {
  skip_in_check
  build "$EX"
  exercise_fails_unsolved
  for args in "--n 5000 --repeat 1" "--n 5000 --repeat 1 --float"; do
    # shellcheck disable=SC2086
    run timeout -k 5 60 "$(bin "$EX" sums)" $args
    [ "$status" -ne 124 ]
    refute_line "check = PASS"
  done
  for t in 1 2 3; do
    run timeout -k 5 60 "$(bin "$EX" parallel_map)" --n 5000 --heavy-n 100 --threads "$t" --repeat 1
    [ "$status" -ne 124 ]
    refute_line "check = PASS"
  done
}

@test "01 exercise: with the solution's step blocks, make check passes every step" {
  skip_in_check
  exercise_passes_solved
}

@test "01 exercise: differs from the solution only inside the step blocks" {
  skip_in_check
  exercise_matches_solution
}
