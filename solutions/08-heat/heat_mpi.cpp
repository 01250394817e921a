/**
 * @file heat_mpi.cpp
 * @brief Lesson 08: the explicit 2D heat equation u_t = alpha (u_xx + u_yy)
 * on [0,Lx] x [0,Ly] with u = 0 on the edges, in plain MPI: a 2D Cartesian
 * decomposition (MPI_Dims_create, MPI_Cart_create) and a halo exchange with
 * MPI_Sendrecv, or with --overlap nonblocking calls that overlap the update of
 * the block's inside.
 *
 * Grid: nx x ny nodes x_i = i hx, y_j = j hy, hx = Lx/(nx-1), hy = Ly/(ny-1);
 * the edge nodes hold u = 0 and the (nx-2)(ny-2) inner nodes are updated by
 * forward Euler with the 5-point Laplacian,
 *   u' = u + cx (u_W - 2u + u_E) + cy (u_S - 2u + u_N),
 *   cx = alpha dt / hx^2,  cy = alpha dt / hy^2,
 * which is stable only for r = cx + cy <= 1/2 (checked: larger dt is refused).
 * Start: u0 = sin(pi x/Lx) sin(pi y/Ly).  It is an eigenvector of both the PDE
 * and the scheme, so two references exist:
 *   exact   u(t)  = exp(-alpha pi^2 (1/Lx^2 + 1/Ly^2) t) u0   -> max_error, l2_error
 *   scheme  u^n   = g^n u0,  g = 1 - 4 cx sin^2(pi hx/2Lx) - 4 cy sin^2(pi hy/2Ly)
 *                                                          -> scheme_error (round-off)
 * max_error is the discretisation error, O(hx^2 + hy^2 + dt); scheme_error
 * says that the parallel code computes the scheme to round-off, and
 * `check = PASS` requires scheme_error <= 1e-12.  Every node's update is the
 * same arithmetic whatever the decomposition, so the field, max_error and
 * u_max are bit-identical for NP = 1, 2, 3, 4 and equal to heat_petsc's.
 * Run: `make run NP=4`, `make run NP=3 ARGS="--nx 30 --ny 17 --overlap"`;
 * `--csv FILE --frames K` writes the field at K+1 times (the lesson figure).
 */
#include <mpi.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "cli.hpp"

// The block of nodes this rank owns, with one halo layer on every side:
// local index (j+1)*(lx+2) + (i+1) for owned node (x0+i, y0+j).
struct Block {
  int  x0, y0, lx, ly;  // first owned node and number of owned nodes per direction
  int  stride;          // lx + 2: distance between two rows in memory
  long at(int i, int j) const { return static_cast<long>(j + 1) * stride + (i + 1); }
};

// Nodes [x0, x0+l) of n split over p parts, part c: the first n % p parts get one more.
static void split(int n, int p, int c, int* first, int* count)
{
  const int q = n / p, r = n % p;
  *count = q + (c < r ? 1 : 0);
  *first = c * q + std::min(c, r);
}

// Rows per pass of the sweep (see update()).
constexpr int kRowsPerPass = 8;

// K consecutive output rows in one pass over the columns [ib, ie): `u`
// points at the first input row (row j-1), `un` at the first output row
// (row j), rows `s` apart.  Node i of output row k needs rows k, k+1, k+2 of
// u (south, centre, north).  For each column i the K nodes above each other
// are updated together, so each input row that comes in from the caches
// serves up to three output rows at once.  K is a compile-time constant: the
// compiler unrolls the k loop, and `omp simd` (compiled with -fopenmp-simd,
// no threads involved) tells it to vectorise over i: GCC does not see by
// itself that rows a stride `s` apart can be loaded as vectors (u and un
// never overlap: __restrict).  This is the one place where the arithmetic lives.
template <int K>
static void rows(const double* __restrict u, double* __restrict un, long s, int ib, int ie, double cx, double cy)
{
#pragma omp simd
  for (int i = ib; i < ie; ++i)
    for (int k = 0; k < K; ++k) {
      const double* S = u + k * s;
      const double* C = S + s;
      const double* N = C + s;
      un[k * s + i] = C[i] + cx * (C[i - 1] - 2.0 * C[i] + C[i + 1]) + cy * (S[i] - 2.0 * C[i] + N[i]);
    }
}

