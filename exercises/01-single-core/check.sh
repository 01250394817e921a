#!/usr/bin/env bash
# check.sh — grades lesson 01's exercise step by step: `make check`.
# No MPI in this lesson: the programs run as one process (run_serial).
. ./grade.sh

# The exact sum of a_i = (i mod 1024)/1024, i < n (every partial sum is exact in double).
exact_sum() { awk -v n="$1" 'BEGIN { s = 0; for (i = 0; i < n; i++) s += (i % 1024) / 1024; printf "%.17g\n", s }'; }
N=99991
S="$(exact_sum $N)"

step 1 "kernels.cpp: the sum and the add-and-sum as plain loops, in order"
run_serial sums --n $N --repeat 1
for v in O0 O2 O3; do
  expect_close "sum_$v" "$S" 0 "the sum of a_i, exact to the last bit in double (built at -$v)"
  expect_close "add_sum_$v" "$N" 0 "the sum of a_i + b_i = 1, n times (built at -$v)"
done

step 2 "library.cpp: the same sums with std::reduce and std::transform_reduce (std::execution::unseq)"
expect_close sum_reduce "$S" 0 "std::reduce of a, exact in double"
expect_close add_sum_reduce "$N" 0 "std::transform_reduce of a + b, exact in double"
expect_value check PASS "every variant must be exact"
expect_exit 0
# In float the order shows: a reordered (SIMD) sum rounds differently from the in-order loop.
run_serial sums --n $N --repeat 1 --float
expect_exit 0
in_order="$(value sum_accumulate)"
expect_no_line "^sum_reduce = ${in_order//./\\.}\$" \
  "std::reduce gave exactly the in-order float sum: was it called with std::execution::unseq?"

step 3 "parallel_map.cpp: every thread maps its own block (std::thread)"
run_serial parallel_map --n $N --heavy-n 999 --threads 3 --repeat 1
expect_value mismatches 0 "every element of the 3-thread result equals the serial one (3 uneven blocks)"
expect_value check PASS
expect_exit 0
run_serial parallel_map --n 2 --heavy-n 5 --threads 4 --repeat 1
expect_value mismatches 0 "more threads than elements: some blocks are empty, none is computed twice"
expect_value check PASS
expect_exit 0

finish
