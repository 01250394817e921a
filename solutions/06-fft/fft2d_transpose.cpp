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
 * owns a slab of whole rows (balanced: q or q+1 rows), so the row FFTs are
 * local.  The columns are spread over all ranks, so the data is redistributed
 * first: after the global transpose each rank owns a slab of whole columns,
 * stored as rows of the transposed N1 x N0 array, and the column FFTs are
 * local row FFTs again.  The transpose is MPI_Alltoallv: rank p sends rank q
 * the block (p's rows) x (q's columns), packed contiguously first, and
 * transposes each received block while unpacking it.
 *
 * Output layout: by default the spectrum is transposed back, so rank p holds
 * rows of X like its input (a second transpose).  With --transposed-out it
 * stays transposed (rank p holds columns of X as rows), which saves one
 * transpose; the backward transform then starts from that layout.  This is
 * what FFTW's FFTW_MPI_TRANSPOSED_OUT / _IN do (see fft2d_fftw_mpi.cpp).
 * On one rank in the natural layout every column is local: the column FFTs
 * then run down the columns in place (a strided FFTW plan) and nothing is
 * transposed, which is also what FFTW-MPI does with one rank.
 *
 * Backward: the same steps with exp(+...), divided by N0 N1 at the end (FFTW,
 * like the textbook DFT pair, leaves the backward transform unnormalised).
 *
 * Checks: the root gathers the forward result and compares it with FFTW's
 * serial 2D transform of the same data (`rel_error`, <= 1e-12), and every
 * rank compares backward(forward(x)) with x (`roundtrip_error`, <= 1e-13).
 * The data is a hash of the global index, the same for any number of ranks.
 * Run: `make run PROG=fft2d_transpose NP=4 ARGS="--rows 17 --cols 23"`.
 */
#include <mpi.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "cli.hpp"
#include "fft_util.hpp"

// Time spent in the two kinds of work, summed over one transform.
struct Clock {
  double fft = 0.0, transpose = 0.0;
};

// `howmany` FFTs of length n, one after another in `a`, in place.  A rank
// that owns no rows (fewer rows than ranks) gets no plan.
static fftw_plan plan_rows(std::vector<cplx>& a, int n, int howmany, int sign, unsigned flag)
{
  if (howmany == 0) return nullptr;
  return fftw_plan_many_dft(1, &n, howmany, as_fftw(a.data()), nullptr, 1, n,
                            as_fftw(a.data()), nullptr, 1, n, sign, flag);
}

// The columns of a rows x cols row-major array `a`, all of them, in place:
// `cols` FFTs of length `rows`, element stride `cols`, one column to the next
// 1 apart.  Used when one rank owns every column (NP = 1), so no transpose is
// needed: FFTW walks down the columns itself.
static fftw_plan plan_columns(std::vector<cplx>& a, int rows, int cols, int sign, unsigned flag)
{
  if (rows == 0 || cols == 0) return nullptr;
  return fftw_plan_many_dft(1, &rows, cols, as_fftw(a.data()), nullptr, cols, 1,
                            as_fftw(a.data()), nullptr, cols, 1, sign, flag);
}

