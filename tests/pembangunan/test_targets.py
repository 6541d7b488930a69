"""Targets on the land figures: selectable, counted cumulatively from the roll-up, with burn-up and at-risk signals."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from core.roles import Role
from core.scoping import Scope
from pembangunan import services
from targets.selectors import land_reached_by
from targets.selectors import target_rows
from targets.services import target_create
from targets.services import target_split
from tests.conftest import PATI
from tests.conftest import api_as
from tests.conftest import client_login
from tests.conftest import make_user
from tests.pembangunan.conftest import photo_upload
from tests.pembangunan.conftest import record
from tests.pembangunan.conftest import start_project
from tests.pembangunan.conftest import verified_plot

pytestmark = pytest.mark.django_db


def _target(actor, step, count=10, **kwargs):
    today = timezone.localdate()
    kwargs.setdefault("start_date", today - timedelta(days=30))
    kwargs.setdefault("due_date", today + timedelta(days=30))
    return target_create(actor=actor, region_code=PATI, metric="land", land_step=step, target_count=count, **kwargs)


def test_land_targets_count_each_step_cumulatively(village_staff, dinas, cooperative,
                                                   django_capture_on_commit_callbacks):
    recorded, verified, built, handed = (_target(dinas, step) for step in
                                         ("recorded", "verified", "construction", "handed_over"))
    today = timezone.localdate()
    with django_capture_on_commit_callbacks(execute=True):
        record(village_staff, cooperative, name="Cadangan")
        project = start_project(dinas, verified_plot(village_staff, dinas, cooperative))
        services.progress_report_add(actor=village_staff, project=project, reported_on=today, percent=100,
                                     photos=[photo_upload()])
        services.project_hand_over(actor=dinas, project=project, handed_over_on=today,
                                   upload=photo_upload("bast.jpg"))
    rows = {row.target.land_step: row.figures.achieved for row in target_rows([recorded, verified, built, handed])}
    # The handed-over plot was also recorded, verified and built: each step counts it.
    assert rows == {"recorded": 2, "verified": 1, "construction": 1, "handed_over": 1}
    assert land_reached_by(Scope.of([PATI]), "construction", today) == 1
    assert land_reached_by(Scope.of([PATI]), "recorded", today - timedelta(days=1)) == 0


def test_a_land_target_behind_its_pace_is_at_risk(village_staff, dinas, cooperative,
                                                  django_capture_on_commit_callbacks):
    target = _target(dinas, "recorded", count=40, due_date=timezone.localdate() + timedelta(days=5))
    with django_capture_on_commit_callbacks(execute=True):
        record(village_staff, cooperative)
    figures = target_rows([target])[0].figures
    assert figures.achieved == 1 and figures.at_risk


def test_a_land_target_names_its_step_and_splits_down(dinas):
    with pytest.raises(ValidationError) as error:
        _target(dinas, "")
    assert "land_step" in error.value.message_dict
    province = target_create(actor=make_user(Role.NATIONAL_ADMIN), region_code="33", metric="land",
                             land_step="recorded", target_count=1000, start_date=timezone.localdate(),
                             due_date=timezone.localdate() + timedelta(days=60))
    children = target_split(actor=make_user(Role.NATIONAL_ADMIN), target=province)
    assert children and all(child.land_step == "recorded" and child.metric == "land" for child in children)


def test_land_targets_are_selectable_in_the_form_and_api(client, dinas):
    client_login(client, dinas)
    page = client.get("/target/baru/").content.decode()
    assert 'value="land"' in page and 'value="handed_over"' in page
    today = timezone.localdate()
    response = api_as(dinas).post("/api/targets/", {
        "region": PATI, "metric": "land", "land_step": "verified", "target_count": 200,
        "start_date": str(today), "due_date": str(today + timedelta(days=90))}, format="json")
    assert response.status_code == 201 and response.json()["land_step"] == "verified"
