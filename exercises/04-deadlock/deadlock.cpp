/**
 * @file deadlock.cpp
 * @brief Lesson 04: an exchange that may deadlock, and three ways to make it
 * safe.
 *
 * `--mode unsafe`: ranks 0 and 1 both call MPI_Send first and MPI_Recv after
 * (other ranks stay idle).  The MPI standard lets MPI_Send return as soon as
 * the data is copied somewhere (small messages: "eager") or wait until the
 * matching receive has started (large messages: "rendezvous").  In the second
 * case both ranks wait for a receive that neither reaches: deadlock.  So the
 * unsafe mode completes for a few bytes and hangs for megabytes.
 *
 * The three fixes do a halo exchange on a ring of any size N >= 2: every rank
 * sends B bytes to its right neighbour and B bytes to its left neighbour, and
 * receives one message from each (with N = 2 both neighbours are the same
 * rank; the tags tell the two messages apart).
 *   --mode parity       even ranks send first, odd ranks receive first;
 *   --mode sendrecv     MPI_Sendrecv: MPI pairs the send and the receive;
 *   --mode nonblocking  MPI_Irecv + MPI_Isend, then one MPI_Waitall.
 * `--ssend` uses MPI_Ssend for every blocking send: a synchronous send never
 * relies on buffering, so an unsafe exchange hangs at any size (a test tool).
 *
 * Every byte received is compared with the value its sender put there (a
 * closed-form pattern of sender, direction and position): `mismatches = 0` and
 * `check = PASS` (otherwise `check = FAIL` and exit status 1 on every rank).  After one warm-up, `--repeat` exchanges are timed:
 * `time_per_exchange_s` is their mean, `time_min_s` the fastest one (each
 * exchange's time is that of its slowest rank).
 * Run: `make run NP=2 ARGS="--mode unsafe --bytes 64"` (completes),
 *      `make run NP=2 ARGS="--mode unsafe --bytes 8388608"` (hangs: Ctrl-C),
 *      `make run NP=3 ARGS="--mode parity --bytes 8388608"` (completes).
 */
#include <mpi.h>

#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include "cli.hpp"
#include "ring_exchange.hpp"

namespace {
// Unsafe: ranks 0 and 1 each send first, then receive.  Completes only if MPI
// buffers the message (eager protocol); otherwise both wait in `send` forever.
void exchange_unsafe(Exchange& x)
{
  if (x.rank > 1) return;  // other ranks idle
  const int partner = 1 - x.rank;
  send(x, x.to_right, partner, TAG_RIGHT);
  MPI_Recv(x.from_left.data(), x.count, MPI_BYTE, partner, TAG_RIGHT, MPI_COMM_WORLD,
           MPI_STATUS_IGNORE);
}

// Fix 1: order by parity.  In each direction even ranks send then receive, odd
// ranks receive then send, so every send meets a receive that is already
// posted or soon will be.  With odd N, ranks N-1 and 0 are both even: rank
// N-1's send waits until rank 0 has finished its own send; a short chain, not
// a cycle, because the odd ranks never wait in a send.
void exchange_parity(Exchange& x)
{
  // >>> step 1: even ranks send first, odd ranks receive first
  // TODO 1: for each direction (to the right: send x.to_right to x.right,
  //         receive x.from_left from x.left, tag TAG_RIGHT; to the left: the
  //         mirror image, tag TAG_LEFT), even ranks send and then receive, odd
  //         ranks receive and then send.  Hint: send(...) from ring_exchange.hpp
  //         (it is MPI_Send, or MPI_Ssend with --ssend), MPI_Recv, x.rank % 2.
  //         Does it still work for an odd number of ranks?  Try NP=3.
  //         As given, nothing is exchanged and every byte is wrong.
  // <<< step 1
}

// Fix 2: MPI_Sendrecv.  One call per direction; MPI progresses the send and the
// receive together, so no ordering between ranks is needed.
void exchange_sendrecv(Exchange& x)
{
  // >>> step 2: one MPI_Sendrecv per direction
  // TODO 2: one call per direction that sends and receives at once: send
  //         x.to_right to x.right while receiving x.from_left from x.left (tag
  //         TAG_RIGHT), then the mirror image (tag TAG_LEFT).
  //         Hint: MPI_Sendrecv.  As given, nothing is exchanged.
  // <<< step 2
}

// Fix 3: nonblocking.  Post both receives and both sends (none of them waits),
// then wait for all four.  The buffers must not be touched until MPI_Waitall.
void exchange_nonblocking(Exchange& x)
{
  // >>> step 3: post all four, then wait for all four
  // TODO 3: start both receives and both sends with calls that return at
  //         once (four MPI_Request), then wait for all four; the buffers must
  //         not be touched before that.  Hint: MPI_Irecv, MPI_Isend,
  //         MPI_Waitall.  As given, nothing is exchanged.
  // <<< step 3
}

}  // namespace

