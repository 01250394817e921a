#!/usr/bin/env bats
# Lesson 08-heat: the explicit 2D heat equation with a hand-written MPI halo
# exchange (heat_mpi: MPI_Sendrecv or --overlap) and with a PETSc DMDA
# (heat_petsc); the triad roofline.  Both programs compute the same field bit
# for bit on every number of ranks.  heat_mpi also runs under MPICH; every
# PETSc run adds -malloc_dump and must report no leak.

setup_file() {
  load helpers
  lesson_init 08-heat
  build "$DIR"
}

setup() {
  load helpers
  lesson_init 08-heat
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

# The reference run: 30 x 17 nodes (uneven splits), 200 steps of the default
# dt (r = 0.4).  u_max is g^200 sin(pi 15/29) sin(pi 8/16) (the scheme's own
# solution at the largest node), max_error its distance from the exact decay.
U_MAX=0.23618426990778107
MAX_ERROR=0.00051321062762457736
L2_ERROR=0.00025698220034783164
BLOCKS=("" "1 x 1" "2 x 1" "3 x 1" "2 x 2")

# assert_reference: the numbers of the reference run.
assert_reference() {
  assert_value grid "30 x 17"
  assert_value steps 200
  assert_close r 0.4 1e-14
  assert_close u_max "$U_MAX" 1e-14
  assert_close max_error "$MAX_ERROR" 1e-12
  assert_close l2_error "$L2_ERROR" 1e-12
  assert_below scheme_error 1e-14
  assert_value check PASS
}

@test "08 heat_mpi: 30 x 17 nodes, NP=1..4, Sendrecv and overlap (eight rows per pass at NP=1, 4) give the same field" {
  for np in 1 2 3 4; do
    # rows8 is the kernel, not the exchange: one block, and 2 x 2 uneven ones.
    local modes=("" --overlap)
    [ "$np" -eq 2 ] || [ "$np" -eq 3 ] || modes+=("--overlap --kernel rows8")
    for mode in "${modes[@]}"; do
      mpirun "$np" "$(bin "$DIR" heat_mpi)" --nx 30 --ny 17 --steps 200 $mode
      assert_ok "$np"
      assert_value blocks "${BLOCKS[$np]}"
      assert_value halo "$([ -n "$mode" ] && echo overlap || echo sendrecv)"
      assert_reference
    done
  done
}

@test "08 heat_petsc: the same numbers on a DMDA, NP=1..4, the lesson's halo (both tuned ones at NP=1, 4), no leak" {
  for np in 1 2 3 4; do
    # The lesson's path: DMGlobalToLocal every step, FormFunctionLocal node by node.
    petsc "$np" heat_petsc -nx 30 -ny 17 -steps 200
    assert_ok "$np"
    assert_no_leak
    assert_value blocks "${BLOCKS[$np]}"
    assert_value halo DMGlobalToLocal
    assert_value kernel plain
    assert_reference
    # The tuned variants (heat_tuned.hpp): the same bits, on one block and on
    # 2 x 2 (the next test runs every halo on 4 x 1, 1 x 4 and 3 x 2 blocks).
    [ "$np" -eq 1 ] || [ "$np" -eq 4 ] || continue
    petsc "$np" heat_petsc -nx 30 -ny 17 -steps 200 -halo sf -kernel rows8
    assert_ok "$np"
    assert_no_leak
    assert_value halo PetscSF
    assert_value kernel rows8
    assert_reference
    petsc "$np" heat_petsc -nx 30 -ny 17 -steps 200 -halo localtolocal
    assert_ok "$np"
    assert_no_leak
    assert_value halo DMLocalToLocal
    assert_reference
  done
}

@test "08 heat_petsc: every halo exchange on other block shapes (4 x 1, 1 x 4, 3 x 2) is bit-identical" {
  local ref
  petsc 1 heat_petsc -nx 23 -ny 19 -steps 120 -halo localtolocal
  assert_ok 1
  ref="$(value u_max) $(value max_error)"
  for shape in "4 4 1" "4 1 4" "6 3 2"; do
    set -- $shape
    for halo in globaltolocal sf localtolocal; do
      petsc "$1" heat_petsc -nx 23 -ny 19 -steps 120 -halo "$halo" -da_processors_x "$2" -da_processors_y "$3"
      assert_ok "$1"
      assert_no_leak
      assert_value blocks "$2 x $3"
      assert_value check PASS
      [ "$(value u_max) $(value max_error)" = "$ref" ] || { echo "$shape $halo: $(value u_max)" >&2; return 1; }
    done
  done
}

@test "08 heat_mpi and heat_petsc agree to the last bit (NP=3, 41 x 23, 2 x 2 at NP=4)" {
  local a b
  for np in 3 4; do
    mpirun "$np" "$(bin "$DIR" heat_mpi)" --nx 41 --ny 23 --steps 150 --lx 2 --alpha 0.5
    assert_ok "$np"
    a="$(value u_max) $(value max_error) $(value dt)"
    petsc "$np" heat_petsc -nx 41 -ny 23 -steps 150 -lx 2 -alpha 0.5
    assert_ok "$np"
    assert_no_leak
    b="$(value u_max) $(value max_error) $(value dt)"
    # Same arithmetic on the same nodes: the printed 17 digits are identical.
    [ "$a" = "$b" ] || { echo "heat_mpi: $a, heat_petsc: $b" >&2; return 1; }
  done
}

@test "08 heat_petsc reads the grid back from the DMDA: -da_grid_x, -da_refine, -da_processors_x work and are checked" {
  local a b
  # -da_grid_x/y replace -nx/-ny: the same numbers as heat_mpi on that grid.
  mpirun 2 "$(bin "$DIR" heat_mpi)" --nx 21 --ny 17 --steps 60
  assert_ok 2
  a="$(value u_max) $(value max_error) $(value dt)"
  petsc 2 heat_petsc -da_grid_x 21 -da_grid_y 17 -steps 60
  assert_ok 2
  assert_no_leak
  assert_value grid "21 x 17"
  assert_value check PASS
  b="$(value u_max) $(value max_error) $(value dt)"
  [ "$a" = "$b" ] || { echo "heat_mpi: $a, heat_petsc: $b" >&2; return 1; }
  # -da_refine 1 doubles the intervals: 15 x 9 nodes become 29 x 17.
  mpirun 3 "$(bin "$DIR" heat_mpi)" --nx 29 --ny 17 --steps 40
  a="$(value u_max) $(value max_error)"
  petsc 3 heat_petsc -nx 15 -ny 9 -da_refine 1 -steps 40
  assert_ok 3
  assert_value grid "29 x 17"
  b="$(value u_max) $(value max_error)"
  [ "$a" = "$b" ] || { echo "heat_mpi: $a, heat_petsc: $b" >&2; return 1; }
  # One of -da_processors_x/y: the other follows from the number of ranks.
  petsc 4 heat_petsc -nx 30 -ny 17 -steps 200 -da_processors_x 4
  assert_ok 4
  assert_value blocks "4 x 1"
  assert_reference
  # Layouts this job cannot have: one line each, before PETSc tries them.
  petsc 2 heat_petsc -da_processors_x 3
  assert_bad_input '-da_processors_x 3 does not divide the 2 ranks of this job'
  petsc 4 heat_petsc -da_processors_x 2 -da_processors_y 3
  assert_bad_input '2 x 3 blocks \(-da_processors_x, -da_processors_y\) need 6 ranks, this job has 4'
  petsc 2 heat_petsc -da_grid_x 2
  assert_bad_input 'grid 2 x 101: the heat equation needs at least 3 x 3 nodes'
  petsc 2 heat_petsc -da_refine 12
  assert_bad_input '-da_refine 12 would make more than 100000 nodes per direction'
}

@test "08 exact solution: decay exp(-alpha pi^2 (1/Lx^2 + 1/Ly^2) t) on a 2 x 0.5 rectangle" {
  mpirun 2 "$(bin "$DIR" heat_mpi)" --nx 41 --ny 21 --lx 2 --ly 0.5 --alpha 0.1 --steps 300
  assert_ok 2
  local t want
  t="$(value t_end)"
  want="$(awk -v t="$t" 'BEGIN { pi = atan2(0, -1); printf "%.17g", exp(-0.1 * pi * pi * (1/4 + 4) * t) }')"
  assert_close exact_max "$want" 1e-13
  # hx = 0.05, hy = 0.025: dt = 0.4 / (0.1 (400 + 1600)) = 0.002.
  assert_close dt 0.002 1e-14
  assert_close t_end 0.6 1e-13
  assert_below scheme_error 1e-14
  assert_below max_error 2e-3
  assert_value check PASS
}

@test "08 discretisation error falls as h^2 at fixed t (21^2, 41^2, 81^2 nodes, r = 0.4)" {
  local e=()
  # dt = 0.4 h^2 / 2: 100, 400, 1600 steps reach t = 0.05.
  for case in "21 100" "41 400" "81 1600"; do
    set -- $case
    mpirun 2 "$(bin "$DIR" heat_mpi)" --nx "$1" --ny "$1" --steps "$2"
    assert_ok 2
    assert_close t_end 0.05 1e-12
    assert_value check PASS
    e+=("$(value max_error)")
  done
  awk -v a="${e[0]}" -v b="${e[1]}" -v c="${e[2]}" 'BEGIN {
      r1 = a / b; r2 = b / c
      if (r1 < 3.8 || r1 > 4.2 || r2 < 3.9 || r2 > 4.1) {
        printf "error ratios %g %g, expected about 4\n", r1, r2 > "/dev/stderr"; exit 1 } }'
}

