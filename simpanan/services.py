"""
Every write to a cooperative's savings. See docs/simpanan.md for the rules.

Locks are always taken in one order, so two postings never deadlock: the member's balance row
(``MemberSavings``), then the bill, then the cooperative's receipt sequence, then the cooperative's totals
(``CooperativeSavings``). The billing run locks no member row and touches the totals last.
"""

from __future__ import annotations

from datetime import date
from datetime import timedelta

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError
from django.db import connection
from django.db import transaction
from django.db.models import Exists
from django.db.models import F
from django.db.models import OuterRef
from django.db.models import Q
from django.db.models import Sum
from django.utils import formats
from django.utils import timezone
from django.utils.translation import gettext as _

from core.changes import village_backdated
from core.changes import village_changed
from core.formatting import grouped
from core.roles import Action
from core.scoping import require_scope
from core.scoping import scope_for
from core.services import has_hidden_characters
from core.services import tidy_reason
from koperasi.models import Cooperative
from members.models import Member
from members.models import MemberStatus

from .models import MAX_AMOUNT
from .models import Bill
from .models import BillKind
from .models import CooperativeSavings
from .models import EntryType
from .models import MemberSavings
from .models import Posting
from .models import ReceiptSequence
from .models import SavingsKind
from .models import SavingsSetting
from .models import ShuDistribution
from .models import ShuLine
from .models import ShuStatus
from .models import WajibPeriod
from .shu import BASIS_POINTS
from .shu import split_largest_remainder

__all__ = [
    "EARLIEST_TRANSACTION_DATE",
    "bill_forget",
    "bill_pay",
    "bill_payments_post",
    "bills_follow_status",
    "opening_balance_post",
    "period_start",
    "pokok_bill_create",
    "pokok_bills_generate",
    "posting_reverse",
    "savings_before",
    "savings_payout",
    "savings_setting_add",
    "setting_on",
    "shu_distribution_create",
    "shu_post",
    "shu_review",
    "shu_transactions_set",
    "sukarela_deposit",
    "sukarela_withdraw",
    "wajib_bills_generate",
]

EARLIEST_TRANSACTION_DATE = date(1990, 1, 1)
# A collection sheet's payments are posted in one transaction: bounded, so a sheet never holds the
# cooperative's locks for long.
MAX_SHEET_PAYMENTS = 2000
MIN_REVERSAL_REASON = 5
# The names of the two member pools among a distribution's allocations, and of what could not be distributed.
SHU_JASA_MODAL = "jasa_modal"
SHU_JASA_USAHA = "jasa_usaha"
SHU_UNDISTRIBUTED = "undistributed"


# SECTION: checks shared by the postings


def _require_savings_scope(actor, cooperative) -> None:
    require_scope(actor, Action.MANAGE_SAVINGS, cooperative.village_id)


def _clean_amount(amount, field: str = "amount") -> int:
    if isinstance(amount, bool) or not isinstance(amount, int):
        raise ValidationError({field: _("Enter an amount in whole rupiah.")})
    if amount <= 0:
        raise ValidationError({field: _("The amount must be more than Rp 0.")})
    if amount > MAX_AMOUNT:
        raise ValidationError({field: _("This amount is too large; check the number of digits.")})
    return amount


def _clean_date(value, field: str = "transaction_date") -> date:
    if not isinstance(value, date):
        raise ValidationError({field: _("Enter the date of the transaction.")})
    if value > timezone.localdate():
        raise ValidationError({field: _("The transaction date cannot be in the future.")})
    if value < EARLIEST_TRANSACTION_DATE:
        raise ValidationError({field: _("A transaction date before 1990 is a typing error; check the year.")})
    return value


def _require_member_on(member: Member, transaction_date: date, *, paying_in: bool = True) -> None:
    """
    A member's own transaction is dated from their joining (it would count in an SHU year they were not in), and
    money is paid in only until they left or died: a deposit or a payment after that had been taken as if they
    were still a member. Money going out (a withdrawal, the payout of their savings) stays open to them.
    """
    refusal = _member_day_refusal(member.name, member.joined_on, member.status, member.status_on, transaction_date,
                                  paying_in=paying_in)
    if refusal:
        raise ValidationError({"transaction_date": refusal})


def _member_day_refusal(name: str, joined_on: date | None, status: str, status_on: date | None,
                        transaction_date: date, *, paying_in: bool = True) -> str | None:
    if joined_on and transaction_date < joined_on:
        return _joined_after(name, joined_on)
    if paying_in and status != MemberStatus.AKTIF and (status_on is None or transaction_date > status_on):
        return _("%(name)s is no longer a member (%(status)s since %(date)s): nothing more is paid in after that. "
                 "If the date is wrong, correct it in the member register first.") % {
            "name": name, "status": MemberStatus(status).label.lower(),
            "date": formats.date_format(status_on) if status_on else "?"}
    return None


def _joined_after(name: str, joined_on: date) -> str:
    return _("%(name)s joined on %(joined)s; a transaction cannot be dated before that. If the joining date is wrong, "
             "correct it in the member register first.") % {"name": name, "joined": formats.date_format(joined_on)}


def savings_before(member: Member, joined_on: date) -> str | None:
    """
    Why ``member`` cannot have joined on ``joined_on``: a posting or a wajib bill of theirs dated before it (a
    joining date moved later had left them before the member joined, in the arrears and an SHU year). Registered
    with the member register (``members.extensions``).
    """
    # Only what the move would newly leave before joining (an opening balance brought in as of the day before the
    # register's first day is older than any joining date the register knows).
    was = member.joined_on
    first_posting = (Posting.objects.filter(member=member, transaction_date__gte=was, transaction_date__lt=joined_on)
                     .order_by("transaction_date").values_list("transaction_date", flat=True).first())
    first_bill = (Bill.objects.filter(member=member, kind=BillKind.WAJIB, period__gte=was.replace(day=1),
                                      period__lt=joined_on.replace(day=1))
                  .order_by("period").values_list("period", flat=True).first())
    first = min(day for day in (first_posting, first_bill, joined_on) if day is not None)
    if first == joined_on:
        return None
    return _("%(name)s has savings recorded from %(date)s (a posting or a wajib bill); the joining date cannot be "
             "after that. Reverse the wrong postings first.") % {"name": member.name,
                                                                   "date": formats.date_format(first)}


