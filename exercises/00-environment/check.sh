#!/usr/bin/env bash
# check.sh — grades lesson 00's exercise step by step: `make check`.
# One run of each program serves two steps (PETSc takes seconds to start).
. ./grade.sh

LEAK='^\[ *[0-9]+\] [0-9]+ bytes '   # a line of -malloc_dump: an object was never destroyed

step 1 "mpi_hello: every rank knows its rank and the size (MPI_Comm_rank, MPI_Comm_size)"
launch 4 mpi_hello
expect_each_rank 4 '^Hello from rank %r / 4$'
expect_size 4

step 2 "mpi_hello: rank 0 counts the ranks of the job (MPI_Reduce)"
expect_line '^size = 4$' "rank 0 prints size = 4 once step 1 is done"
expect_value ranks_counted 4 "each of the 4 ranks adds 1, rank 0 receives the sum"
expect_value check PASS
expect_exit 0

step 3 "vec_sum: a vector of n entries split over the ranks (VecCreate, VecSetSizes, VecSetFromOptions, VecGetLocalSize)"
launch 3 vec_sum -n 10 -malloc_dump
expect_size 3
expect_value local_sizes "4 3 3" "10 entries over 3 ranks, as PETSc splits them (PETSC_DECIDE)"
expect_no_line "$LEAK" "-malloc_dump found a PETSc object that was never destroyed"

step 4 "vec_sum: fill the vector with ones and add them up (VecSet, VecSum)"
expect_value local_sizes "4 3 3" "do step 3 first"
expect_each_rank 3 '^Rank %r sum = 10$'
expect_value vec_sum 10 "ten ones add up to exactly 10"
expect_value check PASS
expect_exit 0

step 5 "petsc_info: SLEPc reports its version (SlepcGetVersion, SlepcGetVersionNumber)"
launch 2 petsc_info -malloc_dump
expect_size 2
expect_line '^SLEPc Release Version ' "SlepcGetVersion's one-line report"
expect_value slepc_version "$(value slepc_headers)" "the SLEPc found at run time is the one the program was compiled with"

step 6 "petsc_info: TAO has the LMVM solver (TaoCreate, TaoSetType, TaoGetType)"
expect_value tao_lmvm available "the type read back with TaoGetType is lmvm"
expect_value check PASS
expect_exit 0
expect_no_line "$LEAK" "-malloc_dump found a PETSc object that was never destroyed"

finish
