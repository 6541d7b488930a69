"""Building spreadsheets for the import tests, and running an upload through its background jobs."""

import csv
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from impor.models import ImportJob
from impor.services import import_commit
from impor.services import import_upload
from tests.conftest import sample_nik

MEMBER_HEADER = ["NIK", "Nama lengkap", "Jenis kelamin", "Tanggal lahir", "Desa/kelurahan domisili", "Alamat", "RT",
                 "RW", "Pekerjaan", "Nomor HP", "Tanggal masuk", "Anggota pendiri", "Status",
                 "Tanggal keluar/meninggal", "Alasan keluar/meninggal"]


def member_row(sequence: int, **overrides) -> list:
    row = {"NIK": sample_nik(sequence), "Nama lengkap": f"Warga {sequence}", "Jenis kelamin": "L",
           "Tanggal lahir": "15/08/1985", "Desa/kelurahan domisili": "", "Alamat": "Jl. Raya Prawoto",
           "RT": "3", "RW": "1", "Pekerjaan": "Petani", "Nomor HP": "0812 3456 7890",
           "Tanggal masuk": "01/08/2025", "Anggota pendiri": "tidak", "Status": "", "Tanggal keluar/meninggal": "",
           "Alasan keluar/meninggal": ""}
    row.update(overrides)
    return [row[name] for name in MEMBER_HEADER]


def xlsx_bytes(header: list, rows: list[list]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_bytes(header: list, rows: list[list], delimiter: str = ";") -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8-sig")


def upload(actor, content: bytes, *, name="anggota.xlsx", kind="anggota", cooperative=None, capture) -> ImportJob:
    """Upload and run the dry run (the task runs when the upload's transaction commits)."""
    with capture(execute=True):
        job = import_upload(actor=actor, kind=kind, cooperative=cooperative,
                            upload=SimpleUploadedFile(name, content), language="id")
    return ImportJob.objects.get(pk=job.pk)


def commit(actor, job, mode, *, capture) -> ImportJob:
    with capture(execute=True):
        import_commit(actor=actor, job=job, mode=mode)
    return ImportJob.objects.get(pk=job.pk)
