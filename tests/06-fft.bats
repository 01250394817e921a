#!/usr/bin/env bats
# Lesson 06-fft: row FFTs (serial, scatter/gather), a hand-written 2D FFT with
# an MPI_Alltoallv transpose, and FFTW's MPI interface.  FFTW-MPI is built on
# Open MPI, so fft2d_fftw_mpi runs only there; the other three run under
# MPICH too.

setup_file() {
  load helpers
  lesson_init 06-fft
  build "$DIR"
}

setup() {
  load helpers
  lesson_init 06-fft
}

# check_2d: the last run of a 2D program matched the serial FFT and came back.
check_2d() {
  assert_ok "$1"
  assert_below rel_error 1e-12
  assert_below roundtrip_error 1e-13
  assert_value check PASS
}

@test "06 fft_sequential: the 12 x 32 test signal, bins 3 9 23 29, exact spectrum" {
  mpirun 1 "$(bin "$DIR" fft_sequential)"
  assert_ok 1
  assert_value rows 12
  assert_value cols 32
  assert_value dominant_bins '3 9 23 29'
  assert_close peak_magnitude 16 1e-12
  assert_line --partial 'bin 9 (frequency +9): |X| = 4.800000'
  assert_line --partial 'bin 29 (frequency -3): |X| = 16.000000'
  assert_below rel_error 1e-12
  assert_value check PASS
}

@test "06 fft_sequential: odd sizes (17 x 23: bins 3 9 14 20) and aliasing (6 columns: none)" {
  mpirun 1 "$(bin "$DIR" fft_sequential)" --rows 17 --cols 23
  assert_ok 1
  assert_value dominant_bins '3 9 14 20'
  assert_close peak_magnitude 11.5 1e-12
  assert_value check PASS
  mpirun 1 "$(bin "$DIR" fft_sequential)" --rows 2 --cols 6
  assert_ok 1
  assert_value dominant_bins none
  assert_value check PASS
}

@test "06 fft_rows: NP=1..4 agrees with the serial FFT and the exact spectrum" {
  for np in 1 2 3 4; do
    mpirun "$np" "$(bin "$DIR" fft_rows)"
    assert_ok "$np"
    assert_value dominant_bins '3 9 23 29'
    assert_below rel_error_serial 1e-12
    assert_below rel_error 1e-12
    assert_value check PASS
  done
  assert_value rows_per_rank '3 3 3 3'
}

@test "06 fft_rows: uneven splits (17 rows on 3 ranks, 3 rows on 4 ranks)" {
  mpirun 3 "$(bin "$DIR" fft_rows)" --rows 17 --cols 23
  assert_ok 3
  assert_value rows_per_rank '6 6 5'
  assert_value dominant_bins '3 9 14 20'
  assert_value check PASS
  mpirun 4 "$(bin "$DIR" fft_rows)" --rows 3 --cols 64
  assert_ok 4
  assert_value rows_per_rank '1 1 1 0'
  assert_line 'rank 3: no rows'
  assert_value check PASS
}

@test "06 fft2d_transpose: NP=1..4, 12x32 and 17x23, both layouts; 31x64 at NP=4" {
  for np in 1 2 3 4; do
    mpirun "$np" "$(bin "$DIR" fft2d_transpose)"
    check_2d "$np"
    assert_value layout natural
    mpirun "$np" "$(bin "$DIR" fft2d_transpose)" --rows 17 --cols 23 --transposed-out
    check_2d "$np"
    assert_value layout transposed
  done
  mpirun 4 "$(bin "$DIR" fft2d_transpose)" --rows 31 --cols 64 --reps 1
  check_2d 4
  assert_line --partial 'rows per rank 8 8 8 7, columns per rank 16 16 16 16'
}

@test "06 fft2d_transpose: on one rank the natural layout transposes nothing (strided column FFTs)" {
  for size in "64 64" "17 23" "1 9" "9 1"; do
    set -- $size
    mpirun 1 "$(bin "$DIR" fft2d_transpose)" --rows "$1" --cols "$2" --plan measure
    check_2d 1
    assert_value transpose_s 0.000000
  done
  # the transposed layout still needs its one transpose, also on one rank
  mpirun 1 "$(bin "$DIR" fft2d_transpose)" --rows 64 --cols 64 --transposed-out
  check_2d 1
  assert_value layout transposed
}

