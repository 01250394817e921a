// kirchhoff_checks.hpp — how lesson 12 knows its answer is right without
// trusting the matrix: Kirchhoff's current law recomputed bus by bus from the
// line list, the balance of the currents, the assembled matrix itself against
// that law (for a test voltage), and a direct MUMPS LU solve of the same matrix.
#pragma once

#include <petscdmda.h>
#include <petscksp.h>

#include <cmath>

#include "city.hpp"

// The Kirchhoff residual f = L v - p at this rank's buses, read from the line
// list one neighbour at a time (v has ghost values from the neighbouring
// ranks).  This is the check of the matrix, so it does not use the matrix:
// the slack's voltage is read from v like any other, not moved to the
// right-hand side.  At the slack bus, f = v - v_slack.
static PetscErrorCode FormFunctionLocal(DMDALocalInfo* info, PetscScalar** v, PetscScalar** f, const AppCtx* u)
{
  PetscFunctionBeginUser;
  for (PetscInt y = info->ys; y < info->ys + info->ym; ++y) {
    for (PetscInt x = info->xs; x < info->xs + info->xm; ++x) {
      const PetscInt node = Node(u, x, y);
      if (node == u->slack) {
        f[y][x] = v[y][x] - u->v_slack;
        continue;
      }
      PetscScalar sum = Shunt(u, x, y) * v[y][x] - Injection(u, node);
      if (x > 0) sum += Conductance(u, node, node - 1) * (v[y][x] - v[y][x - 1]);
      if (x < info->mx - 1) sum += Conductance(u, node, node + 1) * (v[y][x] - v[y][x + 1]);
      if (y > 0) sum += Conductance(u, node, node - u->nx) * (v[y][x] - v[y - 1][x]);
      if (y < info->my - 1) sum += Conductance(u, node, node + u->nx) * (v[y][x] - v[y + 1][x]);
      f[y][x] = sum;
    }
  }
  PetscFunctionReturn(PETSC_SUCCESS);
}

// The Kirchhoff residual of v: ‖Lv − p‖₂ over all buses (at the slack,
// v − v_slack), and Σ p² over the buses other than the slack.
static PetscErrorCode KirchhoffResidual(DM da, Vec v, const AppCtx* u, PetscReal* abs_norm, PetscReal* p_squared)
{
  DMDALocalInfo info;
  Vec           local, f;
  PetscScalar **vv, **ff;
  PetscReal     mine[2] = {0.0, 0.0}, all[2];

  PetscFunctionBeginUser;
  PetscCall(DMDAGetLocalInfo(da, &info));
  PetscCall(DMGetLocalVector(da, &local));
  PetscCall(DMGetGlobalVector(da, &f));
  PetscCall(DMGlobalToLocalBegin(da, v, INSERT_VALUES, local));
  PetscCall(DMGlobalToLocalEnd(da, v, INSERT_VALUES, local));
  PetscCall(DMDAVecGetArray(da, local, &vv));
  PetscCall(DMDAVecGetArray(da, f, &ff));
  PetscCall(FormFunctionLocal(&info, vv, ff, u));
  for (PetscInt y = info.ys; y < info.ys + info.ym; ++y) {
    for (PetscInt x = info.xs; x < info.xs + info.xm; ++x) {
      const PetscInt node = Node(u, x, y);
      mine[0] += PetscSqr(PetscRealPart(ff[y][x]));  // the slack's row is v - v_slack
      if (node != u->slack) mine[1] += PetscSqr(Injection(u, node));
    }
  }
  PetscCall(DMDAVecRestoreArray(da, f, &ff));
  PetscCall(DMDAVecRestoreArray(da, local, &vv));
  PetscCall(DMRestoreGlobalVector(da, &f));
  PetscCall(DMRestoreLocalVector(da, &local));
  PetscCallMPI(MPI_Allreduce(mine, all, 2, MPIU_REAL, MPI_SUM, PetscObjectComm((PetscObject)da)));
  *abs_norm = PetscSqrtReal(all[0]);
  *p_squared = all[1];
  PetscFunctionReturn(PETSC_SUCCESS);
}

