#!/usr/bin/env bats
# Lesson 13-wave: the 2D acoustic wave (earthquake ground motion) with
# leapfrog on a DMDA.  PETSc is built on Open MPI, so wave runs with Open MPI
# only; every PETSc run adds -malloc_dump and must report no leak.  The triad
# (plain MPI) runs under MPICH too.

setup_file() {
  load helpers
  lesson_init 13-wave
  build "$DIR"
}

setup() {
  load helpers
  lesson_init 13-wave
}

# petsc NP PROGRAM [ARGS...]: run a PETSc program with -malloc_dump.
petsc() {
  local np="$1" prog="$2"; shift 2
  mpirun "$np" "$(bin "$DIR" "$prog")" "$@" -malloc_dump
}

# assert_no_leak: -malloc_dump reported nothing (its lines read "[r] N bytes f() at file:line").
assert_no_leak() {
  if printf '%s\n' "$output" | grep -Eq '^\[ *[0-9]+\] [0-9]+ bytes '; then
    echo "-malloc_dump reports a leak:" >&2; printf '%s\n' "$output" >&2; return 1
  fi
}

# A small box where the wave reaches the edges: 12 km x 8 km, 61 x 41 nodes,
# Courant number 0.35, 8 s.
SMALL=(-lx 12000 -ly 8000 -nx 61 -ny 41 -dt 0.02 -steps 400 -output_interval 100)

@test "13 wave: the default run, the same seismograms and field bit for bit at NP=1..4, no leak" {
  local sum="" umax="" e=""
  for np in 1 2 3 4; do
    petsc "$np" wave
    assert_ok "$np"
    assert_no_leak
    assert_value halo DMGlobalToLocal
    assert_value kernel plain
    assert_below energy_balance 1e-12
    assert_value grid "200 x 120"
    assert_value steps 1100
    assert_value courant 0.035120
    assert_value source_off_step 800
    assert_value receiver_0 "104 60"
    assert_value check PASS
    # 11 progress lines, one every 100 steps.
    [ "$(printf '%s\n' "$output" | grep -c '^step ')" -eq 11 ]
    # The traces and the field do not depend on the decomposition at all.
    if [ -z "$sum" ]; then
      sum="$(value seismogram_sum)"; umax="$(value u_max)"; e="$(value energy_final)"
    else
      assert_value seismogram_sum "$sum"
      assert_value u_max "$umax"
      assert_close energy_final "$e" 1e-13   # a global sum: round-off only
    fi
    assert_value symmetry_x 0
    assert_value symmetry_y 0
  done
  # The peaks arrive 1, 2, 3 km from the source at c = 2500 m/s: 0.4 s apart
  # after the wavelet's peak at t0 = 0.8 s (plus the source's width).
  assert_close peak_time_0 1.256 1e-9
  assert_close peak_time_1 1.676 1e-9
  assert_close peak_time_2 2.092 1e-9
}

@test "13 wave: numpy (reference.py) computes the same seismograms and field" {
  local py=/usr/bin/python3 ref
  "$py" -c 'import numpy' 2>/dev/null || skip "no numpy for $py"
  run timeout -k 5 60 "$py" "$DIR/reference.py" --nx 61 --ny 41 --lx 12000 --ly 8000 --dt 0.02 --steps 300
  assert_success
  ref="$output"
  petsc 3 wave -nx 61 -ny 41 -lx 12000 -ly 8000 -dt 0.02 -steps 300
  assert_ok 3
  assert_no_leak
  local name want
  for name in peak_0 peak_1 peak_2 seismogram_sum u_max; do
    want="$(output="$ref" value "$name")"
    assert_close "$name" "$want" 1e-12
  done
}

@test "13 wave: without absorption the discrete energy is conserved to round-off, NP=1 and 3 (uneven blocks)" {
  # (The same field at every NP is shown bit for bit above, NP=1..4.)
  for np in 1 3; do
    petsc "$np" wave "${SMALL[@]}" -absorb_strength 0
    assert_ok "$np"
    assert_no_leak
    assert_value check PASS
    assert_value source_off_step 80
    local rc; rc="$(value energy_rel_change)"
    awk -v r="$rc" 'BEGIN { if (r < 0) r = -r; exit !(r <= 1e-12) }' \
      || { echo "energy_rel_change = $rc, expected |.| <= 1e-12" >&2; return 1; }
    assert_close energy_source_off 5330.4387481656 1e-10
    assert_value symmetry_x 0
    assert_value symmetry_y 0
  done
}

