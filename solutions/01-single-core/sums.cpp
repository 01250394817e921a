/**
 * @file sums.cpp
 * @brief Lesson 01: one core, five ways to add up an array, and how fast
 * memory can feed them.
 *
 * Computes the sum  S = a_0 + ... + a_{n-1}  and the add-and-sum
 * T = (a_0 + b_0) + ... + (a_{n-1} + b_{n-1})  of n numbers with
 * a_i = (i mod 1024)/1024 and b_i = 1 - a_i, five ways: the same plain loop
 * compiled with -O0, -O2 and -O3 (kernels.cpp, built three times), and with
 * the standard library (std::accumulate, which adds in order, and
 * std::reduce with std::execution::unseq, which may reorder and use SIMD).
 * The STREAM triad x = a + 2 b, timed in the same run, is the anchor: how
 * fast this core can stream memory.
 *
 * Every a_i is a multiple of 1/1024 and every partial sum stays below 2^53/1024,
 * so in double precision every partial sum is exact whatever the order: the
 * exact results S = 511.5 q + r(r-1)/2048 (n = 1024 q + r) and T = n must come
 * out to the last bit.  In single precision (`--float`) they do not; the
 * relative errors are printed and checked against the worst-case bound
 * (n-1) u Σ|x_i| of a recursive sum, u = 2^-24.
 *
 * Run: `make run` (n = 10^7 doubles), `make run ARGS="--n 5000000 --float"`.
 * Proof of correctness: `check = PASS`, and in double every `*_error = 0`;
 * a failed check prints `check = FAIL` and exits with status 1.
 * Timings: best of `--repeat` runs after one warm-up run, one thread.
 */
#include <chrono>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "cli.hpp"
#include "timing.hpp"
#include "kernels.hpp"

namespace {

// The five builds of the two kernels for element type T.
template <class T>
struct Variant {
  const char* key;      // name in the `key = value` output
  const char* label;    // name in the table
  T (*sum)(const T*, std::size_t);
  T (*add_sum)(const T*, const T*, std::size_t);
};

template <class T>
std::vector<Variant<T>> variants()
{
  return {{"O0", "loop -O0", sum_O0, add_sum_O0},
          {"O2", "loop -O2", sum_O2, add_sum_O2},
          {"O3", "loop -O3", sum_O3, add_sum_O3},
          {"accumulate", "std::accumulate", sum_accumulate, add_sum_accumulate},
          {"reduce", "std::reduce unseq", sum_reduce, add_sum_reduce}};
}


template <class T>
int run(long n, int repeat)
{
  const char* type = sizeof(T) == sizeof(double) ? "double" : "float";
  const std::size_t N = static_cast<std::size_t>(n);
  std::vector<T> a(N), b(N), x(N);
  for (std::size_t i = 0; i < N; ++i) {
    a[i] = T(i % 1024) / T(1024);
    b[i] = T(1) - a[i];
  }

  // Exact results, computed with integers: n = 1024 q + r.
  const long q = n / 1024, r = n % 1024;
  const double sum_exact = (q * 523776.0 + r * (r - 1) / 2) / 1024.0;  // 523776 = 0+...+1023
  const double add_sum_exact = static_cast<double>(n);
  // Worst-case relative error of any order of summation, first order in u.
  const double u = sizeof(T) == sizeof(double) ? 0x1p-53 : 0x1p-24;
  const double bound = (n - 1) * u;
  const double mb = N * sizeof(T) / 1e6;

  std::printf("sums of n = %ld %ss (%.1f MB per array), a_i = (i mod 1024)/1024, "
              "b_i = 1 - a_i\n", n, type, mb);
  std::printf("best of %d runs after a warm-up, threads = 1\n\n", repeat);
  std::printf("%-18s %-9s %10s %8s %9s %11s\n", "variant", "kernel", "time [ms]", "GB/s",
              "vs triad", "rel. error");

  const auto t_start = std::chrono::steady_clock::now();

  // The anchor: STREAM triad x = a + 2 b (two arrays read, one written).
  const double t_triad =
      best_time(repeat, [&] { triad_O3(x.data(), a.data(), b.data(), T(2), N); return x[0]; });
  const double triad_gbs = 3.0 * N * sizeof(T) / t_triad / 1e9;
  bool triad_ok = true;
  for (std::size_t i = 0; i < N; ++i) triad_ok = triad_ok && x[i] == T(2) - a[i];
  std::printf("%-18s %-9s %10.3f %8.2f %9.2f %11s\n", "triad (anchor)", "x=a+2b",
              1e3 * t_triad, triad_gbs, 1.0, triad_ok ? "exact" : "WRONG");

  struct Row { std::string key; T value; double error, time, gbs; };
  std::vector<Row> rows;
  bool ok = triad_ok;
  for (const char* kernel : {"sum", "add_sum"}) {
    const bool is_sum = std::string(kernel) == "sum";
    const double exact = is_sum ? sum_exact : add_sum_exact;
    const double bytes = (is_sum ? 1.0 : 2.0) * N * sizeof(T);  // memory read
    for (const auto& v : variants<T>()) {
      T value = 0;
      const double t = best_time(repeat, [&] {
        value = is_sum ? v.sum(a.data(), N) : v.add_sum(a.data(), b.data(), N);
        return value;
      });
      const double error = std::fabs(static_cast<double>(value) - exact) / exact;
      ok = ok && error <= bound;
      const double gbs = bytes / t / 1e9;
      rows.push_back({std::string(kernel) + "_" + v.key, value, error, t, gbs});
      std::printf("%-18s %-9s %10.3f %8.2f %9.2f %11.3g\n", v.label, kernel, 1e3 * t, gbs,
                  gbs / triad_gbs, error);
    }
  }
  const double total =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t_start).count();

