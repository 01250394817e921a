// slab_plans.hpp — the FFTW side of fft2d_transpose: one rank's slabs of a
// distributed 2D FFT (its rows, its columns as rows of the transpose, work
// space for the exchange) and the FFTW plans of their 1D FFTs, timed.  The
// lesson's part, the transpose and the order of the steps, is in
// fft2d_transpose.cpp.
#pragma once

#include <fftw3.h>
#include <mpi.h>

#include <algorithm>
#include <vector>

#include "fft_util.hpp"

// Time spent in the two kinds of work of a distributed FFT, summed over one transform.
struct Clock {
  double fft = 0.0, transpose = 0.0;
};

// `howmany` FFTs of length n, one after another in `a`, in place.  A rank
// that owns no rows (fewer rows than ranks) gets no plan.
inline fftw_plan plan_rows(std::vector<cplx>& a, int n, int howmany, int sign, unsigned flag)
{
  if (howmany == 0) return nullptr;
  return fftw_plan_many_dft(1, &n, howmany, as_fftw(a.data()), nullptr, 1, n,
                            as_fftw(a.data()), nullptr, 1, n, sign, flag);
}

// The columns of a rows x cols row-major array `a`, all of them, in place:
// `cols` FFTs of length `rows`, element stride `cols`, one column to the next
// 1 apart.  Used when one rank owns every column (NP = 1), so no transpose is
// needed: FFTW walks down the columns itself.
inline fftw_plan plan_columns(std::vector<cplx>& a, int rows, int cols, int sign, unsigned flag)
{
  if (rows == 0 || cols == 0) return nullptr;
  return fftw_plan_many_dft(1, &rows, cols, as_fftw(a.data()), nullptr, cols, 1,
                            as_fftw(a.data()), nullptr, cols, 1, sign, flag);
}

// Execute a plan (if this rank has one) and add its time to the clock.
inline void run_plan(fftw_plan p, Clock& clock)
{
  const double t = MPI_Wtime();
  if (p) fftw_execute(p);
  clock.fft += MPI_Wtime() - t;
}

// One rank's share of the transform: its row slab `a` of x (and of X in the
// natural layout), its column slab `t` (rows of the transpose), work space,
// and the four plans.  Plans are made before the data: FFTW_MEASURE
// overwrites the arrays while it times.
struct Slabs {
  Split rows, cols;
  bool local_columns, back_to_rows;  // NP = 1, natural: no transpose at all
  std::vector<cplx> a, t, send, recv;
  fftw_plan f_rows, f_cols, b_cols, b_rows;

  Slabs(long n0, long n1, bool transposed_out, unsigned flag, int rank, int size)
      : rows(n0, size), cols(n1, size), local_columns(size == 1 && !transposed_out),
        back_to_rows(!transposed_out && !local_columns), a(rows.count[rank] * n1),
        t(cols.count[rank] * n0), send(std::max(a.size(), t.size())), recv(send.size())
  {
    const int r0 = static_cast<int>(n0), r1 = static_cast<int>(n1);
    const int my_rows = rows.count[rank], my_cols = cols.count[rank];
    // The column FFTs are row FFTs of t, except when the columns are local.
    auto plan_cols = [&](int sign) {
      return local_columns ? plan_columns(a, r0, r1, sign, flag)
                           : plan_rows(t, r0, my_cols, sign, flag);
    };
    f_rows = plan_rows(a, r1, my_rows, FFTW_FORWARD, flag);
    f_cols = plan_cols(FFTW_FORWARD);
    b_cols = plan_cols(FFTW_BACKWARD);
    b_rows = plan_rows(a, r1, my_rows, FFTW_BACKWARD, flag);
  }
  Slabs(const Slabs&) = delete;  // owns its plans
  Slabs& operator=(const Slabs&) = delete;
  ~Slabs()
  {
    for (fftw_plan p : {f_rows, f_cols, b_cols, b_rows})
      if (p) fftw_destroy_plan(p);
  }
};
