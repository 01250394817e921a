/**
 * @file ring.cpp
 * @brief Lesson 16, bug 1: a deadlock.  Every rank passes a block of values
 * to its right-hand neighbour around a ring, --steps times.
 *
 * Rank r starts with block r (values 1000 r + i).  After a step, each rank
 * holds the block its left neighbour had; after s steps rank r holds block
 * (r - s) mod P.  Every rank checks the block it ends with.
 *
 * Run: `make run PROG=ring NP=3`.  Correct: `check = PASS` on 1 to N ranks.
 * A run that never ends is found with a timeout and a backtrace of each
 * rank (`./stacks.sh 5 3 ring`: gdb -batch -p PID -ex bt on every rank).
 */
#include <mpi.h>

#include <vector>

#include "cli.hpp"

// Pass `mine` to the right neighbour, and receive the left neighbour's block
// into `incoming`.
static void ShiftRight(const std::vector<double>& mine, std::vector<double>& incoming, int left, int right)
{
  const int n = (int)mine.size();
  // >>> step 1: pass the block one rank to the right
  // Send and receive in one call: MPI pairs them, whatever the order in which
  // the ranks arrive, so no rank waits for a message nobody has sent yet.
  MPI_Sendrecv(mine.data(), n, MPI_DOUBLE, right, 0, incoming.data(), n, MPI_DOUBLE, left, 0, MPI_COMM_WORLD,
               MPI_STATUS_IGNORE);
  // <<< step 1
}

int main(int argc, char** argv)
{
  MPI_Init(&argc, &argv);
  int rank = 0, size = 0;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  Options    opt(argc, argv, "usage: ring [--n VALUES] [--steps S]\n"
                             "  every rank passes a block of VALUES doubles to the right, S times\n");
  const long n     = opt.integer("--n", 1000, 1, 10000000);
  const long steps = opt.integer("--steps", 5, 0, 1000000);
  opt.finish();

  const int           left = (rank + size - 1) % size, right = (rank + 1) % size;
  std::vector<double> block((size_t)n), incoming((size_t)n);
  for (long i = 0; i < n; ++i) block[(size_t)i] = 1000.0 * rank + (double)i;

  MPI_Barrier(MPI_COMM_WORLD);
  const double t0 = MPI_Wtime();
  for (long s = 0; s < steps; ++s) {
    ShiftRight(block, incoming, left, right);
    block.swap(incoming);
  }
  const double time_s = MPI_Wtime() - t0;

  // The block this rank must hold now, and how many values differ from it.
  const long origin = ((rank - steps) % size + size) % size;
  long       wrong = 0, all_wrong = 0;
  for (long i = 0; i < n; ++i) wrong += block[(size_t)i] != 1000.0 * (double)origin + (double)i;
  MPI_Allreduce(&wrong, &all_wrong, 1, MPI_LONG, MPI_SUM, MPI_COMM_WORLD);

  if (rank == 0) {
    std::printf("size = %d\nsteps = %ld\nvalues_per_block = %ld\n", size, steps, n);
    std::printf("wrong_values = %ld\ncheck = %s\ntime_s = %.6f\n", all_wrong, all_wrong == 0 ? "PASS" : "FAIL", time_s);
  }
  MPI_Finalize();
  return all_wrong == 0 ? 0 : 1;
}
