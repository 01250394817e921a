#!/usr/bin/env bash
# run-suite.sh [FILE.bats ...] — run Bats files (default: every tests/*.bats),
# print their TAP file by file with each file's wall time, and end with one
# line `N passed, N failed, N skipped`.  Exit status: 0 when nothing failed.
#
#   FILTER=regex   run only the tests whose name matches (bats -f)
#   SUITE_JOBS=2   how many files run at the same time (default: 2 for the whole
#                  suite, 3 with Open MPI 5; 1 when files are named).  The
#                  longest files start first, so the lanes finish together.
#                  Files wait on daemons, compilers and MPI launches in turn:
#                  on 2 cores two lanes keep both busy.  With more lanes than
#                  cores, lanes take the cores in turn (lanes 0 and 2 share
#                  core 0).  Measured here on clean clones: Debian 12 (Open
#                  MPI 4) 2 lanes 414 s, 3 lanes 539 s (the CPU time rose from
#                  494 s to 611 s: ranks that poll take turns with the other
#                  lane's); Debian 13 (Open MPI 5, whose launches sleep: see
#                  lessons/running.rst, "Start-up time") the suite 405 s with
#                  2 lanes, 339 s with 3.  Set SUITE_JOBS=1 to see one file
#                  at a time.
#   SUITE_IDLE="tests/site.bats"  files that run beside the lanes, from the
#                  start, at the lowest priority (nice 19) on every core: they
#                  take the CPU time the lanes leave idle (a lane waits for
#                  Slurm jobs, launches, a hang's grace time).  The default,
#                  when the whole suite runs in pinned lanes: the site, the
#                  longest file (figures, Doxygen, Sphinx, a browser, and
#                  short program runs that have up to 300 s each).  Measured
#                  here: the suite took 599 s with the site in a lane, 529 s
#                  beside them.  When the lanes' last file has started, they
#                  go on at normal priority (as root: renice).
#                  SUITE_IDLE= runs every file in the lanes.
#   SUITE_SIDE="tests/slurm.bats tests/cluster.bats"  files that mostly wait
#                  (for Slurm's daemons and the jobs they start): they run one
#                  after another from the start, beside the lanes, on every
#                  core, at normal priority (a daemon that answers late makes
#                  a job wait).  In a lane the two held it for about 75 s
#                  and used 6-7 s of CPU time.  SUITE_SIDE= runs them in the
#                  lanes.
#   SUITE_PIN=1    each lane runs on its own share of the cores (taskset; the
#                  default when there are at least as many cores as lanes).
#                  An MPI rank that waits for a message polls and yields its
#                  core: unpinned, it takes turns from the other lane's
#                  compiler or solver, and a run of many small messages then
#                  waits for a descheduled partner at every one of them
#                  (measured here: one file's PETSc option runs took 164 s
#                  beside the site build, 42 s alone).  Pinned, a lane's ranks
#                  yield only to each other.  SUITE_PIN=0 turns it off.
set -uo pipefail
cd "$(dirname "$0")/.."
if [ $# -eq 0 ]; then
  jobs_default=2
  # Open MPI 5's launches wait (each rank sleeps 0.1 s as it starts; a failed
  # run's ranks are signalled 0.25 s apart): a third lane fills those waits.
  case "$(mpiexec --version 2> /dev/null < /dev/null | head -n 1)" in
    *"Open MPI"*" 5."*) jobs_default=3 ;;
  esac
  idle_default="tests/site.bats"
  side_default="tests/slurm.bats tests/cluster.bats"
  # The longest files first (measured wall times, slowest first); the rest after.
  first=(tests/site.bats tests/sanitizers.bats tests/petsc-options.bats tests/slurm.bats
         tests/04-deadlock.bats tests/08-heat.bats tests/simulate.bats tests/10-slepc.bats
         tests/13-wave.bats tests/06-fft.bats tests/11-snes.bats)
  files=()
  for f in "${first[@]}"; do [ -f "$f" ] && files+=("$f"); done
  for f in tests/*.bats; do
    case " ${files[*]} " in *" $f "*) ;; *) files+=("$f") ;; esac
  done
  set -- "${files[@]}"
else
  jobs_default=1
  idle_default=""
  side_default=""
fi
JOBS="${SUITE_JOBS:-$jobs_default}"

# The cores this process may use (Cpus_allowed_list, e.g. "0-3,6"), one per word.
cpus=()
for r in $(sed -n 's/^Cpus_allowed_list:[[:space:]]*//p' /proc/self/status 2>/dev/null | tr ',' ' '); do
  case "$r" in *-*) for ((c = ${r%-*}; c <= ${r#*-}; c++)); do cpus+=("$c"); done ;; *) cpus+=("$r") ;; esac
done
PIN="${SUITE_PIN:-1}"
{ [ "$JOBS" -gt 1 ] && [ "${#cpus[@]}" -gt 1 ] && command -v taskset > /dev/null; } || PIN=0
# Open MPI 4 binds the ranks of a run of 1 or 2 ranks to cores 0 and 1 of the
# whole machine, whatever taskset allowed: every one-rank run of both lanes
# then sits on core 0.  Pinned lanes launch unbound ranks, which stay on their
# lane's cores.  (Open MPI 5 keeps to the taskset cores already.)
if [ "$PIN" != 0 ]; then
  export OMPI_MCA_hwloc_base_binding_policy="${OMPI_MCA_hwloc_base_binding_policy:-none}"         # Open MPI 4
  export PRTE_MCA_hwloc_default_binding_policy="${PRTE_MCA_hwloc_default_binding_policy:-none}"   # Open MPI 5
fi
# lane_cpus LANE: the cores of lane LANE (0..JOBS-1), an equal share of cpus,
# per_lane of them (the last lane also takes what is left over).  With more
# lanes than cores, lane LANE has core LANE modulo the number of cores.
per_lane=$(( ${#cpus[@]} / JOBS ))
[ "$per_lane" -ge 1 ] || per_lane=1
lane_cpus() {
  local list
  if [ "$JOBS" -gt "${#cpus[@]}" ]; then echo "${cpus[$(( $1 % ${#cpus[@]} ))]}"; return; fi
  if [ "$1" -eq $((JOBS - 1)) ]; then list="${cpus[*]:$(( $1 * per_lane ))}"
  else list="${cpus[*]:$(( $1 * per_lane )):$per_lane}"; fi
  echo "${list// /,}"
}

# The files that run at idle priority beside the lanes (see SUITE_IDLE), and
# those that run one after another beside them (see SUITE_SIDE).
[ "$PIN" != 0 ] || { idle_default=""; side_default=""; }
idle=" ${SUITE_IDLE-$idle_default} "
side=" ${SUITE_SIDE-$side_default} "

out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT

# Every launch (mpiexec, its daemons and each rank) first discovers the
# machine's topology: hwloc reads hundreds of files under /sys.  Measured here,
# that was 40% of the CPU time of a 2-rank hello (0.08 of 0.20 s) and a fifth
# of a 2-rank PETSc run's.  The suite launches about 1,300 runs: it reads the
# topology once (lstopo) and gives that file to all of them.  HWLOC_THISSYSTEM=1
# says it is this machine's, so binding ranks to cores still works.
if [ -z "${HWLOC_XMLFILE:-}" ] && command -v lstopo-no-graphics > /dev/null &&
   lstopo-no-graphics --of xml "$out/topology.xml" 2> /dev/null; then
  export HWLOC_XMLFILE="$out/topology.xml" HWLOC_THISSYSTEM=1
fi
suite_start=$(date +%s)

# run_file INDEX FILE LANE: one Bats file (on lane LANE's cores when pinned;
# at idle priority on every core when LANE is "idle", on every core when "side");
# its TAP in $out/INDEX.tap, its time in $out/INDEX.time.
run_file() {
  local t0 pin=(); t0=$(date +%s)
  # Open MPI 4's launchers share one session folder (/tmp/ompi.HOST.UID): one
  # that ends removes it while another, starting, creates its own inside it,
  # and that one fails ("ORTE_ERROR_LOG: Error in file
  # ../../../orte/util/session_dir.c at line 107"; Open MPI issue 8510; seen
  # here once, a run of the site beside the lanes).  Each file has its own.
  mkdir -p "$out/ompi-$1" && export OMPI_MCA_orte_tmpdir_base="$out/ompi-$1"
  if [ "$3" = idle ]; then pin=(nice -n 19)
  elif [ "$3" = side ]; then pin=()
  elif [ "$PIN" != 0 ]; then pin=(taskset -c "$(lane_cpus "$3")"); fi
  "${pin[@]}" bats --tap --timing ${FILTER:+-f "$FILTER"} "$2" < /dev/null > "$out/$1.tap" 2>&1
  # This subshell's children's CPU time (the second line of `times`: user, system).
  times > "$out/$1.times"
  awk 'NR == 2 { t = 0; for (i = 1; i <= 2; i++) { split($i, a, /[ms]/); t += 60 * a[1] + a[2] }
                 printf "%.0f\n", t }' "$out/$1.times" > "$out/$1.cpu"
  echo $(( $(date +%s) - t0 )) > "$out/$1.time"
  echo $(( t0 - suite_start )) > "$out/$1.start"
}

# show INDEX FILE: print a finished file's TAP and time.
show() {
  echo "# ---- $2 ($(cat "$out/$1.time") s, $(cat "$out/$1.cpu" 2>/dev/null) s of CPU time, from $(cat "$out/$1.start") s)"
  cat "$out/$1.tap"
}

# The side files, one after another (each in its own subshell, so that its
# CPU time is its own).
declare -A running=() lane_of=() idle_runs=() side_runs=()
idle_pids=()
i=0
for f in "$@"; do [[ "$side" != *" $f "* ]] || side_runs[$i]="$f"; i=$((i + 1)); done
if [ "${#side_runs[@]}" -gt 0 ]; then
  ( for k in "${!side_runs[@]}"; do ( run_file "$k" "${side_runs[$k]}" side ); done ) &
fi
i=0
for f in "$@"; do
  if [ -n "${side_runs[$i]:-}" ]; then i=$((i + 1)); continue; fi
  if [[ "$idle" == *" $f "* ]]; then
    run_file "$i" "$f" idle &
    idle_runs[$i]="$f"
    idle_pids+=("$!")
    i=$((i + 1))
    continue
  fi
  while [ "${#running[@]}" -ge "$JOBS" ]; do
    wait -n 2>/dev/null || true
    for k in "${!running[@]}"; do
      if [ -f "$out/$k.time" ]; then show "$k" "${running[$k]}"; unset "running[$k]" "lane_of[$k]"; fi
    done
  done
  lane=0
  while [[ " ${lane_of[*]} " == *" $lane "* ]]; do lane=$((lane + 1)); done
  run_file "$i" "$f" "$lane" &
  running[$i]="$f"
  lane_of[$i]="$lane"
  i=$((i + 1))
done
# The last file of the lanes has started: from now on the idle files run at
# normal priority.  Until now they took what the lanes left; what is left of
# them (the site's second build, its browser tests: mostly one process at a
# time) would otherwise run alone after the lanes, with a core idle.  Lowering
# the nice value needs root (CAP_SYS_NICE); for another user it stays 19.
subtree() { local c; for c in $(pgrep -P "$1"); do echo "$c"; subtree "$c"; done; }
for p in "${idle_pids[@]}"; do
  # shellcheck disable=SC2046
  renice -n 0 -p "$p" $(subtree "$p") > /dev/null 2>&1 || true
done
wait
for k in "${!running[@]}" "${!idle_runs[@]}" "${!side_runs[@]}"; do
  show "$k" "${running[$k]:-${idle_runs[$k]:-${side_runs[$k]:-}}}"
done

cat "$out"/*.tap > "$out/all.log" 2>/dev/null || : > "$out/all.log"
log="$out/all.log"
passed=$(grep -cE '^ok [0-9]+' "$log" | head -1)
skipped=$(grep -cE '^ok [0-9]+ .*# skip' "$log" | head -1)
failed=$(grep -cE '^not ok [0-9]+' "$log" | head -1)
passed=$((passed - skipped))
# A file that could not even start (syntax error) has no plan line: count it as failed.
plans=$(grep -cE '^1\.\.[0-9]+' "$log" | head -1)
[ "$plans" -eq $# ] || failed=$((failed + $# - plans))
echo
if [ "$PIN" = 0 ]; then pinned=""
elif [ "$JOBS" -gt "${#cpus[@]}" ]; then pinned=", on the ${#cpus[@]} cores in turn"
else pinned=", each on $per_lane of the ${#cpus[@]} cores"; fi
[ "${#idle_runs[@]}" -eq 0 ] || pinned="$pinned; ${idle_runs[*]} beside them at idle priority"
[ "${#side_runs[@]}" -eq 0 ] || pinned="$pinned; ${side_runs[*]} one after another beside them"
wall=$(( $(date +%s) - suite_start ))
# The CPU time of everything the suite ran (this shell's children, fields 16
# and 17 of /proc/PID/stat, in clock ticks), against what the cores could give.
echo "# suite CPU time: $(awk -v w="$wall" -v c="${#cpus[@]}" -v hz="$(getconf CLK_TCK 2>/dev/null || echo 100)" '{
  sub(/^.*\) /, ""); u = $14 / hz; s = $15 / hz   # after "pid (comm) ", field 16 is the 14th
  printf "%.0f s (user %.0f s, system %.0f s), %.0f%% of %d cores for %d s", u + s, u, s,
         (w > 0 && c > 0) ? 100 * (u + s) / (c * w) : 0, c, w }' "/proc/$$/stat" 2>/dev/null)"
echo "# suite wall time: $wall s ($JOBS at a time$pinned); per file, wall and CPU time:"
for k in $(seq 0 $((i - 1))); do
  printf '#   %4s s %4s s  %s\n' "$(cat "$out/$k.time" 2>/dev/null || echo '?')" \
    "$(cat "$out/$k.cpu" 2>/dev/null || echo '?')" "${@:k + 1:1}"
done | sort -rn -k2
# Where the time goes inside the files: the slowest tests (bats --timing adds
# "in N ms" to each result line).
echo "# the slowest tests:"
for k in $(seq 0 $((i - 1))); do
  f="$(basename "${@:k + 1:1}" .bats)"
  sed -nE "s/^(not )?ok [0-9]+ (.*) in ([0-9]+)ms( # skip.*)?\$/\\3 $f: \\2/p" "$out/$k.tap" 2>/dev/null
done | sort -rn | head -n 15 | awk '{ ms = $1; $1 = ""; printf "#   %6.1f s %s\n", ms / 1000, $0 }'
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
