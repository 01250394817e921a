// deck.hpp — lesson 10's bridge deck: its parameters (the options), the grid
// of interior nodes (a DMDA) and the stiffness and mass matrices K and M.
//
// The deck is a plate of length L and width W with fixed edges, sampled at
// nx x ny interior nodes, spacing hx = L/(nx+1), hy = W/(ny+1).  Finite
// differences give
//   K = cell area x 5-point Laplacian:
//     (K x)_ij = (hy/hx)(2x_ij - x_i-1,j - x_i+1,j) + (hx/hy)(2x_ij - x_i,j-1 - x_i,j+1)
//   M = cell area x identity (lumped mass):  M_ij,ij = hx hy
// With -unscaled_stiffness, K is the plain 1/h² Laplacian while M keeps the
// area: every λ is then divided by hx hy and depends on the grid.
#pragma once

#include <petscdmda.h>

#include <cstdio>

#include "dmda_layout.hpp"
#include "petsc_errors.hpp"

// The problem's parameters, in one place (PETSc's tutorial style: no globals).
typedef struct {
  PetscInt  nx, ny;              // interior nodes along (x) and across (y) the deck, as the DMDA has them
  PetscReal length, width;       // L and W
  PetscReal hx, hy;              // grid spacing: L/(nx+1), W/(ny+1)
  PetscInt  nev;                 // how many modes to compute
  PetscBool unscaled_stiffness;  // K without the cell area: λ / (hx hy)
  char      modes_file[PETSC_MAX_PATH_LEN];  // CSV file of the first mode shapes ("": none)
} AppCtx;

// The program's own options, each checked where it is read.
static PetscErrorCode ReadOptions(AppCtx* user)
{
  PetscFunctionBeginUser;
  *user = AppCtx{40, 12, 100.0, 10.0, 0.0, 0.0, 4, PETSC_FALSE, ""};
  PetscOptionsBegin(PETSC_COMM_WORLD, NULL, "Bridge deck modes", "EPS");
  PetscCall(PetscOptionsInt("-nx", "interior nodes along the deck, 2 to 1e5 (also -da_grid_x, -da_refine)",
                            "DMDACreate2d", user->nx, &user->nx, NULL));
  PetscCheck(user->nx >= 2 && user->nx <= 100000, PETSC_COMM_WORLD, PETSC_ERR_USER_INPUT,
             "-nx = %" PetscInt_FMT " is out of range [2, 100000]", user->nx);
  PetscCall(PetscOptionsInt("-ny", "interior nodes across the deck, 2 to 1e5 (also -da_grid_y, -da_refine)",
                            "DMDACreate2d", user->ny, &user->ny, NULL));
  PetscCheck(user->ny >= 2 && user->ny <= 100000, PETSC_COMM_WORLD, PETSC_ERR_USER_INPUT,
             "-ny = %" PetscInt_FMT " is out of range [2, 100000]", user->ny);
  PetscCall(PetscOptionsReal("-length", "deck length L, > 0", "", user->length, &user->length, NULL));
  PetscCheck(user->length > 0 && user->length <= 1e6, PETSC_COMM_WORLD, PETSC_ERR_USER_INPUT,
             "-length = %.6g is out of range (0, 1e+06]", (double)user->length);
  PetscCall(PetscOptionsReal("-width", "deck width W, > 0", "", user->width, &user->width, NULL));
  PetscCheck(user->width > 0 && user->width <= 1e6, PETSC_COMM_WORLD, PETSC_ERR_USER_INPUT,
             "-width = %.6g is out of range (0, 1e+06]", (double)user->width);
  PetscCall(PetscOptionsInt("-nev", "number of modes, 1 to 100 (fewer than nx*ny)", "EPSSetDimensions", user->nev,
                            &user->nev, NULL));
  PetscCheck(user->nev >= 1 && user->nev <= 100, PETSC_COMM_WORLD, PETSC_ERR_USER_INPUT,
             "-nev = %" PetscInt_FMT " is out of range [1, 100]", user->nev);
  PetscCall(PetscOptionsBool("-unscaled_stiffness", "K without the cell area (lambda divided by hx hy)", "",
                             user->unscaled_stiffness, &user->unscaled_stiffness, NULL));
  PetscCall(PetscOptionsString("-modes_file", "write the first (up to 4) mode shapes to this CSV file", "",
                               user->modes_file, user->modes_file, sizeof(user->modes_file), NULL));
  PetscOptionsEnd();

  // A mode file we cannot write is an error now, before any work.
  if (user->modes_file[0] != '\0') {
    PetscMPIInt rank, ok = 1;
    PetscCallMPI(MPI_Comm_rank(PETSC_COMM_WORLD, &rank));
    if (rank == 0) {
      std::FILE* f = std::fopen(user->modes_file, "a");
      ok           = f != NULL;
      if (f) std::fclose(f);
    }
    PetscCallMPI(MPI_Bcast(&ok, 1, MPI_INT, 0, PETSC_COMM_WORLD));
    PetscCheck(ok, PETSC_COMM_WORLD, PETSC_ERR_USER_INPUT, "cannot write the mode shapes to '%s'", user->modes_file);
  }
  PetscFunctionReturn(PETSC_SUCCESS);
}

