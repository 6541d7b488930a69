"""The server-rendered pages, per persona: what each sees, what each may do, and clear Indonesian errors."""

from datetime import UTC
from datetime import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from core.roles import Role
from koperasi.forms import CooperativeProfileForm
from koperasi.models import Cooperative
from koperasi.models import StageDocument
from tests.conftest import BLITAR
from tests.conftest import PAKEM
from tests.conftest import PATI
from tests.conftest import PRAWOTO
from tests.conftest import complete_stage
from tests.conftest import make_user
from tests.conftest import pdf_upload
from tests.conftest import register
from tests.conftest import sample_nik
from tests.conftest import seed_board
from tests.conftest import submit_stage
from wilayah.models import Region

pytestmark = pytest.mark.django_db


@pytest.fixture
def three_cooperatives(village_staff, pati_officer):
    """Prawoto and Pakem in Pati, one in Kab. Blitar."""
    blitar_officer = make_user(Role.KABUPATEN_OFFICER, BLITAR)
    return register(village_staff), register(pati_officer, PAKEM), register(blitar_officer, "35.05.01.2001")


def _names(response) -> set[str]:
    return {cooperative.name for cooperative in response.context["page"]}


def test_cooperative_list_is_scoped_for_each_persona(client, three_cooperatives, pati_officer, village_staff):
    prawoto, pakem, blitar = three_cooperatives
    director = make_user(Role.FEDERATION_DIRECTOR, PAKEM)
    for user, expected in ((pati_officer, {prawoto.name, pakem.name}), (village_staff, {prawoto.name}),
                           (director, {pakem.name}), (make_user(Role.NATIONAL_ADMIN), {prawoto.name, pakem.name,
                                                                                       blitar.name})):
        client.force_login(user)
        assert _names(client.get("/koperasi/")) == expected
    client.force_login(village_staff)
    assert client.get(f"/koperasi/{pakem.pk}/").status_code == 404
    assert client.get(f"/koperasi/{blitar.pk}/tahap/sosialisasi/").status_code == 404


def test_filters_by_kecamatan_stage_and_stalled(client, three_cooperatives, pati_officer, kabupaten_officer_2):
    from tests.conftest import complete_stage

    prawoto, pakem, _blitar = three_cooperatives
    complete_stage(pati_officer, kabupaten_officer_2, prawoto, "sosialisasi", {"held_on": str(timezone.localdate())})
    Cooperative.objects.filter(pk=pakem.pk).update(stage_reached_at=datetime(2025, 1, 1, tzinfo=UTC))
    client.force_login(pati_officer)
    assert _names(client.get("/koperasi/", {"stage": "sosialisasi"})) == {prawoto.name}
    assert _names(client.get("/koperasi/", {"region": "33.18.01"})) == {prawoto.name, pakem.name}
    assert _names(client.get("/koperasi/", {"region": "33.18.02"})) == set()
    assert _names(client.get("/koperasi/", {"stalled": "true"})) == {pakem.name}
    assert _names(client.get("/koperasi/", {"unit_type": "gerai_sembako", "unit_status": "rencana"})) == {
        prawoto.name, pakem.name}
    assert _names(client.get("/koperasi/", {"unit_type": "gerai_sembako", "unit_status": "operasional"})) == set()
    Cooperative.objects.filter(pk=prawoto.pk).update(formation_completed=True)
    assert _names(client.get("/koperasi/", {"completed": "true"})) == {prawoto.name}
    assert _names(client.get("/koperasi/", {"completed": "false"})) == {pakem.name}
    # The kecamatan by name works like its code; a name that is nowhere in the area is refused, in Indonesian.
    assert _names(client.get("/koperasi/", {"region": "Kec. Sukolilo"})) == {prawoto.name, pakem.name}
    assert _names(client.get("/koperasi/", {"region": "prawoto"})) == {prawoto.name}
    # Pati has a kecamatan and a desa called Sukolilo: the user is asked which, and sees no rows meanwhile.
    ambiguous = client.get("/koperasi/", {"region": "Sukolilo"})
    assert _names(ambiguous) == set()
    assert "Kec. Sukolilo — Kab. Pati (33.18.01)" in ambiguous.content.decode()
    assert "Desa Sukolilo — Kec. Sukolilo, Kab. Pati (33.18.01.2009)" in ambiguous.content.decode()
    refused = client.get("/koperasi/", {"region": "Atlantis"}).content.decode()
    assert "Kecamatan atau desa: " in refused  # the filter's label in Indonesian, not the parameter name
    assert "Tidak ada tempat bernama “Atlantis” di wilayah Anda." in refused


