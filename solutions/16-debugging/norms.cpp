/**
 * @file norms.cpp
 * @brief Lesson 16, bug 5: a leaked PETSc object.  Makes two vectors x and
 * y of length n (x_i = sin i, y_i = cos i) and prints the distances
 * ||x - y|| in the 1-, 2- and max-norm, each from a helper that needs a work
 * vector.  The check: ||x - y||_2^2 = sum of (sin i - cos i)^2, computed
 * entry by entry.
 *
 * Run: `make run PROG=norms NP=2 ARGS="-malloc_dump"`.  Correct: `check =
 * PASS` and nothing after it.  -malloc_dump makes PetscFinalize list every
 * allocation that was never freed, with the function that made it: a Vec
 * created and never destroyed shows up there.
 */
static char help[] = "Distances between two vectors in three norms (lesson 16).\n"
                     "  -n N: length of the vectors\n\n";

#include <petscvec.h>

#include <cmath>

#include "petsc_errors.hpp"

// ||x - y|| in the given norm.
static PetscErrorCode Distance(Vec x, Vec y, NormType type, PetscReal* d)
{
  Vec w;

  PetscFunctionBeginUser;
  // >>> step 5: the work vector
  PetscCall(VecDuplicate(x, &w));
  PetscCall(VecWAXPY(w, -1.0, y, x));  // w = x - y
  PetscCall(VecNorm(w, type, d));
  PetscCall(VecDestroy(&w));  // every Create or Duplicate has its Destroy
  // <<< step 5
  PetscFunctionReturn(PETSC_SUCCESS);
}

int main(int argc, char** argv)
{
  Vec         x, y;
  PetscInt    n = 1000, lo, hi;
  PetscReal   d1, d2, dmax, sum = 0, total = 0;
  PetscMPIInt size;

  PetscCall(PetscInitialize(&argc, &argv, NULL, help));
  PetscCall(PetscPushErrorHandler(UserInputErrorHandler, NULL));
  PetscCallMPI(MPI_Comm_size(PETSC_COMM_WORLD, &size));
  PetscOptionsBegin(PETSC_COMM_WORLD, NULL, "Norms options", "");
  PetscCall(PetscOptionsBoundedInt("-n", "length of the vectors", "", n, &n, NULL, 1));
  PetscOptionsEnd();

  PetscCall(VecCreate(PETSC_COMM_WORLD, &x));
  PetscCall(VecSetSizes(x, PETSC_DECIDE, n));
  PetscCall(VecSetFromOptions(x));
  PetscCall(VecDuplicate(x, &y));
  PetscCall(VecGetOwnershipRange(x, &lo, &hi));
  for (PetscInt i = lo; i < hi; ++i) {
    PetscCall(VecSetValue(x, i, PetscSinReal((PetscReal)i), INSERT_VALUES));
    PetscCall(VecSetValue(y, i, PetscCosReal((PetscReal)i), INSERT_VALUES));
    sum += PetscSqr(PetscSinReal((PetscReal)i) - PetscCosReal((PetscReal)i));
  }
  PetscCall(VecAssemblyBegin(x));
  PetscCall(VecAssemblyEnd(x));
  PetscCall(VecAssemblyBegin(y));
  PetscCall(VecAssemblyEnd(y));
  PetscCallMPI(MPI_Allreduce(&sum, &total, 1, MPIU_REAL, MPIU_SUM, PETSC_COMM_WORLD));

  PetscCall(Distance(x, y, NORM_1, &d1));
  PetscCall(Distance(x, y, NORM_2, &d2));
  PetscCall(Distance(x, y, NORM_INFINITY, &dmax));
  const PetscBool pass = PetscAbsReal(d2 * d2 - total) <= 1e-10 * total ? PETSC_TRUE : PETSC_FALSE;
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "size = %d\nn = %" PetscInt_FMT "\n", (int)size, n));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "norm_1 = %.6f\nnorm_2 = %.6f\nnorm_max = %.6f\n", (double)d1, (double)d2, (double)dmax));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "check = %s\n", pass ? "PASS" : "FAIL"));

  PetscCall(VecDestroy(&x));
  PetscCall(VecDestroy(&y));
  PetscCall(WarnUnusedOptions());
  PetscCall(PetscPopErrorHandler());
  PetscCall(PetscFinalize());
  return pass ? 0 : 1;
}
