/**
 * @file pingpong.cpp
 * @brief Lesson 03: ping-pong between ranks 0 and 1 — latency and bandwidth
 * for messages of 1 B to 4 MiB (powers of two).
 *
 * Rank 0 sends n bytes to rank 1, rank 1 sends them back; half the round-trip
 * time is the one-way time t(n).  The model t(n) = latency + n / bandwidth is
 * fitted to the measured points (least squares on the relative error, so small
 * and large messages count alike).  For every size n = 1, 2, 4, ... up to
 * `--max-bytes`: a few warm-up round trips, then `--samples` timed samples of
 * `reps(n)` round trips each (fewer for large n); the median sample is
 * reported, the best one is kept in the CSV too.  Bandwidth is in MB/s
 * (10^6 bytes per second).  Ranks 2, 3, ... stay idle.
 * The data are checked: every sample uses a new byte pattern, and both ranks
 * compare what arrived with what was sent (`mismatches = 0`, `check = PASS`;
 * otherwise `check = FAIL` and exit status 1 on every rank).
 * Run: `make run PROG=pingpong NP=2`; `--csv FILE` writes the table as CSV.
 */
#include <mpi.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include "cli.hpp"

namespace {
constexpr int TAG_PING = 10;
constexpr int TAG_PONG = 11;

// The byte rank 0 puts at position i in sample s: both ranks can compute it.
unsigned char pattern(long i, int s) { return static_cast<unsigned char>((i * 131 + s * 7 + 1) & 0xff); }

struct Row {
  long bytes;
  long reps;
  double median_s;   // one-way time, median over samples
  double best_s;     // one-way time, best sample
};

// Fit t = a + b n minimising sum ((t_i - a - b n_i) / t_i)^2.
void fit_model(const std::vector<Row>& rows, double& latency_s, double& inv_bandwidth)
{
  double s00 = 0, s01 = 0, s11 = 0, r0 = 0, r1 = 0;
  for (const Row& r : rows) {
    const double w = 1.0 / (r.median_s * r.median_s), n = static_cast<double>(r.bytes);
    s00 += w; s01 += w * n; s11 += w * n * n;
    r0 += w * r.median_s; r1 += w * n * r.median_s;
  }
  const double det = s00 * s11 - s01 * s01;
  latency_s = (r0 * s11 - r1 * s01) / det;
  inv_bandwidth = (s00 * r1 - s01 * r0) / det;
}

// k round trips of `count` bytes between ranks 0 and 1: rank 0 sends `out`
// and waits for the echo in `in`; rank 1 receives into `in` and sends it back.
void round_trips(int rank, long k, int count, std::vector<unsigned char>& out,
                 std::vector<unsigned char>& in)
{
  const int other = 1 - rank;
  for (long r = 0; r < k; ++r) {
    // >>> step 5: one round trip: ping from rank 0, pong from rank 1
    if (rank == 0) {
      MPI_Send(out.data(), count, MPI_BYTE, other, TAG_PING, MPI_COMM_WORLD);
      MPI_Recv(in.data(), count, MPI_BYTE, other, TAG_PONG, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
    } else {
      MPI_Recv(in.data(), count, MPI_BYTE, other, TAG_PING, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
      MPI_Send(in.data(), count, MPI_BYTE, other, TAG_PONG, MPI_COMM_WORLD);
    }
    // <<< step 5
  }
}

// Ranks 0 and 1: time messages of n bytes, `samples` samples of `reps` round
// trips each after a warm-up; count the bytes that arrived wrong.
Row measure(int rank, long n, long reps, int samples, std::vector<unsigned char>& out,
            std::vector<unsigned char>& in, long& mismatches)
{
  const int other = 1 - rank, count = static_cast<int>(n);
  round_trips(rank, std::max(2L, reps / 10), count, out, in);   // warm-up: connections, caches, page faults
  std::vector<double> times;
  for (int s = 0; s < samples; ++s) {
    // A fresh pattern each sample, so stale data cannot pass the check.
    for (long i = 0; i < n; ++i) {
      out[i] = pattern(i, s);
      in[i] = 0;
    }
    // Start together: a zero-byte exchange in both directions.
    MPI_Sendrecv(nullptr, 0, MPI_BYTE, other, TAG_PING, nullptr, 0, MPI_BYTE, other, TAG_PING,
                 MPI_COMM_WORLD, MPI_STATUS_IGNORE);
    const double t0 = MPI_Wtime();
    round_trips(rank, reps, count, out, in);
    times.push_back((MPI_Wtime() - t0) / (2.0 * reps));
    // Rank 1 got rank 0's bytes; rank 0 got them back from rank 1.
    for (long i = 0; i < n; ++i) mismatches += (in[i] != pattern(i, s));
  }
  std::sort(times.begin(), times.end());
  const double median =
      samples % 2 ? times[samples / 2] : 0.5 * (times[samples / 2 - 1] + times[samples / 2]);
  return {n, reps, median, times.front()};
}

// Rank 0: the table, the CSV file (if any) and the `name = value` lines.
void report(const std::vector<Row>& rows, int size, long mismatches, double time_s,
            std::FILE* csv_file, const std::string& csv_path)
{
  std::printf("%10s %8s %12s %14s\n", "bytes", "reps", "latency_us", "bandwidth_MBps");
  for (const Row& r : rows)
    std::printf("%10ld %8ld %12.3f %14.1f\n", r.bytes, r.reps, r.median_s * 1e6, r.bytes / r.median_s / 1e6);
  double latency_s = 0, inv_bw = 0, peak = 0;
  fit_model(rows, latency_s, inv_bw);
  for (const Row& r : rows) peak = std::max(peak, r.bytes / r.median_s / 1e6);
  if (csv_file) {
    std::fprintf(csv_file, "bytes,reps,latency_us,bandwidth_MBps,best_latency_us,best_bandwidth_MBps\n");
    for (const Row& r : rows)
      std::fprintf(csv_file, "%ld,%ld,%.4f,%.2f,%.4f,%.2f\n", r.bytes, r.reps, r.median_s * 1e6,
                   r.bytes / r.median_s / 1e6, r.best_s * 1e6, r.bytes / r.best_s / 1e6);
    std::fclose(csv_file);
    std::rename((csv_path + ".tmp").c_str(), csv_path.c_str());   // complete, or not there at all
    std::printf("wrote %s\n", csv_path.c_str());
  }
  const Row& first = rows.front();
  const Row& last = rows.back();
  std::printf("size = %d\n", size);
  std::printf("sizes = %zu\n", rows.size());
  std::printf("max_bytes = %ld\n", last.bytes);
  std::printf("latency_us = %.3f\n", first.median_s * 1e6);                   // at the smallest size
  std::printf("bandwidth_MBps = %.1f\n", last.bytes / last.median_s / 1e6);  // at the largest
  std::printf("peak_bandwidth_MBps = %.1f\n", peak);
  std::printf("fit_latency_us = %.3f\n", latency_s * 1e6);
  std::printf("fit_bandwidth_MBps = %.1f\n", inv_bw > 0 ? 1e-6 / inv_bw : 0.0);
  std::printf("mismatches = %ld\n", mismatches);
  std::printf("time_s = %.6f\n", time_s);
  std::printf("check = %s\n", mismatches == 0 ? "PASS" : "FAIL");
}
}  // namespace

int main(int argc, char** argv)
{
  MPI_Init(&argc, &argv);

  int rank = 0, size = 0;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &size);

  Options opt(argc, argv,
              "usage: pingpong [--max-bytes B] [--reps R] [--samples S] [--csv FILE] [--help]\n"
              "Ranks 0 and 1 bounce messages of 1, 2, 4, ... B bytes (default 4194304):\n"
              "R round trips per sample for small messages (default 1000, fewer for large\n"
              "ones), S samples (default 7), the median reported.  Needs at least 2 ranks.\n");
  const long max_bytes = opt.integer("--max-bytes", 4L << 20, 1, 1L << 28);
  const long reps_small = opt.integer("--reps", 1000, 1, 100000000);
  const int samples = static_cast<int>(opt.integer("--samples", 7, 1, 1000));
  const std::string csv_path = opt.text("--csv", "");
  opt.finish();
  if (size < 2) fail_all("pingpong needs at least 2 ranks, got " + std::to_string(size));

  // Open the CSV file now, so a bad path stops every rank before the work; it
  // is written under a temporary name and renamed when complete.
  std::FILE* csv_file = nullptr;
  int csv_ok = 1;
  if (rank == 0 && !csv_path.empty()) {
    csv_file = std::fopen((csv_path + ".tmp").c_str(), "w");
    csv_ok = csv_file != nullptr;
  }
  MPI_Bcast(&csv_ok, 1, MPI_INT, 0, MPI_COMM_WORLD);
  if (!csv_ok) fail_all("cannot write --csv " + csv_path);

  std::vector<unsigned char> out(max_bytes), in(max_bytes);
  std::vector<Row> rows;
  long mismatches = 0;
  MPI_Barrier(MPI_COMM_WORLD);
  const double t_start = MPI_Wtime();
  if (rank <= 1) {   // ranks 2, 3, ... stay idle
    for (long n = 1; n <= max_bytes; n *= 2) {
      // About the same bytes per sample for every size above 64 KiB: reps ~ 1/n.
      const long reps = std::max(20L, reps_small * 65536 / std::max(65536L, n));
      rows.push_back(measure(rank, n, reps, samples, out, in, mismatches));
    }
  }
  const double t_end = MPI_Wtime();

  // Every rank learns the total, so every rank exits with the same status.
  long all_mismatches = 0;
  MPI_Allreduce(&mismatches, &all_mismatches, 1, MPI_LONG, MPI_SUM, MPI_COMM_WORLD);
  if (rank == 0) report(rows, size, all_mismatches, t_end - t_start, csv_file, csv_path);

  MPI_Finalize();
  return all_mismatches == 0 ? 0 : 1;
}
