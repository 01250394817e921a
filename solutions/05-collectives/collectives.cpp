/**
 * @file collectives.cpp
 * @brief Lesson 05: the basic collectives, each one checked: MPI_Bcast,
 * MPI_Scatter, MPI_Gather, MPI_Reduce, MPI_Allreduce and MPI_Barrier.
 *
 * A collective is one call that every rank of the communicator makes; MPI
 * moves the data.  The root (rank 0, or `--root R`) plays the special part in
 * the rooted ones:
 *   - Bcast:     the root's message and 4 parameters p_k = 1000 R + k + 0.25
 *                reach every rank;
 *   - Scatter:   the root hands rank i the work item w_i = 10 (i + 1);
 *   - Gather:    rank i returns w_i², the root collects them in rank order;
 *   - Reduce:    sum and max of the ranks, at the root: N(N-1)/2 and N-1;
 *   - Allreduce: the same sum and max, now on every rank;
 *   - Barrier:   rank r sleeps r * 50 ms first, so rank 0 waits about
 *                (N-1) * 50 ms inside the barrier for the last rank.
 * Every rank checks what it received against the formula; the root prints
 * `size = N`, `root = R` and one `*_check = PASS` per step.
 * Run: `make run NP=4` or `make run NP=4 ARGS="--root 3"`.
 */
#include <mpi.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

#include "cli.hpp"

// All ranks pass their own verdict; the root learns whether every rank passed.
static bool all_passed(bool mine, int root)
{
  int ok = mine ? 1 : 0, all = 0;
  MPI_Reduce(&ok, &all, 1, MPI_INT, MPI_MIN, root, MPI_COMM_WORLD);
  return all == 1;  // meaningful on the root only
}

static const char* verdict(bool ok) { return ok ? "PASS" : "FAIL"; }

