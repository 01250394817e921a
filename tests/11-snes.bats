#!/usr/bin/env bats
# Lesson 11-snes: the Bratu problem (thermal runaway) with SNES on a DMDA.
# The independent reference is PETSc's own ex5 (the libpetscX.Y-dev-examples
# package of the installed PETSc), built from where Debian installs it and run
# live beside bratu: same grid, same solver options, so the same max u and the
# same Newton and linear iteration counts, whatever the PETSc version.  PETSc is built
# on Open MPI, so this lesson runs with Open MPI only; every PETSc run adds
# -malloc_dump and must report no leak.

setup_file() {
  load helpers
  lesson_init 11-snes
  build "$DIR"
  make -s --no-print-directory -C "$SOL" MPI="$MPI" reference >&2
}

setup() {
  load helpers
  lesson_init 11-snes
  EX5="$(bin "$SOL" ex5)"
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

# ex5 NP LAMBDA [OPTIONS...]: run PETSc's ex5 and set EX5_NEWTON, EX5_LINEAR,
# EX5_MAXU (with -mms 0 the "exact solution" is 0, so its "error inf" is max u).
ex5() {
  local np="$1" lambda="$2"; shift 2
  mpirun "$np" "$EX5" -mms 0 -par "$lambda" -snes_converged_reason -ksp_converged_reason "$@"
  [ "$status" -eq 0 ] || { printf '%s\n' "$output" >&2; return 1; }
  EX5_NEWTON="$(printf '%s\n' "$output" | awk '/^ *Nonlinear solve converged/ { print $NF }')"
  EX5_LINEAR="$(printf '%s\n' "$output" | awk '/Linear solve converged/ { s += $NF } END { print s + 0 }')"
  EX5_MAXU="$(printf '%s\n' "$output" | awk '/error L2/ { print $NF }')"
  [ -n "$EX5_NEWTON" ] && [ -n "$EX5_MAXU" ]
}

@test "11 bratu: lambda = 6 on 33^2 matches ex5 (max u, Newton and linear iterations), NP=1..4, no leak" {
  local first=""
  for np in 1 2 3 4; do
    ex5 "$np" 6 -da_grid_x 33 -da_grid_y 33
    petsc "$np" bratu -nx 33 -ny 33 -lambda 6
    assert_ok "$np"
    assert_no_leak
    assert_value reason CONVERGED_FNORM_RELATIVE
    assert_value check PASS
    assert_value newton_its "$EX5_NEWTON"
    assert_value linear_its "$EX5_LINEAR"
    assert_close max_u "$EX5_MAXU" 1e-5
    assert_below residual_rel 1e-6
    assert_below symmetry_error 1e-6
    # The same solution on every number of ranks (the linear solver's
    # tolerance, not round-off, sets how close).
    [ -n "$first" ] || first="$(value max_u)"
    assert_close max_u "$first" 1e-7
  done
}

@test "11 bratu: 129^2 reference values max u = 0.078098, 0.797099, 1.32379 at lambda = 1, 6, 6.8 (= ex5)" {
  # max u is the discrete solution's (PETSc's ex5 -mms 0 gives the same); the
  # iteration counts (GMRES + ILU(0)) depend on the PETSc version, so they are
  # compared with ex5 run here, on the same grid.
  local lambda maxu
  for lambda in 1 6 6.8; do
    case "$lambda" in 1) maxu=0.0780975 ;; 6) maxu=0.797099 ;; 6.8) maxu=1.32379 ;; esac
    ex5 1 "$lambda" -da_grid_x 129 -da_grid_y 129
    petsc 1 bratu -nx 129 -ny 129 -lambda "$lambda"
    assert_ok 1; assert_no_leak
    assert_value check PASS
    assert_close max_u "$maxu" 5e-6
    assert_close max_u "$EX5_MAXU" 5e-6
    assert_value newton_its "$EX5_NEWTON"
    assert_value linear_its "$EX5_LINEAR"
  done
  # Near the turning point Newton needs more steps than at lambda = 6.
  [ "$EX5_NEWTON" -gt 3 ]
}

