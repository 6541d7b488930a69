"""The land and construction pages: recording from a phone, verifying, reporting progress, scoping per persona."""

from datetime import timedelta

import pytest
from django.utils import timezone

from core.roles import Role
from pembangunan import services
from pembangunan.models import LandPlot
from pembangunan.models import PlotStatus
from tests.conftest import PATI
from tests.conftest import client_login
from tests.conftest import make_user
from tests.conftest import pdf_upload
from tests.conftest import register
from tests.pembangunan.conftest import photo_upload
from tests.pembangunan.conftest import record
from tests.pembangunan.conftest import start_project
from tests.pembangunan.conftest import verified_plot

pytestmark = pytest.mark.django_db


def test_village_staff_records_a_plot_with_photo_and_gps_and_the_dinas_verifies_it(client, village_staff, dinas,
                                                                                   cooperative):
    client_login(client, village_staff)
    assert client.get("/pembangunan/lahan/baru/").status_code == 200
    response = client.post("/pembangunan/lahan/baru/", {
        "cooperative": cooperative.pk, "name": "Tanah kas desa Krajan", "area_m2": "1.500",
        "owner_kind": "tanah_kas_desa", "legal_status": "sertifikat", "unit_type_codes": ["gerai_sembako"],
        "latitude": "-6.812345", "longitude": "111.001234", "keep_location": "on", "photo": photo_upload(),
    })
    plot = LandPlot.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/pembangunan/lahan/{plot.pk}/"
    assert plot.area_m2 == 1_500  # typed as an Indonesian writes it; Django alone had read "1.000" as 1
    assert plot.photos.get().is_geotagged
    response = client.post(f"/pembangunan/lahan/{plot.pk}/", {"operation": "survey",
                                                              "survey-surveyed_on": timezone.localdate()})
    assert response.status_code == 302
    # The village cannot verify its own plot: the button is not there, and the action is refused.
    page = client.get(f"/pembangunan/lahan/{plot.pk}/").content.decode()
    assert 'value="verify"' not in page
    client.post(f"/pembangunan/lahan/{plot.pk}/", {"operation": "verify"})
    plot.refresh_from_db()
    assert plot.status == PlotStatus.SURVEYED

    client.logout()
    client_login(client, dinas)
    assert 'value="verify"' in client.get(f"/pembangunan/lahan/{plot.pk}/").content.decode()
    client.post(f"/pembangunan/lahan/{plot.pk}/", {"operation": "verify"})
    plot.refresh_from_db()
    assert plot.status == PlotStatus.VERIFIED
    today = timezone.localdate()
    response = client.post(f"/pembangunan/lahan/{plot.pk}/", {
        "operation": "project", "project-title": "Gerai dan gudang", "project-building_area_m2": "600",
        "project-executor": "agrinas", "project-contract_value": "Rp 1.650.000.000",
        "project-contract_date": today - timedelta(days=10), "project-planned_start": today - timedelta(days=5),
        "project-planned_finish": today + timedelta(days=120), "project-bank_name": "BRI",
        "project-loan_amount": "3.000.000.000", "project-loan_tenor_months": "72",
    })
    project = plot.projects.get()
    assert response["Location"] == f"/pembangunan/proyek/{project.pk}/"
    assert project.contract_value == 1_650_000_000 and project.loan_tenor_months == 72


def test_bad_input_comes_back_as_field_errors_not_a_server_error(client, village_staff, cooperative):
    client_login(client, village_staff)
    response = client.post("/pembangunan/lahan/baru/", {
        "cooperative": cooperative.pk, "name": "X", "area_m2": "-3", "owner_kind": "tanah_kas_desa",
        "legal_status": "sertifikat", "latitude": "48.85", "longitude": "2.35"})
    assert response.status_code == 200
    assert not LandPlot.objects.exists()
    assert "error-summary" in response.content.decode()


def test_a_progress_report_from_the_page_with_and_without_photo(client, village_staff, dinas, cooperative):
    project = start_project(dinas, verified_plot(village_staff, dinas, cooperative))
    client_login(client, village_staff)
    url = f"/pembangunan/proyek/{project.pk}/"
    client.post(url, {"operation": "report", "report-reported_on": timezone.localdate(), "report-percent": "30"})
    report = project.reports.get()
    assert report.is_draft
    client.post(url, {"operation": "photo", "report": report.pk, "photo-photo": photo_upload()})
    report.refresh_from_db()
    project.refresh_from_db()
    assert not report.is_draft and project.progress_percent == 30
    response = client.post(url, {"operation": "report", "report-reported_on": timezone.localdate(),
                                 "report-percent": "10", "report-photo": photo_upload()})
    assert response.status_code == 400 and "Progres tidak boleh mundur" in response.content.decode()
    page = client.get(url).content.decode()
    assert 'id="progress-chart"' in page and 'id="handover"' not in page  # the village does not take handover


