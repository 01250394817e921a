/**
 * @file pgm.hpp
 * @brief Write a grey image as a 16-bit binary PGM ("P5", maxval 65535), a
 * format almost every image viewer opens (GIMP, ImageMagick's `display`, eog,
 * Python with numpy, ...).
 *
 * The image is row-major with `height` rows of `width` values; value v is
 * stored as round(65535 v / vmax), clipped to [0, 65535], two bytes per pixel,
 * most significant byte first (the PGM rule for maxval > 255).  Row 0 of the
 * array is the smallest y; the file is written from the last row to the first,
 * so that a viewer shows y increasing upwards, as the phantom is usually drawn.
 * The file is written under a temporary name (PATH.part) and renamed when
 * complete, so a run that is stopped half-way never leaves a half-written image.
 */
#pragma once

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

/// Whether `path` can be written (tried under the temporary name, then
/// removed); false and `why` when not.
inline bool can_write(const std::string& path, std::string& why)
{
  const std::string part = path + ".part";
  std::FILE* f = std::fopen(part.c_str(), "wb");
  if (!f) {
    why = "cannot write " + path + ": " + std::strerror(errno);
    return false;
  }
  std::fclose(f);
  std::remove(part.c_str());
  return true;
}

/// Write `v` (height x width, row-major) to `path`; false and `why` on failure.
inline bool write_pgm(const std::string& path, const std::vector<double>& v, int width,
                      int height, double vmax, std::string& why)
{
  const std::string part = path + ".part";
  std::FILE* f = std::fopen(part.c_str(), "wb");
  if (!f) {
    why = "cannot write " + path + ": " + std::strerror(errno);
    return false;
  }
  std::fprintf(f, "P5\n# written by lesson 07-mri; top line = last array row (y up)\n");
  std::fprintf(f, "%d %d\n65535\n", width, height);
  std::vector<unsigned char> line(2 * static_cast<std::size_t>(width));
  for (int i = height - 1; i >= 0; --i) {
    for (int j = 0; j < width; ++j) {
      const double x = vmax > 0 ? v[static_cast<std::size_t>(i) * width + j] / vmax : 0.0;
      const long q = std::lround(std::clamp(x, 0.0, 1.0) * 65535.0);
      line[2 * j] = static_cast<unsigned char>(q >> 8);
      line[2 * j + 1] = static_cast<unsigned char>(q & 0xff);
    }
    std::fwrite(line.data(), 1, line.size(), f);
  }
  const bool ok = !std::ferror(f);
  if (std::fclose(f) != 0 || !ok || std::rename(part.c_str(), path.c_str()) != 0) {
    why = "cannot write " + path + ": " + std::strerror(errno);
    std::remove(part.c_str());
    return false;
  }
  return true;
}
