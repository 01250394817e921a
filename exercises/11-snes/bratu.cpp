/**
 * @file bratu.cpp
 * @brief Lesson 11: thermal runaway as the Bratu problem, solved with
 * Newton's method (PETSc SNES) on a distributed grid (DMDA).
 *
 * Solves  -∇²u - λ e^u = 0  on the unit square, u = 0 on the boundary: u is
 * the temperature rise of a reacting body whose walls are held at ambient
 * temperature, λ the strength of the heat release.  5-point finite
 * differences on nx × ny nodes including the boundary (hx = 1/(nx-1),
 * hy = 1/(ny-1)).  A solution exists only up to the turning point
 * λ* ≈ 6.808; beyond it, the heat release wins over conduction (thermal
 * runaway) and Newton fails.  With -continuation, λ steps up from 0 and the
 * last λ that converges is reported (`fold_lambda`, continuation.hpp).
 *
 * Run: `make run NP=4 ARGS="-nx 129 -ny 129 -lambda 6 -snes_monitor"`;
 * `-help` lists the options; every SNES, KSP, PC and DMDA option works
 * (`-pc_type mg`, `-da_refine 2`, `-ksp_type cg`).
 *
 * What proves it right: `reason` is a CONVERGED_* reason, the residual of the
 * unscaled equation recomputed from u (`residual_rel`) is tiny, u has the
 * square's mirror symmetries (`symmetry_error`), and `check = PASS`
 * (bratu_checks.hpp).  The tests compare max u and the Newton and linear
 * iteration counts with PETSc's own ex5 on the same grid and options.
 */
static char help[] = "Bratu problem (thermal runaway): -Laplacian u - lambda exp(u) = 0 on the unit\n"
                     "square, u = 0 on the boundary, solved with Newton's method (SNES) on a DMDA of\n"
                     "nx x ny nodes including the boundary (h = 1/(n-1)), with an analytic Jacobian.\n"
                     "A solution exists for 0 <= lambda <= 6.808 (the turning point) only.\n"
                     "Every SNES, KSP, PC and DMDA option works: -snes_monitor, -ksp_monitor,\n"
                     "-ksp_type cg, -pc_type mg, -da_refine 2, -snes_view.\n\n";

#include <petscdmda.h>
#include <petscsnes.h>

#include "bratu_checks.hpp"   // Report: the checks of the solution, the output
#include "bratu_problem.hpp"  // AppCtx, options, grid, initial guess, FormJacobianLocal
#include "continuation.hpp"   // -continuation: lambda stepped up to the turning point
#include "petsc_errors.hpp"   // UserInputErrorHandler, WarnUnusedOptions

// The residual F(u) on this rank's part of the grid.  x has ghost values from
// the neighbouring ranks (the DMDA fills them); f has only the owned points.
// Interior rows are the 5-point equation multiplied by hx*hy:
//   (hy/hx)(2u - uW - uE) + (hx/hy)(2u - uS - uN) - hx*hy*lambda*e^u.
// Unscaled, the rows would grow like 1/h^2 and the Jacobian's condition
// number with them; scaled, every row is O(1).  Boundary rows say u = 0,
// times the same diagonal as an interior row.  A neighbour on the wall
// enters as its known value 0, not as x (the Jacobian then stays symmetric).
static PetscErrorCode FormFunctionLocal(DMDALocalInfo* info, PetscScalar** x, PetscScalar** f, AppCtx* user)
{
  PetscFunctionBeginUser;
  const PetscReal hx = 1.0 / (PetscReal)(info->mx - 1), hy = 1.0 / (PetscReal)(info->my - 1);
  const PetscReal ax = hy / hx, ay = hx / hy;
  const PetscInt  last_i = info->mx - 1, last_j = info->my - 1;
  for (PetscInt j = info->ys; j < info->ys + info->ym; ++j) {
    for (PetscInt i = info->xs; i < info->xs + info->xm; ++i) {
      if (i == 0 || j == 0 || i == last_i || j == last_j) {
        f[j][i] = 2.0 * (ax + ay) * x[j][i];  // u = 0 on the wall
        continue;
      }
      // >>> step 3: the interior row: the 5-point Laplacian minus the heat release, times hx*hy
      // TODO 3: the interior row, everything times hx*hy:
      //     (hy/hx)(2u - uW - uE) + (hx/hy)(2u - uS - uN) - hx*hy*lambda*e^u
      //   with u = x[j][i], uW = x[j][i-1], uE = x[j][i+1], uS = x[j-1][i],
      //   uN = x[j+1][i]; a neighbour on the wall (index 0 or last) counts as 0.
      //   ax = hy/hx and ay = hx/hy are above; lambda is user->lambda.
      //   Hint: PetscExpScalar.
      f[j][i] = 0.0;
      // <<< step 3
    }
  }
  PetscCall(PetscLogFlops(13.0 * info->xm * info->ym));
  PetscFunctionReturn(PETSC_SUCCESS);
}

