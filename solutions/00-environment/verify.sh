#!/usr/bin/env bash
# verify.sh — is the course's toolchain working?  Runs each check program and
# prints one line per component:
#
#   PASS  mpi      Open MPI v4.1.4 (4 ranks, 2 ranks)
#   PASS  petsc    3.18.5
#   ...
#
# Exit status 1 when any line is FAIL.  Called by `make verify`, which sets
# BUILD (folder of the programs), MPIEXEC and NP (default 4).
set -uo pipefail
. ./mpi-env.sh   # the MPI environment (Open MPI 4 and 5), also when run without make
build="${BUILD:-build/system}"; mpiexec="${MPIEXEC:-mpiexec}"; np="${NP:-4}"
failed=0

# report PASS|FAIL COMPONENT TEXT
report() {
  printf '%-4s  %-7s  %s\n' "$1" "$2" "$3"
  [ "$1" = PASS ] || failed=$((failed + 1))
}

# launch N PROGRAM [ARGS...]: output in $out, exit status in $rc.
launch() {
  local n="$1" prog="$build/$2"; shift 2
  out="$(timeout -k 5 60 "$mpiexec" -n "$n" "$prog" "$@" 2>&1)"; rc=$?
}

# val NAME: the value of the `NAME = value` line in $out.
val() { printf '%s\n' "$out" | sed -n "s/^$1 = //p" | head -n 1; }

# started N: the last run finished (no hang, no crash before its report) and
# printed `size = N` exactly once.  A program whose own check fails exits 1
# after its report: that still counts as started.  Otherwise sets $why.
started() {
  local sizes
  sizes="$(printf '%s\n' "$out" | grep -c '^size = ')"
  if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then why="hung (killed after 60 s)"
  elif [ "$rc" -ne 0 ] && [ -z "$(val check)" ]; then why="exit status $rc: $(printf '%s\n' "$out" | grep -m1 -v '^$')"
  elif [ "$sizes" -ne 1 ] || [ "$(val size)" != "$1" ]; then
    why="expected one 'size = $1' line, got $sizes (program and mpiexec from different MPIs?)"
  else return 0
  fi
  return 1
}

# healthy N: started N, the program's own check says PASS and it exited 0.
healthy() {
  started "$1" || return 1
  [ "$(val check)" = PASS ] && [ "$rc" -eq 0 ] || { why="check = $(val check), exit status $rc"; return 1; }
}

# MPI: on NP ranks and on 2 ranks.
mpi_ok=1
for n in "$np" 2; do
  launch "$n" mpi_hello
  healthy "$n" || { mpi_ok=0; break; }
done
if [ "$mpi_ok" -eq 1 ]; then
  report PASS mpi "$(val mpi_library | cut -d, -f1) ($np ranks, 2 ranks)"
else
  report FAIL mpi "mpi_hello on $n ranks: $why"
fi

# PETSc, SLEPc and TAO: one run of petsc_info.
launch "$np" petsc_info
if started "$np"; then
  # Each library's version at run time must be the one the program was compiled for.
  if [ -n "$(val petsc_version)" ] && [ "$(val petsc_version)" = "$(val petsc_headers)" ]; then
    report PASS petsc "$(val petsc_version)"
  else
    report FAIL petsc "library '$(val petsc_version)', headers '$(val petsc_headers)'"
  fi
  if [ -n "$(val slepc_version)" ] && [ "$(val slepc_version)" = "$(val slepc_headers)" ]; then
    report PASS slepc "$(val slepc_version)"
  else
    report FAIL slepc "library '$(val slepc_version)', headers '$(val slepc_headers)'"
  fi
  if [ "$(val tao_lmvm)" = available ]; then
    report PASS tao "lmvm available"
  else
    report FAIL tao "lmvm '$(val tao_lmvm)'"
  fi
else
  for c in petsc slepc tao; do report FAIL "$c" "petsc_info on $np ranks: $why"; done
fi

# A distributed PETSc vector: the sum of n ones over NP ranks.
launch "$np" vec_sum -n 8
if healthy "$np"; then
  report PASS vec "sum of ones over $np ranks = $(val vec_sum)"
else
  report FAIL vec "vec_sum on $np ranks: $why"
fi

[ "$failed" -eq 0 ]
