/**
 * @file t2_fit.cpp
 * @brief Lesson 09: fit the T2 relaxation of one MRI voxel with Tao.
 *
 * The signal of one voxel at the echo times t_i (default 10, 20, 40, ...,
 * 280 ms) is S_i = A exp(-t_i / T2) + sigma n_i, with the truth (A, T2) =
 * (-amp, -t2), default (1, 85 ms), and n_i Gaussian noise of standard
 * deviation sigma = -noise (default 0.02, i.e. 2 % of A = 1) drawn from a
 * counter-based generator with key -seed.  Tao minimises
 * f(A, T2) = 1/2 sum_i (A exp(-t_i/T2) - S_i)^2 from the start
 * (-start_amp, -start_t2), default (0.8, 50), with `lmvm` unless -tao_type
 * says otherwise.  -bounds adds the physical bounds A >= 0, T2 >= 1 ms
 * (TaoSetVariableBounds) and makes `blmvm` the default method.
 *
 * A problem with two unknowns cannot be split over ranks: every rank fits the
 * same voxel on its own (PETSC_COMM_SELF) and rank 0 checks that all agree.
 *
 * Run: `make run`, `make run ARGS="-noise 0 -t2 30"`, `make run ARGS="-tao_test_gradient"`,
 * `make run ARGS="-tao_type nls"`.
 * Proof it is right: Tao's answer agrees with an independent
 * Levenberg–Marquardt fit written without PETSc (t2_model.hpp): the
 * difference, in units of the parameters' standard deviations from the
 * noise, is below 1e-3 (`ref_diff_sd`); without noise the fit returns the
 * truth (`t2_rel_error` below 1e-6).  Then `check = PASS` and exit 0.  A fit
 * that does not converge (`-tao_max_it 1`) ends with one `error:` line and exit 1.
 */
static char help[] = "Fits S(t) = A exp(-t/T2) to one noisy MRI voxel with Tao (lesson 09).\n"
                     "Options: -amp A -t2 T2 (truth), -noise sigma -seed k (noise), -te t1,t2,... (echo times, ms),\n"
                     "-start_amp -start_t2 (initial guess), -bounds (A >= 0, T2 >= 1 ms, blmvm), any -tao_ option.\n\n";

#include <petsctao.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "petsc_errors.hpp"
#include "t2_model.hpp"
#include "t2_tao.hpp"

struct Options {
  PetscReal           amp = 1.0, t2 = 85.0, noise = 0.02, start[2] = {0.8, 50.0};
  PetscInt            seed   = 2024;
  PetscBool           bounds = PETSC_FALSE;
  std::vector<double> times  = t2::kEchoTimes;
};

static PetscErrorCode ReadOptions(Options* o)
{
  PetscReal te[257];
  PetscInt  nte = 257;
  PetscBool set = PETSC_FALSE;

  PetscFunctionBeginUser;
  PetscOptionsBegin(PETSC_COMM_WORLD, NULL, "T2 fit of one voxel", "Tao");
  PetscCall(PetscOptionsReal("-amp", "true amplitude A (> 0)", "", o->amp, &o->amp, NULL));
  PetscCall(PetscOptionsReal("-t2", "true T2 in ms (> 0)", "", o->t2, &o->t2, NULL));
  PetscCall(PetscOptionsReal("-noise", "noise standard deviation, units of A (>= 0)", "", o->noise, &o->noise, NULL));
  PetscCall(PetscOptionsBoundedInt("-seed", "key of the noise generator (>= 0)", "", o->seed, &o->seed, NULL, 0));
  PetscCall(PetscOptionsRealArray("-te", "echo times in ms, comma-separated (default 10,20,40,...,280)", "", te, &nte, &set));
  PetscCall(PetscOptionsReal("-start_amp", "initial guess for A (> 0)", "TaoSetSolution", o->start[0], &o->start[0], NULL));
  PetscCall(PetscOptionsReal("-start_t2", "initial guess for T2 in ms (> 0)", "TaoSetSolution", o->start[1], &o->start[1], NULL));
  PetscCall(PetscOptionsBool("-bounds", "bound A >= 0, T2 >= 1 ms (the default method becomes blmvm)", "TaoSetVariableBounds",
                             o->bounds, &o->bounds, NULL));
  PetscOptionsEnd();
  const struct { const char* name; PetscReal v; } positive[] = {
    {"-amp", o->amp}, {"-t2", o->t2}, {"-start_amp", o->start[0]}, {"-start_t2", o->start[1]}};
  for (const auto& p : positive)
    PetscCheck(p.v > 0 && p.v < 1e6, PETSC_COMM_WORLD, PETSC_ERR_USER_INPUT, "%s = %g is out of range (0 < value < 1e6)", p.name, (double)p.v);
  PetscCheck(o->noise >= 0 && o->noise < 1e6, PETSC_COMM_WORLD, PETSC_ERR_USER_INPUT, "-noise = %g is out of range (0 <= sigma < 1e6)",
             (double)o->noise);
  if (set) PetscCall(CheckEchoTimes(te, nte, 257, 2, &o->times));  // 2 unknowns need at least 2 echoes
  PetscFunctionReturn(PETSC_SUCCESS);
}

