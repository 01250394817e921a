// grid_report.hpp — what lesson 12 prints about a solved city: voltages, the
// current balance, the lines that carry the most current (and, after a line
// fails, whose current changed most), the checks and the verdict; and the
// voltages of every bus to a CSV file (-dump) for the lesson's figure.
#pragma once

#include <petscdmda.h>
#include <petscksp.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "city.hpp"
#include "kirchhoff_checks.hpp"

// One line of the network and the current it carries from a to b.
struct Line {
  double   size;     // |current|, what lines are ranked by
  double   current;  // g (v_a - v_b)
  PetscInt a, b;
};

// The k lines with the largest |current| (or, with base != NULL, the largest
// change of current from the solution base of the intact grid to v), on rank 0.
// Each rank ranks the lines leaving its own buses eastwards and northwards
// (every line once), and rank 0 merges the candidates.
static PetscErrorCode LargestLines(DM da, Vec v, Vec base, const AppCtx* u, PetscInt k, std::vector<Line>* top)
{
  DMDALocalInfo     info;
  Vec               lv, lb = NULL;
  PetscScalar     **vv, **bb = NULL;
  std::vector<Line> mine;
  PetscMPIInt       size, rank;
  AppCtx            intact = *u;

  PetscFunctionBeginUser;
  intact.failed = PETSC_FALSE;
  MPI_Comm comm = PetscObjectComm((PetscObject)da);
  PetscCallMPI(MPI_Comm_size(comm, &size));
  PetscCallMPI(MPI_Comm_rank(comm, &rank));
  PetscCall(DMDAGetLocalInfo(da, &info));
  PetscCall(DMGetLocalVector(da, &lv));
  PetscCall(DMGlobalToLocalBegin(da, v, INSERT_VALUES, lv));
  PetscCall(DMGlobalToLocalEnd(da, v, INSERT_VALUES, lv));
  PetscCall(DMDAVecGetArray(da, lv, &vv));
  if (base) {
    PetscCall(DMGetLocalVector(da, &lb));
    PetscCall(DMGlobalToLocalBegin(da, base, INSERT_VALUES, lb));
    PetscCall(DMGlobalToLocalEnd(da, base, INSERT_VALUES, lb));
    PetscCall(DMDAVecGetArray(da, lb, &bb));
  }
  auto add = [&](PetscInt x, PetscInt y, PetscInt xn, PetscInt yn) {
    const PetscInt a = Node(u, x, y), b = Node(u, xn, yn);
    double         c = Conductance(u, a, b) * PetscRealPart(vv[y][x] - vv[yn][xn]);
    if (bb) c -= Conductance(&intact, a, b) * PetscRealPart(bb[y][x] - bb[yn][xn]);
    mine.push_back({std::fabs(c), c, a, b});
  };
  for (PetscInt y = info.ys; y < info.ys + info.ym; ++y) {
    for (PetscInt x = info.xs; x < info.xs + info.xm; ++x) {
      if (x < info.mx - 1) add(x, y, x + 1, y);
      if (y < info.my - 1) add(x, y, x, y + 1);
    }
  }
  // Largest first; ties (the grid is symmetric) by node number, so that the
  // order does not depend on the number of ranks.
  auto order = [](const Line& p, const Line& q) {
    if (p.size != q.size) return p.size > q.size;
    return p.a != q.a ? p.a < q.a : p.b < q.b;
  };
  std::sort(mine.begin(), mine.end(), order);
  std::vector<double> send(4 * k, -1.0), recv(rank == 0 ? 4 * k * size : 0);
  for (PetscInt i = 0; i < k && i < (PetscInt)mine.size(); ++i) {
    send[4 * i]     = mine[i].size;
    send[4 * i + 1] = mine[i].current;
    send[4 * i + 2] = (double)mine[i].a;
    send[4 * i + 3] = (double)mine[i].b;
  }
  PetscCallMPI(MPI_Gather(send.data(), 4 * (int)k, MPI_DOUBLE, recv.data(), 4 * (int)k, MPI_DOUBLE, 0, comm));
  top->clear();
  for (size_t i = 0; i < recv.size(); i += 4)
    if (recv[i] >= 0.0) top->push_back({recv[i], recv[i + 1], (PetscInt)recv[i + 2], (PetscInt)recv[i + 3]});
  std::sort(top->begin(), top->end(), order);
  if ((PetscInt)top->size() > k) top->resize(k);
  if (bb) {
    PetscCall(DMDAVecRestoreArray(da, lb, &bb));
    PetscCall(DMRestoreLocalVector(da, &lb));
  }
  PetscCall(DMDAVecRestoreArray(da, lv, &vv));
  PetscCall(DMRestoreLocalVector(da, &lv));
  PetscFunctionReturn(PETSC_SUCCESS);
}

