/**
 * @file t2_map.cpp
 * @brief Lesson 09: a whole T2 map, one small Tao fit per voxel, voxels over ranks.
 *
 * An n x n slice (-n, default 256) of the Shepp–Logan head phantom is split
 * into tissues (phantom.hpp: skull = bone, brain = grey matter, the two large
 * ellipses = oedema, the other six = muscle), each with its own (A, T2).
 * Every voxel inside the head gets a multi-echo series
 * S_i = A exp(-t_i/T2) + sigma n_i at the echo times (-te, default ten from
 * 10 to 280 ms), sigma = -noise (default 0.02).  The noise of voxel v comes
 * from a counter-based generator keyed by (-seed, v), so the data, and the
 * map, are the same on any number of ranks.
 *
 * The fits are independent: the head voxels are dealt out to the ranks in
 * contiguous blocks, and no rank talks to another until the map is gathered.
 * Each rank creates ONE Tao (blmvm with the bounds A >= 0, T2 >= 1 ms by
 * default; -tao_type picks another method) and reuses it for all its voxels:
 * it points the objective at the next voxel's signal and solves again.
 * -tao_per_voxel creates and destroys a Tao for every voxel instead, to
 * measure what that set-up costs.  The start is a log-linear fit (ln S
 * against t, -init loglin) or the fixed (0.8, 50) (-init fixed).
 *
 * Run: `make run PROG=t2_map NP=2`, `make run PROG=t2_map NP=2 ARGS="-n 64 -noise 0"`.
 * Proof it is right: with -noise 0 every voxel returns its tissue's T2
 * (`max_rel_error` below 1e-6); with noise, every voxel agrees with an
 * independent Levenberg–Marquardt fit (`ref_max_diff_sd`: the largest
 * difference in units of the voxel's T2 uncertainty, below 1e-3), and
 * `map_checksum` is the same at every NP.  `check = PASS` sums it up.
 */
static char help[] = "Fits a T2 map of an n x n Shepp-Logan slice, one Tao fit per voxel (lesson 09).\n"
                     "Options: -n N, -noise sigma, -seed k, -te t1,t2,..., -init loglin|fixed, -tao_per_voxel,\n"
                     "-map_csv FILE, -truth_csv FILE, any -tao_ option (default -tao_type blmvm with bounds).\n\n";

#include <petsctao.h>

#include <vector>

#include "map_report.hpp"
#include "petsc_errors.hpp"
#include "phantom.hpp"
#include "t2_model.hpp"
#include "t2_tao.hpp"

struct Options {
  PetscInt            n = 256, seed = 2024, init = 0;
  PetscReal           noise     = 0.02;
  PetscBool           per_voxel = PETSC_FALSE;
  char                map_csv[PETSC_MAX_PATH_LEN] = "", truth_csv[PETSC_MAX_PATH_LEN] = "";
  std::vector<double> times = t2::kEchoTimes;
};
static const char* const kInits[] = {"loglin", "fixed"};

static PetscErrorCode ReadOptions(Options* o)
{
  PetscReal te[257];
  PetscInt  nte = 257;
  PetscBool set = PETSC_FALSE;

  PetscFunctionBeginUser;
  PetscOptionsBegin(PETSC_COMM_WORLD, NULL, "T2 map of a phantom slice", "Tao");
  PetscCall(PetscOptionsRangeInt("-n", "image size n (n x n voxels, 2 to 4096)", "", o->n, &o->n, NULL, 2, 4096));
  PetscCall(PetscOptionsReal("-noise", "noise standard deviation, units of A (>= 0)", "", o->noise, &o->noise, NULL));
  PetscCall(PetscOptionsBoundedInt("-seed", "key of the noise generator (>= 0)", "", o->seed, &o->seed, NULL, 0));
  PetscCall(PetscOptionsRealArray("-te", "echo times in ms, comma-separated (default 10,20,40,...,280)", "", te, &nte, &set));
  PetscCall(PetscOptionsEList("-init", "start of each fit", "TaoSetSolution", kInits, 2, kInits[o->init], &o->init, NULL));
  PetscCall(PetscOptionsBool("-tao_per_voxel", "create a new Tao for every voxel (slow, for comparison)", "TaoCreate", o->per_voxel,
                             &o->per_voxel, NULL));
  PetscCall(PetscOptionsString("-map_csv", "write the fitted T2 map (ms) to this CSV file", "", o->map_csv, o->map_csv,
                               sizeof(o->map_csv), NULL));
  PetscCall(PetscOptionsString("-truth_csv", "write the true T2 map (ms) to this CSV file", "", o->truth_csv, o->truth_csv,
                               sizeof(o->truth_csv), NULL));
  PetscOptionsEnd();
  PetscCheck(o->noise >= 0 && o->noise < 1e6, PETSC_COMM_WORLD, PETSC_ERR_USER_INPUT, "-noise = %g is out of range (0 <= sigma < 1e6)",
             (double)o->noise);
  if (set) PetscCall(CheckEchoTimes(te, nte, 257, 2, &o->times));  // 2 unknowns need at least 2 echoes
  PetscFunctionReturn(PETSC_SUCCESS);
}

