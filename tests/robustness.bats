#!/usr/bin/env bats
# A rank that dies: kill -9 one rank of a long run, under each MPI.  The launcher
# must end the whole job within 5 s with a non-zero status (no orphaned ranks,
# no hang), and the run's output file must not be left half-written under its
# name: programs write to a temporary name (NAME.tmp) and rename it when complete.

setup_file() {
  load helpers
  build "$COURSE_ROOT/solutions/08-heat" system
  build "$COURSE_ROOT/solutions/08-heat" mpich
}

setup() {
  load helpers
}

# kill_one_rank MPI: start heat_mpi on 2 ranks for a long run writing a CSV,
# kill -9 one rank once both run, time how long the job takes to go.
kill_one_rank() {
  local mpi="$1" prog csv="$BATS_TEST_TMPDIR/field.csv" pid ranks t0 t1 i
  mpi_tools "$mpi"
  prog="$COURSE_ROOT/solutions/08-heat/build/$mpi/heat_mpi"
  # About a minute of work: long enough to be killed mid-run.
  timeout -k 5 120 "$MPIEXEC" -n 2 "$prog" --nx 1024 --ny 1024 --steps 400000 \
    --csv "$csv" --frames 100 < /dev/null > "$BATS_TEST_TMPDIR/out.log" 2>&1 &
  pid=$!
  for ((i = 0; i < 100; i++)); do
    ranks="$(pgrep -f -x "$prog .*" | tr '\n' ' ')" || true
    [ "$(wc -w <<< "$ranks")" -ge 2 ] && break
    sleep 0.1
  done
  [ "$(wc -w <<< "$ranks")" -ge 2 ] || { echo "the ranks did not start: $(cat "$BATS_TEST_TMPDIR/out.log")" >&2; kill "$pid"; return 1; }
  sleep 1
  kill -0 "$pid" 2>/dev/null || { echo "the run ended before the kill: $(cat "$BATS_TEST_TMPDIR/out.log")" >&2; return 1; }
  kill -9 "${ranks%% *}" || { echo "no rank to kill" >&2; return 1; }
  t0=$(date +%s.%N)
  set +e; wait "$pid"; status=$?; set -e
  t1=$(date +%s.%N)
  elapsed="$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }')"
  echo "$mpi: the job ended $elapsed s after the kill, status $status" >&3
  [ "$status" -ne 0 ] || { echo "exit status 0 after a rank was killed" >&2; return 1; }
  [ "$status" -ne 124 ] || { echo "the job hung until the timeout" >&2; return 1; }
  awk -v e="$elapsed" 'BEGIN { exit !(e <= 5) }' || { echo "the job took $elapsed s to end (limit 5 s)" >&2; return 1; }
  sleep 0.5
  ! pgrep -f -x "$prog .*" > /dev/null || { echo "ranks are left behind: $(pgrep -af -x "$prog .*")" >&2; pkill -9 -f -x "$prog .*"; return 1; }
  [ ! -e "$csv" ] || { echo "$csv is left half-written (write NAME.tmp, then rename)" >&2; return 1; }
}

@test "killed rank: Open MPI ends the job within 5 s, non-zero, no half-written file" {
  kill_one_rank system
}

@test "killed rank: MPICH ends the job within 5 s, non-zero, no half-written file" {
  kill_one_rank mpich
}
