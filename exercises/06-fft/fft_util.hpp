// fft_util.hpp — what lesson 06's four programs share: the complex type, its
// FFTW view and its MPI datatype, the verdict that every rank exits with, the
// FFTW planner option, the balanced split of rows over ranks, the test signal
// with its exact spectrum, and reproducible 2D test data.
//
// std::complex<double> and fftw_complex (double[2]) have the same layout, so
// a std::vector<std::complex<double>> is handed to FFTW through a pointer
// cast (as_fftw), and to MPI as a datatype of two doubles (mpi_cplx).
#pragma once

#include <fftw3.h>
#include <mpi.h>

#include <cmath>
#include <complex>
#include <cstdint>
#include <string>
#include <vector>

#include "cli.hpp"

using cplx = std::complex<double>;

inline fftw_complex* as_fftw(cplx* p) { return reinterpret_cast<fftw_complex*>(p); }

// The MPI datatype of one cplx: two MPI_DOUBLEs, the real part first, which
// is how C++ lays out std::complex<double>.  MPI_CXX_DOUBLE_COMPLEX names the
// same type, but not every MPI library has it (SimGrid's SMPI does not); a
// derived type of two doubles works with every MPI.  Made on first use (after
// MPI_Init); MPI_Finalize frees it.
inline MPI_Datatype mpi_cplx()
{
  static MPI_Datatype type = MPI_DATATYPE_NULL;
  if (type == MPI_DATATYPE_NULL) {
    MPI_Type_contiguous(2, MPI_DOUBLE, &type);
    MPI_Type_commit(&type);
  }
  return type;
}

// Every rank leaves with the root's verdict: exit status 0 when the check
// passed, 1 when it failed, on every rank (so mpiexec, make and a batch
// system see the failure).  Call it on all ranks, then return its value.
inline int finish_with(bool passed_on_root, int root)
{
  int passed = passed_on_root ? 1 : 0;
  MPI_Bcast(&passed, 1, MPI_INT, root, MPI_COMM_WORLD);
  return passed ? 0 : 1;
}

// --plan estimate|measure: FFTW_ESTIMATE picks a plan by heuristics in
// microseconds; FFTW_MEASURE times candidate plans (seconds for big sizes, and
// it overwrites the arrays, so fill them after planning).  Any other value of
// `option` stops every rank with one error line.
inline unsigned plan_flag(const std::string& kind, const std::string& option)
{
  if (kind == "estimate") return FFTW_ESTIMATE;
  if (kind == "measure") return FFTW_MEASURE;
  fail_all(option + " must be estimate or measure, got '" + kind + "'");
}

// Balanced split of n items over `size` ranks: with n = q size + r the first r
// ranks get q + 1, the others q; start[i] is where rank i's items begin.
struct Split {
  std::vector<int> count, start;
  Split(long n, int size) : count(size), start(size)
  {
    const long q = n / size, r = n % size;
    for (int i = 0; i < size; ++i) {
      count[i] = static_cast<int>(q + (i < r ? 1 : 0));
      start[i] = i == 0 ? 0 : start[i - 1] + count[i - 1];
    }
  }
};

// The test signal: row r is the base signal sin 3x + 0.3 sin 9x on
// x_j = 2 pi j / cols, shifted right by r samples (numpy.roll(base, r)).
inline cplx signal_value(long r, long j, long cols)
{
  const double pi = std::acos(-1.0);
  const long s = ((j - r) % cols + cols) % cols;
  const double x = 2.0 * pi * static_cast<double>(s) / static_cast<double>(cols);
  return {std::sin(3.0 * x) + 0.3 * std::sin(9.0 * x), 0.0};
}

// Its exact DFT, X_k = sum_j x_j exp(-2 pi i k j / C), worked out by hand:
// sin(m x) contributes -iC/2 at k = m and +iC/2 at k = -m (mod C), and the
// shift by r multiplies bin k by exp(-2 pi i k r / C).
inline cplx signal_spectrum(long r, long k, long cols)
{
  const double pi = std::acos(-1.0);
  const double half = 0.5 * static_cast<double>(cols);
  cplx a = 0.0;
  const long m[2] = {3, 9};
  const double amp[2] = {1.0, 0.3};
  for (int t = 0; t < 2; ++t) {
    if (k == m[t] % cols) a += cplx(0.0, -amp[t] * half);
    if (k == (cols - m[t] % cols) % cols) a += cplx(0.0, amp[t] * half);
  }
  const long kr = (k * r) % cols;  // reduce first: the phase stays accurate
  const double phase = -2.0 * pi * static_cast<double>(kr) / static_cast<double>(cols);
  return a * cplx(std::cos(phase), std::sin(phase));
}

// 2D test data: entry (i, j) of an n0 x n1 array, re and im in [-1, 1), from a
// hash of the global index (splitmix64).  Every rank makes its own part, and
// the array is the same whatever the number of ranks.
inline double unit_from_bits(std::uint64_t z)
{
  z += 0x9e3779b97f4a7c15ULL;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  z ^= z >> 31;
  return static_cast<double>(z >> 11) * 0x1.0p-52 - 1.0;  // [-1, 1)
}

inline cplx sample(long i, long j, long n1)
{
  const std::uint64_t g = static_cast<std::uint64_t>(i) * static_cast<std::uint64_t>(n1) +
                          static_cast<std::uint64_t>(j);
  return {unit_from_bits(2 * g), unit_from_bits(2 * g + 1)};
}

// The dominant bins of one spectrum (`cols` numbers): every bin whose
// magnitude is above 1e-9 of the largest, `peak`.
inline std::vector<long> dominant_bins(const cplx* x, long cols, double& peak)
{
  peak = 0.0;
  for (long k = 0; k < cols; ++k) peak = std::fmax(peak, std::abs(x[k]));
  std::vector<long> bins;
  for (long k = 0; k < cols; ++k)
    if (peak > 0.0 && std::abs(x[k]) > 1e-9 * std::fmax(peak, 1.0)) bins.push_back(k);
  return bins;
}

inline double max_abs(const std::vector<cplx>& v)
{
  double m = 0.0;
  for (const cplx& z : v) m = std::fmax(m, std::abs(z));
  return m;
}