// One update of the owned nodes in rows [jb, je) and columns [ib, ie) (local
// indices) from u to un.  Global edge nodes are skipped: they stay 0.
// The sweep takes kRowsPerPass rows per pass: rows j ... j+7 need rows
// j-1 ... j+8 of u, so ten input rows come through the caches for eight
// output rows (one row per pass would bring three rows for each one written,
// and the loads from the caches, not memory, would set the pace).  The rows
// left over at the end go one at a time.  Every node gets the same
// operations in the same order, so the bits do not depend on the rows per pass.
static void update(const Block& b, int nx, int ny, double cx, double cy, const double* u,
                   double* un, int ib, int ie, int jb, int je)
{
  ib = std::max(ib, 1 - b.x0);  // global column 0 is an edge
  jb = std::max(jb, 1 - b.y0);
  ie = std::min(ie, nx - 1 - b.x0);
  je = std::min(je, ny - 1 - b.y0);
  const long s = b.stride;
  int j = jb;
  for (; j + kRowsPerPass <= je; j += kRowsPerPass)
    rows<kRowsPerPass>(u + b.at(0, j - 1), un + b.at(0, j), s, ib, ie, cx, cy);
  for (; j < je; ++j) rows<1>(u + b.at(0, j - 1), un + b.at(0, j), s, ib, ie, cx, cy);
}

