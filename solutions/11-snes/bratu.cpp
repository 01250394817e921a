/**
 * @file bratu.cpp
 * @brief Lesson 11: thermal runaway as the Bratu problem, solved with
 * Newton's method (PETSc SNES) on a distributed grid (DMDA).
 *
 * Solves  -∇²u - λ e^u = 0  on the unit square, u = 0 on the boundary: u is
 * the temperature rise of a reacting body whose walls are held at ambient
 * temperature, λ the strength of the heat release.  5-point finite
 * differences on nx × ny nodes including the boundary (hx = 1/(nx-1),
 * hy = 1/(ny-1)); the residual is scaled as in PETSc's ex5 (interior rows
 * times hx·hy, boundary rows on the same scale) and the Jacobian is analytic.
 * A solution exists only up to the turning point λ* ≈ 6.808; beyond it, the
 * heat release wins over conduction (thermal runaway) and Newton fails.
 *
 * Run: `make run NP=4 ARGS="-nx 129 -ny 129 -lambda 6 -snes_monitor"`;
 * `-help` lists the options; every SNES, KSP, PC and DMDA option works
 * (`-pc_type mg`, `-da_refine 2`, `-ksp_type cg`).
 * With `-continuation`, steps λ up from 0 towards -lambda, each solve starting
 * from the previous solution, halving the step when Newton fails, and reports
 * the last λ that converged (`fold_lambda`, the turning point to within
 * -lambda_step_min).
 *
 * Proof that it is right: `reason` is a CONVERGED_* reason, the residual of
 * the unscaled equation (`residual_rel`, relative to the heat source) is
 * tiny, u has the square's mirror symmetries (`symmetry_error`), and
 * `check = PASS`.  The tests compare `max_u` and the Newton and linear
 * iteration counts with PETSc's own ex5 on the same grid and options
 * (129 × 129: max u = 0.078098 at λ = 1, 0.797099 at λ = 6, 1.32379 at λ = 6.8).
 */
static char help[] = "Bratu problem (thermal runaway): -Laplacian u - lambda exp(u) = 0 on the unit\n"
                     "square, u = 0 on the boundary, solved with Newton's method (SNES) on a DMDA of\n"
                     "nx x ny nodes including the boundary (h = 1/(n-1)), with an analytic Jacobian.\n"
                     "A solution exists for 0 <= lambda <= 6.808 (the turning point) only.\n"
                     "Every SNES, KSP, PC and DMDA option works: -snes_monitor, -ksp_monitor,\n"
                     "-ksp_type cg, -pc_type mg, -da_refine 2, -snes_view.\n\n";

#include <petscdmda.h>
#include <petscsnes.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>

#include "petsc_cli.hpp"

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

// Application context: the parameters the callbacks need.
struct AppCtx {
  PetscReal lambda;  // strength of the heat release
};

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
  PetscFunctionReturn(0);
}