def test_village_staff_register_through_the_form(client, village_staff):
    client.force_login(village_staff)
    form = client.get("/koperasi/daftar/").context["form"]
    assert form["village"].value() == f"Desa Prawoto — Kec. Sukolilo, Kab. Pati ({PRAWOTO})"
    response = client.post("/koperasi/daftar/", {"village": form["village"].value(), "formation_model": "baru",
                                                 "phone": "0812 3456 7890"})
    cooperative = Cooperative.objects.get()
    assert response["Location"] == f"/koperasi/{cooperative.pk}/"


def test_registration_errors_are_indonesian_and_inline(client, village_staff):
    register(village_staff)
    client.force_login(village_staff)
    duplicate = client.post("/koperasi/daftar/", {"village": PRAWOTO, "formation_model": "baru"})
    assert "sudah tergabung dalam" in duplicate.context["form"].errors["village"][0]
    outside = client.post("/koperasi/daftar/", {"village": PAKEM, "formation_model": "baru"})
    assert "di dalam wilayah kewenangan Anda" in outside.context["form"].errors["village"][0]
    assert Cooperative.objects.count() == 1


def test_identifiers_are_typed_as_printed_and_a_profile_field_can_be_cleared(client, village_staff, pati_officer):
    cooperative = register(village_staff, address="Jl. Raya Prawoto 1")
    client.force_login(pati_officer)
    page = client.get(f"/koperasi/{cooperative.pk}/ubah/")
    assert page.context["profile_form"]["address"].value() == "Jl. Raya Prawoto 1"

    response = client.post(f"/koperasi/{cooperative.pk}/ubah/", {
        "legal": "1", "npwp": "01.234.567.8-901.000", "nib": "1234 5678 9012 3", "bank_account_number": "123-456-7890"})

    assert response.status_code == 302, response.context["legal_form"].errors
    cooperative.refresh_from_db()
    assert (cooperative.npwp, cooperative.nib, cooperative.bank_account_number) == (
        "0012345678901000", "1234567890123", "1234567890")
    profile = CooperativeProfileForm.initial_for(cooperative) | {"address": "", "latitude": "", "longitude": ""}
    assert client.post(f"/koperasi/{cooperative.pk}/ubah/", profile).status_code == 302
    cooperative.refresh_from_db()
    assert cooperative.address == "" and cooperative.npwp == "0012345678901000"
    refused = client.post(f"/koperasi/{cooperative.pk}/ubah/", {"legal": "1", "npwp": "12.345"})
    assert refused.status_code == 200 and "npwp" in refused.context["legal_form"].errors


def test_stage_page_offers_the_right_actions(client, village_staff, pati_officer):
    cooperative = register(village_staff)
    url = f"/koperasi/{cooperative.pk}/tahap/sosialisasi/"
    client.force_login(village_staff)
    page = client.get(url)
    assert page.context["submit_form"] and "reason_form" not in page.context

    submit_stage(village_staff, cooperative, "sosialisasi")
    client.force_login(pati_officer)
    page = client.get(url)
    assert "submit_form" not in page.context and page.context["can_verify"]
    html = page.content.decode()
    assert 'name="operation" value="verify"' in html and 'name="operation" value="reject"' in html
    assert 'value="not_applicable"' not in html  # a submitted stage awaits its verdict
    client.force_login(village_staff)
    assert 'value="verify"' not in client.get(url).content.decode()


