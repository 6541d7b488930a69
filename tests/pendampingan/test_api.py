"""The assistance-visit API: logging, follow-ups, scoping, errors."""

from datetime import timedelta

import pytest
from django.utils import timezone

from core.roles import Role
from pendampingan.models import Visit
from pendampingan.services import visit_log
from tests.conftest import BLITAR
from tests.conftest import JATEN
from tests.conftest import PAKEM
from tests.conftest import PRAWOTO
from tests.conftest import api_as
from tests.conftest import make_user
from tests.conftest import register

pytestmark = pytest.mark.django_db



def _days(n: int) -> str:
    return (timezone.localdate() + timedelta(days=n)).isoformat()


def _log(actor, village=PRAWOTO, **kwargs):
    kwargs.setdefault("visited_on", timezone.localdate() - timedelta(days=7))
    kwargs.setdefault("topic", "Pendampingan Musdesus")
    return visit_log(actor=actor, village_code=village, **kwargs)


@pytest.fixture
def blitar_visit(db):
    return _log(make_user(Role.KABUPATEN_OFFICER, BLITAR), JATEN)


def test_log_a_visit(sukolilo_officer, village_staff):
    cooperative = register(village_staff)
    response = api_as(sukolilo_officer).post("/api/visits/", {
        "village": PRAWOTO, "visited_on": _days(-1), "topic": " Persiapan rapat pendirian ",
        "participants": "Kades, 12 calon anggota", "next_step": "Lengkapi daftar hadir", "follow_up_on": _days(6),
    }, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["topic"] == "Persiapan rapat pendirian" and body["cooperative"] == cooperative.pk
    assert body["cooperative_name"] == cooperative.name and body["officer"]["id"] == sukolilo_officer.pk
    assert body["village"]["code"] == PRAWOTO and body["follow_up_done_at"] is None


def test_visit_without_a_cooperative(sukolilo_officer):
    response = api_as(sukolilo_officer).post("/api/visits/", {"village": PAKEM, "visited_on": _days(0),
                                                              "topic": "Sosialisasi"}, format="json")
    assert response.status_code == 201 and response.json()["cooperative"] is None
    assert response.json()["cooperative_name"] is None


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"village": "33.18.01"}, "village"),
        ({"village": "33.18.99.9999"}, "village"),
        ({"visited_on": None}, "visited_on"),
        ({"visited_on": _days(3)}, "visited_on"),
        ({"topic": ""}, "topic"),
        ({"topic": "   "}, "topic"),
        ({"topic": "x" * 201}, "topic"),
        ({"follow_up_on": _days(-30)}, "follow_up_on"),
        ({"follow_up_on": "next week"}, "follow_up_on"),
    ],
)
def test_bad_visits_are_400_with_the_field(pati_officer, overrides, field):
    payload = {"village": PRAWOTO, "visited_on": _days(-1), "topic": "Sosialisasi", **overrides}
    response = api_as(pati_officer).post("/api/visits/", payload, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json()
    assert not Visit.objects.exists()


def test_logging_needs_the_permission_and_the_area(village_staff, pati_officer):
    payload = {"village": PRAWOTO, "visited_on": _days(-1), "topic": "Sosialisasi"}
    assert api_as(village_staff).post("/api/visits/", payload, format="json").status_code == 403
    assert api_as(pati_officer).post("/api/visits/", {**payload, "village": JATEN}, format="json").status_code == 403
    assert not Visit.objects.exists()


def test_visits_are_scoped_and_filtered(pati_officer, sukolilo_officer, blitar_visit):
    mine = _log(pati_officer, PRAWOTO)
    theirs = _log(sukolilo_officer, PAKEM)
    client = api_as(pati_officer)
    assert {row["id"] for row in client.get("/api/visits/").json()["results"]} == {mine.pk, theirs.pk}
    assert [row["id"] for row in client.get("/api/visits/", {"officer": "me"}).json()["results"]] == [mine.pk]
    assert [row["id"] for row in client.get("/api/visits/", {"village": PAKEM}).json()["results"]] == [theirs.pk]
    assert client.get("/api/visits/", {"village": "33.18.01"}).json()["count"] == 2
    assert client.get("/api/visits/", {"cooperative": 0}).json()["count"] == 0
    assert client.get(f"/api/visits/{blitar_visit.pk}/").status_code == 404
    assert client.patch(f"/api/visits/{blitar_visit.pk}/", {"topic": "x"}, format="json").status_code == 404
    for params, field in [({"officer": "someone"}, "officer"), ({"village": "Atlantis"}, "village")]:
        response = client.get("/api/visits/", params)
        assert response.status_code == 400 and field in response.json()


def test_update_a_visit(pati_officer, village_staff):
    visit = _log(pati_officer)
    client = api_as(pati_officer)
    response = client.patch(f"/api/visits/{visit.pk}/", {"outcome": "Jadwal Musdesus disepakati",
                                                         "follow_up_on": _days(3)}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["outcome"] == "Jadwal Musdesus disepakati"
    bad = client.patch(f"/api/visits/{visit.pk}/", {"visited_on": _days(5)}, format="json")
    assert bad.status_code == 400 and "visited_on" in bad.json()
    assert client.get(f"/api/visits/{visit.pk}/history/").json()[0]["action"] == "~"
    # Village staff see visits to their desa but do not log or edit them.
    assert api_as(village_staff).get(f"/api/visits/{visit.pk}/").status_code == 200
    assert api_as(village_staff).patch(f"/api/visits/{visit.pk}/", {"outcome": "x"}, format="json").status_code == 403


def test_follow_ups_due(pati_officer, sukolilo_officer, village_staff, blitar_visit):
    today = timezone.localdate()
    later = _log(pati_officer, follow_up_on=today - timedelta(days=1))
    older = _log(pati_officer, PAKEM, follow_up_on=today - timedelta(days=3))
    _log(pati_officer, follow_up_on=today + timedelta(days=3))  # not due yet
    colleague = _log(sukolilo_officer, follow_up_on=today - timedelta(days=5))
    client = api_as(pati_officer)
    mine = client.get("/api/visits/follow-ups/").json()
    assert [row["id"] for row in mine["results"]] == [older.pk, later.pk]
    everyone = client.get("/api/visits/follow-ups/", {"all": "true"}).json()
    assert [row["id"] for row in everyone["results"]] == [colleague.pk, older.pk, later.pk]

    assert api_as(village_staff).post(f"/api/visits/{later.pk}/follow-up-done/").status_code == 403
    done = client.post(f"/api/visits/{later.pk}/follow-up-done/")
    assert done.status_code == 200 and done.json()["follow_up_done_at"]
    assert [row["id"] for row in client.get("/api/visits/follow-ups/").json()["results"]] == [older.pk]
    assert client.post(f"/api/visits/{blitar_visit.pk}/follow-up-done/").status_code == 404


@pytest.mark.parametrize("value", ["yes", "1", "True", "null"])
def test_follow_ups_all_takes_true_or_false_only(pati_officer, sukolilo_officer, value):
    """Anything but ``true`` silently meant "only mine", so ``all=yes`` looked like an answer to "everyone's"."""
    _log(sukolilo_officer, follow_up_on=timezone.localdate())
    client = api_as(pati_officer)
    assert client.get("/api/visits/follow-ups/", {"all": "false"}).json()["count"] == 0
    assert client.get("/api/visits/follow-ups/", {"all": ""}).json()["count"] == 0  # empty: as if not given
    refused = client.get("/api/visits/follow-ups/", {"all": value})
    assert refused.status_code == 400 and "all" in refused.json()


def test_closing_a_visit_without_follow_up_is_400(pati_officer):
    visit = _log(pati_officer)
    response = api_as(pati_officer).post(f"/api/visits/{visit.pk}/follow-up-done/")
    assert response.status_code == 400 and "non_field_errors" in response.json()


def test_a_follow_up_is_closed_by_its_officer_and_moving_it_opens_it_again(pati_officer, sukolilo_officer):
    """A colleague had closed it; moved to a later day after closing, it had never come due again."""
    today = timezone.localdate()
    visit = _log(sukolilo_officer, follow_up_on=today)
    assert api_as(pati_officer).post(f"/api/visits/{visit.pk}/follow-up-done/").status_code == 403
    own = api_as(sukolilo_officer)
    assert own.post(f"/api/visits/{visit.pk}/follow-up-done/").status_code == 200
    moved = own.patch(f"/api/visits/{visit.pk}/", {"follow_up_on": str(today + timedelta(days=16))}, format="json")
    assert moved.status_code == 200 and moved.json()["follow_up_done_at"] is None
    visit.refresh_from_db()
    assert visit.follow_up_done_at is None