static void run_plan(fftw_plan p, Clock& clock)
{
  const double t = MPI_Wtime();
  if (p) fftw_execute(p);
  clock.fft += MPI_Wtime() - t;
}

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
  const long A = a.start[size - 1] + a.count[size - 1];
  const long B = b.start[size - 1] + b.count[size - 1];
  const long my_a = a.count[rank], my_b = b.count[rank];
  const double t = MPI_Wtime();

  // Rank q gets the block (my rows) x (q's columns): my_a * b.count[q] numbers.
  // The block a rank keeps for itself does not go through MPI (count 0).
  std::vector<int> scount(size), sdispl(size), rcount(size), rdispl(size);
  for (int q = 0; q < size; ++q) {
    scount[q] = q == rank ? 0 : static_cast<int>(my_a * b.count[q]);
    rcount[q] = q == rank ? 0 : static_cast<int>(a.count[q] * my_b);
    sdispl[q] = q == 0 ? 0 : sdispl[q - 1] + scount[q - 1];
    rdispl[q] = q == 0 ? 0 : rdispl[q - 1] + rcount[q - 1];
  }
  // Pack: each destination's block made contiguous, its rows one after another.
  for (int q = 0; q < size; ++q) {
    if (q == rank) continue;
    cplx* dst = send.data() + sdispl[q];
    for (long i = 0; i < my_a; ++i) {
      const cplx* src = in.data() + i * B + b.start[q];
      std::copy(src, src + b.count[q], dst + i * b.count[q]);
    }
  }
  MPI_Alltoallv(send.data(), scount.data(), sdispl.data(), mpi_cplx(), recv.data(),
                rcount.data(), rdispl.data(), mpi_cplx(), MPI_COMM_WORLD);
  // Unpack: the block from rank q is (q's rows) x (my columns), element (i, j)
  // at src[i * ld + j]; it goes to out[j][a.start[q] + i].  My own block is
  // read straight from `in` (ld = B).  Done in tiles of 32 x 32, so that the
  // strided writes (and reads) stay in cache.
  const long tile = 32;
  for (int q = 0; q < size; ++q) {
    const bool self = q == rank;
    const cplx* src = self ? in.data() + b.start[rank] : recv.data() + rdispl[q];
    const long ld = self ? B : my_b;
    const long rows_q = a.count[q];
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
  const long n0 = opt.integer("--rows", 12, 1, 16384);
  const long n1 = opt.integer("--cols", 32, 1, 16384);
  const bool transposed_out = opt.flag("--transposed-out");
  const std::string plan_kind = opt.text("--plan", "estimate");
  const int reps = static_cast<int>(opt.integer("--reps", 3, 1, 100));
  const std::string ref_kind = opt.text("--reference-plan", "estimate");
  opt.finish();
  if (n0 * n1 > (1L << 26)) fail_all("rows x cols must be at most 2^26 = 67108864");
  const unsigned flag = plan_flag(plan_kind, "--plan");
  const unsigned ref_flag = plan_flag(ref_kind, "--reference-plan");
  const int root = 0;

  // Slabs: my rows of x (n0 split), and after the transpose my columns (n1 split).
  const Split rows(n0, size), cols(n1, size);
  const long my_rows = rows.count[rank], my_cols = cols.count[rank];
  const long local = std::max(my_rows * n1, my_cols * n0);
  std::vector<cplx> a(my_rows * n1), t(my_cols * n0);  // row slab; column slab, transposed
  std::vector<cplx> send(local), recv(local), x0(my_rows * n1);

  // Plans (before the data: FFTW_MEASURE overwrites the arrays while it times).
  // The column FFTs are contiguous row FFTs of t (the columns of x are rows
  // of t), except on one rank in the natural layout: there every column is
  // local, so they run straight down the columns of `a` (a strided plan) and
  // nothing is transposed.
  MPI_Barrier(MPI_COMM_WORLD);
  double tp = MPI_Wtime();
  const int r0 = static_cast<int>(n0), r1 = static_cast<int>(n1);
  const bool local_columns = size == 1 && !transposed_out;
  auto plan_cols = [&](int sign) {
    return local_columns ? plan_columns(a, r0, r1, sign, flag)
                         : plan_rows(t, r0, static_cast<int>(my_cols), sign, flag);
  };
  fftw_plan f_rows = plan_rows(a, r1, static_cast<int>(my_rows), FFTW_FORWARD, flag);
  fftw_plan f_cols = plan_cols(FFTW_FORWARD);
  fftw_plan b_cols = plan_cols(FFTW_BACKWARD);
  fftw_plan b_rows = plan_rows(a, r1, static_cast<int>(my_rows), FFTW_BACKWARD, flag);
  tp = MPI_Wtime() - tp;

  for (long i = 0; i < my_rows; ++i)
    for (long j = 0; j < n1; ++j) x0[i * n1 + j] = sample(rows.start[rank] + i, j, n1);

  // forward: a (rows of x) -> rows of X in a, or columns of X as rows of t.
  // With local columns steps 2 and 4 drop out.
  const bool back_to_rows = !transposed_out && !local_columns;
  auto forward = [&](Clock& c) {
    run_plan(f_rows, c);                                                  // 1. FFT along each row
    if (!local_columns) transpose(a, t, rows, cols, send, recv, c);       // 2. rows -> columns
    run_plan(f_cols, c);                                                  // 3. FFT along each column
    if (back_to_rows) transpose(t, a, cols, rows, send, recv, c);         // 4. back to rows
  };
  // backward: the inverse steps in reverse order, then the 1/(N0 N1).
  auto backward = [&](Clock& c) {
    if (back_to_rows) transpose(a, t, rows, cols, send, recv, c);
    run_plan(b_cols, c);
    if (!local_columns) transpose(t, a, cols, rows, send, recv, c);
    run_plan(b_rows, c);
    const double s = 1.0 / (static_cast<double>(n0) * static_cast<double>(n1));
    for (cplx& z : a) z *= s;
  };

  // Time `reps` forward transforms; report the best (the slowest rank's time).
  double best[3] = {1e300, 0.0, 0.0};  // total, fft, transpose
  std::vector<cplx> spectrum;
  for (int r = 0; r < reps; ++r) {
    a = x0;
    Clock clock;
    MPI_Barrier(MPI_COMM_WORLD);
    const double t0 = MPI_Wtime();
    forward(clock);
    double mine[3] = {MPI_Wtime() - t0, clock.fft, clock.transpose}, slow[3];
    MPI_Allreduce(mine, slow, 3, MPI_DOUBLE, MPI_MAX, MPI_COMM_WORLD);
    if (slow[0] < best[0]) std::copy(slow, slow + 3, best);
  }
  spectrum = transposed_out ? t : a;  // keep this rank's part of X

  // Backward (timed once), then the round trip error on every rank.
  Clock cb;
  MPI_Barrier(MPI_COMM_WORLD);
  double tb = MPI_Wtime();
  backward(cb);
  tb = MPI_Wtime() - tb;
  double rt = 0.0, xmax = 0.0;
  for (long i = 0; i < my_rows * n1; ++i) {
    rt = std::fmax(rt, std::abs(a[i] - x0[i]));
    xmax = std::fmax(xmax, std::abs(x0[i]));
  }
  double mine[3] = {rt, xmax, tb}, all[3];
  MPI_Reduce(mine, all, 3, MPI_DOUBLE, MPI_MAX, root, MPI_COMM_WORLD);

  // Gather the spectrum on the root, in whichever layout it has.
  const Split& out = transposed_out ? cols : rows;
  const long line = transposed_out ? n0 : n1;
  std::vector<int> counts(size), displs(size);
  for (int i = 0; i < size; ++i) {
    counts[i] = static_cast<int>(out.count[i] * line);
    displs[i] = static_cast<int>(out.start[i] * line);
  }
  std::vector<cplx> gathered(rank == root ? n0 * n1 : 0);
  MPI_Gatherv(spectrum.data(), counts[rank], mpi_cplx(), gathered.data(),
              counts.data(), displs.data(), mpi_cplx(), root, MPI_COMM_WORLD);

  bool passed = false;  // meaningful on the root
  if (rank == root) {
    // The reference: FFTW's serial 2D transform of the whole array, timed too
    // (with --reference-plan measure it is the serial anchor of the benchmark).
    std::vector<cplx> xs(n0 * n1), ref(n0 * n1);
    fftw_forget_wisdom();  // plan from scratch: serial_plan_s is the whole planning cost
    double ts_plan = MPI_Wtime();
    fftw_plan serial = fftw_plan_dft_2d(static_cast<int>(n0), static_cast<int>(n1),
                                        as_fftw(xs.data()), as_fftw(ref.data()), FFTW_FORWARD,
                                        ref_flag);
    ts_plan = MPI_Wtime() - ts_plan;
    double ts = 1e300;
    for (int r = 0; r < reps; ++r) {
      for (long i = 0; i < n0; ++i)
        for (long j = 0; j < n1; ++j) xs[i * n1 + j] = sample(i, j, n1);
      const double t0 = MPI_Wtime();
      fftw_execute(serial);
      ts = std::min(ts, MPI_Wtime() - t0);
    }
    fftw_destroy_plan(serial);
    double err = 0.0;  // X[i][j] is gathered[j][i] in the transposed layout
    for (long i = 0; i < n0; ++i)
      for (long j = 0; j < n1; ++j) {
        const cplx mine_ij = transposed_out ? gathered[j * n0 + i] : gathered[i * n1 + j];
        err = std::fmax(err, std::abs(mine_ij - ref[i * n1 + j]));
      }
    const double rel = err / std::max(max_abs(ref), 1e-300);
    const double rt_rel = all[0] / std::max(all[1], 1e-300);
    const double n = static_cast<double>(n0) * static_cast<double>(n1);
    const double gflops = 5.0 * n * std::log2(n) / best[0] / 1e9;

    std::printf("2D FFT of %ld x %ld by slabs: rows per rank", n0, n1);
    for (int c : rows.count) std::printf(" %d", c);
    std::printf(", columns per rank");
    for (int c : cols.count) std::printf(" %d", c);
    std::printf("\n");
    std::printf("size = %d\n", size);
    std::printf("rows = %ld\n", n0);
    std::printf("cols = %ld\n", n1);
    std::printf("layout = %s\n", transposed_out ? "transposed" : "natural");
    std::printf("plan = %s\n", plan_kind.c_str());
    std::printf("max_error = %.3e\n", err);
    std::printf("rel_error = %.3e\n", rel);
    std::printf("roundtrip_error = %.3e\n", rt_rel);
    std::printf("plan_s = %.6f\n", tp);
    std::printf("forward_s = %.6f\n", best[0]);
    std::printf("fft_s = %.6f\n", best[1]);
    std::printf("transpose_s = %.6f\n", best[2]);
    std::printf("backward_s = %.6f\n", all[2]);
    std::printf("gflops = %.3f\n", gflops);
    std::printf("reference_plan = %s\n", ref_kind.c_str());
    std::printf("serial_plan_s = %.6f\n", ts_plan);
    std::printf("serial_forward_s = %.6f\n", ts);
    std::printf("time_s = %.6f\n", best[0]);
    passed = rel <= 1e-12 && rt_rel <= 1e-13;
    std::printf("check = %s\n", passed ? "PASS" : "FAIL");
  }
  const int status = finish_with(passed, root);  // a failed check fails every rank

  for (fftw_plan p : {f_rows, f_cols, b_cols, b_rows})
    if (p) fftw_destroy_plan(p);
  MPI_Finalize();
  return status;
}
