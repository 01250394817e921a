// map_report.hpp — lesson 09's T2 map after the fits: the shares of the
// ranks checked, every voxel compared with an independent fit, the map
// gathered on rank 0, the per-tissue statistics printed and the CSV files.
#pragma once

#include <petscsys.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "petsc_errors.hpp"  // PETSC_SUCCESS on PETSc < 3.19
#include "phantom.hpp"
#include "t2_model.hpp"

// What one rank fitted: its `mine` voxels, their echoes (`data`, one row of
// times.size() per voxel), starts, fits and iterations.
struct MyFits {
  PetscInt            mine = 0;
  std::vector<double> data, start, fit;  // fit: (A, T2) per voxel
  std::vector<int>    iters;
};

// The ranks' shares must tile the head voxels 0 .. nhead-1 in rank order,
// each voxel once.  Every rank learns every share (MPI_Allgather): counts and
// displs are what MPI_Gatherv needs.  A wrong split ends in one error line.
inline PetscErrorCode CheckShares(PetscInt first, PetscInt mine, PetscInt nhead, std::vector<int>* counts, std::vector<int>* displs)
{
  PetscMPIInt size;
  PetscInt    share[2] = {first, mine};

  PetscFunctionBeginUser;
  PetscCallMPI(MPI_Comm_size(PETSC_COMM_WORLD, &size));
  std::vector<PetscInt> all(2 * size);
  PetscCallMPI(MPI_Allgather(share, 2, MPIU_INT, all.data(), 2, MPIU_INT, PETSC_COMM_WORLD));
  counts->resize(size);
  displs->resize(size);
  PetscInt next = 0;
  for (int r = 0; r < size; ++r) {
    PetscCheck(all[2 * r] == next && all[2 * r + 1] >= 0, PETSC_COMM_SELF, PETSC_ERR_ARG_WRONG,
               "the ranks' shares of the %" PetscInt_FMT " head voxels overlap or leave a gap: rank %d starts at voxel %"
               PetscInt_FMT " with %" PetscInt_FMT " voxels, expected a start at %" PetscInt_FMT, nhead, r, all[2 * r],
               all[2 * r + 1], next);
    (*displs)[r] = (int)next;
    (*counts)[r] = (int)all[2 * r + 1];
    next += all[2 * r + 1];
  }
  PetscCheck(next == nhead, PETSC_COMM_SELF, PETSC_ERR_ARG_WRONG,
             "the ranks' shares cover %" PetscInt_FMT " of the %" PetscInt_FMT " head voxels", next, nhead);
  PetscFunctionReturn(PETSC_SUCCESS);
}

// The reference: Levenberg–Marquardt from the same start with the same
// bounds, for every voxel of this rank.  Where the data hardly constrain T2
// (a bone voxel whose signal is gone after the first echo) two converged fits
// may stop at different points of a flat valley: such a voxel is
// "unresolved" when its Gauss–Newton standard deviation of T2 exceeds half of
// T2, and is not compared.  Elsewhere the difference is measured in units of
// that standard deviation (without noise: relative to T2) and must be below
// 1e-3 (1e-6): the two fits are then the same answer.  Sums on rank 0.
struct RefStats {
  double max_diff = 0;
  long   mismatches = 0, unresolved = 0;
};
inline PetscErrorCode CompareWithReference(const std::vector<double>& times, double noise, const MyFits& my, RefStats* all)
{
  const std::size_t ne = times.size();
  RefStats          r;

  PetscFunctionBeginUser;
  for (PetscInt k = 0; k < my.mine; ++k) {
    const std::vector<double> s(my.data.begin() + k * ne, my.data.begin() + (k + 1) * ne);
    double    ref[2] = {my.start[2 * k], my.start[2 * k + 1]}, sd[2] = {0, 0};
    const int its    = t2::ReferenceFit(times, s, ref, 2, 1.0);
    double    scale  = ref[1];
    if (noise > 0) {
      if (!t2::GaussNewtonSd(times, s, &my.fit[2 * k], 2, noise, sd) || sd[1] > 0.5 * my.fit[2 * k + 1]) {
        ++r.unresolved;
        continue;
      }
      scale = sd[1];
    }
    const double d = std::fabs(my.fit[2 * k + 1] - ref[1]) / scale;
    if (its > 0) r.max_diff = std::max(r.max_diff, d);
    if (its > 0 && !(d < (noise > 0 ? 1e-3 : 1e-6))) ++r.mismatches;
  }
  PetscCallMPI(MPI_Reduce(&r.max_diff, &all->max_diff, 1, MPI_DOUBLE, MPI_MAX, 0, PETSC_COMM_WORLD));
  PetscCallMPI(MPI_Reduce(&r.mismatches, &all->mismatches, 1, MPI_LONG, MPI_SUM, 0, PETSC_COMM_WORLD));
  PetscCallMPI(MPI_Reduce(&r.unresolved, &all->unresolved, 1, MPI_LONG, MPI_SUM, 0, PETSC_COMM_WORLD));
  PetscFunctionReturn(PETSC_SUCCESS);
}

