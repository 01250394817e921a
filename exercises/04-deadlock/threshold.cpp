/**
 * @file threshold.cpp
 * @brief Lesson 04: find the largest message for which the unsafe exchange
 * (ranks 0 and 1 both MPI_Send, then MPI_Recv) still completes with the MPI
 * in use: its eager threshold.
 *
 * One attempt with B bytes, without ever hanging: on ranks 0 and 1 a helper
 * thread calls the blocking MPI_Send to the partner while the main thread waits
 * up to `--timeout` seconds for it to return.
 *   - It returned: MPI buffered the message; the unsafe exchange completes.
 *   - It did not: the send waits for a matching receive, and in the unsafe
 *     program none would ever come.  Here the main thread "rescues" it by
 *     posting that receive, then joins the helper.
 * Both ranks post the receive in either case (the partner's message has to be
 * received), and combine their verdicts with MPI_Allreduce (MIN): the exchange
 * completes only if both sends returned on their own.  A blocking MPI_Send in
 * one thread while another thread calls MPI_Recv needs MPI_THREAD_MULTIPLE,
 * requested with MPI_Init_thread and checked.
 *
 * Search: B = 1, 2, 4, ... until a size blocks (or `--max-bytes`), then
 * bisection between the last size that completed and the first that blocked.
 * Output: `threshold_bytes` (largest size that completes) and `blocks_at_bytes`
 * (= threshold + 1).  `check = PASS` when every received byte was right, the
 * search ended on two sizes one byte apart and a final re-test (with 4x the
 * timeout for the blocking size) agrees; otherwise `check = FAIL` and exit
 * status 1 on every rank.  Verify it
 * with `deadlock --mode unsafe`: completes at threshold_bytes, hangs at
 * blocks_at_bytes.
 * Run: `make run PROG=threshold NP=2` and `make run PROG=threshold NP=2 MPI=mpich`.
 */
#include <mpi.h>

#include <chrono>
#include <cstdio>
#include <future>
#include <string>
#include <thread>
#include <vector>

#include "cli.hpp"
#include "unsafe_probe.hpp"

namespace {
// The attempts of one search, printed by rank 0; each has a tag of its own, so
// a late message of one attempt cannot be taken for one of the next.
struct Search {
  int rank = 0;
  int tag = 0;
  long bad_total = 0;   // wrong bytes over all attempts and ranks

  bool attempt(long bytes, double wait)
  {
    const Attempt a = try_unsafe(bytes, tag++, wait, rank);
    bad_total += a.bad_bytes;
    if (rank == 0) {
      if (a.completes)
        std::printf("%10ld bytes: completes (MPI_Send returned after %.1e s)\n", bytes, a.send_time);
      else
        std::printf("%10ld bytes: blocks    (no return within %g s; rescued)\n", bytes, wait);
      std::fflush(stdout);
    }
    return a.completes;
  }
};

// Powers of two until a size blocks: afterwards `lo` completes (0 bytes
// trivially) and `hi` blocks (-1: every size up to max_bytes completed).
void bracket(Search& s, double timeout, long max_bytes, long& lo, long& hi)
{
  lo = 0;
  hi = -1;
  for (long b = 1; hi < 0; b *= 2) {
    if (b > max_bytes) b = max_bytes;
    if (s.attempt(b, timeout))
      lo = b;
    else
      hi = b;
    if (b == max_bytes) break;
  }
}

// Bisection: shrink [lo, hi] (lo completes, hi blocks) until they are one
// byte apart; then lo is the threshold.
void bisect(Search& s, double timeout, long& lo, long& hi)
{
  // >>> step 4: halve the interval until its ends are one byte apart
  // TODO 4: bisection.  While a blocking size is known (hi > 0) and hi - lo > 1,
  //         try the size halfway between lo and hi with s.attempt(mid, timeout)
  //         and move lo (it completed) or hi (it blocked) there.  As given the
  //         search stops at two powers of two and the check fails.
  // <<< step 4
}

}  // namespace

int main(int argc, char** argv)
{
  int provided = MPI_THREAD_SINGLE;
  MPI_Init_thread(&argc, &argv, MPI_THREAD_MULTIPLE, &provided);

  int rank = 0, size = 0;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &size);

  Options opt(argc, argv,
              "usage: threshold [--timeout S] [--max-bytes B] [--help]\n"
              "Largest message for which 'both ranks MPI_Send first' still completes.\n"
              "  --timeout S     seconds to wait for a send before calling it blocked (0.5)\n"
              "  --max-bytes B   largest size tried (16777216)\n"
              "Needs at least 2 ranks (ranks 0 and 1 exchange) and MPI_THREAD_MULTIPLE.\n");
  const double timeout = opt.real("--timeout", 0.5, 0.01, 60.0);
  const long max_bytes = opt.integer("--max-bytes", 1L << 24, 1, 1L << 28);
  opt.finish();
  if (size < 2)
    fail_all("the exchange needs at least 2 ranks, got " + std::to_string(size) +
             " (run with NP=2)");
  if (provided < MPI_THREAD_MULTIPLE)
    fail_all(std::string("this MPI provides only ") + level_name(provided) +
             ", the threshold search needs MPI_THREAD_MULTIPLE");

  Search s;
  s.rank = rank;
  MPI_Barrier(MPI_COMM_WORLD);
  const double t0 = MPI_Wtime();
  long lo = 0, hi = -1;
  bracket(s, timeout, max_bytes, lo, hi);
  bisect(s, timeout, lo, hi);

  // Re-test both ends; the blocking one with a longer timeout, so that a busy
  // machine (a slow but buffered send) cannot pass for a blocking one.
  bool confirmed = lo == 0 || s.attempt(lo, timeout);
  if (hi > 0) confirmed = !s.attempt(hi, 4 * timeout) && confirmed;
  const double elapsed = MPI_Wtime() - t0;
  // Every rank saw the same (all-reduced) attempts: the same verdict everywhere.
  const bool converged = hi < 0 || hi - lo == 1;
  const bool pass = s.bad_total == 0 && confirmed && converged;

  if (rank == 0) {
    std::printf("mpi_library = %s\n", library_name().c_str());
    std::printf("thread_level = %s\n", level_name(provided));
    std::printf("size = %d\n", size);
    std::printf("attempts = %d\n", s.tag);
    std::printf("threshold_bytes = %ld\n", lo);
    if (hi > 0)
      std::printf("blocks_at_bytes = %ld\n", hi);
    else
      std::printf("blocks_at_bytes = none (every size up to %ld completed)\n", max_bytes);
    std::printf("mismatches = %ld\n", s.bad_total);
    std::printf("time_s = %.3f\n", elapsed);
    std::printf("check = %s\n", pass ? "PASS" : "FAIL");
  }

  MPI_Finalize();
  return pass ? 0 : 1;
}
