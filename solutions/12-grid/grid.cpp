/**
 * @file grid.cpp
 * @brief Lesson 12: voltages and line currents of a synthetic city power grid,
 * Kirchhoff's law L v = p with the graph Laplacian L, solved with PETSc
 * (CG + algebraic multigrid, or any solver chosen at run time).
 *
 * The city (city.hpp) is nx streets × ny avenues of buses joined by lines of
 * conductance g; the slack bus in the centre holds its voltage, substations
 * generate, neighbourhoods draw, the perimeter leaks to earth.  Kirchhoff's
 * current law at every other bus i,
 *     Σ_j g_ij (v_i − v_j) + g_ground,i v_i = p_i,
 * is the sparse, symmetric positive definite system L v = p.  L is a
 * distributed AIJ matrix (each rank assembles its own rows, preallocated from
 * the DMDA's 5-point pattern), the slack bus eliminated so that L stays
 * symmetric.  `-fail_line a,b` takes the line between nodes a and b
 * (node = x + nx·y) out of service, solves again and shows how the current
 * reroutes.
 *
 * Run: `make run NP=4`; `make run NP=4 ARGS="-fail_line 420,421"`; `-help`
 * lists the options; every KSP and PC option works (`-ksp_monitor`,
 * `-pc_type jacobi`, `-ksp_type preonly -pc_type lu -pc_factor_mat_solver_type mumps`).
 *
 * What proves it right (kirchhoff_checks.hpp): the matrix agrees with
 * Kirchhoff's law recomputed line by line (`assembly_error`), the residual of
 * the solution is at round-off level (`kirchhoff_residual_rel`), the currents
 * balance (`balance_error`), v equals a direct MUMPS LU solve to 1e-8
 * (`lu_difference`), and `check = PASS`.
 */
static char help[] = "Power grid of a synthetic city: Kirchhoff's law L v = p on nx streets x ny\n"
                     "avenues, lines of conductance g, slack bus in the centre, four substations,\n"
                     "loads everywhere else and the perimeter grounded through g_ground.  Solved with\n"
                     "CG + GAMG by default; every KSP and PC option works (-ksp_monitor, -pc_type lu\n"
                     "-pc_factor_mat_solver_type mumps, -ksp_type gmres).  Node numbers: x + nx*y.\n\n";

#include <petscdmda.h>
#include <petscksp.h>

#include "city.hpp"              // AppCtx, the options, the grid of buses, Conductance, Injection, Shunt
#include "grid_report.hpp"       // Report: voltages, largest currents, the verdict; -dump
#include "kirchhoff_checks.hpp"  // Solution, CheckSolution, CreateLUReference
#include "petsc_errors.hpp"      // UserInputErrorHandler, WarnUnusedOptions

// Assemble L (this rank's rows) and the right-hand side p.  The slack bus has
// a known voltage: its row says d·v = d·v_slack (d = the sum of its lines'
// conductances, so the row is scaled like the others), and its neighbours
// move g·v_slack to the right-hand side instead of keeping a column for it.
// L stays symmetric, which CG needs.
static PetscErrorCode AssembleLaplacian(DM da, const AppCtx* u, Mat L, Vec p)
{
  DMDALocalInfo info;
  PetscScalar** rhs;

  PetscFunctionBeginUser;
  PetscCall(DMDAGetLocalInfo(da, &info));
  PetscCall(MatZeroEntries(L));
  PetscCall(DMDAVecGetArray(da, p, &rhs));
  for (PetscInt y = info.ys; y < info.ys + info.ym; ++y) {
    for (PetscInt x = info.xs; x < info.xs + info.xm; ++x) {
      const PetscInt node = Node(u, x, y);
      PetscScalar    b    = node == u->slack ? 0.0 : Injection(u, node);  // the right-hand side
      // >>> step 1: the row of bus (x, y): -g for each neighbour in service, the sum on the diagonal
      MatStencil     row = {0, y, x, 0}, col[5];
      PetscScalar    val[5], diag = Shunt(u, x, y), lines = 0.0;
      PetscInt       n = 0;
      const PetscInt dxs[4] = {-1, 1, 0, 0}, dys[4] = {0, 0, -1, 1};
      for (int k = 0; k < 4; ++k) {
        const PetscInt xn = x + dxs[k], yn = y + dys[k];
        if (xn < 0 || yn < 0 || xn >= u->nx || yn >= u->ny) continue;
        const PetscInt  other = Node(u, xn, yn);
        const PetscReal gij   = Conductance(u, node, other);
        lines += gij;
        if (gij == 0.0 || node == u->slack) continue;  // no column: out of service, or the slack's row
        diag += gij;
        if (other == u->slack) {
          b += gij * u->v_slack;  // a known voltage goes to the right-hand side
        } else {
          col[n] = {0, yn, xn, 0};
          val[n++] = -gij;
        }
      }
      if (node == u->slack) {
        diag = lines;
        b    = lines * u->v_slack;
      }
      col[n]   = row;
      val[n++] = diag;
      PetscCall(MatSetValuesStencil(L, 1, &row, n, col, val, INSERT_VALUES));
      // <<< step 1
      rhs[y][x] = b;
    }
  }
  PetscCall(DMDAVecRestoreArray(da, p, &rhs));
  PetscCall(MatAssemblyBegin(L, MAT_FINAL_ASSEMBLY));
  PetscCall(MatAssemblyEnd(L, MAT_FINAL_ASSEMBLY));
  PetscFunctionReturn(PETSC_SUCCESS);
}

