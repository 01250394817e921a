#!/usr/bin/env bats
# Every lesson's job script (solutions/NN-slug/job.sbatch) on a real Slurm:
# a single-node cluster (munged, slurmctld, slurmd) started for this file in a
# temporary directory and stopped at the end.  MPI-only lessons run under both
# MPIs (srun --mpi=pmix for Open MPI, --mpi=pmi2 for MPICH), PETSc and FFTW-MPI
# lessons under Open MPI.  Each job checks that the program saw every task.
#
# What this file proves is the job scripts' mechanics (the srun plugin for
# each MPI, the size check catching a wrong one, the program's own check
# read, make submit and make sbatch), not the numbers: the lessons' own tests
# check those.  So every job, and the make submit runs, are submitted at once
# in setup_file, a lesson with a costly default problem runs a small one
# (test_args), and each test only waits for its jobs.

setup_file() {
  load helpers
  load slurm
  slurm_available || skip "Slurm (slurm-wlm, munge) is not installed: docker/install-deps.sh installs it"
  export SLURM_DIR; SLURM_DIR="$(mktemp -d /tmp/course-slurm.XXXXXX)"
  slurm_start "$SLURM_DIR"
  export JOBS="$SLURM_DIR/jobs"; mkdir -p "$JOBS"
  # The longest wait for any job, queueing included: a guard against a hang.
  # On a fresh checkout every job builds its lesson first (PETSc programs
  # take a minute each on 2 busy cores), so the last jobs queue for minutes.
  export WAIT_S=1200
  # make submit, LAUNCH=mpiexec and the wrong-plugin job (below) run jobs of
  # lessons 02 and 05 beside those lessons' own jobs: their programs are
  # built first (nothing to do after `make all`), as two jobs building one
  # folder at once could clash.
  make -s -C "$COURSE_ROOT/solutions/02-hello" MPI=system all > /dev/null
  make -s -C "$COURSE_ROOT/solutions/02-hello" MPI=mpich all > /dev/null
  make -s -C "$COURSE_ROOT/solutions/05-collectives" MPI=mpich all > /dev/null
  # The node as it is before any job: what the first test checks.
  sinfo -h -o '%t %c' > "$JOBS/sinfo" 2>&1
  # Submit every job now, all at once; each test waits for its own.  The
  # list of (lesson, MPI) pairs is fixed here, once, in $JOBS/plan.
  # Open MPI first, every lesson, so that jobs start while the MPICH list is
  # worked out (a make per lesson, all at once).
  local l pids=()
  for l in $(lessons_with_jobs); do
    echo "$l system" >> "$JOBS/plan"
    submit_bg "$l" system
  done
  for l in $(lessons_with_jobs); do
    job_mpis "$l" > "$JOBS/$l.mpis" &
    pids+=($!)
  done
  wait "${pids[@]}"
  for l in $(lessons_with_jobs); do
    [[ " $(< "$JOBS/$l.mpis") " == *" mpich "* ]] || continue
    echo "$l mpich" >> "$JOBS/plan"
    submit_bg "$l" mpich
  done
  # The make targets and the wrong-plugin job, in the background too.
  bg_run submit "$JOBS/submit" make --no-print-directory submit LESSON=02 NP=3
  bg_run submit-mpiexec "$JOBS/submit-mpiexec" make --no-print-directory submit LESSON=05 NP=2 MPI=mpich LAUNCH=mpiexec
  bg_run wrong-plugin "$JOBS/wrong-plugin" env -C solutions/02-hello MPI=mpich SRUN_MPI=none \
    sbatch --parsable --wait --ntasks=2 job.sbatch
}

teardown_file() {
  load slurm
  [ -n "${SLURM_DIR:-}" ] || return 0
  slurm_stop "$SLURM_DIR"
  rm -rf "$SLURM_DIR"
  rm -f "$COURSE_ROOT"/solutions/*/[0-9][0-9]-*-[0-9]*.out
}

setup() {
  load helpers
  load slurm
  export SLURM_CONF="$SLURM_DIR/slurm.conf"
}

# (setup_file forks as little as it can: on a loaded 2-core machine each
# process started costs a good part of a second.)
lessons_with_jobs() {
  local d
  for d in "$COURSE_ROOT"/solutions/[0-9][0-9]-*/job.sbatch; do d="${d%/job.sbatch}"; echo "${d##*/}"; done
}