// The map (or the truth) as CSV: n lines of n values in ms, row 0 at the top.
// Written to a temporary name and renamed, so a killed run leaves no half file.
inline void WriteMapCsv(const char* path, int n, const std::vector<double>& map)
{
  const std::string tmp = std::string(path) + ".tmp";
  FILE*             fp  = std::fopen(tmp.c_str(), "w");
  if (!fp) {
    std::fprintf(stderr, "warning: cannot write %s\n", path);
    return;
  }
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < n; ++j) std::fprintf(fp, "%.1f%c", map[(std::size_t)i * n + j], j + 1 < n ? ',' : '\n');
  if (std::fclose(fp) != 0 || std::rename(tmp.c_str(), path) != 0) std::fprintf(stderr, "warning: cannot write %s\n", path);
}

// What the map report needs besides the fits.
struct MapRun {
  int                      n = 0, size = 1;
  double                   noise = 0, time_s = 0;
  const char*              type = "";
  const char*              init = "";
  bool                     per_voxel = false;
  const std::vector<int>*  tissue = nullptr;
  const std::vector<long>* head = nullptr;
  const char*              map_csv = "";
  const char*              truth_csv = "";
};

// Rank 0 gathers T2 and the iteration counts in voxel order and prints, per
// tissue, the mean fitted T2, its bias and its median and RMS relative error:
// the same numbers at any NP.  *pass (on every rank): the check.
inline PetscErrorCode ReportMap(const MapRun& run, const MyFits& my, const std::vector<int>& counts, const std::vector<int>& displs,
                                const RefStats& ref, PetscBool* pass)
{
  PetscMPIInt rank;
  const long  nhead = (long)run.head->size(), nvox = (long)run.n * run.n;

  PetscFunctionBeginUser;
  PetscCallMPI(MPI_Comm_rank(PETSC_COMM_WORLD, &rank));
  std::vector<double> my_t2(my.mine), all_t2(rank == 0 ? nhead : 0);
  std::vector<int>    all_iters(rank == 0 ? nhead : 0);
  for (PetscInt k = 0; k < my.mine; ++k) my_t2[k] = my.fit[2 * k + 1];
  PetscCallMPI(MPI_Gatherv(my_t2.data(), (int)my.mine, MPI_DOUBLE, all_t2.data(), counts.data(), displs.data(), MPI_DOUBLE, 0,
                           PETSC_COMM_WORLD));
  PetscCallMPI(MPI_Gatherv(my.iters.data(), (int)my.mine, MPI_INT, all_iters.data(), counts.data(), displs.data(), MPI_INT, 0,
                           PETSC_COMM_WORLD));

  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "T2 map of a %d x %d slice: %ld head voxels on %d ranks, %s, start %s%s\n", run.n, run.n,
                        nhead, run.size, run.type, run.init, run.per_voxel ? ", a new Tao per voxel" : ", one Tao per rank"));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "%-12s %8s %9s %11s %9s %9s %9s\n", "tissue", "voxels", "true_T2", "mean_fit_T2", "bias_%",
                        "median_%", "rms_%"));
  const int                        T = phantom::kTissues;
  std::vector<double>              map(rank == 0 ? nvox : 0, 0.0), med(T, 0), rms(T, 0), mean(T, 0), bias(T, 0);
  std::vector<long>                cnt(T, 0);
  std::vector<std::vector<double>> absrel(T);
  double                           max_rel = 0, checksum = 0;
  long                             its_sum = 0;
  for (long h = 0; rank == 0 && h < nhead; ++h) {
    const long   v = (*run.head)[h];
    const int    tt = (*run.tissue)[v];
    const double truth = phantom::kT2[tt], rel = (all_t2[h] - truth) / truth;
    map[v] = all_t2[h];
    ++cnt[tt];
    mean[tt] += all_t2[h];
    rms[tt] += rel * rel;
    absrel[tt].push_back(std::fabs(rel));
    max_rel = std::max(max_rel, std::fabs(rel));
    checksum += all_t2[h];
    its_sum += all_iters[h];
  }
  for (int tt = 1; tt < T; ++tt) {
    if (cnt[tt] == 0) continue;
    mean[tt] /= cnt[tt];
    bias[tt] = 100.0 * (mean[tt] - phantom::kT2[tt]) / phantom::kT2[tt];
    rms[tt]  = 100.0 * std::sqrt(rms[tt] / cnt[tt]);
    std::nth_element(absrel[tt].begin(), absrel[tt].begin() + cnt[tt] / 2, absrel[tt].end());
    med[tt] = 100.0 * absrel[tt][cnt[tt] / 2];
    PetscCall(PetscPrintf(PETSC_COMM_WORLD, "%-12s %8ld %9.1f %11.3f %9.3f %9.3f %9.3f\n", phantom::TissueName(tt), cnt[tt],
                          phantom::kT2[tt], mean[tt], bias[tt], med[tt], rms[tt]));
  }

  int ok = ref.mismatches == 0 && (run.noise > 0 || max_rel < 1e-6);
  PetscCallMPI(MPI_Bcast(&ok, 1, MPI_INT, 0, PETSC_COMM_WORLD));
  *pass = ok ? PETSC_TRUE : PETSC_FALSE;
  std::string split;
  for (int c : counts) split += (split.empty() ? "" : " ") + std::to_string(c);
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "size = %d\n", run.size));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "n = %d\n", run.n));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "voxels = %ld\n", nhead));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "voxels_per_rank = %s\n", split.c_str()));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "tao_type = %s\n", run.type));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "tao_per_voxel = %s\n", run.per_voxel ? "yes" : "no"));
  for (int tt = 1; tt < T; ++tt) {
    PetscCall(PetscPrintf(PETSC_COMM_WORLD, "%s_voxels = %ld\n", phantom::TissueName(tt), cnt[tt]));
    PetscCall(PetscPrintf(PETSC_COMM_WORLD, "%s_mean_t2 = %.6f\n", phantom::TissueName(tt), mean[tt]));
    PetscCall(PetscPrintf(PETSC_COMM_WORLD, "%s_bias_pct = %.4f\n", phantom::TissueName(tt), bias[tt]));
    PetscCall(PetscPrintf(PETSC_COMM_WORLD, "%s_median_pct = %.4f\n", phantom::TissueName(tt), med[tt]));
    PetscCall(PetscPrintf(PETSC_COMM_WORLD, "%s_rms_pct = %.4f\n", phantom::TissueName(tt), rms[tt]));
  }
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "max_rel_error = %.3e\n", max_rel));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "not_converged = 0\n"));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "mean_iterations = %.2f\n", nhead ? (double)its_sum / nhead : 0.0));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "%s = %.3e\n", run.noise > 0 ? "ref_max_diff_sd" : "ref_max_rel_diff", ref.max_diff));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "ref_mismatches = %ld\n", ref.mismatches));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "unresolved = %ld\n", ref.unresolved));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "map_checksum = %.12e\n", checksum));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "check = %s\n", ok ? "PASS" : "FAIL"));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "time_s = %.6f\n", run.time_s));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "voxels_per_s = %.1f\n", nhead / run.time_s));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "us_per_voxel_per_rank = %.2f\n", 1e6 * run.time_s * run.size / std::max(nhead, 1L)));

  if (rank == 0 && run.map_csv[0]) WriteMapCsv(run.map_csv, run.n, map);
  if (rank == 0 && run.truth_csv[0]) {
    std::vector<double> truth(nvox);
    for (long v = 0; v < nvox; ++v) truth[v] = phantom::kT2[(*run.tissue)[v]];
    WriteMapCsv(run.truth_csv, run.n, truth);
  }
  PetscFunctionReturn(PETSC_SUCCESS);
}
