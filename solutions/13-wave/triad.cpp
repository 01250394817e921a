/**
 * @file triad.cpp
 * @brief Lesson 13: the memory-bandwidth roofline of this machine, measured
 * with the STREAM triad a[i] = b[i] + s c[i] on every rank at once.
 *
 * Each rank owns three arrays of N doubles (default 10,000,000: 240 MB per
 * rank, far beyond any cache), first touched by the rank itself.  The triad is
 * repeated --reps times (default 10) after a barrier; the best repetition
 * counts, and the bandwidth is the STREAM figure 24 N P bytes / time (two
 * reads and one write per element; the cache line that the write loads first
 * is not counted, as STREAM does not count it).  This is the speed limit of
 * any code that streams through memory, such as the leapfrog update
 * (`make bench` compares the wave update with it).
 * Check: after the last repetition a[i] = b[i] + s c[i] holds exactly for
 * the chosen values (b = 1, c = 2, s = 3: a = 7), `check = PASS`.
 * Run: `make run PROG=triad NP=2`.
 */
#include <mpi.h>

#include <algorithm>
#include <cstdio>
#include <vector>

#include "cli.hpp"

int main(int argc, char** argv)
{
  MPI_Init(&argc, &argv);

  int rank = 0, size = 0;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &size);

  Options opt(argc, argv,
              "usage: triad [--n N] [--reps R] [--help]\n"
              "STREAM triad a = b + s c on every rank; prints the aggregate bandwidth.\n"
              "  --n N      doubles per array and rank, 1000 ... 200000000 (default 10000000)\n"
              "  --reps R   repetitions, the best counts, 1 ... 1000 (default 10)\n");
  const long n    = opt.integer("--n", 10000000, 1000, 200000000);
  const int  reps = static_cast<int>(opt.integer("--reps", 10, 1, 1000));
  opt.finish();

  std::vector<double> a(n, 0.0), b(n, 1.0), c(n, 2.0);
  const double s = 3.0;

  double best = 1e300;
  for (int k = 0; k < reps; ++k) {
    MPI_Barrier(MPI_COMM_WORLD);
    const double t0 = MPI_Wtime();
    double* pa = a.data();
    const double *pb = b.data(), *pc = c.data();
    for (long i = 0; i < n; ++i) pa[i] = pb[i] + s * pc[i];
    MPI_Barrier(MPI_COMM_WORLD);  // the slowest rank decides
    best = std::min(best, MPI_Wtime() - t0);
  }
  int ok = std::all_of(a.begin(), a.end(), [](double v) { return v == 7.0; }), all_ok = 0;
  MPI_Reduce(&ok, &all_ok, 1, MPI_INT, MPI_LAND, 0, MPI_COMM_WORLD);

  if (rank == 0) {
    const double bytes = 24.0 * n * size;
    std::printf("triad: a = b + s c, %ld doubles per array on each of %d ranks, best of %d\n", n,
                size, reps);
    std::printf("size = %d\n", size);
    std::printf("n = %ld\n", n);
    std::printf("time_s = %.6f\n", best);
    std::printf("triad_GBps = %.3f\n", bytes / best / 1e9);
    std::printf("check = %s\n", all_ok ? "PASS" : "FAIL");
  }
  MPI_Finalize();
  return 0;
}
