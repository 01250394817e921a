/**
 * @file parallel_map.cpp
 * @brief Lesson 01: Pool.map(square, range(n)) in C++ threads — a cheap map
 * that is limited by memory and a heavy map that is limited by the cores.
 *
 * Applies f to x = 0, 1, ..., n-1 and stores y_i = f(x_i), first with one
 * thread and then with `--threads T` threads, each thread taking one
 * contiguous block of the range (block sizes differ by at most one).
 * Two maps:
 *   square  y_i = x_i^2 as 64-bit integers: one multiply per 8 bytes written;
 *   heavy   y_i = (1/8) Σ_{k=1..8} (sin^2 t_k + cos^2 t_k), t_k = 10^-3 k x_i:
 *           16 libm calls per 8 bytes written (the compiler does not know that
 *           sin^2 + cos^2 = 1, so it computes them all).
 *
 * Checks: every threaded result equals the serial result element by element
 * (`mismatches = 0`); Σ x^2 equals the closed form (n-1) n (2n-1) / 6 exactly
 * (128-bit integers); Σ heavy equals n to within 1e-12 relative.  The printed
 * sums are the same for every thread count, to the last digit.
 *
 * Run: `make run PROG=parallel_map ARGS="--threads 2"`.
 * Proof of correctness: `check = PASS` (otherwise `check = FAIL` and exit
 * status 1).  Timings: best of `--repeat` runs after a warm-up; `*_speedup` =
 * time on 1 thread / time on T threads (the table and the `name = value` lines
 * are printed by map_report.hpp).
 */
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <string>
#include <thread>
#include <vector>

#include "cli.hpp"
#include "map_report.hpp"
#include "timing.hpp"

namespace {

// The two functions to map, as lambdas: each has its own type, so
// parallel_map is compiled for it and the call is inlined into the loop (a
// plain function pointer would cost an indirect call per element).
const auto square = [](std::int64_t x) -> std::int64_t { return x * x; };

const auto heavy = [](std::int64_t x) -> double {
  double s = 0.0;
  for (int k = 1; k <= 8; ++k) {
    const double t = 1e-3 * k * static_cast<double>(x);
    s += std::sin(t) * std::sin(t) + std::cos(t) * std::cos(t);
  }
  return s / 8.0;
};

// y[i] = f(i) for i in [0, n), split over `threads` threads: thread t takes
// the block [n t / T, n (t+1) / T).  Each thread writes only its own block,
// so no two threads touch the same element and no lock is needed.
template <class T, class F>
void parallel_map(std::vector<T>& y, F f, int threads)
{
  const std::size_t n = y.size();
  std::vector<std::thread> pool;
  // >>> step 3: one block per thread, all threads running at once
  // TODO 3: start one thread per block (t = 0, ..., threads-1, each thread
  //         given its own block [lo, hi) as described above) that sets
  //         y[i] = f(i) for every i of its block; keep the threads in `pool`.
  //         Hint: std::thread (pool.emplace_back with a lambda).
  (void)n; (void)f; (void)threads;   // placeholder: no thread computes anything yet
  // <<< step 3
  for (auto& th : pool) th.join();   // wait until every thread has finished its block
}

// Time the map on 1 and on `threads` threads, and count the elements that
// differ from the serial reference `ref`.
template <class T, class F>
Timing measure(const std::vector<T>& ref, F f, int threads, int repeat)
{
  std::vector<T> y(ref.size());
  Timing tm{0, 0, 0};
  tm.t1 = best_time(repeat, [&] { parallel_map(y, f, 1); });
  for (std::size_t i = 0; i < y.size(); ++i) tm.mismatches += y[i] != ref[i];
  tm.tT = tm.t1;
  if (threads == 1) return tm;
  std::fill(y.begin(), y.end(), T(-1));   // so that a skipped element shows
  tm.tT = best_time(repeat, [&] { parallel_map(y, f, threads); });
  for (std::size_t i = 0; i < y.size(); ++i) tm.mismatches += y[i] != ref[i];
  return tm;
}

// The serial reference of a map: a plain loop, no threads.
template <class T, class F>
std::vector<T> serial_map(long n, F f)
{
  std::vector<T> y(static_cast<std::size_t>(n));
  for (long i = 0; i < n; ++i) y[i] = f(i);
  return y;
}

}  // namespace

int main(int argc, char** argv)
{
  Options opt(argc, argv,
              "usage: parallel_map [--n N] [--heavy-n M] [--threads T] [--repeat R] [--help]\n"
              "y_i = f(i) for i < N on 1 and on T threads: f = square (cheap, memory-bound)\n"
              "over N elements and f = heavy (16 sin/cos, compute-bound) over M elements.\n"
              "  --n N        elements of the square map (default 20000000)\n"
              "  --heavy-n M  elements of the heavy map (default 500000)\n"
              "  --threads T  threads of the parallel run (default 2)\n"
              "  --repeat R   timed runs after one warm-up; the best is kept (default 5)\n");
  const long n = opt.integer("--n", 20000000, 1, 500000000);
  const long m = opt.integer("--heavy-n", 500000, 1, 100000000);
  const int threads = static_cast<int>(opt.integer("--threads", 2, 1, 256));
  const int repeat = static_cast<int>(opt.integer("--repeat", 5, 1, 100));
  opt.finish();

  const unsigned cores = std::thread::hardware_concurrency();
  std::printf("map over %ld (square) and %ld (heavy) elements on 1 and %d threads, "
              "%u cores, best of %d\n\n", n, m, threads, cores, repeat);
  const auto sq_ref = serial_map<std::int64_t>(n, square);
  const auto hv_ref = serial_map<double>(m, heavy);

  const auto t_start = std::chrono::steady_clock::now();
  const Timing sq = measure(sq_ref, square, threads, repeat);
  const Timing hv = measure(hv_ref, heavy, threads, repeat);
  const double total =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t_start).count();

  const Sums s = check_sums(sq_ref, hv_ref);
  const bool ok = sq.mismatches == 0 && hv.mismatches == 0 && s.square == s.square_expected &&
                  s.heavy_error <= 1e-12;
  print_table(n, m, threads, sq, hv);
  print_results(n, m, threads, cores, sq, hv, s, ok, total);
  return ok ? 0 : 1;   // a failed check is a failed run
}
