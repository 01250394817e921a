// logreg_sums.hpp — lesson 14's logistic regression on one rank's samples:
// the sums a step needs (BLAS), and the loss over the whole data set.
//
// Model: p_i = sigma(w . x_i); loss L(w) = (1/N) sum_i [log(1 + e^{z_i}) - y_i z_i]
// with z_i = w . x_i (the binary cross-entropy), gradient (1/N) sum_i (p_i - y_i) x_i.
#pragma once

#include <petscsys.h>

#include <cblas.h>

#include <algorithm>
#include <vector>

#include "ml_data.hpp"
#include "petsc_errors.hpp"  // PETSC_SUCCESS on PETSc < 3.19

// Sums over m local rows, starting at local row `first`, every `stride`-th
// row (a strided set of rows of a row-major matrix is itself a matrix with
// leading dimension stride * F, so BLAS takes it as it is).  On return
// sums[0..F-1] = sum_k (p_k - y_k) x_k (if want_gradient), sums[F] = sum of
// the losses, sums[F+1] = number classified right, sums[F+2] = m.
inline void BatchSums(const Shard& d, long first, long m, long stride, const double* w, bool want_gradient,
                      std::vector<double>& z, std::vector<double>& sums)
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
  // gradient sum = X_b^T (p - y)
  if (want_gradient) cblas_dgemv(CblasRowMajor, CblasTrans, (int)m, F, 1.0, Xb, lda, z.data(), 1, 0.0, sums.data(), 1);
  sums[F]     = loss;
  sums[F + 1] = right;
  sums[F + 2] = (double)m;
}

// Loss, accuracy and (optionally) the norm of the mean gradient over the
// whole data set: every rank's sums, added up (collective).
inline PetscErrorCode Evaluate(const Shard& d, const double* w, std::vector<double>& z, std::vector<double>& sums,
                               double* loss, double* accuracy, double* grad_norm)
{
  const int F = d.features;
  PetscFunctionBeginUser;
  BatchSums(d, 0, d.n_local, 1, w, grad_norm != nullptr, z, sums);
  PetscCallMPI(MPI_Allreduce(MPI_IN_PLACE, sums.data(), F + 3, MPI_DOUBLE, MPI_SUM, PETSC_COMM_WORLD));
  *loss     = sums[F] / sums[F + 2];
  *accuracy = sums[F + 1] / sums[F + 2];
  if (grad_norm) *grad_norm = cblas_dnrm2(F, sums.data(), 1) / sums[F + 2];
  PetscFunctionReturn(PETSC_SUCCESS);
}
