// heat.hpp — the problem both programs of lesson 08 solve (heat_mpi and
// heat_petsc), the two references that check it, and the result lines they
// print.  Plain C++, no MPI: you need not read it to do the exercise.
//
// u_t = alpha (u_xx + u_yy) on [0,Lx] x [0,Ly], u = 0 on the edges, on nx x ny
// nodes x_i = i hx, y_j = j hy (hx = Lx/(nx-1), hy = Ly/(ny-1)), forward Euler
// with the 5-point Laplacian (stencil.hpp):
//   u' = u + cx (u_W - 2u + u_E) + cy (u_S - 2u + u_N),  cx = alpha dt/hx^2, cy = alpha dt/hy^2,
// stable only for r = cx + cy <= 1/2.  The start u0 = sin(pi x/Lx) sin(pi y/Ly)
// is an eigenvector of both the PDE and the scheme, so two references exist:
//   exact   u(t) = exp(-alpha pi^2 (1/Lx^2 + 1/Ly^2) t) u0  -> max_error, l2_error
//   scheme  u^n  = g^n u0, g = 1 - 4 cx sin^2(pi hx/2Lx) - 4 cy sin^2(pi hy/2Ly)
//                                                         -> scheme_error (round-off)
// max_error is the discretisation error, O(hx^2 + hy^2 + dt); scheme_error says
// that the parallel program computes the scheme to round-off: `check = PASS`
// requires scheme_error <= 1e-12.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdio>

struct Heat {
  long   nx = 101, ny = 101;  // nodes per direction, edges included
  double Lx = 1.0, Ly = 1.0;  // the rectangle
  double alpha = 1.0;         // diffusivity
  double dt = 0.0;            // time step (set_grid: 0.4 of the stable limit unless given)
  long   steps = 500;         // number of time steps
  double hx = 0, hy = 0;      // node spacing
  double cx = 0, cy = 0, r = 0;  // alpha dt / hx^2, alpha dt / hy^2, their sum

  // The spacing of an nx x ny grid, the time step (dt_given, or 0.4 of the
  // stable limit when dt_given is 0) and the stencil's weights.
  void set_grid(long nx_, long ny_, double dt_given)
  {
    nx = nx_, ny = ny_;
    hx = Lx / (nx - 1), hy = Ly / (ny - 1);
    const double inv_h2 = 1.0 / (hx * hx) + 1.0 / (hy * hy);
    dt = dt_given > 0.0 ? dt_given : 0.4 / (alpha * inv_h2);
    cx = alpha * dt / (hx * hx), cy = alpha * dt / (hy * hy);
    r  = alpha * dt * inv_h2;
  }
  // The largest stable time step, alpha dt (1/hx^2 + 1/hy^2) = 1/2.
  double dt_limit() const { return 0.5 / (alpha * (1.0 / (hx * hx) + 1.0 / (hy * hy))); }
  bool   stable() const { return r <= 0.5 * (1.0 + 1e-12); }
  // "unstable: ..." with the largest stable -dt (option spelt `dt_option`).
  void unstable_message(char* msg, size_t n, const char* dt_option) const
  {
    std::snprintf(msg, n, "unstable: alpha dt (1/hx^2 + 1/hy^2) = %.4g > 1/2; use %s <= %.6g", r, dt_option,
                  dt_limit());
  }

  // u0 at node (i, j): 0 on the edges, sin(pi x/Lx) sin(pi y/Ly) inside.
  double u0(long i, long j) const
  {
    const double pi = std::acos(-1.0);
    if (i == 0 || j == 0 || i == nx - 1 || j == ny - 1) return 0.0;
    return std::sin(pi * i * hx / Lx) * std::sin(pi * j * hy / Ly);
  }
  double t_end() const { return steps * dt; }
  // The exact solution's factor exp(-alpha pi^2 (1/Lx^2 + 1/Ly^2) t_end).
  double decay() const
  {
    const double pi = std::acos(-1.0);
    return std::exp(-alpha * pi * pi * (1.0 / (Lx * Lx) + 1.0 / (Ly * Ly)) * t_end());
  }
  // The scheme's factor g^steps.
  double scheme_decay() const
  {
    const double pi = std::acos(-1.0);
    const double sx = std::sin(pi * hx / (2.0 * Lx)), sy = std::sin(pi * hy / (2.0 * Ly));
    const double g  = 1.0 - 4.0 * cx * sx * sx - 4.0 * cy * sy * sy;
    return std::pow(g, static_cast<double>(steps));
  }
};

// The errors of a field against both references, node by node.  Each rank
// adds its own nodes; the maxima (max_error, scheme_error, u_max) are then
// reduced with MPI_MAX, the squares (sq) with MPI_SUM: see reduce() in the programs.
struct HeatErrors {
  double max[3] = {0.0, 0.0, 0.0};  // max |u - exact|, max |u - g^n u0|, max |u|
  double sq     = 0.0;              // sum of (u - exact)^2
  void add(const Heat& pb, long i, long j, double v, double decay, double gn)
  {
    const double u0 = pb.u0(i, j), e = v - decay * u0;
    max[0] = std::max(max[0], std::fabs(e));
    max[1] = std::max(max[1], std::fabs(v - gn * u0));
    max[2] = std::max(max[2], std::fabs(v));
    sq += e * e;
  }
  bool pass() const { return max[1] <= 1e-12; }
};

// The result lines, printed by rank 0 only, in the same order by both
// programs (the tests compare them).  halo: the word for the halo exchange;
// best_step_s: the fastest step of the slowest rank.  Effective bandwidth:
// each inner node is read once and written once per step (16 bytes), the
// least traffic any code needs.
inline void print_result(const Heat& pb, int size, long px, long py, const char* halo, const char* kernel,
                         const HeatErrors& e, double time_s, double best_step_s)
{
  const double bytes = 16.0 * (pb.nx - 2) * (pb.ny - 2);
  std::printf("size = %d\n", size);
  std::printf("blocks = %ld x %ld\n", px, py);
  std::printf("grid = %ld x %ld\n", pb.nx, pb.ny);
  std::printf("halo = %s\n", halo);
  std::printf("kernel = %s\n", kernel);
  std::printf("dt = %.17g\n", pb.dt);
  std::printf("r = %.17g\n", pb.r);
  std::printf("steps = %ld\n", pb.steps);
  std::printf("t_end = %.17g\n", pb.t_end());
  std::printf("u_max = %.17g\n", e.max[2]);
  std::printf("exact_max = %.17g\n", pb.decay());
  std::printf("max_error = %.17g\n", e.max[0]);
  std::printf("l2_error = %.17g\n", std::sqrt(e.sq * pb.hx * pb.hy));
  std::printf("scheme_error = %.3g\n", e.max[1]);
  std::printf("check = %s\n", e.pass() ? "PASS" : "FAIL");
  std::printf("time_s = %.6f\n", time_s);
  std::printf("best_step_s = %.6g\n", pb.steps > 0 ? best_step_s : 0.0);
  std::printf("bandwidth_GBps = %.3f\n", pb.steps > 0 && best_step_s > 0.0 ? bytes / best_step_s / 1e9 : 0.0);
  std::fflush(stdout);
}
