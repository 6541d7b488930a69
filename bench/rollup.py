"""
National-scale benchmark of the roll-up and the dashboards, on PostgreSQL and Redis. Prints figures beside
their floor as a ratio, with the machine's load averages; checks nothing (not a timed test).

    make bench                                         # generates the national dataset on first use
    .venv/bin/python bench/rollup.py [--generate] [--members 1000000] [--seconds 20]
    .venv/bin/python bench/rollup.py --only-full --runs 3     # 1. only: the floor, reconcile and first build

Where it runs (one precedence, printed at the start):
- database: ``DATABASE_URL`` when set, otherwise ``postgres://postgres@127.0.0.1:5432/$BENCH_DATABASE``
  (``BENCH_DATABASE`` defaults to ``kopdes_bench``); it is created and migrated if missing;
- Redis: ``REDIS_URL`` when set, otherwise ``redis://127.0.0.1:6379/14``; the Celery queue is a private one,
  set as ``CELERY_TASK_DEFAULT_QUEUE`` for every process (this one, the worker and gunicorn), so the drain's
  re-queueing of itself reaches the benchmark's worker;
- port: the first free one of ``BENCH_PORTS`` (e.g. ``8630-8649``), otherwise one the system picks.

It measures:
1. the full roll-up: the warm reconcile and the first build into an empty roll-up table, each against the
   floor: the fastest plain SQL found for the same figures (bench/rollup_floor.py), checked equal to the roll-up;
2. incremental change → visible in the national row, through a real Celery worker: p50/p95 with one
   writer (one change at a time) and with 20 writes/s spread over the country;
3. queries and database time per page (nation, province, kabupaten, kecamatan), cold and warm;
4. dashboards under a realistic mix (gunicorn with config/gunicorn.conf.py, production settings, wrk):
   pages of 500+ different areas, signed in as national and province officers, with 20 writes/s going on:
   the saturation throughput on the warmed pages (no writes), then client-side p50/p95/p99 and throughput at
   50 connections with the writes going on (each connection asking for its next page as soon as it has one),
   with the CPU each kind of process used meanwhile (other jobs on the machine included), and for reference
   the same with each connection pausing between pages, as a person reading does (below saturation).

``--refresh-floor N`` (a diagnostic, not the measure): the web serves a changed page's previous drawing for up to
N seconds (``DASHBOARD_REFRESH_FLOOR_SECONDS``, 20 by default); with N longer than the run, no page is drawn again
while the writes go on, and the difference from a normal run is what drawing the changed pages costs.
``--busy-refresh-floor N`` measures a deployment option: busy pages (all of the mix's, at this load) drawn again
at most every N seconds (``DASHBOARD_BUSY_REFRESH_FLOOR_SECONDS``), pages few people read as fresh as by default.
The pages are drawn at the warm-up, so a floor longer than what precedes the measured run (the saturation run)
draws no changed page in it: give ``--pre-roll S`` (at least twice the floor), the load and the writes running S
seconds before the run with the writes is measured, so that it finds the pages drawn again as in steady use.

The benchmark's own login (national administrator, with its authenticator secret) is printed at the end.
It cleans up after itself: the worker, gunicorn and its temporary files; static files are collected into
``staticfiles/`` only when the sources changed since the last collection.
"""

import argparse
import contextlib
import getpass
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from http.client import HTTPConnection
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))



def _database_url() -> str:
    """DATABASE_URL when set; otherwise BENCH_DATABASE on the test suite's server and role (.test-services.env)."""
    if os.environ.get("DATABASE_URL"):
        return os.environ["DATABASE_URL"]
    server = "postgres://postgres@127.0.0.1:5432"
    saved = BASE_DIR / ".test-services.env"
    if saved.exists():
        for line in saved.read_text().splitlines():
            if line.startswith("DATABASE_URL="):
                server = line.partition("=")[2].strip().rsplit("/", 1)[0]
    return f"{server}/{os.environ.get('BENCH_DATABASE', 'kopdes_bench')}"


DATABASE_URL = _database_url()
DATABASE = DATABASE_URL.rsplit("/", 1)[1].split("?")[0]
QUEUE = f"bench-{uuid.uuid4().hex[:8]}"
os.environ.update({
    "DJANGO_SETTINGS_MODULE": "config.settings.production",
    "DATABASE_URL": DATABASE_URL,
    "REDIS_URL": os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/14",
    "SECRET_KEY": "benchmark-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
    "ALLOWED_HOSTS": "127.0.0.1,localhost",
    "SECURE_SSL_REDIRECT": "false",
    "CELERY_TASK_ALWAYS_EAGER": "false",
    "CELERY_TASK_DEFAULT_QUEUE": QUEUE,
    "LOG_LEVEL": "WARNING",
})
BENCH_EMAIL = "bench-admin@bench.invalid"
BENCH_PASSWORD = os.environ.get("BENCH_PASSWORD", "bench-national-2025")
BENCH_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"  # a fixed, published secret: benchmark databases only
PAGES = {"nation": "/dasbor/", "province": "/dasbor/33/", "kabupaten": "/dasbor/33.18/",
         "kecamatan": "/dasbor/33.18.01/"}