@test "08 stability limit: r = 1/2 exactly is accepted, just above is refused" {
  # 11 x 11 nodes on the unit square: limit dt = 0.5 / (100 + 100) = 0.0025.
  mpirun 2 "$(bin "$DIR" heat_mpi)" --nx 11 --ny 11 --dt 0.0025 --steps 50
  assert_ok 2
  assert_close r 0.5 1e-14
  assert_value check PASS
  mpirun 2 "$(bin "$DIR" heat_mpi)" --nx 11 --ny 11 --dt 0.0026 --steps 50
  assert_bad_input 'unstable: alpha dt \(1/hx\^2 \+ 1/hy\^2\) = 0.52 > 1/2; use --dt <= 0.0025'
  petsc 3 heat_petsc -nx 11 -ny 11 -dt 0.0026
  assert_bad_input 'unstable: .* = 0.52 > 1/2; use -dt <= 0.0025'
}

@test "08 --csv: the field at 4 times, t = 0 is sin(pi x) sin(pi y), gathered from 4 blocks" {
  local f="$BATS_TEST_TMPDIR/field.csv"
  mpirun 4 "$(bin "$DIR" heat_mpi)" --nx 13 --ny 9 --steps 30 --frames 3 --csv "$f"
  assert_ok 4
  assert_value check PASS
  [ "$(head -n 1 "$f")" = "t,x,y,u" ]
  [ "$(wc -l < "$f")" -eq $((4 * 13 * 9 + 1)) ]
  [ "$(tail -n +2 "$f" | cut -d, -f1 | uniq | wc -l)" -eq 4 ]
  # Every value at t = 0 is u0 (6 digits), every block landed in its place.
  awk -F, 'NR > 1 && $1 == 0 { pi = atan2(0, -1); d = $4 - sin(pi * $2) * sin(pi * $3)
           if (d < -2e-6 || d > 2e-6) { print "bad u0 at " $2 "," $3 ": " $4 > "/dev/stderr"; bad = 1 } }
           END { exit bad }' "$f"
  # The last field is the printed result: its maximum is u_max.
  awk -F, -v t="$(awk -F, 'END { print $1 }' "$f")" -v m="$(value u_max)" \
      'NR > 1 && $1 == t && $4 > x { x = $4 } END { d = x - m; if (d < -1e-6 || d > 1e-6) exit 1 }' "$f"
}

