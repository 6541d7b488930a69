"""No lost updates: two officers editing different fields at once keep both changes; If-Match stops stale writes."""

import html
import threading

import pytest
from django.db import connection

from koperasi.models import Cooperative
from tests.conftest import PATI
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
    version = html.unescape(page.split('name="version" value="', 1)[1].split('"', 1)[0])
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
    version = html.unescape(page.split('name="version" value="', 1)[1].split('"', 1)[0])
    member_update(actor=village_staff, member=member, name="Budi Santoso")
    refused = client.post(f"/koperasi/{cooperative.pk}/anggota/{member.pk}/", {
        "nik": member.nik, "name": "Budi S.", "sex": "L", "domicile_code": PRAWOTO, "version": version})
    assert "diubah orang lain" in refused.content.decode()
    member.refresh_from_db()
    assert member.name == "Budi Santoso"


def _version(page) -> str:
    """The version the page's form carries, as the browser sends it back."""
    return html.unescape(page.content.decode().split('name="version" value="', 1)[1].split('"', 1)[0])


def test_the_unit_form_refuses_a_stale_save_and_takes_it_once_the_user_has_seen_the_change(
        client, committed_regions, village_staff, pati_officer):
    """Its changes are told from the row as it is now: a stale form would put back the other user's field."""
    from units.services import unit_update

    cooperative = register(village_staff)
    unit = cooperative.units.order_by("pk").first()
    url = f"/koperasi/{cooperative.pk}/unit/{unit.pk}/"
    client.force_login(village_staff)
    version = _version(client.get(url))
    unit_update(actor=pati_officer, unit=unit, land_progress=40)
    entries = {"status": unit.status, "not_run_reason": "", "land_progress": "0", "building_progress": "0",
               "licence_number": "", "licence_date": "", "go_live_date": "", "notes": "Menunggu hibah lahan"}
    refused = client.post(url, {**entries, "version": version})
    assert refused.status_code == 200 and "diubah orang lain" in refused.content.decode()
    unit.refresh_from_db()
    assert (unit.land_progress, unit.notes) == (40, "")
    # The page shown again carries the version now seen: saved again (with the other change kept), it is taken.
    taken = client.post(url, {**entries, "land_progress": "40", "version": _version(refused)})
    assert taken.status_code == 302
    unit.refresh_from_db()
    assert (unit.land_progress, unit.notes) == (40, "Menunggu hibah lahan")


