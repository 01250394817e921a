/**
 * @file threshold.cpp
 * @brief Lesson 04 exercise: find the largest message for which the unsafe exchange
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
 * Search: B = 1, 2, 4, ... until a size blocks (or `--max-bytes`).  As given
 * that is all, so the answer is only known to a factor of two.  Fill in the
 * TODO: bisect between the last size that completed and the first that
 * blocked, until they differ by one byte.  Grade: `make check`.
 * Output: `threshold_bytes` (largest size that completes) and `blocks_at_bytes`
 * (= threshold + 1).  `check = PASS` when every received byte was right and a
 * final re-test (with 4x the timeout for the blocking size) agrees.  Verify it
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

// Result of one attempt.
struct Attempt {
  bool completes = false;   // both ranks' MPI_Send returned before the timeout
  long bad_bytes = 0;       // received bytes that differ from what was sent (all ranks)
  double send_time = 0;     // slowest rank's time until its send returned (or the timeout)
};

// Try the unsafe exchange with `bytes` bytes; never hangs.  Collective.
Attempt try_unsafe(long bytes, int tag, double timeout, int rank)
{
  int completed = 1;
  long bad = 0;
  double waited = 0;
  MPI_Barrier(MPI_COMM_WORLD);  // ranks 0 and 1 start together
  if (rank <= 1) {
    const int partner = 1 - rank;
    std::vector<unsigned char> out(bytes, static_cast<unsigned char>(rank + 1)), in(bytes, 0);

    // The blocking send runs in a helper thread; the future becomes ready
    // when MPI_Send returns.
    std::promise<void> sent;
    std::future<void> done = sent.get_future();
    const double t0 = MPI_Wtime();
    std::thread sender([&]() {
      MPI_Send(out.data(), static_cast<int>(bytes), MPI_BYTE, partner, tag, MPI_COMM_WORLD);
      sent.set_value();
    });
    completed = done.wait_for(std::chrono::duration<double>(timeout)) == std::future_status::ready;
    waited = MPI_Wtime() - t0;

    // The receive the unsafe program would post after its send.  If the send
    // has not returned, this is the rescue: the partner's send (stuck for the
    // same reason) can now complete, and so, on the partner, can ours.
    MPI_Recv(in.data(), static_cast<int>(bytes), MPI_BYTE, partner, tag, MPI_COMM_WORLD,
             MPI_STATUS_IGNORE);
    sender.join();
    for (unsigned char c : in) bad += c != partner + 1;
  }
  Attempt a;
  int all_completed = 0;  // idle ranks (2, 3, ...) contribute 1
  MPI_Allreduce(&completed, &all_completed, 1, MPI_INT, MPI_MIN, MPI_COMM_WORLD);
  a.completes = all_completed == 1;
  MPI_Allreduce(&bad, &a.bad_bytes, 1, MPI_LONG, MPI_SUM, MPI_COMM_WORLD);
  MPI_Allreduce(&waited, &a.send_time, 1, MPI_DOUBLE, MPI_MAX, MPI_COMM_WORLD);
  return a;
}

const char* level_name(int level)
{
  switch (level) {
    case MPI_THREAD_SINGLE: return "MPI_THREAD_SINGLE";
    case MPI_THREAD_FUNNELED: return "MPI_THREAD_FUNNELED";
    case MPI_THREAD_SERIALIZED: return "MPI_THREAD_SERIALIZED";
    case MPI_THREAD_MULTIPLE: return "MPI_THREAD_MULTIPLE";
  }
  return "unknown";
}

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

  int tag = 0;
  long bad_total = 0;
  auto attempt = [&](long bytes, double wait) {
    Attempt a = try_unsafe(bytes, tag++, wait, rank);
    bad_total += a.bad_bytes;
    if (rank == 0) {
      if (a.completes)
        std::printf("%10ld bytes: completes (MPI_Send returned after %.1e s)\n", bytes,
                    a.send_time);
      else
        std::printf("%10ld bytes: blocks    (no return within %g s; rescued)\n", bytes, wait);
      std::fflush(stdout);
    }
    return a.completes;
  };

  MPI_Barrier(MPI_COMM_WORLD);
  const double t0 = MPI_Wtime();

  // Powers of two until a size blocks, then bisection: `lo` always completes
  // (0 bytes trivially), `hi` always blocks (-1: none found up to max_bytes).
  long lo = 0, hi = -1;
  for (long b = 1; hi < 0; b *= 2) {
    if (b > max_bytes) b = max_bytes;
    if (attempt(b, timeout))
      lo = b;
    else
      hi = b;
    if (b == max_bytes) break;
  }
  // TODO: bisection.  While hi > 0 and hi - lo > 1, try the size halfway
  //       between lo and hi with attempt(mid, timeout) and move lo or hi to it.

  // Re-test both ends; the blocking one with a longer timeout, so that a busy
  // machine (a slow but buffered send) cannot pass for a blocking one.
  bool confirmed = lo == 0 || attempt(lo, timeout);
  if (hi > 0) confirmed = !attempt(hi, 4 * timeout) && confirmed;
  const double elapsed = MPI_Wtime() - t0;

  if (rank == 0) {
    char version[MPI_MAX_LIBRARY_VERSION_STRING];
    int version_len = 0;
    MPI_Get_library_version(version, &version_len);
    std::string first_line(version, version_len);
    first_line = first_line.substr(0, first_line.find('\n'));

    std::printf("mpi_library = %s\n", first_line.c_str());
    std::printf("thread_level = %s\n", level_name(provided));
    std::printf("size = %d\n", size);
    std::printf("attempts = %d\n", tag);
    std::printf("threshold_bytes = %ld\n", lo);
    if (hi > 0)
      std::printf("blocks_at_bytes = %ld\n", hi);
    else
      std::printf("blocks_at_bytes = none (every size up to %ld completed)\n", max_bytes);
    std::printf("mismatches = %ld\n", bad_total);
    std::printf("time_s = %.3f\n", elapsed);
    std::printf("check = %s\n", bad_total == 0 && confirmed ? "PASS" : "FAIL");
  }

  MPI_Finalize();
  return 0;
}
