#!/usr/bin/env bats
# Lesson 10-slepc: bridge deck modes, K x = λ M x with SLEPc.
# The reference is the exact spectrum of the discrete operator, computed here
# with awk from the closed form, independently of the program:
#   λ_mn = 4/hx² sin²(mπhx/(2L)) + 4/hy² sin²(nπhy/(2W)),  hx = L/(nx+1), hy = W/(ny+1).
# A failed check, an eigensolver that gives up, or bad input exit non-zero.
# PETSc is built on Open MPI, so this lesson runs with Open MPI only; every
# PETSc run adds -malloc_dump and must report no leak.

setup_file() {
  load helpers
  lesson_init 10-slepc
  build "$DIR"
}

setup() {
  load helpers
  lesson_init 10-slepc
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

# exact_lambdas NX NY L W COUNT [SCALE]: the COUNT smallest exact discrete
# eigenvalues, ascending, one per line (SCALE "unscaled" divides by hx*hy).
exact_lambdas() {
  awk -v nx="$1" -v ny="$2" -v L="$3" -v W="$4" -v k="$5" -v scale="${6:-}" 'BEGIN {
      pi = atan2(0, -1); hx = L / (nx + 1); hy = W / (ny + 1)
      s = (scale == "unscaled") ? 1 / (hx * hy) : 1
      for (m = 1; m <= nx && m <= k; m++) for (n = 1; n <= ny && n <= k; n++) {
        a = sin(m * pi * hx / (2 * L)); b = sin(n * pi * hy / (2 * W))
        printf "%.17g\n", s * (4 / (hx * hx) * a * a + 4 / (hy * hy) * b * b) } }' |
    sort -g | head -n "$5"
}

# assert_modes NX NY L W NEV [SCALE]: lambda_1..lambda_NEV within 1e-8 (relative)
# of the exact discrete eigenvalues, and the program's own checks pass.
assert_modes() {
  local k=0 want
  while read -r want; do
    k=$((k + 1))
    assert_close "lambda_$k" "$want" 1e-8
    assert_close "exact_$k" "$want" 1e-12
  done < <(exact_lambdas "$@")
  [ "$k" -eq "$5" ]
  assert_value nev "$5"
  assert_below max_rel_error 1e-8
  assert_below max_residual 1e-8
  assert_below max_shape_error 1e-6
  assert_value check PASS
}

@test "10 the 40 x 12 deck: 4 modes equal the exact discrete ones, NP=1..4, no leak" {
  for np in 1 2 3 4; do
    petsc "$np" bridge_modes
    assert_ok "$np"
    assert_no_leak
    assert_value nx 40
    assert_value ny 12
    assert_value unknowns 480
    assert_value scaling consistent
    assert_value inner_solver cg+bjacobi
    assert_modes 40 12 100 10 4
    assert_value problem ghep
    assert_value which target_magnitude
    assert_value target 0
    assert_value st sinvert
    # λ_11 = 9.92e-2, f = sqrt(λ)/(2π).
    assert_close lambda_1 9.920313474197062e-02 1e-8
    assert_close continuum_1 9.968300445100252e-02 1e-12
    assert_close continuum_rel_error_1 4.813957e-03 1e-4
    assert_close frequency_1 5.0128283017e-02 1e-8
  done
}

@test "10 nx != ny, odd sizes, other plates: exact discrete eigenvalues within 1e-8" {
  petsc 1 bridge_modes -nx 9 -ny 7 -length 1 -width 1 -nev 5
  assert_ok 1
  assert_no_leak
  assert_modes 9 7 1 1 5
  petsc 3 bridge_modes -nx 15 -ny 4 -length 3 -width 2 -nev 6
  assert_ok 3
  assert_no_leak
  assert_modes 15 4 3 2 6
  petsc 2 bridge_modes -nx 5 -ny 31 -length 2.5 -width 7 -nev 3
  assert_ok 2
  assert_no_leak
  assert_modes 5 31 2.5 7 3
  petsc 4 bridge_modes -nx 81 -ny 13 -nev 8
  assert_ok 4
  assert_no_leak
  assert_modes 81 13 100 10 8
}

