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
 * pattern it computes itself, so a broadcast that delivered stale or partial
 * data fails: `check = PASS` and `bad_buffers = 0` prove every buffer arrived
 * (`bad_buffers_p2p` and `bad_buffers_bcast` count each method's).  The ratio
 * p2p/Bcast per size says how much the library's algorithm gains.  A bad
 * buffer ends every rank with exit status 1.
 * Run: `make run PROG=bcast_timing NP=2` (add `ARGS="--csv out.csv"`).
 */
#include <mpi.h>

#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include "cli.hpp"

// Broadcast by hand: the root sends the whole buffer to each other rank, one
// after another (P-1 sends); every other rank receives it from the root.
static void p2p_bcast(std::vector<unsigned char>& buf, int bytes, int root, int rank, int size)
{
  // >>> step 6: the root sends the buffer to every other rank in turn
  // TODO 6: the root sends the first `bytes` bytes of `buf` to every other
  //         rank, one after another; every other rank receives them from the
  //         root.  Hint: MPI_Send in a loop over the ranks, MPI_Recv.
  // <<< step 6
}

// The same with the library's collective.
static void library_bcast(std::vector<unsigned char>& buf, int bytes, int root)
{
  // >>> step 7: the same broadcast in one collective call
  // TODO 7: the same broadcast in one call that every rank makes.
  //         Hint: MPI_Bcast.
  // <<< step 7
}

// The byte that position k holds in sample s: every sample differs from the last.
static unsigned char pattern(long k, long s) { return static_cast<unsigned char>(k * 7 + s * 13 + 1); }

// One timed sample of one method from root 0; returns the slowest rank's time
// on every rank and adds 1 to *bad when this rank's buffer is wrong.
template <class Method>
static double sample(Method method, std::vector<unsigned char>& buf, int bytes, long s, int rank,
                     long* bad)
{
  if (rank == 0)
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

// "Open MPI", "MPICH" or "other": the library this program was built with.
static std::string library_name()
{
  char version[MPI_MAX_LIBRARY_VERSION_STRING];
  int len = 0;
  MPI_Get_library_version(version, &len);
  const std::string v(version, len);
  if (v.rfind("MPICH", 0) == 0) return "MPICH";
  return v.find("Open MPI") != std::string::npos ? "Open MPI" : "other";
}

// The --csv file, opened by rank 0 (nullptr without --csv) under a temporary
// name, FILE.part, renamed when the table is complete, so that a run that is
// stopped never leaves half a table.  Stops every rank if it cannot.
static FILE* open_csv(const std::string& csv, int rank)
{
  FILE* out = nullptr;
  int opened = 1;
  if (rank == 0 && !csv.empty()) {
    out = std::fopen((csv + ".part").c_str(), "w");
    opened = out != nullptr;
  }
  MPI_Bcast(&opened, 1, MPI_INT, 0, MPI_COMM_WORLD);
  if (!opened) fail_all("cannot write --csv file '" + csv + "'");
  if (out) std::fprintf(out, "mpi,np,bytes,samples,p2p_s,bcast_s,ratio\n");
  return out;
}

// One message size: two warm-ups of each method, then `samples` timed pairs,
// interleaved so that both see the same machine.  Median times in mp, mb;
// s counts the samples (each has its own pattern); bad[0], bad[1] the wrong
// buffers of each method.
static void time_size(std::vector<unsigned char>& buf, long bytes, long samples, int rank,
                      int size, long& s, long bad[2], double& mp, double& mb)
{
  auto p2p = [&](std::vector<unsigned char>& b, int n) { p2p_bcast(b, n, 0, rank, size); };
  auto lib = [&](std::vector<unsigned char>& b, int n) { library_bcast(b, n, 0); };
  std::vector<double> t_p2p, t_lib;
  for (long w = 0; w < 2; ++w) {  // warm-up: connections, buffers, caches
    sample(p2p, buf, bytes, s++, rank, &bad[0]);
    sample(lib, buf, bytes, s++, rank, &bad[1]);
  }
  for (long i = 0; i < samples; ++i) {
    t_p2p.push_back(sample(p2p, buf, bytes, s++, rank, &bad[0]));
    t_lib.push_back(sample(lib, buf, bytes, s++, rank, &bad[1]));
  }
  mp = median(t_p2p);
  mb = median(t_lib);
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
  const std::string lib = library_name();
  FILE* out = open_csv(csv, rank);

  std::vector<unsigned char> buf(max_bytes);
  if (rank == 0)
    std::printf("%10s %8s %12s %12s %10s\n", "bytes", "samples", "p2p [us]", "Bcast [us]",
                "p2p/Bcast");
  long bad[2] = {0, 0}, n_sizes = 0, s = 0;
  double last_ratio = 0;
  const double t_start = MPI_Wtime();
  for (long bytes = min_bytes; bytes <= max_bytes; bytes *= 2) {
    // Big messages take long and vary little: fewer samples, never under 3.
    const long samples = std::max(std::min<long>(reps, 3), std::min(reps, reps * (1L << 20) / bytes));
    double mp = 0, mb = 0;
    time_size(buf, bytes, samples, rank, size, s, bad, mp, mb);
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

  long bad_total[2] = {0, 0};  // every rank learns the totals: a bad buffer fails every rank
  MPI_Allreduce(bad, bad_total, 2, MPI_LONG, MPI_SUM, MPI_COMM_WORLD);
  const bool passed = bad_total[0] + bad_total[1] == 0;
  if (rank == 0) {
    if (out && (std::fclose(out) != 0 || std::rename((csv + ".part").c_str(), csv.c_str()) != 0))
      std::fprintf(stderr, "warning: could not write %s\n", csv.c_str());
    std::printf("mpi = %s\nsize = %d\nsizes = %ld\n", lib.c_str(), size, n_sizes);
    std::printf("buffers_checked = %ld\n", s * (size - 1));
    std::printf("bad_buffers = %ld\n", bad_total[0] + bad_total[1]);
    std::printf("bad_buffers_p2p = %ld\nbad_buffers_bcast = %ld\n", bad_total[0], bad_total[1]);
    std::printf("ratio_largest = %.2f\ntime_s = %.3f\n", last_ratio, elapsed);
    std::printf("check = %s\n", passed ? "PASS" : "FAIL");
  }
  MPI_Finalize();
  return passed ? 0 : 1;
}
