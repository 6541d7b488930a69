"""A sosialisasi feeds the formation workflow (still verified by an officer); paper lists are imported atomically."""

import io
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from openpyxl import Workbook
from openpyxl import load_workbook

from kegiatan import services
from kegiatan.documents import daftar_hadir_pdf
from kegiatan.documents import read_attendance_file
from kegiatan.models import Attendee
from kegiatan.models import AttendeeRole
from kegiatan.models import EventKind
from koperasi.models import StageStatus
from koperasi.services import stage_verify
from tests.conftest import PAKEM
from tests.conftest import PRAWOTO
from tests.conftest import client_login

from .helpers import past_event

pytestmark = pytest.mark.django_db


def test_sosialisasi_attendance_completes_the_stage_only_after_verification(sukolilo_officer, pati_officer,
                                                                             prawoto):
    event = past_event(sukolilo_officer, kind=EventKind.SOSIALISASI, title="Sosialisasi KDKMP Kec. Sukolilo")
    services.event_invite(actor=sukolilo_officer, event=event, region_codes=[PRAWOTO, PAKEM])
    with pytest.raises(ValidationError):  # nobody from Prawoto came yet
        services.event_sosialisasi_submit(actor=sukolilo_officer, event=event, cooperative=prawoto, pdf=b"")
    services.attendee_add(actor=sukolilo_officer, event=event, name="Kades Prawoto", role=AttendeeRole.KEPALA_DESA,
                          village_code=PRAWOTO)
    pdf = daftar_hadir_pdf(event, user=sukolilo_officer, village_code=PRAWOTO)
    assert pdf.startswith(b"%PDF")
    progress = services.event_sosialisasi_submit(actor=sukolilo_officer, event=event, cooperative=prawoto, pdf=pdf)

    assert progress.status == StageStatus.SUBMITTED
    assert not progress.is_completed
    assert progress.data["held_on"] == timezone.localtime(event.starts_at).date().isoformat()
    document = progress.documents.get(removed_at__isnull=True)
    assert document.document_type.code == "berita_acara_sosialisasi"
    assert document.content_type == "application/pdf"
    prawoto.refresh_from_db()
    assert prawoto.stage_reached is None

    # The submitter cannot verify it; another officer does, and only then is the stage completed.
    with pytest.raises(PermissionDenied):
        stage_verify(actor=sukolilo_officer, progress=progress)
    progress = stage_verify(actor=pati_officer, progress=progress)
    assert progress.is_completed
    prawoto.refresh_from_db()
    assert prawoto.stage_reached.code == "sosialisasi"


def test_only_a_held_sosialisasi_can_feed_the_stage(sukolilo_officer, prawoto):
    rakor = past_event(sukolilo_officer, kind=EventKind.RAKOR)
    services.attendee_add(actor=sukolilo_officer, event=rakor, name="Kades", role=AttendeeRole.KEPALA_DESA,
                          village_code=PRAWOTO)
    with pytest.raises(ValidationError):
        services.event_sosialisasi_submit(actor=sukolilo_officer, event=rakor, cooperative=prawoto, pdf=b"%PDF")
    starts = timezone.now() + timedelta(days=3)
    coming = services.event_create(actor=sukolilo_officer, title="Sosialisasi", kind=EventKind.SOSIALISASI,
                                   starts_at=starts, ends_at=starts + timedelta(hours=2), place="Balai desa",
                                   region_code="33.18.01")
    with pytest.raises(ValidationError):
        services.event_sosialisasi_submit(actor=sukolilo_officer, event=coming, cooperative=prawoto, pdf=b"%PDF")


