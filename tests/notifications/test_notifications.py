"""Notifications: who is told what, by bell and e-mail, and an e-mail failure never breaks the action."""

from datetime import date
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from accounts.services import role_assign
from accounts.services import role_revoke
from core.roles import Role
from koperasi.models import Cooperative
from koperasi.services import stage_reject
from koperasi.services import stage_verify
from notifications.models import Notification
from notifications.models import NotificationKind
from notifications.services import notification_preferences_set
from notifications.services import notify
from pendampingan.services import follow_ups_due_notify
from pendampingan.services import visit_log
from reports.services import rollup_reconcile
from targets.models import Target
from targets.services import target_create
from targets.services import targets_at_risk_notify
from tests.conftest import BLITAR
from tests.conftest import PATI
from tests.conftest import PRAWOTO
from tests.conftest import api_as
from tests.conftest import complete_stage
from tests.conftest import make_user
from tests.conftest import register
from tests.conftest import submit_stage

pytestmark = pytest.mark.django_db


def _kinds(user):
    return [n.kind for n in Notification.objects.filter(user=user)]


def test_a_submission_tells_the_kabupaten_officers_who_can_verify_it(
        village_staff, pati_officer, kabupaten_officer_2, sukolilo_officer, prawoto,
        django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        submit_stage(village_staff, prawoto, "sosialisasi")
    for officer in (pati_officer, kabupaten_officer_2):
        notification = Notification.objects.get(user=officer)
        assert notification.kind == NotificationKind.STAGE_SUBMITTED
        assert "Sosialisasi" in notification.title and prawoto.name in notification.title
        assert notification.url == f"/koperasi/{prawoto.pk}/tahap/sosialisasi/"
    assert _kinds(sukolilo_officer) == [] and _kinds(village_staff) == []  # cannot verify / is the submitter
    assert sorted(message.to[0] for message in mail.outbox) == sorted([pati_officer.email, kabupaten_officer_2.email])


def test_the_village_learns_of_a_rejection_with_the_reason_and_of_a_verification(
        village_staff, pati_officer, kabupaten_officer_2, prawoto, django_capture_on_commit_callbacks):
    progress = submit_stage(village_staff, prawoto, "sosialisasi")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        stage_reject(actor=pati_officer, progress=progress, reason="Foto sosialisasi tidak terbaca.")
    rejected = Notification.objects.get(user=village_staff)
    assert rejected.kind == NotificationKind.STAGE_REJECTED and "Foto sosialisasi tidak terbaca." in rejected.body
    assert mail.outbox[0].to == [village_staff.email] and "Foto sosialisasi tidak terbaca." in mail.outbox[0].body
    assert f"/koperasi/{prawoto.pk}/tahap/sosialisasi/" in mail.outbox[0].body

    progress = submit_stage(village_staff, prawoto, "sosialisasi")
    stage_verify(actor=kabupaten_officer_2, progress=progress)
    verified = Notification.objects.filter(user=village_staff, kind=NotificationKind.STAGE_VERIFIED).get()
    assert "Musdesus" in verified.body  # what comes next


def test_a_notification_names_stages_and_dates_in_its_readers_language(
        village_staff, pati_officer, prawoto, django_capture_on_commit_callbacks):
    """The submitter works in Indonesian; an officer who reads in English sees the stage's English name."""
    from django.utils import translation

    with translation.override("id"):
        progress = submit_stage(village_staff, prawoto, "sosialisasi")
        stage_verify(actor=pati_officer, progress=progress)
    verified = Notification.objects.get(user=village_staff, kind=NotificationKind.STAGE_VERIFIED)
    with translation.override("en"):
        assert verified.title == "Socialisation verified"
        assert "Next: Special village meeting (Musdesus)." in verified.body
    with translation.override("id"):
        assert verified.title == "Sosialisasi diverifikasi"
        assert "Musdesus/Muskelsus" in verified.body


def test_a_kind_switched_off_for_email_still_appears_under_the_bell(
        village_staff, pati_officer, prawoto, django_capture_on_commit_callbacks):
    notification_preferences_set(user=pati_officer, email_kinds=[NotificationKind.TARGET_AT_RISK])
    with django_capture_on_commit_callbacks(execute=True):
        submit_stage(village_staff, prawoto, "sosialisasi")
    assert _kinds(pati_officer) == [NotificationKind.STAGE_SUBMITTED]
    assert pati_officer.email not in [message.to[0] for message in mail.outbox]


def test_an_email_that_cannot_be_sent_does_not_break_the_submission(
        village_staff, pati_officer, prawoto, settings, django_capture_on_commit_callbacks):
    # A real SMTP client against a port where nothing listens: the connection is refused.
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2
    with django_capture_on_commit_callbacks(execute=True):
        progress = submit_stage(village_staff, prawoto, "sosialisasi")
    progress.refresh_from_db()
    assert progress.status == "submitted"
    notification = Notification.objects.get(user=pati_officer)
    assert notification.emailed_at is None and notification.email_error


def test_bell_list_open_and_mark_read(client, village_staff, pati_officer, prawoto):
    submit_stage(village_staff, prawoto, "sosialisasi")
    client.force_login(pati_officer)
    home = client.get("/notifikasi/").content.decode()
    assert 'class="count" aria-hidden="true">1</span>' in home and "1 belum dibaca" in home
    notification = Notification.objects.get(user=pati_officer)
    response = client.post(f"/notifikasi/{notification.pk}/buka/")
    assert response["Location"] == f"/koperasi/{prawoto.pk}/tahap/sosialisasi/"
    notification.refresh_from_db()
    assert notification.read_at is not None
    other = make_user(Role.KABUPATEN_OFFICER, PATI)
    client.force_login(other)
    assert client.post(f"/notifikasi/{notification.pk}/buka/").status_code == 404  # not theirs


def test_the_api_lists_only_the_callers_notifications_and_sets_preferences(village_staff, pati_officer, prawoto):
    submit_stage(village_staff, prawoto, "sosialisasi")
    officer, staff = api_as(pati_officer), api_as(village_staff)
    listed = officer.get("/api/notifications/", {"unread": "true"}).json()
    assert listed["count"] == 1 and listed["results"][0]["kind"] == "stage_submitted"
    assert staff.get("/api/notifications/").json()["count"] == 0
    notification_id = listed["results"][0]["id"]
    assert staff.post(f"/api/notifications/{notification_id}/read/").status_code == 404
    assert officer.post(f"/api/notifications/{notification_id}/read/").json()["is_read"]
    assert officer.put("/api/notifications/preferences/", {"email_kinds": ["nope"]}, format="json").status_code == 400
    saved = officer.put("/api/notifications/preferences/", {"email_kinds": ["stage_submitted"]}, format="json")
    assert saved.json() == {"email_kinds": ["stage_submitted"]}


def test_follow_ups_due_today_are_told_once_a_day(sukolilo_officer):
    today = timezone.localdate()
    visit_log(actor=sukolilo_officer, village_code=PRAWOTO, visited_on=today - timedelta(days=7), topic="Musdesus",
              next_step="Unggah daftar hadir", follow_up_on=today)
    visit_log(actor=sukolilo_officer, village_code=PRAWOTO, visited_on=today - timedelta(days=7), topic="Notaris",
              follow_up_on=today + timedelta(days=1))
    assert follow_ups_due_notify(today) == 1
    assert follow_ups_due_notify(today) == 0  # the job ran twice
    notification = Notification.objects.get(user=sukolilo_officer)
    assert "Prawoto" in notification.title and "Unggah daftar hadir" in notification.body


def test_a_target_newly_at_risk_tells_its_owner_once_until_it_recovers(pati_officer, village_staff,
                                                                        kabupaten_officer_2):
    pati_officer_2 = kabupaten_officer_2
    today = timezone.localdate()
    target = target_create(actor=pati_officer, region_code=PATI, metric="stage", stage_code="musdesus",
                           start_date=today - timedelta(days=30), due_date=today + timedelta(days=30))
    target_create(actor=pati_officer, region_code=PATI, metric="stage", stage_code="sk_ahu",
                  start_date=today + timedelta(days=5), due_date=today + timedelta(days=60))  # not started
    assert targets_at_risk_notify(today) == 1  # nothing achieved: at risk
    assert targets_at_risk_notify(today) == 0
    assert targets_at_risk_notify(today + timedelta(days=1)) == 0  # still at risk: not told again
    notification = Notification.objects.get(user=pati_officer)
    assert notification.kind == NotificationKind.TARGET_AT_RISK and "0 dari 406" in notification.body
    assert Target.objects.get(pk=target.pk).at_risk_notified
    Target.objects.filter(pk=target.pk).update(target_count=1, due_date=date(2099, 1, 1))
    complete_stage(village_staff, pati_officer_2, register(village_staff), "sosialisasi")
    progress = submit_stage(village_staff, Cooperative.objects.get(), "musdesus")
    stage_verify(actor=pati_officer_2, progress=progress)
    rollup_reconcile(snapshot=False)
    targets_at_risk_notify(today)  # recovered (achieved): the flag clears for a later slip
    assert not Target.objects.get(pk=target.pk).at_risk_notified


def test_emails_of_notifications_made_while_the_broker_is_down_are_queued_once_it_is_back(
        private_redis, django_capture_on_commit_callbacks):
    """The submission succeeds and the officers' e-mails wait in the outbox, then reach the broker."""
    from django.db.models import F

    from core.models import OutboxTask
    from core.tasks import deliver_outbox
    from tests.conftest import tasks_sent_to

    staff, officer = make_user(Role.VILLAGE_STAFF, PRAWOTO), make_user(Role.KABUPATEN_OFFICER, PATI)
    cooperative = register(staff)
    queue = "test-outbox-nobody-listens"
    with tasks_sent_to(queue):
        private_redis.stop()
        with django_capture_on_commit_callbacks(execute=True):
            submit_stage(staff, cooperative, "sosialisasi")
        assert Notification.objects.filter(user=officer, kind="stage_submitted").exists()
        waiting = OutboxTask.objects.get()
        assert waiting.task == "notifications.tasks.send_notification_email" and waiting.attempts == 1

        private_redis.start()
        OutboxTask.objects.update(created_at=F("created_at") - timedelta(minutes=1))  # beat's next minute
        assert deliver_outbox.apply().get() == 1
    assert not OutboxTask.objects.exists()
    assert private_redis.client().llen(queue) == 1  # the e-mail task is in the broker's queue


def test_a_role_taken_away_takes_away_the_notifications_about_its_area(
        client, village_staff, pati_officer, kabupaten_officer_2, prawoto, django_capture_on_commit_callbacks):
    """An officer moved to Blitar had kept Pati's submissions (cooperative, village, submitter) with links to 404s."""
    with django_capture_on_commit_callbacks(execute=True):
        submit_stage(village_staff, prawoto, "sosialisasi")
    admin = make_user(Role.NATIONAL_ADMIN)
    role_assign(actor=admin, user=kabupaten_officer_2, role=Role.KABUPATEN_OFFICER, region_code=BLITAR)
    notify(users=[kabupaten_officer_2], kind=NotificationKind.TARGET_AT_RISK, params={}, about=BLITAR)
    role_revoke(actor=admin, assignment=kabupaten_officer_2.role_assignments.get(region_id=PATI))
    assert [n.about for n in Notification.objects.filter(user=kabupaten_officer_2)] == [BLITAR]
    assert Notification.objects.filter(user=pati_officer, about=PRAWOTO).exists()  # who still holds Pati keeps it
    client.force_login(kabupaten_officer_2)
    assert prawoto.name not in client.get("/notifikasi/").content.decode()