WRITES_PER_SECOND = 20
# The reference run's mean pause between one connection's pages (ms): 50 connections then ask for at most
# 250 pages/s, below the saturation the goals ask for (300 pages/s).
THINK_MS = 200
# The CSRF cookie a browser holds after its first page (a 32-character secret): without it every page would
# make a new one, which a signed-in officer's browser never asks for.
CSRF_COOKIE = "csrftoken=" + "benchmarkcsrfsecret0123456789abc"


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def load_averages() -> str:
    # In UTC: Django's settings set TZ (Asia/Jakarta) for this process and its children.
    return subprocess.run(["uptime"], capture_output=True, text=True, env={**os.environ, "TZ": "UTC"}).stdout.strip()


def cpu_reference(short: bool = False) -> str:
    """
    A fixed piece of pure-Python work, timed (median of 7, CPU time): the speed of these cores at this moment,
    for comparing runs. It does not see every cause: on one shared machine the same code's figures moved by 2×
    within an hour while this read about the same at the start of each run.
    """
    def work() -> float:
        # This thread's time only: the writers' threads run in this process during some runs.
        started = time.thread_time()
        sum(index * index % 7 for index in range(300_000))
        return time.thread_time() - started

    spent = statistics.median(work() for _ in range(7))
    if short:
        return f"{spent * 1000:.1f} ms"
    return f"CPU reference (fixed Python work, lower is faster): {spent * 1000:.1f} ms"


def psql(sql: str, database: str = "postgres") -> str:
    url = DATABASE_URL.rsplit("/", 1)[0] + f"/{database}"
    return subprocess.run(["psql", url, "-tAc", sql], capture_output=True, text=True, check=True).stdout.strip()


def free_port() -> int:
    """The first free port of BENCH_PORTS ("8630-8649"), or one the system picks."""
    wanted = os.environ.get("BENCH_PORTS", "")
    candidates = [0]
    if wanted:
        low, _dash, high = wanted.partition("-")
        candidates = list(range(int(low), int(high or low) + 1))
    for port in candidates:
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return probe.getsockname()[1]
    raise RuntimeError(f"No free port in BENCH_PORTS={wanted}")


def collect_static_if_needed() -> None:
    """Production settings serve hashed, compressed files from STATIC_ROOT: collect only after a change."""
    from django.conf import settings
    from django.contrib.staticfiles.finders import get_finders

    manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
    newest = 0.0
    for finder in get_finders():
        for path, storage in finder.list(["CVS", ".*", "*~"]):
            newest = max(newest, os.path.getmtime(storage.path(path)))
    if manifest.exists() and manifest.stat().st_mtime >= newest:
        return
    print("Collecting static files (hashed and compressed)…", flush=True)
    from django.core.management import call_command

    call_command("collectstatic", interactive=False, verbosity=0)


def migrated_database() -> None:
    """The benchmark database, created if missing, migrated, with the region tree; Django set up on it."""
    if psql(f"SELECT 1 FROM pg_database WHERE datname = '{DATABASE}'") != "1":
        psql(f'CREATE DATABASE "{DATABASE}"')
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("load_wilayah", verbosity=0)


def ensure_database(generate: bool, members: int) -> None:
    migrated_database()
    from django.core.management import call_command

    from koperasi.models import Cooperative

    if generate or not Cooperative.objects.exists():
        print(f"Generating the national dataset ({members:,} members)…", flush=True)
        started = time.perf_counter()
        call_command("generate_national", members=members, wipe=Cooperative.objects.exists(), verbosity=0)
        print(f"  generated in {time.perf_counter() - started:.0f} s", flush=True)


def bench_accounts():
    """
    The benchmark's national administrator (a usable login: password and authenticator secret, printed at
    the end) and the generated province officers, each with an active authenticator as their roles require.
    """
    from accounts.models import User
    from accounts.selectors import user_mfa_state
    from accounts.services import user_totp_activate
    from core.roles import Role
    from sampledata.national import GENERATED_EMAIL_DOMAIN

    admin = User.objects.filter(email=BENCH_EMAIL).first()
    if admin is None:
        admin = User.objects.create_user(email=BENCH_EMAIL, password=BENCH_PASSWORD, full_name="Benchmark (nasional)")
        admin.role_assignments.create(role=Role.NATIONAL_ADMIN)
    officers = list(User.objects.filter(email__startswith="provinsi-", email__endswith=GENERATED_EMAIL_DOMAIN,
                                        role_assignments__role=Role.PROVINCE_OFFICER)
                    .values_list("pk", "role_assignments__region_id"))
    for user in [admin, *User.objects.filter(pk__in=[pk for pk, _code in officers])]:
        if not user_mfa_state(user)[1]:
            user_totp_activate(user=user, secret=BENCH_TOTP_SECRET)
    return admin, {code: User.objects.get(pk=pk) for pk, code in officers}


def ensure_rate_snapshot() -> None:
    """
    The snapshot of the day targets measure their recent rate from (TARGET_RATE_WINDOW_DAYS ago), as the
    nightly reconcile leaves in production: without it each target on a page is counted from the base tables.
    """
    from django.conf import settings
    from django.utils import timezone

    from reports.models import SnapshotDay
    from reports.services import snapshot_backfill

    day = timezone.localdate() - timezone.timedelta(days=settings.TARGET_RATE_WINDOW_DAYS)
    if not SnapshotDay.objects.filter(day=day).exists():
        started = time.perf_counter()
        snapshot_backfill(day, day)
        print(f"Snapshot of {day} (the targets' rate window) rebuilt from dated records: "
              f"{time.perf_counter() - started:.0f} s", flush=True)


# The tables a dashboard page reads (and its page shell: session, roles, two-factor state, the bell).
PAGE_TABLES = ("koperasi_cooperative", "reports_regionrollup", "reports_regionsnapshot", "reports_snapshotday",
               "targets_target", "wilayah_region", "notifications_notification", "accounts_roleassignment",
               "accounts_user", "django_session", "mfa_authenticator")


