"""
Event dates are facts (issue 16): a cooperative's history entered today with its real dates gives, for every past
day, the figures the portal would have shown had each fact been entered on its day; through the roll-up API (list
and detail), the dashboard, the exports and the PDF report. Backdated entries rebuild only the snapshots they touch.
"""

import contextlib
import io
from datetime import datetime
from datetime import time
from datetime import timedelta
from unittest import mock

import pytest
from django.db import transaction
from django.utils import timezone
from openpyxl import load_workbook

from core.models import BackdatedVillage
from core.roles import Role
from koperasi.models import Cooperative
from koperasi.services import stage_record_from_archive
from koperasi.services import stage_verify
from members.models import PositionRole
from members.services import member_add
from members.services import position_assign
from pendampingan.services import visit_log
from reports.metrics import METRIC_COLUMNS
from reports.models import RegionSnapshot
from reports.services import export_request
from reports.services import rollup_reconcile
from reports.services import snapshot_backfill
from targets.services import target_create
from tests.conftest import PATI
from tests.conftest import PRAWOTO
from tests.conftest import STAGE_DATA
from tests.conftest import api_as
from tests.conftest import make_user
from tests.conftest import pdf_upload
from tests.conftest import register
from tests.conftest import sample_nik
from tests.conftest import submit_stage
from units.services import unit_update

pytestmark = pytest.mark.django_db

SUKOLILO = "33.18.01"
BLITAR_DISTRICT = "35.05.01"
TODAY = timezone.localdate()
# Days of the story: the meetings, the founding and the deed, the SK AHU and a unit going live; and a day before.
D0, D1, D2, D3 = (TODAY - timedelta(days=days) for days in (50, 40, 25, 10))
DAYS = [D0, D1, D2, D3, D3 + timedelta(days=1)]


@contextlib.contextmanager
def clock(moment: datetime):
    """The server clock set to ``moment``: what the portal would have recorded on that day."""
    with mock.patch("django.utils.timezone.now", return_value=moment):
        yield


def noon(day):
    return timezone.make_aware(datetime.combine(day, time(12)))


def _board(actor, cooperative, day):
    """Nine founders and the kepala desa joined on ``day``; pengurus and ketua pengawas appointed."""
    people = [member_add(actor=actor, cooperative=cooperative, nik=sample_nik(i + 1), name=f"Anggota {i + 1}",
                         sex="L", domicile_code=cooperative.village_id, is_founder=True, joined_on=day)[0]
              for i in range(9)]
    kades = member_add(actor=actor, cooperative=cooperative, nik=sample_nik(90), name="Kepala Desa", sex="L",
                       domicile_code=cooperative.village_id, village_office="kepala_desa", joined_on=day)[0]
    for member, role in zip(people, [PositionRole.KETUA, PositionRole.WAKIL_KETUA_USAHA,
                                     PositionRole.WAKIL_KETUA_KEANGGOTAAN, PositionRole.SEKRETARIS,
                                     PositionRole.BENDAHARA], strict=False):
        position_assign(actor=actor, cooperative=cooperative, member=member, role=role)
    position_assign(actor=actor, cooperative=cooperative, member=kades, role=PositionRole.KETUA_PENGAWAS)


def _dated(code, day):
    """The stage's sample data, dated ``day`` (the meeting held, the deed signed, the SK AHU issued)."""
    data = dict(STAGE_DATA[code])
    for key in ("held_on", "deed_date", "sk_ahu_date"):
        if key in data:
            data[key] = day.isoformat()
    return data


STORY = [
    (D1, ["sosialisasi", "musdesus"], "visit"),
    (D2, ["rapat_pendirian", "akta_notaris"], "board"),
    (D3, ["sk_ahu"], "unit"),
]


def _other_facts(officer, cooperative, kind, day):
    if kind == "visit":
        visit_log(actor=officer, village_code=PRAWOTO, visited_on=day, topic="Pendampingan Musdesus")
    elif kind == "board":
        _board(officer, cooperative, day)
    else:
        unit = cooperative.units.get(unit_type__code="gerai_sembako")
        unit_update(actor=officer, unit=unit, status="operasional", go_live_date=day)