def test_the_event_and_deal_forms_refuse_a_stale_save(client, committed_regions, pati_officer, national_admin,
                                                      village_staff):
    from datetime import timedelta

    from django.utils import timezone

    from kegiatan import services
    from kegiatan.models import DealKind
    from kegiatan.models import EventKind
    from kegiatan.models import PartnerKind
    from tests.conftest import PATI
    from tests.kegiatan.helpers import past_event

    cooperative = register(village_staff)
    event = past_event(pati_officer, kind=EventKind.BUSINESS_MATCHING, region=PATI, hours_ago=-48)
    partner = services.partner_create(actor=national_admin, name="PT Pupuk Indonesia", kind=PartnerKind.BUMN,
                                      area_codes=["33"])
    deal = services.meeting_record(actor=pati_officer, cooperative=cooperative, partner=partner,
                                   kind=DealKind.PROCUREMENT, value=250_000_000, next_step="Kirim penawaran").deal
    client.force_login(pati_officer)

    event_version = _version(client.get(f"/kegiatan/{event.pk}/"))
    moved = event.starts_at + timedelta(days=1)
    services.event_update(actor=pati_officer, event=event, starts_at=moved, ends_at=moved + timedelta(hours=3))
    local = timezone.localtime(event.starts_at)
    refused = client.post(f"/kegiatan/{event.pk}/", {
        "operation": "edit", "title": event.title, "place": event.place, "starts_at": local.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (local + timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M"), "respond_by": "",
        "description": "Bawa proposal", "version": event_version})
    assert "diubah orang lain" in refused.content.decode()
    event.refresh_from_db()
    assert (event.starts_at, event.description) == (moved, "")

    deal_version = _version(client.get(f"/kegiatan/kesepakatan/{deal.pk}/"))
    services.deal_move(actor=pati_officer, deal=deal, value=373_000_000)
    refused = client.post(f"/kegiatan/kesepakatan/{deal.pk}/", {
        "stage": deal.stage, "value": "250.000.000", "next_step": "Kirim sampel", "next_step_on": "",
        "version": deal_version})
    assert "diubah orang lain" in refused.content.decode()
    deal.refresh_from_db()
    assert (deal.value, deal.next_step) == (373_000_000, "Kirim penawaran")


def test_a_prefixed_form_shown_again_after_a_stale_save_carries_the_version_now_seen():
    """Pages with several forms prefix their fields (the site form: site-version)."""
    from django import forms

    from core.forms import VersionedFormMixin

    class NoteForm(VersionedFormMixin, forms.Form):
        note = forms.CharField()

    form = NoteForm({"site-note": "x", "site-version": '"old"'}, prefix="site", version='"now"')
    assert not form.is_valid() and "diubah orang lain" in str(form.non_field_errors())
    assert 'value="&quot;now&quot;"' in str(form["version"])


def test_a_save_racing_the_forms_version_check_is_not_overwritten(client, committed_regions, village_staff,
                                                                 pati_officer):
    """
    Another user's save that commits while a form is being checked (after the page was opened, before its save)
    is not undone: the form's version is checked under the row lock its save then runs in.
    """
    import time

    from django.db import transaction

    from units.models import Unit
    from units.services import unit_update

    cooperative = register(village_staff)
    unit = cooperative.units.order_by("pk").first()
    url = f"/koperasi/{cooperative.pk}/unit/{unit.pk}/"
    client.force_login(village_staff)
    version = _version(client.get(url))
    holding = threading.Event()

    def other_officer_saves():
        try:
            with transaction.atomic():
                Unit.objects.select_for_update(of=("self",)).get(pk=unit.pk)
                holding.set()
                time.sleep(1)  # the form's post arrives meanwhile
                unit_update(actor=pati_officer, unit=unit, notes="Lahan dari kas desa")
        finally:
            connection.close()

    other = threading.Thread(target=other_officer_saves)
    other.start()
    assert holding.wait(timeout=10)
    posted = client.post(url, {"status": unit.status, "not_run_reason": "", "land_progress": "0",
                               "building_progress": "0", "licence_number": "", "licence_date": "",
                               "go_live_date": "", "notes": "Menunggu hibah lahan", "version": version})
    other.join(timeout=30)
    assert posted.status_code == 200 and "diubah orang lain" in posted.content.decode()
    unit.refresh_from_db()
    assert unit.notes == "Lahan dari kas desa"


def test_a_forms_version_is_only_read_inside_the_transaction_that_saves():
    from core.concurrency import locked_version

    with pytest.raises(RuntimeError):
        locked_version(Cooperative(pk=1))


def test_units_and_deals_honour_if_match_like_every_other_record(committed_regions, pati_officer, village_staff):
    cooperative = register(village_staff)
    unit = cooperative.units.order_by("pk").first()
    client = api_as(pati_officer)
    etag = client.get(f"/api/units/{unit.pk}/")["ETag"]
    assert client.patch(f"/api/units/{unit.pk}/", {"notes": "Lahan dari kas desa"}, format="json",
                        HTTP_IF_MATCH=etag).status_code == 200
    stale = client.patch(f"/api/units/{unit.pk}/", {"notes": "Menunggu hibah"}, format="json", HTTP_IF_MATCH=etag)
    assert stale.status_code == 412
    unit.refresh_from_db()
    assert unit.notes == "Lahan dari kas desa"

    from kegiatan import services
    from kegiatan.models import DealKind
    from kegiatan.models import PartnerKind

    partner = services.partner_create(actor=pati_officer, name="PD BPR Bank Pati", kind=PartnerKind.BUMD,
                                      region_code=PATI)
    deal = services.meeting_record(actor=pati_officer, cooperative=cooperative, partner=partner,
                                   kind=DealKind.PROCUREMENT, value=1_000_000).deal
    etag = client.get(f"/api/deals/{deal.pk}/")["ETag"]
    assert client.patch(f"/api/deals/{deal.pk}/", {"value": 2_000_000}, format="json",
                        HTTP_IF_MATCH=etag).status_code == 200
    assert client.patch(f"/api/deals/{deal.pk}/", {"value": 3_000_000}, format="json",
                        HTTP_IF_MATCH=etag).status_code == 412
