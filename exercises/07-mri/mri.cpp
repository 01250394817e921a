/**
 * @file mri.cpp
 * @brief Lesson 07: MRI reconstruction of the Shepp–Logan phantom with FFTW
 * and MPI.  Rank 0 simulates the scan: k-space, the 2D FFT of the image
 * (recon.hpp, coils.hpp).  The image comes back by the inverse FFT, 1D inverse
 * FFTs along every row, then along every column: sequentially on rank 0 (the
 * reference); two-stage (the rows in parallel, the columns on rank 0); fully
 * parallel (rows, an all-to-all transpose, columns, transpose back); and a
 * multi-coil frame (whole coils over the ranks, the sum of squares reduced).
 * Run: `make run NP=2 ARGS="--n 256 --coils 32"`, `--write out/img` for images.
 * Right when (mri_check.hpp) every image equals the phantom and the parallel
 * ones the sequential one: `check = PASS`; else every rank exits with 1.
 */
#include <fftw3.h>
#include <mpi.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "cli.hpp"
#include "coils.hpp"
#include "mri_check.hpp"
#include "mri_images.hpp"
#include "recon.hpp"

// Two-stage: rank 0 deals out the k-space rows (rank r gets rows.counts[r]
// rows), every rank transforms its rows (stage 1), rank 0 gathers them back
// and transforms every column alone (stage 2).
static void two_stage(const Scan& scan, const Split& rows, int n, int reps, Images& im, Times& t)
{
  const int rank = my_rank();
  const Split s = scaled(rows, n);  // counted in complex numbers: n per row
  std::vector<cplx> local(static_cast<std::size_t>(s.counts[rank]));
  im.two_stage.resize(scan.kspace.size());  // rank 0 only
  fftw_plan p_rows = plan_rows(local.data(), rows.counts[rank], n);
  fftw_plan p_cols = rank == 0 ? plan_columns(im.two_stage.data(), n) : nullptr;
  t.two_stage = 1e300;
  for (int r = 0; r < reps; ++r) {
    MPI_Barrier(MPI_COMM_WORLD);
    const double t0 = MPI_Wtime();
    // >>> step 1: deal out the k-space rows; collect the transformed rows
    // TODO 1: rank 0 deals out the k-space rows: rank r gets s.counts[r]
    //         complex numbers (whole rows) from s.displs[r] of scan.kspace,
    //         into `local`.  Hint: MPI_Scatterv, with the datatype mpi_cplx().
    const double t1 = MPI_Wtime();
    inverse_rows(p_rows, local, n);  // stage 1: my rows (axis 1)
    const double t2 = MPI_Wtime();
    // TODO 1: rank 0 collects the transformed rows, in order, into
    //         im.two_stage.  Hint: MPI_Gatherv.
    // <<< step 1
    const double t3 = MPI_Wtime();
    if (rank == 0) inverse_rows(p_cols, im.two_stage, n);  // stage 2: every column, alone
    const double t4 = MPI_Wtime();
    const double total = slowest(t4 - t0), s1 = slowest(t2 - t1);
    if (total < t.two_stage)  // stage 2: rank 0's time, the only one that works in it
      t.two_stage = total, t.stage1 = s1, t.stage2 = t4 - t3;
  }
  MPI_Bcast(&t.stage2, 1, MPI_DOUBLE, 0, MPI_COMM_WORLD);
  destroy(p_rows), destroy(p_cols);
}

// Transpose an n x n matrix whose rows are split over the ranks by `rows`.
// `in` holds my rows of A; `out` gets my rows of A^T, that is my columns of
// A.  Rank p sends rank q the block A[p's rows][q's columns].
static void transpose(const std::vector<cplx>& in, std::vector<cplx>& out, int n,
                      const Split& rows, std::vector<cplx>& sendbuf, std::vector<cplx>& recvbuf)
{
  const int ranks = num_ranks(), mine = rows.counts[my_rank()];
  std::vector<int> sendcounts(ranks), sdispls(ranks), recvcounts(ranks), rdispls(ranks);
  for (int q = 0; q < ranks; ++q) {
    sendcounts[q] = mine * rows.counts[q];  // my rows x q's columns
    recvcounts[q] = rows.counts[q] * mine;  // q's rows x my columns
    sdispls[q] = q == 0 ? 0 : sdispls[q - 1] + sendcounts[q - 1];
    rdispls[q] = q == 0 ? 0 : rdispls[q - 1] + recvcounts[q - 1];
  }
  pack_blocks(in, sendbuf, n, rows, sdispls);  // q's block, made contiguous and transposed
  // >>> step 2: every rank sends every rank its block
    // TODO 2: every rank sends sendcounts[q] numbers from sdispls[q] of
    //         sendbuf to every rank q, and receives recvcounts[p] numbers from
    //         every rank p at rdispls[p] of recvbuf.  Hint: MPI_Alltoallv.
  // <<< step 2
  unpack_blocks(recvbuf, out, n, rows, rdispls);  // p's block: rows of my columns
}

