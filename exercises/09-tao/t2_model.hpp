// t2_model.hpp — the physics and the independent checks of lesson 09.
//
//   S(t) = A exp(-t / T2) + noise                    (one compartment)
//   S(t) = A1 exp(-t / T21) + A2 exp(-t / T22)       (two compartments)
//
// The fit minimises f(p) = 1/2 sum_i (m(t_i; p) - S_i)^2 over the parameters p.
// This header has no PETSc in it: the model with its derivatives, the noise,
// and a reference fit (a plain Levenberg–Marquardt in a few lines) that the
// programs use to check what TAO found.
#pragma once

#include <Random123/boxmuller.hpp>
#include <Random123/philox.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <vector>

namespace t2 {

// The echo times in ms: a typical clinical multi-echo sequence.
inline const std::vector<double> kEchoTimes = {10, 20, 40, 60, 80, 120, 160, 200, 240, 280};

// One Gaussian number N(0, 1) for (seed, voxel, echo, draw).  Philox is a
// counter-based generator: the number is a pure function of its counter and
// key, so voxel 12345 gets the same noise whichever rank fits it, and the map
// is identical at any number of ranks.
inline double Gaussian(std::uint64_t seed, std::uint64_t voxel, std::uint32_t echo, std::uint32_t draw)
{
  using Philox = r123::Philox4x32;
  const Philox::ctr_type ctr = {{echo, draw, static_cast<std::uint32_t>(voxel), static_cast<std::uint32_t>(voxel >> 32)}};
  const Philox::key_type key = {{static_cast<std::uint32_t>(seed), static_cast<std::uint32_t>(seed >> 32)}};
  const Philox::ctr_type r = Philox()(ctr, key);
  const std::uint64_t u0 = (static_cast<std::uint64_t>(r[0]) << 32) | r[1];
  const std::uint64_t u1 = (static_cast<std::uint64_t>(r[2]) << 32) | r[3];
  return r123::boxmuller(u0, u1).x;
}

// Signal of a sum of exponentials p = (A1, T21, A2, T22, ...) at the echo times
// plus noise of standard deviation sigma (absolute, in the units of A).
inline std::vector<double> Signal(const std::vector<double>& t, const std::vector<double>& p, double sigma,
                                  std::uint64_t seed, std::uint64_t voxel, std::uint32_t draw)
{
  std::vector<double> s(t.size(), 0.0);
  for (std::size_t i = 0; i < t.size(); ++i) {
    for (std::size_t k = 0; k + 1 < p.size(); k += 2) s[i] += p[k] * std::exp(-t[i] / p[k + 1]);
    if (sigma > 0) s[i] += sigma * Gaussian(seed, voxel, static_cast<std::uint32_t>(i), draw);
  }
  return s;
}

// Residuals r_i = m(t_i; p) - S_i and the Jacobian J_ik = dm(t_i)/dp_k
// (row-major, m x n) of a sum of exponentials.
inline void Residual(const std::vector<double>& t, const std::vector<double>& s, const double* p, int n,
                     double* r, double* J)
{
  for (std::size_t i = 0; i < t.size(); ++i) {
    r[i] = -s[i];
    for (int k = 0; k + 1 < n; k += 2) {
      const double e = std::exp(-t[i] / p[k + 1]);
      r[i] += p[k] * e;
      if (J) {
        J[i * n + k]     = e;
        J[i * n + k + 1] = p[k] * e * t[i] / (p[k + 1] * p[k + 1]);
      }
    }
  }
}

// Solve the small dense system M x = b (n <= 4) by Gaussian elimination with
// partial pivoting; M and b are overwritten.  Returns false if M is singular.
inline bool Solve(int n, double* M, double* b)
{
  for (int c = 0; c < n; ++c) {
    int piv = c;
    for (int r = c + 1; r < n; ++r)
      if (std::fabs(M[r * n + c]) > std::fabs(M[piv * n + c])) piv = r;
    if (M[piv * n + c] == 0.0) return false;
    for (int k = 0; k < n; ++k) std::swap(M[c * n + k], M[piv * n + k]);
    std::swap(b[c], b[piv]);
    for (int r = c + 1; r < n; ++r) {
      const double f = M[r * n + c] / M[c * n + c];
      for (int k = c; k < n; ++k) M[r * n + k] -= f * M[c * n + k];
      b[r] -= f * b[c];
    }
  }
  for (int c = n - 1; c >= 0; --c) {
    for (int k = c + 1; k < n; ++k) b[c] -= M[c * n + k] * b[k];
    b[c] /= M[c * n + c];
  }
  return true;
}

// J^T J (n x n) from the Jacobian: the Gauss–Newton approximation of the
// Hessian of f at p.
inline std::vector<double> GaussNewtonHessian(const std::vector<double>& t, const std::vector<double>& s,
                                              const double* p, int n)
{
  const std::size_t m = t.size();
  std::vector<double> r(m), J(m * n), H(n * n, 0.0);
  Residual(t, s, p, n, r.data(), J.data());
  for (int a = 0; a < n; ++a)
    for (int b = 0; b < n; ++b)
      for (std::size_t i = 0; i < m; ++i) H[a * n + b] += J[i * n + a] * J[i * n + b];
  return H;
}

// The reference fit: Levenberg–Marquardt, written out without PETSc.  It
// starts from p and stops when a step changes no parameter by more than
// 1e-13 relative.  With t2_min > 0 every T2 is kept >= t2_min and every A >= 0
// (a trial step is clipped to these bounds), as TAO's blmvm does.  Returns the
// number of iterations, or -1 if it did not converge.  An independent second
// opinion on TAO's answer.
inline int ReferenceFit(const std::vector<double>& t, const std::vector<double>& s, double* p, int n,
                        double t2_min = 0.0)
{
  const std::size_t m = t.size();
  std::vector<double> r(m), J(m * n), rt(m), pt(n);
  auto cost = [&](const double* q, double* res) {
    Residual(t, s, q, n, res, nullptr);
    double f = 0;
    for (std::size_t i = 0; i < m; ++i) f += 0.5 * res[i] * res[i];
    return f;
  };
  double lambda = 1e-3;
  double f      = cost(p, r.data());
  for (int it = 1; it <= 500; ++it) {
    Residual(t, s, p, n, r.data(), J.data());
    std::array<double, 16> H{};
    std::array<double, 4>  g{};
    for (int a = 0; a < n; ++a) {
      for (std::size_t i = 0; i < m; ++i) g[a] += J[i * n + a] * r[i];
      for (int b = 0; b < n; ++b)
        for (std::size_t i = 0; i < m; ++i) H[a * n + b] += J[i * n + a] * J[i * n + b];
    }
    for (int tries = 0; tries < 60; ++tries) {
      std::array<double, 16> M = H;
      std::array<double, 4>  d{};
      for (int a = 0; a < n; ++a) {
        M[a * n + a] *= 1.0 + lambda;
        d[a] = -g[a];
      }
      if (!Solve(n, M.data(), d.data())) return -1;
      bool positive = true;
      for (int a = 0; a < n; ++a) {
        pt[a] = p[a] + d[a];
        if (t2_min > 0) pt[a] = std::fmax(pt[a], a % 2 == 1 ? t2_min : 0.0);
        if (a % 2 == 1 && pt[a] <= 0) positive = false;  // keep every T2 > 0
      }
      const double ft = positive ? cost(pt.data(), rt.data()) : HUGE_VAL;
      if (ft <= f) {
        double change = 0;
        for (int a = 0; a < n; ++a) change = std::fmax(change, std::fabs(pt[a] - p[a]) / std::fmax(std::fabs(p[a]), 1e-300));
        for (int a = 0; a < n; ++a) p[a] = pt[a];
        f      = ft;
        lambda = std::fmax(lambda / 10, 1e-12);
        if (change < 1e-13) return it;
        break;
      }
      lambda *= 10;
      if (lambda > 1e16) return it;  // no descent left: at the minimum to round-off
    }
  }
  return -1;
}

// Standard deviations of the fitted parameters from the Gauss–Newton
// Hessian: Cov(p) ~ sigma^2 (J^T J)^{-1}.  Fills sd[0..n-1]; false if
// J^T J is singular.
inline bool GaussNewtonSd(const std::vector<double>& t, const std::vector<double>& s, const double* p, int n,
                          double sigma, double* sd)
{
  const std::vector<double> H = GaussNewtonHessian(t, s, p, n);
  for (int a = 0; a < n; ++a) {
    std::vector<double> M = H, e(n, 0.0);
    e[a] = 1.0;
    if (!Solve(n, M.data(), e.data())) return false;
    sd[a] = sigma * std::sqrt(e[a]);  // e = column a of H^{-1}; e[a] = (H^{-1})_aa
  }
  return true;
}

// A start for the fit without iterating: ln S_i = ln A - t_i / T2 is a
// straight line in t, so a weighted linear fit of ln S against t (weights
// S_i^2, since the noise in ln S is sigma / S) gives (A, T2) in one pass.
// Echoes with S_i <= 0 (noise only) are left out; without a usable slope the
// fixed start (0.8, 50 ms) is returned.
inline void LogLinearStart(const std::vector<double>& t, const double* s, double* p)
{
  double sw = 0, st = 0, sy = 0, stt = 0, sty = 0;
  for (std::size_t i = 0; i < t.size(); ++i) {
    if (s[i] <= 0) continue;
    const double w = s[i] * s[i], y = std::log(s[i]);
    sw += w; st += w * t[i]; sy += w * y; stt += w * t[i] * t[i]; sty += w * t[i] * y;
  }
  const double det   = sw * stt - st * st;
  const double slope = det > 0 ? (sw * sty - st * sy) / det : 0.0;
  if (!(slope < 0)) { p[0] = 0.8; p[1] = 50.0; return; }
  p[0] = std::exp((sy - slope * st) / sw);
  p[1] = std::min(std::max(-1.0 / slope, 1.0), 1e4);
}

}  // namespace t2
