/**
 * @file gather.cpp
 * @brief Lesson 16, bug 2: a wrong count.  The n values 0, 1, ..., n-1 are
 * split over the ranks in blocks; rank 0 collects every block (MPI_Send from
 * each rank, MPI_Recv on rank 0) and checks that it holds 0 .. n-1 in order.
 *
 * The blocks are as even as they can be: n / P values each, and one more on
 * the last n % P ranks, so with n = 1001 they are not all the same size.
 *
 * Run: `make run PROG=gather NP=3`.  Correct: `check = PASS` on 1 to N ranks.
 * A receive posted for fewer values than arrive is an error that MPI itself
 * finds: MPI_ERR_TRUNCATE.  By default MPI stops the whole job on any error
 * (MPI_ERRORS_ARE_FATAL); this program asks for the error code instead
 * (MPI_ERRORS_RETURN) and prints it with MPI_Error_string, rank and call.
 */
#include <mpi.h>

#include <algorithm>
#include <string>
#include <vector>

#include "cli.hpp"

// The block of rank r: its first value and its length.
static long BlockStart(long n, int r, int P) { return r * (n / P) + std::max(0L, r - (P - n % P)); }
static long BlockSize(long n, int r, int P) { return n / P + (r >= P - n % P ? 1 : 0); }

// Rank 0: receive rank r's block into its place in `all`; MPI's error code.
static int ReceiveBlock(std::vector<double>& all, long n, int r, int P)
{
  // >>> step 2: receive rank r's block
  // TODO 2: find and fix.  At NP=2 or 3 MPI stops the run with an error:
  //         read its message (which error, which call, which rank), then
  //         compare the count posted here with what rank r sends.
  //         Hint: BlockSize.
  return MPI_Recv(all.data() + BlockStart(n, r, P), (int)(n / P), MPI_DOUBLE, r, 0, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
  // <<< step 2
}

int main(int argc, char** argv)
{
  MPI_Init(&argc, &argv);
  int rank = 0, size = 0;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN);  // an MPI error: a code, not the end of the job
  Options    opt(argc, argv, "usage: gather [--n VALUES]\n  rank 0 collects the blocks of 0 .. VALUES-1 from every rank\n");
  const long n = opt.integer("--n", 1001, 1, 100000000);
  opt.finish();
  if (n < size) fail_all("--n " + std::to_string(n) + " is less than the number of ranks (" + std::to_string(size) + ")");

  // My block of the values.
  const long          first = BlockStart(n, rank, size), count = BlockSize(n, rank, size);
  std::vector<double> mine((size_t)count);
  for (long i = 0; i < count; ++i) mine[(size_t)i] = (double)(first + i);

  long wrong = 0;
  if (rank == 0) {
    std::vector<double> all((size_t)n, -1.0);
    std::copy(mine.begin(), mine.end(), all.begin());
    for (int r = 1; r < size; ++r) {
      const int rc = ReceiveBlock(all, n, r, size);
      if (rc != MPI_SUCCESS) {
        char text[MPI_MAX_ERROR_STRING];
        int  len = 0;
        MPI_Error_string(rc, text, &len);
        std::fprintf(stderr, "[rank 0] MPI_Recv of rank %d's block failed: %s\n", r, text);
        ++wrong;
      }
    }
    for (long i = 0; i < n; ++i) wrong += all[(size_t)i] != (double)i;
    std::printf("size = %d\nvalues = %ld\nlargest_block = %ld\nsmallest_block = %ld\n", size, n,
                BlockSize(n, size - 1, size), BlockSize(n, 0, size));
  } else {
    MPI_Send(mine.data(), (int)count, MPI_DOUBLE, 0, 0, MPI_COMM_WORLD);
  }
  MPI_Bcast(&wrong, 1, MPI_LONG, 0, MPI_COMM_WORLD);
  if (rank == 0) std::printf("wrong_values = %ld\ncheck = %s\n", wrong, wrong == 0 ? "PASS" : "FAIL");
  MPI_Finalize();
  return wrong == 0 ? 0 : 1;
}
