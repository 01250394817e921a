/**
 * @file wave.cpp
 * @brief Lesson 13 (exercise): earthquake ground motion, the 2D acoustic wave equation
 * marched with leapfrog on a PETSc DMDA, with absorbing sponge layers.
 *
 * u_tt + sigma(x) u_t = c^2 (u_xx + u_yy) + s(x, t) on [0,Lx] x [0,Ly], u = 0
 * on the edges; nx x ny nodes, hx = Lx/(nx-1), hy = Ly/(ny-1).  Leapfrog with
 * the 5-point Laplacian L and a centred damping term:
 *   (1 + sigma dt/2) u^{n+1} = 2 u^n - (1 - sigma dt/2) u^{n-1} + (c dt)^2 L u^n + dt^2 s^n.
 * sigma = absorb_strength ((w - d)/w)^2 within w = absorb_width nodes of an
 * edge (d = distance to the nearest edge in nodes), 0 inside.  The source is a
 * Ricker wavelet (or a Gaussian pulse) in time, centred at t0 = 1.2/f0 and
 * exactly 0 after 2 t0, times a Gaussian of radius R in space.
 * Defaults: the seed's 200 x 120 nodes, 40 km x 24 km, c = 2500 m/s,
 * dt = 0.002 s, 1100 steps.  A time step with c dt sqrt(1/hx^2 + 1/hy^2) > 1
 * is refused with one error line.
 *
 * What proves it right:
 *  - energy: E^{n+1/2} = hx hy sum [ 1/2 ((u^{n+1}-u^n)/dt)^2 + 1/2 u^{n+1} (-c^2 L u^n) ]
 *    is exactly conserved by leapfrog when sigma = 0 and s = 0, and never
 *    grows when sigma >= 0: `energy_rel_change` after the source stops is
 *    round-off without absorption and negative with it (`check = PASS`);
 *  - `symmetry_x`, `symmetry_y`: a source at the centre gives a field that is
 *    mirror-symmetric to the last bit;
 *  - the field and the seismograms are the same bit for bit at any NP
 *    (`seismogram_sum`, `u_max`); reference.py (numpy) computes the same.
 * Run: `make run PROG=wave NP=4`; `-help` lists the options, e.g.
 *   mpiexec -n 2 build/system/wave -seismogram seis.csv -vtk wave.vts
 */
static char help[] = "2D acoustic wave equation (earthquake ground motion) on a DMDA, leapfrog in time (lesson 13).\n"
                     "u_tt + sigma u_t = c^2 lap u + s, u = 0 on the edges, sponge layers sigma near the edges.\n"
                     "Prints progress every -output_interval steps, the discrete energy and the seismograms.\n\n";

#include <petscdmda.h>
#include <petscsf.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <utility>
#include <vector>

#include "petsc_cli.hpp"

typedef struct {
  PetscInt  nx, ny;          // nodes per direction, edges included
  PetscReal Lx, Ly;          // the rectangle (m)
  PetscReal c;               // wave speed (m/s)
  PetscReal dt;              // time step (s)
  PetscReal hx, hy;          // node spacing (m)
  PetscReal cx, cy;          // (c dt/hx)^2, (c dt/hy)^2
  PetscInt  width;           // sponge width in nodes
  PetscReal strength;        // sponge sigma at the edge (1/s)
  PetscReal f0, t0;          // source peak frequency (Hz) and delay (s)
  PetscReal sx, sy, radius;  // source centre in node units, radius (m)
  PetscReal amplitude;       // source amplitude (m/s^2)
  PetscBool ricker;          // Ricker wavelet or Gaussian pulse
  std::vector<PetscReal> h;  // h[d] = sigma dt/2 at d nodes from the nearest edge, d = 0..width
} AppCtx;

// Time function of the source: 0 before t = 0 and after t = 2 t0 exactly.
static PetscReal SourceTime(PetscReal t, const AppCtx* user)
{
  if (t < 0.0 || t > 2.0 * user->t0) return 0.0;
  const PetscReal a = PetscSqr(PETSC_PI * user->f0 * (t - user->t0));
  return user->ricker ? (1.0 - 2.0 * a) * std::exp(-a) : std::exp(-a);
}

// Damping at node (i, j): strength ((w - d)/w)^2 within w nodes of an edge.
// d is an integer, so the profile is exactly mirror-symmetric.
static PetscReal Sigma(PetscInt i, PetscInt j, const AppCtx* user)
{
  const PetscInt d = PetscMin(PetscMin(i, user->nx - 1 - i), PetscMin(j, user->ny - 1 - j));
  if (d >= user->width) return 0.0;
  const PetscReal r = (PetscReal)(user->width - d) / user->width;
  return user->strength * r * r;
}

// The sponge's h = sigma dt/2 as a table by distance d = 0..width to the edge
// (h[width] = 0): the update looks it up instead of evaluating Sigma per node.
static void DampingTable(AppCtx* user)
{
  user->h.assign(user->width + 1, 0.0);
  for (PetscInt d = 0; d < user->width; ++d) {  // the same operations as Sigma: the same bits
    const PetscReal r = (PetscReal)(user->width - d) / user->width;
    user->h[d]        = 0.5 * (user->strength * r * r) * user->dt;
  }
}

// The box of nodes where the source's Gaussian is not negligible (4 radii).
static void SourceBox(const AppCtx* user, PetscInt* i0, PetscInt* i1, PetscInt* j0, PetscInt* j1)
{
  const PetscReal kx = 4.0 * user->radius / user->hx, ky = 4.0 * user->radius / user->hy;
  *i0 = PetscMax(1, (PetscInt)std::ceil(user->sx - kx));
  *i1 = PetscMin(user->nx - 2, (PetscInt)std::floor(user->sx + kx));
  *j0 = PetscMax(1, (PetscInt)std::ceil(user->sy - ky));
  *j1 = PetscMin(user->ny - 2, (PetscInt)std::floor(user->sy + ky));
}

