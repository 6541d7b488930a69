"""
A check or import whose worker died (killed, out of memory, a restart) is queued again by beat; a run at work is
left alone; a file that stops the worker every time fails with a message instead of being tried for ever.
"""

import threading
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.db import transaction
from django.utils import timezone

from core.roles import Role
from impor.member_import import MemberImport
from impor.models import CommitMode
from impor.models import ImportJob
from impor.models import ImportStatus
from impor.services import RUNS_ALLOWED
from impor.services import STALLED_AFTER
from impor.services import import_cancel
from impor.services import import_commit
from impor.services import import_commit_run
from impor.services import import_runs_resume
from impor.services import import_upload
from impor.services import import_validate_run
from members.models import Member
from tests.conftest import PRAWOTO
from tests.conftest import make_user
from tests.conftest import register
from tests.impor.helpers import MEMBER_HEADER
from tests.impor.helpers import csv_bytes
from tests.impor.helpers import member_row
from tests.impor.helpers import upload

LONG_AGO = STALLED_AFTER + timedelta(minutes=1)


def queued(actor, cooperative, capture, *rows) -> ImportJob:
    """A member file uploaded, its check queued and not run (the task waits, or its worker died)."""
    with capture(execute=False):
        return import_upload(actor=actor, kind="anggota", cooperative=cooperative, language="id",
                             upload=_file(*rows))


def left_by_a_dead_worker(job: ImportJob, status: str, runs_started: int | None = 1) -> None:
    """
    The job as a worker that died mid-run leaves it: in a running state, since long, with no run holding it
    (``runs_started`` None: as many runs as the job had, e.g. a task lost before its run began).
    """
    changes = {"status": status, "state_since": timezone.now() - LONG_AGO}
    if runs_started is not None:
        changes["runs_started"] = runs_started
    ImportJob.objects.filter(pk=job.pk).update(**changes)


@pytest.mark.django_db
def test_a_check_whose_worker_died_is_queued_again_and_finishes(village_staff, prawoto,
                                                               django_capture_on_commit_callbacks):
    capture = django_capture_on_commit_callbacks
    # The worker took the check's task and died: the check never reports back.
    job = queued(village_staff, prawoto, capture, member_row(1), member_row(2))
    left_by_a_dead_worker(job, ImportStatus.VALIDATING)

    with capture(execute=True):
        assert import_runs_resume() == 1

    job.refresh_from_db()
    assert job.status == ImportStatus.VALIDATED and job.counts["new"] == 2
    assert job.runs_started == 2
    assert import_runs_resume() == 0  # done: nothing left to resume


@pytest.mark.django_db
def test_an_import_whose_worker_died_is_written_once(village_staff, prawoto, django_capture_on_commit_callbacks):
    capture = django_capture_on_commit_callbacks
    job = upload(village_staff, _file(member_row(1), member_row(2)).read(), name="anggota.csv",
                 cooperative=prawoto, capture=capture)
    ImportJob.objects.filter(pk=job.pk).update(runs_started=RUNS_ALLOWED)  # its check took every try it had
    with capture(execute=False):  # decided, but the import's task was lost with the worker that took it
        import_commit(actor=village_staff, job=job, mode=CommitMode.ALL_OR_NOTHING)
    left_by_a_dead_worker(job, ImportStatus.COMMITTING, runs_started=None)

    with capture(execute=True):
        assert import_runs_resume() == 1
    job.refresh_from_db()
    assert job.status == ImportStatus.COMMITTED and job.committed_counts["new"] == 2
    assert job.runs_started == 1  # the import's own first run: its check's tries are not held against it

    # The task delivered a second time (the broker handed it over twice) changes nothing.
    assert import_commit_run(str(job.pk)).status == ImportStatus.COMMITTED
    assert Member.objects.filter(cooperative=prawoto).count() == 2


@pytest.mark.django_db
def test_a_second_delivery_of_a_check_does_not_check_again(village_staff, prawoto,
                                                           django_capture_on_commit_callbacks):
    job = upload(village_staff, _file(member_row(1)).read(), name="anggota.csv", cooperative=prawoto,
                 capture=django_capture_on_commit_callbacks)
    assert import_validate_run(str(job.pk)).status == ImportStatus.VALIDATED
    job.refresh_from_db()
    assert job.runs_started == 1