// The residual F(u) on this rank's part of the grid.  x has ghost values from
// the neighbouring ranks (DMDA fills them); f has only the owned points.
//
// Interior rows are the 5-point equation multiplied by hx*hy:
//   (hy/hx)(2u - uW - uE) + (hx/hy)(2u - uS - uN) - hx*hy*lambda*e^u.
// Unscaled, the rows would grow like 1/h^2 and the Jacobian's condition
// number with them; scaled, every row is O(1).  Boundary rows say u = 0,
// multiplied by the same diagonal 2(hy/hx + hx/hy) as an interior row, so
// that they are neither much larger nor much smaller than the rest.
// A boundary neighbour enters as its known value 0, not as x: the Jacobian
// then has no column for it and stays symmetric (CG and MG like that).
static PetscErrorCode FormFunctionLocal(DMDALocalInfo* info, PetscScalar** x, PetscScalar** f, AppCtx* user)
{
  PetscFunctionBeginUser;
  const PetscReal hx = 1.0 / (PetscReal)(info->mx - 1), hy = 1.0 / (PetscReal)(info->my - 1);
  const PetscReal ax = hy / hx, ay = hx / hy, sc = hx * hy * user->lambda;
  const PetscInt  last_i = info->mx - 1, last_j = info->my - 1;
  for (PetscInt j = info->ys; j < info->ys + info->ym; ++j) {
    for (PetscInt i = info->xs; i < info->xs + info->xm; ++i) {
      if (i == 0 || j == 0 || i == last_i || j == last_j) {
        f[j][i] = 2.0 * (ax + ay) * x[j][i];  // u = 0 on the wall
        continue;
      }
      const PetscScalar u  = x[j][i];
      const PetscScalar uw = (i - 1 == 0) ? 0.0 : x[j][i - 1];
      const PetscScalar ue = (i + 1 == last_i) ? 0.0 : x[j][i + 1];
      const PetscScalar us = (j - 1 == 0) ? 0.0 : x[j - 1][i];
      const PetscScalar un = (j + 1 == last_j) ? 0.0 : x[j + 1][i];
      f[j][i] = ax * (2.0 * u - uw - ue) + ay * (2.0 * u - us - un) - sc * PetscExpScalar(u);
    }
  }
  PetscCall(PetscLogFlops(13.0 * info->xm * info->ym));
  PetscFunctionReturn(0);
}

// The Jacobian dF/du, row by row: the 5-point Laplacian (scaled like F)
// minus hx*hy*lambda*e^u on the diagonal; boundary rows are the diagonal
// alone.  Only P (the matrix the preconditioner is built from) is filled;
// with -snes_mf_operator, J is PETSc's matrix-free operator.
static PetscErrorCode FormJacobianLocal(DMDALocalInfo* info, PetscScalar** x, Mat J, Mat P, AppCtx* user)
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
      // Neighbours on the wall are constants (u = 0): no column for them.
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
  PetscFunctionReturn(0);
}

// Independent check of a solution: the residual of the UNSCALED equation
//   (2u - uW - uE)/hx^2 + (2u - uS - uN)/hy^2 - lambda e^u
// at every interior node, with the wall values read from u itself (not
// assumed zero), relative to the largest heat source lambda e^u; and the
// largest |u| on the walls.
static PetscErrorCode CheckResidual(DM da, Vec X, const AppCtx* user, PetscReal* residual_rel, PetscReal* wall_max)
{
  DMDALocalInfo       info;
  Vec                 local;
  const PetscScalar** u;
  PetscReal           mine[3] = {0.0, 0.0, 0.0}, all[3];  // residual, source, wall

  PetscFunctionBeginUser;
  PetscCall(DMDAGetLocalInfo(da, &info));
  const PetscReal hx2 = 1.0 / PetscSqr((PetscReal)(info.mx - 1));
  const PetscReal hy2 = 1.0 / PetscSqr((PetscReal)(info.my - 1));
  PetscCall(DMGetLocalVector(da, &local));
  PetscCall(DMGlobalToLocalBegin(da, X, INSERT_VALUES, local));
  PetscCall(DMGlobalToLocalEnd(da, X, INSERT_VALUES, local));
  PetscCall(DMDAVecGetArrayRead(da, local, &u));
  for (PetscInt j = info.ys; j < info.ys + info.ym; ++j) {
    for (PetscInt i = info.xs; i < info.xs + info.xm; ++i) {
      if (i == 0 || j == 0 || i == info.mx - 1 || j == info.my - 1) {
        mine[2] = std::max(mine[2], (double)PetscAbsScalar(u[j][i]));
        continue;
      }
      const PetscReal lap = PetscRealPart((2.0 * u[j][i] - u[j][i - 1] - u[j][i + 1]) / hx2 +
                                          (2.0 * u[j][i] - u[j - 1][i] - u[j + 1][i]) / hy2);
      const PetscReal src = user->lambda * PetscExpReal(PetscRealPart(u[j][i]));
      mine[0]             = std::max(mine[0], PetscAbsReal(lap - src));
      mine[1]             = std::max(mine[1], src);
    }
  }
  PetscCall(DMDAVecRestoreArrayRead(da, local, &u));
  PetscCall(DMRestoreLocalVector(da, &local));
  PetscCallMPI(MPI_Allreduce(mine, all, 3, MPIU_REAL, MPI_MAX, PetscObjectComm((PetscObject)da)));
  *residual_rel = all[1] > 0.0 ? all[0] / all[1] : all[0];
  *wall_max     = all[2];
  PetscFunctionReturn(0);
}