def test_a_stage_marked_not_applicable_can_be_reopened_from_its_page(client, village_staff, pati_officer,
                                                                     kabupaten_officer_2):
    cooperative = register(village_staff, formation_model="pengembangan")
    for code in ("sosialisasi", "musdesus"):
        complete_stage(village_staff, pati_officer, cooperative, code)
    url = f"/koperasi/{cooperative.pk}/tahap/rapat_pendirian/"
    client.force_login(kabupaten_officer_2)
    assert 'value="not_applicable"' in client.get(url).content.decode()
    client.post(url, {"operation": "not_applicable", "reason": "Koperasi sudah berdiri sejak 2010."})
    assert 'value="reopen"' in client.get(url).content.decode()

    short = client.post(url, {"operation": "reopen", "reason": "ya"})
    assert short.status_code == 200 and "reason" in short.context["reason_form"].errors
    assert client.post(url, {"operation": "reopen", "reason": "Ternyata koperasi baru."}).status_code == 302
    assert cooperative.stages.get(stage__code="rapat_pendirian").status == "not_started"


def test_skipping_a_stage_in_the_form_is_refused_in_indonesian(client, village_staff):
    cooperative = register(village_staff)
    client.force_login(village_staff)
    response = client.post(f"/koperasi/{cooperative.pk}/tahap/musdesus/", {
        "operation": "submit", "held_on": "2025-05-20", "participants": "100",
        "doc_berita_acara_musdesus": pdf_upload(), "doc_daftar_hadir_musdesus": pdf_upload()})
    assert "Tahap harus berurutan" in response.content.decode()
    assert not StageDocument.objects.exists()


def test_oversized_or_wrong_type_uploads_are_refused_in_the_form(client, village_staff, settings):
    cooperative = register(village_staff)
    client.force_login(village_staff)
    url = f"/koperasi/{cooperative.pk}/tahap/sosialisasi/"
    fake = SimpleUploadedFile("scan.pdf", b"GIF89a" + b"0" * 100)
    response = client.post(url, {"operation": "submit", "held_on": "2025-04-10", "doc_berita_acara_sosialisasi": fake})
    assert "bukan dokumen PDF, JPG, atau PNG" in response.content.decode()
    settings.DOCUMENT_MAX_BYTES = 100
    response = client.post(url, {"operation": "submit", "held_on": "2025-04-10",
                                 "doc_berita_acara_sosialisasi": pdf_upload(size=500)})
    assert "batasnya" in response.content.decode()
    assert not StageDocument.objects.exists()


def test_viewers_cannot_submit_and_are_told_why(client, village_staff):
    cooperative = register(village_staff)
    director = make_user(Role.FEDERATION_DIRECTOR, PRAWOTO)
    client.force_login(director)
    url = f"/koperasi/{cooperative.pk}/tahap/sosialisasi/"
    assert "submit_form" not in client.get(url).context
    response = client.post(url, {"operation": "submit", "held_on": "2025-04-10",
                                 "doc_berita_acara_sosialisasi": pdf_upload()}, follow=True)
    assert "di luar wilayah" in response.content.decode()
    assert cooperative.stages.get(stage__code="sosialisasi").status == "not_started"


def test_review_queue_is_oldest_first_and_for_verifiers_only(client, village_staff, pati_officer):
    first = register(village_staff)
    second = register(pati_officer, PAKEM)
    submit_stage(pati_officer, second, "sosialisasi")
    submit_stage(village_staff, first, "sosialisasi")
    blitar = register(make_user(Role.KABUPATEN_OFFICER, BLITAR), "35.05.01.2001")
    submit_stage(make_user(Role.KABUPATEN_OFFICER, BLITAR), blitar, "sosialisasi")

    client.force_login(make_user(Role.KABUPATEN_OFFICER, PATI))
    queue = list(client.get("/koperasi/verifikasi/").context["page"])
    assert [progress.cooperative for progress in queue] == [second, first]
    client.force_login(village_staff)
    assert client.get("/koperasi/verifikasi/").status_code == 403
    client.force_login(make_user(Role.KECAMATAN_OFFICER, "33.18.01"))
    assert client.get("/koperasi/verifikasi/").status_code == 403


