/**
 * @file hello_root.cpp
 * @brief Lesson 02, exercise 2: only one rank (the root, rank 0 unless
 * `--root R`) prints.
 *
 * Output from every rank is noise once there are hundreds of ranks; the usual
 * pattern is that one rank reports.  `--root R` picks the reporting rank and
 * must name a rank that exists: R >= N is refused with one line on every
 * rank count.  The root prints `size = N` and `root = R`.
 * Run: `make run PROG=hello_root NP=4 ARGS="--root 2"`.
 */
#include <mpi.h>

#include <cstdio>
#include <string>

#include "cli.hpp"

int main(int argc, char** argv)
{
  MPI_Init(&argc, &argv);

  int rank = 0, size = 0;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &size);

  Options opt(argc, argv,
              "usage: hello_root [--root R] [--help]\n"
              "Only rank R (default 0) prints.\n");
  const long root = opt.integer("--root", 0, 0, 1L << 30);
  opt.finish();
  if (root >= size)
    fail_all("--root " + std::to_string(root) + " does not exist: ranks are 0.." +
             std::to_string(size - 1));

  // >>> step 4: only the root reports
  if (rank == root) {
    std::printf("Hello world from the root process (rank %d) out of %d processes\n", rank, size);
    std::printf("size = %d\n", size);
    std::printf("root = %ld\n", root);
  }
  // <<< step 4

  MPI_Finalize();
  return 0;
}
