#!/usr/bin/env bash
# check.sh — grades lesson 11's exercise step by step: `make check`.
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

step 1 "the Newton solver: a SNES on the grid, with the residual, the Jacobian and the command line's options (SNESCreate, SNESSetDM, DMDASNESSetFunctionLocal, DMDASNESSetJacobianLocal, SNESSetFromOptions)"
launch 2 bratu -nx 17 -ny 17 -snes_type newtontr -ksp_type cg
stopped
expect_size 2
if ! failed && [ "$(value solver)" = none ]; then
  fail "there is no solver: CreateSolver must create the SNES (SNESCreate) and give it the grid (SNESSetDM)"
fi
expect_no_line '^WARNING! option' "nothing read the options: call SNESSetFromOptions last"
expect_value solver "newtontr cg bjacobi" "-snes_type newtontr -ksp_type cg were given; on 2 ranks the preconditioner is block Jacobi"

step 2 "the solve: from the initial guess, then why Newton stopped and how many iterations (SNESSolve, SNESGetConvergedReason, SNESGetIterationNumber, SNESGetLinearSolveIterations)"
launch 2 bratu -nx 17 -ny 17
stopped
expect_size 2
expect_no_line '^reason = CONVERGED_ITERATING$' "the reason says nothing was solved: call SNESSolve, then SNESGetConvergedReason"
expect_line '^reason = CONVERGED_' "Newton should converge (SNESGetConvergedReason gives why it stopped)"

step 3 "the residual: the interior rows of F(u) (FormFunctionLocal)"
launch 1 bratu -nx 33 -ny 33
stopped
expect_size 1
expect_below residual_rel 1e-6 "the unscaled equation, recomputed from u, is not solved: is the heat release hx*hy*lambda*e^u subtracted, are the neighbours and the signs right?"
expect_close max_u 0.79695 1e-5 "max u of PETSc's own ex5 on the same 33 x 33 grid at lambda = 6"
expect_value newton_its 3 "with the exact residual and Jacobian, Newton converges in 3 steps"
expect_value check PASS
expect_exit 0
launch 3 bratu -nx 33 -ny 17 -lambda 5
stopped
expect_size 3
expect_value check PASS "a 33 x 17 grid on 3 ranks, lambda = 5"
expect_exit 0

finish
