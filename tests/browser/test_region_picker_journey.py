"""The one region picker in a real browser: officers name a desa as they know it, not by its code."""

import pytest

from core.roles import Role
from koperasi.models import Cooperative
from pendampingan.models import Visit
from tests.conftest import BLITAR
from tests.conftest import assert_accessible
from tests.conftest import browser_login
from tests.conftest import make_user

pytestmark = [pytest.mark.browser]

KUNIR = "35.05.01.2010"  # Desa Kunir, Kec. Wonodadi, Kab. Blitar (four more Kunir elsewhere in Java)
BATHIN_SOLAPAN = "14.03.16"
PAMESI = "14.03.16.2005"


def test_blitar_officer_logs_a_visit_by_typing_the_desa_name(page):
    officer = make_user(Role.KABUPATEN_OFFICER, BLITAR, full_name="Dinas Koperasi Blitar")
    browser_login(page, officer.email)
    page.goto(page.base_url + "/pendampingan/")
    page.get_by_text("Catat kunjungan").click()
    assert_accessible(page)

    page.locator("#id_village").press_sequentially("Kuni")
    # Suggestions come from the user's own area, labelled with kecamatan and kabupaten.
    page.locator("#id_village-suggestions option").first.wait_for(state="attached")
    suggestions = page.locator("#id_village-suggestions option").evaluate_all("(os) => os.map(o => o.value)")
    assert f"Desa Kunir — Kec. Wonodadi, Kab. Blitar ({KUNIR})" in suggestions
    assert all("Blitar" in suggestion for suggestion in suggestions)

    # The name alone is enough: it is unique inside Kabupaten Blitar.
    page.fill("#id_village", "Kunir")
    page.fill("#id_topic", "Persiapan Musdesus")
    page.get_by_role("button", name="Simpan kunjungan").click()
    page.get_by_text("Kunjungan dicatat.").wait_for()
    visit = Visit.objects.get()
    assert visit.village_id == KUNIR and visit.officer == officer
    # The list says which Kunir: the kecamatan beside the desa.
    assert "Kunir Kec. Wonodadi" in " ".join(page.locator("table").inner_text().split())
    assert_accessible(page)


def test_bathin_solapan_officer_registers_a_cooperative_by_desa_name(page):
    officer = make_user(Role.KECAMATAN_OFFICER, BATHIN_SOLAPAN, full_name="Koordinator Bathin Solapan")
    browser_login(page, officer.email)
    page.goto(page.base_url + "/koperasi/daftar/")
    page.fill("#id_village", "Buluh")  # part of a name: Buluh Manis
    page.get_by_role("button", name="Daftarkan").click()
    assert_accessible(page)  # the refused form with its error summary
    error = page.locator(".errorlist").first.inner_text()
    assert "Buluh Manis — Kec. Bathin Solapan, Kab. Bengkalis (14.03.16.2003)" in error
    assert not Cooperative.objects.exists()

    page.fill("#id_village", "pamesi")
    page.get_by_role("button", name="Daftarkan").click()
    page.wait_for_url("**/koperasi/*/")
    cooperative = Cooperative.objects.get()
    assert cooperative.village_id == PAMESI
    assert page.get_by_role("heading", name=cooperative.name).is_visible()
    assert_accessible(page)
