"""Exports: every dashboard table as XLSX and CSV, the PDF report, built in the background, in scope."""

import csv
import io
import shutil
import subprocess
from datetime import timedelta

import pytest
from django.utils import formats
from django.utils import timezone
from openpyxl import load_workbook

from accounts.services import role_assign
from core.roles import Role
from reports.models import DocumentSequence
from reports.models import ExportJob
from reports.services import snapshot_take
from tests.conftest import BLITAR
from tests.conftest import PATI
from tests.conftest import SUKOLILO
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


def _export(client, capture, code, kind, fmt, **extra):
    with capture(execute=True):
        response = client.post(f"/dasbor/{code}/ekspor/", {"kind": kind, "fmt": fmt, **extra})
    return response


def _download(client, response) -> bytes:
    job_url = response["Location"]
    status = client.get(job_url)
    assert status.context["job"].status == "done", status.context["job"].error
    download = client.get(job_url + "unduh/")
    assert download.status_code == 200
    return b"".join(download.streaming_content)


def test_children_table_as_xlsx_has_the_figures(client, areas, pati_officer, django_capture_on_commit_callbacks):
    client.force_login(pati_officer)
    content = _download(client, _export(client, django_capture_on_commit_callbacks, PATI, "children", "xlsx"))
    workbook = load_workbook(io.BytesIO(content))
    sheet = workbook.active
    rows = list(sheet.iter_rows(values_only=True))
    assert sheet.title == "Tabel per wilayah" and rows[0][0].startswith("Tabel per wilayah — Kabupaten Pati — ")
    assert rows[1][:4] == ("Kode", "Nama", "Desa/kelurahan", "Koperasi")
    assert rows[2][:7] == ("33.18", "Kabupaten Pati", 406, 2, 0.005, 1, 0.002)  # percentages as percentages
    assert sheet.freeze_panes == "A3" and sheet["A2"].font.bold
    assert sheet["E3"].number_format == "0.0%" and sheet["C3"].number_format == "#,##0"
    assert sheet.column_dimensions["B"].width >= len("Kabupaten Pati")
    sukolilo = next(row for row in rows if row[0] == "33.18.01")
    assert sukolilo[3] == 2 and sukolilo[5] == 1
    assert len(rows) == 1 + 1 + 1 + 21
    assert ExportJob.objects.get().filename.startswith("rekap-per-wilayah-33.18-")  # an Indonesian file name


def test_unit_matrix_as_csv(client, areas, pati_officer, django_capture_on_commit_callbacks):
    client.force_login(pati_officer)
    content = _download(client, _export(client, django_capture_on_commit_callbacks, PATI, "units", "csv"))
    assert content.startswith("\ufeff".encode())  # the BOM: Excel reads it as UTF-8
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))  # Excel set to Indonesian
    assert rows[0][0] == "Unit" and rows[0][1] == "Rencana"
    assert rows[1][:2] == ["Kantor koperasi", "2"]


def test_not_updated_export(client, areas, pati_officer, django_capture_on_commit_callbacks):
    client.force_login(pati_officer)
    content = _download(client, _export(client, django_capture_on_commit_callbacks, PATI, "not_updated", "csv",
                                        days="0"))
    names = {row[0] for row in csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";")}
    assert areas["prawoto"].name in names and areas["blitar"].name not in names


def today_long() -> str:
    from django.utils import formats
    from django.utils import timezone
    from django.utils import translation

    with translation.override("id"):
        return formats.date_format(timezone.localdate(), "j F Y")


