"""Reads of the savings: balances, bills, arrears, statements. Every read starts from the user's scope."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db import connection
from django.db.models import Count
from django.db.models import F
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

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
    "area_cooperatives",
    "arrears_count",
    "arrears_for",
    "cooperative_totals",
    "member_balance",
    "member_balances",
    "member_open_bills",
    "member_shu_lines",
    "member_statement",
    "reversed_ids",
    "savings_section",
    "shu_allocations",
    "totals_within",
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
        rows = [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]
    for row in rows:
        if isinstance(row["oldest"], str):  # SQLite (the quickstart) answers a raw MIN(date) as text
            row["oldest"] = date.fromisoformat(row["oldest"])
    return rows


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


def member_balances(cooperative, *, query: str = ""):
    """
    The cooperative's members with their maintained balances, by name; ``query`` is part of a name or a member
    number, with or without its leading zeros (12 finds 00012, as the SHU list reads numbers).
    """
    members = cooperative.members.select_related("savings").order_by("name", "pk")
    query = query.strip()[:100]
    if query.isascii() and query.isdigit():
        number = query.lstrip("0") or "0"
        members = members.filter(name__icontains=query) | members.filter(member_number__regex=rf"^0*{number}$")
    elif query:
        members = members.filter(name__icontains=query) | members.filter(member_number=query)
    return members


def reversed_ids(postings) -> set[int]:
    """Which of these postings have been reversed (to hide their reverse button)."""
    return set(Posting.objects.filter(reverses__in=[posting.pk for posting in postings])
               .values_list("reverses_id", flat=True))


def shu_allocations(distribution) -> list[dict]:
    """The allocations of a SHU with their share and amount, in the order entered."""
    shares = {"jasa_modal": distribution.jasa_modal_bp, "jasa_usaha": distribution.jasa_usaha_bp,
              **distribution.other_allocations}
    labels = {"jasa_modal": _("Jasa modal (members' savings)"), "jasa_usaha": _("Jasa usaha (members' transactions)"),
              "undistributed": _("Not distributed (no basis), kept by the cooperative")}
    amounts = distribution.allocation_amounts or {}
    return [{"name": labels.get(name, name),
             "percent": Decimal(shares[name]) / 100 if name in shares else None, "amount": amount}
            for name, amount in amounts.items()]


def area_cooperatives(user):
    """The cooperatives of the user's area with their savings totals, most arrears first."""
    return (CooperativeSavings.objects.for_user(user).select_related("cooperative", "cooperative__village")
            .order_by("-arrears", "cooperative__name"))