def test_each_persona_sees_only_its_area(client, village_staff, dinas, cooperative, jaten):
    plot = record(village_staff, cooperative)
    blitar_staff = make_user(Role.KABUPATEN_OFFICER, "35.05")
    other = record(blitar_staff, jaten, name="Lahan Jaten", latitude="-8.1", longitude="112.2")
    director = make_user(Role.FEDERATION_DIRECTOR, "33.18.01.2001")
    neighbour = make_user(Role.VILLAGE_STAFF, "33.18.01.2002")
    expectations = [
        (village_staff, True, False), (dinas, True, False), (blitar_staff, False, True), (director, True, False),
        (neighbour, False, False),
    ]
    for user, sees_prawoto, sees_jaten in expectations:
        client.logout()
        client_login(client, user)
        assert (client.get(f"/pembangunan/lahan/{plot.pk}/").status_code == 200) is sees_prawoto, user
        assert (client.get(f"/pembangunan/lahan/{other.pk}/").status_code == 200) is sees_jaten, user
        listing = client.get("/pembangunan/lahan/").content.decode()
        assert ("Tanah kas desa Dusun Krajan" in listing) is sees_prawoto, user
        points = client.get(f"/pembangunan/peta.json?region={PATI}").json()["points"]
        assert ([point["id"] for point in points] == [plot.pk]) is sees_prawoto, user
    # The director reads and writes nothing: no record button reaches a cooperative of a member village.
    client.logout()
    client_login(client, director)
    assert client.get("/pembangunan/lahan/baru/").status_code == 403


def test_documents_and_photos_are_served_only_inside_the_scope(client, village_staff, dinas, cooperative):
    plot = record(village_staff, cooperative, photos=[photo_upload()])
    document = services.plot_document_add(actor=village_staff, plot=plot, kind="sertifikat", upload=pdf_upload())
    photo = plot.photos.get()
    client_login(client, dinas)
    assert client.get(f"/pembangunan/dokumen/{document.pk}/").status_code == 200
    response = client.get(f"/pembangunan/foto/{photo.pk}/")
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    client.logout()
    client_login(client, make_user(Role.KABUPATEN_OFFICER, "35.05"))
    assert client.get(f"/pembangunan/dokumen/{document.pk}/").status_code == 404
    assert client.get(f"/pembangunan/foto/{photo.pk}/").status_code == 404


def test_the_overview_and_business_pages_open_for_every_persona(client, village_staff, dinas, cooperative):
    verified_plot(village_staff, dinas, cooperative)
    for user in (village_staff, dinas, make_user(Role.NATIONAL_ADMIN), make_user(Role.KECAMATAN_OFFICER, "33.18.01"),
                 make_user(Role.FEDERATION_DIRECTOR, "33.18.01.2001")):
        client.logout()
        client_login(client, user)
        for url in ("/pembangunan/", "/pembangunan/usaha/", "/pembangunan/lahan/", f"/pembangunan/?region={PATI}"):
            assert client.get(url).status_code == 200, (user, url)
    assert client.get("/pembangunan/peta.json?region=33").status_code == 400
    assert client.get("/pembangunan/peta.json?region=x' OR 1=1").status_code == 400


def test_cooperative_page_lists_its_plots(client, village_staff, cooperative):
    record(village_staff, cooperative)
    client_login(client, village_staff)
    page = client.get(f"/koperasi/{cooperative.pk}/").content.decode()
    assert 'id="land"' in page and "Tanah kas desa Dusun Krajan" in page


def test_the_dashboard_card_counts_the_kabupatens_plots(client, village_staff, dinas, cooperative,
                                                        django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        verified_plot(village_staff, dinas, cooperative)
        register(dinas, "33.18.01.2002")
    client_login(client, dinas)
    page = client.get(f"/dasbor/{PATI}/").content.decode()
    assert 'data-figure="land_plots">1<' in page and 'data-figure="land_verified">1<' in page
    assert 'id="land-map"' in page
