"""
Shared fixtures. The suite runs against the real PostgreSQL and Redis of this machine.

The official region list (91,599 rows) is loaded once into the test database. Transactional
tests (browser, real Celery worker) flush the database afterwards, so they reload it on entry.
"""

import base64
import contextlib
import hashlib
import hmac
import io
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import redis
from allauth.account.models import EmailAddress
from celery.result import allow_join_result
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from PIL import Image
from rest_framework.test import APIClient

from accounts.models import RoleAssignment
from accounts.models import User
from accounts.selectors import mfa_required_roles
from accounts.services import api_token_issue
from accounts.services import user_totp_activate
from config.celery_app import app as celery_app
from core import cache as resilient_cache
from core import changes
from core.roles import Role
from koperasi.catalog import formation_catalog_ensure
from units.catalog import unit_catalog_ensure
from wilayah.models import Region
from wilayah.services import region_import

# Playwright's sync API runs an event loop in this thread; Django must still allow ORM calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

BASE_DIR = Path(__file__).resolve().parent.parent
PASSWORD = "a-Long-test-passw0rd"

PATI = "33.18"
SUKOLILO = "33.18.01"
PRAWOTO = "33.18.01.2001"
PAKEM = "33.18.01.2002"
BLITAR = "35.05"
JATEN = "35.05.01.2001"  # a desa in Kabupaten Blitar, outside Pati


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("load_wilayah", verbosity=0)
        # The catalogues come from data migrations; with --reuse-db an earlier transactional test may
        # have flushed them.
        formation_catalog_ensure()
        unit_catalog_ensure()


@pytest.fixture
def committed_regions(transactional_db):
    """For transactional tests: the region tree and catalogues, which earlier flushes may have emptied."""
    if not Region.objects.filter(code=PATI).exists():
        region_import()
    formation_catalog_ensure()
    unit_catalog_ensure()


# SECTION: two-factor authentication
# Officers must use an authenticator app (settings.MFA_REQUIRED_ROLES); test officers have one with this
# secret, and the tests compute its codes the way a phone does (RFC 6238), independently of allauth.
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def totp_code(secret: str = TOTP_SECRET, *, steps_ahead: int = 0) -> str:
    """The 6-digit TOTP code of ``secret`` now (HMAC-SHA1, 30-second steps), or ``steps_ahead`` steps on."""
    counter = int(time.time()) // 30 + steps_ahead
    digest = hmac.new(base64.b32decode(secret, casefold=True), counter.to_bytes(8, "big"), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    return f"{int.from_bytes(digest[offset:offset + 4], 'big') & 0x7FFFFFFF:010d}"[-6:]


def fresh_totp_codes(secret: str = TOTP_SECRET) -> list[str]:
    """
    Codes the portal accepts now, the current one first. A code works once, so a test that signs the same
    person in twice within 30 seconds uses the next one (the portal allows one step of clock drift).
    """
    return [totp_code(secret), totp_code(secret, steps_ahead=1), totp_code(secret, steps_ahead=-1)]


def make_user(role: str, region: str | None = None, *, email: str | None = None, mfa: bool | None = None,
              **extra) -> User:
    """
    A user with one role and a verified sign-in address. ``mfa``: activate the authenticator app
    (``TOTP_SECRET``); by default exactly for the roles that require it, so that officers can work.
    """
    user = User.objects.create_user(
        email=email or f"{role}-{uuid.uuid4().hex[:8]}@test.kopdes.id",
        password=PASSWORD,
        full_name=extra.pop("full_name", f"{role.replace('_', ' ').title()} {region or ''}".strip()),
        **extra,
    )
    EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=True)
    RoleAssignment.objects.create(user=user, role=role, region_id=region)
    if mfa is None:
        mfa = role in mfa_required_roles()
    if mfa:
        user_totp_activate(user=user, secret=TOTP_SECRET)
    return user


def client_login(client, user, password: str = PASSWORD):
    """Sign in through the sign-in page, with the authenticator code when it is asked for; the last response."""
    response = client.post("/accounts/login/", {"login": user.email, "password": password})
    if response.status_code == 302 and response["Location"] == "/accounts/2fa/authenticate/":
        for code in fresh_totp_codes():
            response = client.post("/accounts/2fa/authenticate/", {"code": code})
            if response.status_code == 302:
                break
    return response


