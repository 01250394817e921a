// bratu_problem.hpp — lesson 11's problem around the residual: the options,
// the grid (a DMDA), the initial guess and the Jacobian, and what a solve
// reports back.
//
// The grid has nx × ny nodes including the boundary, hx = 1/(nx-1),
// hy = 1/(ny-1).  The residual (bratu.cpp, FormFunctionLocal) is scaled as in
// PETSc's ex5: interior rows times hx·hy, boundary rows u = 0 times the same
// diagonal 2(hy/hx + hx/hy); the Jacobian here is its exact derivative.
#pragma once

#include <petscdmda.h>
#include <petscsnes.h>

#include "dmda_layout.hpp"
#include "petsc_errors.hpp"

// PETSc 3.21 named the types of the local callbacks DMDASNESFunctionFn and
// DMDASNESJacobianFn (function types: cast to a pointer to them); older PETSc
// has only the pointer types DMDASNESFunction and DMDASNESJacobian.
#if !PETSC_VERSION_GE(3, 21, 0)
typedef PetscErrorCode DMDASNESFunctionFn(DMDALocalInfo*, void*, void*, void*);
typedef PetscErrorCode DMDASNESJacobianFn(DMDALocalInfo*, void*, Mat, Mat, void*);
#endif

// The turning point of the continuous problem (and of the 129 x 129 grid):
// no solution exists for a larger lambda.
static const PetscReal kTurningPoint = 6.808;

// Application context: the parameters (the callbacks need lambda).
struct AppCtx {
  PetscInt  nx, ny;          // grid nodes, boundary included, as the DMDA has them
  PetscReal lambda;          // strength of the heat release
  PetscBool continuation;    // step lambda up from 0 instead of one solve
  PetscReal step, step_min;  // first continuation step, and the smallest
};

// What a solve (or a whole continuation) reports.
struct Result {
  SNESConvergedReason reason     = SNES_CONVERGED_ITERATING;  // > 0 converged, < 0 diverged, 0 not solved
  PetscInt            newton_its = 0, linear_its = 0;
  PetscReal           fold_lambda = -1.0, fold_estimate = -1.0;  // continuation: the turning point
};

// The program's own options, each checked where it is read.
static PetscErrorCode ReadOptions(AppCtx* user)
{
  PetscFunctionBeginUser;
  *user = AppCtx{65, 65, 6.0, PETSC_FALSE, 0.5, 1e-3};
  PetscOptionsBegin(PETSC_COMM_WORLD, NULL, "Bratu (thermal runaway) options", "SNES");
  PetscCall(PetscOptionsInt("-nx", "grid nodes in x, boundary included, 3 to 10000 (also -da_grid_x, -da_refine)",
                            "DMDACreate2d", user->nx, &user->nx, NULL));
  PetscCheck(user->nx >= 3 && user->nx <= 10000, PETSC_COMM_WORLD, PETSC_ERR_USER_INPUT,
             "-nx = %" PetscInt_FMT " is out of range [3, 10000]", user->nx);
  PetscCall(PetscOptionsInt("-ny", "grid nodes in y, boundary included, 3 to 10000 (also -da_grid_y, -da_refine)",
                            "DMDACreate2d", user->ny, &user->ny, NULL));
  PetscCheck(user->ny >= 3 && user->ny <= 10000, PETSC_COMM_WORLD, PETSC_ERR_USER_INPUT,
             "-ny = %" PetscInt_FMT " is out of range [3, 10000]", user->ny);
  PetscCall(PetscOptionsReal("-lambda", "heat release lambda >= 0 (with -continuation: the largest lambda to try)", "",
                             user->lambda, &user->lambda, NULL));
  PetscCheck(user->lambda >= 0.0 && user->lambda <= 1e6, PETSC_COMM_WORLD, PETSC_ERR_USER_INPUT,
             "-lambda = %.6g is out of range [0, 1e+06]: the heat release lambda must be >= 0", (double)user->lambda);
  PetscCall(PetscOptionsBool("-continuation", "step lambda up from 0 towards -lambda, stopping at the turning point",
                             "", user->continuation, &user->continuation, NULL));
  PetscCall(PetscOptionsReal("-lambda_step", "first continuation step in lambda, 1e-6 to 1e6", "", user->step,
                             &user->step, NULL));
  PetscCheck(user->step >= 1e-6 && user->step <= 1e6, PETSC_COMM_WORLD, PETSC_ERR_USER_INPUT,
             "-lambda_step = %.6g is out of range [1e-06, 1e+06]", (double)user->step);
  PetscCall(PetscOptionsReal("-lambda_step_min", "stop halving the continuation step below this, 1e-9 to 1e6", "",
                             user->step_min, &user->step_min, NULL));
  PetscCheck(user->step_min >= 1e-9 && user->step_min <= 1e6, PETSC_COMM_WORLD, PETSC_ERR_USER_INPUT,
             "-lambda_step_min = %.6g is out of range [1e-09, 1e+06]", (double)user->step_min);
  PetscOptionsEnd();

  if (user->continuation) {
    // Past the turning point Newton cannot converge, and on a nearly singular
    // Jacobian GMRES would run to its default 10000 iterations before giving
    // up.  A solve that starts close to the answer needs a few Newton steps:
    // give up early and halve the step instead.  Defaults only: an option
    // given on the command line wins.
    PetscBool set;
    PetscCall(PetscOptionsHasName(NULL, NULL, "-snes_max_it", &set));
    if (!set) PetscCall(PetscOptionsSetValue(NULL, "-snes_max_it", "12"));
    PetscCall(PetscOptionsHasName(NULL, NULL, "-ksp_max_it", &set));
    if (!set) PetscCall(PetscOptionsSetValue(NULL, "-ksp_max_it", "1000"));
  }
  PetscFunctionReturn(PETSC_SUCCESS);
}

