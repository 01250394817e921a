/**
 * @file fft2d_fftw_mpi.cpp
 * @brief Lesson 06: the distributed 2D FFT of fft2d_transpose with FFTW's MPI
 * interface (the C++ counterpart of mpi4py-fft), forward and backward, with
 * and without FFTW_MPI_TRANSPOSED_OUT.
 *
 * FFTW decides the slabs: fftw_mpi_local_size_2d_transposed says how many
 * rows this rank owns (local_n0, from local_0_start), how many columns it owns
 * in the transposed layout (local_n1, from local_1_start) and how many
 * numbers to allocate (alloc_local, which can exceed local_n0 * N1: FFTW
 * needs room for its own transposes).  FFTW's split is in blocks of
 * ceil(N0 / P) rows, so with 17 rows on 4 ranks it is 5 5 5 2, and with 3
 * rows on 4 ranks the last rank owns nothing; it still takes part.
 *
 * fftw_mpi_plan_dft_2d plans the whole transform, transposes included.  By
 * default the output has the input's layout (rows of X).  With
 * FFTW_MPI_TRANSPOSED_OUT the forward plan skips its last transpose and
 * leaves rank p with rows local_1_start ... of the transposed N1 x N0 array;
 * a backward plan with FFTW_MPI_TRANSPOSED_IN takes exactly that as input.
 * Spectral codes (multiply by k^2, filter) work in either layout, so a
 * forward + backward pair saves two of its four transposes.
 *
 * Normalisation: FFTW computes unnormalised transforms in both directions,
 * so backward(forward(x)) = N0 N1 x; the program divides by N0 N1, as
 * mpi4py-fft's example does (`u /= total_points`).
 *
 * Checks: the root gathers the forward result and compares it with FFTW's
 * serial 2D transform (`rel_error` <= 1e-12); every rank compares the round
 * trip with its input (`roundtrip_error` <= 1e-13).  Same data as
 * fft2d_transpose (a hash of the global index).
 * Run: `make run PROG=fft2d_fftw_mpi NP=4 ARGS="--rows 17 --cols 23"`.
 * Needs libfftw3-mpi, which Debian builds on Open MPI: not built with MPI=mpich.
 */
#include <fftw3-mpi.h>
#include <mpi.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "cli.hpp"
#include "fft_util.hpp"