@pytest.fixture
def national_admin(db):
    return make_user(Role.NATIONAL_ADMIN)


@pytest.fixture
def pati_officer(db):
    return make_user(Role.KABUPATEN_OFFICER, PATI)


@pytest.fixture
def sukolilo_officer(db):
    return make_user(Role.KECAMATAN_OFFICER, SUKOLILO)


@pytest.fixture
def village_staff(db):
    return make_user(Role.VILLAGE_STAFF, PRAWOTO)


@pytest.fixture
def kabupaten_officer_2(db):
    """A second Pati officer: a stage is verified by someone other than its submitter."""
    return make_user(Role.KABUPATEN_OFFICER, PATI)


def pdf_upload(name: str = "berita-acara.pdf", size: int = 0) -> SimpleUploadedFile:
    body = b"%PDF-1.4\n1 0 obj<< /Type /Catalog >>endobj\n" + b"0" * size + b"\ntrailer<<>>\n%%EOF\n"
    return SimpleUploadedFile(name, body, content_type="application/pdf")


def png_upload(name: str = "foto.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def register(actor, village: str = PRAWOTO, **kwargs):
    from koperasi.services import cooperative_register

    return cooperative_register(actor=actor, village_code=village, **kwargs)


STAGE_DATA = {
    "sosialisasi": {"held_on": "2025-04-10"},
    "musdesus": {"held_on": "2025-05-20", "participants": 120},
    "rapat_pendirian": {"held_on": "2025-05-28"},
    "akta_notaris": {"notary_name": "Notaris Siti, S.H., M.Kn.", "deed_number": "12", "deed_date": "2025-06-05"},
    "sk_ahu": {"sk_ahu_number": "AHU-0036770.AH.01.29.TAHUN 2025", "sk_ahu_date": "2025-06-20"},
    "npwp": {"npwp": "01.234.567.8-901.000", "npwp_registered_on": "2025-07-01"},
    "nib": {"nib": "9120301234567", "nib_issued_on": "2025-07-08"},
    "rekening_bank": {"bank_name": "Bank Jateng", "bank_account_number": "1-234-56789-0",
                      "bank_account_name": "KDMP Prawoto", "account_opened_on": "2025-07-15"},
    "simkopdes": {"simkopdes_account": "KDMP-3318012001", "simkopdes_registered_on": "2025-07-22"},
    "operasional": {"operational_since": "2025-09-01"},
}


# The legal identifiers a verified stage copies onto its cooperative must be unique across cooperatives.
_IDENTIFIERS = {"sk_ahu_number": "AHU-{n:07d}.AH.01.29.TAHUN 2025", "npwp": "0{m:015d}", "nib": "{k:013d}",
                "bank_account_number": "{m:015d}", "simkopdes_account": "KDMP-UJI-{n}"}


def unique_stage_data(code: str, number: int) -> dict:
    """``STAGE_DATA`` of a stage with identifiers of its own (``number``: e.g. the cooperative's id)."""
    data = dict(STAGE_DATA[code])
    for key in data.keys() & _IDENTIFIERS.keys():
        data[key] = _IDENTIFIERS[key].format(n=number, m=810_000_000_000_000 + number, k=9_120_000_000_000 + number)
    return data


def submit_stage(actor, cooperative, code: str, data: dict | None = None):
    """Submit a stage with its required documents and the sample data above."""
    from koperasi.services import stage_submit

    progress = cooperative.stages.get(stage__code=code)
    documents = [(doc.code, pdf_upload(f"{doc.code}.pdf")) for doc in progress.stage.required_documents.all()]
    return stage_submit(actor=actor, progress=progress, data=STAGE_DATA[code] if data is None else data,
                        documents=documents)


def complete_stage(submitter, verifier, cooperative, code: str, data: dict | None = None):
    """Submit and verify a stage; it is completed on its documents' date (``STAGE_DATA``, in 2025, by default)."""
    from koperasi.services import stage_verify

    return stage_verify(actor=verifier, progress=submit_stage(submitter, cooperative, code, data))


def sample_nik(sequence: int, *, female: bool = False, kecamatan: str = "3318 01") -> str:
    """A well-formed NIK registered in Kec. Sukolilo, Pati; born 15 Aug 1985."""
    day = 15 + (40 if female else 0)
    return f"{kecamatan.replace(' ', '')}{day:02d}0885{sequence:04d}"


def seed_board(actor, cooperative, *, founders: int = 9):
    """Founding members, a kepala desa as ketua pengawas and the five required pengurus."""
    from members.models import PositionRole
    from members.services import member_add
    from members.services import position_assign

    people = [
        member_add(actor=actor, cooperative=cooperative, nik=sample_nik(i + 1), name=f"Anggota {i + 1}", sex="L",
                   domicile_code=cooperative.village_id, is_founder=True)[0]
        for i in range(founders)
    ]
    kades = member_add(actor=actor, cooperative=cooperative, nik=sample_nik(90), name="Kepala Desa", sex="L",
                       domicile_code=cooperative.village_id, village_office="kepala_desa")[0]
    for member, role in zip(people, [PositionRole.KETUA, PositionRole.WAKIL_KETUA_USAHA,
                                     PositionRole.WAKIL_KETUA_KEANGGOTAAN, PositionRole.SEKRETARIS,
                                     PositionRole.BENDAHARA], strict=False):
        position_assign(actor=actor, cooperative=cooperative, member=member, role=role)
    position_assign(actor=actor, cooperative=cooperative, member=kades, role=PositionRole.KETUA_PENGAWAS)
    return people, kades


@pytest.fixture
def director(db):
    """A federation director whose federation includes Prawoto: may see, may not change."""
    return make_user(Role.FEDERATION_DIRECTOR, PRAWOTO)


@pytest.fixture
def prawoto(village_staff):
    """Desa Prawoto's cooperative, registered by its village staff."""
    return register(village_staff)


@pytest.fixture
def jaten(db):
    """A cooperative in Kabupaten Blitar, outside the Pati officers' area."""
    return register(make_user(Role.KABUPATEN_OFFICER, BLITAR), JATEN)


@pytest.fixture
def api_client():
    return APIClient()


def api_as(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def token_for(user) -> str:
    """A new API token of the user, for tests that send ``Authorization: Token …`` themselves."""
    return api_token_issue(user=user)[1]


# SECTION: real Celery worker


def start_celery_worker(queue: str, *, redis_url: str, log_name: str = ".test-worker.log",
                        mail_dir: Path | None = None) -> subprocess.Popen:
    """
    Start a real ``celery worker`` process on the test database and the Redis at ``redis_url``,
    listening on ``queue`` only, so that no other worker on the machine can take the test's tasks.
    Its e-mails go to files in ``mail_dir`` if given. Returns once it answers a ping; the caller
    stops it (``stop_celery_worker``) or kills it.
    """
    db = connection.settings_dict
    database_url = f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test", "DATABASE_URL": database_url,
           "REDIS_URL": redis_url, "TEST_EMAIL_DIR": str(mail_dir or ""), "CELERY_TASK_ALWAYS_EAGER": "false",
           "CELERY_TASK_DEFAULT_QUEUE": queue}
    log = open(BASE_DIR / log_name, "w")  # noqa: SIM115 - the process keeps writing to it
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=solo", "-Q", queue,
         "--without-gossip", "--without-mingle", "--without-heartbeat", "--loglevel=INFO", "-n", f"{queue}@%h"],
        cwd=BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    log.close()  # the child has its own descriptor
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"The Celery worker exited at start; see {log_name}")
        if celery_app.control.ping(destination=[f"{queue}@{os.uname().nodename}"], timeout=1):
            return process
    process.kill()
    pytest.fail(f"The Celery worker did not answer within 60 s; see {log_name}")


