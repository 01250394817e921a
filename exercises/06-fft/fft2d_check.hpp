// fft2d_check.hpp — how lesson 06's two distributed 2D FFTs (fft2d_transpose,
// fft2d_fftw_mpi) prove themselves right and report: the root gathers the
// forward result and compares it with FFTW's serial 2D transform of the same
// data; every rank compares backward(forward(x)) with its x; the root prints
// the `name = value` lines.  Not part of the lesson's idea: read it if you like.
#pragma once

#include <fftw3.h>
#include <mpi.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "fft_util.hpp"

// What a 2D FFT run found; the errors and the serial times are the root's.
struct Result2D {
  long n0 = 0, n1 = 0;
  bool transposed = false;        // spectrum left as the N1 x N0 transpose
  double max_error = 0.0, rel_error = 0.0;  // against serial FFTW
  std::vector<double> error_per_rank;       // the same, of each rank's slab
  double roundtrip_error = 0.0;   // max |backward(forward(x)) - x| / max |x|
  double plan_s = 0.0, forward_s = 0.0, backward_s = 0.0;
  double serial_plan_s = 0.0, serial_forward_s = 0.0;
  bool passed() const { return rel_error <= 1e-12 && roundtrip_error <= 1e-13; }
};

// Every rank: its part of the spectrum, `my_lines` lines of length `line`
// starting with line `first` of the output layout (rows of X, or rows of its
// transpose).  The root gathers the whole spectrum, makes FFTW's serial 2D
// transform of the same data (planned with `ref_flag`, best of `reps`
// executions, timed) and sets max_error and rel_error.
inline void check_forward(const std::vector<cplx>& mine, long my_lines, long first, long line,
                          unsigned ref_flag, int reps, Result2D& r, int root)
{
  int rank = 0, size = 0;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  const long n0 = r.n0, n1 = r.n1;
  // Every rank's count and start first, then the slabs themselves.
  int my[2] = {static_cast<int>(my_lines * line), static_cast<int>(first * line)};
  std::vector<int> cd(2 * size), counts(size), displs(size);
  MPI_Gather(my, 2, MPI_INT, cd.data(), 2, MPI_INT, root, MPI_COMM_WORLD);
  for (int i = 0; i < size; ++i) {
    counts[i] = cd[2 * i];
    displs[i] = cd[2 * i + 1];
  }
  std::vector<cplx> gathered(rank == root ? n0 * n1 : 0);
  MPI_Gatherv(mine.data(), my[0], mpi_cplx(), gathered.data(), counts.data(), displs.data(),
              mpi_cplx(), root, MPI_COMM_WORLD);
  if (rank != root) return;

  std::vector<cplx> xs(n0 * n1), ref(n0 * n1);
  fftw_forget_wisdom();  // plan from scratch: serial_plan_s is the whole planning cost
  double t = MPI_Wtime();
  fftw_plan serial = fftw_plan_dft_2d(static_cast<int>(n0), static_cast<int>(n1),
                                      as_fftw(xs.data()), as_fftw(ref.data()), FFTW_FORWARD,
                                      ref_flag);
  r.serial_plan_s = MPI_Wtime() - t;
  r.serial_forward_s = 1e300;
  for (int k = 0; k < reps; ++k) {
    for (long i = 0; i < n0; ++i)
      for (long j = 0; j < n1; ++j) xs[i * n1 + j] = sample(i, j, n1);
    t = MPI_Wtime();
    fftw_execute(serial);
    r.serial_forward_s = std::min(r.serial_forward_s, MPI_Wtime() - t);
  }
  fftw_destroy_plan(serial);
  // X[i][j] is gathered[j][i] in the transposed layout.  Element p of the
  // gathered array came from the rank whose slab [displs, displs + counts) holds p.
  const double scale = std::max(max_abs(ref), 1e-300);
  std::vector<int> owner(n0 * n1, 0);
  for (int q = 0; q < size; ++q)
    std::fill(owner.begin() + displs[q], owner.begin() + displs[q] + counts[q], q);
  r.error_per_rank.assign(size, 0.0);
  for (long i = 0; i < n0; ++i)
    for (long j = 0; j < n1; ++j) {
      const long p = r.transposed ? j * n0 + i : i * n1 + j;
      const double e = std::abs(gathered[p] - ref[i * n1 + j]);
      r.max_error = std::fmax(r.max_error, e);
      r.error_per_rank[owner[p]] = std::fmax(r.error_per_rank[owner[p]], e / scale);
    }
  r.rel_error = r.max_error / scale;
}

// Every rank: `back` (backward(forward(x0)), `count` numbers) against x0; the
// root gets the largest error over all ranks, relative to max |x0|, and the
// slowest rank's backward time `tb`.
inline void check_roundtrip(const std::vector<cplx>& back, const std::vector<cplx>& x0,
                            long count, double tb, Result2D& r, int root)
{
  double rt = 0.0, xmax = 0.0;
  for (long i = 0; i < count; ++i) {
    rt = std::fmax(rt, std::abs(back[i] - x0[i]));
    xmax = std::fmax(xmax, std::abs(x0[i]));
  }
  double mine[3] = {rt, xmax, tb}, all[3];
  MPI_Reduce(mine, all, 3, MPI_DOUBLE, MPI_MAX, root, MPI_COMM_WORLD);
  r.roundtrip_error = all[0] / std::max(all[1], 1e-300);
  r.backward_s = all[2];
}

// The root's lines common to both programs, up to the forward time.
inline void print_result(const Result2D& r, int size, const std::string& plan)
{
  std::printf("size = %d\nrows = %ld\ncols = %ld\n", size, r.n0, r.n1);
  std::printf("layout = %s\nplan = %s\n", r.transposed ? "transposed" : "natural", plan.c_str());
  std::printf("max_error = %.3e\nrel_error = %.3e\n", r.max_error, r.rel_error);
  std::printf("roundtrip_error = %.3e\n", r.roundtrip_error);
  std::printf("error_per_rank =");  // each rank's slab of the spectrum, relative
  for (double e : r.error_per_rank) std::printf(" %.1e", e);
  std::printf("\n");
  std::printf("plan_s = %.6f\nforward_s = %.6f\n", r.plan_s, r.forward_s);
}

// The root's closing lines: backward time, speed, time_s and the verdict.
inline void print_verdict(const Result2D& r)
{
  const double n = static_cast<double>(r.n0) * static_cast<double>(r.n1);
  std::printf("backward_s = %.6f\n", r.backward_s);
  std::printf("gflops = %.3f\n", 5.0 * n * std::log2(n) / r.forward_s / 1e9);
  std::printf("time_s = %.6f\n", r.forward_s);
  std::printf("check = %s\n", r.passed() ? "PASS" : "FAIL");
}
