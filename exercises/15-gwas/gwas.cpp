/**
 * @file gwas.cpp
 * @brief Lesson 15: a genome-wide association scan (allelic chi-square test)
 * over variants split across MPI ranks, on packed PLINK genotypes.
 *
 * For every variant j the program counts, in cases and in controls, the
 * copies of allele A1 (the minor allele) and A2, which gives the 2x2 allelic
 * table [a b; c d] (rows cases/controls, columns A1/A2), and computes
 * Pearson's chi-square without continuity correction,
 *     chi2 = T (ad - bc)^2 / ((a+b)(c+d)(a+c)(b+d)),  T = a+b+c+d,
 * its p-value for 1 degree of freedom, p = erfc(sqrt(chi2/2)), the A1
 * frequencies in cases (F_A) and controls (F_U) and the odds ratio ad/(bc):
 * the columns of `plink --assoc`.
 *
 * The data: either synthetic (-samples N -variants M -maf_min -seed; a few
 * planted causal variants, -causal and -effect), made from each sample's and
 * variant's global index with the counter-based Philox generator, so that a
 * seed gives the same data and the same answer at any number of ranks; or a
 * PLINK 1 binary fileset (-bfile PREFIX: .bed/.bim/.fam), of which each rank
 * reads only its own block of variants.  Genotypes stay packed, 2 bits per
 * call, and are counted 32 calls at a time with AND and popcount.
 *
 * The chi-square values live in a PETSc Vec split like the variants; VecMax
 * finds the strongest signal, and each rank's top K go to rank 0 (MPI_Gather).
 * -out FILE writes the whole scan with PLINK's .assoc columns; -write_bfile
 * PREFIX writes the synthetic data as a PLINK fileset (MPI-IO, each rank its
 * own block), so that PLINK itself can check the numbers.
 *
 * Run: `make run NP=4`, `make run NP=2 ARGS="-samples 4000 -variants 50000"`,
 * `make run NP=2 ARGS="-bfile data/toy -out toy.assoc"`; -help lists the
 * options.  Proof of correctness: `recount_mismatches = 0` (a plain
 * unpacked recount of every variant j with j % stride == 0), `check = PASS`
 * (that and VecMax agreeing with the top of the gathered list), the planted
 * variants in the top K (`planted_in_top`), the same output at every NP, and,
 * in the tests, every line of -out against `plink1.9 --assoc`.
 *
 * Exercise: the four TODOs are the counting on packed genotypes, VecMax,
 * the gather of the top K, and the offsets of the parts of a shared file.
 * As given it compiles and runs, and reports `check = FAIL`.
 */
static char help[] = "Genome-wide association scan: allelic chi-square test of every variant\n"
                     "against a case/control phenotype, variants split over the ranks (lesson 15).\n"
                     "Data: synthetic (-samples -variants -maf_min -seed -causal -effect -missing)\n"
                     "or a PLINK 1 binary fileset (-bfile PREFIX).  -out FILE writes the scan\n"
                     "with PLINK's .assoc columns; -write_bfile PREFIX writes the synthetic data.\n\n";

#include <petscvec.h>

#include <Random123/philox.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "petsc_errors.hpp"

// Parameters of the run (PETSc style: one context, no globals).
struct AppCtx {
  PetscInt  samples = 2000, variants = 10000, seed = 2024, report = 10, causal = 5;
  PetscReal maf_min = 0.05, effect = 1.5, missing = 0.0;
  char      bfile[PETSC_MAX_PATH_LEN] = "", write_bfile[PETSC_MAX_PATH_LEN] = "";
  char      out[PETSC_MAX_PATH_LEN] = "";
  PetscBool has_bfile = PETSC_FALSE, has_write = PETSC_FALSE, has_out = PETSC_FALSE;
};

// One variant's name and place (a line of the .bim file).
struct VariantInfo {
  std::string chr, snp, a1, a2;
  long        bp = 0;
};

// Allele counts of one variant, as the .bim orders the alleles: a/b = A1/A2
// copies in cases, c/d in controls; all1/all2 over every sample with a
// genotype (PLINK chooses the minor allele from these, phenotype or not).
struct Counts {
  std::int64_t a = 0, b = 0, c = 0, d = 0, all1 = 0, all2 = 0, missing = 0;
};

// One line of the result table.  NaN means "not defined" and prints as NA.
struct Stats {
  double f_a = NAN, f_u = NAN, chisq = NAN, p = NAN, odds = NAN;
  bool   swap = false;  // A1 of the .bim is the major allele: report A2 as A1
};

// One entry of a rank's top-K list, sent to rank 0 as an MPI datatype of
// its own (HitType): the compiler may pad a struct, so it is not just bytes.
struct Hit {
  double       chisq, p, odds, f_a, f_u;
  std::int64_t index, bp;
  char         chr[8], snp[40], a1[8], a2[8];
};

// The MPI datatype of a Hit: each field's MPI type at its offset in the
// struct (offsetof), and the extent resized to sizeof(Hit), so that an array
// of K Hits is K of these, padding and all.
static PetscErrorCode CreateHitType(MPI_Datatype* type)
{
  const int          lengths[6] = {5, 2, 8, 40, 8, 8};
  const MPI_Aint     offsets[6] = {offsetof(Hit, chisq), offsetof(Hit, index), offsetof(Hit, chr),
                                   offsetof(Hit, snp),   offsetof(Hit, a1),    offsetof(Hit, a2)};
  const MPI_Datatype types[6]   = {MPI_DOUBLE, MPI_INT64_T, MPI_CHAR, MPI_CHAR, MPI_CHAR, MPI_CHAR};
  MPI_Datatype       fields;

  PetscFunctionBeginUser;
  PetscCallMPI(MPI_Type_create_struct(6, lengths, offsets, types, &fields));
  PetscCallMPI(MPI_Type_create_resized(fields, 0, sizeof(Hit), type));
  PetscCallMPI(MPI_Type_commit(type));
  PetscCallMPI(MPI_Type_free(&fields));
  PetscFunctionReturn(PETSC_SUCCESS);
}

