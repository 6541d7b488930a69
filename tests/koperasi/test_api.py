"""The cooperative and formation-stage API: scoping, the stage workflow end to end, uploads, errors."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from core.roles import Role
from koperasi.models import Cooperative
from koperasi.models import StageDocument
from koperasi.models import StageProgress
from koperasi.models import StageStatus
from tests.conftest import BLITAR
from tests.conftest import JATEN
from tests.conftest import PAKEM
from tests.conftest import PATI
from tests.conftest import PRAWOTO
from tests.conftest import api_as
from tests.conftest import complete_stage
from tests.conftest import make_user
from tests.conftest import pdf_upload
from tests.conftest import register
from tests.conftest import seed_board
from tests.conftest import submit_stage
from units.models import Unit
from units.services import unit_update

pytestmark = pytest.mark.django_db



@pytest.fixture
def blitar_officer(db):
    return make_user(Role.KABUPATEN_OFFICER, BLITAR)




@pytest.fixture
def pakem(pati_officer):
    return register(pati_officer, PAKEM)



def _stage(cooperative, code) -> StageProgress:
    return cooperative.stages.get(stage__code=code)


def _upload(client, progress, upload=None, document_type="berita_acara_sosialisasi"):
    return client.post(f"/api/stages/{progress.pk}/documents/",
                       {"document_type": document_type, "file": upload or pdf_upload()}, format="multipart")


# SECTION: cooperatives


def test_lists_and_details_are_scoped(pati_officer, village_staff, prawoto, pakem, jaten):
    names = {row["name"] for row in api_as(pati_officer).get("/api/cooperatives/").json()["results"]}
    assert names == {prawoto.name, pakem.name}
    own = api_as(village_staff).get("/api/cooperatives/").json()
    assert own["count"] == 1 and own["results"][0]["village"]["code"] == PRAWOTO
    assert api_as(pati_officer).get(f"/api/cooperatives/{jaten.pk}/").status_code == 404
    assert api_as(village_staff).get(f"/api/cooperatives/{pakem.pk}/").status_code == 404
    assert api_as(village_staff).get(f"/api/cooperatives/{pakem.pk}/history/").status_code == 404
    response = api_as(village_staff).patch(f"/api/cooperatives/{pakem.pk}/", {"name": "X"}, format="json")
    assert response.status_code == 404


def test_anonymous_callers_get_nothing(api_client, prawoto):
    assert api_client.get("/api/cooperatives/").status_code in (401, 403)
    assert api_client.get("/api/formation-stages/").status_code in (401, 403)


def test_detail_has_villages_identifiers_stages_units_and_governance(village_staff, prawoto):
    detail = api_as(village_staff).get(f"/api/cooperatives/{prawoto.pk}/").json()
    assert detail["kind"] == "kdmp" and detail["village"]["code"] == PRAWOTO
    assert detail["villages"] == [{"code": PRAWOTO, "name": "Prawoto", "kind": "desa", "is_seat": True}]
    assert detail["stage_reached"] is None and detail["npwp"] == "" and detail["sk_ahu_number"] == ""
    assert [stage["code"] for stage in detail["stages"]][:3] == ["sosialisasi", "musdesus", "rapat_pendirian"]
    assert {stage["status"] for stage in detail["stages"]} == {"not_started"}
    assert len(detail["units"]) == 7 and {unit["status"] for unit in detail["units"]} == {"rencana"}
    assert "founders" in {issue["code"] for issue in detail["governance_issues"]}
    history = api_as(village_staff).get(f"/api/cooperatives/{prawoto.pk}/history/")
    assert history.status_code == 200 and history.json()[0]["action"] == "+"


def test_list_filters(pati_officer, kabupaten_officer_2, village_staff, prawoto, pakem):
    # Held today: Prawoto moved forward now and is not stalled (a stage held in 2025 would leave it stalled).
    complete_stage(village_staff, pati_officer, prawoto, "sosialisasi", {"held_on": str(timezone.localdate())})
    unit = prawoto.units.get(unit_type__code="gerai_sembako")
    unit_update(actor=village_staff, unit=unit, status="lahan_tersedia")
    Cooperative.objects.filter(pk=pakem.pk).update(stage_reached_at=timezone.now() - timedelta(days=90))
    client = api_as(pati_officer)

    def names(**params):
        response = client.get("/api/cooperatives/", params)
        assert response.status_code == 200, response.content
        return {row["name"] for row in response.json()["results"]}

    assert names(region="33.18.01.2002") == {pakem.name}
    assert names(q="prawoto") == {prawoto.name}
    assert names(stage="sosialisasi") == {prawoto.name}
    assert names(kind="kdmp") == {prawoto.name, pakem.name}
    assert names(formation_model="pengembangan") == set()
    assert names(completed="false") == {prawoto.name, pakem.name}
    assert names(stalled="true") == {pakem.name}
    assert names(stalled="false") == {prawoto.name}
    assert names(unit_type="gerai_sembako", unit_status="lahan_tersedia") == {prawoto.name}
    # Type and status apply to the same unit: Prawoto's gerai is not "rencana" any more.
    assert names(unit_type="gerai_sembako", unit_status="rencana") == {pakem.name}
    for params, field in [({"completed": "maybe"}, "completed"), ({"stalled": "1"}, "stalled"),
                          ({"kind": "pt"}, "kind"), ({"unit_status": "sold"}, "unit_status")]:
        response = client.get("/api/cooperatives/", params)
        assert response.status_code == 400 and field in response.json()


def test_register_through_the_api(village_staff):
    response = api_as(village_staff).post("/api/cooperatives/", {
        "village": PRAWOTO, "address": "Jl. Raya Prawoto 1", "latitude": "-6.912345", "longitude": "111.012345",
        "phone": "0812 3456 7890", "email": "kdmp@prawoto.desa.id",
    }, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["name"] == "Koperasi Desa Merah Putih Prawoto" and body["kind"] == "kdmp"
    assert body["phone"] == "+6281234567890" and body["formation_model"] == "baru"
    assert len(body["stages"]) == 10 and len(body["units"]) == 7
    assert Cooperative.objects.get(pk=body["id"]).registered_by == village_staff


def test_register_outside_the_area_is_403(pati_officer, director):
    response = api_as(pati_officer).post("/api/cooperatives/", {"village": JATEN}, format="json")
    assert response.status_code == 403
    assert api_as(director).post("/api/cooperatives/", {"village": PRAWOTO}, format="json").status_code == 403
    assert not Cooperative.objects.exists()


@pytest.mark.parametrize(
    "payload, field",
    [
        ({}, "village"),
        ({"village": "33-18-01"}, "village"),
        ({"village": "33.18.01"}, "village"),
        ({"village": PRAWOTO, "formation_model": "merger"}, "formation_model"),
        ({"village": PRAWOTO, "latitude": "40.1", "longitude": "111.0"}, "latitude"),
        ({"village": PRAWOTO, "latitude": "-6.9"}, "longitude"),
        ({"village": PRAWOTO, "phone": "12"}, "phone"),
        ({"village": PRAWOTO, "email": "not-an-address"}, "email"),
        ({"village": PRAWOTO, "joint_villages": [PAKEM]}, "joint_population_confirmed"),
        ({"village": PRAWOTO, "joint_villages": "33.18.01.2002"}, "joint_villages"),
    ],
)
def test_bad_registration_is_400_with_the_field(pati_officer, payload, field):
    response = api_as(pati_officer).post("/api/cooperatives/", payload, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json()
    assert not Cooperative.objects.exists()


def test_a_village_has_one_cooperative(pati_officer, prawoto):
    response = api_as(pati_officer).post("/api/cooperatives/", {"village": PRAWOTO}, format="json")
    assert response.status_code == 400 and "village" in response.json()


def test_profile_update_and_legal_identifiers(village_staff, pati_officer, director, prawoto):
    staff = api_as(village_staff)
    response = staff.patch(f"/api/cooperatives/{prawoto.pk}/", {"address": "Balai desa", "phone": "0295 123456"},
                           format="json")
    assert response.status_code == 200, response.content
    assert response.json()["address"] == "Balai desa" and response.json()["phone"] == "+62295123456"
    history = staff.get(f"/api/cooperatives/{prawoto.pk}/history/")
    assert history.status_code == 200
    assert {"field": "phone", "new": "+62295123456"}.items() <= next(
        change for change in history.json()[0]["changes"] if change["field"] == "phone").items()
    # Legal identifiers are corrected by an officer who verifies stages, not by village staff.
    assert staff.patch(f"/api/cooperatives/{prawoto.pk}/", {"npwp": "01.234.567.8-901.000"},
                       format="json").status_code == 403
    officer = api_as(pati_officer)
    response = officer.patch(f"/api/cooperatives/{prawoto.pk}/", {"npwp": "01.234.567.8-901.000"}, format="json")
    assert response.status_code == 200 and response.json()["npwp"] == "0012345678901000"
    bad = officer.patch(f"/api/cooperatives/{prawoto.pk}/", {"nib": "123", "deed_date": "yesterday"}, format="json")
    assert bad.status_code == 400 and {"deed_date"} <= set(bad.json())
    bad = officer.patch(f"/api/cooperatives/{prawoto.pk}/", {"nib": "123"}, format="json")
    assert bad.status_code == 400 and "nib" in bad.json()
    assert api_as(director).patch(f"/api/cooperatives/{prawoto.pk}/", {"address": "X"},
                                  format="json").status_code == 403


def test_put_and_delete_are_not_offered(pati_officer, prawoto):
    client = api_as(pati_officer)
    assert client.put(f"/api/cooperatives/{prawoto.pk}/", {"name": "X"}, format="json").status_code == 405
    assert client.delete(f"/api/cooperatives/{prawoto.pk}/").status_code == 405
    assert Cooperative.objects.filter(pk=prawoto.pk).exists()


def test_name_must_be_unique(pati_officer, prawoto, pakem):
    response = api_as(pati_officer).patch(f"/api/cooperatives/{pakem.pk}/", {"name": prawoto.name.upper()},
                                          format="json")
    assert response.status_code == 400 and "name" in response.json()


def test_stalled_endpoint(pati_officer, prawoto, pakem, jaten):
    Cooperative.objects.filter(pk__in=[prawoto.pk, jaten.pk]).update(
        stage_reached_at=timezone.now() - timedelta(days=45))
    Cooperative.objects.filter(pk=pakem.pk).update(stage_reached_at=timezone.now() - timedelta(days=10))
    client = api_as(pati_officer)
    default = client.get("/api/cooperatives/stalled/").json()
    assert [row["name"] for row in default["results"]] == [prawoto.name]
    longest_first = client.get("/api/cooperatives/stalled/", {"days": 5}).json()["results"]
    assert [row["name"] for row in longest_first] == [prawoto.name, pakem.name]
    for days in ("abc", "-1", "1.5"):
        response = client.get("/api/cooperatives/stalled/", {"days": days})
        assert response.status_code == 400 and "days" in response.json()


def test_governance_endpoint(village_staff, prawoto, jaten, pati_officer):
    client = api_as(village_staff)
    issues = client.get(f"/api/cooperatives/{prawoto.pk}/governance/").json()
    assert {"founders", "pengurus_count", "ketua_pengawas"} <= {issue["code"] for issue in issues}
    assert all(issue["blocking"] for issue in issues)
    seed_board(village_staff, prawoto)
    assert client.get(f"/api/cooperatives/{prawoto.pk}/governance/").json() == []
    assert api_as(pati_officer).get(f"/api/cooperatives/{jaten.pk}/governance/").status_code == 404


# SECTION: formation stages


def test_formation_stage_catalogue(director):
    stages = api_as(director).get("/api/formation-stages/").json()
    assert [stage["code"] for stage in stages][:2] == ["sosialisasi", "musdesus"] and len(stages) == 10
    deed = api_as(director).get("/api/formation-stages/akta_notaris/").json()
    assert deed["required_documents"][0]["code"] == "akta_pendirian"
    assert [field["key"] for field in deed["required_fields"]] == ["notary_name", "deed_number", "deed_date"]
    assert deed["required_fields"][2]["input_type"] == "date"
    assert set(deed["skippable_for"]) == {"pengembangan", "revitalisasi"}


def test_full_walk_register_upload_submit_verify(pati_officer, kabupaten_officer_2, village_staff):
    staff = api_as(village_staff)
    cooperative_id = staff.post("/api/cooperatives/", {"village": PRAWOTO}, format="json").json()["id"]
    stages = staff.get("/api/stages/", {"cooperative": cooperative_id, "stage": "sosialisasi"}).json()
    assert stages["count"] == 1
    stage_id = stages["results"][0]["id"]

    uploaded = staff.post(f"/api/stages/{stage_id}/documents/",
                          {"document_type": "berita_acara_sosialisasi", "file": pdf_upload("Berita Acara.pdf")},
                          format="multipart")
    assert uploaded.status_code == 201, uploaded.content
    assert uploaded.json()["original_name"] == "Berita Acara.pdf"
    assert uploaded.json()["content_type"] == "application/pdf"
    assert uploaded.json()["document_type"]["code"] == "berita_acara_sosialisasi"

    officer = api_as(pati_officer)
    submitted = officer.post(f"/api/stages/{stage_id}/submit/", {"data": {"held_on": "2025-04-10"}}, format="json")
    assert submitted.status_code == 200, submitted.content
    assert submitted.json()["status"] == "submitted" and submitted.json()["round"] == 1
    assert submitted.json()["submitted_by"]["id"] == pati_officer.pk
    assert submitted.json()["data"] == {"held_on": "2025-04-10"}

    # Village staff may not verify; nor may the officer who submitted.
    assert staff.post(f"/api/stages/{stage_id}/verify/").status_code == 403
    assert officer.post(f"/api/stages/{stage_id}/verify/").status_code == 403
    verified = api_as(kabupaten_officer_2).post(f"/api/stages/{stage_id}/verify/")
    assert verified.status_code == 200, verified.content
    assert verified.json()["status"] == "verified" and verified.json()["reviewed_by"]["id"] == kabupaten_officer_2.pk
    assert verified.json()["completed_at"]

    detail = staff.get(f"/api/cooperatives/{cooperative_id}/").json()
    assert detail["stage_reached"]["code"] == "sosialisasi"
    assert detail["stages"][0]["status"] == "verified"
    documents = staff.get(f"/api/stages/{stage_id}/").json()["documents"]
    assert len(documents) == 1
    assert documents[0]["download_url"].endswith(f"/api/stage-documents/{documents[0]['id']}/download/")
    history = staff.get(f"/api/stages/{stage_id}/history/").json()
    assert len(history) >= 3


def test_numbers_and_identifiers_in_stage_data(village_staff, pati_officer, kabupaten_officer_2, prawoto):
    complete_stage(village_staff, pati_officer, prawoto, "sosialisasi")
    progress = _stage(prawoto, "musdesus")
    client = api_as(village_staff)
    for document_type in ("berita_acara_musdesus", "daftar_hadir_musdesus"):
        assert _upload(client, progress, document_type=document_type).status_code == 201
    bad = client.post(f"/api/stages/{progress.pk}/submit/",
                      {"data": {"held_on": "2025-05-20", "participants": "banyak"}}, format="json")
    assert bad.status_code == 400 and "participants" in bad.json()
    response = client.post(f"/api/stages/{progress.pk}/submit/",
                           {"data": {"held_on": "2025-05-20", "participants": 120}}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["data"] == {"held_on": "2025-05-20", "participants": 120}


def test_a_skipped_stage_is_400_and_changes_nothing(village_staff, prawoto):
    musdesus = _stage(prawoto, "musdesus")
    response = api_as(village_staff).post(f"/api/stages/{musdesus.pk}/submit/",
                                          {"data": {"held_on": "2025-05-20", "participants": 100}}, format="json")
    assert response.status_code == 400 and "non_field_errors" in response.json()
    musdesus.refresh_from_db()
    assert musdesus.status == StageStatus.NOT_STARTED and musdesus.round == 0


def test_submission_errors_name_the_fields(village_staff, prawoto):
    progress = _stage(prawoto, "sosialisasi")
    client = api_as(village_staff)
    missing_document = client.post(f"/api/stages/{progress.pk}/submit/", {"data": {"held_on": "2025-04-10"}},
                                   format="json")
    assert missing_document.status_code == 400 and "documents" in missing_document.json()
    _upload(client, progress)
    future = client.post(f"/api/stages/{progress.pk}/submit/", {"data": {"held_on": "2999-01-01"}}, format="json")
    assert future.status_code == 400 and "held_on" in future.json()
    not_a_dict = client.post(f"/api/stages/{progress.pk}/submit/", {"data": "2025-04-10"}, format="json")
    assert not_a_dict.status_code == 400 and "data" in not_a_dict.json()
    for value in ("2025-02-30", 12345, "10/04/2025"):
        not_a_date = client.post(f"/api/stages/{progress.pk}/submit/", {"data": {"held_on": value}}, format="json")
        assert not_a_date.status_code == 400 and "held_on" in not_a_date.json(), value
    nested = client.post(f"/api/stages/{progress.pk}/submit/", {"data": {"held_on": ["2025-04-10"]}}, format="json")
    assert nested.status_code == 400 and "data" in nested.json()
    progress.refresh_from_db()
    assert progress.status == StageStatus.NOT_STARTED


def test_oversized_or_wrong_type_upload_is_400_and_stores_nothing(village_staff, prawoto, settings):
    settings.DOCUMENT_MAX_BYTES = 2000
    progress = _stage(prawoto, "sosialisasi")
    client = api_as(village_staff)
    uploads = [
        pdf_upload("besar.pdf", size=5000),
        SimpleUploadedFile("virus.pdf", b"MZ\x90\x00" + b"\x00" * 200),
        SimpleUploadedFile("catatan.docx", b"PK\x03\x04" + b"\x00" * 200),
        pdf_upload("renamed.png"),
    ]
    for upload in uploads:
        response = _upload(client, progress, upload)
        assert response.status_code == 400, upload.name
        assert "file" in response.json()
    wrong_type = _upload(client, progress, document_type="akta_pendirian")
    assert wrong_type.status_code == 400 and "document_type" in wrong_type.json()
    no_file = client.post(f"/api/stages/{progress.pk}/documents/", {"document_type": "berita_acara_sosialisasi"},
                          format="multipart")
    assert no_file.status_code == 400 and "file" in no_file.json()
    assert not StageDocument.objects.exists()


def test_documents_of_a_submitted_stage_cannot_change(village_staff, prawoto):
    progress = submit_stage(village_staff, prawoto, "sosialisasi")
    client = api_as(village_staff)
    assert _upload(client, progress).status_code == 400
    document = progress.documents.get()
    assert client.delete(f"/api/stage-documents/{document.pk}/").status_code == 400
    assert StageDocument.objects.filter(removed_at__isnull=True).count() == 1


def test_rejection_reason_is_visible_in_the_stage_detail(village_staff, pati_officer, prawoto):
    progress = submit_stage(village_staff, prawoto, "sosialisasi")
    officer = api_as(pati_officer)
    blank = officer.post(f"/api/stages/{progress.pk}/reject/", {"reason": ""}, format="json")
    assert blank.status_code == 400 and "reason" in blank.json()
    short = officer.post(f"/api/stages/{progress.pk}/reject/", {"reason": "no"}, format="json")
    assert short.status_code == 400 and "reason" in short.json()
    assert api_as(village_staff).post(f"/api/stages/{progress.pk}/reject/", {"reason": "Foto buram sekali."},
                                      format="json").status_code == 403
    rejected = officer.post(f"/api/stages/{progress.pk}/reject/", {"reason": "Foto sosialisasi tidak terbaca."},
                            format="json")
    assert rejected.status_code == 200
    detail = api_as(village_staff).get(f"/api/stages/{progress.pk}/").json()
    assert detail["status"] == "rejected" and detail["rejection_reason"] == "Foto sosialisasi tidak terbaca."
    assert detail["reviewed_by"]["id"] == pati_officer.pk
    # Only a submitted stage can be rejected or verified.
    assert officer.post(f"/api/stages/{progress.pk}/verify/").status_code == 400


def test_not_applicable_for_an_existing_cooperative(village_staff, pati_officer, kabupaten_officer_2):
    cooperative = register(village_staff, formation_model="pengembangan")
    complete_stage(village_staff, pati_officer, cooperative, "sosialisasi")
    complete_stage(village_staff, pati_officer, cooperative, "musdesus")
    founding = _stage(cooperative, "rapat_pendirian")
    url = f"/api/stages/{founding.pk}/not-applicable/"
    assert api_as(village_staff).post(url, {"reason": "Koperasi sudah berdiri."}, format="json").status_code == 403
    assert api_as(pati_officer).post(url, {}, format="json").status_code == 400
    response = api_as(kabupaten_officer_2).post(url, {"reason": "Koperasi sudah berdiri sejak 2010."}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "not_applicable"
    assert response.json()["not_applicable_reason"] == "Koperasi sudah berdiri sejak 2010."
    cooperative.refresh_from_db()
    assert cooperative.stage_reached.code == "rapat_pendirian"

    # A submitted stage awaits its verdict: it is not marked not applicable behind the reviewer's back.
    deed = submit_stage(village_staff, cooperative, "akta_notaris")
    refused = api_as(kabupaten_officer_2).post(f"/api/stages/{deed.pk}/not-applicable/",
                                               {"reason": "Akta sudah ada sejak 2010."}, format="json")
    assert refused.status_code == 400
    deed.refresh_from_db()
    assert deed.status == "submitted"


def test_a_stage_marked_not_applicable_is_reopened_before_the_model_changes(village_staff, pati_officer,
                                                                            kabupaten_officer_2):
    cooperative = register(village_staff, formation_model="pengembangan")
    for code in ("sosialisasi", "musdesus"):
        complete_stage(village_staff, pati_officer, cooperative, code)
    founding = _stage(cooperative, "rapat_pendirian")
    officer = api_as(kabupaten_officer_2)
    officer.post(f"/api/stages/{founding.pk}/not-applicable/", {"reason": "Koperasi sudah berdiri."}, format="json")
    change_model = {"formation_model": "baru"}
    response = officer.patch(f"/api/cooperatives/{cooperative.pk}/", change_model, format="json")
    assert response.status_code == 400 and "formation_model" in response.json()

    url = f"/api/stages/{founding.pk}/reopen/"
    reason = {"reason": "Ternyata koperasi baru, bukan pengembangan."}
    assert api_as(village_staff).post(url, reason, format="json").status_code == 403
    assert officer.post(url, {"reason": "ok"}, format="json").status_code == 400
    response = officer.post(url, reason, format="json")
    assert response.status_code == 200 and response.json()["status"] == "not_started"
    cooperative.refresh_from_db()
    assert cooperative.stage_reached.code == "musdesus"
    assert officer.post(url, reason, format="json").status_code == 400  # only a not-applicable stage reopens
    assert officer.patch(f"/api/cooperatives/{cooperative.pk}/", change_model, format="json").status_code == 200


def test_not_applicable_is_refused_for_a_new_cooperative(village_staff, pati_officer, prawoto):
    for code in ("sosialisasi", "musdesus"):
        complete_stage(village_staff, pati_officer, prawoto, code)
    progress = _stage(prawoto, "rapat_pendirian")
    response = api_as(pati_officer).post(f"/api/stages/{progress.pk}/not-applicable/",
                                         {"reason": "Tidak perlu rapat."}, format="json")
    assert response.status_code == 400 and "Rapat pendirian" in str(response.json())
    progress.refresh_from_db()
    assert progress.status == "not_started"


def test_stage_list_filters_and_scope(village_staff, pati_officer, prawoto, pakem, jaten):
    submit_stage(village_staff, prawoto, "sosialisasi")
    client = api_as(pati_officer)
    submitted = client.get("/api/stages/", {"status": "submitted"}).json()
    assert submitted["count"] == 1 and submitted["results"][0]["cooperative"] == prawoto.pk
    assert client.get("/api/stages/", {"stage": "sosialisasi"}).json()["count"] == 2
    assert client.get("/api/stages/", {"cooperative": jaten.pk}).json()["count"] == 0
    assert client.get(f"/api/stages/{_stage(jaten, 'sosialisasi').pk}/").status_code == 404
    assert client.post(f"/api/stages/{_stage(jaten, 'sosialisasi').pk}/verify/").status_code == 404
    for params, field in [({"status": "done"}, "status"), ({"stage": "nope"}, "stage"),
                          ({"cooperative": "x"}, "cooperative")]:
        response = client.get("/api/stages/", params)
        assert response.status_code == 400 and field in response.json()


def test_review_queue_is_actionable_then_oldest_first_and_stays_in_the_kabupaten(
        village_staff, pati_officer, kabupaten_officer_2, blitar_officer, prawoto, pakem, jaten):
    first = submit_stage(village_staff, prawoto, "sosialisasi")
    second = submit_stage(pati_officer, pakem, "sosialisasi")
    submit_stage(blitar_officer, jaten, "sosialisasi")
    now = timezone.now()
    StageProgress.objects.filter(pk=first.pk).update(submitted_at=now - timedelta(days=1))
    StageProgress.objects.filter(pk=second.pk).update(submitted_at=now - timedelta(days=3))
    # The Pati officer submitted Pakem's stage: it comes after what they can verify, although older.
    queue = api_as(pati_officer).get("/api/stages/review-queue/").json()
    assert [row["id"] for row in queue["results"]] == [first.pk, second.pk]
    assert queue["results"][0]["stage"]["code"] == "sosialisasi"
    other = api_as(kabupaten_officer_2).get("/api/stages/review-queue/").json()
    assert [row["id"] for row in other["results"]] == [second.pk, first.pk]
    filtered = api_as(kabupaten_officer_2).get("/api/stages/review-queue/", {"waiting": 2, "stage": "sosialisasi"})
    assert [row["id"] for row in filtered.json()["results"]] == [second.pk]
    assert api_as(kabupaten_officer_2).get("/api/stages/review-queue/", {"region": PRAWOTO}).json()["count"] == 1
    refused = api_as(kabupaten_officer_2).get("/api/stages/review-queue/", {"waiting": -1})
    assert refused.status_code == 400 and "waiting" in refused.json()
    blitar = api_as(blitar_officer).get("/api/stages/review-queue/").json()
    assert blitar["count"] == 1 and blitar["results"][0]["village"] == JATEN
    assert api_as(village_staff).get("/api/stages/review-queue/").json()["count"] == 0


# SECTION: stage documents


def test_document_download_needs_personal_data_access(village_staff, director, blitar_officer, prawoto):
    progress = _stage(prawoto, "sosialisasi")
    document_id = _upload(api_as(village_staff), progress, pdf_upload("Daftar Hadir.pdf")).json()["id"]
    url = f"/api/stage-documents/{document_id}/"

    download = api_as(village_staff).get(url + "download/")
    assert download.status_code == 200
    assert "attachment" in download["Content-Disposition"] and "Daftar Hadir.pdf" in download["Content-Disposition"]
    assert download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content).startswith(b"%PDF-")

    assert api_as(director).get(url).status_code == 200
    assert api_as(director).get(url + "download/").status_code == 403
    assert api_as(director).delete(url).status_code == 403
    assert api_as(blitar_officer).get(url).status_code == 404
    assert api_as(blitar_officer).get(url + "download/").status_code == 404


def test_document_removal(village_staff, prawoto):
    progress = _stage(prawoto, "sosialisasi")
    client = api_as(village_staff)
    document_id = _upload(client, progress).json()["id"]
    assert client.delete(f"/api/stage-documents/{document_id}/").status_code == 204
    assert StageDocument.objects.get(pk=document_id).removed_at is not None
    assert client.get(f"/api/stage-documents/{document_id}/").status_code == 404
    assert client.get(f"/api/stages/{progress.pk}/").json()["documents"] == []


def test_pati_officer_sees_all_of_pati_only(pati_officer, prawoto, pakem, jaten):
    listed = api_as(pati_officer).get("/api/cooperatives/").json()
    assert listed["count"] == 2
    assert all(row["village"]["code"].startswith(PATI + ".") for row in listed["results"])
    assert Unit.objects.count() == 21  # the other kabupaten's units exist, just not visible


def test_lists_take_a_fixed_number_of_queries(pati_officer, village_staff, prawoto, pakem,
                                              django_assert_max_num_queries):
    submit_stage(village_staff, prawoto, "sosialisasi")
    submit_stage(pati_officer, pakem, "sosialisasi")
    client = api_as(pati_officer)
    for url in ("/api/cooperatives/", "/api/stages/", "/api/stages/review-queue/", "/api/units/"):
        with django_assert_max_num_queries(4):
            assert client.get(url).status_code == 200
