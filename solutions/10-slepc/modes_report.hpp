// modes_report.hpp — what lesson 10 does with the eigenpairs SLEPc returns:
// keeps each mode shape (gathered on rank 0), compares the eigenvalues and
// shapes with the exact discrete ones (exact_modes.hpp), prints the table, the
// central cross-section of mode 1 and the `name = value` lines, and writes
// the first mode shapes to a CSV file (-modes_file).
#pragma once

#include <slepceps.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "deck.hpp"
#include "exact_modes.hpp"

// The eigenpairs read from SLEPc.
struct Modes {
  PetscInt                            nconv = 0;  // how many pairs converged (EPSGetConverged)
  std::vector<PetscReal>              lambda;     // the eigenvalues read, in SLEPc's order
  std::vector<std::vector<PetscReal>> shape;      // their vectors on rank 0: natural order, max |w| = 1
};

// Keep one eigenpair: λ, and the vector x gathered on rank 0 in the natural
// order i + nx*j (the DMDA numbers the nodes rank by rank).
static inline PetscErrorCode KeepMode(DM da, PetscScalar lambda, Vec x, Modes* modes)
{
  Vec                    natural, on_zero;
  VecScatter             to_zero;
  PetscMPIInt            rank;
  std::vector<PetscReal> w;

  PetscFunctionBeginUser;
  PetscCallMPI(MPI_Comm_rank(PetscObjectComm((PetscObject)da), &rank));
  PetscCall(DMDACreateNaturalVector(da, &natural));
  PetscCall(DMDAGlobalToNaturalBegin(da, x, INSERT_VALUES, natural));
  PetscCall(DMDAGlobalToNaturalEnd(da, x, INSERT_VALUES, natural));
  PetscCall(VecScatterCreateToZero(natural, &to_zero, &on_zero));
  PetscCall(VecScatterBegin(to_zero, natural, on_zero, INSERT_VALUES, SCATTER_FORWARD));
  PetscCall(VecScatterEnd(to_zero, natural, on_zero, INSERT_VALUES, SCATTER_FORWARD));
  if (rank == 0) {
    const PetscScalar* a;
    PetscInt           n;
    PetscCall(VecGetLocalSize(on_zero, &n));
    PetscCall(VecGetArrayRead(on_zero, &a));
    for (PetscInt p = 0; p < n; ++p) w.push_back(PetscRealPart(a[p]));
    PetscCall(VecRestoreArrayRead(on_zero, &a));
    Normalize(w);
  }
  modes->lambda.push_back(PetscRealPart(lambda));
  modes->shape.push_back(w);
  PetscCall(VecScatterDestroy(&to_zero));
  PetscCall(VecDestroy(&on_zero));
  PetscCall(VecDestroy(&natural));
  PetscFunctionReturn(PETSC_SUCCESS);
}

// What the eigensolver was asked to do, in words ("unset": not chosen yet;
// SLEPc picks its default when it sets up).
struct SolverInfo {
  std::string        eps = "none", problem = "none", which = "none", st = "none", inner = "none";
  PetscReal          target = 0.0;
  PetscInt           nev = 0, its = 0, inner_its = 0;
  EPSConvergedReason reason = EPS_CONVERGED_ITERATING;
};

