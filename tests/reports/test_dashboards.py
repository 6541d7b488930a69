"""Dashboards per persona: what each sees, drill-down, sorting, the unit matrix, who has not updated."""

import json
import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils import translation
from django.utils.formats import date_format

from core.roles import Role
from core.scoping import scope_for
from koperasi.models import Cooperative
from reports.models import ExportJob
from reports.services import snapshot_take
from targets.services import target_create
from tests.conftest import BLITAR
from tests.conftest import PATI
from tests.conftest import PRAWOTO
from tests.conftest import SUKOLILO
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


def test_national_dashboard_sums_every_province_and_draws_the_province_map(client, areas, national_admin):
    client.force_login(national_admin)
    page = client.get("/dasbor/")
    area = page.context["area"]
    assert (area.code, area.villages, area.cooperatives, area.legal_entity) == ("ID", 83_762, 3, 1)
    assert len(page.context["board"].children) == 38
    values = page.context["map_values"]
    assert values["33"]["legal"] == round(100 / 8_563, 1) and values["35"]["legal"] == 0.0
    assert 'data-geojson="/static/geo/provinces.json"' in page.content.decode()


def test_district_officer_lands_on_their_kabupaten_and_drills_down(client, areas, pati_officer):
    client.force_login(pati_officer)
    assert client.get("/dasbor/")["Location"] == f"/dasbor/{PATI}/"
    page = client.get(f"/dasbor/{PATI}/")
    assert page.context["area"].cooperatives == 2 and page.context["area"].villages == 406
    assert [row.code for row in page.context["board"].children][:1] == ["33.18.01"]
    kecamatan = client.get("/dasbor/33.18.01/")
    rows = {row.code: row for row in kecamatan.context["board"].children}
    assert rows[PRAWOTO].legal_entity == 1 and rows["33.18.01.2002"].cooperatives == 1
    # Outside the kabupaten, and above it, there is nothing to see.
    for code in ("ID", "33", "35.05", "35.05.01"):
        assert client.get(f"/dasbor/{code}/").status_code == 404


def test_the_map_below_kabupaten_shows_the_kabupaten_only_to_those_who_may_see_it(client, areas, pati_officer,
                                                                                sukolilo_officer):
    client.force_login(pati_officer)
    values = client.get(f"/dasbor/{SUKOLILO}/").context["map_values"]
    assert values == {PATI: {"legal": round(100 / 406, 1), "operational": 0.0, "reachable": True}}
    # A kecamatan officer gets the kabupaten's outline on the map, but not the kabupaten's figures.
    client.force_login(sukolilo_officer)
    page = client.get(f"/dasbor/{SUKOLILO}/")
    assert page.context["board"].map_focus == PATI
    assert page.context["map_values"] == {}


def test_village_staff_and_federation_directors_see_their_own_area(client, areas):
    staff = make_user(Role.VILLAGE_STAFF, PRAWOTO)
    client.force_login(staff)
    assert client.get("/dasbor/")["Location"] == f"/dasbor/{PRAWOTO}/"
    assert client.get(f"/dasbor/{PRAWOTO}/").context["area"].legal_entity == 1
    assert client.get("/dasbor/33.18.01/").status_code == 404

    director = make_user(Role.FEDERATION_DIRECTOR, PRAWOTO)
    director.role_assignments.create(role=Role.FEDERATION_DIRECTOR, region_id="33.18.01.2002")
    client.force_login(director)
    combined = client.get("/dasbor/")
    assert combined.status_code == 200
    assert combined.context["area"].cooperatives == 2 and combined.context["area"].villages == 2
    assert {row.code for row in combined.context["board"].children} == {PRAWOTO, "33.18.01.2002"}


def test_children_sort_by_any_column(client, areas, national_admin):
    client.force_login(national_admin)
    rows = client.get("/dasbor/", {"sort": "cooperatives", "dir": "desc"}).context["board"].children
    assert [row.code for row in rows[:2]] == ["33", "35"]
    rows = client.get("/dasbor/", {"sort": "name"}).context["board"].children
    assert rows[0].name == "Aceh"


def test_the_table_by_area_links_each_area_it_may_open_in_the_readers_numbers(client, areas, national_admin):
    """The rows are written in Python (reports.templatetags.reports.children_rows): the same links, escaping and
    Indonesian numbers as the template gave."""
    from wilayah.models import Region

    Region.objects.filter(code=SUKOLILO).update(name="Sukolilo <b>")
    snapshot_take(timezone.localdate() - timedelta(days=1))
    client.force_login(national_admin)
    table = client.get(f"/dasbor/{PATI}/").content.decode().split('<table id="children">', 1)[1].split("</table>")[0]
    row = table.split(f'href="/dasbor/{SUKOLILO}/">', 1)[1].split("</tr>", 1)[0]
    assert row.startswith("Sukolilo &lt;b&gt;</a>") and "<b>" not in row
    pati = client.get("/dasbor/33/").content.decode().split('<table id="children">', 1)[1]
    assert '<td class="num">406</td>' in pati and '<td class="num">0,2 %</td>' in pati  # 1 of 406, in Indonesian
    day = (timezone.localdate() - timedelta(days=1)).isoformat()
    past = client.get(f"/dasbor/{PATI}/", {"as_of": day}).content.decode()
    assert f'href="/dasbor/{SUKOLILO}/?as_of={day}"' in past


def test_unit_matrix_and_operational_threshold(client, areas, pati_officer, django_capture_on_commit_callbacks):
    from datetime import date

    from units.services import unit_update

    with django_capture_on_commit_callbacks(execute=True):
        unit_update(actor=pati_officer, unit=areas["prawoto"].units.get(unit_type__code="kantor"),
                    status="operasional", go_live_date=date(2025, 10, 1))
    client.force_login(pati_officer)
    page = client.get(f"/dasbor/{PATI}/", {"k": "1"})
    kantor = next(item for item in page.context["area"].unit_matrix() if item["code"] == "kantor")
    assert kantor["counts"][:5] == [1, 0, 0, 0, 1]  # rencana (Pakem), …, operasional (Prawoto)
    matrix = page.content.decode().split('id="unit-matrix">', 1)[1].split("</table>", 1)[0]
    assert (f'<tr><td>{kantor["label"]}</td><td class="num">1</td><td class="num">0</td><td class="num">0</td>'
            '<td class="num">0</td><td class="num">1</td>') in matrix
    assert page.context["area"].operational_at_least(1) == 1
    assert client.get(f"/dasbor/{PATI}/", {"k": "2"}).context["area"].operational_at_least(2) == 0


