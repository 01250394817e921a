#!/usr/bin/env bash
# stacks.sh SECONDS NP PROGRAM [ARGS...] — run build/$MPI/PROGRAM on NP ranks.
# If it is still running after SECONDS, print where every rank is (a backtrace
# from gdb attached to each rank's process: gdb -batch -p PID -ex bt), then
# stop the job and exit with status 124, as `timeout` does.  A job that ends
# in time exits with its own status.
#
#   ./stacks.sh 5 3 ring            # lesson 16's deadlock
#   MPI=mpich ./stacks.sh 5 2 ring  # a build with MPICH
#
# gdb may attach only to processes of the same user (and, in a container,
# only with the ptrace capability: docker run --cap-add=SYS_PTRACE).
set -u
[ $# -ge 3 ] || { echo "usage: $0 SECONDS NP PROGRAM [ARGS...]"; exit 2; }
secs="$1" np="$2" prog="$3"
shift 3
MPI="${MPI:-system}"
BUILD="${BUILD:-build/$MPI}"
case "$MPI" in
  system)  MPIEXEC=mpiexec ;;
  openmpi) MPIEXEC=mpiexec.openmpi ;;
  mpich)   MPIEXEC=mpiexec.mpich ;;
  *) echo "stacks.sh: MPI=$MPI: use system, openmpi or mpich"; exit 2 ;;
esac
cd "$(dirname "$0")" || exit 2
. ./mpi-env.sh
command -v gdb > /dev/null || { echo "stacks.sh: gdb is not installed (Debian package gdb)"; exit 2; }
[ -x "$BUILD/$prog" ] || { echo "stacks.sh: $BUILD/$prog is not built: run make"; exit 2; }
exe="$(readlink -f "$BUILD/$prog")"

"$MPIEXEC" -n "$np" "$BUILD/$prog" "$@" < /dev/null &
job=$!
for ((t = 0; t < secs * 10; ++t)); do
  if ! kill -0 "$job" 2> /dev/null; then wait "$job"; exit $?; fi
  sleep 0.1
done

# The job's processes that run the program (the launcher's children, or
# grandchildren under MPICH's hydra), each with its rank from its environment.
descendants() { local c; for c in $(pgrep -P "$1"); do echo "$c"; descendants "$c"; done; }
ranks=()
for pid in $(descendants "$job"); do
  [ "$(readlink "/proc/$pid/exe" 2> /dev/null)" = "$exe" ] || continue
  rank="$(tr '\0' '\n' < "/proc/$pid/environ" 2> /dev/null | sed -n 's/^\(OMPI_COMM_WORLD_RANK\|PMI_RANK\)=//p' | head -n 1)"
  ranks+=("${rank:-?} $pid")
done
echo "== $prog on $np ranks still runs after $secs s: where each rank is"
# One gdb per rank, all at once (attaching takes a moment), printed in rank order.
tmp="$(mktemp -d)"
while read -r rank pid; do
  [ -n "$pid" ] || continue
  { echo "-- rank $rank (process $pid)"; gdb -nx -batch -p "$pid" -ex bt 2> /dev/null | grep '^#'; } > "$tmp/$pid" &
done < <(printf '%s\n' "${ranks[@]}")
wait $(jobs -p | grep -vx "$job")
while read -r rank pid; do [ -z "$pid" ] || cat "$tmp/$pid"; done < <(printf '%s\n' "${ranks[@]}" | sort -n)
rm -rf "$tmp"

# Stop the job: the launcher first (it stops its ranks), then whatever is left.
kill -TERM "$job" 2> /dev/null
for ((t = 0; t < 50; ++t)); do kill -0 "$job" 2> /dev/null || break; sleep 0.1; done
pids="$(printf '%s\n' "${ranks[@]}" | cut -d' ' -f2)"
for p in "$job" $pids; do kill -KILL "$p" 2> /dev/null; done
wait "$job" 2> /dev/null
# Return only when every rank is gone (a killed process lingers until reaped).
alive() { local p s; for p in $pids; do s="$(awk '{print $3}' "/proc/$p/stat" 2> /dev/null)"; [ -z "$s" ] || [ "$s" = Z ] || return 0; done; return 1; }
for ((t = 0; t < 100; ++t)); do alive || break; sleep 0.1; done
exit 124