// The leapfrog at node i of one row: S, C, N are rows j-1, j, j+1 of u^n, O is
// row j of w (u^{n-1} on entry, u^{n+1} on exit).  Plain: u^{n+1} = 2 u^n - u^{n-1} + lap.
static inline void Leapfrog(const PetscScalar* S, const PetscScalar* C, const PetscScalar* N, PetscScalar* O,
                            PetscInt i, PetscReal cx, PetscReal cy)
{
  const PetscReal lap = cx * ((C[i - 1] + C[i + 1]) - 2.0 * C[i]) + cy * ((S[i] + N[i]) - 2.0 * C[i]);
  // TODO 1: the leapfrog step u^{n+1} = 2 u^n - u^{n-1} + lap (O[i] is u^{n-1}).
  // Write it in exactly this order so that it matches TODO 2 with h = 0.
  O[i] = lap;
}

// The same at a sponge node, h = sigma dt/2: (1 + h) u^{n+1} = 2 u^n - (1 - h) u^{n-1} + lap.
// (The same operations in the same order as Leapfrog when h = 0.)
static inline void LeapfrogDamped(const PetscScalar* S, const PetscScalar* C, const PetscScalar* N,
                                  PetscScalar* O, PetscInt i, PetscReal cx, PetscReal cy, PetscReal h)
{
  const PetscReal lap = cx * ((C[i - 1] + C[i + 1]) - 2.0 * C[i]) + cy * ((S[i] + N[i]) - 2.0 * C[i]);
  // TODO 2: the damped leapfrog, (1 + h) u^{n+1} = 2 u^n - (1 - h) u^{n-1} + lap.
  // O[i] holds u^{n-1} on entry and must hold u^{n+1} on exit.
  (void)h;
  O[i] = lap;
}

// Rows per pass of the sweep outside the sponge (see FormFunctionLocal).
constexpr int kRowsPerPass = 4;

// The plain leapfrog on columns [a, b) of K rows at once, j ... j+K-1: `u`
// points at row j-1 of u^n, `w` at row j of w, rows `s` apart (the ghosted
// local arrays store rows one after another), indexed by global i.  For each
// column i the K nodes above each other are updated together, so each row of
// u that comes in from the caches serves up to three output rows at once
// (lesson 08 measured why that matters).  Each node is Leapfrog's, so the
// bits do not depend on K.  K is a compile-time constant:
// the compiler unrolls the k loop, and `omp simd` (compiled with
// -fopenmp-simd; no threads) tells it to vectorise over i.
template <int K>
static void LeapfrogRows(const PetscScalar* __restrict u, PetscScalar* __restrict w, PetscInt s, PetscInt a,
                         PetscInt b, PetscReal cx, PetscReal cy)
{
#pragma omp simd
  for (PetscInt i = a; i < b; ++i)
    for (int k = 0; k < K; ++k) Leapfrog(u + k * s, u + (k + 1) * s, u + (k + 2) * s, w + k * s, i, cx, cy);
}

// One leapfrog step on the owned nodes at time t = n dt.  `u` is u^n with
// its halo filled; `w` holds u^{n-1} on entry and u^{n+1} on exit (each node
// reads only its own old value, so in place is safe).  Both are ghosted local
// arrays indexed [j][i] by global node.  The sweep works on plain row
// pointers, so the inner loop is a branch-free stream that the compiler
// vectorises; outside the sponge rows it takes kRowsPerPass rows per pass.
static PetscErrorCode FormFunctionLocal(DMDALocalInfo* info, const PetscScalar* const* u, PetscScalar** w,
                                        PetscReal t, const AppCtx* user)
{
  const PetscReal  cx = user->cx, cy = user->cy;
  const PetscReal* hd = user->h.data();
  const PetscInt   W = user->width, mx = info->mx, my = info->my;

  PetscFunctionBeginUser;
  const PetscInt ib = PetscMax(info->xs, 1), ie = PetscMin(info->xs + info->xm, mx - 1), je = info->ys + info->ym;
  // Columns [a, b) of a row outside the sponge rows are outside the sponge too.
  const PetscInt a = PetscMin(PetscMax(ib, W), ie), b = PetscMax(PetscMin(ie, mx - 1 - W), a);
  auto in_sponge_row = [&](PetscInt j) { return PetscMin(j, my - 1 - j) < W; };
  // The edge columns (u = 0) and the sponge columns of row j; with columns
  // [a, b) of the row to do, this row is complete.
  auto row_ends = [&](PetscInt j) {
    if (info->xs == 0) w[j][0] = 0.0;
    if (info->xs + info->xm == mx) w[j][mx - 1] = 0.0;
    const PetscInt dj = PetscMin(j, my - 1 - j);
    for (PetscInt i = ib; i < a; ++i) LeapfrogDamped(u[j - 1], u[j], u[j + 1], w[j], i, cx, cy, hd[PetscMin(dj, i)]);
    for (PetscInt i = b; i < ie; ++i)
      LeapfrogDamped(u[j - 1], u[j], u[j + 1], w[j], i, cx, cy, hd[PetscMin(dj, mx - 1 - i)]);
  };
  for (PetscInt j = info->ys; j < je; ++j) {
    if (j == 0 || j == my - 1) {  // edge rows stay 0
      for (PetscInt i = info->xs; i < info->xs + info->xm; ++i) w[j][i] = 0.0;
      continue;
    }
    if (in_sponge_row(j)) {  // the whole row is damped: h from the table by distance to the nearest edge
      const PetscInt dj = PetscMin(j, my - 1 - j);
      if (info->xs == 0) w[j][0] = 0.0;
      if (info->xs + info->xm == mx) w[j][mx - 1] = 0.0;
      for (PetscInt i = ib; i < ie; ++i)
        LeapfrogDamped(u[j - 1], u[j], u[j + 1], w[j], i, cx, cy, hd[PetscMin(dj, PetscMin(i, mx - 1 - i))]);
      continue;
    }
    // The bulk of the work: rows j ... j+K-1, all owned, inside, outside the
    // sponge (the sponge rows are two bands at the ends, so checking the
    // last row is enough); otherwise row j alone.
    const PetscInt K = kRowsPerPass, last = j + K - 1;
    if (last < je && last < my - 1 && !in_sponge_row(last)) {
      for (PetscInt k = 0; k < K; ++k) row_ends(j + k);
      LeapfrogRows<kRowsPerPass>(u[j - 1], w[j], info->gxm, a, b, cx, cy);
      j = last;
    } else {
      row_ends(j);
      LeapfrogRows<1>(u[j - 1], w[j], info->gxm, a, b, cx, cy);
    }
  }

  // The source term dt^2 s / (1 + sigma dt/2) on the owned nodes of its box.
  const PetscReal st = SourceTime(t, user);
  if (st != 0.0) {
    PetscInt i0, i1, j0, j1;
    SourceBox(user, &i0, &i1, &j0, &j1);
    const PetscReal R2 = user->radius * user->radius, dt = user->dt;
    for (PetscInt j = PetscMax(j0, info->ys); j <= PetscMin(j1, info->ys + info->ym - 1); ++j)
      for (PetscInt i = PetscMax(i0, info->xs); i <= PetscMin(i1, info->xs + info->xm - 1); ++i) {
        const PetscReal dx = (i - user->sx) * user->hx, dy = (j - user->sy) * user->hy;
        const PetscReal g = std::exp(-(dx * dx + dy * dy) / R2);
        w[j][i] += dt * dt * user->amplitude * st * g / (1.0 + 0.5 * Sigma(i, j, user) * dt);
      }
  }
  PetscFunctionReturn(0);
}

