"""UU PDP 27/2022: the full NIK only where needed, every read of it logged, nothing that rebuilds a masked NIK."""

import io
from datetime import date

import pytest
from django.core.management import call_command

from core.identifiers import mask_nik
from members.models import Member
from members.models import PersonalDataRead
from members.services import member_add
from members.services import member_remove
from members.services import member_update
from tests.conftest import PRAWOTO
from tests.conftest import api_as
from tests.conftest import sample_nik

pytestmark = pytest.mark.django_db


@pytest.fixture
def member(village_staff, prawoto):
    created, _warnings = member_add(actor=village_staff, cooperative=prawoto, nik=sample_nik(1), name="Siti Aminah",
                                    sex="L", domicile_code=PRAWOTO, birth_date=date(1985, 8, 15),
                                    phone="0812 3456 7890")
    return created


def test_a_reader_without_personal_data_rights_gets_neither_full_nik_nor_birth_date(member, director):
    body = api_as(director).get(f"/api/members/{member.pk}/").json()
    assert body["nik"] == member.masked_nik and body["birth_date"] is None and body["birth_year"] == 1985
    assert body["phone"] == ""
    history = api_as(director).get(f"/api/members/{member.pk}/history/").json()
    created = {change["field"]: change["new"] for change in history[-1]["changes"]}
    assert created["nik"] == member.masked_nik and created["birth_date"] == 1985  # only the year
    assert not PersonalDataRead.objects.exists()  # nothing full was shown, nothing to log


def test_every_showing_of_a_full_nik_is_logged(client, member, village_staff, pati_officer):
    officer = api_as(pati_officer)
    assert officer.get(f"/api/members/{member.pk}/").json()["nik"] == member.nik
    officer.get("/api/members/", {"cooperative": member.cooperative_id})
    officer.get(f"/api/members/{member.pk}/history/")
    client.force_login(village_staff)
    client.get(f"/koperasi/{member.cooperative_id}/anggota/{member.pk}/")
    reads = list(PersonalDataRead.objects.order_by("id").values_list("user_id", "member_id", "channel"))
    assert reads == [(pati_officer.pk, member.pk, "api"), (pati_officer.pk, member.pk, "api"),
                     (pati_officer.pk, member.pk, "history"), (village_staff.pk, member.pk, "page")]
    assert PersonalDataRead.objects.filter(ip_address="127.0.0.1").count() == 4
    assert member.nik not in PersonalDataRead.objects.first().member_label  # the log itself masks the NIK


def test_only_the_national_administrator_reads_the_log(client, member, pati_officer, national_admin):
    api_as(pati_officer).get(f"/api/members/{member.pk}/")
    client.force_login(pati_officer)
    assert client.get("/koperasi/akses-data-pribadi/").status_code == 403
    client.force_login(national_admin)
    page = client.get("/koperasi/akses-data-pribadi/").content.decode()
    assert pati_officer.full_name in page and member.masked_nik in page and member.nik not in page


# SECTION: a removed member's NIK leaves the history


def _history_niks(member_id):
    return list(Member.history.filter(id=member_id).values_list("nik", "birth_date", "phone"))


@pytest.mark.django_db
def test_removing_a_member_erases_their_nik_birth_date_and_phone_from_history(pati_officer, prawoto):

    nik = sample_nik(7)
    member, _warnings = member_add(actor=pati_officer, cooperative=prawoto, nik=nik, name="Siti", sex="P",
                                   domicile_code=prawoto.village_id, birth_date=date(1985, 8, 15),
                                   phone="081234567890")
    member_update(actor=pati_officer, member=member, name="Siti Aminah")
    assert any(row[0] == nik for row in _history_niks(member.pk))

    member_id = member.pk
    member_remove(actor=pati_officer, member=member)

    rows = _history_niks(member_id)
    assert len(rows) == 3  # added, renamed, removed: who did what stays
    assert rows and all(row == (mask_nik(nik), None, "") for row in rows)


@pytest.mark.django_db
def test_the_purge_command_covers_members_removed_another_way_and_leaves_registered_members(pati_officer, prawoto):
    kept, _ = member_add(actor=pati_officer, cooperative=prawoto, nik=sample_nik(1), name="Tetap", sex="L",
                         domicile_code=prawoto.village_id, birth_date=date(1985, 8, 15))
    gone, _ = member_add(actor=pati_officer, cooperative=prawoto, nik=sample_nik(2), name="Pergi", sex="L",
                         domicile_code=prawoto.village_id, birth_date=date(1985, 8, 15))
    gone_id = gone.pk
    gone.delete()  # e.g. in the technical admin, bypassing the service
    erased = [(mask_nik(sample_nik(2)), None, "")] * 2  # its creation and its deletion

    out = io.StringIO()
    call_command("forget_removed_members", stdout=out)
    assert out.getvalue().strip().endswith(": 2")
    assert _history_niks(gone_id) == erased
    assert _history_niks(kept.pk) == [(sample_nik(1), date(1985, 8, 15), "")]
    call_command("forget_removed_members", stdout=io.StringIO())  # idempotent
    assert _history_niks(gone_id) == erased
