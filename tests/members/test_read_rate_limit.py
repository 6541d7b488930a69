"""Reading the member register is rate-limited per user, with one budget for the web pages and the API."""

import pytest
from django.conf import settings
from django.test import override_settings
from django.urls import reverse

from members.services import member_add
from tests.conftest import PASSWORD
from tests.conftest import api_as
from tests.conftest import sample_nik

REST = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"token": "20/min", "personal_data": "3/hour"}}


@pytest.fixture
def member(pati_officer, prawoto):
    return member_add(actor=pati_officer, cooperative=prawoto, nik=sample_nik(1), name="Siti", sex="P",
                      domicile_code=prawoto.village_id)[0]


@pytest.mark.django_db
def test_the_web_list_and_the_api_share_one_budget_and_say_when_to_retry(client, pati_officer, prawoto, member):
    client.login(email=pati_officer.email, password=PASSWORD)
    api = api_as(pati_officer)
    with override_settings(REST_FRAMEWORK=REST):
        assert client.get(reverse("members:list", args=[prawoto.pk])).status_code == 200
        assert api.get("/api/members/").status_code == 200
        assert client.get(reverse("members:detail", args=[prawoto.pk, member.pk])).status_code == 200

        page = client.get(reverse("members:list", args=[prawoto.pk]))
        assert page.status_code == 429
        assert int(page["Retry-After"]) > 0
        assert "terlalu sering membuka data anggota" in page.content.decode()
        assert api.get(f"/api/members/{member.pk}/").status_code == 429


@pytest.mark.django_db
def test_the_budget_is_per_user_and_writes_are_not_counted(client, pati_officer, kabupaten_officer_2, prawoto,
                                                            member):
    api = api_as(pati_officer)
    with override_settings(REST_FRAMEWORK=REST):
        for _ in range(3):
            assert api.get("/api/members/").status_code == 200
        assert api.get("/api/members/").status_code == 429
        # Another officer of the same office is not slowed down by the first one's reading.
        assert api_as(kabupaten_officer_2).get("/api/members/").status_code == 200
        # Correcting a member's name is not a read of the register.
        assert api.patch(f"/api/members/{member.pk}/", {"name": "Siti Aminah"}, format="json").status_code == 200
