/**
 * @file wave.cpp
 * @brief Lesson 13: earthquake ground motion, the 2D acoustic wave equation
 * marched with leapfrog on a PETSc DMDA, with absorbing sponge layers.
 *
 * u_tt + sigma(x) u_t = c^2 (u_xx + u_yy) + s(x, t) on [0,Lx] x [0,Ly], u = 0
 * on the edges; nx x ny nodes, hx = Lx/(nx-1), hy = Ly/(ny-1).  Leapfrog with
 * the 5-point Laplacian L and a centred damping term, h = sigma dt/2:
 *   (1 + h) u^{n+1} = 2 u^n - (1 - h) u^{n-1} + (c dt)^2 L u^n + dt^2 s^n.
 * The sponge (sigma > 0 near the edges) absorbs the waves that reach it; the
 * source is a Ricker wavelet at the centre (wave_physics.hpp).  Defaults:
 * 200 x 120 nodes, 40 km x 24 km, c = 2500 m/s, dt = 0.002 s, 1100 steps.
 * A time step with c dt sqrt(1/hx^2 + 1/hy^2) > 1 is refused with one line.
 *
 * Each step needs u^n at the four neighbours of every owned node: the halo,
 * which DMGlobalToLocal fills (the owned values of the global vector plus a
 * layer of the neighbours' nodes, into a ghosted local vector).
 *
 * What proves it right (wave_output.hpp): after the source stops, the
 * discrete energy E^{n+1/2} changes by exactly what the sponge takes out
 * (energy_balance, round-off) and is conserved without the sponge
 * (energy_rel_change); a centred source gives a mirror-symmetric field
 * (symmetry_x, symmetry_y = 0); the field and the seismograms are the same
 * bit for bit at any NP, and reference.py (numpy) computes the same.
 *
 * Build and run: make; make run NP=4; `-help` lists the options, e.g.
 *   mpiexec -n 2 build/system/wave -seismogram seis.csv -vtk wave.vts
 * Tuned variants (wave_tuned.hpp): -halo sf, -kernel rows4.
 */
static char help[] = "2D acoustic wave equation (earthquake ground motion) on a DMDA, leapfrog in time (lesson 13).\n"
                     "u_tt + sigma u_t = c^2 lap u + s, u = 0 on the edges, sponge layers sigma near the edges.\n"
                     "Prints progress every -output_interval steps, the discrete energy and the seismograms.\n\n";

#include <petscdmda.h>

#include <algorithm>
#include <utility>

#include "petsc_errors.hpp"   // one line for a wrong option; a warning for an unused one
#include "wave_physics.hpp"   // AppCtx, the source, the sponge, the discrete energy
#include "wave_options.hpp"   // the options, the grid read back from the DMDA
#include "wave_output.hpp"    // receivers, energy checks, progress lines, files, the report
#include "wave_tuned.hpp"     // -halo sf, -kernel rows4: the tuned variants

// The grid: a DMDA of nx x ny nodes, one dof per node, with a halo one node
// wide (the star stencil needs no corners), nothing periodic; PETSc chooses
// the blocks.  DMSetFromOptions reads PETSc's own options (-da_grid_x,
// -da_refine, -da_processors_x, ...), so GridFromDM reads the grid back.
static PetscErrorCode CreateGrid(AppCtx* user, OutputOptions* out, DM* da)
{
  PetscFunctionBeginUser;
  PetscCall(DMDACreate2d(PETSC_COMM_WORLD, DM_BOUNDARY_NONE, DM_BOUNDARY_NONE, DMDA_STENCIL_STAR, user->nx, user->ny,
                         PETSC_DECIDE, PETSC_DECIDE, 1, 1, NULL, NULL, da));
  PetscCall(CheckRefine(user->nx, user->ny));
  PetscCall(DMSetFromOptions(*da));
  PetscCall(CheckLayout(*da));  // a layout this job can have, before PETSc tries it
  PetscCall(DMSetUp(*da));
  PetscCall(GridFromDM(*da, user, out));
  PetscCall(DMDASetUniformCoordinates(*da, 0.0, user->Lx, 0.0, user->Ly, 0.0, 0.0));
  PetscFunctionReturn(PETSC_SUCCESS);
}

// One leapfrog step on the owned nodes at time t = n dt, node by node.  u is
// u^n, ghosted: u[j][i +- 1] and u[j +- 1][i] at the block's edge are halo
// values.  w holds u^{n-1} on entry and u^{n+1} on exit (each node reads only
// its own old value, so in place is safe).  Both are indexed [j][i] by global
// node.  The edge nodes of the grid stay 0.
static PetscErrorCode FormFunctionLocal(DMDALocalInfo* info, PetscScalar** u, PetscScalar** w, PetscReal t,
                                        const AppCtx* user)
{
  const PetscReal cx = user->cx, cy = user->cy;  // (c dt/hx)^2, (c dt/hy)^2

  PetscFunctionBeginUser;
  for (PetscInt j = info->ys; j < info->ys + info->ym; ++j)
    for (PetscInt i = info->xs; i < info->xs + info->xm; ++i) {
      if (i == 0 || j == 0 || i == info->mx - 1 || j == info->my - 1) {
        w[j][i] = 0.0;
        continue;
      }
      const PetscReal h = SpongeH(i, j, user);  // sigma dt/2: 0 outside the sponge
      // >>> step 2: the leapfrog update
      // TODO 2: the leapfrog update at node (i, j).  lap = (c dt)^2 L u^n
      //         from u[j][i] and its four neighbours (cx, cy are (c dt/hx)^2,
      //         (c dt/hy)^2); then overwrite w[j][i], which holds u^{n-1},
      //         with u^{n+1} from the formula at the top of this file.
      (void)cx, (void)cy, (void)h;
      w[j][i] = 0.0;  // a placeholder: nothing moves but the source
      // <<< step 2
    }
  AddSource(info, w, t, user);  // + dt^2 s^n / (1 + h) around the source
  PetscFunctionReturn(PETSC_SUCCESS);
}

