/**
 * @file petsc_info.cpp
 * @brief Lesson 00: are PETSc, SLEPc and TAO installed, and which versions?
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
 * `check = PASS` when everything matches; otherwise `check = FAIL` and exit
 * status 1 on every rank.
 * Run: `make run PROG=petsc_info NP=2`; `-help` lists PETSc's options.
 */
static char help[] = "Reports the PETSc, SLEPc and TAO this program runs with (lesson 00).\n\n";

#include <petsctao.h>
#include <slepcsys.h>

#include <chrono>
#include <cstring>
#include <string>

#include "petsc_errors.hpp"

// "3.18.5" from the parts of a version number.
static std::string Dotted(PetscInt major, PetscInt minor, PetscInt subminor)
{
  return std::to_string(major) + "." + std::to_string(minor) + "." + std::to_string(subminor);
}

// Each library's version at run time (the library loaded) and at compile time
// (the headers), and its own one-line report, as `-version` prints it.
struct Versions {
  char        petsc_text[256] = "PETSc version unknown", slepc_text[256] = "SLEPc version unknown";
  std::string petsc_lib = "unknown", petsc_hdr, slepc_lib = "unknown", slepc_hdr;
};

static PetscErrorCode GetVersions(Versions* v)
{
  PetscInt major = 0, minor = 0, subminor = 0, release = 0;

  PetscFunctionBeginUser;
  PetscCall(PetscGetVersion(v->petsc_text, sizeof(v->petsc_text)));
  PetscCall(PetscGetVersionNumber(&major, &minor, &subminor, &release));
  v->petsc_lib = Dotted(major, minor, subminor);
  v->petsc_hdr = Dotted(PETSC_VERSION_MAJOR, PETSC_VERSION_MINOR, PETSC_VERSION_SUBMINOR);
  // >>> step 5: ask SLEPc which version it is
  PetscCall(SlepcGetVersion(v->slepc_text, sizeof(v->slepc_text)));
  PetscCall(SlepcGetVersionNumber(&major, &minor, &subminor, &release));
  v->slepc_lib = Dotted(major, minor, subminor);
  // <<< step 5
  v->slepc_hdr = Dotted(SLEPC_VERSION_MAJOR, SLEPC_VERSION_MINOR, SLEPC_VERSION_SUBMINOR);
  PetscFunctionReturn(PETSC_SUCCESS);
}

// Create a TAO solver, ask for the limited-memory quasi-Newton method (LMVM)
// and read the type back: *available tells whether TAO has it.  (A PETSc
// without LMVM stops at TaoSetType with one line `error: Unknown type ...`.)
static PetscErrorCode TaoHasLMVM(PetscBool* available)
{
  Tao     tao  = NULL;
  TaoType type = NULL;

  PetscFunctionBeginUser;
  // >>> step 6: a TAO solver of type LMVM
  PetscCall(TaoCreate(PETSC_COMM_WORLD, &tao));
  PetscCall(TaoSetType(tao, TAOLMVM));
  PetscCall(TaoGetType(tao, &type));
  // <<< step 6
  *available = (type && std::strcmp(type, TAOLMVM) == 0) ? PETSC_TRUE : PETSC_FALSE;
  PetscCall(TaoDestroy(&tao));
  PetscFunctionReturn(PETSC_SUCCESS);
}

// The first line of the MPI library's description, e.g. "Open MPI v4.1.4, ...".
static std::string MPILibrary()
{
  char text[MPI_MAX_LIBRARY_VERSION_STRING];
  int  length = 0;
  MPI_Get_library_version(text, &length);
  const std::string all(text, length);
  return all.substr(0, all.find('\n'));
}

// Rank 0 prints the `name = value` lines.
static PetscErrorCode Report(const Versions& v, PetscBool lmvm, int size, bool pass, double init_s, double time_s)
{
  PetscFunctionBeginUser;
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "%s\n%s\n", v.petsc_text, v.slepc_text));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "petsc_version = %s\n", v.petsc_lib.c_str()));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "petsc_headers = %s\n", v.petsc_hdr.c_str()));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "slepc_version = %s\n", v.slepc_lib.c_str()));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "slepc_headers = %s\n", v.slepc_hdr.c_str()));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "tao_lmvm = %s\n", lmvm ? "available" : "missing"));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "scalar_type = %s\n", PetscDefined(USE_COMPLEX) ? "complex" : "real"));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "scalar_bytes = %d\n", (int)sizeof(PetscScalar)));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "int_bytes = %d\n", (int)sizeof(PetscInt)));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "mpi_library = %s\n", MPILibrary().c_str()));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "size = %d\n", size));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "check = %s\n", pass ? "PASS" : "FAIL"));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "init_s = %.4f\n", init_s));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "time_s = %.6f\n", time_s));
  PetscFunctionReturn(PETSC_SUCCESS);
}

int main(int argc, char** argv)
{
  // SlepcInitialize starts MPI, PETSc and SLEPc.
  const auto start = std::chrono::steady_clock::now();
  PetscCall(SlepcInitialize(&argc, &argv, NULL, help));
  const double init_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  PetscCall(PetscPushErrorHandler(UserInputErrorHandler, NULL));

  PetscMPIInt size = 0;
  PetscCallMPI(MPI_Comm_size(PETSC_COMM_WORLD, &size));
  PetscCallMPI(MPI_Barrier(PETSC_COMM_WORLD));
  const double t0 = MPI_Wtime();

  Versions v;
  PetscCall(GetVersions(&v));
  PetscBool lmvm = PETSC_FALSE;
  PetscCall(TaoHasLMVM(&lmvm));

  PetscCallMPI(MPI_Barrier(PETSC_COMM_WORLD));
  const double time_s   = MPI_Wtime() - t0;
  double       init_max = 0.0;
  PetscCallMPI(MPI_Allreduce(&init_s, &init_max, 1, MPI_DOUBLE, MPI_MAX, PETSC_COMM_WORLD));

  // The same libraries on every rank: every rank reaches the same verdict.
  const bool pass = v.petsc_lib == v.petsc_hdr && v.slepc_lib == v.slepc_hdr && lmvm;
  PetscCall(Report(v, lmvm, size, pass, init_max, time_s));

  PetscCall(PetscPopErrorHandler());
  PetscCall(WarnUnusedOptions());
  PetscCall(SlepcFinalize());
  return pass ? 0 : 1;
}
