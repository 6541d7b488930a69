"""Every change to a domain model is recorded with who, when and before/after values."""

import pytest

from accounts import services
from core.roles import Role
from tests.conftest import PRAWOTO
from tests.conftest import api_as
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


def test_change_is_recorded_with_author_time_and_diff(pati_officer, village_staff):
    services.user_deactivate(actor=pati_officer, user=village_staff)

    record = village_staff.history.latest()
    assert record.history_user == pati_officer and record.history_type == "~"
    delta = record.diff_against(record.prev_record)
    assert [(c.field, c.old, c.new) for c in delta.changes] == [("is_active", True, False)]


def test_history_is_readable_through_the_api_like_the_object(pati_officer, village_staff):
    services.role_assign(actor=pati_officer, user=village_staff, role=Role.VILLAGE_STAFF, region_code="33.18.01.2002")
    services.user_deactivate(actor=pati_officer, user=village_staff)

    history = api_as(pati_officer).get(f"/api/users/{village_staff.pk}/history/").json()

    assert history[0]["subject"] in ("pengguna", "user") and history[0]["who"] == str(pati_officer)
    assert history[0]["changes"] == [{"field": "is_active", "label": history[0]["changes"][0]["label"],
                                      "old": True, "new": False}]
    granted = history[1]
    values = {change["field"]: (change["old"], change["new"]) for change in granted["changes"]}
    assert granted["action"] == "+"
    assert values["region_id"] == (None, "33.18.01.2002") and values["role"][1] == "Staf desa/kelurahan"


def test_history_of_an_object_outside_the_scope_is_404(pati_officer):
    outsider = make_user(Role.VILLAGE_STAFF, "35.05.01.2001")
    assert api_as(pati_officer).get(f"/api/users/{outsider.pk}/history/").status_code == 404
    assert api_as(pati_officer).get("/api/regions/35.05/history/").status_code == 404


def test_region_history_endpoint_for_a_region_in_scope(village_staff):
    response = api_as(village_staff).get(f"/api/regions/{PRAWOTO}/history/")
    assert response.status_code == 200 and response.json() == []
