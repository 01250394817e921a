// stencil.hpp — the 5-point update of lesson 08 on rows of a row-major array,
// the one place where heat_mpi's arithmetic lives (heat_petsc's -kernel rows8
// uses it too).  You need not read it to do the exercise.
//
//   u' = u + cx (u_W - 2u + u_E) + cy (u_S - 2u + u_N)
//
// sweep() updates `nrows` consecutive rows, either one row per pass (plain) or
// eight rows per pass (rows8).  One row per pass brings three input rows
// through the caches for each row written; with eight output rows per pass,
// ten input rows serve eight output rows, and the loads from the caches, not
// memory, stop setting the pace (measured: lesson 08's "Going deeper").  Every
// node gets the same operations in the same order either way, so the bits do
// not depend on the rows per pass.
#pragma once

// K consecutive output rows in one pass over the columns [ib, ie): `u` points
// at the first input row (row j-1), `w` at the first output row (row j); rows
// are `su` (input) and `sw` (output) elements apart.  Node i of output row k
// needs input rows k, k+1, k+2 (south, centre, north).  K is a compile-time
// constant: the compiler unrolls the k loop, and `omp simd` (compiled with
// -fopenmp-simd; no threads involved) tells it to vectorise over i: GCC does
// not see by itself that rows a stride apart can be loaded as vectors (u and w
// never overlap: __restrict).
template <int K, typename T>
static void stencil_rows(const T* __restrict u, long su, T* __restrict w, long sw, long ib, long ie, double cx,
                         double cy)
{
#pragma omp simd
  for (long i = ib; i < ie; ++i)
    for (int k = 0; k < K; ++k) {
      const T* S = u + k * su;
      const T* C = S + su;
      const T* N = C + su;
      w[k * sw + i] = C[i] + cx * (C[i - 1] - 2.0 * C[i] + C[i + 1]) + cy * (S[i] - 2.0 * C[i] + N[i]);
    }
}

// Rows j ... j+nrows-1, columns [ib, ie): `u` points at input row j-1, `w` at
// output row j.  rows8: eight rows per pass, the rows left over one at a time.
template <typename T>
static void stencil_sweep(const T* u, long su, T* w, long sw, long ib, long ie, long nrows, double cx, double cy,
                          bool rows8)
{
  long k = 0;
  if (rows8)
    for (; k + 8 <= nrows; k += 8) stencil_rows<8>(u + k * su, su, w + k * sw, sw, ib, ie, cx, cy);
  for (; k < nrows; ++k) stencil_rows<1>(u + k * su, su, w + k * sw, sw, ib, ie, cx, cy);
}
