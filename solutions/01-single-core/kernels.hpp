// kernels.hpp — the loops of `sums`, declared once per optimisation level.
//
// kernels.cpp is compiled three times by the Makefile, with -O0, -O2 and -O3,
// and each time the macro KERNEL_SUFFIX gives its functions a different name
// (sum_O0, sum_O2, sum_O3, ...), so one program holds all three builds of the
// same source.  library.cpp holds the standard-library versions.
#pragma once

#include <cstddef>

#define DECLARE_KERNELS(S)                                                          \
  double sum_##S(const double* a, std::size_t n);                                   \
  float sum_##S(const float* a, std::size_t n);                                     \
  double add_sum_##S(const double* a, const double* b, std::size_t n);              \
  float add_sum_##S(const float* a, const float* b, std::size_t n);                 \
  void triad_##S(double* x, const double* a, const double* b, double s, std::size_t n); \
  void triad_##S(float* x, const float* a, const float* b, float s, std::size_t n);

DECLARE_KERNELS(O0)
DECLARE_KERNELS(O2)
DECLARE_KERNELS(O3)
DECLARE_KERNELS(accumulate)   // std::accumulate / std::inner_product: strict order
DECLARE_KERNELS(reduce)       // std::reduce / std::transform_reduce, execution::unseq
