# grade.sh — what an exercise's check.sh uses to grade the learner's build.
#
# The course keeps one copy in common/grade.sh; `make sync` at the course root
# copies it into every exercise folder.  Edit common/grade.sh, not a copy.
#
# `make check` builds the exercise, then runs ./check.sh, which reads like this:
#
#   . ./grade.sh
#   step 1 "every rank finds its rank and the size (MPI_Comm_rank, MPI_Comm_size)"
#   launch 4 hello                      # mpiexec -n 4 build/$MPI/hello, under a timeout
#   expect_size 4                       # one `size = 4` line, or why not
#   expect_each_rank 4 'hello from rank %r of 4'
#   expect_value check PASS
#   step 2 "..."
#   ...
#   finish                              # the summary; exit 1 when a step failed
#
# A step stops at its first failed expectation and prints what is wrong in
# words; the next step is graded all the same, so every step gives feedback on
# its own.  Program output appears only when it explains a failure.

GRADE_TIMEOUT=${GRADE_TIMEOUT:-60}
MPI=${MPI:-system}
BUILD=${BUILD:-build/$MPI}
case "$MPI" in
  system)  MPIEXEC=mpiexec ;;
  openmpi) MPIEXEC=mpiexec.openmpi ;;
  mpich)   MPIEXEC=mpiexec.mpich ;;
  *) echo "grade: unknown MPI '$MPI' (system, openmpi or mpich)"; exit 2 ;;
esac
# shellcheck source=/dev/null
. ./mpi-env.sh

_step=""; _title=""; _step_failed=0; _failed_steps=(); _passed_steps=()
OUT=""; STATUS=0; _np=0; _prog=""

_close_step() {
  [ -n "$_step" ] || return 0
  if [ "$_step_failed" -eq 0 ]; then
    echo "step $_step: PASS  ($_title)"
    _passed_steps+=("$_step")
  fi
}

# step N "what the step asks for": start grading step N.
step() {
  _close_step
  _step="$1"; _title="$2"; _step_failed=0
}

# fail "message": the current step fails with this message (once per step).
fail() {
  [ "$_step_failed" -eq 0 ] || return 1
  _step_failed=1
  _failed_steps+=("$_step")
  echo "step $_step: FAIL  ($_title)"
  printf '%s\n' "$@" | sed 's/^/    /'
  return 1
}

# skip_rest: true when the current step has already failed (so later
# expectations of the step are not graded on a broken run).
failed() { [ "$_step_failed" -ne 0 ]; }

# launch NP PROGRAM [ARGS...]: run the learner's program on NP ranks; output
# (stdout and stderr) in $OUT, exit status in $STATUS.
launch() {
  _np="$1"; _prog="$2"; shift 2
  failed && return 1
  if [ ! -x "$BUILD/$_prog" ]; then fail "$BUILD/$_prog was not built: run make and read the compiler's first error"; return 1; fi
  OUT="$(timeout -k 5 "$GRADE_TIMEOUT" "$MPIEXEC" -n "$_np" "$BUILD/$_prog" "$@" < /dev/null 2>&1)"
  STATUS=$?
  # Open MPI 5's launcher adds lines that are not the learner's output
  # (mpi_output_filter, in mpi-env.sh, drops them).
  OUT="$(mpi_filter_text "$OUT")"
  if [ "$STATUS" -eq 124 ] || [ "$STATUS" -eq 137 ]; then
    fail "$_prog on $_np ranks did not finish in $GRADE_TIMEOUT s: a rank is waiting for a message that never comes (a deadlock?)." \
         "Run it yourself: make run PROG=$_prog NP=$_np"
    return 1
  fi
  return 0
}

# run_serial PROGRAM [ARGS...]: run a program without mpiexec (lesson 01).
run_serial() {
  _np=1; _prog="$1"; shift
  failed && return 1
  if [ ! -x "$BUILD/$_prog" ]; then fail "$BUILD/$_prog was not built: run make and read the compiler's first error"; return 1; fi
  OUT="$(timeout -k 5 "$GRADE_TIMEOUT" "$BUILD/$_prog" "$@" < /dev/null 2>&1)"
  STATUS=$?
  [ "$STATUS" -ne 124 ] && [ "$STATUS" -ne 137 ] || { fail "$_prog did not finish in $GRADE_TIMEOUT s"; return 1; }
}

_show_output() { printf '%s\n' "$OUT" | head -n "${1:-15}" | sed 's/^/      | /'; }

# expect_exit [CODE]: the run ended with this status (default 0).
expect_exit() {
  failed && return 1
  local want="${1:-0}"
  [ "$STATUS" -eq "$want" ] && return 0
  fail "$_prog on $_np ranks exited with status $STATUS (expected $want). Its output:" "$(_show_output)"
}

