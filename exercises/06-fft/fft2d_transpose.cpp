/**
 * @file fft2d_transpose.cpp
 * @brief Lesson 06: a distributed 2D FFT written by hand: slab decomposition,
 * 1D FFTs along the rows, a global transpose with MPI_Alltoallv, 1D FFTs
 * along the other axis.  Forward and backward.
 *
 * The 2D DFT of an N0 x N1 array is two sets of 1D DFTs,
 *
 *     X[k0][k1] = sum_n0 exp(-2 pi i k0 n0 / N0) sum_n1 exp(-2 pi i k1 n1 / N1) x[n0][n1],
 *
 * the inner sum along every row, the outer one along every column.  Each rank
 * owns a slab of whole rows, so the row FFTs are local.  After the global
 * transpose each rank owns a slab of whole columns, stored as rows of the
 * transposed N1 x N0 array, and the column FFTs are local row FFTs again.
 * By default the spectrum is transposed back (rank p holds rows of X, like its
 * input); --transposed-out leaves it transposed and saves one transpose, as
 * FFTW_MPI_TRANSPOSED_OUT does.  On one rank in the natural layout the column
 * FFTs run down the columns (a strided plan) and nothing is transposed.
 * Backward: the same steps with exp(+...), divided by N0 N1.
 *
 * Checks (fft2d_check.hpp): the forward result against FFTW's serial 2D
 * transform (`rel_error` <= 1e-12) and backward(forward(x)) against x
 * (`roundtrip_error` <= 1e-13); a failed check ends every rank with status 1.
 * Run: `make run PROG=fft2d_transpose NP=4 ARGS="--rows 17 --cols 23"`.
 */
#include <mpi.h>

#include <algorithm>
#include <string>
#include <vector>

#include "cli.hpp"
#include "fft2d_check.hpp"
#include "fft_util.hpp"
#include "slab_plans.hpp"

// Global transpose.  `in` holds this rank's rows of an A x B array (rows split
// by `a`, row-major); `out` receives this rank's rows of the B x A transpose
// (rows split by `b`).  `send` and `recv` are work space of this rank's size.
static void transpose(const std::vector<cplx>& in, std::vector<cplx>& out, const Split& a,
                      const Split& b, std::vector<cplx>& send, std::vector<cplx>& recv,
                      Clock& clock)
{
  int rank = 0, size = 0;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  const long A = a.start[size - 1] + a.count[size - 1], B = b.start[size - 1] + b.count[size - 1];
  const long my_a = a.count[rank], my_b = b.count[rank];
  const double t = MPI_Wtime();
  // Pack: the block for rank q, (my rows) x (q's columns), made contiguous,
  // its rows one after another; the blocks in rank order.  The block a rank
  // keeps for itself does not go through MPI.
  long offset = 0;
  for (int q = 0; q < size; ++q) {
    if (q == rank) continue;
    for (long i = 0; i < my_a; ++i, offset += b.count[q]) {
      const cplx* src = in.data() + i * B + b.start[q];
      std::copy(src, src + b.count[q], send.data() + offset);
    }
  }
  std::vector<int> scount(size, 0), sdispl(size, 0), rcount(size, 0), rdispl(size, 0);
  // >>> step 3: the exchange of the transpose
  // TODO 3: the counts of the exchange, for every rank q: scount[q] = how
  //         many numbers I send to q (my rows x q's columns), rcount[q] = how
  //         many q sends me (q's rows x my columns), both 0 for q == rank;
  //         sdispl[q], rdispl[q] = where q's block starts in `send` and
  //         `recv` (the counts before it, added up).  Then every rank sends
  //         every other rank its block, all in one call.
  //         Hint: MPI_Alltoallv, with the datatype mpi_cplx().
  // <<< step 3
  // Unpack: the block from rank q is (q's rows) x (my columns), element (i, j)
  // at src[i * ld + j]; it goes to out[j][a.start[q] + i].  My own block is
  // read straight from `in` (ld = B).  In tiles of 32 x 32, so that the
  // strided writes (and reads) stay in cache.
  const long tile = 32;
  for (int q = 0; q < size; ++q) {
    const bool self = q == rank;
    const cplx* src = self ? in.data() + b.start[rank] : recv.data() + rdispl[q];
    const long ld = self ? B : my_b, rows_q = a.count[q];
    for (long i0 = 0; i0 < rows_q; i0 += tile)
      for (long j0 = 0; j0 < my_b; j0 += tile) {
        const long i1 = std::min(i0 + tile, rows_q), j1 = std::min(j0 + tile, my_b);
        for (long j = j0; j < j1; ++j) {
          cplx* dst = out.data() + j * A + a.start[q];
          for (long i = i0; i < i1; ++i) dst[i] = src[i * ld + j];
        }
      }
  }
  clock.transpose += MPI_Wtime() - t;
}

// Forward: a (rows of x) -> rows of X in a, or columns of X as rows of t.
static void forward(Slabs& s, Clock& c)
{
  run_plan(s.f_rows, c);  // 1. FFT along each row
  if (!s.local_columns)   // 2. rows -> columns
    transpose(s.a, s.t, s.rows, s.cols, s.send, s.recv, c);
  run_plan(s.f_cols, c);  // 3. FFT along each column
  if (s.back_to_rows)     // 4. back to rows
    transpose(s.t, s.a, s.cols, s.rows, s.send, s.recv, c);
}

