/**
 * @file bridge_modes.cpp
 * @brief Lesson 10: the lowest vibration modes of a bridge deck, K x = λ M x,
 * solved in parallel with SLEPc.
 *
 * The deck is a plate of length L (-length, default 100) and width W (-width,
 * default 10) with fixed edges, sampled at nx × ny interior nodes (-nx, -ny,
 * default 40 × 12) spread over the ranks by a DMDA.  K is the stiffness (the
 * 5-point Laplacian) and M the mass, both times the cell area (deck.hpp), so
 * λ, the squared angular frequency of a mode, converges as O(h²) to the
 * plate's π²(m²/L² + n²/W²); the frequency is f = sqrt(λ)/(2π).
 *
 * SLEPc finds the -nev (default 4) eigenvalues nearest 0 by shift-and-invert:
 * it works with (K - σM)⁻¹ M, σ = 0, whose largest eigenvalues 1/λ belong to
 * the smallest λ.  Each step solves a linear system with K, by default with
 * CG and block Jacobi; every -eps_* and -st_* option works at run time:
 *   -st_ksp_type preonly -st_pc_type cholesky -st_pc_factor_mat_solver_type mumps
 * makes it a parallel sparse direct factorization.
 *
 * Run: `make run NP=4`, `make run NP=2 ARGS="-nx 80 -ny 24 -nev 6"`;
 * `-help` lists the options.  What proves it right (rank 0 prints it): every
 * λ equals the exact discrete eigenvalue of this operator to 1e-8
 * (`max_rel_error`, exact_modes.hpp), SLEPc's residuals ||Kx - λMx|| are tiny
 * (`max_residual`), each simple mode has the exact shape (`max_shape_error`),
 * and `check = PASS`.
 */
static char help[] = "Vibration modes of a bridge deck (lesson 10): K x = lambda M x on an nx x ny\n"
                     "grid of a length x width plate with fixed edges, solved with SLEPc\n"
                     "(shift-and-invert around 0).  Options: -nx -ny -length -width -nev\n"
                     "-unscaled_stiffness -modes_file, every -da_*, -eps_* and -st_* option.\n\n";

#include <slepceps.h>

#include "deck.hpp"          // AppCtx, ReadOptions, CreateGrid, AssembleOperators
#include "modes_report.hpp"  // Modes, KeepMode, ReportModes (against exact_modes.hpp)
#include "petsc_errors.hpp"  // UserInputErrorHandler, WarnUnusedOptions

// The eigenproblem K x = λ M x: K and M symmetric, M positive definite
// (a generalized Hermitian problem), nev eigenpairs wanted.
static PetscErrorCode CreateEigensolver(Mat K, Mat M, PetscInt nev, EPS* eps)
{
  PetscFunctionBeginUser;
  // >>> step 1: create the eigensolver for K x = λ M x (symmetric-definite), nev pairs
  PetscCall(EPSCreate(PETSC_COMM_WORLD, eps));
  PetscCall(EPSSetOperators(*eps, K, M));
  PetscCall(EPSSetProblemType(*eps, EPS_GHEP));
  PetscCall(EPSSetDimensions(*eps, nev, PETSC_DEFAULT, PETSC_DEFAULT));
  PetscCall(EPSSetTolerances(*eps, 1e-10, PETSC_DEFAULT));
  // <<< step 1
  PetscFunctionReturn(PETSC_SUCCESS);
}

// The smallest λ are the ones nearest the target 0.  Shift-and-invert turns
// them into the largest eigenvalues 1/λ of (K - 0 M)⁻¹ M, which a Krylov
// method finds first.
static PetscErrorCode ShiftAndInvert(EPS eps)
{
  PetscFunctionBeginUser;
  // >>> step 2: ask for the eigenvalues nearest 0, by shift-and-invert
  ST st;
  PetscCall(EPSSetTarget(eps, 0.0));
  PetscCall(EPSSetWhichEigenpairs(eps, EPS_TARGET_MAGNITUDE));
  PetscCall(EPSGetST(eps, &st));
  PetscCall(STSetType(st, STSINVERT));
  // <<< step 2
  PetscFunctionReturn(PETSC_SUCCESS);
}

// The inner solver, K y = M x at every step: CG with block Jacobi runs in
// parallel everywhere (no external package).  Its tolerance must be well
// below the eigensolver's, or the outer iteration stalls.
static PetscErrorCode UseIterativeInnerSolver(EPS eps)
{
  PetscFunctionBeginUser;
  // >>> step 3: the inner linear solver of the spectral transformation: CG + block Jacobi
  ST  st;
  KSP ksp;
  PC  pc;
  PetscCall(EPSGetST(eps, &st));
  PetscCall(STGetKSP(st, &ksp));
  PetscCall(KSPSetType(ksp, KSPCG));
  PetscCall(KSPGetPC(ksp, &pc));
  PetscCall(PCSetType(pc, PCBJACOBI));
  PetscCall(KSPSetTolerances(ksp, 1e-13, PETSC_DEFAULT, PETSC_DEFAULT, 100000));
  // <<< step 3
  PetscFunctionReturn(PETSC_SUCCESS);
}

