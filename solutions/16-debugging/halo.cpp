/**
 * @file halo.cpp
 * @brief Lesson 16, bug 3: an off-by-one in a halo exchange.  Smooths a
 * line of n values, u_i <- u_i + (u_{i-1} - 2 u_i + u_{i+1}) / 4, for
 * --steps steps (the ends stay 0), with the line split over the ranks.
 *
 * Each rank stores its points in u[1..nl] and one ghost point on each side,
 * u[0] and u[nl+1], which hold copies of the neighbours' edge points: the
 * halo, exchanged before every step.
 *
 * The check: every rank also runs the whole line on its own (the serial
 * reference, same arithmetic, so equal to the last bit) and compares after
 * every step.  The first difference is reported: its step, its global index
 * and the rank that owns it.  --verbose prints each rank's range and ghost
 * values after the first exchange, one line per rank, prefixed with [rank].
 *
 * Run: `make run PROG=halo NP=3`.  Correct: `check = PASS` on 1 to N ranks.
 */
#include <mpi.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "cli.hpp"

// Fill the ghost points u[0] and u[nl+1] from the neighbours (MPI_PROC_NULL
// at the ends of the line: nothing is sent, the ghost keeps its 0).
static void ExchangeHalo(std::vector<double>& u, long nl, int left, int right)
{
  // >>> step 3: the halo exchange
  // My first point goes left, and my right ghost comes from the right ...
  MPI_Sendrecv(&u[1], 1, MPI_DOUBLE, left, 0, &u[(size_t)nl + 1], 1, MPI_DOUBLE, right, 0, MPI_COMM_WORLD,
               MPI_STATUS_IGNORE);
  // ... and my last point goes right, and my left ghost comes from the left.
  MPI_Sendrecv(&u[(size_t)nl], 1, MPI_DOUBLE, right, 1, &u[0], 1, MPI_DOUBLE, left, 1, MPI_COMM_WORLD,
               MPI_STATUS_IGNORE);
  // <<< step 3
}

// One step on points 1..nl of u (ghosts at 0 and nl+1), into v.
static void Smooth(const std::vector<double>& u, std::vector<double>& v, long nl)
{
  for (long i = 1; i <= nl; ++i) v[(size_t)i] = u[(size_t)i] + 0.25 * (u[(size_t)i - 1] - 2.0 * u[(size_t)i] + u[(size_t)i + 1]);
}

int main(int argc, char** argv)
{
  MPI_Init(&argc, &argv);
  int rank = 0, size = 0;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  Options    opt(argc, argv, "usage: halo [--n POINTS] [--steps S] [--verbose]\n"
                             "  smooths a line of POINTS values for S steps, split over the ranks\n");
  const long n       = opt.integer("--n", 1000, 1, 100000000);
  const long steps   = opt.integer("--steps", 100, 0, 1000000);
  const bool verbose = opt.flag("--verbose");
  opt.finish();
  if (n < size) fail_all("--n " + std::to_string(n) + " is less than the number of ranks (" + std::to_string(size) + ")");

  // My points: global indices [i0, i0 + nl).
  const long nl = n / size + (rank < n % size ? 1 : 0), i0 = rank * (n / size) + std::min<long>(rank, n % size);
  const int  left = rank > 0 ? rank - 1 : MPI_PROC_NULL, right = rank < size - 1 ? rank + 1 : MPI_PROC_NULL;
  auto       start = [](long i) { return (double)((i * 37) % 101) / 100.0; };  // a rough start: every point matters
  std::vector<double> u((size_t)nl + 2, 0.0), v = u, ref((size_t)n + 2, 0.0), ref_new = ref;
  for (long i = 0; i < nl; ++i) u[(size_t)i + 1] = start(i0 + i);
  for (long i = 0; i < n; ++i) ref[(size_t)i + 1] = start(i);

  long first_step = -1, first_index = -1;  // the first difference from the reference
  double max_error = 0.0;
  for (long s = 1; s <= steps; ++s) {
    ExchangeHalo(u, nl, left, right);
    if (verbose && s == 1)
      std::printf("[%d] owns %ld..%ld, left ghost %g, right ghost %g\n", rank, i0, i0 + nl - 1, u[0], u[(size_t)nl + 1]);
    Smooth(u, v, nl);
    u.swap(v);
    Smooth(ref, ref_new, n);
    ref.swap(ref_new);
    long mine = n;  // my first wrong global index, or n
    for (long i = 0; i < nl; ++i) {
      const double e = std::fabs(u[(size_t)i + 1] - ref[(size_t)(i0 + i) + 1]);
      max_error = std::max(max_error, e);
      if (e > 0 && mine == n) mine = i0 + i;
    }
    long first = n;
    MPI_Allreduce(&mine, &first, 1, MPI_LONG, MPI_MIN, MPI_COMM_WORLD);
    if (first < n && first_step < 0) first_step = s, first_index = first;
  }
  double error = 0.0;
  MPI_Reduce(&max_error, &error, 1, MPI_DOUBLE, MPI_MAX, 0, MPI_COMM_WORLD);

  if (rank == 0) {
    // The owner of a global index: the ranks before the remainder have one point more.
    const long big = n / size + 1, split = (n % size) * big;
    const long owner = first_index < split ? first_index / big : n % size + (first_index - split) / (n / size);
    std::printf("size = %d\npoints = %ld\nsteps = %ld\nmax_error = %.3g\n", size, n, steps, error);
    if (first_step < 0)
      std::printf("first_wrong = none\n");
    else
      std::printf("first_wrong = step %ld, point %ld (rank %ld)\n", first_step, first_index, owner);
    std::printf("check = %s\n", first_step < 0 ? "PASS" : "FAIL");
  }
  MPI_Finalize();
  return first_step < 0 ? 0 : 1;  // the same verdict on every rank (from the Allreduce)
}