def _require_year_open(cooperative_id: int, transaction_date: date, field: str = "transaction_date") -> None:
    """
    Once a year's SHU is posted, that year's savings are closed: the SHU was shared out on them, and an entry
    dated in it afterwards (an opening balance, a late deposit) had changed the ledger under a posted SHU without
    anything to show it. A correction is dated in a later year.
    """
    if ShuDistribution.objects.filter(cooperative_id=cooperative_id, year=transaction_date.year,
                                      status=ShuStatus.POSTED).exists():
        raise ValidationError({field: _(
            "The SHU of %(year)s has been posted, so that year's savings are closed. Date the entry in a later year "
            "and say in the note what it corrects.") % {"year": transaction_date.year}})


def _lowest_balance_from(member: Member, kind: str, day: date) -> int:
    """
    The member's lowest balance of ``kind`` at the end of ``day`` and of each later day with a posting: what a
    withdrawal dated ``day`` may take without any statement from that day on showing a balance below zero.
    """
    totals = (Posting.objects.filter(member=member, kind=kind).values_list("transaction_date")
              .annotate(total=Sum("amount")).order_by("transaction_date"))
    running, on_day, later = 0, 0, []
    for when, total in totals:
        running += total
        if when <= day:
            on_day = running
        else:
            later.append(running)
    return min([on_day, *later])


def _clean_reference(value: str | None, field: str = "reference") -> str:
    text = tidy_reason(value)
    if len(text) > 200:
        raise ValidationError({field: _("Keep the note to 200 characters.")})
    return text


# SECTION: balance rows, receipts, the posting itself


def _locked_savings(member: Member) -> MemberSavings:
    """The member's balance row, created if missing, locked until the transaction ends."""
    MemberSavings.objects.bulk_create([MemberSavings(member_id=member.pk, cooperative_id=member.cooperative_id)],
                                      ignore_conflicts=True)
    return MemberSavings.objects.select_for_update().get(pk=member.pk)


def _cooperative_totals_rows(cooperative_ids: list[int]) -> None:
    CooperativeSavings.objects.bulk_create([CooperativeSavings(cooperative_id=pk) for pk in cooperative_ids],
                                           ignore_conflicts=True)


def _next_receipt_numbers(cooperative_id: int, on: date, count: int = 1) -> list[str]:
    """
    The cooperative's next ``count`` receipt numbers of the transaction's year, ``KW/2026/000001``: the
    sequence row is locked until the postings commit, and a rollback rolls the numbers back, so there are no
    gaps.
    """
    ReceiptSequence.objects.bulk_create([ReceiptSequence(cooperative_id=cooperative_id, year=on.year)],
                                        ignore_conflicts=True)
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE simpanan_receiptsequence SET last_number = last_number + %s "
            "WHERE cooperative_id = %s AND year = %s RETURNING last_number",
            [count, cooperative_id, on.year],
        )
        (last,) = cursor.fetchone()
    return [f"KW/{on.year}/{number:06d}" for number in range(last - count + 1, last + 1)]


def _earlier_submission(member: Member, submission_key, *, entry_type: str, amount: int) -> Posting | None:
    """
    The posting an earlier submission of the same form or request made for ``member`` (its key), marked
    ``repeated`` for the caller to say so, or None. Asked under the member's balance lock, which every posting of
    theirs takes first: two copies sent at once are told apart too. The same key with other details (a form sent
    back and changed, a client reusing its key) is refused rather than answered with the earlier posting.
    """
    if submission_key is None:
        return None
    posting = Posting.objects.filter(member=member, submission_key=submission_key).first()
    if posting is None:
        return None
    if (posting.entry_type, posting.amount) != (entry_type, amount):
        raise ValidationError(_("This form was already sent, with other details, and posted with receipt %(number)s. "
                                "Open the page again to post another transaction.") % {
                                    "number": posting.receipt_number})
    posting.repeated = True
    return posting


def _earlier_postings(postings) -> list[Posting]:
    """The postings an earlier submission of a many-posting form made (a sheet, a payout), marked ``repeated``."""
    earlier = list(postings.order_by("id"))
    for posting in earlier:
        posting.repeated = True
    return earlier


def _post(*, savings: MemberSavings, member: Member, kind: str, entry_type: str, amount: int,
          transaction_date: date, actor, bill: Bill | None = None, reverses: Posting | None = None,
          reference: str = "", shu_line=None, notify: bool = True, submission_key=None) -> Posting:
    """
    Append one ledger entry and move every balance it touches, in the caller's transaction. The caller holds
    the lock on ``savings`` (and on ``bill``) and has checked the rules; the balance may not go below zero.
    """
    new_balance = getattr(savings, kind) + amount
    if new_balance < 0:
        raise ValidationError({"amount": _(
            "This would take the member's %(kind)s below zero (balance Rp %(balance)s)."
        ) % {"kind": SavingsKind(kind).label, "balance": grouped(getattr(savings, kind))}})
    posting = Posting.objects.create(
        cooperative_id=member.cooperative_id, member=member, kind=kind, entry_type=entry_type, amount=amount,
        bill=bill, reverses=reverses, shu_line=shu_line, transaction_date=transaction_date,
        receipt_number=_next_receipt_numbers(member.cooperative_id, transaction_date)[0],
        reference=reference, recorded_by=actor, recorded_at=timezone.now(), submission_key=submission_key,
    )
    setattr(savings, kind, new_balance)
    MemberSavings.objects.filter(pk=savings.pk).update(**{kind: F(kind) + amount}, updated_at=timezone.now())
    arrears_change = 0
    if bill is not None:
        bill.paid_amount += amount
        Bill.objects.filter(pk=bill.pk).update(paid_amount=F("paid_amount") + amount)
        if bill.kind == BillKind.WAJIB:
            arrears_change = -amount
    _cooperative_totals_rows([member.cooperative_id])
    CooperativeSavings.objects.filter(pk=member.cooperative_id).update(
        **{kind: F(kind) + amount}, arrears=F("arrears") + arrears_change, updated_at=timezone.now())
    if notify:
        village_changed(member.cooperative.village_id)
        village_backdated(member.cooperative.village_id, transaction_date)  # a past day's savings change too
    return posting