// Check the fit against the independent reference and print the results
// (rank 0).  Every rank fitted the same voxel: they must agree to the last bit.
static PetscErrorCode CheckAndReport(const Options& o, const std::vector<double>& signal, Tao tao, const double* fit,
                                     long nfev, PetscMPIInt size, double time_s, PetscBool* pass)
{
  TaoType            type;
  TaoConvergedReason reason;
  PetscInt           its;
  PetscReal          f, gnorm, cnorm, xdiff;

  PetscFunctionBeginUser;
  PetscCall(TaoGetType(tao, &type));
  PetscCall(TaoGetSolutionStatus(tao, &its, &f, &gnorm, &cnorm, &xdiff, &reason));
  double mine[2] = {fit[0], -fit[0]}, hi_lo[2];
  PetscCallMPI(MPI_Allreduce(mine, hi_lo, 2, MPI_DOUBLE, MPI_MAX, PETSC_COMM_WORLD));
  const bool ranks_agree = hi_lo[0] == -hi_lo[1];

  // The reference: Levenberg–Marquardt from the same start.  The difference is
  // measured in standard deviations of the parameters (Gauss–Newton, from the
  // noise): two fits 1e-3 sd apart are the same answer.  Without noise: relative.
  double    ref[2] = {o.start[0], o.start[1]}, sd[2] = {0, 0}, diff_sd = 0, rel_diff = 0;
  const int ref_its = t2::ReferenceFit(o.times, signal, ref, 2);
  const bool have_sd = o.noise > 0 && t2::GaussNewtonSd(o.times, signal, fit, 2, o.noise, sd);
  for (int k = 0; k < 2; ++k) {
    rel_diff = std::max(rel_diff, std::fabs(fit[k] - ref[k]) / std::fabs(ref[k]));
    if (have_sd) diff_sd = std::max(diff_sd, std::fabs(fit[k] - ref[k]) / sd[k]);
  }
  const double amp_err = std::fabs(fit[0] - o.amp) / o.amp, t2_err = std::fabs(fit[1] - o.t2) / o.t2;
  const bool   agrees  = o.noise > 0 ? have_sd && diff_sd < 1e-3 : rel_diff < 1e-6 && t2_err < 1e-6;
  *pass = ranks_agree && ref_its > 0 && agrees ? PETSC_TRUE : PETSC_FALSE;

  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "Fitted A = %.6f, T2 = %.4f ms (truth %.6g, %.6g ms) with %s in %" PetscInt_FMT
                        " iterations: %s\n", fit[0], fit[1], (double)o.amp, (double)o.t2, type, its, TaoConvergedReasons[reason]));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "size = %d\n", size));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "tao_type = %s\n", type));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "echoes = %zu\n", o.times.size()));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "reason = %s\n", TaoConvergedReasons[reason]));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "converged = yes\n"));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "iterations = %" PetscInt_FMT "\n", its));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "evaluations = %ld\n", nfev));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "amp = %.10g\n", fit[0]));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "t2 = %.10g\n", fit[1]));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "objective = %.6e\n", (double)f));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "gradient_norm = %.3e\n", (double)gnorm));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "amp_rel_error = %.3e\n", amp_err));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "t2_rel_error = %.3e\n", t2_err));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "t2_sd = %.4g\n", sd[1]));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "ref_amp = %.10g\n", ref[0]));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "ref_t2 = %.10g\n", ref[1]));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "ref_rel_diff = %.3e\n", rel_diff));
  if (have_sd) PetscCall(PetscPrintf(PETSC_COMM_WORLD, "ref_diff_sd = %.3e\n", diff_sd));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "ranks_agree = %s\n", ranks_agree ? "yes" : "no"));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "check = %s\n", *pass ? "PASS" : "FAIL"));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "time_s = %.6f\n", time_s));
  PetscFunctionReturn(PETSC_SUCCESS);
}

