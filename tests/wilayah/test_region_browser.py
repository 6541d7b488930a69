"""The region browser shows only the user's scope, with breadcrumbs, child counts and search."""

import re

import pytest

from tests.conftest import PATI
from tests.conftest import PRAWOTO

pytestmark = pytest.mark.django_db

REGION_LINK = re.compile(r'href="/wilayah/([0-9.]+)/"')


def _linked_codes(response) -> set[str]:
    return set(REGION_LINK.findall(response.content.decode()))


def test_anonymous_users_are_sent_to_sign_in(client):
    response = client.get("/wilayah/33.18/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_district_officer_sees_only_their_kabupatens_subtree(client, pati_officer):
    client.force_login(pati_officer)

    page = client.get("/wilayah/33.18/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Kabupaten Pati" in html and "Sukolilo" in html
    assert "406" in html  # desa/kelurahan in Pati
    links = _linked_codes(page)
    assert links and all(code.startswith("33.18") for code in links)
    # The province is named in the breadcrumbs but not linked: it is outside the scope.
    assert "Jawa Tengah" in html and "33" not in links

    for outside in ("33", "33.19", "35.05.01", "33.17.01.2001"):
        assert client.get(f"/wilayah/{outside}/").status_code == 404


def test_children_table_paginates_a_large_kecamatan(client, national_admin):
    client.force_login(national_admin)
    first = client.get("/wilayah/95.06.03/")  # 108 desa: three pages of 50
    assert first.status_code == 200
    assert len([c for c in _linked_codes(first) if c.startswith("95.06.03.")]) == 50
    last = client.get("/wilayah/95.06.03/", {"page": 3})
    assert len([c for c in _linked_codes(last) if c.startswith("95.06.03.")]) == 8


def test_village_staff_see_only_their_desa(client, village_staff):
    client.force_login(village_staff)
    assert client.get(f"/wilayah/{PRAWOTO}/").status_code == 200
    assert client.get("/wilayah/33.18.01/").status_code == 404
    assert client.get("/wilayah/33.18.01.2002/").status_code == 404
    roots = client.get("/wilayah/")
    assert _linked_codes(roots) == {PRAWOTO}


def test_search_by_name_and_code_stays_in_scope(client, pati_officer):
    client.force_login(pati_officer)
    found = client.get("/wilayah/cari/", {"q": "Prawoto"})
    assert PRAWOTO in _linked_codes(found)

    # 324 regions nationwide contain "Kedung"; only Pati's may appear.
    by_name = client.get("/wilayah/cari/", {"q": "Kedung"})
    assert _linked_codes(by_name) and all(code.startswith(PATI) for code in _linked_codes(by_name))

    by_code = client.get("/wilayah/cari/", {"q": "33.18.01.20"})
    assert PRAWOTO in _linked_codes(by_code)
    assert not _linked_codes(client.get("/wilayah/cari/", {"q": "35.05"}))


def test_search_answers_a_fragment_to_htmx(client, pati_officer):
    client.force_login(pati_officer)
    fragment = client.get("/wilayah/cari/", {"q": "Prawoto"}, headers={"HX-Request": "true"})
    html = fragment.content.decode()
    assert "<html" not in html and PRAWOTO in html


def test_national_admin_starts_from_all_provinces(client, national_admin):
    client.force_login(national_admin)
    home = client.get("/")
    assert home.status_code == 200 and "Seluruh Indonesia" in home.content.decode()
    roots = client.get("/wilayah/")
    codes = _linked_codes(roots)
    assert len(codes) == 38 and "33" in codes and "96" in codes


def test_user_without_any_role_is_told_so(client, db):
    from accounts.models import User

    user = User.objects.create_user(email="norole@test.kopdes.id", password="x", full_name="No Role")
    client.force_login(user)
    response = client.get("/")
    assert response.status_code == 403