@pytest.mark.django_db
def test_a_file_that_stops_the_worker_every_time_fails_with_a_message(village_staff, prawoto,
                                                                      django_capture_on_commit_callbacks):
    job = queued(village_staff, prawoto, django_capture_on_commit_callbacks, member_row(1))
    left_by_a_dead_worker(job, ImportStatus.VALIDATING, runs_started=RUNS_ALLOWED)

    assert import_runs_resume() == 1

    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED
    assert job.message.startswith(f"Pekerjaan atas berkas ini berhenti {RUNS_ALLOWED} kali")
    assert not job.file  # the upload holds NIKs: dropped with the job
    assert Member.objects.filter(cooperative=prawoto).count() == 0


@pytest.mark.django_db
def test_a_job_waiting_a_short_while_is_left_to_its_worker(village_staff, prawoto,
                                                           django_capture_on_commit_callbacks):
    job = queued(village_staff, prawoto, django_capture_on_commit_callbacks, member_row(1))
    assert import_runs_resume() == 0
    job.refresh_from_db()
    assert job.status == ImportStatus.QUEUED and job.runs_started == 0


@pytest.mark.django_db(transaction=True)
def test_a_run_at_work_is_left_alone_and_the_user_is_told_to_wait(committed_regions):
    staff = make_user(Role.VILLAGE_STAFF, PRAWOTO)
    cooperative = register(staff, PRAWOTO)
    job = import_upload(actor=staff, kind="anggota", cooperative=cooperative, language="id",
                        upload=_file(member_row(1)))  # checked at once (tasks run eagerly here)
    left_by_a_dead_worker(job, ImportStatus.VALIDATED)
    # A long check at work: its worker holds the job's row, as import_validate_run does for the whole run.
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.VALIDATING)
    holding, release = threading.Event(), threading.Event()

    def worker():
        try:
            with transaction.atomic():
                ImportJob.objects.select_for_update().get(pk=job.pk)
                holding.set()
                release.wait(30)
        finally:
            connection.close()

    thread = threading.Thread(target=worker)
    thread.start()
    try:
        assert holding.wait(30)
        assert import_runs_resume() == 0
        with pytest.raises(ValidationError, match="sedang dikerjakan"):
            import_cancel(actor=staff, job=job)
    finally:
        release.set()
        thread.join(30)
    job.refresh_from_db()
    assert job.status == ImportStatus.VALIDATING and job.runs_started == 1
    # Once the worker is gone, the job is queued again and checked.
    assert import_runs_resume() == 1
    job.refresh_from_db()
    assert job.status == ImportStatus.VALIDATED and job.runs_started == 2


def _file(*rows) -> SimpleUploadedFile:
    return SimpleUploadedFile("anggota.csv", csv_bytes(MEMBER_HEADER, list(rows)))


@pytest.mark.django_db(transaction=True)
def test_an_import_holds_its_job_while_it_works(committed_regions, monkeypatch):
    """What the resume sees from another worker while a real import is at work: a job to pass by."""
    staff = make_user(Role.VILLAGE_STAFF, PRAWOTO)
    cooperative = register(staff, PRAWOTO)
    job = import_upload(actor=staff, kind="anggota", cooperative=cooperative, language="id",
                        upload=_file(member_row(1), member_row(2)))  # checked at once (tasks run eagerly here)
    seen = []
    write_rows = MemberImport.commit_checked

    def resume_from_another_worker_meanwhile(self, handle):
        # As if the import had been at work for longer than a run may wait or stall.
        thread = threading.Thread(target=lambda: (seen.append(import_runs_resume(stalled_after=timedelta(0))),
                                                  connection.close()))
        thread.start()
        thread.join(30)
        write_rows(self, handle)

    monkeypatch.setattr(MemberImport, "commit_checked", resume_from_another_worker_meanwhile)
    import_commit(actor=staff, job=ImportJob.objects.get(pk=job.pk), mode=CommitMode.ALL_OR_NOTHING)

    assert seen == [0]
    job.refresh_from_db()
    assert job.status == ImportStatus.COMMITTED and job.runs_started == 1
    assert Member.objects.filter(cooperative=cooperative).count() == 2
