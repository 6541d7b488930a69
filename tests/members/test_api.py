"""The member register and board API: NIK masking, scoping, governance rules as 400s, permissions as 403s."""

import pytest

from members.models import Member
from members.models import Position
from members.services import member_add
from members.services import position_assign
from tests.conftest import PAKEM
from tests.conftest import PRAWOTO
from tests.conftest import api_as
from tests.conftest import sample_nik
from tests.conftest import seed_board

pytestmark = pytest.mark.django_db






def _add(actor, cooperative, sequence=1, **kwargs):
    kwargs.setdefault("name", f"Warga {sequence}")
    kwargs.setdefault("sex", "L")
    return member_add(actor=actor, cooperative=cooperative, nik=sample_nik(sequence),
                      domicile_code=cooperative.village_id, **kwargs)[0]


def _payload(coop, **overrides):
    return {"cooperative": coop.pk, "nik": sample_nik(7), "name": "Siti Aminah", "sex": "L",
            "domicile": coop.village_id, **overrides}


def test_nik_is_full_for_village_staff_and_masked_for_a_federation_director(village_staff, director, prawoto):
    member = _add(village_staff, prawoto)
    full = api_as(village_staff).get(f"/api/members/{member.pk}/").json()
    assert full["nik"] == member.nik and full["nik_masked"] == member.masked_nik != member.nik
    masked = api_as(director).get(f"/api/members/{member.pk}/").json()
    assert masked["nik"] == member.masked_nik and masked["nik_masked"] == member.masked_nik
    listed = api_as(director).get("/api/members/").json()["results"]
    assert [row["nik"] for row in listed] == [member.masked_nik]
    # The audit trail of the register masks the NIK as well.
    history = api_as(director).get(f"/api/members/{member.pk}/history/").json()
    values = [change["new"] for entry in history for change in entry["changes"] if change["field"] == "nik"]
    assert values == [member.masked_nik]
    history = api_as(village_staff).get(f"/api/members/{member.pk}/history/").json()
    assert member.nik in [change["new"] for entry in history for change in entry["changes"]]


def test_members_are_scoped(pati_officer, village_staff, prawoto, jaten):
    own = _add(village_staff, prawoto)
    other = _add(jaten.registered_by, jaten, 2)
    client = api_as(pati_officer)
    assert [row["id"] for row in client.get("/api/members/").json()["results"]] == [own.pk]
    assert client.get(f"/api/members/{other.pk}/").status_code == 404
    assert client.patch(f"/api/members/{other.pk}/", {"name": "X"}, format="json").status_code == 404
    assert client.delete(f"/api/members/{other.pk}/").status_code == 404
    assert Member.objects.filter(pk=other.pk).exists()


def test_member_filters(village_staff, prawoto):
    _add(village_staff, prawoto, 1, name="Budi Santoso", is_founder=True)
    _add(village_staff, prawoto, 2, name="Siti Aminah")
    client = api_as(village_staff)
    assert [row["name"] for row in client.get("/api/members/", {"q": "budi"}).json()["results"]] == ["Budi Santoso"]
    assert client.get("/api/members/", {"is_founder": "true"}).json()["count"] == 1
    assert client.get("/api/members/", {"cooperative": prawoto.pk}).json()["count"] == 2
    for params, field in [({"is_founder": "yes"}, "is_founder"), ({"cooperative": "abc"}, "cooperative")]:
        response = client.get("/api/members/", params)
        assert response.status_code == 400 and field in response.json()


def test_add_member_returns_the_nik_warnings(village_staff, prawoto):
    # A woman's NIK (day + 40) entered with sex L: a warning, not an error.
    response = api_as(village_staff).post("/api/members/", _payload(prawoto, nik=sample_nik(3, female=True)),
                                          format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert len(body["warnings"]) == 1 and body["nik_warnings"] == body["warnings"]
    assert body["nik"] == sample_nik(3, female=True) and body["domicile"]["code"] == PRAWOTO
    assert Member.objects.get(pk=body["id"]).created_by == village_staff


def test_add_member_outside_scope_or_without_permission(director, pati_officer, prawoto, jaten):
    response = api_as(director).post("/api/members/", _payload(prawoto), format="json")
    assert response.status_code == 403
    # A cooperative the caller cannot see is answered as if it did not exist.
    response = api_as(pati_officer).post("/api/members/", _payload(jaten), format="json")
    assert response.status_code == 400 and "cooperative" in response.json()
    assert not Member.objects.exists()


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"nik": "3318"}, "nik"),
        ({"nik": "33180115088500000"}, "nik"),
        ({"sex": "X"}, "sex"),
        ({"name": ""}, "name"),
        ({"domicile": PAKEM}, "domicile"),
        ({"domicile": "Prawoto"}, "domicile"),
        ({"birth_date": "2999-01-01"}, "birth_date"),
        ({"phone": "123"}, "phone"),
        ({"village_office": "camat"}, "village_office"),
        ({"cooperative": None}, "cooperative"),
    ],
)
def test_bad_member_input_is_400_with_the_field(village_staff, prawoto, overrides, field):
    response = api_as(village_staff).post("/api/members/", _payload(prawoto, **overrides), format="json")
    assert response.status_code == 400, response.content
    assert field in response.json()
    assert not Member.objects.exists()


def test_duplicate_nik_is_400(village_staff, prawoto):
    _add(village_staff, prawoto, 7)
    response = api_as(village_staff).post("/api/members/", _payload(prawoto), format="json")
    assert response.status_code == 400 and "nik" in response.json()


