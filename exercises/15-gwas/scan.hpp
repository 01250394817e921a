// scan.hpp — the passes of the scan that are not the lesson's MPI: who the
// samples are, the names of this rank's variants, reading (or making) their
// packed genotypes block by block and counting them, the tests, and the
// output files.  gwas.cpp calls them in order.
#pragma once

#include <petscvec.h>

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "allelic_test.hpp"
#include "bed_io.hpp"
#include "gwas_options.hpp"
#include "synthetic.hpp"

// The samples, the same on every rank, and the number of variants M.
struct Samples {
  std::vector<signed char>  pheno;  // 1 case, 0 control, -1 missing
  std::int64_t              N = 0, M = 0, cases = 0, controls = 0, missing = 0;
  std::vector<std::int64_t> planted;  // synthetic data: the planted variants
};

// What this rank's part of the scan found; the sums over ranks are the report's.
struct ScanCounts {
  std::vector<Counts> counts;  // one per variant of this rank
  long long           missing_calls = 0, tested = 0, recounted = 0, mismatches = 0, scanned = 0;
};

// The phenotype of every sample on every rank: synthetic (every rank makes
// the same), or a .fam that rank 0 reads and broadcasts, after checking the
// .bim and the .bed's size.  Collective.
static PetscErrorCode LoadSamples(const AppCtx& ctx, Samples* s)
{
  PetscMPIInt size = 0, rank = 0;
  std::string error;

  PetscFunctionBeginUser;
  PetscCallMPI(MPI_Comm_rank(PETSC_COMM_WORLD, &rank));
  PetscCallMPI(MPI_Comm_size(PETSC_COMM_WORLD, &size));
  s->M = ctx.variants;
  if (ctx.has_bfile) {
    const std::string prefix = ctx.bfile;
    if (rank == 0) {
      std::vector<VariantInfo> none;
      error = ReadFam(prefix + ".fam", &s->pheno);
      if (error.empty()) error = ReadBim(prefix + ".bim", 0, 0, &s->M, &none);
      if (error.empty() && s->M == 0) error = prefix + ".bim has no variants";
      if (error.empty()) error = CheckBed(prefix + ".bed", s->M, (std::int64_t)s->pheno.size());
    }
    PetscCall(StopOnError(error));
    long long n[2] = {(long long)s->pheno.size(), (long long)s->M};
    PetscCallMPI(MPI_Bcast(n, 2, MPI_LONG_LONG, 0, PETSC_COMM_WORLD));
    s->pheno.resize((std::size_t)n[0]);
    s->M = n[1];
    PetscCallMPI(MPI_Bcast(s->pheno.data(), (PetscMPIInt)n[0], MPI_SIGNED_CHAR, 0, PETSC_COMM_WORLD));
    PetscCheck(s->M <= PETSC_MAX_INT, PETSC_COMM_WORLD, PETSC_ERR_USER_INPUT, "too many variants for this PETSc build");
  } else {
    s->pheno   = SyntheticPhenotype(ctx);
    s->planted = PlantedVariants(ctx);
  }
  s->N = (std::int64_t)s->pheno.size();
  for (signed char y : s->pheno) {
    s->cases += y == 1;
    s->controls += y == 0;
    s->missing += y < 0;
  }
  PetscCheck(s->M >= size, PETSC_COMM_WORLD, PETSC_ERR_USER_INPUT, "more ranks (%d) than variants (%lld): use at most %lld ranks",
             (int)size, (long long)s->M, (long long)s->M);
  PetscCheck(s->cases > 0 && s->controls > 0, PETSC_COMM_WORLD, PETSC_ERR_USER_INPUT,
             "the phenotype has no %s: the test needs both", s->cases == 0 ? "cases" : "controls");
  PetscFunctionReturn(PETSC_SUCCESS);
}

