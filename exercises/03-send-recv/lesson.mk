# lesson.mk — what every lesson Makefile shares: which MPI, PETSc, sanitizer
# builds, `make run`, `make check`, `make clean`.
#
# The course keeps one copy in common/lesson.mk; `make sync` at the course root
# copies it into every lesson folder, so each folder still builds on its own
# (copy one to a cluster and `make` there).  Edit common/lesson.mk, not a copy.
#
# A lesson Makefile sets these, then includes this file, then gives its rules
# for $(BUILD)/<program>:
#   LESSON_NAME       NN-slug
#   PROGRAMS          plain MPI programs: built with any MPI
#   PETSC_PROGRAMS    programs on PETSc (Debian builds PETSc on Open MPI: left
#                     out with MPI=mpich)
#   OPENMPI_PROGRAMS  other programs on a library built on Open MPI (FFTW-MPI)
#   PROG, NP          what `make run` starts by default
#
#   make MPI=mpich               build with MPICH (mpicxx.mpich) into build/mpich/
#   make SANITIZE=address,undefined   build with -fsanitize=... into build/system-address+undefined/
#   make run NP=4 PROG=... ARGS="..."
#   make check                   an exercise: grade it (check.sh); a solution: the lesson's tests
#   make simulate NP=256 [PLATFORM=hpc|ethernet|this-machine]   on a simulated cluster (SimGrid)

NP   ?= 4
ARGS ?=
PROG ?= $(firstword $(PROGRAMS) $(PETSC_PROGRAMS))

MPI ?= system
ifeq ($(MPI),system)
  MPICXX  ?= mpicxx
  MPICC   ?= mpicc
  MPIEXEC ?= mpiexec
else ifeq ($(MPI),openmpi)
  MPICXX  ?= mpicxx.openmpi
  MPICC   ?= mpicc.openmpi
  MPIEXEC ?= mpiexec.openmpi
else ifeq ($(MPI),mpich)
  MPICXX  ?= mpicxx.mpich
  MPICC   ?= mpicc.mpich
  MPIEXEC ?= mpiexec.mpich
  ifneq ($(PETSC_PROGRAMS)$(OPENMPI_PROGRAMS),)
    ifeq ($(PROGRAMS),)
      $(error lesson $(LESSON_NAME) uses PETSc, which Debian builds on Open MPI: MPI=mpich is not possible (use MPI=system or MPI=openmpi))
    endif
  endif
else
  $(error MPI=$(MPI) is not known: use system, openmpi or mpich)
endif

ifneq ($(MPI),mpich)
  PROGRAMS += $(PETSC_PROGRAMS) $(OPENMPI_PROGRAMS)
endif

# PETSc is found with pkg-config in $(PETSC_DIR)/lib/pkgconfig (Debian:
# /usr/lib/petsc); on a cluster, `module load petsc` usually sets PETSC_DIR.
ifneq ($(PETSC_PROGRAMS),)
  ifneq ($(MPI),mpich)
    PETSC_DIR ?= /usr/lib/petsc
    ifeq ($(filter clean,$(MAKECMDGOALS)),)
      PETSC_CFLAGS := $(shell PKG_CONFIG_PATH=$(PETSC_DIR)/lib/pkgconfig pkg-config --cflags PETSc)
      PETSC_LIBS   := $(shell PKG_CONFIG_PATH=$(PETSC_DIR)/lib/pkgconfig pkg-config --libs PETSc)
      ifeq ($(PETSC_LIBS),)
        $(error PETSc not found by pkg-config in $(PETSC_DIR)/lib/pkgconfig: set PETSC_DIR)
      endif
    endif
  endif
endif

# mpi.h also declares MPI's old C++ bindings (MPI::Comm and the like: removed
# from the MPI standard in MPI-3 and from Open MPI 5) unless told not to.  No
# lesson uses them, and without them each MPI program compiles about a quarter
# faster (measured: 08-heat's heat_mpi in 3.7 s instead of 5.0 s with Open MPI
# 4.1).  PETSc's own headers leave them out the same way.
override MPICXX += -DOMPI_SKIP_MPICXX -DMPICH_SKIP_MPICXX

# Sanitizers: a build of its own, so it never mixes with the normal one.  It is
# not optimised (-O0, after the folder's -O2): the sanitizers report the same
# errors, their reports name the exact line, and it compiles in about a third
# of the time (measured: 6 s instead of 18 s for 06-fft's fft2d_transpose).
SANITIZE ?=
comma := ,
ifeq ($(SANITIZE),)
  BUILD := build/$(MPI)
else
  BUILD := build/$(MPI)-$(subst $(comma),+,$(SANITIZE))
  override CXXFLAGS += -fsanitize=$(SANITIZE) -fno-omit-frame-pointer -g -O0
  override CFLAGS   += -fsanitize=$(SANITIZE) -fno-omit-frame-pointer -g -O0