int main(int argc, char** argv)
{
  PetscCall(PetscInitialize(&argc, &argv, NULL, help));
  PetscCall(PetscPushErrorHandler(UserInputErrorHandler, NULL));
  PetscMPIInt size = 0;
  PetscCallMPI(MPI_Comm_size(PETSC_COMM_WORLD, &size));
  Options o;
  PetscCall(ReadOptions(&o));

  // The measured signal: voxel 0, draw 0 of the generator keyed by -seed.
  const std::vector<double> signal = t2::Signal(o.times, {o.amp, o.t2}, o.noise, (std::uint64_t)o.seed, 0, 0);
  AppCtx user;
  user.times  = &o.times;
  user.signal = signal.data();

  // Two unknowns: a sequential Vec and a 2 x 2 Hessian on each rank.
  Vec                x;
  Mat                H;
  Tao                tao;
  TaoSettings        s;
  const double       lower[2] = {0.0, 1.0}, upper[2] = {PETSC_INFINITY, PETSC_INFINITY};  // A >= 0, T2 >= 1 ms
  TaoConvergedReason reason;
  PetscInt           its;
  double             fit[2];
  s.type  = o.bounds ? TAOBLMVM : TAOLMVM;
  s.lower = o.bounds ? lower : nullptr;
  s.upper = upper;
  PetscCall(VecCreateSeq(PETSC_COMM_SELF, 2, &x));
  PetscCall(MatCreateSeqDense(PETSC_COMM_SELF, 2, 2, NULL, &H));
  PetscCall(CreateTao(&user, x, H, s, &tao));

  PetscCallMPI(MPI_Barrier(PETSC_COMM_WORLD));
  const double t0 = MPI_Wtime();
  PetscCall(FitVoxel(tao, x, o.start, fit, &reason));
  PetscCallMPI(MPI_Barrier(PETSC_COMM_WORLD));
  const double time_s = MPI_Wtime() - t0;
  PetscCall(TaoGetIterationNumber(tao, &its));

  // A fit that stopped early has no answer to check: one error line, exit 1.
  FitFailures failures;
  PetscBool   converged = PETSC_FALSE;
  TaoType     type;
  failures.Note(reason, its);
  PetscCall(TaoGetType(tao, &type));
  PetscCall(ReportNotConverged(type, failures, 1, NULL, &converged));
  PetscBool pass = PETSC_FALSE;
  if (converged) PetscCall(CheckAndReport(o, signal, tao, fit, user.nfev, size, time_s, &pass));

  PetscCall(TaoDestroy(&tao));
  PetscCall(MatDestroy(&H));
  PetscCall(VecDestroy(&x));
  if (converged) PetscCall(WarnUnusedOptions());
  PetscCall(PetscPopErrorHandler());
  PetscCall(PetscFinalize());
  return pass ? 0 : 1;
}
