/**
 * @file send_recv.cpp
 * @brief Lesson 03: rank 0 sends a greeting and an array to rank 1, rank 1
 * doubles the numbers and sends them back.
 *
 * Blocking point-to-point messages: MPI_Send returns when the send buffer may
 * be reused, MPI_Recv when the message is in the receive buffer.  Every
 * message carries a tag; the receiver reads the source, the tag and the
 * length (MPI_Get_count) from the MPI_Status.  The greeting is received into a
 * buffer larger than needed, so only MPI_Get_count tells how long it was.
 * Each message is one function below, with both of its ends side by side: the
 * send on one rank, the matching receive on the other.
 * Ranks 2, 3, ... take no part and say so.
 * Rank 0 sends x_i = i + 0.5 (i = 0..n-1) and checks the reply y_i = 2 x_i
 * exactly: `max_error = 0` and `check = PASS` (otherwise `check = FAIL` and
 * exit status 1 on every rank).  Needs at least 2 ranks.
 * Run: `make run PROG=send_recv NP=3 ARGS="--n 8"`.
 */
#include <mpi.h>

#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "cli.hpp"

namespace {
// One tag per kind of message, so a receive can only match what it expects.
constexpr int TAG_GREETING = 1;
constexpr int TAG_DATA = 2;
constexpr int TAG_REPLY = 3;
constexpr int MAX_GREETING = 256;

// What a receive learned from its status: how many items, from whom, which tag.
struct Received {
  int count = 0, source = -1, tag = -1;
};

// Message 1, done as the model: a greeting from rank 0 to rank 1.  Rank 1
// does not know its length: it receives into a buffer that is large enough
// and asks the status how many characters arrived.
void greeting(int rank)
{
  if (rank == 0) {
    const std::string text = "Hello from process 0";
    // The terminating '\0' is not sent: the count says where the text ends.
    MPI_Send(text.data(), static_cast<int>(text.size()), MPI_CHAR, 1, TAG_GREETING, MPI_COMM_WORLD);
  } else if (rank == 1) {
    std::vector<char> text(MAX_GREETING);
    MPI_Status status;
    MPI_Recv(text.data(), MAX_GREETING, MPI_CHAR, 0, TAG_GREETING, MPI_COMM_WORLD, &status);
    int length = 0;
    MPI_Get_count(&status, MPI_CHAR, &length);
    std::printf("Process 1 received \"%s\" (%d chars) from process %d with tag %d\n",
                std::string(text.data(), length).c_str(), length, status.MPI_SOURCE, status.MPI_TAG);
  }
}

// Message 2: the numbers of x from rank 0 to rank 1, into rank 1's x.
Received send_data(int rank, std::vector<double>& x)
{
  MPI_Status status{};
  Received got;
  // >>> step 1: x travels from rank 0 to rank 1
  // TODO 1: rank 0 sends the numbers of x to rank 1 with the tag TAG_DATA;
  //         rank 1 receives them into its own x, keeping the status, and sets
  //         got.count from the status (how many doubles arrived).
  //         Hint: MPI_Send, MPI_Recv, MPI_Get_count (as greeting() does).
  (void)rank; (void)x;   // placeholder: nothing is sent yet
  // <<< step 1
  got.source = status.MPI_SOURCE;
  got.tag = status.MPI_TAG;
  return got;
}

// Message 3: rank 1's (doubled) x back to rank 0, into rank 0's y.
Received send_reply(int rank, std::vector<double>& x, std::vector<double>& y)
{
  MPI_Status status{};
  Received got;
  // >>> step 2: the doubled numbers travel back from rank 1 to rank 0
  // TODO 2: rank 1 sends its (doubled) x back to rank 0 with the tag
  //         TAG_REPLY; rank 0 receives them into y, keeping the status, and
  //         sets got.count from the status.
  //         Hint: MPI_Send, MPI_Recv, MPI_Get_count.
  (void)rank; (void)x; (void)y;   // placeholder: nothing is sent yet
  // <<< step 2
  got.source = status.MPI_SOURCE;
  got.tag = status.MPI_TAG;
  return got;
}

// Rank 0: compare the reply with 2 x and print the results; returns the verdict.
bool report(int size, const std::vector<double>& x, const std::vector<double>& y,
            const Received& reply, double time_s)
{
  const long n = static_cast<long>(x.size());
  double max_error = 0.0, reply_sum = 0.0;
  for (long i = 0; i < n; ++i) {
    max_error = std::fmax(max_error, std::fabs(y[i] - 2.0 * x[i]));
    reply_sum += y[i];
  }
  const bool pass = max_error == 0.0 && reply.count == n;
  std::printf("size = %d\n", size);
  std::printf("n = %ld\n", n);
  std::printf("reply_source = %d\n", reply.source);
  std::printf("reply_tag = %d\n", reply.tag);
  std::printf("reply_count = %d\n", reply.count);
  // sum of 2(i + 1/2) over i = 0..n-1 is n^2, exact in double for n < 2^26.
  std::printf("reply_sum = %.17g\n", reply_sum);
  std::printf("reply_sum_expected = %.17g\n", static_cast<double>(n) * n);
  std::printf("max_error = %.3g\n", max_error);
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
              "usage: send_recv [--n N] [--help]\n"
              "Rank 0 sends N doubles to rank 1 (default 8), rank 1 sends them back doubled.\n"
              "Needs at least 2 ranks; ranks 2, 3, ... stay idle.\n");
  const long n = opt.integer("--n", 8, 1, 10000000);
  opt.finish();
  if (size < 2) fail_all("send_recv needs at least 2 ranks, got " + std::to_string(size));

  MPI_Barrier(MPI_COMM_WORLD);
  const double t0 = MPI_Wtime();

  greeting(rank);
  std::vector<double> x(n, 0.0), y(n, 0.0);
  if (rank == 0)
    for (long i = 0; i < n; ++i) x[i] = i + 0.5;

  const Received data = send_data(rank, x);
  if (rank == 0) std::printf("Process 0 sent \"Hello from process 0\" and %ld doubles to process 1\n", n);
  if (rank == 1)
    std::printf("Process 1 received %d doubles from process %d with tag %d\n", data.count, data.source,
                data.tag);

  if (rank == 1)
    for (double& v : x) v *= 2.0;   // rank 1's work: double every number
  const Received reply = send_reply(rank, x, y);
  const double t1 = MPI_Wtime();
  if (rank == 1) std::printf("Process 1 sent the doubled numbers back to process 0\n");
  if (rank == 0)
    std::printf("Process 0 received %d doubles from process %d with tag %d\n", reply.count,
                reply.source, reply.tag);
  if (rank >= 2) std::printf("Process %d is idle\n", rank);
  std::fflush(stdout);

  // Let the other ranks' lines come out first; rank 0's summary ends the output.
  MPI_Barrier(MPI_COMM_WORLD);
  int pass = 0;
  if (rank == 0) pass = report(size, x, y, reply, t1 - t0);

  // Every rank exits with the same status: 1 when the check failed.
  MPI_Bcast(&pass, 1, MPI_INT, 0, MPI_COMM_WORLD);
  MPI_Finalize();
  return pass ? 0 : 1;
}
