#!/usr/bin/env bats
# Lesson 02-hello: rank, size and host of every process; rank², root-only output.

setup_file() {
  load helpers
  lesson_init 02-hello
  build "$DIR"
}

setup() {
  load helpers
  lesson_init 02-hello
}

@test "02 hello: every rank greets once, NP=1..4, rank sum = N(N-1)/2" {
  for np in 1 2 3 4; do
    mpirun "$np" "$(bin "$DIR" hello)"
    assert_ok "$np"
    for ((r = 0; r < np; r++)); do
      [ "$(printf '%s\n' "$output" | grep -c "^Hello from rank $r of $np on ")" -eq 1 ]
    done
    assert_value rank_sum $((np * (np - 1) / 2))
    assert_value check PASS
  done
}

@test "02 hello: reports the MPI library it was built with" {
  mpirun 2 "$(bin "$DIR" hello)"
  assert_ok 2
  run value mpi_library
  assert_output --regexp '(Open MPI|MPICH)'
}

@test "02 hello_square: each rank prints rank², the sum matches (N-1)N(2N-1)/6" {
  for np in 1 2 3 4; do
    mpirun "$np" "$(bin "$DIR" hello_square)"
    assert_ok "$np"
    for ((r = 0; r < np; r++)); do
      [ "$(printf '%s\n' "$output" | grep -c "^Process $r of $np has value $((r * r))\$")" -eq 1 ]
    done
    assert_value square_sum $(((np - 1) * np * (2 * np - 1) / 6))
  done
}

@test "02 hello_root: only the root prints, also with --root 2" {
  mpirun 3 "$(bin "$DIR" hello_root)"
  assert_ok 3
  [ "${#lines[@]}" -eq 3 ]
  assert_line --index 0 "Hello world from the root process (rank 0) out of 3 processes"
  mpirun 4 "$(bin "$DIR" hello_root)" --root 2
  assert_ok 4
  [ "${#lines[@]}" -eq 3 ]
  assert_value root 2
  assert_line --index 0 --partial "(rank 2) out of 4"
}

@test "02 bad input: --root beyond the last rank" {
  mpirun 2 "$(bin "$DIR" hello_root)" --root 5
  assert_bad_input 'does not exist'
}

@test "02 bad input: --root not a number" {
  mpirun 3 "$(bin "$DIR" hello_root)" --root abc
  assert_bad_input 'needs an integer'
}

@test "02 bad input: --root negative, missing value, unknown option" {
  mpirun 2 "$(bin "$DIR" hello_root)" --root -1
  assert_bad_input 'out of range'
  mpirun 2 "$(bin "$DIR" hello_root)" --root
  assert_bad_input 'needs a value'
  mpirun 4 "$(bin "$DIR" hello)" --verbose
  assert_bad_input "unknown option '--verbose'"
}

@test "02 --help prints usage and exits 0" {
  mpirun 2 "$(bin "$DIR" hello_root)" --help
  assert_success
  assert_output --partial 'usage: hello_root'
}

@test "02 under MPICH: built with mpicxx.mpich, run with mpiexec.mpich" {
  [ "$MPI" != mpich ] || skip "this run is already MPICH"
  build "$DIR" mpich
  mpi_tools mpich
  for np in 1 3; do
    mpirun "$np" "$(bin "$DIR" hello mpich)"
    assert_ok "$np"
    assert_value rank_sum $((np * (np - 1) / 2))
    assert_output --partial 'mpi_library = MPICH'
  done
}

@test "02 mixed MPIs are caught: MPICH binary under Open MPI's mpiexec" {
  skip_in_check
  build "$DIR" mpich
  mpi_tools openmpi
  mpirun 2 "$(bin "$DIR" hello mpich)"
  # Two separate one-rank jobs: two `size = 1` lines, and assert_size refuses them.
  run assert_size 2
  assert_failure
}

@test "02 exercise: make check fails unsolved, naming step 1; no program says PASS" {
  skip_in_check
  build "$EX"
  exercise_fails_unsolved
  # hello and hello_square check themselves: FAIL, and every rank exits non-zero.
  for p in hello hello_square; do
    exercise_never_passes "$p"
    [ "$status" -ne 0 ]
  done
  exercise_never_passes hello_root
}

@test "02 exercise: with the solution's step blocks, make check passes every step" {
  skip_in_check
  exercise_passes_solved
}

@test "02 exercise: differs from the solution only inside the step blocks" {
  skip_in_check
  exercise_matches_solution
}
