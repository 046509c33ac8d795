#!/usr/bin/env bash
# Installs redis-server from Debian's packages when it is missing (tests start their own).
# Says what it does; fails with a clear message (never a hang) when it cannot.
set -uo pipefail
if command -v redis-server >/dev/null 2>&1; then exit 0; fi
SUDO=""
if [ "$(id -u)" != "0" ]; then SUDO="sudo -n"; fi
# No apt-get (macOS, say): one line saying how to install it, nothing attempted.
if ! command -v apt-get >/dev/null 2>&1; then
  echo "arshai tests: redis-server is missing and this machine has no apt-get: install it (brew install redis on macOS), then run npm test again." >&2
  exit 1
fi
echo "arshai tests: redis-server is not installed; installing it with apt-get (Debian's redis-server package)..." >&2
fail() {
  echo "arshai tests: could not install redis-server: $1" >&2
  echo "  Install it yourself (apt-get install -y redis-server), or wait for the other package" >&2
  echo "  install holding apt's lock to finish, then run npm test again." >&2
  exit 1
}
# Waits at most 120 s for apt's lock (another install running), then gives up with a message.
LOCK=(-o DPkg::Lock::Timeout=120)
$SUDO apt-get "${LOCK[@]}" update -qq >&2 || fail "apt-get update failed (see above)"
DEBIAN_FRONTEND=noninteractive $SUDO apt-get "${LOCK[@]}" install -y -qq redis-server >/dev/null ||
  fail "apt-get install redis-server failed (see above)"
command -v redis-server >/dev/null 2>&1 || fail "redis-server is still not on PATH after the install"
echo "arshai tests: redis-server installed." >&2
