/**
 * @file grid.cpp
 * @brief Lesson 12: voltages and line currents of a synthetic city power grid,
 * Kirchhoff's law L v = p with the graph Laplacian L, solved with PETSc
 * (CG + algebraic multigrid, or any solver chosen at run time).
 *
 * The city is nx streets × ny avenues: node (x, y) is a bus, and a line of
 * conductance g joins every pair of neighbouring buses (east-west and
 * north-south).  The main substation in the centre is the slack bus: its
 * voltage is held at v_slack and it supplies whatever the network needs.
 * Four substations (at the quarter points) each generate gen·load/4, every
 * other bus is a neighbourhood drawing an equal share of the total load;
 * the perimeter buses leak to earth through a shunt conductance g_ground.
 * Kirchhoff's current law at every other bus i,
 *     Σ_j g_ij (v_i − v_j) + g_ground,i v_i = p_i,
 * is the sparse, symmetric positive definite system L v = p.  L is assembled
 * as a distributed AIJ matrix (each rank its own rows, preallocated from the
 * DMDA's 5-point pattern), with the slack bus eliminated so that L stays
 * symmetric.  `-fail_line a,b` takes the line between nodes a and b
 * (node = x + nx·y) out of service, solves again and shows how the current
 * reroutes.
 *
 * Run: `make run NP=4`; `make run NP=4 ARGS="-fail_line 420,421"`;
 * `-help` lists the options; every KSP and PC option works (`-ksp_monitor`,
 * `-pc_type jacobi`, `-ksp_type preonly -pc_type lu
 * -pc_factor_mat_solver_type mumps`).
 *
 * Proof that it is right: the Kirchhoff residual ‖Lv − p‖, recomputed node
 * by node from the line list (not with the matrix), is at round-off level
 * (`kirchhoff_residual_rel`); the currents balance (`balance_error`: the
 * injections plus the slack's supply equal the leak to earth); the solution
 * equals a direct MUMPS LU solve of the same matrix to 1e-8
 * (`lu_difference`); and `check = PASS`.
 */
static char help[] = "Power grid of a synthetic city: Kirchhoff's law L v = p on nx streets x ny\n"
                     "avenues, lines of conductance g, slack bus in the centre, four substations,\n"
                     "loads everywhere else and the perimeter grounded through g_ground.  Solved with\n"
                     "CG + GAMG by default; every KSP and PC option works (-ksp_monitor, -pc_type lu\n"
                     "-pc_factor_mat_solver_type mumps, -ksp_type gmres).  Node numbers: x + nx*y.\n\n";

#include <petscdmda.h>
#include <petscksp.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "petsc_cli.hpp"

// Application context: the model of the grid.
struct AppCtx {
  PetscInt  nx, ny;              // streets x avenues (buses)
  PetscReal g;                   // conductance of every line (per unit)
  PetscReal g_ground;            // shunt conductance to earth of a perimeter bus
  PetscReal load;                // total load of the neighbourhoods
  PetscReal gen;                 // generation of the substations, as a fraction of the load
  PetscReal v_slack;             // voltage held at the slack bus
  PetscInt  slack;               // node number of the slack bus
  PetscInt  sub[4];              // node numbers of the substations (-1: none)
  PetscInt  n_sub, n_loads;      // how many substations and neighbourhoods
  PetscInt  fail_a, fail_b;      // the line -fail_line names (-1: none)
  PetscBool failed;              // is that line out of service now?
};

// One line of the network and the current it carries from a to b.
struct Line {
  double   size;     // |current|, what lines are ranked by
  double   current;  // g (v_a - v_b)
  PetscInt a, b;
};

static inline PetscInt Node(const AppCtx* u, PetscInt x, PetscInt y) { return x + u->nx * y; }

static inline bool IsSubstation(const AppCtx* u, PetscInt node)
{
  for (PetscInt k = 0; k < 4; ++k)
    if (u->sub[k] == node) return true;
  return false;
}

