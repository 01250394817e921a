/**
 * @file bridge_modes.cpp
 * @brief Lesson 10 exercise: the lowest vibration modes of a bridge deck,
 * K x = λ M x, solved in parallel with SLEPc.
 *
 * As given, the program runs but K has only its diagonal, with the workshop's
 * 1/h² weights, and SLEPc is not told what kind of problem it solves nor which
 * eigenvalues are wanted: the table shows wrong eigenvalues and `check = FAIL`.
 * Fill in the three TODOs (the scaling, the stencil, the eigensolver set-up).
 *
 * The deck is a rectangular plate of length L (-length, default 100) and
 * width W (-width, default 10) with fixed (clamped to zero) edges, sampled at
 * nx × ny interior nodes (-nx, -ny, default 40 × 12), spacing hx = L/(nx+1),
 * hy = W/(ny+1), spread over the ranks by a DMDA.  Finite differences give
 *
 *   stiffness K = cell area × 5-point Laplacian:
 *     (K x)_ij = (hy/hx)(2x_ij - x_i-1,j - x_i+1,j) + (hx/hy)(2x_ij - x_i,j-1 - x_i,j+1)
 *   lumped mass M = cell area × identity:  M_ij,ij = hx hy
 *
 * and the generalized symmetric-definite eigenproblem (GHEP) K x = λ M x.
 * λ is the squared angular frequency of a mode (unit wave speed), the
 * frequency is f = sqrt(λ)/(2π).  Both K and M carry the cell area, so λ is
 * the eigenvalue of the discrete Laplacian and converges, as O(h²), to the
 * continuum value π²(m²/L² + n²/W²).  (-seed_scaling reproduces the
 * workshop's version: K without the area, M with it, so λ is divided by
 * hx hy and depends on the grid.)
 *
 * SLEPc finds the -nev (default 4) eigenvalues nearest 0 by shift-and-invert:
 * it works with (K - σM)⁻¹ M, σ = 0, whose largest eigenvalues 1/λ belong to
 * the smallest λ.  Each step solves a linear system with K: by default with
 * CG preconditioned by block Jacobi (parallel, iterative); with
 *   -st_ksp_type preonly -st_pc_type cholesky -st_pc_factor_mat_solver_type mumps
 * by a parallel sparse direct factorization.  All -eps_* and -st_* options
 * work at run time.
 *
 * Checks (rank 0 prints them once):
 *   - computed λ beside the exact discrete eigenvalues of this operator,
 *       λ_mn = 4/hx² sin²(mπhx/(2L)) + 4/hy² sin²(nπhy/(2W)),
 *     sorted and compared in order: `max_rel_error` (≤ 1e-8: `check = PASS`);
 *   - SLEPc's own relative residuals ||Kx - λMx|| / (|λ| ||x||): `max_residual`;
 *   - each mode shape against the exact discrete eigenvector
 *     sin(mπx/L) sin(nπy/W) at the nodes (modes with a distinct λ): `max_shape_error`;
 *   - the continuum values π²(m²/L² + n²/W²) printed beside them
 *     (`continuum_rel_error_1` shrinks 4× when h halves).
 * The central cross-section of the first mode is printed; -modes_file FILE
 * writes the first (up to 4) mode shapes as CSV for plotting.
 *
 * Run: `make run NP=4`, `make run NP=2 ARGS="-nx 80 -ny 24 -nev 6"`;
 * `-help` lists the options.
 */
static char help[] = "Vibration modes of a bridge deck (lesson 10): K x = lambda M x on an nx x ny\n"
                     "grid of a length x width plate with fixed edges, solved with SLEPc\n"
                     "(shift-and-invert around 0).  Options: -nx -ny -length -width -nev\n"
                     "-seed_scaling -modes_file, and every -eps_* and -st_* option.\n\n";

#include <petscdmda.h>
#include <slepceps.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "petsc_cli.hpp"

// The problem's parameters, in one place (PETSc's tutorial style: no globals).
typedef struct {
  PetscInt  nx, ny;         // interior nodes in x (along the deck) and y (across)
  PetscReal length, width;  // L and W
  PetscReal hx, hy;         // grid spacing: L/(nx+1), W/(ny+1)
  PetscBool seed_scaling;   // the workshop's scaling: area on M only
} AppCtx;

