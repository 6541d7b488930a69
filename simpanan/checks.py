"""
Proof that the maintained balances equal the ledger (``manage.py check_savings``). Set-based SQL, portable
between PostgreSQL and SQLite; each check returns the rows that disagree (at most ``limit``) and their count.
"""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field

from django.db import connection

__all__ = ["CHECKS", "CheckResult", "savings_discrepancies"]

_BY_KIND = """
SUM(CASE WHEN kind = 'pokok' THEN amount ELSE 0 END) AS pokok,
SUM(CASE WHEN kind = 'wajib' THEN amount ELSE 0 END) AS wajib,
SUM(CASE WHEN kind = 'sukarela' THEN amount ELSE 0 END) AS sukarela
"""

MEMBER_BALANCES = f"""
WITH ledger AS (SELECT member_id, {_BY_KIND} FROM simpanan_posting GROUP BY member_id)
SELECT s.member_id, s.pokok, s.wajib, s.sukarela, COALESCE(l.pokok, 0), COALESCE(l.wajib, 0), COALESCE(l.sukarela, 0)
FROM simpanan_membersavings s LEFT JOIN ledger l ON l.member_id = s.member_id
WHERE s.pokok <> COALESCE(l.pokok, 0) OR s.wajib <> COALESCE(l.wajib, 0) OR s.sukarela <> COALESCE(l.sukarela, 0)
UNION ALL
SELECT l.member_id, NULL, NULL, NULL, l.pokok, l.wajib, l.sukarela
FROM ledger l LEFT JOIN simpanan_membersavings s ON s.member_id = l.member_id
WHERE s.member_id IS NULL AND (l.pokok <> 0 OR l.wajib <> 0 OR l.sukarela <> 0)
"""

COOPERATIVE_BALANCES = f"""
WITH ledger AS (SELECT cooperative_id, {_BY_KIND} FROM simpanan_posting GROUP BY cooperative_id)
SELECT s.cooperative_id, s.pokok, s.wajib, s.sukarela, COALESCE(l.pokok, 0), COALESCE(l.wajib, 0),
       COALESCE(l.sukarela, 0)
FROM simpanan_cooperativesavings s LEFT JOIN ledger l ON l.cooperative_id = s.cooperative_id
WHERE s.pokok <> COALESCE(l.pokok, 0) OR s.wajib <> COALESCE(l.wajib, 0) OR s.sukarela <> COALESCE(l.sukarela, 0)
UNION ALL
SELECT l.cooperative_id, NULL, NULL, NULL, l.pokok, l.wajib, l.sukarela
FROM ledger l LEFT JOIN simpanan_cooperativesavings s ON s.cooperative_id = l.cooperative_id
WHERE s.cooperative_id IS NULL AND (l.pokok <> 0 OR l.wajib <> 0 OR l.sukarela <> 0)
"""

MEMBER_TOTALS_VS_COOPERATIVE = """
WITH members AS (SELECT cooperative_id, SUM(pokok) AS pokok, SUM(wajib) AS wajib, SUM(sukarela) AS sukarela
                 FROM simpanan_membersavings GROUP BY cooperative_id)
SELECT c.cooperative_id, c.pokok, c.wajib, c.sukarela, COALESCE(m.pokok, 0), COALESCE(m.wajib, 0),
       COALESCE(m.sukarela, 0)
FROM simpanan_cooperativesavings c LEFT JOIN members m ON m.cooperative_id = c.cooperative_id
WHERE c.pokok <> COALESCE(m.pokok, 0) OR c.wajib <> COALESCE(m.wajib, 0) OR c.sukarela <> COALESCE(m.sukarela, 0)
"""

BILLS_PAID = """
WITH paid AS (SELECT bill_id, SUM(amount) AS amount FROM simpanan_posting WHERE bill_id IS NOT NULL GROUP BY bill_id)
SELECT b.id, b.paid_amount, COALESCE(p.amount, 0)
FROM simpanan_bill b LEFT JOIN paid p ON p.bill_id = b.id
WHERE b.paid_amount <> COALESCE(p.amount, 0)
"""