def test_pdf_district_report_opens_and_shows_the_figures(client, areas, pati_officer,
                                                         django_capture_on_commit_callbacks):
    from reports.services import letterhead_save

    letterhead_save(actor=pati_officer, region_code=PATI, office_name="Dinas Koperasi dan UKM Kabupaten Pati",
                    place="Pati", address="Jl. Kolonel Sunandar No. 1, Pati")
    pati_officer.position_title, pati_officer.nip = "Kepala Bidang Kelembagaan", "198507152010011002"
    pati_officer.save()
    client.force_login(pati_officer)
    printed_on = today_long()  # taken before the report, in case a run crosses midnight WIB
    content = _download(client, _export(client, django_capture_on_commit_callbacks, PATI, "report", "pdf"))
    assert content.startswith(b"%PDF-")
    pdftotext = shutil.which("pdftotext")
    assert pdftotext, "poppler-utils (pdftotext) is needed to read the PDF back"
    text = subprocess.run([pdftotext, "-layout", "-", "-"], input=content, capture_output=True, check=True).stdout
    text = text.decode()
    assert "Kabupaten Pati" in text and "Laporan kemajuan" in text
    assert "406" in text and "Kantor koperasi" in text
    # The official parts: letterhead, number, place and date, times in WIB, the signature block.
    assert "DINAS KOPERASI DAN UKM KABUPATEN PATI" in text.upper() and "Jl. Kolonel Sunandar" in text
    assert "001/LAP-KDKMP/33.18/" in text and "WIB" in text
    assert f"Pati, {printed_on}" in text
    assert "Kepala Bidang Kelembagaan" in text and "NIP 198507152010011002" in text
    # The stalled count is the dashboard's: one definition.
    dashboard = client.get(f"/dasbor/{PATI}/").content.decode()
    stalled = dashboard.split('data-figure="stalled">', 1)[1].split("<", 1)[0].strip()
    assert f"{stalled} koperasi macet" in text


def test_exports_outside_the_scope_are_refused(client, areas, pati_officer, django_capture_on_commit_callbacks):
    client.force_login(make_user(Role.KABUPATEN_OFFICER, BLITAR))
    response = _export(client, django_capture_on_commit_callbacks, PATI, "children", "csv")
    assert response.status_code == 302 and not ExportJob.objects.exists()
    client.force_login(pati_officer)
    assert _export(client, django_capture_on_commit_callbacks, PATI, "children", "exe").status_code == 302
    assert not ExportJob.objects.exists()


def test_only_the_requester_can_download(client, areas, pati_officer, kabupaten_officer_2,
                                         django_capture_on_commit_callbacks):
    client.force_login(pati_officer)
    response = _export(client, django_capture_on_commit_callbacks, PATI, "units", "xlsx")
    client.force_login(kabupaten_officer_2)
    assert client.get(response["Location"]).status_code == 404
    assert client.get(response["Location"] + "unduh/").status_code == 404


