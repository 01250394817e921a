// ring_exchange.hpp — what deadlock.cpp's exchanges share: one rank's
// neighbours and buffers (Exchange), the byte pattern every message carries
// and its check, the blocking send (MPI_Send, or MPI_Ssend with --ssend), and
// the timing of repeated exchanges.  The exchanges themselves, the lesson, are
// in deadlock.cpp.
#pragma once

#include <mpi.h>

#include <algorithm>
#include <vector>

// Tags name the direction a message travels, so that with N = 2 (left and
// right neighbour are the same rank) the two messages cannot be confused.
constexpr int TAG_RIGHT = 0;  // travelling to the right: rank r -> r+1
constexpr int TAG_LEFT = 1;   // travelling to the left:  rank r -> r-1

// Byte k of the message that rank `from` sends in direction `tag`.  The
// receiver recomputes it to check every byte it got.
inline unsigned char pattern(int from, int tag, long k)
{
  return static_cast<unsigned char>((from * 37 + tag * 101 + k * 7 + k / 251) & 0xff);
}

// One rank's view of the exchange: its neighbours and its four buffers.
struct Exchange {
  int rank = 0, left = 0, right = 0;
  int count = 0;                      // bytes per message
  bool synchronous = false;           // --ssend: MPI_Ssend instead of MPI_Send
  std::vector<unsigned char> to_right, to_left, from_left, from_right;
};

// The blocking send used by the unsafe and the parity modes.
inline void send(const Exchange& x, const std::vector<unsigned char>& buf, int dest, int tag)
{
  if (x.synchronous)
    MPI_Ssend(buf.data(), x.count, MPI_BYTE, dest, tag, MPI_COMM_WORLD);
  else
    MPI_Send(buf.data(), x.count, MPI_BYTE, dest, tag, MPI_COMM_WORLD);
}

// Bytes of `buf` that differ from what rank `from` sent in direction `tag`.
inline long count_mismatches(const std::vector<unsigned char>& buf, int from, int tag)
{
  long bad = 0;
  for (long k = 0; k < static_cast<long>(buf.size()); ++k)
    bad += buf[k] != pattern(from, tag, k);
  return bad;
}

// This rank's neighbours and buffers: B bytes each way, the outgoing ones
// filled with the pattern, the incoming ones zeroed.
inline Exchange set_up(int rank, int size, long bytes, bool synchronous)
{
  Exchange x;
  x.rank = rank;
  x.right = (rank + 1) % size;
  x.left = (rank + size - 1) % size;
  x.count = static_cast<int>(bytes);
  x.synchronous = synchronous;
  x.to_right.resize(bytes);
  x.to_left.resize(bytes);
  x.from_left.assign(bytes, 0);
  x.from_right.assign(bytes, 0);
  for (long k = 0; k < bytes; ++k) {
    x.to_right[k] = pattern(rank, TAG_RIGHT, k);
    x.to_left[k] = pattern(rank, TAG_LEFT, k);
  }
  return x;
}

// Received bytes that differ from what their sender put there, on all ranks.
inline long check_received(const Exchange& x, bool unsafe)
{
  long bad = 0, bad_total = 0;
  if (unsafe) {
    if (x.rank <= 1) bad = count_mismatches(x.from_left, 1 - x.rank, TAG_RIGHT);
  } else {
    bad = count_mismatches(x.from_left, x.left, TAG_RIGHT) +
          count_mismatches(x.from_right, x.right, TAG_LEFT);
  }
  MPI_Allreduce(&bad, &bad_total, 1, MPI_LONG, MPI_SUM, MPI_COMM_WORLD);
  return bad_total;
}

// Times of `repeat` exchanges, each one timed on its own: the slowest rank's
// time is that exchange's time.  The mean includes the moments when another
// process took the core; the minimum is what the exchange itself costs.
struct Timing { double total = 0, fastest = 0; };

inline Timing time_exchanges(void (*exchange)(Exchange&), Exchange& x, long repeat)
{
  std::vector<double> each(repeat), slowest(repeat);
  MPI_Barrier(MPI_COMM_WORLD);
  const double t0 = MPI_Wtime();
  for (long r = 0; r < repeat; ++r) {
    const double start = MPI_Wtime();
    exchange(x);
    each[r] = MPI_Wtime() - start;
  }
  const double elapsed = MPI_Wtime() - t0;
  Timing t;
  MPI_Reduce(&elapsed, &t.total, 1, MPI_DOUBLE, MPI_MAX, 0, MPI_COMM_WORLD);
  MPI_Reduce(each.data(), slowest.data(), static_cast<int>(repeat), MPI_DOUBLE, MPI_MAX, 0,
             MPI_COMM_WORLD);
  t.fastest = *std::min_element(slowest.begin(), slowest.end());
  return t;
}
