"""Importing formation progress from paper records: through the koperasi services, in order, idempotent."""

import pytest

from impor.models import CommitMode
from impor.models import ImportStatus
from koperasi.models import Cooperative
from koperasi.models import StageStatus
from tests.conftest import PAKEM
from tests.conftest import PRAWOTO
from tests.impor.helpers import commit
from tests.impor.helpers import upload
from tests.impor.helpers import xlsx_bytes

pytestmark = pytest.mark.django_db

HEADER = ["Kode desa/kelurahan", "Tahap", "Status tahap", "Tanggal selesai", "Sumber/catatan", "Model pembentukan",
          "Tanggal pelaksanaan", "Jumlah peserta", "Nomor SK AHU", "Tanggal SK AHU"]


def _rows():
    return [
        [PRAWOTO, "sosialisasi", "selesai", "10/04/2025", "Arsip Dinas, map 3", "", "10/04/2025", "", "", ""],
        [PRAWOTO.replace(".", ""), "Musdesus/Muskelsus", "", "2025-05-20", "Arsip Dinas, map 3", "", "20/05/2025",
         "120", "", ""],
        # Out of order: the founding meeting, deed and SK AHU are not recorded yet.
        [PRAWOTO, "sk_ahu", "selesai", "20/06/2025", "Arsip Dinas, map 3", "", "", "", "AHU-1.AH.01.29.TAHUN 2025",
         "20/06/2025"],
        # Pakem has no cooperative yet: registered as an existing one (pengembangan), its first stage recorded.
        [PAKEM, "sosialisasi", "selesai", "01/03/2025", "Arsip Dinas, map 4", "pengembangan", "01/03/2025", "", "",
         ""],
        [PAKEM, "rapat pendirian", "tidak berlaku", "", "Koperasi lama, sudah berbadan hukum sejak 1998", "", "", "",
         "", ""],
    ]


def test_dry_run_writes_nothing_and_reports_the_out_of_order_row(pati_officer, prawoto,
                                                                  django_capture_on_commit_callbacks):
    job = upload(pati_officer, xlsx_bytes(HEADER, _rows()), name="pembentukan.xlsx", kind="pembentukan",
                 capture=django_capture_on_commit_callbacks)
    assert job.status == ImportStatus.VALIDATED, job.message
    assert job.counts == {"new": 3, "unchanged": 0, "updated": 0, "errors": 2}, job.error_preview
    assert [error["row"] for error in job.error_preview] == [4, 6]  # SK AHU out of order; musdesus missing
    assert not prawoto.stages.filter(status=StageStatus.VERIFIED).exists()
    assert not Cooperative.objects.filter(village_id=PAKEM).exists()


def test_commit_records_archive_stages_and_reupload_is_unchanged(pati_officer, prawoto,
                                                                 django_capture_on_commit_callbacks):
    capture = django_capture_on_commit_callbacks
    content = xlsx_bytes(HEADER, _rows())
    job = commit(pati_officer, upload(pati_officer, content, name="p.xlsx", kind="pembentukan", capture=capture),
                 CommitMode.VALID_ROWS, capture=capture)
    assert job.status == ImportStatus.COMMITTED
    musdesus = prawoto.stages.get(stage__code="musdesus")
    assert musdesus.status == StageStatus.VERIFIED and musdesus.from_archive
    assert musdesus.data == {"held_on": "2025-05-20", "participants": 120}
    assert "p.xlsx" in musdesus.archive_note and musdesus.completed_at.date().isoformat() == "2025-05-20"
    pakem = Cooperative.objects.get(village_id=PAKEM)
    assert pakem.formation_model == "pengembangan"
    assert pakem.stages.get(stage__code="sosialisasi").status == StageStatus.VERIFIED
    again = upload(pati_officer, content, name="p.xlsx", kind="pembentukan", capture=capture)
    assert again.counts == {"new": 0, "unchanged": 3, "updated": 0, "errors": 2}


def test_village_staff_cannot_import_formation_progress(village_staff, prawoto, django_capture_on_commit_callbacks):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        upload(village_staff, xlsx_bytes(HEADER, _rows()), name="p.xlsx", kind="pembentukan",
               capture=django_capture_on_commit_callbacks)
