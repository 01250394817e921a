/**
 * @file heat_petsc.cpp
 * @brief Lesson 08: the same explicit 2D heat equation as heat_mpi, with a
 * PETSc DMDA doing the decomposition and the halo exchange.
 *
 * u_t = alpha (u_xx + u_yy) on [0,Lx] x [0,Ly], u = 0 on the edges, from
 * u0 = sin(pi x/Lx) sin(pi y/Ly); nx x ny nodes, forward Euler with the
 * 5-point Laplacian:
 *   u' = u + cx (u_W - 2u + u_E) + cy (u_S - 2u + u_N),  cx = alpha dt/hx^2, cy = alpha dt/hy^2,
 * stable for r = cx + cy <= 1/2 (a larger -dt is refused with one error line).
 *
 * The DMDA (DMDACreate2d) splits the grid into blocks, one per rank, and
 * knows the halo: each step DMGlobalToLocal copies the state, a global
 * vector (owned nodes only), into a ghosted local vector (owned nodes plus
 * one layer of the neighbours' nodes), and FormFunctionLocal computes the new
 * state from it, node by node, as u[j][i] with global indices.
 *
 * What proves it right (heat.hpp): scheme_error, the distance to the scheme's
 * own solution g^n u0, is round-off (`check = PASS` when <= 1e-12), and the
 * blocks are those of heat_mpi, with the same arithmetic in the same order:
 * both programs print the same u_max and max_error, bit for bit, at any NP.
 * PETSc's options work too (-da_grid_x, -da_refine, -da_processors_x): the
 * grid is read back from the DMDA, and the answer is still checked.
 *
 * Build and run: make; make run PROG=heat_petsc NP=4 ARGS="-nx 30 -ny 17";
 * `-help` lists the options.  compare:
 *   mpiexec -n 3 build/system/heat_petsc -nx 30 -ny 17 -steps 200
 *   mpiexec -n 3 build/system/heat_mpi --nx 30 --ny 17 --steps 200
 * Tuned variants (heat_tuned.hpp): -halo localtolocal|sf, -kernel rows8.
 */
static char help[] = "Explicit 2D heat equation u_t = alpha (u_xx + u_yy) on a DMDA (lesson 08).\n"
                     "Dirichlet u = 0 on the edges of [0,Lx] x [0,Ly], u0 = sin(pi x/Lx) sin(pi y/Ly);\n"
                     "forward Euler, stable for alpha dt (1/hx^2 + 1/hy^2) <= 1/2.  Prints the error\n"
                     "against the exact solution exp(-alpha pi^2 (1/Lx^2 + 1/Ly^2) t) u0.\n\n";

#include <petscdmda.h>

#include <algorithm>
#include <utility>

#include "petsc_errors.hpp"   // one line for a wrong option; a warning for an unused one
#include "heat.hpp"           // the problem, its two references, the result lines
#include "heat_petsc_io.hpp"  // AppCtx, the options, the grid read back from the DMDA, the report
#include "heat_tuned.hpp"     // -halo localtolocal|sf, -kernel rows8: the tuned variants

// The grid: a DMDA of nx x ny nodes, one dof per node, split into the blocks
// of heat_mpi (MPI_Dims_create: d[0] >= d[1] blocks, d[0] along x), with a
// halo one node wide; the star stencil needs no corner nodes, and nothing is
// periodic.  PETSc's own options (-da_grid_x, -da_refine, -da_processors_x,
// ...) may change it: DMSetFromOptions reads them, and GridFromDM reads the
// grid back from the DMDA.
static PetscErrorCode CreateGrid(AppCtx* user, DM* da)
{
  const PetscInt nx = user->pb.nx, ny = user->pb.ny;
  PetscMPIInt    size;
  int            d[2] = {0, 0};

  PetscFunctionBeginUser;
  PetscCallMPI(MPI_Comm_size(PETSC_COMM_WORLD, &size));
  PetscCallMPI(MPI_Dims_create(size, 2, d));
  *da = NULL;
  // >>> step 3: create the DMDA
  // TODO 3: create the DMDA in *da: a 2D grid of nx x ny nodes, edges not
  //         periodic, a star stencil one node wide, one value (dof) per node,
  //         d[0] x d[1] blocks (those of heat_mpi), and PETSc's choice of
  //         how many nodes each block gets.  Hint: DMDACreate2d.
  // <<< step 3
  PetscCheck(*da, PETSC_COMM_WORLD, PETSC_ERR_USER_INPUT, "there is no DMDA yet: DMDACreate2d makes it");
  PetscCall(CheckRefine(nx, ny));
  PetscCall(DMSetFromOptions(*da));
  PetscCall(CheckLayout(*da));  // a layout this job can have, before PETSc tries it
  PetscCall(DMSetUp(*da));
  PetscCall(GridFromDM(*da, user));
  PetscFunctionReturn(PETSC_SUCCESS);
}

