// wave_tuned.hpp — wave's tuned variants, measured on the lesson page's
// "Going deeper" (`make bench`).  The lesson's path needs none of them.
//
//   -kernel rows4  the leapfrog on plain row pointers, a branch-free inner loop
//                  the compiler vectorises, four rows per pass outside the
//                  sponge (as lesson 08's rows8): the same bits, faster.
//   -halo sf       u^n and u^{n-1} stay in ghosted local vectors; each step
//                  refreshes only the halo of u^n, with a PetscSF (star forest)
//                  whose leaves are exactly the halo nodes.  DMGlobalToLocal,
//                  the lesson's call, copies the whole field every step.
#pragma once

#include <petscdmda.h>
#include <petscsf.h>

#include <algorithm>
#include <utility>
#include <vector>

#include "wave_output.hpp"
#include "wave_physics.hpp"

// wave.cpp's plain leapfrog, node by node (-kernel plain).
static PetscErrorCode FormFunctionLocal(DMDALocalInfo* info, PetscScalar** u, PetscScalar** w, PetscReal t,
                                        const AppCtx* user);

// The leapfrog at node i of one row: S, C, N are rows j-1, j, j+1 of u^n, O is
// row j of w (u^{n-1} on entry, u^{n+1} on exit).  Without damping:
// u^{n+1} = 2 u^n - u^{n-1} + lap.
static inline void Leapfrog(const PetscScalar* S, const PetscScalar* C, const PetscScalar* N, PetscScalar* O,
                            PetscInt i, PetscReal cx, PetscReal cy)
{
  const PetscReal lap = cx * ((C[i - 1] + C[i + 1]) - 2.0 * C[i]) + cy * ((S[i] + N[i]) - 2.0 * C[i]);
  O[i] = 2.0 * C[i] - O[i] + lap;
}

// The same at a sponge node, h = sigma dt/2: (1 + h) u^{n+1} = 2 u^n - (1 - h) u^{n-1} + lap.
// (The same operations in the same order as Leapfrog when h = 0.)
static inline void LeapfrogDamped(const PetscScalar* S, const PetscScalar* C, const PetscScalar* N,
                                  PetscScalar* O, PetscInt i, PetscReal cx, PetscReal cy, PetscReal h)
{
  const PetscReal lap = cx * ((C[i - 1] + C[i + 1]) - 2.0 * C[i]) + cy * ((S[i] + N[i]) - 2.0 * C[i]);
  O[i] = (2.0 * C[i] - (1.0 - h) * O[i] + lap) / (1.0 + h);
}

// Rows per pass of the sweep outside the sponge.
constexpr int kRowsPerPass = 4;

// The leapfrog without damping on columns [a, b) of K rows at once,
// j ... j+K-1: `u` points at row j-1 of u^n (rows su apart), `w` at row j of
// w (rows sw apart), indexed by global i.  For each column i the K nodes
// above each other are updated together, so each row of u that comes in from
// the caches serves up to three output rows at once (lesson 08 measured why
// that matters).  Each node is Leapfrog's, so the bits do not depend on K.  K
// is a compile-time constant: the compiler unrolls the k loop, and `omp simd`
// (compiled with -fopenmp-simd; no threads) tells it to vectorise over i.
template <int K>
static void LeapfrogRows(const PetscScalar* __restrict u, PetscInt su, PetscScalar* __restrict w, PetscInt sw,
                         PetscInt a, PetscInt b, PetscReal cx, PetscReal cy)
{
#pragma omp simd
  for (PetscInt i = a; i < b; ++i)
    for (int k = 0; k < K; ++k) Leapfrog(u + k * su, u + (k + 1) * su, u + (k + 2) * su, w + k * sw, i, cx, cy);
}

// One leapfrog step on the owned nodes at time t, as wave.cpp's
// FormFunctionLocal, on plain row pointers: `u` is u^n with its halo (rows su
// apart), `w` holds u^{n-1} on entry and u^{n+1} on exit (rows sw apart).
static PetscErrorCode FormFunctionRows(DMDALocalInfo* info, PetscScalar** u, PetscInt su, PetscScalar** w,
                                       PetscInt sw, PetscReal t, const AppCtx* user)
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
      LeapfrogRows<kRowsPerPass>(u[j - 1], su, w[j], sw, a, b, cx, cy);
      j = last;
    } else {
      row_ends(j);
      LeapfrogRows<1>(u[j - 1], su, w[j], sw, a, b, cx, cy);
    }
  }
  AddSource(info, w, t, user);
  PetscFunctionReturn(PETSC_SUCCESS);
}

