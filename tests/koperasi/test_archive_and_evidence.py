"""Verification that means something: stages from the archive, replaced documents, date bounds, who verified."""

from datetime import date
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError
from django.utils import timezone

from koperasi.models import StageStatus
from koperasi.services import stage_record_from_archive
from koperasi.services import stage_reject
from koperasi.services import stage_submit
from tests.conftest import STAGE_DATA
from tests.conftest import api_as
from tests.conftest import complete_stage
from tests.conftest import pdf_upload
from tests.conftest import submit_stage

pytestmark = pytest.mark.django_db


def _archive(actor, cooperative, code, completed_on, note="Arsip Dinas, map 2025/03", data=None):
    progress = cooperative.stages.get(stage__code=code)
    documents = [(doc.code, pdf_upload(f"{doc.code}.pdf")) for doc in progress.stage.required_documents.all()]
    return stage_record_from_archive(actor=actor, progress=progress, completed_on=completed_on, note=note,
                                     data=STAGE_DATA[code] if data is None else data, documents=documents)


def test_an_officer_records_past_stages_from_the_archive_with_their_real_dates(pati_officer, prawoto):
    for code, day in (("sosialisasi", date(2025, 4, 10)), ("musdesus", date(2025, 5, 20))):
        progress = _archive(pati_officer, prawoto, code, day)
        assert progress.status == StageStatus.VERIFIED and progress.from_archive
        assert timezone.localdate(progress.completed_at) == day
        assert progress.reviewed_by == pati_officer and progress.archive_note == "Arsip Dinas, map 2025/03"
    prawoto.refresh_from_db()
    assert prawoto.stage_reached.code == "musdesus"
    # The stage keeps its real date, and "stalled" counts from it: nothing has happened since May 2025.
    assert timezone.localdate(prawoto.stage_reached_at) == date(2025, 5, 20)
    latest = prawoto.stages.get(stage__code="musdesus").history.first()
    assert latest.history_user == pati_officer and latest.from_archive  # in the audit trail


def test_archive_dates_are_bounded_and_in_order(pati_officer, prawoto):
    for bad_day, message in [(timezone.localdate() + timedelta(days=1), "masa depan"),
                             (date(2024, 12, 31), "tidak boleh sebelum 1 Jan 2025"), (None, "Masukkan tanggal")]:
        with pytest.raises(ValidationError) as error:
            _archive(pati_officer, prawoto, "sosialisasi", bad_day)
        assert message in " ".join(error.value.message_dict["completed_on"])
    _archive(pati_officer, prawoto, "sosialisasi", date(2025, 5, 1))
    with pytest.raises(ValidationError) as error:
        _archive(pati_officer, prawoto, "musdesus", date(2025, 4, 1))
    assert "1 Mei 2025; tahap ini tidak bisa lebih awal" in " ".join(error.value.message_dict["completed_on"])
    with pytest.raises(ValidationError) as error:
        _archive(pati_officer, prawoto, "musdesus", date(2025, 5, 2), note="")
    assert "note" in error.value.message_dict
    assert prawoto.stages.get(stage__code="musdesus").status == StageStatus.NOT_STARTED


def test_only_officers_who_verify_may_record_from_the_archive(village_staff, sukolilo_officer, prawoto):
    for actor in (village_staff, sukolilo_officer):
        with pytest.raises(PermissionDenied):
            _archive(actor, prawoto, "sosialisasi", date(2025, 4, 10))


def test_stage_dates_of_a_new_kdkmp_cannot_be_before_the_programme(village_staff, prawoto):
    with pytest.raises(ValidationError) as error:
        submit_stage(village_staff, prawoto, "sosialisasi", data={"held_on": "2019-04-10"})
    assert "sebelum 1 Jan 2025" in " ".join(error.value.message_dict["held_on"])


