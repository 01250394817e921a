/**
 * @file mlp_tao.cpp
 * @brief Lesson 14, part 2: a 16-32-16-1 neural network (tanh, tanh,
 * sigmoid) trained with Tao on data spread over the ranks; the gradient is
 * added up with MPI_Allreduce inside Tao's objective callback.
 *
 * All weights and biases are packed in ONE Vec theta (W_1, b_1, W_2, b_2, ...;
 * mlp_model.hpp).  Every rank runs its own copy of Tao on PETSC_COMM_SELF
 * with a full copy of theta (1089 numbers); the data are what is
 * distributed.  The objective callback does a forward and a backward pass
 * over the rank's own samples (BLAS dgemm), then ONE MPI_Allreduce adds the
 * loss and the gradient over all ranks.  Every rank gets the same sums, so
 * every copy of Tao takes the same steps and the copies of theta stay
 * identical (`replica_max_diff = 0`).  -hidden1 0 -hidden2 0 -output_bias 0
 * leaves logreg's model, so Tao and SGD can be compared on one model.
 *
 * Training runs for a budget of -tao_max_it iterations (default 100) or
 * -tao_max_funcs passes over the data, as SGD runs for -epochs: stopping
 * there is the plan, not a failure.  Stopping for any other reason without
 * converging (a failed line search, a NaN) is: one error line, exit 1.
 *
 * Run: `make run PROG=mlp_tao NP=2`; `-tao_type cg` (or bncg, nm, ...) picks
 * another method; `-tao_test_gradient` compares the gradient with finite
 * differences.  Proof it is right: `fd_rel_error` (our own central-difference
 * check of the gradient at a random point) is ~1e-9, the loss falls from
 * ln 2 = 0.693147, and final_loss is the same at NP = 1, 2, 3, 4.
 */
static char help[] = "A 16-32-16-1 tanh/tanh/sigmoid classifier trained with Tao on data spread\n"
                     "over the ranks, gradient added up with MPI_Allreduce (lesson 14, part 2).  Options:\n"
                     "  -samples N -features F -hidden1 H1 -hidden2 H2 (0: no such layer) -output_bias 0|1 -seed S\n"
                     "  -csv FILE  (rank 0 writes iteration,evaluations,loss,gradient_norm,time_s)\n"
                     "  and Tao's own: -tao_type lmvm|cg|bncg|... -tao_max_it -tao_gatol -tao_test_gradient\n\n";

#include <petsctao.h>

#include <cmath>
#include <string>
#include <vector>

#include "ml_data.hpp"
#include "ml_report.hpp"
#include "mlp_model.hpp"
#include "mlp_report.hpp"
#include "petsc_errors.hpp"

static PetscErrorCode ReadOptions(AppCtx* user)
{
  PetscFunctionBeginUser;
  PetscOptionsBegin(PETSC_COMM_WORLD, NULL, "Neural network options", "");
  PetscCall(PetscOptionsRangeInt("-samples", "number of training samples N (1 to 1e8)", "", user->samples, &user->samples, NULL, 1,
                                 100000000));
  PetscCall(PetscOptionsRangeInt("-features", "number of features, the input width (1 to 1e4)", "", user->features, &user->features,
                                 NULL, 1, 10000));
  PetscCall(PetscOptionsRangeInt("-hidden1", "width of hidden layer 1 (0: none)", "", user->hidden1, &user->hidden1, NULL, 0, 10000));
  PetscCall(PetscOptionsRangeInt("-hidden2", "width of hidden layer 2 (0: none)", "", user->hidden2, &user->hidden2, NULL, 0, 10000));
  PetscCall(PetscOptionsBoundedInt("-seed", "seed of the data set and of the initial weights", "", user->seed, &user->seed, NULL, 0));
  PetscCall(PetscOptionsBool("-output_bias", "a bias in the output layer (0: none, as in logreg)", "", user->output_bias,
                             &user->output_bias, NULL));
  PetscCall(PetscOptionsString("-csv", "file for the loss curve (rank 0)", "", user->csv, user->csv, sizeof(user->csv), NULL));
  PetscOptionsEnd();
  Layout(user);
  double widest = 0;
  for (int w : user->width) widest += w;
  PetscCheck((double)user->samples * widest <= 2e8, PETSC_COMM_WORLD, PETSC_ERR_USER_INPUT,
             "-samples x the layer widths is too large (at most 2e8 values, 1.6 GB)");
  PetscFunctionReturn(PETSC_SUCCESS);
}

// What Tao calls: the loss (mean cross-entropy over ALL samples) and its
// gradient at theta.  Each rank sums over its own samples; one message adds
// the ranks' sums, so every rank hands its Tao the same numbers.
static PetscErrorCode FormFunctionGradient(Tao, Vec theta, PetscReal* f, Vec G, void* ctx)
{
  AppCtx*              user = (AppCtx*)ctx;
  const size_t         P    = user->n_params;
  const double         N    = (double)user->data.n_global;
  std::vector<double>& s    = user->sums;

  PetscFunctionBeginUser;
  PetscCall(LocalSums(user, theta));  // s[0..P-1]: my gradient sum, s[P]: my loss sum, s[P+1]: my right answers
  // >>> step 2: from this rank's sums to the mean loss and gradient over all samples
  // TODO 2: s holds this rank's sums (see LocalSums).  Add them up over all
  //         ranks, then hand Tao the means over all N samples: the loss in *f
  //         and the gradient in G (P numbers).  Every rank must give its Tao
  //         the same numbers, or the copies of theta drift apart.
  //         Hint: MPI_Allreduce, VecGetArray / VecRestoreArray.
  *f = 0.0;  // placeholder: a flat loss without a gradient
  PetscCall(VecSet(G, 0.0));
  // <<< step 2
  user->last_accuracy = s[P + 1] / N;
  user->evaluations++;
  PetscFunctionReturn(PETSC_SUCCESS);
}