@test "10 a square plate: double eigenvalues (m,n) and (n,m) are both found" {
  for np in 1 4; do
    petsc "$np" bridge_modes -nx 11 -ny 11 -length 1 -width 1 -nev 6
    assert_ok "$np"
    assert_no_leak
    assert_modes 11 11 1 1 6
    # λ_2 = λ_3 and λ_5 = λ_6 (modes (1,2), (2,1) and (1,3), (3,1)).
    assert_close lambda_3 "$(value lambda_2)" 1e-8
    assert_close lambda_6 "$(value lambda_5)" 1e-8
    [ "$(printf '%s\n' "$output" | grep -c ' degenerate$')" -eq 4 ]
  done
}

@test "10 the smallest grids: 2 x 2 (NP=1, 4) and 3 x 2 (NP=2)" {
  petsc 1 bridge_modes -nx 2 -ny 2 -nev 3
  assert_ok 1
  assert_no_leak
  assert_modes 2 2 100 10 3
  petsc 4 bridge_modes -nx 2 -ny 2 -nev 2
  assert_ok 4
  assert_no_leak
  assert_modes 2 2 100 10 2
  petsc 2 bridge_modes -nx 3 -ny 2 -nev 5
  assert_ok 2
  assert_modes 3 2 100 10 5
}

@test "10 -unscaled_stiffness: lambda = 5.29e-2 (exact / (hx hy)), which moves with the grid" {
  petsc 2 bridge_modes -unscaled_stiffness
  assert_ok 2
  assert_no_leak
  assert_value scaling unscaled_stiffness
  assert_modes 40 12 100 10 4 unscaled
  assert_close lambda_1 5.2875e-2 1e-4
  # The same deck, twice as fine: this λ moves (by 4x), the consistent one does not.
  petsc 2 bridge_modes -unscaled_stiffness -nx 81 -ny 25
  assert_ok 2
  assert_modes 81 25 100 10 4 unscaled
  local fine; fine="$(value lambda_1)"
  awk -v a="$fine" 'BEGIN { exit !(a > 0.2 && a < 0.22) }'
}

@test "10 MUMPS (Cholesky and LU) as the inner solver: the same eigenvalues, NP=1..3" {
  for np in 1 3; do
    petsc "$np" bridge_modes -st_ksp_type preonly -st_pc_type cholesky -st_pc_factor_mat_solver_type mumps
    assert_ok "$np"
    assert_no_leak
    assert_value inner_solver 'preonly+cholesky(mumps)'
    assert_modes 40 12 100 10 4
  done
  petsc 2 bridge_modes -nx 21 -ny 9 -st_ksp_type preonly -st_pc_type lu -st_pc_factor_mat_solver_type mumps
  assert_ok 2
  assert_no_leak
  assert_value inner_solver 'preonly+lu(mumps)'
  assert_modes 21 9 100 10 4
}

@test "10 -eps_* and -st_* options at run time: -eps_nev 6, -st_pc_type gamg, LOBPCG without inner solves" {
  petsc 2 bridge_modes -eps_nev 6 -st_pc_type gamg
  assert_ok 2
  assert_no_leak
  assert_value inner_solver cg+gamg
  assert_modes 40 12 100 10 6
  refute_output --partial 'WARNING!'
  petsc 2 bridge_modes -nx 12 -ny 6 -eps_nev 3 -eps_type lobpcg -eps_smallest_real -st_type precond \
    -eps_max_it 2000
  assert_ok 2
  assert_no_leak
  assert_modes 12 6 100 10 3
  # Too few iterations: the eigensolver gives up, and the program says why in one line.
  petsc 1 bridge_modes -nx 12 -ny 6 -eps_nev 3 -eps_type lobpcg -eps_smallest_real -st_type precond \
    -eps_max_it 5
  assert_bad_input '^error: only [0-2] of 3 eigenpairs converged in 5 iterations \(DIVERGED_ITS, lobpcg\)'
  petsc 2 bridge_modes -eps_max_it 1
  assert_bad_input '^error: only [0-3] of 4 eigenpairs converged in 1 iterations'
}