def vacuum_page_tables() -> None:
    """
    VACUUM (ANALYZE) the tables the pages read, as autovacuum keeps them in production: a server run with
    autovacuum off (test servers often are) leaves a generated or copied dataset without visibility map, and every
    index-only scan (e.g. the national "not updated" count) then reads the table instead.
    """
    started = time.perf_counter()
    psql(f"VACUUM (ANALYZE) {', '.join(PAGE_TABLES)}", DATABASE)
    autovacuum = psql("SHOW autovacuum", DATABASE)
    print(f"VACUUM (ANALYZE) of the tables pages read: {time.perf_counter() - started:.1f} s "
          f"(this server's autovacuum: {autovacuum})", flush=True)


def session_cookie(user) -> str:
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1")
    # The backend a sign-in through the portal records (allauth's own class, as accounts.backends subclasses it).
    client.force_login(user, backend="accounts.backends.PortalAuthenticationBackend")
    return client.cookies["sessionid"].value


def rollup_rows() -> dict:
    from django.db import connection

    from reports.metrics import METRIC_COLUMNS

    with connection.cursor() as cursor:
        cursor.execute(f"SELECT code, level, {', '.join(METRIC_COLUMNS)} FROM reports_regionrollup")
        return {row[0]: row[1:] for row in cursor.fetchall()}


def timed_floor(sql: str, params: list) -> tuple[float, int]:
    """
    A floor query in a transaction with the reconcile's own session settings (its ``work_mem``, no JIT), so that
    it is not slowed by spills the reconcile does not have; parallel workers at the server's default. Returns its
    time and the number of figures it computed.
    """
    from django.conf import settings
    from django.db import connection
    from django.db import transaction

    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"SET LOCAL work_mem = '{settings.ROLLUP_RECONCILE_WORK_MEM}'")
        cursor.execute("SET LOCAL jit = off")
        started = time.perf_counter()
        cursor.execute(sql, params)
        figures = cursor.fetchone()[0]
        return time.perf_counter() - started, figures


def floor_matches() -> bool:
    """
    Whether the roll-up table holds exactly the full floor's rows (every code, every column), the floor computed
    for the moment of the last reconcile: counts that age (stalled since, visits of the last 30 days) move a few
    rows a minute, so two computations at different moments may rightly differ.
    """
    from django.db import connection

    from bench.rollup_floor import full_floor_rows_sql
    from reports.models import RollupState

    sql, params = full_floor_rows_sql(RollupState.objects.get(pk=1).reconciled_at)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = {row[0]: tuple(row[1:]) for row in cursor.fetchall()}
    return rows == {code: tuple(values[1:]) for code, values in rollup_rows().items()}


def bench_full_rollup(runs: int) -> dict:
    """Warm reconcile, first build from an empty table, and the floors, alternating; medians."""
    from django.db import connection
    from django.db import transaction
    from django.utils import timezone

    from bench.rollup_floor import full_floor_sql
    from bench.rollup_floor import stage_unit_floor_sql
    from reports.services import rollup_reconcile

    rollup_reconcile(snapshot=False)
    rows = len(rollup_rows())
    warm, first, floor, stage_unit = [], [], [], []
    for run in range(runs):
        seconds, figures = timed_floor(*full_floor_sql(timezone.now()))
        floor.append(seconds)
        seconds, stage_unit_figures = timed_floor(stage_unit_floor_sql(), [])
        stage_unit.append(seconds)
        started = time.perf_counter()
        rollup_reconcile(snapshot=False)
        warm.append(time.perf_counter() - started)
        if run == 0:
            warm_matches = floor_matches()
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("DELETE FROM reports_regionrollup")
        started = time.perf_counter()
        rollup_reconcile(snapshot=False)
        first.append(time.perf_counter() - started)
    first_matches = floor_matches()
    return {"warm": statistics.median(warm), "first": statistics.median(first), "floor": statistics.median(floor),
            "stage_unit": statistics.median(stage_unit), "figures": figures, "stage_unit_figures": stage_unit_figures,
            "rows": rows, "warm_matches": warm_matches, "first_matches": first_matches}


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@contextlib.contextmanager
def celery_worker(log: Path):
    """A real Celery worker on the benchmark's queue (the one the drain re-queues itself onto)."""
    from config.celery_app import app

    app.conf.task_always_eager = False
    app.conf.task_default_queue = QUEUE
    name = f"{QUEUE}@{socket.gethostname()}"
    with log.open("w") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=solo", "-Q", QUEUE, "-n", name,
             "--without-gossip", "--without-mingle", "--without-heartbeat", "--loglevel=WARNING"],
            cwd=BASE_DIR, env=os.environ.copy(), stdout=output, stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 90
        while not app.control.ping(destination=[name], timeout=1):
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"The Celery worker did not start:\n{log.read_text()[-2000:]}")
        yield process
    finally:
        stop(process)


