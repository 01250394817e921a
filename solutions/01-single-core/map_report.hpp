// map_report.hpp — what parallel_map prints and the sums it checks: the
// table, the `name = value` lines, and 128-bit integers as text.  Nothing
// here is parallel; the map itself is in parallel_map.cpp.
#pragma once

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

// Time of one map on 1 thread and on T threads, and the elements of the
// threaded results that differ from the serial reference.
struct Timing { double t1, tT; long mismatches; };

// A 128-bit integer as decimal text (printf has no format for it).
inline std::string to_string(__int128 v)
{
  if (v == 0) return "0";
  const bool negative = v < 0;
  std::string s;
  for (; v != 0; v /= 10) s.insert(s.begin(), char('0' + (negative ? -(v % 10) : v % 10)));
  return negative ? "-" + s : s;
}

// What the check compares: the sums of the serial references (which every
// threaded result was compared with, element by element), always added in the
// same serial order, and their exact values.
struct Sums {
  __int128 square, square_expected;
  double heavy, heavy_error;
};

inline Sums check_sums(const std::vector<std::int64_t>& sq_ref, const std::vector<double>& hv_ref)
{
  Sums s{0, 0, 0.0, 0.0};
  for (auto v : sq_ref) s.square += v;
  const __int128 N = static_cast<__int128>(sq_ref.size());
  s.square_expected = (N - 1) * N * (2 * N - 1) / 6;
  for (auto v : hv_ref) s.heavy += v;
  const double m = static_cast<double>(hv_ref.size());
  s.heavy_error = std::fabs(s.heavy - m) / m;
  return s;
}

inline void print_table(long n, long m, int threads, const Timing& sq, const Timing& hv)
{
  std::printf("%-8s %10s %12s %12s %9s %12s\n", "map", "elements", "1 thread [ms]",
              (std::to_string(threads) + " threads [ms]").c_str(), "speedup", "ns/element");
  std::printf("%-8s %10ld %12.3f %12.3f %9.2f %12.2f\n", "square", n, 1e3 * sq.t1, 1e3 * sq.tT,
              sq.t1 / sq.tT, 1e9 * sq.t1 / n);
  std::printf("%-8s %10ld %12.3f %12.3f %9.2f %12.2f\n\n", "heavy", m, 1e3 * hv.t1, 1e3 * hv.tT,
              hv.t1 / hv.tT, 1e9 * hv.t1 / m);
}

inline void print_results(long n, long m, int threads, unsigned cores, const Timing& sq,
                   const Timing& hv, const Sums& s, bool ok, double total)
{
  std::printf("n = %ld\n", n);
  std::printf("heavy_n = %ld\n", m);
  std::printf("threads = %d\n", threads);
  std::printf("cores = %u\n", cores);
  std::printf("mismatches = %ld\n", sq.mismatches + hv.mismatches);
  std::printf("square_sum = %s\n", to_string(s.square).c_str());
  std::printf("square_sum_expected = %s\n", to_string(s.square_expected).c_str());
  std::printf("heavy_sum = %.17g\n", s.heavy);
  std::printf("heavy_error = %.3g\n", s.heavy_error);
  std::printf("square_time_s_1 = %.6g\n", sq.t1);
  std::printf("square_time_s = %.6g\n", sq.tT);
  std::printf("square_speedup = %.3f\n", sq.t1 / sq.tT);
  std::printf("square_gbs = %.4g\n", 8.0 * n / sq.tT / 1e9);
  std::printf("heavy_time_s_1 = %.6g\n", hv.t1);
  std::printf("heavy_time_s = %.6g\n", hv.tT);
  std::printf("heavy_speedup = %.3f\n", hv.t1 / hv.tT);
  std::printf("check = %s\n", ok ? "PASS" : "FAIL");
  std::printf("time_s = %.6g\n", total);
}
