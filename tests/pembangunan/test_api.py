"""The land and construction API: the same rules as the pages, 4xx with field errors, scoping."""

from datetime import timedelta

import pytest
from django.utils import timezone

from core.roles import Role
from pembangunan.models import LandPlot
from tests.conftest import PATI
from tests.conftest import api_as
from tests.conftest import make_user
from tests.conftest import pdf_upload
from tests.pembangunan.conftest import photo_upload
from tests.pembangunan.conftest import record
from tests.pembangunan.conftest import start_project
from tests.pembangunan.conftest import verified_plot

pytestmark = pytest.mark.django_db


def test_a_plot_from_record_to_handover_over_the_api(village_staff, dinas, cooperative):
    village, office = api_as(village_staff), api_as(dinas)
    today = timezone.localdate()
    response = village.post("/api/land-plots/", {
        "cooperative": cooperative.pk, "name": "Tanah kas desa", "area_m2": 1500, "owner_kind": "tanah_kas_desa",
        "legal_status": "perdes", "latitude": "-6.812345", "longitude": "111.001234",
        "unit_types": ["gerai_sembako", "pergudangan"]}, format="json")
    assert response.status_code == 201, response.json()
    plot = response.json()
    assert plot["status"] == "proposed" and sorted(plot["unit_types"]) == ["gerai_sembako", "pergudangan"]
    url = f"/api/land-plots/{plot['id']}/"
    response = village.post(url + "photos/", {"photo": photo_upload(gps=(-6.81, 111.0)), "keep_location": "true"},
                            format="multipart")
    assert response.status_code == 201 and response.json()["latitude"] is not None
    assert village.post(url + "documents/", {"kind": "perdes", "file": pdf_upload()},
                        format="multipart").status_code == 201
    assert village.post(url + "survey/", {"surveyed_on": str(today)}, format="json").status_code == 200
    assert village.post(url + "verify/").status_code == 403
    assert office.post(url + "verify/").json()["status"] == "verified"
    response = office.post("/api/construction-projects/", {
        "plot": plot["id"], "title": "Gerai", "building_area_m2": 500, "contract_value": 1_600_000_000,
        "contract_date": str(today - timedelta(days=30)), "planned_start": str(today - timedelta(days=20)),
        "planned_finish": str(today + timedelta(days=40))}, format="json")
    assert response.status_code == 201, response.json()
    project = f"/api/construction-projects/{response.json()['id']}/"
    response = village.post(project + "reports/", {"reported_on": str(today), "percent": 100}, format="multipart")
    assert response.status_code == 201 and response.json()["is_draft"]
    report = response.json()["id"]
    response = office.post(project + "hand-over/", {"handed_over_on": str(today), "file": pdf_upload()},
                           format="multipart")
    assert response.status_code == 400 and "handed_over_on" in response.json()
    assert village.post(f"/api/progress-reports/{report}/photos/", {"photo": photo_upload()},
                        format="multipart").status_code == 201
    progress = village.get(project + "progress/").json()
    assert progress["actual"] == 100 and not progress["slipping"]
    response = office.post(project + "hand-over/", {"handed_over_on": str(today), "file": pdf_upload()},
                           format="multipart")
    assert response.status_code == 200 and response.json()["handed_over_on"] == str(today)
    assert village.get(url).json()["status"] == "handed_over"
    history = village.get(url + "history/").json()
    assert history and all("when" in entry for entry in history)


@pytest.mark.parametrize("body, field", [
    ({"area_m2": 0}, "area_m2"),
    ({"area_m2": "lots"}, "area_m2"),
    ({"latitude": "91"}, "latitude"),
    ({"owner_kind": "stolen"}, "owner_kind"),
    ({"unit_types": ["casino"]}, "unit_types"),
    ({"village": "35.05.01.2001"}, "village"),
    ({"cooperative": 999999}, "cooperative"),
])
def test_bad_plots_are_400_with_the_field(village_staff, cooperative, body, field):
    data = {"cooperative": cooperative.pk, "name": "Lahan", "area_m2": 100, "owner_kind": "sewa",
            "legal_status": "perjanjian_sewa", **body}
    response = api_as(village_staff).post("/api/land-plots/", data, format="json")
    assert response.status_code == 400 and field in response.json(), response.json()
    assert not LandPlot.objects.exists()


