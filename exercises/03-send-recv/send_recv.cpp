/**
 * @file send_recv.cpp
 * @brief Lesson 03 exercise: rank 0 sends a greeting and an array to rank 1,
 * rank 1 doubles the numbers and sends them back.
 *
 * The greeting is done for you, as a model.  Fill in the TODOs for the array:
 * the send from rank 0, the receive and the reply on rank 1, the receive of
 * the reply on rank 0 and MPI_Get_count.  As given, nothing comes back and the
 * program prints `check = FAIL`; `make check` runs the lesson's tests on it.
 *
 * Blocking point-to-point messages: MPI_Send returns when the send buffer may
 * be reused, MPI_Recv when the message is in the receive buffer.  Every
 * message carries a tag; the receiver reads the source, the tag and the
 * length (MPI_Get_count) from the MPI_Status.  The greeting is received into a
 * buffer larger than needed, so only MPI_Get_count tells how long it was.
 * Ranks 2, 3, ... take no part and say so.
 * Rank 0 sends x_i = i + 0.5 (i = 0..n-1) and checks the reply y_i = 2 x_i
 * exactly: `max_error = 0` and `check = PASS`.  Needs at least 2 ranks.
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

  if (rank == 0) {
    const std::string greeting = "Hello from process 0";
    // The terminating '\0' is not sent: the count says where the text ends.
    MPI_Send(greeting.data(), static_cast<int>(greeting.size()), MPI_CHAR, 1, TAG_GREETING,
             MPI_COMM_WORLD);

    std::vector<double> x(n), y(n, 0.0);
    for (long i = 0; i < n; ++i) x[i] = i + 0.5;
    // TODO: send the n doubles of x to rank 1 with tag TAG_DATA (MPI_Send, MPI_DOUBLE).
    std::printf("Process 0 sent \"%s\" and %ld doubles to process 1\n", greeting.c_str(), n);

    // Blocks until rank 1 has received, doubled and sent back.
    MPI_Status status{};
    // TODO: receive the reply from rank 1 into y (tag TAG_REPLY), keeping the status.
    const double t1 = MPI_Wtime();
    int count = 0;
    // TODO: set count from the status with MPI_Get_count.
    std::printf("Process 0 received %d doubles from process %d with tag %d\n", count,
                status.MPI_SOURCE, status.MPI_TAG);

    double max_error = 0.0, reply_sum = 0.0;
    for (long i = 0; i < n; ++i) {
      max_error = std::fmax(max_error, std::fabs(y[i] - 2.0 * x[i]));
      reply_sum += y[i];
    }
    std::fflush(stdout);
    // Let the other ranks' lines come out first; rank 0's summary ends the output.
    MPI_Barrier(MPI_COMM_WORLD);
    std::printf("size = %d\n", size);
    std::printf("n = %ld\n", n);
    std::printf("reply_source = %d\n", status.MPI_SOURCE);
    std::printf("reply_tag = %d\n", status.MPI_TAG);
    std::printf("reply_count = %d\n", count);
    // sum of 2(i + 1/2) over i = 0..n-1 is n^2, exact in double for n < 2^26.
    std::printf("reply_sum = %.17g\n", reply_sum);
    std::printf("reply_sum_expected = %.17g\n", static_cast<double>(n) * n);
    std::printf("max_error = %.3g\n", max_error);
    std::printf("time_s = %.6f\n", t1 - t0);
    std::printf("check = %s\n", max_error == 0.0 && count == n ? "PASS" : "FAIL");
  } else if (rank == 1) {
    // The greeting's length is unknown here: receive into a big enough buffer
    // and ask the status how many characters arrived.
    std::vector<char> text(MAX_GREETING);
    MPI_Status status;
    MPI_Recv(text.data(), MAX_GREETING, MPI_CHAR, 0, TAG_GREETING, MPI_COMM_WORLD, &status);
    int length = 0;
    MPI_Get_count(&status, MPI_CHAR, &length);
    std::printf("Process 1 received \"%s\" (%d chars) from process %d with tag %d\n",
                std::string(text.data(), length).c_str(), length, status.MPI_SOURCE,
                status.MPI_TAG);

    std::vector<double> x(n);
    int count = 0;
    // TODO: receive n doubles from rank 0 with tag TAG_DATA into x, then set
    //       count with MPI_Get_count.
    std::printf("Process 1 received %d doubles from process %d with tag %d\n", count,
                status.MPI_SOURCE, status.MPI_TAG);

    for (double& v : x) v *= 2.0;
    // TODO: send the count doubled numbers back to rank 0 with tag TAG_REPLY.
    std::printf("Process 1 sent the doubled numbers back to process 0\n");
    std::fflush(stdout);
    MPI_Barrier(MPI_COMM_WORLD);
  } else {
    std::printf("Process %d is idle\n", rank);
    std::fflush(stdout);
    MPI_Barrier(MPI_COMM_WORLD);
  }

  MPI_Finalize();
  return 0;
}