@test "10 the grid from -da_* options: -da_grid_x/-da_grid_y and -da_refine, still exact" {
  petsc 2 bridge_modes -da_grid_x 21 -da_grid_y 17
  assert_ok 2; assert_no_leak
  assert_value nx 21; assert_value ny 17
  assert_modes 21 17 100 10 4
  petsc 3 bridge_modes -nx 20 -ny 6 -da_refine 1
  assert_ok 3; assert_no_leak
  assert_value nx 39; assert_value ny 11
  assert_modes 39 11 100 10 4
  petsc 2 bridge_modes -da_processors_x 1 -da_processors_y 2
  assert_ok 2
  assert_modes 40 12 100 10 4
}

@test "10 a failed check exits non-zero: a loose -eps_tol gives check = FAIL, exit 1" {
  petsc 2 bridge_modes -eps_tol 1e-3
  [ "$status" -eq 1 ] || { echo "exit status $status" >&2; false; }
  assert_value check FAIL
  assert_no_leak
}

@test "10 O(h^2): the error against pi^2 (1/L^2 + 1/W^2) falls 4x per halving of h, over 3 grids" {
  local prev="" e g
  for g in "39 3" "79 7" "159 15"; do
    set -- $g
    petsc 1 bridge_modes -nx "$1" -ny "$2" -nev 1 -st_ksp_type preonly -st_pc_type cholesky \
      -st_pc_factor_mat_solver_type mumps
    assert_ok 1
    assert_no_leak
    assert_modes "$1" "$2" 100 10 1
    e="$(value continuum_rel_error_1)"
    if [ -n "$prev" ]; then
      awk -v a="$prev" -v b="$e" 'BEGIN { r = a / b; if (r < 3.9 || r > 4.05) { print "ratio " r > "/dev/stderr"; exit 1 } }'
    fi
    prev="$e"
  done
  # The finest grid: h = 0.625, error 3.18e-3 relative (the closed form above;
  # 319 x 31, h = 0.3125, gives 7.950622e-04, 4x less again).
  assert_close continuum_rel_error_1 3.177185e-03 1e-4
}

@test "10 mode shapes: the central cross-section and the CSV file of the first 4 modes" {
  local f="$BATS_TEST_TMPDIR/modes.csv"
  petsc 3 bridge_modes -nx 29 -ny 5 -modes_file "$f"
  assert_ok 3
  assert_no_leak
  assert_modes 29 5 100 10 4
  # Cross-section of mode 1 on the centre line y = 3 * 10/6 = 5, 11 nodes, peak 1 at x = 50.
  assert_line --partial 'Mode 1 along the deck at y = 5 '
  assert_line --regexp '^ +50 +1\.000000 +1\.000000$'
  [ "$(printf '%s\n' "$output" | sed -n '/^Mode 1 along/,/^size = /p' | wc -l)" -eq 14 ]
  # The file: a header and 29 * 5 rows of x, y and 4 modes scaled to max |w| = 1.
  [ "$(head -n 1 "$f")" = "x,y,mode1_m1_n1,mode2_m2_n1,mode3_m3_n1,mode4_m4_n1" ]
  [ "$(wc -l < "$f")" -eq 146 ]
  awk -F, 'NR > 1 { for (k = 3; k <= 6; k++) { if ($k > 1 || $k < -1) exit 1; if ($k == 1) top[k]++ } }
           END { for (k = 3; k <= 6; k++) if (!top[k]) exit 1 }' "$f"
}