@test "08 triad: a = b + 3 c holds everywhere, NP=1 and 2" {
  for np in 1 2; do
    mpirun "$np" "$(bin "$DIR" triad)" --n 100000 --reps 3
    assert_ok "$np"
    assert_value n 100000
    assert_value check PASS
    awk -v b="$(value triad_GBps)" 'BEGIN { exit !(b > 0) }' 
  done
}

@test "08 bad input: heat_mpi --nx 2, --ny abc, --alpha -1, --steps 1.5, unknown option" {
  mpirun 2 "$(bin "$DIR" heat_mpi)" --nx 2
  assert_bad_input '--nx = 2 is out of range \[3, 100000\]'
  mpirun 3 "$(bin "$DIR" heat_mpi)" --ny abc
  assert_bad_input "--ny needs an integer, got 'abc'"
  mpirun 2 "$(bin "$DIR" heat_mpi)" --alpha -1
  assert_bad_input '--alpha = -1 is out of range \[1e-12, 1e\+12\]'
  mpirun 4 "$(bin "$DIR" heat_mpi)" --steps 1.5
  assert_bad_input 'needs an integer'
  mpirun 2 "$(bin "$DIR" heat_mpi)" --dt
  assert_bad_input '--dt needs a value'
  mpirun 2 "$(bin "$DIR" heat_mpi)" --overlap yes
  assert_bad_input '--overlap takes no value'
  mpirun 2 "$(bin "$DIR" heat_mpi)" --n 10
  assert_bad_input "unknown option '--n'"
}

