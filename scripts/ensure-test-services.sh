#!/usr/bin/env bash
# Make sure the test suite's real components are up: PostgreSQL, Redis, Debian's Chromium, and the
# libraries WeasyPrint and the PDF checks use. As root on Debian/Ubuntu, installs what is missing
# (apt-get) and starts what is stopped; otherwise stops with a clear message saying what to install.
# Honours DATABASE_URL and REDIS_URL (the same variables the test settings read).
set -euo pipefail
PY=${PY:-.venv/bin/python}
DATABASE_URL=${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/kopdes}
REDIS_URL=${REDIS_URL:-redis://127.0.0.1:6379/15}
export DATABASE_URL REDIS_URL

fail() { echo "ERROR: $*" >&2; exit 1; }
can_install() { [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; }
APT_UPDATED=""
apt_install() {
  can_install || return 1
  if [ -z "$APT_UPDATED" ]; then DEBIAN_FRONTEND=noninteractive apt-get update -qq; APT_UPDATED=1; fi
  echo "Installing $*..."
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

# Host and port of the database and Redis, from their URLs.
read -r PG_HOST PG_PORT < <("$PY" -c "
import os, urllib.parse as u
p = u.urlparse(os.environ['DATABASE_URL']); print(p.hostname or '127.0.0.1', p.port or 5432)")
read -r REDIS_HOST REDIS_PORT < <("$PY" -c "
import os, urllib.parse as u
p = u.urlparse(os.environ['REDIS_URL']); print(p.hostname or '127.0.0.1', p.port or 6379)")
local_host() { case "$1" in 127.0.0.1|localhost|::1) return 0;; *) return 1;; esac; }

# PostgreSQL
command -v pg_isready >/dev/null 2>&1 || apt_install postgresql-client || true
if ! pg_isready -q -h "$PG_HOST" -p "$PG_PORT" 2>/dev/null; then
  if local_host "$PG_HOST"; then
    [ -d /etc/postgresql ] || apt_install postgresql || true
    if command -v pg_ctlcluster >/dev/null 2>&1 && [ -d /etc/postgresql ]; then
      echo "Starting PostgreSQL..."
      pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main start || true
      for _ in $(seq 1 30); do pg_isready -q -h "$PG_HOST" -p "$PG_PORT" && break; sleep 1; done
    fi
  fi
  pg_isready -q -h "$PG_HOST" -p "$PG_PORT" 2>/dev/null \
    || fail "PostgreSQL is not answering on $PG_HOST:$PG_PORT. Install PostgreSQL 15 (apt-get install postgresql) or set DATABASE_URL."
fi
pg_login_ok() { "$PY" -c "import os, psycopg2; psycopg2.connect(os.environ['DATABASE_URL'].rsplit('/', 1)[0] + '/postgres').close()" 2>/dev/null; }
if ! pg_login_ok && local_host "$PG_HOST" && [ "$(id -u)" = "0" ] && id postgres >/dev/null 2>&1; then
  # The server does not trust local TCP connections (the Debian default is scram-sha-256): give the suite
  # a role of its own with a password, through the postgres superuser's local socket (peer auth).
  read -r PG_USER PG_PASSWORD PG_DB < <("$PY" -c "
import os, secrets, urllib.parse as u
p = u.urlparse(os.environ['DATABASE_URL'])
user, password = (p.username, p.password) if p.password else ('kopdes_test', secrets.token_hex(16))
print(user, password, p.path.lstrip('/') or 'kopdes')")
  echo "PostgreSQL refuses $DATABASE_URL; creating the role $PG_USER with a password for the test suite..."
  runuser -u postgres -- psql -p "$PG_PORT" -v ON_ERROR_STOP=1 -q -v user="$PG_USER" -v password="$PG_PASSWORD" <<'SQL'
SELECT format('CREATE ROLE %I LOGIN CREATEDB PASSWORD %L', :'user', :'password')
  WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'user')\gexec
SELECT format('ALTER ROLE %I LOGIN CREATEDB PASSWORD %L', :'user', :'password') WHERE :'user' = 'kopdes_test'\gexec
SQL
  DATABASE_URL="postgres://$PG_USER:$PG_PASSWORD@$PG_HOST:$PG_PORT/$PG_DB"
  export DATABASE_URL
  # `make test` reads this file, so the suite and its worker connect with the new role.
  umask 077; echo "DATABASE_URL=$DATABASE_URL" > .test-services.env
  echo "Saved the suite's DATABASE_URL in .test-services.env (delete the file to start over)."
fi
pg_login_ok \
  || fail "PostgreSQL refuses the connection of DATABASE_URL ($DATABASE_URL). Give its role a password and put it in DATABASE_URL (postgres://user:password@host:port/kopdes), or allow trust for 127.0.0.1 in pg_hba.conf."

# Redis
redis_ok() { "$PY" -c "import os, redis; redis.Redis.from_url(os.environ['REDIS_URL'], socket_timeout=2).ping()" 2>/dev/null; }
if ! redis_ok; then
  if local_host "$REDIS_HOST"; then
    command -v redis-server >/dev/null 2>&1 || apt_install redis-server || true
    if command -v redis-server >/dev/null 2>&1; then
      echo "Starting Redis..."
      redis-server --daemonize yes --bind 127.0.0.1 --port "$REDIS_PORT" --save "" --appendonly no >/dev/null
      for _ in $(seq 1 20); do redis_ok && break; sleep 0.5; done
    fi
  fi
  redis_ok || fail "Redis is not answering at $REDIS_URL. Install it (apt-get install redis-server) or set REDIS_URL."
fi

# PDF: WeasyPrint's libraries and fonts, and poppler's pdftotext to read reports back.
command -v pdftotext >/dev/null 2>&1 || apt_install poppler-utils || fail "pdftotext is missing; run: sudo apt-get install poppler-utils"
"$PY" -c "import weasyprint" 2>/dev/null || apt_install libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b \
  libharfbuzz-subset0 libfontconfig1 fonts-dejavu-core || true
"$PY" -c "import weasyprint" 2>/dev/null || fail "WeasyPrint cannot load Pango; run: sudo apt-get install libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core"

# Debian's Chromium for the browser journeys (Playwright drives it; it never downloads a browser).
# NO_BROWSER=1 (make bench) skips it: the benchmark opens no browser, but loads its dashboards with wrk
# through nginx (the production setup's buffering reverse proxy).
if [ -n "${NO_BROWSER:-}" ]; then
  command -v wrk >/dev/null 2>&1 || apt_install wrk || true
  command -v wrk >/dev/null 2>&1 || fail "wrk (the benchmark's HTTP load generator) is missing; run: sudo apt-get install wrk"
  if ! command -v nginx >/dev/null 2>&1 && [ ! -x /usr/sbin/nginx ] && can_install; then
    # The benchmark starts its own nginx on a free port: keep Debian's package from starting one on port 80.
    NO_START=""
    [ -e /usr/sbin/policy-rc.d ] || { printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d; chmod +x /usr/sbin/policy-rc.d; NO_START=1; }
    apt_install nginx-light || true
    [ -z "$NO_START" ] || rm -f /usr/sbin/policy-rc.d
  fi
  command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] \
    || fail "nginx (the benchmark's reverse proxy, as in production) is missing; run: sudo apt-get install nginx-light"
  # bench/page_cost.py counts a warm page's instructions with valgrind's callgrind (not the machine's speed).
  command -v valgrind >/dev/null 2>&1 || apt_install valgrind || true
  command -v valgrind >/dev/null 2>&1 || fail "valgrind (bench/page_cost.py counts instructions with it) is missing; run: sudo apt-get install valgrind"
  echo "PostgreSQL, Redis, WeasyPrint, wrk, nginx and valgrind are ready."; exit 0
fi
command -v chromium >/dev/null 2>&1 || apt_install chromium || true
command -v chromium >/dev/null 2>&1 || fail "Chromium is not installed; run: sudo apt-get install chromium"
echo "PostgreSQL, Redis, WeasyPrint and Chromium are ready."
