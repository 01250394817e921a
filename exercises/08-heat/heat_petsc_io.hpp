// heat_petsc_io.hpp — what goes into heat_petsc and what comes out: its
// options (PETSc's options database: `-help` lists them), the grid read back
// from the DMDA after PETSc's own -da_* options, and the report (the errors
// against the two references of heat.hpp, the result lines, the verdict).
// You need not read it to do the exercise.
#pragma once

#include <petscdmda.h>

#include <cstdio>
#include <cstring>

#include "heat.hpp"
#include "petsc_errors.hpp"

// The halo exchanges and kernels heat_petsc knows (-halo, -kernel).  The
// first of each is the lesson's; the others are the tuned variants of heat_tuned.hpp.
enum HaloChoice { HALO_GLOBALTOLOCAL, HALO_LOCALTOLOCAL, HALO_SF };
static const char* const HaloTypes[] = {"globaltolocal", "localtolocal", "sf"};
static const char* const HaloNames[] = {"DMGlobalToLocal", "DMLocalToLocal", "PetscSF"};  // the `halo =` line
enum KernelChoice { KERNEL_PLAIN, KERNEL_ROWS8 };
static const char* const KernelTypes[] = {"plain", "rows8"};

typedef struct {
  Heat     pb;                          // the problem (heat.hpp): grid, rectangle, alpha, dt, steps
  PetscInt halo   = HALO_GLOBALTOLOCAL;  // -halo
  PetscInt kernel = KERNEL_PLAIN;        // -kernel
  PetscInt px = 0, py = 0;              // blocks per direction, from the DMDA
  double   time_s = 0.0, best_step_s = 1e300;  // this rank's time of all steps, of the fastest step
} AppCtx;

// Two mistakes PETSc's options database does not report in one line: an
// option of ours given without a value (PETSc ignores it) and a word that is
// not on an option's list (PetscOptionsEList stops with a traceback).
static PetscErrorCode CheckOptionText(const char* const* valued, int nvalued, const char* name,
                                      const char* const* list, int nlist)
{
  char      value[256] = "";
  PetscBool given = PETSC_FALSE, set = PETSC_FALSE, known = PETSC_FALSE;

  PetscFunctionBeginUser;
  for (int k = 0; k < nvalued; ++k) {
    PetscCall(PetscOptionsHasName(NULL, NULL, valued[k], &given));
    if (!given) continue;
    PetscCall(PetscOptionsGetString(NULL, NULL, valued[k], value, sizeof value, &set));
    PetscCheck(set && value[0], PETSC_COMM_WORLD, PETSC_ERR_USER_INPUT, "%s needs a value", valued[k]);
  }
  PetscCall(PetscOptionsGetString(NULL, NULL, name, value, sizeof value, &set));
  if (!set) PetscFunctionReturn(PETSC_SUCCESS);
  for (int k = 0; k < nlist; ++k) known = (PetscBool)(known || std::strcmp(value, list[k]) == 0);
  PetscCheck(known, PETSC_COMM_WORLD, PETSC_ERR_USER_INPUT, "%s must be %s%s%s%s%s, not '%s'", name, list[0],
             nlist > 2 ? ", " : " or ", list[1], nlist > 2 ? " or " : "", nlist > 2 ? list[2] : "", value);
  PetscFunctionReturn(PETSC_SUCCESS);
}

// value in [lo, hi], or one line naming the option.  (Formatted here: PETSc's
// own printf writes 3 as "3." for %g.)
static PetscErrorCode CheckRange(const char* name, double value, double lo, double hi)
{
  char msg[200];

  PetscFunctionBeginUser;
  if (!(value >= lo && value <= hi)) {
    std::snprintf(msg, sizeof msg, "%s = %g is out of range [%g, %g]", name, value, lo, hi);
    SETERRQ(PETSC_COMM_WORLD, PETSC_ERR_USER_INPUT, "%s", msg);
  }
  PetscFunctionReturn(PETSC_SUCCESS);
}

