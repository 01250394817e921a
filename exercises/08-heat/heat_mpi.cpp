/**
 * @file heat_mpi.cpp
 * @brief Lesson 08: the explicit 2D heat equation u_t = alpha (u_xx + u_yy)
 * on [0,Lx] x [0,Ly] with u = 0 on the edges, in plain MPI: a 2D Cartesian
 * decomposition (MPI_Dims_create, MPI_Cart_create) and a halo exchange with
 * MPI_Sendrecv, or with --overlap nonblocking calls that overlap the update of
 * the block's inside.
 *
 * Each step, forward Euler with the 5-point Laplacian on nx x ny nodes:
 *   u' = u + cx (u_W - 2u + u_E) + cy (u_S - 2u + u_N),  cx = alpha dt/hx^2, cy = alpha dt/hy^2,
 * stable for r = cx + cy <= 1/2 (a larger --dt is refused).  A node on the
 * edge of a block needs its neighbour's node: one layer of halo nodes around
 * each block holds copies of them, refreshed every step (the halo exchange).
 *
 * What proves it right (heat.hpp): from u0 = sin(pi x/Lx) sin(pi y/Ly) the
 * scheme's solution is g^n u0 exactly, so scheme_error is round-off and
 * `check = PASS` requires scheme_error <= 1e-12; max_error is the distance to
 * the PDE's exact solution (the discretisation error).  Every node gets the
 * same arithmetic whatever the decomposition, so the field, max_error and
 * u_max are the same bit for bit at NP = 1, 2, 3, 4, and equal to heat_petsc's.
 *
 * Build and run: make; make run NP=4; make run NP=3 ARGS="--nx 30 --ny 17 --overlap".
 * --csv FILE --frames K writes the field at K+1 times (the lesson's figure);
 * --kernel rows8 sweeps eight rows per pass (stencil.hpp: the same bits, faster).
 */
#include <mpi.h>

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "cli.hpp"         // --name value options, fail_all
#include "heat.hpp"        // the problem, its two references, the result lines
#include "heat_block.hpp"  // this rank's block: its nodes, update, errors, --csv
#include "heat_mpi_options.hpp"  // --nx, --steps, --overlap, ...: the options of heat_mpi

// The neighbours of this rank's block (MPI_PROC_NULL beyond the edges of the
// grid: a message to or from it is no message) and the datatype of a column.
struct Halo {
  MPI_Comm     cart;
  int          south, north, west, east;
  MPI_Datatype column = MPI_DATATYPE_NULL;
  MPI_Request  req[8];
};

// >>> step 1: the halo exchange with MPI_Sendrecv
// A row of the block is contiguous; a column is not: its ly nodes lie one
// row apart in memory.
static void make_column(const Block& b, Halo& h)
{
  // TODO 1a: make h.column the datatype of one column of the block (b.ly
  //          doubles, b.stride apart), so that one message can send it.
  //          Hint: MPI_Type_vector, then MPI_Type_commit.
  (void)b, (void)h;
}

// The four halo messages of one step.
static void exchange(const Block& b, const Halo& h, double* p)
{
  // TODO 1b: exchange the block's edges with the four neighbours: my top
  //          owned row goes to the north neighbour while my bottom halo row
  //          arrives from the south; then the same downwards, eastwards and
  //          westwards (a column is one h.column).  Block::at(i, j) finds a
  //          node: rows -1 and b.ly, columns -1 and b.lx are the halo.
  //          Hint: MPI_Sendrecv, four times, on h.cart.
  (void)b, (void)h, (void)p;
}
// <<< step 1

// >>> step 2: the nonblocking halo exchange (--overlap)
// The same four exchanges, started without waiting.
static void exchange_start(const Block& b, Halo& h, double* p)
{
  // TODO 2: start the four exchanges of step 1 without waiting for them:
  //         first the four receives into the halo, then the four sends,
  //         with their requests in h.req[0] ... h.req[7] (step() waits for
  //         all eight).  Hint: MPI_Irecv, MPI_Isend.
  (void)b, (void)h, (void)p;
}
// <<< step 2

