# slurm.bash — a real single-node Slurm cluster for the job-script tests.
#
#   slurm_start DIR   start munged, slurmctld and slurmd with a configuration
#                     in DIR (no systemd, no cgroups); sets SLURM_CONF
#   slurm_stop DIR    stop every daemon by its pid file
#
# The node offers 4 CPUs whatever the hardware (SlurmdParameters=
# config_overrides), so 4-rank jobs run on a 2-core machine.  A finished job's
# record stays for 60 s (MinJobAge): `sbatch --wait` looks at the job every 2,
# 4, 8, then 10 s and must still find it there to read its exit status.  (With
# 2 s, a job that failed within a few seconds was gone when sbatch looked
# again: sbatch said "Job N no longer found and exit code not found" and
# exited 0, and a test that expected the failure failed, once in 8 runs.)
# OverSubscribe=FORCE:4 lets up to four jobs share a CPU, so the lessons' jobs
# run side by side.  The ports are free ones picked at start, not the default
# 6817/6818, so the test cluster keeps clear of a real Slurm and of another
# test run on the same machine (a chroot shares the host's network).
# The daemons run as the user who starts them (SlurmUser, SlurmdUser), root or
# not: in the course's container that is `learner`, whose slurmd then runs
# that user's jobs only, which is all a one-person cluster needs.

slurm_available() {
  command -v munged >/dev/null && command -v slurmctld >/dev/null &&
    command -v slurmd >/dev/null && command -v sbatch >/dev/null
}

# free_port: a TCP port nobody listens on now.
free_port() {
  /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("", 0)); print(s.getsockname()[1])'
}

# slurm_fail DIR WHAT: say what did not start, with the end of the logs.
slurm_fail() {
  echo "slurm: $2 did not start; the end of its logs ($1):" >&2
  tail -n 15 "$1"/log/*.log "$1"/munge/munged.log >&2 2>/dev/null
  return 1
}

slurm_start() {
  local dir="$1" host ctld_port slurmd_port
  host="$(hostname -s)"
  ctld_port="$(free_port)"; slurmd_port="$(free_port)"
  mkdir -p "$dir"/{munge,state,spool,log}
  # A fresh key for this cluster only; munged insists on mode 0600.
  head -c 1024 /dev/urandom > "$dir/munge/munge.key"
  chmod 600 "$dir/munge/munge.key"
  munged --key-file="$dir/munge/munge.key" --socket="$dir/munge/socket" \
    --pid-file="$dir/munge/munged.pid" --log-file="$dir/munge/munged.log" \
    --seed-file="$dir/munge/seed" --force || slurm_fail "$dir" munged || return 1
  cat > "$dir/slurm.conf" <<CONF
ClusterName=course
SlurmctldHost=$host
SlurmUser=$(id -un)
SlurmdUser=$(id -un)
AuthType=auth/munge
AuthInfo=socket=$dir/munge/socket
CredType=cred/munge
SlurmctldPort=$ctld_port
SlurmdPort=$slurmd_port
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
MpiDefault=none
ReturnToService=2
MinJobAge=60
SlurmdParameters=config_overrides
NodeName=$host CPUs=4 State=UNKNOWN
PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP OverSubscribe=FORCE:4
CONF
  export SLURM_CONF="$dir/slurm.conf"
  # What a daemon says before its log file is open (a bad configuration, no
  # cgroup file system under /sys/fs/cgroup for slurmd) goes to *-start.log.
  slurmctld -f "$SLURM_CONF" 2> "$dir/log/slurmctld-start.log" || slurm_fail "$dir" slurmctld || return 1
  slurmd -f "$SLURM_CONF" 2> "$dir/log/slurmd-start.log" || slurm_fail "$dir" slurmd || return 1
  # Wait (at most 20 s) for the node to be idle.
  local i
  for ((i = 0; i < 100; i++)); do
    [ "$(sinfo -h -o %t 2>/dev/null)" = idle ] && return 0
    sleep 0.2
  done
  slurm_fail "$dir" "the node (sinfo: $(sinfo -h -o %t 2>&1))"
}

slurm_stop() {
  local dir="$1" f pid i
  for f in "$dir/slurmd.pid" "$dir/slurmctld.pid" "$dir/munge/munged.pid"; do
    [ -s "$f" ] || continue
    pid="$(cat "$f")"
    kill "$pid" 2>/dev/null || continue
    for ((i = 0; i < 50; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  done
}
