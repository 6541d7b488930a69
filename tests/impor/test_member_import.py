"""Importing a member register from XLSX or CSV: dry run, commit, all or nothing, idempotence, error file."""

import io
from datetime import date

import pytest
from django.db import connection
from openpyxl import load_workbook

from impor.member_import import MemberImport
from impor.models import CommitMode
from impor.models import ImportStatus
from members.models import Member
from members.services import member_add
from simpanan.checks import savings_discrepancies
from simpanan.models import Bill
from simpanan.services import savings_setting_add
from simpanan.services import sukarela_deposit
from simpanan.services import wajib_bills_generate
from tests.conftest import sample_nik
from tests.impor.helpers import MEMBER_HEADER
from tests.impor.helpers import commit
from tests.impor.helpers import csv_bytes
from tests.impor.helpers import member_row
from tests.impor.helpers import upload
from tests.impor.helpers import xlsx_bytes

pytestmark = pytest.mark.django_db


def _file_with_two_bad_rows() -> bytes:
    return xlsx_bytes(MEMBER_HEADER, [
        member_row(1), member_row(2, **{"Jenis kelamin": "P", "Tanggal lahir": "55/08/1985"}),
        member_row(3, NIK="12345"),  # too short
        member_row(4, **{"Tanggal masuk": "01/01/2099"}),  # in the future
        member_row(5),
    ])


def test_dry_run_counts_and_writes_nothing(village_staff, prawoto, django_capture_on_commit_callbacks):
    job = upload(village_staff, _file_with_two_bad_rows(), cooperative=prawoto,
                 capture=django_capture_on_commit_callbacks)
    assert job.status == ImportStatus.VALIDATED
    assert job.counts == {"new": 2, "unchanged": 0, "updated": 0, "errors": 3}
    assert not Member.objects.filter(cooperative=prawoto).exists()
    # Row 4 of the sheet is the third member (row 1 holds the header).
    messages = {(error["row"], error["column"]) for error in job.error_preview}
    assert (3, "Tanggal lahir") in messages and (4, "NIK") in messages and (5, "Tanggal masuk") in messages
    assert "16 digit" in next(e["message"] for e in job.error_preview if e["row"] == 4)


def test_error_file_lists_row_column_value_and_message_in_indonesian(
        village_staff, prawoto, django_capture_on_commit_callbacks):
    job = upload(village_staff, _file_with_two_bad_rows(), cooperative=prawoto,
                 capture=django_capture_on_commit_callbacks)
    rows = list(load_workbook(io.BytesIO(job.error_file.read())).active.iter_rows(values_only=True))
    assert rows[0] == ("Baris", "Kolom", "Nilai", "Pesan")
    assert (4, "NIK", "••••", "NIK harus tepat 16 digit.") in rows
    assert any(row[0] == 5 and row[1] == "Tanggal masuk" and row[2] == "01/01/2099" for row in rows)


def test_commit_valid_rows_then_reupload_changes_nothing(village_staff, prawoto, django_capture_on_commit_callbacks):
    capture = django_capture_on_commit_callbacks
    content = _file_with_two_bad_rows()
    job = commit(village_staff, upload(village_staff, content, cooperative=prawoto, capture=capture),
                 CommitMode.VALID_ROWS, capture=capture)
    assert job.status == ImportStatus.COMMITTED
    assert job.committed_counts["new"] == 2 and job.committed_counts["errors"] == 3
    members = Member.objects.filter(cooperative=prawoto).order_by("member_number")
    assert [(m.nik, m.member_number) for m in members] == [(sample_nik(1), "00001"), (sample_nik(5), "00002")]
    first = members[0]
    assert (first.rt, first.rw, str(first.phone), first.occupation) == ("003", "001", "+6281234567890", "Petani")
    assert first.history.get().history_user == village_staff
    assert not job.file  # the upload (with its NIKs) is deleted once imported
    again = upload(village_staff, content, cooperative=prawoto, capture=capture)
    assert again.counts == {"new": 0, "unchanged": 2, "updated": 0, "errors": 3}
    again = commit(village_staff, again, CommitMode.VALID_ROWS, capture=capture)
    assert Member.objects.filter(cooperative=prawoto).count() == 2
    assert Member.history.filter(cooperative=prawoto).count() == 2


