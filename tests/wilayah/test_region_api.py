"""The regions endpoint: scoped by the same mechanism as the UI, filterable, paginated."""

import pytest

from tests.conftest import PRAWOTO
from tests.conftest import api_as

pytestmark = pytest.mark.django_db


def _all_codes(client, url, params=None) -> list[str]:
    codes, page = [], client.get(url, params or {})
    while True:
        assert page.status_code == 200, page.content
        codes += [row["code"] for row in page.json()["results"]]
        if not page.json()["next"]:
            return codes
        page = client.get(page.json()["next"])


def test_api_requires_authentication(api_client):
    assert api_client.get("/api/regions/").status_code in (401, 403)


def test_district_officer_gets_only_pati_regions(pati_officer):
    client = api_as(pati_officer)
    codes = _all_codes(client, "/api/regions/", {"page_size": 500})
    assert len(codes) == 1 + 21 + 406  # the kabupaten, its kecamatan and its desa/kelurahan
    assert all(code.startswith("33.18") for code in codes)
    assert client.get("/api/regions/33.19/").status_code == 404
    assert client.get("/api/regions/33/").status_code == 404
    assert client.get("/api/regions/", {"level": "province"}).json()["count"] == 0


def test_village_staff_get_only_their_desa(village_staff):
    client = api_as(village_staff)
    assert _all_codes(client, "/api/regions/") == [PRAWOTO]
    detail = client.get(f"/api/regions/{PRAWOTO}/").json()
    assert detail["name"] == "Prawoto" and detail["kind"] == "desa"
    assert [a["code"] for a in detail["ancestors"]] == ["33", "33.18", "33.18.01"]


def test_filters(national_admin):
    client = api_as(national_admin)
    kota = client.get("/api/regions/", {"level": "regency", "kind": "kota"}).json()
    assert kota["count"] == 98
    children = client.get("/api/regions/", {"parent": "33.18"}).json()
    assert children["count"] == 21
    prefix = client.get("/api/regions/", {"code_prefix": "14.03.16", "level": "village"}).json()
    assert prefix["count"] == 13  # Kec. Bathin Solapan
    by_name = client.get("/api/regions/", {"q": "bathin solapan"}).json()
    assert [row["code"] for row in by_name["results"]] == ["14.03.16"]
    adat = client.get("/api/regions/", {"kind": "desa_adat"}).json()
    assert adat["count"] == 14


def test_pagination_is_bounded(national_admin):
    client = api_as(national_admin)
    page = client.get("/api/regions/", {"page_size": 100000}).json()
    assert page["count"] == 91_599 and len(page["results"]) == 500


@pytest.mark.parametrize(
    "params, field",
    [({"level": "planet"}, "level"), ({"kind": "city"}, "kind"), ({"is_active": "maybe"}, "is_active")],
)
def test_bad_filters_answer_400_with_the_field(national_admin, params, field):
    response = api_as(national_admin).get("/api/regions/", params)
    assert response.status_code == 400
    assert field in response.json()


def test_unknown_page_is_404_not_500(national_admin):
    assert api_as(national_admin).get("/api/regions/", {"page": 99999}).status_code == 404
    assert api_as(national_admin).get("/api/regions/not-a-code/").status_code == 404