def _figures(client, day) -> dict:
    """What an officer reads for ``day``: the API's list (Pati's kecamatan) and detail (Pati, the kecamatan)."""
    params = {"as_of": day.isoformat()}
    listing = client.get("/api/rollups/", {"parent": PATI, **params})
    assert listing.status_code == 200, listing.content
    details = {code: client.get(f"/api/rollups/{code}/", params).json() for code in (PATI, SUKOLILO, PRAWOTO)}
    return {"list": listing.json(), "detail": details}


def _snapshots(day) -> dict:
    return {row["code"]: row for row in RegionSnapshot.objects.filter(day=day).values("code", *METRIC_COLUMNS)
            if any(row[name] for name in METRIC_COLUMNS)}


@pytest.fixture
def people(db):
    officer = make_user(Role.KABUPATEN_OFFICER, PATI)
    return officer, make_user(Role.KABUPATEN_OFFICER, PATI), make_user(Role.NATIONAL_ADMIN)


def _entered_on_the_day(officer, checker):
    """Each fact entered on its day (the clock set back), the nightly snapshot taken at the end of each day."""
    cooperative = None
    for day in DAYS:
        with clock(noon(day)):
            for story_day, stages, other in STORY:
                if story_day != day:
                    continue
                cooperative = cooperative or register(officer, PRAWOTO)
                _other_facts(officer, cooperative, other, day)
                for code in stages:
                    progress = submit_stage(officer, cooperative, code, _dated(code, day))
                    stage_verify(actor=checker, progress=progress)
        with clock(timezone.make_aware(datetime.combine(day, time(23, 59)))):
            rollup_reconcile(snapshot_day=day)


def _entered_today(officer, checker, *, archive: bool):
    """The same history entered today with its dates: from the archive, or submitted and verified today."""
    cooperative = register(officer, PRAWOTO)
    for day, stages, other in STORY:
        _other_facts(officer, cooperative, other, day)
        for code in stages:
            if archive:
                progress = cooperative.stages.get(stage__code=code)
                documents = [(doc.code, pdf_upload(f"{doc.code}.pdf"))
                             for doc in progress.stage.required_documents.all()]
                stage_record_from_archive(actor=checker, progress=progress, completed_on=day, note="Arsip Dinas 2026",
                                          data=_dated(code, day), documents=documents)
            else:
                stage_verify(actor=checker, progress=submit_stage(officer, cooperative, code, _dated(code, day)))
    return cooperative


@pytest.mark.parametrize("archive", [True, False], ids=["from-the-archive", "documents-dated"])
def test_facts_entered_today_with_their_dates_reproduce_the_past_days(people, archive,
                                                                      django_capture_on_commit_callbacks):
    officer, checker, admin = people
    client = api_as(admin)
    # The portal as it would have been: every fact on its day.
    with transaction.atomic():
        _entered_on_the_day(officer, checker)
        expected = {day: _figures(client, day) for day in DAYS}
        expected_rows = {day: _snapshots(day) for day in DAYS}
        transaction.set_rollback(True)
    assert expected[D3]["detail"][PATI]["legal_entity"] == 1 and expected[D0]["detail"][PATI]["cooperatives"] == 0
    assert expected[D2]["detail"][SUKOLILO]["members"] == 10 and expected[D1]["detail"][PATI]["visits_30d"] == 1

    # The portal as it is: the nightly snapshots of those days were taken with nothing to count; the history is
    # entered today, and the snapshots of the days it touches are rebuilt by themselves.
    for day in DAYS:
        rollup_reconcile(snapshot_day=day)
    with django_capture_on_commit_callbacks(execute=True):
        _entered_today(officer, checker, archive=archive)
    assert not BackdatedVillage.objects.exists()
    for day in DAYS:
        assert _snapshots(day) == expected_rows[day], day
        assert _figures(client, day) == expected[day], day


def _history_entered_after_its_days(officer, checker, capture):
    """The story's days snapshotted as they were (nothing yet), then its history entered today from the archive."""
    for day in DAYS:
        rollup_reconcile(snapshot_day=day)
    with capture(execute=True):
        _entered_today(officer, checker, archive=True)
    rollup_reconcile(snapshot=False)


