// wave_output.hpp — what wave records while it runs (the receivers' traces,
// the discrete energy and its balance, progress lines, snapshots) and what it
// reports at the end (seismograms, VTK, the result lines, the verdict).
// You need not read it to do the exercise.
//
// The checks (`check = PASS`):
//  - at every measured step the discrete energy E^{n+1/2} (wave_physics.hpp)
//    changes by exactly what the sponge takes out and the source puts in,
//    E^{n+1/2} - E^{n-1/2} = -D^n + S^n (energy_balance: the largest misfit,
//    relative to the largest energy): a wrong halo or a wrong update misses it;
//  - after the source has stopped, the energy never grows, and is conserved
//    to round-off without the sponge (energy_rel_change), and it is not 0
//    (the source put energy in, unless its amplitude is 0).
// symmetry_x/y (0 for a centred source) and seismogram_sum are for the tests.
#pragma once

#include <petscdmda.h>
#include <petscviewer.h>

#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "wave_options.hpp"
#include "wave_physics.hpp"

typedef struct {
  OutputOptions*         opt;
  std::vector<PetscReal> trace;  // receiver k at step n: trace[k (steps + 1) + n]
  PetscInt               n_off = 0;  // the first step whose source term is exactly 0 (and stays 0)
  PetscReal              energy = 0, energy_off = 0, energy_prev = 0, energy_max_rise = 0;
  PetscReal              energy_before = 0;  // E^{n-1/2} of a measured step n (E^{-1/2} = 0: at rest)
  PetscReal              misfit = 0, energy_top = 0;  // max |E^{n+1/2} - E^{n-1/2} + D^n - S^n|, max |E|
  PetscBool              have_off = PETSC_FALSE, have_before = PETSC_TRUE;
  Vec                    Wsave = NULL;  // u^{n-1} of a measured step n
  FILE*                  hist  = NULL;
  double                 compute_s = 0.0, best_step = 1e300, time_s = 0.0;  // this rank's timing
} Monitor;

// Steps whose energy is measured: the progress lines, the source's last step, the end.
static inline bool Measured(const Monitor* m, PetscInt n, const AppCtx* user)
{
  const PetscInt oi = m->opt->output_interval;
  return (oi > 0 && (n + 1) % oi == 0) || n == m->n_off || n == user->steps - 1;
}

static PetscErrorCode MonitorCreate(Monitor* m, OutputOptions* opt, const AppCtx* user)
{
  PetscMPIInt rank;

  PetscFunctionBeginUser;
  m->opt = opt;
  m->trace.assign(opt->rx.size() * (user->steps + 1), 0.0);
  while (m->n_off <= user->steps && m->n_off * user->dt <= 2.0 * user->t0) ++m->n_off;
  PetscCall(PetscPrintf(PETSC_COMM_WORLD,
                        "wave: %d x %d nodes (%.0f m x %.0f m cells) on %d x %d blocks, c = %.0f m/s, dt = %g s, Courant"
                        " number %.4f, %d steps\n",
                        (int)user->nx, (int)user->ny, (double)user->hx, (double)user->hy, (int)user->px, (int)user->py,
                        (double)user->c, (double)user->dt, (double)user->courant, (int)user->steps));
  PetscCallMPI(MPI_Comm_rank(PETSC_COMM_WORLD, &rank));
  if (opt->history[0] && rank == 0) {
    m->hist = std::fopen(opt->history, "w");
    PetscCheck(m->hist, PETSC_COMM_SELF, PETSC_ERR_FILE_OPEN, "cannot write %s", opt->history);
    std::fprintf(m->hist, "step,t,energy,max_abs_u\n");
  }
  PetscFunctionReturn(PETSC_SUCCESS);
}

// Before step n: keep u^{n-1} (in W) when step n is measured (for the balance).
static PetscErrorCode MonitorBefore(Monitor* m, PetscInt n, Vec W, const AppCtx* user)
{
  PetscFunctionBeginUser;
  if (!Measured(m, n, user)) PetscFunctionReturn(PETSC_SUCCESS);
  if (!m->Wsave) PetscCall(VecDuplicate(W, &m->Wsave));
  PetscCall(VecCopy(W, m->Wsave));
  PetscFunctionReturn(PETSC_SUCCESS);
}

