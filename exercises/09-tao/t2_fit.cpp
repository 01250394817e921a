/**
 * @file t2_fit.cpp
 * @brief Lesson 09: fit the T2 relaxation of one MRI voxel with TAO.
 *
 * The signal of one voxel at the echo times t_i (default the workshop's 10, 20,
 * 40, ..., 280 ms) is S_i = A exp(-t_i / T2) + sigma n_i, with the truth
 * (A, T2) = (-amp, -t2), default (1, 85 ms), and n_i Gaussian noise of
 * standard deviation sigma = -noise (default 0.02, i.e. 2 % of A = 1) drawn
 * from a counter-based generator with key -seed.  TAO minimises
 * f(A, T2) = 1/2 sum_i (A exp(-t_i/T2) - S_i)^2 from the start
 * (-start_amp, -start_t2), default (0.8, 50), with `lmvm` unless -tao_type says
 * otherwise.  -bounds adds the physical bounds A >= 0, T2 >= 1 ms with
 * TaoSetVariableBounds and makes `blmvm` the default solver.
 *
 * A problem with two unknowns cannot be split over ranks: every rank fits the
 * same voxel on its own (PETSC_COMM_SELF) and rank 0 checks that all agree.
 *
 * Run: `make run PROG=t2_fit NP=1`, `make run PROG=t2_fit ARGS="-noise 0 -t2 30"`,
 * `make run PROG=t2_fit ARGS="-tao_test_gradient"`.
 * Proof it is right: with -noise 0 the fit returns the truth
 * (`t2_rel_error` below 1e-6); with noise, TAO's answer agrees with an
 * independent Levenberg–Marquardt fit written without PETSc (`ref_rel_diff`
 * below 1e-6) and `check = PASS`.
 */
static char help[] = "Fits S(t) = A exp(-t/T2) to one noisy MRI voxel with TAO (lesson 09).\n"
                     "Options: -amp A -t2 T2 (truth), -noise sigma -seed k (noise), -te t1,t2,... (echo times, ms),\n"
                     "-start_amp -start_t2 (initial guess), -bounds (A >= 0, T2 >= 1 ms, blmvm), any -tao_ option.\n\n";

#include <petsctao.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "petsc_cli.hpp"
#include "t2_model.hpp"
#include "t2_tao.hpp"

