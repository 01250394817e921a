// wave_physics.hpp — lesson 13's physics beside the leapfrog: the problem's
// parameters (AppCtx), the source, the absorbing sponge and the discrete
// energy.  You need not read it to do the exercise.
//
// u_tt + sigma(x) u_t = c^2 (u_xx + u_yy) + s(x, t) on [0,Lx] x [0,Ly], u = 0
// on the edges.  sigma = absorb_strength ((w - d)/w)^2 within w = absorb_width
// nodes of an edge (d = distance to the nearest edge in nodes), 0 inside.
// The source is a Ricker wavelet (or a Gaussian pulse) in time, centred at
// t0 = 1.2/f0 and exactly 0 after 2 t0, times a Gaussian of radius R in space.
#pragma once

#include <petscdmda.h>

#include <cmath>
#include <vector>

// The halo exchanges and kernels wave knows (-halo, -kernel).  The first of
// each is the lesson's; the others are the tuned variants of wave_tuned.hpp.
enum HaloChoice { HALO_GLOBALTOLOCAL, HALO_SF };
static const char* const HaloTypes[] = {"globaltolocal", "sf"};
static const char* const HaloNames[] = {"DMGlobalToLocal", "PetscSF"};  // the `halo =` line
enum KernelChoice { KERNEL_PLAIN, KERNEL_ROWS4 };
static const char* const KernelTypes[] = {"plain", "rows4"};

typedef struct {
  PetscInt  nx = 200, ny = 120;          // nodes per direction, edges included (read back from the DMDA)
  PetscReal Lx = 40000.0, Ly = 24000.0;  // the rectangle (m)
  PetscReal c = 2500.0;                  // wave speed (m/s)
  PetscReal dt = 0.002;                  // time step (s)
  PetscInt  steps = 1100;                // number of time steps
  PetscReal hx = 0, hy = 0;              // node spacing (m)
  PetscReal cx = 0, cy = 0;              // (c dt/hx)^2, (c dt/hy)^2
  PetscReal courant = 0;                 // c dt sqrt(1/hx^2 + 1/hy^2), at most 1
  PetscInt  width = 20;                  // sponge width in nodes
  PetscReal strength = 6.0;              // sponge sigma at the edge (1/s)
  PetscReal f0 = 1.5, t0 = 0;            // source peak frequency (Hz) and delay 1.2/f0 (s)
  PetscReal xs = 0, ys = 0;              // source centre (m)
  PetscReal sx = 0, sy = 0;              // ... in node units
  PetscReal radius = 400.0;              // source Gaussian radius (m)
  PetscReal amplitude = 1.0;             // source amplitude (m/s^2)
  PetscBool ricker = PETSC_TRUE;         // Ricker wavelet or Gaussian pulse
  std::vector<PetscReal> h;              // h[d] = sigma dt/2 at d nodes from the nearest edge, d = 0..width
  PetscInt  halo = HALO_GLOBALTOLOCAL, kernel = KERNEL_PLAIN;  // -halo, -kernel: the lesson's
  PetscInt  px = 0, py = 0;              // blocks per direction, from the DMDA
} AppCtx;

// Time function of the source: 0 before t = 0 and after t = 2 t0 exactly.
static inline PetscReal SourceTime(PetscReal t, const AppCtx* user)
{
  if (t < 0.0 || t > 2.0 * user->t0) return 0.0;
  const PetscReal a = PetscSqr(PETSC_PI * user->f0 * (t - user->t0));
  return user->ricker ? (1.0 - 2.0 * a) * std::exp(-a) : std::exp(-a);
}

// Damping at node (i, j): strength ((w - d)/w)^2 within w nodes of an edge.
// d is an integer, so the profile is exactly mirror-symmetric.
static inline PetscReal Sigma(PetscInt i, PetscInt j, const AppCtx* user)
{
  const PetscInt d = PetscMin(PetscMin(i, user->nx - 1 - i), PetscMin(j, user->ny - 1 - j));
  if (d >= user->width) return 0.0;
  const PetscReal r = (PetscReal)(user->width - d) / user->width;
  return user->strength * r * r;
}

// The sponge's h = sigma dt/2 as a table by distance d = 0..width to the edge
// (h[width] = 0): the update looks it up instead of evaluating Sigma per node.
static inline void DampingTable(AppCtx* user)
{
  user->h.assign(user->width + 1, 0.0);
  for (PetscInt d = 0; d < user->width; ++d) {  // the same operations as Sigma: the same bits
    const PetscReal r = (PetscReal)(user->width - d) / user->width;
    user->h[d]        = 0.5 * (user->strength * r * r) * user->dt;
  }
}

// h = sigma dt/2 at inner node (i, j): 0 outside the sponge.
static inline PetscReal SpongeH(PetscInt i, PetscInt j, const AppCtx* user)
{
  const PetscInt d = PetscMin(PetscMin(i, user->nx - 1 - i), PetscMin(j, user->ny - 1 - j));
  return user->h[PetscMin(d, user->width)];
}

// The box of nodes where the source's Gaussian is not negligible (4 radii).
static inline void SourceBox(const AppCtx* user, PetscInt* i0, PetscInt* i1, PetscInt* j0, PetscInt* j1)
{
  const PetscReal kx = 4.0 * user->radius / user->hx, ky = 4.0 * user->radius / user->hy;
  *i0 = PetscMax(1, (PetscInt)std::ceil(user->sx - kx));
  *i1 = PetscMin(user->nx - 2, (PetscInt)std::floor(user->sx + kx));
  *j0 = PetscMax(1, (PetscInt)std::ceil(user->sy - ky));
  *j1 = PetscMin(user->ny - 2, (PetscInt)std::floor(user->sy + ky));
}

