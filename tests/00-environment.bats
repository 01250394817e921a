#!/usr/bin/env bats
# Lesson 00-environment: MPI, PETSc, SLEPc, TAO and a distributed Vec work.
# PETSc is built on Open MPI, so this lesson runs with Open MPI only; every
# PETSc run adds -malloc_dump and must report no leak.

setup_file() {
  load helpers
  lesson_init 00-environment
  build "$DIR"
}

setup() {
  load helpers
  lesson_init 00-environment
}

# petsc NP PROGRAM [ARGS...]: run a PETSc program with -malloc_dump.
petsc() {
  local np="$1" prog="$2"; shift 2
  mpirun "$np" "$(bin "$DIR" "$prog")" "$@" -malloc_dump
}

# assert_no_leak: -malloc_dump reported nothing (its lines read "[r] N bytes f() at file:line").
assert_no_leak() {
  if printf '%s\n' "$output" | grep -Eq '^\[ *[0-9]+\] [0-9]+ bytes '; then
    echo "-malloc_dump reports a leak:" >&2; printf '%s\n' "$output" >&2; return 1
  fi
}

@test "00 mpi_hello: every rank greets once, NP=1..4, rank 0 counts N ranks" {
  for np in 1 2 3 4; do
    mpirun "$np" "$(bin "$DIR" mpi_hello)"
    assert_ok "$np"
    for ((r = 0; r < np; r++)); do
      [ "$(printf '%s\n' "$output" | grep -c "^Hello from rank $r / $np\$")" -eq 1 ]
    done
    assert_value ranks_counted "$np"
    assert_value check PASS
    run value mpi_library
    assert_output --regexp '^Open MPI v[0-9]'
  done
}

@test "00 petsc_info: PETSc and SLEPc versions as pkg-config reports them, TAO lmvm, NP=1 and 4, no leak" {
  # The reference: the installed packages' own pkg-config files (Debian 12:
  # 3.18; Debian 13: 3.22).  SLEPc 3.x.y needs PETSc 3.x.
  local pc="PKG_CONFIG_PATH=${PETSC_DIR:-/usr/lib/petsc}/lib/pkgconfig:${SLEPC_DIR:-/usr/lib/slepc}/lib/pkgconfig"
  local want_petsc want_slepc
  want_petsc="$(env "$pc" pkg-config --modversion PETSc)"
  want_slepc="$(env "$pc" pkg-config --modversion SLEPc)"
  [ "${want_petsc%.*}" = "${want_slepc%.*}" ]
  # Versions do not depend on the ranks (vec_sum runs NP=1..4): one and four.
  for np in 1 4; do
    petsc "$np" petsc_info
    assert_ok "$np"
    assert_no_leak
    assert_value check PASS
    assert_value tao_lmvm available
    assert_value scalar_type real
    local v h
    v="$(value petsc_version)"; h="$(value petsc_headers)"
    [ "$v" = "$want_petsc" ]
    [ "$v" = "$h" ]
    v="$(value slepc_version)"; h="$(value slepc_headers)"
    [ "$v" = "$want_slepc" ]
    [ "$v" = "$h" ]
    run value mpi_library
    assert_output --regexp '^Open MPI'
  done
}

@test "00 vec_sum: sum of 8 ones is exactly 8 on every rank, NP=1..4, no leak" {
  for np in 1 2 3 4; do
    petsc "$np" vec_sum
    assert_ok "$np"
    assert_no_leak
    for ((r = 0; r < np; r++)); do
      assert_line "Rank $r sum = 8"
    done
    assert_value vec_sum 8
    assert_value expected 8
    assert_value check PASS
  done
}

@test "00 vec_sum: uneven split of n = 10 (NP=3: 4 3 3, NP=4: 3 3 2 2)" {
  petsc 3 vec_sum -n 10
  assert_ok 3
  assert_value local_sizes "4 3 3"
  assert_value vec_sum 10
  petsc 4 vec_sum -n 10
  assert_ok 4
  assert_no_leak
  assert_value local_sizes "3 3 2 2"
  assert_value vec_sum 10
  assert_value check PASS
  # More ranks than entries: some ranks own nothing, the sum is still right.
  petsc 4 vec_sum -n 3
  assert_ok 4
  assert_value local_sizes "1 1 1 0"
  assert_value vec_sum 3
}

@test "00 vec_sum: a large vector sums exactly (n = 1000001 on 3 ranks)" {
  petsc 3 vec_sum -n 1000001
  assert_ok 3
  assert_value vec_sum 1000001
  assert_value check PASS
}