// The current g (v_a - v_b) on the line from a to b (neighbours), on every
// rank: the rank that owns the lower-numbered end computes it, the others add 0.
static PetscErrorCode LineCurrent(DM da, Vec v, const AppCtx* u, PetscInt a, PetscInt b, PetscReal* current)
{
  DMDALocalInfo info;
  Vec           local;
  PetscScalar** vv;
  PetscReal     mine = 0.0;

  PetscFunctionBeginUser;
  PetscCall(DMDAGetLocalInfo(da, &info));
  PetscCall(DMGetLocalVector(da, &local));
  PetscCall(DMGlobalToLocalBegin(da, v, INSERT_VALUES, local));
  PetscCall(DMGlobalToLocalEnd(da, v, INSERT_VALUES, local));
  PetscCall(DMDAVecGetArray(da, local, &vv));
  const PetscInt lo = PetscMin(a, b), xl = lo % u->nx, yl = lo / u->nx;
  if (xl >= info.xs && xl < info.xs + info.xm && yl >= info.ys && yl < info.ys + info.ym) {
    const PetscInt ha = a, xa = ha % u->nx, ya = ha / u->nx, xb = b % u->nx, yb = b / u->nx;
    mine = u->g * PetscRealPart(vv[ya][xa] - vv[yb][xb]);
  }
  PetscCall(DMDAVecRestoreArray(da, local, &vv));
  PetscCall(DMRestoreLocalVector(da, &local));
  PetscCallMPI(MPI_Allreduce(&mine, current, 1, MPIU_REAL, MPI_SUM, PetscObjectComm((PetscObject)da)));
  PetscFunctionReturn(PETSC_SUCCESS);
}

// Gather v (and, if given, w) in natural order on rank 0 and write
// x,y,v[,v_failed] to the CSV file `path` (for the lesson's figure), through
// a temporary file, so that no half-written file is left behind.
static PetscErrorCode DumpCSV(DM da, Vec v, Vec w, const AppCtx* u, const char* path, bool* ok)
{
  Vec         nat[2] = {NULL, NULL}, all[2] = {NULL, NULL};
  VecScatter  to_zero[2] = {NULL, NULL};
  PetscMPIInt rank;
  int         good = 1;

  PetscFunctionBeginUser;
  PetscCallMPI(MPI_Comm_rank(PetscObjectComm((PetscObject)da), &rank));
  const int nvec = w ? 2 : 1;
  Vec       in[2] = {v, w};
  for (int k = 0; k < nvec; ++k) {
    PetscCall(DMDACreateNaturalVector(da, &nat[k]));
    PetscCall(DMDAGlobalToNaturalBegin(da, in[k], INSERT_VALUES, nat[k]));
    PetscCall(DMDAGlobalToNaturalEnd(da, in[k], INSERT_VALUES, nat[k]));
    PetscCall(VecScatterCreateToZero(nat[k], &to_zero[k], &all[k]));
    PetscCall(VecScatterBegin(to_zero[k], nat[k], all[k], INSERT_VALUES, SCATTER_FORWARD));
    PetscCall(VecScatterEnd(to_zero[k], nat[k], all[k], INSERT_VALUES, SCATTER_FORWARD));
  }
  if (rank == 0) {
    const std::string tmp = std::string(path) + ".tmp";
    std::FILE*        out = std::fopen(tmp.c_str(), "w");
    if (!out) {
      good = 0;
    } else {
      const PetscScalar *a = NULL, *b = NULL;
      PetscCall(VecGetArrayRead(all[0], &a));
      if (w) PetscCall(VecGetArrayRead(all[1], &b));
      std::fprintf(out, w ? "x,y,v,v_failed\n" : "x,y,v\n");
      for (PetscInt n = 0; n < u->nx * u->ny; ++n) {
        std::fprintf(out, "%d,%d,%.10f", (int)(n % u->nx), (int)(n / u->nx), (double)PetscRealPart(a[n]));
        if (w) std::fprintf(out, ",%.10f", (double)PetscRealPart(b[n]));
        std::fprintf(out, "\n");
      }
      if (w) PetscCall(VecRestoreArrayRead(all[1], &b));
      PetscCall(VecRestoreArrayRead(all[0], &a));
      good = std::fclose(out) == 0 && std::rename(tmp.c_str(), path) == 0;
    }
  }
  PetscCallMPI(MPI_Bcast(&good, 1, MPI_INT, 0, PetscObjectComm((PetscObject)da)));
  *ok = good;
  for (int k = 0; k < nvec; ++k) {
    PetscCall(VecScatterDestroy(&to_zero[k]));
    PetscCall(VecDestroy(&all[k]));
    PetscCall(VecDestroy(&nat[k]));
  }
  PetscFunctionReturn(PETSC_SUCCESS);
}

