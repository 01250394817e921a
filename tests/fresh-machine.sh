#!/usr/bin/env bash
# fresh-machine.sh — the README's two commands on a brand-new Debian.
#
# Builds a minimal Debian root (DIST=trixie, Debian 13, the current stable
# release, by default; DIST=bookworm for Debian 12) with debootstrap (plus only git, make
# and ca-certificates, as a learner would install by hand), copies this
# repository's committed state into it, and runs, inside it with chroot:
#     make run-lesson LESSON=02-hello NP=4
#     make test
# /proc, /sys (with the host's cgroup mounts, which slurmd needs) and /dev
# (with /dev/shm and /dev/pts) are mounted as on a booted machine for the run
# and unmounted afterwards, also on failure or Ctrl-C.  Needs root and network
# access to a Debian mirror; takes a few minutes and about 2 GB.  Run it with `make test-fresh`.
#
#   DIST=trixie|bookworm               the Debian release (default trixie)
#   FRESH_ROOT=/var/tmp/course-fresh-$DIST   where the root is built (reused if present)
#   FRESH_KEEP=1                       keep it afterwards (default: delete)
#   MIRROR=http://deb.debian.org/debian
set -euo pipefail
cd "$(dirname "$0")/.."
REPO="$PWD"
DIST="${DIST:-trixie}"
case "$DIST" in trixie|bookworm) ;; *) echo "fresh-machine: DIST=$DIST: use trixie (Debian 13) or bookworm (Debian 12)" >&2; exit 2 ;; esac
ROOT="${FRESH_ROOT:-/var/tmp/course-fresh-$DIST}"
MIRROR="${MIRROR:-http://deb.debian.org/debian}"

[ "$(id -u)" -eq 0 ] || { echo "fresh-machine: needs root (debootstrap, chroot, mount)" >&2; exit 1; }
command -v debootstrap >/dev/null || EXTRA_PACKAGES=debootstrap docker/install-deps.sh

cleanup() {
  local m
  for m in dev sys proc; do
    mountpoint -q "$ROOT/$m" && { umount -R "$ROOT/$m" 2>/dev/null || umount -Rl "$ROOT/$m"; } || true
  done
  # --one-file-system: never follow a mount that is somehow still there into the host.
  if [ "${FRESH_KEEP:-0}" != 1 ]; then rm -rf --one-file-system "$ROOT"; fi
}
trap cleanup EXIT

start=$(date +%s)
if [ ! -x "$ROOT/usr/bin/git" ]; then
  echo "== debootstrap $DIST into $ROOT"
  debootstrap --variant=minbase --include=git,make,ca-certificates "$DIST" "$ROOT" "$MIRROR" > "$ROOT.debootstrap.log" 2>&1 ||
    { tail -20 "$ROOT.debootstrap.log"; exit 1; }
fi
# A real install has these; a bare debootstrap root may not (see lessons/running.rst).
[ -s "$ROOT/etc/hosts" ] || printf '127.0.0.1 localhost\n127.0.1.1 %s\n' "$(hostname)" > "$ROOT/etc/hosts"
cp /etc/resolv.conf "$ROOT/etc/resolv.conf"

echo "== copy the repository (committed state, as a clone)"
rm -rf "$ROOT/course"
git clone -q "$REPO" "$ROOT/course"

mount -t proc proc "$ROOT/proc"
mount --rbind /sys "$ROOT/sys" && mount --make-rslave "$ROOT/sys"
mount --rbind /dev "$ROOT/dev" && mount --make-rslave "$ROOT/dev"

run_in() { chroot "$ROOT" /usr/bin/env -i HOME=/root PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
             LANG=C.UTF-8 TERM=dumb bash -c "cd /course && $1" < /dev/null; }

echo "== make run-lesson LESSON=02-hello NP=4"
run_in "make run-lesson LESSON=02-hello NP=4" | tee "$ROOT.run-lesson.log" | tail -12
grep -q '^size = 4$' "$ROOT.run-lesson.log" && grep -q '^check = PASS$' "$ROOT.run-lesson.log" ||
  { echo "fresh-machine: run-lesson did not report size = 4 and check = PASS" >&2; exit 1; }

echo "== make test"
set +e
test_start=$(date +%s)
run_in "make test" > "$ROOT.test.log" 2>&1
status=$?
test_s=$(( $(date +%s) - test_start ))
set -e
grep -E '^(not ok|# ----)' "$ROOT.test.log" | head -50 || true
summary="$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$ROOT.test.log" | tail -n 1)"
echo "fresh-machine: Debian $(cat "$ROOT/etc/debian_version") ($DIST): make test: ${summary:-no summary} (exit $status) in $test_s s ($(( $(date +%s) - start )) s in all, with the install); log: $ROOT.test.log"
exit "$status"
