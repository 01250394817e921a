# mpi-env.sh — the environment for launching the course's MPI programs.
# Source it (`. ./mpi-env.sh`) before mpiexec: lesson Makefiles, job scripts,
# the tests and the container all do.  POSIX sh; MPICH ignores every variable.
#
# The course keeps one copy in common/mpi-env.sh; `make sync` at the course root
# copies it into every lesson folder.  Edit common/mpi-env.sh, not a copy.
#
# Open MPI 4 (ORTE, Debian 12) and Open MPI 5 (PRRTE, Debian 13) name the same
# settings differently; each ignores the other's names, so both are set.
# A value you set yourself (in your shell, a job script) is kept.

# Run as root, as in containers and CI (Open MPI refuses otherwise).
export OMPI_ALLOW_RUN_AS_ROOT="${OMPI_ALLOW_RUN_AS_ROOT:-1}"
export OMPI_ALLOW_RUN_AS_ROOT_CONFIRM="${OMPI_ALLOW_RUN_AS_ROOT_CONFIRM:-1}"

# More ranks than cores (4 ranks on a 2-core laptop): allowed, not refused.
export OMPI_MCA_rmaps_base_oversubscribe="${OMPI_MCA_rmaps_base_oversubscribe:-1}"                  # Open MPI 4
export PRTE_MCA_rmaps_default_mapping_policy="${PRTE_MCA_rmaps_default_mapping_policy:-:oversubscribe}"  # Open MPI 5

# More ranks than cores: a rank waiting for a message gives its core away
# (sched_yield) instead of spinning, so the rank it waits for can run.  Measured
# here, heat_mpi at 4 ranks on 2 cores: 12.3 s spinning, 0.9 s yielding.  With
# one rank per core it costs a system call per idle poll; set it to 0 for a
# latency benchmark on a cluster.  (MPICH spins regardless.)
export OMPI_MCA_mpi_yield_when_idle="${OMPI_MCA_mpi_yield_when_idle:-1}"                          # Open MPI 4 and 5

# On one machine (a laptop, a container, the tests; not a Slurm job), ranks
# talk through shared memory: Open MPI 4 then need not probe for a fast
# network (UCX) at every start, 0.2 s of its 0.7 s start here.  In a Slurm job
# Open MPI picks the cluster's network itself.  (Open MPI 5 starts in 0.4 s
# either way; MPICH ignores it.)
#
# The launcher hands each job's information to its ranks through PMIx; its
# default store is a shared-memory segment it builds and clears for every
# launch, which costs more than it saves for a few ranks on one machine: the
# plain store (hash) took a 2-rank start here from 0.29 s to 0.25 s with Open
# MPI 4, from 0.38 s to 0.36 s with Open MPI 5.  A Slurm job keeps Slurm's own.
if [ -z "${SLURM_JOB_ID:-}" ]; then
  export OMPI_MCA_pml="${OMPI_MCA_pml:-ob1}"                                                        # Open MPI 4 and 5
  export PMIX_MCA_gds="${PMIX_MCA_gds:-hash}"                                                       # Open MPI 4 and 5 (PMIx)
fi

# A failing run shows the program's own message, not a screen of launcher
# notices.  Open MPI 4 obeys this; Open MPI 5 still adds one boxed notice
# ("prterun detected that one or more processes exited with non-zero status"),
# and no setting removes it without also losing the exit status.
export OMPI_MCA_orte_execute_quiet="${OMPI_MCA_orte_execute_quiet:-1}"                              # Open MPI 4

# A run that fails (a rank exits non-zero, as after a bad input) ends at once.
# Open MPI 4 then stops the job's other processes with SIGTERM and waits a
# second before SIGKILL, even when they have all exited already: measured
# here, a refused run of 2 ranks took 1.5-2.3 s instead of 0.4 s.  Open MPI 5
# does not wait.
export OMPI_MCA_odls_base_sigkill_timeout="${OMPI_MCA_odls_base_sigkill_timeout:-0}"               # Open MPI 4

# Open MPI 5.0's TCP transport prints "Unable to find reachable pairing between
# local and remote interfaces" for every peer on a host with IPv6 addresses.
# Ranks on one node talk through shared memory; between nodes IPv4 is enough.
export OMPI_MCA_btl_tcp_disable_family="${OMPI_MCA_btl_tcp_disable_family:-6}"

# In a container, ranks on one node may not read each other's memory directly
# (CMA, ptrace): COURSE_CONTAINER=1 turns the single-copy path off.
if [ "${COURSE_CONTAINER:-0}" = 1 ]; then
  export OMPI_MCA_btl_vader_single_copy_mechanism="${OMPI_MCA_btl_vader_single_copy_mechanism:-none}" # Open MPI 4
  export OMPI_MCA_smsc="${OMPI_MCA_smsc:-^cma}"                                                    # Open MPI 5 (btl_sm)
fi

# mpi_output_filter: copy standard input to standard output without the lines
# Open MPI 5's launcher adds that are not the program's: the boxed notice after
# a failing run (above), the line "[host:pid] PMIX ERROR: PMIX_ERR_UNREACH ..."
# its PMIx server may print when ranks exit with an error at the same time, and
# the line "[warn] Epoll MOD(4) on fd 27 failed ..." its event library printed
# once in a whole test run.  Open MPI 4 (quiet) and MPICH print none of these.
# The course's tests, the exercises' grader and the pages' program output all
# filter with this one function.
mpi_output_filter() {
  awk '
    /^\[[^]]*\] PMIX ERROR: PMIX_ERR_UNREACH / { next }
    /^\[warn\] Epoll [A-Z]+\([0-9]+\) on fd [0-9]+ failed/ { next }
    length($0) >= 60 && /^-+$/ {
      if (inbox) {
        b[++n] = $0; keep = 1
        for (i = 1; i <= n; i++) if (b[i] ~ /prterun (detected|has exited)/) keep = 0
        if (keep) for (i = 1; i <= n; i++) print b[i]
        inbox = 0; n = 0
      } else { inbox = 1; n = 0; b[++n] = $0 }
      next
    }
    inbox { b[++n] = $0; next }
    { print }
    END { if (inbox) for (i = 1; i <= n; i++) print b[i] }'
}

# mpi_has_launcher_lines TEXT: true when TEXT may hold lines that
# mpi_output_filter drops (it has one of the launcher's words).  No process is
# started: the tests ask it of the output of about 1,300 runs, and few have them.
mpi_has_launcher_lines() {
  case "$1" in
    *prterun*|*PMIX_ERR_UNREACH*|*'[warn] Epoll'*) return 0 ;;
    *) return 1 ;;
  esac
}

# mpi_filter_text TEXT: print TEXT (and a newline) through mpi_output_filter.
# Text without the launcher's words is printed as it is, without starting awk.
mpi_filter_text() {
  if mpi_has_launcher_lines "$1"; then printf '%s\n' "$1" | mpi_output_filter
  else printf '%s\n' "$1"; fi
}