# value NAME: the value of the first `NAME = value` line of the last run.
value() { printf '%s\n' "$OUT" | sed -n "s/^$1 = //p" | head -n 1; }

# expect_size NP: exactly one `size = NP` line (rank 0 prints it).
expect_size() {
  failed && return 1
  local n sizes
  n=$(printf '%s\n' "$OUT" | grep -c '^size = ')
  sizes=$(printf '%s\n' "$OUT" | sed -n 's/^size = //p' | sort | uniq -c | awk '{printf "%s%s x size = %s", (NR>1?", ":""), $1, $2}')
  if [ "$n" -eq 0 ]; then
    fail "no line 'size = $1': rank 0 should print the number of ranks. Output:" "$(_show_output)"
  elif [ "$n" -gt 1 ] && [ "$(printf '%s\n' "$OUT" | grep -c "^size = $1\$")" -eq "$n" ]; then
    fail "$n ranks printed 'size = $1': only one rank (rank 0, or the root) should print the results."
  elif [ "$n" -gt 1 ]; then
    fail "$n lines 'size = ...' ($sizes) where rank 0 alone should print one." \
         "Each rank believes it is rank 0 of its own job: was the program built with one MPI and launched" \
         "with another (built by mpicxx.mpich, started by Open MPI's mpiexec)?  Rebuild: make clean && make"
  elif [ "$(value size)" != "$1" ]; then
    fail "rank 0 printed size = $(value size), expected size = $1 (the -n given to mpiexec)."
  fi
}

# expect_each_rank NP PATTERN: for every rank r < NP, a line matching PATTERN
# with %r replaced by r (a grep -E pattern), and no line for a rank >= NP.
expect_each_rank() {
  failed && return 1
  local np="$1" pat="$2" r missing=()
  for ((r = 0; r < np; ++r)); do
    printf '%s\n' "$OUT" | grep -qE "${pat//%r/$r}" || missing+=("$r")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  fail "no line matching /${pat//%r/R}/ from rank(s) ${missing[*]} of $np. Output:" "$(_show_output)"
}

# expect_value NAME EXPECTED [HINT]: `NAME = EXPECTED` exactly.
expect_value() {
  failed && return 1
  local v; v="$(value "$1")"
  [ "$v" = "$2" ] && return 0
  if [ -z "$v" ]; then fail "no line '$1 = ...' in the output${3:+ ($3)}. Output:" "$(_show_output)"
  else fail "$1 = $v, expected $1 = $2${3:+ ($3)}"; fi
}

# expect_close NAME EXPECTED TOL [HINT]: |value - expected| <= TOL * max(|expected|, 1e-300).
expect_close() {
  failed && return 1
  local v; v="$(value "$1")"
  if [ -z "$v" ]; then fail "no line '$1 = ...' in the output${4:+ ($4)}. Output:" "$(_show_output)"; return 1; fi
  awk -v v="$v" -v e="$2" -v t="$3" 'BEGIN { d = v - e; if (d < 0) d = -d; s = (e < 0) ? -e : e;
        if (s == 0) s = 1; exit !(v == v + 0 && d <= t * s) }' && return 0
  fail "$1 = $v, expected $2 (to a relative $3)${4:+ ($4)}"
}

# expect_below NAME LIMIT [HINT]: value <= LIMIT (an error, a residual).
expect_below() {
  failed && return 1
  local v; v="$(value "$1")"
  if [ -z "$v" ]; then fail "no line '$1 = ...' in the output${3:+ ($3)}. Output:" "$(_show_output)"; return 1; fi
  awk -v v="$v" -v l="$2" 'BEGIN { exit !(v + 0 <= l + 0) }' && return 0
  fail "$1 = $v, expected at most $2${3:+ ($3)}"
}

# expect_line PATTERN [HINT]: some output line matches PATTERN (grep -E).
expect_line() {
  failed && return 1
  printf '%s\n' "$OUT" | grep -qE "$1" && return 0
  fail "no output line matches /$1/${2:+ ($2)}. Output:" "$(_show_output)"
}

# expect_no_line PATTERN [HINT]: no output line matches PATTERN.
expect_no_line() {
  failed && return 1
  local l; l="$(printf '%s\n' "$OUT" | grep -m1 -E "$1")" || return 0
  fail "this line should not be there${2:+ ($2)}: $l"
}

# finish: the summary line; exit status 1 when any step failed.
finish() {
  _close_step
  echo
  if [ ${#_failed_steps[@]} -eq 0 ]; then
    echo "all ${#_passed_steps[@]} steps pass: well done."
    exit 0
  fi
  echo "${#_passed_steps[@]} of $(( ${#_passed_steps[@]} + ${#_failed_steps[@]} )) steps pass; first to fix: step ${_failed_steps[0]}."
  exit 1
}
