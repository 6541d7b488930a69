"""Units in business: late and missing monthly reports, trading units, revenue by type and area, idle sites."""

from datetime import date
from datetime import datetime
from datetime import time
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from core.roles import Role
from pembangunan import selectors
from pembangunan import services
from pembangunan.models import LandPlot
from pembangunan.models import UnitMonthlyReport
from tests.conftest import PATI
from tests.conftest import client_login
from tests.conftest import make_user
from tests.conftest import pdf_upload
from tests.pembangunan.conftest import photo_upload
from tests.pembangunan.conftest import start_project
from tests.pembangunan.conftest import verified_plot
from units.services import unit_update

pytestmark = pytest.mark.django_db


def _month(today: date, back: int) -> date:
    month = today.replace(day=1)
    for _step in range(back):
        month = (month - timedelta(days=1)).replace(day=1)
    return month


@pytest.fixture
def gerai(village_staff, cooperative):
    unit = cooperative.units.get(unit_type__code="gerai_sembako")
    return unit_update(actor=village_staff, unit=unit, status="operasional",
                       go_live_date=_month(timezone.localdate(), 4))


def test_missing_and_late_reports_are_listed_for_follow_up(village_staff, dinas, gerai):
    today = date(2026, 12, 15)
    for back in (4, 3):
        services.unit_report_file(actor=village_staff, unit=gerai, month=_month(timezone.localdate(), back),
                                  revenue=40_000_000, costs=35_000_000, figures={"transactions": 900})
    # One report filed late: after the 10th of the month after.
    # The first filed on the 5th of the month after (on time), the second only two months after (late).
    on_time = timezone.make_aware(datetime.combine(_month(timezone.localdate(), 3).replace(day=5), time(9)))
    filed_late = timezone.make_aware(datetime.combine(_month(timezone.localdate(), 1), time(9)))
    UnitMonthlyReport.objects.filter(month=_month(timezone.localdate(), 4)).update(filed_at=on_time)
    UnitMonthlyReport.objects.filter(month=_month(timezone.localdate(), 3)).update(filed_at=filed_late)
    rows = selectors.missing_unit_reports(user=dinas, code=PATI, today=timezone.localdate())
    assert len(rows) == 1 and rows[0]["unit"] == gerai
    missing = rows[0]["missing"]
    assert _month(timezone.localdate(), 4) not in missing and _month(timezone.localdate(), 2) in missing
    assert rows[0]["late"] == [_month(timezone.localdate(), 3)]
    assert selectors.missing_unit_reports(user=make_user(Role.KABUPATEN_OFFICER, "35.05"), today=today) == []


def test_trading_revenue_by_type_and_area(village_staff, dinas, gerai):
    last = _month(timezone.localdate(), 1)
    assert selectors.trading_units(user=dinas, code=PATI) == {"operating": 1, "trading": 0}
    services.unit_report_file(actor=village_staff, unit=gerai, month=last, revenue=52_000_000, costs=47_000_000,
                              figures={"transactions": 1200})
    assert selectors.trading_units(user=dinas, code=PATI) == {"operating": 1, "trading": 1}
    by_type = selectors.revenue_by_unit_type(user=dinas, code=PATI)
    assert [(row["unit_type"].code, row["revenue"], row["costs"]) for row in by_type] == [
        ("gerai_sembako", 52_000_000, 47_000_000)]
    by_area = selectors.revenue_by_region(user=dinas, code=PATI)
    assert [(row["area"], row["revenue"]) for row in by_area] == [("33.18.01", 52_000_000)]


def test_monthly_report_rules(village_staff, cooperative, gerai):
    klinik = cooperative.units.get(unit_type__code="klinik")
    with pytest.raises(ValidationError, match="operating unit"):
        services.unit_report_file(actor=village_staff, unit=klinik, month=_month(timezone.localdate(), 1),
                                  revenue=1, costs=1)
    with pytest.raises(ValidationError) as error:
        services.unit_report_file(actor=village_staff, unit=gerai, month=_month(timezone.localdate(), 6),
                                  revenue=1, costs=1, figures={"transactions": -3})
    assert {"month", "transactions"} <= set(error.value.message_dict)


