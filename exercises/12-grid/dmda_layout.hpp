// dmda_layout.hpp — DMSetUp for a 2-D DMDA, with a layout of ranks that
// cannot work refused in one line.  Lessons 10, 11 and 12 use the same copy.
//
// Call it after DMSetFromOptions, which has read -da_grid_x/-y, -da_refine and
// -da_processors_x/-y.  An impossible -da_processors_x (3 on 2 ranks), or a
// grid too small for the number of ranks, makes DMSetUp fail with a message
// about partitions (PETSc 3.22: an internal error with a traceback from every
// rank).  Here the layout asked for is checked first, and a split that PETSc
// cannot make becomes one `error: ...` line (PETSC_ERR_USER_INPUT, printed
// once by UserInputErrorHandler from petsc_errors.hpp).
#pragma once

#include <petscdmda.h>

#include "petsc_errors.hpp"   // UserInputErrorHandler, PETSC_SUCCESS on PETSc < 3.19

static inline PetscErrorCode SetUpGridChecked(DM da)
{
  MPI_Comm    comm;
  PetscMPIInt size;
  PetscInt    M, N, m, n;

  PetscFunctionBeginUser;
  PetscCall(PetscObjectGetComm((PetscObject)da, &comm));
  PetscCallMPI(MPI_Comm_size(comm, &size));
  // M x N grid points; m x n ranks asked for (PETSC_DECIDE: PETSc chooses).
  PetscCall(DMDAGetInfo(da, NULL, &M, &N, NULL, &m, &n, NULL, NULL, NULL, NULL, NULL, NULL, NULL));
  PetscCheck(m == PETSC_DECIDE || (m >= 1 && size % m == 0), comm, PETSC_ERR_USER_INPUT,
             "-da_processors_x %" PetscInt_FMT " does not fit %d ranks: the ranks form an m x n grid, m n = %d", m,
             size, size);
  PetscCheck(n == PETSC_DECIDE || (n >= 1 && size % n == 0), comm, PETSC_ERR_USER_INPUT,
             "-da_processors_y %" PetscInt_FMT " does not fit %d ranks: the ranks form an m x n grid, m n = %d", n,
             size, size);
  PetscCheck(m == PETSC_DECIDE || n == PETSC_DECIDE || m * n == size, comm, PETSC_ERR_USER_INPUT,
             "-da_processors_x %" PetscInt_FMT " -da_processors_y %" PetscInt_FMT " make %" PetscInt_FMT
             " ranks, but the job has %d",
             m, n, m * n, size);
  PetscCheck(m == PETSC_DECIDE || m <= M, comm, PETSC_ERR_USER_INPUT,
             "-da_processors_x %" PetscInt_FMT ": more ranks than the %" PetscInt_FMT " grid points along x", m, M);
  PetscCheck(n == PETSC_DECIDE || n <= N, comm, PETSC_ERR_USER_INPUT,
             "-da_processors_y %" PetscInt_FMT ": more ranks than the %" PetscInt_FMT " grid points along y", n, N);
  // Every rank meets the same verdict (the sizes are global), so a failed
  // split is caught quietly here and reported once below.
  PetscCall(PetscPushErrorHandler(PetscReturnErrorHandler, NULL));
  const PetscErrorCode split = DMSetUp(da);
  PetscCall(PetscPopErrorHandler());
  PetscCheck(split == PETSC_SUCCESS, comm, PETSC_ERR_USER_INPUT,
             "the %" PetscInt_FMT " x %" PetscInt_FMT " grid is too small to split over %d ranks", M, N, size);
  PetscFunctionReturn(PETSC_SUCCESS);
}
