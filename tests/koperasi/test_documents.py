"""Uploaded documents: type by content, size limit, stored under a random name, nothing kept on refusal."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from koperasi.models import StageDocument
from koperasi.services import stage_document_add
from koperasi.services import stage_document_remove
from koperasi.services import stage_submit
from tests.conftest import pdf_upload
from tests.conftest import png_upload
from tests.conftest import register

pytestmark = pytest.mark.django_db


@pytest.fixture
def progress(village_staff):
    return register(village_staff).stages.get(stage__code="sosialisasi")


def _add(actor, progress, upload, code="berita_acara_sosialisasi"):
    return stage_document_add(actor=actor, progress=progress, document_type_code=code, upload=upload)


def test_pdf_and_png_are_accepted_and_stored_safely(village_staff, progress):
    pdf = _add(village_staff, progress, pdf_upload("Berita Acara Sosialisasi.pdf"))
    sneaky = _add(village_staff, progress, pdf_upload("../../etc/passwd.pdf"))
    png = _add(village_staff, progress, png_upload("foto kegiatan.PNG"))
    assert pdf.content_type == "application/pdf" and png.content_type == "image/png"
    assert pdf.original_name == "Berita Acara Sosialisasi.pdf"
    for document in (pdf, sneaky):
        assert document.file.name.startswith(f"documents/{progress.cooperative_id}/") and ".." not in document.file.name
    assert len(pdf.sha256) == 64
    with pdf.file.open("rb") as handle:
        assert handle.read(5) == b"%PDF-"


def test_jpeg_is_accepted():
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (4, 4)).save(buffer, format="JPEG")
    from koperasi.documents import check_upload

    assert check_upload(SimpleUploadedFile("scan.jpg", buffer.getvalue())).content_type == "image/jpeg"


@pytest.mark.parametrize(
    "upload, message",
    [
        (SimpleUploadedFile("virus.pdf", b"MZ\x90\x00" + b"\x00" * 200), "bukan dokumen PDF"),
        (SimpleUploadedFile("notes.docx", b"PK\x03\x04" + b"\x00" * 200), "bukan dokumen PDF"),
        (SimpleUploadedFile("kosong.pdf", b""), "kosong"),
        (SimpleUploadedFile("terpotong.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\n"), "tidak lengkap"),
        (SimpleUploadedFile("rusak.png", b"\x89PNG\r\n\x1a\n" + b"garbage" * 20), "rusak"),
    ],
)
def test_wrong_type_or_damaged_files_are_refused_with_the_reason(village_staff, progress, upload, message):
    with pytest.raises(ValidationError) as error:
        _add(village_staff, progress, upload)
    assert message in error.value.messages[0]
    assert not StageDocument.objects.exists()


def test_content_and_extension_must_agree(village_staff, progress):
    with pytest.raises(ValidationError) as error:
        _add(village_staff, progress, png_upload("sebenarnya-gambar.pdf"))
    assert "PNG" in error.value.messages[0]


def test_oversized_file_is_refused(village_staff, progress, settings):
    settings.DOCUMENT_MAX_BYTES = 1024
    with pytest.raises(ValidationError) as error:
        _add(village_staff, progress, pdf_upload(size=2000))
    assert "batas" in error.value.messages[0] and "1,0" in error.value.messages[0]
    assert not StageDocument.objects.exists()


def test_a_refused_submission_writes_no_file(village_staff, progress, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    documents = [("berita_acara_sosialisasi", pdf_upload()),
                 ("berita_acara_sosialisasi", SimpleUploadedFile("x.pdf", b"not a pdf"))]
    with pytest.raises(ValidationError):
        stage_submit(actor=village_staff, progress=progress, data={"held_on": "2025-01-01"}, documents=documents)
    assert not any(tmp_path.rglob("*.*"))
    # The same submission without the bad file stores its document there.
    stage_submit(actor=village_staff, progress=progress, data={"held_on": "2025-01-01"}, documents=documents[:1])
    assert [path.suffix for path in (tmp_path / "private").rglob("*.*")] == [".pdf"]


def test_a_document_type_the_stage_does_not_ask_for_is_refused(village_staff, progress):
    with pytest.raises(ValidationError) as error:
        _add(village_staff, progress, pdf_upload(), code="sk_ahu")
    assert "document_type" in error.value.message_dict


def test_documents_can_be_removed_before_submission_only(village_staff, pati_officer, progress):
    document = _add(village_staff, progress, pdf_upload())
    stage_document_remove(actor=village_staff, document=document)
    document.refresh_from_db()
    assert document.removed_at is not None
    with pytest.raises(ValidationError):  # the removed document no longer counts
        stage_submit(actor=village_staff, progress=progress, data={"held_on": "2025-01-01"})
    kept = _add(village_staff, progress, pdf_upload())
    stage_submit(actor=village_staff, progress=progress, data={"held_on": "2025-01-01"})
    with pytest.raises(ValidationError):
        stage_document_remove(actor=village_staff, document=kept)
