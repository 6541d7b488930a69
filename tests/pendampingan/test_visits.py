"""Assistance visits: logging, follow-ups due today or overdue, scope."""

from datetime import date
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError
from django.utils import timezone

from pendampingan.models import Visit
from pendampingan.selectors import follow_ups_due
from pendampingan.services import visit_follow_up_done
from pendampingan.services import visit_log
from tests.conftest import PRAWOTO
from tests.conftest import register
from wilayah.models import Region

pytestmark = pytest.mark.django_db


def log(actor, village=PRAWOTO, **kwargs):
    kwargs.setdefault("visited_on", timezone.localdate() - timedelta(days=7))
    kwargs.setdefault("topic", "Pendampingan Musdesus")
    return visit_log(actor=actor, village_code=village, **kwargs)


def test_a_visit_links_the_village_cooperative(sukolilo_officer, village_staff):
    cooperative = register(village_staff)
    visit = log(sukolilo_officer, participants="Kades, sekdes, 3 calon pengurus", outcome="Jadwal Musdesus disepakati",
                next_step="Kirim undangan", follow_up_on=timezone.localdate())
    assert visit.cooperative == cooperative and visit.officer == sukolilo_officer


@pytest.mark.parametrize(
    "kwargs, field",
    [
        ({"visited_on": timezone.localdate() + timedelta(days=1)}, "visited_on"),
        ({"follow_up_on": date(2020, 1, 1)}, "follow_up_on"),
        ({"topic": "  "}, "topic"),
        ({"topic": "\x01\x02"}, "topic"),  # control characters only: it had shown as an empty topic
    ],
)
def test_invalid_visits_name_the_field(sukolilo_officer, kwargs, field):
    with pytest.raises(ValidationError) as error:
        log(sukolilo_officer, **kwargs)
    assert field in error.value.message_dict


def test_a_retired_village_cannot_be_visited(sukolilo_officer):
    Region.objects.filter(code="33.18.01.2003").update(is_active=False)
    with pytest.raises(ValidationError) as error:
        log(sukolilo_officer, village="33.18.01.2003")
    assert "village" in error.value.message_dict
    assert not Visit.objects.exists()


def test_visits_only_inside_the_officers_area_and_not_by_village_staff(sukolilo_officer, village_staff):
    with pytest.raises(PermissionDenied):
        log(sukolilo_officer, village="33.18.02.2001")
    with pytest.raises(PermissionDenied):
        log(village_staff)


def test_todays_and_overdue_follow_ups(sukolilo_officer, pati_officer):
    today = timezone.localdate()
    overdue = log(sukolilo_officer, follow_up_on=today - timedelta(days=2))
    due_today = log(sukolilo_officer, "33.18.01.2002", follow_up_on=today)
    log(sukolilo_officer, "33.18.01.2003", follow_up_on=today + timedelta(days=3))  # not yet due
    log(sukolilo_officer, "33.18.01.2004")  # no follow-up
    colleagues = log(pati_officer, "33.18.01.2005", follow_up_on=today)

    mine = list(follow_ups_due(user=sukolilo_officer, today=today))
    assert mine == [overdue, due_today]
    assert colleagues in follow_ups_due(user=pati_officer, today=today, mine_only=False)

    visit_follow_up_done(actor=sukolilo_officer, visit=overdue)
    assert list(follow_ups_due(user=sukolilo_officer, today=today)) == [due_today]
