// ml_report.hpp — what both programs of lesson 14 check and write: that every
// rank holds the same copy of the model, the split of the samples over the
// ranks, and the loss curve as a CSV file.
#pragma once

#include <petscsys.h>

#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "petsc_errors.hpp"  // PETSC_SUCCESS on PETSc < 3.19

// printf into a std::string, for the `name = value` lines.
template <typename... Args>
inline std::string Format(const char* fmt, Args... args)
{
  char buf[128];
  std::snprintf(buf, sizeof(buf), fmt, args...);
  return buf;
}

// The largest difference between this rank's copy of a model and rank 0's,
// over all ranks: 0 when the copies are identical, as they must be.
inline PetscErrorCode ReplicaDiff(const std::vector<double>& w, double* diff)
{
  std::vector<double> root(w);
  PetscFunctionBeginUser;
  PetscCallMPI(MPI_Bcast(root.data(), (int)root.size(), MPI_DOUBLE, 0, PETSC_COMM_WORLD));
  double d = 0.0;
  for (std::size_t k = 0; k < w.size(); ++k) {
    const double e = std::fabs(w[k] - root[k]);
    if (!(e <= d)) d = e;  // a NaN wins too
  }
  if (d != d) d = HUGE_VAL;  // a NaN differs from everything
  PetscCallMPI(MPI_Allreduce(&d, diff, 1, MPI_DOUBLE, MPI_MAX, PETSC_COMM_WORLD));
  PetscFunctionReturn(PETSC_SUCCESS);
}

// A CSV file written by rank 0: to a temporary name, then renamed, so a run
// killed half-way leaves no half-written file.
inline void WriteCsv(const char* path, const char* header, const std::vector<std::string>& rows)
{
  const std::string tmp = std::string(path) + ".tmp";
  FILE*             f   = std::fopen(tmp.c_str(), "w");
  if (!f) {
    std::fprintf(stderr, "WARNING! cannot write %s\n", path);
    return;
  }
  std::fprintf(f, "%s\n", header);
  for (const std::string& r : rows) std::fprintf(f, "%s\n", r.c_str());
  if (std::fclose(f) != 0 || std::rename(tmp.c_str(), path) != 0) std::fprintf(stderr, "WARNING! cannot write %s\n", path);
}

// "n0 n1 n2 ...": how many samples each rank holds, gathered on rank 0 (collective).
inline PetscErrorCode SampleSplit(long n_local, std::string* split)
{
  PetscMPIInt rank, size;
  PetscFunctionBeginUser;
  PetscCallMPI(MPI_Comm_rank(PETSC_COMM_WORLD, &rank));
  PetscCallMPI(MPI_Comm_size(PETSC_COMM_WORLD, &size));
  std::vector<long> counts(rank == 0 ? size : 0);
  PetscCallMPI(MPI_Gather(&n_local, 1, MPI_LONG, counts.data(), 1, MPI_LONG, 0, PETSC_COMM_WORLD));
  split->clear();
  for (long c : counts) *split += (split->empty() ? "" : " ") + std::to_string(c);
  PetscFunctionReturn(PETSC_SUCCESS);
}
