#!/usr/bin/env bash
# Sets up and runs Reggi on this machine: a virtualenv in .venv, the pinned dependencies,
# the bundled corpus ingested on first start, then the server (web page, API, and Slack and
# Teams when configured in .env). With arguments, runs `python -m bot ARGS` instead, e.g.
#   ./deploy/run.sh ask "What must a business tell consumers in California?"
set -euo pipefail
cd "$(dirname "$0")/.."

python=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$python" -m venv .venv
fi
stamp=.venv/.requirements.sha256
wanted=$(sha256sum requirements.txt | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" != "$wanted" ]; then
  .venv/bin/python -m pip install --quiet --upgrade pip
  .venv/bin/python -m pip install --quiet -r requirements.txt
  echo "$wanted" > "$stamp"
fi

if [ $# -gt 0 ]; then
  exec .venv/bin/python -m bot "$@"
fi
exec .venv/bin/python -m bot serve
