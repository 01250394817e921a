#!/usr/bin/env bats
# Lesson 07-mri: Shepp-Logan phantom -> k-space (FFTW) -> image, sequential,
# two-stage row scheme and transpose; multi-coil frame with sum of squares.
# Serial FFTW plus MPI: runs under Open MPI and MPICH.

setup_file() {
  load helpers
  lesson_init 07-mri
  build "$DIR"
}

setup() {
  load helpers
  lesson_init 07-mri
}

# The reconstructions agree with the sequential one and with the phantom.
assert_reconstructions() {
  assert_below seq_imag 1e-14
  assert_below seq_error 1e-14
  assert_below two_stage_vs_seq 1e-14
  assert_below transpose_vs_seq 1e-14
  assert_below two_stage_error 1e-14
  assert_below transpose_error 1e-14
  assert_below sos_max_error 1e-14
  assert_below sos_rel_error 1e-15
  assert_value check PASS
}

@test "07 mri: N=128, NP=1..4, numpy's phantom and exact round trips" {
  for np in 1 2 3 4; do
    mpirun "$np" "$(bin "$DIR" mri)" --n 128 --coils 8 --reps 1
    assert_ok "$np"
    assert_value n 128
    assert_value coils 8
    # numpy's shepp_logan((128, 128)) of the Python original: pixels per
    # level, sum, and the DC bin of fft2 (the largest |K|)
    assert_value phantom_levels '0:9473 0.1:22 0.2:5437 0.3:718 0.4:13 1:721'
    assert_close phantom_sum 2031.2000000000003 1e-14
    assert_close kspace_dc 2031.2000000000005 1e-13
    assert_value kspace_peak '0 0'
    assert_reconstructions
  done
}

@test "07 mri: uneven splits (N=100 on 3 ranks, 5 coils on 4 ranks)" {
  mpirun 3 "$(bin "$DIR" mri)" --n 100 --coils 5 --reps 1
  assert_ok 3
  assert_line 'rows per rank: 34 33 33'
  assert_line 'coils per rank: 2 2 1'
  assert_value phantom_levels '0:5775 0.1:14 0.2:3318 0.3:440 0.4:9 1:444'
  assert_close phantom_sum 1244.6000000000001 1e-14
  assert_reconstructions
  mpirun 4 "$(bin "$DIR" mri)" --n 100 --coils 5 --reps 1
  assert_ok 4
  assert_line 'rows per rank: 25 25 25 25'
  assert_line 'coils per rank: 2 1 1 1'
  assert_reconstructions
}

@test "07 mri: more ranks than rows and coils (N=2 on 4 ranks, 1 coil)" {
  mpirun 4 "$(bin "$DIR" mri)" --n 2 --coils 1 --reps 1
  assert_ok 4
  assert_line 'rows per rank: 1 1 0 0'
  assert_line 'coils per rank: 1 0 0 0'
  assert_value phantom_levels '0:3 1:1'
  assert_reconstructions
}

@test "07 mri: defaults (N=256, 8 coils) and 32 coils at NP=2" {
  mpirun 2 "$(bin "$DIR" mri)" --reps 1
  assert_ok 2
  assert_value n 256
  assert_value coils 8
  assert_value phantom_levels '0:37888 0.1:91 0.2:21752 0.3:2852 0.4:52 1:2901'
  assert_close phantom_sum 8136.9000000000015 1e-14
  assert_close kspace_dc 8136.9000000000015 1e-13
  assert_reconstructions
  mpirun 2 "$(bin "$DIR" mri)" --n 64 --coils 32 --reps 1
  assert_ok 2
  assert_line 'coils per rank: 16 16'
  assert_close phantom_sum 500.7 1e-14
  assert_reconstructions
}

