#!/usr/bin/env bats
# Lesson 09-tao: T2 fits with TAO — one voxel, a whole phantom map, the
# bi-exponential model and the Gauss–Newton uncertainty.  PETSc is built on
# Open MPI, so this lesson runs with Open MPI only; every PETSc run adds
# -malloc_dump and must report no leak.

setup_file() {
  load helpers
  lesson_init 09-tao
  build "$DIR"
}

setup() {
  load helpers
  lesson_init 09-tao
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

@test "09 t2_fit: the default voxel (2% noise, lmvm) agrees with the reference fit, NP=1..4, no leak" {
  for np in 1 2 3 4; do
    petsc "$np" t2_fit
    assert_ok "$np"
    assert_no_leak
    assert_value tao_type lmvm
    assert_value converged yes
    assert_value ranks_agree yes
    assert_close amp 1.00110776 1e-7
    assert_close t2 83.50466736 1e-7
    assert_below ref_rel_diff 1e-6
    assert_value check PASS
  done
}

@test "09 t2_fit: without noise the fit returns the truth to 1e-6 (blmvm with bounds, A 0.3..5, T2 5..1000 ms)" {
  # The corners of the range (the smallest A, the shortest and the longest T2
  # with the largest A): every truth in between takes the same code path.
  for truth in "0.3 20" "1 5" "5 1000"; do
    set -- $truth
    petsc 1 t2_fit -noise 0 -amp "$1" -t2 "$2" -bounds
    assert_ok 1
    assert_no_leak
    assert_value tao_type blmvm
    assert_below amp_rel_error 1e-6
    assert_below t2_rel_error 1e-6
    assert_value check PASS
  done
  # Unbounded lmvm recovers long T2 from the fixed start (0.8, 50) too.
  petsc 2 t2_fit -noise 0 -amp 2 -t2 300
  assert_ok 2
  assert_below t2_rel_error 1e-6
}

@test "09 t2_fit: a short T2 (10 ms) defeats unbounded lmvm from (0.8, 50): one error line, exit 1; blmvm with bounds succeeds" {
  petsc 2 t2_fit -noise 0 -t2 10
  assert_bad_input '^error: Tao lmvm did not converge: DIVERGED_'
  petsc 1 t2_fit -noise 0 -t2 10 -bounds
  assert_ok 1
  assert_value converged yes
  assert_below t2_rel_error 1e-6
  assert_value check PASS
}

@test "09 a fit that does not converge, or a failed check, exits non-zero on every rank" {
  petsc 2 t2_fit -tao_max_it 1
  assert_bad_input '^error: Tao lmvm did not converge: DIVERGED_MAXITS after 1 iteration; -tao_max_it raises the limit$'
  petsc 3 t2_map -n 16 -tao_max_it 2
  assert_bad_input '^error: Tao blmvm did not converge on 128 of 128 voxels: DIVERGED_MAXITS'
  petsc 2 t2_extensions -draws 20 -tao_max_it 2
  assert_bad_input 'did not converge on 21 of 21 fits'
  # Tao "converges" at once when told the minimum is 1, far off: the check catches it.
  petsc 2 t2_fit -tao_fmin 1
  assert_failure 1
  assert_size 2
  assert_value reason CONVERGED_MINF
  assert_value check FAIL
  # Nelder-Mead stops before T2 is settled to 1e-3 of its uncertainty in every voxel.
  petsc 2 t2_map -n 16 -tao_type nm
  assert_failure 1
  assert_size 2
  assert_value check FAIL
}

@test "09 -tao_type: a method that does not fit the problem, or a misspelt one, is refused in one line" {
  petsc 2 t2_fit -tao_type bogus
  assert_bad_input 'Unable to find requested Tao type bogus'
  petsc 2 t2_fit -tao_type pounders
  assert_bad_input '^error: -tao_type pounders does not fit a least-squares fit with bounds: use lmvm, blmvm'
  petsc 2 t2_map -n 8 -tao_type gpcg
  assert_bad_input '^error: -tao_type gpcg does not fit'
}

@test "09 t2_fit: -tao_test_gradient agrees with finite differences; other -tao_type work" {
  petsc 1 t2_fit -tao_test_gradient
  assert_ok 1
  local r
  r="$(printf '%s\n' "$output" | sed -n 's/.*2-norm ||G - Gfd||\/||G|| = \([^,]*\),.*/\1/p' | head -n 1)"
  [ -n "$r" ]
  awk -v r="$r" 'BEGIN { exit !(r < 1e-6) }'
  for type in nls bqnls blmvm; do
    petsc 1 t2_fit -tao_type "$type"
    assert_ok 1
    assert_value tao_type "$type"
    assert_close t2 83.50466736 1e-6
    assert_value check PASS
  done
  # Derivative-free Nelder-Mead: 1e-5 from the reference, 4e-4 of T2's standard deviation.
  petsc 2 t2_fit -tao_type nm
  assert_ok 2
  assert_below ref_diff_sd 1e-3
  assert_close t2 83.5047 1e-4
  assert_value check PASS
}

@test "09 t2_map: 64 x 64 map, per-tissue errors, the same map at NP=1..4, no leak" {
  local sum=""
  for np in 1 2 3 4; do
    petsc "$np" t2_map -n 64
    assert_ok "$np"
    assert_no_leak
    assert_value voxels 2044
    assert_value bone_voxels 184
    assert_value muscle_voxels 190
    assert_value grey_matter_voxels 1363
    assert_value oedema_voxels 307
    assert_value not_converged 0
    assert_value ref_mismatches 0
    assert_below ref_max_diff_sd 1e-3
    # The same map at every NP; PETSc 3.18 and 3.22 differ in the 6th digit
    # (a few bone voxels whose T2 the data hardly fix: see `unresolved`).
    assert_close map_checksum 1.893587022968e+05 1e-5
    [ -n "$sum" ] || sum="$(value map_checksum)"
    assert_close map_checksum "$sum" 1e-12
    assert_close grey_matter_mean_t2 85.000320 1e-6
    assert_close grey_matter_rms_pct 3.4761 1e-3
    assert_close muscle_rms_pct 5.7538 1e-3
    assert_close oedema_rms_pct 2.7982 1e-3
    assert_close bone_median_pct 26.8911 1e-2
    assert_value check PASS
  done
  assert_value voxels_per_rank "511 511 511 511"
}

@test "09 t2_map: without noise every voxel returns its tissue's T2 (odd size 37, NP=3)" {
  petsc 3 t2_map -n 37 -noise 0
  assert_ok 3
  assert_no_leak
  assert_below max_rel_error 1e-6
  assert_value not_converged 0
  assert_value check PASS
}

@test "09 t2_map: a new Tao per voxel gives the same map as one Tao per rank" {
  petsc 2 t2_map -n 32
  assert_ok 2
  local sum; sum="$(value map_checksum)"
  petsc 2 t2_map -n 32 -tao_per_voxel
  assert_ok 2
  assert_no_leak
  assert_value tao_per_voxel yes
  assert_value map_checksum "$sum"
  assert_value check PASS
}

@test "09 t2_extensions: bi-exponential and Gauss-Newton uncertainty, NP=1..4, no leak" {
  for np in 1 2 3 4; do
    petsc "$np" t2_extensions -draws 400
    assert_ok "$np"
    assert_no_leak
    assert_close bi_t21 18.82924636 1e-5
    assert_close bi_t22 98.68587364 1e-5
    assert_value bi_check PASS
    assert_value failed_fits 0
    assert_close t2_sd_gauss_newton 2.970048 1e-5
    assert_close t2_sd_draws 3.054332 1e-5
    assert_close sd_ratio 1 0.18 abs
    assert_value uq_check PASS
  done
  petsc 2 t2_extensions -draws 50 -noise2 0
  assert_ok 2
  assert_below bi_max_rel_error 1e-6
  assert_value bi_check PASS
}

@test "09 bad input: negative T2 or noise, non-numeric values" {
  petsc 2 t2_fit -t2 -5
  assert_bad_input '^error: -t2 = -5\.? is out of range'
  petsc 2 t2_fit -noise -0.1
  assert_bad_input '^error: -noise = -0.1 is out of range'
  petsc 1 t2_fit -amp abc
  assert_bad_input 'Input string abc has no numeric value'
  petsc 2 t2_map -noise -1
  assert_bad_input 'out of range'
  petsc 2 t2_extensions -draws 1x
  assert_bad_input 'Input string 1x has no integer value'
  petsc 2 t2_extensions -noise 0
  assert_bad_input '^error: -noise = 0\.? is out of range'
}

@test "09 bad input: fewer echo times than parameters, a bad echo list" {
  petsc 2 t2_fit -te 10
  assert_bad_input 'at least 2 are needed'
  petsc 2 t2_extensions -te 10,20,40
  assert_bad_input 'at least 4 are needed'
  petsc 1 t2_map -te 10,abc,30
  assert_bad_input 'Input string abc has no numeric value'
  petsc 1 t2_fit -te 10,-20,30
  assert_bad_input 'positive echo times'
}

@test "09 bad input: t2_map -n 1, -n abc, -seed -1" {
  petsc 2 t2_map -n 1
  assert_bad_input 'value 1 less than allowed bound 2'
  petsc 2 t2_map -n abc
  assert_bad_input 'Input string abc has no integer value'
  petsc 2 t2_map -seed -1
  assert_bad_input 'value -1 less than allowed bound 0'
}

@test "09 -help lists the options; a misspelt option is warned about" {
  mpirun 1 "$(bin "$DIR" t2_fit)" -help
  assert_success
  assert_output --partial 'Fits S(t) = A exp(-t/T2)'
  # PETSc 3.18 prints `-t2 <85. : 85.>`, 3.22 `-t2: <now 85. : formerly 85.>`.
  assert_output --regexp '-t2:? <(now )?85\. : (formerly )?85\.>: true T2 in ms'
  petsc 1 t2_fit -t22 30
  assert_success
  assert_line 'WARNING! option -t22 30 was never used (misspelt?)'
}

@test "09 make MPI=mpich is refused with one line" {
  run make --no-print-directory -C "$DIR" MPI=mpich all
  assert_failure
  [ "${#lines[@]}" -eq 1 ]
  assert_output --partial 'uses PETSc, which Debian builds on Open MPI: MPI=mpich is not possible'
}

@test "09 exercise: make check fails unsolved, naming step 1; no program says PASS" {
  skip_in_check
  build "$EX"
  exercise_fails_unsolved
  exercise_never_passes t2_fit
  exercise_never_passes t2_map -n 16
  exercise_never_passes t2_extensions -draws 20
}

@test "09 exercise: with the solution's step blocks, make check passes every step" {
  skip_in_check
  exercise_passes_solved
}

@test "09 exercise: differs from the solution only inside the step blocks" {
  skip_in_check
  exercise_matches_solution
}
