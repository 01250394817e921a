// heat_block.hpp — heat_mpi's block of nodes: which nodes a rank owns, its
// start field, its update, its errors, and the whole field written as CSV
// (--csv).  You need not read it to do the exercise: the halo is yours.
#pragma once

#include <mpi.h>

#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include "cli.hpp"
#include "heat.hpp"
#include "stencil.hpp"

// The block of nodes this rank owns, with one halo layer on every side:
// local index (j+1)*(lx+2) + (i+1) for owned node (x0+i, y0+j).
struct Block {
  int  x0, y0, lx, ly;  // first owned node and number of owned nodes per direction
  int  stride;          // lx + 2: distance between two rows in memory
  long at(int i, int j) const { return static_cast<long>(j + 1) * stride + (i + 1); }
  long size() const { return static_cast<long>(lx + 2) * (ly + 2); }
};

// Nodes [first, first+count) of n split over p parts, part c: the first n % p parts get one more.
inline void split(long n, int p, int c, int* first, int* count)
{
  const int q = static_cast<int>(n / p), r = static_cast<int>(n % p);
  *count = q + (c < r ? 1 : 0);
  *first = c * q + std::min(c, r);
}

// The block at Cartesian coordinates `coords` (dimension 0 = y, 1 = x) of a
// dims[0] x dims[1] grid of blocks.
inline Block make_block(const Heat& pb, const int dims[2], const int coords[2])
{
  Block b;
  split(pb.nx, dims[1], coords[1], &b.x0, &b.lx);
  split(pb.ny, dims[0], coords[0], &b.y0, &b.ly);
  b.stride = b.lx + 2;
  return b;
}

// The start field u0 on the owned nodes; the halo is 0 until the first exchange.
inline std::vector<double> initial_field(const Block& b, const Heat& pb)
{
  std::vector<double> u(b.size(), 0.0);
  for (int j = 0; j < b.ly; ++j)
    for (int i = 0; i < b.lx; ++i) u[b.at(i, j)] = pb.u0(b.x0 + i, b.y0 + j);
  return u;
}

// One update of the owned nodes in rows [jb, je) and columns [ib, ie) (local
// indices) from u to un.  Global edge nodes are skipped: they stay 0.
inline void update(const Block& b, const Heat& pb, const double* u, double* un, int ib, int ie, int jb, int je,
                   bool rows8)
{
  ib = std::max<long>(ib, 1 - b.x0);  // global column 0 is an edge
  jb = std::max<long>(jb, 1 - b.y0);
  ie = std::min<long>(ie, pb.nx - 1 - b.x0);
  je = std::min<long>(je, pb.ny - 1 - b.y0);
  if (jb >= je || ib >= ie) return;
  stencil_sweep(u + b.at(0, jb - 1), b.stride, un + b.at(0, jb), b.stride, ib, ie, je - jb, pb.cx, pb.cy, rows8);
}

// The errors of the owned nodes, combined over all ranks (every rank gets them).
inline HeatErrors block_errors(const Block& b, const Heat& pb, const std::vector<double>& u)
{
  HeatErrors   e, all;
  const double decay = pb.decay(), gn = pb.scheme_decay();
  for (int j = 0; j < b.ly; ++j)
    for (int i = 0; i < b.lx; ++i) e.add(pb, b.x0 + i, b.y0 + j, u[b.at(i, j)], decay, gn);
  MPI_Allreduce(e.max, all.max, 3, MPI_DOUBLE, MPI_MAX, MPI_COMM_WORLD);
  MPI_Allreduce(&e.sq, &all.sq, 1, MPI_DOUBLE, MPI_SUM, MPI_COMM_WORLD);
  return all;
}

// --csv FILE: rank 0 collects the whole field at some times and writes rows
// t,x,y,u.  It writes FILE.tmp and renames it to FILE at the end, so a run
// that stops half-way leaves no half-written FILE.
class FieldCsv {
public:
  FieldCsv(const std::string& name, const Block& b, const Heat& pb) : name_(name), b_(b), pb_(pb)
  {
    if (name_.empty()) return;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
    MPI_Comm_size(MPI_COMM_WORLD, &size_);
    int ok = 1;
    if (rank_ == 0) {
      out_ = std::fopen((name_ + ".tmp").c_str(), "w");
      ok   = out_ != nullptr;
      if (out_) std::fprintf(out_, "t,x,y,u\n");
    }
    MPI_Bcast(&ok, 1, MPI_INT, 0, MPI_COMM_WORLD);
    if (!ok) fail_all("cannot write '" + name_ + "'");
    ext_.resize(4 * size_);
    const int mine[4] = {b.x0, b.y0, b.lx, b.ly};
    MPI_Gather(mine, 4, MPI_INT, ext_.data(), 4, MPI_INT, 0, MPI_COMM_WORLD);
  }
  ~FieldCsv()
  {
    if (!out_) return;
    std::fclose(out_);
    std::rename((name_ + ".tmp").c_str(), name_.c_str());
  }
  bool active() const { return !name_.empty(); }

  // Collective: the field u (a block with halo) at time t.
  void write(const std::vector<double>& u, double t)
  {
    if (name_.empty()) return;
    const Block& b = b_;
    std::vector<double> own(static_cast<size_t>(b.lx) * b.ly);
    for (int j = 0; j < b.ly; ++j)
      for (int i = 0; i < b.lx; ++i) own[static_cast<size_t>(j) * b.lx + i] = u[b.at(i, j)];
    std::vector<int> counts(size_), displs(size_);
    for (int k = 0; k < size_; ++k) {
      counts[k] = ext_[4 * k + 2] * ext_[4 * k + 3];
      displs[k] = k == 0 ? 0 : displs[k - 1] + counts[k - 1];
    }
    const long nx = pb_.nx, ny = pb_.ny;
    std::vector<double> all(rank_ == 0 ? static_cast<size_t>(nx) * ny : 0), whole(all.size());
    MPI_Gatherv(own.data(), b.lx * b.ly, MPI_DOUBLE, all.data(), counts.data(), displs.data(), MPI_DOUBLE, 0,
                MPI_COMM_WORLD);
    if (rank_ != 0) return;
    for (int k = 0; k < size_; ++k)
      for (int j = 0; j < ext_[4 * k + 3]; ++j)
        for (int i = 0; i < ext_[4 * k + 2]; ++i)
          whole[static_cast<size_t>(ext_[4 * k + 1] + j) * nx + ext_[4 * k] + i] =
              all[displs[k] + static_cast<size_t>(j) * ext_[4 * k + 2] + i];
    for (long j = 0; j < ny; ++j)
      for (long i = 0; i < nx; ++i)
        std::fprintf(out_, "%.6g,%.6g,%.6g,%.6g\n", t, i * pb_.hx, j * pb_.hy, whole[static_cast<size_t>(j) * nx + i]);
  }

private:
  std::string      name_;
  Block            b_;
  Heat             pb_;
  FILE*            out_  = nullptr;
  int              rank_ = 0, size_ = 1;
  std::vector<int> ext_;
};
