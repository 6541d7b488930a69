"""Simpanan wajib billed by beat each period, idempotently; simpanan pokok once at admission."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from members.models import MemberStatus
from members.services import member_remove
from simpanan import services
from simpanan.checks import savings_discrepancies
from simpanan.models import Bill
from simpanan.models import CooperativeSavings
from simpanan.tasks import bill_wajib
from tests.simpanan.conftest import add_members

pytestmark = pytest.mark.django_db


def test_repeated_beat_runs_bill_each_active_member_once_per_period(village_staff, coop, members):
    add_members(coop, 2, start=50, status=MemberStatus.KELUAR)  # left: not billed
    add_members(coop, 1, start=60, joined_on=date(2025, 7, 2))  # joins after June: not billed for June
    assert services.wajib_bills_generate(today=date(2025, 6, 3)) == 5
    for _run in range(3):
        assert services.wajib_bills_generate(today=date(2025, 6, 20)) == 0
    assert Bill.objects.filter(kind="wajib").count() == 5
    assert CooperativeSavings.objects.get(pk=coop.pk).arrears == 50_000
    assert services.wajib_bills_generate(today=date(2025, 7, 1)) == 6  # July: the new member too
    assert set(Bill.objects.filter(kind="wajib").values_list("period", flat=True)) == {date(2025, 6, 1),
                                                                                       date(2025, 7, 1)}
    assert CooperativeSavings.objects.get(pk=coop.pk).arrears == 110_000


def test_the_beat_task_bills_the_current_period_and_pokok_of_bulk_admitted_members(village_staff, coop, members):
    services.opening_balance_post(member=members[0], kind="pokok", amount=100_000, as_of=date(2025, 1, 1),
                                  actor=village_staff)  # covered: no pokok bill
    services.opening_balance_post(member=members[1], kind="pokok", amount=40_000, as_of=date(2025, 1, 1),
                                  actor=village_staff)  # partly covered: billed the rest
    assert bill_wajib.delay().get() == 5 + 4
    assert bill_wajib.delay().get() == 0
    pokok = dict(Bill.objects.filter(kind="pokok").values_list("member_id", "amount"))
    assert members[0].pk not in pokok and pokok[members[1].pk] == 60_000 and pokok[members[2].pk] == 100_000


def test_a_yearly_wajib_is_billed_once_a_year_with_the_amount_in_force(village_staff, coop, members):
    services.savings_setting_add(actor=village_staff, cooperative=coop, effective_from=date(2026, 1, 1),
                                 pokok_amount=100_000, wajib_amount=120_000, wajib_period="yearly")
    assert services.wajib_bills_generate(today=date(2025, 12, 5)) == 5  # the monthly amount of 2025
    assert services.wajib_bills_generate(today=date(2026, 1, 5)) == 5
    assert services.wajib_bills_generate(today=date(2026, 8, 5)) == 0
    yearly = Bill.objects.filter(period=date(2026, 1, 1))
    assert set(yearly.values_list("amount", flat=True)) == {120_000}


def test_pokok_is_billed_once_at_admission(village_staff, coop):
    (member,) = add_members(coop, 1)
    first = services.pokok_bill_create(member=member)
    assert first.amount == 100_000
    assert services.pokok_bill_create(member=member).pk == first.pk
    assert Bill.objects.filter(member=member, kind="pokok").count() == 1
    services.bill_pay(actor=village_staff, bill=first, amount=100_000, transaction_date=date(2025, 2, 1))
    assert CooperativeSavings.objects.get(pk=coop.pk).pokok == 100_000
    assert CooperativeSavings.objects.get(pk=coop.pk).arrears == 0  # arrears count simpanan wajib only


def test_pokok_already_covered_by_an_opening_balance_is_not_billed(village_staff, coop):
    (member,) = add_members(coop, 1)
    services.opening_balance_post(member=member, kind="pokok", amount=100_000, as_of=date(2024, 3, 1),
                                  actor=village_staff)
    assert services.pokok_bill_create(member=member) is None


def test_a_member_removed_from_the_register_takes_their_unpaid_bills_out_of_the_arrears(village_staff, coop,
                                                                                      members):
    services.wajib_bills_generate(today=date(2025, 6, 1))
    member_remove(actor=village_staff, member=members[0])  # a typing mistake, nothing paid yet
    assert CooperativeSavings.objects.get(pk=coop.pk).arrears == 40_000
    assert all(result.ok for result in savings_discrepancies())
    services.sukarela_deposit(actor=village_staff, member=members[1], amount=1_000, transaction_date=date(2025, 6, 2))
    with pytest.raises(ValidationError, match="keluar"):  # money on the books: the member leaves instead
        member_remove(actor=village_staff, member=members[1])
