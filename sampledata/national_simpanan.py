"""
The savings part of the national generator: every cooperative gets AD/ART amounts and every member opening
balances of simpanan pokok and wajib (as a district would bring in from paper books), with the balance rows,
cooperative totals and receipt sequences the posting services keep, so that ``check_savings`` passes.

Written set-based inside PostgreSQL (``INSERT … SELECT`` from the members just loaded): the rows are derived
from rows already in the database, so this is cheaper than sending them back in through COPY. The foreign keys
and non-unique indexes of the savings tables are suspended for the load and rebuilt in one sort each.
"""

import time
from datetime import date

from django.db import connection

from simpanan.models import CooperativeSavings
from simpanan.models import MemberSavings
from simpanan.models import Posting
from simpanan.models import ReceiptSequence
from simpanan.models import SavingsSetting

__all__ = ["savings_national_generate"]

POKOK = 100_000
WAJIB = 10_000
# A member's opening simpanan wajib: 1 to 24 months paid, spread by member id.
_WAJIB_OPENING = f"({WAJIB} * (1 + MOD(m.id, 24)))"
# Receipt numbers run per cooperative in (member, kind) order, pokok before wajib. The generator numbers each
# cooperative's members 00001, 00002, … in id order, so a member's two receipts are 2n − 1 and 2n: no sort of
# ten million rows by cooperative is needed to count them.
_RECEIPT_SEQUENCE = "(2 * m.member_number::integer - k.step_back)"


def savings_national_generate(*, today: date, actor_id: int, suspend, restore, progress=None) -> int:
    """
    Opening balances for every member; returns the number of postings written. ``suspend``/``restore`` are the
    national generator's (passed in: this module is imported by it).
    """
    say = progress or (lambda _message: None)
    as_of = date(today.year - 1, 12, 31)
    begun = time.perf_counter()

    def timed(what: str, rows: int) -> None:
        nonlocal begun
        say(f"    {what:<30} {rows:>10,} rows  {time.perf_counter() - begun:7.1f} s")
        begun = time.perf_counter()

    with connection.cursor() as cursor:
        # Foreign-key checks still pending in this transaction (the generator's users, written through the ORM)
        # would make dropping the savings tables' foreign keys fail, and then 10 million rows queue a deferred
        # check each for the commit: run the pending ones now.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    suspended = suspend([Posting, MemberSavings, CooperativeSavings, ReceiptSequence, SavingsSetting])
    say(f"  savings tables: {len(suspended)} foreign keys and indexes suspended for the load")
    params = {"as_of": as_of, "start": date(today.year - 1, 1, 1), "year": str(as_of.year), "actor": actor_id}
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO simpanan_savingssetting (cooperative_id, effective_from, pokok_amount, wajib_amount, "
            "wajib_period, basis, created_by_id, created_at) "
            f"SELECT id, %(start)s, {POKOK}, {WAJIB}, 'monthly', 'AD/ART (data sintetis)', %(actor)s, now() "
            "FROM koperasi_cooperative", params)
        cursor.execute(
            "INSERT INTO simpanan_posting (cooperative_id, member_id, kind, entry_type, amount, transaction_date, "
            "receipt_number, reference, recorded_by_id, recorded_at) "
            "SELECT m.cooperative_id, m.id, k.kind, 'opening', "
            f"CASE k.kind WHEN 'pokok' THEN {POKOK} ELSE {_WAJIB_OPENING} END, %(as_of)s, "
            f"'KW/' || %(year)s || '/' || lpad({_RECEIPT_SEQUENCE}::text, 6, '0'), 'saldo awal (data sintetis)', "
            "%(actor)s, now() FROM members_member m "
            "CROSS JOIN (VALUES ('pokok', 1), ('wajib', 0)) AS k(kind, step_back)", params)
        postings = cursor.rowcount
        timed("simpanan_posting (opening)", postings)
        cursor.execute(
            "INSERT INTO simpanan_membersavings (member_id, cooperative_id, pokok, wajib, sukarela, updated_at) "
            f"SELECT m.id, m.cooperative_id, {POKOK}, {_WAJIB_OPENING}, 0, now() FROM members_member m")
        timed("simpanan_membersavings", cursor.rowcount)
        cursor.execute(
            "INSERT INTO simpanan_cooperativesavings (cooperative_id, pokok, wajib, sukarela, arrears, updated_at) "
            "SELECT cooperative_id, SUM(pokok), SUM(wajib), 0, 0, now() FROM simpanan_membersavings "
            "GROUP BY cooperative_id")
        cursor.execute(
            "INSERT INTO simpanan_receiptsequence (cooperative_id, year, last_number) "
            "SELECT cooperative_id, %(year_number)s, 2 * COUNT(*) FROM members_member GROUP BY cooperative_id",
            {"year_number": as_of.year})
        timed("totals, receipt sequences", cursor.rowcount)
    if suspended:
        restore(suspended)
        timed("(savings indexes, keys)", len(suspended))
    with connection.cursor() as cursor:
        for model in (Posting, MemberSavings, CooperativeSavings, ReceiptSequence, SavingsSetting):
            cursor.execute(f"ANALYZE {model._meta.db_table}")
    timed("(analyze savings)", 5)
    return postings
