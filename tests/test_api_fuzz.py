"""
Schemathesis over the whole OpenAPI of the portal, as a national administrator and as village staff.

The schema is read from the app itself (``/api/schema/``) and every operation is called through the
WSGI application, on the real PostgreSQL test database holding a small realistic data set: a cooperative
with its board, stages verified, submitted and open, a stage document, targets, a visit, notifications and
a second account to administer. Path parameters are mostly ids and codes of those rows (so that detail
routes and actions reach real objects), sometimes whatever schemathesis generates. Every example runs in
a savepoint that is rolled back, so each starts from the same data and a run is repeatable.

Every check of schemathesis runs but one: no server error; a documented status code, content type,
headers and body; a request that violates the schema refused (4xx); unsupported methods answered 405. A
schema-valid request may still be refused (an unknown village code, a wrong password): that one is off.
The administrator's run adds the coverage phase (boundary values, missing and wrong-typed fields, unexpected
methods); the village staff's meets their 403s and 404s in the fuzzing phase. ``make test`` runs it, so CI too.
"""

import zlib
from datetime import datetime
from datetime import time
from datetime import timedelta

import pytest
import schemathesis
from _pytest.nodeid import coerce_node_id
from _pytest.nodes import Node
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished
from django.core.signals import request_started
from django.db import close_old_connections
from django.db import transaction
from django.utils import timezone

from core.roles import Role
from kegiatan import services as kegiatan_services
from koperasi.models import FormationStage
from members.models import Member
from members.models import Position
from notifications.models import Notification
from notifications.models import NotificationKind
from notifications.services import notify
from pembangunan import services as land
from pendampingan.services import visit_log
from targets.services import target_create
from tests.conftest import BLITAR
from tests.conftest import JATEN
from tests.conftest import PAKEM
from tests.conftest import PATI
from tests.conftest import PRAWOTO
from tests.conftest import SUKOLILO
from tests.conftest import clear_test_cache
from tests.conftest import complete_stage
from tests.conftest import make_user
from tests.conftest import register
from tests.conftest import seed_board
from tests.conftest import submit_stage
from tests.conftest import token_for
from tests.impor.world import import_world
from tests.pembangunan.conftest import photo_upload
from tests.simpanan.world import savings_world
from units.models import UnitType

pytestmark = pytest.mark.django_db

# Examples per operation in the fuzzing phase (positive and negative). With the administrator's coverage phase
# the two runs send about 4,500 requests over the 77 operations: about three minutes on two cores.
MAX_EXAMPLES = 10
SEED = 20250101

# schemathesis 4.32's pytest loader still names a test node by ``Node._nodeid``, which pytest 9.2 replaced by
# ``Node._id``: give it back as an alias (both directions) so that the subtests run and are named by operation.
if not hasattr(Node, "_nodeid"):
    Node._nodeid = property(lambda node: node.nodeid,
                            lambda node, value: setattr(node, "_id", coerce_node_id(value)))

schema = schemathesis.pytest.from_fixture("api_schema")


class _RolledBackWSGIHandler(WSGIHandler):
    """
    Django's WSGI application, each request in a savepoint that is rolled back: every example starts from
    the same data, whatever the one before it wrote. The database connection stays open across requests
    (the test's transaction lives on it), as in Django's own test client.
    """

    def __call__(self, environ, start_response):
        request_started.disconnect(close_old_connections)
        request_finished.disconnect(close_old_connections)
        try:
            with transaction.atomic():
                response = super().__call__(environ, start_response)
                try:
                    body = list(response)
                finally:
                    response.close()
                transaction.set_rollback(True)
            return body
        finally:
            request_started.connect(close_old_connections)
            request_finished.connect(close_old_connections)