class Writers:
    """
    Unit changes through the services (as officers' saves), at a steady rate spread over the country, in
    their own threads; each change's latency until its village row (and so the national row, written in the
    same transaction) shows it. One watcher thread looks for every pending change at once, every
    ``POLL_SECONDS``: the measurement should not take a share of the two cores it measures.
    """

    POLL_SECONDS = 0.01

    def __init__(self, actor, rate: float, limit: int | None = None):
        self.actor, self.limit = actor, limit
        self.latencies: list[float] = []
        self.saves: list[float] = []
        self.stop = threading.Event()
        self.pending: dict[str, tuple[float, int]] = {}  # village → (committed at, expected count)
        self.pending_lock = threading.Lock()
        self.written = 0
        # A save takes tens of milliseconds on a busy machine: one thread per 4 writes/s keeps the rate.
        count = max(1, -(-int(rate) // 4))
        self.rate = rate / count
        self.threads = [threading.Thread(target=self._run, args=(self._write, index, count), daemon=True)
                        for index in range(count)]
        self.watcher = threading.Thread(target=self._run, args=(self._watch,), daemon=True)
        self.error: BaseException | None = None

    def __enter__(self):
        from units.models import Unit

        # One planned office per village, villages all over the country, in random order.
        self.candidates = list(Unit.objects.filter(unit_type__code="kantor", status="rencana")
                               .order_by("cooperative__village_id", "pk").distinct("cooperative__village_id")
                               .values_list("pk", "cooperative__village_id"))
        random.Random(7).shuffle(self.candidates)
        for thread in (*self.threads, self.watcher):
            thread.start()
        return self

    def join(self):
        for thread in (*self.threads, self.watcher):
            thread.join(timeout=300)

    def __exit__(self, *exc):
        self.stop.set()
        self.join()
        if self.error:
            raise self.error

    def _run(self, work, *share: int):
        """``work`` in this thread; a writer gets its ``share`` (index, count) of the candidates."""
        from django.db import connection

        try:
            work(self.candidates[share[0]::share[1]]) if share else work()
        except BaseException as error:  # reported by __exit__ in the main thread
            self.error = error
            self.stop.set()
        finally:
            connection.close()

    def _done_writing(self) -> bool:
        return self.stop.is_set() or (self.limit is not None and self.written >= self.limit)

    def _write(self, candidates: list[tuple[int, str]]):
        from django.db import connection

        from units.models import Unit
        from units.services import unit_update

        interval = 1 / self.rate if self.rate else 0
        next_write = time.perf_counter()
        while not self._done_writing() and candidates:
            if not self.rate and self.pending:  # one writer: the next change once the previous one is visible
                time.sleep(self.POLL_SECONDS / 2)
                continue
            delay = next_write - time.perf_counter()
            if delay > 0:
                time.sleep(min(delay, 0.05))
                continue
            unit_id, village = candidates.pop()
            with connection.cursor() as cursor:
                cursor.execute("SELECT unit_kantor_lahan_tersedia FROM reports_regionrollup WHERE code = %s",
                               [village])
                before = (cursor.fetchone() or (0,))[0]
            started = time.perf_counter()
            unit_update(actor=self.actor, unit=Unit.objects.get(pk=unit_id), status="lahan_tersedia",
                        land_progress=100)
            committed = time.perf_counter()
            self.saves.append(committed - started)
            with self.pending_lock:
                self.pending[village] = (committed, before + 1)
                self.written += 1
            next_write = max(next_write + interval, committed) if self.rate else committed

    def _watch(self):
        from django.db import connection

        while not (self._done_writing() and all(not thread.is_alive() for thread in self.threads)) or self.pending:
            time.sleep(self.POLL_SECONDS)
            with self.pending_lock:
                codes = list(self.pending)
            if not codes:
                continue
            with connection.cursor() as cursor:
                cursor.execute("SELECT code, unit_kantor_lahan_tersedia FROM reports_regionrollup WHERE code = ANY(%s)",
                               [codes])
                rows = cursor.fetchall()
            seen = time.perf_counter()
            with self.pending_lock:
                for code, value in rows:
                    if code in self.pending and value >= self.pending[code][1]:
                        self.latencies.append(seen - self.pending.pop(code)[0])
                if any(seen - committed_at > 60 for committed_at, _count in self.pending.values()):
                    raise RuntimeError("A change did not reach the national roll-up within 60 s")


def bench_incremental(admin, changes: int, seconds: int) -> dict:
    one = Writers(admin, rate=0, limit=changes)  # rate 0: the next change once the previous one is visible
    with one:
        one.join()
    busy = Writers(admin, rate=WRITES_PER_SECOND)
    with busy:
        time.sleep(seconds)
    return {"one": one, "busy": busy}


def drop_cached_pages() -> None:
    """Forget the cached dashboards only (the roll-up queue and lock share the Redis database)."""
    from core.changes import redis_client

    client = redis_client()
    keys = list(client.scan_iter(match="*:dashboard:*", count=1000))
    if keys:
        client.delete(*keys)


@contextlib.contextmanager
def queries_timed():
    """
    The seconds each query spent in the driver's execute (sent, run, answered), in a list filled as they run:
    Django's own record rounds each query to a millisecond.
    """
    from django.db import connection

    spent: list[float] = []

    def timed(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            spent.append(time.perf_counter() - started)

    with connection.execute_wrapper(timed):
        yield spent


def bench_pages_in_process(admin) -> dict:
    """
    Queries and database time per page: cold (its cache entry missing) and warm, medians of several requests. The
    database time is the time spent in the driver's execute, per query (``queries_timed``).
    """
    from django.conf import settings
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1", HTTP_X_FORWARDED_PROTO="https")
    client.force_login(admin)
    settings.DASHBOARD_CACHE_SECONDS = 60
    results = {}
    for name, url in PAGES.items():
        client.get(url)  # the process's own first-use costs (templates, catalogues) are not the page's
        for state in ("cold", "warm"):
            times, db_times, counts = [], [], []
            for _run in range(9):
                if state == "cold":
                    drop_cached_pages()
                with queries_timed() as spent:
                    started = time.perf_counter()
                    response = client.get(url)
                    times.append(time.perf_counter() - started)
                assert response.status_code == 200, (url, response.status_code)
                db_times.append(sum(spent))
                counts.append(len(spent))
            results[(name, state)] = {"time": statistics.median(times), "db": statistics.median(db_times),
                                      "queries": statistics.median_low(counts)}
    return results


def page_mix(admin_cookie: str, officer_cookies: dict[str, str]) -> list[tuple[str, str]]:
    """(path, session) pairs: the nation, every province, every kabupaten/kota and 300 kecamatan."""
    from wilayah.models import Region

    areas = list(Region.objects.filter(level__in=["province", "regency"]).values_list("code", "level"))
    districts = list(Region.objects.filter(level="district").values_list("code", flat=True))
    areas += [(code, "district") for code in random.Random(3).sample(districts, 300)]
    mix = [("/dasbor/", admin_cookie)] * 10
    for code, level in areas:
        # Province officers open their own province's pages, national officers any area.
        officer = officer_cookies.get(code[:2])
        mix.append((f"/dasbor/{code}/", officer if officer and level != "district" else admin_cookie))
    return mix


WRK_SCRIPT = """
local pages = {%s}
local counter = 0
local think = %d
-- Paced runs: each connection waits think/2 to 3·think/2 ms before its next page, as a person reading would.
delay = function()
  if think > 0 then return math.random(math.floor(think / 2), math.floor(think * 3 / 2)) end
  return 0
end
request = function()
  counter = counter + 1
  local page = pages[math.random(#pages)]
  return wrk.format("GET", page[1], {["Cookie"] = "sessionid=" .. page[2] .. "; %s", ["X-Forwarded-Proto"] = "https",
                                     ["Accept-Language"] = "id"})
end
done = function(summary, latency, requests)
  local errors = summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.timeout
  io.write(string.format("RESULT %%d %%d %%.3f %%.3f %%.3f %%d\\n", summary.requests, errors,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    summary.duration))
end
"""


WRITERS = "writers (this process)"
STEAL = "taken by the host (steal)"
IDLE = "idle"
CAME_AND_WENT = "processes that came and went"


def cpu_seconds() -> dict[tuple[str, int], float]:
    """
    CPU seconds used so far by each kind of process on this machine (Linux /proc): the web server, PostgreSQL,
    the Celery worker, this process (the writers), Redis, nginx, wrk (children that have ended) and everything else
    (other jobs sharing the cores, which the figures should be read against); per (kind, process id), so that
    a process that ends between two readings does not subtract its time from the others'.
    """
    tick = os.sysconf("SC_CLK_TCK")
    used: dict[tuple[str, int], float] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            command = Path(f"/proc/{entry}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:  # ended meanwhile
            continue
        name = stat[stat.index("(") + 1:stat.rindex(")")]
        fields = stat[stat.rindex(")") + 2:].split()
        if int(entry) == os.getpid():
            kind = WRITERS
        elif "gunicorn" in command:
            kind = "web (gunicorn)"
        elif "celery" in command:
            kind = "Celery worker"
        elif name == "postgres":
            kind = "PostgreSQL"
        elif name.startswith("redis"):
            kind = "Redis"
        elif name == "nginx":
            kind = "nginx"
        else:
            kind = "other processes"
        used[(kind, int(entry))] = (int(fields[11]) + int(fields[12])) / tick
    children = os.times()
    used[("wrk", 0)] = children.children_user + children.children_system
    # Time the virtual machine's host gave these cores' turn to someone else (/proc/stat's "steal"): on a shared
    # machine, the part of the machine's slowness that the processes above cannot see.
    cpu = Path("/proc/stat").read_text().split("\n", 1)[0].split()
    used[(STEAL, 0)] = int(cpu[8]) / tick
    # And the time no process was ready to run (idle and waiting on the disk): with the above, what is left of the
    # cores' time went to processes that started and ended between two readings (a connection's PostgreSQL backend).
    used[(IDLE, 0)] = (int(cpu[4]) + int(cpu[5])) / tick
    return used


def cpu_by_kind(before: dict, after: dict) -> dict[str, float]:
    """CPU seconds each kind of process used between two ``cpu_seconds`` readings."""
    by_kind: dict[str, float] = {}
    for (kind, pid), used in after.items():
        by_kind[kind] = by_kind.get(kind, 0.0) + used - before.get((kind, pid), 0.0)
    return by_kind


def cpu_line(by_kind: dict[str, float], seconds: float, pages: float) -> str:
    by_kind = {**by_kind, CAME_AND_WENT: max(0.0, seconds * os.cpu_count() - sum(by_kind.values()))}
    shares = sorted(((used, kind) for kind, used in by_kind.items()), reverse=True)
    # The host's steal is printed even when nil: it tells whether a slow run was this machine's host.
    return ", ".join(f"{kind} {used / seconds:.2f} cores ({used / pages * 1000:.1f} ms/page)"
                     for used, kind in shares if used / seconds >= 0.01 or kind in (STEAL, IDLE))


def warm_up(port: int, mix: list[tuple[str, str]]) -> None:
    """Every page of the mix once (4 at a time), as a portal in use has them cached: the load test measures
    pages cached or invalidated by the writes going on, not a cold start."""
    from concurrent.futures import ThreadPoolExecutor

    def fetch(page: tuple[str, str]) -> None:
        connection = HTTPConnection("127.0.0.1", port, timeout=120)
        connection.request("GET", page[0], headers={"Cookie": f"sessionid={page[1]}; {CSRF_COOKIE}",
                                                    "X-Forwarded-Proto": "https", "Accept-Language": "id"})
        connection.getresponse().read()
        connection.close()

    with ThreadPoolExecutor(4) as pool:
        list(pool.map(fetch, sorted(set(mix))))


class UnixHTTPConnection(HTTPConnection):
    """HTTP over a Unix socket (gunicorn's, before nginx is in front of it)."""

    def __init__(self, path: Path, timeout: float):
        super().__init__("localhost", timeout=timeout)
        self.path = path

    def connect(self):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(self.timeout)
        self.sock.connect(str(self.path))


def wait_until_answering(name: str, server: subprocess.Popen, port: int | Path, seconds: float, log: Path) -> None:
    """Until the sign-in page answers 200 on ``port``; an error with the end of ``log`` if ``server`` ends first
    or ``seconds`` pass."""
    deadline = time.monotonic() + seconds
    while True:
        if server.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"{name} did not start on {port}:\n"
                               f"{log.read_text()[-2000:] if log.exists() else ''}")
        connection = (UnixHTTPConnection(port, timeout=5) if isinstance(port, Path)
                      else HTTPConnection("127.0.0.1", port, timeout=5))
        try:
            connection.request("GET", "/accounts/login/", headers={"X-Forwarded-Proto": "https"})
            if connection.getresponse().status == 200:
                return
        except OSError:
            pass
        finally:
            connection.close()
        time.sleep(0.2)


@contextlib.contextmanager
def gunicorn(path: Path, log: Path):
    """
    gunicorn as in production (config/gunicorn.conf.py, on a Unix socket behind nginx: docs/deployment.md),
    checked to answer before use.
    """
    with log.open("w") as output:
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "config.wsgi:application", "-c", "config/gunicorn.conf.py",
             "--bind", f"unix:{path}", "--log-level", "warning"],
            cwd=BASE_DIR, env=os.environ.copy(), stdout=output, stderr=subprocess.STDOUT,
        )
    try:
        wait_until_answering("gunicorn", server, path, 60, log)
        yield server
    finally:
        stop(server)


NGINX_CONF = """
daemon off;
master_process on;
worker_processes auto;
user {user};
pid "{directory}/nginx.pid";
error_log "{directory}/nginx-error.log" warn;
events {{ worker_connections 1024; }}
http {{
  access_log off;
  client_body_temp_path "{directory}/client-body";
  proxy_temp_path "{directory}/proxy";
  fastcgi_temp_path "{directory}/fastcgi";
  uwsgi_temp_path "{directory}/uwsgi";
  scgi_temp_path "{directory}/scgi";
  keepalive_timeout 65;
  server {{
    listen 127.0.0.1:{port};
    location / {{
      proxy_pass http://unix:{upstream}:;
      proxy_buffering on;
      proxy_set_header Host $http_host;
      proxy_set_header X-Forwarded-Proto https;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
    }}
  }}
}}
"""


@contextlib.contextmanager
def nginx(port: int, upstream: Path, directory: Path):
    """
    nginx in front of gunicorn, as in production (README: a buffering reverse proxy): it reads each request
    whole before handing it to a sync worker, and keeps the clients' connections alive. Without it, a client
    that opens a connection and waits before sending (a person reading, wrk's paced runs) holds a sync worker
    idle for that long: measured so, a paced run at 200 pages/s showed p50 31 ms where the same run through
    threads that wait on no one gave 5 ms.
    """
    binary = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
    if binary is None:
        raise RuntimeError("nginx is needed in front of gunicorn, as in production: apt-get install nginx-light")
    directory.mkdir(exist_ok=True)
    config = directory / "nginx.conf"
    # Its workers run as whoever runs the benchmark (they write large responses to the temporary folder, which
    # only that user may enter); nginx ignores the line when not started as root.
    config.write_text(NGINX_CONF.format(directory=directory, port=port, upstream=upstream, user=getpass.getuser()))
    error_log = directory / "nginx-error.log"
    with (directory / "nginx.log").open("w") as output:
        # -e: errors before the configuration is read (a bad one, a port taken) go to the same log.
        server = subprocess.Popen([binary, "-c", str(config), "-p", str(directory), "-e", str(error_log)],
                                  stdout=output, stderr=subprocess.STDOUT)
    try:
        wait_until_answering("nginx", server, port, 20, error_log)
        yield server
    finally:
        stop(server)


def wrk_run(port: int, mix: list[tuple[str, str]], clients: int, seconds: int, script: Path,
            think_ms: int = 0) -> dict:
    wrk = shutil.which("wrk")
    if wrk is None:
        raise RuntimeError("wrk is needed for the load test: apt-get install wrk")
    pages = ", ".join(f'{{"{path}", "{cookie}"}}' for path, cookie in mix)
    script.write_text(WRK_SCRIPT % (pages, think_ms, CSRF_COOKIE))
    output = subprocess.run([wrk, "-t2", f"-c{clients}", f"-d{seconds}s", "--timeout", "20s", "-s", str(script),
                             f"http://127.0.0.1:{port}/"], capture_output=True, text=True, check=True).stdout
    line = next(line for line in output.splitlines() if line.startswith("RESULT"))
    count, errors, p50, p95, p99, duration = line.split()[1:]
    return {"errors": int(errors), "p50": float(p50) / 1000, "p95": float(p95) / 1000, "p99": float(p99) / 1000,
            "rate": int(count) / (int(duration) / 1e6)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--generate", action="store_true", help="(re)generate the national dataset first")
    parser.add_argument("--members", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--changes", type=int, default=40, help="changes with one writer")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=20, help="duration of each load test")
    parser.add_argument("--skip-full", action="store_true", help="skip the full roll-up measurements (1.)")
    parser.add_argument("--refresh-floor", type=int, default=None, metavar="SECONDS",
                        help="diagnostic: the web's DASHBOARD_REFRESH_FLOOR_SECONDS (longer than the run: no page is "
                             "drawn again during the load tests)")
    parser.add_argument("--busy-refresh-floor", type=int, default=None, metavar="SECONDS",
                        help="the web's DASHBOARD_BUSY_REFRESH_FLOOR_SECONDS: a deployment option, measured")
    parser.add_argument("--pre-roll", type=int, default=0, metavar="SECONDS",
                        help="the load and the writes run this long before the run with the writes is measured")
    parser.add_argument("--only-full", action="store_true",
                        help="only the full roll-up measurements (1.): no worker, server or load test")
    args = parser.parse_args()
    if args.refresh_floor is not None:
        # Read by gunicorn's settings; a drawing is kept at most DASHBOARD_CACHE_SECONDS, so that long too.
        os.environ["DASHBOARD_REFRESH_FLOOR_SECONDS"] = str(args.refresh_floor)
        os.environ["DASHBOARD_CACHE_SECONDS"] = str(max(args.refresh_floor, 300))
    if args.busy_refresh_floor is not None:
        os.environ["DASHBOARD_BUSY_REFRESH_FLOOR_SECONDS"] = str(args.busy_refresh_floor)
        # The busy floor is held to half the drawings' lifetime (reports.views.refresh_floor).
        os.environ["DASHBOARD_CACHE_SECONDS"] = str(max(2 * args.busy_refresh_floor, int(os.environ.get(
            "DASHBOARD_CACHE_SECONDS", 300))))
    print(f"Database {DATABASE_URL} (DATABASE_URL, else BENCH_DATABASE), Redis {os.environ['REDIS_URL']}, "
          f"Celery queue {QUEUE}", flush=True)
    ensure_database(args.generate, args.members)
    if not args.only_full:  # the pages are served only by the later parts
        collect_static_if_needed()
    temporary = Path(tempfile.mkdtemp(prefix="kopdes-bench-"))
    try:
        run(args, temporary)
    finally:
        shutil.rmtree(temporary, ignore_errors=True)


def print_full_rollup(runs: int) -> None:
    full = bench_full_rollup(runs)
    print(f"1. Full roll-up, median of {runs} ({full['rows']:,} rows, {full['figures']:,} figures)")
    print(f"   floor: plain SQL, every figure the reconcile writes (bench/rollup_floor.py)  {full['floor']:6.2f} s")
    print(f"   reconcile (warm: compares, rewrites only what differs)                        {full['warm']:6.2f} s   "
          f"{full['warm'] / full['floor']:.2f}× floor")
    print(f"   first build (into an empty roll-up table)                                     {full['first']:6.2f} s   "
          f"{full['first'] / full['floor']:.2f}× floor")
    print(f"   for reference, the stage and unit figures only ({full['stage_unit_figures']:,}), plain SQL       "
          f"{full['stage_unit']:6.2f} s   (reconcile {full['warm'] / full['stage_unit']:.2f}×)")
    warm_matches, first_matches = ("yes" if full[key] else "NO" for key in ("warm_matches", "first_matches"))
    print(f"   roll-up rows equal to the floor's figures (computed for the same moment): after the warm reconcile "
          f"{warm_matches}, after the first build {first_matches}", flush=True)


def run(args, temporary: Path) -> None:
    from django.db import connection

    from koperasi.models import Cooperative
    from members.models import Member
    from reports.services import rollup_reconcile
    from units.models import Unit

    with connection.cursor() as cursor:
        cursor.execute("SELECT version()")
        version = cursor.fetchone()[0].split(" on ")[0]
    print(f"\nDataset: {Cooperative.objects.count():,} cooperatives, {Unit.objects.count():,} units, "
          f"{Member.objects.count():,} members — {version}, {os.cpu_count()} CPU cores")
    print(f"Load at start: {load_averages()}\n{cpu_reference()}\n", flush=True)
    if args.only_full:
        print_full_rollup(args.runs)
        print(f"\nLoad at end: {load_averages()}\n{cpu_reference()}")
        return
    admin, officers = bench_accounts()
    ensure_rate_snapshot()
    vacuum_page_tables()

    if not args.skip_full:
        print_full_rollup(args.runs)
    with celery_worker(temporary / "worker.log"):
        incremental = bench_incremental(admin, args.changes, args.seconds)
        for label, writers in (("1 writer, one change at a time", incremental["one"]),
                               (f"{WRITES_PER_SECOND} writes/s", incremental["busy"])):
            lat = writers.latencies
            print(f"\n2. Incremental, {label}: {len(lat)} changes ({len(lat) / args.seconds:.1f}/s achieved), "
                  "committed → visible nationally: "
                  f"p50 {ms(statistics.median(lat))}, p95 {ms(percentile(lat, 0.95))}, max {ms(max(lat))}; "
                  f"the save itself p50 {ms(statistics.median(writers.saves))}", flush=True)

        drop_cached_pages()
        in_process = bench_pages_in_process(admin)
        print("\n3. Dashboard pages, one client in process, medians of 9 requests (cold: its cache entry missing)")
        print("   page        cold: queries  DB time  total     warm: queries  DB time  total")
        for name in PAGES:
            cold, warm = in_process[(name, "cold")], in_process[(name, "warm")]
            print(f"   {name:<10}  {cold['queries']:>13}  {ms(cold['db']):>7}  {ms(cold['time']):>8}  "
                  f"{warm['queries']:>13}  {ms(warm['db']):>7}  {ms(warm['time']):>8}")
        print("   goal: a cold national page ≤ 10 ms of database time", flush=True)

        mix = page_mix(session_cookie(admin), {code: session_cookie(user) for code, user in officers.items()})
        areas = len({path for path, _cookie in mix})
        upstream = temporary / "gunicorn.sock"
        script = temporary / "mix.lua"
        with gunicorn(upstream, temporary / "gunicorn.log"), nginx(port := free_port(), upstream,
                                                                   temporary / "nginx"):
            started = time.perf_counter()
            warm_up(port, mix)
            print(f"\n   warm-up: every page of the mix once, {time.perf_counter() - started:.0f} s", flush=True)
            # Saturation first, on the warmed pages: measured after the writes it would count the backlog of
            # pages they changed, not what the server sustains.
            # The machine's speed before each run: on a shared machine it moved within one benchmark.
            speeds = {"quiet": cpu_reference(short=True)}
            before, started = cpu_seconds(), time.perf_counter()
            quiet = wrk_run(port, mix, args.clients, args.seconds, script)
            quiet_cpu = cpu_line(cpu_by_kind(before, cpu_seconds()), time.perf_counter() - started,
                                 quiet["rate"] * args.seconds)
            speeds["busy"] = cpu_reference(short=True)
            with Writers(admin, rate=WRITES_PER_SECOND) as writers:
                if args.pre_roll:  # as in steady use: the changed pages drawn again at their floor (module doc)
                    wrk_run(port, mix, args.clients, args.pre_roll, script)
                before, started, written_before = cpu_seconds(), time.perf_counter(), writers.written
                busy = wrk_run(port, mix, args.clients, args.seconds, script)
                busy_used = cpu_by_kind(before, cpu_seconds())
                busy_cpu = cpu_line(busy_used, time.perf_counter() - started, busy["rate"] * args.seconds)
                # The same work for every change: its CPU tells the machine's speed during this very run.
                writes_made = writers.written - written_before
                cpu_per_change = busy_used.get(WRITERS, 0.0) / max(writes_made, 1)
                speeds["paced"] = cpu_reference(short=True)
                paced = wrk_run(port, mix, args.clients, args.seconds, script, think_ms=THINK_MS)
        print(f"\n4. Dashboards, {areas} different areas (nation, provinces, kabupaten/kota, kecamatan), national and "
              f"province officers, {args.clients} connections (wrk), gunicorn per config/gunicorn.conf.py"
              + (f"; DIAGNOSTIC: a changed page's previous drawing served for up to {args.refresh_floor} s"
                 if args.refresh_floor is not None else "")
              + (f"; busy pages drawn again at most every {args.busy_refresh_floor} s "
                 "(DASHBOARD_BUSY_REFRESH_FLOOR_SECONDS, if longer than the floor)"
                 if args.busy_refresh_floor is not None else "")
              + (f"; measured after {args.pre_roll} s of the same load and writes" if args.pre_roll else ""))
        print(f"   with {WRITES_PER_SECOND} writes/s ({len(writers.latencies)} changes, visible p95 "
              f"{ms(percentile(writers.latencies, 0.95))}): client p50 {ms(busy['p50'])}, p95 {ms(busy['p95'])}, "
              f"p99 {ms(busy['p99'])}, {busy['rate']:.0f} pages/s, {busy['errors']} errors; CPU reference before: "
              f"{speeds['busy']}")
        print(f"     where the {os.cpu_count()} cores went meanwhile: {busy_cpu}")
        print(f"     the writers' CPU per change ({writes_made} changes meanwhile), the same work in every run: "
              f"{ms(cpu_per_change)} (the machine's speed during the run itself: higher is slower)")
        print(f"   the same, each connection pausing {THINK_MS // 2}–{THINK_MS * 3 // 2} ms between pages (for "
              f"reference, below saturation): client p50 {ms(paced['p50'])}, p95 {ms(paced['p95'])}, "
              f"p99 {ms(paced['p99'])}, {paced['rate']:.0f} pages/s, {paced['errors']} errors; CPU reference "
              f"before: {speeds['paced']}")
        print(f"   saturation (no writes): client p50 {ms(quiet['p50'])}, p95 {ms(quiet['p95'])}, "
              f"p99 {ms(quiet['p99'])}, {quiet['rate']:.0f} pages/s, {quiet['errors']} errors; CPU reference "
              f"before: {speeds['quiet']}")
        print(f"     where the {os.cpu_count()} cores went meanwhile: {quiet_cpu}")
        print("   goals: client p95 < 150 ms with 20 writes/s; ≥ 300 pages/s saturation", flush=True)
    rollup_reconcile(snapshot=False)  # the changes made above, settled
    print(f"\nLoad at end: {load_averages()}\n{cpu_reference()}")
    print(f"Login for this dataset: {BENCH_EMAIL} / {BENCH_PASSWORD}, authenticator secret {BENCH_TOTP_SECRET}")


if __name__ == "__main__":
    main()