def test_the_indicators_and_stages_tables_write_their_figures_as_indonesian_readers_do(client, areas,
                                                                                       national_admin):
    """Each indicator's row: label, count, base count and base, percentage with a decimal comma; labels escaped."""
    from koperasi.models import FormationStage
    from reports.selectors import _MEMO

    FormationStage.objects.filter(pk=FormationStage.objects.order_by("order")[0].pk).update(
        name="Musdesus & <b>rapat</b>")
    _MEMO.clear()  # the catalogue's labels are kept for a minute
    client.force_login(national_admin)
    html = client.get("/dasbor/33/").content.decode()
    indicators = html.split('<section class="card" id="indicators">', 1)[1].split("</table>", 1)[0]
    # Jawa Tengah: the fixtures' two cooperatives among its 8,563 villages.
    assert ('<tr data-indicator="villages_with_cooperative"><td>Desa/kelurahan yang memiliki koperasi</td>'
            '<td class="num">2</td><td class="num">8.563 <span class="muted small">desa/kelurahan</span></td>'
            '<td class="num">0,0 %</td></tr>') in indicators
    stages = html.split("Tahap pembentukan tercapai", 1)[1].split("</table>", 1)[0]
    assert "<tr><td>Musdesus &amp; &lt;b&gt;rapat&lt;/b&gt;</td>" in stages and "<b>rapat" not in stages


def test_not_updated_lists_quiet_cooperatives_in_scope(client, areas, pati_officer):
    Cooperative.objects.filter(pk=areas["pakem"].pk).update(last_activity_at=timezone.now() - timedelta(days=45))
    Cooperative.objects.filter(pk=areas["blitar"].pk).update(last_activity_at=timezone.now() - timedelta(days=45))
    client.force_login(pati_officer)
    page = client.get(f"/dasbor/{PATI}/belum-update/", {"days": "30"})
    assert [c.pk for c in page.context["page"]] == [areas["pakem"].pk]
    assert list(client.get(f"/dasbor/{PATI}/belum-update/", {"days": "60"}).context["page"]) == []


def test_the_dashboard_card_names_the_quiet_cooperatives_and_counts_them(client, areas, pati_officer):
    Cooperative.objects.filter(pk=areas["pakem"].pk).update(last_activity_at=timezone.now() - timedelta(days=45),
                                                          name="Koperasi <i>Pakem</i> & Tani")
    client.force_login(pati_officer)
    html = client.get(f"/dasbor/{PATI}/").content.decode()
    assert "1 koperasi tanpa pembaruan selama 30 hari" in html
    # Linked to its page, its name escaped, with how long it has been quiet in the reader's language.
    assert (f'<li><a href="/koperasi/{areas["pakem"].pk}/">Koperasi &lt;i&gt;Pakem&lt;/i&gt; &amp; Tani</a> '
            '<span class="muted small">1\xa0bulan, 2\xa0minggu</span></li>') in html
    assert areas["prawoto"].name not in html.split("tanpa pembaruan selama 30 hari", 1)[1].split("</ul>", 1)[0]


def test_the_follow_up_card_reads_the_least_recent_first_and_counts_up_to_its_limit_in_one_query(
        areas, pati_officer, national_admin):
    from reports.selectors import not_updated_head

    now = timezone.now()
    for name, days in (("prawoto", 40), ("pakem", 90), ("blitar", 60)):
        Cooperative.objects.filter(pk=areas[name].pk).update(last_activity_at=now - timedelta(days=days))
    scope_for(national_admin)  # the roles, read once per request (by the page's permission check)

    with CaptureQueriesContext(connection) as queries:
        first, count = not_updated_head(user=national_admin, code=None, days=30, first=2)
    assert len(queries) == 1
    assert [row.pk for row in first] == [areas["pakem"].pk, areas["blitar"].pk] and count == 3
    assert first[0].name == areas["pakem"].name and abs(first[0].last_activity_at - (now - timedelta(days=90))) < \
        timedelta(seconds=1)
    # Counted up to one past the limit ("more than 1"), the rows listed still the least recent.
    assert not_updated_head(user=national_admin, code=None, days=30, first=1, limit=1) == (first[:1], 2)
    # The officer's scope and the area: Pati's two only, Blitar's not.
    first, count = not_updated_head(user=pati_officer, code=PATI, days=30, first=10)
    assert [row.pk for row in first] == [areas["pakem"].pk, areas["prawoto"].pk] and count == 2
    assert not_updated_head(user=pati_officer, code=PATI, days=100, first=10) == ([], 0)


def test_targets_read_todays_rows_and_the_windows_start_in_one_query_with_the_same_figures(areas):
    from reports.selectors import rollup_and_snapshots_for
    from reports.selectors import rollup_for
    from reports.selectors import snapshots_for

    day = timezone.localdate()
    snapshot_take(day)
    columns = ["cooperatives", "stage_5", "stage_done_5"]
    with CaptureQueriesContext(connection) as queries:
        today, then = rollup_and_snapshots_for([PATI, BLITAR], [PATI], day=day, columns=columns)
    assert len(queries) == 1
    assert today == rollup_for([PATI, BLITAR], columns) and today[PATI]["cooperatives"] == 2
    assert then == {code: metrics for code, _day, metrics in snapshots_for([PATI], day=day, columns=columns)}
    assert rollup_and_snapshots_for([], [], day=day, columns=columns) == ({}, {})
    with pytest.raises(ValueError):
        rollup_and_snapshots_for([PATI], [], day=day, columns=["cooperatives FROM reports_regionrollup; --"])