// The time loop.  U holds u^n and W holds u^{n-1} (global vectors: the owned
// nodes); Ul is u^n with its halo (a ghosted local vector).  Each step fills
// Ul, writes u^{n+1} over u^{n-1} in W, and swaps U and W.  At the end U is
// the final field.
static PetscErrorCode Solve(DM da, Vec U, AppCtx* user, Monitor* mon)
{
  DMDALocalInfo info;
  Vec           Ul, W;

  PetscFunctionBeginUser;
  PetscCall(DMDAGetLocalInfo(da, &info));
  PetscCall(DMCreateLocalVector(da, &Ul));
  PetscCall(VecDuplicate(U, &W));
  PetscCall(VecSet(U, 0.0));  // at rest: u^0 = u^{-1} = 0
  PetscCall(VecSet(W, 0.0));
  PetscCall(VecSet(Ul, 0.0));
  Vec Ufinal = U;  // U and W swap handles; the result must end in the caller's U
  PetscCallMPI(MPI_Barrier(PETSC_COMM_WORLD));
  const double t_start = MPI_Wtime();
  for (PetscInt n = 0; n < user->steps; ++n) {
    PetscScalar **u, **w;
    PetscCall(MonitorBefore(mon, n, W, user));
    const double ts = MPI_Wtime();
    // >>> step 1: the halo exchange
    // TODO 1: fill the ghosted local vector Ul with u^n from the global
    //         vector U: the owned values and, in the halo, the neighbours'
    //         edge values.  Hint: DMGlobalToLocalBegin, DMGlobalToLocalEnd.
    // <<< step 1
    PetscCall(DMDAVecGetArrayRead(da, Ul, &u));
    PetscCall(DMDAVecGetArray(da, W, &w));
    if (user->kernel == KERNEL_ROWS4) PetscCall(FormFunctionRows(&info, u, info.gxm, w, info.xm, n * user->dt, user));
    else PetscCall(FormFunctionLocal(&info, u, w, n * user->dt, user));
    const double step_s = MPI_Wtime() - ts;
    mon->compute_s += step_s, mon->best_step = std::min(mon->best_step, step_s);
    PetscCall(MonitorStep(mon, da, &info, u, w, n, user));
    PetscCall(DMDAVecRestoreArray(da, W, &w));
    PetscCall(DMDAVecRestoreArrayRead(da, Ul, &u));
    std::swap(U, W);  // u^{n+1} is now U, u^n is W (handles only, no copy)
    if (MonitorWantsField(mon, n, user)) PetscCall(MonitorField(mon, da, U, n, user));
  }
  PetscCallMPI(MPI_Barrier(PETSC_COMM_WORLD));
  mon->time_s = MPI_Wtime() - t_start;
  if (U != Ufinal) {  // an odd number of steps: the result is in the other vector
    PetscCall(VecCopy(U, W));
    std::swap(U, W);
  }
  PetscCall(VecDestroy(&W));
  PetscCall(VecDestroy(&Ul));
  PetscFunctionReturn(PETSC_SUCCESS);
}

int main(int argc, char** argv)
{
  AppCtx        user;
  OutputOptions out;
  Monitor       mon;
  DM            da;
  Vec           U;  // the ground displacement u, one value per owned node
  PetscBool     pass = PETSC_FALSE;

  PetscCall(PetscInitialize(&argc, &argv, NULL, help));
  PetscCall(PetscPushErrorHandler(UserInputErrorHandler, NULL));
  PetscCall(ReadOptions(&user, &out));
  PetscCall(CreateGrid(&user, &out, &da));
  PetscCall(DMCreateGlobalVector(da, &U));
  PetscCall(PetscObjectSetName((PetscObject)U, "u"));
  PetscCall(MonitorCreate(&mon, &out, &user));
  if (user.halo == HALO_GLOBALTOLOCAL) PetscCall(Solve(da, U, &user, &mon));
  else PetscCall(SolveLocal(da, U, &user, &mon));  // wave_tuned.hpp
  PetscCall(Report(da, U, &user, &mon, &pass));
  PetscCall(VecDestroy(&U));
  PetscCall(DMDestroy(&da));
  PetscCall(WarnUnusedOptions());
  PetscCall(PetscPopErrorHandler());
  PetscCall(PetscFinalize());
  return pass ? 0 : 1;  // a failed check fails the job, on every rank
}
