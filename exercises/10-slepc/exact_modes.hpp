// exact_modes.hpp — the reference lesson 10 checks SLEPc against: the exact
// eigenpairs of the discrete operator, and the continuum values of the plate.
//
// The 5-point Laplacian on nx x ny interior nodes with fixed edges has the
// eigenvectors sin(mπx/L) sin(nπy/W) at the nodes, with the eigenvalues
//   λ_mn = 4/hx² sin²(mπhx/(2L)) + 4/hy² sin²(nπhy/(2W)),   1 <= m <= nx, 1 <= n <= ny,
// which converge, as O(h²), to the continuum values π²(m²/L² + n²/W²).
#pragma once

#include <petscsys.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "deck.hpp"

// One mode of the exact discrete problem: eigenvalue and wave numbers (m, n).
struct ExactMode {
  PetscReal lambda;
  PetscInt  m, n;
};

// The `count` smallest exact eigenvalues of the discrete problem, ascending.
// They are among m <= count, n <= count, since λ_mn grows with m and with n.
static std::vector<ExactMode> ExactDiscreteModes(const AppCtx* user, PetscInt count)
{
  std::vector<ExactMode> modes;
  const PetscReal        scale = user->unscaled_stiffness ? 1.0 / (user->hx * user->hy) : 1.0;
  for (PetscInt m = 1; m <= std::min(user->nx, count); ++m) {
    for (PetscInt n = 1; n <= std::min(user->ny, count); ++n) {
      const PetscReal sxm = std::sin(m * PETSC_PI * user->hx / (2.0 * user->length));
      const PetscReal syn = std::sin(n * PETSC_PI * user->hy / (2.0 * user->width));
      const PetscReal lam = 4.0 / (user->hx * user->hx) * sxm * sxm + 4.0 / (user->hy * user->hy) * syn * syn;
      modes.push_back({scale * lam, m, n});
    }
  }
  std::stable_sort(modes.begin(), modes.end(),
                   [](const ExactMode& a, const ExactMode& b) { return a.lambda < b.lambda; });
  if ((PetscInt)modes.size() > count) modes.resize(count);
  return modes;
}

// The continuum eigenvalue of the plate: π²(m²/L² + n²/W²).
static PetscReal ContinuumLambda(const AppCtx* user, PetscInt m, PetscInt n)
{
  return PETSC_PI * PETSC_PI *
         ((PetscReal)(m * m) / (user->length * user->length) + (PetscReal)(n * n) / (user->width * user->width));
}

// Scale a mode shape to max |w| = 1, with a positive value at node (0,0)
// (where every exact mode sin(mπx/L) sin(nπy/W) is positive).
static void Normalize(std::vector<PetscReal>& w)
{
  PetscReal big = 0.0;
  for (PetscReal x : w) big = std::max(big, std::fabs(x));
  if (big == 0.0) return;
  const PetscReal s = (w[0] < 0.0 ? -1.0 : 1.0) / big;
  for (PetscReal& x : w) x *= s;
}

// The exact discrete mode (m, n), sin(mπx_i/L) sin(nπy_j/W) at the nodes, in
// natural order i + nx*j, scaled like the computed ones (Normalize).
static std::vector<PetscReal> ExactShape(const AppCtx* user, PetscInt m, PetscInt n)
{
  std::vector<PetscReal> w(user->nx * user->ny);
  for (PetscInt j = 0; j < user->ny; ++j)
    for (PetscInt i = 0; i < user->nx; ++i)
      w[i + user->nx * j] = std::sin(m * PETSC_PI * (i + 1) * user->hx / user->length) *
                            std::sin(n * PETSC_PI * (j + 1) * user->hy / user->width);
  Normalize(w);
  return w;
}