// Net injection p at a bus other than the slack: generation positive, load negative.
static inline PetscReal Injection(const AppCtx* u, PetscInt node)
{
  if (IsSubstation(u, node)) return u->gen * u->load / (PetscReal)u->n_sub;
  return -u->load / (PetscReal)u->n_loads;
}

// Shunt to earth: only the perimeter of the city is grounded.
static inline PetscReal Shunt(const AppCtx* u, PetscInt x, PetscInt y)
{
  return (x == 0 || y == 0 || x == u->nx - 1 || y == u->ny - 1) ? u->g_ground : 0.0;
}

// Conductance of the line between neighbouring nodes a and b: g, or 0 for a
// line out of service.
static inline PetscReal Conductance(const AppCtx* u, PetscInt a, PetscInt b)
{
  if (u->failed && ((a == u->fail_a && b == u->fail_b) || (a == u->fail_b && b == u->fail_a))) return 0.0;
  return u->g;
}

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
  PetscFunctionReturn(0);
}

// Assemble L (rows of this rank only) and the right-hand side p.  The slack
// bus has a known voltage: its row says d·v = d·v_slack (d = the sum of its
// lines' conductances, so the row is scaled like the others), and its
// neighbours move g·v_slack to the right-hand side instead of keeping a
// column for it.  L stays symmetric, which CG needs.
static PetscErrorCode AssembleLaplacian(DM da, const AppCtx* u, Mat L, Vec p)
{
  DMDALocalInfo info;
  PetscScalar** rhs;

  PetscFunctionBeginUser;
  PetscCall(DMDAGetLocalInfo(da, &info));
  PetscCall(MatZeroEntries(L));
  PetscCall(DMDAVecGetArray(da, p, &rhs));
  for (PetscInt y = info.ys; y < info.ys + info.ym; ++y) {
    for (PetscInt x = info.xs; x < info.xs + info.xm; ++x) {
      const PetscInt node = Node(u, x, y);
      MatStencil     row  = {0, y, x, 0}, col[5];
      PetscScalar    val[5];
      PetscInt       n    = 0;
      // The four possible neighbours: (dx, dy), and whether they exist.
      const PetscInt dxs[4] = {-1, 1, 0, 0}, dys[4] = {0, 0, -1, 1};
      PetscScalar    diag = Shunt(u, x, y), lines = 0.0, b = 0.0;
      if (node != u->slack) b = Injection(u, node);
      for (int k = 0; k < 4; ++k) {
        const PetscInt xn = x + dxs[k], yn = y + dys[k];
        if (xn < 0 || yn < 0 || xn >= u->nx || yn >= u->ny) continue;
        const PetscInt  other = Node(u, xn, yn);
        const PetscReal gij   = Conductance(u, node, other);
        lines += gij;
        if (gij == 0.0 || node == u->slack) continue;  // no column: out of service, or the slack row
        diag += gij;
        // TODO: the line to `other` also puts -gij in the column of `other`
        // (col[n] = {0, yn, xn, 0}; val[n++] = -gij;).  If `other` is the slack
        // bus, its voltage is known: add gij * u->v_slack to the right-hand
        // side b instead of adding a column (L must stay symmetric for CG).
      }
      if (node == u->slack) {
        diag = lines;
        b    = lines * u->v_slack;
      }
      col[n]   = row;
      val[n++] = diag;
      PetscCall(MatSetValuesStencil(L, 1, &row, n, col, val, INSERT_VALUES));
      rhs[y][x] = b;
    }
  }
  PetscCall(DMDAVecRestoreArray(da, p, &rhs));
  PetscCall(MatAssemblyBegin(L, MAT_FINAL_ASSEMBLY));
  PetscCall(MatAssemblyEnd(L, MAT_FINAL_ASSEMBLY));
  PetscFunctionReturn(0);
}