// An error found by some ranks only (rank 0 read a bad .fam, one rank's block
// of the .bed is short): every rank learns the message of the lowest rank
// that has one, and all stop with it, one line from rank 0 and exit status 1
// (PETSC_ERR_USER_INPUT, which UserInputErrorHandler reports).  Collective.
static PetscErrorCode StopOnError(std::string error)
{
  PetscMPIInt rank = 0, size = 0, first = 0, len = 0;

  PetscFunctionBeginUser;
  PetscCallMPI(MPI_Comm_rank(PETSC_COMM_WORLD, &rank));
  PetscCallMPI(MPI_Comm_size(PETSC_COMM_WORLD, &size));
  const PetscMPIInt mine = error.empty() ? size : rank;
  PetscCallMPI(MPI_Allreduce(&mine, &first, 1, MPI_INT, MPI_MIN, PETSC_COMM_WORLD));
  if (first == size) PetscFunctionReturn(PETSC_SUCCESS);  // nobody has an error
  len = (PetscMPIInt)error.size();
  PetscCallMPI(MPI_Bcast(&len, 1, MPI_INT, first, PETSC_COMM_WORLD));
  error.resize((std::size_t)len);
  PetscCallMPI(MPI_Bcast(&error[0], len, MPI_CHAR, first, PETSC_COMM_WORLD));
  SETERRQ(PETSC_COMM_WORLD, PETSC_ERR_USER_INPUT, "%s", error.c_str());
}

// ---------------------------------------------------------------------------
// The statistics of one 2x2 allelic table.
static Stats AllelicTest(const Counts& n)
{
  Stats        s;
  std::int64_t a = n.a, b = n.b, c = n.c, d = n.d;
  // PLINK reports the minor allele as A1 (over all genotyped samples); on a
  // tie it keeps the .bim's order.
  s.swap = n.all1 > n.all2;
  if (s.swap) {
    std::swap(a, b);
    std::swap(c, d);
  }
  const std::int64_t cases = a + b, controls = c + d, col1 = a + c, col2 = b + d;
  if (cases > 0) s.f_a = (double)a / (double)cases;
  if (controls > 0) s.f_u = (double)c / (double)controls;
  if (cases > 0 && controls > 0 && col1 > 0 && col2 > 0) {
    const double diff = (double)(a * d - b * c);  // exact in 64-bit integers
    s.chisq = (double)(cases + controls) * diff * diff /
              ((double)cases * (double)controls * (double)col1 * (double)col2);
    s.p = std::erfc(std::sqrt(0.5 * s.chisq));  // chi-square with 1 d.o.f.
  }
  if (b > 0 && c > 0) s.odds = ((double)a * (double)d) / ((double)b * (double)c);
  return s;
}

// ---------------------------------------------------------------------------
// Counting on packed genotypes.  A .bed byte holds 4 calls, 2 bits each, the
// first sample in the low bits: 00 = A1/A1, 01 = missing, 10 = A1/A2,
// 11 = A2/A2.  Loaded as a little-endian 64-bit word, 32 calls sit at bit
// pairs 0-1, 2-3, ...  Two facts make the counts popcounts:
//   * the number of set bits of a called pair is its number of A2 copies
//     (00: 0, 10: 1, 11: 2), and a missing pair (01) has exactly one;
//   * missing pairs are those with the low bit set and the high bit clear:
//     x & ~(x >> 1) & 0x5555... has one bit per missing call.
// A group of samples (cases, controls) is a mask of its samples' pairs, so
// for the group: missing = popcount(missing bits & group),
// A2 copies = popcount(x & group pairs) - missing, called = size - missing.
static const std::uint64_t kLow = 0x5555555555555555ULL;

// A group of samples: `pairs` has both bits of each member's pair set, `low`
// only the low bit; one word per 32 samples.
struct Group {
  std::vector<std::uint64_t> pairs, low;
  std::int64_t               size = 0;
};

struct GroupCount {
  std::int64_t called = 0, a2 = 0;
};

// Called samples and A2 copies in two groups, from `nbytes` packed calls.
// Every word is loaded once and serves both groups; the last, partial word is
// padded with zeros, which no group's mask covers.
static void CountPacked(const unsigned char* bytes, std::size_t nbytes, const Group& g1, const Group& g2,
                        GroupCount* c1, GroupCount* c2)
{
  std::int64_t         set1 = 0, miss1 = 0, set2 = 0, miss2 = 0;
  const std::uint64_t *p1 = g1.pairs.data(), *l1 = g1.low.data(), *p2 = g2.pairs.data(), *l2 = g2.low.data();
  const std::size_t    full = nbytes / 8;
  auto count = [&](std::uint64_t x, std::size_t w) {
    // TODO: one bit per missing call of x (pair 01: low bit set, high bit
    // clear), then, with __builtin_popcountll, add to set1 the set bits of x
    // inside group 1's pairs (p1[w]) and to miss1 its missing calls (l1[w]);
    // the same for group 2 (p2, l2, set2, miss2).
    (void)x, (void)w, (void)p1, (void)l1, (void)p2, (void)l2;
  };
  for (std::size_t w = 0; w < full; ++w) {
    std::uint64_t x;
    std::memcpy(&x, bytes + 8 * w, 8);  // one unaligned load
    count(x, w);
  }
  if (nbytes % 8) {
    std::uint64_t x = 0;
    std::memcpy(&x, bytes + 8 * full, nbytes % 8);
    count(x, full);
  }
  *c1 = {g1.size - miss1, set1 - miss1};
  *c2 = {g2.size - miss2, set2 - miss2};
}

