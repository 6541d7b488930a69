"""An export asked for while the broker (Redis) is down waits in the outbox instead of answering 500."""

import uuid

import pytest
from django.test import Client

from core.models import OutboxTask
from core.roles import Role
from reports.models import ExportJob
from tests.conftest import PATI
from tests.conftest import make_user
from tests.conftest import tasks_sent_to

pytestmark = [pytest.mark.worker]


def test_an_export_asked_for_with_the_broker_down_is_kept_for_later(committed_regions, private_redis):
    officer = make_user(Role.KABUPATEN_OFFICER, PATI)
    with tasks_sent_to(f"test-export-{uuid.uuid4().hex[:8]}"):
        private_redis.stop()
        browser = Client()
        browser.force_login(officer)
        response = browser.post(f"/dasbor/{PATI}/ekspor/", {"kind": "children", "fmt": "csv"})
        job = ExportJob.objects.get()
        assert response.status_code == 302 and response["Location"] == f"/ekspor/{job.pk}/"
        assert browser.get(response["Location"]).status_code == 200  # its page says it is waiting
        waiting = OutboxTask.objects.get()
        assert (waiting.task, waiting.args) == ("reports.tasks.export_build", [str(job.pk), "id"])
