#!/usr/bin/env bash
# container.sh — build the course's two images with podman and run the README's
# commands inside them as the non-root user `learner`.  Run it with
# `make test-container` (root; network to a Debian mirror; ~20 minutes).
#
#  1. A Debian 13 base image made here (debootstrap, `podman import`), tagged
#     docker.io/library/debian:trixie, since no registry serves base images here.
#  2. `podman build --pull=never --isolation=chroot` of docker/Dockerfile:
#     the learner image (--target learner) and the instructor image (default).
#  3. Their sizes, as podman reports them.
#  4. Each image run the way `docker run` would, without a container engine:
#     its root copied out (`podman image mount`), /proc, /sys, /dev mounted,
#     the image's environment applied, and `chroot --userspec=learner`.
#       learner:    make run-lesson LESSON=02-hello NP=4, then make check-lesson
#                   LESSON=02 (the solution's tests) and the exercise's make check
#                   (which must fail, naming step 1: nothing is solved yet)
#       instructor: make run-lesson LESSON=02-hello NP=4, then make test
#
#   CONTAINER_STEPS="build run-learner run-instructor"   which parts to do (default all)
#   CONTAINER_WORK=/var/tmp/course-container             where roots and logs go
set -euo pipefail
cd "$(dirname "$0")/.."
REPO="$PWD"
WORK="${CONTAINER_WORK:-/var/tmp/course-container}"
STEPS="${CONTAINER_STEPS:-build run-learner run-instructor}"
BASE=docker.io/library/debian:trixie
MIRROR="${MIRROR:-http://deb.debian.org/debian}"

[ "$(id -u)" -eq 0 ] || { echo "container: needs root (debootstrap, podman, chroot)" >&2; exit 1; }
command -v podman >/dev/null && command -v debootstrap >/dev/null ||
  EXTRA_PACKAGES="podman debootstrap" docker/install-deps.sh
mkdir -p "$WORK"

has() { case " $STEPS " in *" $1 "*) return 0 ;; *) return 1 ;; esac; }

if has build; then
  if ! podman image exists "$BASE"; then
    echo "== base image: debootstrap trixie, podman import as $BASE"
    rm -rf "$WORK/base"
    debootstrap --variant=minbase trixie "$WORK/base" "$MIRROR" > "$WORK/debootstrap.log" 2>&1 ||
      { tail -20 "$WORK/debootstrap.log"; exit 1; }
    rm -rf "$WORK/base/var/cache/apt/archives/"*.deb "$WORK/base/var/lib/apt/lists/"*
    tar -C "$WORK/base" -c . | podman import - "$BASE" > /dev/null
    rm -rf "$WORK/base"
  fi
  for target in learner instructor; do
    echo "== podman build --target $target"
    start=$(date +%s)
    podman build --pull=never --isolation=chroot -f docker/Dockerfile --target "$target" \
      -t "parallel-course:$target" . > "$WORK/build-$target.log" 2>&1 ||
      { tail -30 "$WORK/build-$target.log"; exit 1; }
    size=$(podman image inspect --format '{{.Size}}' "parallel-course:$target")
    echo "container: parallel-course:$target built in $(( $(date +%s) - start )) s, size $(awk -v s="$size" 'BEGIN { printf "%.2f GB", s / 1e9 }')"
  done
fi

# run_image TAG COMMAND: run COMMAND in /course of a copy of the image's root,
# as the user learner, with the image's environment.
run_image() {
  local tag="$1" cmd="$2" root="$WORK/root-$1" mnt env=()
  umount_all "$root"
  rm -rf --one-file-system "$root"
  mnt=$(podman image mount "parallel-course:$tag")
  cp -a "$mnt" "$root"
  podman image unmount "parallel-course:$tag" > /dev/null
  # The image's ENV lines, as docker run would set them.
  while IFS= read -r e; do [ -n "$e" ] && env+=("$e"); done \
    < <(podman image inspect --format '{{range .Config.Env}}{{println .}}{{end}}' "parallel-course:$tag")
  [ -s "$root/etc/hosts" ] || printf '127.0.0.1 localhost\n127.0.1.1 %s\n' "$(hostname)" > "$root/etc/hosts"
  git clone -q "$REPO" "$root/course"
  chroot "$root" chown -R learner:learner /course
  mount -t proc proc "$root/proc"
  mount --rbind /sys "$root/sys" && mount --make-rslave "$root/sys"
  mount --rbind /dev "$root/dev" && mount --make-rslave "$root/dev"
  trap 'umount_all "'"$root"'"' EXIT
  chroot --userspec=learner:learner "$root" /usr/bin/env -i HOME=/home/learner USER=learner \
    LANG=C.UTF-8 TERM=dumb "${env[@]}" bash -c "cd /course && $cmd" < /dev/null
}

umount_all() {
  local m
  for m in dev sys proc; do
    mountpoint -q "$1/$m" 2>/dev/null && { umount -R "$1/$m" 2>/dev/null || umount -Rl "$1/$m"; }
  done
  return 0
}

status=0
if has run-learner; then
  echo "== learner image: make run-lesson, make check-lesson, the exercise's make check"
  run_image learner 'make run-lesson LESSON=02-hello NP=4 && make check-lesson LESSON=02 &&
    { make -C exercises/02-hello check; test $? -ne 0; } ' > "$WORK/run-learner.log" 2>&1 || status=1
  tail -5 "$WORK/run-learner.log"
  grep -q '^size = 4$' "$WORK/run-learner.log" && grep -q 'first to fix: step 1' "$WORK/run-learner.log" || status=1
  echo "container: learner image: $([ $status -eq 0 ] && echo PASS || echo FAIL) (log: $WORK/run-learner.log)"
fi
if has run-instructor; then
  echo "== instructor image: make run-lesson, make test"
  run_image instructor 'make run-lesson LESSON=02-hello NP=4 && make test' > "$WORK/run-instructor.log" 2>&1 || status=1
  grep -E '^not ok' "$WORK/run-instructor.log" | head -30 || true
  summary="$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$WORK/run-instructor.log" | tail -n 1)"
  echo "container: instructor image: make test: ${summary:-no summary} (log: $WORK/run-instructor.log)"
fi
exit "$status"
