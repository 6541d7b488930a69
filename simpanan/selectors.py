"""Reads of the savings: balances, bills, arrears, statements. Every read starts from the user's scope."""

from __future__ import annotations

from django.db import connection
from django.db.models import Count
from django.db.models import F
from django.db.models import Sum
from django.utils import timezone

from core.roles import Action

from .models import Bill
from .models import BillKind
from .models import CooperativeSavings
from .models import MemberSavings
from .models import Posting
from .models import ShuLine
from .models import ShuStatus
from .services import setting_on

__all__ = [
    "arrears_for",
    "cooperative_totals",
    "member_balance",
    "member_shu_lines",
    "member_statement",
    "savings_section",
]


def cooperative_totals(cooperative) -> CooperativeSavings:
    """The cooperative's maintained totals (zeros before its first posting)."""
    return (CooperativeSavings.objects.filter(pk=cooperative.pk).first()
            or CooperativeSavings(cooperative=cooperative))


def member_balance(member) -> MemberSavings:
    """A member's maintained balances (one primary-key read)."""
    return MemberSavings.objects.filter(pk=member.pk).first() or MemberSavings(member=member,
                                                                              cooperative_id=member.cooperative_id)


def savings_section(cooperative) -> dict:
    """The savings card of the cooperative page."""
    totals = cooperative_totals(cooperative)
    return {"cooperative": cooperative, "totals": totals, "setting": setting_on(cooperative.pk, timezone.localdate()),
            "members_in_arrears": arrears_count(cooperative)}


def arrears_count(cooperative) -> int:
    return (Bill.objects.filter(cooperative=cooperative, kind=BillKind.WAJIB, paid_amount__lt=F("amount"))
            .values("member_id").distinct().count())


_ARREARS_SQL = """
SELECT b.member_id, m.name, m.member_number, COUNT(*) AS periods, SUM(b.amount - b.paid_amount) AS owed,
       MIN(b.period) AS oldest
FROM simpanan_bill b JOIN members_member m ON m.id = b.member_id
WHERE b.cooperative_id = %s AND b.kind = 'wajib' AND b.paid_amount < b.amount
GROUP BY b.member_id, m.name, m.member_number
ORDER BY periods DESC, owed DESC, m.name
LIMIT %s OFFSET %s
"""


def arrears_for(cooperative, *, limit: int = 100, offset: int = 0) -> list[dict]:
    """
    Members of the cooperative with unpaid simpanan wajib: how many periods (months, or years for a yearly
    wajib) and how much, oldest period first owed. Read from the partial index of open bills.
    """
    with connection.cursor() as cursor:
        cursor.execute(_ARREARS_SQL, [cooperative.pk, limit, offset])
        columns = [column[0] for column in cursor.description]
        return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]


def member_statement(member, *, date_from=None, date_to=None):
    """The member's ledger entries, oldest first, with the running balance per kind."""
    postings = Posting.objects.filter(member=member).select_related("recorded_by").order_by(
        "transaction_date", "recorded_at", "id")
    if date_from:
        postings = postings.filter(transaction_date__gte=date_from)
    if date_to:
        postings = postings.filter(transaction_date__lte=date_to)
    return postings


def member_open_bills(member):
    return Bill.objects.filter(member=member, paid_amount__lt=F("amount")).order_by("period")


def member_shu_lines(member):
    return (ShuLine.objects.filter(member=member, distribution__status__in=[ShuStatus.REVIEWED, ShuStatus.POSTED])
            .select_related("distribution").order_by("-distribution__year"))


def totals_within(user, action: Action = Action.VIEW) -> dict:
    """The savings totals of the cooperatives in the user's area (officers' view)."""
    return CooperativeSavings.objects.for_user(user, action).aggregate(
        pokok=Sum("pokok"), wajib=Sum("wajib"), sukarela=Sum("sukarela"), arrears=Sum("arrears"),
        cooperatives=Count("pk"))
