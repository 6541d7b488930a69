"""Rows of the import and self-registration endpoints for the API fuzz test's world (tests/test_api_fuzz.py)."""

from django.core.files.uploadedfile import SimpleUploadedFile

from impor.services import import_upload
from members.services import application_submit
from tests.conftest import sample_nik
from tests.impor.helpers import MEMBER_HEADER
from tests.impor.helpers import member_row
from tests.impor.helpers import xlsx_bytes


def import_world(village_staff, cooperative) -> dict:
    """An uploaded member file (waiting for its check) and two applications, by route prefix."""
    job = import_upload(actor=village_staff, kind="anggota", cooperative=cooperative, language="id",
                        upload=SimpleUploadedFile("anggota.xlsx", xlsx_bytes(MEMBER_HEADER, [member_row(501)])))
    applications = [
        application_submit(cooperative=cooperative, nik=sample_nik(sequence), name=f"Pemohon {sequence}", sex="P",
                           domicile_code=cooperative.village_id, address="Dusun Krajan", phone="081234567890")
        for sequence in (601, 602)
    ]
    return {"/api/imports/": [str(job.pk)],
            "/api/member-applications/": [application.pk for application in applications]}