// One mode of the exact discrete problem: eigenvalue and wave numbers (m, n).
struct ExactMode {
  PetscReal lambda;
  PetscInt  m, n;
};

// The stiffness and mass matrices on this rank's block of the grid.
// Fixed edges: the neighbours outside the interior are zero, so their
// columns are simply left out (Dirichlet condition).
static PetscErrorCode FormOperatorsLocal(DMDALocalInfo* info, Mat K, Mat M, AppCtx* user)
{
  // TODO (1): scale K like M, so that both carry the cell area hx*hy and λ
  //       does not depend on the grid: the weights become hy/hx and hx/hy.
  //       As given they are the workshop's 1/hx² and 1/hy² (λ / (hx hy)).
  PetscReal sx = 1.0 / (user->hx * user->hx), sy = 1.0 / (user->hy * user->hy);
  if (user->seed_scaling) {  // the workshop: 1/h² Laplacian, area on M only
    sx = 1.0 / (user->hx * user->hx);
    sy = 1.0 / (user->hy * user->hy);
  }
  const PetscScalar mass = user->hx * user->hy;

  PetscFunctionBeginUser;
  for (PetscInt j = info->ys; j < info->ys + info->ym; ++j) {
    for (PetscInt i = info->xs; i < info->xs + info->xm; ++i) {
      MatStencil  row = {0}, col[5];
      PetscScalar v[5];
      PetscInt    k = 0;
      row.i = i;
      row.j = j;
      col[k].i = i; col[k].j = j; v[k++] = 2.0 * sx + 2.0 * sy;
      // TODO (2): the four neighbours (i-1, j), (i+1, j) with -sx and
      //       (i, j-1), (i, j+1) with -sy, each only if it is an interior node
      //       (0 <= i < info->mx, 0 <= j < info->my): the edges are fixed.
      PetscCall(MatSetValuesStencil(K, 1, &row, k, col, v, INSERT_VALUES));
      PetscCall(MatSetValuesStencil(M, 1, &row, 1, &row, &mass, INSERT_VALUES));
    }
  }
  PetscCall(MatAssemblyBegin(K, MAT_FINAL_ASSEMBLY));
  PetscCall(MatAssemblyBegin(M, MAT_FINAL_ASSEMBLY));
  PetscCall(MatAssemblyEnd(K, MAT_FINAL_ASSEMBLY));
  PetscCall(MatAssemblyEnd(M, MAT_FINAL_ASSEMBLY));
  PetscFunctionReturn(0);
}

// The `count` smallest exact eigenvalues of the discrete problem, ascending.
// The smallest `count` are among m <= count, n <= count, since λ_mn grows
// with m and with n.
static std::vector<ExactMode> ExactDiscreteModes(const AppCtx* user, PetscInt count)
{
  std::vector<ExactMode> modes;
  const PetscReal        scale = user->seed_scaling ? 1.0 / (user->hx * user->hy) : 1.0;
  for (PetscInt m = 1; m <= std::min(user->nx, count); ++m) {
    for (PetscInt n = 1; n <= std::min(user->ny, count); ++n) {
      const PetscReal sxm = std::sin(m * PETSC_PI * user->hx / (2.0 * user->length));
      const PetscReal syn = std::sin(n * PETSC_PI * user->hy / (2.0 * user->width));
      const PetscReal lam = 4.0 / (user->hx * user->hx) * sxm * sxm + 4.0 / (user->hy * user->hy) * syn * syn;
      modes.push_back({scale * lam, m, n});
    }
  }
  std::stable_sort(modes.begin(), modes.end(),
                   [](const ExactMode& a, const ExactMode& b) { return a.lambda < b.lambda; });
  if ((PetscInt)modes.size() > count) modes.resize(count);
  return modes;
}

// The continuum eigenvalue of the plate: π²(m²/L² + n²/W²).
static PetscReal ContinuumLambda(const AppCtx* user, PetscInt m, PetscInt n)
{
  return PETSC_PI * PETSC_PI *
         ((PetscReal)(m * m) / (user->length * user->length) + (PetscReal)(n * n) / (user->width * user->width));
}

