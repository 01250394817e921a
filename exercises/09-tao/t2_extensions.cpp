/**
 * @file t2_extensions.cpp
 * @brief Lesson 09, two steps further: a two-compartment (bi-exponential)
 * fit, and the uncertainty of T2 from the Gauss–Newton Hessian.
 *
 * Part 1.  A voxel with two water compartments,
 *   S(t) = A1 exp(-t/T21) + A2 exp(-t/T22) + noise,
 * truth (0.3, 20 ms, 0.7, 100 ms) (a fast and a slow pool), is fitted for the
 * four parameters with Tao `blmvm` and bounds that keep the two pools apart:
 * A >= 0, 1 <= T21 <= 40 ms <= T22.  Noise -noise2 (default 0.002: four
 * parameters need a far better signal than two).  Checked against the
 * Levenberg–Marquardt reference and, without noise, against the truth.
 *
 * Part 2.  The one-compartment voxel of t2_fit (truth (1, 85 ms), noise -noise,
 * default 0.02) is measured -draws times (default 2000) with independent noise
 * and fitted each time (one Tao per rank, reused; the draws are split over the
 * ranks).  The spread (standard deviation) of the fitted T2 is compared with
 * the prediction of the Gauss–Newton Hessian at the optimum,
 *   Cov(A, T2) ~ sigma^2 (J^T J)^{-1},  sd(T2) = sigma sqrt((J^T J)^{-1}_22),
 * evaluated at the noise-free truth and, as one would from a single scan,
 * at the fit of draw 0 with sigma estimated from its residuals, 2f/(m - 2).
 * `sd_ratio` = spread / prediction must be 1 within the sampling error of a
 * standard deviation from `draws` samples (about 1/sqrt(2 draws)).
 *
 * Run: `make run PROG=t2_extensions NP=2`.  Proof it is right: `bi_check = PASS`
 * and `uq_check = PASS` (|sd_ratio - 1| below 5/sqrt(2 draws)), the same at
 * any NP; `check = PASS` when both are.
 */
static char help[] = "Bi-exponential T2 fit and Gauss-Newton uncertainty of T2 vs the spread over noise draws (lesson 09).\n"
                     "Options: -noise sigma (one-compartment), -noise2 sigma (two-compartment), -draws R, -seed k,\n"
                     "-te t1,t2,..., -draws_csv FILE, any -tao_ option.\n\n";

#include <petsctao.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "petsc_errors.hpp"
#include "t2_model.hpp"
#include "t2_tao.hpp"

struct Options {
  PetscReal           noise = 0.02, noise2 = 0.002;
  PetscInt            draws = 2000, seed = 2024;
  char                draws_csv[PETSC_MAX_PATH_LEN] = "";
  std::vector<double> times = t2::kEchoTimes;
};

static PetscErrorCode ReadOptions(Options* o)
{
  PetscReal te[257];
  PetscInt  nte = 257;
  PetscBool set = PETSC_FALSE;

  PetscFunctionBeginUser;
  PetscOptionsBegin(PETSC_COMM_WORLD, NULL, "T2 fit extensions", "Tao");
  PetscCall(PetscOptionsReal("-noise", "noise of the one-compartment voxel (> 0)", "", o->noise, &o->noise, NULL));
  PetscCall(PetscOptionsReal("-noise2", "noise of the two-compartment voxel (>= 0)", "", o->noise2, &o->noise2, NULL));
  PetscCall(PetscOptionsRangeInt("-draws", "number of noise draws for the spread (10 to 10000000)", "", o->draws, &o->draws, NULL, 10,
                                 10000000));
  PetscCall(PetscOptionsBoundedInt("-seed", "key of the noise generator (>= 0)", "", o->seed, &o->seed, NULL, 0));
  PetscCall(PetscOptionsRealArray("-te", "echo times in ms, comma-separated (default 10,20,40,...,280)", "", te, &nte, &set));
  PetscCall(PetscOptionsString("-draws_csv", "write the fitted T2 of every draw to this CSV file", "", o->draws_csv, o->draws_csv,
                               sizeof(o->draws_csv), NULL));
  PetscOptionsEnd();
  // The spread of zero noise is nothing to compare: -noise must be > 0.
  PetscCheck(o->noise > 0 && o->noise < 1e6, PETSC_COMM_WORLD, PETSC_ERR_USER_INPUT, "-noise = %g is out of range (0 < sigma < 1e6)",
             (double)o->noise);
  PetscCheck(o->noise2 >= 0 && o->noise2 < 1e6, PETSC_COMM_WORLD, PETSC_ERR_USER_INPUT,
             "-noise2 = %g is out of range (0 <= sigma < 1e6)", (double)o->noise2);
  if (set) PetscCall(CheckEchoTimes(te, nte, 257, 4, &o->times));  // 4 unknowns need at least 4 echoes
  PetscFunctionReturn(PETSC_SUCCESS);
}

