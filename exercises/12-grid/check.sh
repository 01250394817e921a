#!/usr/bin/env bash
# check.sh — grades lesson 12's exercise step by step: `make check`.
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

step 1 "the matrix: each bus's row of L, -g for its neighbours and their sum on the diagonal (MatSetValuesStencil)"
launch 2 grid
stopped
expect_size 2
expect_below assembly_error 1e-12 "L w - p must equal Kirchhoff's law recomputed line by line, for any voltage w: check the signs, the diagonal (shunt + lines in service), the slack bus's own row and its neighbours' right-hand side"

# Step 2 reads the same run first.
step 2 "the solver: CG with algebraic multigrid, then the command line's options (KSPCreate, KSPSetOperators, KSPSetType, KSPGetPC, PCSetType, KSPSetTolerances, KSPSetFromOptions)"
stopped
expect_size 2
if ! failed && [ "$(value solver)" = none ]; then
  fail "there is no solver: CreateSolver must create the KSP (KSPCreate) and give it L (KSPSetOperators)"
fi
expect_value solver "cg gamg" "CG (KSPSetType) with algebraic multigrid as the preconditioner (KSPGetPC, PCSetType)"
launch 2 grid -pc_type jacobi
stopped
expect_no_line '^WARNING! option' "nothing read -pc_type: call KSPSetFromOptions last"
expect_value solver "cg jacobi" "-pc_type jacobi was given"

step 3 "the solve: L v = p, why the solver stopped and after how many iterations (KSPSolve, KSPGetIterationNumber, KSPGetConvergedReason)"
launch 2 grid
stopped
expect_size 2
if ! failed && [ "$(value its)" = 0 ]; then
  fail "its = 0: nothing was solved. Call KSPSolve, then KSPGetIterationNumber and KSPGetConvergedReason"
fi
expect_close v_min 0.9618932688 1e-9 "the lowest voltage of the 40 x 20 city (MUMPS LU gives the same)"
expect_below lu_difference 1e-8 "v against a direct LU solve of the same L"
expect_value check PASS
expect_exit 0
launch 3 grid -fail_line 420,421
stopped
expect_size 3
expect_close failed_line_current 0.1275250464 1e-8 "the current on line 420-421 before it fails"
expect_value check PASS "line 420-421 out of service, on 3 ranks"
expect_exit 0

finish
