/**
 * @file fft_sequential.cpp
 * @brief Lesson 06 baseline: the FFT of every row of the 12 x 32 test
 * signal on one process, with one FFTW plan for all rows.
 *
 * Row r is sin 3x + 0.3 sin 9x sampled at x_j = 2 pi j / C and shifted by r
 * samples.  The program transforms each row,
 *
 *     X_k = sum_{j=0}^{C-1} x_j exp(-2 pi i k j / C),   k = 0 ... C-1,
 *
 * with fftw_plan_many_dft (R transforms of length C, one after the other in
 * memory), and compares every coefficient with the exact spectrum worked out
 * by hand: -iC/2 at k = 3, +iC/2 at k = C-3, 0.3 times that at k = 9 and
 * C-9, times the phase exp(-2 pi i k r / C) of the shift.  The shift changes
 * phases only, so every row has the same dominant bins.
 *
 * Run: `make run PROG=fft_sequential NP=1` (any size: ARGS="--rows 17 --cols 23").
 * Right when: `dominant_bins = 3 9 23 29` for 32 columns, `rel_error` about
 * 1e-16 (at most 1e-12) and `check = PASS`.  It is the serial baseline and
 * refuses more than one rank.  A failed check ends it with exit status 1.
 */
#include <mpi.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "cli.hpp"
#include "fft_util.hpp"

// One plan for all rows: `rows` transforms of length `cols` from `signal` to
// `spectrum`, each row starting `cols` numbers after the previous one (stride
// 1 inside a row).  FFTW_ESTIMATE: chosen by heuristics, in microseconds.
static fftw_plan plan_row_ffts(std::vector<cplx>& signal, std::vector<cplx>& spectrum, long rows,
                               long cols)
{
  fftw_plan plan = nullptr;
  // >>> step 1: one FFTW plan for the FFTs of all rows
  // TODO 1: make one plan for the FFTs of all `rows` rows: each row holds
  //         `cols` numbers, one row after another, from `signal` into
  //         `spectrum`, forward, FFTW_ESTIMATE.  Pass the vectors' data
  //         through as_fftw(...).  Hint: fftw_plan_many_dft.
  // <<< step 1
  return plan;
}

// Compare with the exact spectrum, print row 0's dominant bins and the
// results; returns the verdict.
static bool report(const std::vector<cplx>& spectrum, long rows, long cols, double plan_s,
                   double time_s)
{
  double max_error = 0.0, scale = 0.0;
  for (long r = 0; r < rows; ++r)
    for (long k = 0; k < cols; ++k) {
      const cplx exact = signal_spectrum(r, k, cols);
      max_error = std::fmax(max_error, std::abs(spectrum[r * cols + k] - exact));
      scale = std::fmax(scale, std::abs(exact));
    }
  const double rel_error = max_error / (scale > 0.0 ? scale : 1.0);
  double peak = 0.0;
  const std::vector<long> bins = dominant_bins(spectrum.data(), cols, peak);

  std::printf("FFT of %ld rows of %ld samples; row 0's dominant bins:\n", rows, cols);
  for (long k : bins) {
    const long freq = k <= cols / 2 ? k : k - cols;  // bins above C/2 are negative frequencies
    std::printf("  bin %ld (frequency %+ld): |X| = %.6f\n", k, freq, std::abs(spectrum[k]));
  }
  std::printf("size = 1\nrows = %ld\ncols = %ld\ndominant_bins =", rows, cols);
  for (long k : bins) std::printf(" %ld", k);
  std::printf("%s\n", bins.empty() ? " none" : "");
  std::printf("peak_magnitude = %.6f\n", peak);
  std::printf("max_error = %.3e\nrel_error = %.3e\n", max_error, rel_error);
  std::printf("plan_s = %.6f\ntime_s = %.6f\n", plan_s, time_s);
  const bool passed = rel_error <= 1e-12;
  std::printf("check = %s\n", passed ? "PASS" : "FAIL");
  return passed;
}

int main(int argc, char** argv)
{
  MPI_Init(&argc, &argv);
  int size = 0;
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  Options opt(argc, argv,
              "usage: fft_sequential [--rows R] [--cols C] [--help]\n"
              "FFT of every row of the test signal (shifted sin 3x + 0.3 sin 9x), one rank.\n"
              "  --rows R   number of signals, 1 ... 16384 (default 12)\n"
              "  --cols C   samples per signal, 1 ... 16384 (default 32)\n");
  const long rows = opt.integer("--rows", 12, 1, 16384);
  const long cols = opt.integer("--cols", 32, 1, 16384);
  opt.finish();
  if (size != 1)
    fail_all("fft_sequential is the serial baseline: run it on one rank (NP=1), not " +
             std::to_string(size));
  if (rows * cols > (1L << 26)) fail_all("rows x cols must be at most 2^26 = 67108864");

  std::vector<cplx> signal(rows * cols), spectrum(rows * cols);
  const double t0 = MPI_Wtime();
  fftw_plan plan = plan_row_ffts(signal, spectrum, rows, cols);
  const double t1 = MPI_Wtime();
  // Fill after planning (FFTW_MEASURE would overwrite the arrays).
  for (long r = 0; r < rows; ++r)
    for (long j = 0; j < cols; ++j) signal[r * cols + j] = signal_value(r, j, cols);
  const double t2 = MPI_Wtime();
  if (plan) fftw_execute(plan);
  const double t3 = MPI_Wtime();

  const bool passed = report(spectrum, rows, cols, t1 - t0, t3 - t2);
  if (plan) fftw_destroy_plan(plan);
  MPI_Finalize();
  return passed ? 0 : 1;  // a failed check fails the run
}
