/**
 * @file t2_map.cpp
 * @brief Lesson 09: a whole T2 map, one small TAO fit per voxel, voxels over ranks.
 *
 * An n x n slice (-n, default 256) of the Shepp–Logan head phantom is split
 * into tissues (phantom.hpp: skull = bone, brain = grey matter, the two large
 * ellipses = oedema, the other six = muscle), each with its own (A, T2).
 * Every voxel inside the head gets a multi-echo series
 * S_i = A exp(-t_i/T2) + sigma n_i at the echo times (-te, default the
 * workshop's ten), sigma = -noise (default 0.02).  The noise of voxel v comes
 * from a counter-based generator keyed by (-seed, v), so the data, and the
 * map, are the same on any number of ranks.
 *
 * The head voxels are dealt out to the ranks in contiguous blocks.  Each rank
 * creates ONE Tao (blmvm with the bounds A >= 0, T2 >= 1 ms by default; any
 * -tao_type works) and reuses it for all its voxels: it only points the
 * callback at the next voxel's signal, sets the start and calls TaoSolve.
 * -tao_per_voxel creates and destroys a Tao for every voxel instead, to
 * measure what that setup costs.  The start is a log-linear fit
 * (ln S against t, -init loglin) or the workshop's (0.8, 50) (-init fixed).
 *
 * Rank 0 gathers the map and prints, per tissue, the mean fitted T2, its bias
 * and its RMS relative error against the truth, the throughput in voxels/s,
 * and, when asked, writes the map (-map_csv FILE) and the truth (-truth_csv FILE).
 * Run: `make run PROG=t2_map NP=2`, `make run PROG=t2_map NP=2 ARGS="-n 64 -noise 0"`.
 * Proof it is right: with -noise 0 every voxel returns its tissue's T2
 * (`max_rel_error` below 1e-6); with noise, every voxel agrees with an
 * independent Levenberg–Marquardt fit (`ref_max_diff_sd`: the largest difference
 * in units of the voxel's T2 uncertainty, below 1e-3), and
 * `map_checksum` is the same at every NP.  `check = PASS` sums it up.
 */
static char help[] = "Fits a T2 map of an n x n Shepp-Logan slice, one TAO fit per voxel (lesson 09).\n"
                     "Options: -n N, -noise sigma, -seed k, -te t1,t2,..., -init loglin|fixed, -tao_per_voxel,\n"
                     "-map_csv FILE, -truth_csv FILE, any -tao_ option (default -tao_type blmvm with bounds).\n\n";

#include <petsctao.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "petsc_cli.hpp"
#include "phantom.hpp"
#include "t2_model.hpp"
#include "t2_tao.hpp"

// The log-linear start: ln S_i = ln A - t_i / T2 is a straight line in t, so a
// weighted linear fit of ln S against t (weights S_i^2, since the noise in
// ln S is sigma / S) gives (A, T2) in one pass without iterating.  Echoes
// with S_i <= 0 (noise only) are left out; without a usable slope, the
// workshop's (0.8, 50) is returned.
static void LogLinearStart(const std::vector<double>& t, const double* s, double* p)
{
  double sw = 0, st = 0, sy = 0, stt = 0, sty = 0;
  for (std::size_t i = 0; i < t.size(); ++i) {
    if (s[i] <= 0) continue;
    const double w = s[i] * s[i], y = std::log(s[i]);
    sw += w; st += w * t[i]; sy += w * y; stt += w * t[i] * t[i]; sty += w * t[i] * y;
  }
  const double det   = sw * stt - st * st;
  const double slope = det > 0 ? (sw * sty - st * sy) / det : 0.0;
  if (!(slope < 0)) { p[0] = 0.8; p[1] = 50.0; return; }
  p[0] = std::exp((sy - slope * st) / sw);
  p[1] = std::min(std::max(-1.0 / slope, 1.0), 1e4);
}