ARREARS = """
WITH owed AS (SELECT cooperative_id, SUM(amount - paid_amount) AS amount FROM simpanan_bill
              WHERE kind = 'wajib' GROUP BY cooperative_id)
SELECT c.cooperative_id, c.arrears, COALESCE(o.amount, 0)
FROM simpanan_cooperativesavings c LEFT JOIN owed o ON o.cooperative_id = c.cooperative_id
WHERE c.arrears <> COALESCE(o.amount, 0)
UNION ALL
SELECT o.cooperative_id, NULL, o.amount
FROM owed o LEFT JOIN simpanan_cooperativesavings c ON c.cooperative_id = o.cooperative_id
WHERE c.cooperative_id IS NULL AND o.amount <> 0
"""

NEGATIVE_BALANCES = """
SELECT member_id, pokok, wajib, sukarela FROM simpanan_membersavings WHERE pokok < 0 OR wajib < 0 OR sukarela < 0
"""

# Gap-free receipts: a cooperative's postings of a year are numbered 1..n, n being its sequence's last number.
RECEIPTS = """
WITH numbered AS (
    SELECT cooperative_id, CAST(SUBSTR(receipt_number, 4, 4) AS INTEGER) AS year,
           COUNT(*) AS postings, MAX(CAST(SUBSTR(receipt_number, 9) AS INTEGER)) AS highest
    FROM simpanan_posting GROUP BY cooperative_id, CAST(SUBSTR(receipt_number, 4, 4) AS INTEGER)
)
SELECT n.cooperative_id, n.year, n.postings, n.highest, COALESCE(r.last_number, 0)
FROM numbered n LEFT JOIN simpanan_receiptsequence r ON r.cooperative_id = n.cooperative_id AND r.year = n.year
WHERE n.postings <> n.highest OR n.highest <> COALESCE(r.last_number, 0)
"""

REVERSALS = """
SELECT r.id, r.amount, o.amount FROM simpanan_posting r JOIN simpanan_posting o ON o.id = r.reverses_id
WHERE r.amount <> -o.amount OR r.kind <> o.kind OR r.member_id <> o.member_id
"""

CHECKS = {
    "member balances = ledger": (MEMBER_BALANCES, ("member", "pokok", "wajib", "sukarela", "ledger pokok",
                                                   "ledger wajib", "ledger sukarela")),
    "cooperative totals = ledger": (COOPERATIVE_BALANCES, ("cooperative", "pokok", "wajib", "sukarela",
                                                           "ledger pokok", "ledger wajib", "ledger sukarela")),
    "cooperative totals = sum of member balances": (MEMBER_TOTALS_VS_COOPERATIVE, (
        "cooperative", "pokok", "wajib", "sukarela", "members pokok", "members wajib", "members sukarela")),
    "bill paid = payments posted": (BILLS_PAID, ("bill", "paid", "ledger")),
    "cooperative arrears = open wajib bills": (ARREARS, ("cooperative", "arrears", "open bills")),
    "no negative balance": (NEGATIVE_BALANCES, ("member", "pokok", "wajib", "sukarela")),
    "receipt numbers gap-free": (RECEIPTS, ("cooperative", "year", "postings", "highest", "sequence")),
    "reversals mirror their original": (REVERSALS, ("reversal", "amount", "original amount")),
}


@dataclass
class CheckResult:
    name: str
    columns: tuple[str, ...]
    count: int = 0
    rows: list[tuple] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.count == 0


def savings_discrepancies(*, limit: int = 20) -> list[CheckResult]:
    results = []
    with connection.cursor() as cursor:
        for name, (sql, columns) in CHECKS.items():
            cursor.execute(f"SELECT COUNT(*) FROM ({sql}) AS bad")
            (count,) = cursor.fetchone()
            rows = []
            if count:
                cursor.execute(f"SELECT * FROM ({sql}) AS bad LIMIT %s", [limit])
                rows = cursor.fetchall()
            results.append(CheckResult(name, columns, count, rows))
    return results