// The options that shape the problem, before the grid exists.
static PetscErrorCode ReadOptions(AppCtx* user)
{
  Heat&              pb = user->pb;
  PetscInt           nx = 101, ny = 101, steps = 500;
  const char* const  valued[] = {"-nx", "-ny", "-lx", "-ly", "-alpha", "-steps", "-dt", "-halo", "-kernel"};

  PetscFunctionBeginUser;
  PetscCall(CheckOptionText(valued, 9, "-halo", HaloTypes, 3));
  PetscCall(CheckOptionText(valued, 0, "-kernel", KernelTypes, 2));
  PetscOptionsBegin(PETSC_COMM_WORLD, NULL, "Heat equation options", "DMDA");
  PetscCall(PetscOptionsInt("-nx", "grid nodes in x, edges included, 3 ... 100000", "DMDACreate2d", nx, &nx, NULL));
  PetscCall(PetscOptionsInt("-ny", "grid nodes in y, edges included, 3 ... 100000", "DMDACreate2d", ny, &ny, NULL));
  PetscCall(PetscOptionsReal("-lx", "length of the rectangle in x, 1e-6 ... 1e6", "", pb.Lx, &pb.Lx, NULL));
  PetscCall(PetscOptionsReal("-ly", "length of the rectangle in y, 1e-6 ... 1e6", "", pb.Ly, &pb.Ly, NULL));
  PetscCall(PetscOptionsReal("-alpha", "diffusivity, 1e-12 ... 1e12", "", pb.alpha, &pb.alpha, NULL));
  PetscCall(PetscOptionsInt("-steps", "number of time steps, 0 ... 10000000", "", steps, &steps, NULL));
  PetscCall(PetscOptionsEList("-halo", "halo exchange: DMGlobalToLocal, DMLocalToLocal, or a PetscSF of the halo nodes",
                              "DMGlobalToLocalBegin", HaloTypes, 3, HaloTypes[user->halo], &user->halo, NULL));
  PetscCall(PetscOptionsEList("-kernel", "the update: one row per pass, or eight", "", KernelTypes, 2,
                              KernelTypes[user->kernel], &user->kernel, NULL));
  PetscOptionsEnd();
  PetscCall(CheckRange("-nx", nx, 3, 100000));
  PetscCall(CheckRange("-ny", ny, 3, 100000));
  PetscCall(CheckRange("-lx", pb.Lx, 1e-6, 1e6));
  PetscCall(CheckRange("-ly", pb.Ly, 1e-6, 1e6));
  PetscCall(CheckRange("-alpha", pb.alpha, 1e-12, 1e12));
  PetscCall(CheckRange("-steps", steps, 0, 10000000));
  pb.nx = nx, pb.ny = ny, pb.steps = steps;
  PetscFunctionReturn(PETSC_SUCCESS);
}

// Before DMSetFromOptions: -da_refine r multiplies the intervals by 2^r
// (-da_refine_x/y: another factor), and PETSc stops with a trace when that
// overflows its integers.  A grid of more than 100000 nodes per direction is
// refused here, in one line.
static PetscErrorCode CheckRefine(PetscInt nx, PetscInt ny)
{
  PetscInt  r = 0, fx = 2, fy = 2, M = nx, N = ny;
  PetscBool set = PETSC_FALSE;

  PetscFunctionBeginUser;
  PetscCall(PetscOptionsGetInt(NULL, NULL, "-da_refine", &r, &set));
  if (!set || r <= 0) PetscFunctionReturn(PETSC_SUCCESS);
  PetscCall(PetscOptionsGetInt(NULL, NULL, "-da_grid_x", &M, NULL));
  PetscCall(PetscOptionsGetInt(NULL, NULL, "-da_grid_y", &N, NULL));
  PetscCall(PetscOptionsGetInt(NULL, NULL, "-da_refine_x", &fx, NULL));
  PetscCall(PetscOptionsGetInt(NULL, NULL, "-da_refine_y", &fy, NULL));
  double mx = M - 1, my = N - 1;
  for (PetscInt k = 0; k < r && mx < 1e6 && my < 1e6; ++k) mx *= fx, my *= fy;
  PetscCheck(mx < 100000 && my < 100000, PETSC_COMM_WORLD, PETSC_ERR_USER_INPUT,
             "-da_refine %" PetscInt_FMT " would make more than 100000 nodes per direction", r);
  PetscFunctionReturn(PETSC_SUCCESS);
}

// After DMSetFromOptions, before DMSetUp: a block layout that this job can
// have (-da_processors_x/y), and at least one node per block and direction.
// PETSc itself would stop later, with a trace or an internal error (3.22).
// One of -da_processors_x/y alone: the other follows from the number of ranks.
static PetscErrorCode CheckLayout(DM da)
{
  PetscInt    M, N, m, n;
  PetscMPIInt size;
  PetscBool   gx = PETSC_FALSE, gy = PETSC_FALSE;

  PetscFunctionBeginUser;
  PetscCallMPI(MPI_Comm_size(PETSC_COMM_WORLD, &size));
  PetscCall(DMDAGetInfo(da, NULL, &M, &N, NULL, &m, &n, NULL, NULL, NULL, NULL, NULL, NULL, NULL));
  PetscCall(PetscOptionsHasName(NULL, NULL, "-da_processors_x", &gx));
  PetscCall(PetscOptionsHasName(NULL, NULL, "-da_processors_y", &gy));
  if (gx && !gy && m > 0) {
    PetscCheck(size % m == 0, PETSC_COMM_WORLD, PETSC_ERR_USER_INPUT,
               "-da_processors_x %" PetscInt_FMT " does not divide the %d ranks of this job", m, size);
    n = size / m;
  } else if (gy && !gx && n > 0) {
    PetscCheck(size % n == 0, PETSC_COMM_WORLD, PETSC_ERR_USER_INPUT,
               "-da_processors_y %" PetscInt_FMT " does not divide the %d ranks of this job", n, size);
    m = size / n;
  }
  if (m > 0 && n > 0) {
    PetscCheck(m * n == size, PETSC_COMM_WORLD, PETSC_ERR_USER_INPUT,
               "%" PetscInt_FMT " x %" PetscInt_FMT " blocks (-da_processors_x, -da_processors_y) need %" PetscInt_FMT
               " ranks, this job has %d",
               m, n, m * n, size);
    PetscCall(DMDASetNumProcs(da, m, n, PETSC_DECIDE));
  }
  PetscCheck(M <= 100000 && N <= 100000 && (double)M * N < PETSC_MAX_INT, PETSC_COMM_WORLD, PETSC_ERR_USER_INPUT,
             "grid %" PetscInt_FMT " x %" PetscInt_FMT ": at most 100000 nodes per direction and %d in all", M, N,
             (int)PETSC_MAX_INT);
  PetscCheck(m <= M && n <= N, PETSC_COMM_WORLD, PETSC_ERR_USER_INPUT,
             "grid %" PetscInt_FMT " x %" PetscInt_FMT " is too small for %" PetscInt_FMT " x %" PetscInt_FMT
             " blocks: every rank needs at least one node per direction",
             M, N, m, n);
  PetscFunctionReturn(PETSC_SUCCESS);
}