// The discrete energy E^{n+1/2} from u^n (ghosted) and u^{n+1}: kinetic
// 1/2 |(u^{n+1} - u^n)/dt|^2 plus the staggered potential 1/2 <u^{n+1}, -c^2 L u^n>,
// summed over the inner nodes and multiplied by the cell area.  Collective.
static PetscErrorCode Energy(DMDALocalInfo* info, const PetscScalar* const* u, const PetscScalar* const* unew,
                             const AppCtx* user, PetscReal* energy)
{
  const PetscReal c2 = user->c * user->c, ihx2 = 1.0 / (user->hx * user->hx), ihy2 = 1.0 / (user->hy * user->hy);
  PetscReal       kin = 0.0, pot = 0.0, loc[2], glob[2];

  PetscFunctionBeginUser;
  for (PetscInt j = PetscMax(info->ys, 1); j < PetscMin(info->ys + info->ym, info->my - 1); ++j)
    for (PetscInt i = PetscMax(info->xs, 1); i < PetscMin(info->xs + info->xm, info->mx - 1); ++i) {
      const PetscReal v = (unew[j][i] - u[j][i]) / user->dt;
      const PetscReal Au = c2 * ((2.0 * u[j][i] - (u[j][i - 1] + u[j][i + 1])) * ihx2 +
                                 (2.0 * u[j][i] - (u[j - 1][i] + u[j + 1][i])) * ihy2);
      kin += v * v;
      // TODO 3: the staggered potential energy, u^{n+1} times (-c^2 L u^n) = Au.
      (void)Au;
    }
  loc[0] = kin, loc[1] = pot;
  PetscCallMPI(MPI_Allreduce(loc, glob, 2, MPIU_REAL, MPI_SUM, PETSC_COMM_WORLD));
  *energy = 0.5 * (glob[0] + glob[1]) * user->hx * user->hy;
  PetscFunctionReturn(0);
}

// The whole field on rank 0 in natural order (i fastest); empty elsewhere.
static PetscErrorCode GatherField(DM da, Vec U, std::vector<PetscReal>* field)
{
  Vec                natural, all;
  VecScatter         scatter;
  const PetscScalar* a;
  PetscInt           n;

  PetscFunctionBeginUser;
  PetscCall(DMDACreateNaturalVector(da, &natural));
  PetscCall(DMDAGlobalToNaturalBegin(da, U, INSERT_VALUES, natural));
  PetscCall(DMDAGlobalToNaturalEnd(da, U, INSERT_VALUES, natural));
  PetscCall(VecScatterCreateToZero(natural, &scatter, &all));
  PetscCall(VecScatterBegin(scatter, natural, all, INSERT_VALUES, SCATTER_FORWARD));
  PetscCall(VecScatterEnd(scatter, natural, all, INSERT_VALUES, SCATTER_FORWARD));
  PetscCall(VecGetLocalSize(all, &n));
  PetscCall(VecGetArrayRead(all, &a));
  field->assign(a, a + n);
  PetscCall(VecRestoreArrayRead(all, &a));
  PetscCall(VecScatterDestroy(&scatter));
  PetscCall(VecDestroy(&all));
  PetscCall(VecDestroy(&natural));
  PetscFunctionReturn(0);
}