def test_the_event_page_submits_the_stage_with_the_village_list(client, sukolilo_officer, prawoto):
    event = past_event(sukolilo_officer, kind=EventKind.SOSIALISASI)
    services.event_invite(actor=sukolilo_officer, event=event, region_codes=[PRAWOTO])
    services.attendee_add(actor=sukolilo_officer, event=event, name="Kades", role=AttendeeRole.KEPALA_DESA,
                          village_code=PRAWOTO)
    client_login(client, sukolilo_officer)
    page = client.get(f"/kegiatan/{event.pk}/")
    assert f'name="cooperative" value="{prawoto.pk}"' in page.content.decode()
    client.post(f"/kegiatan/{event.pk}/", {"operation": "sosialisasi", "cooperative": prawoto.pk})
    assert prawoto.stages.get(stage__code="sosialisasi").status == StageStatus.SUBMITTED
    pdf = client.get(f"/kegiatan/{event.pk}/daftar-hadir.pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"


def test_an_imported_list_with_control_characters_keeps_the_names_and_its_spreadsheet_opens(client,
                                                                                             sukolilo_officer):
    """A NUL (refused by PostgreSQL) or another control character pasted into a cell is left out on reading."""
    event = past_event(sukolilo_officer)
    services.event_invite(actor=sukolilo_officer, event=event, region_codes=[PRAWOTO])
    content = "nama;peran;desa\nBudi\x00 Santoso;Kepala desa / lurah;Prawoto\nSiti\x01;Operator desa;Prawoto\n"
    rows = read_attendance_file(event, SimpleUploadedFile("daftar.csv", content.encode()))
    services.attendance_import(actor=sukolilo_officer, event=event, rows=rows)
    assert sorted(event.attendees.values_list("name", flat=True)) == ["Budi Santoso", "Siti"]
    client_login(client, sukolilo_officer)
    sheet = client.get(f"/kegiatan/{event.pk}/daftar-hadir.xlsx")
    assert sheet.status_code == 200
    names = {row[1] for row in load_workbook(io.BytesIO(sheet.content)).active.iter_rows(values_only=True)}
    assert {"Budi Santoso", "Siti"} <= names


def test_a_name_longer_than_the_list_keeps_is_refused_on_its_row_not_cut(sukolilo_officer):
    event = past_event(sukolilo_officer)
    services.event_invite(actor=sukolilo_officer, event=event, region_codes=[PRAWOTO])
    content = f"nama;peran;desa\n{'Siti ' * 40};Operator desa;Prawoto\n".encode()
    rows = read_attendance_file(event, SimpleUploadedFile("daftar.csv", content))
    with pytest.raises(ValidationError) as error:
        services.attendance_import(actor=sukolilo_officer, event=event, rows=rows)
    assert error.value.message_dict["file"][0].startswith("Baris 2") and "150" in error.value.message_dict["file"][0]
    assert not event.attendees.exists()


def test_a_list_imported_by_an_organiser_who_records_no_niks_goes_in_without_them(client, village_staff, prawoto):
    from core.roles import Role
    from tests.conftest import make_user
    from tests.conftest import sample_nik
    from tests.conftest import seed_board

    people, _kades = seed_board(village_staff, prawoto)
    province = make_user(Role.PROVINCE_OFFICER, "33")
    event = past_event(province, region="33")
    services.event_invite(actor=province, event=event, region_codes=[PRAWOTO])
    content = (f"nama;nik;peran;desa\n{people[0].name};{people[0].nik};pengurus;Prawoto\n"
               f"Tamu;{sample_nik(77)};anggota;Prawoto\n").encode()
    client_login(client, province)
    response = client.post(f"/kegiatan/{event.pk}/", {"operation": "import",
                                                      "file": SimpleUploadedFile("daftar.csv", content)}, follow=True)
    page = response.content.decode()
    assert "2 peserta diimpor" in page and "NIK dari 2 tidak dicatat" in page
    # No NIK kept, no member linked by one: the same for a member's NIK and any other.
    assert list(event.attendees.values_list("nik", "member")) == [("", None), ("", None)]


def _xlsx(rows) -> SimpleUploadedFile:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile("daftar.xlsx", buffer.getvalue())


def test_an_imported_list_with_a_bad_row_saves_nothing_and_names_the_row(sukolilo_officer):
    event = past_event(sukolilo_officer)
    services.event_invite(actor=sukolilo_officer, event=event, region_codes=[PRAWOTO, PAKEM])
    upload = _xlsx([["nama", "nik", "peran", "desa", "telepon", "organisasi"],
                    ["Siti", "", "kepala_desa", "Prawoto", "081234567890", ""],
                    ["Joko", "12345", "BPD", "33.18.01.2002", "", ""],
                    ["Rina", "", "lurah agung", "Pakem", "", ""]])
    rows = read_attendance_file(event, upload)
    with pytest.raises(ValidationError) as error:
        services.attendance_import(actor=sukolilo_officer, event=event, rows=rows)
    problems = error.value.message_dict["file"]
    assert len(problems) == 2
    assert problems[0].startswith("Baris 3") and "NIK" in problems[0]
    assert problems[1].startswith("Baris 4")
    assert not Attendee.objects.filter(event=event).exists()


def test_a_csv_list_with_indonesian_role_labels_is_imported(sukolilo_officer):
    event = past_event(sukolilo_officer)
    services.event_invite(actor=sukolilo_officer, event=event, region_codes=[PRAWOTO, PAKEM])
    content = (b"nama;peran;desa\nSiti;Kepala desa / lurah;Prawoto\nAgus;Operator desa;pakem\n"
               b"Pak Camat;Pendamping desa;\n")
    rows = read_attendance_file(event, SimpleUploadedFile("daftar.csv", content))
    added = services.attendance_import(actor=sukolilo_officer, event=event, rows=rows)
    assert [(a.name, a.role, a.village_id) for a in added] == [
        ("Siti", AttendeeRole.KEPALA_DESA, PRAWOTO), ("Agus", AttendeeRole.OPERATOR_DESA, PAKEM),
        ("Pak Camat", AttendeeRole.PENDAMPING_DESA, None)]


def test_a_file_that_is_not_a_list_is_refused_with_a_reason(sukolilo_officer):
    event = past_event(sukolilo_officer)
    with pytest.raises(ValueError, match=r"CSV (or|atau) XLSX"):
        read_attendance_file(event, SimpleUploadedFile("daftar.pdf", b"%PDF-1.4"))
    with pytest.raises(ValueError):
        read_attendance_file(event, SimpleUploadedFile("daftar.xlsx", b"not a workbook"))
    with pytest.raises(ValueError):
        read_attendance_file(event, SimpleUploadedFile("daftar.csv", b"a;b\n1;2\n"))
    # A cell beyond the csv module's field limit (128 KiB) is a reason too, not a 500.
    with pytest.raises(ValueError, match="CSV"):
        read_attendance_file(event, SimpleUploadedFile("daftar.csv", b"nama;peran\n" + b"x" * 200_000 + b";anggota\n"))