def test_dashboard_reads_a_bounded_number_of_queries(client, areas, national_admin):
    client.force_login(national_admin)
    client.get("/dasbor/")  # warm the catalogue caches
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/dasbor/").status_code == 200
    assert len(queries) <= 15, [query["sql"][:120] for query in queries]


def test_the_national_targets_card_names_the_regions_it_lists_without_a_query_per_target(
        client, areas, national_admin, pati_officer, settings):
    """
    The nation orders its top-level targets at-risk first and lists ten: each listed one names its region, a
    target chosen from further down is named above its chart, and more targets cost no more queries.
    """
    def add_target(actor, region, due_in_days):
        return target_create(actor=actor, region_code=region, metric="stage", stage_code="sk_ahu",
                             start_date=timezone.localdate() - timedelta(days=10),
                             due_date=timezone.localdate() + timedelta(days=due_in_days))

    add_target(pati_officer, PATI, 1000)
    # The portal's daily snapshot of the recent pace's first day (without it each target counts that day apart).
    snapshot_take(timezone.localdate() - timedelta(days=settings.TARGET_RATE_WINDOW_DAYS))
    client.force_login(national_admin)
    client.get("/dasbor/")  # warm the catalogue caches

    def page_queries(**query):
        with CaptureQueriesContext(connection) as queries:
            page = client.get("/dasbor/", query)
        return page, len(queries)

    _page, with_one = page_queries()
    for days in range(1001, 1011):
        add_target(pati_officer, PATI, days)
    last = add_target(national_admin, BLITAR, 1011)  # the twelfth by due date: not among the ten listed
    page, with_twelve = page_queries()
    assert with_twelve == with_one
    html = page.content.decode()
    assert html.count("Kabupaten Pati") >= 10 and "Kabupaten Blitar" not in html
    page, queries = page_queries(target=last.pk)
    assert "Kabupaten Blitar" in page.content.decode()
    assert queries <= with_one + 1


def test_freshness_is_shown(client, areas, pati_officer):
    client.force_login(pati_officer)
    html = client.get(f"/dasbor/{PATI}/").content.decode()
    # In the language's date-time format: "5 Des 2026, 04.46" (a time with a point, no seconds).
    assert re.search(r"Data per \d{1,2} \w{3} \d{4}, \d{2}\.\d{2}\.", html)


def test_burn_up_data_for_the_selected_target(client, areas, pati_officer):
    from datetime import date

    from targets.services import target_create

    target = target_create(actor=pati_officer, region_code=PATI, metric="stage", stage_code="sk_ahu",
                           start_date=timezone.localdate() - timedelta(days=10), due_date=date(2030, 1, 1))
    client.force_login(pati_officer)
    page = client.get(f"/dasbor/{PATI}/", {"target": target.pk})
    # The chart reads the data the page embeds for it.
    embedded = page.content.decode().split('<script id="burn-up-data" type="application/json">', 1)[1]
    data = json.loads(embedded.split("</script>", 1)[0])
    assert data["target"] == 406 and data["achieved"][10] == 1
    # One value a day from the first day (the script names the days).
    assert data["first_day"] == (timezone.localdate() - timedelta(days=10)).isoformat() and "days" not in data
    # The PDF report names the same days: one a day from the first, today's value at today.
    from itertools import pairwise

    from targets.selectors import burn_up
    from targets.selectors import chart_days
    from targets.selectors import target_rows

    chart = burn_up(target_rows([target])[0])
    days = chart_days(chart)
    assert len(days) == len(chart["achieved"]) and days[0] == data["first_day"]
    assert days[10] == timezone.localdate().isoformat() and chart["achieved"][10] == 1
    assert all(date.fromisoformat(later) - date.fromisoformat(earlier) == timedelta(days=1)
               for earlier, later in pairwise(days))


def test_when_the_worker_is_down_the_last_figures_are_served_and_their_age_shown(client, areas, pati_officer,
                                                                                 django_capture_on_commit_callbacks):
    """No worker listens: the change waits in Redis, the dashboard keeps the last roll-up and says so."""
    import time

    from config.celery_app import app
    from core.changes import DIRTY_VILLAGES_KEY
    from core.changes import DRAIN_QUEUED_KEY
    from core.changes import redis_client
    from core.changes import village_changed

    client_redis = redis_client()
    client_redis.delete(DIRTY_VILLAGES_KEY, DRAIN_QUEUED_KEY)
    previous = app.conf.task_always_eager, app.conf.task_default_queue
    app.conf.task_always_eager, app.conf.task_default_queue = False, "nobody-listens-here"
    try:
        with django_capture_on_commit_callbacks(execute=True):
            village_changed(PRAWOTO)
        client_redis.zadd(DIRTY_VILLAGES_KEY, {PRAWOTO: time.time() - 120})  # waiting for two minutes
        client.force_login(pati_officer)
        page = client.get(f"/dasbor/{PATI}/")
        assert page.context_data["freshness"].stale and page.context_data["freshness"].pending == 1
        assert page.context["area"].cooperatives == 2  # the last roll-up is still served
        assert "belum terhitung" in page.content.decode()
    finally:
        app.conf.task_always_eager, app.conf.task_default_queue = previous
        client_redis.delete(DIRTY_VILLAGES_KEY, DRAIN_QUEUED_KEY)
        client_redis.delete("nobody-listens-here")