// Scale a mode shape to max |w| = 1, with a positive value at node (0,0)
// (where every exact mode sin(mπx/L) sin(nπy/W) is positive).
static void Normalize(std::vector<PetscReal>& w)
{
  PetscReal big = 0.0;
  for (PetscReal x : w) big = std::max(big, std::fabs(x));
  if (big == 0.0) return;
  const PetscReal s = (w[0] < 0.0 ? -1.0 : 1.0) / big;
  for (PetscReal& x : w) x *= s;
}

// The exact discrete mode (m, n), sin(mπx_i/L) sin(nπy_j/W) at the nodes, in
// natural order i + nx*j, scaled like the computed ones (Normalize).
static std::vector<PetscReal> ExactShape(const AppCtx* user, PetscInt m, PetscInt n)
{
  std::vector<PetscReal> w(user->nx * user->ny);
  for (PetscInt j = 0; j < user->ny; ++j)
    for (PetscInt i = 0; i < user->nx; ++i)
      w[i + user->nx * j] = std::sin(m * PETSC_PI * (i + 1) * user->hx / user->length) *
                            std::sin(n * PETSC_PI * (j + 1) * user->hy / user->width);
  Normalize(w);
  return w;
}

int main(int argc, char** argv)
{
  PetscCall(SlepcInitialize(&argc, &argv, NULL, help));

  PetscMPIInt rank = 0, size = 0;
  PetscCallMPI(MPI_Comm_rank(PETSC_COMM_WORLD, &rank));
  PetscCallMPI(MPI_Comm_size(PETSC_COMM_WORLD, &size));

  // Check our own options' text first: one clean line for bad input.
  const long  grid_max = 100000;
  std::string error;
  const char* int_opts[] = {"-nx", "-ny"};
  for (const char* name : int_opts) {
    if (error.empty()) PetscCall(CheckIntOption(name, 2, grid_max, &error));
  }
  if (error.empty()) PetscCall(CheckIntOption("-nev", 1, 100, &error));
  if (error.empty()) PetscCall(CheckRealOption("-length", 0.0, 1e6, &error));
  if (error.empty()) PetscCall(CheckRealOption("-width", 0.0, 1e6, &error));
  if (!error.empty()) {
    PetscCall(PrintError(error));
    PetscCall(SlepcFinalize());
    return 1;
  }

  AppCtx   user = {40, 12, 100.0, 10.0, 0.0, 0.0, PETSC_FALSE};
  PetscInt nev  = 4;
  char     modes_file[PETSC_MAX_PATH_LEN] = "";
  PetscOptionsBegin(PETSC_COMM_WORLD, NULL, "Bridge deck modes", "EPS");
  PetscCall(PetscOptionsInt("-nx", "interior nodes along the deck (2 to 1e5)", "DMDACreate2d", user.nx, &user.nx, NULL));
  PetscCall(PetscOptionsInt("-ny", "interior nodes across the deck (2 to 1e5)", "DMDACreate2d", user.ny, &user.ny, NULL));
  PetscCall(PetscOptionsReal("-length", "deck length L", "", user.length, &user.length, NULL));
  PetscCall(PetscOptionsReal("-width", "deck width W", "", user.width, &user.width, NULL));
  PetscCall(PetscOptionsInt("-nev", "number of modes (1 to 100, fewer than nx*ny)", "EPSSetDimensions", nev, &nev, NULL));
  PetscCall(PetscOptionsBool("-seed_scaling", "the workshop's scaling: cell area on M only", "", user.seed_scaling,
                             &user.seed_scaling, NULL));
  PetscCall(PetscOptionsString("-modes_file", "write the first (up to 4) mode shapes to this CSV file", "", modes_file,
                               modes_file, sizeof(modes_file), NULL));
  PetscOptionsEnd();

  const PetscInt n_total = user.nx * user.ny;
  if (n_total > 100000000) error = "the grid has more than 1e8 nodes";
  else if (nev >= n_total)
    error = "-nev = " + std::to_string(nev) + " must be smaller than the number of nodes nx*ny = " +
            std::to_string(n_total);
  if (!error.empty()) {
    PetscCall(PrintError(error));
    PetscCall(SlepcFinalize());
    return 1;
  }
  // Open the mode file now, so that a path we cannot write is a one-line error
  // before any work.  Only rank 0 writes it.
  FILE*       modes = NULL;
  PetscMPIInt open_failed = 0;
  if (modes_file[0] != '\0' && rank == 0) {
    modes       = std::fopen(modes_file, "w");
    open_failed = modes == NULL;
  }
  PetscCallMPI(MPI_Bcast(&open_failed, 1, MPI_INT, 0, PETSC_COMM_WORLD));
  if (open_failed) {
    PetscCall(PrintError(std::string("cannot write the mode shapes to '") + modes_file + "'"));
    PetscCall(SlepcFinalize());
    return 1;
  }
  user.hx = user.length / (user.nx + 1);
  user.hy = user.width / (user.ny + 1);

  // The grid: nx × ny interior nodes, a star stencil of width 1, split over
  // the ranks in rectangular blocks.  A grid too small for the number of
  // ranks makes DMSetUp fail; we catch that and say so in one line.
  DM da;
  PetscCall(DMDACreate2d(PETSC_COMM_WORLD, DM_BOUNDARY_NONE, DM_BOUNDARY_NONE, DMDA_STENCIL_STAR, user.nx, user.ny,
                         PETSC_DECIDE, PETSC_DECIDE, 1, 1, NULL, NULL, &da));
  PetscCall(DMSetFromOptions(da));
  PetscCall(PetscPushErrorHandler(PetscReturnErrorHandler, NULL));
  const PetscErrorCode setup_error = DMSetUp(da);
  PetscCall(PetscPopErrorHandler());
  if (setup_error) {
    PetscCall(PrintError("the " + std::to_string(user.nx) + " x " + std::to_string(user.ny) +
                         " grid is too small to split over " + std::to_string(size) + " ranks"));
    if (modes) std::fclose(modes);
    PetscCall(DMDestroy(&da));
    PetscCall(SlepcFinalize());
    return 1;
  }

  Mat           K, M;
  DMDALocalInfo info;
  PetscCall(DMCreateMatrix(da, &K));
  PetscCall(DMCreateMatrix(da, &M));
  PetscCall(DMDAGetLocalInfo(da, &info));
  PetscCall(FormOperatorsLocal(&info, K, M, &user));

  // The eigensolver: generalized Hermitian (symmetric-definite), the nev
  // eigenvalues nearest the target 0, by shift-and-invert.
  EPS eps;
  ST  st;
  KSP ksp;
  PC  pc;
  PetscCall(EPSCreate(PETSC_COMM_WORLD, &eps));
  PetscCall(EPSSetOperators(eps, K, M));
  PetscCall(EPSSetDimensions(eps, nev, PETSC_DEFAULT, PETSC_DEFAULT));
  PetscCall(EPSSetTolerances(eps, 1e-10, PETSC_DEFAULT));
  // TODO (3): tell SLEPc that K and M are symmetric and M is positive
  //       definite (EPSSetProblemType, EPS_GHEP); ask for the eigenvalues
  //       nearest 0 (EPSSetTarget and EPSSetWhichEigenpairs with
  //       EPS_TARGET_MAGNITUDE); and make the spectral transformation
  //       shift-and-invert (STSetType(st, STSINVERT)).  As given, SLEPc
  //       computes the largest eigenvalues of a general problem.
  PetscCall(EPSGetST(eps, &st));
  // The inner solver, K y = M x at every step: CG with block Jacobi runs in
  // parallel everywhere (no external package).  Its tolerance must be well
  // below the eigensolver's, or the outer iteration stalls.
  PetscCall(STGetKSP(st, &ksp));
  PetscCall(KSPSetType(ksp, KSPCG));
  PetscCall(KSPGetPC(ksp, &pc));
  PetscCall(PCSetType(pc, PCBJACOBI));
  PetscCall(KSPSetTolerances(ksp, 1e-13, PETSC_DEFAULT, PETSC_DEFAULT, 100000));
  PetscCall(EPSSetFromOptions(eps));  // -eps_* and -st_* options override all of the above

  PetscCallMPI(MPI_Barrier(PETSC_COMM_WORLD));
  const double t0 = MPI_Wtime();
  PetscCall(EPSSolve(eps));
  PetscCallMPI(MPI_Barrier(PETSC_COMM_WORLD));
  const double time_s = MPI_Wtime() - t0;

  PetscInt nconv = 0, its = 0, inner_its = 0, nev_used = 0, ncv = 0, mpd = 0;
  PetscCall(EPSGetConverged(eps, &nconv));
  PetscCall(EPSGetIterationNumber(eps, &its));
  PetscCall(EPSGetDimensions(eps, &nev_used, &ncv, &mpd));
  PetscCall(KSPGetTotalIterations(ksp, &inner_its));
  KSPType     ksp_type;
  PCType      pc_type;
  MatSolverType solver_type = NULL;
  PetscCall(KSPGetType(ksp, &ksp_type));
  PetscCall(KSPGetPC(ksp, &pc));
  PetscCall(PCGetType(pc, &pc_type));
  PetscBool factor = PETSC_FALSE;
  PetscCall(PetscObjectTypeCompareAny((PetscObject)pc, &factor, PCLU, PCCHOLESKY, ""));
  if (factor) PetscCall(PCFactorGetMatSolverType(pc, &solver_type));
  std::string inner = std::string(ksp_type) + "+" + pc_type;
  if (solver_type) inner += std::string("(") + solver_type + ")";

  if (nconv < nev_used)
    PetscCall(PetscPrintf(PETSC_COMM_WORLD,
                          "warning: only %" PetscInt_FMT " of %" PetscInt_FMT " eigenpairs converged in %" PetscInt_FMT
                          " iterations (raise -eps_max_it, or change the solver)\n",
                          nconv, nev_used, its));

  // The exact discrete modes, one more than asked so that we know whether
  // the last one asked for is degenerate with the next.
  const std::vector<ExactMode> exact = ExactDiscreteModes(&user, std::min(nev_used + 1, n_total));
  const PetscInt nshow = std::min(nconv, nev_used);

  // Gather each eigenvector to rank 0 in the natural (i + nx*j) order.
  Vec                                 x, natural, on_zero;
  VecScatter                          to_zero;
  std::vector<PetscReal>              lambda(nshow), residual(nshow);
  std::vector<std::vector<PetscReal>> shape(nshow);
  PetscCall(DMCreateGlobalVector(da, &x));
  PetscCall(DMDACreateNaturalVector(da, &natural));
  PetscCall(VecScatterCreateToZero(natural, &to_zero, &on_zero));
  for (PetscInt k = 0; k < nshow; ++k) {
    PetscScalar lr;
    PetscCall(EPSGetEigenpair(eps, k, &lr, NULL, x, NULL));
    PetscCall(EPSComputeError(eps, k, EPS_ERROR_RELATIVE, &residual[k]));
    lambda[k] = PetscRealPart(lr);
    PetscCall(DMDAGlobalToNaturalBegin(da, x, INSERT_VALUES, natural));
    PetscCall(DMDAGlobalToNaturalEnd(da, x, INSERT_VALUES, natural));
    PetscCall(VecScatterBegin(to_zero, natural, on_zero, INSERT_VALUES, SCATTER_FORWARD));
    PetscCall(VecScatterEnd(to_zero, natural, on_zero, INSERT_VALUES, SCATTER_FORWARD));
    if (rank == 0) {
      const PetscScalar* a;
      PetscCall(VecGetArrayRead(on_zero, &a));
      shape[k].assign(a, a + n_total);
      PetscCall(VecRestoreArrayRead(on_zero, &a));
      Normalize(shape[k]);
    }
  }
  // SLEPc returns the pairs sorted by distance to the target 0, that is by λ;
  // sort again anyway, so that the comparison with the exact list is in order.
  std::vector<PetscInt> order(nshow);
  for (PetscInt k = 0; k < nshow; ++k) order[k] = k;
  std::stable_sort(order.begin(), order.end(), [&](PetscInt a, PetscInt b) { return lambda[a] < lambda[b]; });

  // The table, and the checks.
  PetscReal max_rel = 0.0, max_res = 0.0, max_shape = 0.0;
  // (PetscPrintf writes %g as "100.", so lines with %g are formatted by snprintf.)
  char line[256];
  std::snprintf(line, sizeof(line), "Bridge deck %g x %g, %d x %d interior nodes (hx = %.6g, hy = %.6g)",
                (double)user.length, (double)user.width, (int)user.nx, (int)user.ny, (double)user.hx, (double)user.hy);
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "%s, %s scaling, inner solver %s\n", line,
                        user.seed_scaling ? "seed" : "consistent", inner.c_str()));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "%4s %4s %4s %22s %22s %12s %14s %10s %10s %10s\n", "k", "m", "n",
                        "lambda (SLEPc)", "lambda (exact discrete)", "rel. error", "continuum", "f [1/s]",
                        "residual", "shape err"));
  for (PetscInt k = 0; k < nshow; ++k) {
    const PetscInt   c   = order[k];
    const ExactMode& e   = exact[k];
    const PetscReal  rel = std::fabs(lambda[c] - e.lambda) / e.lambda;
    max_rel              = std::max(max_rel, rel);
    max_res              = std::max(max_res, residual[c]);
    // A mode's shape is defined only if its λ is simple: compare it with the
    // exact eigenvector when both neighbours are clearly apart.
    const bool simple = (k == 0 || e.lambda - exact[k - 1].lambda > 1e-6 * e.lambda) &&
                        (k + 1 >= (PetscInt)exact.size() || exact[k + 1].lambda - e.lambda > 1e-6 * e.lambda);
    char shape_text[32] = "degenerate";
    if (rank == 0 && simple) {
      const std::vector<PetscReal> w   = ExactShape(&user, e.m, e.n);
      PetscReal                    err = 0.0;
      for (PetscInt p = 0; p < n_total; ++p) err = std::max(err, std::fabs(shape[c][p] - w[p]));
      max_shape = std::max(max_shape, err);
      std::snprintf(shape_text, sizeof(shape_text), "%.2e", (double)err);
    }
    PetscCall(PetscPrintf(PETSC_COMM_WORLD, "%4" PetscInt_FMT " %4" PetscInt_FMT " %4" PetscInt_FMT
                          " %22.15e %22.15e %12.3e %14.6e %10.4e %10.2e %10s\n",
                          k + 1, e.m, e.n, (double)lambda[c], (double)e.lambda, (double)rel,
                          (double)ContinuumLambda(&user, e.m, e.n), (double)(std::sqrt(lambda[c]) / (2.0 * PETSC_PI)),
                          (double)residual[c], shape_text));
  }

  // The workshop's output: a cross-section of the first mode along the deck,
  // on the grid line nearest the centre line y = W/2.
  if (nshow > 0) {
    const PetscInt jc = (user.ny - 1) / 2;
    std::snprintf(line, sizeof(line), "%.6g", (double)((jc + 1) * user.hy));
    PetscCall(PetscPrintf(PETSC_COMM_WORLD, "Mode 1 along the deck at y = %s (central cross-section, max |w| = 1):\n",
                          line));
    PetscCall(PetscPrintf(PETSC_COMM_WORLD, "%12s %12s %12s\n", "x", "w (SLEPc)", "w (exact)"));
    const PetscInt               samples = std::min<PetscInt>(user.nx, 11);
    const std::vector<PetscReal> w       = rank == 0 ? ExactShape(&user, exact[0].m, exact[0].n)
                                                     : std::vector<PetscReal>();
    for (PetscInt s = 0; s < samples; ++s) {
      const PetscInt i = (s * (user.nx - 1) + (samples - 1) / 2) / (samples - 1);  // 11 nodes, ends included
      const PetscInt p = i + user.nx * jc;
      std::snprintf(line, sizeof(line), "%12.6g %12.6f %12.6f", (double)((i + 1) * user.hx),
                    (double)(rank == 0 ? shape[order[0]][p] : 0.0), (double)(rank == 0 ? w[p] : 0.0));
      PetscCall(PetscPrintf(PETSC_COMM_WORLD, "%s\n", line));
    }
  }

  // Mode shapes for the figures: x, y and the first (up to 4) modes, one row
  // per interior node.
  if (modes) {
    const PetscInt nm = std::min<PetscInt>(nshow, 4);
    std::fprintf(modes, "x,y");
    for (PetscInt k = 0; k < nm; ++k)
      std::fprintf(modes, ",mode%" PetscInt_FMT "_m%" PetscInt_FMT "_n%" PetscInt_FMT, k + 1, exact[k].m, exact[k].n);
    std::fprintf(modes, "\n");
    for (PetscInt j = 0; j < user.ny; ++j)
      for (PetscInt i = 0; i < user.nx; ++i) {
        std::fprintf(modes, "%.6g,%.6g", (double)((i + 1) * user.hx), (double)((j + 1) * user.hy));
        for (PetscInt k = 0; k < nm; ++k) std::fprintf(modes, ",%.6f", (double)shape[order[k]][i + user.nx * j]);
        std::fprintf(modes, "\n");
      }
    std::fclose(modes);
  }

  // Only rank 0 has the shapes; it decides, and everyone learns the verdict.
  PetscMPIInt pass = nconv >= nev_used && max_rel <= 1e-8 && max_res <= 1e-8 && max_shape <= 1e-6 ? 1 : 0;
  PetscCallMPI(MPI_Bcast(&pass, 1, MPI_INT, 0, PETSC_COMM_WORLD));

  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "size = %d\n", size));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "nx = %" PetscInt_FMT "\n", user.nx));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "ny = %" PetscInt_FMT "\n", user.ny));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "unknowns = %" PetscInt_FMT "\n", n_total));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "scaling = %s\n", user.seed_scaling ? "seed" : "consistent"));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "inner_solver = %s\n", inner.c_str()));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "nev = %" PetscInt_FMT "\n", nev_used));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "nconv = %" PetscInt_FMT "\n", nconv));
  for (PetscInt k = 0; k < nshow; ++k)
    PetscCall(PetscPrintf(PETSC_COMM_WORLD, "lambda_%" PetscInt_FMT " = %.15e\n", k + 1, (double)lambda[order[k]]));
  for (PetscInt k = 0; k < nshow; ++k)
    PetscCall(PetscPrintf(PETSC_COMM_WORLD, "exact_%" PetscInt_FMT " = %.15e\n", k + 1, (double)exact[k].lambda));
  if (nshow > 0) {
    const PetscReal cont = ContinuumLambda(&user, exact[0].m, exact[0].n);
    PetscCall(PetscPrintf(PETSC_COMM_WORLD, "continuum_1 = %.15e\n", (double)cont));
    PetscCall(PetscPrintf(PETSC_COMM_WORLD, "continuum_rel_error_1 = %.6e\n",
                          (double)(std::fabs(lambda[order[0]] - cont) / cont)));
    PetscCall(PetscPrintf(PETSC_COMM_WORLD, "frequency_1 = %.10e\n",
                          (double)(std::sqrt(lambda[order[0]]) / (2.0 * PETSC_PI))));
  }
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "max_rel_error = %.3e\n", (double)max_rel));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "max_residual = %.3e\n", (double)max_res));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "max_shape_error = %.3e\n", (double)max_shape));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "iterations = %" PetscInt_FMT "\n", its));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "inner_iterations = %" PetscInt_FMT "\n", inner_its));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "check = %s\n", pass ? "PASS" : "FAIL"));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "time_s = %.6f\n", time_s));

  PetscCall(VecScatterDestroy(&to_zero));
  PetscCall(VecDestroy(&on_zero));
  PetscCall(VecDestroy(&natural));
  PetscCall(VecDestroy(&x));
  PetscCall(EPSDestroy(&eps));
  PetscCall(MatDestroy(&K));
  PetscCall(MatDestroy(&M));
  PetscCall(DMDestroy(&da));
  PetscCall(WarnUnusedOptions());
  PetscCall(SlepcFinalize());
  return 0;
}
