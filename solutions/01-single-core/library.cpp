/**
 * @file library.cpp
 * @brief The same sums written with the standard library.
 *
 * std::accumulate and std::inner_product are specified to add left to right,
 * so they are the plain loop with another name.  std::reduce and
 * std::transform_reduce may add in any order; with std::execution::unseq we
 * also allow SIMD, and GCC's implementation then splits the sum over vector
 * lanes (it uses `#pragma omp simd reduction`, honoured with -fopenmp-simd,
 * which the Makefile passes for this file only).  No threads are involved:
 * unseq is a single-thread policy.
 */
#include <execution>
#include <functional>
#include <numeric>

#include "kernels.hpp"

namespace {

template <class T>
T sum_acc(const T* a, std::size_t n) { return std::accumulate(a, a + n, T(0)); }

template <class T>
T add_sum_acc(const T* a, const T* b, std::size_t n)
{
  return std::inner_product(a, a + n, b, T(0), std::plus<>{}, std::plus<>{});
}

// std::reduce may add in any order; the policy std::execution::unseq also
// lets it use SIMD lanes, each with a partial sum (a different rounding).
// >>> step 2: the same sums in any order, with SIMD allowed
template <class T>
T sum_red(const T* a, std::size_t n) { return std::reduce(std::execution::unseq, a, a + n, T(0)); }

template <class T>
T add_sum_red(const T* a, const T* b, std::size_t n)
{
  return std::transform_reduce(std::execution::unseq, a, a + n, b, T(0), std::plus<>{},
                               std::plus<>{});
}
// <<< step 2

template <class T>
void triad_std(T* x, const T* a, const T* b, T s, std::size_t n)
{
  std::transform(std::execution::unseq, a, a + n, b, x, [s](T p, T q) { return p + s * q; });
}

}  // namespace

double sum_accumulate(const double* a, std::size_t n) { return sum_acc(a, n); }
float sum_accumulate(const float* a, std::size_t n) { return sum_acc(a, n); }
double add_sum_accumulate(const double* a, const double* b, std::size_t n) { return add_sum_acc(a, b, n); }
float add_sum_accumulate(const float* a, const float* b, std::size_t n) { return add_sum_acc(a, b, n); }
double sum_reduce(const double* a, std::size_t n) { return sum_red(a, n); }
float sum_reduce(const float* a, std::size_t n) { return sum_red(a, n); }
double add_sum_reduce(const double* a, const double* b, std::size_t n) { return add_sum_red(a, b, n); }
float add_sum_reduce(const float* a, const float* b, std::size_t n) { return add_sum_red(a, b, n); }
void triad_accumulate(double* x, const double* a, const double* b, double s, std::size_t n) { triad_std(x, a, b, s, n); }
void triad_accumulate(float* x, const float* a, const float* b, float s, std::size_t n) { triad_std(x, a, b, s, n); }
void triad_reduce(double* x, const double* a, const double* b, double s, std::size_t n) { triad_std(x, a, b, s, n); }
void triad_reduce(float* x, const float* a, const float* b, float s, std::size_t n) { triad_std(x, a, b, s, n); }