int main(int argc, char** argv)
{
  MPI_Init(&argc, &argv);

  int rank = 0, size = 0;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &size);

  Options opt(argc, argv,
              "usage: deadlock [--mode unsafe|parity|sendrecv|nonblocking] [--bytes B]\n"
              "                [--repeat R] [--ssend] [--help]\n"
              "Exchange B bytes (default 1024) between neighbouring ranks.\n"
              "  unsafe       ranks 0 and 1 both MPI_Send, then MPI_Recv: hangs for large B\n"
              "  parity       ring; even ranks send first, odd ranks receive first\n"
              "  sendrecv     ring; MPI_Sendrecv\n"
              "  nonblocking  ring; MPI_Irecv/MPI_Isend + MPI_Waitall\n"
              "  --repeat R   time R exchanges after one warm-up (default 1)\n"
              "  --ssend      use MPI_Ssend for the blocking sends (unsafe then hangs at any B)\n"
              "Needs at least 2 ranks.\n");
  const std::string mode =
      opt.word("--mode", "unsafe", {"unsafe", "parity", "sendrecv", "nonblocking"});
  const long bytes = opt.integer("--bytes", 1024, 0, 1L << 26);
  const long repeat = opt.integer("--repeat", 1, 1, 1000000);
  const bool synchronous = opt.flag("--ssend");
  opt.finish();
  if (size < 2)
    fail_all("an exchange needs at least 2 ranks, got " + std::to_string(size) +
             " (run with NP=2 or more)");

  Exchange x = set_up(rank, size, bytes, synchronous);
  void (*exchange)(Exchange&) = mode == "unsafe"     ? exchange_unsafe
                                : mode == "parity"   ? exchange_parity
                                : mode == "sendrecv" ? exchange_sendrecv
                                                     : exchange_nonblocking;
  const char* send_name = synchronous ? "MPI_Ssend" : "MPI_Send";
  if (rank == 0) {
    if (mode == "unsafe")
      std::printf("unsafe: ranks 0 and 1 both call %s(%ld bytes), then MPI_Recv\n", send_name, bytes);
    else
      std::printf("%s: ring of %d ranks, %ld bytes to each neighbour\n", mode.c_str(), size, bytes);
    std::fflush(stdout);  // seen even if the exchange hangs
  }

  // A warm-up exchange into zeroed buffers, every received byte checked, then
  // the timed exchanges.
  exchange(x);
  const long bad_total = check_received(x, mode == "unsafe");
  const Timing t = time_exchanges(exchange, x, repeat);

  if (rank == 0) {
    std::printf("size = %d\n", size);
    std::printf("mode = %s\n", mode.c_str());
    std::printf("send = %s\n", mode == "unsafe" || mode == "parity" ? send_name : "-");
    std::printf("bytes = %ld\n", bytes);
    std::printf("repeat = %ld\n", repeat);
    std::printf("mismatches = %ld\n", bad_total);
    std::printf("time_s = %.6e\n", t.total);
    std::printf("time_per_exchange_s = %.6e\n", t.total / repeat);
    std::printf("time_min_s = %.6e\n", t.fastest);
    std::printf("check = %s\n", bad_total == 0 ? "PASS" : "FAIL");
  }

  // Every rank knows the total (MPI_Allreduce) and exits with the same status.
  MPI_Finalize();
  return bad_total == 0 ? 0 : 1;
}