def test_dashboard_content_is_shared_per_scope_and_refreshed_with_the_rollup(client, areas, pati_officer,
                                                                              kabupaten_officer_2, settings,
                                                                              django_capture_on_commit_callbacks):
    """One rendering serves officers with the same scope; each still gets their own CSRF token."""
    import re

    from tests.conftest import clear_test_cache
    from tests.conftest import register

    settings.DASHBOARD_CACHE_SECONDS = 60
    clear_test_cache()
    pages = {}
    for user in (pati_officer, kabupaten_officer_2):
        browser = Client(enforce_csrf_checks=True)
        browser.force_login(user)
        html = browser.get(f"/dasbor/{PATI}/").content.decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
        assert "__dashboard_" not in html and token
        pages[user.pk] = (html, token)
        # The export form in the shared content works for this user: their token is accepted.
        response = browser.post(f"/dasbor/{PATI}/ekspor/", {"kind": "units", "fmt": "csv",
                                                            "csrfmiddlewaretoken": token})
        assert response.status_code == 302 and ExportJob.objects.filter(user=user).count() == 1
        assert browser.post(f"/dasbor/{PATI}/ekspor/", {"kind": "units", "fmt": "csv"}).status_code == 403
    assert pages[pati_officer.pk][1] != pages[kabupaten_officer_2.pk][1]

    with django_capture_on_commit_callbacks(execute=True):
        register(pati_officer, "33.18.02.2001")  # the incremental refresh moves the roll-up's version
    from reports.selectors import _MEMO

    _MEMO.clear()  # the freshness is re-read once a second; the test does not wait for it
    client.force_login(kabupaten_officer_2)
    fresh = client.get(f"/dasbor/{PATI}/")
    assert fresh.content.decode().count('data-figure="cooperatives">3<') == 1


def test_a_change_in_one_province_leaves_another_provinces_cached_page_valid(
        client, areas, national_admin, settings, django_capture_on_commit_callbacks):
    """Per-area freshness: a change in Pati (Jawa Tengah) re-renders Pati's page, not Blitar's (Jawa Timur)."""
    from reports.selectors import _MEMO
    from tests.conftest import clear_test_cache
    from tests.conftest import register

    settings.DASHBOARD_CACHE_SECONDS = 60
    clear_test_cache()
    client.force_login(national_admin)
    for code in ("35.05", PATI, "35.05"):  # the second Blitar visit warms the per-process catalogue memo
        client.get(f"/dasbor/{code}/")
    with CaptureQueriesContext(connection) as warm:
        client.get("/dasbor/35.05/")

    with django_capture_on_commit_callbacks(execute=True):
        register(national_admin, "33.18.02.2001")  # a new cooperative in Pati: its ancestors' rows move
    _MEMO.clear()  # the freshness line (outside the shared content) is re-read once a second: read it now
    with CaptureQueriesContext(connection) as after_write:
        blitar = client.get("/dasbor/35.05/")
    # Only the request's own reads (session, user, roles, the bell, the freshness line): no figure is read again.
    figures = [query["sql"][:120] for query in after_write
               if "reports_regionrollup" in query["sql"] or "koperasi_" in query["sql"]]
    assert not figures and len(after_write) <= len(warm) + 2, [query["sql"][:120] for query in after_write]
    assert blitar.content.decode().count('data-figure="cooperatives">1<') == 1

    pati = client.get(f"/dasbor/{PATI}/")
    assert pati.content.decode().count('data-figure="cooperatives">3<') == 1
    nation = client.get("/dasbor/")
    assert nation.content.decode().count('data-figure="cooperatives">4<') == 1


def test_a_drawing_kept_by_the_previous_release_is_not_served_by_the_next(client, areas, national_admin, settings):
    """After a deployment (Redis kept) the new release draws the page itself: the old HTML names the old scripts."""
    from tests.conftest import clear_test_cache

    settings.DASHBOARD_CACHE_SECONDS, settings.DASHBOARD_REFRESH_FLOOR_SECONDS = 60, 20
    settings.PORTAL_RELEASE = "release-1"
    clear_test_cache()
    client.force_login(national_admin)
    drawn = client.get(f"/dasbor/{PATI}/").context_data["page"]["drawn_at"]
    assert client.get(f"/dasbor/{PATI}/").context_data["page"]["drawn_at"] == drawn  # kept within a release

    settings.PORTAL_RELEASE = "release-2"
    assert client.get(f"/dasbor/{PATI}/").context_data["page"]["drawn_at"] > drawn


def test_a_drawing_of_another_shape_is_not_read_even_with_the_release_pinned(client, areas, national_admin, settings,
                                                                              monkeypatch):
    """A deployer who sets PORTAL_RELEASE to one fixed value: a release that changes what a drawing holds still draws
    its own (reading the old shape would fail every request until it expired)."""
    import reports.views
    from tests.conftest import clear_test_cache

    settings.DASHBOARD_CACHE_SECONDS, settings.DASHBOARD_REFRESH_FLOOR_SECONDS = 60, 20
    settings.PORTAL_RELEASE = "production"
    clear_test_cache()
    client.force_login(national_admin)
    drawn = client.get(f"/dasbor/{PATI}/").context_data["page"]["drawn_at"]
    monkeypatch.setattr(reports.views, "DRAWING_FORMAT", reports.views.DRAWING_FORMAT + "-next")
    page = client.get(f"/dasbor/{PATI}/")
    assert page.status_code == 200 and page.context_data["page"]["drawn_at"] > drawn


def test_the_drawing_format_is_raised_with_the_drawing_s_shape(client, areas, national_admin, settings):
    """What a kept drawing holds, pinned to DRAWING_FORMAT: a change to one fails here until the other follows."""
    import reports.views
    from tests.conftest import clear_test_cache

    settings.DASHBOARD_CACHE_SECONDS, settings.DASHBOARD_REFRESH_FLOOR_SECONDS = 60, 20
    clear_test_cache()
    client.force_login(national_admin)
    page = client.get(f"/dasbor/{PATI}/").context_data["page"]
    shape = (sorted(page), type(page["body"]).__name__, {type(piece).__name__ for piece in page["body"]})
    keys = ["ancestors", "as_of", "body", "chart", "drawn_at", "map", "title", "version"]
    assert (reports.views.DRAWING_FORMAT, shape) == ("2", (keys, "tuple", {"bytes", "str"}))