def test_progress_fragment_for_htmx(client, areas, pati_officer):
    client.force_login(pati_officer)
    job = ExportJob.objects.create(user=pati_officer, kind="children", fmt="csv", region_code=PATI, progress=40,
                                   status="running")
    fragment = client.get(f"/ekspor/{job.pk}/", headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in fragment and 'value="40"' in fragment and "every 1s" in fragment


def test_targets_and_stage_tables_export(client, areas, pati_officer, django_capture_on_commit_callbacks):
    from datetime import date

    from targets.services import target_create

    target_create(actor=pati_officer, region_code=PATI, metric="stage", stage_code="sk_ahu",
                  start_date=date(2025, 4, 1), due_date=date(2025, 6, 30), title="Berbadan hukum")
    client.force_login(pati_officer)
    targets = load_workbook(io.BytesIO(_download(client, _export(
        client, django_capture_on_commit_callbacks, PATI, "targets", "xlsx")))).active
    rows = list(targets.iter_rows(values_only=True))
    assert rows[2][:7] == ("33.18", "Kabupaten Pati", "Berbadan hukum", "SK AHU (badan hukum)", 406, 1, 405)
    assert rows[2][-1] == "ya" and targets.title == "Target"
    stages = _download(client, _export(client, django_capture_on_commit_callbacks, PATI, "stages", "csv"))
    lines = list(csv.reader(io.StringIO(stages.decode("utf-8-sig")), delimiter=";"))
    assert lines[1] == ["Belum ada tahap selesai", "1"] and ["SK AHU (badan hukum)", "1"] in lines  # Pakem, Prawoto


def test_the_national_report_lists_the_top_level_targets(client, areas, national_admin, pati_officer,
                                                         django_capture_on_commit_callbacks):
    from datetime import date

    from targets.services import target_create

    target_create(actor=pati_officer, region_code=PATI, metric="stage", stage_code="sk_ahu",
                  start_date=date(2025, 4, 1), due_date=date(2026, 6, 30), title="Berbadan hukum")
    client.force_login(national_admin)
    content = _download(client, _export(client, django_capture_on_commit_callbacks, "ID", "report", "pdf"))
    text = subprocess.run([shutil.which("pdftotext"), "-layout", "-", "-"], input=content, capture_output=True,
                          check=True).stdout.decode()
    assert "Indonesia" in text and "Berbadan" in text and "405" in text  # the target, its gap


def test_names_that_look_like_formulas_stay_text(client, areas, pati_officer, django_capture_on_commit_callbacks):
    from koperasi.models import Cooperative

    Cooperative.objects.filter(pk=areas["prawoto"].pk).update(name='=HYPERLINK("http://x.example","klik")')
    client.force_login(pati_officer)
    content = _download(client, _export(client, django_capture_on_commit_callbacks, PATI, "not_updated", "xlsx",
                                        days="0"))
    names = [row[0] for row in load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True)]
    assert """'=HYPERLINK("http://x.example","klik")""" in names
    job = ExportJob.objects.get(kind="not_updated")
    assert "Belum" in client.get(f"/ekspor/{job.pk}/").content.decode()  # the export's name, in Indonesian


def test_a_name_with_a_pasted_control_character_does_not_break_the_spreadsheet(
        client, areas, pati_officer, django_capture_on_commit_callbacks):
    """XLSX cannot hold most control characters: one pasted into a name is left out, not the whole kabupaten."""
    from koperasi.models import Cooperative

    Cooperative.objects.filter(pk=areas["prawoto"].pk).update(name="Koperasi\x01 Prawoto\x0b")
    client.force_login(pati_officer)
    content = _download(client, _export(client, django_capture_on_commit_callbacks, PATI, "not_updated", "xlsx",
                                        days="0"))
    names = [row[0] for row in load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True)]
    assert "Koperasi Prawoto" in names


def test_letterhead_page_sets_the_report_header_with_a_logo(client, areas, pati_officer, sukolilo_officer):
    from tests.conftest import png_upload

    client.force_login(pati_officer)
    page = client.get(f"/dasbor/{PATI}/kop-surat/")
    assert page.status_code == 200 and "Dinas yang membidangi koperasi, Kabupaten Pati" in page.content.decode()
    refused = client.post(f"/dasbor/{PATI}/kop-surat/", {"office_name": "", "place": "Pati"})
    assert "wajib diisi" in refused.content.decode()
    bad_logo = client.post(f"/dasbor/{PATI}/kop-surat/", {"office_name": "Dinas Koperasi dan UKM Kabupaten Pati",
                                                          "place": "Pati", "logo": pdf_like()})
    assert "PNG atau JPG" in bad_logo.content.decode()
    saved = client.post(f"/dasbor/{PATI}/kop-surat/", {"office_name": "Dinas Koperasi dan UKM Kabupaten Pati",
                                                       "place": "Pati", "logo": png_upload("logo.png")})
    assert saved.status_code == 302
    from reports.selectors import letterhead_for

    letterhead = letterhead_for("33.18.01.2001")  # a desa below Pati uses Pati's letterhead
    assert letterhead.office_name == "Dinas Koperasi dan UKM Kabupaten Pati" and letterhead.logo_data_uri.startswith(
        "data:image/png;base64,")
    client.force_login(sukolilo_officer)  # a kecamatan coordinator does not administer the kabupaten
    assert client.get(f"/dasbor/{PATI}/kop-surat/").status_code == 404