@test "07 mri: --write makes five 16-bit PGM images" {
  out="$BATS_TEST_TMPDIR/img"
  mpirun 3 "$(bin "$DIR" mri)" --n 64 --coils 6 --reps 1 --write "$out"
  assert_ok 3
  assert_value check PASS
  for f in phantom kspace recon sos; do
    [ "$(head -c 2 "${out}_$f.pgm")" = P5 ]
    [ "$(sed -n 3p "${out}_$f.pgm")" = "64 64" ]
    [ "$(sed -n 4p "${out}_$f.pgm")" = 65535 ]
    # header + 64 x 64 pixels x 2 bytes
    [ "$(stat -c %s "${out}_$f.pgm")" -eq $(( $(head -n 4 "${out}_$f.pgm" | wc -c) + 8192 )) ]
  done
  [ "$(sed -n 3p "${out}_coils.pgm")" = "256 128" ]   # 6 coils: 4 across, 2 down
  # pixel values (big-endian 16 bit after the 4 header lines)
  pixels() { od -An -v -j "$(head -n 4 "$1" | wc -c)" --endian=big -tu2 -w2 "$1"; }
  # the 173 skull pixels (level 1, numpy's count at N=64) are white
  [ "$(pixels "${out}_phantom.pgm" | grep -c ' 65535$')" -eq 173 ]
  # reconstruction and sum of squares: the phantom, within one grey level
  for f in recon sos; do
    paste <(pixels "${out}_phantom.pgm") <(pixels "${out}_$f.pgm") |
      awk '{ d = $1 - $2; if (d < 0) d = -d; if (d > 1) bad++ } END { exit bad > 0 }'
  done
}

@test "07 bad input: non-numeric, zero and negative size" {
  mpirun 2 "$(bin "$DIR" mri)" --n abc
  assert_bad_input 'needs an integer'
  mpirun 2 "$(bin "$DIR" mri)" --n 0
  assert_bad_input 'out of range'
  mpirun 3 "$(bin "$DIR" mri)" --n -128
  assert_bad_input 'out of range'
}

@test "07 bad input: --coils 0, --coils 33, unknown option" {
  mpirun 2 "$(bin "$DIR" mri)" --coils 0
  assert_bad_input '--coils = 0 is out of range \[1, 32\]'
  mpirun 2 "$(bin "$DIR" mri)" --coils 33
  assert_bad_input 'out of range'
  mpirun 2 "$(bin "$DIR" mri)" --slices 4
  assert_bad_input "unknown option '--slices'"
}

@test "07 bad input: an unwritable --write path fails at once, on every rank" {
  mpirun 3 "$(bin "$DIR" mri)" --n 64 --write /nonexistent/dir/img
  assert_bad_input 'cannot write /nonexistent/dir/img_phantom.pgm'
}

@test "07 --help prints usage and exits 0" {
  mpirun 2 "$(bin "$DIR" mri)" --help
  assert_success
  assert_output --partial "usage: mri"
}

@test "07 under MPICH: built with mpicxx.mpich, run with mpiexec.mpich" {
  [ "$MPI" != mpich ] || skip "this run is already MPICH"
  build "$DIR" mpich
  mpi_tools mpich
  # MPICH spins in every wait: more ranks than the 2 cores crawl; 2 ranks
  # prove the build and the launch (the rank counts run under Open MPI above).
  mpirun 2 "$(bin "$DIR" mri mpich)" --n 100 --coils 8 --reps 1
  assert_ok 2
  assert_line 'rows per rank: 50 50'
  assert_value phantom_levels '0:5775 0.1:14 0.2:3318 0.3:440 0.4:9 1:444'
  assert_reconstructions
  mpirun 2 "$(bin "$DIR" mri mpich)" --coils 0
  assert_bad_input 'out of range'
}

@test "07 exercise: make check fails unsolved, naming step 1; the program never says PASS" {
  skip_in_check
  build "$EX"
  exercise_fails_unsolved
  exercise_never_passes mri --n 64 --coils 4 --reps 1
}

@test "07 exercise: with the solution's step blocks, make check passes every step" {
  skip_in_check
  exercise_passes_solved
}

@test "07 exercise: differs from the solution only inside the step blocks" {
  skip_in_check
  exercise_matches_solution
}