# job_mpis LESSON: the MPIs its job runs under: Open MPI always, MPICH too when
# the job's program is a plain MPI one (the lesson's `make list-mpi-programs`;
# PETSc and FFTW-MPI programs are built on Open MPI).  A job of one task with
# several cores (lesson 01: threads, no MPI) runs under Open MPI only: its
# MPICH build would test nothing more.
job_mpis() {
  local dir="$COURSE_ROOT/solutions/$1" prog="" line threads=""
  while IFS= read -r line; do
    [[ "$line" =~ ^PROG=\$\{PROG:-(.*)\}$ ]] && prog="${BASH_REMATCH[1]}"
    [[ "$line" == *cpus-per-task* ]] && threads=1
  done < "$dir/job.sbatch"
  if [ -z "$threads" ] &&
    [[ " $(make -s --no-print-directory -C "$dir" list-mpi-programs 2> /dev/null) " == *" $prog "* ]]; then
    echo system mpich
  else echo system; fi
}

# test_args LESSON MPI: the problem the test runs (the ARGS of the job script),
# empty for the job script's own default.  What this file proves is the job
# script's mechanics (the srun plugin, the size check, the program's check
# read), not the numerics, which the lesson's own tests check; so a lesson
# whose default problem takes seconds of compute runs a small one here, still
# big enough for the program's own check.  The PETSc lessons, and lesson 08's
# heat_mpi under Open MPI, run their default problem (a second or less of
# compute).  MPICH's waiting ranks spin rather than yield, which at 4 ranks on
# 2 cores costs more than a minute for heat_mpi's default 500 steps.
# It sets TEST_ARGS.
test_args() {
  case "$1:$2" in
    01-single-core:*) TEST_ARGS="--n 1000000 --heavy-n 50000 --repeat 1" ;;
    06-fft:*)         TEST_ARGS="--rows 64 --cols 64 --reps 1" ;;
    07-mri:*)         TEST_ARGS="--n 64 --coils 4 --reps 1" ;;
    08-heat:mpich)    TEST_ARGS="--nx 41 --ny 41 --steps 20" ;;
    *)                TEST_ARGS="" ;;
  esac
}

# submit_bg LESSON MPI: sbatch --wait in the background; its exit status and
# job id land in $JOBS/LESSON.MPI.{status,id}.
submit_bg() {
  local l="$1" mpi="$2"
  test_args "$l" "$mpi"
  # set +e: bats runs setup_file under set -e, which would end the subshell
  # at a failing sbatch, before it writes the exit status.
  ( set +e; cd "$COURSE_ROOT/solutions/$l" &&
    MPI="$mpi" ARGS="$TEST_ARGS" timeout "$WAIT_S" sbatch --parsable --wait job.sbatch > "$JOBS/$l.$mpi.id" 2>&1
    echo $? > "$JOBS/$l.$mpi.status" ) < /dev/null > /dev/null 2>&1 &
  echo $! > "$JOBS/$l.$mpi.pid"
}

# bg_run NAME FILE COMMAND...: run COMMAND from the course root in the
# background (at most $WAIT_S s); its output lands in FILE, its exit status in
# FILE.status.
bg_run() {
  local name="$1" file="$2"; shift 2
  ( set +e; cd "$COURSE_ROOT" && timeout "$WAIT_S" "$@" > "$file" 2>&1
    echo $? > "$file.status" ) < /dev/null > /dev/null 2>&1 &
  echo $! > "$file.pid"
}

# wait_status FILE: wait until FILE.status is written (at most $WAIT_S s), or the
# background process (pid in FILE.pid) has ended without writing it.
wait_status() {
  local f="$1" pid i
  pid="$(cat "$f.pid")"
  for ((i = 0; i < 5 * WAIT_S + 50; i++)); do
    [ -s "$f.status" ] && return 0
    kill -0 "$pid" 2> /dev/null || { sleep 0.2; [ -s "$f.status" ]; return; }
    sleep 0.2
  done
  return 1
}

# bg_result FILE: wait for a bg_run; set $status and $output.
bg_result() {
  local f="$1"
  wait_status "$f" || { echo "$f: no exit status (not finished in $WAIT_S s, or killed)" >&2; return 1; }
  status="$(cat "$f.status")"
  output="$(cat "$f")"
}

# job_result LESSON MPI: wait for the job; set $status (sbatch's, i.e. the
# job's exit status) and $output (the job's output file).
job_result() {
  local l="$1" mpi="$2" id
  grep -qx "$l $mpi" "$JOBS/plan" || { echo "job $l ($mpi) was not submitted (see job_mpis)" >&2; return 1; }
  wait_status "$JOBS/$l.$mpi" ||
    { echo "job $l ($mpi): sbatch gave no exit status (not finished in $WAIT_S s, or killed)" >&2; return 1; }
  status="$(cat "$JOBS/$l.$mpi.status")"
  id="$(grep -m1 -oE '^[0-9]+' "$JOBS/$l.$mpi.id")" || { cat "$JOBS/$l.$mpi.id" >&2; return 1; }
  output="$(cat "$COURSE_ROOT/solutions/$l/$l-$id.out")"
}

