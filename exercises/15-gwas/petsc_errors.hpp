// petsc_errors.hpp — one clear line for a mistake in the options, and a
// warning for an option nobody read.  Used by every PETSc program of the course.
//
// The course keeps one copy in common/petsc_errors.hpp; `make sync` at the
// course root copies it into every PETSc lesson folder.  Edit it there.
//
// PETSc reports an error with a traceback from every rank: right for a bug,
// too much for a misspelt `-ksp_type bogus`, `-n abc` or `-da_processors_x 3`
// on 2 ranks.  After PetscInitialize:
//
//   PetscCall(PetscPushErrorHandler(UserInputErrorHandler, NULL));
//
// An error whose code says the input was wrong is printed once, by rank 0, as
// `error: MESSAGE` (its first line only: some of PETSc's and SLEPc's messages
// go on for several lines), and every rank that meets it exits with status 1
// there and then.  (Returning it to main would make PETSc call MPI_Abort, whose
// notice is longer than the message.)  Options are the same on every rank, so
// every rank meets the same error.  The codes counted as input:
//   PETSC_ERR_USER_INPUT   the program's own PetscCheck of an option
//   PETSC_ERR_USER         PetscOptionsEList with a choice not in its list
//   PETSC_ERR_ARG_*        an unknown type, a value out of range, sizes or
//                          options that do not fit together (-da_processors_x 3)
//   PETSC_ERR_SUP          a combination the library does not do (-eps_type gd
//                          with the course's shift-and-invert: "EPSGD only works
//                          with KSPPREONLY")
//   PETSC_ERR_NOT_CONVERGED  a solver told to stop early (-st_ksp_max_it 3)
// The course's programs choose every object from options, so in them these
// codes come from the command line.  Any other error (a bug, out of memory, a
// signal) gets PETSc's usual traceback.
//
// Before PetscFinalize, pop the handler (PetscPushErrorHandler allocates 32
// bytes that -malloc_dump reports as a leak otherwise), then warn about the
// options nobody read.  The whole pattern:
//
//   PetscCall(PetscInitialize(&argc, &argv, NULL, help));
//   PetscCall(PetscPushErrorHandler(UserInputErrorHandler, NULL));
//   ... options, set-up, solve, check, report; destroy every object ...
//   PetscCall(PetscPopErrorHandler());
//   PetscCall(WarnUnusedOptions());
//   PetscCall(PetscFinalize());
//
// WarnUnusedOptions() prints one line per option that nothing read
// (`-ksp_tpye gmres`): Debian's optimised PETSc says nothing.
//
// RefuseGAMGClassical(ksp, hangs), before the first solve, refuses in one line
// a combination that never finishes (see below).
#pragma once

#include <petscksp.h>
#include <petscsys.h>
#include <petscversion.h>

#include <cstdio>
#include <cstdlib>
#include <unistd.h>

#if !PETSC_VERSION_GE(3, 19, 0)
  #define PETSC_SUCCESS ((PetscErrorCode)0)   // 3.19 named the success code
#endif

static inline PetscBool IsUserInputError(PetscErrorCode n)
{
  switch (n) {
  case PETSC_ERR_USER_INPUT:
  case PETSC_ERR_USER:
  case PETSC_ERR_ARG_UNKNOWN_TYPE:
  case PETSC_ERR_ARG_OUTOFRANGE:
  case PETSC_ERR_ARG_WRONG:
  case PETSC_ERR_ARG_INCOMP:
  case PETSC_ERR_ARG_SIZ:
  case PETSC_ERR_SUP:
  case PETSC_ERR_NOT_CONVERGED:
    return PETSC_TRUE;
  default:
    return PETSC_FALSE;
  }
}

static PetscErrorCode UserInputErrorHandler(MPI_Comm comm, int line, const char* fun, const char* file,
                                            PetscErrorCode n, PetscErrorType p, const char* mess, void* ctx)
{
  if (p != PETSC_ERROR_INITIAL || !IsUserInputError(n))
    return PetscTraceBackErrorHandler(comm, line, fun, file, n, p, mess, ctx);
  int rank = 0;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  if (rank == 0) {
    const char* m   = (mess && *mess) ? mess : "bad input";
    int         len = 0;   // the first line, without trailing blanks
    while (m[len] && m[len] != '\n') ++len;
    while (len > 0 && (m[len - 1] == ' ' || m[len - 1] == '\t' || m[len - 1] == '\r')) --len;
    std::fprintf(stderr, "error: %.*s\n", len, m);
    std::fflush(stderr);
  } else {
    usleep(300000);   // let rank 0 print before the launcher stops the job
  }
  std::exit(1);
}

