#!/usr/bin/env bash
# Make sure the test suite's real components are up: PostgreSQL, Redis and Debian's Chromium.
# Starts a service that is installed but stopped; stops with a clear message when one is absent.
set -euo pipefail
PY=${PY:-.venv/bin/python}

fail() { echo "ERROR: $*" >&2; exit 1; }

# PostgreSQL on 127.0.0.1:5432
if ! pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
  if command -v pg_ctlcluster >/dev/null 2>&1 && [ -d /etc/postgresql ]; then
    echo "Starting PostgreSQL..."
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main start || true
    for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
  fi
  pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null || fail "PostgreSQL is not running on 127.0.0.1:5432 and could not be started. Install PostgreSQL 15 (apt-get install postgresql) or set DATABASE_URL."
fi

# Redis on 127.0.0.1:6379 (or REDIS_URL)
redis_ok() { "$PY" -c "import os, redis; redis.Redis.from_url(os.environ.get('REDIS_URL', 'redis://127.0.0.1:6379/15'), socket_timeout=2).ping()" 2>/dev/null; }
if ! redis_ok; then
  if command -v redis-server >/dev/null 2>&1; then
    echo "Starting Redis..."
    redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no >/dev/null
    for _ in $(seq 1 20); do redis_ok && break; sleep 0.5; done
  fi
  redis_ok || fail "Redis is not running on 127.0.0.1:6379 and could not be started. Install it (apt-get install redis-server) or set REDIS_URL."
fi

# Debian's Chromium for the browser journeys (Playwright drives it; it never downloads a browser).
if ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing Debian's chromium for the browser tests..."
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  fi
  command -v chromium >/dev/null 2>&1 || fail "Chromium is not installed; run: sudo apt-get install chromium"
fi
echo "PostgreSQL, Redis and Chromium are ready."
