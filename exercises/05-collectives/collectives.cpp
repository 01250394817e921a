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
 * `size = N`, `root = R` and one `*_check = PASS` per step, then `check`.
 * A failed check ends every rank with exit status 1.
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

// ---- 1. Broadcast: one message and four numbers from the root to all --------
// Only the root fills the buffers; everyone else passes buffers of the same
// size for MPI to fill.  Every rank makes the same call.  True on every rank
// that received the right data.
static bool broadcast(int rank, int root)
{
  char message[64] = {0}, expected[64] = {0};
  std::snprintf(expected, sizeof expected, "Hello from the root process (rank %d)", root);
  std::vector<double> params(4, 0.0);
  if (rank == root) {
    std::strcpy(message, expected);
    for (int k = 0; k < 4; ++k) params[k] = 1000.0 * root + k + 0.25;
  }
  // >>> step 1: broadcast the message and the parameters from the root
  // TODO 1: send `message` and then `params` from the root to every rank:
  //         every rank makes the same call; the root's buffers are sent, the
  //         others' are filled.  Hint: MPI_Bcast (once per buffer).
  // <<< step 1

  std::printf("Process %d received: \"%s\" and p = %g %g %g %g\n", rank, message, params[0],
              params[1], params[2], params[3]);
  std::fflush(stdout);
  bool ok = std::strcmp(message, expected) == 0;
  for (int k = 0; k < 4; ++k) ok = ok && params[k] == 1000.0 * root + k + 0.25;
  return ok;
}

// ---- 2. Scatter and gather: a different item for every rank, and back ------
// The root deals rank i the item w_i = 10 (i + 1) (`work` matters on the root
// only); each rank squares its item; the root collects the squares in rank
// order into `results`.  Returns this rank's item.
static long scatter_gather(const std::vector<long>& work, std::vector<long>& results, int root)
{
  long my_item = -1;
  // >>> step 2: deal out one item per rank; collect the squares on the root
  // TODO 2: the root deals one item of `work` to each rank, into my_item;
  //         each rank squares its item; the root collects the squares in
  //         rank order into `results`.  Hint: MPI_Scatter, then MPI_Gather.
  // <<< step 2
  return my_item;
}

// ---- 3. Reduce and allreduce: one value per rank, combined -------------------
// Sum and max of the ranks: with MPI_Reduce on the root only (elsewhere the
// result is not touched), with MPI_Allreduce on every rank.
struct Reductions {
  long reduce_sum = -1, reduce_max = -1, allreduce_sum = -1, allreduce_max = -1;
};

static Reductions reduce_ranks(int rank, int root)
{
  Reductions r;
  // >>> step 3: sum and max of the ranks, on the root, then on every rank
  // TODO 3: the sum and the max of the ranks (each rank gives its own rank):
  //         into r.reduce_sum and r.reduce_max on the root only, then into
  //         r.allreduce_sum and r.allreduce_max on every rank.
  //         Hint: MPI_Reduce, MPI_Allreduce, with MPI_SUM and MPI_MAX.
  // <<< step 3
  return r;
}

// ---- 4. Barrier: nobody leaves before everybody has arrived ----------------
// Rank r arrives r * `delay` late, so rank 0 waits about (N-1) * delay.  Each
// rank measures its own wait on its own clock; returns it.
static double barrier_wait(int rank, double delay)
{
  MPI_Barrier(MPI_COMM_WORLD);  // start together
  std::this_thread::sleep_for(std::chrono::duration<double>(rank * delay));
  const double t_arrive = MPI_Wtime();
  // >>> step 4: wait here until every rank has arrived
  // TODO 4: wait here until every rank has arrived.  Hint: MPI_Barrier.
  // <<< step 4
  return MPI_Wtime() - t_arrive;
}

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

  // The main phase, steps 1-3, is timed (the barrier demo of step 4 sleeps).
  MPI_Barrier(MPI_COMM_WORLD);
  const double t0 = MPI_Wtime();
  const bool bcast_all = all_passed(broadcast(rank, root), root);

  std::vector<long> work(rank == root ? size : 0), results(rank == root ? size : 0);
  for (int i = 0; i < static_cast<int>(work.size()); ++i) work[i] = 10L * (i + 1);
  const long my_item = scatter_gather(work, results, root);
  const bool scatter_all = all_passed(my_item == 10L * (rank + 1), root);
  bool gather_ok = true;
  for (int i = 0; i < static_cast<int>(results.size()); ++i)
    gather_ok = gather_ok && results[i] == 100L * (i + 1) * (i + 1);

  const Reductions r = reduce_ranks(rank, root);
  const long n = size, sum_expected = n * (n - 1) / 2, max_expected = n - 1;
  const bool reduce_ok = r.reduce_sum == sum_expected && r.reduce_max == max_expected;
  const bool allreduce_all =
      all_passed(r.allreduce_sum == sum_expected && r.allreduce_max == max_expected, root);
  const double elapsed = MPI_Wtime() - t0;

  const double delay = 0.050, my_wait = barrier_wait(rank, delay);
  std::vector<double> waits(rank == root ? size : 0);
  MPI_Gather(&my_wait, 1, MPI_DOUBLE, waits.data(), 1, MPI_DOUBLE, root, MPI_COMM_WORLD);

  int passed = 0;  // the root's verdict, then every rank's
  if (rank == root) {
    std::printf("gathered results:");
    for (long x : results) std::printf(" %ld", x);
    std::printf("\nbarrier wait per rank (ms):");
    for (double w : waits) std::printf(" %.1f", 1e3 * w);
    // Rank 0 waits for the last rank; half the expected wait allows for a
    // rank that leaves the first barrier late.
    const bool barrier_ok = waits[0] >= 0.5 * (size - 1) * delay;
    std::printf("\nsize = %d\nroot = %d\n", size, root);
    std::printf("bcast_check = %s\n", verdict(bcast_all));
    std::printf("scatter_check = %s\n", verdict(scatter_all));
    std::printf("gather_check = %s\n", verdict(gather_ok));
    std::printf("reduce_sum = %ld\nreduce_max = %ld\n", r.reduce_sum, r.reduce_max);
    std::printf("reduce_check = %s\n", verdict(reduce_ok));
    std::printf("allreduce_sum = %ld\nallreduce_max = %ld\n", r.allreduce_sum, r.allreduce_max);
    std::printf("allreduce_check = %s\n", verdict(allreduce_all));
    std::printf("barrier_wait_rank0_s = %.3f\n", waits[0]);
    std::printf("barrier_check = %s\n", verdict(barrier_ok));
    passed = bcast_all && scatter_all && gather_ok && reduce_ok && allreduce_all && barrier_ok;
    std::printf("check = %s\ntime_s = %.6f\n", verdict(passed), elapsed);
  }

  // A failed check fails the run: every rank exits non-zero, not only the root.
  MPI_Bcast(&passed, 1, MPI_INT, root, MPI_COMM_WORLD);
  MPI_Finalize();
  return passed ? 0 : 1;
}
