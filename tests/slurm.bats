#!/usr/bin/env bats
# Every lesson's job script (solutions/NN-slug/job.sbatch) on a real Slurm:
# a single-node cluster (munged, slurmctld, slurmd) started for this file in a
# temporary directory and stopped at the end.  MPI-only lessons run under both
# MPIs (srun --mpi=pmix for Open MPI, --mpi=pmi2 for MPICH), PETSc and FFTW-MPI
# lessons under Open MPI.  Each job checks that the program saw every task.

setup_file() {
  load helpers
  load slurm
  slurm_available || skip "Slurm (slurm-wlm, munge) is not installed: docker/install-deps.sh installs it"
  export SLURM_DIR; SLURM_DIR="$(mktemp -d /tmp/course-slurm.XXXXXX)"
  slurm_start "$SLURM_DIR"
  # Submit every lesson's job now, all at once; each test waits for its own.
  export JOBS="$SLURM_DIR/jobs"; mkdir -p "$JOBS"
  local l mpi
  for l in $(lessons_with_jobs); do
    for mpi in $(job_mpis "$l"); do
      submit_bg "$l" "$mpi"
    done
  done
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

lessons_with_jobs() {
  local d
  for d in "$COURSE_ROOT"/solutions/[0-9][0-9]-*/job.sbatch; do basename "$(dirname "$d")"; done
}

# job_mpis LESSON: the MPIs its job runs under: Open MPI always, MPICH when the
# lesson's Makefile can build the job's program with MPI=mpich (PETSc programs
# cannot).
job_mpis() {
  local dir="$COURSE_ROOT/solutions/$1" prog
  prog="$(sed -n 's/^PROG=\${PROG:-\(.*\)}$/\1/p' "$dir/job.sbatch")"
  if make -s -n -C "$dir" MPI=mpich all "build/mpich/$prog" > /dev/null 2>&1; then echo system mpich
  else echo system; fi
}

# submit_bg LESSON MPI: sbatch --wait in the background; its exit status and
# job id land in $JOBS/LESSON.MPI.{status,id}.
submit_bg() {
  local l="$1" mpi="$2"
  ( cd "$COURSE_ROOT/solutions/$l" &&
    MPI="$mpi" timeout 300 sbatch --parsable --wait job.sbatch > "$JOBS/$l.$mpi.id" 2>&1
    echo $? > "$JOBS/$l.$mpi.status" ) < /dev/null > /dev/null 2>&1 &
}

# job_result LESSON MPI: wait for the job; set $status (sbatch's, i.e. the
# job's exit status) and $output (the job's output file).
job_result() {
  local l="$1" mpi="$2" i id
  for ((i = 0; i < 1500; i++)); do [ -s "$JOBS/$l.$mpi.status" ] && break; sleep 0.2; done
  [ -s "$JOBS/$l.$mpi.status" ] || { echo "job $l ($mpi) did not finish in 300 s" >&2; return 1; }
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
}

@test "slurm: the test cluster is up with one idle node of 4 CPUs" {
  run sinfo -h -o '%t %c'
  assert_success
  assert_output 'idle 4'
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
    [[ " $(job_mpis "$l") " == *" mpich "* ]] || continue
    assert_job "$l" mpich
    if ! grep -q cpus-per-task "$COURSE_ROOT/solutions/$l/job.sbatch"; then
      assert_value size 4
      # the MPICH build, launched through PMI-2 (a mix would show as size = 1 lines)
      [[ "$output" == *"srun --mpi=pmi2 build/mpich/"* ]]
    fi
    n=$((n + 1))
  done
  [ "$n" -ge 4 ]
}

@test "slurm: make submit waits for the job and names its output file" {
  cd "$COURSE_ROOT"
  run timeout 120 make --no-print-directory submit LESSON=02 NP=3 < /dev/null
  assert_success
  assert_output --regexp 'job [0-9]+ finished with exit status 0; output: solutions/02-hello/02-hello-[0-9]+\.out'
  local f; f="$(printf '%s\n' "$output" | sed -n 's/.*output: //p')"
  run cat "$COURSE_ROOT/$f"
  assert_value size 3
  assert_output --partial 'job check: size = 3'
}

@test "slurm: make submit with LAUNCH=mpiexec uses the MPI's own launcher in the allocation" {
  cd "$COURSE_ROOT"
  run timeout 120 make --no-print-directory submit LESSON=05 NP=2 MPI=mpich LAUNCH=mpiexec < /dev/null
  assert_success
  local f; f="$(printf '%s\n' "$output" | sed -n 's/.*output: //p')"
  run cat "$COURSE_ROOT/$f"
  assert_output --partial 'mpiexec.mpich -n 2'
  assert_value size 2
}

@test "slurm: a wrong srun plugin is caught by the job's size check, not passed silently" {
  cd "$COURSE_ROOT/solutions/02-hello"
  run timeout 120 env MPI=mpich SRUN_MPI=none sbatch --parsable --wait --ntasks=2 job.sbatch < /dev/null
  assert_failure
  local id; id="$(printf '%s\n' "$output" | grep -m1 -oE '^[0-9]+')"
  run cat "02-hello-$id.out"
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
