/**
 * @file task_farm.cpp
 * @brief Lesson 03: a task farm.  Rank 0 hands out T ranges of integers,
 * the workers count the primes in them, and rank 0 adds up pi(M).
 *
 * Task k (k = 0..T-1) is the range (kM/T, (k+1)M/T]; together the tasks cover
 * 1..M, so the counts add up to pi(M), the number of primes <= M.  Trial
 * division costs more for larger numbers, so the tasks are not equal.
 * Rank 0 only manages: it sends every worker one task (the tag is the task
 * id), then waits for any result (MPI_ANY_SOURCE, MPI_ANY_TAG).  The status
 * says who finished (MPI_SOURCE) and which task it was (MPI_TAG); that worker
 * gets the next task, or a message with TAG_STOP when none are left.  Fast
 * workers simply take more tasks: the load balances itself.
 * Rank 0 checks the total against a sieve of Eratosthenes (a different
 * algorithm) and that every task came back exactly once: `primes` equals
 * `primes_expected` and `check = PASS` (otherwise `check = FAIL` and exit
 * status 1 on every rank).  Needs at least 2 ranks.
 * Run: `make run PROG=task_farm NP=4 ARGS="--tasks 10"`.
 */
#include <mpi.h>

#include <cstdio>
#include <string>
#include <vector>

#include "cli.hpp"

