// gwas_options.hpp — the parameters of a scan (AppCtx) and the options that
// set them.  `-help` lists every option with its default and range: this is
// the one place an option is declared.
#pragma once

#include <petscsys.h>

#include "petsc_errors.hpp"

// Parameters of the run (PETSc style: one context, no globals).
struct AppCtx {
  PetscInt  samples = 2000, variants = 10000, seed = 2024, report = 10, causal = 5;
  PetscReal maf_min = 0.05, effect = 1.5, missing = 0.0;
  char      bfile[PETSC_MAX_PATH_LEN] = "", write_bfile[PETSC_MAX_PATH_LEN] = "";
  char      out[PETSC_MAX_PATH_LEN] = "";
  PetscBool has_bfile = PETSC_FALSE, has_write = PETSC_FALSE, has_out = PETSC_FALSE;
};

// A value out of range stops every rank with one line (UserInputErrorHandler).
static PetscErrorCode ReadOptions(AppCtx* ctx)
{
  PetscFunctionBeginUser;
  PetscOptionsBegin(PETSC_COMM_WORLD, NULL, "GWAS scan options", "");
  PetscCall(PetscOptionsRangeInt("-samples", "synthetic data: number of samples (2 to 1e8)", "", ctx->samples, &ctx->samples, NULL, 2, 100000000));
  PetscCall(PetscOptionsRangeInt("-variants", "synthetic data: number of variants (1 to 1e9)", "", ctx->variants, &ctx->variants, NULL, 1, 1000000000));
  PetscCall(PetscOptionsReal("-maf_min", "synthetic data: smallest minor-allele frequency (0, 0.5]", "", ctx->maf_min, &ctx->maf_min, NULL));
  PetscCall(PetscOptionsRangeInt("-seed", "synthetic data: seed of the generator", "", ctx->seed, &ctx->seed, NULL, 0, 2147483647));
  PetscCall(PetscOptionsRangeInt("-causal", "synthetic data: number of planted causal variants (0 to 1000)", "", ctx->causal, &ctx->causal, NULL, 0, 1000));
  PetscCall(PetscOptionsReal("-effect", "synthetic data: odds ratio of a planted variant [0.01, 100]", "", ctx->effect, &ctx->effect, NULL));
  PetscCall(PetscOptionsReal("-missing", "synthetic data: fraction of missing genotype calls [0, 0.5]", "", ctx->missing, &ctx->missing, NULL));
  PetscCall(PetscOptionsString("-bfile", "read a PLINK 1 fileset PREFIX.bed/.bim/.fam instead", "", ctx->bfile, ctx->bfile, sizeof(ctx->bfile), &ctx->has_bfile));
  PetscCall(PetscOptionsString("-write_bfile", "write the synthetic data as PREFIX.bed/.bim/.fam", "", ctx->write_bfile, ctx->write_bfile, sizeof(ctx->write_bfile), &ctx->has_write));
  PetscCall(PetscOptionsString("-out", "write the whole scan (PLINK .assoc columns) to FILE", "", ctx->out, ctx->out, sizeof(ctx->out), &ctx->has_out));
  PetscCall(PetscOptionsRangeInt("-report", "how many top variants to report (1 to 1000)", "", ctx->report, &ctx->report, NULL, 1, 1000));
  PetscOptionsEnd();
  PetscCheck(ctx->maf_min > 0 && ctx->maf_min <= 0.5, PETSC_COMM_WORLD, PETSC_ERR_USER_INPUT, "-maf_min %g is out of range (0, 0.5]", (double)ctx->maf_min);
  PetscCheck(ctx->effect >= 0.01 && ctx->effect <= 100, PETSC_COMM_WORLD, PETSC_ERR_USER_INPUT, "-effect %g is out of range [0.01, 100]", (double)ctx->effect);
  PetscCheck(ctx->missing >= 0 && ctx->missing <= 0.5, PETSC_COMM_WORLD, PETSC_ERR_USER_INPUT, "-missing %g is out of range [0, 0.5]", (double)ctx->missing);
  PetscCheck(!ctx->has_bfile || ctx->bfile[0], PETSC_COMM_WORLD, PETSC_ERR_USER_INPUT, "-bfile needs a value: the PREFIX of PREFIX.bed/.bim/.fam");
  PetscCheck(!ctx->has_write || ctx->write_bfile[0], PETSC_COMM_WORLD, PETSC_ERR_USER_INPUT, "-write_bfile needs a value: the PREFIX of the fileset to write");
  PetscCheck(!ctx->has_out || ctx->out[0], PETSC_COMM_WORLD, PETSC_ERR_USER_INPUT, "-out needs a value: the file to write the scan to");
  PetscCheck(!(ctx->has_bfile && ctx->has_write), PETSC_COMM_WORLD, PETSC_ERR_USER_INPUT, "-write_bfile writes synthetic data; it cannot be combined with -bfile");
  PetscCheck(ctx->has_bfile || ctx->causal <= ctx->variants, PETSC_COMM_WORLD, PETSC_ERR_USER_INPUT,
             "-causal %" PetscInt_FMT " is more than -variants %" PetscInt_FMT, ctx->causal, ctx->variants);
  PetscFunctionReturn(PETSC_SUCCESS);
}
