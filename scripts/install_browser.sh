#!/usr/bin/env bash
# Installs the browser the UI tests (tests/test_browser.py) drive: Debian's chromium package.
# Playwright's own browser download needs the open internet, which CI here does not have.
# Idempotent: does nothing when /usr/bin/chromium is already there.
set -euo pipefail

CHROMIUM=/usr/bin/chromium

if [[ -x "$CHROMIUM" ]]; then
  echo "chromium present: $CHROMIUM"
  exit 0
fi

if [[ $(id -u) -eq 0 ]]; then
  SUDO=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  SUDO=(sudo -n)
else
  echo "error: $CHROMIUM is missing and installing it needs root; run as root (or with sudo):" >&2
  echo "  apt-get update && apt-get install -y chromium" >&2
  exit 1
fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "error: $CHROMIUM is missing and this system has no apt-get; install Chromium so that" \
       "$CHROMIUM exists (the UI tests launch exactly that binary)" >&2
  exit 1
fi

echo "installing Debian's chromium (for the browser tests)..."
if ! "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null; then
  echo "error: apt-get update failed; is the package mirror reachable?" >&2
  exit 1
fi
if ! "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; then
  echo "error: apt-get install chromium failed; see the apt output above, or install it by hand:" \
       "apt-get install -y chromium" >&2
  exit 1
fi

if [[ ! -x "$CHROMIUM" ]]; then
  echo "error: the chromium package installed but $CHROMIUM is not there" >&2
  exit 1
fi
"$CHROMIUM" --version 2>/dev/null || true
echo "chromium installed: $CHROMIUM"