// Called by Tao after each iteration (on every rank; rank 0 prints).
static PetscErrorCode Monitor(Tao tao, void* ctx)
{
  AppCtx*            user = (AppCtx*)ctx;
  PetscInt           its;
  PetscReal          f, gnorm, cnorm, xdiff;
  TaoConvergedReason reason;

  PetscFunctionBeginUser;
  PetscCall(TaoGetSolutionStatus(tao, &its, &f, &gnorm, &cnorm, &xdiff, &reason));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "iteration %4d  loss %.6f  |gradient| %.3e  evaluations %d\n", (int)its, (double)f,
                        (double)gnorm, (int)user->evaluations));
  user->hist_loss.push_back(f);
  user->hist_gnorm.push_back(gnorm);
  user->hist_evals.push_back(user->evaluations);
  user->hist_time.push_back(MPI_Wtime() - user->t0);
  PetscFunctionReturn(PETSC_SUCCESS);
}

// One Tao per rank on PETSC_COMM_SELF (each holds all of theta): lmvm unless
// -tao_type says otherwise, |gradient| < 1e-6 or 100 iterations.
static PetscErrorCode CreateTao(AppCtx* user, Vec theta, Tao* tao)
{
  PetscFunctionBeginUser;
  PetscCall(TaoCreate(PETSC_COMM_SELF, tao));
  PetscCall(TaoSetType(*tao, TAOLMVM));
  PetscCall(TaoSetSolution(*tao, theta));
  PetscCall(TaoSetObjectiveAndGradient(*tao, NULL, FormFunctionGradient, user));
#if PETSC_VERSION_GE(3, 21, 0)
  PetscCall(TaoMonitorSet(*tao, Monitor, user, NULL));
#else
  PetscCall(TaoSetMonitor(*tao, Monitor, user, NULL));
#endif
  PetscCall(TaoSetMaximumIterations(*tao, 100));
  PetscCall(TaoSetTolerances(*tao, 1e-6, 0.0, 0.0));
  PetscCall(TaoSetFromOptions(*tao));
  PetscCall(CheckTaoType(*tao));
  PetscFunctionReturn(PETSC_SUCCESS);
}

int main(int argc, char** argv)
{
  AppCtx      user;
  PetscMPIInt rank = 0, size = 0;
  PetscCall(PetscInitialize(&argc, &argv, NULL, help));
  PetscCall(PetscPushErrorHandler(UserInputErrorHandler, NULL));
  PetscCallMPI(MPI_Comm_rank(PETSC_COMM_WORLD, &rank));
  PetscCallMPI(MPI_Comm_size(PETSC_COMM_WORLD, &size));
  PetscCall(ReadOptions(&user));
  user.data = MakeShard(user.samples, (int)user.features, (uint64_t)user.seed, rank, size);
  AllocateBuffers(&user);

  // theta: a sequential Vec on every rank, the whole model in each.  First
  // our own check of the gradient, then the start: output layer 0, loss ln 2.
  Vec    theta;
  Tao    tao;
  double fd_rel_error = 0.0;
  PetscCall(VecCreateSeq(PETSC_COMM_SELF, (PetscInt)user.n_params, &theta));
  PetscCall(DirectionalCheck(&user, FormFunctionGradient, theta, &fd_rel_error));
  PetscCall(InitialWeights(&user, theta));
  PetscReal initial_loss;
  PetscCall(LossAt(&user, FormFunctionGradient, theta, &initial_loss, NULL));
  PetscCall(CreateTao(&user, theta, &tao));
  TaoType type;
  PetscCall(TaoGetType(tao, &type));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "Network %s (%zu parameters), %ld samples on %d ranks, Tao %s\n", LayersName(user).c_str(),
                        user.n_params, (long)user.samples, size, type));

  user.evaluations = 0;
  PetscCallMPI(MPI_Barrier(PETSC_COMM_WORLD));
  user.t0 = MPI_Wtime();
  PetscCall(TaoSolve(tao));
  PetscCallMPI(MPI_Barrier(PETSC_COMM_WORLD));
  const double time_s = MPI_Wtime() - user.t0;

  // Out of budget (iterations or evaluations) is the plan; any other way of
  // stopping short (a failed line search, a NaN) is a failure.
  TaoConvergedReason reason;
  PetscInt           its;
  PetscCall(TaoGetConvergedReason(tao, &reason));
  PetscCall(TaoGetIterationNumber(tao, &its));
  const bool stopped_badly = reason < 0 && reason != TAO_DIVERGED_MAXITS && reason != TAO_DIVERGED_MAXFCN;
  if (stopped_badly)
    PetscCall(PetscFPrintf(PETSC_COMM_WORLD, PETSC_STDERR, "error: Tao %s stopped without converging: %s after %d iterations\n",
                           type, TaoConvergedReasons[reason], (int)its));
  PetscBool pass = PETSC_FALSE;
  if (!stopped_badly) PetscCall(CheckAndReport(&user, tao, theta, FormFunctionGradient, initial_loss, fd_rel_error, time_s, &pass));

  PetscCall(VecDestroy(&theta));
  PetscCall(TaoDestroy(&tao));
  if (!stopped_badly) PetscCall(WarnUnusedOptions());
  PetscCall(PetscPopErrorHandler());
  PetscCall(PetscFinalize());
  return pass ? 0 : 1;
}
