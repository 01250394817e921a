/**
 * @file mri.cpp
 * @brief Lesson 07: MRI reconstruction of the Shepp–Logan phantom with FFTW
 * and MPI: one slice three ways (sequential, the two-stage row decomposition,
 * fully parallel with a transpose), then a multi-coil frame (coils over ranks,
 * sum-of-squares combination).
 *
 * The scanner measures k-space, the 2D Fourier transform of the image:
 *
 *     K(u, v) = sum_{y,x} I(y, x) exp(-2 pi i (u y + v x) / N),
 *     I(y, x) = 1/N^2 sum_{u,v} K(u, v) exp(+2 pi i (u y + v x) / N).
 *
 * Here k-space is simulated on rank 0 by a forward FFT of the phantom, and
 * the image is reconstructed by the inverse FFT, which factors into 1D
 * inverse FFTs along every row (axis 1) and then along every column (axis 0):
 *   1. sequential: one 2D FFTW plan on rank 0 (the reference);
 *   2. two-stage (the workshop's scheme): MPI_Scatterv the k-space rows, each
 *      rank transforms its rows, MPI_Gatherv them to rank 0, which does all
 *      the column transforms alone;
 *   3. transpose: the k-space rows stay distributed; each rank transforms its
 *      rows, an MPI_Alltoallv transposes the matrix, so that each rank now
 *      holds whole columns, transforms them, and a second transpose puts the
 *      image back in row blocks.  Every stage is parallel.
 * Multi-coil: coil c sees S_c(x, y) I(x, y), with smooth complex sensitivity
 * maps normalised so that sum_c |S_c|^2 = 1; rank 0 simulates every coil's
 * k-space, deals whole coils to the ranks (MPI_Scatterv), each rank
 * reconstructs its coils and adds |image_c|^2, MPI_Reduce sums over ranks,
 * and sqrt gives the sum-of-squares image, which must equal the phantom.
 *
 * Run: `make run NP=2 ARGS="--n 256 --coils 32"`; `--write out/img` also
 * writes out/img_phantom.pgm, _kspace.pgm, _recon.pgm, _coils.pgm, _sos.pgm.
 * Proof of correctness: `two_stage_vs_seq` and `transpose_vs_seq` <= 1e-14
 * (the parallel images against the sequential one), the `*_error` lines
 * (against the phantom) near 1e-16, `sos_rel_error` near 1e-16, and
 * `check = PASS`; `phantom_sum`, `phantom_levels` and `kspace_dc` match
 * numpy's values for the workshop's phantom.
 */
#include <fftw3.h>
#include <mpi.h>

#include <algorithm>
#include <cmath>
#include <complex>
#include <cstdio>
#include <map>
#include <string>
#include <vector>

#include "cli.hpp"
#include "phantom.hpp"
#include "pgm.hpp"

using cplx = std::complex<double>;  // same layout as fftw_complex (double[2])

static fftw_complex* fftw(cplx* p) { return reinterpret_cast<fftw_complex*>(p); }

/// The MPI datatype of one cplx: two MPI_DOUBLEs, the real part first, which
/// is how C++ lays out std::complex<double>.  MPI_CXX_DOUBLE_COMPLEX names the
/// same type, but not every MPI library has it (SimGrid's SMPI does not); a
/// derived type of two doubles works with every MPI.  Made on first use
/// (after MPI_Init); MPI_Finalize frees it.
static MPI_Datatype mpi_cplx()
{
  static MPI_Datatype type = MPI_DATATYPE_NULL;
  if (type == MPI_DATATYPE_NULL) {
    MPI_Type_contiguous(2, MPI_DOUBLE, &type);
    MPI_Type_commit(&type);
  }
  return type;
}

/// Items [displs[r], displs[r] + counts[r]) belong to rank r: q or q + 1 each.
struct Split {
  std::vector<int> counts, displs;
};

static Split block_split(int items, int ranks)
{
  Split s{std::vector<int>(ranks), std::vector<int>(ranks)};
  for (int r = 0; r < ranks; ++r) {
    s.counts[r] = items / ranks + (r < items % ranks ? 1 : 0);
    s.displs[r] = r == 0 ? 0 : s.displs[r - 1] + s.counts[r - 1];
  }
  return s;
}

