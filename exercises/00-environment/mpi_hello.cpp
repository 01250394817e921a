/**
 * @file mpi_hello.cpp
 * @brief Lesson 00 exercise: is MPI working?  Every rank says hello; rank 0
 * names the MPI library.
 *
 * As given, every rank greets, but rank 0 cannot name the MPI library and
 * counts only itself, so `check = FAIL` on more than one rank.  Fill in the
 * TODOs; `make verify` and `make check` then tell you whether it works.
 *
 * `mpiexec -n N` starts N copies; each prints "Hello from rank r / N" (in
 * any order).  Every rank then contributes 1 to a sum on rank 0
 * (MPI_Reduce), which must come to N: that proves the N copies are one job.
 * Rank 0 prints the first line of MPI_Get_library_version as `mpi_library`,
 * `size = N`, `ranks_counted = N` and `check = PASS`.  Started by the
 * mpiexec of another MPI, the program runs as N separate jobs and prints
 * `size = 1` N times instead.
 * Run: `make run PROG=mpi_hello NP=4`.
 */
#include <mpi.h>

#include <chrono>
#include <cstdio>
#include <string>

#include "cli.hpp"

int main(int argc, char** argv)
{
  const auto start = std::chrono::steady_clock::now();
  MPI_Init(&argc, &argv);
  const double init_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  Options opt(argc, argv,
              "usage: mpi_hello [--help]\n"
              "Every rank says hello; rank 0 names the MPI library and counts the ranks.\n");
  opt.finish();

  int rank = 0, size = 0;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &size);

  MPI_Barrier(MPI_COMM_WORLD);
  const double t0 = MPI_Wtime();

  std::printf("Hello from rank %d / %d\n", rank, size);
  std::fflush(stdout);

  // Every rank adds 1: rank 0 receives the number of ranks in this job.
  int one = 1, counted = 1;
  // TODO: replace `counted = 1` by a sum over all ranks: MPI_Reduce of `one`
  //       into `counted` with MPI_SUM, result on rank 0 (MPI_INT, MPI_COMM_WORLD).
  (void)one;

  // The slowest rank's start-up is the job's start-up.
  double init_max = 0.0;
  MPI_Reduce(&init_s, &init_max, 1, MPI_DOUBLE, MPI_MAX, 0, MPI_COMM_WORLD);

  MPI_Barrier(MPI_COMM_WORLD);
  const double time_s = MPI_Wtime() - t0;

  if (rank == 0) {
    std::string library = "unknown";
    // TODO: ask MPI which library this is: MPI_Get_library_version(version, &length)
    //       with `char version[MPI_MAX_LIBRARY_VERSION_STRING]`; keep its first line.

    std::printf("mpi_library = %s\n", library.c_str());
    std::printf("size = %d\n", size);
    std::printf("ranks_counted = %d\n", counted);
    std::printf("check = %s\n", counted == size ? "PASS" : "FAIL");
    std::printf("init_s = %.4f\n", init_max);
    std::printf("time_s = %.6f\n", time_s);
  }

  MPI_Finalize();
  return 0;
}