def pdf_like():
    from tests.conftest import pdf_upload

    return pdf_upload("logo.pdf")


def test_cooperative_list_and_queue_export_with_their_filters(client, areas, pati_officer,
                                                              django_capture_on_commit_callbacks):
    client.force_login(pati_officer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/dasbor/ekspor/", {"kind": "cooperatives", "fmt": "xlsx",
                                                   "filters": "region=33.18.01&kind=kdmp"})
    sheet = load_workbook(io.BytesIO(_download(client, response))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert sheet.title == "Koperasi" and rows[1][:4] == ("Koperasi", "Kode desa/kelurahan", "Desa/kelurahan",
                                                         "Kecamatan")
    assert {row[1] for row in rows[2:]} == {"33.18.01.2001", "33.18.01.2002"}  # Sukolilo only, not Blitar
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/dasbor/ekspor/", {"kind": "queue", "fmt": "csv"})
    assert ExportJob.objects.get(kind="queue").filename.startswith("antrean-verifikasi-wilayah-saya-")
    lines = list(csv.reader(io.StringIO(_download(client, response).decode("utf-8-sig")), delimiter=";"))
    assert lines[0][0] == "Menunggu (hari)"


def test_the_cooperative_list_and_the_queue_offer_their_export(client, areas, pati_officer):
    client.force_login(pati_officer)
    listing = client.get("/koperasi/", {"region": "33.18.01"}).content.decode()
    assert 'name="kind" value="cooperatives"' in listing and 'name="filters" value="region=33.18.01"' in listing
    from tests.conftest import submit_stage

    submit_stage(pati_officer, areas["pakem"], "sosialisasi")
    assert 'name="kind" value="queue"' in client.get("/koperasi/verifikasi/", {"waiting": "0"}).content.decode()


def test_report_numbers_follow_the_regions_register(client, areas, pati_officer, django_capture_on_commit_callbacks):
    client.force_login(pati_officer)
    for _round in range(2):
        _export(client, django_capture_on_commit_callbacks, PATI, "report", "pdf")
    numbers = sorted(ExportJob.objects.values_list("document_number", flat=True))
    assert [number.split("/")[0] for number in numbers] == ["001", "002"]
    assert all("/LAP-KDKMP/33.18/" in number for number in numbers)


def test_a_past_days_table_says_its_day_in_its_title_and_its_name(client, areas, pati_officer,
                                                                   django_capture_on_commit_callbacks):
    """The figures of 6 June had been titled and named as the export's day, easy to take for today's."""
    day = timezone.localdate() - timedelta(days=3)
    snapshot_take(day)
    client.force_login(pati_officer)
    response = _export(client, django_capture_on_commit_callbacks, PATI, "children", "xlsx", as_of=day.isoformat())
    rows = list(load_workbook(io.BytesIO(_download(client, response))).active.iter_rows(values_only=True))
    assert rows[0][0] == f"Tabel per wilayah — Kabupaten Pati — angka per akhir {formats.date_format(day)}"
    assert ExportJob.objects.get().filename == f"rekap-per-wilayah-33.18-{day.isoformat()}.xlsx"


def test_a_report_is_made_for_one_office_not_for_a_page_of_several_areas(client, areas,
                                                                         django_capture_on_commit_callbacks):
    """The page of several areas had made a report under the national letterhead, numbered in its register."""
    officer = make_user(Role.KECAMATAN_OFFICER, SUKOLILO)
    role_assign(actor=make_user(Role.NATIONAL_ADMIN), user=officer, role=Role.KECAMATAN_OFFICER,
                region_code="33.18.02")
    client.force_login(officer)
    page = client.get("/dasbor/").content.decode()
    assert 'name="kind" value="report"' not in page and "buka salah satu wilayah Anda" in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/dasbor/ekspor/", {"kind": "report", "fmt": "pdf"})
    assert not ExportJob.objects.exists() and not DocumentSequence.objects.exists()