def _add_to_rows(model, columns: tuple[str, ...], increments: dict[int, tuple[int, ...]], *, objects,
                 touched=None) -> None:
    """
    Add ``increments`` (primary key → one amount per column) to rows the caller holds locked, in one
    ``UPDATE … FROM (VALUES …)`` on PostgreSQL. Elsewhere ``objects`` (already carrying the new values) are
    saved with ``bulk_update``, which builds a CASE per row in Python: correct, but slow for a long sheet.
    """
    if connection.vendor != "postgresql":
        model.objects.bulk_update(list(objects), [*columns, *(["updated_at"] if touched else [])])
        return
    table, key = model._meta.db_table, model._meta.pk.column
    assignments = ", ".join(f"{column} = t.{column} + v.{column}" for column in columns)
    if touched:
        assignments += ", updated_at = %s"
    rows = ", ".join(["(" + ", ".join(["%s"] * (len(columns) + 1)) + ")"] * len(increments))
    parameters = [value for pk, amounts in increments.items() for value in (pk, *amounts)]
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} AS t SET {assignments} FROM (VALUES {rows}) AS v({key}, {', '.join(columns)}) "
            f"WHERE t.{key} = v.{key}", ([touched] if touched else []) + parameters)


def _member_of(cooperative_id: int, member: Member) -> Member:
    return Member.objects.select_related("cooperative").get(pk=member.pk, cooperative_id=cooperative_id)


# SECTION: settings (AD/ART amounts)


def setting_on(cooperative_id: int, day: date) -> SavingsSetting | None:
    """The AD/ART amounts in force on ``day``."""
    return (SavingsSetting.objects.filter(cooperative_id=cooperative_id, effective_from__lte=day)
            .order_by("-effective_from").first())


@transaction.atomic
def savings_setting_add(*, actor, cooperative, effective_from: date, pokok_amount: int, wajib_amount: int,
                        wajib_period: str, basis: str = "") -> SavingsSetting:
    """
    Record the AD/ART amounts from ``effective_from`` on. Settings are effective-dated rather than edited:
    bills already issued keep the amount of their day.
    """
    _require_savings_scope(actor, cooperative)
    errors = {}
    for field, value in (("pokok_amount", pokok_amount), ("wajib_amount", wajib_amount)):
        try:
            _clean_amount(value, field)
        except ValidationError as error:
            errors.update(error.message_dict)
    if wajib_period not in WajibPeriod.values:
        errors["wajib_period"] = [_("Choose monthly or yearly.")]
    if not isinstance(effective_from, date) or effective_from < EARLIEST_TRANSACTION_DATE:
        errors["effective_from"] = [_("Enter the date from which the amounts apply.")]
    elif effective_from > timezone.localdate().replace(year=timezone.localdate().year + 2):
        errors["effective_from"] = [_("A setting can start at most two years ahead.")]
    elif SavingsSetting.objects.filter(cooperative=cooperative, effective_from=effective_from).exists():
        errors["effective_from"] = [_("A setting already starts on this day.")]
    if len(basis or "") > 200:
        errors["basis"] = [_("Keep the note to 200 characters.")]
    if errors:
        raise ValidationError(errors)
    setting = SavingsSetting(cooperative=cooperative, effective_from=effective_from, pokok_amount=pokok_amount,
                             wajib_amount=wajib_amount, wajib_period=wajib_period, basis=tidy_reason(basis),
                             created_by=actor)
    setting._history_user = actor
    setting.save()
    return setting


# SECTION: bills


def period_start(day: date, period: str) -> date:
    return day.replace(day=1) if period == WajibPeriod.MONTHLY else day.replace(month=1, day=1)


def _period_end(start: date, period: str) -> date:
    if period == WajibPeriod.YEARLY:
        return start.replace(month=12, day=31)
    following = start.replace(year=start.year + 1, month=1) if start.month == 12 else start.replace(
        month=start.month + 1)
    return date.fromordinal(following.toordinal() - 1)


_INSERT_WAJIB_BILLS = """
INSERT INTO simpanan_bill (cooperative_id, member_id, kind, period, amount, paid_amount, created_at)
SELECT m.cooperative_id, m.id, 'wajib', %s, %s, 0, %s
FROM members_member m
WHERE m.cooperative_id IN ({placeholders}) AND m.status = 'aktif' AND m.joined_on <= %s
ON CONFLICT (member_id, kind, period) DO NOTHING
RETURNING cooperative_id, amount
"""
BILLING_CHUNK = 500  # cooperatives per statement


def _settings_in_force(day: date, cooperative_id: int | None) -> list[SavingsSetting]:
    settings = SavingsSetting.objects.filter(effective_from__lte=day).order_by("cooperative_id", "-effective_from")
    if cooperative_id is not None:
        settings = settings.filter(cooperative_id=cooperative_id)
    latest: dict[int, SavingsSetting] = {}
    for setting in settings.only("cooperative_id", "effective_from", "pokok_amount", "wajib_amount",
                                 "wajib_period").iterator():
        latest.setdefault(setting.cooperative_id, setting)
    return list(latest.values())


@transaction.atomic
def wajib_bills_generate(*, today: date | None = None, cooperative_id: int | None = None) -> int:
    """
    Bill simpanan wajib of the period containing ``today`` (its month, or its year for a yearly wajib) to every
    active member who had joined by the period's end, in every cooperative with amounts in force on ``today``.
    Set-based: one INSERT per group of cooperatives with the same period and amount. Idempotent: a bill is
    unique per member, kind and period, so a repeated run (beat firing twice, a retried task) creates
    nothing. The new bills are added to the cooperatives' arrears in the same transaction.
    Returns the number of new bills.
    """
    today = today or timezone.localdate()
    groups: dict[tuple[date, date, int], list[int]] = {}
    for setting in _settings_in_force(today, cooperative_id):
        start = period_start(today, setting.wajib_period)
        groups.setdefault((start, _period_end(start, setting.wajib_period), setting.wajib_amount), []).append(
            setting.cooperative_id)
    added: dict[int, list[int]] = {}  # cooperative -> [amount, count]
    now = timezone.now()
    with connection.cursor() as cursor:
        for (start, end, amount), cooperatives in groups.items():
            for offset in range(0, len(cooperatives), BILLING_CHUNK):
                chunk = cooperatives[offset:offset + BILLING_CHUNK]
                cursor.execute(_INSERT_WAJIB_BILLS.format(placeholders=", ".join(["%s"] * len(chunk))),
                               [start, amount, now, *chunk, end])
                for cooperative, billed in cursor.fetchall():
                    totals = added.setdefault(cooperative, [0, 0])
                    totals[0] += billed
                    totals[1] += 1
    if not added:
        return 0
    _cooperative_totals_rows(list(added))
    for cooperative in sorted(added):  # one order, as every posting takes them
        CooperativeSavings.objects.filter(pk=cooperative).update(arrears=F("arrears") + added[cooperative][0],
                                                                 updated_at=now)
    village_changed(*Cooperative.objects.filter(pk__in=list(added)).values_list("village_id", flat=True))
    return sum(count for _amount, count in added.values())


