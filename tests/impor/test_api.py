"""The import API: upload, progress, commit, error file; scoped per persona."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from core.roles import Role
from members.models import Member
from tests.conftest import PAKEM
from tests.conftest import api_as
from tests.conftest import make_user
from tests.impor.helpers import MEMBER_HEADER
from tests.impor.helpers import member_row
from tests.impor.helpers import xlsx_bytes

pytestmark = pytest.mark.django_db


def _file():
    return SimpleUploadedFile("anggota.xlsx", xlsx_bytes(MEMBER_HEADER, [member_row(1), member_row(2, NIK="99")]))


def test_upload_check_commit_and_error_file_over_the_api(village_staff, prawoto, django_capture_on_commit_callbacks):
    client = api_as(village_staff)
    with django_capture_on_commit_callbacks(execute=True):
        created = client.post("/api/imports/", {"kind": "anggota", "cooperative": prawoto.pk, "file": _file()},
                              format="multipart")
    assert created.status_code == 201, created.json()
    job_id = created.json()["id"]
    job = client.get(f"/api/imports/{job_id}/").json()
    assert job["status"] == "validated" and job["counts"] == {"new": 1, "unchanged": 0, "updated": 0, "errors": 1}
    assert client.get(f"/api/imports/{job_id}/progress/").json()["percent"] == 100
    errors = client.get(f"/api/imports/{job_id}/errors/")
    rows = list(load_workbook(io.BytesIO(b"".join(errors.streaming_content))).active.iter_rows(values_only=True))
    assert rows[1][:3] == (3, "NIK", "••••")  # a failing NIK is masked (see test_member_import)
    assert client.post(f"/api/imports/{job_id}/commit/", {"mode": "sometimes"}, format="json").status_code == 400
    with django_capture_on_commit_callbacks(execute=True):
        committed = client.post(f"/api/imports/{job_id}/commit/", {"mode": "valid_rows"}, format="json")
    assert committed.status_code == 202
    assert client.get(f"/api/imports/{job_id}/").json()["status"] == "committed"
    assert Member.objects.filter(cooperative=prawoto).count() == 1
    again = client.post(f"/api/imports/{job_id}/commit/", {"mode": "valid_rows"}, format="json")
    assert again.status_code == 400


def test_imports_are_scoped_per_persona(village_staff, prawoto, director, pati_officer,
                                        django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job_id = api_as(village_staff).post("/api/imports/", {"kind": "anggota", "cooperative": prawoto.pk,
                                                              "file": _file()}, format="multipart").json()["id"]
    # The kabupaten officer may import into Prawoto and sees the job; the federation director may not.
    assert api_as(pati_officer).get(f"/api/imports/{job_id}/").status_code == 200
    assert api_as(director).get(f"/api/imports/{job_id}/").status_code == 404
    assert api_as(director).get("/api/imports/").json()["results"] == []
    other_staff = make_user(Role.VILLAGE_STAFF, PAKEM)
    assert api_as(other_staff).get(f"/api/imports/{job_id}/").status_code == 404
    assert api_as(other_staff).post(f"/api/imports/{job_id}/commit/", {"mode": "valid_rows"},
                                    format="json").status_code == 404
    # Uploading into a cooperative outside one's area: the cooperative does not exist for them.
    refused = api_as(other_staff).post("/api/imports/", {"kind": "anggota", "cooperative": prawoto.pk,
                                                         "file": _file()}, format="multipart")
    assert refused.status_code == 400 and "cooperative" in refused.json()


def test_a_file_that_is_not_a_spreadsheet_is_refused(village_staff, prawoto):
    fake = SimpleUploadedFile("anggota.xlsx", b"MZ\x90\x00 not a workbook")
    response = api_as(village_staff).post("/api/imports/", {"kind": "anggota", "cooperative": prawoto.pk,
                                                             "file": fake}, format="multipart")
    assert response.status_code == 400 and "file" in response.json()
    exe = SimpleUploadedFile("anggota.exe", b"hello")
    assert api_as(village_staff).post("/api/imports/", {"kind": "anggota", "cooperative": prawoto.pk,
                                                         "file": exe}, format="multipart").status_code == 400
