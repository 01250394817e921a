#!/usr/bin/env bash
# run.sh — run one MPI program, built with smpicxx, on a simulated cluster.
#
#   NP=64 PLATFORM=hpc simulate/run.sh build/smpi/heat_mpi --nx 1025 --ny 1025
#   simulate/run.sh --check        exit 0 when SimGrid's SMPI is installed
#   simulate/run.sh --platforms    the platforms shipped with the course
#
# `make simulate` in a lesson folder builds the program into build/smpi/ and
# calls this script; you rarely call it yourself.  It starts smpirun (SimGrid's
# SMPI) with NP simulated ranks on a platform file, prints what the program
# prints, then what the simulation says:
#
#   platform = hpc
#   simulated_time_s = 0.0123        the simulated clock when the last rank ended
#
# (after a successful run; a failed one shows only the program's error, and a
# deadlock, which SimGrid detects, one line plus the ranks that wait).
#
# Environment:
#   NP          simulated ranks (default 4)
#   PLATFORM    this-machine, hpc, ethernet (simulate/platforms/NAME.xml), or
#               the path of your own platform file (default: hpc).  A hostfile
#               NAME.hosts beside the XML file, if there is one, places the
#               ranks: block by block, filling one node's cores before the next.
#   SMPI_FLAGS  more smpirun options, e.g. "--cfg=smpi/bcast:flattree" or
#               "--cfg=smpi/simulate-computation:no"
#
# SimGrid's own messages go to a log file, not the screen; its warnings and
# errors are shown after the program's output.  The exit status is the
# program's, and 1 after a deadlock.
set -u
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
platforms="$here/platforms"

say() { echo "error: $*" >&2; }

if ! command -v smpirun > /dev/null || ! command -v smpicxx > /dev/null; then
  say "make simulate needs SimGrid's SMPI (smpicxx, smpirun), Debian package libsimgrid-dev: make deps installs it"
  exit 2
fi
case "${1:-}" in
  --check) exit 0 ;;
  --platforms)
    for f in "$platforms"/*.xml; do
      printf '  %-14s %s\n' "$(basename "$f" .xml)" "$(sed -n 's/^ *summary: *//p' "$f" | head -n 1)"
    done
    exit 0 ;;
  "") say "usage: NP=N PLATFORM=NAME $0 PROGRAM [ARGS...]"; exit 2 ;;
esac

prog="$1"; shift
np="${NP:-4}"
platform="${PLATFORM:-hpc}"
case "$platform" in
  */* | *.xml) xml="$platform" ;;
  *) xml="$platforms/$platform.xml" ;;
esac
if [ ! -f "$xml" ]; then
  say "no platform '$platform': use one of $(cd "$platforms" && ls *.xml | sed 's/\.xml$//' | paste -sd ' ') or the path of a platform file"
  exit 2
fi
[[ "$np" =~ ^[1-9][0-9]*$ ]] || { say "NP=$np: the number of simulated ranks must be a positive number"; exit 2; }
[ -x "$prog" ] || { say "no program $prog (build it with make simulate)"; exit 2; }

log="$(mktemp "${TMPDIR:-/tmp}/smpi-log.XXXXXX")"
unrolled="$(mktemp "${TMPDIR:-/tmp}/smpi-hosts.XXXXXX")"
trap 'rm -f "$log" "$unrolled"' EXIT

# The hostfile: one line per rank (node:cores lines unrolled here, so that
# smpirun writes no temporary file into the lesson folder).
hostfile=()
hosts="${xml%.xml}.hosts"
if [ -f "$hosts" ]; then
  awk -F: '{n = ($2 == "" ? 1 : $2); for (i = 0; i < n; i++) print $1}' "$hosts" > "$unrolled"
  slots="$(wc -l < "$unrolled")"
  if [ "$np" -gt "$slots" ]; then
    say "NP=$np is more than the $slots cores of platform $(basename "$xml" .xml): use NP <= $slots or a bigger platform"
    exit 2
  fi
  hostfile=(-hostfile "$unrolled")
fi

# SMPI's default MPI_Reduce is a flat tree that SimGrid simulates slowly at a
# thousand ranks (every rank waits on one root); a binomial tree is what MPI
# libraries use at that size anyway.  Any smpi/reduce in SMPI_FLAGS wins.
# shellcheck disable=SC2086
smpirun -quiet -np "$np" -platform "$xml" "${hostfile[@]}" \
  --cfg=smpi/reduce:binomial --cfg=smpi/display-timing:yes \
  --log=root.app:file:"$log" --log=root.fmt:%m%n ${SMPI_FLAGS:-} \
  "$prog" "$@" < /dev/null | grep --line-buffered -v '^Execution failed with code [0-9]*\.$'
status=${PIPESTATUS[0]}

# A deadlock: SimGrid sees that every rank left waits for a message nobody
# will send, stops the simulation and lists the ranks (smpirun itself exits 0).
if grep -q '^Oops! Deadlock detected' "$log"; then
  # SimGrid 3.32: "Actor 1 (0@node-0): waiting for communication activity ...";
  # SimGrid 4.0: " - pid 1 (0@node-0): waiting for a communication activity ...".
  waiting="$(sed -n -E 's/^( - pid|Actor) [0-9]+ \(([0-9]+)@([^)]*)\): waiting for (an? )?([a-z]+) activity.*/  rank \2 on \3 waits for a \5/p' "$log")"
  echo "error: deadlock: the simulation stopped with $(printf '%s\n' "$waiting" | grep -c rank) ranks waiting for messages that never come:" >&2
  printf '%s\n' "$waiting" | head -n 8 >&2
  [ "$(printf '%s\n' "$waiting" | wc -l)" -le 8 ] || echo "  ..." >&2
  [ "$status" -ne 0 ] || status=1
else
  # SimGrid's other warnings and errors, without the notes every run prints
  # (configuration changes, the host speed, the hostfile, a rank's exit status).
  grep -E -v '^(Configuration change|Option .* has been renamed|You requested to use|Simulated time|The simulation took|[0-9.e+-]+ seconds were actual|SMPI process did not return 0|$)' "$log" |
    grep -E -i 'warn|error|critical|abort|fail|unknown' >&2
fi
# The simulated clock, after a run that succeeded (a failed one shows only its error).
if [ "$status" -eq 0 ]; then
  echo "platform = $(basename "$xml" .xml)"
  sim="$(sed -n 's/^Simulated time: \([0-9.e+-]*\) seconds.*/\1/p' "$log" | head -n 1)"
  [ -z "$sim" ] || echo "simulated_time_s = $sim"
fi
exit "$status"
