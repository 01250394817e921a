/**
 * @file hello.cpp
 * @brief Lesson 02: every rank says hello with its rank, the size of
 * MPI_COMM_WORLD and the node (processor name) it runs on.
 *
 * Each MPI process is a separate copy of this program; MPI_Comm_rank tells a
 * copy who it is and MPI_Comm_size how many copies there are.  The greetings
 * arrive in whatever order the processes reach their printf.  Rank 0 then
 * collects one number from every rank (MPI_Reduce of the ranks) and prints
 * `size = N` and `rank_sum = N(N-1)/2`, which proves that N processes of one
 * job took part (N separate one-rank jobs would each print `size = 1`);
 * `check = FAIL` ends the program with exit status 1 on every rank.
 * Build and run: `make && make run NP=4`.
 */
#include <mpi.h>

#include <cstdio>
#include <string>

#include "cli.hpp"

int main(int argc, char** argv)
{
  MPI_Init(&argc, &argv);

  Options opt(argc, argv,
              "usage: hello [--help]\n"
              "Every rank prints its rank, the number of ranks and its host.\n");
  opt.finish();

  // >>> step 1: who am I, and how many are we?
  // TODO 1: ask MPI for this process's rank in MPI_COMM_WORLD and for the
  //         number of processes in it.  Hint: MPI_Comm_rank, MPI_Comm_size.
  int rank = -1, size = 0;   // placeholders: MPI has not been asked yet
  // <<< step 1

  // >>> step 2: on which node do I run?
  // TODO 2: fill `host` with the name of the node this rank runs on.
  //         Hint: MPI_Get_processor_name.
  char host[MPI_MAX_PROCESSOR_NAME] = "unknown";
  // <<< step 2

  MPI_Barrier(MPI_COMM_WORLD);
  const double t0 = MPI_Wtime();

  std::printf("Hello from rank %d of %d on %s\n", rank, size, host);
  std::fflush(stdout);

  // Every rank contributes its rank; only rank 0 receives the total.
  long my_rank = rank, rank_sum = 0;
  MPI_Reduce(&my_rank, &rank_sum, 1, MPI_LONG, MPI_SUM, 0, MPI_COMM_WORLD);
  const double elapsed = MPI_Wtime() - t0;

  int pass = 0;   // rank 0's verdict, sent to every rank below
  if (rank == 0) {
    char version[MPI_MAX_LIBRARY_VERSION_STRING];
    int version_len = 0;
    MPI_Get_library_version(version, &version_len);
    std::string first_line(version, version_len);
    first_line = first_line.substr(0, first_line.find('\n'));

    const long expected = static_cast<long>(size) * (size - 1) / 2;
    std::printf("mpi_library = %s\n", first_line.c_str());
    std::printf("size = %d\n", size);
    std::printf("rank_sum = %ld\n", rank_sum);
    std::printf("rank_sum_expected = %ld\n", expected);
    pass = rank_sum == expected;
    std::printf("check = %s\n", pass ? "PASS" : "FAIL");
    std::printf("time_s = %.6f\n", elapsed);
  }

  // Every rank exits with the same status: 1 when the check failed.
  MPI_Bcast(&pass, 1, MPI_INT, 0, MPI_COMM_WORLD);
  MPI_Finalize();
  return pass ? 0 : 1;
}