def test_update_member(village_staff, director, prawoto):
    people, _kades = seed_board(village_staff, prawoto)
    client = api_as(village_staff)
    response = client.patch(f"/api/members/{people[6].pk}/", {"name": "Anggota Tujuh", "phone": "0812 1111 2222"},
                            format="json")
    assert response.status_code == 200, response.content
    assert response.json()["name"] == "Anggota Tujuh" and response.json()["phone"] == "+6281211112222"
    # The ketua may not become a village official while holding the post.
    response = client.patch(f"/api/members/{people[0].pk}/", {"village_office": "perangkat_desa"}, format="json")
    assert response.status_code == 400 and "village_office" in response.json()
    response = client.patch(f"/api/members/{people[0].pk}/", {"domicile": PAKEM}, format="json")
    assert response.status_code == 400 and "domicile" in response.json()
    response = client.patch(f"/api/members/{people[6].pk}/", {"joined_on": None}, format="json")
    assert response.status_code == 400 and "joined_on" in response.json()
    assert api_as(director).patch(f"/api/members/{people[6].pk}/", {"name": "X"}, format="json").status_code == 403


def test_remove_member(village_staff, director, prawoto):
    people, _kades = seed_board(village_staff, prawoto)
    client = api_as(village_staff)
    assert client.delete(f"/api/members/{people[0].pk}/").status_code == 400  # the ketua: end the post first
    assert api_as(director).delete(f"/api/members/{people[8].pk}/").status_code == 403
    assert client.delete(f"/api/members/{people[8].pk}/").status_code == 204
    assert not Member.objects.filter(pk=people[8].pk).exists()


# SECTION: positions


def test_appoint_and_end_a_position(village_staff, prawoto):
    member = _add(village_staff, prawoto)
    client = api_as(village_staff)
    response = client.post("/api/positions/", {"cooperative": prawoto.pk, "member": member.pk, "role": "ketua",
                                               "started_on": "2025-06-01"}, format="json")
    assert response.status_code == 201, response.content
    position = response.json()
    assert position["role"] == "ketua" and position["is_active"] and position["member_name"] == member.name
    assert client.get("/api/positions/", {"active": "true"}).json()["count"] == 1

    before_start = client.post(f"/api/positions/{position['id']}/end/", {"ended_on": "2025-05-01"}, format="json")
    assert before_start.status_code == 400 and "ended_on" in before_start.json()
    ended = client.post(f"/api/positions/{position['id']}/end/", {"ended_on": "2025-12-31"}, format="json")
    assert ended.status_code == 200 and ended.json()["ended_on"] == "2025-12-31" and not ended.json()["is_active"]
    assert client.get("/api/positions/", {"active": "true"}).json()["count"] == 0
    assert client.get("/api/positions/", {"active": "false"}).json()["count"] == 1
    assert client.get(f"/api/positions/{position['id']}/history/").status_code == 200


def test_governance_rules_are_400_with_the_field(village_staff, prawoto, jaten):
    first, second = _add(village_staff, prawoto, 1), _add(village_staff, prawoto, 2)
    kades = _add(village_staff, prawoto, 3, village_office="kepala_desa")
    position_assign(actor=village_staff, cooperative=prawoto, member=first, role="ketua")
    client = api_as(village_staff)

    def appoint(member, role, cooperative=prawoto):
        return client.post("/api/positions/", {"cooperative": cooperative.pk, "member": member.pk, "role": role},
                           format="json")

    for member, role, field in [(second, "ketua", "role"), (kades, "sekretaris", "role"),
                                (second, "ketua_pengawas", "role"), (second, "raja", "role")]:
        response = appoint(member, role)
        assert response.status_code == 400 and field in response.json(), (role, response.content)
    response = client.post("/api/positions/", {"cooperative": prawoto.pk, "role": "sekretaris"}, format="json")
    assert response.status_code == 400 and "member" in response.json()
    # A member of a cooperative the caller cannot see does not exist for them.
    outsider = _add(jaten.registered_by, jaten, 5)
    response = appoint(outsider, "sekretaris")
    assert response.status_code == 400 and "member" in response.json()
    assert Position.objects.filter(cooperative=prawoto).count() == 1


def test_positions_are_scoped_and_need_the_edit_permission(village_staff, director, pati_officer, prawoto, jaten):
    member = _add(village_staff, prawoto)
    position = position_assign(actor=village_staff, cooperative=prawoto, member=member, role="bendahara")
    outsider = _add(jaten.registered_by, jaten, 2)
    other = position_assign(actor=jaten.registered_by, cooperative=jaten, member=outsider, role="bendahara")
    assert [row["id"] for row in api_as(pati_officer).get("/api/positions/").json()["results"]] == [position.pk]
    assert api_as(pati_officer).post(f"/api/positions/{other.pk}/end/", {}, format="json").status_code == 404
    assert api_as(director).get(f"/api/positions/{position.pk}/").status_code == 200
    assert api_as(director).post(f"/api/positions/{position.pk}/end/", {}, format="json").status_code == 403
    response = api_as(director).post("/api/positions/", {"cooperative": prawoto.pk, "member": member.pk,
                                                         "role": "anggota_pengawas"}, format="json")
    assert response.status_code == 403
    bad = api_as(village_staff).post(f"/api/positions/{position.pk}/end/", {"ended_on": "31-12-2025"}, format="json")
    assert bad.status_code == 400 and "ended_on" in bad.json()


def test_member_list_takes_a_fixed_number_of_queries(village_staff, prawoto, django_assert_max_num_queries):
    seed_board(village_staff, prawoto)
    client = api_as(village_staff)
    with django_assert_max_num_queries(4):
        assert client.get("/api/members/").json()["count"] == 10
    with django_assert_max_num_queries(4):
        assert client.get("/api/positions/").json()["count"] == 6
