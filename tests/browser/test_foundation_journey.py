"""The foundation in a real browser: sign in, land in your scope, drill down, search, switch language."""

import re
from urllib.parse import urlsplit

import pytest
from django.core import mail

from core.roles import Role
from tests.conftest import PATI
from tests.conftest import PRAWOTO
from tests.conftest import assert_accessible
from tests.conftest import browser_login
from tests.conftest import fits_the_screen
from tests.conftest import make_user

pytestmark = [pytest.mark.browser]


def test_district_officer_browses_their_kabupaten_on_a_phone(page):
    officer = make_user(Role.KABUPATEN_OFFICER, PATI, full_name="Dinas Pati")

    page.goto(page.base_url + "/")
    assert_accessible(page)
    assert page.locator("html").get_attribute("lang") == "id"  # Indonesian despite an en-US browser
    assert page.get_by_role("heading", name="Masuk").is_visible()
    # A villager on a phone, not signed in, sees the one menu entry for them without unfolding anything.
    assert page.get_by_role("link", name="Daftar jadi anggota").is_visible()

    browser_login(page, officer.email)
    # The home page starts the day: here, the desa/kelurahan without a cooperative yet.
    assert page.locator("[data-figure=unregistered]").inner_text() == "406"
    assert_accessible(page)
    page.goto(page.base_url + f"/wilayah/{PATI}/")
    assert page.get_by_role("heading", name="Kabupaten Pati").is_visible()
    assert "406" in page.locator("main").inner_text()

    page.get_by_role("link", name="Sukolilo", exact=True).click()
    page.wait_for_url("**/wilayah/33.18.01/")
    assert_accessible(page)
    breadcrumbs = page.locator(".breadcrumbs").inner_text()
    assert "Kabupaten Pati" in breadcrumbs and "Jawa Tengah" in breadcrumbs

    page.get_by_role("link", name="Prawoto").click()
    page.wait_for_url(f"**/wilayah/{PRAWOTO}/")
    assert_accessible(page)

    # Live search (htmx) inside the kabupaten.
    page.goto(page.base_url + f"/wilayah/{PATI}/")
    page.fill("input[name=q]", "Kedungwinong")
    result = page.locator("#search-results a", has_text="Kedungwinong")
    result.wait_for()
    assert result.get_attribute("href") == "/wilayah/33.18.01.2007/"

    # Nothing outside the scope is reachable.
    response = page.goto(page.base_url + "/wilayah/35.05/")
    assert response.status == 404

    # The language switch.
    page.goto(page.base_url + f"/wilayah/{PATI}/")
    page.select_option("#language-select", "en")
    page.wait_for_load_state("domcontentloaded")
    page.get_by_text("Change history").wait_for()
    assert page.locator("html").get_attribute("lang") == "en"
    # The page fits a phone screen without sideways scrolling.
    assert fits_the_screen(page)


def test_officer_invites_village_staff_who_then_sees_only_their_desa(page):
    officer = make_user(Role.KABUPATEN_OFFICER, PATI)
    browser_login(page, officer.email)
    page.goto(page.base_url + "/pengguna/baru/")
    assert_accessible(page)
    page.fill("#id_full_name", "Siti Aminah")
    page.fill("#id_email", "siti@example.id")
    page.select_option("#id_role", "village_staff")
    page.fill("#id_region", "Prawoto")
    page.locator("#id_region-suggestions option").first.wait_for(state="attached")
    page.fill("#id_region", page.locator("#id_region-suggestions option").first.get_attribute("value"))
    page.get_by_role("button", name="Kirim undangan").click()
    page.wait_for_url("**/pengguna/*/")
    assert_accessible(page)
    assert page.get_by_text("Siti Aminah").first.is_visible()
    assert "Prawoto" in page.locator("section.card").first.inner_text()

    # The invitee follows the e-mailed link, chooses a password and signs in.
    link = re.search(r"https?://\S+/accounts/password/reset/key/\S+", mail.outbox[-1].body).group(0)
    page.click("button:has-text('Keluar')")
    page.goto(page.base_url + urlsplit(link).path)
    assert_accessible(page)
    page.fill("input[name=password1]", "Sandi-Baru-2025!")
    page.fill("input[name=password2]", "Sandi-Baru-2025!")
    page.get_by_role("button", name="Ubah Kata Sandi").click()
    page.wait_for_load_state("domcontentloaded")
    browser_login(page, "siti@example.id", "Sandi-Baru-2025!")
    assert "Prawoto" in page.locator("main").inner_text()  # their home: their desa, no cooperative yet
    page.goto(page.base_url + f"/wilayah/{PRAWOTO}/")
    assert page.get_by_role("heading", name="Prawoto").is_visible()
    assert page.goto(page.base_url + "/wilayah/33.18.01/").status == 404
