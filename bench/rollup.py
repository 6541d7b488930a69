"""
National-scale benchmark of the roll-up and the dashboards, on PostgreSQL. Prints figures; checks nothing.

    make bench                                   # generate the national dataset if needed, then measure
    BENCH_DATABASE=kopdes_bench .venv/bin/python bench/rollup.py [--generate] [--members 1000000]

It measures:
1. the full roll-up (reconcile) against the floor: one plain GROUPING SETS query over the same tables;
2. incremental latency: a unit change committed → visible in the national row, through a real Celery
   worker on Redis, p50/p95 over --changes changes, and the time the change queueing adds to the save;
3. dashboard server time under --clients concurrent clients (gunicorn, production settings) for the
   national, one province and one kabupaten page, p50/p95; with the per-scope content cache (the
   default) and without it;
4. SQL queries and database time per page;
5. the same dashboard figures computed live from the base tables, as a ratio to the roll-up page.
"""

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from http.client import HTTPConnection
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))

DATABASE = os.environ.get("BENCH_DATABASE", "kopdes_bench")
ENV = {
    "DJANGO_SETTINGS_MODULE": "config.settings.production",
    "DATABASE_URL": os.environ.get("DATABASE_URL", f"postgres://postgres@127.0.0.1:5432/{DATABASE}"),
    "REDIS_URL": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/14"),
    "SECRET_KEY": "benchmark-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
    "ALLOWED_HOSTS": "127.0.0.1,localhost",
    "SECURE_SSL_REDIRECT": "false",
    "CELERY_TASK_ALWAYS_EAGER": "false",
    "LOG_LEVEL": "WARNING",
}
os.environ.update(ENV)
# Production settings serve hashed static files: collect them once, for the in-process pages and gunicorn.
STATIC_ROOT = tempfile.mkdtemp(prefix="kopdes-bench-static-")
os.environ["STATIC_ROOT"] = STATIC_ROOT
PAGES = {"national": "/dasbor/", "province": "/dasbor/33/", "kabupaten": "/dasbor/33.18/"}

FLOOR_SQL = """
SELECT count(*) FROM (
  SELECT substr(c.village_id, 1, 2) p, substr(c.village_id, 1, 5) r, substr(c.village_id, 1, 8) d, c.village_id v,
         c.stage_reached_id, NULL::bigint AS unit_type_id, NULL::varchar AS status, count(*)
  FROM koperasi_cooperative c
  GROUP BY GROUPING SETS ((substr(c.village_id, 1, 2), c.stage_reached_id),
                          (substr(c.village_id, 1, 5), c.stage_reached_id),
                          (substr(c.village_id, 1, 8), c.stage_reached_id), (c.village_id, c.stage_reached_id))
  UNION ALL
  SELECT substr(c.village_id, 1, 2), substr(c.village_id, 1, 5), substr(c.village_id, 1, 8), c.village_id,
         NULL, u.unit_type_id, u.status, count(*)
  FROM units_unit u JOIN koperasi_cooperative c ON c.id = u.cooperative_id
  GROUP BY GROUPING SETS ((substr(c.village_id, 1, 2), u.unit_type_id, u.status),
                          (substr(c.village_id, 1, 5), u.unit_type_id, u.status),
                          (substr(c.village_id, 1, 8), u.unit_type_id, u.status),
                          (c.village_id, u.unit_type_id, u.status))
) grouped
"""


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def setup_django():
    import django

    django.setup()


def ensure_database(generate: bool, members: int) -> None:
    exists = subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-tAc",
                             f"SELECT 1 FROM pg_database WHERE datname = '{DATABASE}'"],
                            capture_output=True, text=True).stdout.strip() == "1"
    if not exists:
        subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-c", f"CREATE DATABASE {DATABASE}"], check=True)
    setup_django()
    from django.core.management import call_command

    from koperasi.models import Cooperative

    call_command("migrate", verbosity=0)
    call_command("load_wilayah", verbosity=0)
    if generate or not Cooperative.objects.exists():
        print(f"Generating the national dataset ({members:,} members)…", flush=True)
        started = time.perf_counter()
        call_command("generate_national", members=members, wipe=Cooperative.objects.exists(), verbosity=0)
        print(f"  generated in {time.perf_counter() - started:.0f} s", flush=True)