@pytest.fixture
def dashboard_clock(monkeypatch):
    """The dashboards' clock, moved by hand (no sleeping, whatever the machine's load): returns ``advance(seconds)``."""
    from types import SimpleNamespace

    import reports.views

    now = [reports.views.time.time()]
    monkeypatch.setattr(reports.views, "time", SimpleNamespace(time=lambda: now[0]))

    def advance(seconds: float) -> None:
        now[0] += seconds

    return advance


def test_a_busy_changed_page_is_drawn_again_after_the_response_once_its_refresh_floor_has_passed(
        client, areas, national_admin, settings, dashboard_clock, django_capture_on_commit_callbacks):
    """
    Within DASHBOARD_REFRESH_FLOOR_SECONDS of its drawing a page is served as drawn, and says how old its figures
    are. The first visit after the floor of a busy page (served less than a floor ago) is served that drawing too,
    and the page is drawn again once the response has been sent: the next visit shows the change.
    """
    from reports.selectors import _MEMO
    from tests.conftest import clear_test_cache
    from tests.conftest import register

    settings.DASHBOARD_CACHE_SECONDS, settings.DASHBOARD_REFRESH_FLOOR_SECONDS = 60, 10
    clear_test_cache()
    client.force_login(national_admin)
    drawn = client.get("/dasbor/")
    assert drawn.content.decode().count('data-figure="cooperatives">3<') == 1
    drawn_as_of = drawn.context_data["freshness"].as_of

    with django_capture_on_commit_callbacks(execute=True):
        register(national_admin, "33.18.02.2001")  # the nation's row moves
    _MEMO.clear()  # the freshness line is re-read once a second; the test does not wait for it
    dashboard_clock(6)
    within_floor = client.get("/dasbor/")
    assert within_floor.content.decode().count('data-figure="cooperatives">3<') == 1
    # The line under the page gives the time of the figures shown, not of the newer roll-up.
    assert within_floor.context_data["freshness"].as_of == drawn_as_of

    dashboard_clock(6)  # 12 s after the drawing, 6 s after the last visit
    drawing_next = client.get("/dasbor/")
    # Served at once, from the previous drawing (and saying so); the response's close() drew the page again.
    assert drawing_next.content.decode().count('data-figure="cooperatives">3<') == 1
    assert drawing_next.context_data["freshness"].as_of == drawn_as_of
    with CaptureQueriesContext(connection) as served:
        after_floor = client.get("/dasbor/")
    assert after_floor.content.decode().count('data-figure="cooperatives">4<') == 1
    assert after_floor.context_data["freshness"].as_of > drawn_as_of
    assert not [query for query in served if "reports_regionrollup" in query["sql"]]  # drawn before, not now


def test_a_worker_just_started_knows_a_busy_page_and_does_not_make_its_reader_wait(
        client, areas, national_admin, settings, dashboard_clock, django_capture_on_commit_callbacks):
    """
    gunicorn renews each worker after max_requests (every few minutes at full load), and the load balancer sends a
    page's readers to any worker: a busy page is known as busy in a worker that has not served it yet, so its
    reader there is served the previous drawing at once, and the page is drawn after the response.
    """
    _busy_nation_page_changed_past_its_floor(client, national_admin, settings, dashboard_clock,
                                             django_capture_on_commit_callbacks)
    _forget_what_this_process_keeps()  # as a new worker has it
    first = client.get("/dasbor/")
    assert first.content.decode().count('data-figure="cooperatives">3<') == 1  # the previous drawing, at once
    assert client.get("/dasbor/").content.decode().count('data-figure="cooperatives">4<') == 1  # drawn after it


def _forget_what_this_process_keeps() -> None:
    """
    Empty what the portal's modules keep in memory between requests: their LRU OrderedDicts and the catalogue memo.
    A new kind of per-process store (another type, another name) would need adding here.
    """
    import sys
    from collections import OrderedDict

    import reports.selectors

    for name, module in list(sys.modules.items()):
        if name.split(".")[0] in {"core", "reports", "accounts", "targets", "wilayah"}:
            for attribute, value in vars(module).items():
                if attribute.startswith("_") and isinstance(value, OrderedDict):
                    value.clear()
    reports.selectors._MEMO.clear()


def test_a_busy_page_notes_its_visits_once_per_half_floor_not_on_every_visit(client, areas, national_admin, settings,
                                                                              dashboard_clock):
    """The note that makes a page busy costs a cache write every half floor, however often the page is read."""
    from django.core.cache import cache

    from reports.views import SERVED_SUFFIX
    from tests.conftest import clear_test_cache

    settings.DASHBOARD_CACHE_SECONDS, settings.DASHBOARD_REFRESH_FLOOR_SECONDS = 60, 10
    clear_test_cache()
    client.force_login(national_admin)
    key = client.get("/dasbor/").context_data["view"]._cache_key(None, scope_for(national_admin)) + SERVED_SUFFIX
    first = cache.get(key)
    for _ in range(4):
        dashboard_clock(1)
        client.get("/dasbor/")
    assert cache.get(key) == first
    dashboard_clock(2)  # 6 s after the note: more than half the floor
    client.get("/dasbor/")
    assert cache.get(key) == first + 6


def test_a_changed_page_nobody_opened_for_a_floor_is_drawn_for_its_visitor(
        client, areas, national_admin, settings, dashboard_clock, django_capture_on_commit_callbacks):
    """
    An officer who saves a change and opens their area's page a while later sees the change at once: a page not
    served for a refresh floor is drawn for its visitor, even while its drawing is recent.
    """
    from reports.selectors import _MEMO
    from tests.conftest import clear_test_cache
    from tests.conftest import register

    settings.DASHBOARD_CACHE_SECONDS, settings.DASHBOARD_REFRESH_FLOOR_SECONDS = 60, 10
    clear_test_cache()
    client.force_login(national_admin)
    drawn = client.get(f"/dasbor/{PATI}/")
    assert drawn.content.decode().count('data-figure="cooperatives">2<') == 1
    with django_capture_on_commit_callbacks(execute=True):
        register(national_admin, "33.18.02.2001")
    _MEMO.clear()
    dashboard_clock(12)  # past the floor, within two floors of the drawing; nobody opened it meanwhile
    page = client.get(f"/dasbor/{PATI}/")
    assert page.content.decode().count('data-figure="cooperatives">3<') == 1
    assert page.context_data["freshness"].as_of > drawn.context_data["freshness"].as_of