// The source term dt^2 s / (1 + sigma dt/2), added to u^{n+1} on the owned
// nodes of its box (w indexed [j][i] by global node).
static inline void AddSource(DMDALocalInfo* info, PetscScalar** w, PetscReal t, const AppCtx* user)
{
  const PetscReal st = SourceTime(t, user);
  if (st == 0.0) return;
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

// The discrete energy E^{n+1/2} from u^n (ghosted) and u^{n+1}: kinetic
// 1/2 |(u^{n+1} - u^n)/dt|^2 plus the staggered potential 1/2 <u^{n+1}, -c^2 L u^n>,
// summed over the inner nodes and multiplied by the cell area.  Leapfrog
// conserves it exactly without the sponge and the source.  Collective.
static inline PetscErrorCode Energy(DMDALocalInfo* info, PetscScalar** u, PetscScalar** unew, const AppCtx* user,
                                    PetscReal* energy)
{
  const PetscReal c2 = user->c * user->c, ihx2 = 1.0 / (user->hx * user->hx), ihy2 = 1.0 / (user->hy * user->hy);
  PetscReal       kin = 0.0, pot = 0.0, loc[2], glob[2];

  PetscFunctionBeginUser;
  for (PetscInt j = PetscMax(info->ys, 1); j < PetscMin(info->ys + info->ym, info->my - 1); ++j)
    for (PetscInt i = PetscMax(info->xs, 1); i < PetscMin(info->xs + info->xm, info->mx - 1); ++i) {
      const PetscReal v  = (unew[j][i] - u[j][i]) / user->dt;
      const PetscReal Au = c2 * ((2.0 * u[j][i] - (u[j][i - 1] + u[j][i + 1])) * ihx2 +
                                 (2.0 * u[j][i] - (u[j - 1][i] + u[j + 1][i])) * ihy2);
      kin += v * v;
      pot += unew[j][i] * Au;
    }
  loc[0] = kin, loc[1] = pot;
  PetscCallMPI(MPI_Allreduce(loc, glob, 2, MPIU_REAL, MPI_SUM, PETSC_COMM_WORLD));
  *energy = 0.5 * (glob[0] + glob[1]) * user->hx * user->hy;
  PetscFunctionReturn(PETSC_SUCCESS);
}

// The energy balance of one leapfrog step: take the update times
// (u^{n+1} - u^{n-1})/2 and sum, and what is left is exactly
//   E^{n+1/2} - E^{n-1/2} = -D^n + S^n,
//   D^n = hx hy sum sigma (u^{n+1} - u^{n-1})^2 / (4 dt)   what the sponge takes out,
//   S^n = hx hy sum s^n (u^{n+1} - u^{n-1}) / 2          what the source puts in,
// so the program checks it to round-off.  uold is u^{n-1}.  Collective.
static inline PetscErrorCode Dissipation(DMDALocalInfo* info, PetscScalar** uold, PetscScalar** unew,
                                         const AppCtx* user, PetscReal* dissipated)
{
  PetscReal loc = 0.0, glob = 0.0;

  PetscFunctionBeginUser;
  for (PetscInt j = PetscMax(info->ys, 1); j < PetscMin(info->ys + info->ym, info->my - 1); ++j)
    for (PetscInt i = PetscMax(info->xs, 1); i < PetscMin(info->xs + info->xm, info->mx - 1); ++i) {
      const PetscReal s = Sigma(i, j, user);
      if (s != 0.0) loc += s * PetscSqr(PetscRealPart(unew[j][i] - uold[j][i]));
    }
  PetscCallMPI(MPI_Allreduce(&loc, &glob, 1, MPIU_REAL, MPI_SUM, PETSC_COMM_WORLD));
  *dissipated = glob * user->hx * user->hy / (4.0 * user->dt);
  PetscFunctionReturn(PETSC_SUCCESS);
}

// S^n of the balance above: the work of the source at time t = n dt.  Collective.
static inline PetscErrorCode SourceWork(DMDALocalInfo* info, PetscScalar** uold, PetscScalar** unew, PetscReal t,
                                        const AppCtx* user, PetscReal* work)
{
  const PetscReal st = SourceTime(t, user);
  PetscReal       loc = 0.0, glob = 0.0;

  PetscFunctionBeginUser;
  if (st != 0.0) {
    PetscInt i0, i1, j0, j1;
    SourceBox(user, &i0, &i1, &j0, &j1);
    const PetscReal R2 = user->radius * user->radius;
    for (PetscInt j = PetscMax(j0, info->ys); j <= PetscMin(j1, info->ys + info->ym - 1); ++j)
      for (PetscInt i = PetscMax(i0, info->xs); i <= PetscMin(i1, info->xs + info->xm - 1); ++i) {
        const PetscReal dx = (i - user->sx) * user->hx, dy = (j - user->sy) * user->hy;
        loc += user->amplitude * st * std::exp(-(dx * dx + dy * dy) / R2) * PetscRealPart(unew[j][i] - uold[j][i]);
      }
  }
  PetscCallMPI(MPI_Allreduce(&loc, &glob, 1, MPIU_REAL, MPI_SUM, PETSC_COMM_WORLD));
  *work = 0.5 * glob * user->hx * user->hy;
  PetscFunctionReturn(PETSC_SUCCESS);
}
