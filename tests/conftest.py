"""
Shared fixtures. The suite runs against the real PostgreSQL and Redis of this machine.

The official region list (91,599 rows) is loaded once into the test database. Transactional
tests (browser, real Celery worker) flush the database afterwards, so they reload it on entry.
"""

import os
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from rest_framework.test import APIClient

from accounts.models import RoleAssignment
from accounts.models import User
from accounts.roles import Role
from config.celery_app import app as celery_app
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


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("load_wilayah", verbosity=0)


@pytest.fixture
def committed_regions(transactional_db):
    """For transactional tests: make sure the region tree is there after earlier flushes."""
    if not Region.objects.filter(code=PATI).exists():
        region_import()


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
def api_client():
    return APIClient()


def api_as(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


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
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = False
    try:
        yield celery_worker_queue
    finally:
        celery_app.conf.task_always_eager = previous


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