def test_a_busy_page_may_lag_a_longer_floor_while_a_page_nobody_reads_keeps_the_shorter_one(
        client, areas, national_admin, settings, dashboard_clock, django_capture_on_commit_callbacks):
    """
    DASHBOARD_BUSY_REFRESH_FLOOR_SECONDS lets the pages many people read lag further behind (fewer drawings while
    the whole country writes): a busy changed page is served as drawn, with the time of its figures, until that
    longer floor has passed, and is then drawn after a response. A page nobody read for the shorter floor is drawn
    for its visitor once its drawing is that old, as before.
    """
    from reports.selectors import _MEMO
    from tests.conftest import clear_test_cache
    from tests.conftest import register

    settings.DASHBOARD_CACHE_SECONDS, settings.DASHBOARD_REFRESH_FLOOR_SECONDS = 300, 10
    settings.DASHBOARD_BUSY_REFRESH_FLOOR_SECONDS = 30
    clear_test_cache()
    client.force_login(national_admin)
    drawn_as_of = client.get("/dasbor/").context_data["freshness"].as_of
    client.get(f"/dasbor/{PATI}/")
    with django_capture_on_commit_callbacks(execute=True):
        register(national_admin, "33.18.02.2001")  # the nation's row and Pati's move
    _MEMO.clear()
    for _ in range(5):  # the national page read every 5 s, 25 s in all: past the shorter floor, within the longer
        dashboard_clock(5)
        nation = client.get("/dasbor/")
        assert nation.content.decode().count('data-figure="cooperatives">3<') == 1
        assert nation.context_data["freshness"].as_of == drawn_as_of
    # Pati's page, not read since its drawing 25 s ago, is drawn for its visitor.
    assert client.get(f"/dasbor/{PATI}/").content.decode().count('data-figure="cooperatives">3<') == 1
    dashboard_clock(6)  # 31 s: past the longer floor; served the previous drawing, drawn after the response
    assert client.get("/dasbor/").content.decode().count('data-figure="cooperatives">3<') == 1
    assert client.get("/dasbor/").content.decode().count('data-figure="cooperatives">4<') == 1


def _busy_nation_page_changed_past_its_floor(client, national_admin, settings, dashboard_clock, capture) -> None:
    """The national page drawn, changed, visited within its floor and now past it: the next visit takes its drawing."""
    from reports.selectors import _MEMO
    from tests.conftest import clear_test_cache
    from tests.conftest import register

    settings.DASHBOARD_CACHE_SECONDS, settings.DASHBOARD_REFRESH_FLOOR_SECONDS = 60, 10
    clear_test_cache()
    client.force_login(national_admin)
    client.get("/dasbor/")
    with capture(execute=True):
        register(national_admin, "33.18.02.2001")
    _MEMO.clear()
    dashboard_clock(6)
    client.get("/dasbor/")
    dashboard_clock(6)


def test_a_drawing_after_the_response_that_fails_is_logged_and_lets_the_next_visit_draw(
        client, areas, national_admin, settings, caplog, monkeypatch, dashboard_clock,
        django_capture_on_commit_callbacks):
    """The reader is already served; the error goes to the log, and the page is not left locked for others."""
    from reports.views import DashboardView

    _busy_nation_page_changed_past_its_floor(client, national_admin, settings, dashboard_clock,
                                             django_capture_on_commit_callbacks)
    drawing = DashboardView._draw

    def broken(self, code, version):
        raise RuntimeError("drawing failed")

    monkeypatch.setattr(DashboardView, "_draw", broken)
    served = client.get("/dasbor/")
    assert served.status_code == 200
    assert served.content.decode().count('data-figure="cooperatives">3<') == 1
    assert "Work left for after the response failed" in caplog.text and "drawing failed" in caplog.text

    monkeypatch.setattr(DashboardView, "_draw", drawing)
    client.get("/dasbor/")  # not locked out: this visit may draw again (after its response)
    assert client.get("/dasbor/").content.decode().count('data-figure="cooperatives">4<') == 1


def test_a_request_that_fails_after_taking_a_busy_page_to_draw_leaves_it_to_the_next_one(
        client, areas, national_admin, settings, monkeypatch, dashboard_clock, django_capture_on_commit_callbacks):
    """Its response, which would have drawn the page, is lost: the next visit may draw it without waiting."""
    import reports.views

    _busy_nation_page_changed_past_its_floor(client, national_admin, settings, dashboard_clock,
                                             django_capture_on_commit_callbacks)
    shell = reports.views.render_with_shell

    def failing(*args, **kwargs):
        raise RuntimeError("the page around it failed")

    monkeypatch.setattr(reports.views, "render_with_shell", failing)
    client.raise_request_exception = False
    assert client.get("/dasbor/").status_code == 500
    monkeypatch.setattr(reports.views, "render_with_shell", shell)
    client.get("/dasbor/")  # takes the drawing (not refused by a lock left behind) and draws after its response
    assert client.get("/dasbor/").content.decode().count('data-figure="cooperatives">4<') == 1


def test_a_cached_page_is_never_shown_outside_the_scope_it_was_drawn_for(client, areas, national_admin,
                                                                            pati_officer, settings):
    """Pati's page cached for a national administrator: a Blitar officer is refused it, Pati's officer is shown it
    without links up to Indonesia and Jawa Tengah, which they may not open."""
    from tests.conftest import BLITAR
    from tests.conftest import clear_test_cache

    settings.DASHBOARD_CACHE_SECONDS, settings.DASHBOARD_REFRESH_FLOOR_SECONDS = 60, 20
    clear_test_cache()
    client.force_login(national_admin)
    national_view = client.get(f"/dasbor/{PATI}/").content.decode()
    assert 'href="/dasbor/33/"' in breadcrumbs(national_view)

    outsider = Client()
    outsider.force_login(make_user(Role.KABUPATEN_OFFICER, BLITAR))
    assert outsider.get(f"/dasbor/{PATI}/").status_code == 404

    officer = Client()
    officer.force_login(pati_officer)
    own = officer.get(f"/dasbor/{PATI}/")
    assert own.status_code == 200
    assert "Jawa Tengah" in breadcrumbs(own.content.decode())
    assert "href=" not in breadcrumbs(own.content.decode())