static PetscErrorCode DescribeEigensolver(EPS eps, SolverInfo* s)
{
  const char *eps_type, *st_type, *ksp_type, *pc_type;
  MatSolverType       package = NULL;
  EPSProblemType      problem;
  EPSWhich            which;
  ST                  st;
  KSP                 ksp;
  PC                  pc;
  PetscInt            ncv, mpd;
  PetscBool           factor = PETSC_FALSE;
  static const char*  problems[] = {"unset", "hep", "ghep", "nhep", "gnhep", "pgnhep", "ghiep"};
  static const char*  whiches[]  = {"unset",        "largest_magnitude", "smallest_magnitude", "largest_real",
                                    "smallest_real", "largest_imaginary", "smallest_imaginary", "target_magnitude",
                                    "target_real",   "target_imaginary",  "all",                "user"};

  PetscFunctionBeginUser;
  if (!eps) PetscFunctionReturn(PETSC_SUCCESS);  // no eigensolver: everything "none"
  PetscCall(EPSGetType(eps, &eps_type));
  PetscCall(EPSGetProblemType(eps, &problem));
  PetscCall(EPSGetWhichEigenpairs(eps, &which));
  PetscCall(EPSGetTarget(eps, &s->target));
  PetscCall(EPSGetDimensions(eps, &s->nev, &ncv, &mpd));
  PetscCall(EPSGetIterationNumber(eps, &s->its));
  PetscCall(EPSGetConvergedReason(eps, &s->reason));
  PetscCall(EPSGetST(eps, &st));
  PetscCall(STGetType(st, &st_type));
  PetscCall(STGetKSP(st, &ksp));
  PetscCall(KSPGetType(ksp, &ksp_type));
  PetscCall(KSPGetPC(ksp, &pc));
  PetscCall(PCGetType(pc, &pc_type));
  PetscCall(KSPGetTotalIterations(ksp, &s->inner_its));
  PetscCall(PetscObjectTypeCompareAny((PetscObject)pc, &factor, PCLU, PCCHOLESKY, ""));
  if (factor) PetscCall(PCFactorGetMatSolverType(pc, &package));
  s->eps     = eps_type ? eps_type : "unset";
  s->problem = (int)problem >= 0 && (int)problem < 7 ? problems[problem] : "other";
  s->which   = (int)which >= 0 && (int)which < 12 ? whiches[which] : "other";
  s->st      = st_type ? st_type : "unset";
  s->inner   = std::string(ksp_type ? ksp_type : "unset") + "+" + (pc_type ? pc_type : "unset");
  if (package) s->inner += std::string("(") + package + ")";
  PetscFunctionReturn(PETSC_SUCCESS);
}

// Write x, y and the first (up to 4) mode shapes, one row per interior node,
// on rank 0; through a temporary file, so that no half-written file is left.
static PetscErrorCode WriteModes(const AppCtx* user, const Modes* modes, const std::vector<PetscInt>& order,
                                 const std::vector<ExactMode>& exact, PetscInt nshow)
{
  PetscMPIInt rank, ok = 1;

  PetscFunctionBeginUser;
  PetscCallMPI(MPI_Comm_rank(PETSC_COMM_WORLD, &rank));
  if (rank == 0) {
    const std::string tmp = std::string(user->modes_file) + ".tmp";
    std::FILE*        f   = std::fopen(tmp.c_str(), "w");
    const PetscInt    nm  = std::min<PetscInt>(nshow, 4);
    ok                    = f != NULL;
    if (f) {
      std::fprintf(f, "x,y");
      for (PetscInt k = 0; k < nm; ++k)
        std::fprintf(f, ",mode%d_m%d_n%d", (int)(k + 1), (int)exact[k].m, (int)exact[k].n);
      std::fprintf(f, "\n");
      for (PetscInt j = 0; j < user->ny; ++j)
        for (PetscInt i = 0; i < user->nx; ++i) {
          std::fprintf(f, "%.6g,%.6g", (double)((i + 1) * user->hx), (double)((j + 1) * user->hy));
          for (PetscInt k = 0; k < nm; ++k) std::fprintf(f, ",%.6f", (double)modes->shape[order[k]][i + user->nx * j]);
          std::fprintf(f, "\n");
        }
      ok = std::fclose(f) == 0 && std::rename(tmp.c_str(), user->modes_file) == 0;
    }
  }
  PetscCallMPI(MPI_Bcast(&ok, 1, MPI_INT, 0, PETSC_COMM_WORLD));
  PetscCheck(ok, PETSC_COMM_WORLD, PETSC_ERR_USER_INPUT, "cannot write the mode shapes to '%s'", user->modes_file);
  PetscFunctionReturn(PETSC_SUCCESS);
}

