"""
The Content-Security-Policy without 'unsafe-inline', in a real Chromium with the policy enforced: the main
pages, their scripts (language switch, dashboard map and chart, Swagger UI) work and nothing is refused.
"""

from datetime import date

import pytest

from core.roles import Role
from reports.services import rollup_reconcile
from targets.services import target_create
from tests.conftest import PATI
from tests.conftest import PRAWOTO
from tests.conftest import browser_login
from tests.conftest import make_user
from tests.conftest import register
from tests.conftest import seed_board
from tests.conftest import wait_for
from tests.conftest import watch_csp_violations

pytestmark = [pytest.mark.browser]


@pytest.fixture
def strict_page(chromium, live_server, committed_regions):
    """A desktop browser that enforces the policy (no bypass) and records everything it refuses."""
    context = chromium.new_context(viewport={"width": 1280, "height": 900}, locale="en-US")
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.base_url = live_server.url
    page.violations = watch_csp_violations(page)
    yield page
    context.close()


def open_page(page, path):
    response = page.goto(page.base_url + path)
    assert response.status == 200, (path, response.status)
    policy = response.headers["content-security-policy"]
    assert "'unsafe-inline'" not in policy and "'unsafe-eval'" not in policy
    assert "script-src 'self'" in policy and "style-src 'self'" in policy
    page.wait_for_load_state("networkidle")
    return response


def test_the_watcher_sees_what_the_policy_refuses(strict_page):
    """The check below would notice: an inline style and an inline script are refused and reported."""
    open_page(strict_page, "/accounts/login/")
    strict_page.evaluate("""() => {
        document.body.insertAdjacentHTML('beforeend', '<p id="probe" style="color: red">x</p>');
        const script = document.createElement('script');
        script.textContent = 'window.inlineRan = true';
        document.body.appendChild(script);
    }""")
    strict_page.wait_for_timeout(300)
    assert strict_page.evaluate("window.inlineRan") is None
    assert strict_page.evaluate("getComputedStyle(document.getElementById('probe')).color") != "rgb(255, 0, 0)"
    assert any("style-src" in line for line in strict_page.violations)
    assert any("script-src" in line for line in strict_page.violations)


def test_the_main_pages_work_under_the_policy_and_nothing_is_refused(strict_page):
    page = strict_page
    officer = make_user(Role.KABUPATEN_OFFICER, PATI, full_name="Dinas Pati")
    cooperative = register(officer, PRAWOTO)
    seed_board(officer, cooperative)
    target_create(actor=make_user(Role.NATIONAL_ADMIN), region_code=PATI, metric="stage", stage_code="musdesus",
                  start_date=date(2025, 4, 1), due_date=date(2030, 5, 31))
    rollup_reconcile()

    open_page(page, "/accounts/login/")
    open_page(page, "/admin/login/")
    browser_login(page, officer.email)
    assert page.url.rstrip("/") == page.base_url

    # The language switch sends its form from static/js (it had an inline onchange).
    page.select_option("#language-select", "en")
    page.wait_for_selector("html[lang=en]")

    open_page(page, "/")
    open_page(page, f"/dasbor/{PATI}/")
    page.locator("#map").scroll_into_view_if_needed()
    page.wait_for_selector("#map[data-ready='1']")
    assert page.locator("#map-legend i").count() >= 1  # the legend's colour swatches, styled from the script
    assert page.locator("#map-legend i").first.evaluate("e => getComputedStyle(e).backgroundColor") != \
        "rgba(0, 0, 0, 0)"
    page.locator("#burn-up").scroll_into_view_if_needed()
    page.wait_for_selector("#burn-up[data-ready='1']")
    # The target bars are <progress> elements now that inline widths are refused.
    assert page.locator("#targets progress.bar").count() >= 1
    page.select_option("#k", "2")
    page.wait_for_url("**k=2*")

    open_page(page, "/koperasi/")
    open_page(page, f"/koperasi/{cooperative.pk}/")
    open_page(page, f"/koperasi/{cooperative.pk}/anggota/")
    open_page(page, "/target/")

    # Swagger UI starts from a script file of its own and renders the operations.
    open_page(page, "/api/docs/")
    page.wait_for_selector(".swagger-ui .opblock", timeout=30_000)
    # Swagger UI keeps only the operations on screen in the page: scroll down to the last tag of the schema.
    page.mouse.move(600, 400)

    def last_tag_shown() -> bool:
        page.mouse.wheel(0, 3000)
        return page.locator("#operations-tag-visits").count() > 0

    assert wait_for(last_tag_shown, timeout=30)

    assert page.violations == []
