"""
From a phone at 390 px: the village operator records a plot with a photo and the phone's GPS, the Dinas
officer verifies it, assigns it to construction and a progress report with a photo is added, and the
kabupaten dashboard's land figures and plot map change with each step.
"""

import io

import pytest
from PIL import Image

from core.roles import Role
from reports.services import rollup_reconcile
from tests.conftest import PATI
from tests.conftest import PRAWOTO
from tests.conftest import assert_accessible
from tests.conftest import browser_login
from tests.conftest import fits_the_screen
from tests.conftest import make_user
from tests.conftest import register
from tests.conftest import watch_csp_violations

pytestmark = [pytest.mark.browser]

PHONE_POSITION = {"latitude": -6.812345, "longitude": 111.001234}


def _photo(size=(2400, 1800)) -> dict:
    buffer = io.BytesIO()
    Image.new("RGB", size, (120, 160, 90)).save(buffer, format="JPEG", quality=95)
    return {"name": "lahan.jpg", "mimeType": "image/jpeg", "buffer": buffer.getvalue()}


@pytest.fixture
def phone(chromium, live_server, committed_regions):
    """A phone-sized page whose GPS answers with a position in Desa Prawoto."""
    context = chromium.new_context(viewport={"width": 390, "height": 844}, locale="en-US",
                                   geolocation=PHONE_POSITION, permissions=["geolocation"])
    # The journey reads the English labels: the portal's language follows the cookie (Indonesian by default).
    context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.base_url = live_server.url
    violations = watch_csp_violations(page)
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    context.close()
    assert violations == [], f"Content-Security-Policy violations: {violations}"
    assert errors == [], f"Script errors: {errors}"


def _fits_the_phone(page) -> None:
    assert page.viewport_size["width"] == 390 and fits_the_screen(page), page.url


def _land_figures(page) -> tuple[str, ...]:
    return tuple(page.locator(f"#land-card [data-figure={name}]").inner_text()
                 for name in ("land_plots", "land_verified", "land_construction", "land_handed_over"))


def _open_map(page) -> None:
    page.locator("#land-map").scroll_into_view_if_needed()
    page.wait_for_selector("#land-map[data-ready='1']")


def test_plot_from_the_phone_to_construction_moves_the_kabupaten_dashboard(phone):
    operator = make_user(Role.VILLAGE_STAFF, PRAWOTO)
    officer = make_user(Role.KABUPATEN_OFFICER, PATI)
    cooperative = register(operator)
    rollup_reconcile()
    page = phone

    browser_login(page, operator.email)
    page.goto(f"{page.base_url}/pembangunan/lahan/baru/?cooperative={cooperative.pk}")
    # Markup typed into a name stays text wherever it is shown (the map's tooltip included).
    page.fill("#id_name", 'Tanah kas desa <b id="typed">Dusun Krajan</b>')
    page.fill("#id_area_m2", "1500")
    page.select_option("#id_owner_kind", "tanah_kas_desa")
    page.select_option("#id_legal_status", "sertifikat")
    page.check("input[name=unit_type_codes][value=gerai_sembako]")
    page.get_by_role("button", name="Use my phone's GPS").click()
    page.wait_for_selector("[data-gps-button][data-filled='1']")
    assert page.input_value("#id_latitude") == "-6.812345"
    assert page.input_value("#id_longitude") == "111.001234"
    assert page.is_checked("#id_keep_location")
    page.set_input_files("#id_photo", _photo())
    page.wait_for_selector("#id_photo[data-shrunk]")  # made smaller on the phone before it is sent
    _fits_the_phone(page)
    assert_accessible(page)
    page.get_by_role("button", name="Save plot").click()
    page.wait_for_selector("text=Plot recorded.")
    assert page.locator("[data-position]").inner_text() == "-6.812345, 111.001234"
    assert page.locator("#photos img").count() == 1
    assert "with location" in page.locator("#photos").inner_text()
    _fits_the_phone(page)
    assert_accessible(page)
    page.get_by_role("button", name="Mark surveyed").click()
    page.wait_for_selector("#plot-status [data-status=surveyed]")
    plot_url = page.url

    page.context.clear_cookies()
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": page.base_url}])
    browser_login(page, officer.email)
    page.goto(f"{page.base_url}/dasbor/{PATI}/")
    assert _land_figures(page) == ("1", "0", "0", "0")
    _open_map(page)
    assert page.locator("#land-map path.plot-surveyed").count() == 1

    page.goto(plot_url)
    page.get_by_role("button", name="Verify plot").click()
    page.wait_for_selector("#plot-status [data-status=verified]")
    page.fill("#id_project-title", "Gerai dan gudang 20 × 30 m")
    page.fill("#id_project-building_area_m2", "600")
    page.fill("#id_project-contractor_name", "CV Karya Pati")
    page.fill("#id_project-contract_value", "1.650.000.000")
    page.fill("#id_project-contract_date", "2025-11-10")
    page.fill("#id_project-planned_start", "2025-11-15")
    page.fill("#id_project-planned_finish", "2026-03-15")
    page.get_by_role("button", name="Save construction project").click()
    page.wait_for_selector("#progress-chart[data-ready='1']")
    _fits_the_phone(page)

    page.fill("#id_report-percent", "35")
    page.fill("#id_report-notes", "Pondasi dan sloof selesai")
    page.set_input_files("#id_report-photo", _photo((800, 600)))
    page.get_by_role("button", name="Save report").click()
    page.wait_for_selector("text=Progress report published.")
    assert page.locator("[data-figure=actual]").inner_text() == "35\xa0%"  # kept on one line
    assert page.locator("#reports img").count() == 1
    _fits_the_phone(page)
    assert_accessible(page)

    page.goto(f"{page.base_url}/dasbor/{PATI}/")
    assert _land_figures(page) == ("1", "1", "1", "0")
    _open_map(page)
    assert page.locator("#land-map path.plot-construction").count() == 1
    assert page.locator("#land-map path.plot-surveyed").count() == 0
    page.locator("#land-map path.plot-construction").hover()
    tooltip = page.locator("#land-map .leaflet-tooltip")
    assert 'Tanah kas desa <b id="typed">Dusun Krajan</b> — ' in tooltip.inner_text()
    assert page.locator("#typed").count() == 0
    _fits_the_phone(page)
    assert_accessible(page)