static void PrintLines(const char* title, const std::vector<Line>& lines, const AppCtx* u)
{
  PetscPrintf(PETSC_COMM_WORLD, "%s\n", title);
  for (const Line& l : lines)
    PetscPrintf(PETSC_COMM_WORLD, "  line %6" PetscInt_FMT " - %-6" PetscInt_FMT " (%" PetscInt_FMT ",%" PetscInt_FMT ")-(%" PetscInt_FMT ",%" PetscInt_FMT ")  current %+.6f\n",
                l.a, l.b, l.a % u->nx, l.a / u->nx, l.b % u->nx, l.b / u->nx, l.current);
}

// The report.  *pass says whether every check holds; a linear solver that
// did not converge is one `error:` line, nothing else.  With a failed line,
// v is the solution without it and v_base the intact one.
static PetscErrorCode Report(KSP ksp, DM da, const AppCtx* u, Vec v, Vec v_base, const Solution* intact,
                             const Solution* failed, double time_s, PetscBool* pass)
{
  PetscMPIInt       size;
  const bool        has_fail = u->fail_a >= 0;
  const Solution*   diverged = intact->reason < 0 ? intact : (has_fail && failed->reason < 0 ? failed : NULL);
  char              solver[128] = "none";
  KSPType           ksp_type    = NULL;
  PCType            pc_type     = NULL;
  AppCtx            whole       = *u;  // the intact grid: every line in service
  std::vector<Line> largest, changed;

  PetscFunctionBeginUser;
  *pass         = PETSC_FALSE;
  whole.failed  = PETSC_FALSE;
  if (ksp) {
    PC pc;
    PetscCall(KSPGetType(ksp, &ksp_type));
    PetscCall(KSPGetPC(ksp, &pc));
    PetscCall(PCGetType(pc, &pc_type));
    PetscCall(PetscSNPrintf(solver, sizeof(solver), "%s %s", ksp_type ? ksp_type : "unset", pc_type ? pc_type : "unset"));
  }
  if (diverged) {
    PetscCall(PetscFPrintf(PETSC_COMM_WORLD, PETSC_STDERR,
                           "error: the linear solver (%s) did not converge (%s); rerun with -ksp_monitor -ksp_converged_reason\n",
                           ksp_type ? ksp_type : "none", KSPConvergedReasons[diverged->reason]));
    PetscFunctionReturn(PETSC_SUCCESS);
  }
  PetscCallMPI(MPI_Comm_size(PETSC_COMM_WORLD, &size));
  const Vec      vi      = v_base ? v_base : v;  // the intact grid's voltages
  const PetscInt n_nodes = u->nx * u->ny, n_lines = u->nx * (u->ny - 1) + u->ny * (u->nx - 1);
  PetscReal      v_min, v_max, v_sum, max_dv = 0.0, current_before = 0.0;
  PetscInt       v_min_node;
  AO             ao;
  PetscCall(VecMin(vi, &v_min_node, &v_min));
  PetscCall(VecMax(vi, NULL, &v_max));
  PetscCall(VecSum(vi, &v_sum));
  PetscCall(DMDAGetAO(da, &ao));  // VecMin gives a PETSc (DMDA) index; the node number is the natural one
  PetscCall(AOPetscToApplication(ao, 1, &v_min_node));
  PetscCall(LargestLines(da, vi, NULL, &whole, u->top, &largest));
  if (v_base) {
    Vec dv;
    PetscCall(LineCurrent(da, v_base, u, u->fail_a, u->fail_b, &current_before));
    PetscCall(LargestLines(da, v, v_base, u, u->top, &changed));
    PetscCall(VecDuplicate(v, &dv));
    PetscCall(VecWAXPY(dv, -1.0, v_base, v));
    PetscCall(VecNorm(dv, NORM_INFINITY, &max_dv));
    PetscCall(VecDestroy(&dv));
  }
  const PetscReal lu_difference = PetscMax(intact->lu_difference, failed->lu_difference);
  bool            ok = intact->reason > 0 && intact->residual_rel < 1e-9 && intact->balance < 1e-9 &&
            intact->assembly_error < 1e-10;
  if (u->lu_check) ok = ok && lu_difference >= 0.0 && lu_difference < 1e-8;
  if (has_fail)
    ok = ok && failed->reason > 0 && failed->residual_rel < 1e-9 && failed->balance < 1e-9 &&
         failed->assembly_error < 1e-10;
  *pass = ok ? PETSC_TRUE : PETSC_FALSE;

  PetscCall(PetscPrintf(PETSC_COMM_WORLD,
                        "Power grid: %" PetscInt_FMT " x %" PetscInt_FMT " buses, %" PetscInt_FMT " lines, slack bus %" PetscInt_FMT
                        ", %" PetscInt_FMT " substations, %" PetscInt_FMT " neighbourhoods, %d rank%s\n",
                        u->nx, u->ny, n_lines, u->slack, u->n_sub, u->n_loads, size, size > 1 ? "s" : ""));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "size = %d\nnx = %" PetscInt_FMT "\nny = %" PetscInt_FMT "\n", size, u->nx, u->ny));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "buses = %" PetscInt_FMT "\nlines = %" PetscInt_FMT "\n", n_nodes,
                        n_lines - (has_fail ? 1 : 0)));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "solver = %s\nits = %" PetscInt_FMT "\n", solver, intact->its));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "v_min = %.10f\nv_min_bus = %" PetscInt_FMT "\nv_max = %.10f\nv_mean = %.10f\n",
                        (double)v_min, v_min_node, (double)v_max, (double)(v_sum / n_nodes)));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "injections = %.10f\nslack_current = %.10f\nground_current = %.10f\n",
                        (double)intact->injections, (double)intact->slack, (double)intact->ground));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "balance_error = %.2e\nkirchhoff_residual = %.2e\nkirchhoff_residual_rel = %.2e\n",
                        (double)intact->balance, (double)intact->residual, (double)intact->residual_rel));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "assembly_error = %.2e\n", (double)intact->assembly_error));
  PrintLines("largest line currents (from a to b):", largest, u);
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "max_line_current = %.10f\nmax_line = %" PetscInt_FMT "-%" PetscInt_FMT "\n",
                        largest.empty() ? 0.0 : largest[0].size, largest.empty() ? -1 : largest[0].a,
                        largest.empty() ? -1 : largest[0].b));
  if (has_fail) {
    PetscCall(PetscPrintf(PETSC_COMM_WORLD, "failed_line = %" PetscInt_FMT "-%" PetscInt_FMT "\nfailed_line_current = %.10f\n",
                          u->fail_a, u->fail_b, (double)current_before));
    PetscCall(PetscPrintf(PETSC_COMM_WORLD, "its_failed = %" PetscInt_FMT "\nslack_current_failed = %.10f\nground_current_failed = %.10f\n",
                          failed->its, (double)failed->slack, (double)failed->ground));
    PetscCall(PetscPrintf(PETSC_COMM_WORLD, "balance_error_failed = %.2e\nkirchhoff_residual_failed_rel = %.2e\n",
                          (double)failed->balance, (double)failed->residual_rel));
    PetscCall(PetscPrintf(PETSC_COMM_WORLD, "max_voltage_change = %.10f\n", (double)max_dv));
    PrintLines("largest changes of line current after the failure (new - old):", changed, u);
    PetscCall(PetscPrintf(PETSC_COMM_WORLD, "max_current_change = %.10f\n", changed.empty() ? 0.0 : changed[0].size));
  }
  if (u->lu_check) PetscCall(PetscPrintf(PETSC_COMM_WORLD, "lu_difference = %.2e\n", (double)lu_difference));
  else PetscCall(PetscPrintf(PETSC_COMM_WORLD, "lu_difference = not computed (-lu_check 0)\n"));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "check = %s\ntime_s = %.6f\n", *pass ? "PASS" : "FAIL", time_s));

  if (u->dump[0] != '\0' && intact->reason > 0) {
    bool written = false;
    PetscCall(DumpCSV(da, vi, v_base ? v : NULL, u, u->dump, &written));
    PetscCheck(written, PETSC_COMM_WORLD, PETSC_ERR_USER_INPUT, "cannot write -dump file '%s'", u->dump);
  }
  PetscFunctionReturn(PETSC_SUCCESS);
}