// The nonlinear solver knows the grid: it creates the Jacobian with the
// right sparsity, and multigrid (-pc_type mg) can coarsen it.  The DMDA calls
// the local functions on each rank's part, ghost values filled in.
static PetscErrorCode CreateSolver(DM da, AppCtx* user, SNES* snes)
{
  PetscFunctionBeginUser;
  // >>> step 1: a Newton solver (SNES) on the grid, with this residual and Jacobian, and the options
  // TODO 1: create the nonlinear solver (a SNES on PETSC_COMM_WORLD) and give
  //   it the grid da; register FormFunctionLocal and FormJacobianLocal with the
  //   grid (cast them to DMDASNESFunctionFn* and DMDASNESJacobianFn*, with user
  //   as their context); then let the command line choose the solvers.
  //   Hint: SNESCreate, SNESSetDM, DMDASNESSetFunctionLocal, DMDASNESSetJacobianLocal, SNESSetFromOptions.
  // <<< step 1
  if (*snes) {   // one preconditioner would never finish on 2+ ranks (petsc_errors.hpp)
    KSP ksp;
    PetscCall(SNESGetKSP(*snes, &ksp));
    PetscCall(RefuseGAMGClassical(ksp, PETSC_TRUE));
  }
  PetscFunctionReturn(PETSC_SUCCESS);
}

// One solve at the current user->lambda, starting from x; x becomes the
// solution.  Reports why Newton stopped and how many iterations it took.
static PetscErrorCode Solve(SNES snes, Vec x, Result* result)
{
  PetscFunctionBeginUser;
  // >>> step 2: solve F(u) = 0 from x, then ask why Newton stopped and after how many iterations
  // TODO 2: solve F(u) = 0 starting from x (no right-hand side), then fill
  //   result->reason, result->newton_its and result->linear_its.
  //   Hint: SNESSolve, SNESGetConvergedReason, SNESGetIterationNumber, SNESGetLinearSolveIterations.
  // <<< step 2
  PetscFunctionReturn(PETSC_SUCCESS);
}

int main(int argc, char** argv)
{
  AppCtx    user;
  DM        da;
  SNES      snes = NULL;
  Vec       x;
  Result    result;
  PetscBool pass = PETSC_FALSE;

  PetscCall(PetscInitialize(&argc, &argv, NULL, help));
  PetscCall(PetscPushErrorHandler(UserInputErrorHandler, NULL));  // bad input: one line

  // Options, the grid (-da_* options included), the solver.
  PetscCall(ReadOptions(&user));
  PetscCall(CreateGrid(&user, &da));
  PetscCall(CreateSolver(da, &user, &snes));
  PetscCall(DMCreateGlobalVector(da, &x));

  // One solve from the classic initial guess, or the continuation in lambda.
  PetscCallMPI(MPI_Barrier(PETSC_COMM_WORLD));
  const double t0 = MPI_Wtime();
  if (!user.continuation) {
    PetscCall(FormInitialGuess(da, &user, x));
    PetscCall(Solve(snes, x, &result));
  } else {
    PetscCall(Continuation(snes, x, &user, Solve, &result));
  }
  PetscCallMPI(MPI_Barrier(PETSC_COMM_WORLD));
  const double time_s = MPI_Wtime() - t0;

  // The independent checks of u, and the report.
  PetscCall(Report(snes, da, x, &user, &result, time_s, &pass));

  PetscCall(VecDestroy(&x));
  PetscCall(SNESDestroy(&snes));
  PetscCall(DMDestroy(&da));
  PetscCall(PetscPopErrorHandler());
  PetscCall(WarnUnusedOptions());
  PetscCall(PetscFinalize());
  return pass ? 0 : 1;  // no solution or a failed check fails the run, on every rank
}