// Where the current goes: the sum of the injections at the buses other than
// the slack, the current the slack bus sends into its lines, and the current
// that leaks to earth at the grounded perimeter (the slack's own shunt is fed
// by the slack directly and not counted).  Kirchhoff: injections + slack =
// ground, whatever the grid.
static PetscErrorCode PowerBalance(DM da, Vec v, const AppCtx* u, PetscReal* injections, PetscReal* slack, PetscReal* ground)
{
  DMDALocalInfo info;
  Vec           local;
  PetscScalar** vv;
  PetscReal     mine[3] = {0.0, 0.0, 0.0}, all[3];

  PetscFunctionBeginUser;
  PetscCall(DMDAGetLocalInfo(da, &info));
  PetscCall(DMGetLocalVector(da, &local));
  PetscCall(DMGlobalToLocalBegin(da, v, INSERT_VALUES, local));
  PetscCall(DMGlobalToLocalEnd(da, v, INSERT_VALUES, local));
  PetscCall(DMDAVecGetArray(da, local, &vv));
  for (PetscInt y = info.ys; y < info.ys + info.ym; ++y) {
    for (PetscInt x = info.xs; x < info.xs + info.xm; ++x) {
      const PetscInt node = Node(u, x, y);
      if (node != u->slack) {
        mine[0] += Injection(u, node);
        mine[2] += Shunt(u, x, y) * PetscRealPart(vv[y][x]);
        continue;
      }
      // The slack bus: the current out of it, line by line.
      if (x > 0) mine[1] += Conductance(u, node, node - 1) * PetscRealPart(vv[y][x] - vv[y][x - 1]);
      if (x < info.mx - 1) mine[1] += Conductance(u, node, node + 1) * PetscRealPart(vv[y][x] - vv[y][x + 1]);
      if (y > 0) mine[1] += Conductance(u, node, node - u->nx) * PetscRealPart(vv[y][x] - vv[y - 1][x]);
      if (y < info.my - 1) mine[1] += Conductance(u, node, node + u->nx) * PetscRealPart(vv[y][x] - vv[y + 1][x]);
    }
  }
  PetscCall(DMDAVecRestoreArray(da, local, &vv));
  PetscCall(DMRestoreLocalVector(da, &local));
  PetscCallMPI(MPI_Allreduce(mine, all, 3, MPIU_REAL, MPI_SUM, PetscObjectComm((PetscObject)da)));
  *injections = all[0];
  *slack      = all[1];
  *ground     = all[2];
  PetscFunctionReturn(PETSC_SUCCESS);
}

// The independent check of a solve: a direct LU factorisation of the same
// matrix with MUMPS; returns max |v - v_lu|.
static PetscErrorCode CompareWithLU(KSP lu, Vec p, Vec v, PetscReal* difference)
{
  Vec w;

  PetscFunctionBeginUser;
  PetscCall(VecDuplicate(v, &w));
  PetscCall(KSPSolve(lu, p, w));
  PetscCall(VecAXPY(w, -1.0, v));
  PetscCall(VecNorm(w, NORM_INFINITY, difference));
  PetscCall(VecDestroy(&w));
  PetscFunctionReturn(PETSC_SUCCESS);
}

