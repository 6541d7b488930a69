"""A village operator imports the member register from Excel in a real browser, on a 390 px phone."""

import io

import pytest
from openpyxl import load_workbook

from core.roles import Role
from members.models import Member
from tests.conftest import PRAWOTO
from tests.conftest import assert_accessible
from tests.conftest import browser_login
from tests.conftest import fits_the_screen
from tests.conftest import make_user
from tests.conftest import register
from tests.conftest import sample_nik

pytestmark = [pytest.mark.browser]



def _fill_template(path) -> bytes:
    """The downloaded template with five members, two of them wrong (a short NIK, a birth date in the future)."""
    workbook = load_workbook(path)
    sheet = workbook.worksheets[0]
    headers = [cell.value.rstrip(" *") for cell in sheet[1]]
    people = [
        {"NIK": sample_nik(1), "Nama lengkap": "Siti Aminah", "Jenis kelamin": "P", "RT": "3", "RW": "1"},
        {"NIK": sample_nik(2), "Nama lengkap": "Budi Santoso", "Jenis kelamin": "L", "Nomor HP": "0812 3456 7890"},
        {"NIK": "3318", "Nama lengkap": "Baris Salah", "Jenis kelamin": "L"},
        {"NIK": sample_nik(4), "Nama lengkap": "Tanggal Salah", "Jenis kelamin": "L", "Tanggal lahir": "01/01/2090"},
        {"NIK": sample_nik(5), "Nama lengkap": "Dewi Lestari", "Jenis kelamin": "P", "Pekerjaan": "Pedagang"},
    ]
    for row, person in enumerate(people, start=2):
        for column, header in enumerate(headers, start=1):
            sheet.cell(row=row, column=column, value=person.get(header))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_a_village_operator_imports_members_from_the_template_and_commits_the_valid_rows(page, tmp_path):
    staff = make_user(Role.VILLAGE_STAFF, PRAWOTO)
    cooperative = register(staff)
    browser_login(page, staff.email)
    page.goto(page.base_url + f"/koperasi/{cooperative.pk}/anggota/")
    page.locator("#member-import").click()
    page.wait_for_url(f"**/impor/koperasi/{cooperative.pk}/")
    assert fits_the_screen(page)
    assert_accessible(page)

    with page.expect_download() as download:
        page.locator("[data-template=anggota]").click()
    template = tmp_path / "template.xlsx"
    download.value.save_as(template)
    guide = load_workbook(template).worksheets[1]
    assert guide.title == "Panduan kolom" and guide["A2"].value == "NIK"

    assert page.get_by_label("Isi berkas").input_value() == "anggota"
    page.set_input_files("input[type=file]", files=[{
        "name": "anggota-prawoto.xlsx", "buffer": _fill_template(template),
        "mimeType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}])
    page.get_by_role("button", name="Unggah dan periksa").click()
    page.wait_for_url("**/impor/*/")
    page.locator("#import-counts").wait_for()
    assert page.locator("[data-count=new]").inner_text() == "3"
    assert page.locator("[data-count=errors]").inner_text() == "2"
    errors = page.locator("#import-errors").inner_text()
    assert "NIK harus tepat 16 digit" in errors and "Tanggal lahir" in errors
    assert fits_the_screen(page)
    assert_accessible(page)
    with page.expect_download() as error_file:
        page.locator("#import-error-file").click()
    error_path = tmp_path / "galat.xlsx"
    error_file.value.save_as(error_path)
    rows = list(load_workbook(error_path).active.iter_rows(values_only=True))
    assert rows[0] == ("Baris", "Kolom", "Nilai", "Pesan") and len(rows) == 3
    assert not Member.objects.filter(cooperative=cooperative).exists()  # the check wrote nothing

    page.get_by_label("Impor baris yang benar, lewati baris yang salah").check()
    page.get_by_role("button", name="Impor", exact=True).click()
    page.locator("#import-committed").wait_for()
    assert "3 baru" in page.locator("#import-committed").inner_text()
    page.get_by_role("link", name="Lihat anggota").click()
    register_table = page.locator("table").last.inner_text()
    for name in ("Siti Aminah", "Budi Santoso", "Dewi Lestari"):
        assert name in register_table
    assert "Baris Salah" not in register_table
    assert sorted(Member.objects.filter(cooperative=cooperative).values_list("member_number", flat=True)) == [
        "00001", "00002", "00003"]
    assert_accessible(page)

    # Then their opening balances, from the second template, and the balances on the savings page.
    page.goto(page.base_url + f"/impor/koperasi/{cooperative.pk}/")
    with page.expect_download() as download:
        page.locator("[data-template=saldo_awal]").click()
    balances = tmp_path / "saldo.xlsx"
    download.value.save_as(balances)
    workbook = load_workbook(balances)
    sheet = workbook.worksheets[0]
    for row, (nik, pokok, sukarela) in enumerate([(sample_nik(1), "100.000", "25.000"),
                                                  (sample_nik(5), "100000", "")], start=2):
        for column, value in enumerate([nik, "", pokok, "", sukarela, "31/12/2025", "Buku simpanan"], start=1):
            sheet.cell(row=row, column=column, value=value)
    buffer = io.BytesIO()
    workbook.save(buffer)
    page.get_by_label("Isi berkas").select_option("saldo_awal")
    page.set_input_files("input[type=file]", files=[{
        "name": "saldo-awal.xlsx", "buffer": buffer.getvalue(),
        "mimeType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}])
    page.get_by_role("button", name="Unggah dan periksa").click()
    page.wait_for_url("**/impor/*/")
    page.locator("#import-counts").wait_for()
    assert page.locator("[data-count=new]").inner_text() == "2"
    page.get_by_role("button", name="Impor", exact=True).click()
    page.locator("#import-committed").wait_for()
    page.goto(page.base_url + f"/koperasi/{cooperative.pk}/simpanan/")
    assert page.locator("#total-pokok").inner_text() == "Rp\xa0200.000"
    assert page.locator("#total-sukarela").inner_text() == "Rp\xa025.000"
    siti = page.locator("tr", has_text="Siti Aminah").inner_text()
    assert "100.000" in siti and "25.000" in siti
    assert fits_the_screen(page)
