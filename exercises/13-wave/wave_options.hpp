// wave_options.hpp — wave's options (PETSc's options database: `-help` lists
// them), the checks a wrong one meets (one `error: ...` line), and the problem
// as the grid read back from the DMDA makes it.  You need not read it to do
// the exercise.
#pragma once

#include <petscdmda.h>

#include <cstdio>
#include <cstring>
#include <vector>

#include "petsc_errors.hpp"
#include "wave_physics.hpp"

// What wave writes besides its result lines, and where the receivers are.
typedef struct {
  PetscInt               output_interval = 100;   // a progress line every N steps (0: none)
  PetscInt               snapshot_interval = 0;   // a snapshot every N steps (0: the last step only)
  PetscInt               stride = 1;              // every N-th node in snapshots
  char                   seismogram[PETSC_MAX_PATH_LEN] = "", history[PETSC_MAX_PATH_LEN] = "";
  char                   snapshot[PETSC_MAX_PATH_LEN] = "", vtk[PETSC_MAX_PATH_LEN] = "";
  std::vector<PetscReal> rx, ry;  // receivers (m)
  std::vector<PetscInt>  ri, rj;  // ... their nearest nodes
} OutputOptions;

// An option of ours given without a value (PETSc ignores it), or a word that
// is not on an option's list (PetscOptionsEList stops with a traceback).
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
  PetscCheck(known, PETSC_COMM_WORLD, PETSC_ERR_USER_INPUT, "%s must be %s or %s, not '%s'", name, list[0], list[1],
             value);
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

static const char* const SourceTypes[] = {"ricker", "gauss"};

