// mlp_model.hpp — lesson 14's neural network on one rank's samples: the
// layers, where their weights sit in one vector theta, the initial weights,
// and the forward and backward pass (backpropagation, BLAS) over the rank's
// own rows.  What adds the ranks' sums up is in mlp_tao.cpp.
//
// Network: a_0 = x, a_l = tanh(a_{l-1} W_l + b_l) for the hidden layers,
// z = a_{L-1} W_L + b_L, p = sigmoid(z); loss = mean binary cross-entropy,
// as in logreg.  Without hidden layers and output bias it IS logreg's model.
#pragma once

#include <petsctao.h>

#include <cblas.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "ml_data.hpp"
#include "petsc_errors.hpp"  // PETSC_SUCCESS on PETSc < 3.19

typedef struct {
  PetscInt            samples = 10000, features = 16, hidden1 = 32, hidden2 = 16, seed = 42;
  PetscBool           output_bias = PETSC_TRUE;  // b_L in the model?
  char                csv[PETSC_MAX_PATH_LEN] = "";
  Shard               data;
  std::vector<int>    width;                     // layer widths: features, hidden..., 1
  std::vector<size_t> w_off, b_off;              // where W_l and b_l start in theta
  size_t              n_params = 0;
  std::vector<std::vector<double>> a, delta;     // activations and errors per layer (local rows)
  std::vector<double> ones, sums;                // sums: gradient, loss, right answers
  double              last_accuracy = 0.0;       // of the latest evaluation
  PetscInt            evaluations   = 0;         // passes over the data
  double              t0 = 0.0;
  std::vector<double> hist_loss, hist_gnorm, hist_time;
  std::vector<PetscInt> hist_evals;
} AppCtx;

// The layers, where each W_l (width[l-1] x width[l], row-major) and b_l sit in
// theta, and the buffers of the forward and backward pass for n_local rows.
inline void Layout(AppCtx* user)
{
  user->width = {(int)user->features};
  if (user->hidden1 > 0) user->width.push_back((int)user->hidden1);
  if (user->hidden2 > 0) user->width.push_back((int)user->hidden2);
  user->width.push_back(1);
  const int L = (int)user->width.size() - 1;
  user->w_off.assign(L + 1, 0);
  user->b_off.assign(L + 1, 0);
  user->n_params = 0;
  for (int l = 1; l <= L; ++l) {
    user->w_off[l] = user->n_params;
    user->n_params += (size_t)user->width[l - 1] * user->width[l];
    user->b_off[l] = user->n_params;
    if (l < L || user->output_bias) user->n_params += (size_t)user->width[l];
  }
}

inline void AllocateBuffers(AppCtx* user)
{
  const int    L = (int)user->width.size() - 1;
  const size_t n = (size_t)user->data.n_local;
  user->a.assign(L + 1, {});
  user->delta.assign(L + 1, {});
  for (int l = 1; l <= L; ++l) {
    user->a[l].resize(n * user->width[l]);
    user->delta[l].resize(n * user->width[l]);
  }
  user->ones.assign(n, 1.0);
  user->sums.resize(user->n_params + 2);
}

// "16-32-16-1"
inline std::string LayersName(const AppCtx& user)
{
  std::string s;
  for (int w : user.width) s += (s.empty() ? "" : "-") + std::to_string(w);
  return s;
}

// This rank's share of the loss and its gradient at theta: a forward and a
// backward pass over the rank's own samples.  On return user->sums holds
// sums[0..P-1] = the gradient summed over these samples, sums[P] = the
// summed loss, sums[P+1] = the samples classified right (P = n_params).
inline PetscErrorCode LocalSums(AppCtx* user, Vec theta)
{
  const Shard&       d = user->data;
  const int          L = (int)user->width.size() - 1;  // number of weight layers
  const int          n = (int)d.n_local;
  const PetscScalar* p;
  std::vector<double>& s = user->sums;

  PetscFunctionBeginUser;
  std::fill(s.begin(), s.end(), 0.0);
  if (n == 0) PetscFunctionReturn(PETSC_SUCCESS);  // no samples here: zero sums
  PetscCall(VecGetArrayRead(theta, &p));
  double loss = 0.0, right = 0.0;
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
  PetscCall(VecRestoreArrayRead(theta, &p));
  s[user->n_params]     = loss;
  s[user->n_params + 1] = right;
  PetscFunctionReturn(PETSC_SUCCESS);
}

// Initial weights, the same on every rank and at every NP: hidden layers
// N(0, 1/fan_in), biases 0, the output layer 0 (so p = 1/2 and loss = ln 2).
inline PetscErrorCode InitialWeights(const AppCtx* user, Vec theta)
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
  PetscFunctionReturn(PETSC_SUCCESS);
}

// A check of the gradient that Tao is given (`fg`, the objective callback):
// at a random point theta_r and along a random direction v, compare
// g(theta_r) . v with the central difference (f(theta_r + h v) - f(theta_r - h v)) / 2h.
typedef PetscErrorCode (*ObjectiveAndGradient)(Tao, Vec, PetscReal*, Vec, void*);
inline PetscErrorCode DirectionalCheck(AppCtx* user, ObjectiveAndGradient fg, Vec like, double* rel_error)
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
  PetscCall(fg(NULL, th, &f0, gr, user));
  PetscCall(VecDot(gr, v, &gv));
  PetscCall(VecWAXPY(tp, h, v, th));
  PetscCall(fg(NULL, tp, &fp, gr, user));
  PetscCall(VecWAXPY(tp, -h, v, th));
  PetscCall(fg(NULL, tp, &fm, gr, user));
  *rel_error = std::fabs((fp - fm) / (2 * h) - gv) / std::fmax(std::fabs(gv), 1e-300);
  if (gv == 0.0) *rel_error = 1.0;  // a zero gradient is no gradient: the check fails
  PetscCall(VecDestroy(&th));
  PetscCall(VecDestroy(&v));
  PetscCall(VecDestroy(&gr));
  PetscCall(VecDestroy(&tp));
  PetscFunctionReturn(PETSC_SUCCESS);
}

// The Tao methods that fit this model: it gives an objective and a gradient,
// no Hessian (nls, ntr, tron, ... need one) and no constraints or residual
// vector (ipm, pounders, brgn, ...).  Any other -tao_type gets one line.
inline PetscErrorCode CheckTaoType(Tao tao)
{
  static const char* fits[] = {"lmvm", "blmvm", "cg", "bncg", "bqnls", "bqnkls", "bqnktr", "bqnktl", "nm"};
  TaoType type;

  PetscFunctionBeginUser;
  PetscCall(TaoGetType(tao, &type));
  for (const char* f : fits)
    if (std::string(type) == f) PetscFunctionReturn(PETSC_SUCCESS);
  SETERRQ(PETSC_COMM_SELF, PETSC_ERR_USER_INPUT, "-tao_type %s needs what this network does not give (a Hessian, constraints, "
          "a residual): use lmvm, blmvm, cg, bncg, bqnls, bqnkls, bqnktr, bqnktl or nm", type);
}
