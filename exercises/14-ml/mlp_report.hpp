// mlp_report.hpp — lesson 14's network after training: the final loss and
// gradient, the copies of theta compared across ranks, the comparison with
// the teacher's weights (for the model without hidden layers), the
// `name = value` lines and the loss curve.
#pragma once

#include <petsctao.h>

#include <cblas.h>

#include <cmath>
#include <string>
#include <vector>

#include "ml_report.hpp"
#include "mlp_model.hpp"
#include "petsc_errors.hpp"  // PETSC_SUCCESS on PETSc < 3.19

// The loss and the gradient norm at theta, evaluated once more (not counted
// as a pass of the training).  fg is the objective callback (collective).
inline PetscErrorCode LossAt(AppCtx* user, ObjectiveAndGradient fg, Vec theta, PetscReal* loss, PetscReal* gnorm)
{
  Vec            grad;
  const PetscInt evaluations = user->evaluations;

  PetscFunctionBeginUser;
  PetscCall(VecDuplicate(theta, &grad));
  PetscCall(fg(NULL, theta, loss, grad, user));
  if (gnorm) PetscCall(VecNorm(grad, NORM_2, gnorm));
  PetscCall(VecDestroy(&grad));
  user->evaluations = evaluations;
  PetscFunctionReturn(PETSC_SUCCESS);
}

// *pass (the same on every rank) is the check.
inline PetscErrorCode CheckAndReport(AppCtx* user, Tao tao, Vec theta, ObjectiveAndGradient fg, double initial_loss,
                                     double fd_rel_error, double time_s, PetscBool* pass)
{
  PetscMPIInt        rank, size;
  TaoType            type;
  TaoConvergedReason reason;
  PetscInt           its;
  PetscReal          loss, gnorm;

  PetscFunctionBeginUser;
  PetscCallMPI(MPI_Comm_rank(PETSC_COMM_WORLD, &rank));
  PetscCallMPI(MPI_Comm_size(PETSC_COMM_WORLD, &size));
  PetscCall(TaoGetType(tao, &type));
  PetscCall(TaoGetConvergedReason(tao, &reason));
  PetscCall(TaoGetIterationNumber(tao, &its));
  const PetscInt evaluations = user->evaluations;
  PetscCall(LossAt(user, fg, theta, &loss, &gnorm));
  const double accuracy = user->last_accuracy;

  // Are the copies of theta on all ranks really the same?
  std::vector<double> mine(user->n_params);
  const PetscScalar*  pt;
  PetscCall(VecGetArrayRead(theta, &pt));
  for (size_t k = 0; k < user->n_params; ++k) mine[k] = PetscRealPart(pt[k]);
  PetscCall(VecRestoreArrayRead(theta, &pt));
  double diff;
  PetscCall(ReplicaDiff(mine, &diff));

  // Without hidden layers the network is logistic regression: compare with w*.
  const bool linear = user->width.size() == 2;
  double     cosine = 0.0;
  if (linear) {
    const int     F  = (int)user->features;
    const double* wt = user->data.w_true.data();
    const double  wn = cblas_dnrm2(F, mine.data(), 1);  // W_1 comes first in theta
    cosine = wn > 0 ? cblas_ddot(F, mine.data(), 1, wt, 1) / (wn * cblas_dnrm2(F, wt, 1)) : 0.0;
  }
  // Learnt: the loss fell from ln 2 (where it must start), the gradient is
  // right, and every rank holds the same model.
  const bool ok = fd_rel_error < 1e-6 && std::fabs(initial_loss - std::log(2.0)) < 1e-12 && loss < initial_loss && diff == 0.0;
  *pass = ok ? PETSC_TRUE : PETSC_FALSE;

  std::vector<std::pair<const char*, std::string>> lines = {
    {"size", std::to_string(size)}, {"samples", std::to_string(user->samples)}, {"layers", LayersName(*user)},
    {"parameters", std::to_string(user->n_params)}, {"tao_type", type}, {"fd_rel_error", Format("%.3e", fd_rel_error)},
    {"initial_loss", Format("%.15g", initial_loss)}, {"final_loss", Format("%.15g", (double)loss)},
    {"final_accuracy", Format("%.6f", accuracy)}, {"gradient_norm", Format("%.6e", (double)gnorm)}};
  if (linear) lines.push_back({"cosine_similarity", Format("%.6f", cosine)});
  lines.insert(lines.end(), {{"iterations", std::to_string(its)}, {"evaluations", std::to_string(evaluations)},
                             {"converged_reason", TaoConvergedReasons[reason]}, {"replica_max_diff", Format("%g", diff)},
                             {"check", ok ? "PASS" : "FAIL"}, {"time_s", Format("%.6f", time_s)},
                             {"time_per_iteration_s", Format("%.6f", its > 0 ? time_s / its : 0.0)}});
  for (const auto& l : lines) PetscCall(PetscPrintf(PETSC_COMM_WORLD, "%s = %s\n", l.first, l.second.c_str()));

  if (rank == 0 && user->csv[0]) {
    std::vector<std::string> rows;
    for (size_t k = 0; k < user->hist_loss.size(); ++k)
      rows.push_back(Format("%zu,%d,%.15g,%.6e,%.6f", k, (int)user->hist_evals[k], user->hist_loss[k], user->hist_gnorm[k],
                            user->hist_time[k]));
    WriteCsv(user->csv, "iteration,evaluations,loss,gradient_norm,time_s", rows);
  }
  PetscFunctionReturn(PETSC_SUCCESS);
}