@test "10 bad input: -nx 1, -ny 0 (a grid needs at least 2 x 2 nodes)" {
  petsc 2 bridge_modes -nx 1
  assert_bad_input '^error: -nx = 1 is out of range \[2, 100000\]$'
  petsc 3 bridge_modes -ny 0
  assert_bad_input '-ny = 0 is out of range'
}

@test "10 bad input: -nev 0, and -nev not below nx*ny" {
  petsc 2 bridge_modes -nev 0
  assert_bad_input '-nev = 0 is out of range \[1, 100\]'
  petsc 1 bridge_modes -nx 2 -ny 2 -nev 4
  assert_bad_input '-nev = 4 must be smaller than the number of nodes nx\*ny = 4'
}

@test "10 bad input: non-numeric values, negative or missing lengths" {
  petsc 2 bridge_modes -nx abc
  assert_bad_input "Input string abc has no integer value"
  petsc 2 bridge_modes -nev 2.5
  assert_bad_input "Input string 2.5 has no integer value"
  petsc 2 bridge_modes -width ten
  assert_bad_input "Input string ten has no numeric value"
  petsc 2 bridge_modes -length -100
  assert_bad_input '-length = -100 is out of range \(0, 1e\+06\]'
  petsc 2 bridge_modes -length 0
  assert_bad_input '-length = 0 is out of range'
  petsc 2 bridge_modes -da_grid_x 1
  assert_bad_input 'the grid has 1 x 12 interior nodes: each side needs 2 to 100000'
}

@test "10 bad input: a grid too small for the ranks, a mode file that cannot be written" {
  petsc 3 bridge_modes -nx 2 -ny 2 -nev 1
  assert_bad_input 'the 2 x 2 grid is too small to split over 3 ranks'
  petsc 2 bridge_modes -modes_file /nonexistent/dir/modes.csv
  assert_bad_input "cannot write the mode shapes to '/nonexistent/dir/modes.csv'"
  petsc 2 bridge_modes -da_processors_x 3
  assert_bad_input '^error: -da_processors_x 3 does not fit 2 ranks'
}

@test "10 a misspelt type is one line: -st_type bogus, -st_ksp_type bogus, -eps_type bogus" {
  petsc 2 bridge_modes -st_type bogus
  assert_bad_input 'ST type bogus'
  petsc 2 bridge_modes -st_ksp_type bogus
  assert_bad_input 'KSP type bogus'
  petsc 2 bridge_modes -eps_type bogus
  assert_bad_input 'Unknown EPS type given: bogus'
}

@test "10 a misspelt option is warned about; -help lists the options" {
  petsc 2 bridge_modes -nxx 10
  assert_success
  assert_line 'WARNING! option -nxx 10 was never used (misspelt?)'
  assert_value check PASS
  mpirun 1 "$(bin "$DIR" bridge_modes)" -help
  assert_success
  assert_output --partial 'Vibration modes of a bridge deck'
  assert_output --regexp '-nx:? <now 40 : formerly 40>: interior nodes along the deck'
  assert_output --regexp '-nev:? <now 4 : formerly 4>'
  assert_output --partial '-eps_nev'
  assert_output --partial '-st_type'
}

@test "10 make MPI=mpich is refused with one line" {
  run make --no-print-directory -C "$DIR" MPI=mpich all
  assert_failure
  [ "${#lines[@]}" -eq 1 ]
  assert_output --partial 'uses PETSc, which Debian builds on Open MPI: MPI=mpich is not possible'
}

@test "10 exercise: make check fails unsolved, naming step 1; the program never says PASS" {
  skip_in_check
  build "$EX"
  exercise_fails_unsolved
  exercise_never_passes bridge_modes
  exercise_never_passes bridge_modes -nx 9 -ny 7 -nev 3
}

@test "10 exercise: with the solution's step blocks, make check passes every step" {
  skip_in_check
  exercise_passes_solved
}

@test "10 exercise: differs from the solution only inside the step blocks" {
  skip_in_check
  exercise_matches_solution
}
