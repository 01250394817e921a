// city.hpp — lesson 12's synthetic city: the options, the grid of buses (a
// DMDA) and where everything is on it.
//
// The city is nx streets × ny avenues: node (x, y) is a bus, node number
// x + nx·y, and a line of conductance g joins every pair of neighbouring buses.
// The main substation in the centre is the slack bus: its voltage is held at
// v_slack and it supplies whatever the network needs.  Four substations (at
// the quarter points) each generate gen·load/4; every other bus is a
// neighbourhood drawing an equal share of the total load; the perimeter buses
// leak to earth through a shunt conductance g_ground.  `-fail_line a,b` takes
// the line between nodes a and b out of service.
#pragma once

#include <petscdmda.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include "dmda_layout.hpp"
#include "petsc_errors.hpp"

// Application context: the model of the grid.
struct AppCtx {
  PetscInt  nx, ny;          // streets x avenues (buses), as the DMDA has them
  PetscReal g;               // conductance of every line (per unit)
  PetscReal g_ground;        // shunt conductance to earth of a perimeter bus
  PetscReal load;            // total load of the neighbourhoods
  PetscReal gen;             // generation of the substations, as a fraction of the load
  PetscReal v_slack;         // voltage held at the slack bus
  PetscInt  slack;           // node number of the slack bus
  PetscInt  sub[4];          // node numbers of the substations (-1: none)
  PetscInt  n_sub, n_loads;  // how many substations and neighbourhoods
  PetscInt  fail_a, fail_b;  // the line -fail_line names (-1: none)
  PetscBool failed;          // is that line out of service now?
  PetscBool lu_check;        // compare with a direct MUMPS LU solve
  PetscInt  top;             // how many of the largest line currents to list
  char      fail_text[64], dump[PETSC_MAX_PATH_LEN];  // -fail_line as given; -dump file ("": none)
};

static inline PetscInt Node(const AppCtx* u, PetscInt x, PetscInt y) { return x + u->nx * y; }

static inline bool IsSubstation(const AppCtx* u, PetscInt node)
{
  for (PetscInt k = 0; k < 4; ++k)
    if (u->sub[k] == node) return true;
  return false;
}

// Net injection p at a bus other than the slack: generation positive, load negative.
static inline PetscReal Injection(const AppCtx* u, PetscInt node)
{
  if (IsSubstation(u, node)) return u->gen * u->load / (PetscReal)u->n_sub;
  return -u->load / (PetscReal)u->n_loads;
}

// Shunt to earth: only the perimeter of the city is grounded.
static inline PetscReal Shunt(const AppCtx* u, PetscInt x, PetscInt y)
{
  return (x == 0 || y == 0 || x == u->nx - 1 || y == u->ny - 1) ? u->g_ground : 0.0;
}

// Conductance of the line between neighbouring nodes a and b: g, or 0 for a
// line out of service.
static inline PetscReal Conductance(const AppCtx* u, PetscInt a, PetscInt b)
{
  if (u->failed && ((a == u->fail_a && b == u->fail_b) || (a == u->fail_b && b == u->fail_a))) return 0.0;
  return u->g;
}

