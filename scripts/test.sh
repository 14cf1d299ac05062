#!/usr/bin/env bash
# The test command: venv + package + Label Studio server, a throwaway server on a free loopback
# port with its own temp data dir and Label Studio's default authentication settings (legacy tokens off;
# the studio makes its admin's Personal Access Token through the API and the tests use it), ruff,
# mypy, pytest against it. Then a throwaway
# PostgreSQL (Debian's `postgresql` package, installed here when missing; initdb into a temp dir,
# pg_ctl on a free loopback port) and a second run of the push/pull/status integration tests against
# a Label Studio on that database under gunicorn (the team set-up). Every server is stopped by its PID
# whatever happens. Extra arguments go to the first pytest run; the plain flags among them
# (-q, -v, -x, -s) also go to the second.
#
# `scripts/test.sh --quick [PYTEST ARGS]`: the contributors' loop: ruff, mypy and the tests that need no
# server or browser (-m "not integration and not browser"; tests/conftest.py marks every test that
# uses a server fixture), with the shorter Hypothesis profile; no Chromium, PostgreSQL or Label Studio.
set -euo pipefail
cd "$(dirname "$0")/.."
quick=false
args=()
for arg in "$@"; do
  if [ "$arg" = --quick ]; then quick=true; else args+=("$arg"); fi
done
set -- ${args[@]+"${args[@]}"}
scripts/setup.sh studio,dev
if $quick; then
  .venv/bin/ruff check src tests scripts benchmarks
  .venv/bin/mypy
  HYPOTHESIS_PROFILE="${HYPOTHESIS_PROFILE:-dev}" \
    exec .venv/bin/python -m pytest -m "not integration and not browser" "$@"
fi
# The browser test drives Debian's Chromium with Playwright (Playwright's own download cannot work offline).
scripts/install_browser.sh
venv=.venv/bin
$venv/ruff check src tests scripts benchmarks
# The type checker ([tool.mypy] in pyproject.toml: strict on core, quality, studio, export/formats);
# a type error fails the run here, before any server starts.
$venv/mypy

if ! compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null && ! command -v initdb >/dev/null; then
  echo "test: PostgreSQL is missing; installing Debian's postgresql package" >&2
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo=sudo
  $sudo apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends postgresql >&2
fi

studio_dir=$(mktemp -d "${TMPDIR:-/tmp}/incident-corpus-test-studio.XXXXXX")
pg_dir=$(mktemp -d "${TMPDIR:-/tmp}/incident-corpus-test-pg.XXXXXX")
pg_studio_dir=$(mktemp -d "${TMPDIR:-/tmp}/incident-corpus-test-pg-studio.XXXXXX")
stop_servers() {
  $venv/annotate studio stop --studio-dir "$studio_dir" >/dev/null 2>&1 || true
  $venv/annotate studio stop --studio-dir "$pg_studio_dir" >/dev/null 2>&1 || true
  $venv/python -m tests.throwaway_postgres stop "$pg_dir" >/dev/null 2>&1 || true
  rm -rf "$studio_dir" "$pg_dir" "$pg_studio_dir"
}
trap stop_servers EXIT

# A PostgreSQL that does not start fails the run here (set -e), before any test.
echo "test: starting a throwaway PostgreSQL (data in a temp dir)" >&2
pg_url=$($venv/python -m tests.throwaway_postgres start "$pg_dir")
export INCIDENT_CORPUS_TEST_POSTGRES="$pg_url"  # conftest's `postgres` fixture; never printed

port=$($venv/python -c 'from incident_corpus.studio.server import free_port; print(free_port())')
echo "test: starting a throwaway Label Studio on 127.0.0.1:$port (data in $studio_dir)" >&2
$venv/annotate studio start --studio-dir "$studio_dir" --port "$port" --wait 300 >&2
token() { $venv/python -c 'import json,sys; print(json.load(open(sys.argv[1]))["token"])' "$1/credentials.json"; }
export CI="${CI:-true}"
# The tests read the server from these, exactly as a user's shell would.
INCIDENT_CORPUS_TEST_STUDIO_DIR="$studio_dir" LABEL_STUDIO_URL="http://127.0.0.1:$port" \
  LABEL_STUDIO_API_KEY="$(token "$studio_dir")" $venv/python -m pytest "$@"
$venv/annotate studio stop --studio-dir "$studio_dir" >&2

options=()
for arg in "$@"; do  # only flags that take no value (a file or -k EXPR is for the first run alone)
  case "$arg" in -q|-qq|-v|-vv|-x|-s|-ra|--quiet|--verbose|--exitfirst) options+=("$arg") ;; esac
done
db_url=$($venv/python -c 'import sys; from tests.throwaway_postgres import Postgres
print(Postgres.from_url(sys.argv[1]).create_database("studio_ci"))' "$pg_url")
port=$($venv/python -c 'from incident_corpus.studio.server import free_port; print(free_port())')
echo "test: second run: Label Studio on PostgreSQL under gunicorn (2 workers) on 127.0.0.1:$port" >&2
INCIDENT_CORPUS_STUDIO_DATABASE="$db_url" \
  $venv/annotate studio start --studio-dir "$pg_studio_dir" --port "$port" --workers 2 --wait 600 >&2
INCIDENT_CORPUS_TEST_STUDIO_DIR="$pg_studio_dir" LABEL_STUDIO_URL="http://127.0.0.1:$port" \
  LABEL_STUDIO_API_KEY="$(token "$pg_studio_dir")" \
  $venv/python -m pytest -m integration "${options[@]}" tests/test_push.py tests/test_pull.py tests/test_status.py
