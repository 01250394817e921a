#!/usr/bin/env bats
# Lesson 14-ml: data-parallel logistic regression (SGD and full batch, MPI_Allreduce
# of the gradient) and a 16-32-16-1 network trained with TAO.  PETSc is built on
# Open MPI, so this lesson runs with Open MPI only; every PETSc run adds
# -malloc_dump and must report no leak.  The data are generated from each
# sample's global index, so every answer must be the same at NP=1..4.

setup_file() {
  load helpers
  lesson_init 14-ml
  build "$DIR"
}

setup() {
  load helpers
  lesson_init 14-ml
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

LN2=0.693147180559945

@test "14 logreg full batch: loss from ln 2 down, same final loss at NP=1..4, no leak" {
  local ref=""
  for np in 1 2 3 4; do
    petsc "$np" logreg -samples 3001 -batch 0 -lr 4 -epochs 40
    assert_ok "$np"
    assert_no_leak
    assert_value steps_per_epoch 1
    assert_close initial_loss "$LN2" 1e-10
    assert_below final_loss 0.45
    assert_value replica_max_diff 0
    assert_value check PASS
    [ -n "$ref" ] || ref="$(value final_loss)"
    assert_close final_loss "$ref" 1e-12
  done
  assert_value local_sizes "751 750 750 750"
}

@test "14 logreg mini-batch SGD: batches defined globally, same answer at NP=1..4 (uneven)" {
  local ref="" cos=""
  for np in 1 2 3 4; do
    petsc "$np" logreg -samples 2999 -batch 100 -lr 0.2 -epochs 5
    assert_ok "$np"
    assert_no_leak
    assert_value steps_per_epoch 30
    assert_value check PASS
    [ -n "$ref" ] || { ref="$(value final_loss)"; cos="$(value cosine_similarity)"; }
    assert_close final_loss "$ref" 1e-10
    assert_close cosine_similarity "$cos" 1e-6
  done
}

@test "14 logreg at its defaults: cosine to the true weights >= 0.9998, fitted loss near the teacher's" {
  petsc 2 logreg
  assert_ok 2
  assert_no_leak
  assert_value samples 100000
  assert_value check PASS
  assert_close initial_loss "$LN2" 1e-10
  local c; c="$(value cosine_similarity)"
  awk -v c="$c" 'BEGIN{exit !(c >= 0.9998)}' || { echo "cosine_similarity = $c < 0.9998" >&2; return 1; }
  # SGD stops in a noise ball: close to, but not below, the teacher's own loss.
  assert_close final_loss "$(value true_loss)" 2e-3
  # 10 epoch lines plus epoch 0, one per epoch, printed once.
  [ "$(printf '%s\n' "$output" | grep -c '^epoch ')" -eq 11 ]
}

@test "14 logreg: the seed fixes the data (same seed same answer, other seed other answer)" {
  petsc 1 logreg -samples 500 -epochs 2 -seed 7
  assert_ok 1
  local a; a="$(value final_loss)"
  petsc 3 logreg -samples 500 -epochs 2 -seed 7
  assert_close final_loss "$a" 1e-12
  petsc 1 logreg -samples 500 -epochs 2 -seed 8
  assert_ok 1
  [ "$(value final_loss)" != "$a" ]
}

@test "14 logreg: more ranks than samples (some own nothing) still runs" {
  petsc 4 logreg -samples 3 -features 1 -epochs 2
  assert_ok 4
  assert_no_leak
  assert_value local_sizes "1 1 1 0"
  assert_value replica_max_diff 0
  assert_value check PASS
}

@test "14 a failed check exits non-zero on every rank; a spent training budget is no failure" {
  # Three samples cannot show the 16 teacher weights: cosine_similarity stays low.
  petsc 4 logreg -samples 3 -epochs 2
  assert_failure 1
  assert_size 4
  assert_value check FAIL
  # Told the minimum is 1, Tao stops at once ("converged"), but the loss has not fallen.
  petsc 2 mlp_tao -samples 200 -tao_fmin 1
  assert_failure 1
  assert_size 2
  assert_value converged_reason CONVERGED_MINF
  assert_value check FAIL
  # The iteration budget is the plan: 1 iteration trains a little, and passes.
  petsc 2 mlp_tao -samples 200 -tao_max_it 1
  assert_ok 2
  assert_value converged_reason DIVERGED_MAXITS
  assert_value check PASS
}

@test "14 -tao_type: a method the network cannot use, or a misspelt one, is refused in one line" {
  petsc 2 mlp_tao -samples 200 -tao_type nls
  assert_bad_input '^error: -tao_type nls needs what this network does not give'
  petsc 2 mlp_tao -samples 200 -tao_type bogus
  assert_bad_input 'Unable to find requested Tao type bogus'
}

@test "14 mlp_tao: loss falls from ln 2, backprop checked, same at NP=1..4, replicas identical, no leak" {
  local ref=""
  for np in 1 2 3 4; do
    petsc "$np" mlp_tao -samples 600 -tao_max_it 15
    assert_ok "$np"
    assert_no_leak
    assert_value layers 16-32-16-1
    assert_value parameters 1089
    assert_value tao_type lmvm
    assert_close initial_loss "$LN2" 1e-10
    assert_below final_loss 0.6
    assert_below fd_rel_error 1e-6
    assert_value replica_max_diff 0
    assert_value check PASS
    [ -n "$ref" ] || ref="$(value final_loss)"
    assert_close final_loss "$ref" 1e-8
  done
}

@test "14 mlp_tao -tao_test_gradient: hand-coded gradient = finite differences (NP=1, 2)" {
  for np in 1 2; do
    petsc "$np" mlp_tao -samples 100 -hidden1 8 -hidden2 4 -tao_max_it 1 -tao_test_gradient  # 177 weights: 354 evaluations
    assert_success
    assert_size "$np"
    assert_no_leak
    local errs
    errs="$(printf '%s\n' "$output" | sed -n 's/^ *2-norm ||G - Gfd||\/||G|| = \([^,]*\),.*/\1/p')"
    [ -n "$errs" ]
    for e in $errs; do
      awk -v e="$e" 'BEGIN{exit !(e < 1e-4)}' || { echo "gradient test: $e" >&2; return 1; }
    done
  done
}

@test "14 TAO and full-batch gradient descent reach the same logistic-regression minimum" {
  petsc 2 logreg -samples 4000 -batch 0 -lr 4 -epochs 300
  assert_ok 2
  local loss cos; loss="$(value final_loss)"; cos="$(value cosine_similarity)"
  assert_below gradient_norm 1e-8
  petsc 3 mlp_tao -samples 4000 -hidden1 0 -hidden2 0 -output_bias 0
  assert_ok 3
  assert_no_leak
  assert_value layers 16-1
  assert_value parameters 16
  assert_value converged_reason CONVERGED_GATOL
  assert_below iterations 30
  assert_close final_loss "$loss" 1e-9
  assert_close cosine_similarity "$cos" 1e-6
}

@test "14 mlp_tao: another TAO method at run time (-tao_type cg)" {
  petsc 2 mlp_tao -samples 400 -tao_type cg -tao_max_it 10
  assert_ok 2
  assert_no_leak
  assert_value tao_type cg
  assert_below final_loss 0.65
  assert_value check PASS
}

@test "14 bad input: -samples 0, -features 0, non-numeric values" {
  petsc 2 logreg -samples 0
  assert_bad_input 'value 0 less than allowed bound 1'
  petsc 2 logreg -features 0
  assert_bad_input 'value 0 less than allowed bound 1'
  petsc 2 logreg -lr abc
  assert_bad_input 'Input string abc has no numeric value'
  petsc 2 logreg -epochs 1.5
  assert_bad_input 'Input string 1.5 has no integer value'
  petsc 2 mlp_tao -samples 0
  assert_bad_input 'value 0 less than allowed bound 1'
  petsc 2 mlp_tao -features 0
  assert_bad_input 'value 0 less than allowed bound 1'
  petsc 2 mlp_tao -hidden1 x
  assert_bad_input 'Input string x has no integer value'
}

@test "14 bad input: negative batch and rate, -lr nan, -tao_max_it abc, data too large" {
  petsc 2 logreg -batch -1
  assert_bad_input 'value -1 less than allowed bound 0'
  petsc 2 logreg -lr -0.1
  assert_bad_input '^error: -lr = -0.1 is out of range'
  petsc 2 logreg -lr nan
  assert_bad_input 'nan'
  petsc 2 mlp_tao -tao_max_it abc
  assert_bad_input 'Input string abc has no integer value'
  petsc 2 logreg -samples 100000000 -features 100
  assert_bad_input 'too large'
}

@test "14 a misspelt option is warned about, a correct one is not" {
  petsc 2 logreg -samples 500 -epochs 1 -epoch 5
  assert_success
  assert_line 'WARNING! option -epoch 5 was never used (misspelt?)'
  petsc 2 logreg -samples 500 -epochs 1
  refute_output --partial 'WARNING!'
}

@test "14 -help lists the options" {
  mpirun 1 "$(bin "$DIR" logreg)" -help -epochs 1 -samples 500
  assert_success
  assert_output --partial 'Data-parallel logistic regression'
  assert_output --regexp '-batch:? <now 256 : formerly 256>'  # 3.22 adds the colon
  mpirun 1 "$(bin "$DIR" mlp_tao)" -help -samples 100 -tao_max_it 1
  assert_success
  assert_output --regexp '-hidden1:? <now 32 : formerly 32>'
  assert_output --partial '-tao_type'
}

@test "14 make MPI=mpich is refused with one line" {
  run make --no-print-directory -C "$DIR" MPI=mpich all
  assert_failure
  [ "${#lines[@]}" -eq 1 ]
  assert_output --partial 'uses PETSc, which Debian builds on Open MPI: MPI=mpich is not possible'
}

@test "14 exercise: make check fails unsolved, naming step 1; no program says PASS" {
  skip_in_check
  build "$EX"
  exercise_fails_unsolved
  exercise_never_passes logreg -samples 500 -epochs 2
  exercise_never_passes mlp_tao -samples 200 -tao_max_it 3
}

@test "14 exercise: with the solution's step blocks, make check passes every step" {
  skip_in_check
  exercise_passes_solved
}

@test "14 exercise: differs from the solution only inside the step blocks" {
  skip_in_check
  exercise_matches_solution
}
