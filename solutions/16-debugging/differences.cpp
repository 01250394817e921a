/**
 * @file differences.cpp
 * @brief Lesson 16, bug 4: an out-of-bounds write.  Each rank makes a block
 * of --n values x_0 .. x_{n-1} (a parabola sampled on its part of [0, 1])
 * and their differences d_i = x_{i+1} - x_i, n - 1 of them.  The sum of the
 * differences telescopes to x_{n-1} - x_0: that is the check, on every rank.
 *
 * Run: `make run PROG=differences NP=2`.  Correct: `check = PASS`.  A write
 * past the end of an array may go unnoticed, crash later, or spoil other
 * data, depending on what lies there.  `make SANITIZE=address` builds a copy
 * (in build/system-address/) that stops at the first bad access and names
 * the line: AddressSanitizer's "heap-buffer-overflow".
 */
#include <mpi.h>

#include <cmath>
#include <cstdio>
#include <vector>

#include "cli.hpp"

// The n - 1 differences of n values.
static std::vector<double> Differences(const std::vector<double>& x)
{
  const long          n = (long)x.size();
  std::vector<double> d((size_t)(n - 1));
  // >>> step 4: the differences
  for (long i = 1; i < n; ++i) d[(size_t)i - 1] = x[(size_t)i] - x[(size_t)i - 1];  // d_{i-1} = x_i - x_{i-1}
  // <<< step 4
  return d;
}

int main(int argc, char** argv)
{
  MPI_Init(&argc, &argv);
  int rank = 0, size = 0;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  Options    opt(argc, argv, "usage: differences [--n VALUES]\n  each rank takes the differences of its VALUES values\n");
  const long n = opt.integer("--n", 1001, 2, 10000000);
  opt.finish();

  // My part of [0, 1]: [rank / size, (rank + 1) / size], sampled at n points.
  std::vector<double> x((size_t)n);
  for (long i = 0; i < n; ++i) {
    const double t = (rank + (double)i / (double)(n - 1)) / size;
    x[(size_t)i]   = t * t;
  }
  const std::vector<double> d = Differences(x);
  double sum = 0.0;
  for (double di : d) sum += di;
  const double error = std::fabs(sum - (x[(size_t)n - 1] - x[0]));

  double max_error = 0.0;
  MPI_Reduce(&error, &max_error, 1, MPI_DOUBLE, MPI_MAX, 0, MPI_COMM_WORLD);
  int pass = max_error < 1e-12;
  MPI_Bcast(&pass, 1, MPI_INT, 0, MPI_COMM_WORLD);
  if (rank == 0) std::printf("size = %d\nvalues_per_rank = %ld\nmax_error = %.3g\ncheck = %s\n", size, n, max_error, pass ? "PASS" : "FAIL");
  MPI_Finalize();
  return pass ? 0 : 1;
}
