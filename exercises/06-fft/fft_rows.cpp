/**
 * @file fft_rows.cpp
 * @brief Lesson 06: the row FFTs of fft_sequential, in parallel:
 * scatter rows -> local row FFTs -> gather (scatter, compute, gather).
 *
 * The root builds the R x C signal (rows: shifted sin 3x + 0.3 sin 9x) and
 * deals out whole rows with MPI_Scatterv: with R = qP + r the first r ranks
 * get q + 1 rows, the others q, so any R works on any P, even R < P (then some
 * ranks get no rows and do nothing).  Each rank transforms its rows with one
 * FFTW plan; no communication is needed while it does, because a row's FFT
 * needs only that row.  MPI_Gatherv brings the spectra back in row order.
 *
 * Checks on the root: the gathered result against the root's own serial FFT
 * of all rows (the same FFTW call as fft_sequential: `max_error`, expected 0
 * or a few ulps) and against the exact spectrum (`rel_error` <= 1e-12).  A
 * failed check ends every rank with exit status 1.
 * Run: `make run PROG=fft_rows NP=4` (ARGS="--rows 17 --cols 23").
 */
#include <mpi.h>

#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "cli.hpp"
#include "fft_util.hpp"

// Forward FFT of `rows` consecutive rows of length `cols`, in place.
static void fft_rows_inplace(std::vector<cplx>& a, long rows, long cols)
{
  if (rows == 0) return;  // a rank with no rows has nothing to transform
  const int n = static_cast<int>(cols);
  fftw_plan p = fftw_plan_many_dft(1, &n, static_cast<int>(rows), as_fftw(a.data()), nullptr, 1,
                                   n, as_fftw(a.data()), nullptr, 1, n, FFTW_FORWARD,
                                   FFTW_ESTIMATE);
  fftw_execute(p);
  fftw_destroy_plan(p);
}

// Scatter, compute, gather: the root deals out whole rows of `data` (rank i
// gets counts[i] numbers from displs[i]), every rank transforms its rows into
// `local`, the root collects the spectra in row order into `result`.
static void scatter_fft_gather(const std::vector<cplx>& data, std::vector<cplx>& local,
                               std::vector<cplx>& result, const std::vector<int>& counts,
                               const std::vector<int>& displs, long my_rows, long cols, int root)
{
  int rank = 0;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  // >>> step 2: deal the rows out, transform them, collect the spectra
  // TODO 2: before the FFT, the root deals out whole rows of `data`: rank i
  //         gets counts[i] complex numbers starting at displs[i], into
  //         `local` (the datatype of one complex number is mpi_cplx()).
  //         Hint: MPI_Scatterv.
  fft_rows_inplace(local, my_rows, cols);  // every rank transforms its rows
  // TODO 2: after it, the root collects every rank's transformed rows into
  //         `result`, in row order.  Hint: MPI_Gatherv.
  // <<< step 2
}

// The root's checks and lines: the result against its own serial FFT of all
// rows and against the exact spectrum; returns the verdict.
static bool report(const std::vector<cplx>& data, const std::vector<cplx>& result,
                   const Split& split, long rows, long cols, double seconds)
{
  const int size = static_cast<int>(split.count.size());
  std::vector<cplx> serial = data;  // reference 1: fft_sequential's computation
  fft_rows_inplace(serial, rows, cols);
  double max_error = 0.0, exact_error = 0.0, scale = 0.0;
  std::vector<double> rank_error(size, 0.0);  // the worst of each rank's rows
  for (long r = 0, owner = 0; r < rows; ++r) {
    while (r >= split.start[owner] + split.count[owner]) ++owner;
    for (long k = 0; k < cols; ++k) {
      const cplx x = result[r * cols + k], exact = signal_spectrum(r, k, cols);
      const double e = std::abs(x - serial[r * cols + k]);
      max_error = std::fmax(max_error, e);
      rank_error[owner] = std::fmax(rank_error[owner], e);
      exact_error = std::fmax(exact_error, std::abs(x - exact));  // reference 2
      scale = std::fmax(scale, std::abs(exact));
    }
  }
  if (scale == 0.0) scale = 1.0;
  double peak = 0.0;
  const std::vector<long> bins = dominant_bins(result.data(), cols, peak);  // of row 0

  for (int i = 0; i < size; ++i) {
    if (split.count[i] > 0)
      std::printf("rank %d: rows %d ... %d\n", i, split.start[i],
                  split.start[i] + split.count[i] - 1);
    else
      std::printf("rank %d: no rows\n", i);
  }
  std::printf("size = %d\nrows = %ld\ncols = %ld\nrows_per_rank =", size, rows, cols);
  for (int c : split.count) std::printf(" %d", c);
  std::printf("\ndominant_bins =");
  for (long k : bins) std::printf(" %ld", k);
  std::printf("%s\n", bins.empty() ? " none" : "");
  std::printf("peak_magnitude = %.6f\n", peak);
  std::printf("max_error = %.3e\n", max_error);
  std::printf("rel_error_serial = %.3e\n", max_error / scale);
  std::printf("rel_error = %.3e\n", exact_error / scale);
  std::printf("error_per_rank =");  // relative to the serial FFT, each rank's rows
  for (double e : rank_error) std::printf(" %.1e", e / scale);
  std::printf("\n");
  std::printf("time_s = %.6f\n", seconds);
  const bool ok = max_error / scale <= 1e-12 && exact_error / scale <= 1e-12;
  std::printf("check = %s\n", ok ? "PASS" : "FAIL");
  return ok;
}

int main(int argc, char** argv)
{
  MPI_Init(&argc, &argv);
  int rank = 0, size = 0;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &size);

  Options opt(argc, argv,
              "usage: fft_rows [--rows R] [--cols C] [--help]\n"
              "Row FFTs of the test signal: MPI_Scatterv rows, FFT each, MPI_Gatherv.\n"
              "  --rows R   number of signals, 1 ... 16384 (default 12)\n"
              "  --cols C   samples per signal, 1 ... 16384 (default 32)\n");
  const long rows = opt.integer("--rows", 12, 1, 16384);
  const long cols = opt.integer("--cols", 32, 1, 16384);
  opt.finish();
  if (rows * cols > (1L << 26)) fail_all("rows x cols must be at most 2^26 = 67108864");
  const int root = 0;

  // The split of rows, and the same split counted in complex numbers.
  const Split split(rows, size);
  std::vector<int> counts(size), displs(size);
  for (int i = 0; i < size; ++i) {
    counts[i] = static_cast<int>(split.count[i] * cols);
    displs[i] = static_cast<int>(split.start[i] * cols);
  }

  std::vector<cplx> data, result;  // whole arrays, on the root only
  if (rank == root) {
    data.resize(rows * cols);
    result.resize(rows * cols);
    for (long r = 0; r < rows; ++r)
      for (long j = 0; j < cols; ++j) data[r * cols + j] = signal_value(r, j, cols);
  }
  const long my_rows = split.count[rank];
  std::vector<cplx> local(my_rows * cols);

  MPI_Barrier(MPI_COMM_WORLD);
  const double t0 = MPI_Wtime();
  scatter_fft_gather(data, local, result, counts, displs, my_rows, cols, root);
  const double t1 = MPI_Wtime();

  const bool passed = rank == root && report(data, result, split, rows, cols, t1 - t0);
  const int status = finish_with(passed, root);  // a failed check fails every rank
  MPI_Finalize();
  return status;
}