// After step n: u is u^n (ghosted), w is u^{n+1}.  The receivers' values,
// and the energy at the measured steps and the step before each.
static PetscErrorCode MonitorStep(Monitor* m, DM da, DMDALocalInfo* info, PetscScalar** u, PetscScalar** w, PetscInt n,
                                  const AppCtx* user)
{
  const OutputOptions* o = m->opt;

  PetscFunctionBeginUser;
  for (size_t k = 0; k < o->ri.size(); ++k) {
    const PetscInt i = o->ri[k], j = o->rj[k];
    if (i >= info->xs && i < info->xs + info->xm && j >= info->ys && j < info->ys + info->ym)
      m->trace[k * (user->steps + 1) + n + 1] = PetscRealPart(w[j][i]);
  }
  const bool measured = Measured(m, n, user), before = n + 1 < user->steps && Measured(m, n + 1, user);
  if (!measured && !before) PetscFunctionReturn(PETSC_SUCCESS);
  PetscReal e;
  PetscCall(Energy(info, u, w, user, &e));
  m->energy_top = PetscMax(m->energy_top, PetscAbsReal(e));
  if (measured) {
    m->energy = e;
    if (n >= m->n_off) {  // after the source: never grows
      if (!m->have_off) m->energy_off = e, m->energy_prev = e, m->have_off = PETSC_TRUE;
      m->energy_max_rise = PetscMax(m->energy_max_rise, (e - m->energy_prev) / PetscMax(m->energy_off, PETSC_SMALL));
      m->energy_prev     = e;
    }
    if (m->have_before) {  // the balance E^{n+1/2} - E^{n-1/2} = -D^n + S^n
      PetscScalar** uold;
      PetscReal     d, s;
      PetscCall(DMDAVecGetArrayRead(da, m->Wsave, &uold));
      PetscCall(Dissipation(info, uold, w, user, &d));
      PetscCall(SourceWork(info, uold, w, n * user->dt, user, &s));
      PetscCall(DMDAVecRestoreArrayRead(da, m->Wsave, &uold));
      m->misfit = PetscMax(m->misfit, PetscAbsReal(e - m->energy_before + d - s));
    }
  }
  m->have_before   = before ? PETSC_TRUE : PETSC_FALSE;
  m->energy_before = e;
  PetscFunctionReturn(PETSC_SUCCESS);
}

// Does step n need u^{n+1} as a global vector (progress line, snapshot)?
static inline bool MonitorWantsField(const Monitor* m, PetscInt n, const AppCtx* user)
{
  const OutputOptions* o = m->opt;
  return Measured(m, n, user) || (o->snapshot[0] && o->snapshot_interval > 0 && (n + 1) % o->snapshot_interval == 0);
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
  PetscFunctionReturn(PETSC_SUCCESS);
}

// Rank 0 writes the field as a CSV table: ny/stride rows of nx/stride values.
// It writes NAME.tmp and renames it, so a stopped run leaves no half a file.
static PetscErrorCode WriteSnapshot(DM da, Vec U, const AppCtx* user, const OutputOptions* o, PetscInt step)
{
  std::vector<PetscReal> f;
  PetscMPIInt            rank;
  const PetscInt         stride = o->stride;

  PetscFunctionBeginUser;
  PetscCall(GatherField(da, U, &f));
  PetscCallMPI(MPI_Comm_rank(PETSC_COMM_WORLD, &rank));
  if (rank == 0) {
    char name[PETSC_MAX_PATH_LEN + 16];
    PetscCall(PetscSNPrintf(name, sizeof name, "%s-%05" PetscInt_FMT ".csv", o->snapshot, step));
    const std::string tmp = std::string(name) + ".tmp";
    FILE*             fp  = std::fopen(tmp.c_str(), "w");
    PetscCheck(fp, PETSC_COMM_SELF, PETSC_ERR_FILE_OPEN, "cannot write %s", name);
    std::fprintf(fp, "# u at t = %.6g s, step %d, every %d-th node of %d x %d, rows y = 0..Ly, columns x = 0..Lx\n",
                 (double)(step * user->dt), (int)step, (int)stride, (int)user->nx, (int)user->ny);
    for (PetscInt j = 0; j < user->ny; j += stride)
      for (PetscInt i = 0; i < user->nx; i += stride)
        std::fprintf(fp, "%.4e%s", (double)f[j * user->nx + i], i + stride < user->nx ? "," : "\n");
    std::fclose(fp);
    std::rename(tmp.c_str(), name);
  }
  PetscFunctionReturn(PETSC_SUCCESS);
}

