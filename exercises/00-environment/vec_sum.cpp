/**
 * @file vec_sum.cpp
 * @brief Lesson 00: is PETSc working in parallel?  Sum a distributed vector
 * of ones.
 *
 * A PETSc Vec of global length n (option -n, default 8) is split over the
 * ranks; each rank owns a contiguous block of about n/N entries
 * (VecGetLocalSize; for n = 10 on 4 ranks the split is 3 3 2 2).  VecSet fills
 * it with ones and VecSum adds all entries across all ranks, so every rank
 * gets the same global sum and prints "Rank r sum = n".  Rank 0 then prints
 * `size = N`, `vec_sum`, `expected = n`, the ownership split as
 * `local_sizes`, and `check = PASS` when the sum equals n exactly (ones add
 * up exactly in double precision up to 2^53) and the local sizes add up to n;
 * otherwise `check = FAIL` and exit status 1 on every rank.
 * Run: `make run PROG=vec_sum NP=4 ARGS="-n 10"`; `-help` lists the options.
 */
static char help[] = "Sums a PETSc vector of n ones over all ranks (lesson 00).\n"
                     "The sum must be exactly n on every number of ranks.\n\n";

#include <petscvec.h>

#include <chrono>
#include <string>
#include <vector>

#include "petsc_errors.hpp"

// -n, the global length, 1 to 10^8.  PETSc refuses a value that is not an
// integer; the range and a missing value are checked here.  Either way
// UserInputErrorHandler turns the error into one line.
static PetscErrorCode ReadOptions(PetscInt* n)
{
  PetscBool given = PETSC_FALSE, set = PETSC_FALSE;

  PetscFunctionBeginUser;
  *n = 8;
  PetscOptionsBegin(PETSC_COMM_WORLD, NULL, "Vector sum options", "Vec");
  PetscCall(PetscOptionsInt("-n", "global length of the vector, 1 to 100000000", "VecSetSizes", *n, n, &set));
  PetscOptionsEnd();
  PetscCall(PetscOptionsHasName(NULL, NULL, "-n", &given));
  PetscCheck(set || !given, PETSC_COMM_WORLD, PETSC_ERR_USER_INPUT, "-n needs a value");
  PetscCheck(*n >= 1 && *n <= 100000000, PETSC_COMM_WORLD, PETSC_ERR_USER_INPUT,
             "-n = %" PetscInt_FMT " is out of range [1, 100000000]", *n);
  PetscFunctionReturn(PETSC_SUCCESS);
}

// A vector of n entries that PETSc splits over the ranks; *local is how many
// of them this rank owns.
static PetscErrorCode CreateVector(PetscInt n, Vec* x, PetscInt* local)
{
  PetscFunctionBeginUser;
  // >>> step 3: a vector of n entries, split over the ranks
  // TODO 3: create the vector *x on PETSC_COMM_WORLD with global length n and
  //         let PETSc decide how many entries each rank owns; let the command
  //         line choose its type (-vec_type); then ask how many entries this
  //         rank owns (*local).
  //         Hint: VecCreate, VecSetSizes, VecSetFromOptions, VecGetLocalSize.
  // <<< step 3
  PetscFunctionReturn(PETSC_SUCCESS);
}

// Every entry of x set to 1, then the sum of all entries on all ranks.
static PetscErrorCode SumOfOnes(Vec x, PetscScalar* sum)
{
  PetscFunctionBeginUser;
  // >>> step 4: fill the vector with ones and let PETSc add them up
  // TODO 4: set every entry of x to 1, then let PETSc add up all entries on
  //         all ranks into *sum.  Hint: VecSet, VecSum.
  // <<< step 4
  PetscFunctionReturn(PETSC_SUCCESS);
}

// Every rank learns how many entries each rank owns: "3 3 2 2" and their total.
static PetscErrorCode GatherSplit(PetscInt local, std::string* split, PetscInt* owned)
{
  PetscMPIInt size = 0;
  PetscFunctionBeginUser;
  PetscCallMPI(MPI_Comm_size(PETSC_COMM_WORLD, &size));
  std::vector<PetscInt> locals(size);
  PetscCallMPI(MPI_Allgather(&local, 1, MPIU_INT, locals.data(), 1, MPIU_INT, PETSC_COMM_WORLD));
  split->clear();
  *owned = 0;
  for (PetscInt k : locals) {
    *split += (split->empty() ? "" : " ") + std::to_string(k);
    *owned += k;
  }
  PetscFunctionReturn(PETSC_SUCCESS);
}

int main(int argc, char** argv)
{
  const auto start = std::chrono::steady_clock::now();
  PetscCall(PetscInitialize(&argc, &argv, NULL, help));
  const double init_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  PetscCall(PetscPushErrorHandler(UserInputErrorHandler, NULL));

  PetscMPIInt rank = 0, size = 0;
  PetscCallMPI(MPI_Comm_rank(PETSC_COMM_WORLD, &rank));
  PetscCallMPI(MPI_Comm_size(PETSC_COMM_WORLD, &size));
  PetscInt n = 0;
  PetscCall(ReadOptions(&n));

  PetscCallMPI(MPI_Barrier(PETSC_COMM_WORLD));
  const double t0 = MPI_Wtime();
  Vec         x     = NULL;
  PetscInt    local = 0;
  PetscScalar sum   = 0.0;
  PetscCall(CreateVector(n, &x, &local));
  PetscCall(SumOfOnes(x, &sum));

  // Each rank prints its own line; PetscSynchronizedPrintf prints them in rank order.
  PetscCall(PetscSynchronizedPrintf(PETSC_COMM_WORLD, "Rank %d sum = %.15g\n", rank, (double)PetscRealPart(sum)));
  PetscCall(PetscSynchronizedFlush(PETSC_COMM_WORLD, PETSC_STDOUT));

  std::string split;
  PetscInt    owned = 0;
  PetscCall(GatherSplit(local, &split, &owned));
  PetscCallMPI(MPI_Barrier(PETSC_COMM_WORLD));
  const double time_s   = MPI_Wtime() - t0;
  double       init_max = 0.0;
  PetscCallMPI(MPI_Allreduce(&init_s, &init_max, 1, MPI_DOUBLE, MPI_MAX, PETSC_COMM_WORLD));

  // Every rank has the same sum and split, so every rank reaches the same verdict.
  const bool pass = PetscRealPart(sum) == (PetscReal)n && owned == n;
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "size = %d\n", size));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "n = %" PetscInt_FMT "\n", n));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "local_sizes = %s\n", split.c_str()));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "vec_sum = %.17g\n", (double)PetscRealPart(sum)));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "expected = %" PetscInt_FMT "\n", n));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "check = %s\n", pass ? "PASS" : "FAIL"));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "init_s = %.4f\n", init_max));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "time_s = %.6f\n", time_s));

  PetscCall(VecDestroy(&x));
  PetscCall(PetscPopErrorHandler());
  PetscCall(WarnUnusedOptions());
  PetscCall(PetscFinalize());
  return pass ? 0 : 1;
}
