"""
A federation's roll-up row equals the live aggregation over its members of today (member villages and the seats
of member cooperatives, each once), after random changes through the services (the incremental path) and after
the nightly reconcile, which also catches a member whose date came without any write.
"""

from collections import Counter
from datetime import date
from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

from bumdes import services as bumdes_services
from bumdes.models import FederationVillage
from bumdes.selectors import member_village_codes
from reports.metrics import METRIC_COLUMNS
from reports.models import FederationRollup
from reports.services import rollup_reconcile
from tests.reports.live import live_counts
from tests.reports.test_rollup_consistency import VILLAGES
from tests.reports.test_rollup_consistency import World
from tests.reports.test_rollup_consistency import operations as village_operations

pytestmark = pytest.mark.django_db

membership_operations = st.lists(
    st.one_of(
        st.tuples(st.just("join"), st.integers(0, 1), st.sampled_from(VILLAGES)),
        st.tuples(st.just("leave"), st.integers(0, 1), st.sampled_from(VILLAGES)),
        st.tuples(st.just("join_cooperative"), st.integers(0, 1), st.sampled_from(VILLAGES)),
    ),
    min_size=2,
    max_size=10,
)


class FederationWorld(World):
    def __init__(self):
        super().__init__()
        self.federations = [
            bumdes_services.federation_register(actor=self.clerk, kind="secondary_cooperative",
                                                name="Koperasi Sekunder Uji", seat_code=VILLAGES[0]),
            bumdes_services.federation_register(actor=self.clerk, kind="company", name="PT Uji Bersama",
                                                seat_code=VILLAGES[1]),
        ]

    def apply(self, operation):
        kind, *rest = operation
        if kind not in ("join", "leave", "join_cooperative"):
            return super().apply(operation)
        federation, village = self.federations[rest[0]], rest[1]
        today = timezone.localdate()
        current = FederationVillage.objects.filter(federation=federation, village_id=village, left_on__isnull=True)
        if kind == "join" and not current.exists():
            started = FederationVillage.objects.filter(federation=federation, village_id=village).exists()
            bumdes_services.federation_village_join(actor=self.clerk, federation=federation, village_code=village,
                                                    joined_on=today if started else today - timedelta(days=30))
        elif kind == "leave" and current.exists() and current.get().joined_on < today:
            bumdes_services.membership_update(actor=self.clerk, membership=current.get(), left_on=today)
        elif kind == "join_cooperative":
            cooperative = self.cooperative(village)
            if cooperative and not cooperative.federation_memberships.filter(federation=federation).exists():
                bumdes_services.federation_cooperative_join(actor=self.clerk, federation=federation,
                                                            cooperative=cooperative, joined_on=date(2025, 8, 1))


def live_federation_rows(federations) -> dict[int, dict[str, int]]:
    """Each federation's counts, summed in Python over the live counts of its members of today."""
    villages = live_counts()
    rows = {}
    for federation in federations:
        total = Counter()
        for code in member_village_codes([federation.pk], timezone.localdate()):
            total.update(villages.get(code, {}))
        rows[federation.pk] = {name: total.get(name, 0) for name in METRIC_COLUMNS}
    return rows


def stored_federation_rows(federations) -> dict[int, dict[str, int]]:
    stored = {row.federation_id: row.metrics() for row in FederationRollup.objects.all()}
    zero = dict.fromkeys(METRIC_COLUMNS, 0)
    return {federation.pk: stored.get(federation.pk, zero) for federation in federations}


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(village_operations, membership_operations, village_operations)
def test_federation_rows_equal_the_live_sum_over_todays_members(django_capture_on_commit_callbacks, before,
                                                                 memberships, after):
    with transaction.atomic():
        world = FederationWorld()
        for step in [*before, *memberships, *after]:
            with django_capture_on_commit_callbacks(execute=True):
                world.apply(step)
        live = live_federation_rows(world.federations)
        assert stored_federation_rows(world.federations) == live
        rollup_reconcile(snapshot=False)
        assert stored_federation_rows(world.federations) == live
        transaction.set_rollback(True)


def test_a_member_whose_day_came_without_a_write_is_counted_by_the_reconcile(village_staff, pati_officer,
                                                                              django_capture_on_commit_callbacks):
    from tests.conftest import register

    with django_capture_on_commit_callbacks(execute=True):
        register(village_staff)
        federation = bumdes_services.federation_register(actor=pati_officer, kind="company", name="PT Uji",
                                                         seat_code="33.18.01.2001")
        bumdes_services.federation_village_join(actor=pati_officer, federation=federation,
                                                village_code="33.18.01.2001",
                                                joined_on=timezone.localdate() + timedelta(days=1))
    assert FederationRollup.objects.get(federation=federation).cooperatives == 0  # not a member yet
    # The day comes: nothing is written, the row is stale until the nightly reconcile.
    FederationVillage.objects.filter(federation=federation).update(joined_on=timezone.localdate())
    assert FederationRollup.objects.get(federation=federation).cooperatives == 0
    rollup_reconcile(snapshot=False)
    row = FederationRollup.objects.get(federation=federation)
    assert (row.cooperatives, row.villages) == (1, 1)


def test_a_federation_page_dates_its_membership_apart_from_its_figures(client, village_staff, pati_officer,
                                                                       django_capture_on_commit_callbacks):
    """
    A village joining recomputes the federation's row alone, from village figures as fresh as the country's: the
    page keeps the country's time for the figures and says when the membership was last counted.
    """
    from reports.models import RollupState
    from reports.selectors import _MEMO
    from tests.conftest import register

    with django_capture_on_commit_callbacks(execute=True):
        register(village_staff)
        federation = bumdes_services.federation_register(actor=pati_officer, kind="company", name="PT Uji",
                                                         seat_code="33.18.01.2001")
    rollup_reconcile(snapshot=False)
    RollupState.objects.filter(pk=1).update(reconciled_at=timezone.now() - timedelta(hours=3), refreshed_at=None)
    with django_capture_on_commit_callbacks(execute=True):
        bumdes_services.federation_village_join(actor=pati_officer, federation=federation,
                                                village_code="33.18.01.2001", joined_on=timezone.localdate())
    row = FederationRollup.objects.get(federation=federation)
    assert row.villages == 1
    _MEMO.clear()
    client.force_login(pati_officer)
    page = client.get(f"/dasbor/federasi/{federation.pk}/")
    assert page.context_data["freshness"].as_of == RollupState.objects.get(pk=1).as_of < row.updated_at
    assert 'id="members-as-of"' in page.content.decode() and "Keanggotaan per" in page.content.decode()
