// unsafe_probe.hpp — one attempt at the unsafe exchange (ranks 0 and 1 both
// MPI_Send first) that never hangs: a helper thread makes the blocking send
// while the main thread waits for it with a timeout, then posts the receive
// that rescues a send that is stuck.  Used by threshold.cpp, whose search over
// message sizes is the lesson; how one attempt avoids hanging is the detail.
#pragma once

#include <mpi.h>

#include <chrono>
#include <future>
#include <string>
#include <thread>
#include <vector>

// Result of one attempt.
struct Attempt {
  bool completes = false;   // both ranks' MPI_Send returned before the timeout
  long bad_bytes = 0;       // received bytes that differ from what was sent (all ranks)
  double send_time = 0;     // slowest rank's time until its send returned (or the timeout)
};

// Try the unsafe exchange with `bytes` bytes; never hangs.  Collective.
inline Attempt try_unsafe(long bytes, int tag, double timeout, int rank)
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

inline const char* level_name(int level)
{
  switch (level) {
    case MPI_THREAD_SINGLE: return "MPI_THREAD_SINGLE";
    case MPI_THREAD_FUNNELED: return "MPI_THREAD_FUNNELED";
    case MPI_THREAD_SERIALIZED: return "MPI_THREAD_SERIALIZED";
    case MPI_THREAD_MULTIPLE: return "MPI_THREAD_MULTIPLE";
  }
  return "unknown";
}

// The first line of the MPI library's description, e.g. "Open MPI v4.1.4, ...".
inline std::string library_name()
{
  char version[MPI_MAX_LIBRARY_VERSION_STRING];
  int length = 0;
  MPI_Get_library_version(version, &length);
  const std::string text(version, length);
  return text.substr(0, text.find('\n'));
}