def test_documents_download_only_for_those_who_may_see_personal_data(client, village_staff):
    cooperative = register(village_staff)
    progress = submit_stage(village_staff, cooperative, "sosialisasi")
    document = progress.documents.get()
    client.force_login(village_staff)
    response = client.get(f"/koperasi/dokumen/{document.pk}/")
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF-")
    assert "sosialisasi" in response["Content-Disposition"]
    client.force_login(make_user(Role.FEDERATION_DIRECTOR, PRAWOTO))
    assert client.get(f"/koperasi/dokumen/{document.pk}/").status_code == 403
    client.force_login(make_user(Role.KABUPATEN_OFFICER, BLITAR))
    assert client.get(f"/koperasi/dokumen/{document.pk}/").status_code == 404


def test_nik_is_masked_for_viewers_and_full_for_the_village(client, village_staff):
    cooperative = register(village_staff)
    seed_board(village_staff, cooperative)
    member = cooperative.members.get(nik=sample_nik(1))
    director = make_user(Role.FEDERATION_DIRECTOR, PRAWOTO)

    client.force_login(director)
    listing = client.get(f"/koperasi/{cooperative.pk}/anggota/").content.decode()
    detail = client.get(f"/koperasi/{cooperative.pk}/anggota/{member.pk}/").content.decode()
    assert sample_nik(1) not in listing and sample_nik(1) not in detail
    assert member.masked_nik in detail

    client.force_login(village_staff)
    assert sample_nik(1) not in client.get(f"/koperasi/{cooperative.pk}/anggota/").content.decode()  # lists mask
    assert sample_nik(1) in client.get(f"/koperasi/{cooperative.pk}/anggota/{member.pk}/").content.decode()


def test_wrong_nik_in_the_member_form_is_explained_and_saves_nothing(client, village_staff):
    cooperative = register(village_staff)
    client.force_login(village_staff)
    response = client.post(f"/koperasi/{cooperative.pk}/anggota/", {
        "operation": "add_member", "nik": "3318-0115", "name": "Budi", "sex": "L", "domicile_code": PRAWOTO})
    assert "NIK harus tepat 16 digit" in response.content.decode()
    assert not cooperative.members.exists()


def test_the_member_form_can_clear_a_field(client, village_staff):
    """A kepala desa who leaves office, and a phone number that no longer works, are cleared from the form."""
    cooperative = register(village_staff)
    client.force_login(village_staff)
    client.post(f"/koperasi/{cooperative.pk}/anggota/", {
        "operation": "add_member", "nik": sample_nik(5), "name": "Pak Kades", "sex": "L", "domicile_code": PRAWOTO,
        "village_office": "kepala_desa", "phone": "0812 1111 2222", "is_founder": "on"})
    member = cooperative.members.get()
    assert (member.village_office, str(member.phone), member.is_founder) == ("kepala_desa", "+6281211112222", True)

    response = client.post(f"/koperasi/{cooperative.pk}/anggota/{member.pk}/", {
        "nik": sample_nik(5), "name": "Pak Kades", "sex": "L", "domicile_code": PRAWOTO, "village_office": "",
        "phone": "", "joined_on": member.joined_on.isoformat()})

    assert response.status_code == 302
    member.refresh_from_db()
    assert (member.village_office, str(member.phone or ""), member.is_founder) == ("", "", False)


