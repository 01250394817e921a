// synthetic.hpp — synthetic genotypes and phenotypes that do not depend on
// the number of ranks.
//
// Every number is drawn from a sample's and a variant's global index with the
// counter-based Philox generator (Random123, header-only: 128 random bits per
// counter value, the same counter gives the same bits on any rank), so a seed
// gives the same data, and the same answer, at any NP.  A few planted causal
// variants (-causal, -effect) give the scan something to find.
#pragma once

#include <Random123/philox.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "bed_io.hpp"
#include "gwas_options.hpp"

using Philox = r123::Philox4x32;
enum Stream : std::uint32_t { kGenotype = 0, kPhenotype = 1, kFrequency = 2, kMissing = 3 };

static Philox::ctr_type Draw(const AppCtx& ctx, std::uint32_t i, std::int64_t j, Stream stream)
{
  Philox           rng;
  Philox::key_type key = {{(std::uint32_t)ctx.seed, 0x15a55c1dU}};
  Philox::ctr_type ctr = {{i, (std::uint32_t)j, (std::uint32_t)((std::uint64_t)j >> 32), stream}};
  return rng(ctr, key);
}

// Phenotype of every sample: case with probability 1/2 (1 = case, 0 = control).
static std::vector<signed char> SyntheticPhenotype(const AppCtx& ctx)
{
  std::vector<signed char> pheno((std::size_t)ctx.samples);
  for (PetscInt i = 0; i < ctx.samples; ++i)
    pheno[(std::size_t)i] = Draw(ctx, (std::uint32_t)i, 0, kPhenotype)[0] >> 31;
  return pheno;
}

// Planted causal variant k of C sits at (2k+1) M / (2C): spread over the genome.
static std::vector<std::int64_t> PlantedVariants(const AppCtx& ctx)
{
  std::vector<std::int64_t> planted;
  for (PetscInt k = 0; k < ctx.causal; ++k)
    planted.push_back(((2 * (std::int64_t)k + 1) * ctx.variants) / (2 * (std::int64_t)ctx.causal));
  return planted;
}

// Synthetic variant j: 22 chromosomes of equal length, 1 kb apart.
static VariantInfo SyntheticInfo(const AppCtx& ctx, std::int64_t j)
{
  const std::int64_t M = ctx.variants, chr = 1 + (22 * j) / M;
  const std::int64_t first = ((chr - 1) * M + 21) / 22;  // first variant of chromosome chr
  return {std::to_string(chr), "rs" + std::to_string(j + 1), "A", "G", 1 + 1000 * (long)(j - first)};
}

// The packed .bed record of synthetic variant j.  A1 frequency in controls:
// uniform in [maf_min, 0.5], or 0.3 for a planted variant, whose cases have
// `effect` times the controls' odds of carrying A1.  Each allele copy is a
// 16-bit uniform below the frequency; one Philox call serves the 4 samples of
// one byte.
static void SyntheticVariant(const AppCtx& ctx, std::int64_t j, bool planted, const std::vector<signed char>& pheno,
                             unsigned char* bytes)
{
  const double u    = Draw(ctx, 0, j, kFrequency)[0] * 0x1p-32;
  const double f_u  = planted ? std::max(0.3, (double)ctx.maf_min) : ctx.maf_min + (0.5 - ctx.maf_min) * u;
  const double odds = planted ? ctx.effect * f_u / (1.0 - f_u) : f_u / (1.0 - f_u);
  const double f_a  = odds / (1.0 + odds);
  const std::uint32_t thr[2] = {(std::uint32_t)std::lround(f_u * 65536.0), (std::uint32_t)std::lround(f_a * 65536.0)};
  const std::uint64_t miss   = (std::uint64_t)std::llround(ctx.missing * 4294967296.0);
  const std::size_t   N = pheno.size(), nbytes = (N + 3) / 4;
  for (std::size_t k = 0; k < nbytes; ++k) {
    const Philox::ctr_type r = Draw(ctx, (std::uint32_t)k, j, kGenotype);
    Philox::ctr_type       m = {{0, 0, 0, 0}};
    if (miss) m = Draw(ctx, (std::uint32_t)k, j, kMissing);
    unsigned byte = 0;
    for (std::size_t q = 0; q < 4 && 4 * k + q < N; ++q) {
      const std::uint32_t t  = thr[pheno[4 * k + q] == 1];
      const int           a1 = ((r[q] & 0xffffU) < t) + ((r[q] >> 16) < t);  // copies of A1
      unsigned code = a1 == 2 ? 0U : (a1 == 1 ? 2U : 3U);
      if (miss && m[q] < miss) code = 1U;
      byte |= code << (2 * q);
    }
    bytes[k] = (unsigned char)byte;
  }
}