// A Tao for n parameters with bounds lo..hi, as t2_fit's; x and H to match.
static PetscErrorCode MakeTao(AppCtx* user, PetscInt n, const double* lo, const double* hi, Vec* x, Mat* H, Tao* tao)
{
  TaoSettings s;

  PetscFunctionBeginUser;
  s.type   = TAOBLMVM;
  s.gatol  = 1e-10;
  s.max_it = 5000;
  s.lower  = lo;
  s.upper  = hi;
  PetscCall(VecCreateSeq(PETSC_COMM_SELF, n, x));
  PetscCall(MatCreateSeqDense(PETSC_COMM_SELF, n, n, NULL, H));
  PetscCall(CreateTao(user, *x, *H, s, tao));
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode DestroyTao(Vec* x, Mat* H, Tao* tao)
{
  PetscFunctionBeginUser;
  PetscCall(TaoDestroy(tao));
  PetscCall(MatDestroy(H));
  PetscCall(VecDestroy(x));
  PetscFunctionReturn(PETSC_SUCCESS);
}

// Part 1: two compartments, four parameters.  Every rank fits the same voxel
// (a 4-unknown problem is not split): voxel 1, draw 0.
struct BiResult {
  char     type[64] = "";  // the Tao method (-tao_type may change it)
  double   fit[4], ref[4], sd[4] = {0, 0, 0, 0}, diff = 0, err = 0;
  PetscInt its = 0;
  bool     pass = false;
};
static PetscErrorCode FitTwoCompartments(const Options& o, FitFailures* failed, BiResult* b)
{
  const std::vector<double> truth = {0.3, 20.0, 0.7, 100.0};
  const double lo[4] = {0.0, 1.0, 0.0, 40.0}, hi[4] = {PETSC_INFINITY, 40.0, PETSC_INFINITY, PETSC_INFINITY};
  const double start[4] = {0.5, 10.0, 0.5, 150.0};
  const std::vector<double> signal = t2::Signal(o.times, truth, o.noise2, (std::uint64_t)o.seed, 1, 0);
  AppCtx             user;
  Vec                x;
  Mat                H;
  Tao                tao;
  TaoConvergedReason reason;

  PetscFunctionBeginUser;
  user.times  = &o.times;
  user.signal = signal.data();
  user.nparam = 4;
  PetscCall(MakeTao(&user, 4, lo, hi, &x, &H, &tao));
  PetscCall(FitVoxel(tao, x, start, b->fit, &reason));
  PetscCall(TaoGetIterationNumber(tao, &b->its));
  PetscMPIInt rank;
  PetscCallMPI(MPI_Comm_rank(PETSC_COMM_WORLD, &rank));
  if (rank == 0) failed->Note(reason, b->its);  // every rank fitted this voxel: count it once
  TaoType type;
  PetscCall(TaoGetType(tao, &type));
  PetscCall(PetscStrncpy(b->type, type, sizeof(b->type)));
  PetscCall(DestroyTao(&x, &H, &tao));
  std::copy(start, start + 4, b->ref);
  const int ref_its = t2::ReferenceFit(o.times, signal, b->ref, 4, 1.0);
  for (int k = 0; k < 4; ++k) {
    b->diff = std::max(b->diff, std::fabs(b->fit[k] - b->ref[k]) / std::fabs(b->ref[k]));
    b->err  = std::max(b->err, std::fabs(b->fit[k] - truth[k]) / truth[k]);
  }
  if (o.noise2 > 0) t2::GaussNewtonSd(o.times, signal, b->fit, 4, o.noise2, b->sd);
  b->pass = ref_its > 0 && b->diff < 1e-5 && (o.noise2 > 0 || b->err < 1e-6);
  PetscFunctionReturn(PETSC_SUCCESS);
}

// Part 2: the spread of T2 over noise draws (split over the ranks; draw d has
// the same noise at any NP), gathered on rank 0, against Gauss–Newton.
struct UqResult {
  std::vector<double> t2;  // every draw's T2, on rank 0
  double mean = 0, spread = 0, sd_truth[2] = {0, 0}, sd_draw0[2] = {0, 0}, ratio = 0, allowed = 0;
  bool   pass = false;
};
static PetscErrorCode SpreadOverDraws(const Options& o, FitFailures* failed, UqResult* u)
{
  const std::vector<double> truth = {1.0, 85.0};
  const double lo[2] = {0.0, 1.0}, hi[2] = {PETSC_INFINITY, PETSC_INFINITY}, start[2] = {0.8, 50.0};
  AppCtx      user;
  Vec         x;
  Mat         H;
  Tao         tao;
  PetscMPIInt rank, size;

  PetscFunctionBeginUser;
  PetscCallMPI(MPI_Comm_rank(PETSC_COMM_WORLD, &rank));
  PetscCallMPI(MPI_Comm_size(PETSC_COMM_WORLD, &size));
  user.times = &o.times;
  PetscCall(MakeTao(&user, 2, lo, hi, &x, &H, &tao));
  std::vector<int> counts(size), displs(size);
  for (int r = 0; r < size; ++r) {
    counts[r] = (int)(o.draws / size + (r < o.draws % size ? 1 : 0));
    displs[r] = r == 0 ? 0 : displs[r - 1] + counts[r - 1];
  }
  std::vector<double> my_t2(counts[rank]);
  for (int k = 0; k < counts[rank]; ++k) {
    const std::vector<double> s = t2::Signal(o.times, truth, o.noise, (std::uint64_t)o.seed, 0, (std::uint32_t)(displs[rank] + k));
    double                    p[2];
    TaoConvergedReason        reason;
    PetscInt                  its;
    user.signal = s.data();
    PetscCall(FitVoxel(tao, x, start, p, &reason));
    PetscCall(TaoGetIterationNumber(tao, &its));
    failed->Note(reason, its);
    my_t2[k] = p[1];
  }
  PetscCall(DestroyTao(&x, &H, &tao));
  u->t2.resize(rank == 0 ? o.draws : 0);
  PetscCallMPI(MPI_Gatherv(my_t2.data(), counts[rank], MPI_DOUBLE, u->t2.data(), counts.data(), displs.data(), MPI_DOUBLE, 0,
                           PETSC_COMM_WORLD));

  // Gauss–Newton: at the noise-free truth with the true sigma, and from draw 0
  // alone (its fit, sigma^2 estimated as 2 f / (m - 2)).
  t2::GaussNewtonSd(o.times, t2::Signal(o.times, truth, 0.0, 0, 0, 0), truth.data(), 2, o.noise, u->sd_truth);
  const std::vector<double> s0 = t2::Signal(o.times, truth, o.noise, (std::uint64_t)o.seed, 0, 0);
  double                    p0[2] = {start[0], start[1]}, ss = 0;
  t2::ReferenceFit(o.times, s0, p0, 2, 1.0);
  std::vector<double> r0(o.times.size());
  t2::Residual(o.times, s0, p0, 2, r0.data(), nullptr);
  for (double r : r0) ss += r * r;
  t2::GaussNewtonSd(o.times, s0, p0, 2, std::sqrt(ss / (o.times.size() - 2)), u->sd_draw0);

  double var = 0;
  for (double v : u->t2) u->mean += v;
  if (rank == 0) u->mean /= o.draws;
  for (double v : u->t2) var += (v - u->mean) * (v - u->mean);
  u->spread  = rank == 0 ? std::sqrt(var / (o.draws - 1)) : 0.0;
  u->ratio   = u->spread / u->sd_truth[1];
  u->allowed = 5.0 / std::sqrt(2.0 * o.draws);  // five times the sampling error of a standard deviation
  int pass   = std::fabs(u->ratio - 1.0) < u->allowed;
  PetscCallMPI(MPI_Bcast(&pass, 1, MPI_INT, 0, PETSC_COMM_WORLD));  // rank 0 judged: every rank learns it
  u->pass = pass;
  PetscFunctionReturn(PETSC_SUCCESS);
}

static PetscErrorCode Report(const Options& o, PetscMPIInt size, const BiResult& b, const UqResult& u, double time_s)
{
  PetscFunctionBeginUser;
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "Two compartments: A1 = %.5f, T21 = %.4f ms, A2 = %.5f, T22 = %.4f ms "
                        "(truth 0.3, 20, 0.7, 100) in %" PetscInt_FMT " iterations\n", b.fit[0], b.fit[1], b.fit[2], b.fit[3], b.its));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "One compartment, %" PetscInt_FMT " draws: mean T2 = %.4f ms, spread %.4f ms, "
                        "Gauss-Newton %.4f ms (truth), %.4f ms (draw 0 alone)\n", o.draws, u.mean, u.spread, u.sd_truth[1], u.sd_draw0[1]));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "size = %d\n", size));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "bi_a1 = %.10g\n", b.fit[0]));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "bi_t21 = %.10g\n", b.fit[1]));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "bi_a2 = %.10g\n", b.fit[2]));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "bi_t22 = %.10g\n", b.fit[3]));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "bi_t21_sd = %.4g\n", b.sd[1]));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "bi_t22_sd = %.4g\n", b.sd[3]));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "bi_iterations = %" PetscInt_FMT "\n", b.its));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "bi_max_rel_error = %.3e\n", b.err));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "bi_ref_rel_diff = %.3e\n", b.diff));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "bi_check = %s\n", b.pass ? "PASS" : "FAIL"));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "draws = %" PetscInt_FMT "\n", o.draws));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "failed_fits = 0\n"));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "t2_mean = %.6f\n", u.mean));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "t2_sd_draws = %.6f\n", u.spread));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "t2_sd_gauss_newton = %.6f\n", u.sd_truth[1]));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "t2_sd_draw0 = %.6f\n", u.sd_draw0[1]));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "amp_sd_gauss_newton = %.6f\n", u.sd_truth[0]));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "sd_ratio = %.4f\n", u.ratio));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "sd_ratio_allowed = %.4f\n", u.allowed));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "uq_check = %s\n", u.pass ? "PASS" : "FAIL"));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "check = %s\n", b.pass && u.pass ? "PASS" : "FAIL"));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "time_s = %.6f\n", time_s));
  PetscFunctionReturn(PETSC_SUCCESS);
}