// The reference for the check: decode every call one by one.
static Counts CountPlain(const unsigned char* bytes, const std::vector<signed char>& pheno)
{
  Counts n;
  for (std::size_t s = 0; s < pheno.size(); ++s) {
    const int code = (bytes[s / 4] >> (2 * (s % 4))) & 3;
    if (code == 1) {
      ++n.missing;
      continue;
    }
    const int a2 = code == 0 ? 0 : (code == 2 ? 1 : 2), a1 = 2 - a2;
    n.all1 += a1;
    n.all2 += a2;
    if (pheno[s] == 1) { n.a += a1; n.b += a2; }
    if (pheno[s] == 0) { n.c += a1; n.d += a2; }
  }
  return n;
}

// ---------------------------------------------------------------------------
// Synthetic data from global indices (Philox4x32-10: 128 random bits per
// counter value; the same counter gives the same bits on any rank).
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
static void SyntheticVariant(const AppCtx& ctx, std::int64_t j, bool planted,
                             const std::vector<signed char>& pheno, unsigned char* bytes)
{
  const double u   = Draw(ctx, 0, j, kFrequency)[0] * 0x1p-32;
  const double f_u = planted ? std::max(0.3, (double)ctx.maf_min) : ctx.maf_min + (0.5 - ctx.maf_min) * u;
  const double odds = planted ? ctx.effect * f_u / (1.0 - f_u) : f_u / (1.0 - f_u);
  const double f_a  = odds / (1.0 + odds);
  const std::uint32_t thr[2] = {(std::uint32_t)std::lround(f_u * 65536.0),
                                (std::uint32_t)std::lround(f_a * 65536.0)};
  const std::uint64_t miss = (std::uint64_t)std::llround(ctx.missing * 4294967296.0);
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

// ---------------------------------------------------------------------------
// Reading a PLINK fileset.  Rank 0 reads the .fam (one line per sample,
// phenotype in column 6: 1 control, 2 case, 0 or -9 missing) and the size and
// header of the .bed; every rank reads the .bim (one line per variant) and
// keeps its own block.

static bool ReadText(const std::string& path, std::string* text)
{
  FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) return false;
  char   buf[1 << 16];
  size_t got;
  text->clear();
  while ((got = std::fread(buf, 1, sizeof(buf), f)) > 0) text->append(buf, got);
  std::fclose(f);
  return true;
}

static std::vector<std::string> Fields(const std::string& line)
{
  std::vector<std::string> f;
  std::size_t              i = 0;
  while (true) {
    i = line.find_first_not_of(" \t\r", i);
    if (i == std::string::npos) break;
    const std::size_t e = line.find_first_of(" \t\r", i);
    f.push_back(line.substr(i, e == std::string::npos ? std::string::npos : e - i));
    if (e == std::string::npos) break;
    i = e;
  }
  return f;
}

static std::vector<std::string> Lines(const std::string& text)
{
  std::vector<std::string> lines;
  std::size_t              i = 0;
  while (i < text.size()) {
    std::size_t e = text.find('\n', i);
    if (e == std::string::npos) e = text.size();
    lines.push_back(text.substr(i, e - i));
    i = e + 1;
  }
  return lines;
}

static std::string ReadFam(const std::string& path, std::vector<signed char>* pheno)
{
  std::string text;
  if (!ReadText(path, &text)) return "cannot open " + path;
  const std::vector<std::string> lines = Lines(text);
  pheno->clear();
  for (std::size_t l = 0; l < lines.size(); ++l) {
    const std::vector<std::string> f = Fields(lines[l]);
    if (f.empty()) continue;
    if (f.size() != 6) return path + " line " + std::to_string(l + 1) + ": expected 6 columns, found " + std::to_string(f.size());
    const std::string& y = f[5];
    if (y == "2") pheno->push_back(1);
    else if (y == "1") pheno->push_back(0);
    else if (y == "0" || y == "-9") pheno->push_back(-1);
    else return path + " line " + std::to_string(l + 1) + ": phenotype '" + y + "' is not 1 (control), 2 (case), 0 or -9 (missing)";
  }
  if (pheno->empty()) return path + " has no samples";
  return "";
}

// Count the .bim's variants, and parse those in [j0, j1) (only those: the
// file can have millions of lines).
static std::string ReadBim(const std::string& path, std::int64_t j0, std::int64_t j1,
                           std::int64_t* count, std::vector<VariantInfo>* info)
{
  std::string text;
  if (!ReadText(path, &text)) return "cannot open " + path;
  std::int64_t j = 0, l = 0;
  info->clear();
  info->reserve((std::size_t)(j1 - j0));
  for (std::size_t i = 0; i < text.size();) {
    std::size_t e = text.find('\n', i);
    if (e == std::string::npos) e = text.size();
    ++l;
    const std::size_t first = text.find_first_not_of(" \t\r", i);
    if (first != std::string::npos && first < e) {  // not a blank line
      if (j >= j0 && j < j1) {  // split in place: this runs once per variant
        std::string_view f[7];
        int               nf = 0;
        auto blank = [](char ch) { return ch == ' ' || ch == '\t' || ch == '\r'; };
        for (std::size_t k = first; k < e && nf < 7;) {
          std::size_t stop = k;
          while (stop < e && !blank(text[stop])) ++stop;
          f[nf++] = std::string_view(text).substr(k, stop - k);
          for (k = stop; k < e && blank(text[k]);) ++k;
        }
        if (nf != 6) return path + " line " + std::to_string(l) + ": expected 6 columns, found " + (nf > 6 ? "more" : std::to_string(nf));
        long       bp  = 0;
        const auto got = std::from_chars(f[3].data(), f[3].data() + f[3].size(), bp);
        if (got.ec != std::errc() || got.ptr != f[3].data() + f[3].size())
          return path + " line " + std::to_string(l) + ": position '" + std::string(f[3]) + "' is not an integer";
        info->push_back({std::string(f[0]), std::string(f[1]), std::string(f[4]), std::string(f[5]), bp});
      }
      ++j;
    }
    i = e + 1;
  }
  *count = j;
  return "";
}