// Backward: the inverse steps in reverse order, then the 1/(N0 N1).
static void backward(Slabs& s, Clock& c, long n0, long n1)
{
  if (s.back_to_rows) transpose(s.a, s.t, s.rows, s.cols, s.send, s.recv, c);
  run_plan(s.b_cols, c);
  if (!s.local_columns) transpose(s.t, s.a, s.cols, s.rows, s.send, s.recv, c);
  run_plan(s.b_rows, c);
  const double scale = 1.0 / (static_cast<double>(n0) * static_cast<double>(n1));
  for (cplx& z : s.a) z *= scale;
}

// The root's lines: the slabs, the errors, the times (best: total, FFTs, transposes).
static void report(const Result2D& r, const Slabs& s, int size, const std::string& plan,
                   const std::string& ref_plan, const double best[3])
{
  std::printf("2D FFT of %ld x %ld by slabs: rows per rank", r.n0, r.n1);
  for (int c : s.rows.count) std::printf(" %d", c);
  std::printf(", columns per rank");
  for (int c : s.cols.count) std::printf(" %d", c);
  std::printf("\n");
  print_result(r, size, plan);
  std::printf("fft_s = %.6f\ntranspose_s = %.6f\n", best[1], best[2]);
  std::printf("reference_plan = %s\n", ref_plan.c_str());
  std::printf("serial_plan_s = %.6f\nserial_forward_s = %.6f\n", r.serial_plan_s,
              r.serial_forward_s);
  print_verdict(r);
}

int main(int argc, char** argv)
{
  MPI_Init(&argc, &argv);
  int rank = 0, size = 0;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  Options opt(argc, argv,
              "usage: fft2d_transpose [--rows N0] [--cols N1] [--transposed-out]\n"
              "                       [--plan estimate|measure] [--reps R] [--help]\n"
              "Distributed 2D FFT by hand: row FFTs, MPI_Alltoallv transpose, row FFTs.\n"
              "  --rows N0         rows, 1 ... 16384 (default 12)\n"
              "  --cols N1         columns, 1 ... 16384 (default 32)\n"
              "  --transposed-out  leave the spectrum transposed (one transpose less)\n"
              "  --plan KIND       FFTW planner: estimate (default) or measure\n"
              "  --reps R          timed transforms, best one reported, 1 ... 100 (default 3)\n"
              "  --reference-plan KIND  planner of the serial reference on the root:\n"
              "                    estimate (default) or measure (to time serial FFTW fairly)\n");
  Result2D r;
  r.n0 = opt.integer("--rows", 12, 1, 16384);
  r.n1 = opt.integer("--cols", 32, 1, 16384);
  r.transposed = opt.flag("--transposed-out");
  const std::string plan_kind = opt.text("--plan", "estimate");
  const int reps = static_cast<int>(opt.integer("--reps", 3, 1, 100));
  const std::string ref_kind = opt.text("--reference-plan", "estimate");
  opt.finish();
  if (r.n0 * r.n1 > (1L << 26)) fail_all("rows x cols must be at most 2^26 = 67108864");
  const unsigned flag = plan_flag(plan_kind, "--plan");
  const unsigned ref_flag = plan_flag(ref_kind, "--reference-plan");
  const long n0 = r.n0, n1 = r.n1;
  const int root = 0;

  MPI_Barrier(MPI_COMM_WORLD);
  r.plan_s = MPI_Wtime();
  Slabs s(n0, n1, r.transposed, flag, rank, size);
  r.plan_s = MPI_Wtime() - r.plan_s;
  const long my_rows = s.rows.count[rank];
  std::vector<cplx> x0(my_rows * n1);
  for (long i = 0; i < my_rows; ++i)
    for (long j = 0; j < n1; ++j) x0[i * n1 + j] = sample(s.rows.start[rank] + i, j, n1);

  // Time `reps` forward transforms; keep the best (the slowest rank's time).
  double best[3] = {1e300, 0.0, 0.0};  // total, fft, transpose
  for (int k = 0; k < reps; ++k) {
    s.a = x0;
    Clock clock;
    MPI_Barrier(MPI_COMM_WORLD);
    const double t0 = MPI_Wtime();
    forward(s, clock);
    double mine[3] = {MPI_Wtime() - t0, clock.fft, clock.transpose}, slow[3];
    MPI_Allreduce(mine, slow, 3, MPI_DOUBLE, MPI_MAX, MPI_COMM_WORLD);
    if (slow[0] < best[0]) std::copy(slow, slow + 3, best);
  }
  r.forward_s = best[0];
  const std::vector<cplx> spectrum = r.transposed ? s.t : s.a;  // my part of X
  const Split& out = r.transposed ? s.cols : s.rows;

  Clock cb;  // backward, timed once, then the checks
  MPI_Barrier(MPI_COMM_WORLD);
  double tb = MPI_Wtime();
  backward(s, cb, n0, n1);
  tb = MPI_Wtime() - tb;
  check_roundtrip(s.a, x0, my_rows * n1, tb, r, root);
  check_forward(spectrum, out.count[rank], out.start[rank], r.transposed ? n0 : n1, ref_flag,
                reps, r, root);

  if (rank == root) report(r, s, size, plan_kind, ref_kind, best);
  const int status = finish_with(r.passed(), root);  // a failed check fails every rank
  MPI_Finalize();
  return status;
}
