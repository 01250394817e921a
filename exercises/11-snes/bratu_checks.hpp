// bratu_checks.hpp — how lesson 11 knows its answer is right, and what it
// prints: the residual of the unscaled equation recomputed from u alone, the
// square's mirror symmetries, and the report (`name = value` lines, or one
// `error:` line when Newton found no solution).
#pragma once

#include <petscdmda.h>
#include <petscsnes.h>

#include <algorithm>
#include <cstdio>

#include "bratu_problem.hpp"

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
  PetscFunctionReturn(PETSC_SUCCESS);
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
  PetscFunctionReturn(PETSC_SUCCESS);
}

// The solver's types in words ("none" when there is no solver).
static PetscErrorCode SolverName(SNES snes, char* name, size_t len)
{
  SNESType snes_type;
  KSPType  ksp_type;
  PCType   pc_type;
  KSP      ksp;
  PC       pc;

  PetscFunctionBeginUser;
  PetscCall(PetscSNPrintf(name, len, "none"));
  if (!snes) PetscFunctionReturn(PETSC_SUCCESS);
  PetscCall(SNESGetType(snes, &snes_type));
  PetscCall(SNESGetKSP(snes, &ksp));
  PetscCall(KSPGetType(ksp, &ksp_type));
  PetscCall(KSPGetPC(ksp, &pc));
  PetscCall(PCGetType(pc, &pc_type));
  PetscCall(PetscSNPrintf(name, len, "%s %s %s", snes_type ? snes_type : "unset", ksp_type ? ksp_type : "unset",
                          pc_type ? pc_type : "unset"));
  PetscFunctionReturn(PETSC_SUCCESS);
}

// Check the solution x and print the report; *pass says whether the checks
// hold.  Newton without a solution is one `error:` line, nothing else.
static PetscErrorCode Report(SNES snes, DM da, Vec x, const AppCtx* user, const Result* r, double time_s,
                             PetscBool* pass)
{
  PetscMPIInt size;
  char        solver[128], text[256];
  PetscReal   max_u = 0.0, residual_rel = 0.0, wall_max = 0.0, symmetry_error = 0.0;

  PetscFunctionBeginUser;
  *pass = PETSC_FALSE;
  if (r->reason < 0) {
    if (user->lambda > kTurningPoint)
      std::snprintf(text, sizeof(text), "no solution: λ = %g is beyond the turning point (≈ %g); Newton stopped with %s",
                    (double)user->lambda, (double)kTurningPoint, SNESConvergedReasons[r->reason]);
    else
      std::snprintf(text, sizeof(text), "Newton did not converge at λ = %g (%s); rerun with -snes_monitor -snes_converged_reason",
                    (double)user->lambda, SNESConvergedReasons[r->reason]);
    PetscCall(PetscFPrintf(PETSC_COMM_WORLD, PETSC_STDERR, "error: %s\n", text));
    PetscFunctionReturn(PETSC_SUCCESS);
  }
  PetscCallMPI(MPI_Comm_size(PETSC_COMM_WORLD, &size));
  PetscCall(SolverName(snes, solver, sizeof(solver)));
  PetscCall(VecMax(x, NULL, &max_u));
  PetscCall(CheckResidual(da, x, user, &residual_rel, &wall_max));
  PetscCall(CheckSymmetry(da, x, &symmetry_error));
  // The walls hold u = 0 through their own equations, solved to the same
  // relative tolerance as the rest: |u| there is judged against max u.
  PetscCallMPI(MPI_Bcast(&symmetry_error, 1, MPIU_REAL, 0, PETSC_COMM_WORLD));  // rank 0 computed it
  *pass = r->reason > 0 && residual_rel < 1e-6 && wall_max < 1e-6 * PetscMax(max_u, 1.0) && symmetry_error < 1e-6
            ? PETSC_TRUE
            : PETSC_FALSE;

  PetscCall(PetscPrintf(PETSC_COMM_WORLD,
                        "Solved the Bratu problem -Laplacian u - lambda e^u = 0 on %" PetscInt_FMT " x %" PetscInt_FMT
                        " nodes, %d rank%s\n",
                        user->nx, user->ny, size, size > 1 ? "s" : ""));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "size = %d\nnx = %" PetscInt_FMT "\nny = %" PetscInt_FMT "\n", size, user->nx,
                        user->ny));
  std::snprintf(text, sizeof(text), "%.10g", (double)user->lambda);  // PetscPrintf's %g writes 6 as "6."
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "lambda = %s\nsolver = %s\nreason = %s\n", text, solver,
                        SNESConvergedReasons[r->reason]));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "newton_its = %" PetscInt_FMT "\nlinear_its = %" PetscInt_FMT "\n",
                        r->newton_its, r->linear_its));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "max_u = %.8f\n", (double)max_u));
  if (user->continuation) {
    if (r->fold_lambda >= 0.0)
      PetscCall(PetscPrintf(PETSC_COMM_WORLD, "fold_lambda = %.6f\nfold_estimate = %.6f\n", (double)r->fold_lambda,
                            (double)r->fold_estimate));
    else PetscCall(PetscPrintf(PETSC_COMM_WORLD, "fold_lambda = not reached\n"));
  }
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "residual_rel = %.2e\nwall_max = %.2e\nsymmetry_error = %.2e\n",
                        (double)residual_rel, (double)wall_max, (double)symmetry_error));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "check = %s\ntime_s = %.6f\n", *pass ? "PASS" : "FAIL", time_s));
  PetscFunctionReturn(PETSC_SUCCESS);
}
