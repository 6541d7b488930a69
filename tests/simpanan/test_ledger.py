"""
The savings ledger: balances always equal the ledger, sukarela never goes below zero, bills follow their
payments, corrections are reversals, and the books cannot be edited by any route.
"""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError
from django.db import connection
from django.db import transaction
from hypothesis import HealthCheck
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

from simpanan import services
from simpanan.checks import savings_discrepancies
from simpanan.models import Bill
from simpanan.models import CooperativeSavings
from simpanan.models import MemberSavings
from simpanan.models import Posting

pytestmark = pytest.mark.django_db

DAY = date(2025, 6, 15)

operations = st.lists(
    st.one_of(
        st.tuples(st.just("deposit"), st.integers(0, 2), st.integers(1, 50_000)),
        st.tuples(st.just("withdraw"), st.integers(0, 2), st.integers(1, 60_000)),
        st.tuples(st.just("pay"), st.integers(0, 2), st.integers(1, 15_000)),
        st.tuples(st.just("opening"), st.integers(0, 2), st.sampled_from(["pokok", "wajib", "sukarela"]),
                  st.integers(1, 200_000)),
        st.tuples(st.just("reverse"), st.integers(0, 40)),
    ),
    max_size=25,
)


def _apply(operation, *, actor, members, postings):
    kind = operation[0]
    if kind == "deposit":
        return services.sukarela_deposit(actor=actor, member=members[operation[1]], amount=operation[2],
                                         transaction_date=DAY)
    if kind == "withdraw":
        return services.sukarela_withdraw(actor=actor, member=members[operation[1]], amount=operation[2],
                                          transaction_date=DAY)
    if kind == "pay":
        bill = Bill.objects.filter(member=members[operation[1]], kind="wajib").order_by("period").first()
        return services.bill_pay(actor=actor, bill=bill, amount=operation[2], transaction_date=DAY)
    if kind == "opening":
        return services.opening_balance_post(member=members[operation[1]], kind=operation[2], amount=operation[3],
                                             as_of=DAY, actor=actor)
    if not postings:
        return None
    return services.posting_reverse(actor=actor, posting=postings[operation[1] % len(postings)],
                                    reason="koreksi salah catat", transaction_date=DAY)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(operations=operations)
def test_balances_always_equal_the_ledger(village_staff, coop, members, operations):
    with transaction.atomic():
        services.wajib_bills_generate(today=date(2025, 5, 1))
        services.wajib_bills_generate(today=date(2025, 6, 1))
        postings: list[Posting] = []
        for operation in operations:
            try:
                posting = _apply(operation, actor=village_staff, members=members, postings=postings)
            except ValidationError:
                continue  # refused (over the balance, bill paid, already reversed, …): nothing may have moved
            if posting is not None:
                postings.append(posting)
            assert not MemberSavings.objects.filter(sukarela__lt=0).exists()
        problems = [result for result in savings_discrepancies() if not result.ok]
        assert problems == []
        ledger = {kind: sum(p.amount for p in Posting.objects.filter(cooperative=coop, kind=kind))
                  for kind in ("pokok", "wajib", "sukarela")}
        totals = CooperativeSavings.objects.filter(pk=coop.pk).first()
        kept = (totals.pokok, totals.wajib, totals.sukarela) if totals else (0, 0, 0)
        assert kept == tuple(ledger.values())
        transaction.set_rollback(True)


def test_withdrawal_beyond_the_balance_is_refused(village_staff, members):
    services.sukarela_deposit(actor=village_staff, member=members[0], amount=50_000, transaction_date=DAY)
    with pytest.raises(ValidationError) as refused:
        services.sukarela_withdraw(actor=village_staff, member=members[0], amount=50_001, transaction_date=DAY)
    assert "amount" in refused.value.message_dict
    services.sukarela_withdraw(actor=village_staff, member=members[0], amount=50_000, transaction_date=DAY)
    assert MemberSavings.objects.get(pk=members[0].pk).sukarela == 0