// u0 on the owned nodes of the global vector U: DMDAGetLocalInfo says which
// nodes this rank owns, DMDAVecGetArray lets us write u[j][i] with global i, j.
static PetscErrorCode FormInitial(DM da, Vec U, const AppCtx* user)
{
  DMDALocalInfo info;
  PetscScalar** u;

  PetscFunctionBeginUser;
  PetscCall(DMDAGetLocalInfo(da, &info));
  PetscCall(DMDAVecGetArray(da, U, &u));
  for (PetscInt j = info.ys; j < info.ys + info.ym; ++j)
    for (PetscInt i = info.xs; i < info.xs + info.xm; ++i) u[j][i] = user->pb.u0(i, j);
  PetscCall(DMDAVecRestoreArray(da, U, &u));
  PetscFunctionReturn(PETSC_SUCCESS);
}

// One explicit step on the inner nodes of the owned block: w = u + dt alpha
// lap(u).  u is a ghosted local array, so u[j][i +- 1] and u[j +- 1][i] at
// the block's edge are halo values; w may be a global array (owned nodes).
// The edge nodes of the grid are never written: they stay 0.
static PetscErrorCode FormFunctionLocal(DMDALocalInfo* info, PetscScalar** u, PetscScalar** w, const AppCtx* user)
{
  const PetscReal cx = user->pb.cx, cy = user->pb.cy;

  PetscFunctionBeginUser;
  for (PetscInt j = PetscMax(info->ys, 1); j < PetscMin(info->ys + info->ym, info->my - 1); ++j)
    for (PetscInt i = PetscMax(info->xs, 1); i < PetscMin(info->xs + info->xm, info->mx - 1); ++i)
      w[j][i] = u[j][i] + cx * (u[j][i - 1] - 2.0 * u[j][i] + u[j][i + 1]) +
                cy * (u[j - 1][i] - 2.0 * u[j][i] + u[j + 1][i]);
  PetscFunctionReturn(PETSC_SUCCESS);
}

// March the steps.  *U, a global vector, holds the state; each step fills the
// ghosted local vector Ul from it (with the halo), computes the next state
// into W and swaps the two handles.
static PetscErrorCode Solve(DM da, Vec* U, AppCtx* user)
{
  DMDALocalInfo info;
  Vec           Ul, W;

  PetscFunctionBeginUser;
  PetscCall(DMDAGetLocalInfo(da, &info));
  PetscCall(DMCreateLocalVector(da, &Ul));
  PetscCall(VecSet(Ul, 0.0));
  PetscCall(VecDuplicate(*U, &W));
  PetscCall(VecSet(W, 0.0));  // the edge nodes of the grid stay 0
  PetscCallMPI(MPI_Barrier(PETSC_COMM_WORLD));
  const double t0 = MPI_Wtime();
  for (PetscInt n = 0; n < user->pb.steps; ++n) {
    PetscScalar **u, **w;
    const double  ts = MPI_Wtime();
    // >>> step 4: the halo exchange
    // TODO 4: fill the ghosted local vector Ul from the global vector *U:
    //         the owned values and, in the halo, the neighbours' edge values.
    //         Hint: DMGlobalToLocalBegin, DMGlobalToLocalEnd.
    // <<< step 4
    PetscCall(DMDAVecGetArrayRead(da, Ul, &u));
    PetscCall(DMDAVecGetArray(da, W, &w));
    if (user->kernel == KERNEL_ROWS8) PetscCall(SweepRows(&info, u, info.gxm, w, info.xm, user, true));
    else PetscCall(FormFunctionLocal(&info, u, w, user));
    PetscCall(DMDAVecRestoreArray(da, W, &w));
    PetscCall(DMDAVecRestoreArrayRead(da, Ul, &u));
    std::swap(*U, W);  // the new state becomes the current one (handles only, no copy)
    user->best_step_s = std::min(user->best_step_s, MPI_Wtime() - ts);
  }
  PetscCallMPI(MPI_Barrier(PETSC_COMM_WORLD));
  user->time_s = MPI_Wtime() - t0;
  PetscCall(VecDestroy(&W));
  PetscCall(VecDestroy(&Ul));
  PetscFunctionReturn(PETSC_SUCCESS);
}

int main(int argc, char** argv)
{
  AppCtx    user;
  DM        da;
  Vec       U;  // the temperature: one value per owned node
  PetscBool pass = PETSC_FALSE;

  PetscCall(PetscInitialize(&argc, &argv, NULL, help));
  PetscCall(PetscPushErrorHandler(UserInputErrorHandler, NULL));
  PetscCall(ReadOptions(&user));
  PetscCall(CreateGrid(&user, &da));
  PetscCall(DMCreateGlobalVector(da, &U));
  PetscCall(FormInitial(da, U, &user));
  if (user.halo == HALO_GLOBALTOLOCAL) PetscCall(Solve(da, &U, &user));
  else PetscCall(SolveLocal(da, U, &user));  // heat_tuned.hpp
  PetscCall(Report(da, U, &user, &pass));
  PetscCall(VecDestroy(&U));
  PetscCall(DMDestroy(&da));
  PetscCall(WarnUnusedOptions());
  PetscCall(PetscPopErrorHandler());
  PetscCall(PetscFinalize());
  return pass ? 0 : 1;  // a failed check fails the job, on every rank
}
