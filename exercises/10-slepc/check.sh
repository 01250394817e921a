#!/usr/bin/env bash
# check.sh — grades lesson 10's exercise step by step: `make check`.
. ./grade.sh

# stopped: the run ended in a PETSc error or a crash.  The step fails with
# PETSc's message (not its whole traceback) and a word on the likely cause.
stopped() {
  failed && return 1
  local msg
  msg="$(printf '%s\n' "$OUT" | sed -n 's/^\[0\]PETSC ERROR: //p' |
         grep -v -E '^-+|^See https|^Petsc Release|^Configure options|^#[0-9]|named .* by |^Try option|^or see|^configure using|^to get more|^Run with|^PETSc Option Table|^No PETSc Option Table|^-[a-z_]+( |$)' |
         head -n 3)"
  [ -n "$msg" ] || return 1
  fail "the program stopped with a PETSc error:" "$msg" \
       "Is every earlier step done?  A PETSc object used before it is created stops the program."
}

# λ of the lowest mode (1,1) of the default 40 x 12 deck: the exact
# eigenvalue of the discrete operator (exact_modes.hpp), 4/hx² sin²(πhx/2L) + 4/hy² sin²(πhy/2W).
LAMBDA_1=9.920313474197062e-02

step 1 "the eigenproblem K x = λ M x: an EPS, generalized Hermitian, nev pairs (EPSCreate, EPSSetOperators, EPSSetProblemType, EPSSetDimensions, EPSSetTolerances)"
launch 2 bridge_modes
stopped
expect_size 2
if ! failed && [ "$(value eigensolver)" = none ]; then
  fail "there is no eigensolver: CreateEigensolver must create one (EPSCreate) and give it K and M (EPSSetOperators)"
fi
expect_value problem ghep "K and M are symmetric and M is positive definite: a generalized Hermitian problem (EPSSetProblemType)"
expect_value nev 4 "ask for nev eigenpairs (EPSSetDimensions)"

# Steps 2 and 3 read the same run.
step 2 "the eigenvalues nearest 0, by shift-and-invert (EPSSetTarget, EPSSetWhichEigenpairs, EPSGetST, STSetType)"
stopped
expect_size 2
expect_value target 0 "the target is 0 (EPSSetTarget)"
expect_value which target_magnitude "the eigenvalues nearest the target (EPSSetWhichEigenpairs)"
expect_value st sinvert "the spectral transformation of the EPS (EPSGetST) is shift-and-invert (STSetType)"

step 3 "the inner solver of shift-and-invert: CG with block Jacobi (STGetKSP, KSPSetType, KSPGetPC, PCSetType, KSPSetTolerances)"
stopped
expect_size 2
expect_value inner_solver cg+bjacobi "the ST's linear solver (STGetKSP) is CG (KSPSetType), its preconditioner (KSPGetPC) block Jacobi (PCSetType)"

step 4 "the command line decides last: -eps_nev 6 -st_pc_type gamg (EPSSetFromOptions)"
launch 2 bridge_modes -eps_nev 6 -st_pc_type gamg
stopped
expect_size 2
expect_no_line '^WARNING! option' "nothing read these options: call EPSSetFromOptions after the set-up"
expect_value nev 6 "-eps_nev 6 was given"
expect_value inner_solver cg+gamg "-st_pc_type gamg was given"

step 5 "solve and read the modes: the 4 lowest equal the exact ones (EPSSolve, EPSGetConverged, EPSGetEigenpair)"
launch 1 bridge_modes
stopped
expect_size 1
if ! failed && [ "$(value nconv)" = 0 ]; then
  fail "nconv = 0: no eigenpair was read. Solve (EPSSolve), then ask how many converged (EPSGetConverged)"
fi
expect_close lambda_1 "$LAMBDA_1" 1e-8 "the lowest mode (1,1) of the 40 x 12 deck"
expect_value check PASS
expect_exit 0
launch 3 bridge_modes -nx 15 -ny 4 -length 3 -width 2 -nev 6
stopped
expect_size 3
expect_value check PASS "on 3 ranks, a 15 x 4 grid of a 3 x 2 plate, 6 modes"
expect_exit 0

finish
