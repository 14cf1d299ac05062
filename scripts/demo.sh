#!/usr/bin/env bash
# The demo on a fresh machine: venv + package + local Label Studio, a project with our label
# config and guideline, and the bundled sample articles pushed with pre-annotations.
# Usage: scripts/demo.sh [--port N] [--project TITLE]
set -euo pipefail
cd "$(dirname "$0")/.."
port=8080
project="incident-corpus demo"
while [ $# -gt 0 ]; do
  case "$1" in
    --port) port="$2"; shift 2 ;;
    --project) project="$2"; shift 2 ;;
    *) echo "usage: scripts/demo.sh [--port N] [--project TITLE]" >&2; exit 2 ;;
  esac
done
scripts/setup.sh studio
annotate=.venv/bin/annotate
# Use the embedded studio, not whatever Label Studio the caller's environment points at.
unset LABEL_STUDIO_URL LABEL_STUDIO_API_KEY
$annotate studio start --port "$port"
$annotate push "$($annotate samples)" --project "$project"
url=$($annotate studio status --json | .venv/bin/python -c 'import json,sys; print(json.load(sys.stdin)["url"])')
cat <<MSG

Label Studio is running at $url
  project:  $project
  login:    $($annotate studio login | sed -n 's/^e-mail: *//p')   (password: .venv/bin/annotate studio login)

Next:
  label a few tasks in the browser, then
  .venv/bin/annotate pull --project "$project"          # → export/annotations.jsonl
  .venv/bin/annotate export --format all                # → export/dataset (HF) + spaCy corpus
  .venv/bin/annotate studio stop                        # stop the server
MSG