// After DMSetUp: the grid as the DMDA has it (-da_grid_x, -da_refine, ...
// may have changed -nx and -ny), its blocks, and the time step for it.
static PetscErrorCode GridFromDM(DM da, AppCtx* user)
{
  Heat&     pb = user->pb;
  PetscInt  M, N;
  PetscBool set = PETSC_FALSE;

  PetscFunctionBeginUser;
  PetscCall(DMDAGetInfo(da, NULL, &M, &N, NULL, &user->px, &user->py, NULL, NULL, NULL, NULL, NULL, NULL, NULL));
  PetscCheck(M >= 3 && N >= 3, PETSC_COMM_WORLD, PETSC_ERR_USER_INPUT,
             "grid %" PetscInt_FMT " x %" PetscInt_FMT ": the heat equation needs at least 3 x 3 nodes", M, N);
  pb.set_grid(M, N, 0.0);  // the default time step for this grid
  PetscReal dt = pb.dt;
  PetscOptionsBegin(PETSC_COMM_WORLD, NULL, "Heat equation time step", "");
  PetscCall(PetscOptionsReal("-dt", "time step (default: 0.4 of the stable limit alpha dt (1/hx^2 + 1/hy^2) = 1/2)", "",
                             dt, &dt, &set));
  PetscOptionsEnd();
  if (set) PetscCall(CheckRange("-dt", dt, 1e-300, 1e300));
  if (set) pb.set_grid(M, N, dt);
  if (!pb.stable()) {
    char msg[200];
    pb.unstable_message(msg, sizeof msg, "-dt");
    SETERRQ(PETSC_COMM_WORLD, PETSC_ERR_USER_INPUT, "%s", msg);
  }
  PetscFunctionReturn(PETSC_SUCCESS);
}

// The errors of the field U against both references, the result lines (rank
// 0) and the verdict, the same on every rank.
static PetscErrorCode Report(DM da, Vec U, const AppCtx* user, PetscBool* pass)
{
  const Heat&         pb = user->pb;
  DMDALocalInfo       info;
  const PetscScalar** u;
  HeatErrors          e, all;
  double              times[2] = {user->time_s, user->best_step_s}, slowest[2];
  PetscMPIInt         rank, size;

  PetscFunctionBeginUser;
  PetscCallMPI(MPI_Comm_rank(PETSC_COMM_WORLD, &rank));
  PetscCallMPI(MPI_Comm_size(PETSC_COMM_WORLD, &size));
  const double decay = pb.decay(), gn = pb.scheme_decay();
  PetscCall(DMDAGetLocalInfo(da, &info));
  PetscCall(DMDAVecGetArrayRead(da, U, &u));
  for (PetscInt j = info.ys; j < info.ys + info.ym; ++j)
    for (PetscInt i = info.xs; i < info.xs + info.xm; ++i) e.add(pb, i, j, PetscRealPart(u[j][i]), decay, gn);
  PetscCall(DMDAVecRestoreArrayRead(da, U, &u));
  PetscCallMPI(MPI_Allreduce(e.max, all.max, 3, MPI_DOUBLE, MPI_MAX, PETSC_COMM_WORLD));
  PetscCallMPI(MPI_Allreduce(&e.sq, &all.sq, 1, MPI_DOUBLE, MPI_SUM, PETSC_COMM_WORLD));
  PetscCallMPI(MPI_Reduce(times, slowest, 2, MPI_DOUBLE, MPI_MAX, 0, PETSC_COMM_WORLD));
  if (rank == 0) {
    std::printf("heat_petsc: %ld x %ld nodes on %ld x %ld blocks, %ld steps of dt = %.6g, %s halo exchange\n", pb.nx,
                pb.ny, (long)user->px, (long)user->py, pb.steps, pb.dt, HaloNames[user->halo]);
    print_result(pb, size, user->px, user->py, HaloNames[user->halo], KernelTypes[user->kernel], all, slowest[0],
                 slowest[1]);
  }
  *pass = all.pass() ? PETSC_TRUE : PETSC_FALSE;
  PetscFunctionReturn(PETSC_SUCCESS);
}
