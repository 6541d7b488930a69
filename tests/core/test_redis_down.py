"""
Redis down: the portal keeps serving and loses nothing.

A redis-server of the test's own (cache, roll-up queue, Celery broker) is stopped in the middle of the
day's work, then started again; a real worker brings the roll-up up to date afterwards.
"""

import time
import uuid

import pytest
from django.test import Client
from rest_framework.test import APIClient

from core.models import DirtyVillage
from core.roles import Role
from core.tasks import requeue_dirty_villages
from reports.models import RegionRollup
from reports.selectors import _MEMO
from reports.services import rollup_reconcile
from tests.conftest import PASSWORD
from tests.conftest import PATI
from tests.conftest import PRAWOTO
from tests.conftest import fresh_totp_codes
from tests.conftest import make_user
from tests.conftest import start_celery_worker
from tests.conftest import stop_celery_worker
from tests.conftest import tasks_sent_to
from tests.conftest import wait_for

pytestmark = [pytest.mark.worker]


def _national_cooperatives() -> int:
    return RegionRollup.objects.filter(code="ID").values_list("cooperatives", flat=True).first() or 0



def _dashboard(browser):
    _MEMO.clear()  # the freshness line is re-read once a second; the test does not wait for it
    return browser.get(f"/dasbor/{PATI}/", HTTP_ACCEPT_LANGUAGE="en")


def test_with_redis_down_people_sign_in_work_and_no_change_is_lost(committed_regions, private_redis):
    officer = make_user(Role.KABUPATEN_OFFICER, PATI)
    province = make_user(Role.PROVINCE_OFFICER, "33")  # their home page shows their area's figures
    rollup_reconcile(snapshot=False)
    before = _national_cooperatives()
    queue = f"test-faults-{uuid.uuid4().hex[:8]}"

    with tasks_sent_to(queue):
        private_redis.stop()

        # Signing in, and every kind of signed-in page, each answered without waiting for Redis.
        started = time.monotonic()
        browser = Client()
        assert browser.get("/accounts/login/").status_code == 200
        signed_in = browser.post("/accounts/login/", {"login": officer.email, "password": PASSWORD})
        assert signed_in.status_code == 302 and signed_in.url == "/accounts/2fa/authenticate/"
        code = fresh_totp_codes()
        assert browser.post(signed_in.url, {"code": code[0]}).url == "/"  # the second factor too
        for path in ("/", f"/dasbor/{PATI}/", "/koperasi/", "/pengguna/", "/notifikasi/"):
            assert browser.get(path).status_code == 200, path
        assert time.monotonic() - started < 10

        # The API: a token, then a write that moves the roll-up.
        api = APIClient()
        issued = api.post("/api/auth/token/", {"email": officer.email, "password": PASSWORD, "otp": code[1]})
        assert issued.status_code == 200, issued.content
        api.credentials(HTTP_AUTHORIZATION=f"Token {issued.json()['token']}")
        assert api.get("/api/me/").status_code == 200
        registered = api.post("/api/cooperatives/", {"village": PRAWOTO}, format="json")
        assert registered.status_code == 201, registered.content

        # The refresh could not be queued: it is kept in PostgreSQL, and the dashboard says so.
        assert list(DirtyVillage.objects.values_list("code", flat=True)) == [PRAWOTO]
        assert _national_cooperatives() == before
        page = _dashboard(browser)
        assert page.status_code == 200 and page.context["freshness"].held == 1
        assert "Angka tertunda: 1 perubahan sejak" in page.content.decode()
        province_view = Client()
        province_view.force_login(province)
        home = province_view.get("/", HTTP_ACCEPT_LANGUAGE="en")
        assert home.status_code == 200 and "Angka tertunda: 1 perubahan sejak" in home.content.decode()

        # Redis is back: the minute's requeue job hands the change to a worker, which counts it.
        private_redis.start()
        worker = start_celery_worker(queue, redis_url=private_redis.url, log_name=".test-worker-faults.log")
        try:
            assert requeue_dirty_villages.apply().get() == 1
            assert wait_for(lambda: _national_cooperatives() == before + 1), "the change was never counted"
        finally:
            stop_celery_worker(worker)
        assert not DirtyVillage.objects.exists()
        assert wait_for(lambda: _dashboard(browser).context["freshness"].pending == 0, timeout=5)
        assert "Angka tertunda" not in _dashboard(browser).content.decode()
        assert "Angka tertunda" not in province_view.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
        assert RegionRollup.objects.get(code=PATI).cooperatives == 1
