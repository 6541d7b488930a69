"""An invitation made while the broker (Redis) is down: the account and its e-mail happen together."""

import time
import uuid
from datetime import timedelta

import pytest
from django.db.models import F
from django.test import Client

from accounts.models import User
from core.models import OutboxTask
from core.roles import Role
from core.tasks import deliver_outbox
from tests.conftest import PATI
from tests.conftest import PRAWOTO
from tests.conftest import make_user
from tests.conftest import start_celery_worker
from tests.conftest import stop_celery_worker
from tests.conftest import tasks_sent_to

pytestmark = [pytest.mark.worker]


def _sent_mail(directory) -> str:
    return "".join(path.read_text() for path in directory.glob("*.log")) if directory.exists() else ""


def test_an_invitation_made_while_the_broker_is_down_is_emailed_once_it_is_back(committed_regions, private_redis,
                                                                                 tmp_path):
    officer = make_user(Role.KABUPATEN_OFFICER, PATI)
    queue = f"test-outbox-{uuid.uuid4().hex[:8]}"
    mail = tmp_path / "mail"
    with tasks_sent_to(queue):
        private_redis.stop()
        browser = Client()
        browser.force_login(officer)
        response = browser.post("/pengguna/baru/", {"full_name": "Budi Santoso", "email": "budi@example.id",
                                                    "role": "village_staff", "region": f"{PRAWOTO} Prawoto"})
        user = User.objects.get(email="budi@example.id")
        assert response.status_code == 302 and response["Location"] == f"/pengguna/{user.pk}/"
        # The e-mail could not be queued: it waits in the outbox, committed with the account.
        waiting = OutboxTask.objects.get()
        assert (waiting.task, waiting.args) == ("accounts.tasks.send_invitation", [user.pk, "id"])
        assert waiting.attempts == 1 and waiting.last_error

        private_redis.start()
        worker = start_celery_worker(queue, redis_url=private_redis.url, log_name=".test-worker-outbox.log",
                                     mail_dir=mail)
        try:
            OutboxTask.objects.update(created_at=F("created_at") - timedelta(minutes=1))  # beat's next minute
            assert deliver_outbox.apply().get() == 1
            deadline = time.monotonic() + 30
            while "budi@example.id" not in _sent_mail(mail) and time.monotonic() < deadline:
                time.sleep(0.1)
        finally:
            stop_celery_worker(worker)
    sent = _sent_mail(mail)
    assert "To: budi@example.id" in sent and "/accounts/password/reset/key/" in sent
    assert not OutboxTask.objects.exists()


def test_an_invitation_queued_at_once_leaves_nothing_in_the_outbox(pati_officer, django_capture_on_commit_callbacks):
    from django.core import mail

    from accounts import services

    with django_capture_on_commit_callbacks(execute=True):
        services.user_invite(actor=pati_officer, email="siti@example.id", full_name="Siti", role=Role.VILLAGE_STAFF,
                             region_code=PRAWOTO)
    assert len(mail.outbox) == 1 and not OutboxTask.objects.exists()