// Header and size of the .bed: magic 0x6c 0x1b, then 0x01 for SNP-major.
static std::string CheckBed(const std::string& path, std::int64_t variants, std::int64_t samples)
{
  FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) return "cannot open " + path;
  unsigned char magic[3] = {0, 0, 0};
  const size_t  got      = std::fread(magic, 1, 3, f);
  std::fseek(f, 0, SEEK_END);
  const long long size = std::ftell(f);
  std::fclose(f);
  if (got < 3 || magic[0] != 0x6c || magic[1] != 0x1b)
    return path + " is not a PLINK 1 .bed file (its first bytes are not 6c 1b)";
  if (magic[2] == 0x00)
    return path + " is in individual-major mode, which this program does not read; convert it with plink1.9 --bfile PREFIX --make-bed";
  if (magic[2] != 0x01) return path + " has an unknown mode byte (not 01 = SNP-major)";
  const long long expect = 3 + variants * ((samples + 3) / 4);
  const std::string dims = std::to_string(variants) + " variants (.bim) x " + std::to_string(samples) + " samples (.fam) need " +
                           std::to_string(expect) + " bytes";
  if (size < expect) return path + " is truncated: " + std::to_string(size) + " bytes, but " + dims;
  if (size > expect) return path + " has " + std::to_string(size) + " bytes, but " + dims + ": it does not match the .bim/.fam";
  return "";
}

// ---------------------------------------------------------------------------
// Writing with MPI-IO: every rank writes its own part of one file at its own
// offset.  MPI counts are int, so large parts go in pieces.
static std::string WriteAt(MPI_File fh, MPI_Offset offset, const char* data, std::size_t len)
{
  const std::size_t piece = 1 << 30;
  for (std::size_t done = 0; done < len; done += piece) {
    const int  n = (int)std::min(piece, len - done);
    MPI_Status st;
    if (MPI_File_write_at(fh, offset + (MPI_Offset)done, data + done, n, MPI_BYTE, &st) != MPI_SUCCESS)
      return "write failed";
  }
  return "";
}

// A text file made of a header (rank 0's) and each rank's lines, in rank
// order: the offset of a rank's part is the sum of the lengths before it,
// an exclusive prefix sum (MPI_Exscan).  Collective.
static PetscErrorCode WriteTextParts(const std::string& path, const std::string& header, const std::string& mine)
{
  PetscMPIInt rank = 0;
  MPI_File    fh;
  long long   len = (long long)mine.size(), before = 0, total = 0;

  PetscFunctionBeginUser;
  PetscCallMPI(MPI_Comm_rank(PETSC_COMM_WORLD, &rank));
  // TODO: `before` must be the total length of the parts of ranks 0 .. rank-1
  // (MPI_Exscan with MPI_SUM; it leaves rank 0's result undefined, so set
  // it to 0 there).  As given every rank writes at the same place.
  PetscCallMPI(MPI_Allreduce(&len, &total, 1, MPI_LONG_LONG, MPI_SUM, PETSC_COMM_WORLD));
  const int rc = MPI_File_open(PETSC_COMM_WORLD, path.c_str(), MPI_MODE_CREATE | MPI_MODE_WRONLY,
                               MPI_INFO_NULL, &fh);
  PetscCall(StopOnError(rc != MPI_SUCCESS ? "cannot write " + path : ""));  // the same verdict on every rank
  PetscCallMPI(MPI_File_set_size(fh, (MPI_Offset)(header.size() + total)));  // drop old content
  std::string err;
  if (rank == 0) err = WriteAt(fh, 0, header.data(), header.size());
  if (err.empty()) err = WriteAt(fh, (MPI_Offset)(header.size() + before), mine.data(), mine.size());
  PetscCallMPI(MPI_File_close(&fh));
  PetscCall(StopOnError(err.empty() ? "" : err + " on " + path));
  PetscFunctionReturn(0);
}

// A number as %.6g would print it, or NA; std::to_chars is several times
// faster than snprintf, which matters for a table of a million lines.
static char* PutNumber(char* at, double v)
{
  if (std::isnan(v)) return std::strcpy(at, "NA") + 2;
  if (std::isinf(v)) return std::strcpy(at, "inf") + 3;
  return std::to_chars(at, at + 32, v, std::chars_format::general, 6).ptr;
}

static std::string Number(double v)
{
  char s[40];
  return std::string(s, PutNumber(s, v));
}

// Append `text` right-aligned in `width` columns and a separator.
static void PutField(std::string* line, const char* text, std::size_t len, std::size_t width, char sep = ' ')
{
  if (len < width) line->append(width - len, ' ');
  line->append(text, len);
  line->push_back(sep);
}

static void CopyField(char* dst, std::size_t cap, const std::string& src)
{
  std::snprintf(dst, cap, "%s", src.c_str());  // truncates long names
}