  std::printf("\nn = %ld\n", n);
  std::printf("precision = %s\n", type);
  std::printf("threads = 1\n");
  std::printf("repeat = %d\n", repeat);
  std::printf("triad_time_s = %.6g\n", t_triad);
  std::printf("triad_gbs = %.4g\n", triad_gbs);
  std::printf("sum_exact = %.17g\n", sum_exact);
  std::printf("add_sum_exact = %.17g\n", add_sum_exact);
  std::printf("error_bound = %.3g\n", bound);
  for (const auto& row : rows) {
    std::printf("%s = %.17g\n", row.key.c_str(), static_cast<double>(row.value));
    std::printf("%s_error = %.3g\n", row.key.c_str(), row.error);
    std::printf("%s_time_s = %.6g\n", row.key.c_str(), row.time);
    std::printf("%s_gbs = %.4g\n", row.key.c_str(), row.gbs);
    std::printf("%s_vs_triad = %.3f\n", row.key.c_str(), row.gbs / triad_gbs);
  }
  std::printf("check = %s\n", ok ? "PASS" : "FAIL");
  std::printf("time_s = %.6g\n", total);
  return ok ? 0 : 1;   // a failed check is a failed run
}

}  // namespace

int main(int argc, char** argv)
{
  Options opt(argc, argv,
              "usage: sums [--n N] [--repeat R] [--float] [--help]\n"
              "Sum and add-and-sum of N numbers with the same loop at -O0, -O2, -O3,\n"
              "std::accumulate and std::reduce, against the STREAM triad.\n"
              "  --n N        number of elements (default 10000000)\n"
              "  --repeat R   timed runs after one warm-up; the best is kept (default 5)\n"
              "  --float      single precision instead of double\n");
  const long n = opt.integer("--n", 10000000, 1, 200000000);
  const int repeat = static_cast<int>(opt.integer("--repeat", 5, 1, 100));
  const bool single = opt.flag("--float");
  opt.finish();
  return single ? run<float>(n, repeat) : run<double>(n, repeat);
}