def test_the_dashboard_the_exports_and_the_pdf_take_the_day(people, client, django_capture_on_commit_callbacks):
    officer, checker, admin = people
    _history_entered_after_its_days(officer, checker, django_capture_on_commit_callbacks)
    client.force_login(admin)

    def figure(day, name):
        page = client.get(f"/dasbor/{PATI}/", {"as_of": day.isoformat()} if day else {}).content.decode()
        start = page.index(f'data-figure="{name}">') + len(f'data-figure="{name}">')
        return page[start:page.index("<", start)]

    assert figure(None, "legal") == "1" and figure(D2, "legal") == "0" and figure(D3, "legal") == "1"
    assert figure(D0, "cooperatives") == "0" and figure(D1, "cooperatives") == "1"
    page = client.get(f"/dasbor/{PATI}/", {"as_of": D2.isoformat()}).content.decode()
    assert 'type="date"' in page and 'id="as-of-notice"' in page
    assert f'name="as_of" value="{D2.isoformat()}"' in page  # the exports and the report are of that day too
    missing = client.get(f"/dasbor/{PATI}/", {"as_of": (TODAY - timedelta(days=400)).isoformat()}).content.decode()
    assert 'role="alert"' in missing  # no figures saved for that day: said, and today's shown

    with django_capture_on_commit_callbacks(execute=True):
        job = export_request(user=admin, kind="children", fmt="xlsx", code=PATI,
                             params={"k": "1", "as_of": D2.isoformat()})
    job.refresh_from_db()
    sheet = load_workbook(io.BytesIO(job.file.read())).active
    rows = {row[0]: row for row in sheet.iter_rows(values_only=True) if row and row[0] in (PATI, SUKOLILO)}
    assert rows[SUKOLILO][3] == 1 and rows[SUKOLILO][5] == 0  # one cooperative, no legal entity yet on D2

    with django_capture_on_commit_callbacks(execute=True):
        report = export_request(user=admin, kind="report", fmt="pdf", code=PATI, params={"as_of": D2.isoformat()})
    report.refresh_from_db()
    assert report.status == "done" and report.file.read().startswith(b"%PDF")


def test_backdated_entries_rebuild_only_the_affected_snapshots(people, django_capture_on_commit_callbacks):
    officer, checker, _admin = people
    blitar = register(make_user(Role.KABUPATEN_OFFICER, "35.05"), "35.05.01.2001")
    snapshot_backfill(D0, TODAY - timedelta(days=1))
    before = {(row.day, row.code): row.pk for row in RegionSnapshot.objects.all()}
    assert not any(code.startswith("33") for _day, code in before)  # Blitar's only (registered today: none)
    cooperative = register(officer, PRAWOTO)
    with django_capture_on_commit_callbacks(execute=True):
        progress = cooperative.stages.get(stage__code="sosialisasi")
        documents = [(doc.code, pdf_upload(f"{doc.code}.pdf")) for doc in progress.stage.required_documents.all()]
        stage_record_from_archive(actor=checker, progress=progress, completed_on=D2, note="Arsip Dinas 2026",
                                  data=_dated("sosialisasi", D2), documents=documents)
    rows = {(row.day, row.code): row for row in RegionSnapshot.objects.all()}
    touched = {key for key, row in rows.items() if key not in before}
    # Pati's kecamatan, kabupaten, province and the nation, from D2 on; nothing before D2, nothing in Blitar.
    assert {code for _day, code in touched} == {SUKOLILO, PATI, "33", "ID"}
    assert min(day for day, _code in touched) == D2
    assert all(rows[(day, SUKOLILO)].stage_1 == 1 for day in DAYS[2:])
    assert rows[(D3, "ID")].cooperatives == 1 and blitar.pk
    assert not RegionSnapshot.objects.filter(code__startswith="35", cooperatives__gt=0).exists()
    assert not BackdatedVillage.objects.exists()


def test_stalled_counts_from_event_dates_and_spares_an_operating_cooperative(people):
    officer, checker, _admin = people
    cooperative = register(officer, PRAWOTO)
    progress = cooperative.stages.get(stage__code="sosialisasi")
    documents = [(doc.code, pdf_upload(f"{doc.code}.pdf")) for doc in progress.stage.required_documents.all()]
    stage_record_from_archive(actor=checker, progress=progress, completed_on=TODAY - timedelta(days=200),
                              note="Arsip Dinas 2026", data=_dated("sosialisasi", TODAY - timedelta(days=200)),
                              documents=documents)
    assert Cooperative.objects.stalled(days=60).filter(pk=cooperative.pk).exists()
    # Brought in from history while already serving its members: not stalled, however old its last stage.
    Cooperative.objects.filter(pk=cooperative.pk).update(operational_since=TODAY - timedelta(days=100))
    assert not Cooperative.objects.stalled(days=60).filter(pk=cooperative.pk).exists()