def bench_full_rollup(runs: int) -> dict:
    from django.db import connection

    from reports.services import rollup_reconcile

    full, floor = [], []
    for _run in range(runs):
        started = time.perf_counter()
        rollup_reconcile(snapshot=False)
        full.append(time.perf_counter() - started)
        with connection.cursor() as cursor:
            started = time.perf_counter()
            cursor.execute(FLOOR_SQL)
            cursor.fetchall()
            floor.append(time.perf_counter() - started)
    return {"full": statistics.median(full), "floor": statistics.median(floor)}


class Worker:
    """A real Celery worker on its own queue, as in production (prefork would also do; solo is simplest)."""

    def __init__(self):
        self.queue = f"bench-{uuid.uuid4().hex[:8]}"
        self.process = None

    def __enter__(self):
        from config.celery_app import app

        self.process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=solo", "-Q", self.queue,
             "--without-gossip", "--without-mingle", "--without-heartbeat", "--loglevel=WARNING",
             "-n", f"{self.queue}@%h"],
            cwd=BASE_DIR, env=os.environ.copy(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if app.control.ping(destination=[f"{self.queue}@{os.uname().nodename}"], timeout=1):
                break
        else:
            raise RuntimeError("The Celery worker did not start")
        app.conf.task_always_eager = False
        app.conf.task_default_queue = self.queue
        return self

    def __exit__(self, *exc):
        self.process.terminate()
        self.process.wait(timeout=30)


def bench_incremental(changes: int) -> dict:
    from django.db import connection

    import core.changes
    from accounts.models import User
    from koperasi.models import Cooperative
    from units.services import unit_update

    admin = User.objects.filter(is_superuser=True).first() or User.objects.create_superuser(
        email=f"bench-{uuid.uuid4().hex[:6]}@bench.invalid", password=None, full_name="Benchmark")
    units = list(
        Cooperative.objects.filter(units__unit_type__code="kantor", units__status="rencana")
        .values_list("units__id", flat=True).order_by("?")[:changes]
    )
    from units.models import Unit

    queue_times: list[float] = []
    original = core.changes._queue

    def timed_queue(codes):
        started = time.perf_counter()
        original(codes)
        queue_times.append(time.perf_counter() - started)

    core.changes._queue = timed_queue

    def national() -> int:
        with connection.cursor() as cursor:
            cursor.execute("SELECT unit_kantor_lahan_tersedia FROM reports_regionrollup WHERE code = 'ID'")
            return cursor.fetchone()[0]

    latencies, saves = [], []
    try:
        with Worker():
            baseline = national()
            for index, unit_id in enumerate(units, start=1):
                unit = Unit.objects.get(pk=unit_id)
                started = time.perf_counter()
                unit_update(actor=admin, unit=unit, status="lahan_tersedia", land_progress=100)
                committed = time.perf_counter()
                saves.append(committed - started)
                while national() < baseline + index:
                    if time.perf_counter() - committed > 30:
                        raise RuntimeError("A change did not reach the national roll-up within 30 s")
                    time.sleep(0.002)
                latencies.append(time.perf_counter() - committed)
    finally:
        core.changes._queue = original
    return {"latencies": latencies, "saves": saves, "queue": queue_times}


def bench_pages_in_process() -> dict:
    """Queries and database time per page, with the content cache off (the worst case) and on."""
    from allauth.mfa.totp.internal.auth import generate_totp_secret
    from django.conf import settings
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from accounts.models import User
    from accounts.selectors import user_mfa_state
    from accounts.services import user_totp_activate

    admin = User.objects.filter(is_superuser=True).first()
    if not user_mfa_state(admin)[1]:
        # Production settings send a superuser without two-factor authentication to its activation page.
        user_totp_activate(user=admin, secret=generate_totp_secret())
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(admin)
    results = {}
    for cached in (False, True):
        settings.DASHBOARD_CACHE_SECONDS = 60 if cached else 0
        cache.clear()
        for name, url in PAGES.items():
            client.get(url)
            times, db_times, counts = [], [], []
            for _run in range(10):
                with CaptureQueriesContext(connection) as queries:
                    started = time.perf_counter()
                    response = client.get(url)
                    times.append(time.perf_counter() - started)
                assert response.status_code == 200, (url, response.status_code)
                db_times.append(sum(float(query["time"]) for query in queries.captured_queries))
                counts.append(len(queries))
            results[(name, cached)] = {"time": statistics.median(times), "db": statistics.median(db_times),
                                       "queries": max(counts)}
    return results, client.cookies["sessionid"].value


def bench_live() -> dict:
    """The same figures computed from the base tables for each page (what a dashboard without roll-ups does)."""
    from django.db import connection
    from django.utils import timezone

    from reports.metrics import METRIC_COLUMNS
    from reports.services import _time_windows
    from reports.sql import village_facts
    from wilayah.models import Region

    live = {}
    for name, url in PAGES.items():
        code = url.strip("/").split("/")[-1] if url.count("/") > 2 else None
        codes = list(Region.objects.subtree(code).villages().values_list("code", flat=True)) if code else None
        child_length = {None: 2, 2: 5, 5: 8}[len(code) if code else None]
        facts = village_facts(codes=codes, **_time_windows(timezone.now()))
        sums = ", ".join(f"SUM({column})" for column in METRIC_COLUMNS)
        sql = (f"{facts.sql} SELECT substr(code, 1, {child_length}), {sums} FROM village "
               f"GROUP BY ROLLUP(substr(code, 1, {child_length}))")
        times = []
        for _run in range(3):
            with connection.cursor() as cursor:
                started = time.perf_counter()
                cursor.execute(sql, facts.params)
                cursor.fetchall()
                times.append(time.perf_counter() - started)
        live[name] = statistics.median(times)
    return live


WRK_SCRIPT = """
done = function(summary, latency, requests)
  local errors = summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.timeout
  io.write(string.format("RESULT %d %d %.3f %.3f %d\\n", summary.requests, errors,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, summary.duration))
end
"""


def _serve(cached: bool, access_log: Path):
    env = {**os.environ, "DASHBOARD_CACHE_SECONDS": "60" if cached else "0"}
    port = int(os.environ.get("BENCH_PORT", "18765"))  # parallel runs on one machine each take their own port
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "config.wsgi:application", "--bind", f"127.0.0.1:{port}",
         "--workers", "4", "--worker-class", "gthread", "--threads", "4", "--log-level", "warning",
         # %(L)s: the time the worker spent on the request, from reading it to sending the response.
         "--access-logfile", str(access_log), "--access-logformat", "%(U)s %(s)s %(L)s"],
        cwd=BASE_DIR, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            connection = HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", "/accounts/login/")
            connection.getresponse().read()
            break
        except OSError:
            time.sleep(0.2)
    return server, port


