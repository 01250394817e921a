/**
 * @file logreg.cpp
 * @brief Lesson 14, part 1: data-parallel logistic regression trained with
 * mini-batch SGD (or full-batch gradient descent), gradients averaged with
 * MPI_Allreduce.
 *
 * Model: p_i = sigma(w . x_i); loss L(w) = (1/N) sum_i [log(1 + e^{z_i}) - y_i z_i]
 * with z_i = w . x_i (the binary cross-entropy), gradient
 * (1/N) sum_i (p_i - y_i) x_i.  The data (ml_data.hpp) come from a planted
 * "teacher" w* and are the same for a given -seed at any number of ranks.
 *
 * Each rank owns a contiguous block of samples (any NP; uneven splits are
 * fine).  One step: every rank computes the gradient sum and the loss sum
 * over ITS rows of the current batch (two BLAS dgemv calls), one
 * MPI_Allreduce adds them up, and every rank applies the same update
 * w <- w - lr * mean gradient, so the copies of w stay identical.  Batch k of
 * an epoch is the set of samples i with i mod K = k (K = ceil(N / batch)):
 * every rank holds about batch/NP of them, and the batches do not depend on
 * NP, so neither does the answer.  -batch 0 is full-batch gradient descent.
 *
 * Exercise: the TODOs in BatchSums (the gradient, one BLAS call) and in the
 * training loop (add the batch sums up over all ranks, one MPI call).  As
 * given, the program runs but learns nothing, and check says FAIL.
 *
 * Run: `make run NP=4`, or `make run NP=2 ARGS="-batch 0 -epochs 100 -lr 4"`.
 * Proof it is right: the loss falls from ln 2 = 0.693147 (w = 0), the
 * cosine similarity between w and w* approaches 1 (`cosine_similarity`),
 * the fitted loss is below the teacher's own loss on the same data
 * (`true_loss`), and final_loss is the same at NP = 1, 2, 3, 4 to round-off.
 */
static char help[] = "Data-parallel logistic regression: mini-batch SGD, gradients averaged with\n"
                     "MPI_Allreduce (lesson 14, part 1).  Options:\n"
                     "  -samples N -features F -epochs E -lr RATE -batch B (0: full batch) -seed S\n"
                     "  -csv FILE  (rank 0 writes epoch,loss,accuracy,train_time_s)\n\n";

#include <petscsys.h>

#include <cblas.h>

#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "ml_data.hpp"
#include "petsc_cli.hpp"

typedef struct {
  PetscInt  samples, features, epochs, batch, seed;
  PetscReal lr;
  char      csv[PETSC_MAX_PATH_LEN];
} AppCtx;

// Sums over m local rows, starting at local row `first`, every `stride`-th
// row (a strided set of rows of a row-major matrix is itself a matrix with
// leading dimension stride * F, so BLAS takes it as it is).  On return
// sums[0..F-1] = sum_k (p_k - y_k) x_k (if want_gradient), sums[F] = sum of
// the losses, sums[F+1] = number classified right, sums[F+2] = m.
static void BatchSums(const Shard& d, long first, long m, long stride, const double* w,
                      bool want_gradient, std::vector<double>& z, std::vector<double>& sums)
{
  const int F = d.features;
  std::fill(sums.begin(), sums.end(), 0.0);
  if (m == 0) return;  // this rank holds no row of the batch
  const double* Xb  = d.X.data() + first * F;
  const int     lda = static_cast<int>(stride * F);

  // z = X_b w
  cblas_dgemv(CblasRowMajor, CblasNoTrans, (int)m, F, 1.0, Xb, lda, w, 1, 0.0, z.data(), 1);
  double loss = 0.0, right = 0.0;
  for (long k = 0; k < m; ++k) {
    const double y = d.y[first + k * stride];
    loss += Softplus(z[k]) - y * z[k];
    right += ((z[k] > 0.0) == (y > 0.5)) ? 1.0 : 0.0;
    z[k] = Sigmoid(z[k]) - y;  // the residual p - y, in place
  }
  // TODO: if want_gradient, the gradient sum X_b^T (p - y) into sums[0..F-1]:
  //       one cblas_dgemv with CblasTrans, the same matrix as above, z as the vector.
  (void)want_gradient;
  sums[F]     = loss;
  sums[F + 1] = right;
  sums[F + 2] = (double)m;
}