// Is every bus still connected to the slack bus?  A breadth-first search over
// the lines in service; every rank runs it on the whole (structured) graph,
// one byte per node, so they all reach the same verdict without talking.
// Returns how many buses are cut off.
static PetscInt CountIslanded(const AppCtx* u)
{
  const PetscInt       n = u->nx * u->ny;
  std::vector<char>    seen(n, 0);
  std::vector<PetscInt> queue;
  queue.reserve(n);
  queue.push_back(u->slack);
  seen[u->slack] = 1;
  for (size_t head = 0; head < queue.size(); ++head) {
    const PetscInt a = queue[head], x = a % u->nx, y = a / u->nx;
    const PetscInt nb[4] = {x > 0 ? a - 1 : -1, x < u->nx - 1 ? a + 1 : -1, y > 0 ? a - u->nx : -1,
                            y < u->ny - 1 ? a + u->nx : -1};
    for (PetscInt b : nb) {
      if (b < 0 || seen[b] || Conductance(u, a, b) == 0.0) continue;
      seen[b] = 1;
      queue.push_back(b);
    }
  }
  return n - (PetscInt)queue.size();
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
  PetscFunctionReturn(0);
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
      // TODO: add to mine[1] the current g (v_slack - v_neighbour) of each of
      // its (up to four) lines; use Conductance() so that a failed line counts 0.
    }
  }
  PetscCall(DMDAVecRestoreArray(da, local, &vv));
  PetscCall(DMRestoreLocalVector(da, &local));
  PetscCallMPI(MPI_Allreduce(mine, all, 3, MPIU_REAL, MPI_SUM, PetscObjectComm((PetscObject)da)));
  *injections = all[0];
  *slack      = all[1];
  *ground     = all[2];
  PetscFunctionReturn(0);
}

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
  PetscFunctionReturn(0);
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
  PetscFunctionReturn(0);
}

// Gather v (and, if given, w) in natural order on rank 0 and write
// x,y,v[,v_failed] to the CSV file `path` (for the lesson's figure).
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
    std::FILE* out = std::fopen(path, "w");
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
      good = std::fclose(out) == 0;
    }
  }
  PetscCallMPI(MPI_Bcast(&good, 1, MPI_INT, 0, PetscObjectComm((PetscObject)da)));
  *ok = good;
  for (int k = 0; k < nvec; ++k) {
    PetscCall(VecScatterDestroy(&to_zero[k]));
    PetscCall(VecDestroy(&all[k]));
    PetscCall(VecDestroy(&nat[k]));
  }
  PetscFunctionReturn(0);
}

// Parse "a,b" (two node numbers).  Returns false if the text is not that.
static bool ParsePair(const char* text, PetscInt* a, PetscInt* b)
{
  char* end = nullptr;
  errno     = 0;
  const long x = std::strtol(text, &end, 10);
  if (end == text || *end != ',' || errno == ERANGE) return false;
  const char* second = end + 1;
  const long  y      = std::strtol(second, &end, 10);
  if (end == second || *end != '\0' || errno == ERANGE) return false;
  *a = (PetscInt)x;
  *b = (PetscInt)y;
  return x == (long)*a && y == (long)*b;
}

// Solve L v = p with the run-time solver; return its iterations and reason.
static PetscErrorCode Solve(KSP ksp, Vec p, Vec v, PetscInt* its, KSPConvergedReason* reason)
{
  PetscFunctionBeginUser;
  PetscCall(KSPSolve(ksp, p, v));
  PetscCall(KSPGetIterationNumber(ksp, its));
  PetscCall(KSPGetConvergedReason(ksp, reason));
  PetscFunctionReturn(0);
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
  PetscFunctionReturn(0);
}

static void PrintLines(const char* title, const std::vector<Line>& lines, const AppCtx* u)
{
  PetscPrintf(PETSC_COMM_WORLD, "%s\n", title);
  for (const Line& l : lines)
    PetscPrintf(PETSC_COMM_WORLD, "  line %6" PetscInt_FMT " - %-6" PetscInt_FMT " (%" PetscInt_FMT ",%" PetscInt_FMT ")-(%" PetscInt_FMT ",%" PetscInt_FMT ")  current %+.6f\n",
                l.a, l.b, l.a % u->nx, l.a / u->nx, l.b % u->nx, l.b / u->nx, l.current);
}

