// phantom.hpp — the Shepp–Logan head phantom as a map of tissues (lesson 09).
//
// The modified Shepp–Logan phantom (Toft's version of the 1974 original,
// the one lesson 07 reconstructs) is ten ellipses on the square [-1, 1]^2.
// Lesson 07 needs its grey values; this lesson needs its *regions*: a pixel
// belongs to the last ellipse in the table that contains it, and each region
// is given a tissue with its own (A, T2), typical values for each.  Kept in
// this folder so the lesson stands on its own.
#pragma once

#include <cmath>
#include <string>
#include <vector>

namespace phantom {

struct Ellipse {
  double a, b;    // semi-axes along x and y
  double x0, y0;  // centre
  double phi;     // rotation in degrees
};

// Toft's modified Shepp–Logan table (the grey values are not needed here).
inline constexpr Ellipse kEllipses[10] = {
  {0.69, 0.92, 0.0, 0.0, 0.0},        // 1 skull (outer edge)
  {0.6624, 0.874, 0.0, -0.0184, 0.0}, // 2 brain
  {0.11, 0.31, 0.22, 0.0, -18.0},     // 3 right dark ellipse
  {0.16, 0.41, -0.22, 0.0, 18.0},     // 4 left dark ellipse
  {0.21, 0.25, 0.0, 0.35, 0.0},       // 5 top blob
  {0.046, 0.046, 0.0, 0.1, 0.0},      // 6 small spots ...
  {0.046, 0.046, 0.0, -0.1, 0.0},     // 7
  {0.046, 0.023, -0.08, -0.605, 0.0}, // 8
  {0.023, 0.023, 0.0, -0.606, 0.0},   // 9
  {0.023, 0.046, 0.06, -0.605, 0.0},  // 10
};

enum Tissue { kBackground = 0, kBone, kMuscle, kGreyMatter, kOedema, kTissues };

inline const char* TissueName(int t)
{
  static const char* names[kTissues] = {"background", "bone", "muscle", "grey_matter", "oedema"};
  return names[t];
}

// (A, T2 in ms) per tissue, within the usual ranges: bone 1-10 ms,
// muscle 40-60 ms, grey matter 80-100 ms, oedema 150-300 ms.  A is the
// relative proton density.  Background has no signal and is not fitted.
inline constexpr double kAmp[kTissues] = {0.0, 0.5, 0.8, 1.0, 1.1};
inline constexpr double kT2[kTissues]  = {0.0, 8.0, 50.0, 85.0, 200.0};

// Which ellipses become which tissue: 1 (the skull ring) bone, 2 (the brain)
// grey matter, 3 and 4 (the two large dark ellipses) oedema, 5-10 (the top
// blob and the small spots) muscle.
inline constexpr int kRegionTissue[10] = {kBone, kGreyMatter, kOedema, kOedema, kMuscle,
                                          kMuscle, kMuscle, kMuscle, kMuscle, kMuscle};

// Region (1..10) of the point (x, y), 0 outside the head.
inline int Region(double x, double y)
{
  int region = 0;
  for (int k = 0; k < 10; ++k) {
    const Ellipse& e = kEllipses[k];
    const double   c = std::cos(e.phi * M_PI / 180.0), s = std::sin(e.phi * M_PI / 180.0);
    const double   u = (x - e.x0) * c + (y - e.y0) * s;
    const double   v = -(x - e.x0) * s + (y - e.y0) * c;
    if (u * u / (e.a * e.a) + v * v / (e.b * e.b) <= 1.0) region = k + 1;
  }
  return region;
}

// Tissue of pixel (row i, column j) of an n x n image of [-1, 1]^2, row 0 at
// the top (y = 1), pixel centres at -1 + (2j + 1)/n.
inline int TissueAt(int i, int j, int n)
{
  const double x = -1.0 + (2.0 * j + 1.0) / n;
  const double y = 1.0 - (2.0 * i + 1.0) / n;
  const int    r = Region(x, y);
  return r == 0 ? kBackground : kRegionTissue[r - 1];
}

// The tissue of every voxel of the n x n slice (row by row), and the list of
// the voxels inside the head (tissue other than background), in order.
inline void HeadVoxels(int n, std::vector<int>* tissue, std::vector<long>* head)
{
  tissue->resize(static_cast<std::size_t>(n) * n);
  head->clear();
  for (long v = 0; v < static_cast<long>(n) * n; ++v) {
    (*tissue)[v] = TissueAt(static_cast<int>(v / n), static_cast<int>(v % n), n);
    if ((*tissue)[v] != kBackground) head->push_back(v);
  }
}

}  // namespace phantom