def stop_celery_worker(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@pytest.fixture(scope="session")
def celery_worker_queue(django_db_setup, django_db_blocker):
    """A real worker on the suite's Redis, shared by the tests that use ``real_worker``."""
    queue = f"test-{uuid.uuid4().hex[:10]}"
    process = start_celery_worker(queue, redis_url=settings.REDIS_URL)
    try:
        yield queue
    finally:
        stop_celery_worker(process)


@contextlib.contextmanager
def tasks_sent_to(queue: str):
    """Tasks queued by the code under test go to ``queue`` (a real worker's) instead of running inline."""
    previous = celery_app.conf.task_always_eager, celery_app.conf.task_default_queue
    celery_app.conf.task_always_eager = False
    celery_app.conf.task_default_queue = queue
    try:
        yield queue
    finally:
        celery_app.conf.task_always_eager, celery_app.conf.task_default_queue = previous


@pytest.fixture
def real_worker(celery_worker_queue):
    """
    Send tasks to the real worker instead of running them inline, for one test, which may wait for their results.
    Celery's "inside a task, never wait for a result" flag is one per process, not per thread: two threads of an
    earlier test running inline tasks at once can leave it set (each restores what it found), and waiting for a
    result then fails with "Never call result.get() within a task!". Cleared for this test, as it is outside a task.
    """
    with tasks_sent_to(celery_worker_queue) as queue, allow_join_result():
        yield queue


# SECTION: a Redis of the test's own, to stop


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _point_celery_at(url: str) -> None:
    """Broker and results at ``url``; the connection pools built for the previous address are forgotten."""
    celery_app.conf.broker_url = celery_app.conf.result_backend = url
    celery_app._pool = None
    celery_app.amqp._producer_pool = None
    celery_app._backend_cache = None
    celery_app._local.__dict__.pop("backend", None)


def _forget_outages() -> None:
    """
    A process skips Redis for a few seconds after it failed (circuit breakers); after a restart the
    test does not wait for them.
    """
    for breaker in (changes._breaker, *resilient_cache._breakers.values()):
        breaker.reset()


class PrivateRedis:
    """A redis-server of the test's own, on a free port: the test may stop, restart or freeze it."""

    def __init__(self, directory: Path):
        self.directory, self.port = directory, _free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--dir", str(self.directory),
             "--save", "", "--appendonly", "no"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        client = redis.Redis.from_url(self.url, socket_timeout=1, socket_connect_timeout=1)
        deadline = time.monotonic() + 10
        while True:
            try:
                client.ping()
                break
            except redis.ConnectionError:
                if time.monotonic() > deadline:
                    pytest.fail(f"redis-server did not start on port {self.port}")
                time.sleep(0.05)
            finally:
                client.close()
        _forget_outages()

    def stop(self) -> None:
        """Redis goes away: connections are refused."""
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None

    def freeze(self) -> None:
        """Redis hangs: connections are accepted by the kernel but nothing answers."""
        self.process.send_signal(signal.SIGSTOP)

    def thaw(self) -> None:
        self.process.send_signal(signal.SIGCONT)

    def client(self) -> redis.Redis:
        return redis.Redis.from_url(self.url, socket_timeout=2, socket_connect_timeout=2)


@pytest.fixture
def private_redis(settings, tmp_path):
    """
    The portal in this process (cache, roll-up queue and lock, Celery broker and results) uses a
    redis-server of the test's own, which the test may stop; the shared Redis is never touched.
    """
    server = PrivateRedis(tmp_path)
    server.start()
    previous = settings.REDIS_URL
    settings.REDIS_URL = settings.CELERY_BROKER_URL = settings.CELERY_RESULT_BACKEND = server.url
    settings.CACHES = {"default": {**settings.CACHES["default"], "LOCATION": server.url}}
    _point_celery_at(server.url)
    changes.redis_client.cache_clear()
    try:
        yield server
    finally:
        if server.process is not None and server.process.poll() is None:
            server.thaw()
        server.stop()
        _point_celery_at(previous)
        changes.redis_client.cache_clear()
        _forget_outages()


# SECTION: browser


CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]


