/**
 * @file mri_images.hpp
 * @brief The images of lesson 07 (`--write PREFIX`): the phantom, log |k-space|
 * (zero frequency in the centre), the reconstruction, the coil images side by
 * side and the sum of squares, as 16-bit PGM files (pgm.hpp).
 */
#pragma once

#include <mpi.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "cli.hpp"
#include "mri_check.hpp"
#include "pgm.hpp"
#include "recon.hpp"

/// A bad --write path stops the run at once, not after the work: rank 0 tries
/// to create the first file and tells everybody.  Every rank calls it.
inline void check_write_path(const std::string& prefix)
{
  if (prefix.empty()) return;
  int rank = 0, ok = 1;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  std::string why;
  if (rank == 0) ok = can_write(prefix + "_phantom.pgm", why) ? 1 : 0;
  MPI_Bcast(&ok, 1, MPI_INT, 0, MPI_COMM_WORLD);
  if (!ok) fail_all(why);
}

/// Every rank: its coils' images (im.my_coils, unscaled) are gathered on
/// rank 0 as magnitudes, which writes the five images.  A failed write stops
/// every rank with one error line.
inline void write_images(const std::string& prefix, const Scan& scan, const Images& im,
                         const Split& coils, int n)
{
  int rank = 0;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  const std::size_t nn = static_cast<std::size_t>(n) * n;
  const int ncoils = coils.displs.back() + coils.counts.back();
  const double norm = 1.0 / (static_cast<double>(n) * n);
  const Split numbers = scaled(coils, nn);
  std::vector<double> mags(nn * coils.counts[rank]), all(rank == 0 ? nn * ncoils : 0);
  for (std::size_t p = 0; p < mags.size(); ++p) mags[p] = std::abs(im.my_coils[p]) * norm;
  MPI_Gatherv(mags.data(), numbers.counts[rank], MPI_DOUBLE, all.data(), numbers.counts.data(),
              numbers.displs.data(), MPI_DOUBLE, 0, MPI_COMM_WORLD);
  int written = 1;
  std::string why;
  if (rank == 0) {
    // k-space: log(1 + |K|), zero frequency moved to the centre (fftshift).
    std::vector<double> klog(nn), recon(nn);
    for (int i = 0; i < n; ++i)
      for (int j = 0; j < n; ++j)
        klog[static_cast<std::size_t>((i + n / 2) % n) * n + (j + n / 2) % n] =
            std::log1p(std::abs(scan.kspace[static_cast<std::size_t>(i) * n + j]));
    for (std::size_t p = 0; p < nn; ++p) recon[p] = im.transposed[p].real();
    // Coil images side by side, up to 8 across; coil 0 top left (rows of
    // tiles count from the top of the picture).
    const int across = ncoils <= 4 ? ncoils : (ncoils <= 16 ? 4 : 8);
    const int down = (ncoils + across - 1) / across;
    std::vector<double> montage(nn * across * down, 0.0);
    for (int c = 0; c < ncoils; ++c)
      for (int i = 0; i < n; ++i)
        for (int j = 0; j < n; ++j) {
          const std::size_t row = static_cast<std::size_t>(down - 1 - c / across) * n + i;
          montage[row * across * n + (c % across) * n + j] = all[c * nn + i * n + j];
        }
    const double kmax = *std::max_element(klog.begin(), klog.end());
    const double cmax = *std::max_element(all.begin(), all.end());
    written = write_pgm(prefix + "_phantom.pgm", scan.image, n, n, 1.0, why) &&
              write_pgm(prefix + "_kspace.pgm", klog, n, n, kmax, why) &&
              write_pgm(prefix + "_recon.pgm", recon, n, n, 1.0, why) &&
              write_pgm(prefix + "_coils.pgm", montage, across * n, down * n, cmax, why) &&
              write_pgm(prefix + "_sos.pgm", im.sos, n, n, 1.0, why);
    if (written) std::printf("wrote %s_{phantom,kspace,recon,coils,sos}.pgm\n", prefix.c_str());
  }
  MPI_Bcast(&written, 1, MPI_INT, 0, MPI_COMM_WORLD);
  if (!written) fail_all(why);
}
