#!/usr/bin/env bash
# check.sh — grades lesson 09's exercise step by step: `make check`.
. ./grade.sh

step 1 "t2_tao.hpp CreateTao: one Tao per rank, given the problem, the options last (TaoCreate ... TaoSetFromOptions)"
launch 2 t2_fit
expect_no_line 'no Tao to fit with' "CreateTao must create the Tao: TaoCreate on PETSC_COMM_SELF"
expect_no_line 'PETSC ERROR' "a PETSc call failed: read its first error line (a Tao used before TaoCreate? a missing TaoSetSolution?)"
expect_line '(Tao lmvm |^tao_type = lmvm$)' "the default method is s.type, lmvm for t2_fit: TaoSetType"
launch 2 t2_fit -tao_type nls
expect_line '(Tao nls |^tao_type = nls$)' "-tao_type nls on the command line must reach the Tao: TaoSetFromOptions, after everything else"
launch 1 t2_fit -bounds
expect_line '(Tao blmvm |^tao_type = blmvm$)' "with -bounds, t2_fit asks for blmvm (s.type): TaoSetType"

step 2 "t2_tao.hpp FitVoxel: solve, and ask Tao why it stopped (TaoSolve, TaoGetConvergedReason)"
launch 2 t2_fit
expect_no_line 'CONTINUE_ITERATING' "Tao never ran: TaoSolve"
expect_exit 0
expect_size 2
expect_value converged yes
expect_close t2 83.50466736 1e-7 "the default voxel's T2 in ms; slightly off means a looser stop than |gradient| < s.gatol (step 1: TaoSetTolerances)"
expect_value ranks_agree yes
expect_value check PASS
launch 2 t2_fit -tao_max_it 1
expect_exit 1
expect_line '^error: Tao lmvm did not converge: DIVERGED_MAXITS' \
  "with -tao_max_it 1 Tao stops after one iteration, and the reason says so: TaoGetConvergedReason (and TaoSetFromOptions after TaoSetMaximumIterations)"

step 3 "t2_tao.hpp SetBounds: A >= 0 and T2 >= 1 ms (TaoSetVariableBounds)"
launch 1 t2_fit -noise 0 -t2 10 -bounds -malloc_dump
expect_no_line 'DIVERGED_LS_FAILURE' "without bounds blmvm fails on T2 = 10 ms as lmvm does: TaoSetVariableBounds"
expect_no_line '^\[ *[0-9]+\] [0-9]+ bytes ' "-malloc_dump found an object nobody destroyed: after TaoSetVariableBounds, VecDestroy your two vectors"
expect_exit 0
expect_below t2_rel_error 1e-6 "no noise: the fit returns the true T2 = 10 ms"
expect_value check PASS

step 4 "t2_map.cpp: each rank's share of the head voxels (PetscSplitOwnership, MPI_Scan)"
launch 3 t2_map -n 32
expect_no_line 'cover 0 of' "no rank has voxels yet: set mine and first"
expect_no_line 'overlap or leave a gap' "each voxel must go to exactly one rank, in rank order: rank r's first voxel is the sum of the shares of ranks 0..r-1 (MPI_Scan or MPI_Exscan)"
expect_exit 0
expect_size 3
expect_value voxels_per_rank "171 171 170" "512 head voxels on 3 ranks: blocks as even as can be, the larger first (PetscSplitOwnership)"
expect_close map_checksum 4.75383e+04 1e-5 "the sum of the fitted T2 over the map: the same on any number of ranks"
expect_value check PASS
launch 4 t2_map -n 37 -noise 0
expect_exit 0
expect_size 4
expect_below max_rel_error 1e-6 "no noise: every voxel returns its tissue's T2"
expect_value check PASS

finish
