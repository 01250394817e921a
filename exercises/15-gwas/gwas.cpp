/**
 * @file gwas.cpp
 * @brief Lesson 15: a genome-wide association scan (allelic chi-square test
 * of every variant against a case/control phenotype), variants split over
 * the ranks.
 *
 * Every variant is tested on its own (allelic_test.hpp: the 2x2 table of
 * allele counts in cases and controls, Pearson's chi-square, its p-value),
 * so the scan is embarrassingly parallel: each rank takes a block of the
 * variants, reads (bed_io.hpp) or makes (synthetic.hpp) only its own
 * genotypes, and counts them (scan.hpp).  What this file does is the MPI:
 *   1. each rank's share of the variants: the entries it owns of a PETSc Vec
 *      that holds one chi-square per variant;
 *   2. an MPI datatype that describes one entry of a top-K list (struct Hit);
 *   3. the top-K gather: each rank's K best to rank 0, which keeps the K best
 *      of all; VecMax finds the strongest signal over all ranks.
 *
 * Run: `make run NP=4`, `make run NP=2 ARGS="-samples 4000 -variants 50000"`,
 * `make run NP=2 ARGS="-bfile toy -out toy.assoc"`; -help lists the options.
 * Correct when `check = PASS`: every variant scanned once, the packed counts
 * equal a plain recount, the gathered list is the K largest values of the
 * Vec and starts with VecMax's variant; the output is the same at every NP,
 * and the tests compare -out with `plink1.9 --assoc` on every variant.
 */
static char help[] = "Genome-wide association scan: allelic chi-square test of every variant\n"
                     "against a case/control phenotype, variants split over the ranks (lesson 15).\n"
                     "Data: synthetic (-samples -variants -maf_min -seed -causal -effect -missing)\n"
                     "or a PLINK 1 binary fileset (-bfile PREFIX).  -out FILE writes the scan\n"
                     "with PLINK's .assoc columns; -write_bfile PREFIX writes the synthetic data.\n\n";

#include <petscvec.h>

#include <cstddef>

#include "report.hpp"
#include "scan.hpp"
#include "top_list.hpp"

// Step 1: the chi-square values live in a Vec of M entries over all ranks;
// PETSc chooses each rank's share, and the variants a rank scans are the
// entries it owns, [j0, j1).
static PetscErrorCode SplitVariants(std::int64_t M, Vec* chisq, PetscInt* j0, PetscInt* j1)
{
  PetscFunctionBeginUser;
  // >>> step 1: create the Vec and find this rank's share of the variants
  // TODO 1: create the Vec *chisq of M entries over PETSC_COMM_WORLD, with
  //         each rank's share chosen by PETSc and the options (-vec_type)
  //         applied; then ask which entries [*j0, *j1) this rank owns.
  //         Hint: VecCreate, VecSetSizes, VecSetFromOptions, VecGetOwnershipRange.
  PetscCall(VecCreateSeq(PETSC_COMM_SELF, 0, chisq));  // placeholder: an empty Vec, no variants
  // <<< step 1
  PetscFunctionReturn(PETSC_SUCCESS);
}

// Step 2: a Hit (top_list.hpp) is 5 doubles, 2 int64 and 4 char arrays.  Sent
// as raw bytes it would only work between identical machines, and only if the
// compiler's padding were part of the bargain; as a datatype of its own, MPI
// knows each field's type and offset (offsetof), and the extent, resized to
// sizeof(Hit), is the stride from one Hit of an array to the next.
static PetscErrorCode CreateHitType(MPI_Datatype* type)
{
  PetscFunctionBeginUser;
  // >>> step 2: describe a Hit to MPI
  // TODO 2: make *type describe one Hit: a struct type of 6 blocks (the 5
  //         doubles, the 2 int64, each char array), each with its MPI type,
  //         its length and its offset in Hit; resize it so that its extent
  //         is sizeof(Hit), and commit it.  Hint: MPI_Type_create_struct
  //         (offsets with offsetof), MPI_Type_create_resized, MPI_Type_commit,
  //         and MPI_Type_free for the type before resizing.
  PetscCallMPI(MPI_Type_contiguous(1, MPI_BYTE, type));  // placeholder: one byte, not a Hit
  PetscCallMPI(MPI_Type_commit(type));
  // <<< step 2
  PetscFunctionReturn(PETSC_SUCCESS);
}