def test_all_or_nothing_writes_nothing_when_a_row_is_wrong(village_staff, prawoto, django_capture_on_commit_callbacks):
    capture = django_capture_on_commit_callbacks
    job = upload(village_staff, _file_with_two_bad_rows(), cooperative=prawoto, capture=capture)
    job = commit(village_staff, job, CommitMode.ALL_OR_NOTHING, capture=capture)
    assert job.status == ImportStatus.REFUSED
    assert not Member.objects.filter(cooperative=prawoto).exists()


def test_csv_with_semicolons_updates_an_existing_member(village_staff, prawoto, django_capture_on_commit_callbacks):
    capture = django_capture_on_commit_callbacks
    existing, _warnings = member_add(actor=village_staff, cooperative=prawoto, nik=sample_nik(1), name="Warga 1",
                                     sex="L", domicile_code=prawoto.village_id)
    content = csv_bytes(MEMBER_HEADER, [member_row(1, Pekerjaan="Pedagang"), member_row(2)])
    job = upload(village_staff, content, name="anggota.csv", cooperative=prawoto, capture=capture)
    assert job.counts == {"new": 1, "unchanged": 0, "updated": 1, "errors": 0}
    commit(village_staff, job, CommitMode.ALL_OR_NOTHING, capture=capture)
    existing.refresh_from_db()
    assert existing.occupation == "Pedagang" and existing.member_number == "00001"
    assert Member.objects.get(cooperative=prawoto, nik=sample_nik(2)).member_number == "00002"


def test_duplicate_nik_in_the_file_is_an_error(village_staff, prawoto, django_capture_on_commit_callbacks):
    job = upload(village_staff, xlsx_bytes(MEMBER_HEADER, [member_row(1), member_row(1)]), cooperative=prawoto,
                 capture=django_capture_on_commit_callbacks)
    assert job.counts["errors"] == 1
    assert job.error_preview[0]["message"] == "NIK ini sudah ada di baris 2 berkas."


def test_a_failing_nik_is_masked_on_the_error_list_and_in_the_error_file(
        village_staff, prawoto, django_capture_on_commit_callbacks):
    """Officers of the area read an import's errors too: a NIK on them shows no more than a masked one does."""
    nik = sample_nik(1)
    job = upload(village_staff, xlsx_bytes(MEMBER_HEADER, [member_row(1), member_row(1)]), cooperative=prawoto,
                 capture=django_capture_on_commit_callbacks)
    masked = f"{nik[:4]}••••••••{nik[12:]}"
    assert [(e["row"], e["column"], e["value"]) for e in job.error_preview] == [(3, "NIK", masked)]
    rows = list(load_workbook(io.BytesIO(job.error_file.read())).active.iter_rows(values_only=True))
    assert rows[1][:3] == (3, "NIK", masked)
    assert nik not in str(rows) and nik not in str(job.error_preview)


def test_uploads_are_not_kept_once_decided_or_stale(village_staff, prawoto, django_capture_on_commit_callbacks):
    from datetime import timedelta

    from django.utils import timezone

    from impor.models import ImportJob
    from impor.services import import_uploads_forget

    capture = django_capture_on_commit_callbacks
    refused = commit(village_staff, upload(village_staff, _file_with_two_bad_rows(), cooperative=prawoto,
                                           capture=capture), CommitMode.ALL_OR_NOTHING, capture=capture)
    assert refused.status == ImportStatus.REFUSED and not refused.file
    waiting = upload(village_staff, _file_with_two_bad_rows(), cooperative=prawoto, capture=capture)
    assert waiting.file and import_uploads_forget() == 0
    ImportJob.objects.filter(pk=waiting.pk).update(validated_at=timezone.now() - timedelta(days=8))
    assert import_uploads_forget() == 1
    waiting.refresh_from_db()
    assert waiting.status == ImportStatus.CANCELLED and not waiting.file and waiting.counts["errors"] == 3


