"""
Shared fixtures. The suite runs against the real PostgreSQL and Redis of this machine.

The official region list (91,599 rows) is loaded once into the test database. Transactional
tests (browser, real Celery worker) flush the database afterwards, so they reload it on entry.
"""

import io
import os
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from PIL import Image
from rest_framework.test import APIClient

from accounts.models import RoleAssignment
from accounts.models import User
from config.celery_app import app as celery_app
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


def make_user(role: str, region: str | None = None, *, email: str | None = None, **extra) -> User:
    user = User.objects.create_user(
        email=email or f"{role}-{uuid.uuid4().hex[:8]}@test.kopdes.id",
        password=PASSWORD,
        full_name=extra.pop("full_name", f"{role.replace('_', ' ').title()} {region or ''}".strip()),
        **extra,
    )
    RoleAssignment.objects.create(user=user, role=role, region_id=region)
    return user


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
    "npwp": {"npwp": "01.234.567.8-901.000"},
    "nib": {"nib": "9120301234567"},
    "rekening_bank": {"bank_name": "Bank Jateng", "bank_account_number": "1-234-56789-0",
                      "bank_account_name": "KDMP Prawoto"},
    "simkopdes": {"simkopdes_account": "KDMP-3318012001"},
    "operasional": {"operational_since": "2025-09-01"},
}


def submit_stage(actor, cooperative, code: str, data: dict | None = None):
    """Submit a stage with its required documents and the sample data above."""
    from koperasi.services import stage_submit

    progress = cooperative.stages.get(stage__code=code)
    documents = [(doc.code, pdf_upload(f"{doc.code}.pdf")) for doc in progress.stage.required_documents.all()]
    return stage_submit(actor=actor, progress=progress, data=STAGE_DATA[code] if data is None else data,
                        documents=documents)


def complete_stage(submitter, verifier, cooperative, code: str):
    from koperasi.services import stage_verify

    return stage_verify(actor=verifier, progress=submit_stage(submitter, cooperative, code))


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
    """An API token of the user, for tests that send ``Authorization: Token …`` themselves."""
    from rest_framework.authtoken.models import Token

    return Token.objects.get_or_create(user=user)[0].key


# SECTION: real Celery worker


@pytest.fixture(scope="session")
def celery_worker_queue(django_db_setup, django_db_blocker):
    """
    Start a real ``celery worker`` process on the test database and the real Redis, listening on
    a queue of its own so that no other worker on the machine can take the test's tasks.
    """
    queue = f"test-{uuid.uuid4().hex[:10]}"
    db = connection.settings_dict
    database_url = f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test", "DATABASE_URL": database_url,
           "REDIS_URL": settings.REDIS_URL}
    log = open(BASE_DIR / ".test-worker.log", "w")  # noqa: SIM115 - closed at teardown
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=solo", "-Q", queue,
         "--without-gossip", "--without-mingle", "--without-heartbeat", "--loglevel=INFO", "-n", f"{queue}@%h"],
        cwd=BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if process.poll() is not None:
                pytest.fail(f"The Celery worker exited at start; see {log.name}")
            replies = celery_app.control.ping(destination=[f"{queue}@{os.uname().nodename}"], timeout=1)
            if replies:
                break
        else:
            pytest.fail(f"The Celery worker did not answer within 60 s; see {log.name}")
        yield queue
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


@pytest.fixture
def real_worker(celery_worker_queue):
    """Send tasks to the real worker instead of running them inline, for one test."""
    previous = celery_app.conf.task_always_eager, celery_app.conf.task_default_queue
    celery_app.conf.task_always_eager = False
    celery_app.conf.task_default_queue = celery_worker_queue  # tasks sent by the code under test go there too
    try:
        yield celery_worker_queue
    finally:
        celery_app.conf.task_always_eager, celery_app.conf.task_default_queue = previous


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


@pytest.fixture
def page(chromium, live_server, committed_regions):
    context = chromium.new_context(viewport={"width": 390, "height": 844}, locale="en-US")
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.base_url = live_server.url
    yield page
    context.close()


def browser_login(page, email: str, password: str = PASSWORD) -> None:
    page.goto(page.base_url + "/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", password)
    page.click("form[action$='/accounts/login/'] button[type=submit]")
    page.wait_for_load_state("domcontentloaded")


AXE_SCRIPT = BASE_DIR / "tests" / "browser" / "vendor" / "axe-core" / "axe.min.js"
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def assert_accessible(page) -> None:
    """The page as it stands passes axe-core's WCAG 2.1 A and AA rules (the vendored copy, no network)."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE_SCRIPT))
    violations = page.evaluate(
        "async (tags) => (await axe.run(document, {runOnly: {type: 'tag', values: tags}})).violations"
        ".map(v => ({id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 3).map(n => n.target)}))",
        WCAG_21_AA,
    )
    assert violations == [], f"{page.url}: {violations}"


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