// The names and places of variants [j0, j1): this rank's lines of the .bim,
// or made up.  Collective (an error stops every rank).
static PetscErrorCode LoadVariantInfo(const AppCtx& ctx, const Samples& s, PetscInt j0, PetscInt j1, std::vector<VariantInfo>* info)
{
  std::string error;

  PetscFunctionBeginUser;
  info->clear();
  if (ctx.has_bfile) {
    std::int64_t count = 0;
    error = ReadBim(std::string(ctx.bfile) + ".bim", j0, j1, &count, info);
    if (error.empty() && count != s.M) error = std::string(ctx.bfile) + ".bim changed while it was read";
  } else {
    for (std::int64_t j = j0; j < j1; ++j) info->push_back(SyntheticInfo(ctx, j));
  }
  PetscCall(StopOnError(error));
  PetscFunctionReturn(PETSC_SUCCESS);
}

// Count the alleles of variants [j0, j1), about 16 MiB of packed genotypes at
// a time (memory stays small whatever the size of the file): read from the
// .bed at offset 3 + j ceil(N/4) with MPI_File_read_at, or made (and, with
// -write_bfile, written there).  About 1000 variants over all ranks are
// recounted call by call, the reference for the check.  Collective.
static PetscErrorCode ScanVariants(const AppCtx& ctx, const Samples& s, PetscInt j0, PetscInt j1, ScanCounts* scan)
{
  const std::int64_t  nbytes = (s.N + 3) / 4, local = j1 - j0, stride = std::max<std::int64_t>(1, s.M / 1000);
  const std::int64_t  chunk  = std::max<std::int64_t>(1, (16 << 20) / nbytes);
  const SampleGroups  groups = MakeGroups(s.pheno);
  const std::string   in = std::string(ctx.bfile) + ".bed", out = std::string(ctx.write_bfile) + ".bed", part = out + ".part";
  MPI_File            bed_in = MPI_FILE_NULL, bed_out = MPI_FILE_NULL;
  PetscMPIInt         rank = 0;
  std::string         error;
  std::vector<unsigned char> buf((std::size_t)(std::min(chunk, std::max<std::int64_t>(local, 1)) * nbytes));

  PetscFunctionBeginUser;
  PetscCallMPI(MPI_Comm_rank(PETSC_COMM_WORLD, &rank));
  if (ctx.has_bfile && MPI_File_open(PETSC_COMM_WORLD, in.c_str(), MPI_MODE_RDONLY, MPI_INFO_NULL, &bed_in) != MPI_SUCCESS)
    error = "cannot open " + in;
  if (ctx.has_write && MPI_File_open(PETSC_COMM_WORLD, part.c_str(), MPI_MODE_CREATE | MPI_MODE_WRONLY, MPI_INFO_NULL, &bed_out) != MPI_SUCCESS)
    error = "cannot write " + out;
  PetscCall(StopOnError(error));
  if (bed_out != MPI_FILE_NULL) {
    const unsigned char magic[3] = {0x6c, 0x1b, 0x01};
    MPI_Status          st;
    PetscCallMPI(MPI_File_set_size(bed_out, (MPI_Offset)(3 + s.M * nbytes)));
    if (rank == 0 && MPI_File_write_at(bed_out, 0, magic, 3, MPI_BYTE, &st) != MPI_SUCCESS) error = "write failed on " + out;
  }
  scan->counts.assign((std::size_t)local, Counts());
  for (std::int64_t c0 = j0; c0 < j1 && error.empty(); c0 += chunk) {
    const std::int64_t nv = std::min<std::int64_t>(chunk, j1 - c0);
    const MPI_Offset   offset = 3 + (MPI_Offset)c0 * nbytes;
    if (bed_in != MPI_FILE_NULL) {
      MPI_Status st;
      int        got = 0;
      if (MPI_File_read_at(bed_in, offset, buf.data(), (int)(nv * nbytes), MPI_BYTE, &st) != MPI_SUCCESS ||
          MPI_Get_count(&st, MPI_BYTE, &got) != MPI_SUCCESS || got != (int)(nv * nbytes)) {
        error = "short read from " + in + " at byte " + std::to_string((long long)offset);
        break;
      }
    } else {
      for (std::int64_t v = 0; v < nv; ++v)
        SyntheticVariant(ctx, c0 + v, std::binary_search(s.planted.begin(), s.planted.end(), c0 + v), s.pheno,
                         buf.data() + v * nbytes);
      if (bed_out != MPI_FILE_NULL) {
        error = WriteAt(bed_out, offset, (const char*)buf.data(), (std::size_t)(nv * nbytes));
        if (!error.empty()) error += " on " + out;
      }
    }
    for (std::int64_t v = 0; v < nv; ++v) {
      const unsigned char* bytes = buf.data() + v * nbytes;
      Counts&              n     = scan->counts[(std::size_t)(c0 - j0 + v)];
      n                          = CountVariant(bytes, (std::size_t)nbytes, groups);
      if ((c0 + v) % stride == 0) {  // the reference: decode call by call
        ++scan->recounted;
        scan->mismatches += !SameCounts(CountPlain(bytes, s.pheno), n);
      }
    }
    scan->scanned += nv;
  }
  if (bed_in != MPI_FILE_NULL) PetscCallMPI(MPI_File_close(&bed_in));
  const bool written = bed_out != MPI_FILE_NULL;
  if (written) PetscCallMPI(MPI_File_close(&bed_out));
  PetscCall(StopOnError(error));
  if (written) PetscCall(RenameWhole(part, out));  // the .bed as PREFIX.bed.part until it is whole
  PetscFunctionReturn(PETSC_SUCCESS);
}

