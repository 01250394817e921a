// heat_mpi_options.hpp — the command-line options of heat_mpi (cli.hpp does
// the parsing: one `error: ...` line from rank 0 for a wrong one).
#pragma once

#include <string>

#include "cli.hpp"
#include "heat.hpp"

struct RunOptions {
  Heat        pb;               // the problem: grid, rectangle, alpha, dt, steps
  bool        overlap = false;  // nonblocking halo exchange, overlapped with the update
  bool        rows8   = false;  // eight rows per pass (stencil.hpp)
  std::string csv;              // write the field to this file ("" : not at all)
  long        frames  = 3;      // ... at frames + 1 times
};

inline RunOptions read_options(int argc, char** argv)
{
  Options opt(argc, argv,
              "usage: heat_mpi [--nx N] [--ny N] [--lx L] [--ly L] [--alpha A] [--dt DT] [--steps N]\n"
              "                [--overlap] [--kernel plain|rows8] [--csv FILE --frames K] [--help]\n"
              "Explicit 2D heat equation u_t = alpha (u_xx + u_yy), u = 0 on the edges,\n"
              "u0 = sin(pi x/Lx) sin(pi y/Ly), on a 2D MPI decomposition with halo exchange.\n"
              "  --nx N, --ny N  grid nodes per direction, edges included, 3 ... 100000 (default 101)\n"
              "  --lx L, --ly L  size of the rectangle (default 1)\n"
              "  --alpha A       diffusivity (default 1)\n"
              "  --dt DT         time step; default 0.4 / (alpha (1/hx^2 + 1/hy^2)), the stable\n"
              "                  limit is alpha dt (1/hx^2 + 1/hy^2) <= 1/2\n"
              "  --steps N       time steps, 0 ... 10000000 (default 500)\n"
              "  --overlap       nonblocking halo exchange overlapped with the inner update\n"
              "  --kernel K      plain (one row per pass, default) or rows8 (eight rows per pass)\n"
              "  --csv FILE      write t,x,y,u of the whole field at K+1 times (rank 0)\n"
              "  --frames K      number of intervals between written fields, 1 ... 100 (default 3)\n");
  RunOptions o;
  const long nx = opt.integer("--nx", 101, 3, 100000);
  const long ny = opt.integer("--ny", 101, 3, 100000);
  o.pb.Lx       = opt.real("--lx", 1.0, 1e-6, 1e6);
  o.pb.Ly       = opt.real("--ly", 1.0, 1e-6, 1e6);
  o.pb.alpha    = opt.real("--alpha", 1.0, 1e-12, 1e12);
  const double dt = opt.real("--dt", 0.0, 1e-300, 1e300);  // 0: not given
  o.pb.steps    = opt.integer("--steps", 500, 0, 10000000);
  o.overlap     = opt.flag("--overlap");
  o.rows8       = opt.word("--kernel", "plain", {"plain", "rows8"}) == "rows8";
  o.csv         = opt.text("--csv", "");
  o.frames      = opt.integer("--frames", 3, 1, 100);
  opt.finish();
  o.pb.set_grid(nx, ny, dt);
  if (!o.pb.stable()) {
    char msg[200];
    o.pb.unstable_message(msg, sizeof msg, "--dt");
    fail_all(msg);
  }
  return o;
}
