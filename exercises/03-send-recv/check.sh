#!/usr/bin/env bash
# check.sh — grades lesson 03's exercise step by step: `make check`.
# Half of a message exchange can wait forever for the other half: runs that do
# not finish in GRADE_TIMEOUT seconds (default here 30) count as a deadlock.
GRADE_TIMEOUT=${GRADE_TIMEOUT:-30}
. ./grade.sh

step 1 "send_recv: x travels from rank 0 to rank 1 (MPI_Send, MPI_Recv, MPI_Get_count)"
launch 3 send_recv
expect_size 3
expect_line '^Process 1 received "Hello from process 0" \(20 chars\) from process 0 with tag 1$' \
  "the greeting is given: it should arrive as it is"
expect_line '^Process 1 received 8 doubles from process 0 with tag 2$' \
  "rank 1 should receive the 8 doubles of x, sent by rank 0 with the tag TAG_DATA = 2, and count them"
expect_line '^Process 2 is idle$'

step 2 "send_recv: the doubled numbers travel back to rank 0 (MPI_Send, MPI_Recv, MPI_Get_count)"
expect_value reply_count 8 "rank 0 counts the 8 doubles it received (MPI_Get_count)"
expect_value reply_source 1 "the reply comes from rank 1"
expect_value reply_tag 3 "the reply carries the tag TAG_REPLY = 3"
expect_value reply_sum 64 "2 x (0.5 + 1.5 + ... + 7.5) = 64"
expect_value check PASS
expect_exit 0

step 3 "nonblocking: the ring (MPI_Irecv, MPI_Isend, MPI_Waitall)"
launch 3 nonblocking --n 100
expect_size 3
expect_value sum0 300 "rank 0 sees the arrays of ranks 1 and 2: 100 + 200 in the first entry"
expect_value mismatches 0 "every entry of every rank's sum is exact, and every array comes home"
expect_value check PASS
expect_exit 0
launch 1 nonblocking --n 10
expect_value check PASS "on 1 rank the ring is one rank sending to itself and receiving from itself"
expect_exit 0

step 4 "task_farm: hand out tasks, collect results from any worker, work (MPI_Send, MPI_Recv, MPI_ANY_SOURCE, MPI_ANY_TAG)"
launch 3 task_farm --tasks 7 --limit 100000
expect_size 3
expect_value tasks_done 7 "the workers together did all 7 tasks"
expect_value tasks_lost_or_repeated 0 "every task came back exactly once (its tag is its id)"
expect_value primes 9592 "there are 9592 primes up to 100000"
expect_value check PASS
expect_exit 0

step 5 "pingpong: one round trip between ranks 0 and 1 (MPI_Send, MPI_Recv)"
launch 2 pingpong --max-bytes 4096 --reps 20 --samples 2
expect_size 2
expect_value sizes 13 "messages of 1, 2, 4, ... 4096 bytes"
expect_value mismatches 0 "every byte came back as rank 0 sent it"
expect_value check PASS
expect_exit 0

finish