// Compare with the exact discrete modes, print everything, and decide.
// An eigensolver that gave up (-eps_max_it too small) is one `error:` line.
static PetscErrorCode ReportModes(EPS eps, const AppCtx* user, const Modes* modes, double time_s, PetscBool* pass)
{
  SolverInfo  s;
  PetscMPIInt rank, size, ok;
  char        line[256];

  PetscFunctionBeginUser;
  PetscCallMPI(MPI_Comm_rank(PETSC_COMM_WORLD, &rank));
  PetscCallMPI(MPI_Comm_size(PETSC_COMM_WORLD, &size));
  PetscCall(DescribeEigensolver(eps, &s));
  *pass = PETSC_FALSE;
  if (s.reason < 0) {
    PetscCall(PetscFPrintf(PETSC_COMM_WORLD, PETSC_STDERR,
                           "error: only %" PetscInt_FMT " of %" PetscInt_FMT " eigenpairs converged in %" PetscInt_FMT
                           " iterations (%s, %s): raise -eps_max_it, or change the solver\n",
                           modes->nconv, s.nev, s.its, EPSConvergedReasons[s.reason], s.eps.c_str()));
    PetscFunctionReturn(PETSC_SUCCESS);
  }
  const PetscInt n_total = user->nx * user->ny, nshow = (PetscInt)modes->lambda.size();
  // The exact modes, one more than asked, to know whether the last one asked
  // for is degenerate with the next.
  const std::vector<ExactMode> exact = ExactDiscreteModes(user, std::min(std::max(s.nev, nshow) + 1, n_total));
  // SLEPc returns the pairs sorted by distance to the target, that is by λ;
  // sort again anyway, so that the comparison with the exact list is in order.
  std::vector<PetscInt> order(nshow);
  for (PetscInt k = 0; k < nshow; ++k) order[k] = k;
  std::stable_sort(order.begin(), order.end(),
                   [&](PetscInt a, PetscInt b) { return modes->lambda[a] < modes->lambda[b]; });

  std::snprintf(line, sizeof(line), "Bridge deck %g x %g, %d x %d interior nodes (hx = %.6g, hy = %.6g)",
                (double)user->length, (double)user->width, (int)user->nx, (int)user->ny, (double)user->hx,
                (double)user->hy);
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "%s, %s scaling, inner solver %s\n", line,
                        user->unscaled_stiffness ? "unscaled_stiffness" : "consistent", s.inner.c_str()));
  if (modes->nconv < s.nev)
    PetscCall(PetscPrintf(PETSC_COMM_WORLD, "warning: only %" PetscInt_FMT " of %" PetscInt_FMT " eigenpairs converged\n",
                          modes->nconv, s.nev));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "%4s %4s %4s %22s %22s %12s %14s %10s %10s %10s\n", "k", "m", "n",
                        "lambda (SLEPc)", "lambda (exact discrete)", "rel. error", "continuum", "f [1/s]", "residual",
                        "shape err"));
  PetscReal max_rel = 0.0, max_res = 0.0, max_shape = 0.0;
  for (PetscInt k = 0; k < nshow && k < (PetscInt)exact.size(); ++k) {
    const PetscInt   c = order[k];
    const ExactMode& e = exact[k];
    PetscReal        residual;
    PetscCall(EPSComputeError(eps, c, EPS_ERROR_RELATIVE, &residual));  // ||Kx - λMx|| / (|λ| ||x||)
    const PetscReal rel = std::fabs(modes->lambda[c] - e.lambda) / e.lambda;
    max_rel             = std::max(max_rel, rel);
    max_res             = std::max(max_res, residual);
    // A mode's shape is defined only if its λ is simple: compare it with the
    // exact eigenvector when both neighbours are clearly apart.
    const bool simple = (k == 0 || e.lambda - exact[k - 1].lambda > 1e-6 * e.lambda) &&
                        (k + 1 >= (PetscInt)exact.size() || exact[k + 1].lambda - e.lambda > 1e-6 * e.lambda);
    char shape_text[32] = "degenerate";
    if (rank == 0 && simple) {
      const std::vector<PetscReal> w   = ExactShape(user, e.m, e.n);
      PetscReal                    err = 0.0;
      for (PetscInt p = 0; p < n_total; ++p) err = std::max(err, std::fabs(modes->shape[c][p] - w[p]));
      max_shape = std::max(max_shape, err);
      std::snprintf(shape_text, sizeof(shape_text), "%.2e", (double)err);
    }
    PetscCall(PetscPrintf(PETSC_COMM_WORLD,
                          "%4" PetscInt_FMT " %4" PetscInt_FMT " %4" PetscInt_FMT
                          " %22.15e %22.15e %12.3e %14.6e %10.4e %10.2e %10s\n",
                          k + 1, e.m, e.n, (double)modes->lambda[c], (double)e.lambda, (double)rel,
                          (double)ContinuumLambda(user, e.m, e.n),
                          (double)(std::sqrt(modes->lambda[c]) / (2.0 * PETSC_PI)), (double)residual, shape_text));
  }

  // Mode 1 along the deck, on the grid line nearest the centre line y = W/2.
  if (nshow > 0) {
    const PetscInt jc = (user->ny - 1) / 2;
    std::snprintf(line, sizeof(line), "%.6g", (double)((jc + 1) * user->hy));
    PetscCall(PetscPrintf(PETSC_COMM_WORLD, "Mode 1 along the deck at y = %s (central cross-section, max |w| = 1):\n",
                          line));
    PetscCall(PetscPrintf(PETSC_COMM_WORLD, "%12s %12s %12s\n", "x", "w (SLEPc)", "w (exact)"));
    const PetscInt               samples = std::min<PetscInt>(user->nx, 11);
    const std::vector<PetscReal> w       = rank == 0 ? ExactShape(user, exact[0].m, exact[0].n) : std::vector<PetscReal>();
    for (PetscInt q = 0; q < samples; ++q) {
      const PetscInt i = (q * (user->nx - 1) + (samples - 1) / 2) / (samples - 1);  // ends included
      const PetscInt p = i + user->nx * jc;
      std::snprintf(line, sizeof(line), "%12.6g %12.6f %12.6f", (double)((i + 1) * user->hx),
                    (double)(rank == 0 ? modes->shape[order[0]][p] : 0.0), (double)(rank == 0 ? w[p] : 0.0));
      PetscCall(PetscPrintf(PETSC_COMM_WORLD, "%s\n", line));
    }
  }
  if (user->modes_file[0] != '\0' && nshow > 0) PetscCall(WriteModes(user, modes, order, exact, nshow));

  // Only rank 0 has the shapes; it decides, and every rank learns the verdict.
  ok = s.nev > 0 && modes->nconv >= s.nev && nshow >= s.nev && max_rel <= 1e-8 && max_res <= 1e-8 && max_shape <= 1e-6;
  PetscCallMPI(MPI_Bcast(&ok, 1, MPI_INT, 0, PETSC_COMM_WORLD));
  *pass = ok ? PETSC_TRUE : PETSC_FALSE;

  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "size = %d\n", size));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "nx = %" PetscInt_FMT "\nny = %" PetscInt_FMT "\nunknowns = %" PetscInt_FMT "\n",
                        user->nx, user->ny, n_total));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "scaling = %s\n", user->unscaled_stiffness ? "unscaled_stiffness" : "consistent"));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "eigensolver = %s\nproblem = %s\nwhich = %s\n", s.eps.c_str(),
                        s.problem.c_str(), s.which.c_str()));
  std::snprintf(line, sizeof(line), "%g", (double)s.target);
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "target = %s\nst = %s\ninner_solver = %s\n", line, s.st.c_str(),
                        s.inner.c_str()));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "nev = %" PetscInt_FMT "\nnconv = %" PetscInt_FMT "\n", s.nev, modes->nconv));
  for (PetscInt k = 0; k < nshow; ++k)
    PetscCall(PetscPrintf(PETSC_COMM_WORLD, "lambda_%" PetscInt_FMT " = %.15e\n", k + 1, (double)modes->lambda[order[k]]));
  for (PetscInt k = 0; k < nshow && k < (PetscInt)exact.size(); ++k)
    PetscCall(PetscPrintf(PETSC_COMM_WORLD, "exact_%" PetscInt_FMT " = %.15e\n", k + 1, (double)exact[k].lambda));
  if (nshow > 0) {
    const PetscReal lambda1 = modes->lambda[order[0]], cont = ContinuumLambda(user, exact[0].m, exact[0].n);
    PetscCall(PetscPrintf(PETSC_COMM_WORLD, "continuum_1 = %.15e\ncontinuum_rel_error_1 = %.6e\nfrequency_1 = %.10e\n",
                          (double)cont, (double)(std::fabs(lambda1 - cont) / cont),
                          (double)(std::sqrt(lambda1) / (2.0 * PETSC_PI))));
  }
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "max_rel_error = %.3e\nmax_residual = %.3e\nmax_shape_error = %.3e\n",
                        (double)max_rel, (double)max_res, (double)max_shape));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "iterations = %" PetscInt_FMT "\ninner_iterations = %" PetscInt_FMT "\n", s.its,
                        s.inner_its));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "check = %s\ntime_s = %.6f\n", *pass ? "PASS" : "FAIL", time_s));
  PetscFunctionReturn(PETSC_SUCCESS);
}
