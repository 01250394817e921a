/**
 * @file mlp_tao.cpp
 * @brief Lesson 14, part 2: a 16-32-16-1 neural network (tanh, tanh,
 * sigmoid) trained with TAO on data spread over the ranks; manual
 * backpropagation, gradient added up with MPI_Allreduce.
 *
 * Network: a_0 = x, a_l = tanh(a_{l-1} W_l + b_l) for the hidden layers,
 * p = sigmoid(a_2 W_3 + b_3); loss = mean binary cross-entropy, as in part 1
 * and on the same data (same -samples -features -seed give the same samples).
 * -hidden1 0 -hidden2 0 -output_bias 0 removes the hidden layers and the
 * output bias: what is left is exactly part 1's logistic regression, so TAO
 * and SGD can be compared on one model (and must reach the same minimum).
 *
 * All weights and biases are packed in ONE Vec theta (W_1, b_1, W_2, b_2, ...).
 * Every rank runs its own copy of TAO on PETSC_COMM_SELF with a full copy of
 * theta (1089 numbers); the data are what is distributed.  The objective
 * callback does a forward and a backward pass over the rank's own samples
 * (BLAS dgemm), then ONE MPI_Allreduce adds the loss and the gradient over
 * all ranks.  Every rank gets the same sums, so every copy of TAO takes the
 * same steps and the copies of theta stay identical (`replica_max_diff = 0`).
 *
 * Run: `make run PROG=mlp_tao NP=2`; `-tao_type cg` (or nls, bncg, ...) picks
 * another method; `-tao_test_gradient` compares the gradient with finite
 * differences.  Proof it is right: `fd_rel_error` (our own central-difference
 * check of the backpropagation at a random point) is ~1e-9, the loss falls
 * from ln 2 = 0.693147, and final_loss is the same at NP = 1, 2, 3, 4.
 */
static char help[] = "A 16-32-16-1 tanh/tanh/sigmoid classifier trained with TAO on data spread\n"
                     "over the ranks, gradient added up with MPI_Allreduce (lesson 14, part 2).  Options:\n"
                     "  -samples N -features F -hidden1 H1 -hidden2 H2 (0: no such layer) -output_bias 0|1 -seed S\n"
                     "  -csv FILE  (rank 0 writes iteration,evaluations,loss,gradient_norm,time_s)\n"
                     "  and TAO's own: -tao_type lmvm|cg|nls|... -tao_max_it -tao_gatol -tao_test_gradient\n\n";

#include <petsctao.h>

#include <cblas.h>

#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "ml_data.hpp"
#include "petsc_cli.hpp"

typedef struct {
  PetscInt            samples, features, hidden1, hidden2, seed;
  PetscBool           output_bias;   // b_3 (or b_1 without hidden layers) in the model?
  char                csv[PETSC_MAX_PATH_LEN];
  Shard               data;
  std::vector<int>    width;         // layer widths: features, hidden..., 1
  std::vector<size_t> w_off, b_off;  // where W_l and b_l start in theta
  size_t              n_params = 0;
  std::vector<std::vector<double>> a, delta;  // activations and errors per layer (local rows)
  std::vector<double> ones, sums;
  double              last_accuracy = 0.0;  // of the latest evaluation
  PetscInt            evaluations   = 0;    // passes over the data
  double              t0 = 0.0;
  std::vector<double> hist_loss, hist_gnorm, hist_time;
  std::vector<PetscInt> hist_evals;
} AppCtx;

