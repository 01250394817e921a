/**
 * @file scatter_sum.cpp
 * @brief Lesson 05: the root scatters N doubles (default 10,000,000) over
 * the ranks with MPI_Scatterv, every rank sums its chunk, MPI_Reduce adds the
 * partial sums on the root.  Works for any N and any number of ranks.
 *
 * Split: with N = q P + r, the first r ranks get q + 1 values and the others
 * q; counts[i] says how many values rank i gets, displs[i] where they start
 * in the root's array (displs[0] = 0, displs[i+1] = displs[i] + counts[i]).
 *
 * Data `--data index` (default): x_i = i, so the sum is N(N-1)/2.  Every
 * x_i and every partial sum is an integer below 2^53, which a double holds
 * exactly, so each addition is exact in any order and the result must equal
 * the closed form to the last bit on every rank count: `check = PASS` means
 * `global_sum == expected` exactly.  `--data harmonic`: x_i = 1/(i+1); now
 * additions round, the parallel sum adds in a different order from the
 * serial one, and the two differ in the last bits; the check then compares
 * with the root's serial sum within the round-off bound N * eps * sum.
 * Run: `make run PROG=scatter_sum NP=3 ARGS="--n 10000001"`.
 * A failed check ends every rank with exit status 1.
 */
#include <mpi.h>

#include <cfloat>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "cli.hpp"

// The data, on the root only (8 N bytes): x_i = i, or 1/(i+1) when not exact.
static std::vector<double> make_data(long n, bool exact)
{
  std::vector<double> x(n);
  for (long i = 0; i < n; ++i) x[i] = exact ? static_cast<double>(i) : 1.0 / (i + 1);
  return x;
}

// The split and the scatter.  With N = q P + r, the first r ranks get q + 1
// values and the others q: counts[i] values for rank i, starting at displs[i]
// in the root's array `x`.  Every rank computes the whole split (it needs its
// own count, the root all of them); then the root deals the values out, and
// rank i receives its counts[i] values into `local`.
static void scatter_values(const std::vector<double>& x, long n, std::vector<int>& counts,
                           std::vector<int>& displs, std::vector<double>& local, int rank,
                           int root)
{
  // >>> step 5: split the N values over the ranks and deal them out
  // TODO 5: fill counts[i] (N / P values each, one more for each of the
  //         first N % P ranks) and displs[i] (where rank i's values start in
  //         x: the counts before it added up); then the root deals the values
  //         out, counts[rank] of them into `local`.  Hint: MPI_Scatterv.
  // <<< step 5
}

// The root's lines: who got what, the sum against its expected value; the verdict.
static bool report(const std::vector<double>& x, long n, bool exact, const std::vector<int>& counts,
                   const std::vector<int>& displs, const std::vector<double>& firsts,
                   const std::vector<double>& sums, double global_sum, const double slowest[3])
{
  const int size = static_cast<int>(counts.size());
  bool ok = true;
  for (int i = 0; i < size; ++i) {
    if (counts[i] > 0)
      std::printf("rank %d: count = %d, displ = %d, first x = %.17g, local sum = %.17g\n", i,
                  counts[i], displs[i], firsts[i], sums[i]);
    else
      std::printf("rank %d: count = 0 (nothing to add)\n", i);
    if (counts[i] > 0) ok = ok && firsts[i] == x[displs[i]];
  }
  std::printf("size = %d\nn = %ld\ndata = %s\ncounts =", size, n, exact ? "index" : "harmonic");
  for (int c : counts) std::printf(" %d", c);
  std::printf("\nglobal_sum = %.17g\n", global_sum);
  if (exact) {
    const long long expected = static_cast<long long>(n) * (n - 1) / 2;  // integer arithmetic
    std::printf("expected = %lld\n", expected);
    std::printf("difference = %.17g\n", global_sum - static_cast<double>(expected));
    ok = ok && global_sum == static_cast<double>(expected);
  } else {
    double serial = 0.0;  // the root adds all N values in index order
    for (double v : x) serial += v;
    const double bound = n * DBL_EPSILON * serial;
    std::printf("serial_sum = %.17g\n", serial);
    std::printf("difference = %.17g\n", global_sum - serial);
    std::printf("roundoff_bound = %.3g\n", bound);
    ok = ok && std::fabs(global_sum - serial) <= bound;
  }
  std::printf("scatter_s = %.6f\nsum_s = %.6f\n", slowest[0], slowest[1]);
  std::printf("time_s = %.6f\n", slowest[2]);
  std::printf("bandwidth_GBps = %.3f\n", 8.0 * n / slowest[2] / 1e9);
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
              "usage: scatter_sum [--n N] [--data index|harmonic] [--help]\n"
              "Scatters N doubles from rank 0 with MPI_Scatterv and sums them in parallel.\n"
              "  --n N        number of values, 1 ... 100000000 (default 10000000)\n"
              "  --data KIND  index: x_i = i, exact sum N(N-1)/2 (default);\n"
              "               harmonic: x_i = 1/(i+1), compared with the serial sum\n");
  // 1e8 keeps N(N-1)/2 = 5.0e15 below 2^53 = 9.0e15 (exact) and every count in an int.
  const long n = opt.integer("--n", 10000000, 1, 100000000);
  const std::string data = opt.text("--data", "index");
  opt.finish();
  if (data != "index" && data != "harmonic")
    fail_all("--data must be index or harmonic, got '" + data + "'");
  const bool exact = data == "index";
  const int root = 0;

  const std::vector<double> x = rank == root ? make_data(n, exact) : std::vector<double>();
  std::vector<int> counts(size, 0), displs(size, 0);
  std::vector<double> local(n / size + 1);  // room for the largest share

  MPI_Barrier(MPI_COMM_WORLD);
  const double t0 = MPI_Wtime();
  scatter_values(x, n, counts, displs, local, rank, root);
  const double t1 = MPI_Wtime();
  double local_sum = 0.0;
  for (int i = 0; i < counts[rank]; ++i) local_sum += local[i];
  const double t2 = MPI_Wtime();
  double global_sum = 0.0;  // the partial sums added up, on the root
  MPI_Reduce(&local_sum, &global_sum, 1, MPI_DOUBLE, MPI_SUM, root, MPI_COMM_WORLD);
  const double t3 = MPI_Wtime();

  // Slowest rank per phase; and each rank's first value, to show who got what.
  double phase[3] = {t1 - t0, t2 - t1, t3 - t0}, slowest[3];
  MPI_Reduce(phase, slowest, 3, MPI_DOUBLE, MPI_MAX, root, MPI_COMM_WORLD);
  const double first = counts[rank] > 0 ? local[0] : -1.0;
  std::vector<double> firsts(rank == root ? size : 0), sums(rank == root ? size : 0);
  MPI_Gather(&first, 1, MPI_DOUBLE, firsts.data(), 1, MPI_DOUBLE, root, MPI_COMM_WORLD);
  MPI_Gather(&local_sum, 1, MPI_DOUBLE, sums.data(), 1, MPI_DOUBLE, root, MPI_COMM_WORLD);

  int passed = 0;  // the root's verdict, then every rank's
  if (rank == root)
    passed = report(x, n, exact, counts, displs, firsts, sums, global_sum, slowest);
  // A failed check fails the run: every rank exits non-zero, not only the root.
  MPI_Bcast(&passed, 1, MPI_INT, root, MPI_COMM_WORLD);
  MPI_Finalize();
  return passed ? 0 : 1;
}