// Loss, accuracy and (optionally) the mean gradient over the whole data set.
static PetscErrorCode Evaluate(const Shard& d, const double* w, std::vector<double>& z, std::vector<double>& sums,
                               double* loss, double* accuracy, double* grad_norm)
{
  const int F = d.features;
  PetscFunctionBeginUser;
  BatchSums(d, 0, d.n_local, 1, w, grad_norm != nullptr, z, sums);
  PetscCallMPI(MPI_Allreduce(MPI_IN_PLACE, sums.data(), F + 3, MPI_DOUBLE, MPI_SUM, PETSC_COMM_WORLD));
  *loss     = sums[F] / sums[F + 2];
  *accuracy = sums[F + 1] / sums[F + 2];
  if (grad_norm) *grad_norm = cblas_dnrm2(F, sums.data(), 1) / sums[F + 2];
  PetscFunctionReturn(0);
}

int main(int argc, char** argv)
{
  AppCtx      user;
  PetscMPIInt rank = 0, size = 0;

  PetscCall(PetscInitialize(&argc, &argv, NULL, help));
  PetscCallMPI(MPI_Comm_rank(PETSC_COMM_WORLD, &rank));
  PetscCallMPI(MPI_Comm_size(PETSC_COMM_WORLD, &size));

  // Our own checks first: one clean line for `-samples 0`, `-lr abc`, ...
  std::string error;
  const struct { const char* name; long lo, hi; } ints[] = {
    {"-samples", 1, 100000000}, {"-features", 1, 100000}, {"-epochs", 1, 1000000},
    {"-batch", 0, 100000000},   {"-seed", 0, 2147483647}};
  for (const auto& o : ints) {
    PetscCall(CheckIntOption(o.name, o.lo, o.hi, &error));
    if (!error.empty()) break;
  }
  if (error.empty()) PetscCall(CheckRealOption("-lr", 1e-12, 1e6, &error));
  if (!error.empty()) {  // every rank takes this branch
    PetscCall(PrintError(error));
    PetscCall(PetscFinalize());
    return 1;
  }

  user.samples  = 100000;
  user.features = 16;
  user.epochs   = 10;
  user.batch    = 256;
  user.seed     = 42;
  user.lr       = 0.1;
  user.csv[0]   = '\0';
  PetscOptionsBegin(PETSC_COMM_WORLD, NULL, "Logistic regression options", "");
  PetscCall(PetscOptionsInt("-samples", "number of training samples N", "", user.samples, &user.samples, NULL));
  PetscCall(PetscOptionsInt("-features", "number of features F", "", user.features, &user.features, NULL));
  PetscCall(PetscOptionsInt("-epochs", "passes over the data", "", user.epochs, &user.epochs, NULL));
  PetscCall(PetscOptionsReal("-lr", "learning rate (step length)", "", user.lr, &user.lr, NULL));
  PetscCall(PetscOptionsInt("-batch", "global mini-batch size (0: full batch)", "", user.batch, &user.batch, NULL));
  PetscCall(PetscOptionsInt("-seed", "seed of the data set", "", user.seed, &user.seed, NULL));
  PetscCall(PetscOptionsString("-csv", "file for the loss curve (rank 0)", "", user.csv, user.csv, sizeof(user.csv), NULL));
  PetscOptionsEnd();
  if ((double)user.samples * user.features > 2e8) {
    error = "-samples x -features is too large (at most 2e8 values, 1.6 GB)";
    PetscCall(PrintError(error));
    PetscCall(PetscFinalize());
    return 1;
  }

  const long   N = user.samples;
  const int    F = (int)user.features;
  const Shard  d = MakeShard(N, F, (uint64_t)user.seed, rank, size);
  const long   K = user.batch == 0 ? 1 : (N + user.batch - 1) / user.batch;  // steps per epoch
  const double lr = user.lr;

  std::vector<double> w(F, 0.0);  // every rank holds the whole model
  std::vector<double> z(d.n_local > 0 ? d.n_local : 1), sums(F + 3);

  // Rank 0 learns the split, to print it.
  std::vector<long> counts(rank == 0 ? size : 0);
  PetscCallMPI(MPI_Gather(&d.n_local, 1, MPI_LONG, counts.data(), 1, MPI_LONG, 0, PETSC_COMM_WORLD));

  double loss0 = 0.0, acc0 = 0.0;
  PetscCall(Evaluate(d, w.data(), z, sums, &loss0, &acc0, nullptr));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "Logistic regression, %ld samples x %d features on %d ranks, %s\n", N, F, size,
                        user.batch == 0 ? "full batch" : (std::to_string(user.batch) + " per batch").c_str()));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "epoch %4d  loss %.6f  accuracy %.4f\n", 0, loss0, acc0));

  std::vector<double> hist_loss{loss0}, hist_acc{acc0}, hist_time{0.0};
  double              train_s = 0.0, loss = loss0, acc = acc0;

  PetscCallMPI(MPI_Barrier(PETSC_COMM_WORLD));
  const double t0 = MPI_Wtime();
  for (PetscInt epoch = 1; epoch <= user.epochs; ++epoch) {
    const double te = MPI_Wtime();
    for (long k = 0; k < K; ++k) {
      // This rank's rows of batch k: global i = k, k + K, k + 2K, ... in [start, start + n_local).
      const long first = ((k - d.start % K) % K + K) % K;  // local index of the first one
      const long m     = first < d.n_local ? (d.n_local - 1 - first) / K + 1 : 0;
      BatchSums(d, first, m, K, w.data(), true, z, sums);
      // TODO: add up the gradient, loss and row count of the batch (the F + 3
      //       doubles of sums) over all ranks, in place, with one MPI_Allreduce.
      if (sums[F + 2] == 0.0) continue;  // (no row of the batch here: remove once the sums are global)
      // w <- w - lr * (gradient sum / batch size): the same update on every rank.
      cblas_daxpy(F, -lr / sums[F + 2], sums.data(), 1, w.data(), 1);
    }
    train_s += MPI_Wtime() - te;
    PetscCall(Evaluate(d, w.data(), z, sums, &loss, &acc, nullptr));
    PetscCall(PetscPrintf(PETSC_COMM_WORLD, "epoch %4d  loss %.6f  accuracy %.4f\n", (int)epoch, loss, acc));
    hist_loss.push_back(loss);
    hist_acc.push_back(acc);
    hist_time.push_back(train_s);
  }
  PetscCallMPI(MPI_Barrier(PETSC_COMM_WORLD));
  const double time_s = MPI_Wtime() - t0;

  // The references: the teacher's weights w* and their loss on the same data.
  double grad_norm = 0.0, true_loss = 0.0, true_acc = 0.0;
  PetscCall(Evaluate(d, w.data(), z, sums, &loss, &acc, &grad_norm));
  PetscCall(Evaluate(d, d.w_true.data(), z, sums, &true_loss, &true_acc, nullptr));
  const double wn     = cblas_dnrm2(F, w.data(), 1);
  const double cosine = wn > 0 ? cblas_ddot(F, w.data(), 1, d.w_true.data(), 1) / (wn * cblas_dnrm2(F, d.w_true.data(), 1)) : 0.0;
  // The model must have learnt: lower loss than at w = 0, and w pointing along w*.
  const bool pass = loss < loss0 && cosine > 0.9;

  std::string split;
  for (long c : counts) split += (split.empty() ? "" : " ") + std::to_string(c);

  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "size = %d\n", size));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "samples = %ld\n", N));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "features = %d\n", F));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "local_sizes = %s\n", split.c_str()));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "batch = %d\n", (int)user.batch));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "steps_per_epoch = %ld\n", K));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "epochs = %d\n", (int)user.epochs));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "lr = %g\n", lr));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "seed = %d\n", (int)user.seed));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "initial_loss = %.15g\n", loss0));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "final_loss = %.15g\n", loss));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "final_accuracy = %.6f\n", acc));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "gradient_norm = %.6e\n", grad_norm));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "true_loss = %.15g\n", true_loss));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "true_accuracy = %.6f\n", true_acc));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "cosine_similarity = %.6f\n", cosine));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "check = %s\n", pass ? "PASS" : "FAIL"));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "time_s = %.6f\n", time_s));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "time_per_epoch_s = %.6f\n", train_s / user.epochs));

  if (rank == 0 && user.csv[0]) {
    FILE* f = std::fopen(user.csv, "w");
    if (f) {
      std::fprintf(f, "epoch,loss,accuracy,train_time_s\n");
      for (size_t e = 0; e < hist_loss.size(); ++e)
        std::fprintf(f, "%zu,%.15g,%.6f,%.6f\n", e, hist_loss[e], hist_acc[e], hist_time[e]);
      std::fclose(f);
    } else {
      PetscCall(PetscFPrintf(PETSC_COMM_SELF, PETSC_STDERR, "WARNING! cannot write %s\n", user.csv));
    }
  }

  PetscCall(WarnUnusedOptions());
  PetscCall(PetscFinalize());
  return 0;
}
