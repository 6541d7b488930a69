"""The registry's and the federation's rules, through the services: each refusal names its field."""

from datetime import date
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils import translation

from bumdes import services
from bumdes.models import SiteStatus
from tests.bumdes.conftest import WEGIL
from tests.conftest import PAKEM
from tests.conftest import PRAWOTO

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def _refused(call) -> dict:
    with pytest.raises(ValidationError) as refused:
        call()
    return refused.value.message_dict


def test_a_joint_bumdes_needs_two_founding_desa_and_bounded_capital(pati_officer):
    errors = _refused(lambda: services.bumdes_register(
        actor=pati_officer, kind="bum_desa_bersama", name="BUM Desa Bersama Maju Prawoto", village_code=PRAWOTO,
        villages=[(PRAWOTO, 10)]))
    assert "at least two desa" in errors["villages"][0]
    errors = _refused(lambda: services.bumdes_register(
        actor=pati_officer, kind="bum_desa_bersama", name="BUM Desa Bersama Maju Prawoto", village_code=PRAWOTO,
        villages=[(PRAWOTO, -1), (PAKEM, 10**12)]))
    assert errors["villages"] == ["An amount cannot be negative.", "At most Rp100,000,000,000; check the number of "
                                  "zeros."]
    errors = _refused(lambda: services.bumdes_register(
        actor=pati_officer, kind="bum_desa", name="BUM Desa Maju Prawoto", village_code=PRAWOTO,
        villages=[(PAKEM, 1)]))
    assert "one desa" in errors["villages"][0]


def test_registration_certificate_dates_and_uniqueness(pati_officer, bersama):
    errors = _refused(lambda: services.bumdes_update(actor=pati_officer, bumdes=bersama,
                                                     registration_date=date(2018, 1, 1)))
    assert errors["registration_date"] == ["The certificate cannot be older than the founding."]
    errors = _refused(lambda: services.bumdes_update(actor=pati_officer, bumdes=bersama,
                                                     founded_on=date(1999, 12, 31)))
    assert "before" in errors["founded_on"][0]
    other = services.bumdes_register(actor=pati_officer, kind="bum_desa", name="BUM Desa Tani Pakem",
                                     village_code=PAKEM, capital=5)
    errors = _refused(lambda: services.bumdes_update(
        actor=pati_officer, bumdes=other, registration_date=date(2022, 1, 1),
        registration_number=bersama.registration_number.lower()))
    assert "Another BUMDes" in errors["registration_number"][0]


def test_capital_officers_lines_and_a_joint_bumdes_keeps_two_desa(pati_officer, bersama):
    link = services.bumdes_village_set(actor=pati_officer, bumdes=bersama, village_code=WEGIL, capital=5_000_000)
    assert bersama.villages.count() == 3
    services.bumdes_village_remove(actor=pati_officer, link=link)
    with pytest.raises(ValidationError):
        services.bumdes_village_remove(actor=pati_officer, link=bersama.villages.first())
    officer = services.bumdes_officer_add(actor=pati_officer, bumdes=bersama, organ="bendahara", name=" Siti  A ",
                                          since=date(2022, 1, 1))
    assert officer.name == "Siti A"
    errors = _refused(lambda: services.bumdes_officer_update(actor=pati_officer, officer=officer,
                                                             until=date(2021, 1, 1)))
    assert errors == {"until": ["The term ends after it starts."]}
    services.business_line_add(actor=pati_officer, bumdes=bersama, name="Co-working", sector="services")
    errors = _refused(lambda: services.business_line_add(actor=pati_officer, bumdes=bersama, name="co-working",
                                                         sector="services"))
    assert "already has a business line" in errors["name"][0]


def test_a_bumdes_bersama_federation_starts_with_its_founding_desa(federation, bersama):
    members = {row.village_id: (row.joined_on, row.capital) for row in federation.member_villages.all()}
    assert members == {PRAWOTO: (date(2019, 3, 1), 75_000_000), PAKEM: (date(2019, 3, 1), 50_000_000)}
    assert federation.name == bersama.name and federation.seat_id == PRAWOTO and federation.is_legal_entity
    errors = _refused(lambda: services.federation_register(actor=bersama.registered_by, kind="bumdes_bersama",
                                                           bumdes=bersama))
    assert "already recorded" in errors["bumdes"][0]