def test_one_drawing_of_an_area_serves_everyone_who_may_see_all_of_it(client, areas, national_admin, pati_officer,
                                                                       settings):
    """
    A kabupaten's page drawn for a national administrator serves its province's and its own officers without
    reading a figure again; each is shown the breadcrumbs they may follow and their own letterhead link.
    """
    from tests.conftest import clear_test_cache

    settings.DASHBOARD_CACHE_SECONDS, settings.DASHBOARD_REFRESH_FLOOR_SECONDS = 60, 20
    clear_test_cache()
    client.force_login(national_admin)
    national_view = client.get(f"/dasbor/{PATI}/").content.decode()
    assert 'href="/dasbor/ID/"' in breadcrumbs(national_view) and 'href="/dasbor/33/"' in breadcrumbs(national_view)

    seen = {}
    # A federation director held on Pati (the way before federations were recorded) may view it, not manage users.
    for name, user in (("province", make_user(Role.PROVINCE_OFFICER, "33")), ("kabupaten", pati_officer),
                       ("viewer", make_user(Role.FEDERATION_DIRECTOR, PATI, email="direktur@pati.id"))):
        browser = Client()
        browser.force_login(user)
        browser.get("/notifikasi/")  # the user's own first-request reads are not the page's
        with CaptureQueriesContext(connection) as queries:
            response = browser.get(f"/dasbor/{PATI}/")
        assert response.status_code == 200
        figures = [query["sql"][:100] for query in queries
                   if "reports_regionrollup" in query["sql"] or "koperasi_" in query["sql"]
                   or "wilayah_region" in query["sql"]]
        assert not figures, figures  # the national administrator's drawing, not a new one
        seen[name] = response.content.decode()
        # The officers may edit Pati's letterhead, the viewer may not.
        assert (f'href="/dasbor/{PATI}/kop-surat/"' in seen[name]) == (name != "viewer")
    assert "Indonesia" not in breadcrumbs(seen["province"]) and 'href="/dasbor/33/"' in breadcrumbs(seen["province"])
    for name in ("kabupaten", "viewer"):
        assert "Jawa Tengah" in breadcrumbs(seen[name]) and "href=" not in breadcrumbs(seen[name])


def test_a_kecamatans_shared_page_colours_its_kabupaten_only_for_those_who_may_see_it(
        client, areas, pati_officer, sukolilo_officer, settings):
    """The one part of an area's drawing that depends on who asks besides the breadcrumbs: a kecamatan officer's
    map has the kabupaten's outline only, its kabupaten officer's the kabupaten's colours, whoever drew first."""
    from tests.conftest import clear_test_cache

    settings.DASHBOARD_CACHE_SECONDS, settings.DASHBOARD_REFRESH_FLOOR_SECONDS = 60, 20
    clear_test_cache()

    def map_values(user) -> dict:
        browser = Client()
        browser.force_login(user)
        html = browser.get(f"/dasbor/{SUKOLILO}/").content.decode()
        return json.loads(html.split('id="map-values" type="application/json">', 1)[1].split("</script>", 1)[0])

    assert map_values(sukolilo_officer) == {}
    assert list(map_values(pati_officer)) == [PATI]
    assert map_values(sukolilo_officer) == {}


def breadcrumbs(html: str) -> str:
    return html.split('<ol class="breadcrumbs">', 1)[1].split("</ol>", 1)[0]


def test_a_cached_page_is_served_in_the_language_of_whoever_asks(client, areas, national_admin, settings):
    from tests.conftest import clear_test_cache

    settings.DASHBOARD_CACHE_SECONDS, settings.DASHBOARD_REFRESH_FLOOR_SECONDS = 60, 20
    clear_test_cache()
    client.force_login(national_admin)
    assert "Kesiapan tujuh unit usaha" in client.get(f"/dasbor/{PATI}/").content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get(f"/dasbor/{PATI}/").content.decode()
    assert "Seven-unit readiness" in english and "Kesiapan tujuh unit usaha" not in english
    assert "Data as of" in english


def test_the_page_around_a_cached_dashboard_follows_the_bell_and_the_roles(client, areas, pati_officer, settings):
    """The menu, bell and language switch around the content are kept rendered per user: a new notification
    shows at once, a new role shows at once, and another user gets their own."""
    from accounts.models import RoleAssignment
    from notifications.models import NotificationKind
    from notifications.services import notify
    from tests.conftest import clear_test_cache

    settings.DASHBOARD_CACHE_SECONDS, settings.DASHBOARD_REFRESH_FLOOR_SECONDS = 60, 20
    clear_test_cache()
    client.force_login(pati_officer)
    from notifications.selectors import unread_count

    unread = unread_count(pati_officer)
    client.get(f"/dasbor/{PATI}/")
    bell = '<span class="count" aria-hidden="true">{}</span>'
    assert bell.format(unread) in client.get(f"/dasbor/{PATI}/").content.decode()  # the kept page around it

    notify(users=[pati_officer], kind=NotificationKind.values[0], params={})
    assert bell.format(unread + 1) in client.get(f"/dasbor/{PATI}/").content.decode()

    RoleAssignment.objects.filter(user=pati_officer).delete()
    pati_officer.role_assignments.create(role=Role.PROVINCE_OFFICER, region_id="33")
    province = client.get(f"/dasbor/{PATI}/").content.decode()
    assert province.count('href="/dasbor/33/"') >= 1  # Jawa Tengah is now theirs: a link, not grey text

    other = Client()
    other.force_login(make_user(Role.KABUPATEN_OFFICER, PATI, email="kedua@pati.go.id"))
    html = other.get(f"/dasbor/{PATI}/").content.decode()
    assert "kedua@pati.go.id" in html and pati_officer.email not in html