// Fully parallel: my rows, transpose, my columns (now rows), transpose back.
// The k-space rows are dealt out once, the image gathered: neither is timed.
static void fully_parallel(const Scan& scan, const Split& rows, int n, int reps, Images& im,
                           Times& t)
{
  const int rank = my_rank();
  const Split s = scaled(rows, n);
  const std::size_t mine = static_cast<std::size_t>(s.counts[rank]);
  std::vector<cplx> krows(mine), work(mine), work_t(mine), image_rows(mine);
  std::vector<cplx> send(mine), recv(mine);  // the transposes' work space
  fftw_plan p_work = plan_rows(work.data(), rows.counts[rank], n);
  fftw_plan p_work_t = plan_rows(work_t.data(), rows.counts[rank], n);
  MPI_Scatterv(scan.kspace.data(), s.counts.data(), s.displs.data(), mpi_cplx(), krows.data(),
               s.counts[rank], mpi_cplx(), 0, MPI_COMM_WORLD);
  t.transpose = 1e300;
  for (int r = 0; r < reps; ++r) {
    MPI_Barrier(MPI_COMM_WORLD);
    const double t0 = MPI_Wtime();
    std::copy(krows.begin(), krows.end(), work.begin());
    inverse_rows(p_work, work, n);                      // my rows (axis 1)
    transpose(work, work_t, n, rows, send, recv);
    inverse_rows(p_work_t, work_t, n);                  // my columns, as rows (axis 0)
    transpose(work_t, image_rows, n, rows, send, recv);
    t.transpose = std::min(t.transpose, slowest(MPI_Wtime() - t0));
  }
  im.transposed.resize(scan.kspace.size());
  MPI_Gatherv(image_rows.data(), s.counts[rank], mpi_cplx(), im.transposed.data(),
              s.counts.data(), s.displs.data(), mpi_cplx(), 0, MPI_COMM_WORLD);
  destroy(p_work), destroy(p_work_t);
}

// A multi-coil frame: rank 0 deals out whole coils (n x n numbers each) from
// coil_k, every rank reconstructs its coils and adds up |image_c|^2 per pixel,
// rank 0 adds up the ranks' sums: their square root is the phantom again.
static void coil_frame(const std::vector<cplx>& coil_k, const Split& coils, int n, int reps,
                       Images& im, Times& t)
{
  const int rank = my_rank();
  const std::size_t nn = static_cast<std::size_t>(n) * n;
  const int mycoils = coils.counts[rank];
  const Split s = scaled(coils, nn);  // counted in complex numbers
  im.my_coils.assign(s.counts[rank], 0.0);
  fftw_plan p = plan_images(im.my_coils.data(), mycoils, n);
  std::vector<double> sumsq(nn), total(rank == 0 ? nn : 0);
  im.sos.assign(rank == 0 ? nn : 0, 0.0);
  t.frame = 1e300;
  for (int r = 0; r < reps; ++r) {
    MPI_Barrier(MPI_COMM_WORLD);
    const double t0 = MPI_Wtime();
    // >>> step 3: whole coils to the ranks; the sums of squares back to rank 0
    // TODO 3: rank 0 deals out whole coils: rank r gets s.counts[r] complex
    //         numbers from s.displs[r] of coil_k, into im.my_coils.
    //         Hint: MPI_Scatterv.
    const double t1 = MPI_Wtime();
    run(p);  // the 2D inverse FFT of each of my coils
    add_squares(im.my_coils, mycoils, n, sumsq);  // sum of |image_c|^2 per pixel
    const double t2 = MPI_Wtime();
    // TODO 3: add up every rank's sumsq (nn doubles) into `total` on rank 0.
    //         Hint: MPI_Reduce.
    // <<< step 3
    for (std::size_t q = 0; q < total.size(); ++q) im.sos[q] = std::sqrt(total[q]);
    const double t3 = MPI_Wtime();
    const double tt = slowest(t3 - t0), ts = slowest(t1 - t0), tr = slowest(t2 - t1),
                 tq = slowest(t3 - t2);  // slowest rank of each phase
    if (tt < t.frame) t.frame = tt, t.coil_scatter = ts, t.coil_recon = tr, t.coil_reduce = tq;
  }
  destroy(p);
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
              "two-stage, fully parallel; then a C-coil frame, coils over ranks.\n"
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
  check_write_path(prefix);

  const Split rows = block_split(n, size);        // rows (and columns) per rank
  const Split coils = block_split(ncoils, size);  // whole coils per rank
  MPI_Barrier(MPI_COMM_WORLD);
  const double t_start = MPI_Wtime();  // time_s: the whole run from here
  const Scan scan = scan_phantom(n, rank);  // rank 0: the phantom and its k-space
  Images im;
  Times t;
  sequential(scan, n, reps, im.seq, t.seq);
  two_stage(scan, rows, n, reps, im, t);
  fully_parallel(scan, rows, n, reps, im, t);
  coil_frame(coil_kspace(scan.image, n, ncoils), coils, n, reps, im, t);
  t.total = slowest(MPI_Wtime() - t_start);

  int ok = rank == 0 && check_and_report(scan, im, t, rows, coils, n, ncoils, reps);
  if (!prefix.empty()) write_images(prefix, scan, im, coils, n);
  if (rank == 0) std::printf("check = %s\n", ok ? "PASS" : "FAIL");
  MPI_Bcast(&ok, 1, MPI_INT, 0, MPI_COMM_WORLD);  // a failed check fails every rank
  fftw_cleanup();
  MPI_Finalize();
  return ok ? 0 : 1;
}
