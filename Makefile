# Scaling your science with parallel computing — top-level Makefile.
# `make` (or `make help`) lists the targets and the lessons.

SHELL   := /bin/bash
LESSONS := $(sort $(notdir $(patsubst %/,%,$(wildcard solutions/[0-9][0-9]-*/))))
LESSON  ?=
NP      ?= 4
VARIANT ?= solution
MPI     ?= system
ARGS    ?=
PROG    ?=
DEPS    := docker/install-deps.sh
SBATCH  ?= sbatch

# LESSON=02 and LESSON=02-hello both name lesson 02-hello.
L := $(firstword $(filter $(LESSON) $(LESSON)-%,$(LESSONS)))

.PHONY: simulate cluster-up cluster-down test-container sync help deps all test site run-lesson check-lesson verify bench bench-report submit sbatch test-fresh clean lessons
.DEFAULT_GOAL := help

help:
	@echo "Scaling your science with parallel computing"
	@echo
	@echo "  make deps                         install what is missing (Debian packages, via $(DEPS))"
	@echo "  make all                          build every solution and exercise"
	@echo "  make test                         install, build, run the whole test suite and build the site"
	@echo "  make test-fresh [DIST=bookworm]   the two commands above on a new Debian 13 (or 12) root (debootstrap; root)"
	@echo "  make test-container               build the learner and instructor images (podman) and run the commands inside"
	@echo "  make site                         build the Sphinx site into site/_build/html (warnings are errors)"
	@echo "  make run-lesson LESSON=02 NP=4    build and run one lesson's program"
	@echo "       [VARIANT=solution|exercise] [MPI=system|openmpi|mpich] [PROG=name] [ARGS=\"...\"]"
	@echo "  make check-lesson LESSON=02       run one lesson's tests   [VARIANT=exercise grades the exercise]"
	@echo "       [FILTER=regex: only the tests whose name matches, e.g. FILTER='bad input']"
	@echo "  make verify                       lesson 00: one PASS/FAIL line per component"
	@echo "  make bench                        run the benchmarks, write lessons/_data/*.csv and the report"
	@echo "  make bench-report                 rebuild the benchmark report (Performance page) from that data"
	@echo "  make submit LESSON=02 NP=4        submit the lesson's Slurm job script and wait for it"
	@echo "       [MPI=system|openmpi|mpich] [PROG=name] [ARGS=\"...\"] [LAUNCH=srun|mpiexec]"
	@echo "  make sbatch LESSON=02 NP=4        print the job script and the sbatch line, submit nothing"
	@echo "  make simulate LESSON=08 NP=256    run a lesson's MPI program on a simulated cluster (SimGrid SMPI)"
	@echo "       [PLATFORM=hpc|ethernet|this-machine|file.xml] [PROG=name] [ARGS=\"...\"] [VARIANT=...]"
	@echo "  make cluster-up / cluster-down    start / stop a practice Slurm cluster on this machine (4 CPUs)"
	@echo "  make clean                        remove builds and the site"
	@echo
	@$(MAKE) --no-print-directory lessons

lessons:
	@echo "Lessons:"
	@for l in $(LESSONS); do printf '  %s\n' "$$l"; done

deps:
	@$(DEPS)

# common/ holds the one copy of what every lesson folder shares (each folder
# builds on its own, so it carries a copy): lesson.mk and mpi-env.sh in every
# folder, grade.sh in every exercise, cli.hpp and petsc_errors.hpp where a
# folder uses them.  `make sync` refreshes the copies; tests/course.bats checks them.
COMMON_EVERYWHERE := lesson.mk mpi-env.sh
COMMON_WHERE_USED := cli.hpp petsc_errors.hpp
sync:
	@for d in solutions/[0-9][0-9]-*/ exercises/[0-9][0-9]-*/; do \
	  for f in $(COMMON_EVERYWHERE); do cmp -s common/$$f $$d$$f || { cp common/$$f $$d$$f; echo "sync: $$d$$f"; }; done; \
	  for f in $(COMMON_WHERE_USED); do [ ! -f $$d$$f ] || cmp -s common/$$f $$d$$f || { cp common/$$f $$d$$f; echo "sync: $$d$$f"; }; done; \
	done
	@for d in exercises/[0-9][0-9]-*/; do cmp -s common/grade.sh $${d}grade.sh || { cp common/grade.sh $${d}grade.sh; echo "sync: $${d}grade.sh"; }; done

# With MPI=mpich, lessons whose Makefile refuses it are skipped (PETSc is built on Open MPI).
# The folders build side by side, one per core (BUILD_JOBS=1 for one at a time);
# each folder's output is printed in one piece when it is done.
BUILD_JOBS ?= $(shell nproc 2>/dev/null || echo 2)
BUILDS     := $(foreach l,$(LESSONS),build-solutions/$(l) build-exercises/$(l))
all: deps
	@$(MAKE) --no-print-directory -j$(BUILD_JOBS) --output-sync=target $(BUILDS)

.PHONY: $(BUILDS)
$(BUILDS): build-%:
	@if [ "$(MPI)" = mpich ] && ! $(MAKE) -s -n -C $* MPI=mpich all >/dev/null 2>&1; then \
	  echo "== skip $(notdir $*): a PETSc lesson, built with PETSc's MPI (Open MPI) only"; exit 0; fi; \
	echo "== build $*"; $(MAKE) --no-print-directory -C $* MPI=$(MPI) all

# make test builds the solutions' MPICH variants too, in the same run as `all`,
# before the suite: files in the two lanes would otherwise build one folder's
# build/mpich at the same moment (seen: a Slurm job's make was writing
# 04-deadlock's binary while 04-deadlock.bats ran it).
MPICH_BUILDS := $(addprefix build-mpich/solutions/,$(LESSONS))
.PHONY: $(MPICH_BUILDS)
$(MPICH_BUILDS): build-mpich/%:
	@$(MAKE) --no-print-directory MPI=mpich build-$*