def test_a_withdrawal_dated_back_never_leaves_a_day_below_zero(village_staff, members):
    """30.000 deposited on 1 Jul: a withdrawal dated 5 Jun would show -30.000 on the June statement."""
    services.sukarela_deposit(actor=village_staff, member=members[0], amount=30_000, transaction_date=date(2025, 7, 1))
    with pytest.raises(ValidationError) as refused:
        services.sukarela_withdraw(actor=village_staff, member=members[0], amount=30_000,
                                   transaction_date=date(2025, 6, 5))
    assert "as low as Rp 0" in refused.value.message_dict["amount"][0]
    services.sukarela_deposit(actor=village_staff, member=members[0], amount=20_000, transaction_date=date(2025, 6, 1))
    # 20.000 on 5 Jun, 50.000 from 1 Jul: 20.000 may go on 5 Jun; then a later 40.000 would take July below zero.
    services.sukarela_withdraw(actor=village_staff, member=members[0], amount=20_000, transaction_date=date(2025, 6, 5))
    with pytest.raises(ValidationError):
        services.sukarela_withdraw(actor=village_staff, member=members[0], amount=40_000,
                                   transaction_date=date(2025, 6, 20))
    services.sukarela_withdraw(actor=village_staff, member=members[0], amount=30_000, transaction_date=date(2025, 7, 2))
    assert MemberSavings.objects.get(pk=members[0].pk).sukarela == 0


def test_a_members_transactions_are_not_dated_before_they_joined(village_staff, members):
    """Joined 10 Jan 2025: a deposit dated 2019 had opened a receipt series KW/2019 and entered an old SHU year."""
    for transaction_date in (date(2019, 1, 5), date(2025, 1, 9)):
        with pytest.raises(ValidationError) as refused:
            services.sukarela_deposit(actor=village_staff, member=members[0], amount=10_000,
                                      transaction_date=transaction_date)
        assert "joined on 10 Jan 2025" in refused.value.message_dict["transaction_date"][0]
    assert not Posting.objects.filter(member=members[0]).exists()
    services.sukarela_deposit(actor=village_staff, member=members[0], amount=10_000, transaction_date=date(2025, 1, 10))


def test_reversing_a_deposit_already_withdrawn_is_refused(village_staff, members):
    deposit = services.sukarela_deposit(actor=village_staff, member=members[0], amount=50_000, transaction_date=DAY)
    services.sukarela_withdraw(actor=village_staff, member=members[0], amount=30_000, transaction_date=DAY)
    with pytest.raises(ValidationError, match="below zero"):
        services.posting_reverse(actor=village_staff, posting=deposit, reason="setoran salah anggota")


def test_a_payment_and_its_reversal_reopen_the_bill_and_the_arrears(village_staff, coop, members):
    services.wajib_bills_generate(today=date(2025, 6, 1))
    bill = Bill.objects.get(member=members[0], kind="wajib")
    assert CooperativeSavings.objects.get(pk=coop.pk).arrears == 5 * 10_000
    payment = services.bill_pay(actor=village_staff, bill=bill, amount=4_000, transaction_date=DAY)  # partial
    bill.refresh_from_db()
    assert (bill.paid_amount, bill.outstanding) == (4_000, 6_000)
    with pytest.raises(ValidationError, match="at most"):
        services.bill_pay(actor=village_staff, bill=bill, amount=6_001, transaction_date=DAY)
    services.posting_reverse(actor=village_staff, posting=payment, reason="uang palsu dikembalikan")
    bill.refresh_from_db()
    assert bill.paid_amount == 0
    assert CooperativeSavings.objects.get(pk=coop.pk).arrears == 50_000
    with pytest.raises(ValidationError, match="already been reversed"):
        services.posting_reverse(actor=village_staff, posting=payment, reason="dibalik lagi")
    reversal = Posting.objects.get(reverses=payment)
    assert reversal.amount == -4_000
    with pytest.raises(ValidationError, match="cannot be reversed"):
        services.posting_reverse(actor=village_staff, posting=reversal, reason="batal koreksi")