_INSERT_POKOK_BILLS = """
INSERT INTO simpanan_bill (cooperative_id, member_id, kind, period, amount, paid_amount, created_at)
SELECT m.cooperative_id, m.id, 'pokok', m.joined_on, %s - COALESCE(s.pokok, 0), 0, %s
FROM members_member m LEFT JOIN simpanan_membersavings s ON s.member_id = m.id
WHERE m.cooperative_id IN ({placeholders}) AND m.status = 'aktif' AND COALESCE(s.pokok, 0) < %s
  AND NOT EXISTS (SELECT 1 FROM simpanan_bill b WHERE b.member_id = m.id AND b.kind = 'pokok')
ON CONFLICT DO NOTHING
"""


@transaction.atomic
def pokok_bills_generate(*, today: date | None = None, cooperative_id: int | None = None) -> int:
    """
    The simpanan pokok bill of every active member who has none and whose pokok is not covered yet: members
    created in bulk (imports) get no signal, so the daily billing run catches them up. Idempotent.
    """
    today = today or timezone.localdate()
    by_amount: dict[int, list[int]] = {}
    for setting in _settings_in_force(today, cooperative_id):
        by_amount.setdefault(setting.pokok_amount, []).append(setting.cooperative_id)
    created = 0
    with connection.cursor() as cursor:
        for amount, cooperatives in by_amount.items():
            for offset in range(0, len(cooperatives), BILLING_CHUNK):
                chunk = cooperatives[offset:offset + BILLING_CHUNK]
                cursor.execute(_INSERT_POKOK_BILLS.format(placeholders=", ".join(["%s"] * len(chunk))),
                               [amount, timezone.now(), *chunk, amount])
                created += cursor.rowcount
    return created


@transaction.atomic
def pokok_bill_create(*, member: Member) -> Bill | None:
    """
    The simpanan pokok bill of an active member, once (a second call returns the first bill). None when the
    cooperative has no amounts yet, or the member's pokok is already covered (e.g. an opening balance).
    """
    existing = Bill.objects.filter(member=member, kind=BillKind.POKOK).first()
    if existing is not None or member.status != MemberStatus.AKTIF:
        return existing
    setting = setting_on(member.cooperative_id, max(member.joined_on, timezone.localdate()))
    if setting is None:
        return None
    paid = MemberSavings.objects.filter(pk=member.pk).values_list("pokok", flat=True).first() or 0
    if paid >= setting.pokok_amount:
        return None
    bills = Bill.objects.bulk_create(
        [Bill(cooperative_id=member.cooperative_id, member=member, kind=BillKind.POKOK,
              period=member.joined_on, amount=setting.pokok_amount - paid)],
        ignore_conflicts=True)
    return Bill.objects.filter(member=member, kind=BillKind.POKOK).first() if bills else None


def _unpaid_bills(member: Member):
    """The member's bills nothing was ever posted against (a bill paid and then reversed has its postings)."""
    return Bill.objects.filter(member=member, paid_amount=0).exclude(
        Exists(Posting.objects.filter(bill=OuterRef("pk"))))


def bills_follow_status(member: Member, was_status: str, was_status_on: date | None) -> None:
    """
    The bills of a member whose status changed (registered with ``members.extensions``). One who left or died owes
    nothing more: their bills of the periods after the day they left go, and an unpaid simpanan pokok (what joining
    costs); they had stayed in the arrears for ever. One recorded as active again is billed again for the periods
    since the day they had left (the billing run is idempotent).
    """
    _locked_savings(member)  # the module's lock order: a payment on one of these bills waits, or is waited for
    if member.status != MemberStatus.AKTIF:
        after = member.status_on or timezone.localdate()
        _unpaid_bills(member).filter(Q(kind=BillKind.POKOK) | Q(period__gt=after)).delete()  # pre_delete: arrears
    if member.status == MemberStatus.AKTIF and was_status != MemberStatus.AKTIF and was_status_on:
        month, today = was_status_on.replace(day=1), timezone.localdate()
        while month <= today:
            wajib_bills_generate(today=month, cooperative_id=member.cooperative_id)
            month = (month + timedelta(days=32)).replace(day=1)
        pokok_bill_create(member=member)


def bill_forget(*, bill: Bill) -> None:
    """
    A bill deleted with its member (removed from the register): what it still owed leaves the arrears. Bills
    with payments are never deleted (the postings protect them).
    """
    if bill.kind == BillKind.WAJIB and bill.outstanding:
        CooperativeSavings.objects.filter(pk=bill.cooperative_id).update(
            arrears=F("arrears") - bill.outstanding, updated_at=timezone.now())


# SECTION: postings


@transaction.atomic
def bill_pay(*, actor, bill: Bill, amount: int, transaction_date: date, reference: str = "",
             submission_key=None) -> Posting:
    """
    A payment against a bill. Partial payments are allowed (members in villages often pay in instalments);
    more than what the bill still owes is refused. The same ``submission_key`` again returns the first posting.
    """
    member = _member_of(bill.cooperative_id, bill.member)
    _require_savings_scope(actor, member.cooperative)
    amount, transaction_date = _clean_amount(amount), _clean_date(transaction_date)
    _require_member_on(member, transaction_date)
    _require_year_open(member.cooperative_id, transaction_date)
    reference = _clean_reference(reference)
    savings = _locked_savings(member)
    if earlier := _earlier_submission(member, submission_key, entry_type=EntryType.PAYMENT, amount=amount):
        return earlier
    bill = Bill.objects.select_for_update().get(pk=bill.pk)
    if bill.outstanding == 0:
        raise ValidationError({"bill": _("This bill is already paid in full.")})
    if amount > bill.outstanding:
        raise ValidationError({"amount": _("The bill still owes Rp %(outstanding)s; enter at most that.") % {
            "outstanding": grouped(bill.outstanding)}})
    return _post(savings=savings, member=member, kind=bill.kind, entry_type=EntryType.PAYMENT, amount=amount,
                 transaction_date=transaction_date, actor=actor, bill=bill, reference=reference,
                 submission_key=submission_key)


