#!/usr/bin/env bats
# Sanitizers: every MPI-only program of every lesson, built with
# `make SANITIZE=address,undefined` (its own build folder), runs its default
# case (a small one for a benchmark) at NP=2 and NP=3 without a single report
# from AddressSanitizer or UndefinedBehaviorSanitizer.
#
# LeakSanitizer is off (ASAN_OPTIONS=detect_leaks=0): Open MPI and MPICH keep
# allocations until exit that LeakSanitizer reports as leaks in the MPI
# libraries, not in the course's code; buffer overflows, use after free and
# undefined behaviour are all still reported, and any report fails the run
# (halt_on_error).  PETSc programs are left out: PETSc's -malloc_dump finds
# their leaks, and every PETSc test runs with it.

SAN=address,undefined

setup_file() {
  load helpers
  export ASAN_OPTIONS="detect_leaks=0:halt_on_error=1:abort_on_error=0:exitcode=99"
  export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1:exitcode=98"
}

setup() {
  load helpers
  mpi_tools system
}

# sanitize_lesson NN-slug [PROG=ARGS ...]: build the lesson's MPI programs with
# the sanitizers (one make, two compilers at once; build/system-address+undefined/
# is reused when up to date) and run each at NP=2 and NP=3, one after the other
# (both at once would put 5 ranks on 2 cores).  PROG=ARGS
# gives a program smaller arguments than its default where the default is a
# benchmark: the sanitizers check every line the run executes, and a small case
# executes the same lines as a large one.
sanitize_lesson() {
  local lesson="$1" dir="$COURSE_ROOT/solutions/$1" progs p np args a bad=0 st targets=() out; shift
  progs="$(make -s --no-print-directory -C "$dir" list-mpi-programs)"
  [ -n "$progs" ] || skip "$lesson has no MPI-only program"
  for p in $progs; do targets+=("build/system-address+undefined/$p"); done
  make -s --no-print-directory -j2 -C "$dir" SANITIZE=$SAN "${targets[@]}" > "$BATS_TEST_TMPDIR/build.log" 2>&1 ||
    { cat "$BATS_TEST_TMPDIR/build.log" >&2; return 1; }
  for p in $progs; do
    args=""
    for a in "$@"; do [ "${a%%=*}" = "$p" ] && args="${a#*=}"; done
    for np in 2 3; do
      # shellcheck disable=SC2086
      sanitized_run "$BATS_TEST_TMPDIR/$p.$np" "$np" "$dir/build/system-address+undefined/$p" $args
    done
    for np in 2 3; do
      out="$BATS_TEST_TMPDIR/$p.$np"
      st="$(cat "$out.status" 2>/dev/null || echo 255)"
      raw_output="$(cat "$out.raw" 2>/dev/null)"
      lines=()
      [ ! -s "$out.out" ] || mapfile -t lines < "$out.out"
      # A program that refuses this rank count (fft_sequential runs on one
      # rank) may stop with its one error line; anything else must succeed.
      refused=0
      [ "$st" -ne 0 ] && [ "${#lines[@]}" -eq 1 ] && [[ "${lines[0]}" == error:* ]] && refused=1
      if { [ "$st" -ne 0 ] && [ "$refused" -eq 0 ]; } || printf '%s\n' "$raw_output" | grep -qE 'ERROR: AddressSanitizer|runtime error:|SUMMARY: (Address|UndefinedBehavior)Sanitizer'; then
        bad=1
        echo "--- $p -n $np $args: exit $st" >&2
        printf '%s\n' "$raw_output" | grep -A12 -m1 -E 'Sanitizer|runtime error' >&2 || printf '%s\n' "$raw_output" | tail -5 >&2
      fi
    done
  done
  [ "$bad" -eq 0 ]
}

# sanitized_run OUT NP PROGRAM [ARGS...]: one run; exit status in OUT.status,
# the output in OUT.raw (as printed) and OUT.out (launcher notice removed).
sanitized_run() {
  local out="$1" np="$2"; shift 2
  mpirun "$np" "$@"
  printf '%s' "$raw_output" > "$out.raw"
  printf '%s' "$output" > "$out.out"
  echo "$status" > "$out.status"
}

@test "sanitizers: 02-hello" { sanitize_lesson 02-hello; }
@test "sanitizers: 03-send-recv" { sanitize_lesson 03-send-recv "pingpong=--max-bytes 65536 --reps 20 --samples 2"; }
@test "sanitizers: 04-deadlock" { sanitize_lesson 04-deadlock; }
@test "sanitizers: 05-collectives" { sanitize_lesson 05-collectives "bcast_timing=--max-bytes 65536 --reps 3" "scatter_sum=--n 100000"; }
@test "sanitizers: 06-fft" { sanitize_lesson 06-fft; }
@test "sanitizers: 07-mri" { sanitize_lesson 07-mri "mri=--n 60 --coils 5 --reps 1"; }
@test "sanitizers: 08-heat" { sanitize_lesson 08-heat "heat_mpi=--nx 41 --ny 33 --steps 50" "triad=--n 100000 --reps 2"; }
@test "sanitizers: 13-wave" { sanitize_lesson 13-wave "triad=--n 100000 --reps 2"; }
