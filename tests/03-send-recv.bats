#!/usr/bin/env bats
# Lesson 03-send-recv: blocking send/receive with a reply, a nonblocking ring,
# a task farm, and a ping-pong benchmark.

setup_file() {
  load helpers
  lesson_init 03-send-recv
  build "$DIR"
}

setup() {
  load helpers
  lesson_init 03-send-recv
}

@test "03 send_recv: rank 1 doubles the array and sends it back, NP=2..4" {
  for np in 2 3 4; do
    mpirun "$np" "$(bin "$DIR" send_recv)"
    assert_ok "$np"
    assert_value reply_source 1
    assert_value reply_tag 3
    assert_value reply_count 8
    assert_value reply_sum 64
    assert_value max_error 0
    assert_value check PASS
    assert_line 'Process 1 received "Hello from process 0" (20 chars) from process 0 with tag 1'
    assert_line 'Process 1 received 8 doubles from process 0 with tag 2'
    for ((r = 2; r < np; r++)); do assert_line "Process $r is idle"; done
  done
}

@test "03 send_recv: a longer array, --n 1000, reply sum = n^2" {
  mpirun 2 "$(bin "$DIR" send_recv)" --n 1000
  assert_ok 2
  assert_value reply_count 1000
  assert_value reply_sum 1000000
  assert_value max_error 0
  assert_value check PASS
}

@test "03 nonblocking: the ring sum is exact for NP=1..4 (NP=1 sends to itself)" {
  for np in 1 2 3 4; do
    mpirun "$np" "$(bin "$DIR" nonblocking)" --n 100
    assert_ok "$np"
    assert_value steps "$np"
    assert_value sum0 $((100 * np * (np - 1) / 2))
    assert_value mismatches 0
    assert_value max_error 0
    assert_value check PASS
  done
}

@test "03 task_farm: pi(100000) = 9592 for NP=2..4, 7 tasks (uneven over the workers)" {
  for np in 2 3 4; do
    mpirun "$np" "$(bin "$DIR" task_farm)" --tasks 7 --limit 100000
    assert_ok "$np"
    assert_value workers $((np - 1))
    assert_value primes 9592
    assert_value primes_expected 9592
    assert_value tasks_done 7
    assert_value tasks_lost_or_repeated 0
    assert_value check PASS
    # One line per worker, and their counts add up to the tasks.
    total="$(printf '%s\n' "$output" | sed -n 's/^worker [0-9]* did \([0-9]*\) tasks$/\1/p' |
             awk '{ s += $1; n++ } END { print n ":" s }')"
    [ "$total" = "$((np - 1)):7" ]
  done
}

@test "03 task_farm: fewer tasks than workers, and one task per number" {
  mpirun 4 "$(bin "$DIR" task_farm)" --tasks 2 --limit 1000
  assert_ok 4
  assert_value primes 168
  assert_value tasks_done 2
  assert_line "worker 3 did 0 tasks"
  mpirun 3 "$(bin "$DIR" task_farm)" --tasks 100 --limit 100
  assert_ok 3
  assert_value primes 25
  assert_value check PASS
}

@test "03 pingpong: 17 sizes up to 64 KiB, data intact, CSV written" {
  csv="$BATS_TEST_TMPDIR/pp.csv"
  mpirun 2 "$(bin "$DIR" pingpong)" --max-bytes 65536 --reps 50 --samples 3 --csv "$csv"
  assert_ok 2
  assert_value sizes 17
  assert_value max_bytes 65536
  assert_value mismatches 0
  assert_value check PASS
  # A time is measured, never judged here (a loaded machine is slow): only
  # that it is a positive number.
  awk -v v="$(value latency_us)" 'BEGIN { exit !(v + 0 > 0) }'
  [ "$(head -n 1 "$csv")" = "bytes,reps,latency_us,bandwidth_MBps,best_latency_us,best_bandwidth_MBps" ]
  [ "$(wc -l < "$csv")" -eq 18 ]
  [ "$(tail -n 1 "$csv" | cut -d, -f1)" = 65536 ]
}

