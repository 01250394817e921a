/**
 * @file phantom.hpp
 * @brief The modified Shepp–Logan phantom: ten ellipses, sampled on an N x N
 * grid and scaled to [0, 1].  Self-contained (standard library only), so other
 * lessons can copy it.
 *
 * Ellipse k adds its intensity A_k to every pixel (x, y) with
 *
 *     (x'/a_k)^2 + (y'/b_k)^2 <= 1,
 *     x' =  (x - x0_k) cos t_k + (y - y0_k) sin t_k,
 *     y' = -(x - x0_k) sin t_k + (y - y0_k) cos t_k,
 *
 * on the grid x_j = -1 + j (2/N), y_i = -1 + i (2/N), i, j = 0 ... N-1 (numpy's
 * linspace(-1, 1, N, endpoint=False)); the row index i gives y, the column
 * index j gives x.  The sum is then shifted and scaled to [0, 1]:
 * p = (s - min s) / (max s - min s).  This is the table and the sampling of
 * the Python reference phantom (numpy), computed with the same operations in the
 * same order, so the pixels agree with numpy's to the last bit.
 */
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

namespace phantom {

/// One ellipse: intensity, semi-axes, centre, rotation in degrees.
struct Ellipse {
  double intensity;  ///< added to every pixel inside
  double a, b;       ///< semi-axes along x' and y'
  double x0, y0;     ///< centre
  double degrees;    ///< rotation angle t of the x' axis from the x axis
};

/// The ten ellipses of the modified Shepp–Logan phantom (Toft's intensities).
inline std::vector<Ellipse> shepp_logan_ellipses()
{
  return {
      {1.0, 0.6900, 0.9200, 0.00, 0.0000, 0.0},    // skull (outer)
      {-0.8, 0.6624, 0.8740, 0.00, -0.0184, 0.0},  // brain (inside the skull)
      {-0.2, 0.1100, 0.3100, 0.22, 0.0000, -18.0}, // right ventricle
      {-0.2, 0.1600, 0.4100, -0.22, 0.0000, 18.0}, // left ventricle
      {0.1, 0.2100, 0.2500, 0.00, 0.3500, 0.0},
      {0.1, 0.0460, 0.0460, 0.00, 0.1000, 0.0},
      {0.1, 0.0460, 0.0460, 0.00, -0.1000, 0.0},
      {0.1, 0.0460, 0.0230, -0.08, -0.6050, 0.0},
      {0.1, 0.0230, 0.0230, 0.00, -0.6060, 0.0},
      {0.1, 0.0230, 0.0460, 0.06, -0.6050, 0.0},
  };
}

/// Grid coordinate of index i on [-1, 1) with n points (linspace, endpoint=False).
inline double grid(int i, int n) { return i * (2.0 / n) + -1.0; }

/// Whether the point (x, y) lies inside (or on) ellipse e.
inline bool inside(const Ellipse& e, double x, double y)
{
  const double t = e.degrees * (M_PI / 180.0);  // as numpy's deg2rad
  const double c = std::cos(t), s = std::sin(t);
  const double xr = (x - e.x0) * c + (y - e.y0) * s;
  const double yr = -(x - e.x0) * s + (y - e.y0) * c;
  return (xr / e.a) * (xr / e.a) + (yr / e.b) * (yr / e.b) <= 1.0;
}

/// Bit k set where pixel (i, j) lies inside ellipse k; row-major, n*n values.
/// The phantom's intensity is a function of this mask: two pixels with the
/// same mask have the same value.
inline std::vector<std::uint16_t> shepp_logan_masks(int n)
{
  const std::vector<Ellipse> table = shepp_logan_ellipses();
  std::vector<std::uint16_t> mask(static_cast<std::size_t>(n) * n, 0);
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < n; ++j)
      for (std::size_t k = 0; k < table.size(); ++k)
        if (inside(table[k], grid(j, n), grid(i, n)))
          mask[static_cast<std::size_t>(i) * n + j] |= std::uint16_t(1u << k);
  return mask;
}

/// The index of the last ellipse containing each pixel, -1 outside all of
/// them.  Later ellipses lie inside earlier ones, so this is the innermost
/// structure a pixel belongs to (0 skull, 1 brain, 2-3 ventricles, 4-9 the
/// small features).
inline std::vector<int> shepp_logan_labels(int n)
{
  const std::vector<std::uint16_t> mask = shepp_logan_masks(n);
  std::vector<int> label(mask.size(), -1);
  for (std::size_t p = 0; p < mask.size(); ++p)
    for (int k = 15; k >= 0; --k)
      if (mask[p] & (1u << k)) {
        label[p] = k;
        break;
      }
  return label;
}

/// The phantom on the n x n grid, row-major (row i is y_i), scaled to [0, 1].
inline std::vector<double> shepp_logan(int n)
{
  const std::vector<Ellipse> table = shepp_logan_ellipses();
  std::vector<double> p(static_cast<std::size_t>(n) * n, 0.0);
  // Ellipse by ellipse, as the Python reference adds them: the order of the
  // additions fixes the rounding (1 - 0.8 - 0.2 is -5.6e-17, not 0).
  for (const Ellipse& e : table)
    for (int i = 0; i < n; ++i)
      for (int j = 0; j < n; ++j)
        if (inside(e, grid(j, n), grid(i, n))) p[static_cast<std::size_t>(i) * n + j] += e.intensity;
  const double lo = *std::min_element(p.begin(), p.end());
  for (double& v : p) v -= lo;
  const double hi = *std::max_element(p.begin(), p.end());
  if (hi > 0)
    for (double& v : p) v /= hi;
  return p;
}

}  // namespace phantom
