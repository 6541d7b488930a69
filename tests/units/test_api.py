"""The business-unit API: readiness updates through the service, milestones, scoping, errors."""

import pytest
from django.utils import timezone

from tests.conftest import api_as
from units.models import Unit

pytestmark = pytest.mark.django_db






def _unit(cooperative, code) -> Unit:
    return cooperative.units.get(unit_type__code=code)


def test_units_are_listed_within_scope_and_filtered(pati_officer, prawoto, jaten):
    client = api_as(pati_officer)
    listed = client.get("/api/units/").json()
    assert listed["count"] == 7 and {row["cooperative"] for row in listed["results"]} == {prawoto.pk}
    assert listed["results"][0]["unit_type"] == {"code": "kantor", "label": "Kantor koperasi"}
    assert client.get("/api/units/", {"unit_type": "klinik"}).json()["count"] == 1
    assert client.get("/api/units/", {"status": "operasional"}).json()["count"] == 0
    assert client.get("/api/units/", {"cooperative": jaten.pk}).json()["count"] == 0
    assert client.get(f"/api/units/{_unit(jaten, 'klinik').pk}/").status_code == 404
    for params, field in [({"status": "open"}, "status"), ({"unit_type": "casino"}, "unit_type"),
                          ({"cooperative": "x"}, "cooperative")]:
        response = client.get("/api/units/", params)
        assert response.status_code == 400 and field in response.json()


def test_readiness_update_records_milestones(village_staff, prawoto):
    unit = _unit(prawoto, "gerai_sembako")
    client = api_as(village_staff)
    today = timezone.localdate().isoformat()
    response = client.patch(f"/api/units/{unit.pk}/", {"status": "operasional", "go_live_date": today,
                                                       "land_progress": 100, "building_progress": 100},
                            format="json")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "operasional" and body["go_live_date"] == today
    assert [milestone["status"] for milestone in body["milestones"]] == [
        "lahan_tersedia", "bangunan", "izin", "operasional"]
    assert client.get(f"/api/units/{unit.pk}/").json()["milestones"] == body["milestones"]
    assert client.get(f"/api/units/{unit.pk}/history/").json()[0]["action"] == "~"


@pytest.mark.parametrize(
    "code, payload, field",
    [
        ("klinik", {"status": "izin"}, "licence_number"),
        ("gerai_sembako", {"status": "operasional"}, "go_live_date"),
        ("gerai_sembako", {"status": "tidak_dijalankan"}, "not_run_reason"),
        ("gerai_sembako", {"status": "tutup"}, "status"),
        ("gerai_sembako", {"land_progress": 150}, "land_progress"),
        ("gerai_sembako", {"building_progress": "banyak"}, "building_progress"),
        ("gerai_sembako", {"licence_date": "2999-01-01"}, "licence_date"),
        ("gerai_sembako", {"go_live_date": "9999-12-31"}, "go_live_date"),  # a planned date: 5 years ahead at most
        ("gerai_sembako", {"name": "Toko"}, "name"),
    ],
)
def test_bad_updates_are_400_with_the_field(village_staff, prawoto, code, payload, field):
    unit = _unit(prawoto, code)
    response = api_as(village_staff).patch(f"/api/units/{unit.pk}/", payload, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json()
    unit.refresh_from_db()
    assert unit.status == "rencana" and not unit.milestones.exists()


def test_add_a_local_unit(village_staff, prawoto):
    client = api_as(village_staff)
    response = client.post("/api/units/", {"cooperative": prawoto.pk, "name": "  Pariwisata  ",
                                           "notes": "Wisata waduk"}, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["unit_type"] is None and response.json()["display_name"] == "Pariwisata"
    duplicate = client.post("/api/units/", {"cooperative": prawoto.pk, "name": "pariwisata"}, format="json")
    assert duplicate.status_code == 400 and "name" in duplicate.json()
    blank = client.post("/api/units/", {"cooperative": prawoto.pk, "name": "   "}, format="json")
    assert blank.status_code == 400 and "name" in blank.json()
    renamed = client.patch(f"/api/units/{response.json()['id']}/", {"name": "Desa Wisata"}, format="json")
    assert renamed.status_code == 200 and renamed.json()["display_name"] == "Desa Wisata"


def test_unit_writes_need_scope_and_permission(director, pati_officer, prawoto, jaten):
    unit = _unit(prawoto, "kantor")
    assert api_as(director).get(f"/api/units/{unit.pk}/").status_code == 200
    assert api_as(director).patch(f"/api/units/{unit.pk}/", {"notes": "x"}, format="json").status_code == 403
    response = api_as(director).post("/api/units/", {"cooperative": prawoto.pk, "name": "Pariwisata"}, format="json")
    assert response.status_code == 403
    response = api_as(pati_officer).post("/api/units/", {"cooperative": jaten.pk, "name": "Pariwisata"},
                                         format="json")
    assert response.status_code == 400 and "cooperative" in response.json()
    other = _unit(jaten, "kantor")
    assert api_as(pati_officer).patch(f"/api/units/{other.pk}/", {"notes": "x"}, format="json").status_code == 404
    assert api_as(pati_officer).delete(f"/api/units/{unit.pk}/").status_code == 405
    assert api_as(pati_officer).put(f"/api/units/{unit.pk}/", {"notes": "x"}, format="json").status_code == 405


def test_unit_type_catalogue(director):
    types = api_as(director).get("/api/unit-types/").json()
    assert [row["code"] for row in types][:3] == ["kantor", "gerai_sembako", "simpan_pinjam"]
    assert len(types) == 7 and all(row["is_mandatory"] for row in types)
    klinik = api_as(director).get("/api/unit-types/klinik/").json()
    assert klinik["requires_licence"] is True


def test_a_stored_far_planned_date_does_not_block_other_changes(village_staff, prawoto):
    """The planned-date bound applies when the date is typed, not to every later save of the unit."""
    from units.models import Unit

    unit = _unit(prawoto, "gerai_sembako")
    Unit.objects.filter(pk=unit.pk).update(go_live_date="2040-01-01")
    response = api_as(village_staff).patch(f"/api/units/{unit.pk}/", {"notes": "Menunggu hibah"}, format="json")
    assert response.status_code == 200, response.content
