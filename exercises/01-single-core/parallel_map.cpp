/**
 * @file parallel_map.cpp
 * @brief Lesson 01 exercise: Pool.map(square, range(n)) in C++ threads.
 * Split the range over the threads in parallel_map (see the TODO).
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
 * Proof of correctness: `check = PASS`.  Timings: best of `--repeat` runs
 * after a warm-up; `*_speedup` = time on 1 thread / time on T threads.
 */
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <string>
#include <thread>
#include <vector>

#include "cli.hpp"
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
  for (int t = 0; t < threads; ++t) {
    // TODO: give thread t its own block [lo, hi) so that the blocks of all
    //       threads cover 0..n-1 exactly once (sizes may differ by one).
    //       As given, every thread computes the first block only.
    const std::size_t lo = 0;
    const std::size_t hi = n / threads;
    pool.emplace_back([&y, f, lo, hi] {
      for (std::size_t i = lo; i < hi; ++i) y[i] = f(static_cast<std::int64_t>(i));
    });
  }
  for (auto& th : pool) th.join();
}


std::string to_string(__int128 v)
{
  if (v == 0) return "0";
  const bool negative = v < 0;
  std::string s;
  for (; v != 0; v /= 10) s.insert(s.begin(), char('0' + (negative ? -(v % 10) : v % 10)));
  return negative ? "-" + s : s;
}

struct Timing { double t1, tT; long mismatches; };

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

  // Serial references: a plain loop, no threads.
  std::vector<std::int64_t> sq_ref(static_cast<std::size_t>(n));
  for (long i = 0; i < n; ++i) sq_ref[i] = square(i);
  std::vector<double> hv_ref(static_cast<std::size_t>(m));
  for (long i = 0; i < m; ++i) hv_ref[i] = heavy(i);

  const auto t_start = std::chrono::steady_clock::now();
  const Timing sq = measure(sq_ref, square, threads, repeat);
  const Timing hv = measure(hv_ref, heavy, threads, repeat);
  const double total =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t_start).count();

  // Sums, always in the same serial order, from the serial references (which
  // every threaded result was just compared with, element by element).
  __int128 sq_sum = 0;
  for (auto v : sq_ref) sq_sum += v;
  const __int128 N = n;
  const __int128 sq_expected = (N - 1) * N * (2 * N - 1) / 6;
  double hv_sum = 0.0;
  for (auto v : hv_ref) hv_sum += v;
  const double hv_error = std::fabs(hv_sum - static_cast<double>(m)) / static_cast<double>(m);

  std::printf("%-8s %10s %12s %12s %9s %12s\n", "map", "elements", "1 thread [ms]",
              (std::to_string(threads) + " threads [ms]").c_str(), "speedup", "ns/element");
  std::printf("%-8s %10ld %12.3f %12.3f %9.2f %12.2f\n", "square", n, 1e3 * sq.t1, 1e3 * sq.tT,
              sq.t1 / sq.tT, 1e9 * sq.t1 / n);
  std::printf("%-8s %10ld %12.3f %12.3f %9.2f %12.2f\n\n", "heavy", m, 1e3 * hv.t1, 1e3 * hv.tT,
              hv.t1 / hv.tT, 1e9 * hv.t1 / m);

  const bool ok = sq.mismatches == 0 && hv.mismatches == 0 && sq_sum == sq_expected &&
                  hv_error <= 1e-12;
  std::printf("n = %ld\n", n);
  std::printf("heavy_n = %ld\n", m);
  std::printf("threads = %d\n", threads);
  std::printf("cores = %u\n", cores);
  std::printf("mismatches = %ld\n", sq.mismatches + hv.mismatches);
  std::printf("square_sum = %s\n", to_string(sq_sum).c_str());
  std::printf("square_sum_expected = %s\n", to_string(sq_expected).c_str());
  std::printf("heavy_sum = %.17g\n", hv_sum);
  std::printf("heavy_error = %.3g\n", hv_error);
  std::printf("square_time_s_1 = %.6g\n", sq.t1);
  std::printf("square_time_s = %.6g\n", sq.tT);
  std::printf("square_speedup = %.3f\n", sq.t1 / sq.tT);
  std::printf("square_gbs = %.4g\n", 8.0 * n / sq.tT / 1e9);
  std::printf("heavy_time_s_1 = %.6g\n", hv.t1);
  std::printf("heavy_time_s = %.6g\n", hv.tT);
  std::printf("heavy_speedup = %.3f\n", hv.t1 / hv.tT);
  std::printf("check = %s\n", ok ? "PASS" : "FAIL");
  std::printf("time_s = %.6g\n", total);
  return 0;
}