def test_the_history_rebuild_equals_recomputing_every_day(people):
    """The fast path (each day = the day before + that day's changes) writes what recomputing every day writes."""
    officer, checker, _admin = people
    _entered_today(officer, checker, archive=True)
    # Pakem: one stage long ago, stalled since (the day it turns stalled falls inside the run).
    pakem = register(officer, "33.18.01.2002")
    progress = pakem.stages.get(stage__code="sosialisasi")
    documents = [(doc.code, pdf_upload(f"{doc.code}.pdf")) for doc in progress.stage.required_documents.all()]
    long_ago = TODAY - timedelta(days=100)
    stage_record_from_archive(actor=checker, progress=progress, completed_on=long_ago, note="Arsip Dinas 2026",
                              data=_dated("sosialisasi", long_ago), documents=documents)
    visit_log(actor=officer, village_code="33.18.01.2002", visited_on=TODAY - timedelta(days=85), topic="Kunjungan")
    start, end = TODAY - timedelta(days=120), TODAY - timedelta(days=1)

    def snapshots():
        return {(row["day"], row["code"]): row for row in RegionSnapshot.objects.values("day", "code", *METRIC_COLUMNS)
                if any(row[name] for name in METRIC_COLUMNS)}

    snapshot_backfill(start, end, day_by_day=True)
    every_day = snapshots()
    assert any(row["stalled"] for row in every_day.values()) and any(row["visits_30d"] for row in every_day.values())
    RegionSnapshot.objects.all().delete()
    snapshot_backfill(start, end)
    assert snapshots() == every_day


def test_manage_rollup_since_rebuilds_from_that_day(people):
    from django.core.management import call_command

    from reports.models import SnapshotDay

    call_command("rollup", "--since", D3.isoformat(), stdout=io.StringIO())
    days = set(SnapshotDay.objects.values_list("day", flat=True))
    assert {D3 + timedelta(days=offset) for offset in range((TODAY - D3).days)} <= days and D2 not in days


def test_a_past_days_dashboard_shows_its_targets_as_they_stood_and_no_follow_up_list(
        people, client, django_capture_on_commit_callbacks):
    """
    The targets card of a past day counts what was achieved by its end (its snapshot), and leaves out targets set
    to start later; the "not updated" list, a follow-up list of today, is not shown for a past day.
    """
    officer, checker, admin = people
    _history_entered_after_its_days(officer, checker, django_capture_on_commit_callbacks)
    target_create(actor=officer, region_code=PATI, metric="stage", stage_code="sk_ahu", start_date=D1,
                  due_date=TODAY + timedelta(days=90), target_count=10, title="SK AHU Pati")
    target_create(actor=officer, region_code=PATI, metric="stage", stage_code="operasional", start_date=D2,
                  due_date=TODAY + timedelta(days=90), target_count=10, title="Operasional Pati")
    client.force_login(admin)

    def targets_card(day):
        page = client.get(f"/dasbor/{PATI}/", {"as_of": day.isoformat()} if day else {}).content.decode()
        card = page[page.index('id="targets"'):]
        return card[:card.index("</section>")], page

    today_card, today_page = targets_card(None)
    assert "1 / 10" in today_card and "Operasional Pati" in today_card
    assert "Daftar hari ini" not in today_page
    before_sk_ahu, page = targets_card(D2)
    assert "0 / 10" in before_sk_ahu and "SK AHU Pati" in before_sk_ahu
    assert "Operasional Pati" in before_sk_ahu  # started on D2: set by then
    started_later, _page = targets_card(D1)
    assert "SK AHU Pati" in started_later and "Operasional Pati" not in started_later
    after_sk_ahu, _page = targets_card(D3)
    assert "1 / 10" in after_sk_ahu
    assert "Daftar hari ini" in page and "tanpa pembaruan" in page
