#!/usr/bin/env bash
# check.sh — grades lesson 06's exercise step by step: `make check`.
. ./grade.sh

# wrong_ranks WHAT: the ranks whose part of the result is wrong, from the
# program's line `error_per_rank = e0 e1 ...` (each rank's error, relative).
wrong_ranks() {
  failed && return 1
  local what="$1" e r=0 wrong=()
  for e in $(value error_per_rank); do
    awk -v e="$e" 'BEGIN { exit !(e + 0 <= 1e-12) }' || wrong+=("rank $r's $what: error $e")
    r=$((r + 1))
  done
  [ ${#wrong[@]} -eq 0 ] || fail "these ranks' parts of the result are wrong:" "${wrong[@]}"
}

step 1 "fft_sequential: one FFTW plan for the FFTs of all rows (fftw_plan_many_dft)"
launch 1 fft_sequential
expect_size 1
expect_value dominant_bins '3 9 23 29' "sin 3x + 0.3 sin 9x on 32 samples: bins 3 and 9, and 32-9, 32-3 for the negative frequencies"
expect_below rel_error 1e-12 "the spectrum against the exact one"
expect_value check PASS
expect_exit 0
launch 1 fft_sequential --rows 17 --cols 23
expect_value dominant_bins '3 9 14 20' "17 rows of 23 samples: each row's length is cols, and there are rows of them"
expect_value check PASS

step 2 "fft_rows: deal out the rows, transform, collect the spectra (MPI_Scatterv, MPI_Gatherv)"
launch 3 fft_rows --rows 17 --cols 23
expect_size 3
expect_value rows_per_rank '6 6 5'
wrong_ranks "rows (did it receive them, and send its spectra back?)"
expect_below rel_error_serial 1e-12 "the gathered spectra against the root's serial FFT of all rows"
expect_value check PASS
expect_exit 0
launch 4 fft_rows --rows 3 --cols 64
expect_value check PASS "3 rows on 4 ranks: rank 3 has no rows, and still takes part in both calls"

step 3 "fft2d_transpose: the exchange of the global transpose (MPI_Alltoallv)"
launch 3 fft2d_transpose --rows 17 --cols 23
expect_size 3
wrong_ranks "rows of the spectrum"
expect_below rel_error 1e-12 "the 2D spectrum against FFTW's serial transform"
expect_below roundtrip_error 1e-13 "backward(forward(x)) against x"
expect_value check PASS
expect_exit 0
launch 4 fft2d_transpose --rows 3 --cols 5 --transposed-out
expect_value check PASS "3 x 5 on 4 ranks, --transposed-out: rank 3 has no rows but one column"

if [ "$MPI" = mpich ]; then
  echo "step 4: not graded with MPI=mpich (FFTW-MPI is built on Open MPI): make check MPI=system"
else
step 4 "fft2d_fftw_mpi: plan the distributed transform with FFTW-MPI (fftw_mpi_plan_dft_2d)"
launch 4 fft2d_fftw_mpi --rows 17 --cols 23
expect_no_line '^error: no FFTW-MPI plan' "make the forward plan and the backward plan"
expect_size 4
expect_line 'rows per rank 5 5 5 2$' "FFTW's own split"
wrong_ranks "rows of the spectrum"
expect_below rel_error 1e-12 "the forward plan: FFTW_FORWARD, from s.in to s.out"
expect_below roundtrip_error 1e-13 "the backward plan: FFTW_BACKWARD, from s.out to s.back"
expect_value check PASS
expect_exit 0
launch 3 fft2d_fftw_mpi --rows 17 --cols 23 --transposed-out
expect_value layout transposed
wrong_ranks "columns of the spectrum"
expect_below rel_error 1e-12 "with --transposed-out the forward plan needs FFTW_MPI_TRANSPOSED_OUT"
expect_below roundtrip_error 1e-13 "with --transposed-out the backward plan needs FFTW_MPI_TRANSPOSED_IN"
expect_value check PASS
fi

finish
