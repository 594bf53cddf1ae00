#!/usr/bin/env bash
# Sets up and runs Reggi's tests: a virtualenv in .venv with the pinned runtime and test
# dependencies, the services the tests need (Redis, Chromium), lint and type checks, then pytest.
# Extra arguments go to pytest, e.g.  ./tests/run.sh tests/ingestion -x
set -euo pipefail
cd "$(dirname "$0")/.."

python=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$python" -m venv .venv
fi
stamp=.venv/.test-requirements.sha256
wanted=$(cat requirements.txt tests/requirements.txt | sha256sum | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" != "$wanted" ]; then
  .venv/bin/python -m pip install --quiet --upgrade pip
  .venv/bin/python -m pip install --quiet -r tests/requirements.txt
  echo "$wanted" > "$stamp"
fi

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else return 1; fi; }
apt_updated=
apt_install() {
  command -v apt-get >/dev/null || return 1
  if [ -z "$apt_updated" ]; then as_root apt-get update -qq || return 1; apt_updated=1; fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@"
}

# Redis: the tests use the one at REDIS_URL (default 127.0.0.1:6379, database 13) or start a
# private redis-server on a free port; install the binary when neither is possible.
redis_url=${REDIS_URL:-redis://127.0.0.1:6379}
if ! .venv/bin/python - "$redis_url" <<'PY' 2>/dev/null
import sys, redis
redis.Redis.from_url(sys.argv[1], socket_connect_timeout=0.5).ping()
PY
then
  command -v redis-server >/dev/null || apt_install redis-server || true
fi

# Chromium for the web page's browser tests (Playwright drives the system Chromium).
if [ -z "${CHROMIUM_PATH:-}" ] && ! command -v chromium >/dev/null; then
  apt_install chromium || echo "warning: could not install chromium; the browser tests will be skipped" >&2
fi

# Tests never read a developer's .env.
export REGGI_ENV_FILE=

.venv/bin/ruff check .
.venv/bin/ruff format --check .
.venv/bin/mypy
exec .venv/bin/python -m pytest -q "$@"