// Step 3: every rank sends its K best (`mine`, K hits); rank 0 receives them
// all, rank by rank, into `all` and keeps the K best of them.
static PetscErrorCode GatherTop(const std::vector<Hit>& mine, MPI_Datatype hit_type, std::vector<Hit>* top)
{
  PetscMPIInt       rank = 0, size = 0;
  const std::size_t K = mine.size();

  PetscFunctionBeginUser;
  PetscCallMPI(MPI_Comm_rank(PETSC_COMM_WORLD, &rank));
  PetscCallMPI(MPI_Comm_size(PETSC_COMM_WORLD, &size));
  std::vector<Hit> all(rank == 0 ? K * (std::size_t)size : 0, EmptyHit());
  // >>> step 3: gather every rank's K hits on rank 0
  // TODO 3: every rank sends its K hits (`mine`) to rank 0, which receives
  //         them, rank by rank, into `all`.  Hint: MPI_Gather, with hit_type.
  if (rank == 0) std::copy(mine.begin(), mine.end(), all.begin());  // placeholder: rank 0's own only
  // <<< step 3
  MergeTop(&all, K);
  *top = all;
  PetscFunctionReturn(PETSC_SUCCESS);
}

// The checks, the same verdict on every rank: every variant scanned once, the
// packed counts equal the plain recount, the Hit type moves a whole Hit, and
// the gathered list is the K largest values of the Vec, VecMax's first.
static PetscErrorCode Check(const Samples& s, const ScanCounts& scan, Vec chisq, MPI_Datatype hit_type, std::size_t K, Result* r)
{
  MPI_Aint lb = 0;

  PetscFunctionBeginUser;
  r->max_agrees = !r->top.empty() && r->top[0].index == r->imax && r->top[0].chisq == r->vmax;
  PetscCallMPI(MPI_Bcast(&r->max_agrees, 1, MPI_INT, 0, PETSC_COMM_WORLD));  // rank 0 holds the list
  PetscCall(TopAgrees(chisq, r->top, scan.tested, K, &r->top_agrees));
  PetscCallMPI(MPI_Type_size(hit_type, &r->type_size));
  PetscCallMPI(MPI_Type_get_extent(hit_type, &lb, &r->type_extent));
  const bool type_ok = r->type_size == (int)(5 * sizeof(double) + 2 * sizeof(std::int64_t) + 64) && lb == 0 &&
                       r->type_extent == (MPI_Aint)sizeof(Hit);
  r->pass = (scan.scanned == s.M && scan.mismatches == 0 && type_ok && r->top_agrees && (scan.tested == 0 || r->max_agrees))
              ? PETSC_TRUE : PETSC_FALSE;
  PetscFunctionReturn(PETSC_SUCCESS);
}

int main(int argc, char** argv)
{
  AppCtx                   ctx;
  Samples                  samples;
  std::vector<VariantInfo> info;
  ScanCounts               scan;
  std::vector<Stats>       stats;
  Result                   r;
  Vec                      chisq = NULL;
  PetscInt                 j0 = 0, j1 = 0;
  MPI_Datatype             hit_type = MPI_DATATYPE_NULL;

  PetscCall(PetscInitialize(&argc, &argv, NULL, help));
  PetscCall(PetscPushErrorHandler(UserInputErrorHandler, NULL));  // bad input: one line, exit 1

  // Options, and the samples every rank needs (rank 0 reads a .fam and broadcasts it).
  PetscCall(ReadOptions(&ctx));
  PetscCall(LoadSamples(ctx, &samples));

  // Each rank's share of the variants (step 1), and their names.
  PetscCall(SplitVariants(samples.M, &chisq, &j0, &j1));
  PetscCall(LoadVariantInfo(ctx, samples, j0, j1, &info));

  // The scan: read (or make) this rank's genotypes, count and test them.
  PetscCallMPI(MPI_Barrier(PETSC_COMM_WORLD));
  const double t0 = MPI_Wtime();
  PetscCall(ScanVariants(ctx, samples, j0, j1, &scan));
  PetscCallMPI(MPI_Barrier(PETSC_COMM_WORLD));
  r.scan_s = MPI_Wtime() - t0;
  PetscCall(TestVariants(chisq, &scan, &stats));

  // The strongest signal over all ranks, and the top K on rank 0 (steps 2 and 3).
  PetscCall(VecMax(chisq, &r.imax, &r.vmax));
  PetscCall(CreateHitType(&hit_type));
  PetscCall(GatherTop(LocalTop(stats, info, j0, (std::size_t)ctx.report), hit_type, &r.top));

  // The whole table (-out) and the synthetic fileset (-write_bfile).
  PetscCall(WriteOutputs(ctx, samples, info, stats, &r.out_s));
  PetscCallMPI(MPI_Barrier(PETSC_COMM_WORLD));
  r.time_s = MPI_Wtime() - t0;

  // Check and report: rank 0 prints, and a failed check fails every rank.
  PetscCall(SumOverRanks(&scan));
  PetscCall(Check(samples, scan, chisq, hit_type, (std::size_t)ctx.report, &r));
  PetscCall(Report(ctx, samples, scan, r));

  PetscCallMPI(MPI_Type_free(&hit_type));
  PetscCall(VecDestroy(&chisq));
  PetscCall(WarnUnusedOptions());
  PetscCall(PetscPopErrorHandler());
  PetscCall(PetscFinalize());
  return r.pass ? 0 : 1;  // a failed check fails the run, on every rank
}