// Rank 0 writes the field as a CSV table: ny/stride rows of nx/stride values.
static PetscErrorCode WriteSnapshot(DM da, Vec U, const AppCtx* user, const char* prefix, PetscInt step,
                                    PetscInt stride)
{
  std::vector<PetscReal> f;
  PetscMPIInt            rank;

  PetscFunctionBeginUser;
  PetscCall(GatherField(da, U, &f));
  PetscCallMPI(MPI_Comm_rank(PETSC_COMM_WORLD, &rank));
  if (rank == 0) {
    char name[PETSC_MAX_PATH_LEN];
    PetscCall(PetscSNPrintf(name, sizeof name, "%s-%05" PetscInt_FMT ".csv", prefix, step));
    FILE* fp = std::fopen(name, "w");
    PetscCheck(fp, PETSC_COMM_SELF, PETSC_ERR_FILE_OPEN, "cannot write %s", name);
    std::fprintf(fp, "# u at t = %.6g s, step %d, every %d-th node of %d x %d, rows y = 0..Ly, columns x = 0..Lx\n",
                 (double)(step * user->dt), (int)step, (int)stride, (int)user->nx, (int)user->ny);
    for (PetscInt j = 0; j < user->ny; j += stride)
      for (PetscInt i = 0; i < user->nx; i += stride)
        std::fprintf(fp, "%.4e%s", (double)f[j * user->nx + i], i + stride < user->nx ? "," : "\n");
    std::fclose(fp);
  }
  PetscFunctionReturn(0);
}

// The halo as a star forest (PetscSF), as in lesson 08: DMLocalToLocal would
// also copy every owned node onto itself each step.  Every rank's ghosted
// local array is a set of roots; the leaves of this rank are its halo nodes (the star stencil
// needs no corners), each attached to the same node in its owner's local
// array.  PetscSFBcast(roots -> leaves) then copies exactly the halo: the
// owned nodes are never touched.  The DMDA numbers its ranks x fastest:
// block (p, q) is rank q m + p, with lx[p] x ly[q] nodes.
static PetscErrorCode CreateHaloSF(DM da, PetscSF* sf)
{
  PetscInt        M, N, m, n;
  const PetscInt *lx, *ly;
  PetscMPIInt     rank;

  PetscFunctionBeginUser;
  PetscCallMPI(MPI_Comm_rank(PETSC_COMM_WORLD, &rank));
  PetscCall(DMDAGetInfo(da, NULL, &M, &N, NULL, &m, &n, NULL, NULL, NULL, NULL, NULL, NULL, NULL));
  PetscCall(DMDAGetOwnershipRanges(da, &lx, &ly, NULL));
  std::vector<PetscInt> x0(m + 1, 0), y0(n + 1, 0);  // first node of each block column / row
  for (PetscInt p = 0; p < m; ++p) x0[p + 1] = x0[p] + lx[p];
  for (PetscInt q = 0; q < n; ++q) y0[q + 1] = y0[q] + ly[q];
  // Where node (i, j) sits in the ghosted local array of block (p, q): the
  // array starts one node before the block (unless at the edge of the grid).
  auto gx     = [&](PetscInt p) { return PetscMax(x0[p] - 1, 0); };
  auto gy     = [&](PetscInt q) { return PetscMax(y0[q] - 1, 0); };
  auto width  = [&](PetscInt p) { return PetscMin(x0[p + 1] + 1, M) - gx(p); };
  auto offset = [&](PetscInt p, PetscInt q, PetscInt i, PetscInt j) { return (j - gy(q)) * width(p) + (i - gx(p)); };

  const PetscInt          p = rank % m, q = rank / m;
  const PetscInt          xs = x0[p], xe = x0[p + 1], ys = y0[q], ye = y0[q + 1];
  std::vector<PetscInt>    leaves;
  std::vector<PetscSFNode> roots;
  auto add = [&](PetscInt i, PetscInt j, PetscInt po, PetscInt qo) {  // node (i, j), owned by block (po, qo)
    leaves.push_back(offset(p, q, i, j));
    roots.push_back({(PetscInt)(qo * m + po), offset(po, qo, i, j)});
  };
  for (PetscInt j = ys; j < ye; ++j) {  // the west and east halo columns
    if (xs > 0) add(xs - 1, j, p - 1, q);
    if (xe < M) add(xe, j, p + 1, q);
  }
  for (PetscInt i = xs; i < xe; ++i) {  // the south and north halo rows
    if (ys > 0) add(i, ys - 1, p, q - 1);
    if (ye < N) add(i, ye, p, q + 1);
  }
  const PetscInt nroots = width(p) * (PetscMin(ye + 1, N) - gy(q));  // this rank's local array
  PetscCall(PetscSFCreate(PETSC_COMM_WORLD, sf));
  PetscCall(PetscSFSetGraph(*sf, nroots, (PetscInt)leaves.size(), leaves.data(), PETSC_COPY_VALUES, roots.data(),
                            PETSC_COPY_VALUES));
  PetscCall(PetscSFSetUp(*sf));
  PetscFunctionReturn(0);
}

// The halo exchange, in place: the neighbours' edge values of u^n into the
// ghost nodes of Ul.  Only halo values move (nothing at all on one rank).
static PetscErrorCode ExchangeHalo(PetscSF sf, Vec Ul)
{
  PetscScalar* a;

  PetscFunctionBeginUser;
  PetscCall(VecGetArray(Ul, &a));
  PetscCall(PetscSFBcastBegin(sf, MPIU_SCALAR, a, a, MPI_REPLACE));
  PetscCall(PetscSFBcastEnd(sf, MPIU_SCALAR, a, a, MPI_REPLACE));
  PetscCall(VecRestoreArray(Ul, &a));
  PetscFunctionReturn(0);
}

