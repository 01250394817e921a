// petsc_cli.hpp — the course's option rules for this lesson's PETSc programs
// (lesson 00's file, extended with CheckRealOption for real-valued options).
//
// PETSc programs read their options from PETSc's options database
// (`-n 10`, `-help`, `-vec_type mpi`).  Two of the course's rules need a
// little help on top of it:
//
// 1. Bad input gets ONE line `error: ...` and exit status 1 on every rank.
//    PETSc stops a value it cannot parse (`-n abc`) with a multi-line
//    traceback from every rank, and it silently wraps an integer too big for
//    PetscInt.  So the program checks the text of its own integer options
//    first (CheckIntOption, CheckRealOption), before PetscOptionsInt and
//    PetscOptionsReal read them.
//
// 2. A misspelt option must not pass silently.  PETSc's debug builds warn at
//    PetscFinalize about options that nobody read; Debian's optimised build
//    does not, and `-options_left` also prints the whole option table on
//    every run.  WarnUnusedOptions, called just before PetscFinalize, prints
//    one warning line per unused option and nothing otherwise.
//
//   std::string error;
//   PetscCall(CheckIntOption("-n", 1, 100000000, &error));
//   if (!error.empty()) {                    // every rank takes this branch
//     PetscCall(PrintError(error));
//     PetscCall(PetscFinalize());
//     return 1;
//   }
#pragma once

#include <petscsys.h>

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <sstream>
#include <string>

// Rank 0 prints `error: MESSAGE` on stderr.  Call it on every rank (collective).
static inline PetscErrorCode PrintError(const std::string& message)
{
  PetscFunctionBeginUser;
  PetscCall(PetscFPrintf(PETSC_COMM_WORLD, PETSC_STDERR, "error: %s\n", message.c_str()));
  PetscFunctionReturn(0);
}

// Check the text given for integer option `name`: absent is fine; otherwise it
// must be an integer in [lo, hi].  Sets *error to the message, or leaves it
// empty.  Every rank sees the same options, so every rank reaches the same
// verdict and they can stop together.
static inline PetscErrorCode CheckIntOption(const char* name, long lo, long hi, std::string* error)
{
  PetscBool present = PETSC_FALSE, set = PETSC_FALSE;
  char      text[256] = "";

  PetscFunctionBeginUser;
  error->clear();
  PetscCall(PetscOptionsHasName(NULL, NULL, name, &present));
  if (!present) PetscFunctionReturn(0);
  PetscCall(PetscOptionsGetString(NULL, NULL, name, text, sizeof(text), &set));
  if (!set || text[0] == '\0') {
    *error = std::string(name) + " needs a value";
    PetscFunctionReturn(0);
  }
  char* end = nullptr;
  errno     = 0;
  const long v = std::strtol(text, &end, 10);
  if (*end != '\0' || errno == ERANGE) {
    *error = std::string(name) + " needs an integer, got '" + text + "'";
  } else if (v < lo || v > hi) {
    *error = std::string(name) + " = " + text + " is out of range [" + std::to_string(lo) + ", " +
             std::to_string(hi) + "]";
  }
  PetscFunctionReturn(0);
}

// Check the text given for real option `name`: absent is fine; otherwise it
// must be a finite number with lo < value <= hi (an open lower bound, so that
// lo = 0 means "positive").  Sets *error to the message, or leaves it empty.
static inline PetscErrorCode CheckRealOption(const char* name, double lo, double hi, std::string* error)
{
  PetscBool present = PETSC_FALSE, set = PETSC_FALSE;
  char      text[256] = "";

  PetscFunctionBeginUser;
  error->clear();
  PetscCall(PetscOptionsHasName(NULL, NULL, name, &present));
  if (!present) PetscFunctionReturn(0);
  PetscCall(PetscOptionsGetString(NULL, NULL, name, text, sizeof(text), &set));
  if (!set || text[0] == '\0') {
    *error = std::string(name) + " needs a value";
    PetscFunctionReturn(0);
  }
  char* end = nullptr;
  errno     = 0;
  const double v = std::strtod(text, &end);
  if (*end != '\0' || errno == ERANGE || !std::isfinite(v)) {
    *error = std::string(name) + " needs a number, got '" + text + "'";
  } else if (!(v > lo && v <= hi)) {
    std::ostringstream range;
    range << "(" << lo << ", " << hi << "]";
    *error = std::string(name) + " = " + text + " is out of range " + range.str();
  }
  PetscFunctionReturn(0);
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
  if (asked) PetscFunctionReturn(0);
  // -options_view is read by PetscFinalize, after this check: mark it as used.
  PetscCall(PetscOptionsHasName(NULL, NULL, "-options_view", &view));
  PetscCall(PetscOptionsLeftGet(NULL, &n, &names, &values));
  for (PetscInt i = 0; i < n; ++i)
    PetscCall(PetscFPrintf(PETSC_COMM_WORLD, PETSC_STDERR,
                           "WARNING! option -%s%s%s was never used (misspelt?)\n", names[i],
                           values[i] ? " " : "", values[i] ? values[i] : ""));
  PetscCall(PetscOptionsLeftRestore(NULL, &n, &names, &values));
  PetscFunctionReturn(0);
}