def test_a_file_without_the_required_columns_fails_with_a_message(village_staff, prawoto,
                                                                  django_capture_on_commit_callbacks):
    job = upload(village_staff, xlsx_bytes(["Nama lengkap", "Alamat"], [["Siti", "Dusun"]]), cooperative=prawoto,
                 capture=django_capture_on_commit_callbacks)
    assert job.status == ImportStatus.FAILED
    assert "“NIK”" in job.message and "“Jenis kelamin”" in job.message
    assert not Member.objects.exists()


def test_the_import_writes_every_value_the_dry_run_checked(village_staff, prawoto, django_capture_on_commit_callbacks):
    capture = django_capture_on_commit_callbacks
    content = csv_bytes(MEMBER_HEADER, [
        member_row(1, **{"Anggota pendiri": "ya", "Tanggal lahir": "16/08/1985"}),  # NIK digits say the 15th
        member_row(2, Status="keluar", **{"Tanggal keluar/meninggal": "02/09/2025",
                                          "Alasan keluar/meninggal": "Pindah ke Kudus"}),
    ])
    job = upload(village_staff, content, name="anggota.csv", cooperative=prawoto, capture=capture)
    # On PostgreSQL the checked rows wait with the upload for the decision (elsewhere every row is checked again).
    assert bool(job.checked_file) == (connection.vendor == "postgresql")
    job = commit(village_staff, job, CommitMode.ALL_OR_NOTHING, capture=capture)
    assert job.status == ImportStatus.COMMITTED and not job.checked_file and not job.checked_token
    founder = Member.objects.get(cooperative=prawoto, nik=sample_nik(1))
    assert founder.is_founder and founder.birth_date.isoformat() == "1985-08-16"
    assert founder.nik_warnings == ["Tanggal lahir tidak sesuai dengan digit 7–12 NIK (tanggal lahir berbeda)."]
    left = Member.objects.get(cooperative=prawoto, nik=sample_nik(2))
    assert (left.status, left.status_on.isoformat(), left.status_reason) == ("keluar", "2025-09-02",
                                                                              "Pindah ke Kudus")
    assert (left.joined_on.isoformat(), left.domicile_id, left.member_number) == ("2025-08-01", prawoto.village_id,
                                                                                 "00002")


def test_a_register_changed_after_the_dry_run_is_checked_again(village_staff, prawoto,
                                                                django_capture_on_commit_callbacks):
    capture = django_capture_on_commit_callbacks
    job = upload(village_staff, xlsx_bytes(MEMBER_HEADER, [member_row(1), member_row(2)]), cooperative=prawoto,
                 capture=capture)
    assert job.counts == {"new": 2, "unchanged": 0, "updated": 0, "errors": 0}
    # Meanwhile the pengurus admits the first person by hand, under another spelling of the name.
    by_hand, _warnings = member_add(actor=village_staff, cooperative=prawoto, nik=sample_nik(1), name="Warga Satu",
                                    sex="L", domicile_code=prawoto.village_id)
    job = commit(village_staff, job, CommitMode.ALL_OR_NOTHING, capture=capture)
    assert job.status == ImportStatus.COMMITTED
    assert job.committed_counts == {"new": 1, "unchanged": 0, "updated": 1, "errors": 0}
    by_hand.refresh_from_db()
    assert (by_hand.name, by_hand.member_number) == ("Warga 1", "00001")
    assert Member.objects.get(cooperative=prawoto, nik=sample_nik(2)).member_number == "00002"