// Loss (mean cross-entropy over ALL samples) and its gradient at theta.
static PetscErrorCode FormFunctionGradient(Tao tao, Vec theta, PetscReal* f, Vec G, void* ctx)
{
  AppCtx*            user = (AppCtx*)ctx;
  const Shard&       d    = user->data;
  const int          L    = (int)user->width.size() - 1;  // number of weight layers
  const int          n    = (int)d.n_local;
  const PetscScalar* p;
  PetscScalar*       g;

  PetscFunctionBeginUser;
  PetscCall(VecGetArrayRead(theta, &p));
  std::vector<double>& s = user->sums;  // the gradient, then loss and right answers
  std::fill(s.begin(), s.end(), 0.0);
  double loss = 0.0, right = 0.0;

  if (n > 0) {
    // Forward: a_l = act(a_{l-1} W_l + b_l), a_0 = X.
    for (int l = 1; l <= L; ++l) {
      const int     in = user->width[l - 1], out = user->width[l];
      const double* A  = l == 1 ? d.X.data() : user->a[l - 1].data();
      double*       Z  = user->a[l].data();
      const double* W  = p + user->w_off[l];
      const double* b  = p + user->b_off[l];
      const bool    has_b = l < L || user->output_bias;
      for (int i = 0; i < n; ++i)  // Z = 1 b^T, then Z += A W
        for (int j = 0; j < out; ++j) Z[(size_t)i * out + j] = has_b ? b[j] : 0.0;
      cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n, out, in, 1.0, A, in, W, out, 1.0, Z, out);
      if (l < L) {
        for (size_t k = 0; k < (size_t)n * out; ++k) Z[k] = std::tanh(Z[k]);
      } else {  // output layer: keep the logit z for the loss, store p - y as the first error
        for (int i = 0; i < n; ++i) {
          const double z = Z[i], y = d.y[i];
          loss += Softplus(z) - y * z;
          right += ((z > 0.0) == (y > 0.5)) ? 1.0 : 0.0;
          user->delta[L][i] = Sigmoid(z) - y;  // dloss_i/dz_i
        }
      }
    }
    // Backward: for each layer, dW_l = a_{l-1}^T delta_l, db_l = delta_l^T 1,
    // delta_{l-1} = (delta_l W_l^T) .* (1 - a_{l-1}^2)   (tanh' = 1 - tanh^2).
    for (int l = L; l >= 1; --l) {
      const int     in = user->width[l - 1], out = user->width[l];
      const double* A  = l == 1 ? d.X.data() : user->a[l - 1].data();
      const double* D  = user->delta[l].data();
      cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, in, out, n, 1.0, A, in, D, out, 0.0, s.data() + user->w_off[l], out);
      if (l < L || user->output_bias)
        cblas_dgemv(CblasRowMajor, CblasTrans, n, out, 1.0, D, out, user->ones.data(), 1, 0.0, s.data() + user->b_off[l], 1);
      if (l > 1) {
        double* Dprev = user->delta[l - 1].data();
        cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, n, in, out, 1.0, D, out, p + user->w_off[l], out, 0.0, Dprev, in);
        for (size_t k = 0; k < (size_t)n * in; ++k) Dprev[k] *= 1.0 - A[k] * A[k];
      }
    }
  }
  PetscCall(VecRestoreArrayRead(theta, &p));

  // One message for everything: gradient sums, loss sum, right answers.
  const size_t P = user->n_params;
  s[P]           = loss;
  s[P + 1]       = right;
  PetscCallMPI(MPI_Allreduce(MPI_IN_PLACE, s.data(), (int)P + 2, MPI_DOUBLE, MPI_SUM, PETSC_COMM_WORLD));

  const double N = (double)d.n_global;
  PetscCall(VecGetArray(G, &g));
  for (size_t k = 0; k < P; ++k) g[k] = s[k] / N;
  PetscCall(VecRestoreArray(G, &g));
  *f                  = s[P] / N;
  user->last_accuracy = s[P + 1] / N;
  user->evaluations++;
  PetscFunctionReturn(0);
}

// Called by TAO after each iteration (on every rank; rank 0 prints).
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
  PetscFunctionReturn(0);
}

// Initial weights, the same on every rank and at every NP: hidden layers
// N(0, 1/fan_in), biases 0, the output layer 0 (so p = 1/2 and loss = ln 2).
static PetscErrorCode InitialWeights(AppCtx* user, Vec theta)
{
  const int    L = (int)user->width.size() - 1;
  PetscScalar* p;

  PetscFunctionBeginUser;
  PetscCall(VecSet(theta, 0.0));
  PetscCall(VecGetArray(theta, &p));
  for (int l = 1; l < L; ++l) {
    const int n = user->width[l - 1] * user->width[l];
    for (int k = 0; k < n; ++k)
      p[user->w_off[l] + k] = Normal((uint64_t)user->seed, kInit, (uint64_t)l, (uint64_t)k) / std::sqrt((double)user->width[l - 1]);
  }
  PetscCall(VecRestoreArray(theta, &p));
  PetscFunctionReturn(0);
}

