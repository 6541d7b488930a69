"""
The federation director's scope across pages, API and exports: member villages' cooperatives are readable; a
village outside the federation and a village that left are invisible (404) everywhere; nothing can be changed.
"""

import csv
import io

import pytest
from django.utils import timezone

from bumdes import services
from tests.conftest import PAKEM
from tests.conftest import api_as
from tests.conftest import register

pytestmark = pytest.mark.django_db


@pytest.fixture
def cooperatives(village_staff, pati_officer, federation, jaten):
    """Prawoto (member), Pakem (left today), Jaten in Blitar (never a member)."""
    prawoto = register(village_staff)
    pakem = register(pati_officer, PAKEM)
    services.membership_update(actor=pati_officer, membership=federation.member_villages.get(village_id=PAKEM),
                               left_on=timezone.localdate())
    return prawoto, pakem, jaten


def test_pages_show_members_and_404_outside_or_left(client, federation_director, cooperatives):
    prawoto, pakem, jaten = cooperatives
    client.force_login(federation_director)
    listing = client.get("/koperasi/").content.decode()
    assert prawoto.name in listing and pakem.name not in listing and jaten.name not in listing
    assert client.get(f"/koperasi/{prawoto.pk}/").status_code == 200
    assert client.get(f"/koperasi/{pakem.pk}/").status_code == 404
    assert client.get(f"/koperasi/{jaten.pk}/").status_code == 404
    assert client.get(f"/dasbor/{PAKEM}/").status_code == 404
    # Read, never write: the edit page of a member's cooperative is refused.
    assert client.get(f"/koperasi/{prawoto.pk}/ubah/").status_code == 403


def test_the_api_answers_alike(federation_director, cooperatives):
    prawoto, pakem, jaten = cooperatives
    api = api_as(federation_director)
    ids = {row["id"] for row in api.get("/api/cooperatives/").json()["results"]}
    assert ids == {prawoto.id}
    assert api.get(f"/api/cooperatives/{prawoto.pk}/").status_code == 200
    assert api.get(f"/api/cooperatives/{pakem.pk}/").status_code == 404
    assert api.get(f"/api/cooperatives/{jaten.pk}/").status_code == 404
    assert api.patch(f"/api/cooperatives/{prawoto.pk}/", {"address": "Jl. Baru"}, format="json").status_code == 403
    me = api.get("/api/me/").json()
    assert [region["code"] for region in me["scope"]["regions"]] == [prawoto.village_id]


def test_exports_carry_the_members_only(client, federation_director, cooperatives,
                                        django_capture_on_commit_callbacks):
    prawoto, _pakem, _jaten = cooperatives
    client.force_login(federation_director)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/dasbor/ekspor/", {"kind": "cooperatives", "fmt": "csv"})
    content = b"".join(client.get(response["Location"] + "unduh/").streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(content), delimiter=";"))
    assert [row[1] for row in rows[1:]] == [prawoto.village_id]
    with django_capture_on_commit_callbacks(execute=True):
        refused = client.post(f"/dasbor/{PAKEM}/ekspor/", {"kind": "cooperatives", "fmt": "csv"})
    assert "/ekspor/" not in refused["Location"]  # no export was queued for a village that left
