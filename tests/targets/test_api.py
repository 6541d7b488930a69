"""The target API: creation through the service, computed figures, splitting, scoping, errors."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core.roles import Role
from reports.services import rollup_reconcile
from reports.services import snapshot_take
from targets.models import Target
from targets.services import target_create
from tests.conftest import BLITAR
from tests.conftest import PATI
from tests.conftest import SUKOLILO
from tests.conftest import api_as
from tests.conftest import complete_stage
from tests.conftest import make_user
from tests.conftest import register

pytestmark = pytest.mark.django_db

FIGURES = {"target", "achieved", "gap", "percent", "days_left", "required_daily_rate", "recent_daily_rate",
           "projected_completion", "at_risk", "overdue"}


def _dates(days: int = 60) -> dict:
    today = timezone.localdate()
    return {"start_date": (today - timedelta(days=30)).isoformat(),
            "due_date": (today + timedelta(days=days)).isoformat()}


def _create(client, **overrides):
    payload = {"region": PATI, "metric": "stage", "stage": "sosialisasi", **_dates(), **overrides}
    return client.post("/api/targets/", payload, format="json")


@pytest.fixture
def blitar_target(db):
    officer = make_user(Role.KABUPATEN_OFFICER, BLITAR)
    today = timezone.localdate()
    return target_create(actor=officer, region_code=BLITAR, metric="stage", stage_code="sosialisasi",
                         start_date=today, due_date=today + timedelta(days=30))


def test_create_a_stage_target_with_figures(pati_officer, village_staff):
    cooperative = register(village_staff)
    complete_stage(village_staff, pati_officer, cooperative, "sosialisasi")
    rollup_reconcile(snapshot=False)  # the worker's refresh of the roll-up, which figures are read from
    response = _create(api_as(pati_officer), title="Sosialisasi Pati")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["target_count"] == 406 and body["region"]["code"] == PATI and body["stage"]["code"] == "sosialisasi"
    assert set(body["figures"]) == FIGURES
    figures = body["figures"]
    assert figures["target"] == 406 and figures["achieved"] == 1 and figures["gap"] == 405
    assert figures["days_left"] == 60 and figures["at_risk"] is True and figures["overdue"] is False
    listed = api_as(pati_officer).get("/api/targets/").json()["results"]
    assert listed[0]["figures"]["achieved"] == 1
    assert Target.objects.get().created_by == pati_officer


def test_create_a_unit_target(pati_officer):
    response = _create(api_as(pati_officer), metric="unit_status", stage=None, unit_type="gerai_sembako",
                       unit_status="operasional", target_count=100)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["unit_type"]["code"] == "gerai_sembako" and body["unit_status"] == "operasional"
    assert body["stage"] is None and body["figures"]["target"] == 100 and body["figures"]["achieved"] == 0


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"region": "Pati"}, "region"),
        ({"region": "99.99"}, "region"),
        ({"metric": "members"}, "metric"),
        ({"stage": "nonexistent"}, "stage"),
        ({"stage": None}, "stage"),
        ({"metric": "unit_status", "stage": None, "unit_type": "casino", "unit_status": "operasional"}, "unit_type"),
        ({"metric": "unit_status", "stage": None, "unit_type": "klinik", "unit_status": "rencana"}, "unit_status"),
        ({"due_date": "2020-01-01"}, "due_date"),
        ({"start_date": "1 April"}, "start_date"),
        ({"target_count": 0}, "target_count"),
        ({"target_count": "many"}, "target_count"),
        ({"target_count": 10**12}, "target_count"),
    ],
)
def test_bad_targets_are_400_with_the_field(pati_officer, overrides, field):
    response = _create(api_as(pati_officer), **overrides)
    assert response.status_code == 400, response.content
    assert field in response.json()
    assert not Target.objects.exists()


def test_targets_need_the_permission_and_the_area(pati_officer, village_staff, sukolilo_officer, blitar_target):
    assert _create(api_as(village_staff)).status_code == 403
    assert _create(api_as(sukolilo_officer), region=SUKOLILO).status_code == 403
    assert _create(api_as(pati_officer), region=BLITAR).status_code == 403
    client = api_as(pati_officer)
    assert client.get(f"/api/targets/{blitar_target.pk}/").status_code == 404
    assert client.patch(f"/api/targets/{blitar_target.pk}/", {"title": "x"}, format="json").status_code == 404
    assert client.delete(f"/api/targets/{blitar_target.pk}/").status_code == 404
    assert client.post(f"/api/targets/{blitar_target.pk}/split/").status_code == 404
    assert client.get("/api/targets/").json()["count"] == 0


def test_a_kecamatan_officer_sees_but_does_not_change_the_kecamatan_target(pati_officer, sukolilo_officer):
    target_id = _create(api_as(pati_officer), region=SUKOLILO).json()["id"]
    client = api_as(sukolilo_officer)
    assert client.get(f"/api/targets/{target_id}/").json()["target_count"] == 16
    assert client.patch(f"/api/targets/{target_id}/", {"target_count": 5}, format="json").status_code == 403
    assert client.delete(f"/api/targets/{target_id}/").status_code == 403
    assert Target.objects.get(pk=target_id).target_count == 16


def test_update_and_delete(pati_officer):
    client = api_as(pati_officer)
    target_id = _create(client).json()["id"]
    response = client.patch(f"/api/targets/{target_id}/", {"target_count": 300, "title": " Tahap 1 "}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["target_count"] == 300 and response.json()["title"] == "Tahap 1"
    assert response.json()["figures"]["target"] == 300
    for payload, field in [({"due_date": "2000-01-01"}, "due_date"), ({"target_count": 0}, "target_count"),
                           ({"title": "x" * 201}, "title")]:
        bad = client.patch(f"/api/targets/{target_id}/", payload, format="json")
        assert bad.status_code == 400 and field in bad.json()
    assert len(client.get(f"/api/targets/{target_id}/history/").json()) == 2
    assert client.delete(f"/api/targets/{target_id}/").status_code == 204
    assert not Target.objects.exists()


def test_split_sums_to_the_parent_count(pati_officer):
    client = api_as(pati_officer)
    parent = _create(client, target_count=100).json()
    response = client.post(f"/api/targets/{parent['id']}/split/")
    assert response.status_code == 201, response.content
    children = response.json()
    assert len(children) == 21 and sum(child["target_count"] for child in children) == 100
    assert {child["parent"] for child in children} == {parent["id"]}
    assert all(child["region"]["code"].startswith(PATI + ".") and "figures" in child for child in children)
    # Repeating changes nothing; kecamatan targets are not split further.
    assert client.post(f"/api/targets/{parent['id']}/split/").json() == []
    response = client.post(f"/api/targets/{children[0]['id']}/split/")
    assert response.status_code == 400
    top = client.get("/api/targets/", {"top_level": "true"}).json()
    assert [row["id"] for row in top["results"]] == [parent["id"]]


def test_list_filters(pati_officer):
    client = api_as(pati_officer)
    _create(client)
    _create(client, region=SUKOLILO, stage="musdesus")
    assert client.get("/api/targets/", {"region": SUKOLILO}).json()["count"] == 1
    assert client.get("/api/targets/", {"stage": "musdesus"}).json()["count"] == 1
    assert client.get("/api/targets/", {"metric": "stage"}).json()["count"] == 2
    for params, field in [({"metric": "members"}, "metric"), ({"top_level": "1"}, "top_level")]:
        response = client.get("/api/targets/", params)
        assert response.status_code == 400 and field in response.json()


def test_listing_costs_the_same_queries_for_any_number_of_targets(pati_officer):
    client = api_as(pati_officer)
    snapshot_take(timezone.localdate() - timedelta(days=14))  # the window's start, as the nightly run saves it

    def queries_to_list(expected: int) -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/api/targets/").json()["count"] == expected
        return len(queries)

    for region in (PATI, SUKOLILO, "33.18.02"):
        _create(client, region=region)
    three = queries_to_list(3)
    for region in ("33.18.03", "33.18.04", "33.18.05"):
        _create(client, region=region)
    assert queries_to_list(6) == three <= 8