@pytest.mark.parametrize("checked_again", [False, True], ids=["kept rows", "checked again"])
def test_new_members_keep_odd_text_get_numbers_past_99999_and_history(
        village_staff, prawoto, django_capture_on_commit_callbacks, checked_again):
    """
    Both ways of writing new members (the dry run's kept rows, or every row checked again after a change) give
    the same register: text that looks like COPY's NULL marker stays text, numbering runs on past 99999 as the
    register numbers by hand, and every new member has its "+" history row by the importing user.
    """
    capture = django_capture_on_commit_callbacks
    earlier, _warnings = member_add(actor=village_staff, cooperative=prawoto, nik=sample_nik(9), name="Warga Lama",
                                    sex="L", domicile_code=prawoto.village_id)
    Member.objects.filter(pk=earlier.pk).update(member_number="99998")
    job = upload(village_staff, csv_bytes(MEMBER_HEADER, [
        member_row(1, Alamat="\\N", Pekerjaan="NULL", RT="", RW=""),
        member_row(2, **{"Tanggal lahir": ""}),
    ]), name="anggota.csv", cooperative=prawoto, capture=capture)
    if checked_again:  # a change to the register after the dry run: the rows are checked again on commit
        Member.objects.filter(pk=earlier.pk).update(occupation="Nelayan")
    job = commit(village_staff, job, CommitMode.ALL_OR_NOTHING, capture=capture)
    assert job.status == ImportStatus.COMMITTED and job.committed_counts["new"] == 2
    odd = Member.objects.get(cooperative=prawoto, nik=sample_nik(1))
    assert (odd.address, odd.occupation, odd.rt, odd.rw, odd.member_number) == ("\\N", "NULL", "", "", "99999")
    second = Member.objects.get(cooperative=prawoto, nik=sample_nik(2))
    assert (second.birth_date, second.member_number) == (None, "100000")
    history = Member.history.filter(id__in=[odd.pk, second.pk])
    assert sorted(history.values_list("member_number", "history_type", "history_user_id")) == [
        ("100000", "+", village_staff.pk), ("99999", "+", village_staff.pk)]
    assert history.get(id=odd.pk).address == "\\N"


def test_the_kept_rows_are_written_as_checked_new_members_then_changes(
        village_staff, prawoto, django_capture_on_commit_callbacks, monkeypatch):
    """
    While the register is unchanged the import writes the dry run's kept rows without checking any row again:
    new members numbered in file order with their history rows by the importing user, then the changes.
    """
    if connection.vendor != "postgresql":
        pytest.skip("the dry run keeps its rows on PostgreSQL only")
    capture = django_capture_on_commit_callbacks
    existing, _warnings = member_add(actor=village_staff, cooperative=prawoto, nik=sample_nik(2), name="Warga 2",
                                     sex="L", domicile_code=prawoto.village_id)
    content = csv_bytes(MEMBER_HEADER, [member_row(3, **{"Nama lengkap": 'Siti "Ani" Aminah'}),
                                        member_row(2, Pekerjaan="Pedagang"), member_row(1)])
    job = upload(village_staff, content, name="anggota.csv", cooperative=prawoto, capture=capture)
    assert job.counts == {"new": 2, "unchanged": 0, "updated": 1, "errors": 0}

    def checked_again(*args, **kwargs):
        raise AssertionError("a row was checked again although the register had not changed")

    monkeypatch.setattr(MemberImport, "check", checked_again)
    job = commit(village_staff, job, CommitMode.ALL_OR_NOTHING, capture=capture)
    assert job.status == ImportStatus.COMMITTED
    numbers = dict(Member.objects.filter(cooperative=prawoto).values_list("nik", "member_number"))
    assert numbers == {sample_nik(2): "00001", sample_nik(3): "00002", sample_nik(1): "00003"}
    quoted = Member.objects.get(cooperative=prawoto, nik=sample_nik(3))
    assert quoted.name == 'Siti "Ani" Aminah' and quoted.created_by == village_staff
    existing.refresh_from_db()
    assert existing.occupation == "Pedagang"
    added = Member.history.filter(cooperative=prawoto, history_type="+")
    assert sorted(added.values_list("member_number", "history_user_id")) == [
        ("00001", village_staff.pk), ("00002", village_staff.pk), ("00003", village_staff.pk)]
    assert Member.history.filter(id=existing.pk, history_type="~").get().occupation == "Pedagang"