// The grid: nx x ny interior nodes, a star stencil of width 1, split over the
// ranks in rectangular blocks.  DMSetFromOptions may change the size
// (-da_grid_x, -da_refine) and the split (-da_processors_x): the deck takes
// its size back from the DMDA, so the spacing and the exact modes follow.
static PetscErrorCode CreateGrid(AppCtx* user, DM* da)
{
  PetscFunctionBeginUser;
  PetscCall(DMDACreate2d(PETSC_COMM_WORLD, DM_BOUNDARY_NONE, DM_BOUNDARY_NONE, DMDA_STENCIL_STAR, user->nx, user->ny,
                         PETSC_DECIDE, PETSC_DECIDE, 1, 1, NULL, NULL, da));
  PetscCall(DMSetFromOptions(*da));
  PetscCall(DMDAGetInfo(*da, NULL, &user->nx, &user->ny, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL));
  PetscCheck(user->nx >= 2 && user->ny >= 2 && user->nx <= 100000 && user->ny <= 100000 &&
               (double)user->nx * (double)user->ny <= 1e8,
             PETSC_COMM_WORLD, PETSC_ERR_USER_INPUT,
             "the grid has %" PetscInt_FMT " x %" PetscInt_FMT
             " interior nodes: each side needs 2 to 100000, and at most 1e8 in all",
             user->nx, user->ny);
  PetscCheck(user->nev < user->nx * user->ny, PETSC_COMM_WORLD, PETSC_ERR_USER_INPUT,
             "-nev = %" PetscInt_FMT " must be smaller than the number of nodes nx*ny = %" PetscInt_FMT, user->nev,
             user->nx * user->ny);
  PetscCall(SetUpGridChecked(*da));
  user->hx = user->length / (user->nx + 1);
  user->hy = user->width / (user->ny + 1);
  PetscFunctionReturn(PETSC_SUCCESS);
}

// K and M on this rank's block of the grid.  Fixed edges: the neighbours
// outside the interior are zero, so their columns are left out (Dirichlet).
static PetscErrorCode AssembleOperators(DM da, const AppCtx* user, Mat* K, Mat* M)
{
  DMDALocalInfo info;
  // Consistent scaling: K and M both carry the cell area hx*hy.
  PetscReal sx = user->hy / user->hx, sy = user->hx / user->hy;
  if (user->unscaled_stiffness) {  // the plain 1/h² Laplacian, the area on M only
    sx = 1.0 / (user->hx * user->hx);
    sy = 1.0 / (user->hy * user->hy);
  }
  const PetscScalar mass = user->hx * user->hy;

  PetscFunctionBeginUser;
  PetscCall(DMCreateMatrix(da, K));
  PetscCall(DMCreateMatrix(da, M));
  PetscCall(DMDAGetLocalInfo(da, &info));
  for (PetscInt j = info.ys; j < info.ys + info.ym; ++j) {
    for (PetscInt i = info.xs; i < info.xs + info.xm; ++i) {
      MatStencil  row = {0, j, i, 0}, col[5];
      PetscScalar v[5];
      PetscInt    k = 0;
      col[k] = row;                          v[k++] = 2.0 * sx + 2.0 * sy;
      if (i > 0)           { col[k] = {0, j, i - 1, 0}; v[k++] = -sx; }
      if (i < info.mx - 1) { col[k] = {0, j, i + 1, 0}; v[k++] = -sx; }
      if (j > 0)           { col[k] = {0, j - 1, i, 0}; v[k++] = -sy; }
      if (j < info.my - 1) { col[k] = {0, j + 1, i, 0}; v[k++] = -sy; }
      PetscCall(MatSetValuesStencil(*K, 1, &row, k, col, v, INSERT_VALUES));
      PetscCall(MatSetValuesStencil(*M, 1, &row, 1, &row, &mass, INSERT_VALUES));
    }
  }
  PetscCall(MatAssemblyBegin(*K, MAT_FINAL_ASSEMBLY));
  PetscCall(MatAssemblyBegin(*M, MAT_FINAL_ASSEMBLY));
  PetscCall(MatAssemblyEnd(*K, MAT_FINAL_ASSEMBLY));
  PetscCall(MatAssemblyEnd(*M, MAT_FINAL_ASSEMBLY));
  PetscFunctionReturn(PETSC_SUCCESS);
}