// Our own check of the backpropagation: at a random point theta_r and along a
// random direction v, compare g(theta_r) . v with the central difference
// (f(theta_r + h v) - f(theta_r - h v)) / 2h.  Returns the relative error.
static PetscErrorCode DirectionalCheck(AppCtx* user, Vec like, double* rel_error)
{
  Vec          th, v, gr, tp;
  PetscScalar *pt, *pv;
  PetscReal    f0, fp, fm, gv;
  const double h = 1e-5;

  PetscFunctionBeginUser;
  PetscCall(VecDuplicate(like, &th));
  PetscCall(VecDuplicate(like, &v));
  PetscCall(VecDuplicate(like, &gr));
  PetscCall(VecDuplicate(like, &tp));
  PetscCall(VecGetArray(th, &pt));
  PetscCall(VecGetArray(v, &pv));
  for (size_t k = 0; k < user->n_params; ++k) {
    pt[k] = 0.5 * Normal((uint64_t)user->seed, kProbe, 0, k);
    pv[k] = Normal((uint64_t)user->seed, kProbe, 1, k);
  }
  PetscCall(VecRestoreArray(th, &pt));
  PetscCall(VecRestoreArray(v, &pv));
  PetscCall(FormFunctionGradient(NULL, th, &f0, gr, user));
  PetscCall(VecDot(gr, v, &gv));
  PetscCall(VecWAXPY(tp, h, v, th));
  PetscCall(FormFunctionGradient(NULL, tp, &fp, gr, user));
  PetscCall(VecWAXPY(tp, -h, v, th));
  PetscCall(FormFunctionGradient(NULL, tp, &fm, gr, user));
  *rel_error = std::fabs((fp - fm) / (2 * h) - gv) / std::fmax(std::fabs(gv), 1e-300);
  PetscCall(VecDestroy(&th));
  PetscCall(VecDestroy(&v));
  PetscCall(VecDestroy(&gr));
  PetscCall(VecDestroy(&tp));
  PetscFunctionReturn(0);
}

