// heat_tuned.hpp — heat_petsc's tuned variants, measured on the lesson page's
// "Going deeper" (`make bench`).  The lesson's path needs none of them.
//
//   -kernel rows8       the update eight rows per pass (stencil.hpp), as heat_mpi
//                       --kernel rows8: the same bits, fewer loads from the caches.
//   -halo localtolocal  the state stays in ghosted local vectors; each step
//                       refreshes only their halo, with DMLocalToLocal in place
//                       (whose scatter also copies every owned node onto itself).
//   -halo sf            the same with a PetscSF (star forest) whose leaves are
//                       exactly the halo nodes: only halo values move.
// DMGlobalToLocal, the lesson's call, copies the whole field into the local
// vector every step: one pass over memory more than the update needs.
#pragma once

#include <petscdmda.h>
#include <petscsf.h>

#include <algorithm>
#include <utility>
#include <vector>

#include "heat_petsc_io.hpp"
#include "stencil.hpp"

// The update from the ghosted local array u (rows su apart) into w (rows sw
// apart: a local or a global array), indexed [j][i] by global node; the
// inner nodes of the owned block only (edge nodes stay 0).  rows8: eight rows
// per pass, else one.
static PetscErrorCode SweepRows(DMDALocalInfo* info, PetscScalar** u, PetscInt su, PetscScalar** w, PetscInt sw,
                                const AppCtx* user, bool rows8)
{
  PetscFunctionBeginUser;
  const PetscInt ib = PetscMax(info->xs, 1), ie = PetscMin(info->xs + info->xm, info->mx - 1);
  const PetscInt jb = PetscMax(info->ys, 1), je = PetscMin(info->ys + info->ym, info->my - 1);
  if (jb < je && ib < ie) stencil_sweep<PetscScalar>(u[jb - 1], su, w[jb], sw, ib, ie, je - jb, user->pb.cx, user->pb.cy, rows8);
  PetscFunctionReturn(PETSC_SUCCESS);
}

// The halo as a star forest (PetscSF).  Every rank's ghosted local array is a
// set of roots; the leaves of this rank are its halo nodes (the star stencil
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

// One halo refresh of the ghosted local vector Ul, in place: by the star
// forest sf, or (sf NULL) by DMLocalToLocal.
static PetscErrorCode RefreshHalo(DM da, PetscSF sf, Vec Ul)
{
  PetscFunctionBeginUser;
  if (sf) {  // the roots (owned nodes) and the leaves (halo) are one array
    PetscScalar* a;
    PetscCall(VecGetArray(Ul, &a));
    PetscCall(PetscSFBcastBegin(sf, MPIU_SCALAR, a, a, MPI_REPLACE));
    PetscCall(PetscSFBcastEnd(sf, MPIU_SCALAR, a, a, MPI_REPLACE));
    PetscCall(VecRestoreArray(Ul, &a));
  } else {
    PetscCall(DMLocalToLocalBegin(da, Ul, INSERT_VALUES, Ul));
    PetscCall(DMLocalToLocalEnd(da, Ul, INSERT_VALUES, Ul));
  }
  PetscFunctionReturn(PETSC_SUCCESS);
}

// March the steps on two ghosted local vectors (-halo localtolocal or sf):
// Ul holds u^n, Wl receives u^{n+1}, then the handles swap.  U (global)
// gives the start and gets the result.
static PetscErrorCode SolveLocal(DM da, Vec U, AppCtx* user)
{
  DMDALocalInfo info;
  Vec           Ul, Wl;
  PetscSF       sf = NULL;

  PetscFunctionBeginUser;
  PetscCall(DMDAGetLocalInfo(da, &info));
  PetscCall(DMCreateLocalVector(da, &Ul));
  PetscCall(VecDuplicate(Ul, &Wl));
  PetscCall(DMGlobalToLocalBegin(da, U, INSERT_VALUES, Ul));
  PetscCall(DMGlobalToLocalEnd(da, U, INSERT_VALUES, Ul));
  PetscCall(VecSet(Wl, 0.0));  // the edge nodes of the grid stay 0 in both
  if (user->halo == HALO_SF) PetscCall(CreateHaloSF(da, &sf));
  // The first refresh builds the communication pattern: do it here, where it
  // changes nothing, so that the timed loop holds only the steps.
  PetscCall(RefreshHalo(da, sf, Ul));
  PetscCallMPI(MPI_Barrier(PETSC_COMM_WORLD));
  const double t0 = MPI_Wtime();
  for (PetscInt n = 0; n < user->pb.steps; ++n) {
    PetscScalar **u, **w;
    const double  ts = MPI_Wtime();
    PetscCall(RefreshHalo(da, sf, Ul));
    PetscCall(DMDAVecGetArrayRead(da, Ul, &u));
    PetscCall(DMDAVecGetArray(da, Wl, &w));
    PetscCall(SweepRows(&info, u, info.gxm, w, info.gxm, user, user->kernel == KERNEL_ROWS8));
    PetscCall(DMDAVecRestoreArray(da, Wl, &w));
    PetscCall(DMDAVecRestoreArrayRead(da, Ul, &u));
    std::swap(Ul, Wl);  // the new state becomes the current one (handles only)
    user->best_step_s = std::min(user->best_step_s, MPI_Wtime() - ts);
  }
  PetscCallMPI(MPI_Barrier(PETSC_COMM_WORLD));
  user->time_s = MPI_Wtime() - t0;
  PetscCall(DMLocalToGlobal(da, Ul, INSERT_VALUES, U));  // the owned nodes of Ul (the halo is dropped)
  PetscCall(PetscSFDestroy(&sf));
  PetscCall(VecDestroy(&Wl));
  PetscCall(VecDestroy(&Ul));
  PetscFunctionReturn(PETSC_SUCCESS);
}
