/**
 * @file coils.hpp
 * @brief The simulated multi-coil acquisition of lesson 07: C receiver coils
 * around the head, each seeing the image through its own smooth complex
 * sensitivity map S_c, normalised so that sum_c |S_c|^2 = 1.  Coil c's
 * k-space is the 2D FFT of S_c I; the sum of squares of the C reconstructed
 * coil images is then the phantom itself.
 */
#pragma once

#include <fftw3.h>

#include <cmath>
#include <complex>
#include <cstddef>
#include <vector>

#include "phantom.hpp"
#include "recon.hpp"

/// Smooth complex sensitivity of coil c of C at (x, y): coils sit on a circle
/// of radius 1.3 around the field of view; magnitude a Gaussian of the
/// distance to the coil, phase a gentle ramp.  Not yet normalised.
inline cplx raw_sensitivity(int c, int C, double x, double y)
{
  const double angle = 2.0 * M_PI * c / C;
  const double cx = 1.3 * std::cos(angle), cy = 1.3 * std::sin(angle);
  const double d2 = (x - cx) * (x - cx) + (y - cy) * (y - cy);
  const double magnitude = std::exp(-d2 / (2.0 * 0.8 * 0.8));
  const double phase = angle + 0.5 * M_PI * (x * std::cos(angle) + y * std::sin(angle));
  return std::polar(magnitude, phase);
}

/// Every coil's k-space, coil after coil (ncoils x n x n), from the image:
/// coil c's k-space = FFT(S_c I).  Rank 0 holds the image (the scanner);
/// on the other ranks `image` and the result are empty.
inline std::vector<cplx> coil_kspace(const std::vector<double>& image, int n, int ncoils)
{
  if (image.empty()) return {};
  const std::size_t nn = static_cast<std::size_t>(n) * n;
  std::vector<cplx> coil_k(nn * ncoils);
  const int dims[2] = {n, n};
  fftw_plan plan = fftw_plan_many_dft(2, dims, ncoils, fftw(coil_k.data()), nullptr, 1,
                                   static_cast<int>(nn), fftw(coil_k.data()), nullptr, 1,
                                   static_cast<int>(nn), FFTW_FORWARD, FFTW_ESTIMATE);
  std::vector<double> rss(nn, 0.0);  // sqrt(sum_c |raw S_c|^2), to normalise the maps
  for (int c = 0; c < ncoils; ++c)
    for (int i = 0; i < n; ++i)
      for (int j = 0; j < n; ++j)
        rss[i * static_cast<std::size_t>(n) + j] +=
            std::norm(raw_sensitivity(c, ncoils, phantom::grid(j, n), phantom::grid(i, n)));
  for (double& v : rss) v = std::sqrt(v);
  for (int c = 0; c < ncoils; ++c)
    for (int i = 0; i < n; ++i)
      for (int j = 0; j < n; ++j) {
        const std::size_t p = i * static_cast<std::size_t>(n) + j;
        const cplx s = raw_sensitivity(c, ncoils, phantom::grid(j, n), phantom::grid(i, n));
        coil_k[c * nn + p] = s / rss[p] * image[p];
      }
  fftw_execute(plan);
  fftw_destroy_plan(plan);
  return coil_k;
}