@transaction.atomic
def bill_payments_post(*, actor, cooperative: Cooperative, payments: list[tuple[int, int]], transaction_date: date,
                       reference: str = "", submission_key=None) -> list[Posting]:
    """
    A collection sheet: payments against many bills of one cooperative, e.g. the wajib the bendahara collected
    on a round of the village, posted together. ``payments`` are (bill id, amount) pairs. The same rules as
    ``bill_pay`` for every row, and all or nothing: a wrong row refuses the sheet with a message naming it.
    Balances, bills and the cooperative's totals move in this transaction, a few statements for the sheet.
    """
    _require_savings_scope(actor, cooperative)
    transaction_date, reference = _clean_date(transaction_date), _clean_reference(reference)
    if not payments:
        raise ValidationError({"payments": [_("Enter at least one payment.")]})
    if len(payments) > MAX_SHEET_PAYMENTS:
        raise ValidationError({"payments": [_("At most %(limit)s payments per sheet; split it.")
                                            % {"limit": f"{MAX_SHEET_PAYMENTS:n}"}]})
    errors: list[tuple[int, str]] = []  # (row, message), shown in row order
    amounts: dict[int, int] = {}
    rows: dict[int, int] = {}
    for row, (bill_id, amount) in enumerate(payments, start=1):
        try:
            amounts[bill_id] = _clean_amount(amount)
        except ValidationError as error:
            errors.extend((row, message) for message in error.messages)
        if bill_id in rows:
            errors.append((row, _("This bill is already on the sheet.")))
        rows.setdefault(bill_id, row)
    bill_member = dict(Bill.objects.filter(pk__in=rows, cooperative=cooperative).values_list("pk", "member_id"))
    errors.extend((row, _("No such bill in this cooperative.")) for bill_id, row in rows.items()
                  if bill_id not in bill_member)
    _require_year_open(cooperative.pk, transaction_date)
    refusals = {pk: _member_day_refusal(*facts, transaction_date) for pk, *facts in Member.objects.filter(
        pk__in=set(bill_member.values())).values_list("pk", "name", "joined_on", "status", "status_on")}
    errors.extend((rows[bill_id], refusals[member_id]) for bill_id, member_id in bill_member.items()
                  if refusals[member_id])
    # Locks in the module's order: the members' balance rows, then the bills, then receipts, then the totals;
    # taken before the sheet is refused too, so every row's message is given at once.
    member_ids = sorted(set(bill_member.values()))
    MemberSavings.objects.bulk_create(
        [MemberSavings(member_id=pk, cooperative_id=cooperative.pk) for pk in member_ids], ignore_conflicts=True)
    savings = {row.pk: row for row in MemberSavings.objects.select_for_update().filter(pk__in=member_ids)
               .order_by("pk")}
    # Asked under the members' locks: a sheet sent twice at once is told apart too.
    if submission_key is not None and (earlier := _earlier_postings(Posting.objects.filter(
            cooperative=cooperative, submission_key=submission_key))):
        return earlier
    bills = list(Bill.objects.select_for_update().filter(pk__in=bill_member).order_by("pk"))
    for bill in bills:
        if bill.outstanding == 0:
            errors.append((rows[bill.pk], _("This bill is already paid in full.")))
        elif amounts.get(bill.pk, 0) > bill.outstanding:
            errors.append((rows[bill.pk], _("The bill still owes Rp %(outstanding)s; enter at most that.")
                           % {"outstanding": grouped(bill.outstanding)}))
    if errors:
        raise ValidationError({"payments": [_("Row %(row)d: %(message)s") % {"row": row, "message": message}
                                            for row, message in sorted(errors, key=lambda error: error[0])]})
    now = timezone.now()
    by_id = {bill.pk: bill for bill in bills}
    receipts = _next_receipt_numbers(cooperative.pk, transaction_date, len(payments))
    postings = []
    totals = {SavingsKind.POKOK: 0, SavingsKind.WAJIB: 0}
    for (bill_id, _amount), receipt in zip(payments, receipts, strict=True):
        bill, amount = by_id[bill_id], amounts[bill_id]
        bill.paid_amount += amount
        balance = savings[bill.member_id]
        setattr(balance, bill.kind, getattr(balance, bill.kind) + amount)
        balance.updated_at = now
        totals[bill.kind] += amount
        postings.append(Posting(
            cooperative_id=cooperative.pk, member_id=bill.member_id, kind=bill.kind, entry_type=EntryType.PAYMENT,
            amount=amount, bill=bill, transaction_date=transaction_date, receipt_number=receipt, reference=reference,
            recorded_by=actor, recorded_at=now, submission_key=submission_key))
    Posting.objects.bulk_create(postings)
    paid: dict[int, dict[str, int]] = {}
    for bill in bills:
        paid.setdefault(bill.member_id, {SavingsKind.POKOK: 0, SavingsKind.WAJIB: 0})[bill.kind] += amounts[bill.pk]
    _add_to_rows(MemberSavings, ("pokok", "wajib"), {pk: (row["pokok"], row["wajib"]) for pk, row in paid.items()},
                 objects=savings.values(), touched=now)
    _add_to_rows(Bill, ("paid_amount",), {bill.pk: (amounts[bill.pk],) for bill in bills}, objects=bills)
    _cooperative_totals_rows([cooperative.pk])
    CooperativeSavings.objects.filter(pk=cooperative.pk).update(
        pokok=F("pokok") + totals[SavingsKind.POKOK], wajib=F("wajib") + totals[SavingsKind.WAJIB],
        arrears=F("arrears") - totals[SavingsKind.WAJIB], updated_at=now)
    village_changed(cooperative.village_id)
    return postings


@transaction.atomic
def sukarela_deposit(*, actor, member: Member, amount: int, transaction_date: date, reference: str = "",
                     submission_key=None) -> Posting:
    member = _member_of(member.cooperative_id, member)
    _require_savings_scope(actor, member.cooperative)
    amount, transaction_date = _clean_amount(amount), _clean_date(transaction_date)
    _require_member_on(member, transaction_date)
    _require_year_open(member.cooperative_id, transaction_date)
    reference = _clean_reference(reference)
    savings = _locked_savings(member)
    if earlier := _earlier_submission(member, submission_key, entry_type=EntryType.DEPOSIT, amount=amount):
        return earlier
    return _post(savings=savings, member=member, kind=SavingsKind.SUKARELA, entry_type=EntryType.DEPOSIT,
                 amount=amount, transaction_date=transaction_date, actor=actor, reference=reference,
                 submission_key=submission_key)


