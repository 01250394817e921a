// ml_data.hpp — lesson 14's synthetic data set, the same at any number of ranks.
//
// A "teacher" logistic model labels random points:
//
//   x_i ~ N(0, I_F)          (F = -features, i = 0 .. N-1, N = -samples)
//   w*  = 3 u / |u|,  u ~ N(0, I_F)          (the true weights, |w*| = 3)
//   y_i = 1 if U_i < sigma(w* . x_i), else 0,   U_i ~ Uniform(0, 1)
//
// Every random number is a pure function of (seed, stream, index): a
// counter-based generator (Philox4x64 from Random123) maps the counter
// {i, j/4} and the key {seed, stream} to four 64-bit words, which Box-Muller
// turns into four normals.  No generator state is carried from one number to
// the next, so rank r can produce sample i without producing samples 0..i-1,
// and sample i is the same whether it lives on rank 0 of 1 or rank 3 of 4.
// Seeding a stateful generator with the rank (a common shortcut) gives each
// NP a different data set, and so a different answer.
//
// Each rank owns one contiguous block of samples, split as PETSc's
// PETSC_DECIDE splits a vector: the first N mod P ranks get one extra.
#pragma once

#include <Random123/boxmuller.hpp>
#include <Random123/philox.h>
#include <Random123/uniform.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <vector>

// One stream per kind of random number, so they never share a counter.
enum Stream : uint64_t { kFeatures = 1, kLabels = 2, kTruth = 3, kInit = 4, kProbe = 5 };

// Four standard normals, a pure function of (seed, stream, a, b).
inline std::array<double, 4> Normals4(uint64_t seed, uint64_t stream, uint64_t a, uint64_t b)
{
  r123::Philox4x64                 philox;
  r123::Philox4x64::ctr_type       ctr = {{a, b, 0, 0}};
  const r123::Philox4x64::key_type key = {{seed, stream}};
  const auto                       r   = philox(ctr, key);
  const r123::double2              n0  = r123::boxmuller(r[0], r[1]);
  const r123::double2              n1  = r123::boxmuller(r[2], r[3]);
  return {n0.x, n0.y, n1.x, n1.y};
}

// Entry j of the normal vector number `a` of `stream`.
inline double Normal(uint64_t seed, uint64_t stream, uint64_t a, uint64_t j)
{
  return Normals4(seed, stream, a, j / 4)[j % 4];
}

// One uniform number in (0, 1], a pure function of (seed, stream, a).
inline double Uniform(uint64_t seed, uint64_t stream, uint64_t a)
{
  r123::Philox4x64                 philox;
  r123::Philox4x64::ctr_type       ctr = {{a, 0, 0, 0}};
  const r123::Philox4x64::key_type key = {{seed, stream}};
  return r123::u01<double>(philox(ctr, key)[0]);
}

inline double Sigmoid(double z) { return 1.0 / (1.0 + std::exp(-z)); }

// log(1 + e^z) without overflow: the logistic loss is Softplus(z) - y z.
inline double Softplus(double z) { return std::max(z, 0.0) + std::log1p(std::exp(-std::fabs(z))); }

// Rank `rank`'s block of n items split over `size` ranks: [*start, *start + *count).
inline void Block(long n, int rank, int size, long* start, long* count)
{
  const long q = n / size, r = n % size;
  *count = q + (rank < r ? 1 : 0);
  *start = rank * q + std::min<long>(rank, r);
}

// The local shard: rows start .. start+n_local-1 of the global data set.
struct Shard {
  long                n_global = 0, start = 0, n_local = 0;
  int                 features = 0;
  std::vector<double> X;       // n_local x features, row-major
  std::vector<double> y;       // n_local labels, 0 or 1
  std::vector<double> w_true;  // the teacher's weights (every rank has them)
};

inline Shard MakeShard(long n_global, int features, uint64_t seed, int rank, int size)
{
  Shard s;
  s.n_global = n_global;
  s.features = features;
  Block(n_global, rank, size, &s.start, &s.n_local);

  s.w_true.resize(features);
  double norm2 = 0.0;
  for (int j = 0; j < features; ++j) {
    s.w_true[j] = Normal(seed, kTruth, 0, j);
    norm2 += s.w_true[j] * s.w_true[j];
  }
  for (double& w : s.w_true) w *= 3.0 / std::sqrt(norm2);

  s.X.resize(static_cast<size_t>(s.n_local) * features);
  s.y.resize(s.n_local);
  for (long k = 0; k < s.n_local; ++k) {
    const uint64_t i   = static_cast<uint64_t>(s.start + k);  // the GLOBAL index
    double*        row = s.X.data() + k * features;
    double         z   = 0.0;
    for (int j = 0; j < features; j += 4) {  // four normals per Philox call
      const std::array<double, 4> n = Normals4(seed, kFeatures, i, j / 4);
      for (int t = 0; t < 4 && j + t < features; ++t) row[j + t] = n[t];
    }
    for (int j = 0; j < features; ++j) z += s.w_true[j] * row[j];
    s.y[k] = Uniform(seed, kLabels, i) < Sigmoid(z) ? 1.0 : 0.0;
  }
  return s;
}
