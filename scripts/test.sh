#!/usr/bin/env bash
# The test command: venv + package + Label Studio server, a throwaway server on a free loopback
# port with its own temp data dir and a preset token, ruff, pytest against it; the server is
# stopped by its PID whatever happens. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh studio,dev
# The browser test drives Debian's Chromium with Playwright (Playwright's own download cannot work offline).
scripts/install_browser.sh
venv=.venv/bin
$venv/ruff check src tests scripts benchmarks

studio_dir=$(mktemp -d "${TMPDIR:-/tmp}/incident-corpus-test-studio.XXXXXX")
stop_studio() {
  $venv/annotate studio stop --studio-dir "$studio_dir" >/dev/null 2>&1 || true
  rm -rf "$studio_dir"
}
trap stop_studio EXIT
port=$($venv/python -c 'from incident_corpus.studio.server import free_port; print(free_port())')
echo "test: starting a throwaway Label Studio on 127.0.0.1:$port (data in $studio_dir)" >&2
$venv/annotate studio start --studio-dir "$studio_dir" --port "$port" >&2
# The tests read the server from these, exactly as a user's shell would.
export INCIDENT_CORPUS_TEST_STUDIO_DIR="$studio_dir"
export LABEL_STUDIO_URL="http://127.0.0.1:$port"
LABEL_STUDIO_API_KEY=$($venv/python -c 'import json,sys; print(json.load(open(sys.argv[1]))["token"])' "$studio_dir/credentials.json")
export LABEL_STUDIO_API_KEY
export CI="${CI:-true}"
$venv/python -m pytest "$@"
