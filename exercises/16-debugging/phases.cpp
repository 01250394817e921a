/**
 * @file phases.cpp
 * @brief Lesson 16, bug 6: a slow phase.  Three phases on a vector x of n
 * entries, each timed with MPI_Wtime (after a barrier; the slowest rank's
 * time) and each a PETSc log stage, so that -log_view reports it apart:
 *   Fill    x_i = sin(i / n), set block by block (as if read from a file in
 *           -blocks pieces) with VecSetValues, then assembled;
 *   Smooth  -sweeps times x <- (x + 1) / 2 (VecAXPBY with a vector of ones);
 *   Reduce  the sum, the 2-norm and the largest entry of x.
 * The check: after s sweeps, x_i = 1 + (sin(i/n) - 1) / 2^s exactly enough
 * to compare the sum with the one computed entry by entry.
 *
 * Run: `make run PROG=phases NP=2`, then with ARGS="-log_view" for PETSc's
 * table of the time, the calls and the messages of each stage.  The program
 * names the slowest phase; -log_view says which calls in it took the time.
 */
static char help[] = "Three timed phases on a vector: fill, smooth, reduce (lesson 16).\n"
                     "  -n N: length of the vector\n"
                     "  -blocks B: the fill sets the entries in B blocks\n"
                     "  -sweeps S: smoothing sweeps\n\n";

#include <petscvec.h>

#include <cmath>

#include "petsc_errors.hpp"

// Phase 1: x_i = sin(i / n), the blocks one after the other.
static PetscErrorCode Fill(Vec x, PetscInt n, PetscInt blocks)
{
  PetscInt lo, hi;

  PetscFunctionBeginUser;
  PetscCall(VecGetOwnershipRange(x, &lo, &hi));
  // >>> step 6: fill the vector
  // TODO 6: find and fix.  The program names its slowest phase; run it with
  //         ARGS="-log_view" and read the table of that stage: which call
  //         is made how many times (Count), and how long do they take (Time)?
  for (PetscInt b = 0; b < blocks; ++b) {
    const PetscInt first = PetscMax(lo, b * (n / blocks)), last = PetscMin(hi, b == blocks - 1 ? n : (b + 1) * (n / blocks));
    for (PetscInt i = first; i < last; ++i) PetscCall(VecSetValue(x, i, PetscSinReal((PetscReal)i / (PetscReal)n), INSERT_VALUES));
    PetscCall(VecAssemblyBegin(x));  // the block is set: make it part of the vector
    PetscCall(VecAssemblyEnd(x));
  }
  // <<< step 6
  PetscFunctionReturn(PETSC_SUCCESS);
}

// Phase 2: x <- (x + 1) / 2, sweeps times.
static PetscErrorCode Smooth(Vec x, PetscInt sweeps)
{
  Vec ones;

  PetscFunctionBeginUser;
  PetscCall(VecDuplicate(x, &ones));
  PetscCall(VecSet(ones, 1.0));
  for (PetscInt s = 0; s < sweeps; ++s) PetscCall(VecAXPBY(x, 0.5, 0.5, ones));
  PetscCall(VecDestroy(&ones));
  PetscFunctionReturn(PETSC_SUCCESS);
}

int main(int argc, char** argv)
{
  Vec           x;
  PetscInt      n = 200000, blocks = 20000, sweeps = 20, imax;
  PetscReal     sum, norm, vmax, expect = 0, t[3] = {0, 0, 0};
  PetscLogStage stage[3];
  const char*   name[3] = {"Fill", "Smooth", "Reduce"};
  PetscMPIInt   size;

  PetscCall(PetscInitialize(&argc, &argv, NULL, help));
  PetscCall(PetscPushErrorHandler(UserInputErrorHandler, NULL));
  PetscCallMPI(MPI_Comm_size(PETSC_COMM_WORLD, &size));
  PetscOptionsBegin(PETSC_COMM_WORLD, NULL, "Phases options", "");
  PetscCall(PetscOptionsBoundedInt("-n", "length of the vector", "", n, &n, NULL, 1));
  PetscCall(PetscOptionsRangeInt("-blocks", "the fill sets the entries in this many blocks", "", blocks, &blocks, NULL, 1, n));
  PetscCall(PetscOptionsRangeInt("-sweeps", "smoothing sweeps", "", sweeps, &sweeps, NULL, 0, 1000));
  PetscOptionsEnd();
  for (int k = 0; k < 3; ++k) PetscCall(PetscLogStageRegister(name[k], &stage[k]));

  PetscCall(VecCreate(PETSC_COMM_WORLD, &x));
  PetscCall(VecSetSizes(x, PETSC_DECIDE, n));
  PetscCall(VecSetFromOptions(x));

  // Each phase: a barrier (so no rank's wait for the others counts as its
  // phase), its own log stage, and its wall time on the slowest rank.
  for (int k = 0; k < 3; ++k) {
    PetscCallMPI(MPI_Barrier(PETSC_COMM_WORLD));
    const double t0 = MPI_Wtime();
    PetscCall(PetscLogStagePush(stage[k]));
    if (k == 0) PetscCall(Fill(x, n, blocks));
    if (k == 1) PetscCall(Smooth(x, sweeps));
    if (k == 2) {
      PetscCall(VecSum(x, &sum));
      PetscCall(VecNorm(x, NORM_2, &norm));
      PetscCall(VecMax(x, &imax, &vmax));
    }
    PetscCall(PetscLogStagePop());
    const double mine = MPI_Wtime() - t0;
    PetscCallMPI(MPI_Allreduce(&mine, &t[k], 1, MPI_DOUBLE, MPI_MAX, PETSC_COMM_WORLD));
  }

  for (PetscInt i = 0; i < n; ++i) expect += 1.0 + (PetscSinReal((PetscReal)i / (PetscReal)n) - 1.0) / PetscPowReal(2.0, (PetscReal)sweeps);
  const PetscBool pass = PetscAbsReal(sum - expect) <= 1e-9 * PetscAbsReal(expect) ? PETSC_TRUE : PETSC_FALSE;
  const int       slow = t[0] >= t[1] && t[0] >= t[2] ? 0 : (t[1] >= t[2] ? 1 : 2);
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "size = %d\nn = %" PetscInt_FMT "\nblocks = %" PetscInt_FMT "\nsweeps = %" PetscInt_FMT "\n",
                        (int)size, n, blocks, sweeps));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "sum = %.10g\nnorm_2 = %.10g\nmax = %.10g\n", (double)sum, (double)norm, (double)vmax));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "fill_s = %.6f\nsmooth_s = %.6f\nreduce_s = %.6f\nslowest_phase = %s\n", t[0], t[1], t[2],
                        name[slow]));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "check = %s\n", pass ? "PASS" : "FAIL"));

  PetscCall(VecDestroy(&x));
  PetscCall(WarnUnusedOptions());
  PetscCall(PetscPopErrorHandler());
  PetscCall(PetscFinalize());
  return pass ? 0 : 1;
}
