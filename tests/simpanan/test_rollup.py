"""The cooperatives' savings totals in the roll-ups by region and by federation, equal to the ledger."""

from datetime import date
from datetime import timedelta

import pytest
from django.utils import timezone

from bumdes import services as bumdes_services
from reports.models import FederationRollup
from reports.models import RegionRollup
from reports.services import rollup_reconcile
from simpanan import services
from tests.conftest import PRAWOTO
from tests.reports.live import live_counts
from tests.reports.live import nonzero
from tests.reports.live import stored_counts

pytestmark = pytest.mark.django_db

SAVINGS = ("savings_pokok", "savings_wajib", "savings_sukarela", "savings_arrears")


def test_postings_refresh_the_region_rollup_and_equal_the_ledger(village_staff, coop, members,
                                                                 django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.wajib_bills_generate(today=date(2025, 6, 1))
    bill = members[0].savings_bills.get()
    with django_capture_on_commit_callbacks(execute=True):
        services.bill_pay(actor=village_staff, bill=bill, amount=10_000, transaction_date=date(2025, 6, 2))
    with django_capture_on_commit_callbacks(execute=True):
        services.sukarela_deposit(actor=village_staff, member=members[1], amount=3_000_000_000,
                                  transaction_date=date(2025, 6, 2))  # beyond a 32-bit integer
    with django_capture_on_commit_callbacks(execute=True):
        services.opening_balance_post(member=members[2], kind="pokok", amount=100_000, as_of=date(2025, 1, 1),
                                      actor=village_staff)
    expected = {"savings_pokok": 100_000, "savings_wajib": 10_000, "savings_sukarela": 3_000_000_000,
                "savings_arrears": 40_000}
    for code in ("33.18.01.2001", "33.18.01", "33.18", "33", "ID"):
        row = RegionRollup.objects.get(code=code)
        assert {name: getattr(row, name) for name in SAVINGS} == expected
    assert stored_counts() == nonzero(live_counts())
    rollup_reconcile(snapshot=False)
    assert stored_counts() == nonzero(live_counts())


def test_a_federation_rollup_sums_its_member_villages_savings(village_staff, coop, members, pati_officer,
                                                              django_capture_on_commit_callbacks):
    federation = bumdes_services.federation_register(actor=pati_officer, kind="secondary_cooperative",
                                                     name="Koperasi Sekunder Uji", seat_code=PRAWOTO)
    bumdes_services.federation_village_join(actor=pati_officer, federation=federation, village_code=PRAWOTO,
                                            joined_on=timezone.localdate() - timedelta(days=30))
    with django_capture_on_commit_callbacks(execute=True):
        services.sukarela_deposit(actor=village_staff, member=members[0], amount=250_000,
                                  transaction_date=date(2025, 6, 2))
    rollup_reconcile(snapshot=False)
    row = FederationRollup.objects.get(federation=federation)
    assert (row.savings_sukarela, row.cooperatives) == (250_000, 1)