// The counts of all ranks, on every rank.
static PetscErrorCode SumOverRanks(ScanCounts* scan)
{
  long long n[5] = {scan->missing_calls, scan->tested, scan->recounted, scan->mismatches, scan->scanned};

  PetscFunctionBeginUser;
  PetscCallMPI(MPI_Allreduce(MPI_IN_PLACE, n, 5, MPI_LONG_LONG, MPI_SUM, PETSC_COMM_WORLD));
  scan->missing_calls = n[0], scan->tested = n[1], scan->recounted = n[2], scan->mismatches = n[3], scan->scanned = n[4];
  PetscFunctionReturn(PETSC_SUCCESS);
}

// The test of every variant of this rank, and its chi-square into the Vec
// (a variant without a defined test counts as 0 there).
static PetscErrorCode TestVariants(Vec chisq, ScanCounts* scan, std::vector<Stats>* stats)
{
  PetscScalar* x = NULL;

  PetscFunctionBeginUser;
  stats->resize(scan->counts.size());
  PetscCall(VecGetArray(chisq, &x));
  for (std::size_t v = 0; v < stats->size(); ++v) {
    const Stats t = (*stats)[v] = AllelicTest(scan->counts[v]);
    x[v]                        = std::isnan(t.chisq) ? 0.0 : t.chisq;
    scan->tested += !std::isnan(t.chisq);
    scan->missing_calls += scan->counts[v].missing;
  }
  PetscCall(VecRestoreArray(chisq, &x));
  PetscFunctionReturn(PETSC_SUCCESS);
}

// -out: the whole scan as one table with PLINK's .assoc columns, each rank
// its own lines (WriteTextParts); *out_s is its wall time.  -write_bfile: the
// .bim and .fam beside the .bed the scan wrote.  Collective.
static PetscErrorCode WriteOutputs(const AppCtx& ctx, const Samples& s, const std::vector<VariantInfo>& info,
                                   const std::vector<Stats>& stats, double* out_s)
{
  PetscFunctionBeginUser;
  PetscCallMPI(MPI_Barrier(PETSC_COMM_WORLD));
  const double t = MPI_Wtime();
  if (ctx.has_out) {
    std::string mine;
    mine.reserve(info.size() * 96);
    for (std::size_t v = 0; v < info.size(); ++v) {
      const Stats&       r = stats[v];
      const VariantInfo& i = info[v];
      AssocLine(&mine, i, r.swap ? i.a2 : i.a1, r.swap ? i.a1 : i.a2, r.f_a, r.f_u, r.chisq, r.p, r.odds);
    }
    PetscCall(WriteTextParts(ctx.out, AssocHeader(), mine));
  }
  PetscCallMPI(MPI_Barrier(PETSC_COMM_WORLD));
  *out_s = MPI_Wtime() - t;
  if (ctx.has_write) PetscCall(WriteBimFam(ctx.write_bfile, info, s.pheno));
  PetscFunctionReturn(PETSC_SUCCESS);
}