// One time step from u to un.  --overlap: the inside of the block needs no
// halo value, so it is updated while the messages travel; the one-node-wide
// rim follows once they have arrived.
static void step(const Block& b, Halo& h, const Heat& pb, bool overlap, bool rows8, double* u, double* un)
{
  if (!overlap) {
    exchange(b, h, u);
    update(b, pb, u, un, 0, b.lx, 0, b.ly, rows8);
    return;
  }
  std::fill(h.req, h.req + 8, MPI_REQUEST_NULL);
  exchange_start(b, h, u);
  update(b, pb, u, un, 1, b.lx - 1, 1, b.ly - 1, rows8);
  MPI_Waitall(8, h.req, MPI_STATUSES_IGNORE);
  update(b, pb, u, un, 0, b.lx, 0, 1, rows8);                                // bottom row
  if (b.ly > 1) update(b, pb, u, un, 0, b.lx, b.ly - 1, b.ly, rows8);        // top row
  update(b, pb, u, un, 0, 1, 1, b.ly - 1, rows8);                            // left column
  if (b.lx > 1) update(b, pb, u, un, b.lx - 1, b.lx, 1, b.ly - 1, rows8);    // right column
}

int main(int argc, char** argv)
{
  MPI_Init(&argc, &argv);
  int rank = 0, size = 0;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &size);

  // --- Options: every rank reads the same ones (heat_mpi_options.hpp).
  const RunOptions o = read_options(argc, argv);
  const Heat&      pb = o.pb;
  const long       nx = pb.nx, ny = pb.ny;

  // --- Set-up: MPI_Dims_create balances size = d0 x d1 (d0 >= d1); d0 blocks
  // go along x, d1 along y.  The Cartesian communicator has dimension 0 = y
  // and 1 = x, so that its row-major rank order (x fastest) is PETSc's too.
  int d[2] = {0, 0};
  MPI_Dims_create(size, 2, d);
  int dims[2] = {d[1], d[0]}, periods[2] = {0, 0}, coords[2];
  if (nx < dims[1] || ny < dims[0])
    fail_all("grid " + std::to_string(nx) + " x " + std::to_string(ny) + " is too small for " +
             std::to_string(dims[1]) + " x " + std::to_string(dims[0]) +
             " blocks: every rank needs at least one node per direction");
  Halo h;
  MPI_Cart_create(MPI_COMM_WORLD, 2, dims, periods, 0, &h.cart);  // reorder = 0: keep the ranks
  MPI_Cart_coords(h.cart, rank, 2, coords);
  MPI_Cart_shift(h.cart, 0, 1, &h.south, &h.north);
  MPI_Cart_shift(h.cart, 1, 1, &h.west, &h.east);
  const Block b = make_block(pb, dims, coords);
  std::vector<double> u = initial_field(b, pb), un(u.size(), 0.0);
  make_column(b, h);
  FieldCsv field(o.csv, b, pb);

  // --- Solve: steps time steps; the fastest step of each rank is kept too.
  MPI_Barrier(MPI_COMM_WORLD);
  const double t0 = MPI_Wtime();
  double best_step = 1e300;
  for (long n = 0, frame = 0; n < pb.steps; ++n) {
    if (field.active() && frame < o.frames && n == frame * pb.steps / o.frames) field.write(u, n * pb.dt), ++frame;
    const double ts = MPI_Wtime();
    step(b, h, pb, o.overlap, o.rows8, u.data(), un.data());
    std::swap(u, un);
    best_step = std::min(best_step, MPI_Wtime() - ts);
  }
  MPI_Barrier(MPI_COMM_WORLD);
  double time_s = MPI_Wtime() - t0, times[2] = {time_s, best_step}, slowest[2];
  field.write(u, pb.t_end());

  // --- Check and report: the errors of every block, combined on every rank.
  const HeatErrors e = block_errors(b, pb, u);
  MPI_Reduce(times, slowest, 2, MPI_DOUBLE, MPI_MAX, 0, MPI_COMM_WORLD);
  if (rank == 0) {
    std::printf("heat_mpi: %ld x %ld nodes on %d x %d blocks, %ld steps of dt = %.6g, %s halo exchange\n", nx, ny,
                dims[1], dims[0], pb.steps, pb.dt, o.overlap ? "overlapped nonblocking" : "MPI_Sendrecv");
    print_result(pb, size, dims[1], dims[0], o.overlap ? "overlap" : "sendrecv", o.rows8 ? "rows8" : "plain", e,
                 slowest[0], slowest[1]);
  }
  if (h.column != MPI_DATATYPE_NULL) MPI_Type_free(&h.column);
  MPI_Comm_free(&h.cart);
  MPI_Finalize();
  return e.pass() ? 0 : 1;  // the verdict is the same on every rank
}
