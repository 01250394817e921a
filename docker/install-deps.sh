#!/usr/bin/env bash
# install-deps.sh — install everything the course needs, from Debian packages only.
#
# One script for every entry point: `make deps` (and so `make test` and
# `make run-lesson`), docker/Dockerfile and .ci/run all call it.  It installs
# only what is missing, so a second run costs a few dpkg queries.
#
#   docker/install-deps.sh            install what is missing (sudo when not root)
#   docker/install-deps.sh --check    exit 0 when nothing is missing, 1 otherwise
#   docker/install-deps.sh --list     print the package list
#   EXTRA_PACKAGES="a b" docker/install-deps.sh   also install these
#   COURSE_PROFILE=learner docker/install-deps.sh  only what the lessons and their
#                       `make check` need (the learner container): no site tooling,
#                       no Slurm, no browser
#
# Tested on Debian 13 "trixie" (PETSc 3.22, Open MPI 5) and Debian 12 "bookworm"
# (PETSc 3.18, Open MPI 4.1).  Other Debian-based systems are untested.
# Package names that carry a version (PETSc's and SLEPc's examples) are worked
# out from the petsc-dev and slepc-dev this system has or would install.
set -euo pipefail

# What every lesson, its exercise's `make check` and its tests need.
LEARNER=(
  # compilers and build tools (pkgconf is not pulled in by --no-install-recommends)
  g++ make pkgconf ca-certificates procps coreutils gdb
  # the two MPIs: Open MPI is the default (PETSc, SLEPc and FFTW-MPI are built on it),
  # MPICH sits beside it as mpicxx.mpich / mpiexec.mpich
  openmpi-bin libopenmpi-dev mpich libmpich-dev
  # numerical libraries
  petsc-dev slepc-dev libfftw3-dev libfftw3-mpi-dev
  libblas-dev          # cblas.h for the dense work in 14-ml
  librandom123-dev     # counter-based random numbers: synthetic data independent of NP
  # independent references used by tests and benchmarks
  # (+ PETSc's and SLEPc's examples package, whose name has the version: see below)
  plink1.9             # checks the 15-gwas association scan
  python3 python3-numpy
  # a simulated cluster: SimGrid's SMPI runs the MPI lessons on many simulated ranks
  libsimgrid-dev
  # test suite (hwloc-nox: lstopo, the machine's topology read once for all of its runs)
  bats bats-assert bats-support hwloc-nox
)
# What the whole suite, the benchmarks and the site need on top (CI, instructors).
FULL=(
  netpipe-openmpi netpipe-mpich2
  # a real single-node Slurm for the job-script tests and the practice cluster
  slurm-wlm munge
  # the site: Sphinx, theme and extensions, API pages, figures
  python3-sphinx furo python3-sphinx-copybutton python3-sphinx-tabs
  python3-breathe doxygen python3-matplotlib
  libjs-mathjax      # formulas render without internet
  chromium           # the site test opens every page in headless Chromium
)
case "${COURSE_PROFILE:-full}" in
  learner) PACKAGES=("${LEARNER[@]}") ;;
  full)    PACKAGES=("${LEARNER[@]}" "${FULL[@]}") ;;
  *) echo "install-deps: COURSE_PROFILE=${COURSE_PROFILE}: use learner or full" >&2; exit 2 ;;
esac
# shellcheck disable=SC2206
PACKAGES+=(${EXTRA_PACKAGES:-})

# versioned_examples: `libpetscX.Y-dev-examples libslepcX.Y-dev-examples`, X.Y being
# the version that petsc-dev / slepc-dev bring here (installed, or the candidate).
versioned_examples() {
  local lib v
  for lib in petsc slepc; do
    v=$(dpkg-query -W -f='${Depends}' "lib$lib-real-dev" 2>/dev/null | grep -oE "lib$lib-real[0-9]+\.[0-9]+-dev" | head -n 1)
    [ -n "$v" ] || v=$(apt-cache depends --recurse --important "$lib-dev" 2>/dev/null |
                       grep -oE "lib$lib-real[0-9]+\.[0-9]+-dev" | head -n 1)
    v=$(printf '%s' "$v" | grep -oE '[0-9]+\.[0-9]+')
    [ -n "$v" ] && echo "lib$lib$v-dev-examples"
  done
  return 0
}

case "${1:-}" in
  --list|--check|"") ;;
  *) echo "usage: $0 [--check|--list]" >&2; exit 2 ;;
esac

if ! command -v dpkg-query >/dev/null 2>&1 || ! command -v apt-get >/dev/null 2>&1; then
  echo "install-deps: this script needs a Debian or Ubuntu system (apt-get); install by hand: ${PACKAGES[*]}" >&2
  exit 1
fi

if command -v dpkg-query >/dev/null 2>&1; then
  # shellcheck disable=SC2207
  examples=($(versioned_examples))
  PACKAGES+=("${examples[@]}")
fi

missing=()
for p in "${PACKAGES[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [ "$status" = "install ok installed" ] || missing+=("$p")
done

[ "${1:-}" != --list ] || { printf '%s\n' "${PACKAGES[@]}"; exit 0; }

if [ ${#missing[@]} -eq 0 ]; then
  [ "${1:-}" = "--check" ] || echo "install-deps: all ${#PACKAGES[@]} packages are installed"
  exit 0
fi
if [ "${1:-}" = "--check" ]; then
  echo "install-deps: missing: ${missing[*]}"
  exit 1
fi

cmd=(apt-get install -y --no-install-recommends "${missing[@]}")
if [ "$(id -u)" -eq 0 ]; then
  SUDO=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  SUDO=(sudo)
elif command -v sudo >/dev/null 2>&1 && [ -t 0 ]; then
  SUDO=(sudo)          # interactive: sudo will ask for the password
else
  echo "install-deps: missing packages and no root or sudo; ask an administrator to run:" >&2
  echo "  apt-get update && ${cmd[*]}" >&2
  exit 1
fi

export DEBIAN_FRONTEND=noninteractive
"${SUDO[@]}" apt-get update -q
# The package lists are fresh now: the examples' version can be read from them.
if [ ${#examples[@]} -lt 2 ]; then
  # shellcheck disable=SC2207
  examples=($(versioned_examples))
  [ ${#examples[@]} -eq 2 ] || { echo "install-deps: cannot tell which PETSc/SLEPc version petsc-dev and slepc-dev bring" >&2; exit 1; }
  missing+=("${examples[@]}")
  cmd=(apt-get install -y --no-install-recommends "${missing[@]}")
fi
echo "install-deps: installing ${#missing[@]} packages: ${missing[*]}"
"${SUDO[@]}" "${cmd[@]}"
echo "install-deps: done"