@test "06 fft2d_transpose: fewer rows than ranks (3 x 5 on 4), prime sizes, measure plans" {
  mpirun 4 "$(bin "$DIR" fft2d_transpose)" --rows 3 --cols 5
  check_2d 4
  assert_line --partial 'rows per rank 1 1 1 0, columns per rank 2 1 1 1'
  mpirun 4 "$(bin "$DIR" fft2d_transpose)" --rows 3 --cols 5 --transposed-out
  check_2d 4
  mpirun 2 "$(bin "$DIR" fft2d_transpose)" --rows 1 --cols 1
  check_2d 2
  mpirun 3 "$(bin "$DIR" fft2d_transpose)" --rows 37 --cols 29 --plan measure --reference-plan measure
  check_2d 3
  assert_value plan measure
}

@test "06 fft2d_fftw_mpi: NP=1..4, natural and FFTW_MPI_TRANSPOSED_OUT; 31x64 at NP=3" {
  [ "$MPI" != mpich ] || skip "FFTW-MPI is built on Open MPI"
  for np in 1 2 3 4; do
    mpirun "$np" "$(bin "$DIR" fft2d_fftw_mpi)"
    check_2d "$np"
    mpirun "$np" "$(bin "$DIR" fft2d_fftw_mpi)" --rows 17 --cols 23 --transposed-out
    check_2d "$np"
    assert_value layout transposed
  done
  mpirun 3 "$(bin "$DIR" fft2d_fftw_mpi)" --rows 31 --cols 64 --reps 1
  check_2d 3
}

@test "06 fft2d_fftw_mpi: FFTW's own split (17 rows on 4: 5 5 5 2; 3 rows on 4: 1 1 1 0)" {
  [ "$MPI" != mpich ] || skip "FFTW-MPI is built on Open MPI"
  mpirun 4 "$(bin "$DIR" fft2d_fftw_mpi)" --rows 17 --cols 23
  check_2d 4
  assert_line --partial 'rows per rank 5 5 5 2'
  mpirun 4 "$(bin "$DIR" fft2d_fftw_mpi)" --rows 3 --cols 5
  check_2d 4
  assert_line --partial 'rows per rank 1 1 1 0'
  mpirun 4 "$(bin "$DIR" fft2d_fftw_mpi)" --rows 3 --cols 5 --transposed-out
  check_2d 4
}

@test "06 bad input: fft_sequential on 2 ranks, --rows abc, --cols 0, --rows -5" {
  mpirun 2 "$(bin "$DIR" fft_sequential)"
  assert_bad_input 'run it on one rank'
  mpirun 2 "$(bin "$DIR" fft_rows)" --rows abc
  assert_bad_input 'needs an integer'
  mpirun 3 "$(bin "$DIR" fft2d_transpose)" --cols 0
  assert_bad_input 'out of range'
  mpirun 2 "$(bin "$DIR" fft2d_transpose)" --rows -5
  assert_bad_input 'out of range'
}

@test "06 bad input: --plan fast, too large, unknown option, missing value" {
  mpirun 2 "$(bin "$DIR" fft2d_transpose)" --plan fast
  assert_bad_input 'estimate or measure'
  mpirun 2 "$(bin "$DIR" fft_rows)" --rows 16384 --cols 16384
  assert_bad_input 'at most 2\^26'
  mpirun 2 "$(bin "$DIR" fft_rows)" --coils 4
  assert_bad_input "unknown option '--coils'"
  mpirun 2 "$(bin "$DIR" fft2d_transpose)" --reps
  assert_bad_input 'needs a value'
}

@test "06 bad input: fft2d_fftw_mpi --rows 0 and --plan fast" {
  [ "$MPI" != mpich ] || skip "FFTW-MPI is built on Open MPI"
  mpirun 3 "$(bin "$DIR" fft2d_fftw_mpi)" --rows 0
  assert_bad_input 'out of range'
  mpirun 2 "$(bin "$DIR" fft2d_fftw_mpi)" --plan fast
  assert_bad_input 'estimate or measure'
}