// One line `WARNING! option -NAME [VALUE] was never used (misspelt?)` per
// option that nothing read, on stderr from rank 0.  Call it after the last
// object is destroyed and just before PetscFinalize.
static inline PetscErrorCode WarnUnusedOptions(void)
{
  PetscBool asked = PETSC_FALSE, view = PETSC_FALSE;
  PetscInt  n     = 0;
  char    **names = NULL, **values = NULL;

  PetscFunctionBeginUser;
  // With an explicit -options_left (or -options_left 0), PETSc reports at
  // PetscFinalize itself (or was told not to).
  PetscCall(PetscOptionsHasName(NULL, NULL, "-options_left", &asked));
  if (asked) PetscFunctionReturn(PETSC_SUCCESS);
  // -options_view is read by PetscFinalize, after this check: mark it as used.
  PetscCall(PetscOptionsHasName(NULL, NULL, "-options_view", &view));
  PetscCall(PetscOptionsLeftGet(NULL, &n, &names, &values));
  for (PetscInt i = 0; i < n; ++i)
    PetscCall(PetscFPrintf(PETSC_COMM_WORLD, PETSC_STDERR, "WARNING! option -%s%s%s was never used (misspelt?)\n",
                           names[i], values[i] ? " " : "", values[i] ? values[i] : ""));
  PetscCall(PetscOptionsLeftRestore(NULL, &n, &names, &values));
  PetscFunctionReturn(PETSC_SUCCESS);
}

// GAMG's classical algebraic multigrid (-pc_type gamg -pc_gamg_type classical)
// never finishes on more than one rank for some of the course's matrices: its
// coarsening loops for ever (seen in gdb: every rank in MatCoarsenApply's
// MPI_Allreduce).  Grid's and bratu's matrices hit it on PETSc 3.18 and 3.22,
// bridge_modes' on 3.18 only.  RefuseGAMGClassical(ksp, hangs) with hangs true
// refuses the combination in one line rather than hang.  It asks the options
// database under the PC's prefix (-st_pc_type for SLEPc's ST), so it also works
// before the KSP has read its options; a PC type set in the code counts too.
static inline PetscErrorCode RefuseGAMGClassical(KSP ksp, PetscBool hangs)
{
  PC          pc;
  const char* prefix;
  char        pc_type[64] = "", gamg_type[64] = "";
  PetscBool   gamg = PETSC_FALSE, classical = PETSC_FALSE;
  PetscMPIInt size;

  PetscFunctionBeginUser;
  if (!ksp || !hangs) PetscFunctionReturn(PETSC_SUCCESS);   // (no ksp: an exercise not written yet)
  PetscCall(KSPGetPC(ksp, &pc));
  PetscCall(PCGetOptionsPrefix(pc, &prefix));
  PetscCall(PetscOptionsGetString(NULL, prefix, "-pc_type", pc_type, sizeof pc_type, NULL));
  PetscCall(PetscOptionsGetString(NULL, prefix, "-pc_gamg_type", gamg_type, sizeof gamg_type, NULL));
  if (pc_type[0]) PetscCall(PetscStrcmp(pc_type, PCGAMG, &gamg));
  else PetscCall(PetscObjectTypeCompare((PetscObject)pc, PCGAMG, &gamg));
  if (gamg) PetscCall(PetscStrcmp(gamg_type, PCGAMGCLASSICAL, &classical));
  PetscCallMPI(MPI_Comm_size(PetscObjectComm((PetscObject)ksp), &size));
  PetscCheck(!classical || size == 1, PetscObjectComm((PetscObject)ksp), PETSC_ERR_USER_INPUT,
             "-%spc_gamg_type classical never finishes on more than one rank for this matrix with PETSc %d.%d: "
             "use the default (agg) or one rank",
             prefix ? prefix : "", PETSC_VERSION_MAJOR, PETSC_VERSION_MINOR);
  PetscFunctionReturn(PETSC_SUCCESS);
}