def test_rules_and_scope_answer_4xx(village_staff, dinas, cooperative, jaten):
    plot = record(village_staff, cooperative)
    office = api_as(dinas)
    response = office.post("/api/construction-projects/", {
        "plot": plot.pk, "title": "Gerai", "building_area_m2": 500, "contract_value": 1_000_000,
        "contract_date": "2025-11-01", "planned_start": "2025-11-02", "planned_finish": "2026-02-01"}, format="json")
    assert response.status_code == 400  # not verified
    outsider = api_as(make_user(Role.KABUPATEN_OFFICER, "35.05"))
    assert outsider.get(f"/api/land-plots/{plot.pk}/").status_code == 404
    assert outsider.post(f"/api/land-plots/{plot.pk}/verify/").status_code == 404
    assert office.post(f"/api/land-plots/{plot.pk}/reject/", {"reason": ""}, format="json").status_code == 400
    assert office.get("/api/land-plots/map/?region=33").status_code == 400
    assert office.get(f"/api/land-plots/map/?region={PATI}").json()["points"][0]["id"] == plot.pk
    assert office.get("/api/land-plots/?status=nonsense").status_code == 400
    response = api_as(village_staff).post(f"/api/land-plots/{plot.pk}/photos/", {"photo": pdf_upload("x.jpg")},
                                          format="multipart")
    assert response.status_code == 400 and "photo" in response.json()


def test_progress_monotonicity_over_the_api(village_staff, dinas, cooperative):
    project = start_project(dinas, verified_plot(village_staff, dinas, cooperative))
    client = api_as(village_staff)
    url = f"/api/construction-projects/{project.pk}/reports/"
    today = timezone.localdate()
    assert client.post(url, {"reported_on": str(today), "percent": 40, "photo": photo_upload()},
                       format="multipart").status_code == 201
    response = client.post(url, {"reported_on": str(today), "percent": 30, "photo": photo_upload()},
                           format="multipart")
    assert response.status_code == 400 and "percent" in response.json()
    assert client.post(url, {"reported_on": str(today), "percent": 130}, format="multipart").status_code == 400


def test_unit_monthly_reports(village_staff, cooperative):
    from units.services import unit_update

    gerai = cooperative.units.get(unit_type__code="gerai_sembako")
    unit_update(actor=village_staff, unit=gerai, status="operasional", go_live_date=timezone.localdate() - timedelta(
        days=120))
    client = api_as(village_staff)
    last_month = (timezone.localdate().replace(day=1) - timedelta(days=1)).replace(day=1)
    response = client.post("/api/unit-reports/", {"unit": gerai.pk, "month": str(last_month), "revenue": 45_000_000,
                                                  "costs": 39_000_000, "figures": {"transactions": 812}},
                           format="json")
    assert response.status_code == 201, response.json()
    again = client.post("/api/unit-reports/", {"unit": gerai.pk, "month": str(last_month), "revenue": 1, "costs": 1},
                        format="json")
    assert again.status_code == 400 and "month" in again.json()
    wrong = client.post("/api/unit-reports/", {"unit": gerai.pk, "month": str(timezone.localdate()), "revenue": 1,
                                               "costs": 1, "figures": {"patients": 3}}, format="json")
    assert wrong.status_code == 400 and {"month", "figures"} <= set(wrong.json())


def test_a_progress_report_with_a_file_that_is_no_photo_names_the_photo_field(village_staff, dinas, cooperative):
    """The API's field is ``photo``; its error had come back under ``photos``, which no client sends."""
    project = start_project(dinas, verified_plot(village_staff, dinas, cooperative))
    response = api_as(village_staff).post(
        f"/api/construction-projects/{project.pk}/reports/",
        {"reported_on": str(timezone.localdate()), "percent": 10, "photo": pdf_upload("laporan.jpg")},
        format="multipart")
    assert response.status_code == 400 and list(response.json()) == ["photo"], response.json()
    assert not project.reports.exists()


def test_a_field_error_from_drf_reaches_the_reader_in_indonesian(village_staff, cooperative):
    """'A valid number is required.' had come back in English to Indonesian readers."""
    response = api_as(village_staff).post("/api/land-plots/", {
        "cooperative": cooperative.pk, "name": "Tanah kas desa", "area_m2": 1500, "owner_kind": "tanah_kas_desa",
        "legal_status": "perdes", "latitude": "enam", "longitude": "111.001234"}, format="json")
    assert response.status_code == 400
    assert response.json()["latitude"] == ["Diperlukan angka yang valid."]