int main(int argc, char** argv)
{
  AppCtx      user;
  PetscMPIInt rank = 0, size = 0;

  PetscCall(PetscInitialize(&argc, &argv, NULL, help));
  PetscCallMPI(MPI_Comm_rank(PETSC_COMM_WORLD, &rank));
  PetscCallMPI(MPI_Comm_size(PETSC_COMM_WORLD, &size));

  std::string error;
  const struct { const char* name; long lo, hi; } ints[] = {
    {"-samples", 1, 100000000}, {"-features", 1, 10000}, {"-hidden1", 0, 10000},
    {"-hidden2", 0, 10000},     {"-seed", 0, 2147483647}, {"-tao_max_it", 0, 10000000}};
  for (const auto& o : ints) {
    PetscCall(CheckIntOption(o.name, o.lo, o.hi, &error));
    if (!error.empty()) break;
  }
  if (!error.empty()) {  // every rank takes this branch
    PetscCall(PrintError(error));
    PetscCall(PetscFinalize());
    return 1;
  }

  user.samples  = 10000;
  user.features = 16;
  user.hidden1  = 32;
  user.hidden2  = 16;
  user.seed     = 42;
  user.csv[0]   = '\0';
  user.output_bias = PETSC_TRUE;
  PetscOptionsBegin(PETSC_COMM_WORLD, NULL, "Neural network options", "");
  PetscCall(PetscOptionsInt("-samples", "number of training samples N", "", user.samples, &user.samples, NULL));
  PetscCall(PetscOptionsInt("-features", "number of features (input width)", "", user.features, &user.features, NULL));
  PetscCall(PetscOptionsInt("-hidden1", "width of hidden layer 1 (0: none)", "", user.hidden1, &user.hidden1, NULL));
  PetscCall(PetscOptionsInt("-hidden2", "width of hidden layer 2 (0: none)", "", user.hidden2, &user.hidden2, NULL));
  PetscCall(PetscOptionsInt("-seed", "seed of the data set and of the initial weights", "", user.seed, &user.seed, NULL));
  PetscCall(PetscOptionsBool("-output_bias", "a bias in the output layer (0: none, as in logreg)", "", user.output_bias, &user.output_bias, NULL));
  PetscCall(PetscOptionsString("-csv", "file for the loss curve (rank 0)", "", user.csv, user.csv, sizeof(user.csv), NULL));
  PetscOptionsEnd();

  // The layers, and where each W_l (width[l-1] x width[l], row-major) and b_l sit in theta.
  user.width = {(int)user.features};
  if (user.hidden1 > 0) user.width.push_back((int)user.hidden1);
  if (user.hidden2 > 0) user.width.push_back((int)user.hidden2);
  user.width.push_back(1);
  const int L = (int)user.width.size() - 1;
  user.w_off.assign(L + 1, 0);
  user.b_off.assign(L + 1, 0);
  for (int l = 1; l <= L; ++l) {
    user.w_off[l] = user.n_params;
    user.n_params += (size_t)user.width[l - 1] * user.width[l];
    user.b_off[l] = user.n_params;
    if (l < L || user.output_bias) user.n_params += (size_t)user.width[l];
  }
  double widest = 0;
  for (int wdt : user.width) widest += wdt;
  if ((double)user.samples * widest > 2e8) {
    PetscCall(PrintError("-samples x the layer widths is too large (at most 2e8 values, 1.6 GB)"));
    PetscCall(PetscFinalize());
    return 1;
  }

  user.data = MakeShard(user.samples, (int)user.features, (uint64_t)user.seed, rank, size);
  const long n = user.data.n_local;
  user.a.resize(L + 1);
  user.delta.resize(L + 1);
  for (int l = 1; l <= L; ++l) {
    user.a[l].resize((size_t)n * user.width[l]);
    user.delta[l].resize((size_t)n * user.width[l]);
  }
  user.ones.assign(n, 1.0);
  user.sums.resize(user.n_params + 2);

  // theta: a sequential Vec on every rank, the whole model in each.
  Vec theta;
  PetscCall(VecCreateSeq(PETSC_COMM_SELF, (PetscInt)user.n_params, &theta));
  double fd_rel_error = 0.0;
  PetscCall(DirectionalCheck(&user, theta, &fd_rel_error));
  PetscCall(InitialWeights(&user, theta));

  Tao tao;
  PetscCall(TaoCreate(PETSC_COMM_SELF, &tao));
  PetscCall(TaoSetType(tao, TAOLMVM));
  PetscCall(TaoSetSolution(tao, theta));
  PetscCall(TaoSetObjectiveAndGradient(tao, NULL, FormFunctionGradient, &user));
  PetscCall(TaoSetMonitor(tao, Monitor, &user, NULL));
  PetscCall(TaoSetMaximumIterations(tao, 100));
  PetscCall(TaoSetTolerances(tao, 1e-6, 0.0, 0.0));  // stop when |gradient| < 1e-6
  PetscCall(TaoSetFromOptions(tao));

  std::string layers;
  for (int wdt : user.width) layers += (layers.empty() ? "" : "-") + std::to_string(wdt);
  TaoType type;
  PetscCall(TaoGetType(tao, &type));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "Network %s (%zu parameters), %ld samples on %d ranks, TAO %s\n", layers.c_str(),
                        user.n_params, (long)user.samples, size, type));

  user.evaluations = 0;
  PetscCallMPI(MPI_Barrier(PETSC_COMM_WORLD));
  user.t0 = MPI_Wtime();
  PetscCall(TaoSolve(tao));
  PetscCallMPI(MPI_Barrier(PETSC_COMM_WORLD));
  const double time_s = MPI_Wtime() - user.t0;

  PetscInt           its;
  TaoConvergedReason reason;
  PetscCall(TaoGetIterationNumber(tao, &its));
  PetscCall(TaoGetConvergedReason(tao, &reason));
  const PetscInt evaluations = user.evaluations;

  // The final state, evaluated once more (not counted), and its gradient norm.
  Vec       grad;
  PetscReal loss, gnorm;
  PetscCall(VecDuplicate(theta, &grad));
  PetscCall(FormFunctionGradient(tao, theta, &loss, grad, &user));
  PetscCall(VecNorm(grad, NORM_2, &gnorm));
  const double accuracy = user.last_accuracy;

  // Are the copies of theta on all ranks really the same?  Compare with rank 0's.
  std::vector<double> mine(user.n_params), root(user.n_params);
  const PetscScalar*  pt;
  PetscCall(VecGetArrayRead(theta, &pt));
  for (size_t k = 0; k < user.n_params; ++k) mine[k] = root[k] = pt[k];
  PetscCall(VecRestoreArrayRead(theta, &pt));
  PetscCallMPI(MPI_Bcast(root.data(), (int)user.n_params, MPI_DOUBLE, 0, PETSC_COMM_WORLD));
  double diff = 0.0;
  for (size_t k = 0; k < user.n_params; ++k) diff = std::fmax(diff, std::fabs(mine[k] - root[k]));
  PetscCallMPI(MPI_Allreduce(MPI_IN_PLACE, &diff, 1, MPI_DOUBLE, MPI_MAX, PETSC_COMM_WORLD));

  // Without hidden layers the network is logistic regression: compare with w*.
  double cosine = -2.0;
  if (L == 1) {
    const double* w  = root.data();  // W_1 comes first
    const int     F  = (int)user.features;
    const double  wn = cblas_dnrm2(F, w, 1);
    cosine = wn > 0 ? cblas_ddot(F, w, 1, user.data.w_true.data(), 1) / (wn * cblas_dnrm2(F, user.data.w_true.data(), 1)) : 0.0;
  }
  const double initial_loss = user.hist_loss.empty() ? loss : user.hist_loss.front();
  const bool   pass         = fd_rel_error < 1e-6 && loss < initial_loss && diff == 0.0;

  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "size = %d\n", size));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "samples = %ld\n", (long)user.samples));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "layers = %s\n", layers.c_str()));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "parameters = %zu\n", user.n_params));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "tao_type = %s\n", type));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "fd_rel_error = %.3e\n", fd_rel_error));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "initial_loss = %.15g\n", initial_loss));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "final_loss = %.15g\n", (double)loss));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "final_accuracy = %.6f\n", accuracy));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "gradient_norm = %.6e\n", (double)gnorm));
  if (L == 1) PetscCall(PetscPrintf(PETSC_COMM_WORLD, "cosine_similarity = %.6f\n", cosine));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "iterations = %d\n", (int)its));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "evaluations = %d\n", (int)evaluations));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "converged_reason = %s\n", TaoConvergedReasons[reason]));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "replica_max_diff = %s\n", diff == 0.0 ? "0" : std::to_string(diff).c_str()));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "check = %s\n", pass ? "PASS" : "FAIL"));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "time_s = %.6f\n", time_s));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "time_per_iteration_s = %.6f\n", its > 0 ? time_s / its : 0.0));

  if (rank == 0 && user.csv[0]) {
    FILE* f = std::fopen(user.csv, "w");
    if (f) {
      std::fprintf(f, "iteration,evaluations,loss,gradient_norm,time_s\n");
      for (size_t k = 0; k < user.hist_loss.size(); ++k)
        std::fprintf(f, "%zu,%d,%.15g,%.6e,%.6f\n", k, (int)user.hist_evals[k], user.hist_loss[k], user.hist_gnorm[k],
                     user.hist_time[k]);
      std::fclose(f);
    } else {
      PetscCall(PetscFPrintf(PETSC_COMM_SELF, PETSC_STDERR, "WARNING! cannot write %s\n", user.csv));
    }
  }

  PetscCall(VecDestroy(&grad));
  PetscCall(VecDestroy(&theta));
  PetscCall(TaoDestroy(&tao));
  PetscCall(WarnUnusedOptions());
  PetscCall(PetscFinalize());
  return 0;
}