// The assembled L against Kirchhoff's law: for a test voltage w (the slack at
// v_slack, the other buses varying around it), L w - p must equal the residual
// recomputed line by line.  Returns max |difference| / max |residual|.
static PetscErrorCode CheckAssembly(DM da, Mat L, Vec p, const AppCtx* u, PetscReal* error)
{
  DMDALocalInfo info;
  Vec           w, local, lw, f;
  PetscScalar **ww, **vv, **ff;
  PetscReal     big, diff;

  PetscFunctionBeginUser;
  PetscCall(DMDAGetLocalInfo(da, &info));
  PetscCall(DMCreateGlobalVector(da, &w));
  PetscCall(VecDuplicate(w, &lw));
  PetscCall(VecDuplicate(w, &f));
  PetscCall(DMDAVecGetArray(da, w, &ww));
  for (PetscInt y = info.ys; y < info.ys + info.ym; ++y)
    for (PetscInt x = info.xs; x < info.xs + info.xm; ++x)
      ww[y][x] = Node(u, x, y) == u->slack ? u->v_slack : 1.0 + 0.1 * std::sin(0.7 * x + 1.3 * y);
  PetscCall(DMDAVecRestoreArray(da, w, &ww));
  PetscCall(MatMult(L, w, lw));  // L w - p, from the matrix
  PetscCall(VecAXPY(lw, -1.0, p));
  PetscCall(DMGetLocalVector(da, &local));
  PetscCall(DMGlobalToLocalBegin(da, w, INSERT_VALUES, local));
  PetscCall(DMGlobalToLocalEnd(da, w, INSERT_VALUES, local));
  PetscCall(DMDAVecGetArray(da, local, &vv));
  PetscCall(DMDAVecGetArray(da, f, &ff));
  PetscCall(FormFunctionLocal(&info, vv, ff, u));  // the same, line by line
  PetscCall(DMDAVecRestoreArray(da, f, &ff));
  PetscCall(DMDAVecRestoreArray(da, local, &vv));
  PetscCall(DMRestoreLocalVector(da, &local));
  PetscCall(VecNorm(f, NORM_INFINITY, &big));
  PetscCall(VecAXPY(lw, -1.0, f));
  PetscCall(VecNorm(lw, NORM_INFINITY, &diff));
  *error = big > 0.0 ? diff / big : diff;
  PetscCall(VecDestroy(&f));
  PetscCall(VecDestroy(&lw));
  PetscCall(VecDestroy(&w));
  PetscFunctionReturn(PETSC_SUCCESS);
}

// The reference solver: MUMPS's parallel sparse LU, options prefix lu_.
static PetscErrorCode CreateLUReference(Mat L, KSP* lu)
{
  PC pc;

  PetscFunctionBeginUser;
  PetscCall(KSPCreate(PETSC_COMM_WORLD, lu));
  PetscCall(KSPSetOptionsPrefix(*lu, "lu_"));
  PetscCall(KSPSetOperators(*lu, L, L));
  PetscCall(KSPSetType(*lu, KSPPREONLY));
  PetscCall(KSPGetPC(*lu, &pc));
  PetscCall(PCSetType(pc, PCLU));
  PetscCall(PCFactorSetMatSolverType(pc, MATSOLVERMUMPS));
  PetscCall(KSPSetFromOptions(*lu));
  PetscFunctionReturn(PETSC_SUCCESS);
}

// One solve of L v = p, and what the checks say about it.
struct Solution {
  KSPConvergedReason reason = KSP_CONVERGED_ITERATING;  // > 0 converged, < 0 diverged, 0 not solved
  PetscInt           its    = 0;
  PetscReal          assembly_error = 0, residual = 0, residual_rel = 0;  // L against the law; ||Lv - p||
  PetscReal          injections = 0, slack = 0, ground = 0, balance = 0;   // where the current goes
  PetscReal          lu_difference = -1;                                   // max |v - v_lu| (-1: not computed)
};

// Every check of v (lu: NULL for none).
static PetscErrorCode CheckSolution(DM da, const AppCtx* u, Mat L, KSP lu, Vec p, Vec v, Solution* s)
{
  PetscReal p_squared;

  PetscFunctionBeginUser;
  PetscCall(CheckAssembly(da, L, p, u, &s->assembly_error));
  PetscCall(KirchhoffResidual(da, v, u, &s->residual, &p_squared));
  PetscCall(PowerBalance(da, v, u, &s->injections, &s->slack, &s->ground));
  // Relative to the size of the injections, the slack's supply included (or
  // to 1 per unit when they are smaller: with no load at all, v is exact).
  s->residual_rel = s->residual / PetscMax(PetscSqrtReal(p_squared + s->slack * s->slack), 1.0);
  s->balance      = PetscAbsReal(s->injections + s->slack - s->ground) / (u->load > 0.0 ? u->load : 1.0);
  if (lu && s->reason > 0) PetscCall(CompareWithLU(lu, p, v, &s->lu_difference));
  PetscFunctionReturn(PETSC_SUCCESS);
}