def test_governance_rule_is_explained_when_assigning_a_position(client, village_staff):
    cooperative = register(village_staff)
    client.force_login(village_staff)
    client.post(f"/koperasi/{cooperative.pk}/anggota/", {
        "operation": "add_member", "nik": sample_nik(5), "name": "Pak Kades", "sex": "L", "domicile_code": PRAWOTO,
        "village_office": "kepala_desa"})
    kades = cooperative.members.get()
    response = client.post(f"/koperasi/{cooperative.pk}/anggota/", {"operation": "assign", "member": kades.pk,
                                                                     "role": "ketua"})
    assert "tidak boleh menjadi pengurus" in response.content.decode()
    assert not cooperative.positions.exists()


def test_target_pages(client, pati_officer, village_staff):
    client.force_login(pati_officer)
    response = client.post("/target/baru/", {"region": PATI, "metric": "stage", "stage": "musdesus",
                                              "start_date": "2025-04-01", "due_date": "2025-05-31"})
    assert response.status_code == 302
    detail = client.get(response["Location"])
    assert detail.context["row"].figures.target == 406 and detail.context["can_split"]
    # Split to the kecamatan, then correct a bad edit: the error stays on the form.
    client.post(response["Location"], {"operation": "split"})
    detail = client.get(response["Location"])
    assert sum(row.figures.target for row in detail.context["children"]) == 406
    assert len(detail.context["children"]) == Region.objects.filter(parent_id=PATI).count()
    refused = client.post(response["Location"], {"title": "", "target_count": "406", "start_date": "2025-04-01",
                                                  "due_date": "2025-03-01", "notes": ""})
    assert refused.status_code == 200 and "due_date" in refused.context["form"].errors
    assert len(client.get("/target/").context["rows"]) == 1 + len(detail.context["children"])
    client.force_login(village_staff)
    assert client.get("/target/baru/").status_code == 403
    assert client.get(response["Location"]).status_code == 404  # a kabupaten target is outside a desa's scope


def test_visit_pages_for_coordinators_only(client, sukolilo_officer, village_staff):
    client.force_login(sukolilo_officer)
    response = client.post("/pendampingan/", {"village": PRAWOTO, "visited_on": "2025-05-02",
                                              "topic": "Persiapan Musdesus", "follow_up_on": "2025-05-09"})
    assert response.status_code == 302
    assert len(client.get("/pendampingan/").context["follow_ups"]) == 1
    assert len(client.get("/pendampingan/", {"village": "33.18.01"}).context["page"].object_list) == 1
    assert len(client.get("/pendampingan/", {"village": "33.18.02"}).context["page"].object_list) == 0
    refused = client.get("/pendampingan/", {"village": "3"})
    assert "village" in refused.context["filterset"].form.errors
    assert "Desa, kecamatan atau kabupaten: " in refused.content.decode()
    coordinators = client.get("/pendampingan/koordinator/", {"region": "33.18.01"})
    assert [district.code for district, _people in coordinators.context["rows"]] == ["33.18.01"]
    client.force_login(village_staff)
    assert client.get("/pendampingan/").status_code == 403


def test_village_staff_start_from_their_cooperatives_next_step_and_what_was_sent_back(
        client, village_staff, pati_officer):
    from koperasi.services import stage_reject

    client.force_login(village_staff)
    home = client.get("/").content.decode()
    assert "Belum ada koperasi terdaftar untuk desa/kelurahan Anda" in home and "/koperasi/daftar/" in home
    cooperative = register(village_staff)
    home = client.get("/").content.decode()
    assert f"/koperasi/{cooperative.pk}/tahap/sosialisasi/" in home and "Sosialisasi" in home
    progress = submit_stage(village_staff, cooperative, "sosialisasi")
    stage_reject(actor=pati_officer, progress=progress, reason="Foto buram, mohon unggah ulang.")
    home = client.get("/").content.decode()
    assert "Sosialisasi dikembalikan:" in home and "Foto buram, mohon unggah ulang." in home


