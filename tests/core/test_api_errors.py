"""
What the API fuzzing (tests/test_api_fuzz.py) found, one class per test: every answer under /api/ is JSON in
the documented error shape, OPTIONS never crashes, and query parameters and ids are read strictly.
"""

import string

import pytest
from django.test import RequestFactory

from config.urls import handler500
from members.models import Member
from tests.conftest import api_as
from tests.conftest import register
from tests.conftest import seed_board

pytestmark = pytest.mark.django_db

ARABIC_INDIC = "٠١٢٣٤٥٦٧٨٩"
FULL_WIDTH = "０１２３４５６７８９"


def _is_json_detail(response, status: int) -> bool:
    return (response.status_code == status and response["Content-Type"] == "application/json"
            and isinstance(response.json().get("detail"), str))


@pytest.mark.parametrize("path", ["/api/no-such-thing/", "/api/cooperatives/abc/", "/api/members/1/nothing/"])
def test_an_unknown_address_under_the_api_is_a_json_404(national_admin, path):
    """Django's HTML error page answered these, which no API client can read (and the schema says JSON)."""
    assert _is_json_detail(api_as(national_admin).get(path), 404)


def test_pages_outside_the_api_keep_the_portal_error_page(national_admin, client):
    client.force_login(national_admin)
    response = client.get("/koperasi/no-such-page/")
    assert response.status_code == 404 and response["Content-Type"].startswith("text/html")


def test_a_crash_under_the_api_answers_json_and_elsewhere_the_error_page():
    factory = RequestFactory()
    api = handler500(factory.get("/api/cooperatives/"))
    assert api.status_code == 500 and api["Content-Type"] == "application/json" and "detail" in api.content.decode()
    page = handler500(factory.get("/koperasi/"))
    assert page.status_code == 500 and page["Content-Type"].startswith("text/html")


@pytest.mark.parametrize("path", ["/api/notifications/preferences/", "/api/cooperatives/", "/api/me/",
                                  "/api/stages/review-queue/"])
def test_options_answers_405_not_a_server_error(national_admin, path):
    """DRF's OPTIONS metadata read an object on a list route with PUT (preferences) and crashed with a 500."""
    response = api_as(national_admin).options(path)
    assert _is_json_detail(response, 405)
    assert "GET" in response["Allow"]


@pytest.mark.parametrize("page_size", ["abc", "0", "-5", "2.5", "١٠"])
def test_a_page_size_that_is_not_a_whole_number_from_1_is_a_400(national_admin, page_size):
    """It fell back to 50 rows silently, which looks like an answer to the question asked."""
    response = api_as(national_admin).get("/api/regions/", {"page_size": page_size})
    assert response.status_code == 400 and "page_size" in response.json()


def test_page_size_empty_is_the_default_and_large_is_capped(national_admin):
    client = api_as(national_admin)
    assert len(client.get("/api/regions/", {"page_size": ""}).json()["results"]) == 50
    assert len(client.get("/api/regions/", {"page_size": "100000"}).json()["results"]) == 500


@pytest.mark.parametrize("digits", [ARABIC_INDIC, FULL_WIDTH])
def test_ids_in_addresses_are_ascii_digits(village_staff, digits):
    """``\\d`` in the routes also matched other scripts' digits, which int() reads: /api/members/١/ was member 1."""
    cooperative = register(village_staff)
    seed_board(village_staff, cooperative)
    member = Member.objects.filter(cooperative=cooperative).order_by("pk").first()
    client = api_as(village_staff)
    assert client.get(f"/api/members/{member.pk}/").status_code == 200
    in_other_script = str.maketrans(string.digits, digits)
    assert _is_json_detail(client.get(f"/api/members/{str(member.pk).translate(in_other_script)}/"), 404)
    assert _is_json_detail(client.get(f"/api/cooperatives/{str(cooperative.pk).translate(in_other_script)}/"), 404)


@pytest.mark.parametrize("path, name", [
    ("/api/members/", "cooperative"), ("/api/positions/", "member"), ("/api/units/", "cooperative"),
    ("/api/visits/", "cooperative"), ("/api/stages/", "cooperative"), ("/api/stages/review-queue/", "waiting"),
])
def test_id_and_count_filters_take_whole_numbers(national_admin, path, name):
    """``cooperative=1.5`` was read as a decimal (and matched cooperative 1); ``waiting=0.5`` as half a day."""
    client = api_as(national_admin)
    assert client.get(path, {name: "1"}).status_code == 200
    refused = client.get(path, {name: "1.5"})
    assert refused.status_code == 400 and name in refused.json()


def test_json_nested_too_deeply_is_a_400_even_before_signing_in(client):
    """Python's decoder gives up with a RecursionError, which DRF's parser let through as a 500."""
    body = '{"a":' * 5000 + "1" + "}" * 5000
    answer = client.post("/api/auth/token/", body, content_type="application/json")
    assert answer.status_code == 400 and "bersarang terlalu dalam" in answer.json()["detail"]


def test_an_id_filter_beyond_a_bigint_is_a_400_naming_the_filter(national_admin):
    api = api_as(national_admin)
    for path in ("/api/members/?cooperative=99999999999999999999999", "/api/positions/?member=9223372036854775808",
                 "/api/units/?cooperative=-9223372036854775809"):
        answer = api.get(path)
        assert answer.status_code == 400, path
        assert set(answer.json()) & {"cooperative", "member"}, path
    assert api.get("/api/members/?cooperative=9223372036854775807").json()["count"] == 0


def test_route_ids_and_months_take_ascii_digits_only(national_admin):
    api = api_as(national_admin)
    for path in ("/api/bumdes/\u0661/", "/api/federations/\uff12/", "/api/federation-sites/\u0661/"):
        assert api.get(path).status_code == 404, path


def test_names_with_hidden_or_reordering_characters_are_refused(national_admin):
    """U+202E shows “abc” as “cba” in lists, exports and the history; a NUL is refused by PostgreSQL's text."""
    from koperasi.models import Cooperative

    cooperative = register(national_admin)
    api = api_as(national_admin)
    for name in ("\u202eKoperasi Desa Merah Putih Prawoto", "Koperasi\u2066 Desa"):
        answer = api.patch(f"/api/cooperatives/{cooperative.pk}/", {"name": name}, format="json")
        assert answer.status_code == 400 and "name" in answer.json(), name
    assert "\u202e" not in Cooperative.objects.get(pk=cooperative.pk).name


def test_a_field_only_verifiers_change_is_refused_naming_it_and_an_empty_patch_changes_nothing(village_staff):
    """The refusal had said "outside your area"; an empty PATCH had written a history entry and a new ETag."""
    cooperative = register(village_staff)
    api = api_as(village_staff)
    refused = api.patch(f"/api/cooperatives/{cooperative.pk}/", {"deed_date": "2025-09-01"}, format="json")
    assert refused.status_code == 403 and "tanggal akta" in refused.json()["detail"].lower()
    unit = cooperative.units.order_by("pk").first()
    etag = api.get(f"/api/units/{unit.pk}/")["ETag"]
    history = unit.history.count()
    assert api.patch(f"/api/units/{unit.pk}/", {}, format="json").status_code == 200
    assert api.get(f"/api/units/{unit.pk}/")["ETag"] == etag and unit.history.count() == history


def test_an_invalid_page_is_said_in_indonesian(village_staff):
    register(village_staff)
    answer = api_as(village_staff).get("/api/cooperatives/?page=999")
    assert answer.status_code == 404 and "Halaman tidak valid" in answer.json()["detail"]
