#!/usr/bin/env bats
# The simulated cluster: `make simulate` (common/lesson.mk, simulate/run.sh)
# builds a lesson's MPI programs with SimGrid's smpicxx and runs them with
# smpirun on the platforms of simulate/platforms/.  A simulated run must give
# the answers a real run gives (same program, same arithmetic); programs that
# cannot run simulated refuse in one line; the validation table of lesson 17
# stays inside the range its page states.

setup_file() {
  load helpers
  command -v smpirun > /dev/null && command -v smpicxx > /dev/null ||
    skip "SimGrid's SMPI (libsimgrid-dev) is not installed: docker/install-deps.sh installs it"
}

setup() {
  load helpers
  command -v smpirun > /dev/null || skip "no SimGrid"
  SIM_TIMEOUT="${SIM_TIMEOUT:-240}"
}

# simulate LESSON NP [PLATFORM] [PROG] [ARGS...]: `make simulate` in the
# solution folder, under a timeout; $status and $output as with `run`, without
# make's own `make: *** [...] Error N` line (the course shows a failed run so).
simulate() {
  local lesson="$1" np="$2" platform="${3:-}" prog="${4:-}"
  shift 4 || shift $#
  run timeout -k 5 "$SIM_TIMEOUT" make -s --no-print-directory -C "$COURSE_ROOT/solutions/$lesson" \
    simulate NP="$np" ${platform:+PLATFORM="$platform"} ${prog:+PROG="$prog"} ARGS="$*" < /dev/null
  drop_make_error
}

# drop_make_error: remove make's `make: *** [...] Error N` lines from $output and $lines.
drop_make_error() {
  output="$(printf '%s\n' "$output" | grep -Ev '^make(\[[0-9]+\])?: \*\*\* ')"
  lines=()
  [ -z "$output" ] || mapfile -t lines <<< "$output"
}

# real LESSON NP PROG [ARGS...]: the same program built with the system MPI, run for real.
real() {
  local lesson="$1" np="$2" prog="$3"; shift 3
  lesson_init "$lesson"
  make -s --no-print-directory -C "$SOL" "build/$MPI/$prog" > /dev/null 2>&1 || build "$SOL"
  mpirun "$np" "$(bin "$SOL" "$prog")" "$@"
}

# same_answers LESSON PROG NP_REAL NP_SIM "ARGS" KEY...: the simulated run's
# KEY lines are exactly the real run's (and both say check = PASS); simulated
# on the platform SIM_PLATFORM (default hpc).
same_answers() {
  local lesson="$1" prog="$2" np_real="$3" np_sim="$4" args="$5" key want got; shift 5
  # shellcheck disable=SC2086
  real "$lesson" "$np_real" "$prog" $args
  assert_ok "$np_real"
  assert_value check PASS
  local real_out="$output"
  # shellcheck disable=SC2086
  simulate "$lesson" "$np_sim" "${SIM_PLATFORM:-hpc}" "$prog" $args
  [ "$status" -eq 0 ] || { echo "simulated $lesson $prog (NP=$np_sim) failed:" >&2; echo "$output" >&2; return 1; }
  assert_value size "$np_sim"
  assert_value check PASS
  for key in "$@"; do
    want="$(printf '%s\n' "$real_out" | sed -n "s/^$key = //p" | head -n 1)"
    got="$(value "$key")"
    [ -n "$want" ] && [ "$want" = "$got" ] ||
      { echo "$lesson $prog: $key = '$got' simulated on $np_sim ranks, '$want' for real on $np_real" >&2; return 1; }
  done
}

@test "simulate: lesson 02's hello on 64 simulated ranks of each platform, with the simulated time" {
  local p
  for p in this-machine hpc ethernet; do
    simulate 02-hello 64 "$p" hello
    assert_success
    assert_value size 64
    assert_value rank_sum $((64 * 63 / 2))
    assert_value check PASS
    assert_value platform "$p"
    assert_output --regexp $'\nsimulated_time_s = [0-9.e+-]+$'
    assert_output --partial 'mpi_library = SMPI'
  done
}

