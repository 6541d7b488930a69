"""
The formation workflow in a real browser: village staff register their cooperative and submit
stages with PDFs from a phone; the district officer verifies them and sees the target move.
"""

from datetime import date

import pytest

from core.roles import Role
from targets.services import target_create
from tests.conftest import PATI
from tests.conftest import PRAWOTO
from tests.conftest import browser_login
from tests.conftest import make_user

pytestmark = [pytest.mark.browser]

PDF = b"%PDF-1.4\n1 0 obj<< /Type /Catalog >>endobj\ntrailer<<>>\n%%EOF\n"


def _pdf(name):
    return {"name": name, "mimeType": "application/pdf", "buffer": PDF}


def _officer_page(chromium, live_server, email):
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.base_url = live_server.url
    browser_login(page, email)
    return page


def _verify_oldest(page, stage_label):
    page.goto(page.base_url + "/koperasi/verifikasi/")
    row = page.locator("tbody tr", has_text=stage_label).first
    row.get_by_role("link").click()
    page.locator("form:has(input[value=verify]) button[type=submit]").click()
    page.wait_for_url("**/koperasi/verifikasi/")


def test_village_staff_submit_and_the_officer_verifies(page, chromium, live_server):
    staff = make_user(Role.VILLAGE_STAFF, PRAWOTO, full_name="Staf Prawoto")
    officer = make_user(Role.KABUPATEN_OFFICER, PATI, full_name="Dinas Pati")
    admin = make_user(Role.NATIONAL_ADMIN)
    target = target_create(actor=admin, region_code=PATI, metric="stage", stage_code="musdesus",
                           start_date=date(2025, 4, 1), due_date=date(2030, 5, 31))

    # Village staff, on a phone: home → their desa → register the cooperative.
    browser_login(page, staff.email)
    page.wait_for_url(f"**/wilayah/{PRAWOTO}/")
    page.locator(f"a[href='/koperasi/daftar/?village={PRAWOTO}']").click()
    assert page.locator("#id_village").input_value().startswith(PRAWOTO)
    page.fill("#id_phone", "0812 3456 7890")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/koperasi/*/")
    assert page.get_by_role("heading", name="Koperasi Desa Merah Putih Prawoto").is_visible()
    cooperative_url = page.url

    # Stage 1: sosialisasi, with its minutes as a PDF.
    page.locator("section.highlight a.button").click()
    page.fill("input[name=held_on]", "2025-04-10")
    page.set_input_files("input[name=doc_berita_acara_sosialisasi]", _pdf("sosialisasi.pdf"))
    page.locator("form:has(input[value=submit]) button[type=submit]").click()
    page.wait_for_url(cooperative_url)

    officer_page = _officer_page(chromium, live_server, officer.email)
    _verify_oldest(officer_page, "Sosialisasi")

    # Stage 2: Musdesus, with the berita acara and the attendance list.
    page.goto(cooperative_url)
    page.locator("section.highlight a.button").click()
    page.wait_for_url("**/tahap/musdesus/")
    page.fill("input[name=held_on]", "2025-05-20")
    page.fill("input[name=participants]", "120")
    page.set_input_files("input[name=doc_berita_acara_musdesus]", _pdf("berita-acara-musdesus.pdf"))
    page.set_input_files("input[name=doc_daftar_hadir_musdesus]", _pdf("daftar-hadir.pdf"))
    page.locator("form:has(input[value=submit]) button[type=submit]").click()
    page.wait_for_url(cooperative_url)
    assert "menunggu verifikasi" in page.locator("section.highlight").inner_text()

    # The officer sees the target before and after verifying the Musdesus.
    officer_page.goto(officer_page.base_url + f"/target/{target.pk}/")
    assert officer_page.locator("[data-figure=achieved]").inner_text() == "0"
    _verify_oldest(officer_page, "Musdesus")
    officer_page.goto(officer_page.base_url + f"/target/{target.pk}/")
    assert officer_page.locator("[data-figure=achieved]").inner_text() == "1"
    assert officer_page.locator("[data-figure=gap]").inner_text() == "405"

    # Back on the phone, the village sees the Musdesus verified and the next step.
    page.goto(cooperative_url)
    assert "Rapat pendirian" in page.locator("section.highlight h2").inner_text()
    officer_page.context.close()


def test_a_rejected_stage_shows_the_reason_to_the_village(page, chromium, live_server):
    from koperasi.services import cooperative_register
    from tests.conftest import submit_stage

    staff = make_user(Role.VILLAGE_STAFF, PRAWOTO)
    officer = make_user(Role.KABUPATEN_OFFICER, PATI)
    cooperative = cooperative_register(actor=staff, village_code=PRAWOTO)
    submit_stage(staff, cooperative, "sosialisasi")

    officer_page = _officer_page(chromium, live_server, officer.email)
    officer_page.goto(officer_page.base_url + f"/koperasi/{cooperative.pk}/tahap/sosialisasi/")
    officer_page.fill("textarea[name=reason]", "Foto kegiatan tidak terbaca, mohon unggah ulang.")
    officer_page.locator("form:has(input[value=reject]) button[type=submit]").click()
    officer_page.wait_for_url(f"**/koperasi/{cooperative.pk}/")

    browser_login(page, staff.email)
    page.wait_for_url(f"**/koperasi/{cooperative.pk}/")
    assert "Foto kegiatan tidak terbaca" in page.locator("section.highlight").inner_text()
    officer_page.context.close()