// The program's own options, each checked where it is read.
static PetscErrorCode ReadOptions(AppCtx* u)
{
  PetscFunctionBeginUser;
  *u = AppCtx{40, 20, 10.0, 0.001, 0.8, 0.5, 1.0, -1, {-1, -1, -1, -1}, 0, 0, -1, -1, PETSC_FALSE, PETSC_TRUE, 5, "", ""};
  PetscOptionsBegin(PETSC_COMM_WORLD, NULL, "Power grid options", "KSP");
  PetscCall(PetscOptionsInt("-nx", "streets: buses in x, 5 to 20000 (also -da_grid_x, -da_refine)", "", u->nx, &u->nx, NULL));
  PetscCheck(u->nx >= 5 && u->nx <= 20000, PETSC_COMM_WORLD, PETSC_ERR_USER_INPUT,
             "-nx = %" PetscInt_FMT " is out of range [5, 20000]", u->nx);
  PetscCall(PetscOptionsInt("-ny", "avenues: buses in y, 1 to 20000; 1 is a single radial feeder (also -da_grid_y)", "",
                            u->ny, &u->ny, NULL));
  PetscCheck(u->ny >= 1 && u->ny <= 20000, PETSC_COMM_WORLD, PETSC_ERR_USER_INPUT,
             "-ny = %" PetscInt_FMT " is out of range [1, 20000]", u->ny);
  PetscCall(PetscOptionsReal("-g", "conductance of every line (per unit), > 0", "", u->g, &u->g, NULL));
  PetscCheck(u->g >= 1e-6 && u->g <= 1e6, PETSC_COMM_WORLD, PETSC_ERR_USER_INPUT,
             "-g = %.6g is out of range [1e-06, 1e+06]: a line conductance must be > 0", (double)u->g);
  PetscCall(PetscOptionsReal("-g_ground", "shunt conductance to earth of each perimeter bus, >= 0", "", u->g_ground,
                             &u->g_ground, NULL));
  PetscCheck(u->g_ground >= 0 && u->g_ground <= 1e6, PETSC_COMM_WORLD, PETSC_ERR_USER_INPUT,
             "-g_ground = %.6g is out of range [0, 1e+06]", (double)u->g_ground);
  PetscCall(PetscOptionsReal("-load", "total load of the neighbourhoods, >= 0", "", u->load, &u->load, NULL));
  PetscCheck(u->load >= 0 && u->load <= 1e6, PETSC_COMM_WORLD, PETSC_ERR_USER_INPUT,
             "-load = %.6g is out of range [0, 1e+06]", (double)u->load);
  PetscCall(PetscOptionsReal("-gen", "generation of the four substations, as a fraction of the load, 0 to 100", "",
                             u->gen, &u->gen, NULL));
  PetscCheck(u->gen >= 0 && u->gen <= 100, PETSC_COMM_WORLD, PETSC_ERR_USER_INPUT,
             "-gen = %.6g is out of range [0, 100]", (double)u->gen);
  PetscCall(PetscOptionsReal("-v_slack", "voltage held at the slack bus (the main substation), >= 0", "", u->v_slack,
                             &u->v_slack, NULL));
  PetscCheck(u->v_slack >= 0 && u->v_slack <= 1e6, PETSC_COMM_WORLD, PETSC_ERR_USER_INPUT,
             "-v_slack = %.6g is out of range [0, 1e+06]", (double)u->v_slack);
  PetscCall(PetscOptionsString("-fail_line", "a,b: take the line between nodes a and b (x + nx*y) out of service", "",
                               u->fail_text, u->fail_text, sizeof(u->fail_text), NULL));
  PetscCall(PetscOptionsBool("-lu_check", "compare with a direct MUMPS LU solve of the same matrix", "", u->lu_check,
                             &u->lu_check, NULL));
  PetscCall(PetscOptionsInt("-top", "how many of the largest line currents to list, 1 to 100", "", u->top, &u->top, NULL));
  PetscCheck(u->top >= 1 && u->top <= 100, PETSC_COMM_WORLD, PETSC_ERR_USER_INPUT,
             "-top = %" PetscInt_FMT " is out of range [1, 100]", u->top);
  PetscCall(PetscOptionsString("-dump", "write x,y,v[,v_failed] of every bus to this CSV file", "", u->dump, u->dump,
                               sizeof(u->dump), NULL));
  PetscOptionsEnd();

  // A -dump file we cannot write is an error now, before any work.
  if (u->dump[0] != '\0') {
    PetscMPIInt rank, ok = 1;
    PetscCallMPI(MPI_Comm_rank(PETSC_COMM_WORLD, &rank));
    if (rank == 0) {
      std::FILE* f = std::fopen(u->dump, "a");
      ok           = f != NULL;
      if (f) std::fclose(f);
    }
    PetscCallMPI(MPI_Bcast(&ok, 1, MPI_INT, 0, PETSC_COMM_WORLD));
    PetscCheck(ok, PETSC_COMM_WORLD, PETSC_ERR_USER_INPUT, "cannot write -dump file '%s'", u->dump);
  }
  PetscFunctionReturn(PETSC_SUCCESS);
}

// Is every bus still connected to the slack bus?  A breadth-first search over
// the lines in service; every rank runs it on the whole (structured) graph,
// one byte per node, so they all reach the same verdict without talking.
// Returns how many buses are cut off.
static PetscInt CountIslanded(const AppCtx* u)
{
  const PetscInt        n = u->nx * u->ny;
  std::vector<char>     seen(n, 0);
  std::vector<PetscInt> queue;
  queue.reserve(n);
  queue.push_back(u->slack);
  seen[u->slack] = 1;
  for (size_t head = 0; head < queue.size(); ++head) {
    const PetscInt a = queue[head], x = a % u->nx, y = a / u->nx;
    const PetscInt nb[4] = {x > 0 ? a - 1 : -1, x < u->nx - 1 ? a + 1 : -1, y > 0 ? a - u->nx : -1,
                            y < u->ny - 1 ? a + u->nx : -1};
    for (PetscInt b : nb) {
      if (b < 0 || seen[b] || Conductance(u, a, b) == 0.0) continue;
      seen[b] = 1;
      queue.push_back(b);
    }
  }
  return n - (PetscInt)queue.size();
}

