"""The roll-up's events, attendance and deal pipeline equal a live aggregation, incrementally and after reconcile."""

from collections import Counter
from collections import defaultdict

import pytest

from core.roles import Role
from kegiatan import services
from kegiatan.models import OPEN_STAGES
from kegiatan.models import Attendee
from kegiatan.models import AttendeeRole
from kegiatan.models import Deal
from kegiatan.models import DealKind
from kegiatan.models import DealStage
from kegiatan.models import Event
from kegiatan.models import EventKind
from kegiatan.models import PartnerKind
from reports.metrics import KEGIATAN_COLUMNS
from reports.models import RegionRollup
from reports.services import rollup_reconcile
from tests.conftest import JATEN
from tests.conftest import PAKEM
from tests.conftest import PATI
from tests.conftest import PRAWOTO
from tests.conftest import client_login
from tests.conftest import make_user
from tests.conftest import register

from .helpers import past_event

pytestmark = pytest.mark.django_db


def _areas(code: str) -> list[str]:
    return [code, code[:8], code[:5], code[:2], "ID"]


def live_kegiatan() -> dict[str, Counter]:
    """Plain Python, object by object: what the kegiatan columns of every region must hold."""
    counts: dict[str, Counter] = defaultdict(Counter)
    reached = set()
    for event in Event.objects.filter(cancelled_at__isnull=True, venue_village__isnull=False):
        if event.attendees.exists():
            for area in _areas(event.venue_village_id):
                counts[area]["events_held"] += 1
    for attendee in Attendee.objects.filter(event__cancelled_at__isnull=True, village__isnull=False):
        if attendee.role == AttendeeRole.PARTNER:
            continue
        reached.add(attendee.village_id)
        for area in _areas(attendee.village_id):
            counts[area]["attendees"] += 1
            counts[area][f"attendees_{attendee.role}"] += 1
    for village in reached:
        for area in _areas(village):
            counts[area]["villages_reached"] += 1
    for deal in Deal.objects.select_related("cooperative"):
        for area in _areas(deal.cooperative.village_id):
            counts[area]["deals"] += 1
            counts[area][f"deals_{deal.kind}"] += 1
            counts[area][f"deals_{deal.stage}"] += 1
            counts[area]["deal_value_open"] += deal.value if deal.stage in OPEN_STAGES else 0
            counts[area]["deal_value_closed"] += deal.value if deal.stage == DealStage.CLOSED else 0
    return {code: {name: row[name] for name in KEGIATAN_COLUMNS} for code, row in counts.items()
            if any(row[name] for name in KEGIATAN_COLUMNS)}


def stored_kegiatan() -> dict[str, dict]:
    rows = {row.code: {name: getattr(row, name) for name in KEGIATAN_COLUMNS} for row in RegionRollup.objects.all()}
    return {code: metrics for code, metrics in rows.items() if any(metrics.values())}


def test_events_attendance_and_deals_roll_up_like_a_live_count(django_capture_on_commit_callbacks,
                                                              sukolilo_officer, pati_officer, national_admin):
    with django_capture_on_commit_callbacks(execute=True):
        prawoto = register(make_user(Role.VILLAGE_STAFF, PRAWOTO))
    with django_capture_on_commit_callbacks(execute=True):
        pakem = register(make_user(Role.VILLAGE_STAFF, PAKEM), PAKEM)
    with django_capture_on_commit_callbacks(execute=True):
        jaten = register(make_user(Role.VILLAGE_STAFF, JATEN), JATEN)
    with django_capture_on_commit_callbacks(execute=True):
        partner = services.partner_create(actor=national_admin, name="Bank Mandiri", kind=PartnerKind.HIMBARA)
    steps = [
        lambda: past_event(sukolilo_officer, venue_village_code=PRAWOTO),
        lambda: services.attendee_add(actor=sukolilo_officer, event=Event.objects.first(), name="Kades",
                                      role=AttendeeRole.KEPALA_DESA, village_code=PRAWOTO),
        lambda: services.attendee_add(actor=sukolilo_officer, event=Event.objects.first(), name="BPD",
                                      role=AttendeeRole.BPD, village_code=PAKEM),
        lambda: services.attendee_add(actor=sukolilo_officer, event=Event.objects.first(), name="Mitra",
                                      role=AttendeeRole.PARTNER, organisation="Bank"),
        lambda: services.meeting_record(actor=pati_officer, cooperative=prawoto, partner=partner,
                                        kind=DealKind.FINANCING, value=3_000_000_000),
        lambda: services.meeting_record(actor=pati_officer, cooperative=pakem, partner=partner,
                                        kind=DealKind.PROCUREMENT, value=45_000_000),
        lambda: services.meeting_record(actor=national_admin, cooperative=jaten, partner=partner,
                                        kind=DealKind.MENTORING, value=0),
        lambda: services.deal_move(actor=pati_officer, deal=Deal.objects.get(cooperative=pakem),
                                   stage=DealStage.TALKS),
        lambda: services.deal_move(actor=pati_officer, deal=Deal.objects.get(cooperative=prawoto),
                                   stage=DealStage.LOST),
        lambda: past_event(pati_officer, kind=EventKind.BUSINESS_MATCHING, region=PATI, venue_village_code=PAKEM),
        lambda: services.attendee_add(actor=pati_officer, event=Event.objects.get(kind="business_matching"),
                                      name="Ketua", role=AttendeeRole.PENGURUS, village_code=PRAWOTO),
    ]
    for step in steps:
        with django_capture_on_commit_callbacks(execute=True):
            step()
        assert stored_kegiatan() == live_kegiatan()
    live = live_kegiatan()
    assert live["33.18"]["deal_value_open"] == 45_000_000 and live["33.18"]["deals_lost"] == 1
    assert live["33.18"]["villages_reached"] == 2 and live["33.18"]["events_held"] == 2
    assert live["ID"]["deals"] == 3

    # Cancelling an event takes it and its attendances out.
    with django_capture_on_commit_callbacks(execute=True):
        services.event_cancel(actor=sukolilo_officer, event=Event.objects.get(kind="rakor"))
    assert stored_kegiatan() == live_kegiatan()
    assert stored_kegiatan()["33.18"]["villages_reached"] == 1

    rollup_reconcile(snapshot=False)
    assert stored_kegiatan() == live_kegiatan()


def test_the_dashboard_shows_the_pipeline_total(client, pati_officer, national_admin,
                                               django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        prawoto = register(make_user(Role.VILLAGE_STAFF, PRAWOTO))
    partner = services.partner_create(actor=national_admin, name="PT Pos Indonesia", kind=PartnerKind.POS)
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_record(actor=pati_officer, cooperative=prawoto, partner=partner, kind=DealKind.PROCUREMENT,
                                value=12_500_000)
    client_login(client, pati_officer)
    page = client.get("/dasbor/", follow=True).content.decode()
    assert 'data-figure="pipeline-value">12.500.000<' in page and '12,5 juta' in page