@test "08 bad input: a grid with fewer nodes than blocks (NP=5 on 3 x 3 is 5 x 1 blocks)" {
  mpirun 5 "$(bin "$DIR" heat_mpi)" --nx 3 --ny 3
  assert_bad_input 'grid 3 x 3 is too small for 5 x 1 blocks'
  petsc 5 heat_petsc -nx 4 -ny 30
  assert_bad_input 'grid 4 x 30 is too small for 5 x 1 blocks'
}

@test "08 bad input: heat_petsc -nx 1, -ny abc, -lx 0, -alpha x, -steps -3, -dt without value" {
  petsc 2 heat_petsc -nx 1
  assert_bad_input '-nx = 1 is out of range \[3, 100000\]'
  petsc 3 heat_petsc -ny abc
  assert_bad_input "Input string abc has no integer value"
  petsc 2 heat_petsc -lx 0
  assert_bad_input '-lx = 0 is out of range'
  petsc 2 heat_petsc -alpha x
  assert_bad_input "Input string x has no numeric value"
  petsc 4 heat_petsc -steps -3
  assert_bad_input '-steps = -3 is out of range'
  mpirun 2 "$(bin "$DIR" heat_petsc)" -dt
  assert_bad_input '-dt needs a value'
  petsc 2 heat_petsc -dt 0
  assert_bad_input '-dt = 0 is out of range'
  petsc 2 heat_petsc -halo ghost
  assert_bad_input "-halo must be globaltolocal, localtolocal or sf, not 'ghost'"
  mpirun 2 "$(bin "$DIR" heat_petsc)" -halo
  assert_bad_input '-halo needs a value'
  petsc 2 heat_petsc -kernel fast
  assert_bad_input "-kernel must be plain or rows8, not 'fast'"
  mpirun 2 "$(bin "$DIR" triad)" --n 10
  assert_bad_input 'out of range'
}

@test "08 a misspelt PETSc option is warned about; DMDA options are read" {
  petsc 2 heat_petsc -nx 12 -ny 12 -stepz 10
  assert_success
  assert_no_leak
  assert_value steps 500
  assert_line 'WARNING! option -stepz 10 was never used (misspelt?)'
  petsc 2 heat_petsc -nx 12 -ny 12 -steps 10 -dm_view
  assert_success
  refute_output --partial 'WARNING!'
  assert_output --partial 'Processor [1] M 12 N 12 m 2 n 1 w 1 s 1'
}