def _server_times(access_log: Path, path: str, since: int) -> list[float]:
    lines = access_log.read_text().splitlines()[since:]
    return [float(line.split()[2]) for line in lines if line.startswith(path + " ") and line.split()[1] == "200"]


def bench_concurrent(session: str, clients: int, seconds: int, cached: bool) -> dict:
    """
    Each page on its own for ``seconds`` with ``clients`` open connections (wrk, a C load generator):
    the server time from gunicorn's access log, and the latency the clients saw (including queueing).
    """
    wrk = shutil.which("wrk")
    if wrk is None:
        raise RuntimeError("wrk is needed for the load test: apt-get install wrk")
    access_log = Path(tempfile.mkstemp(suffix=".log")[1])
    server, port = _serve(cached, access_log)
    script = Path(tempfile.mkstemp(suffix=".lua")[1])
    script.write_text(WRK_SCRIPT)
    results = {}
    try:
        for name, path in PAGES.items():
            # A short warm-up fills the workers' caches, as a running portal's are.
            command = [wrk, "-t2", f"-c{clients}", "--timeout", "20s", "-s", str(script),
                       "-H", f"Cookie: sessionid={session}",
                       "-H", "X-Forwarded-Proto: https", f"http://127.0.0.1:{port}{path}"]
            subprocess.run([*command[:1], "-d2s", *command[1:]], capture_output=True, check=True)
            logged = len(access_log.read_text().splitlines())
            output = subprocess.run([*command[:1], f"-d{seconds}s", *command[1:]], capture_output=True, text=True,
                                    check=True).stdout
            line = next(line for line in output.splitlines() if line.startswith("RESULT"))
            count, errors, p50, p95, duration = line.split()[1:]
            if int(errors):
                raise RuntimeError(f"{errors} failed requests on {path}")
            time.sleep(1)  # let the workers flush their access log
            server_times = _server_times(access_log, path, logged)
            results[name] = {"p50": float(p50) / 1000, "p95": float(p95) / 1000,
                             "rate": int(count) / (int(duration) / 1e6),
                             "server_p50": statistics.median(server_times),
                             "server_p95": percentile(server_times, 0.95)}
    finally:
        script.unlink()
        access_log.unlink()
        server.terminate()
        server.wait(timeout=30)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--generate", action="store_true", help="(re)generate the national dataset first")
    parser.add_argument("--members", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--changes", type=int, default=60)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=15, help="load-test duration per page")
    args = parser.parse_args()

    subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=BASE_DIR, check=True)
    try:
        run(args)
    finally:
        shutil.rmtree(STATIC_ROOT, ignore_errors=True)