// After step n, with U = u^{n+1} (global) when MonitorWantsField: the
// progress line, the energy history, a snapshot.
static PetscErrorCode MonitorField(Monitor* m, DM da, Vec U, PetscInt n, const AppCtx* user)
{
  const OutputOptions* o = m->opt;

  PetscFunctionBeginUser;
  if (Measured(m, n, user)) {
    PetscReal umax;
    PetscCall(VecNorm(U, NORM_INFINITY, &umax));
    if (o->output_interval > 0 && (n + 1) % o->output_interval == 0)
      PetscCall(PetscPrintf(PETSC_COMM_WORLD, "step %6" PetscInt_FMT "  t = %8.3f s  max|u| = %.6e  energy = %.10e\n",
                            n + 1, (double)((n + 1) * user->dt), (double)umax, (double)m->energy));
    if (m->hist)
      std::fprintf(m->hist, "%d,%.6g,%.10e,%.6e\n", (int)(n + 1), (double)((n + 1) * user->dt), (double)m->energy,
                   (double)umax);
  }
  if (o->snapshot[0] && o->snapshot_interval > 0 && (n + 1) % o->snapshot_interval == 0)
    PetscCall(WriteSnapshot(da, U, user, o, n + 1));
  PetscFunctionReturn(PETSC_SUCCESS);
}

