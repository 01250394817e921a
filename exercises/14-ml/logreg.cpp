/**
 * @file logreg.cpp
 * @brief Lesson 14, part 1: data-parallel logistic regression trained with
 * mini-batch SGD (or full-batch gradient descent), gradients added up with
 * MPI_Allreduce.
 *
 * Model: p_i = sigma(w . x_i), loss = mean binary cross-entropy, gradient
 * (1/N) sum_i (p_i - y_i) x_i (logreg_sums.hpp).  The data (ml_data.hpp) come
 * from a planted "teacher" w* and are the same for a given -seed at any
 * number of ranks.
 *
 * Each rank owns a contiguous block of samples (any NP; uneven splits are
 * fine) and a whole copy of w.  One step: every rank computes the gradient
 * sum and the loss sum over ITS rows of the current batch, one MPI_Allreduce
 * adds them up, and every rank applies the same update
 * w <- w - lr * mean gradient, so the copies of w stay identical.  Batch k of
 * an epoch is the set of samples i with i mod K = k (K = ceil(N / batch)):
 * every rank holds about batch/NP of them, and the batches do not depend on
 * NP, so neither does the answer.  -batch 0 is full-batch gradient descent.
 *
 * Run: `make run NP=4`, or `make run NP=2 ARGS="-batch 0 -epochs 100 -lr 4"`.
 * Proof it is right: the loss falls from ln 2 = 0.693147 (w = 0), the
 * cosine similarity between w and w* approaches 1 (`cosine_similarity`),
 * every rank ends with the same w (`replica_max_diff = 0`), and final_loss is
 * the same at NP = 1, 2, 3, 4 to round-off.
 */
static char help[] = "Data-parallel logistic regression: mini-batch SGD, gradients added up with\n"
                     "MPI_Allreduce (lesson 14, part 1).  Options:\n"
                     "  -samples N -features F -epochs E -lr RATE -batch B (0: full batch) -seed S\n"
                     "  -csv FILE  (rank 0 writes epoch,loss,accuracy,train_time_s)\n\n";

#include <petscsys.h>

#include <cblas.h>

#include <cmath>
#include <string>
#include <vector>

#include "logreg_sums.hpp"
#include "ml_data.hpp"
#include "ml_report.hpp"
#include "petsc_errors.hpp"

struct Options {
  PetscInt  samples = 100000, features = 16, epochs = 10, batch = 256, seed = 42;
  PetscReal lr      = 0.1;
  char      csv[PETSC_MAX_PATH_LEN] = "";
};

static PetscErrorCode ReadOptions(Options* o)
{
  PetscFunctionBeginUser;
  PetscOptionsBegin(PETSC_COMM_WORLD, NULL, "Logistic regression options", "");
  PetscCall(PetscOptionsRangeInt("-samples", "number of training samples N (1 to 1e8)", "", o->samples, &o->samples, NULL, 1, 100000000));
  PetscCall(PetscOptionsRangeInt("-features", "number of features F (1 to 1e5)", "", o->features, &o->features, NULL, 1, 100000));
  PetscCall(PetscOptionsRangeInt("-epochs", "passes over the data (1 to 1e6)", "", o->epochs, &o->epochs, NULL, 1, 1000000));
  PetscCall(PetscOptionsReal("-lr", "learning rate (step length, > 0)", "", o->lr, &o->lr, NULL));
  PetscCall(PetscOptionsRangeInt("-batch", "global mini-batch size (0: full batch)", "", o->batch, &o->batch, NULL, 0, 100000000));
  PetscCall(PetscOptionsBoundedInt("-seed", "seed of the data set (>= 0)", "", o->seed, &o->seed, NULL, 0));
  PetscCall(PetscOptionsString("-csv", "file for the loss curve (rank 0)", "", o->csv, o->csv, sizeof(o->csv), NULL));
  PetscOptionsEnd();
  PetscCheck(o->lr >= 1e-12 && o->lr <= 1e6, PETSC_COMM_WORLD, PETSC_ERR_USER_INPUT, "-lr = %g is out of range (1e-12 to 1e6)",
             (double)o->lr);
  PetscCheck((double)o->samples * o->features <= 2e8, PETSC_COMM_WORLD, PETSC_ERR_USER_INPUT,
             "-samples x -features is too large (at most 2e8 values, 1.6 GB)");
  PetscFunctionReturn(PETSC_SUCCESS);
}

// The loss curve: epoch 0 (w = 0) and one point per epoch.
struct History {
  std::vector<double> loss, accuracy, train_s;
};

// Train w in place: `epochs` passes over the data, K steps per pass.
static PetscErrorCode Train(const Options& o, const Shard& d, long K, std::vector<double>& w, History* h)
{
  const int           F = d.features;
  std::vector<double> z(d.n_local > 0 ? d.n_local : 1), sums(F + 3);
  double              train_s = 0.0, loss, acc;

  PetscFunctionBeginUser;
  for (PetscInt epoch = 1; epoch <= o.epochs; ++epoch) {
    const double te = MPI_Wtime();
    for (long k = 0; k < K; ++k) {
      // This rank's rows of batch k: global i = k, k + K, k + 2K, ... in [start, start + n_local).
      const long first = ((k - d.start % K) % K + K) % K;  // local index of the first one
      const long m     = first < d.n_local ? (d.n_local - 1 - first) / K + 1 : 0;
      BatchSums(d, first, m, K, w.data(), true, z, sums);  // sums over MY rows of the batch
      // >>> step 1: add up the batch's sums over all ranks
      // TODO 1: sums holds what THIS rank found over its rows of the batch:
      //         sums[0..F-1] the gradient, sums[F] the loss, sums[F+1] the
      //         rows classified right, sums[F+2] the number of rows.  Replace
      //         them, on every rank, by their totals over all ranks, so that
      //         every rank takes the same step below.
      //         Hint: MPI_Allreduce (with MPI_IN_PLACE, no second buffer).
      // <<< step 1
      // w <- w - lr * (gradient sum / batch size): the same update on every rank.
      cblas_daxpy(F, -o.lr / sums[F + 2], sums.data(), 1, w.data(), 1);
    }
    train_s += MPI_Wtime() - te;
    PetscCall(Evaluate(d, w.data(), z, sums, &loss, &acc, nullptr));
    PetscCall(PetscPrintf(PETSC_COMM_WORLD, "epoch %4d  loss %.6f  accuracy %.4f\n", (int)epoch, loss, acc));
    h->loss.push_back(loss);
    h->accuracy.push_back(acc);
    h->train_s.push_back(train_s);
  }
  PetscFunctionReturn(PETSC_SUCCESS);
}