# assert_job LESSON MPI: the job succeeded and checked its own rank count.
assert_job() {
  job_result "$1" "$2" || return 1
  [ "$status" -eq 0 ] || { echo "job $1 ($2) failed with status $status:" >&2; printf '%s\n' "$output" >&2; return 1; }
  printf '%s\n' "$output" | grep -q '^job check: ' ||
    { echo "job $1 ($2) printed no 'job check:' line:" >&2; printf '%s\n' "$output" >&2; return 1; }
  # the problem the test asked for (or the job script's default) was run
  test_args "$1" "$2"
  [ -z "$TEST_ARGS" ] || [[ "$output" == *" $TEST_ARGS "* ]] ||
    { echo "job $1 ($2) did not run with ARGS=\"$TEST_ARGS\":" >&2; printf '%s\n' "$output" | head -n 1 >&2; return 1; }
}

@test "slurm: the test cluster is up with one idle node of 4 CPUs" {
  # as sinfo saw it in setup_file, before the jobs were submitted
  run cat "$JOBS/sinfo"
  assert_output 'idle 4'
  run sinfo -h -o '%c'
  assert_output '4'
}

@test "slurm: every lesson has a job script" {
  local l
  for l in $(ls "$COURSE_ROOT/solutions"); do
    [ -f "$COURSE_ROOT/solutions/$l/job.sbatch" ] || { echo "no solutions/$l/job.sbatch" >&2; return 1; }
  done
}

@test "slurm: every lesson's job runs and checks its size, under Open MPI (srun --mpi=pmix)" {
  local l
  for l in $(lessons_with_jobs); do
    assert_job "$l" system
    if ! grep -q cpus-per-task "$COURSE_ROOT/solutions/$l/job.sbatch"; then
      assert_value size 4
      [[ "$output" == *"srun --mpi=pmix"* ]]
    fi
  done
}

@test "slurm: every MPI-only lesson's job runs under MPICH (srun --mpi=pmi2)" {
  local l n=0
  for l in $(lessons_with_jobs); do
    grep -qx "$l mpich" "$JOBS/plan" || continue
    assert_job "$l" mpich
    assert_value size 4
    # the MPICH build, launched through PMI-2 (a mix would show as size = 1 lines)
    [[ "$output" == *"srun --mpi=pmi2 build/mpich/"* ]]
    n=$((n + 1))
  done
  [ "$n" -ge 4 ]
}

@test "slurm: make submit waits for the job and names its output file" {
  bg_result "$JOBS/submit"
  assert_success
  assert_output --regexp 'job [0-9]+ finished with exit status 0; output: solutions/02-hello/02-hello-[0-9]+\.out'
  local f; f="$(printf '%s\n' "$output" | sed -n 's/.*output: //p')"
  run cat "$COURSE_ROOT/$f"
  assert_value size 3
  assert_output --partial 'job check: size = 3'
}

@test "slurm: make submit with LAUNCH=mpiexec uses the MPI's own launcher in the allocation" {
  bg_result "$JOBS/submit-mpiexec"
  assert_success
  local f; f="$(printf '%s\n' "$output" | sed -n 's/.*output: //p')"
  run cat "$COURSE_ROOT/$f"
  assert_output --partial 'mpiexec.mpich -n 2'
  assert_value size 2
}

@test "slurm: a wrong srun plugin is caught by the job's size check, not passed silently" {
  bg_result "$JOBS/wrong-plugin"
  assert_failure
  local id; id="$(printf '%s\n' "$output" | grep -m1 -oE '^[0-9]+')"
  run cat "$COURSE_ROOT/solutions/02-hello/02-hello-$id.out"
  assert_output --partial 'error: the program reports size = 1 1 but the job has 2 tasks'
}

@test "slurm: make sbatch prints the script and the submit line without submitting" {
  cd "$COURSE_ROOT"
  run make --no-print-directory sbatch LESSON=03 NP=2
  assert_success
  assert_output --partial '#SBATCH --ntasks=4'
  assert_output --partial 'sbatch --parsable --wait --ntasks=2 job.sbatch'
  run make --no-print-directory sbatch LESSON=01 NP=2
  assert_output --partial 'sbatch --parsable --wait --cpus-per-task=2 job.sbatch'
}

@test "slurm: make submit without Slurm says so in one line" {
  cd "$COURSE_ROOT"
  run make --no-print-directory -s submit LESSON=02 NP=2 SBATCH=/nonexistent/sbatch < /dev/null
  assert_failure
  assert_output --partial 'make submit needs Slurm'
}