@test "03 pingpong: extra ranks idle (NP=3,4), --max-bytes not a power of two" {
  for np in 3 4; do
    mpirun "$np" "$(bin "$DIR" pingpong)" --max-bytes 1000 --reps 10 --samples 3
    assert_ok "$np"
    assert_value sizes 10
    assert_value max_bytes 512
    assert_value mismatches 0
    assert_value check PASS
  done
}

@test "03 bad input: one rank for the programs that need two" {
  for p in send_recv task_farm pingpong; do
    mpirun 1 "$(bin "$DIR" "$p")"
    assert_bad_input 'needs at least 2 ranks'
  done
}

@test "03 bad input: --tasks 0, --max-bytes abc, --n missing its value" {
  mpirun 3 "$(bin "$DIR" task_farm)" --tasks 0
  assert_bad_input '--tasks = 0 is out of range'
  mpirun 2 "$(bin "$DIR" pingpong)" --max-bytes abc
  assert_bad_input '--max-bytes needs an integer'
  mpirun 2 "$(bin "$DIR" send_recv)" --n
  assert_bad_input '--n needs a value'
}

@test "03 bad input: unknown option, stray argument, unwritable --csv" {
  mpirun 2 "$(bin "$DIR" nonblocking)" --size 10
  assert_bad_input "unknown option '--size'"
  mpirun 2 "$(bin "$DIR" send_recv)" 8
  assert_bad_input "unexpected argument '8'"
  mpirun 2 "$(bin "$DIR" pingpong)" --max-bytes 8 --csv /nonexistent/dir/pp.csv
  assert_bad_input 'cannot write --csv'
}

@test "03 --help prints usage and exits 0" {
  for p in send_recv nonblocking task_farm pingpong; do
    mpirun 2 "$(bin "$DIR" "$p")" --help
    assert_success
    assert_output --partial "usage: $p"
  done
}

@test "03 under MPICH: built with mpicxx.mpich, run with mpiexec.mpich" {
  [ "$MPI" != mpich ] || skip "this run is already MPICH"
  build "$DIR" mpich
  mpi_tools mpich
  # MPICH spins in every wait: more ranks than the 2 cores crawl; 2 ranks
  # prove the build and the launch (the rank counts run under Open MPI above).
  mpirun 2 "$(bin "$DIR" send_recv mpich)"
  assert_ok 2
  assert_value check PASS
  for np in 1 2; do
    mpirun "$np" "$(bin "$DIR" nonblocking mpich)" --n 50
    assert_ok "$np"
    assert_value mismatches 0
  done
  mpirun 2 "$(bin "$DIR" task_farm mpich)" --tasks 5 --limit 100000
  assert_ok 2
  assert_value primes 9592
  mpirun 2 "$(bin "$DIR" pingpong mpich)" --max-bytes 4096 --reps 20 --samples 3
  assert_ok 2
  assert_value sizes 13
  assert_value mismatches 0
  mpirun 1 "$(bin "$DIR" pingpong mpich)"
  assert_bad_input 'needs at least 2 ranks'
}

@test "03 pingpong: the CSV file appears only when complete (written under a temporary name)" {
  csv="$BATS_TEST_TMPDIR/pp.csv"
  mpirun 2 "$(bin "$DIR" pingpong)" --max-bytes 64 --reps 10 --samples 1 --csv "$csv"
  assert_ok 2
  [ -f "$csv" ]
  [ ! -e "$csv.tmp" ]
}

@test "03 exercise: make check fails unsolved, naming step 1; no program says PASS, each exits non-zero" {
  skip_in_check
  build "$EX"
  exercise_fails_unsolved
  for p in send_recv nonblocking task_farm; do
    exercise_never_passes "$p"
    [ "$status" -ne 0 ]
  done
  exercise_never_passes pingpong --max-bytes 1024 --reps 10 --samples 1
  [ "$status" -ne 0 ]
}

@test "03 exercise: with the solution's step blocks, make check passes every step" {
  skip_in_check
  exercise_passes_solved
}

@test "03 exercise: differs from the solution only inside the step blocks" {
  skip_in_check
  exercise_matches_solution
}