int main(int argc, char** argv)
{
  PetscMPIInt rank = 0, size = 0;
  PetscCall(PetscInitialize(&argc, &argv, NULL, help));
  PetscCall(PetscPushErrorHandler(UserInputErrorHandler, NULL));
  PetscCallMPI(MPI_Comm_rank(PETSC_COMM_WORLD, &rank));
  PetscCallMPI(MPI_Comm_size(PETSC_COMM_WORLD, &size));
  Options o;
  PetscCall(ReadOptions(&o));

  // The data: my block of samples.  The model: all of w on every rank, w = 0.
  const long  N = o.samples;
  const int   F = (int)o.features;
  const Shard d = MakeShard(N, F, (uint64_t)o.seed, rank, size);
  const long  K = o.batch == 0 ? 1 : (N + o.batch - 1) / o.batch;  // steps per epoch
  std::vector<double> w(F, 0.0), z(d.n_local > 0 ? d.n_local : 1), sums(F + 3);
  History             h;
  double              loss0, acc0;
  PetscCall(Evaluate(d, w.data(), z, sums, &loss0, &acc0, nullptr));
  h.loss     = {loss0};
  h.accuracy = {acc0};
  h.train_s  = {0.0};
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "Logistic regression, %ld samples x %d features on %d ranks, %s\n", N, F, size,
                        o.batch == 0 ? "full batch" : (std::to_string(o.batch) + " per batch").c_str()));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "epoch %4d  loss %.6f  accuracy %.4f\n", 0, loss0, acc0));

  PetscCallMPI(MPI_Barrier(PETSC_COMM_WORLD));
  const double t0 = MPI_Wtime();
  PetscCall(Train(o, d, K, w, &h));
  PetscCallMPI(MPI_Barrier(PETSC_COMM_WORLD));
  const double time_s = MPI_Wtime() - t0;

  // The checks: the teacher's weights w* and their loss on the same data, and
  // the copies of w (they must be the same on every rank).
  double loss, acc, grad_norm, true_loss, true_acc, replica_diff;
  PetscCall(Evaluate(d, w.data(), z, sums, &loss, &acc, &grad_norm));
  PetscCall(Evaluate(d, d.w_true.data(), z, sums, &true_loss, &true_acc, nullptr));
  PetscCall(ReplicaDiff(w, &replica_diff));
  const double wn     = cblas_dnrm2(F, w.data(), 1);
  const double cosine = wn > 0 ? cblas_ddot(F, w.data(), 1, d.w_true.data(), 1) / (wn * cblas_dnrm2(F, d.w_true.data(), 1)) : 0.0;
  // The model must have learnt: lower loss than at w = 0, w pointing along w*, one w everywhere.
  const bool  pass = loss < loss0 && cosine > 0.9 && replica_diff == 0.0;
  std::string split;
  PetscCall(SampleSplit(d.n_local, &split));

  const struct { const char* name; std::string value; } lines[] = {
    {"size", std::to_string(size)}, {"samples", std::to_string(N)}, {"features", std::to_string(F)}, {"local_sizes", split},
    {"batch", std::to_string(o.batch)}, {"steps_per_epoch", std::to_string(K)}, {"epochs", std::to_string(o.epochs)},
    {"lr", Format("%g", o.lr)}, {"seed", std::to_string(o.seed)}, {"initial_loss", Format("%.15g", loss0)},
    {"final_loss", Format("%.15g", loss)}, {"final_accuracy", Format("%.6f", acc)}, {"gradient_norm", Format("%.6e", grad_norm)},
    {"true_loss", Format("%.15g", true_loss)}, {"true_accuracy", Format("%.6f", true_acc)},
    {"cosine_similarity", Format("%.6f", cosine)}, {"replica_max_diff", Format("%g", replica_diff)},
    {"check", pass ? "PASS" : "FAIL"}, {"time_s", Format("%.6f", time_s)}, {"time_per_epoch_s", Format("%.6f", h.train_s.back() / o.epochs)}};
  for (const auto& l : lines) PetscCall(PetscPrintf(PETSC_COMM_WORLD, "%s = %s\n", l.name, l.value.c_str()));

  if (rank == 0 && o.csv[0]) {
    std::vector<std::string> rows;
    for (std::size_t e = 0; e < h.loss.size(); ++e)
      rows.push_back(Format("%zu,%.15g,%.6f,%.6f", e, h.loss[e], h.accuracy[e], h.train_s[e]));
    WriteCsv(o.csv, "epoch,loss,accuracy,train_time_s", rows);
  }
  PetscCall(WarnUnusedOptions());
  PetscCall(PetscPopErrorHandler());
  PetscCall(PetscFinalize());
  return pass ? 0 : 1;
}