// The end: the files, the result lines (rank 0) and the verdict, the same on
// every rank.  U is the final field.
static PetscErrorCode Report(DM da, Vec U, const AppCtx* user, Monitor* m, PetscBool* pass)
{
  const OutputOptions*   o     = m->opt;
  const size_t           nr    = o->rx.size();
  const PetscInt         steps = user->steps;
  PetscMPIInt            rank, size;
  std::vector<PetscReal> traces(m->trace.size(), 0.0), f;
  double                 t[3] = {m->time_s, m->compute_s, m->best_step}, slowest[3];

  PetscFunctionBeginUser;
  PetscCallMPI(MPI_Comm_rank(PETSC_COMM_WORLD, &rank));
  PetscCallMPI(MPI_Comm_size(PETSC_COMM_WORLD, &size));
  if (m->hist) std::fclose(m->hist), m->hist = NULL;
  PetscCall(VecDestroy(&m->Wsave));
  PetscCallMPI(MPI_Reduce(t, slowest, 3, MPI_DOUBLE, MPI_MAX, 0, PETSC_COMM_WORLD));
  if (o->snapshot[0] && o->snapshot_interval == 0) PetscCall(WriteSnapshot(da, U, user, o, steps));
  // The traces on rank 0: every value has one owner, the others add 0 (exact).
  PetscCallMPI(MPI_Reduce(m->trace.data(), traces.data(), (int)traces.size(), MPIU_REAL, MPI_SUM, 0, PETSC_COMM_WORLD));
  if (rank == 0 && o->seismogram[0]) {
    const std::string tmp = std::string(o->seismogram) + ".tmp";
    FILE*             fp  = std::fopen(tmp.c_str(), "w");
    PetscCheck(fp, PETSC_COMM_SELF, PETSC_ERR_FILE_OPEN, "cannot write %s", o->seismogram);
    std::fprintf(fp, "t");
    for (size_t k = 0; k < nr; ++k) std::fprintf(fp, ",r%d", (int)k);
    std::fprintf(fp, "\n");
    for (PetscInt n = 0; n <= steps; ++n) {
      std::fprintf(fp, "%.6g", (double)(n * user->dt));
      for (size_t k = 0; k < nr; ++k) std::fprintf(fp, ",%.9e", (double)traces[k * (steps + 1) + n]);
      std::fprintf(fp, "\n");
    }
    std::fclose(fp);
    std::rename(tmp.c_str(), o->seismogram);
  }
  if (o->vtk[0]) {  // PETSc's VTK viewer: a structured grid for ParaView
    PetscViewer viewer;
    PetscCall(PetscViewerVTKOpen(PETSC_COMM_WORLD, o->vtk, FILE_MODE_WRITE, &viewer));
    PetscCall(VecView(U, viewer));
    PetscCall(PetscViewerDestroy(&viewer));
  }

  // Mirror symmetry of the final field, on rank 0 (exact arithmetic: 0 for a centred source).
  PetscCall(GatherField(da, U, &f));
  PetscReal sym_x = 0.0, sym_y = 0.0, l2 = 0.0, umax;
  if (rank == 0)
    for (PetscInt j = 0; j < user->ny; ++j)
      for (PetscInt i = 0; i < user->nx; ++i) {
        const PetscReal v = f[j * user->nx + i];
        sym_x = PetscMax(sym_x, PetscAbsReal(v - f[j * user->nx + (user->nx - 1 - i)]));
        sym_y = PetscMax(sym_y, PetscAbsReal(v - f[(user->ny - 1 - j) * user->nx + i]));
        l2 += v * v;  // in natural order on one rank: the same sum at any NP
      }
  PetscCall(VecNorm(U, NORM_INFINITY, &umax));

  // The verdict, from numbers every rank has (global sums and norms).
  const PetscReal rel_change = m->have_off && m->energy_off > 0 ? (m->energy - m->energy_off) / m->energy_off : 0.0;
  const PetscReal balance    = m->energy_top > 0 ? m->misfit / m->energy_top : m->misfit;
  bool            ok = std::isfinite((double)umax) && std::isfinite((double)m->energy) && balance <= 1e-10;
  if (m->have_off) {
    ok = ok && (m->energy_off > 0.0) == (user->amplitude != 0.0);  // the source put energy in
    ok = ok && m->energy_max_rise <= 1e-10;                         // never grows after the source stops
    if (user->strength == 0.0 || user->width == 0) ok = ok && PetscAbsReal(rel_change) <= 1e-10;
  }
  *pass = ok ? PETSC_TRUE : PETSC_FALSE;

  const double cells_per_step = (double)(user->nx - 2) * (user->ny - 2);
  if (rank == 0) {
    std::printf("size = %d\n", size);
    std::printf("blocks = %d x %d\n", (int)user->px, (int)user->py);
    std::printf("grid = %d x %d\n", (int)user->nx, (int)user->ny);
    std::printf("halo = %s\n", HaloNames[user->halo]);
    std::printf("kernel = %s\n", KernelTypes[user->kernel]);
    std::printf("dt = %.17g\n", (double)user->dt);
    std::printf("courant = %.6f\n", (double)user->courant);
    std::printf("steps = %d\n", (int)steps);
    std::printf("t_end = %.17g\n", (double)(steps * user->dt));
    std::printf("source_off_step = %d\n", (int)m->n_off);
    PetscReal seis_sum = 0.0;
    for (PetscReal v : traces) seis_sum += PetscAbsReal(v);
    for (size_t k = 0; k < nr; ++k) {
      PetscReal peak = 0.0, tpeak = 0.0;
      for (PetscInt n = 0; n <= steps; ++n) {
        const PetscReal v = PetscAbsReal(traces[k * (steps + 1) + n]);
        if (v > peak) peak = v, tpeak = n * user->dt;
      }
      std::printf("receiver_%d = %d %d\n", (int)k, (int)o->ri[k], (int)o->rj[k]);
      std::printf("peak_%d = %.10e\n", (int)k, (double)peak);
      std::printf("peak_time_%d = %.6g\n", (int)k, (double)tpeak);
    }
    std::printf("seismogram_sum = %.17g\n", (double)seis_sum);
    std::printf("u_max = %.17g\n", (double)umax);
    std::printf("u_l2 = %.17g\n", (double)PetscSqrtReal(l2 * user->hx * user->hy));
    std::printf("symmetry_x = %.3g\n", (double)sym_x);
    std::printf("symmetry_y = %.3g\n", (double)sym_y);
    std::printf("energy_final = %.15e\n", (double)m->energy);
    if (m->have_off) {
      std::printf("energy_source_off = %.15e\n", (double)m->energy_off);
      std::printf("energy_rel_change = %.3e\n", (double)rel_change);
    }
    std::printf("energy_balance = %.3e\n", (double)balance);
    std::printf("check = %s\n", ok ? "PASS" : "FAIL");
    std::printf("time_s = %.6f\n", slowest[0]);
    std::printf("cell_updates_per_s = %.4e\n", slowest[1] > 0 ? cells_per_step * steps / slowest[1] : 0.0);
    // 24 bytes per inner node and step: read u^n and u^{n-1}, write u^{n+1}
    // over u^{n-1}; the bandwidth of the fastest step, as lesson 08 counts it.
    std::printf("best_step_s = %.6g\n", steps > 0 ? slowest[2] : 0.0);
    std::printf("bandwidth_GBps = %.3f\n", steps > 0 && slowest[2] > 0 ? 24.0 * cells_per_step / slowest[2] / 1e9 : 0.0);
    std::fflush(stdout);
  }
  PetscFunctionReturn(PETSC_SUCCESS);
}