// The halo as a star forest (PetscSF), as in lesson 08.  Every rank's ghosted
// local array is a set of roots; the leaves of this rank are its halo nodes
// (the star stencil needs no corners), each attached to the same node in its
// owner's local array.  PetscSFBcast(roots -> leaves) then copies exactly the
// halo: the owned nodes are never touched.  The DMDA numbers its ranks x
// fastest: block (p, q) is rank q m + p, with lx[p] x ly[q] nodes.
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

  const PetscInt           p = rank % m, q = rank / m;
  const PetscInt           xs = x0[p], xe = x0[p + 1], ys = y0[q], ye = y0[q + 1];
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
  PetscFunctionReturn(PETSC_SUCCESS);
}

// The halo exchange, in place: the neighbours' edge values of u^n into the
// ghost nodes of Ul.  Only halo values move (nothing at all on one rank).
static PetscErrorCode RefreshHalo(PetscSF sf, Vec Ul)
{
  PetscScalar* a;

  PetscFunctionBeginUser;
  PetscCall(VecGetArray(Ul, &a));
  PetscCall(PetscSFBcastBegin(sf, MPIU_SCALAR, a, a, MPI_REPLACE));
  PetscCall(PetscSFBcastEnd(sf, MPIU_SCALAR, a, a, MPI_REPLACE));
  PetscCall(VecRestoreArray(Ul, &a));
  PetscFunctionReturn(PETSC_SUCCESS);
}

// -halo sf: the time loop on two ghosted local vectors, Ul (u^n) and Wl
// (u^{n-1}, then u^{n+1}); the handles swap after each step.  The global
// vector U gets u^{n+1} only when the monitor needs it, and at the end.
static PetscErrorCode SolveLocal(DM da, Vec U, AppCtx* user, Monitor* mon)
{
  DMDALocalInfo info;
  Vec           Ul, Wl;
  PetscSF       sf;

  PetscFunctionBeginUser;
  PetscCall(DMDAGetLocalInfo(da, &info));
  PetscCall(DMCreateLocalVector(da, &Ul));
  PetscCall(VecDuplicate(Ul, &Wl));
  PetscCall(VecSet(Ul, 0.0));  // at rest: u^0 = u^{-1} = 0
  PetscCall(VecSet(Wl, 0.0));
  // The star forest, and a first exchange, which sets up its communication:
  // here (u^0 = 0, nothing changes), so that the timed loop holds only the steps.
  PetscCall(CreateHaloSF(da, &sf));
  PetscCall(RefreshHalo(sf, Ul));
  PetscCallMPI(MPI_Barrier(PETSC_COMM_WORLD));
  const double t_start = MPI_Wtime();
  for (PetscInt n = 0; n < user->steps; ++n) {
    PetscScalar **u, **w;
    PetscCall(MonitorBefore(mon, n, Wl, user));
    const double ts = MPI_Wtime();
    PetscCall(RefreshHalo(sf, Ul));  // u^n's halo from the neighbours
    PetscCall(DMDAVecGetArrayRead(da, Ul, &u));
    PetscCall(DMDAVecGetArray(da, Wl, &w));
    if (user->kernel == KERNEL_ROWS4) PetscCall(FormFunctionRows(&info, u, info.gxm, w, info.gxm, n * user->dt, user));
    else PetscCall(FormFunctionLocal(&info, u, w, n * user->dt, user));
    const double step_s = MPI_Wtime() - ts;
    mon->compute_s += step_s, mon->best_step = std::min(mon->best_step, step_s);
    PetscCall(MonitorStep(mon, da, &info, u, w, n, user));
    PetscCall(DMDAVecRestoreArray(da, Wl, &w));
    PetscCall(DMDAVecRestoreArrayRead(da, Ul, &u));
    std::swap(Ul, Wl);  // u^{n+1} is now Ul, u^n is Wl (handles only, no copy)
    if (MonitorWantsField(mon, n, user)) {
      PetscCall(DMLocalToGlobal(da, Ul, INSERT_VALUES, U));  // the owned values of u^{n+1}
      PetscCall(MonitorField(mon, da, U, n, user));
    }
  }
  PetscCallMPI(MPI_Barrier(PETSC_COMM_WORLD));
  mon->time_s = MPI_Wtime() - t_start;
  PetscCall(DMLocalToGlobal(da, Ul, INSERT_VALUES, U));  // the final field (steps = 0: zeros)
  PetscCall(PetscSFDestroy(&sf));
  PetscCall(VecDestroy(&Wl));
  PetscCall(VecDestroy(&Ul));
  PetscFunctionReturn(PETSC_SUCCESS);
}