// Every option, before the grid exists.  The receivers' positions default to
// 1, 2 and 3 km east of the source (set in GridFromDM, which knows the domain).
static PetscErrorCode ReadOptions(AppCtx* user, OutputOptions* out)
{
  const char* const valued[] = {"-nx", "-ny", "-lx", "-ly", "-c", "-dt", "-steps", "-absorb_width",
                                "-absorb_strength", "-source_type", "-f0", "-source_x", "-source_y",
                                "-source_radius", "-source_amplitude", "-receiver_x", "-receiver_y",
                                "-output_interval", "-seismogram", "-energy_history", "-snapshot_prefix",
                                "-snapshot_interval", "-snapshot_stride", "-vtk", "-halo", "-kernel"};
  PetscReal         rx[16], ry[16];
  PetscInt          nrx = 16, nry = 16, source = 0;
  PetscBool         setx = PETSC_FALSE, sety = PETSC_FALSE, set_xs = PETSC_FALSE, set_ys = PETSC_FALSE;

  PetscFunctionBeginUser;
  PetscCall(CheckOptionText(valued, (int)(sizeof valued / sizeof valued[0]), "-source_type", SourceTypes, 2));
  PetscCall(CheckOptionText(valued, 0, "-halo", HaloTypes, 2));
  PetscCall(CheckOptionText(valued, 0, "-kernel", KernelTypes, 2));
  PetscOptionsBegin(PETSC_COMM_WORLD, NULL, "Wave equation options", "DMDA");
  PetscCall(PetscOptionsInt("-nx", "grid nodes in x, edges included, 5 ... 100000", "DMDACreate2d", user->nx, &user->nx, NULL));
  PetscCall(PetscOptionsInt("-ny", "grid nodes in y, edges included, 5 ... 100000", "DMDACreate2d", user->ny, &user->ny, NULL));
  PetscCall(PetscOptionsReal("-lx", "domain length in x (m)", "", user->Lx, &user->Lx, NULL));
  PetscCall(PetscOptionsReal("-ly", "domain length in y (m)", "", user->Ly, &user->Ly, NULL));
  PetscCall(PetscOptionsReal("-c", "wave speed (m/s)", "", user->c, &user->c, NULL));
  PetscCall(PetscOptionsReal("-dt", "time step (s); c dt sqrt(1/hx^2 + 1/hy^2) <= 1", "", user->dt, &user->dt, NULL));
  PetscCall(PetscOptionsInt("-steps", "number of time steps", "", user->steps, &user->steps, NULL));
  PetscCall(PetscOptionsInt("-absorb_width", "sponge width in nodes (0: no sponge)", "", user->width, &user->width, NULL));
  PetscCall(PetscOptionsReal("-absorb_strength", "sponge damping at the edge (1/s; 0: no damping)", "", user->strength,
                             &user->strength, NULL));
  PetscCall(PetscOptionsEList("-source_type", "time function of the source", "", SourceTypes, 2, SourceTypes[0], &source, NULL));
  PetscCall(PetscOptionsReal("-f0", "source peak frequency (Hz); delay t0 = 1.2/f0", "", user->f0, &user->f0, NULL));
  PetscCall(PetscOptionsReal("-source_x", "source x (m; default: the centre)", "", user->xs, &user->xs, &set_xs));
  PetscCall(PetscOptionsReal("-source_y", "source y (m; default: the centre)", "", user->ys, &user->ys, &set_ys));
  PetscCall(PetscOptionsReal("-source_radius", "source Gaussian radius (m)", "", user->radius, &user->radius, NULL));
  PetscCall(PetscOptionsReal("-source_amplitude", "source amplitude (m/s^2)", "", user->amplitude, &user->amplitude, NULL));
  PetscCall(PetscOptionsRealArray("-receiver_x", "receiver x positions (m; default 1, 2, 3 km east of the source)", "",
                                  rx, &nrx, &setx));
  PetscCall(PetscOptionsRealArray("-receiver_y", "receiver y positions (m; default the source's y)", "", ry, &nry, &sety));
  PetscCall(PetscOptionsInt("-output_interval", "progress line every N steps (0: none)", "", out->output_interval,
                            &out->output_interval, NULL));
  PetscCall(PetscOptionsString("-seismogram", "CSV file for the receivers' traces", "", out->seismogram,
                               out->seismogram, sizeof out->seismogram, NULL));
  // Not "-history": PetscInitialize takes that option itself and copies every
  // PetscPrintf line into the named file (the same file would get both).
  PetscCall(PetscOptionsString("-energy_history", "CSV file for the energy at each progress line", "", out->history,
                               out->history, sizeof out->history, NULL));
  PetscCall(PetscOptionsString("-snapshot_prefix", "write the field to PREFIX-STEP.csv", "", out->snapshot,
                               out->snapshot, sizeof out->snapshot, NULL));
  PetscCall(PetscOptionsInt("-snapshot_interval", "a snapshot every N steps (0: the last step only)", "",
                            out->snapshot_interval, &out->snapshot_interval, NULL));
  PetscCall(PetscOptionsInt("-snapshot_stride", "keep every N-th node in snapshots", "", out->stride, &out->stride, NULL));
  PetscCall(PetscOptionsString("-vtk", "write the final field to this .vts file (ParaView)", "", out->vtk, out->vtk,
                               sizeof out->vtk, NULL));
  PetscCall(PetscOptionsEList("-halo", "halo exchange: DMGlobalToLocal, or a PetscSF of the halo nodes",
                              "DMGlobalToLocalBegin", HaloTypes, 2, HaloTypes[user->halo], &user->halo, NULL));
  PetscCall(PetscOptionsEList("-kernel", "the update: node by node, or four rows per pass", "", KernelTypes, 2,
                              KernelTypes[user->kernel], &user->kernel, NULL));
  PetscOptionsEnd();

  PetscCall(CheckRange("-nx", user->nx, 5, 100000));
  PetscCall(CheckRange("-ny", user->ny, 5, 100000));
  PetscCall(CheckRange("-lx", user->Lx, 1e-3, 1e9));
  PetscCall(CheckRange("-ly", user->Ly, 1e-3, 1e9));
  PetscCall(CheckRange("-c", user->c, 1e-6, 1e9));
  PetscCall(CheckRange("-dt", user->dt, 1e-12, 1e6));
  PetscCall(CheckRange("-steps", user->steps, 0, 100000000));
  PetscCall(CheckRange("-absorb_width", user->width, 0, 100000));
  PetscCall(CheckRange("-absorb_strength", user->strength, 0, 1e9));
  PetscCall(CheckRange("-f0", user->f0, 1e-6, 1e9));
  PetscCall(CheckRange("-source_radius", user->radius, 1e-9, 1e9));
  PetscCall(CheckRange("-source_amplitude", user->amplitude, -1e300, 1e300));
  PetscCall(CheckRange("-output_interval", out->output_interval, 0, 100000000));
  PetscCall(CheckRange("-snapshot_interval", out->snapshot_interval, 0, 100000000));
  PetscCall(CheckRange("-snapshot_stride", out->stride, 1, 1000));
  user->ricker = source == 0 ? PETSC_TRUE : PETSC_FALSE;
  if (!set_xs) user->xs = -1.0;  // the centre, once the domain is known
  if (!set_ys) user->ys = -1.0;
  PetscCheck(!set_xs || (user->xs >= 0.0 && user->xs <= user->Lx), PETSC_COMM_WORLD, PETSC_ERR_USER_INPUT,
             "the source must lie inside the domain (0..lx, 0..ly)");
  PetscCheck(!set_ys || (user->ys >= 0.0 && user->ys <= user->Ly), PETSC_COMM_WORLD, PETSC_ERR_USER_INPUT,
             "the source must lie inside the domain (0..lx, 0..ly)");
  if (!set_xs) user->xs = 0.5 * user->Lx;
  if (!set_ys) user->ys = 0.5 * user->Ly;
  if (setx) out->rx.assign(rx, rx + nrx);
  else out->rx = {user->xs + 1000.0, user->xs + 2000.0, user->xs + 3000.0};
  PetscCheck(!sety || (size_t)nry == out->rx.size(), PETSC_COMM_WORLD, PETSC_ERR_USER_INPUT,
             "-receiver_x and -receiver_y need the same number of values");
  if (sety) out->ry.assign(ry, ry + nry);
  else out->ry.assign(out->rx.size(), user->ys);
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

// After DMSetFromOptions, before DMSetUp: a block layout this job can have
// (-da_processors_x/y) with at least one node per block and direction.  PETSc
// itself would stop later with a trace, or an internal error (3.22).
static PetscErrorCode CheckLayout(DM da)
{
  PetscInt    M, N, m, n;
  PetscMPIInt size;

  PetscFunctionBeginUser;
  PetscCallMPI(MPI_Comm_size(PETSC_COMM_WORLD, &size));
  PetscCall(DMDAGetInfo(da, NULL, &M, &N, NULL, &m, &n, NULL, NULL, NULL, NULL, NULL, NULL, NULL));
  PetscCheck(m <= 0 || size % m == 0, PETSC_COMM_WORLD, PETSC_ERR_USER_INPUT,
             "-da_processors_x %" PetscInt_FMT " does not divide the %d ranks of this job", m, size);
  PetscCheck(n <= 0 || size % n == 0, PETSC_COMM_WORLD, PETSC_ERR_USER_INPUT,
             "-da_processors_y %" PetscInt_FMT " does not divide the %d ranks of this job", n, size);
  if (m > 0 && n <= 0) n = size / m;
  if (n > 0 && m <= 0) m = size / n;
  PetscCheck(m <= 0 || m * n == size, PETSC_COMM_WORLD, PETSC_ERR_USER_INPUT,
             "%" PetscInt_FMT " x %" PetscInt_FMT " blocks (-da_processors_x, -da_processors_y) need %" PetscInt_FMT
             " ranks, this job has %d",
             m, n, m * n, size);
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
// may have changed -nx and -ny), and what follows from it: the spacing, the
// stability of the time step, the sponge, the source and receiver nodes.
static PetscErrorCode GridFromDM(DM da, AppCtx* user, OutputOptions* out)
{
  char msg[256];

  PetscFunctionBeginUser;
  PetscCall(DMDAGetInfo(da, NULL, &user->nx, &user->ny, NULL, &user->px, &user->py, NULL, NULL, NULL, NULL, NULL, NULL,
                        NULL));
  PetscCheck(user->nx >= 5 && user->ny >= 5, PETSC_COMM_WORLD, PETSC_ERR_USER_INPUT,
             "grid %" PetscInt_FMT " x %" PetscInt_FMT ": the wave needs at least 5 x 5 nodes", user->nx, user->ny);
  user->hx      = user->Lx / (user->nx - 1);
  user->hy      = user->Ly / (user->ny - 1);
  user->cx      = PetscSqr(user->c * user->dt / user->hx);
  user->cy      = PetscSqr(user->c * user->dt / user->hy);
  user->t0      = 1.2 / user->f0;
  user->courant = user->c * user->dt * PetscSqrtReal(1.0 / (user->hx * user->hx) + 1.0 / (user->hy * user->hy));
  if (user->courant > 1.0) {
    std::snprintf(msg, sizeof msg, "unstable: c dt sqrt(1/hx^2 + 1/hy^2) = %.4g > 1; use -dt <= %.6g",
                  (double)user->courant, (double)(user->dt / user->courant));
    SETERRQ(PETSC_COMM_WORLD, PETSC_ERR_USER_INPUT, "%s", msg);
  }
  if (2 * user->width >= PetscMin(user->nx, user->ny)) {
    std::snprintf(msg, sizeof msg, "-absorb_width %d leaves no inner region on a %d x %d grid", (int)user->width,
                  (int)user->nx, (int)user->ny);
    SETERRQ(PETSC_COMM_WORLD, PETSC_ERR_USER_INPUT, "%s", msg);
  }
  DampingTable(user);
  user->sx = user->xs / user->Lx * (user->nx - 1);  // the centre: exactly (n-1)/2
  user->sy = user->ys / user->Ly * (user->ny - 1);
  const size_t nr = out->rx.size();
  out->ri.resize(nr), out->rj.resize(nr);
  for (size_t k = 0; k < nr; ++k) {
    const PetscReal x = out->rx[k], y = out->ry[k];
    if (!(x >= 0.0 && x <= user->Lx && y >= 0.0 && y <= user->Ly)) {
      std::snprintf(msg, sizeof msg, "receiver %d at (%g, %g) m is outside the domain", (int)k, (double)x, (double)y);
      SETERRQ(PETSC_COMM_WORLD, PETSC_ERR_USER_INPUT, "%s", msg);
    }
    out->ri[k] = (PetscInt)std::lround(x / user->hx);
    out->rj[k] = (PetscInt)std::lround(y / user->hy);
  }
  PetscFunctionReturn(PETSC_SUCCESS);
}
