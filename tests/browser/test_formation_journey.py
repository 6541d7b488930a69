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
from tests.conftest import assert_accessible
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
    assert_accessible(page)
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

    # Village staff, on a phone: home → register the cooperative of their desa.
    browser_login(page, staff.email)
    page.get_by_role("link", name="Daftarkan koperasi").click()
    assert page.locator("#id_village").input_value() == f"Desa Prawoto — Kec. Sukolilo, Kab. Pati ({PRAWOTO})"
    page.fill("#id_phone", "0812 3456 7890")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/koperasi/*/")
    assert_accessible(page)
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
    assert_accessible(page)
    page.fill("input[name=held_on]", "2025-05-20")
    page.fill("input[name=participants]", "120")
    page.set_input_files("input[name=doc_berita_acara_musdesus]", _pdf("berita-acara-musdesus.pdf"))
    page.set_input_files("input[name=doc_daftar_hadir_musdesus]", _pdf("daftar-hadir.pdf"))
    page.locator("form:has(input[value=submit]) button[type=submit]").click()
    page.wait_for_url(cooperative_url)
    assert "menunggu verifikasi" in page.locator("section.highlight").inner_text()

    # The officer sees the target before and after verifying the Musdesus.
    officer_page.goto(officer_page.base_url + f"/target/{target.pk}/")
    assert_accessible(officer_page)
    assert officer_page.locator("[data-figure=achieved]").inner_text() == "0"
    _verify_oldest(officer_page, "Musdesus")
    officer_page.goto(officer_page.base_url + f"/target/{target.pk}/")
    assert officer_page.locator("[data-figure=achieved]").inner_text() == "1"
    assert officer_page.locator("[data-figure=gap]").inner_text() == "405"

    # Back on the phone, the village sees the Musdesus verified and the next step.
    page.goto(cooperative_url)
    assert "Rapat pendirian" in page.locator("section.highlight h2").inner_text()
    officer_page.context.close()


def test_village_replaces_a_rejected_document_resubmits_and_learns_the_outcome(page, chromium, live_server):
    """Journey (b): sent back, the staff replace the document and resubmit; another officer verifies; the staff
    see both outcomes under the bell."""
    from koperasi.models import StageDocument
    from koperasi.services import cooperative_register
    from tests.conftest import submit_stage

    staff = make_user(Role.VILLAGE_STAFF, PRAWOTO, full_name="Staf Prawoto")
    officer = make_user(Role.KABUPATEN_OFFICER, PATI, full_name="Dinas Pati")
    verifier = make_user(Role.KABUPATEN_OFFICER, PATI, full_name="Verifikator Pati")
    cooperative = cooperative_register(actor=staff, village_code=PRAWOTO)
    submit_stage(staff, cooperative, "sosialisasi")

    officer_page = _officer_page(chromium, live_server, officer.email)
    officer_page.goto(officer_page.base_url + f"/koperasi/{cooperative.pk}/tahap/sosialisasi/")
    assert_accessible(officer_page)
    officer_page.fill("textarea[name=reason]", "Foto kegiatan tidak terbaca, mohon unggah ulang.")
    officer_page.locator("form:has(input[value=reject]) button[type=submit]").click()
    officer_page.wait_for_url(f"**/koperasi/{cooperative.pk}/")
    officer_page.context.close()

    # The staff, on a phone: the home page and the bell say what was sent back and why.
    browser_login(page, staff.email)
    assert "Foto kegiatan tidak terbaca" in page.locator("main").inner_text()
    assert_accessible(page)
    assert page.locator(".bell .count").inner_text() == "1"
    page.locator(".bell").click()
    page.get_by_role("button", name="Buka").first.click()
    page.wait_for_url(f"**/koperasi/{cooperative.pk}/tahap/sosialisasi/")
    assert "putaran 1" in page.locator("main").inner_text()
    assert_accessible(page)
    page.set_input_files("input[name=doc_berita_acara_sosialisasi]", _pdf("foto-sosialisasi-jelas.pdf"))
    page.get_by_role("button", name="Ajukan untuk verifikasi").click()
    page.wait_for_url(f"**/koperasi/{cooperative.pk}/")
    active = StageDocument.objects.get(progress__cooperative=cooperative, removed_at__isnull=True)
    assert (active.original_name, active.round) == ("foto-sosialisasi-jelas.pdf", 2)

    # Another officer verifies from the queue; the staff see the verification under the bell.
    verifier_page = _officer_page(chromium, live_server, verifier.email)
    _verify_oldest(verifier_page, "Sosialisasi")
    verifier_page.context.close()
    page.goto(page.base_url + "/notifikasi/")
    assert "Sosialisasi diverifikasi" in page.locator("main").inner_text()
    assert_accessible(page)
    assert page.locator(".bell .count").inner_text() == "1"