@pytest.fixture(scope="session")
def chromium():
    executable = shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(executable).exists():
        pytest.fail("Debian's chromium is not installed. `make test` installs it (apt-get install chromium).")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def watch_csp_violations(page) -> list[str]:
    """
    Collect what the Content-Security-Policy refused on ``page``, across navigations: Chromium's console
    lines ("Refused to …") and the page's securitypolicyviolation events.
    """
    violations = []
    page.on("console", lambda message: violations.append(message.text)
            if "Content Security Policy" in message.text or message.text.startswith("Refused to") else None)
    page.expose_function("__reportCspViolation", lambda line: violations.append(line))
    page.add_init_script(
        "document.addEventListener('securitypolicyviolation', (event) => window.__reportCspViolation("
        "`${event.violatedDirective} refused ${event.blockedURI || 'inline'} in "
        "${event.sourceFile || event.documentURI}:${event.lineNumber}`));"
    )
    return violations


@pytest.fixture
def page(chromium, live_server, committed_regions):
    context = chromium.new_context(viewport={"width": 390, "height": 844}, locale="en-US")
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.base_url = live_server.url
    # Every journey also checks that the Content-Security-Policy refused nothing the portal itself sent. The
    # policy holds for the test too: page.wait_for_function() polls with eval(), which it refuses; wait on a
    # locator instead.
    violations = watch_csp_violations(page)
    yield page
    context.close()
    assert violations == [], f"Content-Security-Policy violations: {violations}"


