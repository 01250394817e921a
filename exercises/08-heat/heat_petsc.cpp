/**
 * @file heat_petsc.cpp
 * @brief Lesson 08 exercise: the same explicit 2D heat equation as heat_mpi, with a
 * PETSc DMDA doing the decomposition and the halo exchange: DMGlobalToLocal
 * brings the initial global vector into a ghosted local vector, and each step
 * refreshes the halo of that local vector, in one of two ways (-halo):
 *   sf            (default) a PetscSF, PETSc's star forest, whose leaves are
 *                 exactly the halo nodes: only halo values move;
 *   localtolocal  DMLocalToLocal, the DMDA's own call: the same messages, but
 *                 it also copies every owned node onto itself, a second pass
 *                 over the field each step (measured: `make bench`).
 *
 * u_t = alpha (u_xx + u_yy) on [0,Lx] x [0,Ly], u = 0 on the edges,
 * u0 = sin(pi x/Lx) sin(pi y/Ly); nx x ny nodes with spacing
 * hx = Lx/(nx-1), hy = Ly/(ny-1), forward Euler with the 5-point Laplacian:
 *   u' = u + cx (u_W - 2u + u_E) + cy (u_S - 2u + u_N),  cx = alpha dt/hx^2,
 * stable for r = cx + cy <= 1/2 (larger dt is refused with one error line).
 * FormFunctionLocal computes u' on the owned nodes from one ghosted local
 * array into another, with the same arithmetic in the same order as heat_mpi
 * (eight rows per pass, plain row offsets), on the same
 * blocks (MPI_Dims_create), so both programs produce the same field bit for
 * bit and print the same u_max and max_error (exact solution
 * exp(-alpha pi^2 (1/Lx^2 + 1/Ly^2) t) u0) and scheme_error (against the
 * scheme's own solution g^n u0, round-off: `check = PASS` when <= 1e-12).
 * Run: `make run PROG=heat_petsc NP=4 ARGS="-nx 30 -ny 17"` (add
 * `-halo localtolocal` for DMLocalToLocal); `-help` lists the options.  compare:
 *   mpiexec -n 3 build/system/heat_petsc -nx 30 -ny 17 -steps 200
 *   mpiexec -n 3 build/system/heat_mpi --nx 30 --ny 17 --steps 200
 *
 * Exercise: fill the local vector Ul from the global vector U with
 * DMGlobalToLocalBegin/End before the time loop, and refresh its halo with
 * DMLocalToLocalBegin/End in ExchangeHalo (the -halo localtolocal branch).
 * As given Ul stays zero, the field dies at once and `check = FAIL`.  Grade
 * with `make check` (it runs both -halo choices).
 */
static char help[] = "Explicit 2D heat equation u_t = alpha (u_xx + u_yy) on a DMDA (lesson 08).\n"
                     "Dirichlet u = 0 on the edges of [0,Lx] x [0,Ly], u0 = sin(pi x/Lx) sin(pi y/Ly);\n"
                     "forward Euler, stable for alpha dt (1/hx^2 + 1/hy^2) <= 1/2.  Prints the error\n"
                     "against the exact solution exp(-alpha pi^2 (1/Lx^2 + 1/Ly^2) t) u0.\n\n";

#include <petscdmda.h>
#include <petscsf.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <utility>
#include <vector>

#include "petsc_cli.hpp"

typedef struct {
  PetscInt  nx, ny;     // nodes per direction, edges included
  PetscReal Lx, Ly;     // the rectangle
  PetscReal alpha;      // diffusivity
  PetscReal hx, hy;     // node spacing
  PetscReal dt;         // time step
  PetscReal cx, cy;     // alpha dt / hx^2, alpha dt / hy^2
  PetscInt  steps;      // number of time steps
} AppCtx;

// u0 at node (i, j): 0 on the edges, sin(pi x/Lx) sin(pi y/Ly) inside.
static PetscReal Initial(PetscInt i, PetscInt j, const AppCtx* user)
{
  const PetscReal pi = PETSC_PI;
  if (i == 0 || j == 0 || i == user->nx - 1 || j == user->ny - 1) return 0.0;
  return std::sin(pi * i * user->hx / user->Lx) * std::sin(pi * j * user->hy / user->Ly);
}