def test_a_file_with_only_the_required_columns_and_an_error_row(village_staff, prawoto,
                                                                django_capture_on_commit_callbacks):
    """Rows of a file without every column are read by name (the engine's dict per row); errors keep their value."""
    capture = django_capture_on_commit_callbacks
    content = csv_bytes(["NIK", "Jenis kelamin", "Nama lengkap"],
                        [[sample_nik(1), "L", "Warga 1"], [sample_nik(2), "X", "Warga 2"]])
    job = upload(village_staff, content, name="anggota.csv", cooperative=prawoto, capture=capture)
    assert job.counts == {"new": 1, "unchanged": 0, "updated": 0, "errors": 1}
    assert [(e["row"], e["column"], e["value"]) for e in job.error_preview] == [(3, "Jenis kelamin", "X")]
    job = commit(village_staff, job, CommitMode.VALID_ROWS, capture=capture)
    member = Member.objects.get(cooperative=prawoto, nik=sample_nik(1))
    assert (member.name, member.sex, member.domicile_id, member.member_number) == (
        "Warga 1", "L", prawoto.village_id, "00001")


def test_the_import_keeps_the_registers_savings_rules(village_staff, prawoto, django_capture_on_commit_callbacks):
    """A bulk write sends no signal and skipped member_update: bills after leaving stayed, a joining date passed
    the savings."""
    capture = django_capture_on_commit_callbacks
    savings_setting_add(actor=village_staff, cooperative=prawoto, effective_from=date(2025, 1, 1),
                        pokok_amount=100_000, wajib_amount=10_000, wajib_period="monthly")
    leaver, _warnings = member_add(actor=village_staff, cooperative=prawoto, nik=sample_nik(1), name="Warga 1",
                                   sex="L", domicile_code=prawoto.village_id, joined_on=date(2025, 8, 1))
    saver, _warnings = member_add(actor=village_staff, cooperative=prawoto, nik=sample_nik(2), name="Warga 2",
                                  sex="L", domicile_code=prawoto.village_id, joined_on=date(2025, 8, 1))
    for month in (8, 9, 10, 11):
        wajib_bills_generate(today=date(2025, month, 1))
    sukarela_deposit(actor=village_staff, member=saver, amount=5_000, transaction_date=date(2025, 8, 5))
    content = csv_bytes(MEMBER_HEADER, [
        member_row(1, Status="keluar", **{"Tanggal keluar/meninggal": "20/09/2025",
                                         "Alasan keluar/meninggal": "pindah domisili"}),
        member_row(2, **{"Tanggal masuk": "01/10/2025"})])
    job = upload(village_staff, content, name="anggota.csv", cooperative=prawoto, capture=capture)
    assert job.counts["errors"] == 1
    assert job.error_preview[0]["row"] == 3 and "catatan simpanan sejak 1 Agu 2025" in job.error_preview[0]["message"]
    commit(village_staff, job, CommitMode.VALID_ROWS, capture=capture)
    saver.refresh_from_db()
    assert saver.joined_on == date(2025, 8, 1)  # refused: billed for August, a deposit on 5 Aug
    periods = set(Bill.objects.filter(member=leaver, kind="wajib").values_list("period", flat=True))
    assert periods == {date(2025, 8, 1), date(2025, 9, 1)}  # October and November went with the leaving
    assert all(result.ok for result in savings_discrepancies())
