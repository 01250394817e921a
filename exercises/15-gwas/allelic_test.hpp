// allelic_test.hpp — the statistics of one variant: allele counts on packed
// genotypes (popcount), and the allelic chi-square test of PLINK's --assoc.
//
// For variant j, the copies of allele A1 and A2 in cases and in controls give
// the 2x2 table [a b; c d] (rows cases/controls, columns A1/A2), and Pearson's
// chi-square without continuity correction,
//     chi2 = T (ad - bc)^2 / ((a+b)(c+d)(a+c)(b+d)),  T = a+b+c+d,
// with p = erfc(sqrt(chi2/2)) (1 degree of freedom), the A1 frequencies in
// cases (F_A) and controls (F_U) and the odds ratio ad/(bc).
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <vector>

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

// The cases, the controls and everybody with a phenotype or not.
struct SampleGroups {
  Group        cases, controls, all;
  std::int64_t pheno_missing = 0;
};

// The groups of a phenotype (1 case, 0 control, -1 missing).
static SampleGroups MakeGroups(const std::vector<signed char>& pheno)
{
  SampleGroups      g;
  const std::size_t words = (pheno.size() + 31) / 32;
  for (Group* h : {&g.cases, &g.controls, &g.all}) {
    h->pairs.assign(words, 0);
    h->low.assign(words, 0);
  }
  for (std::size_t s = 0; s < pheno.size(); ++s) {
    const signed char y = pheno[s];
    Group*            c = y == 1 ? &g.cases : (y == 0 ? &g.controls : nullptr);
    for (Group* h : {c, &g.all}) {
      if (!h) continue;
      h->low[s / 32] |= 1ULL << (2 * (s % 32));
      h->pairs[s / 32] |= 3ULL << (2 * (s % 32));
      ++h->size;
    }
    g.pheno_missing += y < 0;
  }
  return g;
}

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
    const std::uint64_t missing = x & ~(x >> 1) & kLow;
    set1 += __builtin_popcountll(x & p1[w]);
    miss1 += __builtin_popcountll(missing & l1[w]);
    set2 += __builtin_popcountll(x & p2[w]);
    miss2 += __builtin_popcountll(missing & l2[w]);
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

// The counts of one variant from its packed record.
static Counts CountVariant(const unsigned char* bytes, std::size_t nbytes, const SampleGroups& g)
{
  GroupCount ca, co, all, unused;
  Counts     n;
  CountPacked(bytes, nbytes, g.cases, g.controls, &ca, &co);
  n.a = 2 * ca.called - ca.a2;
  n.b = ca.a2;
  n.c = 2 * co.called - co.a2;
  n.d = co.a2;
  if (g.pheno_missing > 0) {  // PLINK's minor allele counts every genotyped sample
    CountPacked(bytes, nbytes, g.all, g.all, &all, &unused);
  } else {
    all.called = ca.called + co.called;
    all.a2     = ca.a2 + co.a2;
  }
  n.all1    = 2 * all.called - all.a2;
  n.all2    = all.a2;
  n.missing = g.all.size - all.called;
  return n;
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

static bool SameCounts(const Counts& r, const Counts& n)
{
  return r.a == n.a && r.b == n.b && r.c == n.c && r.d == n.d && r.all1 == n.all1 && r.all2 == n.all2 &&
         r.missing == n.missing;
}