static PetscErrorCode FormInitial(DM da, Vec U, AppCtx* user)
{
  DMDALocalInfo info;
  PetscScalar** u;

  PetscFunctionBeginUser;
  PetscCall(DMDAGetLocalInfo(da, &info));
  PetscCall(DMDAVecGetArray(da, U, &u));
  for (PetscInt j = info.ys; j < info.ys + info.ym; ++j)
    for (PetscInt i = info.xs; i < info.xs + info.xm; ++i) u[j][i] = Initial(i, j, user);
  PetscCall(DMDAVecRestoreArray(da, U, &u));
  PetscFunctionReturn(0);
}

// Rows per pass of the sweep (see FormFunctionLocal).
constexpr int kRowsPerPass = 8;

// K consecutive output rows in one pass over the columns [ib, ie): `u`
// points at the first input row (row j-1), `unew` at the first output row
// (row j), rows `s` apart.  Node i of output row k needs rows k, k+1, k+2 of
// u.  The same operations in the same order as heat_mpi's rows(), the same
// `omp simd` (compiled with -fopenmp-simd) to vectorise over i.
template <int K>
static void Rows(const PetscScalar* __restrict u, PetscScalar* __restrict unew, PetscInt s, PetscInt ib, PetscInt ie,
                 PetscReal cx, PetscReal cy)
{
#pragma omp simd
  for (PetscInt i = ib; i < ie; ++i)
    for (int k = 0; k < K; ++k) {
      const PetscScalar* S = u + k * s;
      const PetscScalar* C = S + s;
      const PetscScalar* N = C + s;
      unew[k * s + i] = C[i] + cx * (C[i - 1] - 2.0 * C[i] + C[i + 1]) + cy * (S[i] - 2.0 * C[i] + N[i]);
    }
}