@transaction.atomic
def sukarela_withdraw(*, actor, member: Member, amount: int, transaction_date: date,
                      reference: str = "", submission_key=None) -> Posting:
    """
    A withdrawal of simpanan sukarela: the balance is read under the row lock and never goes below zero, on the
    withdrawal's date nor on any later day (a withdrawal dated back is checked against the balances since).
    """
    member = _member_of(member.cooperative_id, member)
    _require_savings_scope(actor, member.cooperative)
    amount, transaction_date = _clean_amount(amount), _clean_date(transaction_date)
    _require_member_on(member, transaction_date, paying_in=False)
    _require_year_open(member.cooperative_id, transaction_date)
    reference = _clean_reference(reference)
    savings = _locked_savings(member)
    if earlier := _earlier_submission(member, submission_key, entry_type=EntryType.WITHDRAWAL, amount=-amount):
        return earlier
    if amount > savings.sukarela:
        raise ValidationError({"amount": _(
            "The member's simpanan sukarela is Rp %(balance)s; a withdrawal cannot be more."
        ) % {"balance": grouped(savings.sukarela)}})
    available = _lowest_balance_from(member, SavingsKind.SUKARELA, transaction_date)
    if amount > available:
        raise ValidationError({"amount": _(
            "From %(date)s on, the member's simpanan sukarela was as low as Rp %(balance)s; a withdrawal dated then "
            "cannot be more (date it later, or check the date).") % {
                "date": formats.date_format(transaction_date), "balance": grouped(max(available, 0))}})
    return _post(savings=savings, member=member, kind=SavingsKind.SUKARELA, entry_type=EntryType.WITHDRAWAL,
                 amount=-amount, transaction_date=transaction_date, actor=actor, reference=reference,
                 submission_key=submission_key)


@transaction.atomic
def savings_payout(*, actor, member: Member, transaction_date: date, reference: str = "",
                   submission_key=None) -> list[Posting]:
    """
    Pay a member who left (keluar), or the heirs of one who died, everything they hold: simpanan pokok and wajib,
    which come back only on leaving, and sukarela. One withdrawal per kind with a balance, dated from the day
    they left; no later day may show a balance below zero. Returns the postings (none when nothing is held).
    """
    member = _member_of(member.cooperative_id, member)
    _require_savings_scope(actor, member.cooperative)
    if member.status == MemberStatus.AKTIF:
        raise ValidationError({"member": _(
            "Simpanan pokok and wajib are paid out when a member leaves: record in the member register that %(name)s "
            "left (keluar) or died, then pay out here.") % {"name": member.name}})
    transaction_date = _clean_date(transaction_date)
    if member.status_on and transaction_date < member.status_on:
        raise ValidationError({"transaction_date": _(
            "%(name)s left on %(date)s; the payout is dated from then on.") % {
                "name": member.name, "date": formats.date_format(member.status_on)}})
    _require_year_open(member.cooperative_id, transaction_date)
    reference = _clean_reference(reference) or _("Payout on leaving")
    savings = _locked_savings(member)
    if submission_key is not None and (earlier := _earlier_postings(Posting.objects.filter(
            member=member, submission_key=submission_key))):
        return earlier
    if not any(getattr(savings, kind) > 0 for kind in SavingsKind.values):
        raise ValidationError({"member": _("%(name)s holds no savings: there is nothing to pay out.") % {
            "name": member.name}})
    postings = []
    for kind in (SavingsKind.POKOK, SavingsKind.WAJIB, SavingsKind.SUKARELA):
        balance = getattr(savings, kind)
        if balance <= 0:
            continue
        if _lowest_balance_from(member, kind, transaction_date) < balance:
            raise ValidationError({"transaction_date": _(
                "Paid out on %(date)s, the member's %(kind)s would go below zero on a later day; date the payout "
                "later.") % {"date": formats.date_format(transaction_date), "kind": SavingsKind(kind).label}})
        postings.append(_post(savings=savings, member=member, kind=kind, entry_type=EntryType.WITHDRAWAL,
                              amount=-balance, transaction_date=transaction_date, actor=actor, reference=reference,
                              submission_key=submission_key))
    return postings


@transaction.atomic
def posting_reverse(*, actor, posting: Posting, reason: str, transaction_date: date | None = None) -> Posting:
    """
    Correct a posting by its reversal: a new entry of the opposite amount referencing it (a posting is
    reversed at most once; a reversal is not reversed, the original is posted again instead). A payment's
    reversal reopens its bill; a reversal that would take a balance below zero is refused.
    """
    member = _member_of(posting.cooperative_id, posting.member)
    _require_savings_scope(actor, member.cooperative)
    reason = _clean_reference(reason, "reason")
    if len(reason) < MIN_REVERSAL_REASON:
        raise ValidationError({"reason": _("Say why the posting is reversed (e.g. wrong member, wrong amount).")})
    transaction_date = _clean_date(transaction_date or timezone.localdate())
    _require_year_open(member.cooperative_id, transaction_date)
    savings = _locked_savings(member)
    original = Posting.objects.get(pk=posting.pk)
    if original.entry_type == EntryType.REVERSAL:
        raise ValidationError({"posting": _("A reversal cannot be reversed; post the original again instead.")})
    if Posting.objects.filter(reverses=original).exists():
        raise ValidationError({"posting": _("This posting has already been reversed.")})
    if transaction_date < original.transaction_date:
        raise ValidationError({"transaction_date": _("A reversal cannot be dated before the posting it reverses.")})
    if original.amount > 0:  # taking money back: no day from the reversal's on may show a balance below zero
        lowest = _lowest_balance_from(member, original.kind, transaction_date)
        if original.amount > lowest:
            raise ValidationError({"transaction_date": _(
                "Reversed on %(date)s, the balance would go below zero on a later day (it was as low as Rp "
                "%(balance)s); date the reversal later.") % {
                    "date": formats.date_format(transaction_date), "balance": grouped(max(lowest, 0))}})
    bill = Bill.objects.select_for_update().get(pk=original.bill_id) if original.bill_id else None
    return _post(savings=savings, member=member, kind=original.kind, entry_type=EntryType.REVERSAL,
                 amount=-original.amount, transaction_date=transaction_date, actor=actor, bill=bill,
                 reverses=original, reference=reason)


