"""
The savings columns of the roll-up (``SAVINGS_COLUMNS``): each cooperative's simpanan pokok, wajib, sukarela and
wajib in arrears. Today's figures come from the totals the savings postings keep (``simpanan_cooperativesavings``,
one row per cooperative, no sum over the ledger); a past day's (snapshot back-fill) from the ledger by transaction
date and the bills issued by then.
"""

from .metrics import SAVINGS_COLUMNS

__all__ = ["savings_cte", "savings_dashboard_section", "savings_fact_columns"]


def savings_cte(*, of_villages: str, dated: bool) -> str:
    """``savings``: cooperative_id, pokok, wajib, sukarela, arrears of the cooperatives ``of_villages`` selects."""
    if not dated:
        return ("SELECT cooperative_id, pokok, wajib, sukarela, arrears FROM simpanan_cooperativesavings "
                f"WHERE cooperative_id {of_villages}")
    ledger = ("SELECT cooperative_id, "
              "SUM(CASE WHEN kind = 'pokok' THEN amount ELSE 0 END) AS pokok, "
              "SUM(CASE WHEN kind = 'wajib' THEN amount ELSE 0 END) AS wajib, "
              "SUM(CASE WHEN kind = 'sukarela' THEN amount ELSE 0 END) AS sukarela "
              f"FROM simpanan_posting WHERE transaction_date <= %(as_of_day)s AND cooperative_id {of_villages} "
              "GROUP BY cooperative_id")
    billed = ("SELECT b.cooperative_id, SUM(b.amount) - COALESCE(SUM(paid.amount), 0) AS arrears "
              "FROM simpanan_bill b LEFT JOIN (SELECT bill_id, SUM(amount) AS amount FROM simpanan_posting "
              "WHERE bill_id IS NOT NULL AND transaction_date <= %(as_of_day)s GROUP BY bill_id) paid "
              "ON paid.bill_id = b.id "
              f"WHERE b.kind = 'wajib' AND b.created_at <= %(as_of)s AND b.cooperative_id {of_villages} "
              "GROUP BY b.cooperative_id")
    return (f"SELECT l.cooperative_id, l.pokok, l.wajib, l.sukarela, COALESCE(a.arrears, 0) AS arrears "
            f"FROM ({ledger}) l LEFT JOIN ({billed}) a ON a.cooperative_id = l.cooperative_id")


def savings_fact_columns() -> list[str]:
    """One cooperative's contribution to each savings column (``savings`` is LEFT JOINed on the cooperative)."""
    columns = ["COALESCE(savings.pokok, 0)", "COALESCE(savings.wajib, 0)", "COALESCE(savings.sukarela, 0)",
               "COALESCE(savings.arrears, 0)"]
    assert len(columns) == len(SAVINGS_COLUMNS)
    return columns


def savings_dashboard_section(*, user, board, query) -> dict:
    """The savings card of the area dashboard: the area's roll-up row holds the figures."""
    return {"area": board.area}
