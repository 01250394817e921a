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
 * Checks (fft2d_check.hpp), as in fft2d_transpose: the forward result
 * against FFTW's serial 2D transform (`rel_error` <= 1e-12), the round trip
 * against the input (`roundtrip_error` <= 1e-13); a failed check ends every
 * rank with exit status 1.  Same data as fft2d_transpose.
 * Run: `make run PROG=fft2d_fftw_mpi NP=4 ARGS="--rows 17 --cols 23"`.
 * Needs libfftw3-mpi, which Debian builds on Open MPI: not built with MPI=mpich.
 */
#include <fftw3-mpi.h>
#include <mpi.h>

#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include "cli.hpp"
#include "fft2d_check.hpp"
#include "fft_util.hpp"

// This rank's slabs as FFTW decides them, and the arrays of the transform,
// each of FFTW's size alloc_local.
struct FftwSlabs {
  ptrdiff_t alloc = 0, local_n0 = 0, local_0_start = 0, local_n1 = 0, local_1_start = 0;
  std::vector<cplx> in, out, back;
};

static FftwSlabs fftw_slabs(long n0, long n1)
{
  FftwSlabs s;
  s.alloc = fftw_mpi_local_size_2d_transposed(n0, n1, MPI_COMM_WORLD, &s.local_n0,
                                              &s.local_0_start, &s.local_n1, &s.local_1_start);
  s.in.resize(std::max<ptrdiff_t>(s.alloc, 1));
  s.out.resize(s.in.size());
  s.back.resize(s.in.size());
  return s;
}

// The forward plan (in -> out) and the backward plan (out -> back) of the
// whole distributed transform, transposes included.  With `transposed` the
// forward output stays transposed and the backward plan takes it so.  Out of
// place, and without FFTW_DESTROY_INPUT, the forward plan leaves `in` as it
// was.  Made before the data: FFTW_MEASURE overwrites the arrays.
static void make_plans(FftwSlabs& s, long n0, long n1, bool transposed, unsigned flag,
                       fftw_plan& fwd, fftw_plan& bwd)
{
  fwd = bwd = nullptr;
  // >>> step 4: plan the distributed transform, forward and backward
  // TODO 4: plan the whole distributed transform: `fwd` from s.in to s.out,
  //         forward; `bwd` from s.out to s.back, backward; both with `flag`,
  //         and with `transposed` add FFTW_MPI_TRANSPOSED_OUT to the forward
  //         flags and FFTW_MPI_TRANSPOSED_IN to the backward ones.
  //         Hint: fftw_mpi_plan_dft_2d (as_fftw(...) for the arrays).
  // <<< step 4
  int ok = fwd && bwd, all = 0;  // a plan is made by every rank together
  MPI_Allreduce(&ok, &all, 1, MPI_INT, MPI_MIN, MPI_COMM_WORLD);
  if (!all) fail_all("no FFTW-MPI plan: fftw_mpi_plan_dft_2d was not called, or returned NULL");
}

// The root's lines: FFTW's split (every rank's number of output lines), the
// errors and the times.  Every rank calls it.
static void report(const Result2D& r, long my_lines, ptrdiff_t alloc, const std::string& plan,
                   int root)
{
  int rank = 0, size = 0;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  const int mine = static_cast<int>(my_lines);
  std::vector<int> lines(size);
  MPI_Gather(&mine, 1, MPI_INT, lines.data(), 1, MPI_INT, root, MPI_COMM_WORLD);
  if (rank != root) return;
  std::printf("2D FFT of %ld x %ld with FFTW-MPI: %s per rank", r.n0, r.n1,
              r.transposed ? "output columns" : "rows");
  for (int c : lines) std::printf(" %d", c);
  std::printf("\n");
  print_result(r, size, plan);
  std::printf("alloc_local = %ld\n", static_cast<long>(alloc));
  print_verdict(r);
}

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
  Result2D r;
  r.n0 = opt.integer("--rows", 12, 1, 16384);
  r.n1 = opt.integer("--cols", 32, 1, 16384);
  r.transposed = opt.flag("--transposed-out");
  const std::string plan_kind = opt.text("--plan", "estimate");
  const int reps = static_cast<int>(opt.integer("--reps", 3, 1, 100));
  opt.finish();
  if (r.n0 * r.n1 > (1L << 26)) fail_all("rows x cols must be at most 2^26 = 67108864");
  const unsigned flag = plan_flag(plan_kind, "--plan");
  const long n0 = r.n0, n1 = r.n1;
  const int root = 0;

  fftw_mpi_init();  // after MPI_Init, before any fftw_mpi call
  FftwSlabs s = fftw_slabs(n0, n1);
  fftw_plan fwd = nullptr, bwd = nullptr;
  MPI_Barrier(MPI_COMM_WORLD);
  r.plan_s = MPI_Wtime();
  make_plans(s, n0, n1, r.transposed, flag, fwd, bwd);
  r.plan_s = MPI_Wtime() - r.plan_s;
  std::vector<cplx> x0(s.local_n0 * n1);
  for (ptrdiff_t i = 0; i < s.local_n0; ++i)
    for (long j = 0; j < n1; ++j) x0[i * n1 + j] = sample(s.local_0_start + i, j, n1);

  // Time `reps` forward transforms; keep the best (the slowest rank's time).
  // `in` is refilled before each (untimed), so FFTW_DESTROY_INPUT could not
  // change the result.
  r.forward_s = 1e300;
  for (int k = 0; k < reps; ++k) {
    std::copy(x0.begin(), x0.end(), s.in.begin());
    MPI_Barrier(MPI_COMM_WORLD);
    const double t0 = MPI_Wtime();
    fftw_execute(fwd);
    double mine = MPI_Wtime() - t0, slow = 0.0;
    MPI_Allreduce(&mine, &slow, 1, MPI_DOUBLE, MPI_MAX, MPI_COMM_WORLD);
    r.forward_s = std::min(r.forward_s, slow);
  }
  // My part of X: local_n0 rows of length N1, or local_n1 rows of length N0 of the transpose.
  const long my_lines = r.transposed ? s.local_n1 : s.local_n0, line = r.transposed ? n0 : n1;
  const std::vector<cplx> spectrum(s.out.begin(), s.out.begin() + my_lines * line);

  MPI_Barrier(MPI_COMM_WORLD);
  double tb = MPI_Wtime();
  fftw_execute(bwd);
  const double scale = 1.0 / (static_cast<double>(n0) * static_cast<double>(n1));
  for (long i = 0; i < s.local_n0 * n1; ++i) s.back[i] *= scale;  // FFTW does not normalise
  tb = MPI_Wtime() - tb;
  check_roundtrip(s.back, x0, s.local_n0 * n1, tb, r, root);
  check_forward(spectrum, my_lines, r.transposed ? s.local_1_start : s.local_0_start, line,
                FFTW_ESTIMATE, 1, r, root);

  report(r, my_lines, s.alloc, plan_kind, root);
  const int status = finish_with(r.passed(), root);  // a failed check fails every rank
  fftw_destroy_plan(fwd);
  fftw_destroy_plan(bwd);
  fftw_mpi_cleanup();
  MPI_Finalize();
  return status;
}
