#!/usr/bin/env bash
# Installs Debian's Chromium when it is missing (the studio's page tests drive it headless
# with playwright-core; no browser is downloaded). Says what it does; fails with a clear
# message (never a hang) when it cannot. Prints nothing when the browser is there.
set -uo pipefail
found() { command -v chromium >/dev/null 2>&1; }
if found; then exit 0; fi
SUDO=""
if [ "$(id -u)" != "0" ]; then SUDO="sudo -n"; fi
# No apt-get (macOS, say): one line saying how to install it, nothing attempted.
if ! command -v apt-get >/dev/null 2>&1; then
  echo "arshai tests: Chromium is missing and this machine has no apt-get: install it (brew install --cask chromium on macOS), then run npm test again." >&2
  exit 1
fi
echo "arshai tests: Chromium is not installed; installing it with apt-get (Debian's chromium package)..." >&2
fail() {
  echo "arshai tests: could not install Chromium: $1" >&2
  echo "  Install it yourself (apt-get install -y chromium), or wait for the other package" >&2
  echo "  install holding apt's lock to finish, then run npm test again." >&2
  exit 1
}
LOCK=(-o DPkg::Lock::Timeout=120)
$SUDO apt-get "${LOCK[@]}" update -qq >&2 || fail "apt-get update failed (see above)"
DEBIAN_FRONTEND=noninteractive $SUDO apt-get "${LOCK[@]}" install -y -qq --no-install-recommends chromium >/dev/null ||
  fail "apt-get install chromium failed (see above)"
found || fail "the chromium binary is still missing after the install"
echo "arshai tests: Chromium installed." >&2