@test "00 bad input: vec_sum -n 0" {
  petsc 4 vec_sum -n 0
  assert_bad_input 'out of range'
}

@test "00 bad input: vec_sum -n abc, -n 2.5 (PETSc's own message)" {
  petsc 2 vec_sum -n abc
  assert_bad_input "abc has no integer value"
  petsc 2 vec_sum -n 2.5
  assert_bad_input "2.5 has no integer value"
}

@test "00 bad input: vec_sum -n -5, -n without a value, -n beyond PetscInt" {
  petsc 3 vec_sum -n -5
  assert_bad_input '-n = -5 is out of range'
  mpirun 2 "$(bin "$DIR" vec_sum)" -n
  assert_bad_input '-n needs a value'
  petsc 2 vec_sum -n 99999999999
  assert_bad_input 'out of range'
}

@test "00 bad input: mpi_hello refuses an unknown flag" {
  mpirun 2 "$(bin "$DIR" mpi_hello)" --verbose
  assert_bad_input "unknown option '--verbose'"
}

@test "00 a misspelt PETSc option is warned about, a correct one is not" {
  petsc 2 vec_sum -nn 10
  assert_success
  assert_value vec_sum 8
  assert_line 'WARNING! option -nn 10 was never used (misspelt?)'
  petsc 2 vec_sum -n 10 -vec_type mpi
  assert_success
  refute_output --partial 'WARNING!'
  petsc 2 petsc_info -tao_typ lmvm
  assert_success
  assert_line --partial 'WARNING! option -tao_typ lmvm was never used'
}

@test "00 -help lists the program's options" {
  mpirun 1 "$(bin "$DIR" vec_sum)" -help
  assert_success
  assert_output --partial 'Sums a PETSc vector of n ones'
  assert_output --regexp '-n:? <now 8 : formerly 8>: global length'
  mpirun 1 "$(bin "$DIR" mpi_hello)" --help
  assert_success
  assert_output --partial 'usage: mpi_hello'
}

@test "00 make MPI=mpich is refused with one line" {
  run make --no-print-directory -C "$DIR" MPI=mpich all
  assert_failure
  [ "${#lines[@]}" -eq 1 ]
  assert_output --partial 'uses PETSc, which Debian builds on Open MPI: MPI=mpich is not possible'
}

@test "00 make verify: five PASS lines" {
  local pc="PKG_CONFIG_PATH=${PETSC_DIR:-/usr/lib/petsc}/lib/pkgconfig:${SLEPC_DIR:-/usr/lib/slepc}/lib/pkgconfig"
  local want_petsc want_slepc
  want_petsc="$(env "$pc" pkg-config --modversion PETSc)"
  want_slepc="$(env "$pc" pkg-config --modversion SLEPc)"
  run timeout -k 5 120 make --no-print-directory -s -C "$DIR" verify
  assert_success
  [ "${#lines[@]}" -eq 5 ]
  assert_line --regexp '^PASS  mpi      Open MPI v[0-9.]+ \(4 ranks, 2 ranks\)$'
  assert_line "PASS  petsc    $want_petsc"
  assert_line "PASS  slepc    $want_slepc"
  assert_line 'PASS  tao      lmvm available'
  assert_line 'PASS  vec      sum of ones over 4 ranks = 8'
}

@test "00 make verify fails on a broken component" {
  skip_in_check
  # The unsolved exercise: MPI counts nothing, no vector, SLEPc and TAO unknown.
  build "$EX"
  run timeout -k 5 120 make --no-print-directory -s -C "$EX" verify
  assert_failure
  assert_line --regexp '^FAIL  mpi '
  assert_line --regexp '^FAIL  vec '
  assert_line --regexp '^PASS  petsc '
  assert_line --regexp '^FAIL  tao '
}

@test "00 exercise: make check fails unsolved, naming step 1; no program says PASS, each exits non-zero" {
  skip_in_check
  build "$EX"
  exercise_fails_unsolved
  exercise_never_passes mpi_hello
  [ "$status" -ne 0 ]
  for p in vec_sum petsc_info; do
    exercise_never_passes "$p" -malloc_dump
    [ "$status" -ne 0 ]
    assert_no_leak
  done
}

@test "00 exercise: with the solution's step blocks, make check passes every step" {
  skip_in_check
  exercise_passes_solved
}

@test "00 exercise: differs from the solution only inside the step blocks" {
  skip_in_check
  exercise_matches_solution
}