def test_a_read_of_some_roll_up_columns_gives_the_same_figures_and_refuses_other_names(areas):
    from reports.selectors import rollup_for

    full = rollup_for([PATI, "35.05"])
    some = rollup_for([PATI, "35.05"], ["cooperatives", "stage_5"])
    assert some == {code: {"cooperatives": row["cooperatives"], "stage_5": row["stage_5"]}
                    for code, row in full.items()}
    with pytest.raises(ValueError):
        rollup_for([PATI], ["cooperatives FROM reports_regionrollup; --"])


def test_a_read_of_many_areas_gives_each_its_own_row_and_refuses_a_code_with_a_comma(areas):
    """
    The national page reads the rows of ~200 target areas at once (sent as one parameter on PostgreSQL): each code
    gets its own row and only the codes asked for, an area's code and its parent's (33 and 33.18) are not confused,
    codes without a row are left out, today's rows and a day's snapshot come apart, and a code that would split
    into two is refused rather than read.
    """
    from reports.models import RegionRollup
    from reports.selectors import rollup_and_snapshots_for
    from reports.selectors import rollup_for

    columns = ["cooperatives", "members"]
    codes = sorted(RegionRollup.objects.values_list("code", flat=True))
    assert {"33", PATI, "35", "35.05"} <= set(codes)
    one_by_one = {code: rollup_for([code], columns)[code] for code in codes}
    assert rollup_for([*codes, "99.99"], columns) == one_by_one  # a code without a row: left out
    some = [PATI, "35", "99.99"]
    assert rollup_for(some, columns) == {PATI: one_by_one[PATI], "35": one_by_one["35"]}
    assert set(rollup_for(["33.18"], columns)) == {"33.18"}  # not its province, 33
    day = timezone.localdate() - timedelta(days=1)
    snapshot_take(day)
    RegionRollup.objects.filter(code=PATI).update(cooperatives=999)  # today's row moves after the snapshot
    now, then = rollup_and_snapshots_for([PATI], some, day=day, columns=columns)
    assert now == {PATI: {**one_by_one[PATI], "cooperatives": 999}}
    assert then == {PATI: one_by_one[PATI], "35": one_by_one["35"]}
    assert rollup_for([], columns) == {}
    with pytest.raises(ValueError):
        rollup_for([f"{PATI},35.05"], ["cooperatives"])


def test_a_busy_pages_floor_is_held_to_half_the_drawings_lifetime(settings):
    """
    A busy page is drawn after a response only while its drawing is kept (DASHBOARD_CACHE_SECONDS) and less than
    two floors old: a longer busy floor would have its readers wait for drawings instead.
    """
    from reports.views import refresh_floor

    settings.DASHBOARD_CACHE_SECONDS, settings.DASHBOARD_REFRESH_FLOOR_SECONDS = 300, 20
    settings.DASHBOARD_BUSY_REFRESH_FLOOR_SECONDS = 0
    assert (refresh_floor(busy=True), refresh_floor(busy=False)) == (20, 20)
    settings.DASHBOARD_BUSY_REFRESH_FLOOR_SECONDS = 60
    assert (refresh_floor(busy=True), refresh_floor(busy=False)) == (60, 20)
    settings.DASHBOARD_BUSY_REFRESH_FLOOR_SECONDS = 600
    assert refresh_floor(busy=True) == 150


def test_a_new_or_changed_target_shows_on_its_areas_cached_pages_at_once_and_leaves_others_cached(
        client, areas, national_admin, pati_officer, settings, django_capture_on_commit_callbacks):
    """
    Targets are not roll-up figures: their writes renew the versions of the pages that list them (the area, its
    ancestors, the nation), so cached pages can live long (DASHBOARD_CACHE_SECONDS) without hiding a new target.
    """
    from targets.services import target_delete
    from targets.services import target_update
    from tests.conftest import clear_test_cache

    settings.DASHBOARD_CACHE_SECONDS = 3600
    clear_test_cache()
    client.force_login(national_admin)
    for code in (PATI, "35.05", PATI, "35.05"):  # drawn, then served from the cache
        client.get(f"/dasbor/{code}/")
    today = timezone.localdate()
    with django_capture_on_commit_callbacks(execute=True):
        target = target_create(actor=pati_officer, region_code=PATI, metric="stage", stage_code="sk_ahu",
                               start_date=today, due_date=today + timedelta(days=45))
    with translation.override("id"):
        listed = [f"({date_format(today + timedelta(days=days), 'j M Y')})</option>" for days in (45, 75)]
    assert listed[0] in client.get(f"/dasbor/{PATI}/").content.decode()
    with CaptureQueriesContext(connection) as blitar:
        client.get("/dasbor/35.05/")
    assert not [query for query in blitar if "targets_target" in query["sql"]]  # still the cached drawing

    with django_capture_on_commit_callbacks(execute=True):
        target_update(actor=pati_officer, target=target, due_date=today + timedelta(days=75))
    assert listed[1] in client.get(f"/dasbor/{PATI}/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        target_delete(actor=pati_officer, target=target)
    assert listed[1] not in client.get(f"/dasbor/{PATI}/").content.decode()


def test_users_of_different_federations_never_share_a_cached_page(rf, national_admin):
    """A role on a federation without its member villages leaves the scope's roots empty: the key holds the
    federations themselves, so one federation's cached page is never served to another's staff."""
    from core.scoping import Scope
    from reports.views import DashboardView

    request = rf.get("/dasbor/")
    request.user = national_admin
    view = DashboardView()
    view.setup(request)
    keys = {view._cache_key(None, Scope.of([], federations)) for federations in ([1], [2], [1, 2])}
    assert len(keys) == 3