def test_receipts_are_numbered_per_cooperative_and_year_without_gaps(village_staff, members):
    numbers = [services.sukarela_deposit(actor=village_staff, member=members[0], amount=1_000,
                                         transaction_date=day).receipt_number
               for day in (date(2025, 12, 30), date(2025, 12, 31), date(2026, 1, 1))]
    with pytest.raises(ValidationError):  # a refused posting takes no number
        services.sukarela_withdraw(actor=village_staff, member=members[1], amount=1, transaction_date=DAY)
    numbers.append(services.sukarela_deposit(actor=village_staff, member=members[1], amount=1_000,
                                             transaction_date=DAY).receipt_number)
    assert numbers == ["KW/2025/000001", "KW/2025/000002", "KW/2026/000001", "KW/2025/000003"]


def test_the_ledger_cannot_be_edited_or_deleted(village_staff, members):
    posting = services.sukarela_deposit(actor=village_staff, member=members[0], amount=1_000, transaction_date=DAY)
    posting.amount = 999_999
    with pytest.raises(ValidationError):
        posting.save()
    with pytest.raises(ValidationError):
        posting.delete()
    with pytest.raises(TypeError):
        Posting.objects.filter(pk=posting.pk).update(amount=5)
    with pytest.raises(TypeError):
        Posting.objects.filter(pk=posting.pk).delete()
    # Not even raw SQL: the database refuses it.
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE simpanan_posting SET amount = 5 WHERE id = %s", [posting.pk])
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM simpanan_posting WHERE id = %s", [posting.pk])
    posting.refresh_from_db()
    assert posting.amount == 1_000


def test_check_savings_passes_on_good_books_and_fails_loudly_on_tampered_ones(village_staff, members, capsys):
    services.sukarela_deposit(actor=village_staff, member=members[0], amount=70_000, transaction_date=DAY)
    call_command("check_savings")
    assert "All 8 savings checks passed" in capsys.readouterr().out
    MemberSavings.objects.filter(pk=members[0].pk).update(sukarela=71_000)  # a balance changed behind the ledger
    with pytest.raises(SystemExit) as exit_status:
        call_command("check_savings")
    assert exit_status.value.code == 1
    output = capsys.readouterr()
    assert "FAIL member balances = ledger: 1 row(s) differ" in output.out
    assert str(members[0].pk) in output.out
    assert "failed" in output.err


def test_a_collection_sheet_dates_no_payment_before_its_member_joined(village_staff, coop, members):
    services.wajib_bills_generate(today=date(2025, 6, 1))
    bill = Bill.objects.get(member=members[0])
    with pytest.raises(ValidationError) as refused:
        services.bill_payments_post(actor=village_staff, cooperative=coop, payments=[(bill.pk, 1_000)],
                                    transaction_date=date(2025, 1, 5))
    assert "Row 1" in refused.value.messages[0] and "joined on 10 Jan 2025" in refused.value.messages[0]
    assert not Posting.objects.filter(member=members[0]).exists()


def test_a_reversal_dated_back_never_leaves_a_later_day_below_zero(village_staff, members):
    """100 in on 1 Mar, out on 1 Apr, in again on 1 May: taking March's back as of 2 Mar would leave April at -100."""
    deposit = services.sukarela_deposit(actor=village_staff, member=members[0], amount=100_000,
                                        transaction_date=date(2025, 3, 1))
    for move, day in ((services.sukarela_withdraw, date(2025, 4, 1)), (services.sukarela_deposit, date(2025, 5, 1))):
        move(actor=village_staff, member=members[0], amount=100_000, transaction_date=day)
    with pytest.raises(ValidationError, match="below zero"):
        services.posting_reverse(actor=village_staff, posting=deposit, reason="setoran salah anggota",
                                 transaction_date=date(2025, 3, 2))
    services.posting_reverse(actor=village_staff, posting=deposit, reason="setoran salah anggota",
                             transaction_date=date(2025, 5, 2))
    assert MemberSavings.objects.get(pk=members[0].pk).sukarela == 0
