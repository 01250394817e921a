#!/usr/bin/env bats
# Lesson 04-deadlock: the unsafe exchange completes for small messages and hangs
# for large ones; three fixes complete at any size on a ring of any size; the
# threshold finder agrees with the unsafe program, under Open MPI and MPICH.
#
# A hang is expected in some tests: expect_hang stops those runs 2 s after
# they start the exchange, as a timeout does (status 124).

MIB8=8388608

setup_file() {
  load helpers
  lesson_init 04-deadlock
  build "$DIR"
}

setup() {
  load helpers
  lesson_init 04-deadlock
}

# expect_hang NP PROGRAM ARGS...: the run hangs.  Rank 0 prints its first line
# just before the exchange (the ranks are up); HANG_GRACE seconds later (2: an
# exchange of a few MiB takes milliseconds) the run has still not ended.  It is
# then stopped the way timeout stops it -- SIGALRM is GNU timeout's own expiry
# signal: it sends SIGTERM to mpiexec and exits with status 124 -- and none of
# the lesson's processes survive it.  A run that prints nothing is stopped by
# timeout itself after 30 s.
expect_hang() {
  local np="$1" exe="$2" out="$BATS_TEST_TMPDIR/hang.out" pid i
  shift 2
  timeout -k 5 30 "$MPIEXEC" -n "$np" "$exe" "$@" < /dev/null > "$out" 2>&1 &
  pid=$!
  for ((i = 0; i < 300; i++)); do
    [ ! -s "$out" ] && kill -0 "$pid" 2> /dev/null || break
    sleep 0.1
  done
  sleep "${HANG_GRACE:-2}"
  kill -ALRM "$pid" 2> /dev/null || true
  status=0; wait "$pid" || status=$?
  output="$(cat "$out")"; lines=()
  [ -z "$output" ] || mapfile -t lines <<< "$output"
  drop_launcher_notice
  [ "$status" -eq 124 ] || { echo "expected a hang (status 124), got $status:" >&2
                             printf '%s\n' "$output" >&2; return 1; }
  for ((i = 0; i < 20; i++)); do
    pgrep -f "^$exe( |\$)" > /dev/null || return 0
    sleep 0.5
  done
  echo "processes of $exe survived the timeout" >&2; return 1
}

# fix_ok NP MODE BYTES: one fix completes and every byte arrived right.
fix_ok() {
  TEST_TIMEOUT=30 mpirun "$1" "$(bin "$DIR" deadlock "${MPI_BUILD:-$MPI}")" \
    --mode "$2" --bytes "$3"
  assert_ok "$1"
  assert_value mode "$2"
  assert_value bytes "$3"
  assert_value mismatches 0
  assert_value check PASS
}

# threshold_consistent: the finder's numbers agree with the unsafe program.
threshold_consistent() {
  local mpi="$1" t b
  TEST_TIMEOUT=60 mpirun 2 "$(bin "$DIR" threshold "$mpi")"
  assert_ok 2
  assert_value thread_level MPI_THREAD_MULTIPLE
  [ "$mpi" != mpich ] || assert_output --partial 'mpi_library = MPICH'
  assert_value check PASS
  t="$(value threshold_bytes)"; b="$(value blocks_at_bytes)"
  [[ "$t" =~ ^[0-9]+$ && "$b" =~ ^[0-9]+$ ]] || { echo "threshold $t, blocks at $b" >&2; return 1; }
  [ "$b" -eq $((t + 1)) ] || { echo "blocks_at_bytes = $b, expected threshold_bytes + 1 = $((t + 1))" >&2; return 1; }
  # Eager limits are kilobytes on shared memory, not bytes and not megabytes.
  [ "$t" -ge 256 ]
  [ "$t" -lt $((1 << 20)) ]
  TEST_TIMEOUT=15 mpirun 2 "$(bin "$DIR" deadlock "$mpi")" --mode unsafe --bytes "$t"
  assert_ok 2
  assert_value check PASS
  expect_hang 2 "$(bin "$DIR" deadlock "$mpi")" --mode unsafe --bytes "$b"
}

@test "04 unsafe: 64 B completes (buffered), NP=2,3,4 with ranks 2.. idle" {
  for np in 2 3 4; do
    mpirun "$np" "$(bin "$DIR" deadlock)" --mode unsafe --bytes 64
    assert_ok "$np"
    assert_value send MPI_Send
    assert_value mismatches 0
    assert_value check PASS
  done
}

@test "04 unsafe: 8 MiB deadlocks (stopped by the timeout, nothing left running)" {
  expect_hang 2 "$(bin "$DIR" deadlock)" --mode unsafe --bytes "$MIB8"
  assert_line --index 0 --partial "both call MPI_Send($MIB8 bytes)"
}

@test "04 --ssend: unsafe hangs even at 64 B; parity with MPI_Ssend completes" {
  expect_hang 2 "$(bin "$DIR" deadlock)" --mode unsafe --bytes 64 --ssend
  for np in 2 3; do
    mpirun "$np" "$(bin "$DIR" deadlock)" --mode parity --bytes 64 --ssend
    assert_ok "$np"
    assert_value send MPI_Ssend
    assert_value check PASS
  done
}