int main(int argc, char** argv)
{
  MPI_Init(&argc, &argv);
  int rank = 0, size = 0;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &size);

  Options opt(argc, argv,
              "usage: fft2d_fftw_mpi [--rows N0] [--cols N1] [--transposed-out]\n"
              "                      [--plan estimate|measure] [--reps R] [--help]\n"
              "Distributed 2D FFT with FFTW's MPI interface (fftw_mpi_plan_dft_2d).\n"
              "  --rows N0         rows, 1 ... 16384 (default 12)\n"
              "  --cols N1         columns, 1 ... 16384 (default 32)\n"
              "  --transposed-out  FFTW_MPI_TRANSPOSED_OUT (and _IN for the backward plan)\n"
              "  --plan KIND       FFTW planner: estimate (default) or measure\n"
              "  --reps R          timed transforms, best one reported, 1 ... 100 (default 3)\n");
  const long n0 = opt.integer("--rows", 12, 1, 16384);
  const long n1 = opt.integer("--cols", 32, 1, 16384);
  const bool transposed_out = opt.flag("--transposed-out");
  const std::string plan_kind = opt.text("--plan", "estimate");
  const int reps = static_cast<int>(opt.integer("--reps", 3, 1, 100));
  opt.finish();
  if (n0 * n1 > (1L << 26)) fail_all("rows x cols must be at most 2^26 = 67108864");
  const unsigned flag = plan_flag(plan_kind, "--plan");
  const int root = 0;

  fftw_mpi_init();  // after MPI_Init, before any fftw_mpi call

  // FFTW's slabs, for both layouts, and the size each array needs.
  ptrdiff_t local_n0 = 0, local_0_start = 0, local_n1 = 0, local_1_start = 0;
  const ptrdiff_t alloc = fftw_mpi_local_size_2d_transposed(
      n0, n1, MPI_COMM_WORLD, &local_n0, &local_0_start, &local_n1, &local_1_start);
  std::vector<cplx> in(std::max<ptrdiff_t>(alloc, 1)), out(in.size()), back(in.size());
  std::vector<cplx> x0(local_n0 * n1);

  // Plans (before the data: FFTW_MEASURE overwrites the arrays).  Out of
  // place, and without FFTW_DESTROY_INPUT, the forward plan leaves `in` as it
  // was; the program refills it before every transform anyway (untimed), so
  // that adding FFTW_DESTROY_INPUT, which FFTW's manual suggests for speed,
  // cannot change the result.
  MPI_Barrier(MPI_COMM_WORLD);
  double tp = MPI_Wtime();
  const unsigned f_flag = flag | (transposed_out ? FFTW_MPI_TRANSPOSED_OUT : 0);
  const unsigned b_flag = flag | (transposed_out ? FFTW_MPI_TRANSPOSED_IN : 0);
  fftw_plan fwd = fftw_mpi_plan_dft_2d(n0, n1, as_fftw(in.data()), as_fftw(out.data()),
                                       MPI_COMM_WORLD, FFTW_FORWARD, f_flag);
  fftw_plan bwd = fftw_mpi_plan_dft_2d(n0, n1, as_fftw(out.data()), as_fftw(back.data()),
                                       MPI_COMM_WORLD, FFTW_BACKWARD, b_flag);
  tp = MPI_Wtime() - tp;
  if (!fwd || !bwd) fail_all("FFTW could not make a plan for this size");

  for (ptrdiff_t i = 0; i < local_n0; ++i)
    for (long j = 0; j < n1; ++j) x0[i * n1 + j] = sample(local_0_start + i, j, n1);

  double best = 1e300;
  for (int r = 0; r < reps; ++r) {
    std::copy(x0.begin(), x0.end(), in.begin());
    MPI_Barrier(MPI_COMM_WORLD);
    const double t0 = MPI_Wtime();
    fftw_execute(fwd);
    double mine = MPI_Wtime() - t0, slow = 0.0;
    MPI_Allreduce(&mine, &slow, 1, MPI_DOUBLE, MPI_MAX, MPI_COMM_WORLD);
    best = std::min(best, slow);
  }
  // This rank's part of X: local_n0 rows of length N1, or local_n1 rows of
  // length N0 of the transpose.
  const long my_lines = transposed_out ? local_n1 : local_n0;
  const long line = transposed_out ? n0 : n1;
  std::vector<cplx> spectrum(out.begin(), out.begin() + my_lines * line);

  MPI_Barrier(MPI_COMM_WORLD);
  double tb = MPI_Wtime();
  fftw_execute(bwd);
  const double s = 1.0 / (static_cast<double>(n0) * static_cast<double>(n1));
  for (long i = 0; i < local_n0 * n1; ++i) back[i] *= s;  // FFTW does not normalise
  tb = MPI_Wtime() - tb;
  double rt = 0.0, xmax = 0.0;
  for (long i = 0; i < local_n0 * n1; ++i) {
    rt = std::fmax(rt, std::abs(back[i] - x0[i]));
    xmax = std::fmax(xmax, std::abs(x0[i]));
  }
  double mine[3] = {rt, xmax, tb}, all[3];
  MPI_Reduce(mine, all, 3, MPI_DOUBLE, MPI_MAX, root, MPI_COMM_WORLD);

  // Gather FFTW's slabs on the root: every rank's count and start first.
  int my[2] = {static_cast<int>(my_lines * line),
               static_cast<int>((transposed_out ? local_1_start : local_0_start) * line)};
  std::vector<int> cd(2 * size), counts(size), displs(size);
  MPI_Gather(my, 2, MPI_INT, cd.data(), 2, MPI_INT, root, MPI_COMM_WORLD);
  for (int i = 0; i < size; ++i) {
    counts[i] = cd[2 * i];
    displs[i] = cd[2 * i + 1];
  }
  std::vector<cplx> gathered(rank == root ? n0 * n1 : 0);
  MPI_Gatherv(spectrum.data(), my[0], mpi_cplx(), gathered.data(), counts.data(),
              displs.data(), mpi_cplx(), root, MPI_COMM_WORLD);

  bool passed = false;  // meaningful on the root
  if (rank == root) {
    std::vector<cplx> xs(n0 * n1), ref(n0 * n1);
    fftw_plan serial = fftw_plan_dft_2d(static_cast<int>(n0), static_cast<int>(n1),
                                        as_fftw(xs.data()), as_fftw(ref.data()), FFTW_FORWARD,
                                        FFTW_ESTIMATE);
    for (long i = 0; i < n0; ++i)
      for (long j = 0; j < n1; ++j) xs[i * n1 + j] = sample(i, j, n1);
    fftw_execute(serial);
    fftw_destroy_plan(serial);
    double err = 0.0;
    for (long i = 0; i < n0; ++i)
      for (long j = 0; j < n1; ++j) {
        const cplx x = transposed_out ? gathered[j * n0 + i] : gathered[i * n1 + j];
        err = std::fmax(err, std::abs(x - ref[i * n1 + j]));
      }
    const double rel = err / std::max(max_abs(ref), 1e-300);
    const double rt_rel = all[0] / std::max(all[1], 1e-300);
    const double n = static_cast<double>(n0) * static_cast<double>(n1);
    const double gflops = 5.0 * n * std::log2(n) / best / 1e9;

    std::printf("2D FFT of %ld x %ld with FFTW-MPI: %s per rank", n0, n1,
                transposed_out ? "output columns" : "rows");
    for (int i = 0; i < size; ++i) std::printf(" %d", counts[i] / static_cast<int>(line));
    std::printf("\n");
    std::printf("size = %d\n", size);
    std::printf("rows = %ld\n", n0);
    std::printf("cols = %ld\n", n1);
    std::printf("layout = %s\n", transposed_out ? "transposed" : "natural");
    std::printf("plan = %s\n", plan_kind.c_str());
    std::printf("alloc_local = %ld\n", static_cast<long>(alloc));
    std::printf("max_error = %.3e\n", err);
    std::printf("rel_error = %.3e\n", rel);
    std::printf("roundtrip_error = %.3e\n", rt_rel);
    std::printf("plan_s = %.6f\n", tp);
    std::printf("forward_s = %.6f\n", best);
    std::printf("backward_s = %.6f\n", all[2]);
    std::printf("gflops = %.3f\n", gflops);
    std::printf("time_s = %.6f\n", best);
    passed = rel <= 1e-12 && rt_rel <= 1e-13;
    std::printf("check = %s\n", passed ? "PASS" : "FAIL");
  }
  const int status = finish_with(passed, root);  // a failed check fails every rank

  fftw_destroy_plan(fwd);
  fftw_destroy_plan(bwd);
  fftw_mpi_cleanup();
  MPI_Finalize();
  return status;
}
