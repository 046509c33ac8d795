#!/usr/bin/env bash
# Installs the PostgreSQL server from Debian's packages when it is missing (tests start their
# own, in a temporary data directory). Says what it does; fails with a clear message (never a
# hang) when it cannot. Prints nothing when the server is there.
set -uo pipefail
found() { ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1 || command -v postgres >/dev/null 2>&1; }
if found; then exit 0; fi
SUDO=""
if [ "$(id -u)" != "0" ]; then SUDO="sudo -n"; fi
# No apt-get (macOS, say): one line saying how to install it, nothing attempted.
if ! command -v apt-get >/dev/null 2>&1; then
  echo "arshai tests: the PostgreSQL server is missing and this machine has no apt-get: install it (brew install postgresql on macOS), then run npm test again." >&2
  exit 1
fi
echo "arshai tests: the PostgreSQL server is not installed; installing it with apt-get (Debian's postgresql package)..." >&2
fail() {
  echo "arshai tests: could not install PostgreSQL: $1" >&2
  echo "  Install it yourself (apt-get install -y postgresql), or wait for the other package" >&2
  echo "  install holding apt's lock to finish, then run npm test again." >&2
  exit 1
}
LOCK=(-o DPkg::Lock::Timeout=120)
$SUDO apt-get "${LOCK[@]}" update -qq >&2 || fail "apt-get update failed (see above)"
# The package would create and start a cluster of its own: the tests never use it.
DEBIAN_FRONTEND=noninteractive $SUDO apt-get "${LOCK[@]}" install -y -qq postgresql >/dev/null ||
  fail "apt-get install postgresql failed (see above)"
found || fail "the postgres binary is still missing after the install"
echo "arshai tests: PostgreSQL installed." >&2