@test "04 parity: 8 MiB on rings of 2, 3 (odd) and 4 ranks" {
  for np in 2 3 4; do fix_ok "$np" parity "$MIB8"; done
}

@test "04 sendrecv: 8 MiB on rings of 2, 3 and 4 ranks" {
  for np in 2 3 4; do fix_ok "$np" sendrecv "$MIB8"; done
}

@test "04 nonblocking: 8 MiB on rings of 2, 3 and 4 ranks" {
  for np in 2 3 4; do fix_ok "$np" nonblocking "$MIB8"; done
}

@test "04 fixes: 0 B, 1 B and an odd size, repeated, NP=3" {
  for mode in parity sendrecv nonblocking; do
    for bytes in 0 1; do fix_ok 3 "$mode" "$bytes"; done
    mpirun 3 "$(bin "$DIR" deadlock)" --mode "$mode" --bytes 4099 --repeat 50
    assert_ok 3
    assert_value bytes 4099
    assert_value repeat 50
    assert_value mismatches 0
    assert_value check PASS
  done
}

@test "04 threshold: threshold completes, threshold+1 deadlocks (the MPI under test)" {
  threshold_consistent "$MPI"
}

@test "04 under MPICH: unsafe small/large, every fix at 8 MiB on rings of 2 and 3 (odd) ranks" {
  [ "$MPI" != mpich ] || skip "this run is already MPICH"
  build "$DIR" mpich
  mpi_tools mpich
  mpirun 2 "$(bin "$DIR" deadlock mpich)" --mode unsafe --bytes 64
  assert_ok 2
  assert_value check PASS
  expect_hang 2 "$(bin "$DIR" deadlock mpich)" --mode unsafe --bytes "$MIB8"
  for mode in parity sendrecv nonblocking; do
    # MPICH spins in every wait: 4 ranks on a 2-core machine crawl, and a ring
    # of 4 adds nothing to the rings of 2 and 3 (Open MPI runs it above).
    for np in 2 3; do MPI_BUILD=mpich fix_ok "$np" "$mode" "$MIB8"; done
  done
}

@test "04 under MPICH: threshold completes, threshold+1 deadlocks" {
  [ "$MPI" != mpich ] || skip "this run is already MPICH"
  build "$DIR" mpich
  mpi_tools mpich
  threshold_consistent mpich
}

@test "04 bad input: one rank is not enough (deadlock and threshold)" {
  mpirun 1 "$(bin "$DIR" deadlock)" --mode parity
  assert_bad_input 'at least 2 ranks'
  mpirun 1 "$(bin "$DIR" threshold)"
  assert_bad_input 'at least 2 ranks'
}

@test "04 bad input: unknown mode, unknown option" {
  mpirun 2 "$(bin "$DIR" deadlock)" --mode bogus
  assert_bad_input "--mode = 'bogus' is not one of"
  mpirun 3 "$(bin "$DIR" deadlock)" --bytes 8 --verbose
  assert_bad_input "unknown option '--verbose'"
}

@test "04 bad input: --bytes abc, -1, too large; --timeout 0" {
  mpirun 2 "$(bin "$DIR" deadlock)" --bytes abc
  assert_bad_input 'needs an integer'
  mpirun 2 "$(bin "$DIR" deadlock)" --bytes -1
  assert_bad_input 'out of range'
  mpirun 2 "$(bin "$DIR" deadlock)" --bytes 1000000000
  assert_bad_input 'out of range'
  mpirun 2 "$(bin "$DIR" threshold)" --timeout 0
  assert_bad_input 'out of range'
}

@test "04 --help prints usage and exits 0" {
  mpirun 2 "$(bin "$DIR" deadlock)" --help
  assert_success
  assert_output --partial 'usage: deadlock'
  mpirun 2 "$(bin "$DIR" threshold)" --help
  assert_success
  assert_output --partial 'usage: threshold'
}

@test "04 a failed check exits non-zero on every rank (the unsolved fixes and search)" {
  skip_in_check
  build "$EX"
  mpirun 3 "$(bin "$EX" deadlock)" --mode parity --bytes 64
  [ "$status" -ne 0 ] && [ "$status" -ne 124 ]
  assert_line "check = FAIL"
  TEST_TIMEOUT=60 mpirun 2 "$(bin "$EX" threshold)" --timeout 0.2
  [ "$status" -ne 0 ] && [ "$status" -ne 124 ]
  assert_line "check = FAIL"
}

@test "04 exercise: make check fails unsolved, naming step 1; no fix and no search says PASS" {
  skip_in_check
  build "$EX"
  exercise_fails_unsolved
  # The unsafe mode is given (the lesson's demonstration); the fixes are the exercise.
  for mode in parity sendrecv nonblocking; do exercise_never_passes deadlock --mode "$mode"; done
  TEST_TIMEOUT=60 exercise_never_passes threshold --timeout 0.2
}

@test "04 exercise: with the solution's step blocks, make check passes every step" {
  skip_in_check
  exercise_passes_solved
}

@test "04 exercise: differs from the solution only inside the step blocks" {
  skip_in_check
  exercise_matches_solution
}
