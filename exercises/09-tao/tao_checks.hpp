// tao_checks.hpp — lesson 09's refusals and verdicts: a method that does not
// fit the problem, a bad list of echo times, fits that did not converge.
// Each ends in one line `error: ...` (see petsc_errors.hpp), never a traceback.
#pragma once

#include <petsctao.h>

#include <cstring>
#include <vector>

#include "petsc_errors.hpp"  // PETSC_SUCCESS on PETSc < 3.19

// The methods that fit this problem (a smooth objective with its gradient and
// Hessian, and simple bounds).  Others need what it does not have: a residual
// vector (pounders, brgn), constraints (ipm, admm, almm, lcl, ssils), a
// quadratic (gpcg) or a regulariser (owlqn, bmrm).  One line says so.
inline PetscErrorCode CheckTaoType(Tao tao)
{
  static const char* fits[] = {"lmvm", "blmvm", "nls", "bnls", "ntr", "bntr", "ntl", "bntl", "tron",
                               "cg", "bncg", "bqnls", "bqnkls", "bqnktr", "bqnktl", "nm"};
  TaoType type;

  PetscFunctionBeginUser;
  PetscCheck(tao, PETSC_COMM_SELF, PETSC_ERR_ARG_WRONG, "there is no Tao to fit with (TaoCreate was not called)");
  PetscCall(TaoGetType(tao, &type));
  for (const char* f : fits)
    if (std::strcmp(type, f) == 0) PetscFunctionReturn(PETSC_SUCCESS);
  SETERRQ(PETSC_COMM_SELF, PETSC_ERR_USER_INPUT, "-tao_type %s does not fit a least-squares fit with bounds: "
          "use lmvm, blmvm, nls, bnls, ntr, bntr, ntl, bntl, tron, cg, bncg, bqnls, bqnkls, bqnktr, bqnktl or nm", type);
}

// The echo times read by PetscOptionsRealArray into te[0..n-1] (room for
// nmax): at least `need` of them (one per unknown), all positive.
inline PetscErrorCode CheckEchoTimes(const PetscReal* te, PetscInt n, PetscInt nmax, PetscInt need, std::vector<double>* times)
{
  PetscFunctionBeginUser;
  PetscCheck(n < nmax, PETSC_COMM_WORLD, PETSC_ERR_USER_INPUT, "-te: at most %" PetscInt_FMT " echo times", nmax - 1);
  PetscCheck(n >= need, PETSC_COMM_WORLD, PETSC_ERR_USER_INPUT,
             "-te gives %" PetscInt_FMT " echo times, at least %" PetscInt_FMT " are needed (one per unknown)", n, need);
  for (PetscInt i = 0; i < n; ++i)
    PetscCheck(te[i] > 0 && te[i] < 1e6, PETSC_COMM_WORLD, PETSC_ERR_USER_INPUT,
               "-te needs positive echo times in ms (entry %" PetscInt_FMT " is %g)", i + 1, (double)te[i]);
  times->assign(te, te + n);
  PetscFunctionReturn(PETSC_SUCCESS);
}

// The fits that stopped without converging: how many, and the first one's
// reason and iteration count (each rank keeps its own).
struct FitFailures {
  long     count  = 0;
  int      reason = 1;
  PetscInt its    = 0;
  void Note(TaoConvergedReason r, PetscInt n)
  {
    if (r > 0) return;
    if (count++ == 0) { reason = (int)r; its = n; }
  }
};

// A fit that did not converge has no answer to check: rank 0 says so in one
// line `error: ...` and *ok becomes false on every rank (collective).  `what`
// names the fits counted ("voxels") when each rank fits its own share, or is
// NULL when every rank fits the same problem.
inline PetscErrorCode ReportNotConverged(const char* type, const FitFailures& f, long total, const char* what, PetscBool* ok)
{
  long        all = 0;
  PetscMPIInt rank;
  char        count[128] = "";
  struct { int reason, rank; } mine, worst;

  PetscFunctionBeginUser;
  PetscCallMPI(MPI_Allreduce(&f.count, &all, 1, MPI_LONG, MPI_SUM, PETSC_COMM_WORLD));
  *ok = all == 0 ? PETSC_TRUE : PETSC_FALSE;
  if (*ok) PetscFunctionReturn(PETSC_SUCCESS);
  // The example shown: the failure with the lowest reason code, and its rank's iteration count.
  PetscCallMPI(MPI_Comm_rank(PETSC_COMM_WORLD, &rank));
  mine = {f.count > 0 ? f.reason : 1, rank};
  PetscCallMPI(MPI_Allreduce(&mine, &worst, 1, MPI_2INT, MPI_MINLOC, PETSC_COMM_WORLD));
  PetscInt its = f.its;
  PetscCallMPI(MPI_Bcast(&its, 1, MPIU_INT, worst.rank, PETSC_COMM_WORLD));
  const TaoConvergedReason reason = (TaoConvergedReason)worst.reason;
  const char* hint = reason == TAO_DIVERGED_MAXITS ? "; -tao_max_it raises the limit"
                     : reason == TAO_CONTINUE_ITERATING ? "; was TaoSolve called?" : "";
  if (what) PetscCall(PetscSNPrintf(count, sizeof(count), " on %ld of %ld %s", all, total, what));
  PetscCall(PetscFPrintf(PETSC_COMM_WORLD, PETSC_STDERR, "error: Tao %s did not converge%s: %s after %" PetscInt_FMT
                         " iteration%s%s\n", type, count, TaoConvergedReasons[reason], its, its == 1 ? "" : "s", hint));
  PetscFunctionReturn(PETSC_SUCCESS);
}