@transaction.atomic
def opening_balance_post(*, member: Member, kind: str, amount: int, as_of: date, actor,
                         reference: str = "") -> Posting:
    """
    A member's balance of ``kind`` (pokok, wajib, sukarela) brought in from paper or another system, posted
    once. Idempotent: the same amount again returns the existing posting (an import uploaded twice changes
    nothing); a different amount is refused, since a posted balance is corrected by a reversal. After a
    reversal the opening balance can be posted again.

    Allowed to those who keep the cooperative's savings and to those who enter its data (officers bringing
    paper records in through the import).
    """
    member = Member.objects.select_related("cooperative").get(pk=member.pk)
    code = member.cooperative.village_id
    if not (scope_for(actor, Action.MANAGE_SAVINGS).contains(code)
            or scope_for(actor, Action.EDIT_COOPERATIVE).contains(code)):
        raise PermissionDenied(_("This is outside the area where your role allows this action."))
    if kind not in SavingsKind.values:
        raise ValidationError({"kind": _("Choose simpanan pokok, wajib or sukarela.")})
    amount, as_of = _clean_amount(amount), _clean_date(as_of, "as_of")
    _require_year_open(member.cooperative_id, as_of, "as_of")
    reference = _clean_reference(reference)
    savings = _locked_savings(member)  # serialises two imports of the same member
    existing = (Posting.objects.filter(member=member, kind=kind, entry_type=EntryType.OPENING,
                                       reversed_by__isnull=True).order_by("-id").first())
    if existing is not None:
        if existing.amount == amount:
            return existing
        raise ValidationError({"amount": _(
            "The opening balance of %(kind)s is already posted (Rp %(amount)s, receipt %(receipt)s); "
            "correct it with a reversal."
        ) % {"kind": SavingsKind(kind).label, "amount": grouped(existing.amount),
             "receipt": existing.receipt_number}})
    posting = _post(savings=savings, member=member, kind=kind, entry_type=EntryType.OPENING, amount=amount,
                    transaction_date=as_of, actor=actor, reference=reference)
    if kind == SavingsKind.POKOK:
        _pokok_bill_reduced(member, amount)
    return posting


def _pokok_bill_reduced(member: Member, paid_before: int) -> None:
    """
    Simpanan pokok paid before the portal (an opening balance) counts against the member's open pokok bill: the
    register is often filled in before the paper books are brought in, and the bill had stayed open, so the
    member paid pokok twice. A bill it covers goes; one it covers in part asks only for the rest.
    """
    bill = Bill.objects.select_for_update().filter(member=member, kind=BillKind.POKOK).first()
    if bill is None or bill.outstanding == 0:
        return
    still_owed = max(bill.outstanding - paid_before, 0)
    if still_owed == 0 and _unpaid_bills(member).filter(pk=bill.pk).exists():
        bill.delete()
    else:  # a bill with postings (paid in part, or paid and reversed) stays, asking only for the rest
        Bill.objects.filter(pk=bill.pk).update(amount=bill.paid_amount + still_owed)


# SECTION: SHU (the year's surplus) distribution


def _shu_basis(cooperative, year: int, transactions: dict[int, int]) -> list[tuple[int, int, int]]:
    """(member id, savings at the end of ``year``, transactions in ``year``) of every member with either."""
    year_end = date(year, 12, 31)
    savings = dict(
        Posting.objects.filter(cooperative=cooperative, kind__in=[SavingsKind.POKOK, SavingsKind.WAJIB],
                               transaction_date__lte=year_end)
        .values_list("member_id").annotate(total=Sum("amount")).values_list("member_id", "total"))
    members = sorted(set(savings) | set(transactions))
    return [(pk, max(savings.get(pk, 0), 0), transactions.get(pk, 0)) for pk in members
            if savings.get(pk, 0) > 0 or transactions.get(pk, 0) > 0]


def _clean_shu_shares(jasa_modal_bp, jasa_usaha_bp, other_allocations) -> dict[str, int]:
    errors = {}
    shares = {SHU_JASA_MODAL: jasa_modal_bp, SHU_JASA_USAHA: jasa_usaha_bp}
    if not isinstance(other_allocations, dict) or len(other_allocations) > 12:
        raise ValidationError({"other_allocations": _("List at most 12 other allocations with their share.")})
    # "undistributed" is the computed line of a pool nobody qualifies for: a name of its own would be overwritten.
    taken = {SHU_JASA_MODAL, SHU_JASA_USAHA, SHU_UNDISTRIBUTED}
    for name, share in other_allocations.items():
        label = tidy_reason(str(name))
        if not label or label.casefold() in taken:
            errors["other_allocations"] = [_("Give every allocation its own name.")]
        elif len(label) > 60 or has_hidden_characters(label):
            errors["other_allocations"] = [_("Name an allocation in at most 60 plain characters.")]
        taken.add(label.casefold())
        shares[label] = share
    for name, share in shares.items():
        if isinstance(share, bool) or not isinstance(share, int) or not 0 <= share <= BASIS_POINTS:
            field = {SHU_JASA_MODAL: "jasa_modal_bp", SHU_JASA_USAHA: "jasa_usaha_bp"}.get(name, "other_allocations")
            errors[field] = [_("A share is between 0 and 100 %.")]
    if not errors and sum(shares.values()) != BASIS_POINTS:
        errors["other_allocations"] = [_("The shares must add up to exactly 100 %% (now %(sum)s %%).") % {
            "sum": f"{sum(shares.values()) / 100:.2f}".replace(".", ",")}]
    if errors:
        raise ValidationError(errors)
    return shares


def _shu_compute(distribution: ShuDistribution, transactions: dict[int, int]) -> None:
    """
    Split the surplus over the allocations, then the jasa modal and jasa usaha pools over the members, each by
    the largest-remainder rule. A pool with no basis (no member has savings, or no transactions were
    entered) is kept undistributed, shown as its own allocation, so the amounts still sum to the surplus.
    """
    shares = {SHU_JASA_MODAL: distribution.jasa_modal_bp, SHU_JASA_USAHA: distribution.jasa_usaha_bp,
              **distribution.other_allocations}
    amounts = dict(zip(shares, split_largest_remainder(distribution.surplus, list(shares.values())), strict=True))
    basis = _shu_basis(distribution.cooperative, distribution.year, transactions)
    lines = {pk: ShuLine(distribution=distribution, member_id=pk, savings_basis=saved, transactions_basis=traded)
             for pk, saved, traded in basis}
    undistributed = 0
    for pool, attribute, basis_attribute in ((SHU_JASA_MODAL, "jasa_modal", "savings_basis"),
                                             (SHU_JASA_USAHA, "jasa_usaha", "transactions_basis")):
        weights = [getattr(line, basis_attribute) for line in lines.values()]
        if amounts[pool] and sum(weights) > 0:
            for line, part in zip(lines.values(), split_largest_remainder(amounts[pool], weights), strict=True):
                setattr(line, attribute, part)
        else:
            undistributed += amounts[pool]
            amounts[pool] = 0
    if undistributed:
        amounts[SHU_UNDISTRIBUTED] = undistributed
    distribution.allocation_amounts = amounts
    distribution.lines.all().delete()
    ShuLine.objects.bulk_create(list(lines.values()))