endif

# Every launch goes through mpi-env.sh (beside this file): the settings Open MPI
# 4 and 5 need to run as root and with more ranks than cores.  MPICH ignores them.
MPIENV := . ./mpi-env.sh &&
# How `make run` starts a program; a lesson without MPI (01) sets RUNNER empty.
RUNNER ?= $(MPIENV) $(MPIEXEC) -n $(NP)

.PHONY: all run check clean
all: $(addprefix $(BUILD)/,$(PROGRAMS))

run: $(BUILD)/$(PROG)
	$(RUNNER) $(BUILD)/$(PROG) $(ARGS)

ifeq ($(MPI),mpich)
$(addprefix $(BUILD)/,$(PETSC_PROGRAMS) $(OPENMPI_PROGRAMS)):
	@echo "error: $(@F) needs a library that Debian builds on Open MPI (PETSc, FFTW-MPI): use MPI=system or MPI=openmpi"; exit 1
endif

# An exercise grades itself (check.sh, step by step); a solution runs the
# lesson's tests, which live with the course (../../tests/NN-slug.bats).
TESTS ?= ../../tests/$(LESSON_NAME).bats
check: all
ifneq ($(wildcard check.sh),)
	@MPI=$(MPI) BUILD=$(BUILD) ./check.sh
else
	@test -f $(TESTS) || { echo "no tests at $(TESTS): set TESTS=path/to/$(LESSON_NAME).bats"; exit 1; }
	LESSON_DIR=$(CURDIR) MPI=$(MPI) bats $(TESTS)
endif

clean:
	rm -rf build

# The plain MPI programs (what runs under MPICH, sanitizers, a simulator).
.PHONY: list-mpi-programs
list-mpi-programs:
	@echo $(filter-out $(PETSC_PROGRAMS) $(OPENMPI_PROGRAMS),$(PROGRAMS))

# ---- make simulate: a plain MPI program on a simulated cluster ---------------
#   make simulate NP=256 [PROG=...] [ARGS="..."] [PLATFORM=hpc|ethernet|this-machine|file.xml]
# builds PROG with SimGrid's smpicxx into build/smpi/ and runs NP simulated
# ranks with smpirun on a platform of the course's simulate/ folder (default
# hpc), through simulate/run.sh: the program's output, then `simulated_time_s`.
# PETSc and FFTW-MPI are built on Open MPI, not on SMPI: those programs refuse.
SIMULATE_DIR ?= ../../simulate
SMPI_PROGRAMS := $(filter-out $(PETSC_PROGRAMS) $(OPENMPI_PROGRAMS),$(PROGRAMS))
.PHONY: simulate
simulate:
ifeq ($(strip $(RUNNER)),)
	@echo "error: lesson $(LESSON_NAME) runs without MPI: there is nothing to simulate"; exit 1
else ifeq ($(strip $(SMPI_PROGRAMS)),)
	@echo "error: lesson $(LESSON_NAME) uses PETSc or FFTW-MPI, which are built on Open MPI, not on SimGrid's SMPI: its programs cannot run simulated"; exit 1
else ifneq ($(filter $(PROG),$(PETSC_PROGRAMS)),)
	@echo "error: $(PROG) uses PETSc, which is built on Open MPI, not on SimGrid's SMPI: it cannot run simulated$(if $(SMPI_PROGRAMS), (these can: $(SMPI_PROGRAMS)))"; exit 1
else ifneq ($(filter $(PROG),$(OPENMPI_PROGRAMS)),)
	@echo "error: $(PROG) links a library built on Open MPI (FFTW-MPI), not on SimGrid's SMPI: it cannot run simulated$(if $(SMPI_PROGRAMS), (these can: $(SMPI_PROGRAMS)))"; exit 1
else ifeq ($(filter $(PROG),$(SMPI_PROGRAMS)),)
	@echo "error: lesson $(LESSON_NAME) has no MPI program '$(PROG)' (these can run simulated: $(SMPI_PROGRAMS))"; exit 1
else
	@test -x $(SIMULATE_DIR)/run.sh || { echo "error: make simulate needs the course's simulate/ folder: set SIMULATE_DIR=path/to/simulate"; exit 1; }
	@$(SIMULATE_DIR)/run.sh --check
	@$(MAKE) --no-print-directory MPICXX=smpicxx MPICC=smpicc BUILD=build/smpi SANITIZE= \
	   PETSC_PROGRAMS= OPENMPI_PROGRAMS= simulate-build
	@NP=$(NP) PLATFORM=$(PLATFORM) $(SIMULATE_DIR)/run.sh build/smpi/$(PROG) $(ARGS)
endif

.PHONY: simulate-build
simulate-build: $(BUILD)/$(PROG)
	@:
