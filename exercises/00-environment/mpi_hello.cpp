/**
 * @file mpi_hello.cpp
 * @brief Lesson 00: is MPI working?  Every rank says hello; rank 0 counts the
 * ranks and names the MPI library.
 *
 * `mpiexec -n N` starts N copies; each asks MPI who it is (its rank) and how
 * many copies there are (the size), and prints "Hello from rank r / N" (in any
 * order).  Every rank then contributes 1 to a sum on rank 0 (MPI_Reduce), which
 * must come to N: that proves the N copies are one job.  Rank 0 prints the
 * first line of MPI_Get_library_version as `mpi_library`, `size = N`,
 * `ranks_counted = N` and `check = PASS`; a failed check ends the program with
 * exit status 1 on every rank.  Started by the mpiexec of another MPI, the
 * program runs as N separate jobs and prints `size = 1` N times instead.
 * Run: `make run PROG=mpi_hello NP=4`.
 */
#include <mpi.h>

#include <chrono>
#include <cstdio>
#include <string>

#include "cli.hpp"

// The first line of the MPI library's own description ("Open MPI v4.1.4, ...").
static std::string library_name()
{
  char version[MPI_MAX_LIBRARY_VERSION_STRING];
  int length = 0;
  MPI_Get_library_version(version, &length);
  const std::string text(version, length);
  return text.substr(0, text.find('\n'));
}

int main(int argc, char** argv)
{
  // MPI_Init starts MPI in this process; every MPI call comes after it.
  const auto start = std::chrono::steady_clock::now();
  MPI_Init(&argc, &argv);
  const double init_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  Options opt(argc, argv,
              "usage: mpi_hello [--help]\n"
              "Every rank says hello; rank 0 names the MPI library and counts the ranks.\n");
  opt.finish();

  // >>> step 1: who am I, and how many are we?
  // TODO 1: ask MPI for this process's rank in MPI_COMM_WORLD and for the
  //         number of processes in it.  Hint: MPI_Comm_rank, MPI_Comm_size.
  int rank = -1, size = 0;   // placeholders: MPI has not been asked yet
  // <<< step 1

  MPI_Barrier(MPI_COMM_WORLD);
  const double t0 = MPI_Wtime();
  std::printf("Hello from rank %d / %d\n", rank, size);
  std::fflush(stdout);

  // >>> step 2: rank 0 counts the ranks of this job
  // TODO 2: every rank contributes a 1, and rank 0 receives the sum of all
  //         of them in `counted`.  Hint: MPI_Reduce (the operation: a sum).
  int counted = 0;   // placeholder: nobody has counted yet
  // <<< step 2

  // The slowest rank's start-up is the job's start-up.
  double init_max = 0.0;
  MPI_Reduce(&init_s, &init_max, 1, MPI_DOUBLE, MPI_MAX, 0, MPI_COMM_WORLD);
  MPI_Barrier(MPI_COMM_WORLD);
  const double time_s = MPI_Wtime() - t0;

  int pass = 0;   // rank 0's verdict, sent to every rank below
  if (rank == 0) {
    pass = size >= 1 && counted == size;
    std::printf("mpi_library = %s\n", library_name().c_str());
    std::printf("size = %d\n", size);
    std::printf("ranks_counted = %d\n", counted);
    std::printf("check = %s\n", pass ? "PASS" : "FAIL");
    std::printf("init_s = %.4f\n", init_max);
    std::printf("time_s = %.6f\n", time_s);
  }

  // Every rank exits with the same status: 1 when the check failed.
  MPI_Bcast(&pass, 1, MPI_INT, 0, MPI_COMM_WORLD);
  MPI_Finalize();
  return pass ? 0 : 1;
}
