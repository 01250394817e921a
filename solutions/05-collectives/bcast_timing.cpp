/**
 * @file bcast_timing.cpp
 * @brief Lesson 05: a broadcast written by hand with point-to-point messages
 * (the root sends to every other rank in turn, P-1 sends) against MPI_Bcast
 * (the library's tree or pipelined algorithm, about log2(P) steps), timed
 * for message sizes from `--min-bytes` to `--max-bytes` (doubling).
 *
 * For each size and each method: two warm-up broadcasts, then `--reps`
 * timed samples (fewer above 1 MiB, at least 3).  A sample is the time from a
 * barrier until the *last* rank holds the data (the maximum over ranks), and
 * the table reports the median sample.  The root writes a fresh byte pattern
 * before every sample and every rank compares the bytes it received with the
 * pattern it computes itself, so a broadcast that delivered stale or partial
 * data fails: `check = PASS` and `bad_buffers = 0` prove every buffer arrived.
 * The ratio p2p/Bcast per size says how much the library's algorithm gains.
 * Run: `make run PROG=bcast_timing NP=2` (add `ARGS="--csv out.csv"`).
 */
#include <mpi.h>

#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include "cli.hpp"

// The byte that position k holds in sample s: every sample differs from the last.
static unsigned char pattern(long k, long s) { return static_cast<unsigned char>(k * 7 + s * 13 + 1); }

