#!/usr/bin/env bash
# check.sh — grades lesson 02's exercise step by step: `make check`.
. ./grade.sh

step 1 "hello: every rank knows its rank and the size (MPI_Comm_rank, MPI_Comm_size)"
launch 4 hello
expect_exit 0
expect_size 4
expect_each_rank 4 '^Hello from rank %r of 4 on '
expect_value rank_sum 6 "the ranks 0+1+2+3, summed by MPI_Reduce on rank 0"
expect_value check PASS

step 2 "hello: every rank names its node (MPI_Get_processor_name)"
launch 2 hello
expect_line '^Hello from rank 0 of 2 on ' "do step 1 first"
expect_no_line ' on unknown$' "the host name is still the placeholder 'unknown'"
expect_line "^Hello from rank 0 of 2 on $(hostname)\$" "MPI_Get_processor_name gives the node's name: $(hostname) here"

step 3 "hello_square: each rank's value is its rank squared"
launch 4 hello_square
expect_exit 0
expect_size 4
expect_each_rank 4 '^Process %r of 4 has value '
expect_line '^Process 3 of 4 has value 9$' "rank 3 should have 3 x 3 = 9"
expect_value square_sum 14 "0 + 1 + 4 + 9"
expect_value check PASS

step 4 "hello_root: only the root rank prints (if rank == root)"
launch 4 hello_root --root 2
expect_exit 0
expect_size 4
expect_value root 2
expect_line '^Hello world from the root process \(rank 2\) out of 4 processes$' "the root is rank 2 here"
expect_no_line 'root process \(rank [013]\)' "a rank other than the root printed"

finish
