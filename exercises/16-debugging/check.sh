#!/usr/bin/env bash
# check.sh — grades lesson 16's exercise: six programs, one planted bug each,
# one step per program.  `make check`.
. ./grade.sh

step 1 "ring: the deadlock is gone (find where each rank waits: ./stacks.sh 5 3 ring)"
GRADE_TIMEOUT=5 launch 3 ring
expect_exit 0
expect_size 3
expect_value check PASS
# launch stops a run that takes longer than GRADE_TIMEOUT s: it says "a deadlock?"

step 2 "gather: rank 0 receives every block whole (read MPI's error: MPI_ERR_TRUNCATE)"
launch 3 gather
expect_no_line 'TRUNCATE|[Tt]runcated' "rank 0 posted MPI_Recv for fewer values than rank r sends: its count must be the size of rank r's block"
expect_exit 0
expect_value check PASS

step 3 "halo: the same answer on 3 ranks as on 1 (the check names the first wrong point)"
launch 1 halo
expect_value check PASS "on 1 rank there is no halo: if this fails, the bug is not in the exchange"
launch 3 halo
expect_value first_wrong none "the first point that differs from the serial run sits next to a rank boundary: look at what ExchangeHalo sends"
expect_exit 0
expect_value check PASS

step 4 "differences: AddressSanitizer finds no bad access (make SANITIZE=address)"
if ! failed; then
  if ! make -s --no-print-directory MPI="$MPI" SANITIZE=address "build/$MPI-address/differences" > /dev/null 2>&1; then
    fail "make SANITIZE=address could not build differences: run it yourself and read the first error"
  fi
fi
ASAN_OPTIONS="detect_leaks=0" BUILD="build/$MPI-address" launch 2 differences
expect_no_line 'AddressSanitizer' "AddressSanitizer stopped the run: read the first lines of its report (make SANITIZE=address; build/$MPI-address/differences) for the line and the array"
expect_exit 0
expect_value check PASS

step 5 "norms: nothing leaks (-malloc_dump lists what was never freed)"
launch 2 norms -malloc_dump
expect_no_line '^\[ *[0-9]+\] [0-9]+ bytes' "PetscFinalize found memory that was never freed (each line names the function that allocated it): which object is created and never destroyed?"
expect_exit 0
expect_value check PASS

step 6 "phases: the fill assembles the vector once (-log_view counts the calls of each stage)"
launch 2 phases -log_view
expect_exit 0
expect_value check PASS
if ! failed; then
  count="$(printf '%s\n' "$OUT" | awk '$1 == "VecAssemblyBegin" {print $2; exit}')"
  if [ -z "$count" ]; then
    fail "no VecAssemblyBegin line in -log_view's table: run make run PROG=phases NP=2 ARGS=-log_view"
  elif [ "$count" -gt 2 ]; then
    fail "-log_view counts $count calls of VecAssemblyBegin in stage Fill, and they take most of its time: each is a collective with a reduction; one, after all the values are set, is enough"
  fi
fi

finish