// The solver: CG (L is symmetric positive definite) preconditioned by GAMG,
// PETSc's algebraic multigrid, unless the command line says otherwise.  A
// tight tolerance, so that the answer compares with a direct solve to 1e-8.
static PetscErrorCode CreateSolver(Mat L, KSP* ksp)
{
  PetscFunctionBeginUser;
  // >>> step 2: a linear solver for L: CG with algebraic multigrid, then the command line's options
  PC pc;
  PetscCall(KSPCreate(PETSC_COMM_WORLD, ksp));
  PetscCall(KSPSetOperators(*ksp, L, L));
  PetscCall(KSPSetType(*ksp, KSPCG));
  PetscCall(KSPGetPC(*ksp, &pc));
  PetscCall(PCSetType(pc, PCGAMG));
  PetscCall(KSPSetTolerances(*ksp, 1e-12, 1e-50, PETSC_DEFAULT, 2000));
  PetscCall(KSPSetFromOptions(*ksp));
  // <<< step 2
  PetscCall(RefuseGAMGClassical(*ksp, PETSC_TRUE));   // it would never finish on 2+ ranks (petsc_errors.hpp)
  PetscFunctionReturn(PETSC_SUCCESS);
}

// Solve L v = p with the run-time solver; keep its iterations and reason.
static PetscErrorCode Solve(KSP ksp, Vec p, Vec v, Solution* s)
{
  PetscFunctionBeginUser;
  // >>> step 3: solve L v = p, then ask why the solver stopped and after how many iterations
  PetscCall(KSPSolve(ksp, p, v));
  PetscCall(KSPGetIterationNumber(ksp, &s->its));
  PetscCall(KSPGetConvergedReason(ksp, &s->reason));
  // <<< step 3
  PetscFunctionReturn(PETSC_SUCCESS);
}

int main(int argc, char** argv)
{
  AppCtx    user;
  DM        da;
  Mat       L;
  Vec       p, v, v_base = NULL;
  KSP       ksp = NULL, lu = NULL;
  Solution  intact, failed;
  PetscBool pass = PETSC_FALSE;

  PetscCall(PetscInitialize(&argc, &argv, NULL, help));
  PetscCall(PetscPushErrorHandler(UserInputErrorHandler, NULL));  // bad input: one line

  // The city on its grid (-da_* options included), L and p, the solvers.
  PetscCall(ReadOptions(&user));
  PetscCall(CreateCity(&user, &da));
  PetscCall(DMCreateMatrix(da, &L));
  PetscCall(DMCreateGlobalVector(da, &p));
  PetscCall(VecDuplicate(p, &v));
  PetscCall(AssembleLaplacian(da, &user, L, p));
  PetscCall(CreateSolver(L, &ksp));
  if (user.lu_check) PetscCall(CreateLUReference(L, &lu));

  // Solve and check the intact grid.
  PetscCallMPI(MPI_Barrier(PETSC_COMM_WORLD));
  const double t0 = MPI_Wtime();
  PetscCall(Solve(ksp, p, v, &intact));
  PetscCallMPI(MPI_Barrier(PETSC_COMM_WORLD));
  const double time_s = MPI_Wtime() - t0;
  PetscCall(CheckSolution(da, &user, L, lu, p, v, &intact));

  // A failed line: the same grid without it, assembled and solved again.
  if (user.fail_a >= 0 && intact.reason > 0) {
    PetscCall(VecDuplicate(v, &v_base));
    PetscCall(VecCopy(v, v_base));
    user.failed = PETSC_TRUE;
    PetscCall(AssembleLaplacian(da, &user, L, p));
    PetscCall(Solve(ksp, p, v, &failed));
    PetscCall(CheckSolution(da, &user, L, lu, p, v, &failed));
  }
  PetscCall(Report(ksp, da, &user, v, v_base, &intact, &failed, time_s, &pass));

  PetscCall(VecDestroy(&v_base));
  PetscCall(VecDestroy(&v));
  PetscCall(VecDestroy(&p));
  PetscCall(MatDestroy(&L));
  PetscCall(KSPDestroy(&lu));
  PetscCall(KSPDestroy(&ksp));
  PetscCall(DMDestroy(&da));
  PetscCall(PetscPopErrorHandler());
  PetscCall(WarnUnusedOptions());
  PetscCall(PetscFinalize());
  return pass ? 0 : 1;  // a failed check or solve fails the run, on every rank
}
