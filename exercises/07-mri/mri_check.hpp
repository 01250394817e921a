/**
 * @file mri_check.hpp
 * @brief How lesson 07 proves its reconstructions right and reports them
 * (rank 0): every image against the phantom and against the sequential
 * reconstruction, the phantom's own numbers (pixels per grey level, sum, the
 * k-space's DC bin), which match numpy's for the same phantom, and the times.
 */
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <vector>

#include "recon.hpp"

/// The reconstructions, gathered on rank 0.
struct Images {
  std::vector<cplx> seq, two_stage, transposed;  // one slice, three ways
  std::vector<double> sos;                       // the coils' sum of squares
  std::vector<cplx> my_coils;  // every rank: its coils' images (unscaled), for --write
};

/// Best times over the repetitions, in seconds: the slowest rank of each.
struct Times {
  double seq = 0, two_stage = 0, stage1 = 0, stage2 = 0, transpose = 0;
  double coil_scatter = 0, coil_recon = 0, coil_reduce = 0, frame = 0, total = 0;
};

/// Rank 0: compare, print the `name = value` lines (all but `check`), and
/// return the verdict.
inline bool check_and_report(const Scan& scan, const Images& im, const Times& t, const Split& rows,
                             const Split& coils, int n, int ncoils, int reps)
{
  const std::vector<double>& image = scan.image;
  const std::size_t nn = image.size();
  double seq_err = 0.0, seq_imag = 0.0, two_vs_seq = 0.0, two_err = 0.0, tr_vs_seq = 0.0,
         tr_err = 0.0, sos_max = 0.0, diff2 = 0.0, ref2 = 0.0, sum = 0.0, carry = 0.0;
  std::map<long, long> levels;  // pixels per intensity, in tenths
  for (std::size_t p = 0; p < nn; ++p) {
    seq_err = std::max(seq_err, std::abs(im.seq[p].real() - image[p]));
    seq_imag = std::max(seq_imag, std::abs(im.seq[p].imag()));
    two_vs_seq = std::max(two_vs_seq, std::abs(im.two_stage[p] - im.seq[p]));
    two_err = std::max(two_err, std::abs(im.two_stage[p] - image[p]));
    tr_vs_seq = std::max(tr_vs_seq, std::abs(im.transposed[p] - im.seq[p]));
    tr_err = std::max(tr_err, std::abs(im.transposed[p] - image[p]));
    sos_max = std::max(sos_max, std::abs(im.sos[p] - image[p]));
    diff2 += (im.sos[p] - image[p]) * (im.sos[p] - image[p]);
    ref2 += image[p] * image[p];
    const double y = image[p] - carry, s = sum + y;  // compensated (Kahan) sum
    carry = (s - sum) - y;
    sum = s;
    ++levels[std::lround(10.0 * image[p])];
  }
  std::size_t peak = 0;  // the dominant k-space bin
  for (std::size_t p = 0; p < nn; ++p)
    if (std::abs(scan.kspace[p]) > std::abs(scan.kspace[peak])) peak = p;
  const double sos_rel = std::sqrt(diff2 / ref2);
  const double tol_par = 1e-14, tol_img = 1e-13;

  const int size = static_cast<int>(rows.counts.size());
  std::printf("MRI reconstruction of a %d x %d Shepp-Logan phantom on %d ranks, %d coils\n", n,
              n, size, ncoils);
  std::printf("rows per rank:");
  for (int c : rows.counts) std::printf(" %d", c);
  std::printf("\ncoils per rank:");
  for (int c : coils.counts) std::printf(" %d", c);
  std::printf("\nsize = %d\nn = %d\ncoils = %d\nreps = %d\n", size, n, ncoils, reps);
  std::printf("phantom_sum = %.15g\n", sum);
  std::printf("phantom_levels =");
  for (const auto& [tenths, count] : levels) std::printf(" %g:%ld", tenths / 10.0, count);
  std::printf("\nkspace_dc = %.15g\n", std::abs(scan.kspace[0]));
  std::printf("kspace_peak = %zu %zu\n", peak / n, peak % n);
  std::printf("seq_error = %.3g\nseq_imag = %.3g\n", seq_err, seq_imag);
  std::printf("two_stage_vs_seq = %.3g\ntwo_stage_error = %.3g\n", two_vs_seq, two_err);
  std::printf("transpose_vs_seq = %.3g\ntranspose_error = %.3g\n", tr_vs_seq, tr_err);
  std::printf("sos_max_error = %.3g\nsos_rel_error = %.3g\n", sos_max, sos_rel);
  std::printf("seq_s = %.6f\ntwo_stage_s = %.6f\n", t.seq, t.two_stage);
  std::printf("stage1_s = %.6f\nstage2_s = %.6f\n", t.stage1, t.stage2);
  std::printf("transpose_s = %.6f\n", t.transpose);
  std::printf("coil_scatter_s = %.6f\ncoil_recon_s = %.6f\n", t.coil_scatter, t.coil_recon);
  std::printf("coil_reduce_s = %.6f\nframe_s = %.6f\n", t.coil_reduce, t.frame);
  std::printf("time_s = %.6f\n", t.total);
  return seq_err <= tol_img && seq_imag <= tol_img && two_vs_seq <= tol_par &&
         tr_vs_seq <= tol_par && two_err <= tol_img && tr_err <= tol_img && sos_rel <= tol_img;
}