namespace {
// Task ids are tags.  The MPI standard guarantees tags up to 32767 only
// (MPI_TAG_UB may be larger), so the stop tag is the last of those.
constexpr int TAG_STOP = 32767;
constexpr long MAX_TASKS = TAG_STOP;

bool is_prime(long k)
{
  if (k < 2) return false;
  if (k % 2 == 0) return k == 2;
  for (long d = 3; d * d <= k; d += 2)
    if (k % d == 0) return false;
  return true;
}

// The work unit: primes in (lo, hi] by trial division.
long count_primes(long lo, long hi)
{
  long count = 0;
  for (long k = lo + 1; k <= hi; ++k) count += is_prime(k);
  return count;
}

// The reference: pi(m) by the sieve of Eratosthenes.
long sieve_count(long m)
{
  std::vector<char> composite(m + 1, 0);
  long count = 0;
  for (long k = 2; k <= m; ++k) {
    if (composite[k]) continue;
    ++count;
    for (long q = k * k; q <= m; q += k) composite[q] = 1;
  }
  return count;
}
// What the manager collected: each task's count, how often each task came
// back, and how many tasks each worker did.
struct Farm {
  std::vector<long> result, arrivals, done_by;
};

// >>> step 4: the task farm's messages: hand out, collect, work
// TODO 4: the three places marked 4a, 4b and 4c below.  The manager's
//         bookkeeping and the prime counting are done; the messages are yours.
// Rank 0 hands task k (the range (lo, hi] of 1..limit) to `worker`; the tag is
// the task id.  With no task left (k == tasks) it sends the stop tag instead.
void hand_out(long k, long tasks, long limit, int worker)
{
  if (k < tasks) {
    const long range[2] = {k * limit / tasks, (k + 1) * limit / tasks};
    // TODO 4a: send the two numbers of `range` to `worker`; the tag is the
    //          task id k.  Hint: MPI_Send.
    (void)range;
  } else {
    // TODO 4a: no task is left: send `worker` an empty message (count 0) with
    //          the tag TAG_STOP.  Hint: MPI_Send.
  }
  (void)worker;
}

// Rank 0: one task to every worker, then for every result that comes back
// (from any worker, for any task) the next task to the worker that sent it.
Farm manage(long tasks, long limit, int size)
{
  Farm f{std::vector<long>(tasks, 0), std::vector<long>(tasks, 0), std::vector<long>(size, 0)};
  long next = 0;   // the next task to hand out (next == tasks: none is left)
  auto give_next = [&](int worker) {
    hand_out(next, tasks, limit, worker);
    if (next < tasks) ++next;
  };
  for (int w = 1; w < size; ++w) give_next(w);
  for (long received = 0; received < tasks; ++received) {
    long count = 0;
    MPI_Status status{};
    // TODO 4b: receive one long into `count` from whichever worker is done
    //          first, whatever its tag, keeping the status.  Hint: MPI_Recv,
    //          MPI_ANY_SOURCE, MPI_ANY_TAG.  Then delete the two placeholder
    //          lines, which pretend that worker 1 finished task `received`.
    status.MPI_SOURCE = 1;
    status.MPI_TAG = static_cast<int>(received);
    // The status says who finished (MPI_SOURCE) and which task it was (MPI_TAG).
    f.result[status.MPI_TAG] = count;
    ++f.arrivals[status.MPI_TAG];
    ++f.done_by[status.MPI_SOURCE];
    give_next(status.MPI_SOURCE);
  }
  return f;
}

// A worker: take tasks from rank 0 until the stop tag arrives; send back each
// count with the task id as its tag, so rank 0 knows which task it was.
void work()
{
  for (;;) {
    long range[2] = {0, 0};
    MPI_Status status{};
    // TODO 4c: receive a task (two longs) into `range` from rank 0, whatever
    //          its tag, keeping the status.  Hint: MPI_Recv, MPI_ANY_TAG.  Then
    //          delete the placeholder line, which stops the worker at once.
    status.MPI_TAG = TAG_STOP;
    if (status.MPI_TAG == TAG_STOP) break;
    const long count = count_primes(range[0], range[1]);
    // TODO 4c: send `count` back to rank 0; the tag is the task id, the tag
    //          of the task you received.  Hint: MPI_Send.
    (void)count;
  }
}
// <<< step 4

// Rank 0: add up the counts, compare with the sieve and print; returns the verdict.
bool report(const Farm& f, long tasks, long limit, int size, double time_s)
{
  long primes = 0, bad_tasks = 0, total_done = 0;
  for (long k = 0; k < tasks; ++k) {
    primes += f.result[k];
    if (f.arrivals[k] != 1) ++bad_tasks;
  }
  const long expected = sieve_count(limit);
  for (int w = 1; w < size; ++w) {
    std::printf("worker %d did %ld tasks\n", w, f.done_by[w]);
    total_done += f.done_by[w];
  }
  const bool pass = primes == expected && bad_tasks == 0;
  std::printf("size = %d\n", size);
  std::printf("workers = %d\n", size - 1);
  std::printf("tasks = %ld\n", tasks);
  std::printf("limit = %ld\n", limit);
  std::printf("tasks_done = %ld\n", total_done);
  std::printf("tasks_lost_or_repeated = %ld\n", bad_tasks);
  std::printf("primes = %ld\n", primes);
  std::printf("primes_expected = %ld\n", expected);
  std::printf("time_s = %.6f\n", time_s);
  std::printf("check = %s\n", pass ? "PASS" : "FAIL");
  return pass;
}
}  // namespace

int main(int argc, char** argv)
{
  MPI_Init(&argc, &argv);

  int rank = 0, size = 0;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &size);

  Options opt(argc, argv,
              "usage: task_farm [--tasks T] [--limit M] [--help]\n"
              "Rank 0 splits 1..M (default 2000000) into T tasks (default 40) and hands them\n"
              "to the other ranks, which count the primes in each.  Needs at least 2 ranks.\n");
  const long tasks = opt.integer("--tasks", 40, 1, MAX_TASKS);
  const long limit = opt.integer("--limit", 2000000, 2, 1000000000);
  opt.finish();
  if (size < 2) fail_all("task_farm needs at least 2 ranks (1 manager + workers), got " +
                         std::to_string(size));

  MPI_Barrier(MPI_COMM_WORLD);
  const double t0 = MPI_Wtime();
  int pass = 0;
  if (rank == 0) {
    const Farm f = manage(tasks, limit, size);
    pass = report(f, tasks, limit, size, MPI_Wtime() - t0);
  } else {
    work();
  }

  // Every rank exits with the same status: 1 when the check failed.
  MPI_Bcast(&pass, 1, MPI_INT, 0, MPI_COMM_WORLD);
  MPI_Finalize();
  return pass ? 0 : 1;
}
