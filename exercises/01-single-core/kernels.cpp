/**
 * @file kernels.cpp
 * @brief The plain loops of `sums`: sum, add-and-sum and the triad.
 *
 * The Makefile compiles this file three times:
 *   g++ -O0 -DKERNEL_SUFFIX=O0 -c kernels.cpp -o kernels_O0.o   (and O2, O3)
 * so that sum_O0, sum_O2 and sum_O3 are the same source at three levels.
 */
#include "kernels.hpp"

#ifndef KERNEL_SUFFIX
#error "compile with -DKERNEL_SUFFIX=O0 (or O2, O3): see the Makefile"
#endif
#define PASTE2(a, b) a##_##b
#define PASTE(a, b) PASTE2(a, b)
#define K(name) PASTE(name, KERNEL_SUFFIX)

namespace {

// s = a[0] + a[1] + ... in exactly this order: every addition waits for the
// previous one, and the compiler may not reorder them (that would change
// the rounding), so it cannot split the sum over SIMD lanes.
// >>> step 1: the two sums, in the order the formula gives
// TODO 1: write both sums as plain for loops, in order: sum_loop adds a[0],
//         a[1], ..., a[n-1] to s; add_sum_loop adds (a[i] + b[i]) for
//         i = 0, ..., n-1.  The placeholders return 0.
template <class T>
T sum_loop(const T* a, std::size_t n)
{
  T s = 0;
  return s;
}

template <class T>
T add_sum_loop(const T* a, const T* b, std::size_t n)
{
  T s = 0;
  return s;
}
// <<< step 1

// The STREAM triad: x = a + s*b.  No reduction, every element independent,
// so the compiler is free to vectorise it.
template <class T>
void triad_loop(T* x, const T* a, const T* b, T s, std::size_t n)
{
  for (std::size_t i = 0; i < n; ++i) x[i] = a[i] + s * b[i];
}

}  // namespace

double K(sum)(const double* a, std::size_t n) { return sum_loop(a, n); }
float K(sum)(const float* a, std::size_t n) { return sum_loop(a, n); }
double K(add_sum)(const double* a, const double* b, std::size_t n) { return add_sum_loop(a, b, n); }
float K(add_sum)(const float* a, const float* b, std::size_t n) { return add_sum_loop(a, b, n); }
void K(triad)(double* x, const double* a, const double* b, double s, std::size_t n)
{
  triad_loop(x, a, b, s, n);
}
void K(triad)(float* x, const float* a, const float* b, float s, std::size_t n)
{
  triad_loop(x, a, b, s, n);
}