def _world(persona: str) -> dict:
    """The data set, the persona's user and the real values of each path parameter."""
    village_staff = make_user(Role.VILLAGE_STAFF, PRAWOTO)
    pati_officer = make_user(Role.KABUPATEN_OFFICER, PATI)
    sukolilo_officer = make_user(Role.KECAMATAN_OFFICER, SUKOLILO)
    admin = make_user(Role.NATIONAL_ADMIN)

    prawoto = register(village_staff)
    jaten = register(make_user(Role.KABUPATEN_OFFICER, BLITAR), JATEN)
    seed_board(village_staff, prawoto)
    complete_stage(village_staff, pati_officer, prawoto, "sosialisasi")
    submit_stage(village_staff, prawoto, "musdesus")  # waits for verification

    today = timezone.localdate()
    target = target_create(actor=pati_officer, region_code=PATI, metric="stage", stage_code="sosialisasi",
                           start_date=today - timedelta(days=10), due_date=today + timedelta(days=60))
    visit = visit_log(actor=sukolilo_officer, village_code=PRAWOTO, visited_on=today - timedelta(days=3),
                      topic="Persiapan musdesus", follow_up_on=today)
    colleague = make_user(Role.VILLAGE_STAFF, PAKEM)
    # The village staff's notifications come from the stage reviews above; the administrator gets one too.
    notify(users=[admin], kind=NotificationKind.TARGET_AT_RISK, url=f"/target/{target.pk}/",
           params={"target": "Sosialisasi Pati", "days": 14, "region": "Pati", "due": "2026-01-31",
                   "achieved": 1, "count": 406})

    # Land and construction: a proposed plot and a verified one under construction with a published report.
    proposed = land.plot_record(actor=village_staff, cooperative=prawoto, name="Tanah kas desa", area_m2=1200,
                                owner_kind="tanah_kas_desa", legal_status="perdes", latitude="-6.8", longitude="111")
    building = land.plot_record(actor=village_staff, cooperative=prawoto, name="Aset pemda", area_m2=900,
                                owner_kind="aset_pemda", legal_status="sertifikat", latitude="-6.81",
                                longitude="111.01")
    land.plot_survey(actor=village_staff, plot=building, surveyed_on=today)
    land.plot_verify(actor=pati_officer, plot=building)
    project = land.project_create(actor=pati_officer, plot=building, title="Gerai", building_area_m2=500,
                                  contract_value=1_500_000_000, contract_date=today - timedelta(days=30),
                                  planned_start=today - timedelta(days=20), planned_finish=today + timedelta(days=90))
    report = land.progress_report_add(actor=village_staff, project=project, reported_on=today, percent=20,
                                      photos=[photo_upload()])

    kegiatan = _kegiatan(sukolilo_officer, pati_officer, admin, prawoto)
    user = admin if persona == "national_admin" else village_staff
    documents = [doc.pk for progress in prawoto.stages.all() for doc in progress.documents.all()]
    members = list(Member.objects.filter(cooperative=prawoto).order_by("pk").values_list("pk", flat=True))
    ids = {
        "/api/cooperatives/": [prawoto.pk, jaten.pk],
        "/api/members/": [*members[:2], members[-2]],  # two on the board, one without a position (removable)
        "/api/positions/": list(Position.objects.filter(cooperative=prawoto).values_list("pk", flat=True)[:3]),
        "/api/stages/": list(prawoto.stages.order_by("stage__order").values_list("pk", flat=True)[:4]),
        "/api/stage-documents/": documents[:3],
        "/api/targets/": [target.pk],
        "/api/units/": list(prawoto.units.values_list("pk", flat=True)[:2]),
        "/api/visits/": [visit.pk],
        "/api/land-plots/": [proposed.pk, building.pk],
        "/api/construction-projects/": [project.pk],
        "/api/progress-reports/": [report.pk],
        "/api/users/": [colleague.pk, village_staff.pk],
        "/api/notifications/": list(Notification.objects.filter(user=user).values_list("pk", flat=True)[:3]),
        **savings_world(village_staff, prawoto),
        **import_world(village_staff, prawoto),
        **kegiatan,
    }
    codes = {
        "/api/regions/": [PRAWOTO, SUKOLILO, PATI, "33", JATEN],
        "/api/rollups/": [PRAWOTO, SUKOLILO, PATI, "33", JATEN],
        "/api/formation-stages/": list(FormationStage.objects.values_list("code", flat=True)[:3]),
        "/api/unit-types/": list(UnitType.objects.values_list("code", flat=True)[:3]),
    }
    assignments = list(colleague.role_assignments.values_list("pk", flat=True))
    return {"user": user, "ids": ids, "codes": codes, "assignment_ids": assignments}


