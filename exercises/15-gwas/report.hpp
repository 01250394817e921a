// report.hpp — what the checks found and what rank 0 prints: the scan's
// `name = value` lines, the same at every number of ranks, and the top list.
#pragma once

#include <petscvec.h>

#include <string>

#include "scan.hpp"
#include "top_list.hpp"

// What the check and the report need besides the counts.
struct Result {
  PetscInt         imax = -1;  // VecMax: the strongest signal, its global index
  PetscReal        vmax = 0;
  std::vector<Hit> top;  // rank 0: the K strongest of all ranks
  int              type_size = 0, max_agrees = 0;
  MPI_Aint         type_extent = 0;
  PetscBool        top_agrees = PETSC_FALSE, pass = PETSC_FALSE;
  double           scan_s = 0, out_s = 0, time_s = 0;
};

// Rank 0 prints the results, `name = value` lines that do not depend on NP.
static PetscErrorCode Report(const AppCtx& ctx, const Samples& s, const ScanCounts& scan, const Result& r)
{
  std::string top_snps, planted_snps;
  int         planted_in_top = 0, size = 0;

  PetscFunctionBeginUser;
  PetscCallMPI(MPI_Comm_size(PETSC_COMM_WORLD, &size));
  for (const Hit& h : r.top) top_snps += (top_snps.empty() ? "" : " ") + std::string(h.snp);
  for (std::int64_t j : s.planted) {
    planted_snps += (planted_snps.empty() ? "" : " ") + SyntheticInfo(ctx, j).snp;
    for (const Hit& h : r.top) planted_in_top += h.index == j;
  }
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "GWAS allelic chi-square scan of %lld variants x %lld samples (%s)\n", (long long)s.M,
                        (long long)s.N, ctx.has_bfile ? ctx.bfile : "synthetic"));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "size = %d\nsamples = %lld\nvariants = %lld\ncases = %lld\ncontrols = %lld\n", size,
                        (long long)s.N, (long long)s.M, (long long)s.cases, (long long)s.controls));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "phenotype_missing = %lld\ngenotype_calls = %lld\nmissing_calls = %lld\n",
                        (long long)s.missing, (long long)(s.N * s.M), scan.missing_calls));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "scanned = %lld\ntested = %lld\n", scan.scanned, scan.tested));
  PetscCall(PrintTop(r.top));
  if (!r.top.empty())
    PetscCall(PetscPrintf(PETSC_COMM_WORLD, "max_chisq = %.10g\nmax_snp = %s\nmax_p = %.6g\n", (double)r.vmax, r.top[0].snp, r.top[0].p));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "top_snps = %s\n", top_snps.c_str()));
  if (!s.planted.empty()) PetscCall(PetscPrintf(PETSC_COMM_WORLD, "planted = %s\nplanted_in_top = %d\n", planted_snps.c_str(), planted_in_top));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "recount_variants = %lld\nrecount_mismatches = %lld\n", scan.recounted, scan.mismatches));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "hit_type_size = %d\nhit_type_extent = %lld\n", r.type_size, (long long)r.type_extent));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "vecmax_agrees = %s\ntop_agrees = %s\n", r.max_agrees ? "yes" : "no", r.top_agrees ? "yes" : "no"));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "check = %s\n", r.pass ? "PASS" : "FAIL"));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "scan_s = %.6f\nout_s = %.6f\ntime_s = %.6f\ncalls_per_s = %.4g\n", r.scan_s, r.out_s,
                        r.time_s, (double)(s.N * s.M) / r.time_s));
  PetscFunctionReturn(PETSC_SUCCESS);
}
