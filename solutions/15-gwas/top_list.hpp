// top_list.hpp — the K strongest signals: each rank's own list of Hit
// records, their merge on rank 0, the table printed from it, and the check
// that the merged list holds the K largest values of the chi-square Vec.
#pragma once

#include <petscvec.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <vector>

#include "allelic_test.hpp"
#include "bed_io.hpp"

// One entry of a top-K list: what rank 0 needs to print a variant.  A slot
// with chisq < 0 is empty (a rank with fewer than K variants, or an untested one).
struct Hit {
  double       chisq, p, odds, f_a, f_u;      // the test
  std::int64_t index, bp;                     // the variant's global index and position
  char         chr[8], snp[40], a1[8], a2[8]; // its names (cut if longer)
};

static Hit EmptyHit()
{
  Hit none;
  std::memset(&none, 0, sizeof(none));
  none.index = -1;
  none.chisq = -1.0;
  return none;
}

static void CopyField(char* dst, std::size_t cap, const std::string& src)
{
  std::snprintf(dst, cap, "%s", src.c_str());  // cuts long names
}

// This rank's K strongest variants as Hits, best first, padded with empty
// slots to exactly K (so every rank sends the same count).
static std::vector<Hit> LocalTop(const std::vector<Stats>& stats, const std::vector<VariantInfo>& info, std::int64_t j0,
                                 std::size_t K)
{
  std::vector<std::int64_t> order(stats.size());
  for (std::size_t v = 0; v < order.size(); ++v) order[v] = (std::int64_t)v;
  auto key = [&](std::int64_t v) { return std::isnan(stats[(std::size_t)v].chisq) ? -1.0 : stats[(std::size_t)v].chisq; };
  const std::size_t keep = std::min(K, order.size());
  std::partial_sort(order.begin(), order.begin() + (std::ptrdiff_t)keep, order.end(),
                    [&](std::int64_t u, std::int64_t v) { return key(u) != key(v) ? key(u) > key(v) : u < v; });
  std::vector<Hit> top(K, EmptyHit());
  for (std::size_t k = 0; k < keep; ++k) {
    const std::size_t  v = (std::size_t)order[k];
    const Stats&       s = stats[v];
    const VariantInfo& i = info[v];
    Hit&               h = top[k];
    h = {key((std::int64_t)v), s.p, s.odds, s.f_a, s.f_u, j0 + (std::int64_t)v, i.bp, {}, {}, {}, {}};
    CopyField(h.chr, sizeof(h.chr), i.chr);
    CopyField(h.snp, sizeof(h.snp), i.snp);
    CopyField(h.a1, sizeof(h.a1), s.swap ? i.a2 : i.a1);
    CopyField(h.a2, sizeof(h.a2), s.swap ? i.a1 : i.a2);
  }
  return top;
}

// Rank 0: sort the hits of every rank, keep the K best, drop empty slots.
static void MergeTop(std::vector<Hit>* all, std::size_t K)
{
  auto key = [](const Hit& h) { return std::isnan(h.chisq) ? -1.0 : h.chisq; };
  for (Hit& h : *all) h.chr[7] = h.snp[39] = h.a1[7] = h.a2[7] = '\0';  // whatever arrived, print safely
  std::sort(all->begin(), all->end(), [&](const Hit& u, const Hit& v) {
    return key(u) != key(v) ? key(u) > key(v) : (u.index >= 0 && (v.index < 0 || u.index < v.index));
  });
  all->resize(std::min(all->size(), K));
  while (!all->empty() && !(all->back().chisq >= 0)) all->pop_back();
}

// Rank 0 prints the list as a table.
static PetscErrorCode PrintTop(const std::vector<Hit>& top)
{
  PetscFunctionBeginUser;
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "Top %d variants (A1 = minor allele, F_A/F_U = its frequency in cases/controls):\n",
                        (int)top.size()));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "%4s %4s %12s %10s %3s %3s %9s %9s %10s %10s %8s\n", "rank", "CHR", "SNP", "BP", "A1",
                        "A2", "F_A", "F_U", "CHISQ", "P", "OR"));
  for (std::size_t k = 0; k < top.size(); ++k) {
    const Hit& h = top[k];
    PetscCall(PetscPrintf(PETSC_COMM_WORLD, "%4d %4s %12s %10lld %3s %3s %9.4f %9.4f %10.4f %10.3e %8s\n", (int)k + 1, h.chr,
                          h.snp, (long long)h.bp, h.a1, h.a2, h.f_a, h.f_u, h.chisq, h.p, Number(h.odds).c_str()));
  }
  PetscFunctionReturn(PETSC_SUCCESS);
}

// Does rank 0's merged list hold the K largest values of chisq?  With t the
// last (smallest) value of a list of n, fewer than n entries of the Vec may
// exceed t and at least n must reach it (ties at t may go either way); and n
// is min(K, number of tested variants).  Collective.
static PetscErrorCode TopAgrees(Vec chisq, const std::vector<Hit>& top, std::int64_t tested, std::size_t K, PetscBool* agrees)
{
  const PetscScalar* x = NULL;
  PetscInt           local = 0;
  double             list[2] = {top.empty() ? 0.0 : top.back().chisq, (double)top.size()};  // rank 0's
  long long          count[2] = {0, 0};                                                       // > t, >= t

  PetscFunctionBeginUser;
  PetscCallMPI(MPI_Bcast(list, 2, MPI_DOUBLE, 0, PETSC_COMM_WORLD));
  PetscCall(VecGetLocalSize(chisq, &local));
  PetscCall(VecGetArrayRead(chisq, &x));
  for (PetscInt v = 0; v < local; ++v) {
    count[0] += PetscRealPart(x[v]) > list[0];
    count[1] += PetscRealPart(x[v]) >= list[0];
  }
  PetscCall(VecRestoreArrayRead(chisq, &x));
  PetscCallMPI(MPI_Allreduce(MPI_IN_PLACE, count, 2, MPI_LONG_LONG, MPI_SUM, PETSC_COMM_WORLD));
  const long long n = (long long)list[1];
  *agrees = (n == std::min<long long>((long long)K, tested) && (n == 0 || (count[0] < n && count[1] >= n))) ? PETSC_TRUE : PETSC_FALSE;
  PetscFunctionReturn(PETSC_SUCCESS);
}