// ---------------------------------------------------------------------------
int main(int argc, char** argv)
{
  AppCtx      ctx;
  std::string error;

  PetscCall(PetscInitialize(&argc, &argv, NULL, help));
  PetscCall(PetscPushErrorHandler(UserInputErrorHandler, NULL));
  PetscMPIInt rank = 0, size = 0;
  PetscCallMPI(MPI_Comm_rank(PETSC_COMM_WORLD, &rank));
  PetscCallMPI(MPI_Comm_size(PETSC_COMM_WORLD, &size));

  PetscOptionsBegin(PETSC_COMM_WORLD, NULL, "GWAS scan options", "");
  PetscCall(PetscOptionsRangeInt("-samples", "synthetic data: number of samples (2 to 1e8)", "", ctx.samples, &ctx.samples, NULL, 2, 100000000));
  PetscCall(PetscOptionsRangeInt("-variants", "synthetic data: number of variants (1 to 1e9)", "", ctx.variants, &ctx.variants, NULL, 1, 1000000000));
  PetscCall(PetscOptionsReal("-maf_min", "synthetic data: smallest minor-allele frequency (0, 0.5]", "", ctx.maf_min, &ctx.maf_min, NULL));
  PetscCall(PetscOptionsRangeInt("-seed", "synthetic data: seed of the generator", "", ctx.seed, &ctx.seed, NULL, 0, 2147483647));
  PetscCall(PetscOptionsRangeInt("-causal", "synthetic data: number of planted causal variants (0 to 1000)", "", ctx.causal, &ctx.causal, NULL, 0, 1000));
  PetscCall(PetscOptionsReal("-effect", "synthetic data: odds ratio of a planted variant [0.01, 100]", "", ctx.effect, &ctx.effect, NULL));
  PetscCall(PetscOptionsReal("-missing", "synthetic data: fraction of missing genotype calls [0, 0.5]", "", ctx.missing, &ctx.missing, NULL));
  PetscCall(PetscOptionsString("-bfile", "read a PLINK 1 fileset PREFIX.bed/.bim/.fam instead", "", ctx.bfile, ctx.bfile, sizeof(ctx.bfile), &ctx.has_bfile));
  PetscCall(PetscOptionsString("-write_bfile", "write the synthetic data as PREFIX.bed/.bim/.fam", "", ctx.write_bfile, ctx.write_bfile, sizeof(ctx.write_bfile), &ctx.has_write));
  PetscCall(PetscOptionsString("-out", "write the whole scan (PLINK .assoc columns) to FILE", "", ctx.out, ctx.out, sizeof(ctx.out), &ctx.has_out));
  PetscCall(PetscOptionsRangeInt("-report", "how many top variants to report (1 to 1000)", "", ctx.report, &ctx.report, NULL, 1, 1000));
  PetscOptionsEnd();
  PetscCheck(ctx.maf_min > 0 && ctx.maf_min <= 0.5, PETSC_COMM_WORLD, PETSC_ERR_USER_INPUT, "-maf_min %g is out of range (0, 0.5]", (double)ctx.maf_min);
  PetscCheck(ctx.effect >= 0.01 && ctx.effect <= 100, PETSC_COMM_WORLD, PETSC_ERR_USER_INPUT, "-effect %g is out of range [0.01, 100]", (double)ctx.effect);
  PetscCheck(ctx.missing >= 0 && ctx.missing <= 0.5, PETSC_COMM_WORLD, PETSC_ERR_USER_INPUT, "-missing %g is out of range [0, 0.5]", (double)ctx.missing);
  PetscCheck(!ctx.has_bfile || ctx.bfile[0], PETSC_COMM_WORLD, PETSC_ERR_USER_INPUT, "-bfile needs a value: the PREFIX of PREFIX.bed/.bim/.fam");
  PetscCheck(!ctx.has_write || ctx.write_bfile[0], PETSC_COMM_WORLD, PETSC_ERR_USER_INPUT, "-write_bfile needs a value: the PREFIX of the fileset to write");
  PetscCheck(!ctx.has_out || ctx.out[0], PETSC_COMM_WORLD, PETSC_ERR_USER_INPUT, "-out needs a value: the file to write the scan to");

  if (error.empty() && ctx.has_bfile && ctx.has_write) error = "-write_bfile writes synthetic data; it cannot be combined with -bfile";
  if (error.empty() && !ctx.has_bfile && ctx.causal > ctx.variants)
    error = "-causal " + std::to_string(ctx.causal) + " is more than -variants " + std::to_string(ctx.variants);

  // The phenotype of every sample, on every rank (1 case, 0 control, -1 missing).
  std::vector<signed char> pheno;
  std::int64_t             M = ctx.variants;
  const std::string        prefix = ctx.bfile;
  if (error.empty()) {
    if (ctx.has_bfile) {
      // Rank 0 reads the .fam and the .bed's header; then everybody learns the verdict.
      if (rank == 0) {
        error = ReadFam(prefix + ".fam", &pheno);
        std::vector<VariantInfo> none;
        if (error.empty()) error = ReadBim(prefix + ".bim", 0, 0, &M, &none);
        if (error.empty() && M == 0) error = prefix + ".bim has no variants";
        if (error.empty()) error = CheckBed(prefix + ".bed", M, (std::int64_t)pheno.size());
      }
      PetscCall(StopOnError(error));
      {
        long long n[2] = {(long long)pheno.size(), M};
        PetscCallMPI(MPI_Bcast(n, 2, MPI_LONG_LONG, 0, PETSC_COMM_WORLD));
        pheno.resize((std::size_t)n[0]);
        M = n[1];
        PetscCallMPI(MPI_Bcast(pheno.data(), (PetscMPIInt)n[0], MPI_SIGNED_CHAR, 0, PETSC_COMM_WORLD));
        if (M > PETSC_MAX_INT) error = "too many variants for this PETSc build";
      }
    } else {
      pheno = SyntheticPhenotype(ctx);  // every rank makes the same vector: no Bcast needed
    }
  }
  if (error.empty() && M < size)
    error = "more ranks (" + std::to_string(size) + ") than variants (" + std::to_string(M) + "): use at most " + std::to_string(M) + " ranks";
  std::int64_t cases = 0, controls = 0;
  for (signed char y : pheno) {
    cases += y == 1;
    controls += y == 0;
  }
  if (error.empty() && (cases == 0 || controls == 0))
    error = std::string("the phenotype has no ") + (cases == 0 ? "cases" : "controls") + ": the test needs both";
  PetscCall(StopOnError(error));
  const std::int64_t N = (std::int64_t)pheno.size(), nbytes = (N + 3) / 4;

  // The results: one chi-square per variant, in a Vec split over the ranks as
  // PETSc decides; the variants of a rank are the entries it owns.
  Vec      chisq;
  PetscInt j0 = 0, j1 = 0;
  PetscCall(VecCreate(PETSC_COMM_WORLD, &chisq));
  PetscCall(VecSetSizes(chisq, PETSC_DECIDE, (PetscInt)M));
  PetscCall(VecSetFromOptions(chisq));  // -vec_type
  PetscCall(VecGetOwnershipRange(chisq, &j0, &j1));
  const std::int64_t local = j1 - j0;

  // This rank's variants' names and places.
  std::vector<VariantInfo> info;
  if (ctx.has_bfile) {
    std::int64_t count = 0;
    error = ReadBim(prefix + ".bim", j0, j1, &count, &info);
    if (error.empty() && count != M) error = prefix + ".bim changed while it was read";
  } else {
    for (std::int64_t j = j0; j < j1; ++j) info.push_back(SyntheticInfo(ctx, j));
  }
  PetscCall(StopOnError(error));

  // The groups of samples, as masks of their 2-bit pairs (one word per 32).
  const std::size_t words = (std::size_t)(nbytes + 7) / 8;
  Group             case_group, control_group, all_group;
  for (Group* g : {&case_group, &control_group, &all_group}) {
    g->pairs.assign(words, 0);
    g->low.assign(words, 0);
  }
  std::int64_t pheno_missing = 0;
  for (std::int64_t s = 0; s < N; ++s) {
    const signed char y = pheno[(std::size_t)s];
    Group*            g = y == 1 ? &case_group : (y == 0 ? &control_group : nullptr);
    for (Group* h : {g, &all_group}) {
      if (!h) continue;
      h->low[(std::size_t)s / 32] |= 1ULL << (2 * (s % 32));
      h->pairs[(std::size_t)s / 32] |= 3ULL << (2 * (s % 32));
      ++h->size;
    }
    pheno_missing += y < 0;
  }

  const std::vector<std::int64_t> planted = ctx.has_bfile ? std::vector<std::int64_t>() : PlantedVariants(ctx);
  const std::int64_t stride = std::max<std::int64_t>(1, M / 1000);  // recount ~1000 variants

  MPI_File bed_in = MPI_FILE_NULL, bed_out = MPI_FILE_NULL;
  if (ctx.has_bfile) {
    if (MPI_File_open(PETSC_COMM_WORLD, (prefix + ".bed").c_str(), MPI_MODE_RDONLY, MPI_INFO_NULL, &bed_in) != MPI_SUCCESS)
      error = "cannot open " + prefix + ".bed";
  }
  if (ctx.has_write) {
    const std::string path = std::string(ctx.write_bfile) + ".bed";
    if (MPI_File_open(PETSC_COMM_WORLD, path.c_str(), MPI_MODE_CREATE | MPI_MODE_WRONLY, MPI_INFO_NULL, &bed_out) != MPI_SUCCESS)
      error = "cannot write " + path;
    else
      PetscCallMPI(MPI_File_set_size(bed_out, (MPI_Offset)(3 + M * nbytes)));
  }
  PetscCall(StopOnError(error));

  PetscCallMPI(MPI_Barrier(PETSC_COMM_WORLD));
  const double t0 = MPI_Wtime();

  // The scan: blocks of about 16 MiB of packed genotypes at a time, so that
  // memory stays small whatever the size of the file.
  std::vector<Counts>        counts((std::size_t)local);
  const std::int64_t         chunk = std::max<std::int64_t>(1, (16 << 20) / nbytes);
  std::vector<unsigned char> buf((std::size_t)(std::min(chunk, std::max<std::int64_t>(local, 1)) * nbytes));
  std::int64_t               recounted = 0, mismatches = 0;
  if (bed_out != MPI_FILE_NULL && rank == 0) {
    const unsigned char magic[3] = {0x6c, 0x1b, 0x01};
    MPI_Status          st;
    if (MPI_File_write_at(bed_out, 0, magic, 3, MPI_BYTE, &st) != MPI_SUCCESS) error = "write failed";
  }
  for (std::int64_t c0 = j0; c0 < j1 && error.empty(); c0 += chunk) {
    const std::int64_t nv = std::min<std::int64_t>(chunk, j1 - c0);
    const MPI_Offset   offset = 3 + (MPI_Offset)c0 * nbytes;
    if (bed_in != MPI_FILE_NULL) {
      MPI_Status st;
      int        got = 0;
      if (MPI_File_read_at(bed_in, offset, buf.data(), (int)(nv * nbytes), MPI_BYTE, &st) != MPI_SUCCESS ||
          MPI_Get_count(&st, MPI_BYTE, &got) != MPI_SUCCESS || got != (int)(nv * nbytes)) {
        error = "short read from " + prefix + ".bed at byte " + std::to_string((long long)offset);
        break;
      }
    } else {
      for (std::int64_t v = 0; v < nv; ++v)
        SyntheticVariant(ctx, c0 + v, std::binary_search(planted.begin(), planted.end(), c0 + v), pheno,
                         buf.data() + v * nbytes);
      if (bed_out != MPI_FILE_NULL) {
        error = WriteAt(bed_out, offset, (const char*)buf.data(), (std::size_t)(nv * nbytes));
        if (!error.empty()) error += " on " + std::string(ctx.write_bfile) + ".bed";
      }
    }
    for (std::int64_t v = 0; v < nv; ++v) {
      const unsigned char* bytes = buf.data() + v * nbytes;
      GroupCount           ca, co, all, unused;
      CountPacked(bytes, (std::size_t)nbytes, case_group, control_group, &ca, &co);
      Counts& n = counts[(std::size_t)(c0 - j0 + v)];
      n.a = 2 * ca.called - ca.a2;
      n.b = ca.a2;
      n.c = 2 * co.called - co.a2;
      n.d = co.a2;
      if (pheno_missing > 0) {  // PLINK's minor allele counts every genotyped sample
        CountPacked(bytes, (std::size_t)nbytes, all_group, all_group, &all, &unused);
      } else {
        all.called = ca.called + co.called;
        all.a2     = ca.a2 + co.a2;
      }
      n.all1    = 2 * all.called - all.a2;
      n.all2    = all.a2;
      n.missing = N - all.called;
      if ((c0 + v) % stride == 0) {  // the reference: decode call by call
        const Counts r = CountPlain(bytes, pheno);
        ++recounted;
        mismatches += r.a != n.a || r.b != n.b || r.c != n.c || r.d != n.d || r.all1 != n.all1 ||
                      r.all2 != n.all2 || r.missing != n.missing;
      }
    }
  }
  if (bed_in != MPI_FILE_NULL) PetscCallMPI(MPI_File_close(&bed_in));
  if (bed_out != MPI_FILE_NULL) PetscCallMPI(MPI_File_close(&bed_out));
  PetscCall(StopOnError(error));

  PetscCallMPI(MPI_Barrier(PETSC_COMM_WORLD));
  const double scan_s = MPI_Wtime() - t0;

  // The statistics, into the Vec (a variant without a defined test counts as 0).
  std::vector<Stats> stats((std::size_t)local);
  PetscScalar*       x = NULL;
  std::int64_t       missing_calls = 0, tested = 0;
  PetscCall(VecGetArray(chisq, &x));
  for (std::int64_t v = 0; v < local; ++v) {
    stats[(std::size_t)v] = AllelicTest(counts[(std::size_t)v]);
    x[v]                  = std::isnan(stats[(std::size_t)v].chisq) ? 0.0 : stats[(std::size_t)v].chisq;
    tested += !std::isnan(stats[(std::size_t)v].chisq);
    missing_calls += counts[(std::size_t)v].missing;
  }
  PetscCall(VecRestoreArray(chisq, &x));

  // The strongest signal: VecMax reduces over all ranks (value and index).
  PetscInt  imax = -1;
  PetscReal vmax = 0.0;
  // TODO: find the largest entry of chisq and its global index with VecMax.

  // Top K: each rank sorts its own variants, rank 0 merges the K best of each.
  const std::size_t K = (std::size_t)ctx.report;
  std::vector<Hit>  top(K);
  std::vector<std::int64_t> order((std::size_t)local);
  for (std::int64_t v = 0; v < local; ++v) order[(std::size_t)v] = v;
  auto key = [&](std::int64_t v) { return std::isnan(stats[(std::size_t)v].chisq) ? -1.0 : stats[(std::size_t)v].chisq; };
  const std::size_t keep = std::min<std::size_t>(K, order.size());
  std::partial_sort(order.begin(), order.begin() + keep, order.end(), [&](std::int64_t u, std::int64_t v) {
    return key(u) != key(v) ? key(u) > key(v) : u < v;
  });
  Hit none;  // an empty slot: sorts last, dropped before printing
  std::memset(&none, 0, sizeof(none));
  none.index = -1;
  none.chisq = -1.0;
  for (std::size_t k = 0; k < K; ++k) {
    Hit& h = top[k];
    h      = none;
    if (k >= keep) continue;
    const std::int64_t v = order[k];
    const Stats&       s = stats[(std::size_t)v];
    const VariantInfo& i = info[(std::size_t)v];
    h = {s.chisq, s.p, s.odds, s.f_a, s.f_u, j0 + v, i.bp, {}, {}, {}, {}};
    if (std::isnan(s.chisq)) h.chisq = -1.0;
    CopyField(h.chr, sizeof(h.chr), i.chr);
    CopyField(h.snp, sizeof(h.snp), i.snp);
    CopyField(h.a1, sizeof(h.a1), s.swap ? i.a2 : i.a1);
    CopyField(h.a2, sizeof(h.a2), s.swap ? i.a1 : i.a2);
  }
  std::vector<Hit> all_top(rank == 0 ? K * (std::size_t)size : 0, none);
  MPI_Datatype hit_type;
  PetscCall(CreateHitType(&hit_type));
  // TODO: gather every rank's K hits (K elements of hit_type) into all_top
  // on rank 0 with MPI_Gather.  As given, rank 0 sees only its own.
  if (rank == 0) std::copy(top.begin(), top.end(), all_top.begin());
  PetscCallMPI(MPI_Type_free(&hit_type));
  std::sort(all_top.begin(), all_top.end(), [](const Hit& u, const Hit& v) {
    return u.chisq != v.chisq ? u.chisq > v.chisq : (u.index >= 0 && (v.index < 0 || u.index < v.index));
  });
  all_top.resize(std::min(all_top.size(), K));
  while (!all_top.empty() && all_top.back().chisq < 0) all_top.pop_back();

  // The whole scan as a table with PLINK's .assoc columns.
  PetscCallMPI(MPI_Barrier(PETSC_COMM_WORLD));
  const double t_out = MPI_Wtime();
  if (ctx.has_out) {
    char line[512];
    std::snprintf(line, sizeof(line), "%4s %12s %10s %4s %12s %12s %4s %12s %12s %12s\n", "CHR", "SNP", "BP", "A1", "F_A",
                  "F_U", "A2", "CHISQ", "P", "OR");
    const std::string header = line;
    std::string       mine;
    mine.reserve((std::size_t)local * 96);
    for (std::int64_t v = 0; v < local; ++v) {
      const Stats&       s = stats[(std::size_t)v];
      const VariantInfo& i = info[(std::size_t)v];
      const std::string& a1 = s.swap ? i.a2 : i.a1;
      const std::string& a2 = s.swap ? i.a1 : i.a2;
      char               num[40];
      PutField(&mine, i.chr.data(), i.chr.size(), 4);
      PutField(&mine, i.snp.data(), i.snp.size(), 12);
      PutField(&mine, num, (std::size_t)(std::to_chars(num, num + 40, i.bp).ptr - num), 10);
      PutField(&mine, a1.data(), a1.size(), 4);
      PutField(&mine, num, (std::size_t)(PutNumber(num, s.f_a) - num), 12);
      PutField(&mine, num, (std::size_t)(PutNumber(num, s.f_u) - num), 12);
      PutField(&mine, a2.data(), a2.size(), 4);
      PutField(&mine, num, (std::size_t)(PutNumber(num, s.chisq) - num), 12);
      PutField(&mine, num, (std::size_t)(PutNumber(num, s.p) - num), 12);
      PutField(&mine, num, (std::size_t)(PutNumber(num, s.odds) - num), 12, '\n');
    }
    PetscCall(WriteTextParts(ctx.out, header, mine));
  }
  PetscCallMPI(MPI_Barrier(PETSC_COMM_WORLD));
  const double out_s = MPI_Wtime() - t_out;
  // The synthetic data as a fileset: .bim in parts like the table, .fam by rank 0.
  if (ctx.has_write && error.empty()) {
    std::string mine;
    char        line[256];
    for (const VariantInfo& i : info) {
      std::snprintf(line, sizeof(line), "%s\t%s\t0\t%ld\t%s\t%s\n", i.chr.c_str(), i.snp.c_str(), i.bp, i.a1.c_str(),
                    i.a2.c_str());
      mine += line;
    }
    PetscCall(WriteTextParts(std::string(ctx.write_bfile) + ".bim", "", mine));
    if (rank == 0) {
      const std::string path = std::string(ctx.write_bfile) + ".fam";
      FILE*             f    = std::fopen(path.c_str(), "w");
      if (!f) error = "cannot write " + path;
      for (std::int64_t s = 0; f && s < N; ++s)
        std::fprintf(f, "s%lld s%lld 0 0 0 %d\n", (long long)s + 1, (long long)s + 1, pheno[(std::size_t)s] == 1 ? 2 : 1);
      if (f) std::fclose(f);
    }
    PetscCall(StopOnError(error));
  }

  PetscCallMPI(MPI_Barrier(PETSC_COMM_WORLD));
  const double time_s = MPI_Wtime() - t0;

  long long sums[4] = {(long long)missing_calls, (long long)tested, (long long)recounted, (long long)mismatches};
  PetscCallMPI(MPI_Allreduce(MPI_IN_PLACE, sums, 4, MPI_LONG_LONG, MPI_SUM, PETSC_COMM_WORLD));


  // Report (rank 0 prints; only rank 0 holds the merged top list).
  // Only rank 0 holds the merged list: it decides, and every rank learns the verdict.
  int max_agrees = !all_top.empty() && all_top[0].index == imax && all_top[0].chisq == vmax;
  PetscCallMPI(MPI_Bcast(&max_agrees, 1, MPI_INT, 0, PETSC_COMM_WORLD));
  const bool pass = sums[3] == 0 && (sums[1] == 0 || max_agrees);
  std::string top_snps, planted_snps;
  int         planted_in_top = 0;
  for (const Hit& h : all_top) top_snps += (top_snps.empty() ? "" : " ") + std::string(h.snp);
  for (std::int64_t j : planted) {
    planted_snps += (planted_snps.empty() ? "" : " ") + SyntheticInfo(ctx, j).snp;
    for (const Hit& h : all_top) planted_in_top += h.index == j;
  }

  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "GWAS allelic chi-square scan of %lld variants x %lld samples (%s)\n",
                        (long long)M, (long long)N, ctx.has_bfile ? ctx.bfile : "synthetic"));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "size = %d\n", size));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "samples = %lld\n", (long long)N));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "variants = %lld\n", (long long)M));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "cases = %lld\n", (long long)cases));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "controls = %lld\n", (long long)controls));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "phenotype_missing = %lld\n", (long long)pheno_missing));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "genotype_calls = %lld\n", (long long)(N * M)));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "missing_calls = %lld\n", sums[0]));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "tested = %lld\n", sums[1]));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "Top %d variants (A1 = minor allele, F_A/F_U = its frequency in cases/controls):\n",
                        (int)all_top.size()));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "%4s %4s %12s %10s %3s %3s %9s %9s %10s %10s %8s\n", "rank", "CHR", "SNP", "BP",
                        "A1", "A2", "F_A", "F_U", "CHISQ", "P", "OR"));
  for (std::size_t k = 0; k < all_top.size(); ++k) {
    const Hit& h = all_top[k];
    PetscCall(PetscPrintf(PETSC_COMM_WORLD, "%4d %4s %12s %10lld %3s %3s %9.4f %9.4f %10.4f %10.3e %8s\n", (int)k + 1,
                          h.chr, h.snp, (long long)h.bp, h.a1, h.a2, h.f_a, h.f_u, h.chisq, h.p, Number(h.odds).c_str()));
  }
  if (!all_top.empty()) {
    PetscCall(PetscPrintf(PETSC_COMM_WORLD, "max_chisq = %.10g\n", (double)vmax));
    PetscCall(PetscPrintf(PETSC_COMM_WORLD, "max_snp = %s\n", all_top[0].snp));
    PetscCall(PetscPrintf(PETSC_COMM_WORLD, "max_p = %.6g\n", all_top[0].p));
  }
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "top_snps = %s\n", top_snps.c_str()));
  if (!planted.empty()) {
    PetscCall(PetscPrintf(PETSC_COMM_WORLD, "planted = %s\n", planted_snps.c_str()));
    PetscCall(PetscPrintf(PETSC_COMM_WORLD, "planted_in_top = %d\n", planted_in_top));
  }
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "recount_variants = %lld\n", sums[2]));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "recount_mismatches = %lld\n", sums[3]));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "vecmax_agrees = %s\n", max_agrees ? "yes" : "no"));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "check = %s\n", pass ? "PASS" : "FAIL"));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "scan_s = %.6f\n", scan_s));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "out_s = %.6f\n", out_s));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "time_s = %.6f\n", time_s));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "calls_per_s = %.4g\n", (double)(N * M) / time_s));

  PetscCall(VecDestroy(&chisq));
  PetscCall(WarnUnusedOptions());
  PetscCall(PetscPopErrorHandler());
  PetscCall(PetscFinalize());
  return pass ? 0 : 1;  // a failed check fails the run, on every rank
}
