#!/usr/bin/env bash
# Create .venv (if missing) and install incident-corpus with the extras given (default: studio,dev).
# Usage: scripts/setup.sh [EXTRAS]      e.g. scripts/setup.sh studio
# Needs only python3 (>= 3.10) and the package registries.
set -euo pipefail
cd "$(dirname "$0")/.."
extras="${1:-studio,dev}"
py="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
  echo "setup: creating .venv with $($py --version)" >&2
  "$py" -m venv .venv
  .venv/bin/python -m pip install --quiet --upgrade pip 2>&1 | { grep -v "^WARNING: Location" || true; } >&2
fi
echo "setup: installing incident-corpus[$extras] into .venv (about a minute the first time)" >&2
# pip's warnings about this machine's optional local indexes are noise: filter them out.
.venv/bin/python -m pip install --quiet -e ".[$extras]" 2>&1 | { grep -v "^WARNING: Location" || true; } >&2
.venv/bin/python -m pip check >&2