// GAMG's classical variant (-st_pc_type gamg -st_pc_gamg_type classical)
// never finishes on more than one rank with PETSc 3.18 (3.19 and later run it):
// refused there in one line (petsc_errors.hpp).
static PetscErrorCode RefuseKnownHangs(EPS eps)
{
  ST  st;
  KSP ksp;
  PetscFunctionBeginUser;
  if (!eps) PetscFunctionReturn(PETSC_SUCCESS);
  PetscCall(EPSGetST(eps, &st));
  PetscCall(STGetKSP(st, &ksp));
  PetscCall(RefuseGAMGClassical(ksp, PetscBool(!PETSC_VERSION_GE(3, 19, 0))));
  PetscFunctionReturn(PETSC_SUCCESS);
}

// The whole set-up; the command line has the last word (-eps_nev 6,
// -st_pc_type gamg, -eps_type lobpcg, ...).
static PetscErrorCode SetUpEigensolver(Mat K, Mat M, PetscInt nev, EPS* eps)
{
  PetscFunctionBeginUser;
  PetscCall(CreateEigensolver(K, M, nev, eps));
  PetscCall(ShiftAndInvert(*eps));
  PetscCall(UseIterativeInnerSolver(*eps));
  // >>> step 4: let every -eps_* and -st_* option override the choices above
  PetscCall(EPSSetFromOptions(*eps));
  // <<< step 4
  PetscCall(RefuseKnownHangs(*eps));
  PetscFunctionReturn(PETSC_SUCCESS);
}

// Solve, and keep the converged eigenpairs (at most nev of them).
static PetscErrorCode SolveModes(EPS eps, DM da, Modes* modes)
{
  Vec x;

  PetscFunctionBeginUser;
  PetscCall(DMCreateGlobalVector(da, &x));
  // >>> step 5: solve, then read the converged eigenpairs (at most nev of them)
  PetscInt nev, ncv, mpd;
  PetscCall(EPSSolve(eps));
  PetscCall(EPSGetConverged(eps, &modes->nconv));
  PetscCall(EPSGetDimensions(eps, &nev, &ncv, &mpd));
  for (PetscInt k = 0; k < PetscMin(modes->nconv, nev); ++k) {
    PetscScalar lambda;
    PetscCall(EPSGetEigenpair(eps, k, &lambda, NULL, x, NULL));
    PetscCall(KeepMode(da, lambda, x, modes));
  }
  // <<< step 5
  PetscCall(VecDestroy(&x));
  PetscFunctionReturn(PETSC_SUCCESS);
}

int main(int argc, char** argv)
{
  AppCtx    user;
  DM        da;
  Mat       K, M;
  EPS       eps = NULL;
  Modes     modes;
  PetscBool pass = PETSC_FALSE;

  PetscCall(SlepcInitialize(&argc, &argv, NULL, help));
  PetscCall(PetscPushErrorHandler(UserInputErrorHandler, NULL));  // bad input: one line

  // The deck: options, the grid (-da_* options included), K and M.
  PetscCall(ReadOptions(&user));
  PetscCall(CreateGrid(&user, &da));
  PetscCall(AssembleOperators(da, &user, &K, &M));

  // The eigensolver, and the solve (time_s: the solve and the read-out).
  PetscCall(SetUpEigensolver(K, M, user.nev, &eps));
  PetscCallMPI(MPI_Barrier(PETSC_COMM_WORLD));
  const double t0 = MPI_Wtime();
  PetscCall(SolveModes(eps, da, &modes));
  PetscCallMPI(MPI_Barrier(PETSC_COMM_WORLD));
  const double time_s = MPI_Wtime() - t0;

  // The check against the exact discrete modes, and the report.
  PetscCall(ReportModes(eps, &user, &modes, time_s, &pass));

  PetscCall(EPSDestroy(&eps));
  PetscCall(MatDestroy(&K));
  PetscCall(MatDestroy(&M));
  PetscCall(DMDestroy(&da));
  PetscCall(PetscPopErrorHandler());
  PetscCall(WarnUnusedOptions());
  PetscCall(SlepcFinalize());
  return pass ? 0 : 1;  // a failed check fails the run, on every rank
}
