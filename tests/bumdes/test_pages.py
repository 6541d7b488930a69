"""The BUMDes, federation, site and agreement pages: scoped (404 outside), writes through services, clear errors."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from bumdes import services
from bumdes.models import Bumdes
from bumdes.models import BusinessSite
from bumdes.models import CooperationAgreement
from core.roles import Role
from tests.bumdes.conftest import on_federation
from tests.conftest import BLITAR
from tests.conftest import PAKEM
from tests.conftest import PRAWOTO
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def client_en(client):
    client.cookies["django_language"] = "en"
    return client


def test_an_officer_registers_a_bum_desa_with_the_region_picker(client_en, pati_officer):
    client_en.force_login(pati_officer)
    page = client_en.get(reverse("bumdes:register"))
    assert page.status_code == 200
    response = client_en.post(reverse("bumdes:register"), {
        "kind": "bum_desa", "village": PRAWOTO, "name": "BUM Desa Sumber Rejeki Prawoto", "capital": "Rp 25.000.000",
        "founded_on": "2018-02-01"})
    bumdes = Bumdes.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("bumdes:detail", args=[bumdes.pk])
    assert bumdes.villages.get().capital == 25_000_000
    detail = client_en.get(response["Location"])
    assert b"Not a legal entity yet" in detail.content and b"25,000,000" in detail.content


def test_a_bad_name_is_shown_on_the_field_and_nothing_is_saved(client_en, pati_officer):
    client_en.force_login(pati_officer)
    response = client_en.post(reverse("bumdes:register"), {"kind": "bum_desa", "village": PRAWOTO,
                                                           "name": "BUMDes Prawoto Mart", "capital": "1000"})
    assert response.status_code == 200
    assert "must start with “BUM Desa”" in response.content.decode()
    assert not Bumdes.objects.exists()


def test_a_joint_bumdes_lists_its_desa_with_capital_one_per_line(client_en, pati_officer):
    client_en.force_login(pati_officer)
    response = client_en.post(reverse("bumdes:register"), {
        "kind": "bum_desa_bersama", "village": PRAWOTO, "name": "BUM Desa Bersama Mitra Sejahtera Pati",
        "villages": f"{PRAWOTO} = 75.000.000\nPakem = 50000000\n"})
    assert response.status_code == 302, response.content.decode()[:3000]
    bumdes = Bumdes.objects.get()
    assert dict(bumdes.villages.values_list("village_id", "capital")) == {PRAWOTO: 75_000_000, PAKEM: 50_000_000}
    refused = client_en.post(reverse("bumdes:register"), {
        "kind": "bum_desa_bersama", "village": PRAWOTO, "name": "BUM Desa Bersama Tani Prawoto",
        "villages": f"{PRAWOTO} = lima juta"})
    assert "lima juta: Enter an amount in whole rupiah" in refused.content.decode()


def test_pages_are_scoped_outside_officers_get_404(client_en, bersama, federation):
    blitar = make_user(Role.KABUPATEN_OFFICER, BLITAR)
    client_en.force_login(blitar)
    assert client_en.get(reverse("bumdes:detail", args=[bersama.pk])).status_code == 404
    assert client_en.get(reverse("bumdes:federation-detail", args=[federation.pk])).status_code == 404
    assert b"Mitra Sejahtera" not in client_en.get(reverse("bumdes:federation-list")).content
    assert client_en.get(reverse("bumdes:register")).status_code == 200  # for their own villages


def test_the_director_opens_the_federation_adds_a_member_and_ends_another(client_en, federation,
                                                                         federation_director):
    client_en.force_login(federation_director)
    page = client_en.get(reverse("bumdes:federation-detail", args=[federation.pk]))
    assert page.status_code == 200
    assert b"Prawoto" in page.content and b"Add a member village" in page.content
    response = client_en.post(reverse("bumdes:federation-detail", args=[federation.pk]), {
        "operation": "join_village", "village-village": "33.18.01.2003", "village-joined_on": "2025-01-02",
        "village-capital": "60.000.000"})
    # Not yet in the director's view, but in the federation's kabupaten: it can be picked.
    assert response.status_code == 302
    assert federation.member_villages.get(village_id="33.18.01.2003").capital == 60_000_000
    pakem = federation.member_villages.get(village_id=PAKEM)
    client_en.post(reverse("bumdes:federation-detail", args=[federation.pk]), {
        "operation": "end_village", "membership": pakem.pk, "left_on": timezone.localdate().isoformat()})
    pakem.refresh_from_db()
    assert pakem.left_on == timezone.localdate()


def test_staff_record_a_site_and_its_figures_but_not_another_federations(client_en, pati_officer, federation,
                                                                         federation_staff):
    client_en.force_login(federation_staff)
    response = client_en.post(reverse("bumdes:site-create", args=[federation.pk]), {
        "kind": "clinic", "name": "Klinik Pratama BUMDes Sehat Prawoto", "village": PRAWOTO, "status": "operating",
        "opened_on": "2020-01-15", "latitude": "-6.75", "longitude": "111.03"})
    assert response.status_code == 200
    assert "opens with its operating licence" in response.content.decode()
    response = client_en.post(reverse("bumdes:site-create", args=[federation.pk]), {
        "kind": "clinic", "name": "Klinik Pratama BUMDes Sehat Prawoto", "village": PRAWOTO, "status": "operating",
        "opened_on": "2020-01-15", "licence_number": "503/001/2020", "licence_date": "2020-01-02"})
    site = BusinessSite.objects.get()
    assert response["Location"] == reverse("bumdes:site-detail", args=[site.pk])
    client_en.post(response["Location"], {"operation": "figure", "figure-month": "2025-03",
                                          "figure-revenue": "45.000.000", "figure-patients": "812"})
    assert site.figures.get().patients == 812
    other = services.federation_register(actor=pati_officer, kind="company", name="PT Lain Sejahtera",
                                         seat_code=PRAWOTO)
    other_site = services.site_create(actor=pati_officer, federation=other, kind="shop", name="Toko",
                                      village_code=PRAWOTO)
    assert client_en.get(reverse("bumdes:site-detail", args=[other_site.pk])).status_code == 404
    assert client_en.get(reverse("bumdes:site-create", args=[other.pk])).status_code == 404


def test_an_agreement_page_names_the_side_that_is_not_a_legal_entity(client_en, pati_officer, federation, prawoto):
    client_en.force_login(pati_officer)
    response = client_en.post(reverse("bumdes:agreement-create"), {
        "village": PRAWOTO, "federation": federation.pk, "kind": "asset_use", "title": "Sewa gudang",
        "starts_on": "2025-09-01", "activate": "on"})
    assert response.status_code == 200
    assert "its SK AHU is not recorded" in response.content.decode()
    response = client_en.post(reverse("bumdes:agreement-create"), {
        "village": PRAWOTO, "federation": federation.pk, "kind": "asset_use", "title": "Sewa gudang",
        "starts_on": "2025-09-01"})
    agreement = CooperationAgreement.objects.get()
    detail = client_en.get(response["Location"]).content.decode()
    assert "its SK AHU is not recorded" in detail and "Make active" not in detail
    # Both sides' pages show it.
    assert "Sewa gudang" in client_en.get(reverse("koperasi:detail", args=[prawoto.pk])).content.decode()
    assert "Sewa gudang" in client_en.get(reverse("bumdes:federation-detail", args=[federation.pk])).content.decode()
    assert agreement.status == "draft"


def test_every_bumdes_page_opens_for_each_persona(client_en, pati_officer, bersama, federation, prawoto):
    site = services.site_create(actor=pati_officer, federation=federation, kind="clinic", name="Klinik A",
                                village_code=PRAWOTO)
    agreement = services.agreement_create(actor=pati_officer, cooperative=prawoto, federation=federation,
                                          kind="supply", title="Pasokan", starts_on=date(2025, 9, 1))
    pages = [reverse("bumdes:list"), reverse("bumdes:federation-list"), reverse("bumdes:site-list"),
             reverse("bumdes:agreement-list"), reverse("bumdes:detail", args=[bersama.pk]),
             reverse("bumdes:federation-detail", args=[federation.pk]) + "?members=all",
             reverse("bumdes:site-detail", args=[site.pk]), reverse("bumdes:agreement-detail", args=[agreement.pk])]
    for user in (pati_officer, on_federation(Role.FEDERATION_DIRECTOR, federation),
                 make_user(Role.KECAMATAN_OFFICER, "33.18.01"), make_user(Role.NATIONAL_ADMIN)):
        client_en.force_login(user)
        for path in pages:
            assert client_en.get(path).status_code == 200, (user, path)
    client_en.force_login(pati_officer)
    for path in (reverse("bumdes:edit", args=[bersama.pk]), reverse("bumdes:federation-edit", args=[federation.pk]),
                 reverse("bumdes:federation-register"), reverse("bumdes:agreement-create")):
        assert client_en.get(path).status_code == 200, path
