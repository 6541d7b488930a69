"""The unit pages: updating readiness with errors on the field, adding a local unit."""

import pytest

from tests.conftest import register

pytestmark = pytest.mark.django_db


def test_unit_readiness_is_updated_from_its_page(client, village_staff):
    cooperative = register(village_staff)
    gerai = cooperative.units.get(unit_type__code="gerai_sembako")
    url = f"/koperasi/{cooperative.pk}/unit/{gerai.pk}/"
    client.force_login(village_staff)
    assert client.get(url).context["form"]["status"].value() == "rencana"

    refused = client.post(url, {"status": "operasional", "land_progress": "100", "building_progress": "100"})

    assert refused.status_code == 200 and "go_live_date" in refused.context["form"].errors
    gerai.refresh_from_db()
    assert gerai.status == "rencana"
    saved = client.post(url, {"status": "operasional", "land_progress": "100", "building_progress": "100",
                              "go_live_date": "2025-10-01"})
    assert saved.status_code == 302
    gerai.refresh_from_db()
    assert (gerai.status, str(gerai.go_live_date)) == ("operasional", "2025-10-01")


def test_a_local_unit_is_added_once(client, village_staff, director):
    cooperative = register(village_staff)
    url = f"/koperasi/{cooperative.pk}/unit/baru/"
    client.force_login(village_staff)
    assert client.post(url, {"name": "Pariwisata"}).status_code == 302
    again = client.post(url, {"name": "pariwisata"})
    assert again.status_code == 200 and "name" in again.context["form"].errors
    assert cooperative.units.filter(unit_type__isnull=True).count() == 1
    client.force_login(director)  # a federation director views, but does not change
    assert client.post(url, {"name": "Pengolahan hasil tani"}).status_code == 403
    assert cooperative.units.count() == 8