@test "11 bratu: multigrid keeps the linear iterations flat as the grid is refined, the default's grow (= ex5)" {
  local mg=() def=()
  for r in 3 5; do   # 33^2 and 129^2: 16 times the unknowns
    petsc 2 bratu -nx 5 -ny 5 -lambda 6 -da_refine "$r" -pc_type mg
    assert_ok 2; assert_no_leak
    assert_value check PASS
    local lits; lits="$(value linear_its)"
    ex5 2 6 -da_grid_x 5 -da_grid_y 5 -da_refine "$r" -pc_type mg
    [ "$lits" -eq "$EX5_LINEAR" ]
    mg+=("$lits")
    petsc 2 bratu -nx 5 -ny 5 -lambda 6 -da_refine "$r"
    assert_ok 2
    def+=("$(value linear_its)")
  done
  assert_value nx 129
  echo "mg: ${mg[*]}  default: ${def[*]}" >&2
  [ "${mg[1]}" -le $(( mg[0] + 10 )) ]       # flat (within a Newton step's worth)
  [ "${def[1]}" -ge $(( 3 * def[0] )) ]      # grows about like the grid size n
  [ "${def[1]}" -ge $(( 10 * mg[1] )) ]
}

@test "11 bratu: lambda = 0 gives u = 0 exactly, with no Newton step" {
  petsc 3 bratu -nx 17 -ny 17 -lambda 0
  assert_ok 3; assert_no_leak
  assert_value max_u 0.00000000
  assert_value newton_its 0
  assert_value check PASS
}

@test "11 bratu: a rectangular grid (33 x 17, uneven splits on 3 ranks) keeps the mirror symmetries" {
  petsc 3 bratu -nx 33 -ny 17 -lambda 5
  assert_ok 3; assert_no_leak
  assert_value nx 33; assert_value ny 17
  assert_value check PASS
  assert_below symmetry_error 1e-6
  local m3; m3="$(value max_u)"
  petsc 1 bratu -nx 33 -ny 17 -lambda 5
  assert_close max_u "$m3" 1e-7
}

@test "11 bratu: continuation traces max u up to the turning point 6.808" {
  petsc 2 bratu -nx 33 -ny 33 -pc_type mg -pc_mg_levels 3 -continuation -lambda 7
  assert_ok 2; assert_no_leak
  assert_value check PASS
  local fold est
  fold="$(value fold_lambda)"; est="$(value fold_estimate)"
  awk -v f="$fold" -v e="$est" 'BEGIN { exit !(f > 6.80 && f < 6.815 && e >= f && e < 6.815) }' \
    || { echo "fold_lambda = $fold, fold_estimate = $est, expected about 6.808" >&2; false; }
  # max u grows with lambda, step after step.
  printf '%s\n' "$output" | awk '$1 == "step" { if (NR0++ && $6 <= prev) bad = 1; prev = $6 } END { exit bad }'
  # A continuation that stays below the fold ends at the target, which is
  # the same solution as a direct solve.
  petsc 1 bratu -nx 33 -ny 33 -continuation -lambda 6
  assert_ok 1
  assert_value fold_lambda 'not reached'
  assert_close max_u 0.79694985 1e-6
}

@test "11 bad input: lambda beyond the turning point is 'no solution', not a crash" {
  petsc 2 bratu -nx 17 -ny 17 -lambda 7 -pc_type mg -pc_mg_levels 3
  assert_bad_input 'no solution: λ = 7 is beyond the turning point \(≈ 6.808\)'
  assert_no_leak
}

@test "11 bad input: lambda < 0" {
  petsc 2 bratu -lambda -1
  assert_bad_input 'lambda = -1 is out of range .*must be >= 0'
}

@test "11 bad input: a grid too small, negative or not a number" {
  petsc 2 bratu -nx 2
  assert_bad_input '-nx = 2 is out of range \[3, 10000\]'
  petsc 2 bratu -ny -65
  assert_bad_input '-ny = -65 is out of range'
  petsc 2 bratu -nx abc
  assert_bad_input "Input string abc has no integer value"
  petsc 2 bratu -da_grid_x 2
  assert_bad_input 'the grid has 2 x 65 nodes: each side needs 3 to 10000'
}

