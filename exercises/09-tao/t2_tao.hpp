// t2_tao.hpp — lesson 09's optimiser: one Tao set up for the fits, and one
// fit of one voxel.  All three programs (t2_fit, t2_map, t2_extensions) use it.
//
// Tao minimises f(p) (t2_objective.hpp) over the parameters p = (A, T2) (or
// (A1, T21, A2, T22)) from a start, with the method of -tao_type, until the
// gradient is small.  One Tao serves any number of voxels: point the context
// at the next voxel's signal and call FitVoxel again.
#pragma once

#include <petsctao.h>

#include "t2_objective.hpp"
#include "tao_checks.hpp"

// How a program wants its fits done.
struct TaoSettings {
  TaoType       type   = TAOLMVM;  // the default method; -tao_type overrides it
  PetscReal     gatol  = 1e-10;    // stop when |gradient| < gatol ...
  PetscInt      max_it = 1000;     // ... or give up after max_it iterations
  const double* lower  = nullptr;  // bounds of the parameters (nparam values each), or none
  const double* upper  = nullptr;
};

inline PetscErrorCode SetBounds(Tao tao, Vec x, const TaoSettings& s);

// One Tao for the fits of a program: its method, what to minimise, where to
// start, when to stop, the bounds; then the command line has the last word.
inline PetscErrorCode CreateTao(AppCtx* user, Vec x, Mat H, const TaoSettings& s, Tao* tao)
{
  PetscFunctionBeginUser;
  // >>> step 1: create the optimiser and give it the problem
  // TODO 1: create one Tao for this rank alone (PETSC_COMM_SELF: every rank
  //         fits its own voxels) and give it the problem: the default method
  //         s.type; the objective with its gradient (FormFunctionGradient) and
  //         the Hessian (FormHessian, assembled into H), both with the context
  //         `user`; and x, where each fit starts and ends.  Stop when
  //         |gradient| < s.gatol (the two relative tolerances 0) or after
  //         s.max_it iterations.  Last, let the command line (-tao_type,
  //         -tao_max_it, ...) override any of it.
  //         Hint: TaoCreate, TaoSetType, TaoSetObjectiveAndGradient,
  //         TaoSetHessian, TaoSetSolution, TaoSetTolerances,
  //         TaoSetMaximumIterations, TaoSetFromOptions.
  *tao = NULL;  // placeholder: no optimiser yet
  // <<< step 1
  PetscCall(CheckTaoType(*tao));  // one error line for a method that cannot fit this problem
  if (s.lower) PetscCall(SetBounds(*tao, x, s));
  PetscFunctionReturn(PETSC_SUCCESS);
}

// Fit the voxel user->signal points at, from `start`; the fitted parameters
// go to p.  reason > 0: Tao converged; <= 0: it stopped without converging.
inline PetscErrorCode FitVoxel(Tao tao, Vec x, const double* start, double* p, TaoConvergedReason* reason)
{
  PetscInt     n;
  PetscScalar* xa;

  PetscFunctionBeginUser;
  PetscCall(VecGetLocalSize(x, &n));
  PetscCall(VecGetArray(x, &xa));
  for (PetscInt k = 0; k < n; ++k) xa[k] = start[k];
  PetscCall(VecRestoreArray(x, &xa));
  // >>> step 2: solve, and ask Tao why it stopped
  // TODO 2: run the optimiser from x (the start is already in it), then ask
  //         it why it stopped and put that in *reason (> 0: it converged).
  //         Hint: TaoSolve, TaoGetConvergedReason.
  *reason = TAO_CONTINUE_ITERATING;  // placeholder: not solved
  // <<< step 2
  PetscCall(VecGetArray(x, &xa));
  for (PetscInt k = 0; k < n; ++k) p[k] = PetscRealPart(xa[k]);
  PetscCall(VecRestoreArray(x, &xa));
  PetscFunctionReturn(PETSC_SUCCESS);
}

// The physical bounds s.lower <= p <= s.upper (e.g. A >= 0, T2 >= 1 ms).
inline PetscErrorCode SetBounds(Tao tao, Vec x, const TaoSettings& s)
{
  PetscFunctionBeginUser;
  // >>> step 3: keep the parameters physical
  // TODO 3: give Tao the bounds s.lower[k] <= p_k <= s.upper[k]: two vectors
  //         shaped like x, filled from s.lower and s.upper.  Tao keeps its own
  //         reference to them, so destroy yours afterwards (-malloc_dump
  //         reports a vector nobody destroyed).
  //         Hint: VecDuplicate, VecSetValue, VecAssemblyBegin/End,
  //         TaoSetVariableBounds, VecDestroy.
  (void)tao, (void)x;  // placeholder: no bounds
  // <<< step 3
  PetscFunctionReturn(PETSC_SUCCESS);
}