def _kegiatan(sukolilo_officer, pati_officer, admin, prawoto) -> dict:
    """An event with an attendee, a partner with a deal, a space with a room and a booking: their ids by route."""
    starts = timezone.now() - timedelta(hours=2)
    event = kegiatan_services.event_create(actor=sukolilo_officer, title="Rakor", kind="rakor", starts_at=starts,
                                           ends_at=starts + timedelta(hours=3), place="Aula", region_code=SUKOLILO)
    kegiatan_services.event_invite(actor=sukolilo_officer, event=event, region_codes=[PRAWOTO])
    kegiatan_services.attendee_add(actor=sukolilo_officer, event=event, name="Kades", role="kepala_desa",
                                   village_code=PRAWOTO)
    partner = kegiatan_services.partner_create(actor=admin, name="PT Pos Indonesia", kind="pos")
    deal = kegiatan_services.meeting_record(actor=pati_officer, cooperative=prawoto, partner=partner,
                                            kind="procurement", value=5_000_000).deal
    space = kegiatan_services.space_create(actor=sukolilo_officer, name="Ruang Kreatif", owner_kind="kecamatan",
                                           region_code=SUKOLILO)
    room = kegiatan_services.resource_add(actor=sukolilo_officer, space=space, name="Aula", kind="room",
                                          capacity=30, opens_at=time(0), closes_at=time(23, 59), open_days="1234567")
    day = timezone.localdate() + timedelta(days=1)
    booking = kegiatan_services.booking_create(
        actor=sukolilo_officer, resource=room, booker_name="UMKM", booker_kind="umkm",
        starts_at=datetime.combine(day, time(9), tzinfo=timezone.get_current_timezone()),
        ends_at=datetime.combine(day, time(10), tzinfo=timezone.get_current_timezone()))
    return {"/api/events/": [event.pk], "/api/partners/": [partner.pk], "/api/deals/": [deal.pk],
            "/api/spaces/": [space.pk], "/api/bookings/": [booking.pk]}


def _real_values(world: dict, path: str) -> dict:
    """Path parameter → the real values it can take on this route."""
    values = {}
    for prefix, ids in world["ids"].items():
        if path.startswith(prefix) and ids:
            values["id"] = ids
    for prefix, codes in world["codes"].items():
        if path.startswith(prefix) and codes:
            values["code"] = codes
    if "{assignment_id}" in path and world["assignment_ids"]:
        values["assignment_id"] = world["assignment_ids"]
    return values


@pytest.fixture(params=["national_admin", "village_staff"])
def persona(request):
    return request.param


@pytest.fixture
def fuzz_world(persona):
    clear_test_cache()  # throttle counters of earlier tests
    world = _world(persona)
    world["headers"] = {"Authorization": f"Token {token_for(world['user'])}"}
    yield world
    clear_test_cache()  # the throttle counters this test leaves (the token endpoint is fuzzed too)


@pytest.fixture
def api_schema(persona, fuzz_world):
    config = schemathesis.Config.from_dict({
        "seed": SEED,
        "generation": {"max-examples": MAX_EXAMPLES, "deterministic": True, "database": "none",
                       "with-security-parameters": False},
        # The coverage phase (boundary values, missing and wrong-typed fields, unexpected methods: about 3,000
        # requests) runs once, as the administrator, who reaches every route; village staff get the fuzzing
        # phase, which meets their 403s and 404s as well.
        "phases": {"stateful": {"enabled": False}, "coverage": {"enabled": persona == "national_admin"}},
        # A schema cannot say which village codes exist or which password is right: a schema-valid request
        # may still be refused (400), so positive_data_acceptance is off. Every other check is on.
        "checks": {
            "positive_data_acceptance": {"enabled": False},
            # A precondition that fails (412) is refused before the body is read, as RFC 9110 lets it be.
            "negative_data_rejection": {"expected-statuses": [400, 401, 403, 404, 405, 406, 409, 412, 413, 415,
                                                              422, 428, 429]},
        },
    })
    loaded = schemathesis.openapi.from_wsgi("/api/schema/?format=json", _RolledBackWSGIHandler(), config=config)

    @loaded.hook
    def map_case(context, case):
        """
        Most positive cases name real rows: a generated id would almost never exist. The pick is derived from
        the case itself (not from a random source), so a run is repeatable; one case in five keeps its own.
        """
        real = _real_values(fuzz_world, case.operation.path)
        if not real or (case.meta is not None and case.meta.generation.mode.is_negative):
            return case
        pick = zlib.crc32(repr((case.path_parameters, case.query, case.body)).encode())
        if pick % 5 == 0:
            return case
        case.path_parameters = {**(case.path_parameters or {}),
                                **{name: str(values[pick % len(values)]) for name, values in real.items()}}
        return case

    return loaded


@schema.parametrize()
def test_every_operation_answers_as_documented(case, fuzz_world):
    response = case.call(headers=fuzz_world["headers"])
    case.validate_response(response, headers=fuzz_world["headers"])