@test "13 wave: with the sponge the energy decays (by 99%), never grows" {
  petsc 2 wave "${SMALL[@]}" -absorb_width 10
  assert_ok 2
  assert_no_leak
  assert_value check PASS
  assert_below energy_rel_change -0.99
  # ... by exactly what the sponge takes out, step by step (round-off).
  assert_below energy_balance 1e-12
  # The energy at the progress lines after the source stops does not rise.
  local energies
  energies="$(printf '%s\n' "$output" | awk '/^step +[0-9]/ && $2 >= 100 { print $NF }')"
  [ "$(wc -l <<<"$energies")" -eq 4 ] || { echo "energies: $energies" >&2; printf "%s\n" "$output" >&2; return 1; }
  run awk 'NR > 1 && $1 + 0 > p * (1 + 1e-12) { bad = 1 } { p = $1 + 0 } END { exit bad + 0 }' <<<"$energies"
  assert_success
}

@test "13 wave: the grid is read back from the DMDA (-da_grid_x, -da_refine, -da_processors_x), and checked" {
  local ref
  # -da_grid_x/y instead of -nx/-ny: the same run, bit for bit.
  petsc 2 wave "${SMALL[@]}" -nx 51 -ny 41 -steps 200
  assert_ok 2
  ref="$(value seismogram_sum) $(value u_max)"
  petsc 2 wave "${SMALL[@]}" -da_grid_x 51 -da_grid_y 41 -steps 200
  assert_ok 2
  assert_no_leak
  assert_value grid "51 x 41"
  assert_value check PASS
  [ "$(value seismogram_sum) $(value u_max)" = "$ref" ] || { echo "not the same as -nx 51 -ny 41" >&2; return 1; }
  # -da_refine 1: 61 x 41 nodes become 121 x 81; the energy balance still holds.
  petsc 2 wave "${SMALL[@]}" -da_refine 1 -steps 100
  assert_ok 2
  assert_value grid "121 x 81"
  assert_value check PASS
  assert_below energy_balance 1e-12
  petsc 4 wave "${SMALL[@]}" -steps 100 -da_processors_x 4
  assert_ok 4
  assert_value blocks "4 x 1"
  assert_value check PASS
  petsc 2 wave -da_processors_x 3
  assert_bad_input '-da_processors_x 3 does not divide the 2 ranks of this job'
  petsc 2 wave -da_grid_x 4
  assert_bad_input 'grid 4 x 120: the wave needs at least 5 x 5 nodes'
}

@test "13 wave: the tuned variants (-halo sf, -kernel rows4) give the same field bit for bit" {
  local ref
  petsc 3 wave "${SMALL[@]}" -steps 200 -halo globaltolocal -kernel plain
  assert_ok 3
  assert_value halo DMGlobalToLocal
  assert_value kernel plain
  ref="$(value seismogram_sum) $(value u_max) $(value energy_final)"
  for variant in "-halo sf" "-kernel rows4" "-halo sf -kernel rows4"; do
    petsc 3 wave "${SMALL[@]}" -steps 200 $variant
    assert_ok 3
    assert_no_leak
    assert_value check PASS
    [ "$(value seismogram_sum) $(value u_max) $(value energy_final)" = "$ref" ] ||
      { echo "$variant: not the same field" >&2; return 1; }
  done
}

@test "13 wave: an off-centre source breaks the symmetry (the check is not blind)" {
  petsc 2 wave "${SMALL[@]}" -source_x 4000 -steps 200
  assert_ok 2
  assert_value check PASS
  assert_value symmetry_y 0
  run awk -v s="$(value symmetry_x)" 'BEGIN { exit !(s > 1e-6) }'
  assert_success
}

@test "13 wave: writes the seismogram, snapshots, energy history and a VTK file" {
  local tmp="$BATS_TEST_TMPDIR"
  petsc 2 wave "${SMALL[@]}" -steps 200 -seismogram "$tmp/seis.csv" -energy_history "$tmp/hist.csv" \
    -snapshot_prefix "$tmp/snap" -snapshot_interval 100 -snapshot_stride 2 -vtk "$tmp/wave.vts"
  assert_ok 2
  assert_no_leak
  [ "$(head -n 1 "$tmp/seis.csv")" = "t,r0,r1,r2" ]
  [ "$(wc -l < "$tmp/seis.csv")" -eq 202 ]
  [ "$(head -n 1 "$tmp/hist.csv")" = "step,t,energy,max_abs_u" ]
  # The energy history holds only numbers: the source's last step (81) and the
  # progress lines (100, 200), four numeric fields each, no console text.
  [ "$(wc -l < "$tmp/hist.csv")" -eq 4 ] || { cat "$tmp/hist.csv" >&2; return 1; }
  run awk -F, 'NR > 1 && (NF != 4 || $1 !~ /^[0-9]+$/ || $2 !~ /^[-+0-9.eE]+$/ || $3 !~ /^[-+0-9.eE]+$/ || $4 !~ /^[-+0-9.eE]+$/) { print "bad row " NR ": " $0; bad = 1 } END { exit bad + 0 }' "$tmp/hist.csv"
  assert_success
  [ "$(cut -d, -f1 "$tmp/hist.csv" | tail -n +2 | tr '\n' ' ')" = "81 100 200 " ]
  [ -f "$tmp/snap-00100.csv" ] && [ -f "$tmp/snap-00200.csv" ]
  # 41 rows every 2nd node: 21 rows of 31 values, after the comment line.
  [ "$(grep -vc '^#' "$tmp/snap-00200.csv")" -eq 21 ]
  [ "$(sed -n 2p "$tmp/snap-00200.csv" | awk -F, '{ print NF }')" -eq 31 ]
  grep -q 'StructuredGrid' "$tmp/wave.vts"
}