int main(int argc, char** argv)
{
  MPI_Init(&argc, &argv);

  int rank = 0, size = 0;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &size);

  Options opt(argc, argv,
              "usage: heat_mpi [--nx N] [--ny N] [--lx L] [--ly L] [--alpha A] [--dt DT]\n"
              "                [--steps N] [--overlap] [--csv FILE --frames K] [--help]\n"
              "Explicit 2D heat equation u_t = alpha (u_xx + u_yy), u = 0 on the edges,\n"
              "u0 = sin(pi x/Lx) sin(pi y/Ly), on a 2D MPI decomposition with halo exchange.\n"
              "  --nx N, --ny N  grid nodes per direction, edges included, 3 ... 100000 (default 101)\n"
              "  --lx L, --ly L  size of the rectangle (default 1)\n"
              "  --alpha A       diffusivity (default 1)\n"
              "  --dt DT         time step; default 0.4 / (alpha (1/hx^2 + 1/hy^2)), the stable\n"
              "                  limit is alpha dt (1/hx^2 + 1/hy^2) <= 1/2\n"
              "  --steps N       time steps, 0 ... 10000000 (default 500)\n"
              "  --overlap       nonblocking halo exchange overlapped with the inner update\n"
              "  --csv FILE      write t,x,y,u of the whole field at K+1 times (rank 0)\n"
              "  --frames K      number of intervals between written fields, 1 ... 100 (default 3)\n");
  const int    nx      = static_cast<int>(opt.integer("--nx", 101, 3, 100000));
  const int    ny      = static_cast<int>(opt.integer("--ny", 101, 3, 100000));
  const double Lx      = opt.real("--lx", 1.0, 1e-6, 1e6);
  const double Ly      = opt.real("--ly", 1.0, 1e-6, 1e6);
  const double alpha   = opt.real("--alpha", 1.0, 1e-12, 1e12);
  const double dt_text = opt.real("--dt", 0.0, 1e-300, 1e300);  // 0: not given
  const long   steps   = opt.integer("--steps", 500, 0, 10000000);
  const bool   overlap = opt.flag("--overlap");
  const std::string csv = opt.text("--csv", "");
  const int    frames  = static_cast<int>(opt.integer("--frames", 3, 1, 100));
  opt.finish();

  const double hx = Lx / (nx - 1), hy = Ly / (ny - 1);
  const double inv_h2 = 1.0 / (hx * hx) + 1.0 / (hy * hy);
  const double dt = dt_text > 0.0 ? dt_text : 0.4 / (alpha * inv_h2);
  const double r  = alpha * dt * inv_h2;
  if (r > 0.5 * (1.0 + 1e-12)) {
    char msg[200];
    std::snprintf(msg, sizeof msg,
                  "unstable: alpha dt (1/hx^2 + 1/hy^2) = %.4g > 1/2; use --dt <= %.6g", r,
                  0.5 / (alpha * inv_h2));
    fail_all(msg);
  }
  const double cx = alpha * dt / (hx * hx), cy = alpha * dt / (hy * hy);

  // --- 2D Cartesian decomposition.  MPI_Dims_create balances size = d0 x d1
  // (d0 >= d1); d0 blocks go along x, d1 along y.  The Cartesian communicator
  // has dimension 0 = y and 1 = x, so that its row-major rank order (x
  // fastest) is PETSc's DMDA order too.
  int d[2] = {0, 0};
  MPI_Dims_create(size, 2, d);
  int dims[2] = {d[1], d[0]}, periods[2] = {0, 0}, coords[2];
  if (nx < dims[1] || ny < dims[0])
    fail_all("grid " + std::to_string(nx) + " x " + std::to_string(ny) + " is too small for " +
             std::to_string(dims[1]) + " x " + std::to_string(dims[0]) +
             " blocks: every rank needs at least one node per direction");
  MPI_Comm cart;
  MPI_Cart_create(MPI_COMM_WORLD, 2, dims, periods, 0, &cart);  // reorder = 0: keep ranks
  MPI_Cart_coords(cart, rank, 2, coords);
  int south, north, west, east;  // MPI_PROC_NULL beyond the edges: no message
  MPI_Cart_shift(cart, 0, 1, &south, &north);
  MPI_Cart_shift(cart, 1, 1, &west, &east);

  Block b;
  split(nx, dims[1], coords[1], &b.x0, &b.lx);
  split(ny, dims[0], coords[0], &b.y0, &b.ly);
  b.stride = b.lx + 2;
  const long n_local = static_cast<long>(b.lx + 2) * (b.ly + 2);
  std::vector<double> u(n_local, 0.0), un(n_local, 0.0);

  const double pi = std::acos(-1.0);
  for (int j = 0; j < b.ly; ++j)
    for (int i = 0; i < b.lx; ++i) {
      const int gi = b.x0 + i, gj = b.y0 + j;
      const bool edge = gi == 0 || gj == 0 || gi == nx - 1 || gj == ny - 1;
      u[b.at(i, j)] = edge ? 0.0 : std::sin(pi * gi * hx / Lx) * std::sin(pi * gj * hy / Ly);
    }

  // A row of the block is contiguous; a column is ly doubles, one every
  // stride: a vector datatype sends it without copying it out by hand.
  MPI_Datatype column;
  MPI_Type_vector(b.ly, 1, b.stride, MPI_DOUBLE, &column);
  MPI_Type_commit(&column);

  // The four halo messages of one step.  Sending to the north means "my top
  // owned row goes to the north neighbour's bottom halo row"; the matching
  // receive comes from the south into my bottom halo row.
  auto exchange_blocking = [&](std::vector<double>& f) {
    double* p = f.data();
    MPI_Sendrecv(p + b.at(0, b.ly - 1), b.lx, MPI_DOUBLE, north, 0,  // top row up
                 p + b.at(0, -1), b.lx, MPI_DOUBLE, south, 0, cart, MPI_STATUS_IGNORE);
    MPI_Sendrecv(p + b.at(0, 0), b.lx, MPI_DOUBLE, south, 1,         // bottom row down
                 p + b.at(0, b.ly), b.lx, MPI_DOUBLE, north, 1, cart, MPI_STATUS_IGNORE);
    MPI_Sendrecv(p + b.at(b.lx - 1, 0), 1, column, east, 2,           // right column east
                 p + b.at(-1, 0), 1, column, west, 2, cart, MPI_STATUS_IGNORE);
    MPI_Sendrecv(p + b.at(0, 0), 1, column, west, 3,                  // left column west
                 p + b.at(b.lx, 0), 1, column, east, 3, cart, MPI_STATUS_IGNORE);
  };
  MPI_Request req[8];
  auto exchange_start = [&](std::vector<double>& f) {
    double* p = f.data();
    MPI_Irecv(p + b.at(0, -1), b.lx, MPI_DOUBLE, south, 0, cart, &req[0]);
    MPI_Irecv(p + b.at(0, b.ly), b.lx, MPI_DOUBLE, north, 1, cart, &req[1]);
    MPI_Irecv(p + b.at(-1, 0), 1, column, west, 2, cart, &req[2]);
    MPI_Irecv(p + b.at(b.lx, 0), 1, column, east, 3, cart, &req[3]);
    MPI_Isend(p + b.at(0, b.ly - 1), b.lx, MPI_DOUBLE, north, 0, cart, &req[4]);
    MPI_Isend(p + b.at(0, 0), b.lx, MPI_DOUBLE, south, 1, cart, &req[5]);
    MPI_Isend(p + b.at(b.lx - 1, 0), 1, column, east, 2, cart, &req[6]);
    MPI_Isend(p + b.at(0, 0), 1, column, west, 3, cart, &req[7]);
  };

  // Rank 0 collects the whole field (for --csv): block extents, then the values.
  FILE* out = nullptr;
  if (!csv.empty()) {
    int ok = 1;
    if (rank == 0) {
      out = std::fopen(csv.c_str(), "w");
      ok  = out != nullptr;
      if (out) std::fprintf(out, "t,x,y,u\n");
    }
    MPI_Bcast(&ok, 1, MPI_INT, 0, MPI_COMM_WORLD);
    if (!ok) fail_all("cannot write '" + csv + "'");
  }
  std::vector<int> ext(4 * size);
  const int mine[4] = {b.x0, b.y0, b.lx, b.ly};
  MPI_Gather(mine, 4, MPI_INT, ext.data(), 4, MPI_INT, 0, MPI_COMM_WORLD);
  auto write_field = [&](const std::vector<double>& f, double t) {
    std::vector<double> own(static_cast<size_t>(b.lx) * b.ly);
    for (int j = 0; j < b.ly; ++j)
      for (int i = 0; i < b.lx; ++i) own[static_cast<size_t>(j) * b.lx + i] = f[b.at(i, j)];
    std::vector<int> counts(size), displs(size);
    for (int k = 0; k < size; ++k) {
      counts[k] = ext[4 * k + 2] * ext[4 * k + 3];
      displs[k] = k == 0 ? 0 : displs[k - 1] + counts[k - 1];
    }
    std::vector<double> all(rank == 0 ? static_cast<size_t>(nx) * ny : 0), whole(all.size());
    MPI_Gatherv(own.data(), b.lx * b.ly, MPI_DOUBLE, all.data(), counts.data(), displs.data(),
                MPI_DOUBLE, 0, MPI_COMM_WORLD);
    if (rank != 0) return;
    for (int k = 0; k < size; ++k)
      for (int j = 0; j < ext[4 * k + 3]; ++j)
        for (int i = 0; i < ext[4 * k + 2]; ++i)
          whole[static_cast<size_t>(ext[4 * k + 1] + j) * nx + ext[4 * k] + i] =
              all[displs[k] + static_cast<size_t>(j) * ext[4 * k + 2] + i];
    for (int j = 0; j < ny; ++j)
      for (int i = 0; i < nx; ++i)
        std::fprintf(out, "%.6g,%.6g,%.6g,%.6g\n", t, i * hx, j * hy, whole[static_cast<size_t>(j) * nx + i]);
  };

  MPI_Barrier(MPI_COMM_WORLD);
  const double t0 = MPI_Wtime();
  double best_step = 1e300;  // the fastest step of this rank (not disturbed by others' jobs)
  int frame = 0;  // the next field to write is at step frame * steps / frames
  for (long n = 0; n < steps; ++n) {
    if (!csv.empty() && frame < frames && n == frame * steps / frames) {
      write_field(u, n * dt);
      ++frame;
    }
    const double ts = MPI_Wtime();
    if (!overlap) {
      exchange_blocking(u);
      update(b, nx, ny, cx, cy, u.data(), un.data(), 0, b.lx, 0, b.ly);
    } else {
      // The inside of the block needs no halo value: update it while the
      // messages travel, then the one-node-wide rim once they have arrived.
      exchange_start(u);
      update(b, nx, ny, cx, cy, u.data(), un.data(), 1, b.lx - 1, 1, b.ly - 1);
      MPI_Waitall(8, req, MPI_STATUSES_IGNORE);
      update(b, nx, ny, cx, cy, u.data(), un.data(), 0, b.lx, 0, 1);                // bottom row
      if (b.ly > 1) update(b, nx, ny, cx, cy, u.data(), un.data(), 0, b.lx, b.ly - 1, b.ly);  // top
      update(b, nx, ny, cx, cy, u.data(), un.data(), 0, 1, 1, b.ly - 1);              // left
      if (b.lx > 1) update(b, nx, ny, cx, cy, u.data(), un.data(), b.lx - 1, b.lx, 1, b.ly - 1);
    }
    std::swap(u, un);
    best_step = std::min(best_step, MPI_Wtime() - ts);
  }
  MPI_Barrier(MPI_COMM_WORLD);
  const double time_s = MPI_Wtime() - t0;
  if (!csv.empty()) write_field(u, steps * dt);

  // Errors against both references.  Maxima do not depend on the order in
  // which they are taken; the L2 sum does, in the last bits.
  const double t_end = steps * dt;
  const double decay = std::exp(-alpha * pi * pi * (1.0 / (Lx * Lx) + 1.0 / (Ly * Ly)) * t_end);
  const double sx = std::sin(pi * hx / (2.0 * Lx)), sy = std::sin(pi * hy / (2.0 * Ly));
  const double g  = 1.0 - 4.0 * cx * sx * sx - 4.0 * cy * sy * sy;
  const double gn = std::pow(g, static_cast<double>(steps));
  double loc[3] = {0.0, 0.0, 0.0}, sq = 0.0;  // max |e|, max |u - g^n u0|, max |u|
  for (int j = 0; j < b.ly; ++j)
    for (int i = 0; i < b.lx; ++i) {
      const int    gi = b.x0 + i, gj = b.y0 + j;
      const double u0 = (gi == 0 || gj == 0 || gi == nx - 1 || gj == ny - 1)
                            ? 0.0
                            : std::sin(pi * gi * hx / Lx) * std::sin(pi * gj * hy / Ly);
      const double v  = u[b.at(i, j)];
      const double e  = v - decay * u0;
      loc[0] = std::max(loc[0], std::fabs(e));
      loc[1] = std::max(loc[1], std::fabs(v - gn * u0));
      loc[2] = std::max(loc[2], std::fabs(v));
      sq += e * e;
    }
  double glob[3], sq_all = 0.0, slowest = 0.0, step_s = 0.0;
  MPI_Reduce(loc, glob, 3, MPI_DOUBLE, MPI_MAX, 0, MPI_COMM_WORLD);
  MPI_Reduce(&sq, &sq_all, 1, MPI_DOUBLE, MPI_SUM, 0, MPI_COMM_WORLD);
  MPI_Reduce(&time_s, &slowest, 1, MPI_DOUBLE, MPI_MAX, 0, MPI_COMM_WORLD);
  MPI_Reduce(&best_step, &step_s, 1, MPI_DOUBLE, MPI_MAX, 0, MPI_COMM_WORLD);

  if (rank == 0) {
    // Effective bandwidth of the best step: each inner node is read once and
    // written once per step (16 bytes), the least traffic any code needs.
    const double bytes = 16.0 * (nx - 2) * (ny - 2);
    std::printf("heat_mpi: %d x %d nodes on %d x %d blocks, %ld steps of dt = %.6g, %s halo exchange\n",
                nx, ny, dims[1], dims[0], steps, dt, overlap ? "overlapped nonblocking" : "MPI_Sendrecv");
    std::printf("size = %d\n", size);
    std::printf("blocks = %d x %d\n", dims[1], dims[0]);
    std::printf("grid = %d x %d\n", nx, ny);
    std::printf("halo = %s\n", overlap ? "overlap" : "sendrecv");
    std::printf("dt = %.17g\n", dt);
    std::printf("r = %.17g\n", r);
    std::printf("steps = %ld\n", steps);
    std::printf("t_end = %.17g\n", t_end);
    std::printf("u_max = %.17g\n", glob[2]);
    std::printf("exact_max = %.17g\n", decay);
    std::printf("max_error = %.17g\n", glob[0]);
    std::printf("l2_error = %.17g\n", std::sqrt(sq_all * hx * hy));
    std::printf("scheme_error = %.3g\n", glob[1]);
    std::printf("check = %s\n", glob[1] <= 1e-12 ? "PASS" : "FAIL");
    std::printf("time_s = %.6f\n", slowest);
    std::printf("best_step_s = %.6g\n", steps > 0 ? step_s : 0.0);
    std::printf("bandwidth_GBps = %.3f\n", steps > 0 && step_s > 0.0 ? bytes / step_s / 1e9 : 0.0);
  }
  if (out) std::fclose(out);
  MPI_Type_free(&column);
  MPI_Comm_free(&cart);
  MPI_Finalize();
  return 0;
}
