"""The federation director's dashboard: read from the federation's roll-up row, scoped, with sites and gaps."""

import io
from datetime import date

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from bumdes import services
from core.roles import Role
from tests.bumdes.conftest import WEGIL
from tests.conftest import BLITAR
from tests.conftest import PAKEM
from tests.conftest import PRAWOTO
from tests.conftest import make_user
from tests.conftest import register

pytestmark = pytest.mark.django_db


@pytest.fixture
def running(pati_officer, village_staff, federation, django_capture_on_commit_callbacks):
    """Two member cooperatives, a clinic operating in Kec. Sukolilo, one planned, and some figures."""
    with django_capture_on_commit_callbacks(execute=True):
        register(village_staff)
        register(pati_officer, PAKEM)
        services.federation_village_join(actor=pati_officer, federation=federation, village_code="33.18.02.2001",
                                         joined_on=date(2024, 1, 1), capital=10_000_000)
    clinic = services.site_create(actor=pati_officer, federation=federation, kind="clinic", name="Klinik Prawoto",
                                  village_code=PRAWOTO, status="operating", opened_on=date(2024, 3, 1),
                                  licence_number="503/7", licence_date=date(2024, 2, 1), latitude=-6.78,
                                  longitude=111.05)
    services.site_create(actor=pati_officer, federation=federation, kind="clinic", name="Klinik Kasiyan",
                         village_code=WEGIL, latitude=-6.80, longitude=111.07)
    services.site_figure_record(actor=pati_officer, site=clinic, month=date(2025, 1, 1), revenue=40_000_000,
                                patients=700)
    return federation


def test_the_director_lands_on_the_federation_dashboard(client, running, federation_director):
    client.force_login(federation_director)
    client.cookies["django_language"] = "en"
    landing = client.get(reverse("reports:dashboard"))
    assert landing["Location"] == reverse("reports:federation-dashboard", args=[running.pk])
    page = client.get(landing["Location"])
    board = page.context["board"]
    assert (board.area.villages, board.area.cooperatives) == (3, 2)
    assert board.site_counts["operating"] == 1 and board.site_counts["planned"] == 1
    # Kec. Sukolilo has the clinic; the member in the other kecamatan has none.
    assert [gap.code for gap in board.gaps] == ["33.18.02"]
    assert board.capital_total == 135_000_000
    assert board.figures == [{"month": date(2025, 1, 1), "revenue": 40_000_000, "costs": 0, "patients": 700}]
    html = page.content.decode()
    cooperative = running.member_villages.get(village_id=PRAWOTO)
    assert reverse("koperasi:detail", args=[board.members[0].cooperative_id]) in html and cooperative
    assert 'id="federation-map"' in html and "onchange" not in html.split("<main")[1]


def test_others_do_not_see_it(client, running):
    client.force_login(make_user(Role.KABUPATEN_OFFICER, BLITAR))
    assert client.get(reverse("reports:federation-dashboard", args=[running.pk])).status_code == 404
    client.force_login(make_user(Role.KABUPATEN_OFFICER, "33.18"))
    assert client.get(reverse("reports:federation-dashboard", args=[running.pk])).status_code == 200


def test_a_village_that_left_leaves_the_dashboard(client, running, pati_officer, federation_director,
                                                  django_capture_on_commit_callbacks):
    from django.utils import timezone

    with django_capture_on_commit_callbacks(execute=True):
        services.membership_update(actor=pati_officer, membership=running.member_villages.get(village_id=PAKEM),
                                   left_on=timezone.localdate())
    client.force_login(federation_director)
    board = client.get(reverse("reports:federation-dashboard", args=[running.pk])).context["board"]
    assert (board.area.villages, board.area.cooperatives) == (2, 1)
    assert PAKEM not in [row.code for row in board.members]


def _member_table(client, federation, fmt: str, capture) -> bytes:
    """The federation's member table exported by the signed-in user, downloaded."""
    with capture(execute=True):
        response = client.post(reverse("reports:export-request"), {
            "kind": "federation_members", "fmt": fmt, "filters": f"federation={federation.pk}"})
    return b"".join(client.get(response["Location"] + "unduh/").streaming_content)


def test_the_member_table_exports_for_the_director_only(client, running, federation_director,
                                                        django_capture_on_commit_callbacks):
    import csv

    client.force_login(federation_director)
    content = _member_table(client, running, "csv", django_capture_on_commit_callbacks).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(content), delimiter=";"))
    assert [row[0] for row in rows[1:]] == [PRAWOTO, PAKEM, "33.18.02.2001"]
    assert rows[1][4] == "75000000" and rows[1][5] == "1"
    client.force_login(make_user(Role.KABUPATEN_OFFICER, BLITAR))
    with django_capture_on_commit_callbacks(execute=True):
        refused = client.post(reverse("reports:export-request"), {
            "kind": "federation_members", "fmt": "csv", "filters": f"federation={running.pk}"})
    assert "/ekspor/" not in refused["Location"]


def test_the_federation_progress_report_is_a_pdf_of_the_dashboard(client, running, federation_director,
                                                                   django_capture_on_commit_callbacks):
    import shutil
    import subprocess

    federation_director.position_title = "Direktur BUM Desa Bersama"
    federation_director.save()
    client.force_login(federation_director)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reports:export-request"), {
            "kind": "federation_report", "fmt": "pdf", "k": "1", "filters": f"federation={running.pk}"})
    download = client.get(response["Location"] + "unduh/")
    assert download["Content-Disposition"].startswith(f'attachment; filename="laporan-federasi-{running.pk}-')
    content = b"".join(download.streaming_content)
    assert content.startswith(b"%PDF-")
    text = subprocess.run([shutil.which("pdftotext"), "-layout", "-", "-"], input=content, capture_output=True,
                          check=True).stdout.decode()
    assert running.name.upper() in text.upper()
    assert "Klinik Prawoto" in text and "503/7" in text and "Klinik Kasiyan" in text  # its sites
    assert "135.000.000" in text  # the members' capital, Indonesian grouping
    assert "Januari 2025" in text and "40.000.000" in text and "700" in text  # the monthly figures
    assert "Direktur BUM Desa Bersama" in text and federation_director.full_name in text  # the signature


def test_the_federation_report_is_refused_outside_the_scope(client, running, django_capture_on_commit_callbacks):
    from reports.models import ExportJob

    client.force_login(make_user(Role.KABUPATEN_OFFICER, BLITAR))
    with django_capture_on_commit_callbacks(execute=True):
        refused = client.post(reverse("reports:export-request"), {
            "kind": "federation_report", "fmt": "pdf", "filters": f"federation={running.pk}"})
    assert "/ekspor/" not in refused["Location"] and not ExportJob.objects.exists()


def test_the_member_table_in_xlsx_is_titled_with_the_federation(client, running, federation_director,
                                                                django_capture_on_commit_callbacks):
    """It had been titled with the requester's area ("Wilayah saya", or "Indonesia" for a national officer)."""
    client.force_login(federation_director)
    content = _member_table(client, running, "xlsx", django_capture_on_commit_callbacks)
    title = next(load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True))[0]
    assert title.startswith(f"Anggota federasi — {running.name} — ")
