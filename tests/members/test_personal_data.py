"""UU PDP 27/2022: the full NIK only where needed, every read of it logged, nothing that rebuilds a masked NIK."""

from datetime import date

import pytest

from members.models import PersonalDataRead
from members.services import member_add
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