// Create and configure one Tao: blmvm with the physical bounds unless the
// options say otherwise.  Used once per rank (or once per voxel with -tao_per_voxel).
static PetscErrorCode CreateTao(AppCtx* user, Vec x, Vec lower, Vec upper, Mat H, Tao* tao)
{
  PetscFunctionBeginUser;
  PetscCall(TaoCreate(PETSC_COMM_SELF, tao));
  PetscCall(TaoSetType(*tao, TAOBLMVM));
  PetscCall(TaoSetObjectiveAndGradient(*tao, NULL, FormFunctionGradient, user));
  PetscCall(TaoSetHessian(*tao, H, H, FormHessian, user));
  PetscCall(TaoSetVariableBounds(*tao, lower, upper));
  // Stop when the gradient norm is below 1e-9: T2 is then settled to about
  // 1e-6 relative, far below any noise.  -tao_gatol overrides it.
  PetscCall(TaoSetTolerances(*tao, 1e-9, 0.0, 0.0));
  PetscCall(TaoSetMaximumIterations(*tao, 2000));
  PetscCall(TaoSetFromOptions(*tao));
  PetscCall(TaoSetSolution(*tao, x));
  PetscFunctionReturn(0);
}

int main(int argc, char** argv)
{
  PetscCall(PetscInitialize(&argc, &argv, NULL, help));
  PetscMPIInt rank = 0, size = 0;
  PetscCallMPI(MPI_Comm_rank(PETSC_COMM_WORLD, &rank));
  PetscCallMPI(MPI_Comm_size(PETSC_COMM_WORLD, &size));

  std::vector<double> times = t2::kEchoTimes;
  std::string         error;
  PetscCall(CheckIntOption("-n", 2, 4096, &error));
  if (error.empty()) PetscCall(CheckRealOption("-noise", 0, 1e6, false, &error));
  if (error.empty()) PetscCall(CheckIntOption("-seed", 0, 2147483647L, &error));
  if (error.empty()) PetscCall(CheckRealListOption("-te", 2, &times, &error));
  if (!error.empty()) {
    PetscCall(PrintError(error));
    PetscCall(PetscFinalize());
    return 1;
  }

  PetscInt    n = 256, seed = 2024, init = 0;
  PetscReal   noise     = 0.02;
  PetscBool   per_voxel = PETSC_FALSE;
  char        map_csv[PETSC_MAX_PATH_LEN] = "", truth_csv[PETSC_MAX_PATH_LEN] = "", te_text[4096] = "";
  const char* inits[]   = {"loglin", "fixed"};
  PetscOptionsBegin(PETSC_COMM_WORLD, NULL, "T2 map of a phantom slice", "Tao");
  PetscCall(PetscOptionsInt("-n", "image size n (n x n voxels, 2 to 4096)", "", n, &n, NULL));
  PetscCall(PetscOptionsReal("-noise", "noise standard deviation, units of A (>= 0)", "", noise, &noise, NULL));
  PetscCall(PetscOptionsInt("-seed", "key of the noise generator", "", seed, &seed, NULL));
  PetscCall(PetscOptionsString("-te", "echo times in ms, comma-separated", "", "10,20,40,...,280", te_text,
                               sizeof(te_text), NULL));
  PetscCall(PetscOptionsEList("-init", "start of each fit", "TaoSetSolution", inits, 2, inits[init], &init, NULL));
  PetscCall(PetscOptionsBool("-tao_per_voxel", "create a new Tao for every voxel (slow, for comparison)", "TaoCreate",
                             per_voxel, &per_voxel, NULL));
  PetscCall(PetscOptionsString("-map_csv", "write the fitted T2 map (ms) to this CSV file", "", map_csv, map_csv,
                               sizeof(map_csv), NULL));
  PetscCall(PetscOptionsString("-truth_csv", "write the true T2 map (ms) to this CSV file", "", truth_csv, truth_csv,
                               sizeof(truth_csv), NULL));
  PetscOptionsEnd();

  // Every rank builds the list of head voxels (cheap) and takes its block of it.
  const PetscInt     nvox = n * n;
  std::vector<int>   tissue(nvox);
  std::vector<PetscInt> head;
  for (PetscInt v = 0; v < nvox; ++v) {
    tissue[v] = phantom::TissueAt((int)(v / n), (int)(v % n), (int)n);
    if (tissue[v] != phantom::kBackground) head.push_back(v);
  }
  const PetscInt nhead = (PetscInt)head.size();
  std::vector<int> counts(size), displs(size);
  for (int r = 0; r < size; ++r) {
    counts[r] = (int)(nhead / size + (r < nhead % size ? 1 : 0));
    displs[r] = r == 0 ? 0 : displs[r - 1] + counts[r - 1];
  }
  const PetscInt first = displs[rank], mine = counts[rank];

  // The data of my voxels: one row of echoes per voxel.
  const std::size_t   ne = times.size();
  std::vector<double> data(mine * ne);
  for (PetscInt k = 0; k < mine; ++k) {
    const PetscInt v = head[first + k];
    const std::vector<double> s =
      t2::Signal(times, {phantom::kAmp[tissue[v]], phantom::kT2[tissue[v]]}, noise, (std::uint64_t)seed, (std::uint64_t)v, 0);
    std::copy(s.begin(), s.end(), data.begin() + k * ne);
  }

  AppCtx user;
  user.times  = &times;
  user.nparam = 2;
  Vec x, lower, upper;
  Mat H;
  Tao tao = NULL;
  PetscCall(VecCreateSeq(PETSC_COMM_SELF, 2, &x));
  PetscCall(VecDuplicate(x, &lower));
  PetscCall(VecDuplicate(x, &upper));
  PetscCall(VecSetValue(lower, 0, 0.0, INSERT_VALUES));  // A >= 0
  PetscCall(VecSetValue(lower, 1, 1.0, INSERT_VALUES));  // T2 >= 1 ms
  PetscCall(VecAssemblyBegin(lower));
  PetscCall(VecAssemblyEnd(lower));
  PetscCall(VecSet(upper, PETSC_INFINITY));
  PetscCall(MatCreateSeqDense(PETSC_COMM_SELF, 2, 2, NULL, &H));

  std::vector<double> fit(2 * mine), start(2 * mine);
  std::vector<int>    iters(mine), ok(mine);

  PetscCallMPI(MPI_Barrier(PETSC_COMM_WORLD));
  const double t0 = MPI_Wtime();
  if (!per_voxel) PetscCall(CreateTao(&user, x, lower, upper, H, &tao));
  for (PetscInt k = 0; k < mine; ++k) {
    // The same Tao, the next voxel: move the data pointer, set the start, solve.
    user.signal = data.data() + k * ne;
    double* p0  = start.data() + 2 * k;
    if (init == 0) LogLinearStart(times, user.signal, p0);
    else { p0[0] = 0.8; p0[1] = 50.0; }
    PetscScalar* xa;
    PetscCall(VecGetArray(x, &xa));
    xa[0] = p0[0];
    xa[1] = p0[1];
    PetscCall(VecRestoreArray(x, &xa));
    if (per_voxel) PetscCall(CreateTao(&user, x, lower, upper, H, &tao));
    PetscCall(TaoSolve(tao));
    TaoConvergedReason reason;
    PetscInt           its;
    PetscCall(TaoGetConvergedReason(tao, &reason));
    PetscCall(TaoGetIterationNumber(tao, &its));
    if (per_voxel) PetscCall(TaoDestroy(&tao));
    const PetscScalar* xr;
    PetscCall(VecGetArrayRead(x, &xr));
    fit[2 * k]     = PetscRealPart(xr[0]);
    fit[2 * k + 1] = PetscRealPart(xr[1]);
    PetscCall(VecRestoreArrayRead(x, &xr));
    iters[k] = (int)its;
    ok[k]    = reason > 0;
  }
  PetscCallMPI(MPI_Barrier(PETSC_COMM_WORLD));
  const double time_s = MPI_Wtime() - t0;
  TaoType type = TAOBLMVM;
  if (tao) PetscCall(TaoGetType(tao, &type));
  char type_name[64];
  PetscCall(PetscStrncpy(type_name, type, sizeof(type_name)));
  PetscCall(TaoDestroy(&tao));

  // The independent check, outside the timing: Levenberg–Marquardt from the
  // same start, with the same bounds.  Where the data hardly constrain T2
  // (a bone voxel whose signal is gone after the first echo), the objective
  // is flat and two converged fits may stop at different points: such a voxel
  // is "unresolved" when its Gauss–Newton standard deviation of T2 exceeds
  // half of T2, and is not compared.  Elsewhere the difference is measured in
  // units of that standard deviation (without noise: relative to T2) and must
  // be below 1e-3: the two fits are then the same answer.
  double ref_max = 0;
  long   ref_mismatch = 0, unresolved = 0;
  for (PetscInt k = 0; k < mine; ++k) {
    const std::vector<double> s(data.begin() + k * ne, data.begin() + (k + 1) * ne);
    double    ref[2] = {start[2 * k], start[2 * k + 1]}, sd[2] = {0, 0};
    const int its    = t2::ReferenceFit(times, s, ref, 2, 1.0);  // the same bounds as the Tao
    double    scale  = ref[1];
    if (noise > 0) {
      if (!t2::GaussNewtonSd(times, s, &fit[2 * k], 2, noise, sd) || sd[1] > 0.5 * fit[2 * k + 1]) {
        ++unresolved;
        continue;
      }
      scale = sd[1];
    }
    const double d = std::fabs(fit[2 * k + 1] - ref[1]) / scale;
    if (its > 0 && ok[k]) ref_max = std::max(ref_max, d);
    if (its > 0 && ok[k] && !(d < (noise > 0 ? 1e-3 : 1e-6))) ++ref_mismatch;
  }
  double ref_max_all = 0;
  long   ref_mismatch_all = 0;
  PetscCallMPI(MPI_Reduce(&ref_max, &ref_max_all, 1, MPI_DOUBLE, MPI_MAX, 0, PETSC_COMM_WORLD));
  PetscCallMPI(MPI_Reduce(&ref_mismatch, &ref_mismatch_all, 1, MPI_LONG, MPI_SUM, 0, PETSC_COMM_WORLD));
  long unresolved_all = 0;
  PetscCallMPI(MPI_Reduce(&unresolved, &unresolved_all, 1, MPI_LONG, MPI_SUM, 0, PETSC_COMM_WORLD));

  // Rank 0 gathers T2, the iteration counts and the convergence flags in voxel order.
  std::vector<double> my_t2(mine), all_t2(rank == 0 ? nhead : 0);
  for (PetscInt k = 0; k < mine; ++k) my_t2[k] = fit[2 * k + 1];
  std::vector<int> all_iters(rank == 0 ? nhead : 0), all_ok(rank == 0 ? nhead : 0);
  PetscCallMPI(MPI_Gatherv(my_t2.data(), (int)mine, MPI_DOUBLE, all_t2.data(), counts.data(), displs.data(), MPI_DOUBLE, 0, PETSC_COMM_WORLD));
  PetscCallMPI(MPI_Gatherv(iters.data(), (int)mine, MPI_INT, all_iters.data(), counts.data(), displs.data(), MPI_INT, 0, PETSC_COMM_WORLD));
  PetscCallMPI(MPI_Gatherv(ok.data(), (int)mine, MPI_INT, all_ok.data(), counts.data(), displs.data(), MPI_INT, 0, PETSC_COMM_WORLD));

  // Statistics on rank 0, in voxel order: the same numbers at any NP.
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "T2 map of a %" PetscInt_FMT " x %" PetscInt_FMT " slice: %" PetscInt_FMT
                        " head voxels on %d ranks, %s, start %s%s\n", n, n, nhead, size, type_name, inits[init],
                        per_voxel ? ", a new Tao per voxel" : ", one Tao per rank"));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "%-12s %8s %9s %11s %9s %9s %9s\n", "tissue", "voxels", "true_T2", "mean_fit_T2",
                        "bias_%", "median_%", "rms_%"));
  std::vector<double> map(rank == 0 ? nvox : 0, 0.0);
  double max_rel = 0, checksum = 0;
  long   not_conv = 0, its_sum = 0;
  std::vector<double> med(phantom::kTissues, 0), rms(phantom::kTissues, 0), mean(phantom::kTissues, 0), bias(phantom::kTissues, 0);
  std::vector<long>   cnt(phantom::kTissues, 0);
  std::vector<std::vector<double>> absrel(phantom::kTissues);
  if (rank == 0) {
    for (PetscInt h = 0; h < nhead; ++h) {
      const PetscInt v = head[h];
      const int      tt = tissue[v];
      const double   truth = phantom::kT2[tt], rel = (all_t2[h] - truth) / truth;
      map[v] = all_t2[h];
      ++cnt[tt];
      mean[tt] += all_t2[h];
      rms[tt] += rel * rel;
      absrel[tt].push_back(std::fabs(rel));
      max_rel = std::max(max_rel, std::fabs(rel));
      checksum += all_t2[h];
      not_conv += all_ok[h] ? 0 : 1;
      its_sum += all_iters[h];
    }
  }
  for (int tt = 1; tt < phantom::kTissues; ++tt) {
    if (cnt[tt] == 0) continue;
    mean[tt] /= cnt[tt];
    bias[tt] = 100.0 * (mean[tt] - phantom::kT2[tt]) / phantom::kT2[tt];
    rms[tt]  = 100.0 * std::sqrt(rms[tt] / cnt[tt]);
    std::nth_element(absrel[tt].begin(), absrel[tt].begin() + cnt[tt] / 2, absrel[tt].end());
    med[tt] = 100.0 * absrel[tt][cnt[tt] / 2];
    PetscCall(PetscPrintf(PETSC_COMM_WORLD, "%-12s %8ld %9.1f %11.3f %9.3f %9.3f %9.3f\n", phantom::TissueName(tt), cnt[tt],
                          phantom::kT2[tt], mean[tt], bias[tt], med[tt], rms[tt]));
  }

  const double vps  = nhead / time_s;
  const bool   pass = not_conv == 0 && ref_mismatch_all == 0 && (noise > 0 || max_rel < 1e-6);
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "size = %d\n", size));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "n = %" PetscInt_FMT "\n", n));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "voxels = %" PetscInt_FMT "\n", nhead));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "tao_type = %s\n", type_name));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "tao_per_voxel = %s\n", per_voxel ? "yes" : "no"));
  for (int tt = 1; tt < phantom::kTissues; ++tt) {
    PetscCall(PetscPrintf(PETSC_COMM_WORLD, "%s_voxels = %ld\n", phantom::TissueName(tt), cnt[tt]));
    PetscCall(PetscPrintf(PETSC_COMM_WORLD, "%s_mean_t2 = %.6f\n", phantom::TissueName(tt), mean[tt]));
    PetscCall(PetscPrintf(PETSC_COMM_WORLD, "%s_bias_pct = %.4f\n", phantom::TissueName(tt), bias[tt]));
    PetscCall(PetscPrintf(PETSC_COMM_WORLD, "%s_median_pct = %.4f\n", phantom::TissueName(tt), med[tt]));
    PetscCall(PetscPrintf(PETSC_COMM_WORLD, "%s_rms_pct = %.4f\n", phantom::TissueName(tt), rms[tt]));
  }
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "max_rel_error = %.3e\n", max_rel));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "not_converged = %ld\n", not_conv));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "mean_iterations = %.2f\n", nhead ? (double)its_sum / nhead : 0.0));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "%s = %.3e\n", noise > 0 ? "ref_max_diff_sd" : "ref_max_rel_diff", ref_max_all));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "ref_mismatches = %ld\n", ref_mismatch_all));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "unresolved = %ld\n", unresolved_all));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "map_checksum = %.12e\n", checksum));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "check = %s\n", pass ? "PASS" : "FAIL"));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "time_s = %.6f\n", time_s));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "voxels_per_s = %.1f\n", vps));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "us_per_voxel_per_rank = %.2f\n", 1e6 * time_s * size / std::max<PetscInt>(nhead, 1)));

  // The map (and the truth) as CSV: n lines of n values in ms, row 0 at the top.
  const struct { const char* path; bool fitted; } outputs[] = {{map_csv, true}, {truth_csv, false}};
  for (const auto& o : outputs) {
    if (rank != 0 || o.path[0] == '\0') continue;
    FILE* fp = std::fopen(o.path, "w");
    if (!fp) {
      PetscCall(PetscPrintf(PETSC_COMM_SELF, "warning: cannot write %s\n", o.path));
      continue;
    }
    for (PetscInt i = 0; i < n; ++i)
      for (PetscInt j = 0; j < n; ++j) {
        const double v = o.fitted ? map[i * n + j] : phantom::kT2[tissue[i * n + j]];
        std::fprintf(fp, "%.1f%c", v, j + 1 < n ? ',' : '\n');
      }
    std::fclose(fp);
  }

  PetscCall(MatDestroy(&H));
  PetscCall(VecDestroy(&lower));
  PetscCall(VecDestroy(&upper));
  PetscCall(VecDestroy(&x));
  PetscCall(WarnUnusedOptions());
  PetscCall(PetscFinalize());
  return 0;
}