// The fitted T2 of every draw (rank 0), written to a temporary name and renamed.
static void WriteDrawsCsv(const char* path, const std::vector<double>& t2)
{
  const std::string tmp = std::string(path) + ".tmp";
  FILE*             fp  = std::fopen(tmp.c_str(), "w");
  if (!fp) return (void)std::fprintf(stderr, "warning: cannot write %s\n", path);
  std::fprintf(fp, "draw,t2_ms\n");
  for (std::size_t d = 0; d < t2.size(); ++d) std::fprintf(fp, "%zu,%.6f\n", d, t2[d]);
  if (std::fclose(fp) != 0 || std::rename(tmp.c_str(), path) != 0) std::fprintf(stderr, "warning: cannot write %s\n", path);
}

int main(int argc, char** argv)
{
  PetscCall(PetscInitialize(&argc, &argv, NULL, help));
  PetscCall(PetscPushErrorHandler(UserInputErrorHandler, NULL));
  PetscMPIInt rank = 0, size = 0;
  PetscCallMPI(MPI_Comm_rank(PETSC_COMM_WORLD, &rank));
  PetscCallMPI(MPI_Comm_size(PETSC_COMM_WORLD, &size));
  Options o;
  PetscCall(ReadOptions(&o));

  BiResult    bi;
  UqResult    uq;
  FitFailures failed;
  PetscCallMPI(MPI_Barrier(PETSC_COMM_WORLD));
  const double t0 = MPI_Wtime();
  PetscCall(FitTwoCompartments(o, &failed, &bi));
  PetscCall(SpreadOverDraws(o, &failed, &uq));
  PetscCallMPI(MPI_Barrier(PETSC_COMM_WORLD));
  const double time_s = MPI_Wtime() - t0;

  PetscBool converged = PETSC_FALSE;
  PetscCall(ReportNotConverged(bi.type, failed, 1 + (long)o.draws, "fits", &converged));
  if (converged) {
    PetscCall(Report(o, size, bi, uq, time_s));
    if (rank == 0 && o.draws_csv[0]) WriteDrawsCsv(o.draws_csv, uq.t2);
    PetscCall(WarnUnusedOptions());
  }
  PetscCall(PetscPopErrorHandler());
  PetscCall(PetscFinalize());
  return converged && bi.pass && uq.pass ? 0 : 1;
}