@test "11 bad input: lambda not a finite number" {
  petsc 2 bratu -lambda six
  assert_bad_input "Input string six has no numeric value"
  petsc 2 bratu -lambda nan
  assert_bad_input '(-lambda = nan is out of range|Newly set value nan)'  # PETSc 3.22 refuses NaN itself
  petsc 1 bratu -lambda 6x
  assert_bad_input "Input string 6x has no numeric value"
}

@test "11 the grid from -da_* options (= ex5 on the same grid); layouts; misspelt types in one line" {
  ex5 2 6 -da_grid_x 21 -da_grid_y 17
  petsc 2 bratu -da_grid_x 21 -da_grid_y 17
  assert_ok 2; assert_no_leak
  assert_value nx 21; assert_value ny 17
  assert_value check PASS
  assert_value newton_its "$EX5_NEWTON"
  assert_value linear_its "$EX5_LINEAR"
  assert_close max_u "$EX5_MAXU" 1e-5
  petsc 4 bratu -nx 17 -ny 17 -da_processors_x 1 -da_processors_y 4
  assert_ok 4
  assert_value check PASS
  petsc 2 bratu -da_processors_x 3
  assert_bad_input '^error: -da_processors_x 3 does not fit 2 ranks'
  petsc 2 bratu -ksp_type bogus
  assert_bad_input 'KSP type bogus'
  petsc 2 bratu -snes_type bogus
  assert_bad_input 'SNES type bogus'
}

@test "11 a Newton failure below the fold says so in one line" {
  petsc 2 bratu -nx 33 -ny 33 -lambda 6 -snes_max_it 1
  assert_bad_input 'Newton did not converge at λ = 6 \(DIVERGED_MAX_IT\)'
  petsc 2 bratu -nx 33 -ny 33 -lambda 6 -ksp_max_it 1
  assert_bad_input 'Newton did not converge at λ = 6 \(DIVERGED_LINEAR_SOLVE\)'
}

@test "11 a misspelt option is warned about; -help lists the options" {
  petsc 2 bratu -nx 17 -ny 17 -lamda 5
  assert_success
  assert_value lambda 6
  assert_line 'WARNING! option -lamda 5 was never used (misspelt?)'
  mpirun 1 "$(bin "$DIR" bratu)" -help
  assert_success
  assert_output --partial 'Bratu problem (thermal runaway)'
  assert_output --regexp '-lambda:? <(now )?6\. : (formerly )?6\.>: heat release'
  assert_output --partial '-pc_type'
}

@test "11 make MPI=mpich is refused with one line" {
  run make --no-print-directory -C "$DIR" MPI=mpich all
  assert_failure
  [ "${#lines[@]}" -eq 1 ]
  assert_output --partial 'uses PETSc, which Debian builds on Open MPI: MPI=mpich is not possible'
}

@test "11 exercise: make check fails unsolved, naming step 1; the program never says PASS" {
  skip_in_check
  build "$EX"
  exercise_fails_unsolved
  exercise_never_passes bratu -nx 17 -ny 17
  exercise_never_passes bratu -nx 17 -ny 17 -lambda 0
}

@test "11 exercise: with the solution's step blocks, make check passes every step" {
  skip_in_check
  exercise_passes_solved
}

@test "11 exercise: differs from the solution only inside the step blocks" {
  skip_in_check
  exercise_matches_solution
}

@test "11 bench.sh runs (small grids, 2 pairs) and reports the median pair against ex5" {
  [ "$DIR" = "$SOL" ] || skip "bench.sh belongs to the solution"
  local d="$BATS_TEST_TMPDIR/data"
  run bash -c "cd '$SOL' && REFINES_DEFAULT=2 REFINES_MG=2 REPS=2 REPS_SMALL=2 CONT_REFINE=2 DATA='$d' BUILD=build/system MPIEXEC=mpiexec ./bench.sh"
  assert_success
  [ "$(wc -l < "$d/11-snes-iterations.csv")" -eq 3 ]
  # Same iteration counts as ex5 (exact), ratio inside its range, 2 pairs.
  awk -F, 'NR > 1 { if ($3 != $5 || $4 != $6 || $11 < $12 || $11 > $13 || $14 != 2) { print; bad = 1 } } END { exit bad }' \
    "$d/11-snes-iterations.csv"
  # The continuation (on 17^2 here) reaches the fold.
  grep -q '^17x17,6\.8' "$d/11-snes-fold.csv"
}