// Broadcast by hand: the root sends the whole buffer to each other rank, one after another.
static void p2p_bcast(std::vector<unsigned char>& buf, int bytes, int root, int rank, int size)
{
  if (rank == root) {
    for (int dest = 0; dest < size; ++dest)
      if (dest != root) MPI_Send(buf.data(), bytes, MPI_BYTE, dest, 0, MPI_COMM_WORLD);
  } else {
    MPI_Recv(buf.data(), bytes, MPI_BYTE, root, 0, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
  }
}

static void library_bcast(std::vector<unsigned char>& buf, int bytes, int root)
{
  MPI_Bcast(buf.data(), bytes, MPI_BYTE, root, MPI_COMM_WORLD);
}

// One timed sample of one method; returns the slowest rank's time on every rank
// and adds this rank's wrong buffers to *bad.
template <class Method>
static double sample(Method method, std::vector<unsigned char>& buf, int bytes, long s, int rank,
                     long* bad)
{
  const int root = 0;
  if (rank == root)
    for (long k = 0; k < bytes; ++k) buf[k] = pattern(k, s);
  else
    std::fill(buf.begin(), buf.begin() + bytes, 0);

  MPI_Barrier(MPI_COMM_WORLD);
  const double t0 = MPI_Wtime();
  method(buf, bytes);
  const double mine = MPI_Wtime() - t0;

  for (long k = 0; k < bytes; ++k)
    if (buf[k] != pattern(k, s)) { ++*bad; break; }
  double slowest = 0;
  MPI_Allreduce(&mine, &slowest, 1, MPI_DOUBLE, MPI_MAX, MPI_COMM_WORLD);
  return slowest;
}

static double median(std::vector<double> v)
{
  std::sort(v.begin(), v.end());
  const size_t m = v.size() / 2;
  return v.size() % 2 ? v[m] : 0.5 * (v[m - 1] + v[m]);
}

int main(int argc, char** argv)
{
  MPI_Init(&argc, &argv);

  int rank = 0, size = 0;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &size);

  Options opt(argc, argv,
              "usage: bcast_timing [--min-bytes B] [--max-bytes B] [--reps R] [--csv FILE] [--help]\n"
              "Times a hand-written broadcast (P-1 sends) against MPI_Bcast.\n"
              "  --min-bytes B  smallest message (default 8)\n"
              "  --max-bytes B  largest message, sizes double up to it (default 16777216)\n"
              "  --reps R       timed samples per size up to 1 MiB (default 15)\n"
              "  --csv FILE     also write the table as CSV\n");
  const long min_bytes = opt.integer("--min-bytes", 8, 1, 1L << 28);
  const long max_bytes = opt.integer("--max-bytes", 16L << 20, 1, 1L << 28);
  const long reps = opt.integer("--reps", 15, 1, 1000);
  const std::string csv = opt.text("--csv", "");
  opt.finish();
  if (min_bytes > max_bytes)
    fail_all("--min-bytes " + std::to_string(min_bytes) + " is larger than --max-bytes " +
             std::to_string(max_bytes));

  char version[MPI_MAX_LIBRARY_VERSION_STRING];
  int version_len = 0;
  MPI_Get_library_version(version, &version_len);
  const std::string lib = std::string(version, version_len).rfind("MPICH", 0) == 0 ? "MPICH"
                          : std::string(version).find("Open MPI") != std::string::npos
                              ? "Open MPI"
                              : "other";

  FILE* out = nullptr;
  int opened = 1;
  if (rank == 0 && !csv.empty()) {
    out = std::fopen(csv.c_str(), "w");
    opened = out != nullptr;
  }
  MPI_Bcast(&opened, 1, MPI_INT, 0, MPI_COMM_WORLD);
  if (!opened) fail_all("cannot write --csv file '" + csv + "'");
  if (out) std::fprintf(out, "mpi,np,bytes,samples,p2p_s,bcast_s,ratio\n");

  std::vector<unsigned char> buf(max_bytes);
  auto p2p = [&](std::vector<unsigned char>& b, int n) { p2p_bcast(b, n, 0, rank, size); };
  auto lib_bcast = [&](std::vector<unsigned char>& b, int n) { library_bcast(b, n, 0); };

  if (rank == 0)
    std::printf("%10s %8s %12s %12s %10s\n", "bytes", "samples", "p2p [us]", "Bcast [us]",
                "p2p/Bcast");
  long bad = 0, n_sizes = 0, s = 0;
  double last_ratio = 0;
  const double t_start = MPI_Wtime();
  for (long bytes = min_bytes; bytes <= max_bytes; bytes *= 2) {
    // Big messages take long and vary little: fewer samples, never under 3.
    const long samples = std::max(std::min<long>(reps, 3), std::min(reps, reps * (1L << 20) / bytes));
    std::vector<double> t_p2p, t_lib;
    for (long w = 0; w < 2; ++w) {  // warm-up: connections, buffers, caches
      sample(p2p, buf, bytes, s++, rank, &bad);
      sample(lib_bcast, buf, bytes, s++, rank, &bad);
    }
    for (long i = 0; i < samples; ++i) {  // interleaved, so both see the same machine
      t_p2p.push_back(sample(p2p, buf, bytes, s++, rank, &bad));
      t_lib.push_back(sample(lib_bcast, buf, bytes, s++, rank, &bad));
    }
    const double mp = median(t_p2p), mb = median(t_lib);
    last_ratio = mp / mb;
    ++n_sizes;
    if (rank == 0) {
      std::printf("%10ld %8ld %12.2f %12.2f %10.2f\n", bytes, samples, 1e6 * mp, 1e6 * mb, mp / mb);
      if (out)
        std::fprintf(out, "%s,%d,%ld,%ld,%.9e,%.9e,%.4f\n", lib.c_str(), size, bytes, samples, mp,
                     mb, mp / mb);
    }
    if (bytes > max_bytes / 2) break;  // the next doubling would pass max_bytes
  }
  const double elapsed = MPI_Wtime() - t_start;

  long bad_total = 0;  // every rank learns the total: a bad buffer fails every rank
  MPI_Allreduce(&bad, &bad_total, 1, MPI_LONG, MPI_SUM, MPI_COMM_WORLD);
  if (rank == 0) {
    if (out) std::fclose(out);
    std::printf("mpi = %s\n", lib.c_str());
    std::printf("size = %d\n", size);
    std::printf("sizes = %ld\n", n_sizes);
    std::printf("buffers_checked = %ld\n", s * (size - 1));
    std::printf("bad_buffers = %ld\n", bad_total);
    std::printf("ratio_largest = %.2f\n", last_ratio);
    std::printf("time_s = %.3f\n", elapsed);
    std::printf("check = %s\n", bad_total == 0 ? "PASS" : "FAIL");
  }

  MPI_Finalize();
  return bad_total == 0 ? 0 : 1;
}
