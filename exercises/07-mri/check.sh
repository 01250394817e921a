#!/usr/bin/env bash
# check.sh — grades lesson 07's exercise step by step: `make check`.
# One run on 3 ranks (N = 100: rows 34 33 33; 5 coils: 2 2 1) grades every
# step by its own numbers; a second run has a rank without rows' work to share.
. ./grade.sh

step 1 "two-stage: deal out the k-space rows and collect them (MPI_Scatterv, MPI_Gatherv)"
launch 3 mri --n 100 --coils 5 --reps 1
expect_size 3
expect_line '^rows per rank: 34 33 33$'
expect_below two_stage_vs_seq 1e-14 "the two-stage image against the sequential one: every rank must get its rows (scatter) and send them back transformed (gather)"
expect_below two_stage_error 1e-13 "the two-stage image against the phantom"

# Steps 2 and 3 are graded on the same run as step 1.
step 2 "fully parallel: the exchange of the transpose (MPI_Alltoallv)"
expect_size 3
expect_below transpose_vs_seq 1e-14 "the image of the transpose version against the sequential one: every rank sends every rank its block"
expect_below transpose_error 1e-13

step 3 "coils: whole coils to the ranks, the sum of squares back (MPI_Scatterv, MPI_Reduce); the whole program passes"
expect_size 3
expect_line '^coils per rank: 2 2 1$'
expect_below sos_rel_error 1e-13 "the sum-of-squares image against the phantom: every rank reconstructs its own coils, rank 0 adds up all ranks' sums"
expect_value check PASS
expect_exit 0
launch 4 mri --n 64 --coils 3 --reps 1
expect_line '^coils per rank: 1 1 1 0$'
expect_value check PASS "3 coils on 4 ranks: rank 3 has no coil and still takes part in both calls"
expect_exit 0

finish
