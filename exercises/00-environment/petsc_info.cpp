/**
 * @file petsc_info.cpp
 * @brief Lesson 00 exercise: are PETSc, SLEPc and TAO installed, and which
 * versions?
 *
 * As given, the program reports PETSc only; SLEPc's version is "unknown" and
 * TAO's LMVM solver "missing", so `check = FAIL`.  Fill in the TODOs.
 *
 * SlepcInitialize starts MPI, PETSc and SLEPc.  The program then asks each
 * library for its version at run time (PetscGetVersionNumber,
 * SlepcGetVersionNumber) and compares it with the version of the headers it
 * was compiled against (PETSC_VERSION_* and SLEPC_VERSION_* macros): a
 * mismatch means the program found a different library at run time than the
 * one it was built for.  It then creates a TAO solver, asks for the
 * limited-memory quasi-Newton method (TaoSetType(tao, TAOLMVM)) and reads the
 * type back.  Rank 0 prints `petsc_version`, `slepc_version`,
 * `tao_lmvm = available`, the MPI library PETSc runs on, `size = N` and
 * `check = PASS` when everything matches.
 * Run: `make run PROG=petsc_info NP=2`; `-help` lists PETSc's options.
 */
static char help[] = "Reports the PETSc, SLEPc and TAO this program runs with (lesson 00).\n\n";

#include <petsctao.h>
#include <slepcsys.h>

#include <chrono>
#include <cstring>
#include <string>

#include "petsc_cli.hpp"

// "3.18.5" from the parts of a version number.
static std::string Dotted(PetscInt major, PetscInt minor, PetscInt subminor)
{
  return std::to_string(major) + "." + std::to_string(minor) + "." + std::to_string(subminor);
}

// Ask TAO for the LMVM solver; *available tells whether TAO has it.  An
// unknown type is a PETSc error, which we catch here instead of stopping.
static PetscErrorCode TaoHasLMVM(PetscBool* available)
{
  Tao            tao;
  TaoType        type = NULL;
  PetscErrorCode err;

  PetscFunctionBeginUser;
  PetscCall(TaoCreate(PETSC_COMM_WORLD, &tao));
  PetscCall(PetscPushErrorHandler(PetscReturnErrorHandler, NULL));
  err = 0;
  // TODO: err = TaoSetType(tao, TAOLMVM);  (an error here means TAO lacks LMVM)
  PetscCall(PetscPopErrorHandler());
  // TODO: if (!err), read the type back into `type` with TaoGetType(tao, &type).
  (void)err;
  *available = (type && std::strcmp(type, TAOLMVM) == 0) ? PETSC_TRUE : PETSC_FALSE;
  PetscCall(TaoDestroy(&tao));
  PetscFunctionReturn(0);
}

int main(int argc, char** argv)
{
  const auto start = std::chrono::steady_clock::now();
  PetscCall(SlepcInitialize(&argc, &argv, NULL, help));
  const double init_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  PetscMPIInt size = 0;
  PetscCallMPI(MPI_Comm_size(PETSC_COMM_WORLD, &size));

  PetscCallMPI(MPI_Barrier(PETSC_COMM_WORLD));
  const double t0 = MPI_Wtime();

  // The libraries' own report, as `-version` would print it.
  char petsc_text[256], slepc_text[256] = "SLEPc version unknown";
  PetscCall(PetscGetVersion(petsc_text, sizeof(petsc_text)));
  // TODO: fill slepc_text with SlepcGetVersion, as PetscGetVersion does for PETSc.

  // Run time (the library loaded) against compile time (the headers).
  PetscInt major, minor, subminor, release;
  PetscCall(PetscGetVersionNumber(&major, &minor, &subminor, &release));
  const std::string petsc_lib = Dotted(major, minor, subminor);
  const std::string petsc_hdr = Dotted(PETSC_VERSION_MAJOR, PETSC_VERSION_MINOR, PETSC_VERSION_SUBMINOR);
  // TODO: ask SLEPc with SlepcGetVersionNumber and build slepc_lib with Dotted().
  const std::string slepc_lib = "unknown";
  const std::string slepc_hdr = Dotted(SLEPC_VERSION_MAJOR, SLEPC_VERSION_MINOR, SLEPC_VERSION_SUBMINOR);

  PetscBool lmvm = PETSC_FALSE;
  PetscCall(TaoHasLMVM(&lmvm));

  // The MPI library PETSc was built on: its first line, e.g. "Open MPI v4.1.4, ...".
  char mpi_text[MPI_MAX_LIBRARY_VERSION_STRING];
  int  mpi_len = 0;
  PetscCallMPI(MPI_Get_library_version(mpi_text, &mpi_len));
  std::string mpi_library(mpi_text, mpi_len);
  mpi_library = mpi_library.substr(0, mpi_library.find('\n'));

  PetscCallMPI(MPI_Barrier(PETSC_COMM_WORLD));
  const double time_s = MPI_Wtime() - t0;

  double init_max = 0.0;
  PetscCallMPI(MPI_Reduce(&init_s, &init_max, 1, MPI_DOUBLE, MPI_MAX, 0, PETSC_COMM_WORLD));

  const bool pass = petsc_lib == petsc_hdr && slepc_lib == slepc_hdr && lmvm;

  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "%s\n%s\n", petsc_text, slepc_text));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "petsc_version = %s\n", petsc_lib.c_str()));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "petsc_headers = %s\n", petsc_hdr.c_str()));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "slepc_version = %s\n", slepc_lib.c_str()));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "slepc_headers = %s\n", slepc_hdr.c_str()));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "tao_lmvm = %s\n", lmvm ? "available" : "missing"));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "scalar_type = %s\n", PetscDefined(USE_COMPLEX) ? "complex" : "real"));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "scalar_bytes = %d\n", (int)sizeof(PetscScalar)));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "int_bytes = %d\n", (int)sizeof(PetscInt)));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "mpi_library = %s\n", mpi_library.c_str()));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "size = %d\n", size));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "check = %s\n", pass ? "PASS" : "FAIL"));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "init_s = %.4f\n", init_max));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "time_s = %.6f\n", time_s));

  PetscCall(WarnUnusedOptions());
  PetscCall(SlepcFinalize());
  return 0;
}
