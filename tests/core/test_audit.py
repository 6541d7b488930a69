"""Every change to a domain model is recorded with who, when and before/after values."""

import pytest

from accounts import services
from core.audit import audit_trail
from core.roles import Role
from tests.conftest import PRAWOTO
from tests.conftest import api_as
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


def test_change_is_recorded_with_author_time_and_diff(pati_officer, village_staff):
    services.user_deactivate(actor=pati_officer, user=village_staff)

    record = village_staff.history.latest()
    assert record.history_user == pati_officer and record.history_type == "~"
    delta = record.diff_against(record.prev_record)
    assert [(c.field, c.old, c.new) for c in delta.changes] == [("is_active", True, False)]


def test_history_is_readable_through_the_api_like_the_object(pati_officer, village_staff):
    services.role_assign(actor=pati_officer, user=village_staff, role=Role.VILLAGE_STAFF, region_code="33.18.01.2002")
    services.user_deactivate(actor=pati_officer, user=village_staff)

    history = api_as(pati_officer).get(f"/api/users/{village_staff.pk}/history/").json()

    assert history[0]["subject"] in ("pengguna", "user") and history[0]["who"].startswith(str(pati_officer))
    assert history[0]["changes"] == [{"field": "is_active", "label": history[0]["changes"][0]["label"],
                                      "old": True, "new": False, "old_text": "Ya", "new_text": "Tidak"}]
    granted = history[1]
    values = {change["field"]: (change["old"], change["new"]) for change in granted["changes"]}
    assert granted["action"] == "+"
    assert values["region_id"] == (None, "33.18.01.2002") and values["role"][1] == "Staf desa/kelurahan"
    texts = {change["field"]: change["new_text"] for change in granted["changes"]}
    assert texts["region_id"] == "33.18.01.2002 Pakem"  # the region by name, not only its key


def test_history_of_an_object_outside_the_scope_is_404(pati_officer):
    outsider = make_user(Role.VILLAGE_STAFF, "35.05.01.2001")
    assert api_as(pati_officer).get(f"/api/users/{outsider.pk}/history/").status_code == 404
    assert api_as(pati_officer).get("/api/regions/35.05/history/").status_code == 404


def test_region_history_endpoint_for_a_region_in_scope(village_staff):
    response = api_as(village_staff).get(f"/api/regions/{PRAWOTO}/history/")
    assert response.status_code == 200 and response.json() == []


def test_the_cooperative_history_reads_in_words(client, village_staff, pati_officer):
    from koperasi.services import stage_reject
    from tests.conftest import register
    from tests.conftest import submit_stage

    cooperative = register(village_staff)
    progress = submit_stage(village_staff, cooperative, "sosialisasi")
    stage_reject(actor=pati_officer, progress=progress, reason="Foto sosialisasi tidak terbaca.")
    submit_stage(village_staff, cooperative, "sosialisasi")
    client.force_login(pati_officer)
    html = client.get(f"/koperasi/{cooperative.pk}/").content.decode()
    history = " ".join(html[html.index('id="history"'):].split())
    # Stage submissions and rejections appear on the cooperative's history, with names and offices.
    assert "Tahap Sosialisasi" in history and "Ditolak — perlu perbaikan" in history
    assert f"{pati_officer.full_name} (Petugas kabupaten/kota, Kabupaten Pati)" in history
    assert "Tanggal dilaksanakan: 10 Apr 2025" in history  # stage data as labelled fields
    assert "berkas diganti" in history and "berkas berita_acara_sosialisasi.pdf" in history
    assert "documents/" not in history and progress.documents.first().sha256 not in history  # no paths, no hashes
    assert f"didaftarkan oleh: <ins>{village_staff.full_name}" in history  # a name, not a key
    assert "Tidak</ins>" in history  # Ya/Tidak, not False


def test_signing_in_is_not_a_change_of_the_user(client, pati_officer):
    before = audit_trail(pati_officer.history.all())
    client.post("/accounts/login/", {"login": pati_officer.email, "password": "a-Long-test-passw0rd"})
    assert len(audit_trail(pati_officer.history.all())) == len(before)


def test_a_stage_date_that_is_not_iso_reads_as_stored(village_staff):
    from koperasi.models import StageProgress
    from tests.conftest import register

    cooperative = register(village_staff)
    assert StageProgress.audit_format("data", {"held_on": "10/04/2025"}) == "Tanggal dilaksanakan: 10/04/2025"
    assert StageProgress.audit_format("data", {"held_on": "2025-04-10"}) == "Tanggal dilaksanakan: 10 Apr 2025"
    assert cooperative.pk


def test_history_writes_amounts_months_and_dates_as_the_pages_do(pati_officer):
    from datetime import date

    from django.utils import translation

    from bumdes.models import SiteFigure
    from core.audit import _text

    with translation.override("id"):
        assert _text(SiteFigure, "revenue", 55_693_000, {}) == "55.693.000"
        assert _text(SiteFigure, "month", date(2026, 10, 1), {}) == "Oktober 2026"
        assert _text(SiteFigure, "year", 2026, {}) == "2026"  # a year is no amount
    with translation.override("en"):
        assert _text(SiteFigure, "revenue", 55_693_000, {}) == "55,693,000"
        assert _text(SiteFigure, "legal_date", date(2018, 12, 20), {}) == "20 Dec 2018"


def test_a_members_nik_warnings_read_as_sentences_not_a_python_list(village_staff):
    from datetime import date

    from members.services import member_add
    from tests.conftest import register
    from tests.conftest import sample_nik

    cooperative = register(village_staff)
    # A birth date other than the NIK's digits 7-12: a warning, kept with the member.
    member, warnings = member_add(actor=village_staff, cooperative=cooperative, nik=sample_nik(1), name="Budi",
                                  sex="L", domicile_code=PRAWOTO, birth_date=date(1971, 2, 2))
    shown = {change.field: change.new_text for entry in audit_trail(member.history.all()) for change in entry.changes}
    assert warnings and shown["nik_warnings"] == "; ".join(warnings) and "['" not in shown["nik_warnings"]