// The line -fail_line a,b names: two neighbouring nodes, and not a line whose
// loss cuts buses off from the slack (they would have no supply and no voltage).
static PetscErrorCode ReadFailedLine(AppCtx* u)
{
  char*       end = nullptr;
  const char* text = u->fail_text;

  PetscFunctionBeginUser;
  if (text[0] == '\0') PetscFunctionReturn(PETSC_SUCCESS);
  errno        = 0;
  const long a = std::strtol(text, &end, 10);
  bool       ok = end != text && *end == ',' && errno != ERANGE;
  const char* second = ok ? end + 1 : text;
  const long  b      = ok ? std::strtol(second, &end, 10) : -1;
  ok                 = ok && end != second && *end == '\0' && errno != ERANGE;
  PetscCheck(ok, PETSC_COMM_WORLD, PETSC_ERR_USER_INPUT, "-fail_line needs two node numbers a,b, got '%s'", text);
  const long n = (long)u->nx * u->ny;
  PetscCheck(a >= 0 && b >= 0 && a < n && b < n, PETSC_COMM_WORLD, PETSC_ERR_USER_INPUT,
             "-fail_line %s: node numbers go from 0 to %ld", text, n - 1);
  const long d = a > b ? a - b : b - a;
  PetscCheck(d == u->nx || (d == 1 && a / u->nx == b / u->nx), PETSC_COMM_WORLD, PETSC_ERR_USER_INPUT,
             "-fail_line %s: there is no line between nodes %ld and %ld (neighbours differ by 1 or by nx = %" PetscInt_FMT ")",
             text, a, b, u->nx);
  u->fail_a = (PetscInt)a;
  u->fail_b = (PetscInt)b;
  u->failed = PETSC_TRUE;
  const PetscInt cut = CountIslanded(u);
  u->failed          = PETSC_FALSE;
  PetscCheck(cut == 0, PETSC_COMM_WORLD, PETSC_ERR_USER_INPUT,
             "-fail_line %s disconnects the network: %" PetscInt_FMT " bus(es) would be cut off from the slack bus with no supply",
             text, cut);
  PetscFunctionReturn(PETSC_SUCCESS);
}

// The grid of buses, distributed over the ranks (a 2-D split PETSc chooses);
// the star stencil of width 1 gives each rank the voltages of the buses just
// across its borders (ghosts), which the line currents need.  The size comes
// back from the DMDA (-da_grid_x, -da_refine), and everything is placed on it.
static PetscErrorCode CreateCity(AppCtx* u, DM* da)
{
  PetscFunctionBeginUser;
  PetscCall(DMDACreate2d(PETSC_COMM_WORLD, DM_BOUNDARY_NONE, DM_BOUNDARY_NONE, DMDA_STENCIL_STAR, u->nx, u->ny,
                         PETSC_DECIDE, PETSC_DECIDE, 1, 1, NULL, NULL, da));
  PetscCall(DMSetFromOptions(*da));
  PetscCall(DMDAGetInfo(*da, NULL, &u->nx, &u->ny, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL));
  PetscCheck(u->nx >= 5 && u->nx <= 20000 && u->ny >= 1 && u->ny <= 20000 && (double)u->nx * (double)u->ny <= 2.5e7,
             PETSC_COMM_WORLD, PETSC_ERR_USER_INPUT,
             "the grid has %" PetscInt_FMT " x %" PetscInt_FMT
             " buses: it needs 5 to 20000 streets, 1 to 20000 avenues and at most 25 million buses",
             u->nx, u->ny);
  // The slack bus in the centre, substations at the quarter points (on a
  // feeder, ny = 1: the two quarter points of the line).
  u->slack = Node(u, u->nx / 2, u->ny / 2);
  u->n_sub = 0;
  for (PetscInt k = 0; k < 4; ++k) {
    const PetscInt x = (k % 2 == 0 ? 1 : 3) * u->nx / 4, y = (k < 2 ? 1 : 3) * u->ny / 4;
    const PetscInt s = Node(u, x, y);
    u->sub[k]        = (s == u->slack || IsSubstation(u, s)) ? -1 : s;
    if (u->sub[k] >= 0) u->n_sub++;
  }
  u->n_loads = u->nx * u->ny - 1 - u->n_sub;
  PetscCall(ReadFailedLine(u));
  PetscCall(SetUpGridChecked(*da));
  PetscFunctionReturn(PETSC_SUCCESS);
}
