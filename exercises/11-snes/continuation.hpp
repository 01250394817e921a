// continuation.hpp — lesson 11's -continuation: trace max u against lambda
// up to the turning point.
//
// Natural continuation: u = 0 solves lambda = 0 exactly; each next solve
// starts from the previous solution, which is close when the step is small.
// A failed solve means the step jumped past the turning point (or too close
// to it): go back to the last solution and halve the step, down to
// -lambda_step_min.  The last lambda that converged is `fold_lambda`; a
// parabola lambda(max u) through the last three solutions has its top at
// `fold_estimate`.
#pragma once

#include <petscsnes.h>

#include "bratu_problem.hpp"

typedef PetscErrorCode (*SolveFn)(SNES snes, Vec x, Result* result);

static PetscErrorCode Continuation(SNES snes, Vec x, AppCtx* user, SolveFn solve, Result* result)
{
  const PetscReal target = user->lambda;
  PetscReal       lambda = 0.0, step = user->step, max_u = 0.0;
  PetscInt        steps  = 0;
  PetscReal       last_m[3] = {0, 0, 0}, last_l[3] = {0, 0, 0};  // the last three (max u, lambda)
  Vec             saved;

  PetscFunctionBeginUser;
  PetscCall(VecDuplicate(x, &saved));
  PetscCall(VecSet(x, 0.0));
  result->reason = SNES_CONVERGED_FNORM_ABS;  // u = 0 at lambda = 0
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "continuation from lambda = 0 towards %.4f, first step %.4f\n",
                        (double)target, (double)step));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "  step %3d  lambda %.6f  max_u %.6f  newton_its %3d  linear_its %5d\n", 0,
                        0.0, 0.0, 0, 0));
  while (lambda < target && step >= user->step_min) {
    const PetscReal trial = PetscMin(lambda + step, target);
    Result          r;
    user->lambda = trial;
    PetscCall(VecCopy(x, saved));
    PetscCall(solve(snes, x, &r));
    if (r.reason <= 0) {  // no solution this far: back to the last one, smaller step
      PetscCall(VecCopy(saved, x));
      step /= 2;
      continue;
    }
    lambda         = trial;
    result->reason = r.reason;
    result->newton_its += r.newton_its;
    result->linear_its += r.linear_its;
    PetscCall(VecMax(x, NULL, &max_u));
    last_m[0] = last_m[1]; last_m[1] = last_m[2]; last_m[2] = max_u;
    last_l[0] = last_l[1]; last_l[1] = last_l[2]; last_l[2] = lambda;
    PetscCall(PetscPrintf(PETSC_COMM_WORLD,
                          "  step %3" PetscInt_FMT "  lambda %.6f  max_u %.6f  newton_its %3" PetscInt_FMT
                          "  linear_its %5" PetscInt_FMT "\n",
                          ++steps, (double)lambda, (double)max_u, r.newton_its, r.linear_its));
  }
  PetscCall(VecDestroy(&saved));
  user->lambda = lambda;  // x solves the problem at this lambda
  if (lambda < target && steps >= 3) {
    // Near the turning point lambda(max u) is a parabola with its top at the
    // fold: fit one through the last three points and take its top.
    result->fold_lambda = lambda;
    const PetscReal d1  = (last_l[1] - last_l[0]) / (last_m[1] - last_m[0]);
    const PetscReal d2  = (last_l[2] - last_l[1]) / (last_m[2] - last_m[1]);
    const PetscReal a   = (d2 - d1) / (last_m[2] - last_m[0]);  // lambda = a m^2 + b m + c
    if (a < 0.0) {
      const PetscReal b     = d1 - a * (last_m[0] + last_m[1]);
      const PetscReal c     = last_l[0] - (a * last_m[0] + b) * last_m[0];
      result->fold_estimate = c - b * b / (4.0 * a);
    }
  }
  PetscFunctionReturn(PETSC_SUCCESS);
}
