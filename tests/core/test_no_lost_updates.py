"""No lost updates: two officers editing different fields at once keep both changes; If-Match stops stale writes."""

import threading

import pytest
from django.db import connection

from koperasi.models import Cooperative
from tests.conftest import api_as
from tests.conftest import register

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_real_concurrent_clients_editing_different_fields_both_keep_their_change(committed_regions,
                                                                                    pati_officer, village_staff):
    cooperative = register(village_staff)
    barrier = threading.Barrier(2)
    results = []

    def edit(field, value):
        try:
            client = api_as(pati_officer)
            barrier.wait(timeout=10)
            results.append(client.patch(f"/api/cooperatives/{cooperative.pk}/", {field: value}, format="json")
                           .status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=edit, args=("address", "Jl. Raya Prawoto 1")),
               threading.Thread(target=edit, args=("email", "kdmp.prawoto@example.id"))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert results == [200, 200]
    cooperative.refresh_from_db()
    assert (cooperative.address, cooperative.email) == ("Jl. Raya Prawoto 1", "kdmp.prawoto@example.id")


def test_a_write_with_a_stale_etag_is_refused_with_412(committed_regions, pati_officer, village_staff):
    cooperative = register(village_staff)
    client = api_as(pati_officer)
    etag = client.get(f"/api/cooperatives/{cooperative.pk}/")["ETag"]
    changed = client.patch(f"/api/cooperatives/{cooperative.pk}/", {"address": "Balai desa"}, format="json",
                           HTTP_IF_MATCH=etag)
    assert changed.status_code == 200 and changed["ETag"] != etag
    stale = client.patch(f"/api/cooperatives/{cooperative.pk}/", {"email": "a@example.id"}, format="json",
                         HTTP_IF_MATCH=etag)
    assert stale.status_code == 412 and "orang lain" in stale.json()["detail"]
    assert Cooperative.objects.get(pk=cooperative.pk).email == ""


def test_a_form_opened_before_someone_elses_save_is_refused_with_a_clear_message(client, committed_regions,
                                                                                 pati_officer, village_staff):
    cooperative = register(village_staff)
    client.force_login(village_staff)
    page = client.get(f"/koperasi/{cooperative.pk}/ubah/").content.decode()
    version = page.split('name="version" value="', 1)[1].split('"', 1)[0]
    api_as(pati_officer).patch(f"/api/cooperatives/{cooperative.pk}/", {"address": "Balai desa"}, format="json")
    refused = client.post(f"/koperasi/{cooperative.pk}/ubah/", {
        "name": cooperative.name, "formation_model": "baru", "address": "Rumah kepala desa", "phone": "",
        "email": "", "nomor_induk_koperasi": "", "version": version})
    assert refused.status_code == 200 and "diubah orang lain" in refused.content.decode()
    assert Cooperative.objects.get(pk=cooperative.pk).address == "Balai desa"


def test_the_member_edit_form_refuses_a_stale_save(client, committed_regions, village_staff):
    from members.services import member_add
    from members.services import member_update
    from tests.conftest import PRAWOTO
    from tests.conftest import sample_nik

    cooperative = register(village_staff)
    member, _warnings = member_add(actor=village_staff, cooperative=cooperative, nik=sample_nik(3), name="Budi",
                                   sex="L", domicile_code=PRAWOTO)
    client.force_login(village_staff)
    page = client.get(f"/koperasi/{cooperative.pk}/anggota/{member.pk}/").content.decode()
    version = page.split('name="version" value="', 1)[1].split('"', 1)[0]
    member_update(actor=village_staff, member=member, name="Budi Santoso")
    refused = client.post(f"/koperasi/{cooperative.pk}/anggota/{member.pk}/", {
        "nik": member.nik, "name": "Budi S.", "sex": "L", "domicile_code": PRAWOTO, "version": version})
    assert "diubah orang lain" in refused.content.decode()
    member.refresh_from_db()
    assert member.name == "Budi Santoso"
