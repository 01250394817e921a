/**
 * @file recon.hpp
 * @brief What lesson 07's reconstructions need but are not about: the complex
 * type with its FFTW and MPI views, the split of rows (or coils) over ranks,
 * FFTW plans for blocks of rows, the timing of a phase, and the simulated
 * scan (the phantom and its k-space on rank 0).
 */
#pragma once

#include <fftw3.h>
#include <mpi.h>

#include <algorithm>
#include <complex>
#include <cstddef>
#include <vector>

#include "phantom.hpp"

using cplx = std::complex<double>;  // same layout as fftw_complex (double[2])

inline fftw_complex* fftw(cplx* p) { return reinterpret_cast<fftw_complex*>(p); }

/// The MPI datatype of one cplx: two MPI_DOUBLEs, the real part first, which
/// is how C++ lays out std::complex<double>.  MPI_CXX_DOUBLE_COMPLEX names the
/// same type, but not every MPI library has it (SimGrid's SMPI does not); a
/// derived type of two doubles works with every MPI.  Made on first use
/// (after MPI_Init); MPI_Finalize frees it.
inline MPI_Datatype mpi_cplx()
{
  static MPI_Datatype type = MPI_DATATYPE_NULL;
  if (type == MPI_DATATYPE_NULL) {
    MPI_Type_contiguous(2, MPI_DOUBLE, &type);
    MPI_Type_commit(&type);
  }
  return type;
}

/// This rank's number in MPI_COMM_WORLD, and the number of ranks.
inline int my_rank()
{
  int rank = 0;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  return rank;
}

inline int num_ranks()
{
  int size = 0;
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  return size;
}

/// Items [displs[r], displs[r] + counts[r]) belong to rank r: q or q + 1 each.
struct Split {
  std::vector<int> counts, displs;
};

inline Split block_split(int items, int ranks)
{
  Split s{std::vector<int>(ranks), std::vector<int>(ranks)};
  for (int r = 0; r < ranks; ++r) {
    s.counts[r] = items / ranks + (r < items % ranks ? 1 : 0);
    s.displs[r] = r == 0 ? 0 : s.displs[r - 1] + s.counts[r - 1];
  }
  return s;
}

/// The same split counted in numbers: `per_item` numbers per row (or coil).
inline Split scaled(const Split& s, std::size_t per_item)
{
  Split t = s;
  for (std::size_t r = 0; r < s.counts.size(); ++r) {
    t.counts[r] = static_cast<int>(s.counts[r] * per_item);
    t.displs[r] = static_cast<int>(s.displs[r] * per_item);
  }
  return t;
}

/// The packing of the transpose of an n x n matrix whose rows are split by
/// `rows`: my rows of A (`in`) go to `send` as blocks A[my rows][q's columns],
/// rank q's block at sdispls[q], already transposed (element (column jj of
/// q's, my row i) at jj * mine + i), so that q only copies rows in.
inline void pack_blocks(const std::vector<cplx>& in, std::vector<cplx>& send, int n,
                        const Split& rows, const std::vector<int>& sdispls)
{
  const int mine = rows.counts[my_rank()];
  for (std::size_t q = 0; q < rows.counts.size(); ++q)
    for (int jj = 0; jj < rows.counts[q]; ++jj)
      for (int i = 0; i < mine; ++i)
        send[sdispls[q] + jj * mine + i] =
            in[static_cast<std::size_t>(i) * n + rows.displs[q] + jj];
}

/// The unpacking: from rank p (its block at rdispls[p]) my column jj is a
/// run of p's rows, which goes to out[jj][rows.displs[p] ...].
inline void unpack_blocks(const std::vector<cplx>& recv, std::vector<cplx>& out, int n,
                          const Split& rows, const std::vector<int>& rdispls)
{
  const int mine = rows.counts[my_rank()];
  for (std::size_t p = 0; p < rows.counts.size(); ++p)
    for (int jj = 0; jj < mine; ++jj)
      std::copy_n(&recv[rdispls[p] + jj * rows.counts[p]], rows.counts[p],
                  &out[static_cast<std::size_t>(jj) * n + rows.displs[p]]);
}

/// A plan for `rows` 1D inverse FFTs of length n, on consecutive rows of
/// `data`, in place.  FFTW_MEASURE tries algorithms on the buffer (and
/// overwrites it), so plans are made before the data is filled in.
inline fftw_plan plan_rows(cplx* data, int rows, int n)
{
  if (rows == 0) return nullptr;
  return fftw_plan_many_dft(1, &n, rows, fftw(data), nullptr, 1, n, fftw(data), nullptr, 1, n,
                            FFTW_BACKWARD, FFTW_MEASURE);
}

