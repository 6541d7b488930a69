"""Stages verified before completion took the documents' date are dated by their documents (issue 16 §1)."""

import io
from datetime import date
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from core.audit import audit_trail
from core.models import BackdatedVillage
from koperasi.models import StageProgress
from koperasi.services import stage_record_from_archive
from tests.conftest import STAGE_DATA
from tests.conftest import complete_stage
from tests.conftest import seed_board

pytestmark = pytest.mark.django_db


def test_stages_dated_by_their_verification_are_dated_by_their_documents_once(village_staff, pati_officer, prawoto):
    seed_board(village_staff, prawoto)
    sosialisasi = complete_stage(village_staff, pati_officer, prawoto, "sosialisasi")
    musdesus = prawoto.stages.get(stage__code="musdesus")
    stage_record_from_archive(actor=pati_officer, progress=musdesus, completed_on=date(2025, 5, 21),
                              note="Arsip kecamatan, map 5", data=STAGE_DATA["musdesus"], documents_on_paper=True)
    # As an older release left them: completed when verified (yesterday), whatever the documents said.
    verified_at = timezone.now() - timedelta(days=1)
    StageProgress.objects.filter(pk=sosialisasi.pk).update(completed_at=verified_at)
    BackdatedVillage.objects.all().delete()

    out = io.StringIO()
    call_command("stages_redate", stdout=out)
    assert "Stages dated by their documents: 1" in out.getvalue()
    sosialisasi.refresh_from_db()
    assert timezone.localdate(sosialisasi.completed_at) == date.fromisoformat(STAGE_DATA["sosialisasi"]["held_on"])
    # The audit trail says why, in the reader's language.
    entries = audit_trail(StageProgress.history.filter(id=sosialisasi.pk))
    entry = next(entry for entry in entries if entry.reason)
    assert entry.reason == "diberi tanggal sesuai dokumennya"
    archived = prawoto.stages.get(stage__code="musdesus")
    assert timezone.localdate(archived.completed_at) == date(2025, 5, 21)  # the archive record keeps its date
    prawoto.refresh_from_db()
    assert timezone.localdate(prawoto.stage_reached_at) == date(2025, 5, 21)  # the latest stage, by event dates
    queued = BackdatedVillage.objects.get(code=prawoto.village_id)
    assert queued.since == date(2025, 4, 10)  # the snapshots from the documents' day on are rebuilt

    call_command("stages_redate", stdout=(again := io.StringIO()))
    assert "Stages dated by their documents: 0" in again.getvalue()
