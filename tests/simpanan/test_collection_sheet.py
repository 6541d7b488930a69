"""A collection sheet: many bill payments of one cooperative posted together, all or nothing."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError

from simpanan import services
from simpanan.checks import savings_discrepancies
from simpanan.models import Bill
from simpanan.models import CooperativeSavings
from simpanan.models import MemberSavings
from simpanan.models import Posting

pytestmark = pytest.mark.django_db

DAY = date(2025, 6, 5)


def _wajib_bills(members) -> list[Bill]:
    services.wajib_bills_generate(today=date(2025, 6, 1))
    return [Bill.objects.get(member=member, kind="wajib") for member in members]


def test_a_sheet_posts_every_payment_with_its_receipt_and_moves_every_balance(village_staff, coop, members):
    bills = _wajib_bills(members)
    services.sukarela_deposit(actor=village_staff, member=members[0], amount=5_000, transaction_date=DAY)
    postings = services.bill_payments_post(actor=village_staff, cooperative=coop, transaction_date=DAY,
                                           payments=[(bills[0].pk, 10_000), (bills[1].pk, 4_000)],
                                           reference="Keliling RT 03")
    assert [posting.receipt_number for posting in postings] == ["KW/2025/000002", "KW/2025/000003"]
    assert [(p.member_id, p.amount, p.reference) for p in Posting.objects.filter(bill__isnull=False)
            .order_by("receipt_number")] == [(members[0].pk, 10_000, "Keliling RT 03"),
                                             (members[1].pk, 4_000, "Keliling RT 03")]
    assert MemberSavings.objects.get(pk=members[0].pk).wajib == 10_000
    assert MemberSavings.objects.get(pk=members[1].pk).wajib == 4_000
    bills[1].refresh_from_db()
    assert bills[1].outstanding == 6_000
    totals = CooperativeSavings.objects.get(pk=coop.pk)
    assert (totals.wajib, totals.sukarela, totals.arrears) == (14_000, 5_000, 5 * 10_000 - 14_000)
    assert all(result.ok for result in savings_discrepancies())


def test_a_wrong_row_refuses_the_whole_sheet_naming_each_row(village_staff, coop, members):
    bills = _wajib_bills(members)
    services.bill_pay(actor=village_staff, bill=bills[2], amount=10_000, transaction_date=DAY)
    with pytest.raises(ValidationError) as refused:
        services.bill_payments_post(actor=village_staff, cooperative=coop, transaction_date=DAY, payments=[
            (bills[0].pk, 10_000), (bills[1].pk, 10_001), (bills[2].pk, 1_000), (bills[0].pk, 1),
            (999_999, 1_000), (bills[3].pk, 0)])
    assert refused.value.message_dict["payments"] == [
        "Row 2: The bill still owes Rp 10,000; enter at most that.",
        "Row 3: This bill is already paid in full.",
        "Row 4: This bill is already on the sheet.",
        "Row 5: No such bill in this cooperative.",
        "Row 6: The amount must be more than Rp 0.",
    ]
    assert Posting.objects.count() == 1 and not MemberSavings.objects.filter(pk=members[0].pk, wajib__gt=0).exists()
    assert CooperativeSavings.objects.get(pk=coop.pk).arrears == 5 * 10_000 - 10_000


def test_only_the_cooperatives_own_book_keepers_post_a_sheet(pati_officer, coop, members):
    bills = _wajib_bills(members)
    with pytest.raises(PermissionDenied):
        services.bill_payments_post(actor=pati_officer, cooperative=coop, transaction_date=DAY,
                                    payments=[(bills[0].pk, 10_000)])
    assert not Posting.objects.exists()