@transaction.atomic
def shu_distribution_create(*, actor, cooperative, year: int, surplus: int, jasa_modal_bp: int, jasa_usaha_bp: int,
                            other_allocations: dict[str, int] | None = None,
                            transactions: dict[int, int] | None = None) -> ShuDistribution:
    """
    Enter the SHU of a closed financial year (a draft) and compute every member's share. Shares are in basis
    points (25 % = 2500) and add up to 100 %. ``transactions``: member id → their business with the cooperative
    in the year (the basis of jasa usaha).
    """
    _require_savings_scope(actor, cooperative)
    if isinstance(year, bool) or not isinstance(year, int) or not 2000 <= year < timezone.localdate().year:
        raise ValidationError({"year": _("Choose a financial year that has closed (before this year).")})
    if not cooperative.members.filter(joined_on__lte=date(year, 12, 31)).exists():
        # An SHU is shared among the members of its year: a year before any joined is a typing error.
        raise ValidationError({"year": _("No member had joined the cooperative by the end of %(year)s; check the "
                                         "year.") % {"year": year}})
    surplus = _clean_amount(surplus, "surplus")
    shares = _clean_shu_shares(jasa_modal_bp, jasa_usaha_bp, other_allocations or {})
    if ShuDistribution.objects.filter(cooperative=cooperative, year=year).exists():
        raise ValidationError({"year": _("This year's SHU is already entered.")})
    transactions = _clean_transactions(cooperative, transactions or {})
    distribution = ShuDistribution(
        cooperative=cooperative, year=year, surplus=surplus, jasa_modal_bp=jasa_modal_bp,
        jasa_usaha_bp=jasa_usaha_bp,
        other_allocations={name: share for name, share in shares.items()
                           if name not in (SHU_JASA_MODAL, SHU_JASA_USAHA)},
        created_by=actor)
    distribution._history_user = actor
    distribution.save()
    _shu_compute(distribution, transactions)
    distribution.save(update_fields=["allocation_amounts"])
    return distribution


def _clean_transactions(cooperative, transactions: dict) -> dict[int, int]:
    cleaned = {}
    known = set(Member.objects.filter(cooperative=cooperative, pk__in=list(transactions)).values_list("pk", flat=True))
    for pk, amount in transactions.items():
        if pk not in known:
            raise ValidationError({"transactions": _("Every member must belong to this cooperative.")})
        if isinstance(amount, bool) or not isinstance(amount, int) or not 0 <= amount <= MAX_AMOUNT:
            raise ValidationError({"transactions": _("Enter each member's transactions in whole rupiah.")})
        if amount:
            cleaned[pk] = amount
    return cleaned


@transaction.atomic
def shu_transactions_set(*, actor, distribution: ShuDistribution, transactions: dict[int, int]) -> ShuDistribution:
    """Replace the members' transactions (jasa usaha basis) of a draft and compute the shares again."""
    distribution = ShuDistribution.objects.select_for_update().get(pk=distribution.pk)
    _require_savings_scope(actor, distribution.cooperative)
    if distribution.status != ShuStatus.DRAFT:
        raise ValidationError({"status": _("Only a draft can be changed; this SHU is already reviewed.")})
    _shu_compute(distribution, _clean_transactions(distribution.cooperative, transactions))
    distribution._history_user = actor
    distribution.save(update_fields=["allocation_amounts"])
    return distribution


@transaction.atomic
def shu_review(*, actor, distribution: ShuDistribution) -> ShuDistribution:
    """The draft is checked (by the pengurus, with the pengawas): its figures are frozen until posted."""
    distribution = ShuDistribution.objects.select_for_update().get(pk=distribution.pk)
    _require_savings_scope(actor, distribution.cooperative)
    if distribution.status != ShuStatus.DRAFT:
        raise ValidationError({"status": _("Only a draft can be marked reviewed.")})
    distribution.status, distribution.reviewed_by, distribution.reviewed_at = ShuStatus.REVIEWED, actor, timezone.now()
    distribution._history_user = actor
    distribution.save(update_fields=["status", "reviewed_by", "reviewed_at"])
    return distribution


@transaction.atomic
def shu_post(*, actor, distribution: ShuDistribution, transaction_date: date | None = None) -> int:
    """
    Post every member's SHU to their simpanan sukarela in one transaction: all lines or none. Posting twice is
    refused (the distribution row is locked and its status checked). Returns the number of postings.
    """
    distribution = ShuDistribution.objects.select_for_update().select_related("cooperative").get(pk=distribution.pk)
    _require_savings_scope(actor, distribution.cooperative)
    if distribution.status == ShuStatus.POSTED:
        raise ValidationError({"status": _("This SHU has already been posted.")})
    if distribution.status != ShuStatus.REVIEWED:
        raise ValidationError({"status": _("The SHU must be reviewed before it is posted.")})
    transaction_date = _clean_date(transaction_date or timezone.localdate())
    if transaction_date.year <= distribution.year:
        raise ValidationError({"transaction_date": _("SHU is posted after its financial year has closed.")})
    count = 0
    members = {member.pk: member for member in Member.objects.filter(
        shu_lines__distribution=distribution).select_related("cooperative")}
    for line in distribution.lines.order_by("member_id"):  # one lock order, as every posting
        if line.total == 0:
            continue
        member = members[line.member_id]
        _post(savings=_locked_savings(member), member=member, kind=SavingsKind.SUKARELA, entry_type=EntryType.SHU,
              amount=line.total, transaction_date=transaction_date, actor=actor, shu_line=line,
              reference=_("SHU %(year)s") % {"year": distribution.year}, notify=False)
        count += 1
    distribution.status, distribution.posted_by, distribution.posted_at = ShuStatus.POSTED, actor, timezone.now()
    distribution._history_user = actor
    distribution.save(update_fields=["status", "posted_by", "posted_at"])
    village_changed(distribution.cooperative.village_id)
    return count