def test_a_handed_over_site_without_trading_is_idle(village_staff, dinas, cooperative, gerai):
    plot = verified_plot(village_staff, dinas, cooperative)
    project = start_project(dinas, plot)
    today = timezone.localdate()
    services.progress_report_add(actor=village_staff, project=project, reported_on=today, percent=100,
                                 photos=[photo_upload()])
    services.project_hand_over(actor=dinas, project=project, handed_over_on=today, upload=pdf_upload())
    assert selectors.idle_sites(user=dinas, code=PATI) == []  # handed over today: not idle yet
    LandPlot.objects.filter(pk=plot.pk).update(handed_over_at=timezone.now() - timedelta(days=90))
    assert [row["plot"].pk for row in selectors.idle_sites(user=dinas, code=PATI)] == [plot.pk]
    services.unit_report_file(actor=village_staff, unit=gerai, month=_month(today, 1), revenue=30_000_000,
                              costs=28_000_000)
    assert selectors.idle_sites(user=dinas, code=PATI) == []


def test_cost_per_m2_by_province(village_staff, dinas, cooperative):
    plot = verified_plot(village_staff, dinas, cooperative)
    start_project(dinas, plot, contract_value=1_500_000_000, building_area_m2=500)
    start_project(dinas, plot, contract_value=500_000_000, building_area_m2=300)
    rows = selectors.cost_per_m2_by_province(user=dinas)
    assert rows == [{"code": "33", "name": rows[0]["name"], "projects": 2, "value": 2_000_000_000, "area": 800,
                     "per_m2": 2_500_000}]
    assert selectors.cost_per_m2_by_province(user=make_user(Role.KABUPATEN_OFFICER, "35.05")) == []


def test_the_business_page_files_a_report(client, village_staff, gerai):
    client_login(client, village_staff)
    last = _month(timezone.localdate(), 1)
    response = client.post("/pembangunan/usaha/", {"unit": gerai.pk, "month": last, "revenue": "Rp 45.000.000",
                                                   "costs": "39.500.000", "figure_transactions": "812"})
    assert response.status_code == 302
    report = UnitMonthlyReport.objects.get()
    assert (report.revenue, report.costs, report.figures) == (45_000_000, 39_500_000, {"transactions": 812})
    page = client.get("/pembangunan/usaha/").content.decode()
    assert 'data-figure="trading">1<' in page


def test_the_late_reports_list_pages_on_its_own_and_leads_back_to_itself(client, village_staff, dinas, cooperative,
                                                                        gerai, monkeypatch):
    """A province's late reports run to a thousand units: each list of the page pages through all of them."""
    from pembangunan import views

    monkeypatch.setattr(views, "PER_PAGE", 1)
    unit_update(actor=village_staff, unit=cooperative.units.get(unit_type__code="simpan_pinjam"),
                status="operasional", go_live_date=_month(timezone.localdate(), 4))
    client_login(client, dinas)
    first_page = client.get("/pembangunan/usaha/?region=" + PATI).content.decode()
    section = first_page[first_page.index('id="missing-reports"'):first_page.index('id="idle-sites"')]
    assert section.count("<li>") == 1 and "(2 baris)" in section
    assert "?laporan=2&amp;region=33.18#missing-reports" in section  # the area kept, the list in view
    second_page = client.get("/pembangunan/usaha/?region=" + PATI + "&laporan=2").content.decode()
    section = second_page[second_page.index('id="missing-reports"'):second_page.index('id="idle-sites"')]
    # The other unit of the two: the first page showed one, the second the other.
    first_unit = "Gerai" in first_page[first_page.index('id="missing-reports"'):first_page.index('id="idle-sites"')]
    assert section.count("<li>") == 1 and ("Gerai" in section) != first_unit
