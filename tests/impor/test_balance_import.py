"""Importing opening savings balances through simpanan.services.opening_balance_post."""

import pytest

from impor.balance_import import parse_rupiah
from impor.models import CommitMode
from impor.models import ImportStatus
from members.services import member_add
from simpanan.models import EntryType
from simpanan.models import MemberSavings
from simpanan.models import Posting
from tests.conftest import sample_nik
from tests.impor.helpers import commit
from tests.impor.helpers import upload
from tests.impor.helpers import xlsx_bytes

pytestmark = pytest.mark.django_db

HEADER = ["NIK", "Nama", "Simpanan pokok", "Simpanan wajib", "Simpanan sukarela", "Per tanggal", "Referensi"]


@pytest.fixture
def members(village_staff, prawoto):
    return [member_add(actor=village_staff, cooperative=prawoto, nik=sample_nik(i), name=f"Warga {i}", sex="L",
                       domicile_code=prawoto.village_id)[0] for i in (1, 2)]


def test_rupiah_cells():
    assert parse_rupiah("Rp 1.500.000,00") == 1_500_000
    assert parse_rupiah(250000.0) == 250_000 and parse_rupiah("") is None
    assert parse_rupiah("Rp 1.500.000,-") == parse_rupiah("1,500,000") == 1_500_000
    for wrong in ("1,5 juta", "12.5", 1.5, "-100", "1.000.000,50", "1.000,000", "1.5000"):
        with pytest.raises(ValueError):
            parse_rupiah(wrong)


def test_balances_dry_run_commit_and_reupload(village_staff, prawoto, members, django_capture_on_commit_callbacks):
    capture = django_capture_on_commit_callbacks
    rows = [
        [sample_nik(1), "Warga 1", "100.000", "240000", "", "31/12/2025", "Buku hal. 1"],
        [sample_nik(2), "Warga 2", 100000, "", "Rp 50.000", "31/12/2025", ""],
        [sample_nik(3), "Bukan anggota", 100000, "", "", "31/12/2025", ""],
        [sample_nik(1), "Warga 1 lagi", 1, "", "", "31/12/2025", ""],
        [sample_nik(2), "Warga 2", "seratus", "", "", "31/12/2099", ""],
    ]
    content = xlsx_bytes(HEADER, rows)
    job = upload(village_staff, content, name="saldo.xlsx", kind="saldo_awal", cooperative=prawoto, capture=capture)
    assert job.counts == {"new": 2, "unchanged": 0, "updated": 0, "errors": 3}, job.error_preview
    assert not Posting.objects.exists()  # the dry run was rolled back
    job = commit(village_staff, job, CommitMode.VALID_ROWS, capture=capture)
    assert job.status == ImportStatus.COMMITTED
    first, second = (MemberSavings.objects.get(member=member) for member in members)
    assert (first.pokok, first.wajib, first.sukarela) == (100_000, 240_000, 0)
    assert (second.pokok, second.sukarela) == (100_000, 50_000)
    assert Posting.objects.filter(entry_type=EntryType.OPENING).count() == 4
    again = upload(village_staff, content, name="saldo.xlsx", kind="saldo_awal", cooperative=prawoto,
                   capture=capture)
    assert again.counts == {"new": 0, "unchanged": 2, "updated": 0, "errors": 3}
    commit(village_staff, again, CommitMode.VALID_ROWS, capture=capture)
    assert Posting.objects.filter(entry_type=EntryType.OPENING).count() == 4


def test_a_different_opening_balance_is_refused_with_the_service_message(
        village_staff, prawoto, members, django_capture_on_commit_callbacks):
    capture = django_capture_on_commit_callbacks
    commit(village_staff, upload(village_staff, xlsx_bytes(HEADER, [[sample_nik(1), "", 100000, "", "", "2025-12-31",
                                                                    ""]]),
                                 name="a.xlsx", kind="saldo_awal", cooperative=prawoto, capture=capture),
           CommitMode.ALL_OR_NOTHING, capture=capture)
    job = upload(village_staff, xlsx_bytes(HEADER, [[sample_nik(1), "", 120000, "", "", "2025-12-31", ""]]),
                 name="b.xlsx", kind="saldo_awal", cooperative=prawoto, capture=capture)
    assert job.counts["errors"] == 1
    assert job.error_preview[0]["column"] == "Simpanan pokok"
    assert MemberSavings.objects.get(member=members[0]).pokok == 100_000