@test "08 -help and --help list the options" {
  mpirun 1 "$(bin "$DIR" heat_petsc)" -help
  assert_success
  assert_output --partial 'Explicit 2D heat equation'
  assert_output --regexp '-nx:? <now 101 : formerly 101>: grid nodes in x'
  assert_output --regexp '-dt:? <(now )?2e-05 : (formerly )?2e-05>: time step \(default: 0\.4 of the stable limit'
  for p in heat_mpi triad; do
    mpirun 2 "$(bin "$DIR" "$p")" --help
    assert_success
    assert_output --partial "usage: $p"
  done
}

@test "08 under MPICH: heat_mpi and triad build and agree; heat_petsc is refused with one line" {
  [ "$MPI" != mpich ] || skip "this run is already MPICH"
  build "$DIR" mpich
  mpi_tools mpich
  # MPICH spins in every wait: more ranks than the 2 cores crawl; 2 ranks
  # prove the build and the launch (the rank counts run under Open MPI above).
  for mode in "" --overlap; do
    mpirun 2 "$(bin "$DIR" heat_mpi mpich)" --nx 30 --ny 17 --steps 200 $mode
    assert_ok 2
    assert_value blocks "${BLOCKS[2]}"
    assert_reference
  done
  mpirun 2 "$(bin "$DIR" triad mpich)" --n 100000 --reps 2
  assert_ok 2
  assert_value check PASS
  run make --no-print-directory -C "$DIR" MPI=mpich build/mpich/heat_petsc
  assert_failure
  assert_line 'error: heat_petsc needs a library that Debian builds on Open MPI (PETSc, FFTW-MPI): use MPI=system or MPI=openmpi'
}

@test "08 exercise: make check fails unsolved, naming step 1; no program says PASS, a failed check exits non-zero" {
  skip_in_check
  build "$EX"
  exercise_fails_unsolved
  for mode in "" --overlap; do
    exercise_never_passes heat_mpi --nx 20 --ny 12 --steps 20 $mode
    # Without the halo the check fails, and the job fails with it (every rank exits 1).
    assert_line "check = FAIL"
    assert_failure
  done
  exercise_never_passes heat_petsc -nx 20 -ny 12 -steps 20 -malloc_dump
  assert_bad_input 'there is no DMDA yet: DMDACreate2d makes it'
}

@test "08 exercise: with the solution's step blocks, make check passes every step" {
  skip_in_check
  exercise_passes_solved
}

@test "08 exercise: differs from the solution only inside the step blocks" {
  skip_in_check
  exercise_matches_solution
}

@test "08 bench.sh runs (small grid) and reports the median round of every version" {
  [ "$DIR" = "$SOL" ] || skip "bench.sh belongs to the solution"
  [ "$MPI" != mpich ] || skip "the bench runs heat_petsc, which needs PETSc's Open MPI"
  local d="$BATS_TEST_TMPDIR/data"
  # NP=2 only (the default adds NP=1): the median of 3 rounds, with a halo.
  run bash -c "cd '$SOL' && NX=101 NY=101 STEPS=5 ROUNDS=3 NPS=2 TRIAD_N=100000 DATA='$d' MPIEXEC=$MPIEXEC BUILD=build/$MPI ./bench.sh"
  assert_success
  [ "$(wc -l < "$d/08-heat-rounds.csv")" -eq 13 ]  # 3 rounds x 1 NP x 4 versions
  [ "$(wc -l < "$d/08-heat-bench.csv")" -eq 5 ]
  # The median round's ratio lies between the lowest and the highest one.
  awk -F, 'NR > 1 { if ($10 < $11 || $10 > $12 || $13 != 3) { print; bad = 1 } } END { exit bad }' "$d/08-heat-bench.csv"
  grep -q '^heat_petsc,PetscSF,2,101x101,' "$d/08-heat-bench.csv"
  grep -q '^heat_petsc,DMLocalToLocal,2,101x101,' "$d/08-heat-bench.csv"
}
