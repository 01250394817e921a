#!/usr/bin/env bash
# check.sh — grades lesson 04's exercise step by step: `make check`.
# Every fix is tried with 8 MiB messages, far above any MPI's eager limit: an
# exchange that still relies on buffering waits forever.  A run that does not
# finish in GRADE_TIMEOUT seconds (default here 30) counts as a deadlock.
GRADE_TIMEOUT=${GRADE_TIMEOUT:-30}
. ./grade.sh
MIB8=8388608

# fix NP MODE [ARGS...]: one run of a fix, every byte checked.
fix() {
  local np="$1" mode="$2"; shift 2
  launch "$np" deadlock --mode "$mode" "$@"
  expect_size "$np"
  expect_value mismatches 0 "every byte each rank received is what its neighbour sent"
  expect_value check PASS
  expect_exit 0
}

step 1 "deadlock --mode parity: even ranks send first, odd ranks receive first (MPI_Send, MPI_Recv)"
fix 3 parity --bytes $MIB8
fix 3 parity --bytes 64 --ssend    # a synchronous send never buffers: the order alone must be right

step 2 "deadlock --mode sendrecv: one MPI_Sendrecv per direction"
fix 3 sendrecv --bytes $MIB8

step 3 "deadlock --mode nonblocking: MPI_Irecv, MPI_Isend, then MPI_Waitall"
fix 3 nonblocking --bytes $MIB8

step 4 "threshold: bisection down to one byte"
launch 2 threshold
expect_size 2
expect_line '^blocks_at_bytes = [0-9]+$' "the unsafe exchange should block at some size up to 16 MiB"
if ! failed; then
  t="$(value threshold_bytes)"; b="$(value blocks_at_bytes)"
  [ "$b" -eq $((t + 1)) ] ||
    fail "the search ended between $t and $b bytes: bisect until the two sizes are one byte apart"
fi
expect_value mismatches 0
expect_value check PASS
expect_exit 0

finish
