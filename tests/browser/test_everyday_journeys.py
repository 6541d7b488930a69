"""Everyday pages in a real browser: an officer's home, and a cooperative's pages on a 390 px phone."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from core.roles import Role
from koperasi.services import stage_reject
from targets.services import target_create
from tests.conftest import PATI
from tests.conftest import PRAWOTO
from tests.conftest import assert_accessible
from tests.conftest import browser_login
from tests.conftest import fits_the_screen
from tests.conftest import make_user
from tests.conftest import register
from tests.conftest import submit_stage

pytestmark = [pytest.mark.browser]



def test_an_officers_home_lists_the_queue_the_targets_at_risk_and_the_villages_without_a_cooperative(page):
    today = timezone.localdate()
    staff = make_user(Role.VILLAGE_STAFF, PRAWOTO)
    officer = make_user(Role.KABUPATEN_OFFICER, PATI, full_name="Dinas Pati")
    cooperative = register(staff)
    submit_stage(staff, cooperative, "sosialisasi")
    target_create(actor=officer, region_code=PATI, metric="stage", stage_code="musdesus", title="Musdesus Pati",
                  start_date=today - timedelta(days=30), due_date=today + timedelta(days=30))

    browser_login(page, officer.email)
    assert page.locator("[data-figure=queue]").inner_text() == "1"
    assert page.locator("[data-figure=targets-at-risk]").inner_text() == "1"
    assert page.locator("[data-figure=unregistered]").inner_text() == "405"
    assert "Musdesus Pati" in page.locator("#targets-at-risk").inner_text()
    page.locator("#belum-terdaftar a", has_text="Daftarkan").first.click()
    page.wait_for_url("**/koperasi/daftar/?village=*")
    assert page.locator("#id_village").input_value().startswith("Desa ")
    page.go_back()
    page.locator("#queue a", has_text="Sosialisasi").click()
    page.wait_for_url(f"**/koperasi/{cooperative.pk}/tahap/sosialisasi/")
    assert page.locator("form:has(input[value=verify])").is_visible()
    assert fits_the_screen(page)
    assert_accessible(page)
    page.goto(page.base_url + "/koperasi/verifikasi/")  # the queue's table scrolls in its card, not the page
    assert fits_the_screen(page)
    # and says so above it (the template made it focusable itself: the hint was drawn empty, a bare arrow).
    queue = page.locator(".table-wrap.scrollable")
    assert queue.count() == 1
    hint = queue.evaluate("element => getComputedStyle(element, '::before').content")
    assert "Geser ke samping" in hint, hint
    assert_accessible(page)


def test_on_a_390px_phone_the_stage_page_and_the_unit_matrix_fit_and_the_menu_folds(page):
    staff = make_user(Role.VILLAGE_STAFF, PRAWOTO)
    officer = make_user(Role.KABUPATEN_OFFICER, PATI)
    cooperative = register(staff)
    progress = submit_stage(staff, cooperative, "sosialisasi")
    stage_reject(actor=officer, progress=progress, reason="Berita acara belum ditandatangani semua peserta; "
                 "unggah ulang berkas yang lengkap dengan tanda tangan kepala desa dan ketua BPD.")

    browser_login(page, staff.email)
    assert page.viewport_size["width"] == 390
    # The menu folds behind a button; opening it shows the links.
    assert not page.get_by_role("link", name="Koperasi", exact=True).is_visible()
    page.get_by_role("button", name="Menu").click()
    assert page.get_by_role("link", name="Koperasi", exact=True).is_visible()

    page.goto(page.base_url + f"/koperasi/{cooperative.pk}/")
    assert fits_the_screen(page)
    matrix = page.locator(".table-wrap", has=page.locator("table.matrix"))
    assert matrix.get_attribute("tabindex") == "0"  # the wide matrix scrolls inside its card, by keyboard too
    assert "Geser" in matrix.get_attribute("data-hint")
    assert_accessible(page)

    page.goto(page.base_url + f"/koperasi/{cooperative.pk}/tahap/sosialisasi/")
    assert fits_the_screen(page)
    assert_accessible(page)
    # A refused submission starts with the list of what to correct.
    page.fill("input[name=held_on]", "")
    page.get_by_role("button", name="Ajukan untuk verifikasi").click()
    summary = page.locator(".error-summary")
    assert summary.is_visible() and "Tanggal dilaksanakan" in summary.inner_text()
    # The page's script moves the focus there once it has run (a deferred script: after the summary is visible).
    expect(summary).to_be_focused()
    assert fits_the_screen(page)
    assert_accessible(page)
