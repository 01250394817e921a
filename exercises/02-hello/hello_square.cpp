/**
 * @file hello_square.cpp
 * @brief Lesson 02, exercise 1: every rank prints its rank and the square of
 * its rank.
 *
 * The rank is the only thing that differs between the copies of the program,
 * so anything a rank computes from it is that rank's share of the work.  Rank 0
 * adds up the squares with MPI_Reduce and compares the total with the closed
 * form 0² + 1² + ... + (N-1)² = (N-1)N(2N-1)/6, printed as `square_sum` and
 * `square_sum_expected`; `check = FAIL` ends the program with exit status 1 on
 * every rank.  Run: `make run PROG=hello_square NP=4`.
 */
#include <mpi.h>

#include <cstdio>

#include "cli.hpp"

int main(int argc, char** argv)
{
  MPI_Init(&argc, &argv);

  Options opt(argc, argv,
              "usage: hello_square [--help]\n"
              "Every rank prints its rank and its rank squared.\n");
  opt.finish();

  int rank = 0, size = 0;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &size);

  // >>> step 3: each rank's share of the work
  // TODO 3: compute this rank's value, the square of its rank (a long: the
  //         square of a large rank does not fit an int).
  const long square = 0;
  // <<< step 3
  std::printf("Process %d of %d has value %ld\n", rank, size, square);
  std::fflush(stdout);

  MPI_Barrier(MPI_COMM_WORLD);
  const double t0 = MPI_Wtime();
  long square_sum = 0;
  MPI_Reduce(&square, &square_sum, 1, MPI_LONG, MPI_SUM, 0, MPI_COMM_WORLD);
  const double elapsed = MPI_Wtime() - t0;

  int pass = 0;   // rank 0's verdict, sent to every rank below
  if (rank == 0) {
    const long n = size;
    const long expected = (n - 1) * n * (2 * n - 1) / 6;
    std::printf("size = %d\n", size);
    std::printf("square_sum = %ld\n", square_sum);
    std::printf("square_sum_expected = %ld\n", expected);
    pass = square_sum == expected;
    std::printf("check = %s\n", pass ? "PASS" : "FAIL");
    std::printf("time_s = %.6f\n", elapsed);
  }

  // Every rank exits with the same status: 1 when the check failed.
  MPI_Bcast(&pass, 1, MPI_INT, 0, MPI_COMM_WORLD);
  MPI_Finalize();
  return pass ? 0 : 1;
}
