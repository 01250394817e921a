/**
 * @file hello.cpp
 * @brief Lesson 02 exercise: make every rank say who it is.
 *
 * As given, every copy of the program prints the same "Hello world" and rank 0
 * cannot report how many copies ran.  Fill in the TODOs: ask MPI for this
 * process's rank and the communicator's size, and for the processor name.
 * When you are done, `make check` runs the lesson's tests on your build.
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

  int rank = 0, size = 1;
  // TODO: set `rank` with MPI_Comm_rank and `size` with MPI_Comm_size
  //       (communicator MPI_COMM_WORLD).

  char host[MPI_MAX_PROCESSOR_NAME] = "unknown";
  // TODO: fill `host` with MPI_Get_processor_name(host, &length).

  std::printf("Hello world\n");
  // TODO: print "Hello from rank R of N on HOST" instead.
  std::fflush(stdout);

  // Every rank contributes its rank; only rank 0 receives the total.
  long my_rank = rank, rank_sum = 0;
  MPI_Reduce(&my_rank, &rank_sum, 1, MPI_LONG, MPI_SUM, 0, MPI_COMM_WORLD);

  if (rank == 0) {
    const long expected = static_cast<long>(size) * (size - 1) / 2;
    std::printf("size = %d\n", size);
    std::printf("rank_sum = %ld\n", rank_sum);
    std::printf("rank_sum_expected = %ld\n", expected);
    std::printf("check = %s\n", rank_sum == expected ? "PASS" : "FAIL");
  }
  (void)host;

  MPI_Finalize();
  return 0;
}