/// A plan for `rows` 1D inverse FFTs of length n, on consecutive rows of
/// `data`, in place.  FFTW_MEASURE tries algorithms on the buffer (and
/// overwrites it), so plans are made before the data is filled in.
static fftw_plan plan_rows(cplx* data, int rows, int n)
{
  if (rows == 0) return nullptr;
  return fftw_plan_many_dft(1, &n, rows, fftw(data), nullptr, 1, n, fftw(data), nullptr, 1, n,
                            FFTW_BACKWARD, FFTW_MEASURE);
}

static void run(fftw_plan p)
{
  if (p) fftw_execute(p);
}

static void scale(cplx* data, std::size_t count, double factor)
{
  for (std::size_t i = 0; i < count; ++i) data[i] *= factor;
}

/// Transpose an n x n matrix whose rows are split over the ranks by `s`.
/// `in` holds my rows of A (counts[me] x n); `out` gets my rows of A^T, that
/// is my columns of A.  Rank p sends rank q the block A[p's rows][q's
/// columns], packed already transposed, so that q only copies rows in.
static void transpose(const cplx* in, cplx* out, int n, const Split& s, std::vector<cplx>& sendbuf,
                      std::vector<cplx>& recvbuf, MPI_Comm comm)
{
  int me = 0, ranks = 0;
  MPI_Comm_rank(comm, &me);
  MPI_Comm_size(comm, &ranks);
  const int mine = s.counts[me];
  std::vector<int> sendcounts(ranks), sdispls(ranks), recvcounts(ranks), rdispls(ranks);
  for (int q = 0; q < ranks; ++q) {
    sendcounts[q] = mine * s.counts[q];  // my rows x q's columns
    recvcounts[q] = s.counts[q] * mine;  // q's rows x my columns
    sdispls[q] = q == 0 ? 0 : sdispls[q - 1] + sendcounts[q - 1];
    rdispls[q] = q == 0 ? 0 : rdispls[q - 1] + recvcounts[q - 1];
  }
  // Pack: block for q, element (column jj of q's, my row i) at jj * mine + i.
  for (int q = 0; q < ranks; ++q)
    for (int jj = 0; jj < s.counts[q]; ++jj)
      for (int i = 0; i < mine; ++i)
        sendbuf[sdispls[q] + jj * mine + i] = in[static_cast<std::size_t>(i) * n + s.displs[q] + jj];

  MPI_Alltoallv(sendbuf.data(), sendcounts.data(), sdispls.data(), mpi_cplx(),
                recvbuf.data(), recvcounts.data(), rdispls.data(), mpi_cplx(), comm);

  // Unpack: from rank p, my column jj is a run of p's rows: out[jj][displs[p] ...].
  for (int p = 0; p < ranks; ++p)
    for (int jj = 0; jj < mine; ++jj)
      std::copy_n(&recvbuf[rdispls[p] + jj * s.counts[p]], s.counts[p],
                  &out[static_cast<std::size_t>(jj) * n + s.displs[p]]);
}

/// Smooth complex sensitivity of coil c of C at (x, y): coils sit on a circle
/// of radius 1.3 around the field of view; magnitude a Gaussian of the
/// distance to the coil, phase a gentle ramp.  Not yet normalised.
static cplx raw_sensitivity(int c, int C, double x, double y)
{
  const double angle = 2.0 * M_PI * c / C;
  const double cx = 1.3 * std::cos(angle), cy = 1.3 * std::sin(angle);
  const double d2 = (x - cx) * (x - cx) + (y - cy) * (y - cy);
  const double magnitude = std::exp(-d2 / (2.0 * 0.8 * 0.8));
  const double phase = angle + 0.5 * M_PI * (x * std::cos(angle) + y * std::sin(angle));
  return std::polar(magnitude, phase);
}

/// Slowest rank's time for one phase (every rank calls it).
static double slowest(double seconds, MPI_Comm comm)
{
  double t = 0.0;
  MPI_Allreduce(&seconds, &t, 1, MPI_DOUBLE, MPI_MAX, comm);
  return t;
}