def test_a_rejected_stage_gets_its_document_replaced_with_the_next_round(village_staff, pati_officer, prawoto):
    progress = submit_stage(village_staff, prawoto, "sosialisasi")
    stage_reject(actor=pati_officer, progress=progress, reason="Foto tidak terbaca, unggah ulang.")
    stage_submit(actor=village_staff, progress=progress, data=STAGE_DATA["sosialisasi"],
                 documents=[("berita_acara_sosialisasi", pdf_upload("berita-acara-baru.pdf"))])
    active = list(progress.documents.filter(removed_at__isnull=True))
    assert [(document.original_name, document.round) for document in active] == [("berita-acara-baru.pdf", 2)]
    replaced = progress.documents.get(removed_at__isnull=False)
    assert replaced.round == 1 and replaced.history.first().history_change_reason == "replaced"


def test_stage_page_shows_who_verified_and_lets_the_village_remove_a_document_after_rejection(
        client, village_staff, pati_officer, kabupaten_officer_2, prawoto):
    complete_stage(village_staff, pati_officer, prawoto, "sosialisasi")
    client.force_login(village_staff)
    page = client.get(f"/koperasi/{prawoto.pk}/tahap/sosialisasi/").content.decode()
    assert f"Diverifikasi oleh {pati_officer.full_name}" in page and "Kabupaten Pati" in page
    data = " ".join(page[page.index("<dl class=\"facts\">"):].split())
    assert "<dt>Tanggal dilaksanakan</dt><dd>10 Apr 2025</dd>" in data  # a date as a date, not 2025-04-10

    progress = submit_stage(village_staff, prawoto, "musdesus")
    stage_reject(actor=pati_officer, progress=progress, reason="Daftar hadir belum ditandatangani BPD.")
    page = client.get(f"/koperasi/{prawoto.pk}/tahap/musdesus/").content.decode()
    assert "putaran 1" in page and 'value="remove_document"' in page
    document = progress.documents.get(document_type__code="daftar_hadir_musdesus")
    client.post(f"/koperasi/{prawoto.pk}/tahap/musdesus/", {"operation": "remove_document", "document": document.pk})
    document.refresh_from_db()
    assert document.removed_at is not None
    assert "1 berkas diganti atau dihapus" in client.get(f"/koperasi/{prawoto.pk}/tahap/musdesus/").content.decode()


def test_archive_through_the_page_and_the_api(client, pati_officer, prawoto):
    client.force_login(pati_officer)
    page = client.get(f"/koperasi/{prawoto.pk}/tahap/sosialisasi/").content.decode()
    assert "Catat dari arsip" in page
    response = client.post(f"/koperasi/{prawoto.pk}/tahap/sosialisasi/", {
        "operation": "archive", "archive-completed_on": "2025-04-12", "archive-note": "Arsip kecamatan, map 4",
        "archive-held_on": "2025-04-12", "archive-doc_berita_acara_sosialisasi": pdf_upload()})
    assert response.status_code == 302
    assert "dari arsip" in client.get(f"/koperasi/{prawoto.pk}/tahap/sosialisasi/").content.decode()

    progress = prawoto.stages.get(stage__code="musdesus")
    client_api = api_as(pati_officer)
    for doc in progress.stage.required_documents.all():
        client_api.post(f"/api/stages/{progress.pk}/documents/", {"document_type": doc.code, "file": pdf_upload()},
                        format="multipart")
    bad = client_api.post(f"/api/stages/{progress.pk}/archive/", {"completed_on": "2031-01-01", "note": "Arsip",
                                                                   "data": STAGE_DATA["musdesus"]}, format="json")
    assert bad.status_code == 400 and "completed_on" in bad.json()
    good = client_api.post(f"/api/stages/{progress.pk}/archive/", {
        "completed_on": "2025-05-20", "note": "Arsip kecamatan, map 5", "data": STAGE_DATA["musdesus"]},
        format="json")
    assert good.status_code == 200 and good.json()["from_archive"] and good.json()["status"] == "verified"
