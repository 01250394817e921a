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
  PetscCall(TaoCreate(PETSC_COMM_SELF, tao));  // each rank fits its voxels on its own
  PetscCall(TaoSetType(*tao, s.type));
  PetscCall(TaoSetObjectiveAndGradient(*tao, NULL, FormFunctionGradient, user));
  PetscCall(TaoSetHessian(*tao, H, H, FormHessian, user));
  PetscCall(TaoSetSolution(*tao, x));
  PetscCall(TaoSetTolerances(*tao, s.gatol, 0.0, 0.0));
  PetscCall(TaoSetMaximumIterations(*tao, s.max_it));
  PetscCall(TaoSetFromOptions(*tao));
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
  PetscCall(TaoSolve(tao));
  PetscCall(TaoGetConvergedReason(tao, reason));
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
  Vec      lower, upper;
  PetscInt n;
  PetscCall(VecGetLocalSize(x, &n));
  PetscCall(VecDuplicate(x, &lower));
  PetscCall(VecDuplicate(x, &upper));
  for (PetscInt k = 0; k < n; ++k) {
    PetscCall(VecSetValue(lower, k, s.lower[k], INSERT_VALUES));
    PetscCall(VecSetValue(upper, k, s.upper[k], INSERT_VALUES));
  }
  PetscCall(VecAssemblyBegin(lower));
  PetscCall(VecAssemblyEnd(lower));
  PetscCall(VecAssemblyBegin(upper));
  PetscCall(VecAssemblyEnd(upper));
  PetscCall(TaoSetVariableBounds(tao, lower, upper));
  PetscCall(VecDestroy(&lower));  // Tao keeps its own reference
  PetscCall(VecDestroy(&upper));
  // <<< step 3
  PetscFunctionReturn(PETSC_SUCCESS);
}
