"""Nightly jobs beat runs: expired sessions go, removed members' personal data leaves the history."""

from datetime import timedelta

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.utils import timezone

from config.settings.base import CELERY_BEAT_SCHEDULE
from core.identifiers import mask_nik
from core.tasks import clear_expired_sessions
from members.models import Member
from members.services import member_add
from members.tasks import forget_removed_members
from tests.conftest import sample_nik


def test_the_housekeeping_jobs_are_scheduled():
    tasks = {entry["task"] for entry in CELERY_BEAT_SCHEDULE.values()}
    assert {"core.tasks.clear_expired_sessions", "members.tasks.forget_removed_members",
            "impor.tasks.resume_stalled_imports"} <= tasks


@pytest.mark.django_db
def test_expired_sessions_are_deleted_and_live_ones_kept():
    live, expired = SessionStore(), SessionStore()
    live["x"] = expired["x"] = 1
    live.create()
    expired.create()
    Session.objects.filter(session_key=expired.session_key).update(expire_date=timezone.now() - timedelta(days=1))

    assert clear_expired_sessions.apply().get() == 1
    assert list(Session.objects.values_list("session_key", flat=True)) == [live.session_key]


@pytest.mark.django_db
def test_the_nightly_job_erases_the_nik_of_members_deleted_outside_the_register(pati_officer, prawoto):
    member, _warnings = member_add(actor=pati_officer, cooperative=prawoto, nik=sample_nik(4), name="Budi",
                                   sex="L", domicile_code=prawoto.village_id)
    member_id = member.pk
    Member.objects.filter(pk=member_id).delete()  # e.g. in the technical admin: history keeps both rows

    assert forget_removed_members.apply().get() == 2
    assert list(Member.history.filter(id=member_id).values_list("nik", flat=True)) == [mask_nik(sample_nik(4))] * 2