@test "simulate: from the course root, make simulate LESSON=02 NP=8" {
  cd "$COURSE_ROOT"
  run timeout 120 make -s --no-print-directory simulate LESSON=02 NP=8 < /dev/null
  assert_success
  assert_value size 8
  assert_value platform hpc
}

@test "simulate: lessons 03-05 give the real runs' answers" {
  # Real runs on 2 ranks (this machine's cores) where the answer does not depend
  # on the number of ranks; the same number of ranks where it does.
  # Each on one of the three platforms: the answers do not depend on the network.
  SIM_PLATFORM=ethernet same_answers 03-send-recv send_recv 4 4 "" reply_sum reply_count
  SIM_PLATFORM=this-machine same_answers 03-send-recv pingpong 2 2 "--max-bytes 1024 --reps 10 --samples 1" mismatches sizes
  same_answers 04-deadlock deadlock 2 2 "--mode parity --bytes 1048576" mismatches mode
  SIM_PLATFORM=this-machine same_answers 05-collectives collectives 4 4 "" reduce_sum allreduce_sum reduce_max
  SIM_PLATFORM=ethernet same_answers 05-collectives scatter_sum 2 64 "--n 100001" global_sum difference
}

@test "simulate: lessons 06-07 give the real runs' answers (FFTs checked against serial FFTW)" {
  SIM_PLATFORM=ethernet same_answers 06-fft fft2d_transpose 2 16 "--rows 17 --cols 23 --transposed-out" max_error rel_error
  SIM_PLATFORM=this-machine same_answers 07-mri mri 2 4 "--n 64 --coils 4 --reps 1" phantom_sum kspace_dc seq_error transpose_vs_seq sos_max_error
}

@test "simulate: heat's max_error is bit-identical on 256 simulated ranks and 2 real ones, as lesson 17 shows" {
  # The run on lesson 17's page (lessons/_data/17-scaling-run.txt), again now.
  same_answers 08-heat heat_mpi 2 256 "--nx 1025 --ny 1025 --steps 20" max_error u_max scheme_error steps
  assert_value blocks "16 x 16"
  local page="$COURSE_ROOT/lessons/_data/17-scaling-run.txt" key want
  head -n 1 "$page" | grep -qx '\$ make simulate NP=256 PLATFORM=hpc ARGS="--nx 1025 --ny 1025 --steps 20"'
  for key in size blocks grid steps u_max max_error check platform; do
    want="$(sed -n "s/^$key = //p" "$page")"
    [ -n "$want" ] && [ "$(value "$key")" = "$want" ] ||
      { echo "$key: page '$want', now '$(value "$key")'" >&2; return 1; }
  done
  same_answers 08-heat heat_mpi 2 256 "--nx 257 --ny 257 --steps 10 --overlap" max_error u_max scheme_error
}

@test "simulate: SimGrid finds lesson 04's deadlock at Open MPI's eager limit of this machine" {
  # this-machine.xml: MPI_Send returns before the receive only below the size
  # lesson 04 measured (04-deadlock-threshold.csv), as Open MPI does here.
  local limit
  limit="$(awk -F, '$1 == "openmpi" {print $4}' "$COURSE_ROOT/lessons/_data/04-deadlock-threshold.csv")"
  grep -q "send-is-detached-thresh\" value=\"$limit\"" "$COURSE_ROOT/simulate/platforms/this-machine.xml"
  simulate 04-deadlock 2 this-machine deadlock --mode unsafe --bytes $((limit - 1))
  assert_success
  assert_value check PASS
  simulate 04-deadlock 2 this-machine deadlock --mode unsafe --bytes "$limit"
  assert_failure
  assert_output --partial 'error: deadlock: the simulation stopped with 2 ranks waiting'
  assert_output --partial 'rank 0 on this-machine waits for a communication'
}

