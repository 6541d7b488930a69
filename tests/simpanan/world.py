"""Savings rows of a cooperative for tests that need real ids (the API fuzzing)."""

from datetime import date

from django.utils import timezone

from members.models import Member
from simpanan import services
from simpanan.models import Bill


def savings_world(actor, cooperative) -> dict[str, list[int]]:
    """Amounts, a month of wajib bills, a payment, a deposit and a draft SHU; the ids of each API route."""
    setting = services.savings_setting_add(actor=actor, cooperative=cooperative, effective_from=date(2025, 1, 1),
                                           pokok_amount=100_000, wajib_amount=10_000, wajib_period="monthly")
    today = timezone.localdate()
    services.wajib_bills_generate(today=today, cooperative_id=cooperative.pk)
    bills = list(Bill.objects.filter(cooperative=cooperative).order_by("pk")[:3])
    member = bills[0].member
    payment = services.bill_pay(actor=actor, bill=bills[0], amount=5_000, transaction_date=today)
    deposit = services.sukarela_deposit(actor=actor, member=member, amount=20_000, transaction_date=today)
    # Members of last year: its SHU is theirs (a year before anyone joined is refused).
    Member.objects.filter(cooperative=cooperative).update(joined_on=date(today.year - 1, 1, 1))
    shu = services.shu_distribution_create(actor=actor, cooperative=cooperative, year=today.year - 1, surplus=1_000_000,
                                           jasa_modal_bp=3000, jasa_usaha_bp=2000,
                                           other_allocations={"cadangan": 5000})
    return {
        "/api/savings-settings/": [setting.pk],
        "/api/savings-bills/": [bill.pk for bill in bills],
        "/api/savings-postings/": [payment.pk, deposit.pk],
        "/api/savings-balances/": [member.pk],
        "/api/shu-distributions/": [shu.pk],
        "/api/shu-lines/": list(shu.lines.values_list("pk", flat=True)[:2]),
    }