def run(args) -> None:
    ensure_database(args.generate, args.members)
    from django.db import connection

    from koperasi.models import Cooperative
    from members.models import Member
    from reports.services import rollup_reconcile
    from reports.services import snapshot_backfill
    from units.models import Unit

    with connection.cursor() as cursor:
        cursor.execute("SELECT version()")
        version = cursor.fetchone()[0].split(" on ")[0]
    print(f"\nDataset: {Cooperative.objects.count():,} cooperatives, {Unit.objects.count():,} units, "
          f"{Member.objects.count():,} members — {version}, {os.cpu_count()} CPU cores\n", flush=True)

    rollup_reconcile()
    from django.utils import timezone

    today = timezone.localdate()
    started = time.perf_counter()
    snapshot_backfill(today - timezone.timedelta(days=14), today - timezone.timedelta(days=14))
    print(f"Snapshot of one past day rebuilt from dated records: {time.perf_counter() - started:.1f} s")

    full = bench_full_rollup(args.runs)
    print(f"\n1. Full roll-up (median of {args.runs})")
    print(f"   reconcile (rebuild every row):     {full['full']:.2f} s")
    print(f"   floor (one GROUPING SETS query):   {full['floor']:.2f} s")
    print(f"   ratio:                             {full['full'] / full['floor']:.2f}×", flush=True)

    incremental = bench_incremental(args.changes)
    lat, saves, queue = incremental["latencies"], incremental["saves"], incremental["queue"]
    print(f"\n2. Incremental, {len(lat)} changes through a real worker (change committed → national row)")
    print(f"   latency p50 {ms(statistics.median(lat))}, p95 {ms(percentile(lat, 0.95))}, max {ms(max(lat))}")
    print(f"   the save itself: p50 {ms(statistics.median(saves))}; of which queueing the refresh "
          f"p50 {ms(statistics.median(queue))}, p95 {ms(percentile(queue, 0.95))}", flush=True)

    rollup_reconcile()
    in_process, session = bench_pages_in_process()
    live = bench_live()
    print("\n3. Dashboard pages, one client (in process)")
    print("   page        queries  DB time  server time (no cache)  server time (cached)  live figures  ratio")
    for name in PAGES:
        cold, warm = in_process[(name, False)], in_process[(name, True)]
        print(f"   {name:<10}  {cold['queries']:>7}  {ms(cold['db']):>8}  {ms(cold['time']):>22}  "
              f"{ms(warm['time']):>20}  {ms(live[name]):>12}  {live[name] / cold['time']:>5.1f}×")
    print("   (ratio: the figures computed live from the base tables ÷ the whole roll-up page, uncached)",
          flush=True)

    for cached in (True, False):
        result = bench_concurrent(session, args.clients, args.seconds, cached)
        label = "with the content cache" if cached else "content cache off"
        print(f"\n4. {args.clients} concurrent connections (wrk), gunicorn 4 workers × 4 threads, {label}")
        print("   page        server time p50/p95    client latency p50/p95   throughput")
        for name, figures in result.items():
            print(f"   {name:<10}  {ms(figures['server_p50']):>9} / {ms(figures['server_p95']):>9}  "
                  f"{ms(figures['p50']):>9} / {ms(figures['p95']):>9}  {figures['rate']:>6.0f} pages/s")


if __name__ == "__main__":
    main()