@test "06 --help prints usage and exits 0" {
  progs=(fft_sequential fft_rows fft2d_transpose)
  [ "$MPI" = mpich ] || progs+=(fft2d_fftw_mpi)
  for p in "${progs[@]}"; do
    mpirun 1 "$(bin "$DIR" "$p")" --help
    assert_success
    assert_output --partial "usage: $p"
  done
}

@test "06 under MPICH: the serial-FFTW programs build and run; fft2d_fftw_mpi is refused" {
  [ "$MPI" != mpich ] || skip "this run is already MPICH"
  build "$DIR" mpich
  mpi_tools mpich
  mpirun 1 "$(bin "$DIR" fft_sequential mpich)"
  assert_ok 1
  assert_value dominant_bins '3 9 23 29'
  # MPICH spins in every wait: more ranks than the 2 cores crawl; 2 ranks
  # prove the build and the launch (the rank counts run under Open MPI above).
  mpirun 2 "$(bin "$DIR" fft_rows mpich)" --rows 17 --cols 23
  assert_ok 2
  assert_value check PASS
  mpirun 2 "$(bin "$DIR" fft2d_transpose mpich)" --rows 17 --cols 23
  check_2d 2
  # Fewer rows than ranks: a rank with nothing in the transpose.
  mpirun 2 "$(bin "$DIR" fft2d_transpose mpich)" --rows 1 --cols 5 --transposed-out
  check_2d 2
  assert_line --partial 'rows per rank 1 0, columns per rank 3 2'
  [ ! -e "$(bin "$DIR" fft2d_fftw_mpi mpich)" ]
  run make -s --no-print-directory -C "$DIR" MPI=mpich run PROG=fft2d_fftw_mpi NP=2
  assert_failure
  assert_output --partial 'error: fft2d_fftw_mpi needs a library that Debian builds on Open MPI'
}

@test "06 exercise: make check fails unsolved, naming step 1; no program says PASS" {
  skip_in_check
  build "$EX"
  exercise_fails_unsolved
  for p in fft_rows fft2d_transpose; do exercise_never_passes "$p"; done
  [ "$MPI" = mpich ] || exercise_never_passes fft2d_fftw_mpi
  mpirun 1 "$(bin "$EX" fft_sequential)"
  refute_line "check = PASS"
}

@test "06 exercise: with the solution's step blocks, make check passes every step" {
  skip_in_check
  exercise_passes_solved
}

@test "06 exercise: differs from the solution only inside the step blocks" {
  skip_in_check
  exercise_matches_solution
}

@test "06 bench.sh runs (small sizes) and writes both tables with the ratio columns" {
  [ "$DIR" = "$SOL" ] || skip "bench.sh belongs to the solution"
  local d="$BATS_TEST_TMPDIR/data"
  # The system build, when it is Open MPI's (Debian) and up to date, saves a
  # second build of the lesson with MPI=openmpi.
  local b=build/openmpi
  if mpicxx --showme:version 2> /dev/null | grep -q 'Open MPI' &&
     make -q -s --no-print-directory -C "$SOL" MPI=system all > /dev/null 2>&1; then
    b=build/system
  else
    make --no-print-directory -C "$SOL" MPI=openmpi all > /dev/null
  fi
  run bash -c "cd '$SOL' && SIZES=32 ROUNDS=2 REPS=2 PLAN=estimate DATA='$d' BUILD=$b ./bench.sh"
  assert_success
  [ "$(head -n 1 "$d/06-fft-ratios.csv")" = "n,np,serial_s,hand_s,fftw_mpi_s,hand_over_fftw_mpi,hand_transposed_s,fftw_mpi_transposed_s,hand_over_fftw_mpi_transposed" ]
  [ "$(wc -l < "$d/06-fft-ratios.csv")" -eq 3 ]   # 1 size x NP 1, 2
  [ "$(wc -l < "$d/06-fft.csv")" -eq 10 ]         # per size: serial + 2 NP x 4 runs
  # On one rank the natural layout transposes nothing.
  awk -F, '$2 == 1 && $3 == "fft2d_transpose" && $4 == "natural" && $9 != "0.000000" { exit 1 }' "$d/06-fft.csv"
}