@test "simulate: a PETSc lesson, a PETSc or FFTW-MPI program, a lesson without MPI: one line each" {
  local spec prog
  for spec in "10-slepc|" "08-heat|heat_petsc" "06-fft|fft2d_fftw_mpi" "01-single-core|" "08-heat|no_such_program"; do
    prog="${spec#*|}"
    run make -s --no-print-directory -C "$COURSE_ROOT/solutions/${spec%|*}" simulate \
      ${prog:+PROG="$prog"} < /dev/null
    drop_make_error
    assert_failure
    [ "${#lines[@]}" -eq 1 ] || { echo "$spec: ${#lines[@]} lines: $output" >&2; return 1; }
    assert_output --regexp '^error: .*(PETSc|FFTW-MPI|without MPI|no MPI program)'
  done
  cd "$COURSE_ROOT"
  run make -s --no-print-directory simulate LESSON=12 < /dev/null
  drop_make_error
  assert_failure
  assert_output --regexp "^error: lesson 12-grid uses PETSc or FFTW-MPI, .*cannot run simulated$"
}

@test "simulate: a platform that does not exist, too many ranks, a bad option: one error line" {
  simulate 02-hello 4 no-such-platform hello
  assert_failure
  assert_output --partial "error: no platform 'no-such-platform': use one of ethernet hpc this-machine"
  simulate 02-hello 4096 hpc hello
  assert_failure
  assert_output --partial 'error: NP=4096 is more than the 2048 cores of platform hpc'
  simulate 08-heat 4 hpc heat_mpi --nx 2
  assert_failure
  [ "${#lines[@]}" -eq 1 ]
  assert_output --regexp '^error: .*--nx'
}

@test "simulate: the validation table (lesson 17) has every ratio inside the range its page states" {
  local csv="$COURSE_ROOT/lessons/_data/17-scaling-validation.csv"
  run /usr/bin/python3 - "$csv" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
bad = [f"{r['case']} (np={r['np']}): simulated/real = {r['ratio']}, outside [{r['low']}, {r['high']}]"
       for r in rows if not float(r["low"]) <= float(r["ratio"]) <= float(r["high"])]
print("\n".join(bad) or f"{len(rows)} rows inside their ranges")
sys.exit(1 if bad or len(rows) < 7 else 0)
PY
  assert_success
  # The page renders this very file.
  grep -q '_data/17-scaling-validation.csv' "$COURSE_ROOT/lessons/17-scaling.rst"
}

@test "simulate: the 1024-rank heat_mpi of lesson 17 passed its check in at most 120 s of CPU time here" {
  # Timed once by simulate/scaling.py speed (a 1024-rank run is too long for the suite).
  local csv="$COURSE_ROOT/lessons/_data/17-scaling-speed.csv"
  run awk -F, '{ sub(/\r$/, "") } NR > 1 && $2 == 1024 { n++; if ($7 > 120 || $10 != "PASS") bad = bad " " $1 ": " $7 " s " $10 }
               END { if (n < 2 || bad != "") { print n " rows," bad; exit 1 } print n " rows" }' "$csv"
  assert_success
  head -n 1 "$csv" | tr -d '\r' | grep -qx 'platform,np,nx,ny,steps,wall_s,cpu_s,load_before,cores,check'
}

@test "simulate: a ping-pong simulated now on this machine's platform matches lesson 03's measurement" {
  local csv="$BATS_TEST_TMPDIR/pp.csv"
  SMPI_FLAGS=--cfg=smpi/simulate-computation:no simulate 03-send-recv 2 this-machine pingpong \
    --max-bytes 65536 --reps 50 --samples 3 --csv "$csv"
  assert_success
  # Median one-way time per size against the measured one: the range the page states for ping-pong.
  run /usr/bin/python3 - "$csv" "$COURSE_ROOT/lessons/_data/03-pingpong-ours-openmpi.csv" <<'PY'
import csv, sys
sim = {r["bytes"]: float(r["latency_us"]) for r in csv.DictReader(open(sys.argv[1]))}
real = {r["bytes"]: float(r["latency_us"]) for r in csv.DictReader(open(sys.argv[2]))}
bad = [f"{n} B: {sim[n]:.3f} us simulated, {real[n]:.3f} us measured" for n in sim
       if n in real and not 0.7 <= sim[n] / real[n] <= 1.4]
print("\n".join(bad) or f"{len(sim)} sizes within 0.7-1.4")
sys.exit(1 if bad else 0)
PY
  assert_success
}