// Fit this rank's voxels, one after the other, with one Tao (or, with
// -tao_per_voxel, a new one for each).  Failures are counted, not fatal.
static PetscErrorCode FitMyVoxels(const Options& o, AppCtx* user, const TaoSettings& s, MyFits* my, FitFailures* failed, char* type)
{
  const std::size_t ne = o.times.size();
  Vec               x;
  Mat               H;
  Tao               tao = NULL;

  PetscFunctionBeginUser;
  PetscCall(VecCreateSeq(PETSC_COMM_SELF, 2, &x));
  PetscCall(MatCreateSeqDense(PETSC_COMM_SELF, 2, 2, NULL, &H));
  if (!o.per_voxel) PetscCall(CreateTao(user, x, H, s, &tao));
  for (PetscInt k = 0; k < my->mine; ++k) {
    user->signal = my->data.data() + k * ne;  // the same Tao, the next voxel
    double* p0   = my->start.data() + 2 * k;
    if (o.init == 0) t2::LogLinearStart(o.times, user->signal, p0);
    else { p0[0] = 0.8; p0[1] = 50.0; }
    if (o.per_voxel) PetscCall(CreateTao(user, x, H, s, &tao));
    TaoConvergedReason reason;
    PetscInt           its;
    PetscCall(FitVoxel(tao, x, p0, my->fit.data() + 2 * k, &reason));
    PetscCall(TaoGetIterationNumber(tao, &its));
    my->iters[k] = (int)its;
    failed->Note(reason, its);
    if (o.per_voxel) PetscCall(TaoDestroy(&tao));
  }
  if (!tao) PetscCall(CreateTao(user, x, H, s, &tao));  // to learn the method's name
  TaoType t;
  PetscCall(TaoGetType(tao, &t));
  PetscCall(PetscStrncpy(type, t, 64));
  PetscCall(TaoDestroy(&tao));
  PetscCall(MatDestroy(&H));
  PetscCall(VecDestroy(&x));
  PetscFunctionReturn(PETSC_SUCCESS);
}

int main(int argc, char** argv)
{
  PetscCall(PetscInitialize(&argc, &argv, NULL, help));
  PetscCall(PetscPushErrorHandler(UserInputErrorHandler, NULL));
  PetscMPIInt rank = 0, size = 0;
  PetscCallMPI(MPI_Comm_rank(PETSC_COMM_WORLD, &rank));
  PetscCallMPI(MPI_Comm_size(PETSC_COMM_WORLD, &size));
  Options o;
  PetscCall(ReadOptions(&o));

  // Every rank lists the head voxels (cheap), then takes its share of them.
  std::vector<int>  tissue;
  std::vector<long> head;
  phantom::HeadVoxels((int)o.n, &tissue, &head);
  PetscInt nhead = (PetscInt)head.size();
  // >>> step 4: which head voxels are mine?
  // TODO 4: deal the nhead head voxels out to the ranks in contiguous blocks
  //         as even as can be (sizes differ by at most one, the larger blocks
  //         on the lower ranks): set `mine` to this rank's number of voxels and
  //         `first` to the index, in the list `head`, of its first voxel.
  //         Hint: PetscSplitOwnership (with PETSC_DECIDE), then MPI_Scan or MPI_Exscan.
  PetscInt first = 0, mine = 0;  // placeholder: no voxel for anyone
  // <<< step 4
  std::vector<int> counts, displs;
  PetscCall(CheckShares(first, mine, nhead, &counts, &displs));

  // The data of my voxels: one row of echoes per voxel.
  const std::size_t ne = o.times.size();
  MyFits            my;
  my.mine = mine;
  my.data.resize(mine * ne);
  my.start.resize(2 * mine);
  my.fit.resize(2 * mine);
  my.iters.resize(mine);
  for (PetscInt k = 0; k < mine; ++k) {
    const long                v = head[first + k];
    const std::vector<double> s = t2::Signal(o.times, {phantom::kAmp[tissue[v]], phantom::kT2[tissue[v]]}, o.noise,
                                             (std::uint64_t)o.seed, (std::uint64_t)v, 0);
    std::copy(s.begin(), s.end(), my.data.begin() + k * ne);
  }

  // Fit them: blmvm with A >= 0, T2 >= 1 ms, |gradient| < 1e-9 (T2 settled to about 1e-6).
  AppCtx       user;
  TaoSettings  s;
  FitFailures  failed;
  char         type[64];
  const double lower[2] = {0.0, 1.0}, upper[2] = {PETSC_INFINITY, PETSC_INFINITY};
  user.times = &o.times;
  s.type     = TAOBLMVM;
  s.gatol    = 1e-9;
  s.max_it   = 2000;
  s.lower    = lower;
  s.upper    = upper;
  PetscCallMPI(MPI_Barrier(PETSC_COMM_WORLD));
  const double t0 = MPI_Wtime();
  PetscCall(FitMyVoxels(o, &user, s, &my, &failed, type));
  PetscCallMPI(MPI_Barrier(PETSC_COMM_WORLD));
  const double time_s = MPI_Wtime() - t0;

  // Check (outside the timing) and report: the map gathered on rank 0.
  PetscBool converged = PETSC_FALSE, pass = PETSC_FALSE;
  PetscCall(ReportNotConverged(type, failed, (long)nhead, "voxels", &converged));
  if (converged) {
    RefStats ref;
    PetscCall(CompareWithReference(o.times, o.noise, my, &ref));
    const MapRun run = {(int)o.n, size, o.noise, time_s, type, kInits[o.init], o.per_voxel == PETSC_TRUE, &tissue, &head,
                        o.map_csv, o.truth_csv};
    PetscCall(ReportMap(run, my, counts, displs, ref, &pass));
    PetscCall(WarnUnusedOptions());
  }
  PetscCall(PetscPopErrorHandler());
  PetscCall(PetscFinalize());
  return pass ? 0 : 1;
}