test: deps
	@$(MAKE) --no-print-directory -j$(BUILD_JOBS) --output-sync=target $(BUILDS) $(MPICH_BUILDS)
	@tests/run-suite.sh

# Not part of `make test`: builds a Debian root from scratch (needs root and a mirror).
# DIST=trixie (Debian 13, the default) or DIST=bookworm (Debian 12).
test-fresh:
	@DIST=$(or $(DIST),trixie) tests/fresh-machine.sh

# Not part of `make test`: both container images built with podman and run (root, minutes).
test-container:
	@tests/container.sh

# SOLUTIONS=hide: the copy for live teaching, every solution hidden
# (into site/_build/html-no-solutions; the full site stays in site/_build/html).
SOLUTIONS ?= show
site: deps
	@$(MAKE) --no-print-directory -C site html COURSE_SOLUTIONS=$(SOLUTIONS)

# Resolve LESSON for the targets that need one.
define need-lesson
	@if [ -z "$(LESSON)" ]; then echo "LESSON is not set (LESSON=02 or LESSON=02-hello)."; \
	   $(MAKE) --no-print-directory lessons; exit 2; fi
	@if [ -z "$(L)" ]; then echo "no lesson '$(LESSON)'."; \
	   $(MAKE) --no-print-directory lessons; exit 2; fi
	@case "$(VARIANT)" in solution|exercise) ;; \
	   *) echo "VARIANT=$(VARIANT): use solution or exercise"; exit 2;; esac
endef

run-lesson: deps
	$(need-lesson)
	@$(MAKE) --no-print-directory -C $(VARIANT)s/$(L) MPI=$(MPI) run NP=$(NP) \
	   $(if $(PROG),PROG=$(PROG)) ARGS='$(ARGS)'

# A solution: the lesson's tests.  VARIANT=exercise: the exercise grades itself
# step by step (exercises/NN-slug/check.sh, through its make check).
check-lesson: deps
	$(need-lesson)
	@$(if $(filter exercise,$(VARIANT)),$(MAKE) --no-print-directory -C exercises/$(L) MPI=$(MPI) check,\
	   MPI=$(MPI) FILTER='$(FILTER)' tests/run-suite.sh tests/$(L).bats)

verify: deps
	@$(MAKE) --no-print-directory -C solutions/00-environment verify

bench: deps
	@set -e; for l in $(LESSONS); do \
	  if grep -q '^bench:' solutions/$$l/Makefile; then \
	    echo "== bench $$l"; $(MAKE) --no-print-directory -C solutions/$$l bench; \
	  fi; \
	done
	@$(MAKE) --no-print-directory bench-report

# One table of every job against its anchor, from the lessons' CSV files.
bench-report:
	@/usr/bin/python3 site/bench_report.py

# Slurm: solutions/NN-slug/job.sbatch.  NP is the number of tasks (lesson 01,
# which uses threads, takes it as cores per task).  The job writes
# NN-slug-JOBID.out in the lesson folder; sbatch --wait returns its exit status.
define sbatch-line
cd solutions/$(L) && MPI=$(MPI) PROG="$(PROG)" ARGS="$(ARGS)" LAUNCH=$(or $(LAUNCH),srun) \
  $(SBATCH) --parsable --wait $(if $(shell grep -l cpus-per-task solutions/$(L)/job.sbatch 2>/dev/null),--cpus-per-task,--ntasks)=$(NP) job.sbatch
endef

submit:
	$(need-lesson)
	@command -v $(SBATCH) >/dev/null || { echo "make submit needs Slurm ($(SBATCH) not found); see 'make sbatch'"; exit 2; }
	@echo '$(sbatch-line)'
	@set -o pipefail; out=$$($(sbatch-line)); status=$$?; id=$$(printf '%s\n' "$$out" | grep -m1 -oE '^[0-9]+'); \
	  if [ -z "$$id" ]; then echo "$$out"; echo "sbatch did not submit the job"; exit 1; fi; \
	  echo "job $$id finished with exit status $$status; output: solutions/$(L)/$(L)-$$id.out"; exit $$status

sbatch:
	$(need-lesson)
	@echo "# solutions/$(L)/job.sbatch"; cat solutions/$(L)/job.sbatch
	@echo; echo "# to submit it ($(NP) $(if $(shell grep -l cpus-per-task solutions/$(L)/job.sbatch 2>/dev/null),cores,tasks), wait, and get solutions/$(L)/$(L)-JOBID.out):"
	@echo '$(sbatch-line)'

# A simulated cluster: the lesson folder's `make simulate` (common/lesson.mk)
# builds with SimGrid's smpicxx and runs on a platform of simulate/platforms/.
simulate:
	$(need-lesson)
	@$(MAKE) --no-print-directory -C $(VARIANT)s/$(L) simulate NP=$(NP) \
	   $(if $(PROG),PROG=$(PROG)) $(if $(PLATFORM),PLATFORM=$(PLATFORM)) ARGS='$(ARGS)'

# A practice Slurm cluster (one node, 4 CPUs) for learners: simulate/practice-cluster.sh.
cluster-up:
	@simulate/practice-cluster.sh up

cluster-down:
	@simulate/practice-cluster.sh down

clean:
	@for l in $(LESSONS); do \
	  $(MAKE) --no-print-directory -s -C solutions/$$l clean; \
	  $(MAKE) --no-print-directory -s -C exercises/$$l clean; \
	done
	rm -rf site/_build lessons/_figures
