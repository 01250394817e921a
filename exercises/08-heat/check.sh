#!/usr/bin/env bash
# check.sh — grades lesson 08's exercise step by step: `make check`.
. ./grade.sh

# The reference run: 30 x 17 nodes (uneven splits), 200 steps of the default
# dt.  u_max is the scheme's own solution at the largest node, the same bit
# for bit on any number of ranks and in both programs.
U_MAX=0.23618426990778107
HEAT=(--nx 30 --ny 17 --steps 200)
PETSC=(-nx 30 -ny 17 -steps 200)

step 1 "heat_mpi.cpp: the halo exchange (MPI_Type_vector, MPI_Sendrecv)"
launch 4 heat_mpi "${HEAT[@]}"
expect_size 4
expect_value blocks "2 x 2" "4 ranks make 2 x 2 blocks: rows and columns to exchange"
expect_value check PASS "scheme_error must be round-off; a block whose halo is not refreshed sees cold neighbours"
expect_close u_max "$U_MAX" 1e-12 "the same field as on one rank"
expect_exit 0
launch 3 heat_mpi "${HEAT[@]}"
expect_value blocks "3 x 1"
expect_value check PASS "3 x 1 blocks exchange columns only: the column datatype and the east/west messages"
expect_exit 0

step 2 "heat_mpi.cpp: the nonblocking exchange behind --overlap (MPI_Irecv, MPI_Isend)"
launch 4 heat_mpi "${HEAT[@]}" --overlap
expect_size 4
expect_value halo overlap
expect_value check PASS "the halo must have arrived (MPI_Waitall) before the rim of the block is updated"
expect_close u_max "$U_MAX" 1e-12 "the same field as the blocking exchange"
expect_exit 0

step 3 "heat_petsc.cpp: the grid as a DMDA (DMDACreate2d)"
launch 4 heat_petsc "${PETSC[@]}"
expect_no_line '^error: there is no DMDA yet' "create it in CreateGrid"
expect_no_line '^error: ' "the program stopped with an error"
expect_size 4
expect_value grid "30 x 17" "nx x ny nodes"
expect_value blocks "2 x 2" "the blocks d[0] x d[1] of MPI_Dims_create, as in heat_mpi"

step 4 "heat_petsc.cpp: the halo exchange (DMGlobalToLocalBegin, DMGlobalToLocalEnd)"
launch 4 heat_petsc "${PETSC[@]}"
expect_no_line '^error: there is no DMDA yet' "do step 3 first"
expect_value halo DMGlobalToLocal
expect_value check PASS "Ul must hold u^n and its halo before FormFunctionLocal reads it"
expect_close u_max "$U_MAX" 1e-12 "heat_mpi's number: the same arithmetic on the same blocks"
expect_exit 0
launch 1 heat_petsc "${PETSC[@]}"
expect_value check PASS "one rank needs it too: DMGlobalToLocal also copies the owned values into Ul"
expect_exit 0

finish