// Independent check: the square's mirror symmetries.  The solution is
// gathered on rank 0 in natural (row by row) order and compared with its
// left-right and top-bottom mirror images, and with its transpose when
// nx = ny.  Returns max |u - mirror(u)| / max|u| on rank 0 (0 elsewhere).
static PetscErrorCode CheckSymmetry(DM da, Vec X, PetscReal* symmetry_error)
{
  Vec                natural, all;
  VecScatter         to_zero;
  PetscInt           mx, my;
  const PetscScalar* a;
  PetscMPIInt        rank;

  PetscFunctionBeginUser;
  *symmetry_error = 0.0;
  PetscCallMPI(MPI_Comm_rank(PetscObjectComm((PetscObject)da), &rank));
  PetscCall(DMDAGetInfo(da, NULL, &mx, &my, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL));
  PetscCall(DMDACreateNaturalVector(da, &natural));
  PetscCall(DMDAGlobalToNaturalBegin(da, X, INSERT_VALUES, natural));
  PetscCall(DMDAGlobalToNaturalEnd(da, X, INSERT_VALUES, natural));
  PetscCall(VecScatterCreateToZero(natural, &to_zero, &all));
  PetscCall(VecScatterBegin(to_zero, natural, all, INSERT_VALUES, SCATTER_FORWARD));
  PetscCall(VecScatterEnd(to_zero, natural, all, INSERT_VALUES, SCATTER_FORWARD));
  if (rank == 0) {
    PetscCall(VecGetArrayRead(all, &a));
    auto      at   = [&](PetscInt i, PetscInt j) { return PetscRealPart(a[j * mx + i]); };
    PetscReal diff = 0.0, top = 0.0;
    for (PetscInt j = 0; j < my; ++j) {
      for (PetscInt i = 0; i < mx; ++i) {
        top  = std::max(top, PetscAbsReal(at(i, j)));
        diff = std::max(diff, PetscAbsReal(at(i, j) - at(mx - 1 - i, j)));
        diff = std::max(diff, PetscAbsReal(at(i, j) - at(i, my - 1 - j)));
        if (mx == my) diff = std::max(diff, PetscAbsReal(at(i, j) - at(j, i)));
      }
    }
    PetscCall(VecRestoreArrayRead(all, &a));
    *symmetry_error = top > 0.0 ? diff / top : diff;
  }
  PetscCall(VecScatterDestroy(&to_zero));
  PetscCall(VecDestroy(&all));
  PetscCall(VecDestroy(&natural));
  PetscFunctionReturn(0);
}

// One solve at the current user->lambda from the current X; returns the
// reason and the iteration counts of this solve.
static PetscErrorCode Solve(SNES snes, Vec X, SNESConvergedReason* reason, PetscInt* newton_its, PetscInt* linear_its)
{
  PetscFunctionBeginUser;
  PetscCall(SNESSolve(snes, NULL, X));
  PetscCall(SNESGetConvergedReason(snes, reason));
  PetscCall(SNESGetIterationNumber(snes, newton_its));
  PetscCall(SNESGetLinearSolveIterations(snes, linear_its));
  PetscFunctionReturn(0);
}