def browser_login(page, email: str, password: str = PASSWORD, totp_secret: str = TOTP_SECRET) -> None:
    """Sign in; when the portal asks for the authenticator code, type the one a phone would show."""
    page.goto(page.base_url + "/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", password)
    page.click("form[action$='/accounts/login/'] button[type=submit]")
    page.wait_for_load_state("domcontentloaded")
    for code in fresh_totp_codes(totp_secret):
        if not page.url.endswith("/accounts/2fa/authenticate/"):
            break
        page.fill("input[name=code]", code)
        page.click("form[action$='/accounts/2fa/authenticate/'] button[type=submit]")
        page.wait_for_load_state("domcontentloaded")


AXE_SCRIPT = BASE_DIR / "tests" / "browser" / "vendor" / "axe-core" / "axe.min.js"
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


AXE_URL_PATH = "/__test__/axe.min.js"


def assert_accessible(page) -> None:
    """The page as it stands passes axe-core's WCAG 2.1 A and AA rules (the vendored copy, no network)."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        # Loaded as a same-origin file answered by the test browser itself: the Content-Security-Policy
        # would refuse axe as an inline script, and the page must not need any exception for a test.
        if not getattr(page, "axe_routed", False):
            page.route(f"**{AXE_URL_PATH}", lambda route: route.fulfill(path=str(AXE_SCRIPT),
                                                                         content_type="text/javascript"))
            page.axe_routed = True
        origin = "{0.scheme}://{0.netloc}".format(urlsplit(page.url))
        page.add_script_tag(url=origin + AXE_URL_PATH)
    violations = page.evaluate(
        "async (tags) => (await axe.run(document, {runOnly: {type: 'tag', values: tags}})).violations"
        ".map(v => ({id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 3).map(n => n.target)}))",
        WCAG_21_AA,
    )
    assert violations == [], f"{page.url}: {violations}"


def fits_the_screen(page) -> bool:
    """
    The page scrolls no sideways at its viewport's width, measured once it has loaded: before its stylesheet
    applies, a table or photo is as wide as its content, which no user sees.
    """
    page.wait_for_load_state("load")
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def clear_test_cache() -> None:
    """
    Forget the suite's cached pages: only keys under the test settings' prefix, never the whole Redis
    database (a portal or another suite may share it).
    """
    from django.core.cache import cache

    client = cache._cache.get_client()
    pattern = f"{settings.CACHES['default']['KEY_PREFIX']}:*"
    for key in client.scan_iter(match=pattern, count=500):
        client.delete(key)


@pytest.fixture(scope="session", autouse=True)
def _forget_earlier_runs_cache():
    """
    Each run recreates the database, so user ids repeat: throttle counts and cached pages an earlier
    run left under the same ids must not leak into this one.
    """
    clear_test_cache()


def wait_for(predicate, timeout: float = 30.0) -> bool:
    """Poll ``predicate`` until it holds (True) or ``timeout`` seconds pass (False): for work a real worker does."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return False
