/**
 * @file nonblocking.cpp
 * @brief Lesson 03: pass arrays around a ring with MPI_Irecv, MPI_Isend and
 * MPI_Waitall, and add up what goes by.
 *
 * Rank r owns the array a_r[j] = r n + j (j = 0..n-1).  In each of N steps
 * (N ranks) every rank sends the array it holds to rank r+1 and receives a new
 * one from rank r-1 (modulo N).  Both calls return at once; MPI_Waitall waits
 * for both, so no rank can block another and the ring cannot deadlock, even
 * with one rank sending to itself (NP=1).  While the messages travel, a rank
 * may compute on data it is not sending or receiving into.
 * After N-1 steps every rank has seen every array, so its running sum is
 *   s[j] = sum_r (r n + j) = n N(N-1)/2 + N j,
 * and after step N it holds its own array again.  Every rank checks both
 * exactly; rank 0 prints the number of wrong entries (`mismatches = 0`),
 * `max_error = 0` and `check = PASS` (otherwise `check = FAIL` and exit status
 * 1 on every rank).  Run: `make run PROG=nonblocking NP=4`.
 */
#include <mpi.h>

#include <cmath>
#include <cstdio>
#include <utility>
#include <vector>

#include "cli.hpp"

namespace {
constexpr int TAG_RING = 7;

// One step of the ring: send the array this rank holds to the right
// neighbour and receive the left neighbour's into `incoming`, both at once.
void pass_along(std::vector<double>& held, std::vector<double>& incoming, int left, int right)
{
  // >>> step 3: send to the right and receive from the left without blocking
  MPI_Request requests[2];
  // Post the receive first so the incoming message has somewhere to land.
  MPI_Irecv(incoming.data(), static_cast<int>(incoming.size()), MPI_DOUBLE, left, TAG_RING,
            MPI_COMM_WORLD, &requests[0]);
  MPI_Isend(held.data(), static_cast<int>(held.size()), MPI_DOUBLE, right, TAG_RING,
            MPI_COMM_WORLD, &requests[1]);
  // Neither buffer may be touched until the requests complete: `held` may
  // still be read by MPI, `incoming` is still being written.
  MPI_Waitall(2, requests, MPI_STATUSES_IGNORE);
  // <<< step 3
}

// What the check found on this rank: wrong entries and the largest error.
struct Errors {
  long mismatches = 0;
  double max_error = 0.0;
};

// Exact checks (every value is an integer below 2^53): the running sum is
// s[j] = n N(N-1)/2 + N j, and the array that came home is the rank's own.
Errors check_ring(const std::vector<double>& sum, const std::vector<double>& held,
                  const std::vector<double>& mine, int size)
{
  const double nn = static_cast<double>(sum.size()), nranks = size;
  Errors e;
  for (std::size_t j = 0; j < sum.size(); ++j) {
    const double expected = nn * nranks * (nranks - 1) / 2 + nranks * j;
    const double d = std::fabs(sum[j] - expected);
    e.max_error = std::fmax(e.max_error, d);
    if (d != 0.0) ++e.mismatches;
    if (held[j] != mine[j]) ++e.mismatches;   // the array came home unchanged
  }
  return e;
}
}  // namespace

int main(int argc, char** argv)
{
  MPI_Init(&argc, &argv);

  int rank = 0, size = 0;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &size);

  Options opt(argc, argv,
              "usage: nonblocking [--n N] [--help]\n"
              "Every rank passes an array of N doubles (default 1000) once around the ring\n"
              "with MPI_Isend/MPI_Irecv/MPI_Waitall and sums what it sees.  Any number of ranks.\n");
  const long n = opt.integer("--n", 1000, 1, 10000000);
  opt.finish();

  const int right = (rank + 1) % size;         // where my array goes
  const int left = (rank - 1 + size) % size;   // where the next one comes from

  std::vector<double> mine(n), incoming(n, 0.0);
  for (long j = 0; j < n; ++j) mine[j] = static_cast<double>(rank) * n + j;
  std::vector<double> held = mine, sum = mine;

  MPI_Barrier(MPI_COMM_WORLD);
  const double t0 = MPI_Wtime();
  for (int step = 1; step <= size; ++step) {
    pass_along(held, incoming, left, right);
    std::swap(held, incoming);   // what arrived is what this rank holds now
    if (step < size)
      for (long j = 0; j < n; ++j) sum[j] += held[j];
  }
  const double t1 = MPI_Wtime();

  const Errors e = check_ring(sum, held, mine, size);
  long all_mismatches = 0;
  double all_max_error = 0.0, time_s = t1 - t0, max_time = 0.0;
  MPI_Allreduce(&e.mismatches, &all_mismatches, 1, MPI_LONG, MPI_SUM, MPI_COMM_WORLD);
  MPI_Reduce(&e.max_error, &all_max_error, 1, MPI_DOUBLE, MPI_MAX, 0, MPI_COMM_WORLD);
  MPI_Reduce(&time_s, &max_time, 1, MPI_DOUBLE, MPI_MAX, 0, MPI_COMM_WORLD);

  const double nn = static_cast<double>(n), nranks = size;
  if (rank == 0) {
    std::printf("Each rank passed %ld doubles around a ring of %d ranks in %d steps\n", n, size,
                size);
    std::printf("size = %d\n", size);
    std::printf("n = %ld\n", n);
    std::printf("steps = %d\n", size);
    std::printf("sum0 = %.17g\n", sum[0]);   // s[0] on rank 0 = n N(N-1)/2
    std::printf("sum0_expected = %.17g\n", nn * nranks * (nranks - 1) / 2);
    std::printf("mismatches = %ld\n", all_mismatches);
    std::printf("max_error = %.3g\n", all_max_error);
    std::printf("time_s = %.6f\n", max_time);
    std::printf("check = %s\n", all_mismatches == 0 ? "PASS" : "FAIL");
  }

  // Every rank knows the total (MPI_Allreduce) and exits with the same status.
  MPI_Finalize();
  return all_mismatches == 0 ? 0 : 1;
}