int main(int argc, char** argv)
{
  PetscCall(PetscInitialize(&argc, &argv, NULL, help));

  PetscMPIInt size = 0;
  PetscCallMPI(MPI_Comm_size(PETSC_COMM_WORLD, &size));

  // Check the text of our own options first: one clean line for bad input.
  std::string error;
  const char* int_options[] = {"-nx", "-ny"};
  for (const char* name : int_options) {
    if (error.empty()) PetscCall(CheckIntOption(name, 3, 10000, &error));
  }
  if (error.empty()) PetscCall(CheckRealOption("-lambda", 0.0, 1e6, &error));
  if (error.empty()) PetscCall(CheckRealOption("-lambda_step", 1e-6, 1e6, &error));
  if (error.empty()) PetscCall(CheckRealOption("-lambda_step_min", 1e-9, 1e6, &error));
  if (!error.empty()) {
    if (error.rfind("-lambda = -", 0) == 0) error += ": the heat release lambda must be >= 0";
    PetscCall(PrintError(error));
    PetscCall(PetscFinalize());
    return 1;
  }

  AppCtx    user;
  PetscInt  nx = 65, ny = 65;
  PetscBool continuation = PETSC_FALSE;
  PetscReal step = 0.5, step_min = 1e-3;
  user.lambda    = 6.0;
  PetscOptionsBegin(PETSC_COMM_WORLD, NULL, "Bratu (thermal runaway) options", "SNES");
  PetscCall(PetscOptionsInt("-nx", "grid nodes in x, boundary included (3 to 10000)", "DMDACreate2d", nx, &nx, NULL));
  PetscCall(PetscOptionsInt("-ny", "grid nodes in y, boundary included (3 to 10000)", "DMDACreate2d", ny, &ny, NULL));
  PetscCall(PetscOptionsReal("-lambda", "heat release lambda >= 0 (with -continuation: the largest lambda to try)", "", user.lambda, &user.lambda, NULL));
  PetscCall(PetscOptionsBool("-continuation", "step lambda up from 0 towards -lambda, stopping at the turning point", "", continuation, &continuation, NULL));
  PetscCall(PetscOptionsReal("-lambda_step", "first continuation step in lambda", "", step, &step, NULL));
  PetscCall(PetscOptionsReal("-lambda_step_min", "stop halving the continuation step below this", "", step_min, &step_min, NULL));
  PetscOptionsEnd();

  // The grid: nx x ny nodes, one unknown per node, 5-point (star) stencil of
  // width 1; PETSC_DECIDE lets PETSc split it into a 2-D grid of ranks.
  // DMSetFromOptions reads -da_refine, -da_grid_x, -da_processors_x, ...
  DM da;
  PetscCall(DMDACreate2d(PETSC_COMM_WORLD, DM_BOUNDARY_NONE, DM_BOUNDARY_NONE, DMDA_STENCIL_STAR, nx, ny,
                         PETSC_DECIDE, PETSC_DECIDE, 1, 1, NULL, NULL, &da));
  PetscCall(DMSetFromOptions(da));
  PetscCall(DMSetUp(da));
  PetscCall(DMDAGetInfo(da, NULL, &nx, &ny, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL));

  // The nonlinear solver knows the grid: it creates the Jacobian with the
  // right sparsity, and multigrid (-pc_type mg) can coarsen it.
  SNES snes;
  Vec  x;
  PetscCall(SNESCreate(PETSC_COMM_WORLD, &snes));
  PetscCall(SNESSetDM(snes, da));
  PetscCall(DMDASNESSetFunctionLocal(da, INSERT_VALUES, (DMDASNESFunctionFn*)FormFunctionLocal, &user));
  PetscCall(DMDASNESSetJacobianLocal(da, (DMDASNESJacobianFn*)FormJacobianLocal, &user));
  if (continuation) {
    // Past the turning point Newton cannot converge, and on a nearly singular
    // Jacobian GMRES would run to its default 10000 iterations before giving
    // up.  A solve that starts close to the answer needs a few Newton steps:
    // give up early and halve the step instead.  (Defaults only: the
    // command line, read next, still wins.)
    KSP ksp;
    PetscCall(SNESSetTolerances(snes, PETSC_DEFAULT, PETSC_DEFAULT, PETSC_DEFAULT, 12, PETSC_DEFAULT));
    PetscCall(SNESGetKSP(snes, &ksp));
    PetscCall(KSPSetTolerances(ksp, PETSC_DEFAULT, PETSC_DEFAULT, PETSC_DEFAULT, 1000));
  }
  PetscCall(SNESSetFromOptions(snes));  // -snes_type, -snes_monitor, -ksp_type, -pc_type, ...
  PetscCall(DMCreateGlobalVector(da, &x));

  SNESType snes_type;
  KSPType  ksp_type;
  PCType   pc_type;
  KSP      ksp;
  PC       pc;
  PetscCall(SNESGetType(snes, &snes_type));
  PetscCall(SNESGetKSP(snes, &ksp));
  PetscCall(KSPGetPC(ksp, &pc));

  PetscCallMPI(MPI_Barrier(PETSC_COMM_WORLD));
  const double t0 = MPI_Wtime();

  SNESConvergedReason reason     = SNES_CONVERGED_ITERATING;
  PetscInt            newton_its = 0, linear_its = 0;
  PetscReal           fold_lambda = -1.0, fold_estimate = -1.0;
  if (!continuation) {
    PetscCall(FormInitialGuess(da, &user, x));
    PetscCall(Solve(snes, x, &reason, &newton_its, &linear_its));
  } else {
    // Natural continuation: u = 0 solves lambda = 0 exactly; each next solve
    // starts from the previous solution, which is close when the step is
    // small.  A failed solve means the step jumped past the turning point
    // (or too close to it): go back and halve the step.
    const PetscReal target = user.lambda;
    PetscReal       lambda = 0.0, max_u = 0.0;
    PetscInt        steps = 0;
    PetscReal       last_m[3] = {0, 0, 0}, last_l[3] = {0, 0, 0};  // the last three (max u, lambda)
    Vec             saved;
    PetscCall(VecDuplicate(x, &saved));
    PetscCall(VecSet(x, 0.0));
    reason = SNES_CONVERGED_FNORM_ABS;
    PetscCall(PetscPrintf(PETSC_COMM_WORLD, "continuation from lambda = 0 towards %.4f, first step %.4f\n", (double)target, (double)step));
    PetscCall(PetscPrintf(PETSC_COMM_WORLD, "  step %3d  lambda %.6f  max_u %.6f  newton_its %3d  linear_its %5d\n", 0, 0.0, 0.0, 0, 0));
    while (lambda < target && step >= step_min) {
      const PetscReal     trial = PetscMin(lambda + step, target);
      SNESConvergedReason r;
      PetscInt            nits, lits;
      user.lambda = trial;
      PetscCall(VecCopy(x, saved));
      PetscCall(Solve(snes, x, &r, &nits, &lits));
      if (r > 0) {
        lambda = trial;
        reason = r;
        newton_its += nits;
        linear_its += lits;
        PetscCall(VecMax(x, NULL, &max_u));
        last_m[0] = last_m[1]; last_m[1] = last_m[2]; last_m[2] = max_u;
        last_l[0] = last_l[1]; last_l[1] = last_l[2]; last_l[2] = lambda;
        PetscCall(PetscPrintf(PETSC_COMM_WORLD, "  step %3" PetscInt_FMT "  lambda %.6f  max_u %.6f  newton_its %3" PetscInt_FMT "  linear_its %5" PetscInt_FMT "\n",
                              ++steps, (double)lambda, (double)max_u, nits, lits));
      } else {
        PetscCall(VecCopy(saved, x));  // back to the last solution
        step /= 2;
      }
    }
    PetscCall(VecDestroy(&saved));
    user.lambda = lambda;  // x solves the problem at this lambda
    if (lambda < target && steps >= 3) {
      // Near the turning point lambda(max u) is a parabola with its top at
      // the fold: fit one through the last three points and take its top.
      fold_lambda       = lambda;
      const PetscReal d1 = (last_l[1] - last_l[0]) / (last_m[1] - last_m[0]);
      const PetscReal d2 = (last_l[2] - last_l[1]) / (last_m[2] - last_m[1]);
      const PetscReal a  = (d2 - d1) / (last_m[2] - last_m[0]);  // lambda = a m^2 + b m + c
      if (a < 0.0) {
        const PetscReal b = d1 - a * (last_m[0] + last_m[1]);
        const PetscReal c = last_l[0] - (a * last_m[0] + b) * last_m[0];
        fold_estimate     = c - b * b / (4.0 * a);
      }
    }
  }
  PetscCallMPI(MPI_Barrier(PETSC_COMM_WORLD));
  const double time_s = MPI_Wtime() - t0;

  if (reason < 0) {
    // No solution: tell the learner why in one line, free everything, exit 1.
    char message[256];
    if (user.lambda > kTurningPoint)
      std::snprintf(message, sizeof(message), "no solution: λ = %g is beyond the turning point (≈ %g); Newton stopped with %s",
                    (double)user.lambda, (double)kTurningPoint, SNESConvergedReasons[reason]);
    else
      std::snprintf(message, sizeof(message), "Newton did not converge at λ = %g (%s); rerun with -snes_monitor -snes_converged_reason",
                    (double)user.lambda, SNESConvergedReasons[reason]);
    PetscCall(PrintError(message));
    PetscCall(VecDestroy(&x));
    PetscCall(SNESDestroy(&snes));
    PetscCall(DMDestroy(&da));
    PetscCall(PetscFinalize());
    return 1;
  }

  PetscReal max_u = 0.0, residual_rel = 0.0, wall_max = 0.0, symmetry_error = 0.0;
  PetscCall(VecMax(x, NULL, &max_u));
  PetscCall(CheckResidual(da, x, &user, &residual_rel, &wall_max));
  PetscCall(CheckSymmetry(da, x, &symmetry_error));
  PetscCall(KSPGetType(ksp, &ksp_type));
  PetscCall(PCGetType(pc, &pc_type));
  // The walls hold u = 0 through their own equations, solved to the same
  // relative tolerance as the rest: |u| there is judged against max u.
  const bool pass = residual_rel < 1e-6 && wall_max < 1e-6 * PetscMax(max_u, 1.0) && symmetry_error < 1e-6;

  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "Solved the Bratu problem -Laplacian u - lambda e^u = 0 on %" PetscInt_FMT " x %" PetscInt_FMT " nodes, %d rank%s\n", nx, ny, size, size > 1 ? "s" : ""));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "size = %d\n", size));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "nx = %" PetscInt_FMT "\n", nx));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "ny = %" PetscInt_FMT "\n", ny));
  char lambda_text[32];  // PetscPrintf's %g writes 6 as "6."; the C library's does not
  std::snprintf(lambda_text, sizeof(lambda_text), "%.10g", (double)user.lambda);
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "lambda = %s\n", lambda_text));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "solver = %s %s %s\n", snes_type, ksp_type, pc_type));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "reason = %s\n", SNESConvergedReasons[reason]));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "newton_its = %" PetscInt_FMT "\n", newton_its));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "linear_its = %" PetscInt_FMT "\n", linear_its));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "max_u = %.8f\n", (double)max_u));
  if (continuation) {
    if (fold_lambda >= 0.0) {
      PetscCall(PetscPrintf(PETSC_COMM_WORLD, "fold_lambda = %.6f\n", (double)fold_lambda));
      PetscCall(PetscPrintf(PETSC_COMM_WORLD, "fold_estimate = %.6f\n", (double)fold_estimate));
    } else {
      PetscCall(PetscPrintf(PETSC_COMM_WORLD, "fold_lambda = not reached\n"));
    }
  }
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "residual_rel = %.2e\n", (double)residual_rel));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "wall_max = %.2e\n", (double)wall_max));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "symmetry_error = %.2e\n", (double)symmetry_error));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "check = %s\n", pass ? "PASS" : "FAIL"));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "time_s = %.6f\n", time_s));

  PetscCall(VecDestroy(&x));
  PetscCall(SNESDestroy(&snes));
  PetscCall(DMDestroy(&da));
  PetscCall(WarnUnusedOptions());
  PetscCall(PetscFinalize());
  return 0;
}