// One explicit step on the owned nodes: unew = u + dt alpha lap(u).  Both are
// ghosted local arrays (u's halo is up to date), stored row by row: node
// (i, j) is at (j - gys) gxm + (i - gxs).  The edge nodes of the grid are
// never written: they stay 0 in both arrays.  Raw arrays and row offsets
// instead of DMDAVecGetArray's u[j][i] give the compiler a plain loop that
// it vectorises; kRowsPerPass rows per pass let each row that comes in from
// the caches serve several output rows (as in heat_mpi).
static PetscErrorCode FormFunctionLocal(DMDALocalInfo* info, const PetscScalar* u, PetscScalar* unew, AppCtx* user)
{
  const PetscReal cx = user->cx, cy = user->cy;
  const PetscInt  gxm = info->gxm;

  PetscFunctionBeginUser;
  // The inner nodes of the owned block, as offsets into a row of the local array.
  const PetscInt ib = PetscMax(info->xs, 1) - info->gxs, ie = PetscMin(info->xs + info->xm, info->mx - 1) - info->gxs;
  const PetscInt jb = PetscMax(info->ys, 1), je = PetscMin(info->ys + info->ym, info->my - 1);
  auto           row = [&](PetscInt j) { return (j - info->gys) * gxm; };  // offset of row j
  PetscInt       j   = jb;
  for (; j + kRowsPerPass <= je; j += kRowsPerPass)
    Rows<kRowsPerPass>(u + row(j - 1), unew + row(j), gxm, ib, ie, cx, cy);
  for (; j < je; ++j) Rows<1>(u + row(j - 1), unew + row(j), gxm, ib, ie, cx, cy);  // the rows left over
  PetscFunctionReturn(0);
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

// One halo exchange on the ghosted local vector Ul, by either method.
static PetscErrorCode ExchangeHalo(DM da, PetscSF sf, Vec Ul)
{
  PetscFunctionBeginUser;
  if (sf) {  // in place: the roots (owned nodes) and the leaves (halo) are one array
    PetscScalar* a;
    PetscCall(VecGetArray(Ul, &a));
    PetscCall(PetscSFBcastBegin(sf, MPIU_SCALAR, a, a, MPI_REPLACE));
    PetscCall(PetscSFBcastEnd(sf, MPIU_SCALAR, a, a, MPI_REPLACE));
    PetscCall(VecRestoreArray(Ul, &a));
  } else {
    // TODO: DMLocalToLocalBegin and DMLocalToLocalEnd from Ul into Ul itself
    //       (INSERT_VALUES).
  }
  PetscFunctionReturn(0);
}

int main(int argc, char** argv)
{
  PetscCall(PetscInitialize(&argc, &argv, NULL, help));

  PetscMPIInt rank = 0, size = 0;
  PetscCallMPI(MPI_Comm_rank(PETSC_COMM_WORLD, &rank));
  PetscCallMPI(MPI_Comm_size(PETSC_COMM_WORLD, &size));

  // Check the text of every option first: one line for -nx abc, -dt -1, ...
  std::string error;
  const char* ints[] = {"-nx", "-ny", "-steps"};
  const long  int_hi[] = {100000, 100000, 10000000}, int_lo[] = {3, 3, 0};
  for (int k = 0; k < 3 && error.empty(); ++k) PetscCall(CheckIntOption(ints[k], int_lo[k], int_hi[k], &error));
  const char*  reals[] = {"-lx", "-ly", "-alpha", "-dt"};
  const double real_lo[] = {1e-6, 1e-6, 1e-12, 1e-300}, real_hi[] = {1e6, 1e6, 1e12, 1e300};
  for (int k = 0; k < 4 && error.empty(); ++k) PetscCall(CheckRealOption(reals[k], real_lo[k], real_hi[k], &error));
  const char* halos[] = {"sf", "localtolocal"};  // the two halo exchanges, -halo
  if (error.empty()) {
    char      text[64] = "";
    PetscBool set      = PETSC_FALSE;
    PetscCall(PetscOptionsGetString(NULL, NULL, "-halo", text, sizeof(text), &set));
    PetscBool present = PETSC_FALSE;
    PetscCall(PetscOptionsHasName(NULL, NULL, "-halo", &present));
    if (present && (!set || text[0] == '\0')) error = "-halo needs a value: sf or localtolocal";
    else if (set && std::string(text) != halos[0] && std::string(text) != halos[1])
      error = "-halo must be sf or localtolocal, not '" + std::string(text) + "'";
  }
  if (!error.empty()) {
    PetscCall(PrintError(error));
    PetscCall(PetscFinalize());
    return 1;
  }

  AppCtx user;
  user.nx = 101, user.ny = 101, user.Lx = 1.0, user.Ly = 1.0, user.alpha = 1.0, user.steps = 500;
  PetscReal dt   = 0.0;  // 0: the default, 0.4 of the stable limit
  PetscInt  halo = 0;    // index into halos[]
  PetscOptionsBegin(PETSC_COMM_WORLD, NULL, "Heat equation options", "DMDA");
  PetscCall(PetscOptionsInt("-nx", "grid nodes in x, edges included (3 to 1e5)", "", user.nx, &user.nx, NULL));
  PetscCall(PetscOptionsInt("-ny", "grid nodes in y, edges included (3 to 1e5)", "", user.ny, &user.ny, NULL));
  PetscCall(PetscOptionsReal("-lx", "length of the rectangle in x", "", user.Lx, &user.Lx, NULL));
  PetscCall(PetscOptionsReal("-ly", "length of the rectangle in y", "", user.Ly, &user.Ly, NULL));
  PetscCall(PetscOptionsReal("-alpha", "diffusivity", "", user.alpha, &user.alpha, NULL));
  PetscCall(PetscOptionsReal("-dt", "time step (0: 0.4 / (alpha (1/hx^2 + 1/hy^2)))", "", dt, &dt, NULL));
  PetscCall(PetscOptionsInt("-steps", "number of time steps", "", user.steps, &user.steps, NULL));
  PetscCall(PetscOptionsEList("-halo", "halo exchange: sf (the halo only) or localtolocal (DMLocalToLocal)",
                              "PetscSFBcastBegin", halos, 2, halos[halo], &halo, NULL));
  PetscOptionsEnd();

  user.hx = user.Lx / (user.nx - 1);
  user.hy = user.Ly / (user.ny - 1);
  const PetscReal inv_h2 = 1.0 / (user.hx * user.hx) + 1.0 / (user.hy * user.hy);
  user.dt = dt > 0.0 ? dt : 0.4 / (user.alpha * inv_h2);
  const PetscReal r = user.alpha * user.dt * inv_h2;
  user.cx = user.alpha * user.dt / (user.hx * user.hx);
  user.cy = user.alpha * user.dt / (user.hy * user.hy);

  // The same blocks as heat_mpi: MPI_Dims_create's d0 >= d1, d0 along x.
  int d[2] = {0, 0};
  PetscCallMPI(MPI_Dims_create(size, 2, d));
  const int dims[2] = {d[1], d[0]};  // blocks along y, along x
  if (r > 0.5 * (1.0 + 1e-12)) {
    char msg[200];
    PetscCall(PetscSNPrintf(msg, sizeof msg, "unstable: alpha dt (1/hx^2 + 1/hy^2) = %.4g > 1/2; use -dt <= %.6g",
                            (double)r, (double)(0.5 / (user.alpha * inv_h2))));
    error = msg;
  } else if (user.nx < dims[1] || user.ny < dims[0]) {
    error = "grid " + std::to_string(user.nx) + " x " + std::to_string(user.ny) + " is too small for " +
            std::to_string(dims[1]) + " x " + std::to_string(dims[0]) +
            " blocks: every rank needs at least one node per direction";
  }
  if (!error.empty()) {
    PetscCall(PrintError(error));
    PetscCall(PetscFinalize());
    return 1;
  }

  // A 2D distributed array: one dof per node, star stencil of width 1 (the
  // 5-point Laplacian needs no corner ghosts), no periodic wrap.
  DM da;
  PetscCall(DMDACreate2d(PETSC_COMM_WORLD, DM_BOUNDARY_NONE, DM_BOUNDARY_NONE, DMDA_STENCIL_STAR, user.nx,
                         user.ny, dims[1], dims[0], 1, 1, NULL, NULL, &da));
  PetscCall(DMSetFromOptions(da));
  PetscCall(DMSetUp(da));

  // The state lives in a global vector (no halo, what DMCreateGlobalVector
  // gives and what solvers and output use) and in ghosted local vectors (owned
  // nodes plus one halo layer, what the stencil reads).
  Vec U, Ul, Wl;  // the state (global), the state and the next state (local)
  PetscCall(DMCreateGlobalVector(da, &U));
  PetscCall(DMCreateLocalVector(da, &Ul));
  PetscCall(VecDuplicate(Ul, &Wl));
  PetscCall(FormInitial(da, U, &user));
  // The bridge from global to local: DMGlobalToLocal copies the owned values
  // and fetches the neighbours' edge values into the halo, in one call pair.
  // TODO: DMGlobalToLocalBegin and DMGlobalToLocalEnd from U into Ul
  //       (INSERT_VALUES).
  PetscCall(VecSet(Wl, 0.0));  // the edge nodes of the grid stay 0 in both
  // Each step then only needs new halo values (a global-to-local copy every
  // step would move the whole field once more).  -halo sf: a star forest of
  // the halo nodes; -halo localtolocal: DMLocalToLocal in place, whose
  // scatter also copies each owned node onto itself.  The first exchange
  // builds the communication pattern: do it here, where it changes nothing,
  // so that the timed loop holds only the steps.
  PetscSF sf = NULL;
  if (halo == 0) PetscCall(CreateHaloSF(da, &sf));
  PetscCall(ExchangeHalo(da, sf, Ul));

  DMDALocalInfo info;
  PetscCall(DMDAGetLocalInfo(da, &info));
  PetscInt px = 0, py = 0;
  PetscCall(DMDAGetInfo(da, NULL, NULL, NULL, NULL, &px, &py, NULL, NULL, NULL, NULL, NULL, NULL, NULL));

  PetscCallMPI(MPI_Barrier(PETSC_COMM_WORLD));
  const double t0 = MPI_Wtime();
  double best_step = 1e300;  // the fastest step of this rank
  for (PetscInt n = 0; n < user.steps; ++n) {
    const PetscScalar* u;
    PetscScalar*       unew;
    const double       ts = MPI_Wtime();
    // The halo exchange: the neighbours' edge values land in Ul's halo.
    PetscCall(ExchangeHalo(da, sf, Ul));
    PetscCall(VecGetArrayRead(Ul, &u));  // the raw ghosted arrays, row by row
    PetscCall(VecGetArray(Wl, &unew));
    PetscCall(FormFunctionLocal(&info, u, unew, &user));
    PetscCall(VecRestoreArray(Wl, &unew));
    PetscCall(VecRestoreArrayRead(Ul, &u));
    std::swap(Ul, Wl);  // the new state becomes the current one (handles only)
    best_step = std::min(best_step, MPI_Wtime() - ts);
  }
  PetscCallMPI(MPI_Barrier(PETSC_COMM_WORLD));
  double time_s = MPI_Wtime() - t0, slowest = 0.0, step_s = 0.0;
  PetscCallMPI(MPI_Reduce(&time_s, &slowest, 1, MPI_DOUBLE, MPI_MAX, 0, PETSC_COMM_WORLD));
  PetscCallMPI(MPI_Reduce(&best_step, &step_s, 1, MPI_DOUBLE, MPI_MAX, 0, PETSC_COMM_WORLD));
  // Back to the global vector: the owned nodes of Ul (the halo is dropped).
  PetscCall(DMLocalToGlobal(da, Ul, INSERT_VALUES, U));

  // Errors against the exact solution and against the scheme's solution g^n u0.
  const PetscReal pi = PETSC_PI, t_end = user.steps * user.dt;
  const PetscReal decay = std::exp(-user.alpha * pi * pi * (1.0 / (user.Lx * user.Lx) + 1.0 / (user.Ly * user.Ly)) * t_end);
  const PetscReal sx = std::sin(pi * user.hx / (2.0 * user.Lx)), sy = std::sin(pi * user.hy / (2.0 * user.Ly));
  const PetscReal g  = 1.0 - 4.0 * user.cx * sx * sx - 4.0 * user.cy * sy * sy;
  const PetscReal gn = std::pow(g, (PetscReal)user.steps);
  PetscReal       loc[3] = {0.0, 0.0, 0.0}, glob[3], sq = 0.0, sq_all = 0.0;
  const PetscScalar** u;
  PetscCall(DMDAVecGetArrayRead(da, U, &u));
  for (PetscInt j = info.ys; j < info.ys + info.ym; ++j)
    for (PetscInt i = info.xs; i < info.xs + info.xm; ++i) {
      const PetscReal u0 = Initial(i, j, &user), v = PetscRealPart(u[j][i]), e = v - decay * u0;
      loc[0] = PetscMax(loc[0], PetscAbsReal(e));
      loc[1] = PetscMax(loc[1], PetscAbsReal(v - gn * u0));
      loc[2] = PetscMax(loc[2], PetscAbsReal(v));
      sq += e * e;
    }
  PetscCall(DMDAVecRestoreArrayRead(da, U, &u));
  PetscCallMPI(MPI_Allreduce(loc, glob, 3, MPIU_REAL, MPI_MAX, PETSC_COMM_WORLD));
  PetscCallMPI(MPI_Allreduce(&sq, &sq_all, 1, MPIU_REAL, MPI_SUM, PETSC_COMM_WORLD));

  // Effective bandwidth of the best step, counted as in heat_mpi: 16 bytes per
  // inner node (read once, written once).
  const double bytes = 16.0 * (user.nx - 2) * (user.ny - 2);
  PetscCall(PetscPrintf(PETSC_COMM_WORLD,
                        "heat_petsc: %" PetscInt_FMT " x %" PetscInt_FMT " nodes on %" PetscInt_FMT " x %" PetscInt_FMT
                        " blocks, %" PetscInt_FMT " steps of dt = %.6g, %s halo exchange\n",
                        user.nx, user.ny, px, py, user.steps, (double)user.dt, sf ? "PetscSF" : "DMLocalToLocal"));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "size = %d\n", size));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "blocks = %" PetscInt_FMT " x %" PetscInt_FMT "\n", px, py));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "grid = %" PetscInt_FMT " x %" PetscInt_FMT "\n", user.nx, user.ny));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "halo = %s\n", sf ? "PetscSF" : "DMLocalToLocal"));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "dt = %.17g\n", (double)user.dt));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "r = %.17g\n", (double)r));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "steps = %" PetscInt_FMT "\n", user.steps));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "t_end = %.17g\n", (double)t_end));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "u_max = %.17g\n", (double)glob[2]));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "exact_max = %.17g\n", (double)decay));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "max_error = %.17g\n", (double)glob[0]));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "l2_error = %.17g\n", (double)PetscSqrtReal(sq_all * user.hx * user.hy)));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "scheme_error = %.3g\n", (double)glob[1]));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "check = %s\n", glob[1] <= 1e-12 ? "PASS" : "FAIL"));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "time_s = %.6f\n", slowest));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "best_step_s = %.6g\n", user.steps > 0 ? step_s : 0.0));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "bandwidth_GBps = %.3f\n", user.steps > 0 && step_s > 0.0 ? bytes / step_s / 1e9 : 0.0));

  PetscCall(PetscSFDestroy(&sf));
  PetscCall(VecDestroy(&Wl));
  PetscCall(VecDestroy(&Ul));
  PetscCall(VecDestroy(&U));
  PetscCall(DMDestroy(&da));
  PetscCall(WarnUnusedOptions());
  PetscCall(PetscFinalize());
  return 0;
}
