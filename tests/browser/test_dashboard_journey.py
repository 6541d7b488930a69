"""The district dashboard in a real browser: figures, drill-down, and the map and chart render offline."""

from datetime import date

import pytest

from core.roles import Role
from reports.services import rollup_reconcile
from targets.services import target_create
from tests.conftest import PATI
from tests.conftest import assert_accessible
from tests.conftest import browser_login
from tests.conftest import fits_the_screen
from tests.conftest import make_user
from tests.conftest import register

pytestmark = [pytest.mark.browser]


def test_district_officer_opens_the_dashboard_drills_down_and_sees_the_map(page):
    officer = make_user(Role.KABUPATEN_OFFICER, PATI)
    register(officer, "33.18.01.2001")
    register(officer, "33.18.02.2001")
    target_create(actor=make_user(Role.NATIONAL_ADMIN), region_code=PATI, metric="stage", stage_code="musdesus",
                  start_date=date(2025, 4, 1), due_date=date(2030, 5, 31))
    rollup_reconcile()
    requests = []
    page.on("request", lambda request: requests.append(request.url))

    browser_login(page, officer.email)
    page.goto(page.base_url + "/dasbor/")
    page.wait_for_url(f"**/dasbor/{PATI}/")
    assert page.locator("[data-figure=cooperatives]").inner_text() == "2"
    # Each indicator over its own base, on a 390 px phone without sideways scrolling (tables scroll in their card).
    assert page.viewport_size["width"] == 390
    assert page.locator("#indicators tr[data-indicator=simkopdes_cooperatives]").is_visible()
    assert "0,00 %" in page.locator("[data-indicator=simkopdes_cooperatives]").first.inner_text()
    assert fits_the_screen(page)
    # The map and the chart load their libraries when they come into view.
    page.locator("#map").scroll_into_view_if_needed()
    page.wait_for_selector("#map[data-ready='1']")
    assert page.locator("#map path.leaflet-interactive").count() == 35  # Jawa Tengah's kabupaten/kota
    page.locator("#burn-up").scroll_into_view_if_needed()
    page.wait_for_selector("#burn-up[data-ready='1']")
    assert_accessible(page)

    page.locator("#children a", has_text="Sukolilo").click()
    page.wait_for_url("**/dasbor/33.18.01/")
    assert page.get_by_role("heading", name="Sukolilo").is_visible()
    assert page.locator("[data-figure=cooperatives]").inner_text() == "1"
    page.locator("#map").scroll_into_view_if_needed()
    page.wait_for_selector("#map[data-ready='1']")
    assert page.locator("#map path.leaflet-interactive").count() == 35
    # The map colours switch without a reload.
    page.locator(".map-metric[data-metric=operational]").click()
    assert page.locator("#map").get_attribute("data-metric") == "operational"
    assert_accessible(page)
    # Everything came from the portal itself: no CDN, no map tiles.
    outside = [url for url in requests if not url.startswith(page.base_url)]
    assert not outside, outside
