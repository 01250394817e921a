#!/usr/bin/env bats
# Lesson 12-grid: Kirchhoff's law L v = p on a synthetic city power grid
# (graph Laplacian), CG + GAMG, with a failed line.  The independent
# references: a direct MUMPS LU solve of the same matrix (in the program,
# lu_difference, and from the command line), the Kirchhoff residual recomputed
# line by line, the current balance, and the closed form of a radial feeder.
# PETSc is built on Open MPI, so this lesson runs with Open MPI only; every
# PETSc run adds -malloc_dump and must report no leak.

setup_file() {
  load helpers
  lesson_init 12-grid
  build "$DIR"
}

setup() {
  load helpers
  lesson_init 12-grid
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

# assert_default_city: the intact 40 x 20 city's answer (printed by every run
# of it, with a failed line or not): CG + GAMG = MUMPS LU to 1e-8, Kirchhoff
# and the current balance hold, the reference values (MUMPS LU, NP=1).
assert_default_city() {
  assert_value buses 800
  assert_value solver 'cg gamg'
  assert_below lu_difference 1e-8
  assert_below kirchhoff_residual_rel 1e-9
  assert_below balance_error 1e-9
  assert_below assembly_error 1e-12
  assert_close v_min 0.9618932688 1e-9
  assert_close v_mean 0.9691293411 1e-9
  assert_close max_line_current 0.1286602342 1e-8
  assert_close injections -0.4 1e-12
  # GAMG needs 15 to 18 iterations whatever the split.
  local its; its="$(value its)"
  [ "$its" -ge 12 ] && [ "$its" -le 20 ] || { echo "its = $its" >&2; false; }
}

@test "12 grid: 40 x 20, CG + GAMG = MUMPS LU to 1e-8, Kirchhoff and balance hold (the same answer on NP=1..4: below, with a failed line)" {
  petsc 2 grid
  assert_ok 2; assert_no_leak
  assert_value lines 1540
  assert_default_city
  assert_value check PASS
}

@test "12 grid: the solver chosen at run time (MUMPS LU, Jacobi CG) gives the same voltages" {
  petsc 2 grid -ksp_type preonly -pc_type lu -pc_factor_mat_solver_type mumps -lu_check 0
  assert_ok 2; assert_no_leak
  assert_value solver 'preonly lu'
  assert_close v_min 0.9618932688 1e-10
  assert_close max_line_current 0.1286602342 1e-9
  assert_value check PASS
  petsc 3 grid -pc_type jacobi
  assert_ok 3; assert_no_leak
  assert_value solver 'cg jacobi'
  assert_close v_min 0.9618932688 1e-9
  # Jacobi needs far more iterations than GAMG on the same matrix.
  [ "$(value its)" -ge 100 ]
}

@test "12 grid: a radial feeder matches the closed form (v at the ends = 7/9, 0.4 on the slack's lines)" {
  # 21 buses in a row, slack in the middle, 18 loads of 0.8/18 and two
  # substations generating nothing, no ground: the line next to the slack
  # carries the 9 loads beyond it, 0.4; the end voltage drops by
  # (1+2+3+4+5+5+6+7+8+9)(0.8/18)/10 = 2/9.
  for np in 1 2; do
    petsc "$np" grid -nx 21 -ny 1 -gen 0 -g_ground 0
    assert_ok "$np"; assert_no_leak
    assert_close v_min 0.77777777778 1e-9
    assert_close max_line_current 0.4 1e-9
    assert_close slack_current 0.8 1e-9
    assert_close ground_current 0 1e-12 abs
    assert_value check PASS
  done
}

@test "12 grid: no load, no generation and no ground leave every bus at the slack voltage" {
  petsc 2 grid -nx 17 -ny 9 -load 0 -g_ground 0 -v_slack 1.05
  assert_ok 2; assert_no_leak
  assert_close v_min 1.05 1e-10
  assert_close v_max 1.05 1e-10
  assert_close max_line_current 0 1e-9 abs
  assert_value check PASS
}

@test "12 grid: a failed line reroutes its current, Kirchhoff still holds; NP=1..4 agree, before the failure and after" {
  for np in 1 2 3 4; do
    petsc "$np" grid -fail_line 420,421
    assert_ok "$np"; assert_no_leak
    assert_default_city
    assert_value failed_line 420-421
    assert_value lines 1539
    assert_close failed_line_current 0.1275250464 1e-8
    # The largest change is the failed line itself: its whole current goes.
    assert_close max_current_change 0.1275250464 1e-8
    assert_below kirchhoff_residual_failed_rel 1e-9
    assert_below balance_error_failed 1e-9
    assert_below lu_difference 1e-8
    assert_value check PASS
    awk -v d="$(value max_voltage_change)" 'BEGIN { exit !(d > 0 && d < 0.1) }'
  done
  # The current of the failed line now flows through the parallel paths.
  printf '%s\n' "$output" | grep -q 'line    381 - 421'
}

@test "12 grid: -dump writes the voltages before and after the failure" {
  local csv="$BATS_TEST_TMPDIR/grid.csv"
  petsc 2 grid -nx 12 -ny 8 -fail_line 50,51 -dump "$csv"
  assert_ok 2; assert_no_leak
  [ "$(head -n 1 "$csv")" = "x,y,v,v_failed" ]
  [ "$(wc -l < "$csv")" -eq 97 ]
}

@test "12 grid: GAMG iterations stay nearly flat from 40 x 20 to 200 x 200" {
  local a b
  petsc 1 grid -nx 40 -ny 20 -lu_check 0; assert_ok 1; a="$(value its)"
  petsc 1 grid -nx 200 -ny 200 -lu_check 0; assert_ok 1; assert_no_leak; b="$(value its)"
  assert_value check PASS
  echo "its: $a -> $b" >&2
  [ "$b" -le $(( a + 10 )) ]
}

@test "12 bad input: a failed line that disconnects the network" {
  petsc 2 grid -nx 20 -ny 1 -fail_line 3,4
  assert_bad_input '-fail_line 3,4 disconnects the network: 4 bus\(es\) would be cut off'
  assert_no_leak
}

@test "12 bad input: -fail_line that is not a line" {
  petsc 2 grid -fail_line 1,3
  assert_bad_input 'no line between nodes 1 and 3'
  petsc 1 grid -fail_line 0,900
  assert_bad_input 'node numbers go from 0 to 799'
  petsc 2 grid -fail_line 5,x
  assert_bad_input "-fail_line needs two node numbers a,b, got '5,x'"
}

@test "12 bad input: a grid too small, negative or not a number" {
  petsc 2 grid -nx 3
  assert_bad_input '-nx = 3 is out of range \[5, 20000\]'
  petsc 2 grid -ny -4
  assert_bad_input '-ny = -4 is out of range'
  petsc 2 grid -nx abc
  assert_bad_input "Input string abc has no integer value"
  petsc 2 grid -da_grid_x 4
  assert_bad_input 'the grid has 4 x 20 buses: it needs 5 to 20000 streets'
}

@test "12 grid: the city on the grid -da_* options give, still checked; layouts" {
  petsc 2 grid -da_grid_x 21 -da_grid_y 17
  assert_ok 2; assert_no_leak
  assert_value nx 21; assert_value ny 17; assert_value buses 357
  assert_value check PASS
  petsc 3 grid -da_refine 1 -fail_line 1540,1541
  assert_ok 3; assert_no_leak
  assert_value nx 79; assert_value ny 39
  assert_value failed_line 1540-1541
  assert_value check PASS
  petsc 4 grid -da_processors_x 4 -da_processors_y 1
  assert_ok 4
  assert_close v_min 0.9618932688 1e-9
  petsc 2 grid -da_processors_x 3
  assert_bad_input '^error: -da_processors_x 3 does not fit 2 ranks'
}

@test "12 bad input: a conductance <= 0 or a load that is not a number" {
  petsc 2 grid -g 0
  assert_bad_input 'a line conductance must be > 0'
  petsc 2 grid -load nan
  assert_bad_input '(-load = nan is out of range|Newly set value nan)'  # PETSc 3.22 refuses NaN itself
}

@test "12 a solver that does not converge says so in one line; a misspelt type too" {
  petsc 2 grid -pc_type none -ksp_max_it 5 -lu_check 0
  assert_bad_input 'the linear solver \(cg\) did not converge \(DIVERGED_ITS\)'
  assert_no_leak
  petsc 2 grid -ksp_type bogus
  assert_bad_input 'KSP type bogus'
  petsc 2 grid -lu_pc_type bogus
  assert_bad_input 'PC type bogus'
}

@test "12 a failed check exits non-zero: one multigrid cycle (-ksp_type preonly) is not the answer" {
  petsc 2 grid -ksp_type preonly
  [ "$status" -eq 1 ] || { echo "exit status $status" >&2; false; }
  assert_value check FAIL
  assert_no_leak
}

@test "12 a misspelt option is warned about; -help lists the options" {
  petsc 2 grid -nx 10 -ny 6 -fial_line 1,2
  assert_success
  assert_line 'WARNING! option -fial_line 1,2 was never used (misspelt?)'
  mpirun 1 "$(bin "$DIR" grid)" -help
  assert_success
  assert_output --partial 'Power grid of a synthetic city'
  assert_output --partial '-fail_line'
  assert_output --partial '-pc_type'
}

@test "12 make MPI=mpich is refused with one line" {
  run make --no-print-directory -C "$DIR" MPI=mpich all
  assert_failure
  [ "${#lines[@]}" -eq 1 ]
  assert_output --partial 'uses PETSc, which Debian builds on Open MPI: MPI=mpich is not possible'
}

@test "12 exercise: make check fails unsolved, naming step 1; the program never says PASS" {
  skip_in_check
  build "$EX"
  exercise_fails_unsolved
  exercise_never_passes grid -nx 12 -ny 8
  exercise_never_passes grid -nx 12 -ny 8 -load 0 -g_ground 0
}

@test "12 exercise: with the solution's step blocks, make check passes every step" {
  skip_in_check
  exercise_passes_solved
}

@test "12 exercise: differs from the solution only inside the step blocks" {
  skip_in_check
  exercise_matches_solution
}