// The grid: nx × ny nodes, one unknown per node, 5-point (star) stencil of
// width 1; PETSC_DECIDE lets PETSc split it into a 2-D grid of ranks.
// DMSetFromOptions reads -da_grid_x, -da_refine, -da_processors_x, ...: the
// size is read back from the DMDA, and the callbacks take theirs from it too.
static PetscErrorCode CreateGrid(AppCtx* user, DM* da)
{
  PetscFunctionBeginUser;
  PetscCall(DMDACreate2d(PETSC_COMM_WORLD, DM_BOUNDARY_NONE, DM_BOUNDARY_NONE, DMDA_STENCIL_STAR, user->nx, user->ny,
                         PETSC_DECIDE, PETSC_DECIDE, 1, 1, NULL, NULL, da));
  PetscCall(DMSetFromOptions(*da));
  PetscCall(DMDAGetInfo(*da, NULL, &user->nx, &user->ny, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL));
  PetscCheck(user->nx >= 3 && user->ny >= 3 && user->nx <= 10000 && user->ny <= 10000, PETSC_COMM_WORLD,
             PETSC_ERR_USER_INPUT,
             "the grid has %" PetscInt_FMT " x %" PetscInt_FMT " nodes: each side needs 3 to 10000, boundary included",
             user->nx, user->ny);
  PetscCall(SetUpGridChecked(*da));
  PetscFunctionReturn(PETSC_SUCCESS);
}

// Initial guess (the classic one for Bratu, as in MINPACK-2 and PETSc's ex5):
// u0 = lambda/(lambda+1) * sqrt(distance to the nearest wall, measured along
// the grid lines), zero on the boundary.
static PetscErrorCode FormInitialGuess(DM da, const AppCtx* user, Vec X)
{
  DMDALocalInfo info;
  PetscScalar** u;

  PetscFunctionBeginUser;
  PetscCall(DMDAGetLocalInfo(da, &info));
  const PetscReal hx    = 1.0 / (PetscReal)(info.mx - 1);
  const PetscReal hy    = 1.0 / (PetscReal)(info.my - 1);
  const PetscReal scale = user->lambda / (user->lambda + 1.0);
  PetscCall(DMDAVecGetArray(da, X, &u));
  for (PetscInt j = info.ys; j < info.ys + info.ym; ++j) {
    const PetscReal dy = (PetscReal)PetscMin(j, info.my - 1 - j) * hy;
    for (PetscInt i = info.xs; i < info.xs + info.xm; ++i) {
      const PetscReal dx = (PetscReal)PetscMin(i, info.mx - 1 - i) * hx;
      u[j][i]            = scale * PetscSqrtReal(PetscMin(dx, dy));  // 0 on the walls
    }
  }
  PetscCall(DMDAVecRestoreArray(da, X, &u));
  PetscFunctionReturn(PETSC_SUCCESS);
}

// The Jacobian dF/du, row by row: the 5-point Laplacian (scaled like F)
// minus hx*hy*lambda*e^u on the diagonal; boundary rows are the diagonal
// alone.  A neighbour on the wall is a constant (u = 0): no column for it, so
// the Jacobian stays symmetric (CG and multigrid like that).  Only P (the
// matrix the preconditioner is built from) is filled; with
// -snes_mf_operator, J is PETSc's matrix-free operator.
static inline PetscErrorCode FormJacobianLocal(DMDALocalInfo* info, PetscScalar** x, Mat J, Mat P, AppCtx* user)
{
  PetscFunctionBeginUser;
  const PetscReal hx = 1.0 / (PetscReal)(info->mx - 1), hy = 1.0 / (PetscReal)(info->my - 1);
  const PetscReal ax = hy / hx, ay = hx / hy, sc = hx * hy * user->lambda;
  const PetscInt  last_i = info->mx - 1, last_j = info->my - 1;
  for (PetscInt j = info->ys; j < info->ys + info->ym; ++j) {
    for (PetscInt i = info->xs; i < info->xs + info->xm; ++i) {
      MatStencil  row = {0, j, i, 0}, col[5];
      PetscScalar v[5];
      PetscInt    n = 0;
      if (i == 0 || j == 0 || i == last_i || j == last_j) {
        v[0] = 2.0 * (ax + ay);
        PetscCall(MatSetValuesStencil(P, 1, &row, 1, &row, v, INSERT_VALUES));
        continue;
      }
      if (j - 1 != 0) { col[n] = {0, j - 1, i, 0}; v[n++] = -ay; }
      if (i - 1 != 0) { col[n] = {0, j, i - 1, 0}; v[n++] = -ax; }
      col[n] = row;
      v[n++] = 2.0 * (ax + ay) - sc * PetscExpScalar(x[j][i]);
      if (i + 1 != last_i) { col[n] = {0, j, i + 1, 0}; v[n++] = -ax; }
      if (j + 1 != last_j) { col[n] = {0, j + 1, i, 0}; v[n++] = -ay; }
      PetscCall(MatSetValuesStencil(P, 1, &row, n, col, v, INSERT_VALUES));
    }
  }
  PetscCall(MatAssemblyBegin(P, MAT_FINAL_ASSEMBLY));
  PetscCall(MatAssemblyEnd(P, MAT_FINAL_ASSEMBLY));
  if (J != P) {
    PetscCall(MatAssemblyBegin(J, MAT_FINAL_ASSEMBLY));
    PetscCall(MatAssemblyEnd(J, MAT_FINAL_ASSEMBLY));
  }
  PetscFunctionReturn(PETSC_SUCCESS);
}