@test "13 bad input: an unstable time step is refused (CFL)" {
  petsc 4 wave -dt 0.1
  assert_bad_input 'unstable: c dt sqrt\(1/hx\^2 \+ 1/hy\^2\) = 1\.756 > 1; use -dt <= 0\.05694'
}

@test "13 bad input: a tiny or negative grid, non-numeric values" {
  petsc 2 wave -nx 3
  assert_bad_input '-nx = 3 is out of range'
  petsc 2 wave -ny -10
  assert_bad_input '-ny = -10 is out of range'
  petsc 2 wave -dt abc
  assert_bad_input "Input string abc has no numeric value"
  petsc 2 wave -steps 1e3
  assert_bad_input "Input string 1e3 has no integer value"
  mpirun 2 "$(bin "$DIR" wave)" -dt
  assert_bad_input '-dt needs a value'
}

@test "13 bad input: negative damping, a sponge wider than the grid, receivers outside, a wrong source type" {
  petsc 2 wave -absorb_strength -1
  assert_bad_input '-absorb_strength = -1 is out of range'
  petsc 2 wave -absorb_width 60
  assert_bad_input 'absorb_width 60 leaves no inner region'
  petsc 2 wave -receiver_x 50000 -receiver_y 1000
  assert_bad_input 'receiver 0 at \(50000, 1000\) m is outside the domain'
  petsc 2 wave -source_type boom
  assert_bad_input "-source_type must be ricker or gauss, not 'boom'"
  petsc 2 wave -halo bogus
  assert_bad_input "-halo must be globaltolocal or sf, not 'bogus'"
}

@test "13 -help lists the options; a misspelt option is warned about" {
  mpirun 1 "$(bin "$DIR" wave)" -help
  assert_success
  assert_output --partial '2D acoustic wave equation'
  assert_output --regexp '-absorb_width:? <now 20 : formerly 20>'
  assert_output --regexp '-output_interval:? <now 100 : formerly 100>'
  petsc 1 wave -steps 10 -absorb_widht 5
  assert_success
  assert_line 'WARNING! option -absorb_widht 5 was never used (misspelt?)'
}

@test "13 triad: the roofline program runs, Open MPI and MPICH" {
  mpirun 2 "$(bin "$DIR" triad)" --n 100000 --reps 2
  assert_ok 2
  assert_value check PASS
  build "$DIR" mpich
  mpi_tools mpich
  mpirun 2 "$(bin "$DIR" triad mpich)" --n 100000 --reps 2
  assert_ok 2
  assert_value check PASS
  run make --no-print-directory -C "$DIR" MPI=mpich "build/mpich/wave"
  assert_failure
  assert_line 'error: wave needs a library that Debian builds on Open MPI (PETSc, FFTW-MPI): use MPI=system or MPI=openmpi'
}

@test "13 exercise: make check fails unsolved, naming step 1; wave never says PASS unsolved, and fails the job" {
  skip_in_check
  build "$EX"
  exercise_fails_unsolved
  exercise_never_passes wave "${SMALL[@]}" -malloc_dump
  # The energy balance catches the missing halo and update; the job fails with it.
  assert_line "check = FAIL"
  assert_failure
  assert_no_leak
}

@test "13 exercise: with the solution's step blocks, make check passes every step" {
  skip_in_check
  exercise_passes_solved
}

@test "13 exercise: differs from the solution only inside the step blocks" {
  skip_in_check
  exercise_matches_solution
}

@test "13 bench.sh runs (small grid, 2 rounds) and reports the median round per NP" {
  [ "$DIR" = "$SOL" ] || skip "bench.sh belongs to the solution"
  local d="$BATS_TEST_TMPDIR/data"
  run bash -c "cd '$SOL' && NX=201 NY=121 STEPS=5 ROUNDS=2 TRIAD_N=100000 DATA='$d' ./bench.sh"
  assert_success
  [ "$(wc -l < "$d/13-wave-rounds.csv")" -eq 5 ]   # 2 rounds x 2 NP
  [ "$(wc -l < "$d/13-wave-bench.csv")" -eq 3 ]
  awk -F, 'NR > 1 { if ($8 < $9 || $8 > $10 || $11 != 2) { print; bad = 1 } } END { exit bad }' "$d/13-wave-bench.csv"
  [ "$(wc -l < "$d/13-wave-vs-numpy.csv")" -eq 4 ]
}