int main(int argc, char** argv)
{
  PetscCall(PetscInitialize(&argc, &argv, NULL, help));

  PetscMPIInt rank = 0, size = 0;
  PetscCallMPI(MPI_Comm_rank(PETSC_COMM_WORLD, &rank));
  PetscCallMPI(MPI_Comm_size(PETSC_COMM_WORLD, &size));

  // Check the text of every numeric option first: one line for -nx abc, -dt -1, ...
  std::string error;
  const char* ints[]   = {"-nx", "-ny", "-steps", "-absorb_width", "-output_interval", "-snapshot_interval",
                          "-snapshot_stride"};
  const long  int_lo[] = {5, 5, 0, 0, 0, 0, 1}, int_hi[] = {100000, 100000, 100000000, 100000, 100000000,
                                                           100000000, 1000};
  for (int k = 0; k < 7 && error.empty(); ++k) PetscCall(CheckIntOption(ints[k], int_lo[k], int_hi[k], &error));
  const char*  reals[]   = {"-lx", "-ly", "-c", "-dt", "-absorb_strength", "-f0", "-source_x", "-source_y",
                            "-source_radius", "-source_amplitude"};
  const double real_lo[] = {1e-3, 1e-3, 1e-6, 1e-12, 0.0, 1e-6, -1e300, -1e300, 1e-9, -1e300};
  const double real_hi[] = {1e9, 1e9, 1e9, 1e6, 1e9, 1e9, 1e300, 1e300, 1e9, 1e300};
  for (int k = 0; k < 10 && error.empty(); ++k)
    PetscCall(CheckRealOption(reals[k], real_lo[k], real_hi[k], &error));
  if (!error.empty()) {
    PetscCall(PrintError(error));
    PetscCall(PetscFinalize());
    return 1;
  }

  AppCtx user;
  user.nx = 200, user.ny = 120, user.Lx = 40000.0, user.Ly = 24000.0, user.c = 2500.0, user.dt = 0.002;
  user.width = 20, user.strength = 6.0, user.f0 = 1.5, user.amplitude = 1.0, user.ricker = PETSC_TRUE;
  PetscInt  steps = 1100, output_interval = 100, snapshot_interval = 0, stride = 1;
  PetscReal xs = -1.0, ys = -1.0, radius = 400.0;  // xs, ys < 0: the centre
  PetscReal rx[16], ry[16];
  PetscInt  nrx = 16, nry = 16;
  PetscBool setx = PETSC_FALSE, sety = PETSC_FALSE;
  char      source_type[32] = "ricker", seis_file[PETSC_MAX_PATH_LEN] = "", snap_prefix[PETSC_MAX_PATH_LEN] = "";
  char      vtk_file[PETSC_MAX_PATH_LEN] = "", history_file[PETSC_MAX_PATH_LEN] = "";
  PetscOptionsBegin(PETSC_COMM_WORLD, NULL, "Wave equation options", "DMDA");
  PetscCall(PetscOptionsInt("-nx", "grid nodes in x, edges included (5 to 1e5)", "", user.nx, &user.nx, NULL));
  PetscCall(PetscOptionsInt("-ny", "grid nodes in y, edges included (5 to 1e5)", "", user.ny, &user.ny, NULL));
  PetscCall(PetscOptionsReal("-lx", "domain length in x (m)", "", user.Lx, &user.Lx, NULL));
  PetscCall(PetscOptionsReal("-ly", "domain length in y (m)", "", user.Ly, &user.Ly, NULL));
  PetscCall(PetscOptionsReal("-c", "wave speed (m/s)", "", user.c, &user.c, NULL));
  PetscCall(PetscOptionsReal("-dt", "time step (s); c dt sqrt(1/hx^2 + 1/hy^2) <= 1", "", user.dt, &user.dt, NULL));
  PetscCall(PetscOptionsInt("-steps", "number of time steps", "", steps, &steps, NULL));
  PetscCall(PetscOptionsInt("-absorb_width", "sponge width in nodes (0: no sponge)", "", user.width, &user.width, NULL));
  PetscCall(PetscOptionsReal("-absorb_strength", "sponge damping at the edge (1/s; 0: no damping)", "", user.strength,
                             &user.strength, NULL));
  PetscCall(PetscOptionsString("-source_type", "ricker or gauss", "", source_type, source_type, sizeof source_type, NULL));
  PetscCall(PetscOptionsReal("-f0", "source peak frequency (Hz); delay t0 = 1.2/f0", "", user.f0, &user.f0, NULL));
  PetscCall(PetscOptionsReal("-source_x", "source x (m; default: the centre)", "", xs, &xs, NULL));
  PetscCall(PetscOptionsReal("-source_y", "source y (m; default: the centre)", "", ys, &ys, NULL));
  PetscCall(PetscOptionsReal("-source_radius", "source Gaussian radius (m)", "", radius, &radius, NULL));
  PetscCall(PetscOptionsReal("-source_amplitude", "source amplitude (m/s^2)", "", user.amplitude, &user.amplitude, NULL));
  PetscCall(PetscOptionsRealArray("-receiver_x", "receiver x positions (m; default 1, 2, 3 km east of the source)", "",
                                  rx, &nrx, &setx));
  PetscCall(PetscOptionsRealArray("-receiver_y", "receiver y positions (m; default the source's y)", "", ry, &nry, &sety));
  PetscCall(PetscOptionsInt("-output_interval", "progress line every N steps (0: none)", "", output_interval,
                            &output_interval, NULL));
  PetscCall(PetscOptionsString("-seismogram", "CSV file for the receivers' traces", "", seis_file, seis_file,
                               sizeof seis_file, NULL));
  // Not "-history": PetscInitialize takes that option itself and copies every
  // PetscPrintf line into the named file (the same file would get both).
  PetscCall(PetscOptionsString("-energy_history", "CSV file for the energy at each progress line", "", history_file,
                               history_file, sizeof history_file, NULL));
  PetscCall(PetscOptionsString("-snapshot_prefix", "write the field to PREFIX-STEP.csv", "", snap_prefix, snap_prefix,
                               sizeof snap_prefix, NULL));
  PetscCall(PetscOptionsInt("-snapshot_interval", "a snapshot every N steps (0: the last step only)", "",
                            snapshot_interval, &snapshot_interval, NULL));
  PetscCall(PetscOptionsInt("-snapshot_stride", "keep every N-th node in snapshots", "", stride, &stride, NULL));
  PetscCall(PetscOptionsString("-vtk", "write the final field to this .vts file (ParaView)", "", vtk_file, vtk_file,
                               sizeof vtk_file, NULL));
  PetscOptionsEnd();

  user.hx = user.Lx / (user.nx - 1);
  user.hy = user.Ly / (user.ny - 1);
  user.cx = PetscSqr(user.c * user.dt / user.hx);
  user.cy = PetscSqr(user.c * user.dt / user.hy);
  user.t0 = 1.2 / user.f0;
  user.radius = radius;
  DampingTable(&user);
  // The source centre in node units: exactly (n-1)/2 for the centre.
  if (xs < 0.0) xs = 0.5 * user.Lx;
  if (ys < 0.0) ys = 0.5 * user.Ly;
  user.sx = xs / user.Lx * (user.nx - 1);
  user.sy = ys / user.Ly * (user.ny - 1);
  const PetscReal courant = user.c * user.dt * PetscSqrtReal(1.0 / (user.hx * user.hx) + 1.0 / (user.hy * user.hy));

  std::string type = source_type;
  if (!setx) {  // the default receivers: 1, 2 and 3 km east of the source
    nrx = 3;
    for (PetscInt k = 0; k < 3; ++k) rx[k] = xs + 1000.0 * (k + 1);
  }
  if (!sety) {
    nry = nrx;
    for (PetscInt k = 0; k < nrx; ++k) ry[k] = ys;
  }
  char msg[256];
  if (courant > 1.0) {
    PetscCall(PetscSNPrintf(msg, sizeof msg, "unstable: c dt sqrt(1/hx^2 + 1/hy^2) = %.4g > 1; use -dt <= %.6g",
                            (double)courant, (double)(user.dt / courant)));
    error = msg;
  } else if (type != "ricker" && type != "gauss") {
    error = "-source_type must be ricker or gauss, got '" + type + "'";
  } else if (xs > user.Lx || ys > user.Ly) {
    error = "the source must lie inside the domain (0..lx, 0..ly)";
  } else if (nrx != nry) {
    error = "-receiver_x and -receiver_y need the same number of values";
  } else if (2 * user.width >= PetscMin(user.nx, user.ny)) {
    error = "-absorb_width " + std::to_string(user.width) + " leaves no inner region on a " +
            std::to_string(user.nx) + " x " + std::to_string(user.ny) + " grid";
  }
  for (PetscInt k = 0; k < nrx && error.empty(); ++k)
    if (!(rx[k] >= 0.0 && rx[k] <= user.Lx && ry[k] >= 0.0 && ry[k] <= user.Ly)) {
      std::snprintf(msg, sizeof msg, "receiver %d at (%g, %g) m is outside the domain", (int)k, (double)rx[k],
                    (double)ry[k]);
      error = msg;
    }
  if (!error.empty()) {
    PetscCall(PrintError(error));
    PetscCall(PetscFinalize());
    return 1;
  }
  user.ricker = type == "ricker" ? PETSC_TRUE : PETSC_FALSE;

  // A 2D distributed array: one dof per node, star stencil of width 1, no
  // periodic wrap; PETSc chooses the blocks (-da_processors_x/y to change).
  DM da;
  PetscCall(DMDACreate2d(PETSC_COMM_WORLD, DM_BOUNDARY_NONE, DM_BOUNDARY_NONE, DMDA_STENCIL_STAR, user.nx, user.ny,
                         PETSC_DECIDE, PETSC_DECIDE, 1, 1, NULL, NULL, &da));
  PetscCall(DMSetFromOptions(da));
  PetscCall(DMSetUp(da));
  PetscCall(DMDASetUniformCoordinates(da, 0.0, user.Lx, 0.0, user.Ly, 0.0, 0.0));

  DMDALocalInfo info;
  PetscCall(DMDAGetLocalInfo(da, &info));
  PetscInt px = 0, py = 0;
  PetscCall(DMDAGetInfo(da, NULL, NULL, NULL, NULL, &px, &py, NULL, NULL, NULL, NULL, NULL, NULL, NULL));

  // The time loop works on two ghosted local vectors only: Ul holds u^n,
  // Wl holds u^{n-1} and receives u^{n+1}; then the handles swap.  The global
  // vector U is for output (norms, snapshots, VTK), filled when needed.
  Vec U, Ul, Wl;
  PetscCall(DMCreateGlobalVector(da, &U));
  PetscCall(PetscObjectSetName((PetscObject)U, "u"));
  PetscCall(DMCreateLocalVector(da, &Ul));
  PetscCall(VecDuplicate(Ul, &Wl));
  PetscCall(VecSet(Ul, 0.0));  // at rest: u^0 = u^{-1} = 0
  PetscCall(VecSet(Wl, 0.0));

  // Receivers: the nearest node; its owner records the trace.
  std::vector<PetscInt>  ri(nrx), rj(nrx);
  std::vector<PetscReal> trace((size_t)nrx * (steps + 1), 0.0);
  for (PetscInt k = 0; k < nrx; ++k) {
    ri[k] = (PetscInt)std::lround(rx[k] / user.hx);
    rj[k] = (PetscInt)std::lround(ry[k] / user.hy);
  }
  auto owned = [&](PetscInt i, PetscInt j) {
    return i >= info.xs && i < info.xs + info.xm && j >= info.ys && j < info.ys + info.ym;
  };

  PetscInt n_off = 0;  // the first step whose source term is exactly 0 (and stays 0)
  while (n_off <= steps && n_off * user.dt <= 2.0 * user.t0) ++n_off;

  FILE* hist = NULL;
  if (history_file[0] && rank == 0) {
    hist = std::fopen(history_file, "w");
    if (hist) std::fprintf(hist, "step,t,energy,max_abs_u\n");
  }
  PetscCall(PetscPrintf(PETSC_COMM_WORLD,
                        "wave: %" PetscInt_FMT " x %" PetscInt_FMT " nodes (%.0f m x %.0f m cells) on %" PetscInt_FMT
                        " x %" PetscInt_FMT " blocks, c = %.0f m/s, dt = %g s, Courant number %.4f, %" PetscInt_FMT
                        " steps\n",
                        user.nx, user.ny, (double)user.hx, (double)user.hy, px, py, (double)user.c, (double)user.dt,
                        (double)courant, steps));

  PetscReal energy = 0.0, energy_off = 0.0, energy_max_rise = 0.0, energy_prev = 0.0;
  PetscBool have_off = PETSC_FALSE;
  double    compute_s = 0.0, best_step = 1e300;  // all steps; the fastest one
  // The star forest of the halo, and a first exchange, which sets up its
  // communication: do it here (u^0 = 0, nothing changes) so that the timed
  // loop holds only the steps.
  PetscSF sf;
  PetscCall(CreateHaloSF(da, &sf));
  PetscCall(ExchangeHalo(sf, Ul));
  PetscCallMPI(MPI_Barrier(PETSC_COMM_WORLD));
  const double t_start = MPI_Wtime();
  for (PetscInt n = 0; n < steps; ++n) {
    const double       ts = MPI_Wtime();
    const PetscScalar* const* u;
    PetscScalar**             w;
    PetscCall(ExchangeHalo(sf, Ul));  // u^n's halo from the neighbours
    PetscCall(DMDAVecGetArrayRead(da, Ul, (void*)&u));
    PetscCall(DMDAVecGetArray(da, Wl, &w));
    PetscCall(FormFunctionLocal(&info, u, w, n * user.dt, &user));
    const double step_s = MPI_Wtime() - ts;
    compute_s += step_s;
    best_step = std::min(best_step, step_s);
    for (PetscInt k = 0; k < nrx; ++k)
      if (owned(ri[k], rj[k])) trace[(size_t)k * (steps + 1) + n + 1] = w[rj[k]][ri[k]];

    // The energy E^{n+1/2} at progress lines, when the source stops, at the end.
    const bool progress = output_interval > 0 && (n + 1) % output_interval == 0;
    const bool measure = progress || n == n_off || n == steps - 1;
    if (measure) {
      PetscCall(Energy(&info, u, (const PetscScalar* const*)w, &user, &energy));
      if (n >= n_off) {
        if (!have_off) energy_off = energy, energy_prev = energy, have_off = PETSC_TRUE;
        energy_max_rise = PetscMax(energy_max_rise, (energy - energy_prev) / PetscMax(energy_off, PETSC_SMALL));
        energy_prev = energy;
      }
    }
    PetscCall(DMDAVecRestoreArray(da, Wl, &w));
    PetscCall(DMDAVecRestoreArrayRead(da, Ul, (void*)&u));
    std::swap(Ul, Wl);  // u^{n+1} is now Ul, u^n is Wl (handles only, no copy)

    const bool snapshot = snap_prefix[0] && snapshot_interval > 0 && (n + 1) % snapshot_interval == 0;
    if (measure || snapshot) PetscCall(DMLocalToGlobal(da, Ul, INSERT_VALUES, U));  // the owned values of u^{n+1}
    if (measure) {
      PetscReal umax;
      PetscCall(VecNorm(U, NORM_INFINITY, &umax));
      if (progress)
        PetscCall(PetscPrintf(PETSC_COMM_WORLD, "step %6" PetscInt_FMT "  t = %8.3f s  max|u| = %.6e  energy = %.10e\n",
                              n + 1, (double)((n + 1) * user.dt), (double)umax, (double)energy));
      if (hist)
        std::fprintf(hist, "%d,%.6g,%.10e,%.6e\n", (int)(n + 1), (double)((n + 1) * user.dt), (double)energy,
                     (double)umax);
    }
    if (snapshot) PetscCall(WriteSnapshot(da, U, &user, snap_prefix, n + 1, stride));
  }
  PetscCallMPI(MPI_Barrier(PETSC_COMM_WORLD));
  double time_s = MPI_Wtime() - t_start, slowest = 0.0, compute_max = 0.0;
  PetscCallMPI(MPI_Reduce(&time_s, &slowest, 1, MPI_DOUBLE, MPI_MAX, 0, PETSC_COMM_WORLD));
  PetscCallMPI(MPI_Reduce(&compute_s, &compute_max, 1, MPI_DOUBLE, MPI_MAX, 0, PETSC_COMM_WORLD));
  double step_max = 0.0;  // the fastest step of the slowest rank
  PetscCallMPI(MPI_Reduce(&best_step, &step_max, 1, MPI_DOUBLE, MPI_MAX, 0, PETSC_COMM_WORLD));
  if (hist) std::fclose(hist);
  PetscCall(DMLocalToGlobal(da, Ul, INSERT_VALUES, U));  // the final field (steps = 0: zeros)
  if (snap_prefix[0] && snapshot_interval == 0) PetscCall(WriteSnapshot(da, U, &user, snap_prefix, steps, stride));

  // The traces on rank 0: every value has one owner, the others add 0 (exact).
  std::vector<PetscReal> traces(trace.size(), 0.0);
  PetscCallMPI(MPI_Reduce(trace.data(), traces.data(), (int)trace.size(), MPIU_REAL, MPI_SUM, 0, PETSC_COMM_WORLD));
  if (rank == 0 && seis_file[0]) {
    FILE* fp = std::fopen(seis_file, "w");
    if (fp) {
      std::fprintf(fp, "t");
      for (PetscInt k = 0; k < nrx; ++k) std::fprintf(fp, ",r%d", (int)k);
      std::fprintf(fp, "\n");
      for (PetscInt n = 0; n <= steps; ++n) {
        std::fprintf(fp, "%.6g", (double)(n * user.dt));
        for (PetscInt k = 0; k < nrx; ++k) std::fprintf(fp, ",%.9e", (double)traces[(size_t)k * (steps + 1) + n]);
        std::fprintf(fp, "\n");
      }
      std::fclose(fp);
    }
  }

  // Mirror symmetry of the final field, on rank 0 (exact arithmetic: 0 for a centred source).
  std::vector<PetscReal> f;
  PetscCall(GatherField(da, U, &f));
  PetscReal sym_x = 0.0, sym_y = 0.0, l2 = 0.0;
  if (rank == 0)
    for (PetscInt j = 0; j < user.ny; ++j)
      for (PetscInt i = 0; i < user.nx; ++i) {
        const PetscReal v = f[j * user.nx + i];
        sym_x = PetscMax(sym_x, PetscAbsReal(v - f[j * user.nx + (user.nx - 1 - i)]));
        sym_y = PetscMax(sym_y, PetscAbsReal(v - f[(user.ny - 1 - j) * user.nx + i]));
        l2 += v * v;  // in natural order on one rank: the same sum at any NP
      }
  PetscReal umax;
  PetscCall(VecNorm(U, NORM_INFINITY, &umax));

  if (vtk_file[0]) {  // PETSc's VTK viewer: a structured grid for ParaView
    PetscViewer viewer;
    PetscCall(PetscViewerVTKOpen(PETSC_COMM_WORLD, vtk_file, FILE_MODE_WRITE, &viewer));
    PetscCall(VecView(U, viewer));
    PetscCall(PetscViewerDestroy(&viewer));
  }

  const PetscReal rel_change = have_off ? (energy - energy_off) / energy_off : 0.0;
  bool ok = std::isfinite((double)umax) && std::isfinite((double)energy);
  if (have_off) {
    ok = ok && energy_max_rise <= 1e-10;  // never grows after the source stops
    if (user.strength == 0.0 || user.width == 0) ok = ok && PetscAbsReal(rel_change) <= 1e-10;
  }
  const double cells_per_step = (double)(user.nx - 2) * (user.ny - 2), cells = cells_per_step * steps;
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "size = %d\n", size));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "blocks = %" PetscInt_FMT " x %" PetscInt_FMT "\n", px, py));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "grid = %" PetscInt_FMT " x %" PetscInt_FMT "\n", user.nx, user.ny));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "dt = %.17g\n", (double)user.dt));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "courant = %.6f\n", (double)courant));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "steps = %" PetscInt_FMT "\n", steps));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "t_end = %.17g\n", (double)(steps * user.dt)));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "source_off_step = %" PetscInt_FMT "\n", n_off));
  for (PetscInt k = 0; k < nrx; ++k) {
    PetscReal peak = 0.0, tpeak = 0.0;
    for (PetscInt n = 0; n <= steps; ++n) {
      const PetscReal v = PetscAbsReal(traces[(size_t)k * (steps + 1) + n]);
      if (v > peak) peak = v, tpeak = n * user.dt;
    }
    PetscCall(PetscPrintf(PETSC_COMM_WORLD, "receiver_%d = %" PetscInt_FMT " %" PetscInt_FMT "\n", (int)k, ri[k], rj[k]));
    PetscCall(PetscPrintf(PETSC_COMM_WORLD, "peak_%d = %.10e\n", (int)k, (double)peak));
    PetscCall(PetscPrintf(PETSC_COMM_WORLD, "peak_time_%d = %.6g\n", (int)k, (double)tpeak));
  }
  PetscReal seis_sum = 0.0;
  for (PetscReal v : traces) seis_sum += PetscAbsReal(v);
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "seismogram_sum = %.17g\n", (double)seis_sum));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "u_max = %.17g\n", (double)umax));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "u_l2 = %.17g\n", (double)PetscSqrtReal(l2 * user.hx * user.hy)));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "symmetry_x = %.3g\n", (double)sym_x));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "symmetry_y = %.3g\n", (double)sym_y));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "energy_final = %.15e\n", (double)energy));
  if (have_off) {
    PetscCall(PetscPrintf(PETSC_COMM_WORLD, "energy_source_off = %.15e\n", (double)energy_off));
    PetscCall(PetscPrintf(PETSC_COMM_WORLD, "energy_rel_change = %.3e\n", (double)rel_change));
  }
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "check = %s\n", ok ? "PASS" : "FAIL"));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "time_s = %.6f\n", slowest));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "cell_updates_per_s = %.4e\n", compute_max > 0 ? cells / compute_max : 0.0));
  // 24 bytes per inner node and step: read u^n and u^{n-1}, write u^{n+1} over
  // u^{n-1} (the rows above and below come from the cache; no halo bytes).
  // The bandwidth is that of the fastest step, as lesson 08 counts it (and as
  // the triad keeps its best repetition); cell_updates_per_s is the average.
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "best_step_s = %.6g\n", steps > 0 ? step_max : 0.0));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "bandwidth_GBps = %.3f\n",
                        steps > 0 && step_max > 0 ? 24.0 * cells_per_step / step_max / 1e9 : 0.0));

  PetscCall(VecDestroy(&Wl));
  PetscCall(PetscSFDestroy(&sf));
  PetscCall(VecDestroy(&Ul));
  PetscCall(VecDestroy(&U));
  PetscCall(DMDestroy(&da));
  PetscCall(WarnUnusedOptions());
  PetscCall(PetscFinalize());
  return 0;
}
