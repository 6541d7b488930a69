"""The Pati federation director in a real browser: the federation dashboard, its map, and a member's cooperative."""

import pytest

from sampledata.demo import DEMO_PASSWORD
from sampledata.demo import demo_data_create
from tests.conftest import assert_accessible
from tests.conftest import browser_login

pytestmark = [pytest.mark.browser]


def test_the_federation_director_sees_members_and_clinics_and_drills_into_a_cooperative(page):
    demo_data_create()
    requests = []
    page.on("request", lambda request: requests.append(request.url))

    browser_login(page, "federasi@demo.kopdes.id", DEMO_PASSWORD)
    page.goto(page.base_url + "/dasbor/")
    page.wait_for_url("**/dasbor/federasi/*/")
    assert page.locator("[data-figure=members]").inner_text() == "159"
    assert page.locator("[data-figure=cooperatives]").inner_text() == "159"
    # The federation's own sites on the map (no tiles): the six operating clinics among them.
    page.locator("#federation-map").scroll_into_view_if_needed()
    page.wait_for_selector("#federation-map[data-ready='1']")
    assert page.locator("#federation-map path.site-kind-clinic.site-operating").count() == 6
    assert page.locator("#federation-map path.member-outline").count() == 1  # Kabupaten Pati
    page.locator("#figures-chart").scroll_into_view_if_needed()
    page.wait_for_selector("#figures-chart[data-ready='1']")
    assert_accessible(page)

    first = page.locator("#member-table tbody tr").first
    village = first.locator("td").first.locator("a").inner_text()
    first.locator("a[href^='/koperasi/']").click()
    page.wait_for_url("**/koperasi/*/")
    assert village in page.locator("h1").inner_text()
    # Read-only: the director cannot edit the member's cooperative.
    assert page.locator("a[href$='/ubah/']").count() == 0
    assert_accessible(page)
    outside = [url for url in requests if not url.startswith(page.base_url)]
    assert not outside, outside