int main(int argc, char** argv)
{
  MPI_Init(&argc, &argv);
  int rank = 0, size = 0;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &size);

  Options opt(argc, argv,
              "usage: mri [--n N] [--coils C] [--reps R] [--write PREFIX] [--help]\n"
              "Reconstructs an N x N Shepp-Logan phantom from its k-space: sequentially,\n"
              "with the two-stage row scheme and fully parallel (transpose); then a\n"
              "C-coil frame, coils over ranks, combined by sum of squares.\n"
              "  --n N           image size N x N, 2 ... 2048 (default 256)\n"
              "  --coils C       receiver coils, 1 ... 32 (default 8)\n"
              "  --reps R        repetitions of each timed reconstruction, best kept (default 5)\n"
              "  --write PREFIX  write PREFIX_phantom.pgm, _kspace.pgm, _recon.pgm,\n"
              "                  _coils.pgm, _sos.pgm (16-bit PGM images)\n");
  const int n = static_cast<int>(opt.integer("--n", 256, 2, 2048));
  const int ncoils = static_cast<int>(opt.integer("--coils", 8, 1, 32));
  const int reps = static_cast<int>(opt.integer("--reps", 5, 1, 1000));
  const std::string prefix = opt.text("--write", "");
  opt.finish();

  // A bad --write path should stop the run now, not after the work: rank 0
  // tries to create the first file and tells everybody.
  if (!prefix.empty()) {
    int ok = 1;
    std::string why;
    if (rank == 0) ok = write_pgm(prefix + "_phantom.pgm", {0.0}, 1, 1, 1.0, why) ? 1 : 0;
    MPI_Bcast(&ok, 1, MPI_INT, 0, MPI_COMM_WORLD);
    if (!ok) fail_all(why);
  }

  const std::size_t nn = static_cast<std::size_t>(n) * n;
  const Split rows = block_split(n, size);      // rows (and columns) per rank
  const Split coils = block_split(ncoils, size);  // whole coils per rank
  const int myrows = rows.counts[rank], mycoils = coils.counts[rank];
  MPI_Barrier(MPI_COMM_WORLD);
  const double t_start = MPI_Wtime();  // time_s: the whole run from here

  // ---- plans first (FFTW_MEASURE overwrites the buffers it plans on) -------
  std::vector<cplx> kspace, seq, assembled, coil_k;  // rank 0 only
  fftw_plan p_forward = nullptr, p_seq = nullptr, p_cols = nullptr, p_coil_fwd = nullptr;
  if (rank == 0) {
    kspace.resize(nn);
    seq.resize(nn);
    assembled.resize(nn);
    coil_k.resize(nn * ncoils);
    p_forward = fftw_plan_dft_2d(n, n, fftw(kspace.data()), fftw(kspace.data()), FFTW_FORWARD,
                                 FFTW_ESTIMATE);
    p_seq = fftw_plan_dft_2d(n, n, fftw(seq.data()), fftw(seq.data()), FFTW_BACKWARD,
                             FFTW_MEASURE);
    // Stage 2 of the two-stage scheme: n column FFTs, elements n apart.
    p_cols = fftw_plan_many_dft(1, &n, n, fftw(assembled.data()), nullptr, n, 1,
                                fftw(assembled.data()), nullptr, n, 1, FFTW_BACKWARD,
                                FFTW_MEASURE);
    const int dims[2] = {n, n};
    p_coil_fwd = fftw_plan_many_dft(2, dims, ncoils, fftw(coil_k.data()), nullptr, 1,
                                    static_cast<int>(nn), fftw(coil_k.data()), nullptr, 1,
                                    static_cast<int>(nn), FFTW_FORWARD, FFTW_ESTIMATE);
  }
  std::vector<cplx> local(static_cast<std::size_t>(myrows) * n);    // two-stage rows
  std::vector<cplx> krows(local.size()), work(local.size()), work_t(local.size()),
      image_rows(local.size());                                      // transpose version
  std::vector<cplx> sendbuf(local.size()), recvbuf(local.size());
  std::vector<cplx> my_coils(nn * mycoils);
  const fftw_plan p_local = plan_rows(local.data(), myrows, n);
  const fftw_plan p_work = plan_rows(work.data(), myrows, n);
  const fftw_plan p_work_t = plan_rows(work_t.data(), myrows, n);
  fftw_plan p_coils = nullptr;  // all my coils' 2D inverse FFTs in one plan
  if (mycoils > 0) {
    const int dims[2] = {n, n};
    p_coils = fftw_plan_many_dft(2, dims, mycoils, fftw(my_coils.data()), nullptr, 1,
                                 static_cast<int>(nn), fftw(my_coils.data()), nullptr, 1,
                                 static_cast<int>(nn), FFTW_BACKWARD, FFTW_MEASURE);
  }

  // ---- the phantom and its k-space (the "scan"), on rank 0 ----------------
  std::vector<double> image;
  if (rank == 0) {
    image = phantom::shepp_logan(n);
    for (std::size_t i = 0; i < nn; ++i) kspace[i] = image[i];
    fftw_execute(p_forward);  // unnormalised forward DFT, as numpy's fft2
  }

  // ---- 1. sequential reconstruction on rank 0 (the reference) --------------
  double seq_s = 1e300;
  for (int r = 0; r < reps; ++r) {
    if (rank == 0) {
      const double t0 = MPI_Wtime();
      std::copy(kspace.begin(), kspace.end(), seq.begin());
      fftw_execute(p_seq);
      scale(seq.data(), nn, 1.0 / (static_cast<double>(n) * n));
      seq_s = std::min(seq_s, MPI_Wtime() - t0);
    }
  }

  // ---- 2. two-stage: scatter rows, transform rows, gather, columns on 0 -----
  std::vector<int> counts(size), displs(size);  // in complex numbers: rows x n
  for (int r = 0; r < size; ++r) {
    counts[r] = rows.counts[r] * n;
    displs[r] = rows.displs[r] * n;
  }
  double two_stage_s = 1e300, stage1_s = 0.0, stage2_s = 0.0;
  for (int r = 0; r < reps; ++r) {
    MPI_Barrier(MPI_COMM_WORLD);
    const double t0 = MPI_Wtime();
    MPI_Scatterv(kspace.data(), counts.data(), displs.data(), mpi_cplx(),
                 local.data(), counts[rank], mpi_cplx(), 0, MPI_COMM_WORLD);
    const double t1 = MPI_Wtime();
    run(p_local);  // stage 1: inverse FFT along each of my rows (axis 1)
    scale(local.data(), local.size(), 1.0 / n);
    const double t2 = MPI_Wtime();
    MPI_Gatherv(local.data(), counts[rank], mpi_cplx(), assembled.data(),
                counts.data(), displs.data(), mpi_cplx(), 0, MPI_COMM_WORLD);
    const double t3 = MPI_Wtime();
    if (rank == 0) {  // stage 2: inverse FFT along every column (axis 0), alone
      fftw_execute(p_cols);
      scale(assembled.data(), nn, 1.0 / n);
    }
    const double t4 = MPI_Wtime();
    const double total = slowest(t4 - t0, MPI_COMM_WORLD);
    const double s1 = slowest(t2 - t1, MPI_COMM_WORLD);
    if (total < two_stage_s) {
      two_stage_s = total;
      stage1_s = s1;
      stage2_s = t4 - t3;  // rank 0's, the only one that works in stage 2
    }
  }
  MPI_Bcast(&stage2_s, 1, MPI_DOUBLE, 0, MPI_COMM_WORLD);

  // ---- 3. fully parallel: rows, transpose, rows, transpose back ------------
  // The k-space rows arrive distributed (dealt out once, not timed).
  MPI_Scatterv(kspace.data(), counts.data(), displs.data(), mpi_cplx(), krows.data(),
               counts[rank], mpi_cplx(), 0, MPI_COMM_WORLD);
  double transpose_s = 1e300;
  for (int r = 0; r < reps; ++r) {
    MPI_Barrier(MPI_COMM_WORLD);
    const double t0 = MPI_Wtime();
    std::copy(krows.begin(), krows.end(), work.begin());
    run(p_work);  // my rows (axis 1)
    scale(work.data(), work.size(), 1.0 / n);
    transpose(work.data(), work_t.data(), n, rows, sendbuf, recvbuf, MPI_COMM_WORLD);
    run(p_work_t);  // my columns, now stored as rows (axis 0)
    scale(work_t.data(), work_t.size(), 1.0 / n);
    transpose(work_t.data(), image_rows.data(), n, rows, sendbuf, recvbuf, MPI_COMM_WORLD);
    transpose_s = std::min(transpose_s, slowest(MPI_Wtime() - t0, MPI_COMM_WORLD));
  }
  std::vector<cplx> transposed(rank == 0 ? nn : 0);  // gathered to compare (not timed)
  MPI_Gatherv(image_rows.data(), counts[rank], mpi_cplx(), transposed.data(),
              counts.data(), displs.data(), mpi_cplx(), 0, MPI_COMM_WORLD);

  // ---- 4. multi-coil frame ---------------------------------------------------
  std::vector<double> sens_rss;  // sqrt(sum_c |raw S_c|^2), to normalise the maps
  if (rank == 0) {                // acquisition: coil c's k-space = FFT(S_c I)
    sens_rss.assign(nn, 0.0);
    for (int c = 0; c < ncoils; ++c)
      for (int i = 0; i < n; ++i)
        for (int j = 0; j < n; ++j)
          sens_rss[i * static_cast<std::size_t>(n) + j] +=
              std::norm(raw_sensitivity(c, ncoils, phantom::grid(j, n), phantom::grid(i, n)));
    for (double& v : sens_rss) v = std::sqrt(v);
    for (int c = 0; c < ncoils; ++c)
      for (int i = 0; i < n; ++i)
        for (int j = 0; j < n; ++j) {
          const std::size_t p = i * static_cast<std::size_t>(n) + j;
          const cplx s = raw_sensitivity(c, ncoils, phantom::grid(j, n), phantom::grid(i, n));
          coil_k[c * nn + p] = s / sens_rss[p] * image[p];
        }
    fftw_execute(p_coil_fwd);
  }
  std::vector<int> coil_counts(size), coil_displs(size);  // in complex numbers
  for (int r = 0; r < size; ++r) {
    coil_counts[r] = static_cast<int>(coils.counts[r] * nn);
    coil_displs[r] = static_cast<int>(coils.displs[r] * nn);
  }
  std::vector<double> sumsq(nn), total(rank == 0 ? nn : 0), sos(rank == 0 ? nn : 0);
  double frame_s = 1e300, coil_scatter_s = 0.0, coil_recon_s = 0.0, coil_reduce_s = 0.0;
  const double norm = 1.0 / (static_cast<double>(n) * n);
  for (int r = 0; r < reps; ++r) {
    MPI_Barrier(MPI_COMM_WORLD);
    const double t0 = MPI_Wtime();
    // Whole coils to each rank: no rank needs another's data until the sum.
    MPI_Scatterv(coil_k.data(), coil_counts.data(), coil_displs.data(), mpi_cplx(),
                 my_coils.data(), coil_counts[rank], mpi_cplx(), 0, MPI_COMM_WORLD);
    const double t1 = MPI_Wtime();
    run(p_coils);  // 2D inverse FFT of each of my coils
    std::fill(sumsq.begin(), sumsq.end(), 0.0);
    for (int c = 0; c < mycoils; ++c)
      for (std::size_t p = 0; p < nn; ++p) {
        const cplx z = my_coils[c * nn + p] * norm;  // coil c's image, scaled by 1/N^2
        sumsq[p] += z.real() * z.real() + z.imag() * z.imag();
      }
    const double t2 = MPI_Wtime();
    MPI_Reduce(sumsq.data(), total.data(), static_cast<int>(nn), MPI_DOUBLE, MPI_SUM, 0,
               MPI_COMM_WORLD);
    if (rank == 0)
      for (std::size_t p = 0; p < nn; ++p) sos[p] = std::sqrt(total[p]);
    const double t3 = MPI_Wtime();
    const double t = slowest(t3 - t0, MPI_COMM_WORLD);
    const double ts = slowest(t1 - t0, MPI_COMM_WORLD), tr = slowest(t2 - t1, MPI_COMM_WORLD),
                 tq = slowest(t3 - t2, MPI_COMM_WORLD);  // slowest rank of each phase
    if (t < frame_s) {
      frame_s = t;
      coil_scatter_s = ts;
      coil_recon_s = tr;
      coil_reduce_s = tq;
    }
  }
  const double time_s = slowest(MPI_Wtime() - t_start, MPI_COMM_WORLD);

  // ---- checks and output (rank 0) ------------------------------------------
  int ok = 1;
  if (rank == 0) {
    double seq_err = 0.0, seq_imag = 0.0, two_vs_seq = 0.0, two_err = 0.0, tr_vs_seq = 0.0,
           tr_err = 0.0, sos_max = 0.0, diff2 = 0.0, ref2 = 0.0, sum = 0.0, carry = 0.0;
    std::map<long, long> levels;  // pixels per intensity, in tenths
    for (std::size_t p = 0; p < nn; ++p) {
      seq_err = std::max(seq_err, std::abs(seq[p].real() - image[p]));
      seq_imag = std::max(seq_imag, std::abs(seq[p].imag()));
      two_vs_seq = std::max(two_vs_seq, std::abs(assembled[p] - seq[p]));
      two_err = std::max(two_err, std::abs(assembled[p] - image[p]));
      tr_vs_seq = std::max(tr_vs_seq, std::abs(transposed[p] - seq[p]));
      tr_err = std::max(tr_err, std::abs(transposed[p] - image[p]));
      sos_max = std::max(sos_max, std::abs(sos[p] - image[p]));
      diff2 += (sos[p] - image[p]) * (sos[p] - image[p]);
      ref2 += image[p] * image[p];
      const double y = image[p] - carry, t = sum + y;  // compensated (Kahan) sum
      carry = (t - sum) - y;
      sum = t;
      ++levels[std::lround(10.0 * image[p])];
    }
    std::size_t peak = 0;  // the dominant k-space bin
    for (std::size_t p = 0; p < nn; ++p)
      if (std::abs(kspace[p]) > std::abs(kspace[peak])) peak = p;
    const double sos_rel = std::sqrt(diff2 / ref2);
    const double tol_par = 1e-14, tol_img = 1e-13;
    ok = seq_err <= tol_img && seq_imag <= tol_img && two_vs_seq <= tol_par &&
         tr_vs_seq <= tol_par && two_err <= tol_img && tr_err <= tol_img && sos_rel <= tol_img;

    std::printf("MRI reconstruction of a %d x %d Shepp-Logan phantom on %d ranks, %d coils\n", n,
                n, size, ncoils);
    std::printf("rows per rank:");
    for (int c : rows.counts) std::printf(" %d", c);
    std::printf("\ncoils per rank:");
    for (int c : coils.counts) std::printf(" %d", c);
    std::printf("\nsize = %d\n", size);
    std::printf("n = %d\n", n);
    std::printf("coils = %d\n", ncoils);
    std::printf("reps = %d\n", reps);
    std::printf("phantom_sum = %.15g\n", sum);
    std::printf("phantom_levels =");
    for (const auto& [tenths, count] : levels) std::printf(" %g:%ld", tenths / 10.0, count);
    std::printf("\nkspace_dc = %.15g\n", std::abs(kspace[0]));
    std::printf("kspace_peak = %zu %zu\n", peak / n, peak % n);
    std::printf("seq_error = %.3g\n", seq_err);
    std::printf("seq_imag = %.3g\n", seq_imag);
    std::printf("two_stage_vs_seq = %.3g\n", two_vs_seq);
    std::printf("two_stage_error = %.3g\n", two_err);
    std::printf("transpose_vs_seq = %.3g\n", tr_vs_seq);
    std::printf("transpose_error = %.3g\n", tr_err);
    std::printf("sos_max_error = %.3g\n", sos_max);
    std::printf("sos_rel_error = %.3g\n", sos_rel);
    std::printf("seq_s = %.6f\n", seq_s);
    std::printf("two_stage_s = %.6f\n", two_stage_s);
    std::printf("stage1_s = %.6f\n", stage1_s);
    std::printf("stage2_s = %.6f\n", stage2_s);
    std::printf("transpose_s = %.6f\n", transpose_s);
    std::printf("coil_scatter_s = %.6f\n", coil_scatter_s);
    std::printf("coil_recon_s = %.6f\n", coil_recon_s);
    std::printf("coil_reduce_s = %.6f\n", coil_reduce_s);
    std::printf("frame_s = %.6f\n", frame_s);
    std::printf("time_s = %.6f\n", time_s);
  }

  // ---- images (--write): coil magnitudes gathered, then rank 0 writes -------
  if (!prefix.empty()) {
    std::vector<double> mags(nn * mycoils), all_mags(rank == 0 ? nn * ncoils : 0);
    for (std::size_t p = 0; p < mags.size(); ++p) mags[p] = std::abs(my_coils[p]) * norm;
    std::vector<int> dcounts(coil_counts), ddispls(coil_displs);  // same counts in doubles
    MPI_Gatherv(mags.data(), coil_counts[rank], MPI_DOUBLE, all_mags.data(), dcounts.data(),
                ddispls.data(), MPI_DOUBLE, 0, MPI_COMM_WORLD);
    int written = 1;
    std::string why;
    if (rank == 0) {
      // k-space: log(1 + |K|), zero frequency moved to the centre (fftshift).
      std::vector<double> klog(nn), recon(nn);
      for (int i = 0; i < n; ++i)
        for (int j = 0; j < n; ++j)
          klog[static_cast<std::size_t>((i + n / 2) % n) * n + (j + n / 2) % n] =
              std::log1p(std::abs(kspace[static_cast<std::size_t>(i) * n + j]));
      for (std::size_t p = 0; p < nn; ++p) recon[p] = transposed[p].real();
      // Coil images side by side, up to 8 across.
      const int across = ncoils <= 4 ? ncoils : (ncoils <= 16 ? 4 : 8);
      const int down = (ncoils + across - 1) / across;
      std::vector<double> montage(nn * across * down, 0.0);
      for (int c = 0; c < ncoils; ++c)
        for (int i = 0; i < n; ++i)
          for (int j = 0; j < n; ++j) {
            // coil 0 top left: rows of tiles count from the top of the picture
            const std::size_t row = static_cast<std::size_t>(down - 1 - c / across) * n + i;
            montage[row * across * n + (c % across) * n + j] = all_mags[c * nn + i * n + j];
          }
      const double kmax = *std::max_element(klog.begin(), klog.end());
      const double cmax = *std::max_element(all_mags.begin(), all_mags.end());
      written = write_pgm(prefix + "_phantom.pgm", image, n, n, 1.0, why) &&
                write_pgm(prefix + "_kspace.pgm", klog, n, n, kmax, why) &&
                write_pgm(prefix + "_recon.pgm", recon, n, n, 1.0, why) &&
                write_pgm(prefix + "_coils.pgm", montage, across * n, down * n, cmax, why) &&
                write_pgm(prefix + "_sos.pgm", sos, n, n, 1.0, why);
      if (written)
        std::printf("wrote %s_{phantom,kspace,recon,coils,sos}.pgm\n", prefix.c_str());
    }
    MPI_Bcast(&written, 1, MPI_INT, 0, MPI_COMM_WORLD);
    if (!written) fail_all(why);
  }
  if (rank == 0) std::printf("check = %s\n", ok ? "PASS" : "FAIL");
  MPI_Bcast(&ok, 1, MPI_INT, 0, MPI_COMM_WORLD);  // a failed check fails every rank

  for (fftw_plan p : {p_forward, p_seq, p_cols, p_coil_fwd, p_local, p_work, p_work_t, p_coils})
    if (p) fftw_destroy_plan(p);
  fftw_cleanup();
  MPI_Finalize();
  return ok ? 0 : 1;
}