inline void run(fftw_plan p)
{
  if (p) fftw_execute(p);
}

inline void destroy(fftw_plan p)
{
  if (p) fftw_destroy_plan(p);
}

inline void scale(cplx* data, std::size_t count, double factor)
{
  for (std::size_t i = 0; i < count; ++i) data[i] *= factor;
}

/// The 1D inverse FFTs of `rows` rows of length n in `data` (plan `p`), each
/// divided by n, as numpy's ifft does.
inline void inverse_rows(fftw_plan p, std::vector<cplx>& data, int n)
{
  run(p);
  scale(data.data(), data.size(), 1.0 / n);
}

/// A plan for the n column FFTs of an n x n array (elements n apart), in place.
inline fftw_plan plan_columns(cplx* data, int n)
{
  return fftw_plan_many_dft(1, &n, n, fftw(data), nullptr, n, 1, fftw(data), nullptr, n, 1,
                            FFTW_BACKWARD, FFTW_MEASURE);
}

/// A plan for `count` 2D inverse FFTs of n x n images, one after another.
inline fftw_plan plan_images(cplx* data, int count, int n)
{
  if (count == 0) return nullptr;
  const int dims[2] = {n, n}, dist = n * n;
  return fftw_plan_many_dft(2, dims, count, fftw(data), nullptr, 1, dist, fftw(data), nullptr, 1,
                            dist, FFTW_BACKWARD, FFTW_MEASURE);
}

/// sumsq[p] = sum over my `count` coil images of |image_c[p] / N^2|^2.
inline void add_squares(const std::vector<cplx>& images, int count, int n,
                        std::vector<double>& sumsq)
{
  const std::size_t nn = static_cast<std::size_t>(n) * n;
  const double norm = 1.0 / (static_cast<double>(n) * n);
  std::fill(sumsq.begin(), sumsq.end(), 0.0);
  for (int c = 0; c < count; ++c)
    for (std::size_t p = 0; p < nn; ++p) {
      const cplx z = images[c * nn + p] * norm;  // coil c's image, scaled by 1/N^2
      sumsq[p] += z.real() * z.real() + z.imag() * z.imag();
    }
}

/// Slowest rank's time for one phase (every rank calls it).
inline double slowest(double seconds)
{
  double t = 0.0;
  MPI_Allreduce(&seconds, &t, 1, MPI_DOUBLE, MPI_MAX, MPI_COMM_WORLD);
  return t;
}

/// The simulated scan, on rank 0: the phantom and its k-space, the
/// unnormalised forward 2D DFT (as numpy's fft2).  Empty on other ranks.
struct Scan {
  std::vector<double> image;
  std::vector<cplx> kspace;
};

inline Scan scan_phantom(int n, int rank)
{
  Scan s;
  if (rank != 0) return s;
  const std::size_t nn = static_cast<std::size_t>(n) * n;
  s.kspace.resize(nn);
  fftw_plan p = fftw_plan_dft_2d(n, n, fftw(s.kspace.data()), fftw(s.kspace.data()),
                                 FFTW_FORWARD, FFTW_ESTIMATE);
  s.image = phantom::shepp_logan(n);
  for (std::size_t i = 0; i < nn; ++i) s.kspace[i] = s.image[i];
  fftw_execute(p);
  fftw_destroy_plan(p);
  return s;
}

/// The reference: the sequential reconstruction on rank 0, one 2D inverse
/// FFT (divided by N^2), best time of `reps` in `seconds`.  Other ranks return.
inline void sequential(const Scan& scan, int n, int reps, std::vector<cplx>& seq, double& seconds)
{
  if (scan.kspace.empty()) return;  // rank 0 only
  seq.resize(scan.kspace.size());
  fftw_plan p = fftw_plan_dft_2d(n, n, fftw(seq.data()), fftw(seq.data()), FFTW_BACKWARD,
                                 FFTW_MEASURE);
  seconds = 1e300;
  for (int r = 0; r < reps; ++r) {
    const double t0 = MPI_Wtime();
    std::copy(scan.kspace.begin(), scan.kspace.end(), seq.begin());
    fftw_execute(p);
    scale(seq.data(), seq.size(), 1.0 / (static_cast<double>(n) * n));
    seconds = std::min(seconds, MPI_Wtime() - t0);
  }
  fftw_destroy_plan(p);
}
