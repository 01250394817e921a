/**
 * @file vec_sum.cpp
 * @brief Lesson 00 exercise: is PETSc working in parallel?  Sum a
 * distributed vector of ones.
 *
 * As given, the vector is created but never filled or summed, so the sum is
 * 0 and `check = FAIL`.  Fill in the TODOs.
 *
 * A PETSc Vec of global length n (option -n, default 8) is split over the
 * ranks; each rank owns a contiguous block of about n/N entries
 * (VecGetLocalSize; for n = 10 on 4 ranks the split is 3 3 2 2).  VecSet fills
 * it with ones and VecSum adds all entries across all ranks, so every rank
 * gets the same global sum and prints "Rank r sum = n".  Rank 0 then prints
 * `size = N`, `vec_sum`, `expected = n`, the ownership split as
 * `local_sizes`, and `check = PASS` when the sum equals n exactly (ones add
 * up exactly in double precision up to 2^53) and the local sizes add up to n.
 * Run: `make run PROG=vec_sum NP=4 ARGS="-n 10"`; `-help` lists the options.
 */
static char help[] = "Sums a PETSc vector of n ones over all ranks (lesson 00).\n"
                     "The sum must be exactly n on every number of ranks.\n\n";

#include <petscvec.h>

#include <chrono>
#include <string>
#include <vector>

#include "petsc_cli.hpp"

int main(int argc, char** argv)
{
  const auto start = std::chrono::steady_clock::now();
  PetscCall(PetscInitialize(&argc, &argv, NULL, help));
  const double init_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  PetscMPIInt rank = 0, size = 0;
  PetscCallMPI(MPI_Comm_rank(PETSC_COMM_WORLD, &rank));
  PetscCallMPI(MPI_Comm_size(PETSC_COMM_WORLD, &size));

  // Check -n ourselves first: one clean line for `-n abc`, `-n 0`, `-n -5`.
  const long  n_max = 100000000;
  std::string error;
  PetscCall(CheckIntOption("-n", 1, n_max, &error));
  if (!error.empty()) {
    PetscCall(PrintError(error));
    PetscCall(PetscFinalize());
    return 1;
  }

  PetscInt n = 8;
  PetscOptionsBegin(PETSC_COMM_WORLD, NULL, "Vector sum options", "Vec");
  PetscCall(PetscOptionsInt("-n", "global length of the vector (1 to 1e8)", "VecSetSizes", n, &n, NULL));
  PetscOptionsEnd();

  PetscCallMPI(MPI_Barrier(PETSC_COMM_WORLD));
  const double t0 = MPI_Wtime();

  // PETSC_DECIDE: let PETSc choose how many entries each rank owns.
  Vec x;
  PetscCall(VecCreate(PETSC_COMM_WORLD, &x));
  PetscCall(VecSetSizes(x, PETSC_DECIDE, n));
  PetscCall(VecSetFromOptions(x));
  // TODO: set every entry of x to 1 with VecSet.

  PetscScalar sum = 0.0;
  // TODO: add up all entries of x into `sum` with VecSum (collective: every
  //       rank gets the global sum).

  PetscInt local = 0;
  // TODO: ask how many entries this rank owns with VecGetLocalSize(x, &local).

  // Each rank prints its own line; PetscSynchronizedPrintf prints them in rank order.
  PetscCall(PetscSynchronizedPrintf(PETSC_COMM_WORLD, "Rank %d sum = %.15g\n", rank, (double)PetscRealPart(sum)));
  PetscCall(PetscSynchronizedFlush(PETSC_COMM_WORLD, PETSC_STDOUT));

  // Rank 0 collects how many entries each rank owns.
  std::vector<PetscInt> locals(rank == 0 ? size : 0);
  PetscCallMPI(MPI_Gather(&local, 1, MPIU_INT, locals.data(), 1, MPIU_INT, 0, PETSC_COMM_WORLD));

  PetscCallMPI(MPI_Barrier(PETSC_COMM_WORLD));
  const double time_s = MPI_Wtime() - t0;

  double init_max = 0.0;
  PetscCallMPI(MPI_Reduce(&init_s, &init_max, 1, MPI_DOUBLE, MPI_MAX, 0, PETSC_COMM_WORLD));

  std::string split;
  PetscInt    owned = 0;
  for (PetscInt k : locals) {
    split += (split.empty() ? "" : " ") + std::to_string(k);
    owned += k;
  }
  // Only rank 0 prints, and only rank 0 has the split.
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
  PetscCall(WarnUnusedOptions());
  PetscCall(PetscFinalize());
  return 0;
}