int main(int argc, char** argv)
{
  PetscCall(PetscInitialize(&argc, &argv, NULL, help));

  PetscMPIInt size = 0;
  PetscCallMPI(MPI_Comm_size(PETSC_COMM_WORLD, &size));

  // Check the text of our own options first: one clean line for bad input.
  std::string error;
  PetscCall(CheckIntOption("-nx", 5, 20000, &error));
  if (error.empty()) PetscCall(CheckIntOption("-ny", 1, 20000, &error));
  if (error.empty()) PetscCall(CheckRealOption("-g", 1e-6, 1e6, &error));
  if (error.empty()) PetscCall(CheckRealOption("-g_ground", 0.0, 1e6, &error));
  if (error.empty()) PetscCall(CheckRealOption("-load", 0.0, 1e6, &error));
  if (error.empty()) PetscCall(CheckRealOption("-gen", 0.0, 100.0, &error));
  if (error.empty()) PetscCall(CheckRealOption("-v_slack", 0.0, 1e6, &error));
  if (error.empty()) PetscCall(CheckIntOption("-top", 1, 100, &error));
  if (!error.empty()) {
    if (error.rfind("-g = ", 0) == 0) error += ": a line conductance must be > 0";
    PetscCall(PrintError(error));
    PetscCall(PetscFinalize());
    return 1;
  }

  AppCtx    user;
  PetscInt  top_k = 5;
  PetscBool lu_check = PETSC_TRUE, has_fail = PETSC_FALSE, has_dump = PETSC_FALSE;
  char      fail_text[64] = "", dump_path[PETSC_MAX_PATH_LEN] = "";
  user.nx = 40; user.ny = 20;
  user.g = 10.0; user.g_ground = 0.001; user.load = 0.8; user.gen = 0.5; user.v_slack = 1.0;
  user.fail_a = user.fail_b = -1;
  user.failed = PETSC_FALSE;
  PetscOptionsBegin(PETSC_COMM_WORLD, NULL, "Power grid options", "KSP");
  PetscCall(PetscOptionsInt("-nx", "streets: buses in x (5 to 20000)", "", user.nx, &user.nx, NULL));
  PetscCall(PetscOptionsInt("-ny", "avenues: buses in y (1 to 20000; 1 is a single radial feeder)", "", user.ny, &user.ny, NULL));
  PetscCall(PetscOptionsReal("-g", "conductance of every line (per unit, > 0)", "", user.g, &user.g, NULL));
  PetscCall(PetscOptionsReal("-g_ground", "shunt conductance to earth of each perimeter bus", "", user.g_ground, &user.g_ground, NULL));
  PetscCall(PetscOptionsReal("-load", "total load of the neighbourhoods", "", user.load, &user.load, NULL));
  PetscCall(PetscOptionsReal("-gen", "generation of the four substations, as a fraction of the load", "", user.gen, &user.gen, NULL));
  PetscCall(PetscOptionsReal("-v_slack", "voltage held at the slack bus (the main substation)", "", user.v_slack, &user.v_slack, NULL));
  PetscCall(PetscOptionsString("-fail_line", "a,b: take the line between nodes a and b (x + nx*y) out of service", "", fail_text, fail_text, sizeof(fail_text), &has_fail));
  PetscCall(PetscOptionsBool("-lu_check", "compare with a direct MUMPS LU solve of the same matrix", "", lu_check, &lu_check, NULL));
  PetscCall(PetscOptionsInt("-top", "how many of the largest line currents to list", "", top_k, &top_k, NULL));
  PetscCall(PetscOptionsString("-dump", "write x,y,v[,v_failed] of every bus to this CSV file", "", dump_path, dump_path, sizeof(dump_path), &has_dump));
  PetscOptionsEnd();

  const PetscInt n_nodes = user.nx * user.ny;
  const PetscInt n_lines = user.nx * (user.ny - 1) + user.ny * (user.nx - 1);
  if ((double)user.nx * (double)user.ny > 2.5e7) error = "the grid has more than 25 million buses: too big for this lesson";

  // Where things are: the slack bus in the centre, substations at the
  // quarter points (on a feeder, ny = 1: the two quarter points of the line).
  user.slack = Node(&user, user.nx / 2, user.ny / 2);
  user.n_sub = 0;
  for (PetscInt k = 0; k < 4; ++k) {
    const PetscInt x = (k % 2 == 0 ? 1 : 3) * user.nx / 4, y = (k < 2 ? 1 : 3) * user.ny / 4;
    const PetscInt s = Node(&user, x, y);
    user.sub[k] = (s == user.slack || IsSubstation(&user, s)) ? -1 : s;
    if (user.sub[k] >= 0) user.n_sub++;
  }
  user.n_loads = n_nodes - 1 - user.n_sub;

  // The failed line: two neighbouring nodes, and not a line whose loss cuts
  // buses off from the slack (they would have no supply and no voltage).
  if (error.empty() && has_fail) {
    PetscInt a = -1, b = -1;
    if (!ParsePair(fail_text, &a, &b)) {
      error = std::string("-fail_line needs two node numbers a,b, got '") + fail_text + "'";
    } else if (a < 0 || b < 0 || a >= n_nodes || b >= n_nodes) {
      error = std::string("-fail_line ") + fail_text + ": node numbers go from 0 to " + std::to_string((long)n_nodes - 1);
    } else {
      const PetscInt d = a > b ? a - b : b - a;
      const bool     adjacent = (d == user.nx) || (d == 1 && a / user.nx == b / user.nx);
      if (!adjacent) {
        error = std::string("-fail_line ") + fail_text + ": there is no line between nodes " + std::to_string((long)a) +
                " and " + std::to_string((long)b) + " (neighbours differ by 1 or by nx = " + std::to_string((long)user.nx) + ")";
      } else {
        user.fail_a = a;
        user.fail_b = b;
        user.failed = PETSC_TRUE;
        const PetscInt cut = CountIslanded(&user);
        user.failed = PETSC_FALSE;
        if (cut > 0)
          error = std::string("-fail_line ") + fail_text + " disconnects the network: " + std::to_string((long)cut) +
                  " bus(es) would be cut off from the slack bus with no supply";
      }
    }
  }
  if (!error.empty()) {
    PetscCall(PrintError(error));
    PetscCall(PetscFinalize());
    return 1;
  }

  // The grid of buses, distributed over the ranks (a 2-D split PETSc
  // chooses); the star stencil of width 1 gives each rank the voltages of the
  // buses just across its borders (ghosts), which the line currents need.
  DM da;
  PetscCall(DMDACreate2d(PETSC_COMM_WORLD, DM_BOUNDARY_NONE, DM_BOUNDARY_NONE, DMDA_STENCIL_STAR, user.nx, user.ny,
                         PETSC_DECIDE, PETSC_DECIDE, 1, 1, NULL, NULL, &da));
  PetscCall(DMSetFromOptions(da));
  PetscCall(DMSetUp(da));

  // L: an MPIAIJ (or SeqAIJ) matrix with this rank's rows, preallocated by
  // the DMDA for 5 entries a row (diagonal and off-process columns counted apart).
  Mat L;
  Vec p, v, v_base = NULL;
  PetscCall(DMCreateMatrix(da, &L));
  PetscCall(DMCreateGlobalVector(da, &p));
  PetscCall(VecDuplicate(p, &v));
  PetscCall(AssembleLaplacian(da, &user, L, p));

  // The solver: CG + GAMG unless the command line says otherwise.  A tight
  // tolerance, so that the answer is comparable with a direct solve to 1e-8.
  KSP ksp, lu = NULL;
  PC  pc;
  PetscCall(KSPCreate(PETSC_COMM_WORLD, &ksp));
  PetscCall(KSPSetOperators(ksp, L, L));
  PetscCall(KSPSetType(ksp, KSPCG));
  PetscCall(KSPGetPC(ksp, &pc));
  PetscCall(PCSetType(pc, PCGAMG));
  PetscCall(KSPSetTolerances(ksp, 1e-12, 1e-50, PETSC_DEFAULT, 2000));
  PetscCall(KSPSetFromOptions(ksp));
  if (lu_check) {
    // The reference: MUMPS's parallel sparse LU, options prefix lu_.
    PC lupc;
    PetscCall(KSPCreate(PETSC_COMM_WORLD, &lu));
    PetscCall(KSPSetOptionsPrefix(lu, "lu_"));
    PetscCall(KSPSetOperators(lu, L, L));
    PetscCall(KSPSetType(lu, KSPPREONLY));
    PetscCall(KSPGetPC(lu, &lupc));
    PetscCall(PCSetType(lupc, PCLU));
    PetscCall(PCFactorSetMatSolverType(lupc, MATSOLVERMUMPS));
    PetscCall(KSPSetFromOptions(lu));
  }

  PetscCallMPI(MPI_Barrier(PETSC_COMM_WORLD));
  const double t0 = MPI_Wtime();
  PetscInt           its = 0, its_failed = 0;
  KSPConvergedReason reason;
  PetscCall(Solve(ksp, p, v, &its, &reason));
  PetscCallMPI(MPI_Barrier(PETSC_COMM_WORLD));
  const double time_s = MPI_Wtime() - t0;

  PetscReal lu_difference = -1.0;
  if (reason > 0 && lu_check) PetscCall(CompareWithLU(lu, p, v, &lu_difference));

  // The intact grid's numbers.
  PetscReal v_min, v_max, v_sum, res_abs, res_rel, inj, slack, ground;
  PetscInt  v_min_node;
  PetscCall(VecMin(v, &v_min_node, &v_min));
  PetscCall(VecMax(v, NULL, &v_max));
  PetscCall(VecSum(v, &v_sum));
  PetscCall(KirchhoffResidual(da, v, &user, &res_abs, &res_rel));
  PetscCall(PowerBalance(da, v, &user, &inj, &slack, &ground));
  // Relative to the size of the injections, the slack's supply included (or to
  // 1 per unit when they are smaller: with no load at all, v is exact).
  res_rel = res_abs / PetscMax(PetscSqrtReal(res_rel + slack * slack), 1.0);
  std::vector<Line> largest, changed;
  PetscCall(LargestLines(da, v, NULL, &user, top_k, &largest));
  {
    // VecMin gives a PETSc (DMDA) index; the node number is the natural one.
    AO ao;
    PetscCall(DMDAGetAO(da, &ao));
    PetscCall(AOPetscToApplication(ao, 1, &v_min_node));
  }

  // The failed line: the same grid without it, solved again from scratch.
  PetscReal res_abs_f = 0, res_rel_f = 0, inj_f = 0, slack_f = 0, ground_f = 0, max_dv = 0, lu_difference_f = -1.0;
  PetscReal current_before = 0.0;
  KSPConvergedReason reason_f = KSP_CONVERGED_ITERATING;
  if (has_fail && reason > 0) {
    PetscCall(VecDuplicate(v, &v_base));
    PetscCall(VecCopy(v, v_base));
    PetscCall(LineCurrent(da, v, &user, user.fail_a, user.fail_b, &current_before));
    user.failed = PETSC_TRUE;
    PetscCall(AssembleLaplacian(da, &user, L, p));
    PetscCall(KSPSetOperators(ksp, L, L));
    PetscCall(Solve(ksp, p, v, &its_failed, &reason_f));
    if (reason_f > 0 && lu_check) {
      PetscCall(KSPSetOperators(lu, L, L));
      PetscCall(CompareWithLU(lu, p, v, &lu_difference_f));
    }
    PetscCall(KirchhoffResidual(da, v, &user, &res_abs_f, &res_rel_f));
    PetscCall(PowerBalance(da, v, &user, &inj_f, &slack_f, &ground_f));
    res_rel_f = res_abs_f / PetscMax(PetscSqrtReal(res_rel_f + slack_f * slack_f), 1.0);
    PetscCall(LargestLines(da, v, v_base, &user, top_k, &changed));
    Vec dv;
    PetscCall(VecDuplicate(v, &dv));
    PetscCall(VecWAXPY(dv, -1.0, v_base, v));
    PetscCall(VecNorm(dv, NORM_INFINITY, &max_dv));
    PetscCall(VecDestroy(&dv));
  }

  if (reason < 0 || (has_fail && reason_f < 0)) {
    KSPType type;
    PetscCall(KSPGetType(ksp, &type));
    char message[256];
    std::snprintf(message, sizeof(message), "the linear solver (%s) did not converge (%s); rerun with -ksp_monitor -ksp_converged_reason",
                  type, KSPConvergedReasons[reason < 0 ? reason : reason_f]);
    PetscCall(PrintError(message));
  } else {
    KSPType ksp_type;
    PCType  pc_type;
    PetscCall(KSPGetType(ksp, &ksp_type));
    PetscCall(PCGetType(pc, &pc_type));
    const PetscReal scale       = user.load > 0.0 ? user.load : 1.0;
    const PetscReal balance     = PetscAbsReal(inj + slack - ground) / scale;
    const PetscReal balance_f   = PetscAbsReal(inj_f + slack_f - ground_f) / scale;
    const PetscReal lu_diff_max = PetscMax(lu_difference, lu_difference_f);
    bool            pass        = res_rel < 1e-9 && balance < 1e-9;
    if (lu_check) pass = pass && lu_diff_max < 1e-8;
    if (has_fail) pass = pass && res_rel_f < 1e-9 && balance_f < 1e-9;

    PetscCall(PetscPrintf(PETSC_COMM_WORLD, "Power grid: %" PetscInt_FMT " x %" PetscInt_FMT " buses, %" PetscInt_FMT " lines, slack bus %" PetscInt_FMT ", %" PetscInt_FMT " substations, %" PetscInt_FMT " neighbourhoods, %d rank%s\n",
                          user.nx, user.ny, n_lines, user.slack, user.n_sub, user.n_loads, size, size > 1 ? "s" : ""));
    PetscCall(PetscPrintf(PETSC_COMM_WORLD, "size = %d\n", size));
    PetscCall(PetscPrintf(PETSC_COMM_WORLD, "nx = %" PetscInt_FMT "\n", user.nx));
    PetscCall(PetscPrintf(PETSC_COMM_WORLD, "ny = %" PetscInt_FMT "\n", user.ny));
    PetscCall(PetscPrintf(PETSC_COMM_WORLD, "buses = %" PetscInt_FMT "\n", n_nodes));
    PetscCall(PetscPrintf(PETSC_COMM_WORLD, "lines = %" PetscInt_FMT "\n", n_lines - (has_fail ? 1 : 0)));
    PetscCall(PetscPrintf(PETSC_COMM_WORLD, "solver = %s %s\n", ksp_type, pc_type));
    PetscCall(PetscPrintf(PETSC_COMM_WORLD, "its = %" PetscInt_FMT "\n", its));
    PetscCall(PetscPrintf(PETSC_COMM_WORLD, "v_min = %.10f\n", (double)v_min));
    PetscCall(PetscPrintf(PETSC_COMM_WORLD, "v_min_bus = %" PetscInt_FMT "\n", v_min_node));
    PetscCall(PetscPrintf(PETSC_COMM_WORLD, "v_max = %.10f\n", (double)v_max));
    PetscCall(PetscPrintf(PETSC_COMM_WORLD, "v_mean = %.10f\n", (double)(v_sum / n_nodes)));
    PetscCall(PetscPrintf(PETSC_COMM_WORLD, "injections = %.10f\n", (double)inj));
    PetscCall(PetscPrintf(PETSC_COMM_WORLD, "slack_current = %.10f\n", (double)slack));
    PetscCall(PetscPrintf(PETSC_COMM_WORLD, "ground_current = %.10f\n", (double)ground));
    PetscCall(PetscPrintf(PETSC_COMM_WORLD, "balance_error = %.2e\n", (double)balance));
    PetscCall(PetscPrintf(PETSC_COMM_WORLD, "kirchhoff_residual = %.2e\n", (double)res_abs));
    PetscCall(PetscPrintf(PETSC_COMM_WORLD, "kirchhoff_residual_rel = %.2e\n", (double)res_rel));
    PrintLines("largest line currents (from a to b):", largest, &user);
    PetscCall(PetscPrintf(PETSC_COMM_WORLD, "max_line_current = %.10f\n", largest.empty() ? 0.0 : largest[0].size));
    PetscCall(PetscPrintf(PETSC_COMM_WORLD, "max_line = %" PetscInt_FMT "-%" PetscInt_FMT "\n", largest.empty() ? -1 : largest[0].a, largest.empty() ? -1 : largest[0].b));
    if (has_fail) {
      PetscCall(PetscPrintf(PETSC_COMM_WORLD, "failed_line = %" PetscInt_FMT "-%" PetscInt_FMT "\n", user.fail_a, user.fail_b));
      PetscCall(PetscPrintf(PETSC_COMM_WORLD, "failed_line_current = %.10f\n", (double)current_before));
      PetscCall(PetscPrintf(PETSC_COMM_WORLD, "its_failed = %" PetscInt_FMT "\n", its_failed));
      PetscCall(PetscPrintf(PETSC_COMM_WORLD, "slack_current_failed = %.10f\n", (double)slack_f));
      PetscCall(PetscPrintf(PETSC_COMM_WORLD, "ground_current_failed = %.10f\n", (double)ground_f));
      PetscCall(PetscPrintf(PETSC_COMM_WORLD, "balance_error_failed = %.2e\n", (double)balance_f));
      PetscCall(PetscPrintf(PETSC_COMM_WORLD, "kirchhoff_residual_failed_rel = %.2e\n", (double)res_rel_f));
      PetscCall(PetscPrintf(PETSC_COMM_WORLD, "max_voltage_change = %.10f\n", (double)max_dv));
      PrintLines("largest changes of line current after the failure (new - old):", changed, &user);
      PetscCall(PetscPrintf(PETSC_COMM_WORLD, "max_current_change = %.10f\n", changed.empty() ? 0.0 : changed[0].size));
    }
    if (lu_check) PetscCall(PetscPrintf(PETSC_COMM_WORLD, "lu_difference = %.2e\n", (double)lu_diff_max));
    else PetscCall(PetscPrintf(PETSC_COMM_WORLD, "lu_difference = not computed (-lu_check 0)\n"));
    PetscCall(PetscPrintf(PETSC_COMM_WORLD, "check = %s\n", pass ? "PASS" : "FAIL"));
    PetscCall(PetscPrintf(PETSC_COMM_WORLD, "time_s = %.6f\n", time_s));
  }

  bool dumped = true;
  if (has_dump && reason > 0) PetscCall(DumpCSV(da, has_fail ? v_base : v, has_fail ? v : NULL, &user, dump_path, &dumped));
  if (!dumped) PetscCall(PrintError(std::string("cannot write -dump file '") + dump_path + "'"));

  PetscCall(VecDestroy(&v_base));
  PetscCall(VecDestroy(&v));
  PetscCall(VecDestroy(&p));
  PetscCall(MatDestroy(&L));
  PetscCall(KSPDestroy(&lu));
  PetscCall(KSPDestroy(&ksp));
  PetscCall(DMDestroy(&da));
  PetscCall(WarnUnusedOptions());
  PetscCall(PetscFinalize());
  return (reason < 0 || (has_fail && reason_f < 0) || !dumped) ? 1 : 0;
}
