#!/usr/bin/env bash
# check.sh — grades lesson 14's exercise step by step: `make check`.
. ./grade.sh

step 1 "logreg.cpp: add up each batch's sums over all ranks (MPI_Allreduce)"
launch 3 logreg -samples 2999 -batch 100 -lr 0.2 -epochs 5
expect_size 3
expect_value local_sizes "1000 1000 999"
expect_value replica_max_diff 0 "every rank must take the same step: the batch's sums added up over all ranks, on every rank"
expect_close final_loss 0.359259720758101 1e-10 "the loss after 5 epochs, the same on any number of ranks (1 rank needs no sum)"
expect_exit 0
expect_value check PASS
launch 4 logreg -samples 3001 -batch 0 -lr 4 -epochs 40
expect_value replica_max_diff 0 "full batch: every rank sums over all its rows, then over all ranks"
expect_close final_loss 0.351832530699885 1e-10 "full-batch gradient descent, 40 steps"
expect_exit 0
expect_value check PASS

step 2 "mlp_tao.cpp FormFunctionGradient: the mean loss and gradient over all samples, for Tao (MPI_Allreduce, VecGetArray)"
launch 3 mlp_tao -samples 600 -tao_max_it 15
expect_size 3
expect_close initial_loss 0.693147180559945 1e-10 "at the start the output layer is 0, so every sample's loss is ln 2 and so is the mean: *f = summed loss / N"
expect_below fd_rel_error 1e-6 "the gradient in G must be the derivative of *f: the summed gradient / N, over ALL ranks' samples"
expect_value replica_max_diff 0 "every rank's Tao must get the same numbers: add the sums up over the ranks first"
expect_close final_loss 0.133611998668689 1e-8 "the loss after 15 iterations of lmvm, the same on any number of ranks"
expect_exit 0
expect_value check PASS

finish