int main(int argc, char** argv)
{
  MPI_Init(&argc, &argv);

  int rank = 0, size = 0;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &size);

  Options opt(argc, argv,
              "usage: collectives [--root R] [--help]\n"
              "Broadcast, scatter, gather, reduce, allreduce and barrier, each checked.\n"
              "  --root R   the rank that broadcasts, scatters and collects (default 0)\n");
  const int root = static_cast<int>(opt.integer("--root", 0, 0, 1L << 30));
  opt.finish();
  if (root >= size)
    fail_all("--root " + std::to_string(root) + " does not exist: ranks are 0.." +
             std::to_string(size - 1));

  // The main phase, steps 1-5, is timed (the barrier demo of step 6 sleeps).
  MPI_Barrier(MPI_COMM_WORLD);
  const double t0 = MPI_Wtime();

  // ---- 1. Broadcast: one message and four numbers from the root to all -------
  // Only the root fills the buffers; everyone else passes buffers of the same
  // size for MPI to fill.  Note that every rank makes the same call.
  char message[64] = {0};
  std::vector<double> params(4, 0.0);
  if (rank == root) {
    std::snprintf(message, sizeof message, "Hello from the root process (rank %d)", root);
    for (int k = 0; k < 4; ++k) params[k] = 1000.0 * root + k + 0.25;
  }
  MPI_Bcast(message, sizeof message, MPI_CHAR, root, MPI_COMM_WORLD);
  MPI_Bcast(params.data(), 4, MPI_DOUBLE, root, MPI_COMM_WORLD);

  std::printf("Process %d received: \"%s\" and p = %g %g %g %g\n", rank, message, params[0],
              params[1], params[2], params[3]);
  std::fflush(stdout);
  char expected_message[64] = {0};
  std::snprintf(expected_message, sizeof expected_message,
                "Hello from the root process (rank %d)", root);
  bool bcast_ok = std::strcmp(message, expected_message) == 0;
  for (int k = 0; k < 4; ++k) bcast_ok = bcast_ok && params[k] == 1000.0 * root + k + 0.25;
  const bool bcast_all = all_passed(bcast_ok, root);

  // ---- 2. Scatter: a different item for every rank ---------------------------
  // The send buffer matters only on the root (size items, one per rank); on
  // the other ranks it may be empty.
  std::vector<long> work;
  if (rank == root) {
    work.resize(size);
    for (int i = 0; i < size; ++i) work[i] = 10L * (i + 1);
  }
  long my_item = -1;
  MPI_Scatter(work.data(), 1, MPI_LONG, &my_item, 1, MPI_LONG, root, MPI_COMM_WORLD);
  const bool scatter_all = all_passed(my_item == 10L * (rank + 1), root);

  // ---- 3. Gather: every rank's result back to the root, in rank order --------
  const long my_result = my_item * my_item;
  std::vector<long> results(rank == root ? size : 0);
  MPI_Gather(&my_result, 1, MPI_LONG, results.data(), 1, MPI_LONG, root, MPI_COMM_WORLD);
  bool gather_ok = true;
  if (rank == root)
    for (int i = 0; i < size; ++i) gather_ok = gather_ok && results[i] == 100L * (i + 1) * (i + 1);

  // ---- 4. Reduce: combine one value per rank, result on the root only --------
  // On the other ranks the receive buffer is not touched.
  const long my_rank = rank;
  long reduce_sum = -1, reduce_max = -1;
  MPI_Reduce(&my_rank, &reduce_sum, 1, MPI_LONG, MPI_SUM, root, MPI_COMM_WORLD);
  MPI_Reduce(&my_rank, &reduce_max, 1, MPI_LONG, MPI_MAX, root, MPI_COMM_WORLD);

  // ---- 5. Allreduce: the same, but every rank gets the result ----------------
  long allreduce_sum = -1, allreduce_max = -1;
  MPI_Allreduce(&my_rank, &allreduce_sum, 1, MPI_LONG, MPI_SUM, MPI_COMM_WORLD);
  MPI_Allreduce(&my_rank, &allreduce_max, 1, MPI_LONG, MPI_MAX, MPI_COMM_WORLD);
  const long n = size, sum_expected = n * (n - 1) / 2, max_expected = n - 1;
  const bool allreduce_all =
      all_passed(allreduce_sum == sum_expected && allreduce_max == max_expected, root);

  const double elapsed = MPI_Wtime() - t0;

  // ---- 6. Barrier: nobody leaves before everybody has arrived ----------------
  // Rank r arrives r * 50 ms late, so rank 0 waits about (N-1) * 50 ms.  Each
  // rank measures its own wait on its own clock; the check allows half of
  // the expected wait for a rank that leaves the first barrier late.
  const double delay = 0.050;
  MPI_Barrier(MPI_COMM_WORLD);
  std::this_thread::sleep_for(std::chrono::duration<double>(rank * delay));
  const double t_arrive = MPI_Wtime();
  MPI_Barrier(MPI_COMM_WORLD);
  const double my_wait = MPI_Wtime() - t_arrive;
  std::vector<double> waits(rank == root ? size : 0);
  MPI_Gather(&my_wait, 1, MPI_DOUBLE, waits.data(), 1, MPI_DOUBLE, root, MPI_COMM_WORLD);

  int passed = 0;  // the root's verdict, then every rank's
  if (rank == root) {
    std::printf("gathered results:");
    for (long r : results) std::printf(" %ld", r);
    std::printf("\nbarrier wait per rank (ms):");
    for (double w : waits) std::printf(" %.1f", 1e3 * w);
    std::printf("\n");
    const bool barrier_ok = waits[0] >= 0.5 * (size - 1) * delay;

    std::printf("size = %d\n", size);
    std::printf("root = %d\n", root);
    std::printf("bcast_check = %s\n", verdict(bcast_all));
    std::printf("scatter_check = %s\n", verdict(scatter_all));
    std::printf("gather_check = %s\n", verdict(gather_ok));
    std::printf("reduce_sum = %ld\n", reduce_sum);
    std::printf("reduce_max = %ld\n", reduce_max);
    std::printf("reduce_check = %s\n",
                verdict(reduce_sum == sum_expected && reduce_max == max_expected));
    std::printf("allreduce_sum = %ld\n", allreduce_sum);
    std::printf("allreduce_max = %ld\n", allreduce_max);
    std::printf("allreduce_check = %s\n", verdict(allreduce_all));
    std::printf("barrier_wait_rank0_s = %.3f\n", waits[0]);
    std::printf("barrier_check = %s\n", verdict(barrier_ok));
    const bool all = bcast_all && scatter_all && gather_ok && reduce_sum == sum_expected &&
                     reduce_max == max_expected && allreduce_all && barrier_ok;
    std::printf("check = %s\n", verdict(all));
    std::printf("time_s = %.6f\n", elapsed);
    passed = all;
  }

  // A failed check fails the run: every rank exits non-zero, not only the root.
  MPI_Bcast(&passed, 1, MPI_INT, root, MPI_COMM_WORLD);
  MPI_Finalize();
  return passed ? 0 : 1;
}
