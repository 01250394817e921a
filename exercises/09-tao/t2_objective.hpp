// t2_objective.hpp — what Tao calls in lesson 09: the objective, its gradient and Hessian.
//
// One least-squares problem: fit a sum of exponentials
//   m(t; p) = sum_k A_k exp(-t / T2_k),   p = (A_1, T2_1, A_2, T2_2, ...)
// to the signal S_i at the echo times t_i by minimising
//   f(p) = 1/2 sum_i r_i^2,   r_i = m(t_i; p) - S_i,
//   df/dA_k  = sum_i r_i e_ik,                 e_ik = exp(-t_i / T2_k)
//   df/dT2_k = sum_i r_i A_k e_ik t_i / T2_k^2.
// The context points at the voxel being fitted, so one Tao can fit voxel
// after voxel: the caller only moves `signal` and solves again.
#pragma once

#include <petsctao.h>

#include <cmath>
#include <vector>

#include "petsc_errors.hpp"  // PETSC_SUCCESS on PETSc < 3.19

struct AppCtx {
  const std::vector<double>* times  = nullptr;  // echo times t_i [ms]
  const double*              signal = nullptr;  // S_i of the voxel being fitted
  PetscInt                   nparam = 2;        // 2 (A, T2) or 4 (A1, T21, A2, T22)
  long                       nfev   = 0;        // objective evaluations, for the statistics
};

// Objective and gradient in one pass: the exponentials are computed once and
// serve both (Tao's line searches ask for both at every trial point).
inline PetscErrorCode FormFunctionGradient(Tao, Vec P, PetscReal* f, Vec G, void* ptr)
{
  AppCtx*            user = static_cast<AppCtx*>(ptr);
  const PetscScalar* p;
  PetscScalar*       g;

  PetscFunctionBeginUser;
  PetscCall(VecGetArrayRead(P, &p));
  PetscCall(VecGetArray(G, &g));
  const std::vector<double>& t = *user->times;
  for (PetscInt k = 0; k < user->nparam; ++k) g[k] = 0.0;
  double sum = 0.0;
  for (std::size_t i = 0; i < t.size(); ++i) {
    double e[2], r = -user->signal[i];
    for (PetscInt k = 0; k < user->nparam; k += 2) {
      e[k / 2] = std::exp(-t[i] / p[k + 1]);
      r += p[k] * e[k / 2];
    }
    sum += r * r;
    for (PetscInt k = 0; k < user->nparam; k += 2) {
      g[k] += r * e[k / 2];
      g[k + 1] += r * p[k] * e[k / 2] * t[i] / (p[k + 1] * p[k + 1]);
    }
  }
  *f = 0.5 * sum;
  ++user->nfev;
  PetscCall(VecRestoreArray(G, &g));
  PetscCall(VecRestoreArrayRead(P, &p));
  PetscFunctionReturn(PETSC_SUCCESS);
}

// The exact Hessian, for the Newton-type methods (-tao_type nls, tron, ...):
//   H = J^T J + sum_i r_i Hess(m_i),
// where the second derivatives of m_i couple only A_k and T2_k of the same
// compartment:  d2m/dA dT2 = e t/T2^2,  d2m/dT2^2 = A e (t^2/T2^4 - 2 t/T2^3).
inline PetscErrorCode FormHessian(Tao, Vec P, Mat H, Mat, void* ptr)
{
  AppCtx*                  user = static_cast<AppCtx*>(ptr);
  const PetscScalar*       p;
  const PetscInt           n = user->nparam;
  std::vector<PetscScalar> h(n * n, 0.0);
  std::vector<PetscInt>    idx(n);

  PetscFunctionBeginUser;
  PetscCall(VecGetArrayRead(P, &p));
  const std::vector<double>& t = *user->times;
  std::vector<double>        J(n);
  for (std::size_t i = 0; i < t.size(); ++i) {
    double r = -user->signal[i];
    for (PetscInt k = 0; k < n; k += 2) {
      const double e = std::exp(-t[i] / p[k + 1]), T = p[k + 1];
      r += p[k] * e;
      J[k]     = e;
      J[k + 1] = p[k] * e * t[i] / (T * T);
    }
    for (PetscInt a = 0; a < n; ++a)
      for (PetscInt b = 0; b < n; ++b) h[a * n + b] += J[a] * J[b];
    for (PetscInt k = 0; k < n; k += 2) {
      const double e = std::exp(-t[i] / p[k + 1]), T = p[k + 1];
      const double cross = e * t[i] / (T * T);
      const double tt    = p[k] * e * (t[i] * t[i] / (T * T * T * T) - 2.0 * t[i] / (T * T * T));
      h[k * n + k + 1] += r * cross;
      h[(k + 1) * n + k] += r * cross;
      h[(k + 1) * n + k + 1] += r * tt;
    }
  }
  PetscCall(VecRestoreArrayRead(P, &p));
  for (PetscInt a = 0; a < n; ++a) idx[a] = a;
  PetscCall(MatSetValues(H, n, idx.data(), n, idx.data(), h.data(), INSERT_VALUES));
  PetscCall(MatAssemblyBegin(H, MAT_FINAL_ASSEMBLY));
  PetscCall(MatAssemblyEnd(H, MAT_FINAL_ASSEMBLY));
  PetscFunctionReturn(PETSC_SUCCESS);
}