def test_a_document_missing_from_storage_is_a_404_not_a_500(client, village_staff):
    cooperative = register(village_staff)
    document = submit_stage(village_staff, cooperative, "sosialisasi").documents.get()
    document.file.storage.delete(document.file.name)
    client.force_login(village_staff)
    assert client.get(f"/koperasi/dokumen/{document.pk}/").status_code == 404
    assert client.get(f"/api/stage-documents/{document.pk}/download/").status_code == 404


def test_a_joint_cooperative_is_registered_with_village_names_one_per_line(client, pati_officer):
    client.force_login(pati_officer)
    response = client.post("/koperasi/daftar/", {
        "village": "Prawoto", "formation_model": "baru", "joint_villages": "Pakem\nAtlantis",
        "joint_population_confirmed": "on"})
    assert "Atlantis: Tidak ada tempat bernama" in response.context["form"].errors["joint_villages"][0]
    assert not Cooperative.objects.exists()
    response = client.post("/koperasi/daftar/", {
        "village": "Prawoto", "formation_model": "baru", "joint_villages": "Desa Pakem; ",
        "joint_population_confirmed": "on"})
    cooperative = Cooperative.objects.get()
    assert response["Location"] == f"/koperasi/{cooperative.pk}/"
    assert set(cooperative.villages.values_list("village_id", flat=True)) == {PRAWOTO, PAKEM}


def test_queue_marks_own_submissions_and_filters_by_kecamatan_stage_and_age(client, village_staff, pati_officer,
                                                                            prawoto):
    from datetime import timedelta

    from django.utils import timezone

    from koperasi.models import StageProgress

    pakem = register(pati_officer, PAKEM)
    mine = submit_stage(pati_officer, pakem, "sosialisasi")
    theirs = submit_stage(village_staff, prawoto, "sosialisasi")
    StageProgress.objects.filter(pk=theirs.pk).update(submitted_at=timezone.now() - timedelta(days=8))
    client.force_login(pati_officer)
    page = client.get("/koperasi/verifikasi/")
    rows = list(page.context["page"])
    assert [row.pk for row in rows] == [theirs.pk, mine.pk]
    html = page.content.decode()
    assert html.count("menunggu petugas lain") == 1 and "8 hari" in html
    stage_page = client.get(f"/koperasi/{pakem.pk}/tahap/sosialisasi/").content.decode()
    assert "menunggu verifikasi petugas lain" in stage_page and 'value="verify"' not in stage_page
    assert [row.pk for row in client.get("/koperasi/verifikasi/", {"waiting": "7"}).context["page"]] == [theirs.pk]
    assert [row.pk for row in client.get("/koperasi/verifikasi/", {"region": "Pakem"}).context["page"]] == [mine.pk]
    assert list(client.get("/koperasi/verifikasi/", {"stage": "musdesus"}).context["page"]) == []


def test_a_stage_whose_turn_has_not_come_says_why_instead_of_offering_its_form(client, village_staff, pati_officer):
    """The notarial deed's form had been offered before the founding meeting: filled in, then refused."""
    cooperative = register(village_staff)
    client.force_login(village_staff)
    later = client.get(f"/koperasi/{cooperative.pk}/tahap/akta_notaris/").content.decode()
    assert 'id="stage-blockers"' in later and 'value="submit"' not in later
    assert "berurutan" in later
    first = client.get(f"/koperasi/{cooperative.pk}/tahap/sosialisasi/").content.decode()
    assert 'id="stage-blockers"' not in first and 'value="submit"' in first
    complete_stage(village_staff, pati_officer, cooperative, "sosialisasi")
    complete_stage(village_staff, pati_officer, cooperative, "musdesus")
    # The founding meeting's turn has come, but its board is not appointed yet: the rules are listed first.
    founding = client.get(f"/koperasi/{cooperative.pk}/tahap/rapat_pendirian/").content.decode()
    assert 'id="stage-blockers"' in founding and "pendiri" in founding and 'value="submit"' not in founding
