"""
The land columns of the roll-up (plots recorded / verified / under construction / handed over) equal a live
aggregation after random changes through the services, by region and by federation, incrementally and after the
full reconcile; and the dated rebuild of past days counts plots as they stood.
"""

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

from pembangunan import services
from pembangunan.models import LandPlot
from reports.metrics import LAND_COLUMNS
from reports.models import RegionRollup
from reports.services import rollup_reconcile
from tests.conftest import pdf_upload
from tests.pembangunan.conftest import photo_upload
from tests.pembangunan.conftest import record
from tests.pembangunan.conftest import start_project
from tests.reports.live import live_counts
from tests.reports.live import nonzero
from tests.reports.live import stored_counts
from tests.reports.test_federation_rollup import FederationWorld
from tests.reports.test_federation_rollup import live_federation_rows
from tests.reports.test_federation_rollup import stored_federation_rows
from tests.reports.test_rollup_consistency import VILLAGES

pytestmark = pytest.mark.django_db

LAND_STEPS = ("record", "survey", "verify", "reject", "build", "finish", "hand_over")

operations = st.lists(
    st.one_of(
        st.tuples(st.just("register"), st.sampled_from(VILLAGES), st.just("baru")),
        st.tuples(st.just("join"), st.integers(0, 1), st.sampled_from(VILLAGES)),
        st.tuples(st.just("land"), st.sampled_from(VILLAGES), st.sampled_from(LAND_STEPS), st.integers(0, 2)),
    ),
    min_size=6,
    max_size=24,
)


class LandWorld(FederationWorld):
    def apply(self, operation):
        if operation[0] != "land":
            return super().apply(operation)
        _kind, village, step, which = operation
        cooperative = self.cooperative(village)
        if cooperative is None:
            return
        plots = list(LandPlot.objects.filter(cooperative=cooperative).order_by("pk"))
        today = timezone.localdate()
        if step == "record" or not plots:
            record(self.clerk, cooperative, name=f"Lahan {len(plots) + 1}")
            return
        plot = plots[which % len(plots)]
        if step == "survey" and plot.status in ("proposed", "rejected"):
            services.plot_survey(actor=self.clerk, plot=plot, surveyed_on=today)
        elif step == "verify" and plot.status == "surveyed":
            services.plot_verify(actor=self.checker, plot=plot)
        elif step == "reject" and plot.status in ("surveyed", "verified"):
            services.plot_reject(actor=self.checker, plot=plot, reason="Status tanah belum jelas")
        elif step == "build" and plot.status == "verified":
            start_project(self.checker, plot)
        elif step == "finish" and plot.status == "construction":
            for project in plot.projects.filter(handed_over_on__isnull=True, progress_percent__lt=100):
                services.progress_report_add(actor=self.clerk, project=project, reported_on=today, percent=100,
                                             photos=[photo_upload()])
        elif step == "hand_over" and plot.status == "construction":
            for project in plot.projects.filter(handed_over_on__isnull=True, progress_percent=100):
                services.project_hand_over(actor=self.checker, project=project, handed_over_on=today,
                                           upload=pdf_upload())


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(operations)
def test_land_rollup_equals_live_aggregation_by_region_and_federation(django_capture_on_commit_callbacks, steps):
    with transaction.atomic():
        world = LandWorld()
        for step in steps:
            with django_capture_on_commit_callbacks(execute=True):
                world.apply(step)
        live = nonzero(live_counts())
        assert stored_counts() == live
        assert stored_federation_rows(world.federations) == live_federation_rows(world.federations)
        rollup_reconcile(snapshot=False)
        assert stored_counts() == live
        assert stored_federation_rows(world.federations) == live_federation_rows(world.federations)
        transaction.set_rollback(True)


def test_each_step_moves_the_kabupaten_row(village_staff, cooperative, dinas, django_capture_on_commit_callbacks):
    def pati():
        row = RegionRollup.objects.filter(code="33.18").first()
        return tuple(getattr(row, name) for name in LAND_COLUMNS) if row else (0, 0, 0, 0)

    today = timezone.localdate()
    with django_capture_on_commit_callbacks(execute=True):
        plot = record(village_staff, cooperative)
    assert pati() == (1, 0, 0, 0)
    with django_capture_on_commit_callbacks(execute=True):
        services.plot_survey(actor=village_staff, plot=plot, surveyed_on=today)
        services.plot_verify(actor=dinas, plot=plot)
    assert pati() == (1, 1, 0, 0)
    with django_capture_on_commit_callbacks(execute=True):
        project = start_project(dinas, plot)
    assert pati() == (1, 1, 1, 0)
    with django_capture_on_commit_callbacks(execute=True):
        services.progress_report_add(actor=village_staff, project=project, reported_on=today, percent=100,
                                     photos=[photo_upload()])
        services.project_hand_over(actor=dinas, project=project, handed_over_on=today, upload=pdf_upload())
    assert pati() == (1, 1, 0, 1)


def test_snapshots_rebuilt_for_past_days_count_plots_as_they_stood(village_staff, cooperative, dinas):
    from reports.models import RegionSnapshot
    from reports.services import snapshot_backfill

    plot = record(village_staff, cooperative)
    services.plot_survey(actor=village_staff, plot=plot, surveyed_on=timezone.localdate())
    services.plot_verify(actor=dinas, plot=plot)
    LandPlot.objects.filter(pk=plot.pk).update(created_at=timezone.now() - timedelta(days=3),
                                               verified_at=timezone.now() - timedelta(days=1))
    today = timezone.localdate()
    snapshot_backfill(today - timedelta(days=2), today - timedelta(days=1))
    rows = {row.day: (row.land_plots, row.land_verified)
            for row in RegionSnapshot.objects.filter(code="33.18").order_by("day")}
    assert rows[today - timedelta(days=2)] == (1, 0)
    assert rows[today - timedelta(days=1)] == (1, 1)