def test_a_company_is_owned_by_a_bumdes_bersama_and_a_secondary_cooperative_has_an_sk_ahu(pati_officer, federation):
    company = services.federation_register(actor=pati_officer, kind="company", name="PT Mitra Bumdes Sejahtera Pati",
                                           seat_code=PRAWOTO, parent=federation, legal_number="AHU-0012345.AH.01.01",
                                           legal_date=date(2019, 5, 1))
    assert company.parent == federation and company.is_legal_entity
    errors = _refused(lambda: services.federation_register(actor=pati_officer, kind="secondary_cooperative",
                                                           name="Koperasi Sekunder Pati", seat_code=PRAWOTO,
                                                           parent=federation))
    assert "Only a company" in errors["parent"][0]
    errors = _refused(lambda: services.federation_register(actor=pati_officer, kind="secondary_cooperative",
                                                           name="Koperasi Sekunder Pati", seat_code=PRAWOTO,
                                                           legal_number="SK 12"))
    assert "legal_number" in errors and "legal_date" in errors
    sekunder = services.federation_register(actor=pati_officer, kind="secondary_cooperative",
                                            name="Koperasi Sekunder Pati", seat_code=PRAWOTO,
                                            legal_number="ahu-0036770.ah.01.29.tahun 2025",
                                            legal_date=date(2025, 8, 1))
    assert sekunder.legal_number == "AHU-0036770.AH.01.29.TAHUN 2025"


def test_membership_periods_never_overlap_and_join_at_most_a_year_ahead(pati_officer, federation):
    errors = _refused(lambda: services.federation_village_join(actor=pati_officer, federation=federation,
                                                               village_code=PAKEM, joined_on=date(2024, 1, 1)))
    assert "already a member" in errors["joined_on"][0]
    pakem = federation.member_villages.get(village_id=PAKEM)
    pakem = services.membership_update(actor=pati_officer, membership=pakem, left_on=date(2023, 1, 1))
    again = services.federation_village_join(actor=pati_officer, federation=federation, village_code=PAKEM,
                                             joined_on=date(2024, 1, 1))
    assert again.is_member_on(timezone.localdate()) and not pakem.is_member_on(date(2023, 6, 1))
    assert pakem.is_member_on(date(2022, 12, 31)) and not pakem.is_member_on(date(2023, 1, 1))
    errors = _refused(lambda: services.federation_village_join(
        actor=pati_officer, federation=federation, village_code=WEGIL,
        joined_on=timezone.localdate() + timedelta(days=400)))
    assert "cannot be after" in errors["joined_on"][0]
    errors = _refused(lambda: services.membership_update(actor=pati_officer, membership=again,
                                                         left_on=date(2024, 1, 1)))
    assert errors == {"left_on": ["A member leaves after the day it joined."]}


def test_site_closing_and_reopening(pati_officer, federation):
    site = services.site_create(actor=pati_officer, federation=federation, kind="coworking", name="Ruang Kerja Pati",
                                village_code=PRAWOTO, status="operating", opened_on=date(2019, 10, 1))
    errors = _refused(lambda: services.site_update(actor=pati_officer, site=site, status="closed"))
    assert "closed_on" in errors
    errors = _refused(lambda: services.site_update(actor=pati_officer, site=site, status="closed",
                                                   closed_on=date(2019, 1, 1)))
    assert errors == {"closed_on": ["A site closes after it opened."]}
    site = services.site_update(actor=pati_officer, site=site, status="closed", closed_on=date(2021, 3, 1))
    reopened = services.site_update(actor=pati_officer, site=site, status="preparing")
    assert reopened.status == SiteStatus.PREPARING and reopened.opened_on is None and reopened.closed_on is None
    assert reopened.history.count() == 3  # created, closed, prepared again: the refused attempts left nothing


def test_figures_are_for_open_months_and_patients_for_clinics_only(pati_officer, federation):
    site = services.site_create(actor=pati_officer, federation=federation, kind="shop", name="Toko Desa",
                                village_code=PRAWOTO, status="operating", opened_on=date(2024, 5, 20))
    errors = _refused(lambda: services.site_figure_record(actor=pati_officer, site=site, month=date(2024, 6, 1),
                                                          revenue=10, patients=3))
    assert errors == {"patients": ["Patients are counted for a clinic only."]}
    next_month = (timezone.localdate().replace(day=1) + timedelta(days=32)).replace(day=1)
    errors = _refused(lambda: services.site_figure_record(actor=pati_officer, site=site, month=next_month,
                                                          revenue=10))
    assert "months that have begun" in errors["month"][0]
    first = services.site_figure_record(actor=pati_officer, site=site, month=date(2024, 5, 31), revenue=1_000)
    replaced = services.site_figure_record(actor=pati_officer, site=site, month=date(2024, 5, 1), revenue=2_000)
    assert first.pk == replaced.pk and replaced.month == date(2024, 5, 1) and site.figures.get().revenue == 2_000


def test_two_officers_editing_different_fields_both_keep_their_change(pati_officer, sukolilo_officer, bersama):
    stale_a, stale_b = type(bersama).objects.get(pk=bersama.pk), type(bersama).objects.get(pk=bersama.pk)
    services.bumdes_update(actor=pati_officer, bumdes=stale_a, address="Jl. Raya Prawoto 1")
    services.bumdes_update(actor=sukolilo_officer, bumdes=stale_b, regulation_number="Perber 1/2019")
    bersama.refresh_from_db()
    assert (bersama.address, bersama.regulation_number) == ("Jl. Raya Prawoto 1", "Perber 1/2019")