int main(int argc, char** argv)
{
  PetscCall(PetscInitialize(&argc, &argv, NULL, help));
  PetscMPIInt size = 0;
  PetscCallMPI(MPI_Comm_size(PETSC_COMM_WORLD, &size));

  // Check every value's text first: one clean line for `-t2 -5`, `-noise abc`.
  std::vector<double> times = t2::kEchoTimes;
  std::string         error;
  const struct { const char* name; double lo, hi; bool open; } reals[] = {
    {"-amp", 0, 1e6, true}, {"-t2", 0, 1e6, true}, {"-noise", 0, 1e6, false},
    {"-start_amp", 0, 1e6, true}, {"-start_t2", 0, 1e6, true}};
  for (const auto& r : reals)
    if (error.empty()) PetscCall(CheckRealOption(r.name, r.lo, r.hi, r.open, &error));
  if (error.empty()) PetscCall(CheckIntOption("-seed", 0, 2147483647L, &error));
  if (error.empty()) PetscCall(CheckRealListOption("-te", 2, &times, &error));  // 2 unknowns need >= 2 echoes
  if (!error.empty()) {
    PetscCall(PrintError(error));
    PetscCall(PetscFinalize());
    return 1;
  }

  PetscReal amp = 1.0, t2 = 85.0, noise = 0.02, start_amp = 0.8, start_t2 = 50.0;
  PetscInt  seed   = 2024;
  PetscBool bounds = PETSC_FALSE;
  char      te_text[4096] = "";
  PetscOptionsBegin(PETSC_COMM_WORLD, NULL, "T2 fit of one voxel", "Tao");
  PetscCall(PetscOptionsReal("-amp", "true amplitude A (> 0)", "", amp, &amp, NULL));
  PetscCall(PetscOptionsReal("-t2", "true T2 in ms (> 0)", "", t2, &t2, NULL));
  PetscCall(PetscOptionsReal("-noise", "noise standard deviation, units of A (>= 0)", "", noise, &noise, NULL));
  PetscCall(PetscOptionsInt("-seed", "key of the noise generator", "", seed, &seed, NULL));
  PetscCall(PetscOptionsString("-te", "echo times in ms, comma-separated", "", "10,20,40,...,280", te_text,
                               sizeof(te_text), NULL));
  PetscCall(PetscOptionsReal("-start_amp", "initial guess for A", "TaoSetSolution", start_amp, &start_amp, NULL));
  PetscCall(PetscOptionsReal("-start_t2", "initial guess for T2 in ms", "TaoSetSolution", start_t2, &start_t2, NULL));
  PetscCall(PetscOptionsBool("-bounds", "bound A >= 0, T2 >= 1 ms (default solver becomes blmvm)",
                             "TaoSetVariableBounds", bounds, &bounds, NULL));
  PetscOptionsEnd();

  // The measured signal: voxel 0, draw 0 of the generator keyed by -seed.
  const std::vector<double> signal = t2::Signal(times, {amp, t2}, noise, (std::uint64_t)seed, 0, 0);

  AppCtx user;
  user.times  = &times;
  user.signal = signal.data();
  user.nparam = 2;

  // Two unknowns: a sequential Vec on each rank.
  Vec x, lower = NULL, upper = NULL;
  Mat H;
  Tao tao;
  PetscCall(VecCreateSeq(PETSC_COMM_SELF, 2, &x));
  PetscCall(MatCreateSeqDense(PETSC_COMM_SELF, 2, 2, NULL, &H));
  PetscCall(TaoCreate(PETSC_COMM_SELF, &tao));
  PetscCall(TaoSetType(tao, bounds ? TAOBLMVM : TAOLMVM));
  PetscCall(TaoSetObjectiveAndGradient(tao, NULL, FormFunctionGradient, &user));
  PetscCall(TaoSetHessian(tao, H, H, FormHessian, &user));
  if (bounds) {
    // A >= 0 and T2 >= 1 ms: a T2 below 1 ms has decayed to e^-10 of its
    // value by the first echo (10 ms) and cannot be measured anyway.
    PetscCall(VecDuplicate(x, &lower));
    PetscCall(VecDuplicate(x, &upper));
    PetscCall(VecSetValue(lower, 0, 0.0, INSERT_VALUES));
    PetscCall(VecSetValue(lower, 1, 1.0, INSERT_VALUES));
    PetscCall(VecAssemblyBegin(lower));
    PetscCall(VecAssemblyEnd(lower));
    PetscCall(VecSet(upper, PETSC_INFINITY));
    // TODO: hand the bounds to TAO (TaoSetVariableBounds); until then blmvm
    // runs without them.
  }
  // Stop when the gradient norm is below 1e-10 (PETSc's default 1e-8 leaves
  // T2 uncertain in the 6th digit, since f is flat along T2), and not on the
  // relative test ||g|| / f, which misbehaves as f -> 0 without noise.
  // -tao_gatol and friends still override them.
  PetscCall(TaoSetTolerances(tao, 1e-10, 0.0, 0.0));
  PetscCall(TaoSetMaximumIterations(tao, 1000));
  PetscCall(TaoSetFromOptions(tao));

  PetscCall(VecSetValue(x, 0, start_amp, INSERT_VALUES));
  PetscCall(VecSetValue(x, 1, start_t2, INSERT_VALUES));
  PetscCall(VecAssemblyBegin(x));
  PetscCall(VecAssemblyEnd(x));
  PetscCall(TaoSetSolution(tao, x));

  PetscCallMPI(MPI_Barrier(PETSC_COMM_WORLD));
  const double t0 = MPI_Wtime();
  PetscCall(TaoSolve(tao));
  PetscCallMPI(MPI_Barrier(PETSC_COMM_WORLD));
  const double time_s = MPI_Wtime() - t0;

  TaoType            type;
  TaoConvergedReason reason;
  PetscInt           its;
  PetscReal          f, gnorm, cnorm, xdiff;
  PetscCall(TaoGetType(tao, &type));
  PetscCall(TaoGetSolutionStatus(tao, &its, &f, &gnorm, &cnorm, &xdiff, &reason));
  const PetscScalar* p;
  PetscCall(VecGetArrayRead(x, &p));
  const double fit_amp = PetscRealPart(p[0]), fit_t2 = PetscRealPart(p[1]);
  PetscCall(VecRestoreArrayRead(x, &p));

  // Every rank solved the same problem: they must agree to the last bit.
  double mine[2] = {fit_amp, -fit_amp}, hi_lo[2];
  PetscCallMPI(MPI_Allreduce(mine, hi_lo, 2, MPI_DOUBLE, MPI_MAX, PETSC_COMM_WORLD));
  const bool ranks_agree = hi_lo[0] == -hi_lo[1] || (std::isnan(hi_lo[0]) && std::isnan(hi_lo[1]));

  // The independent reference: Levenberg–Marquardt from the same start.
  double    ref[2] = {start_amp, start_t2};
  const int ref_its = t2::ReferenceFit(times, signal, ref, 2);
  const double ref_diff = std::max(std::fabs(fit_amp - ref[0]) / std::fabs(ref[0]), std::fabs(fit_t2 - ref[1]) / std::fabs(ref[1]));
  const double amp_err = std::fabs(fit_amp - amp) / amp, t2_err = std::fabs(fit_t2 - t2) / t2;

  const bool converged = reason > 0 && std::isfinite(fit_t2) && fit_t2 > 0 && fit_amp > 0;
  const bool pass      = converged && ranks_agree && ref_its > 0 && ref_diff < 1e-6 && (noise > 0 || t2_err < 1e-6);

  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "Fitted A = %.6f, T2 = %.4f ms (truth %.6g, %.6g ms) with %s in %" PetscInt_FMT
                        " iterations: %s\n", fit_amp, fit_t2, (double)amp, (double)t2, type, its, TaoConvergedReasons[reason]));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "size = %d\n", size));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "tao_type = %s\n", type));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "echoes = %zu\n", times.size()));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "reason = %s\n", TaoConvergedReasons[reason]));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "converged = %s\n", converged ? "yes" : "no"));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "iterations = %" PetscInt_FMT "\n", its));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "evaluations = %ld\n", user.nfev));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "amp = %.10g\n", fit_amp));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "t2 = %.10g\n", fit_t2));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "objective = %.6e\n", (double)f));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "gradient_norm = %.3e\n", (double)gnorm));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "amp_rel_error = %.3e\n", amp_err));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "t2_rel_error = %.3e\n", t2_err));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "ref_amp = %.10g\n", ref[0]));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "ref_t2 = %.10g\n", ref[1]));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "ref_rel_diff = %.3e\n", ref_diff));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "ranks_agree = %s\n", ranks_agree ? "yes" : "no"));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "check = %s\n", pass ? "PASS" : "FAIL"));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "time_s = %.6f\n", time_s));

  PetscCall(TaoDestroy(&tao));
  PetscCall(MatDestroy(&H));
  PetscCall(VecDestroy(&lower));
  PetscCall(VecDestroy(&upper));
  PetscCall(VecDestroy(&x));
  PetscCall(WarnUnusedOptions());
  PetscCall(PetscFinalize());
  return 0;
}
