"""
Construction progress arithmetic, pure and separate from the database: the planned curve (linear between the
planned start and finish), the actual curve (the latest published report on or before a day), and the slippage
between them.
"""

from dataclasses import dataclass
from datetime import date
from datetime import timedelta

__all__ = ["SLIPPING_POINTS", "Slippage", "actual_percent", "curve", "planned_percent", "slippage"]

# Behind plan by more than this many percentage points counts as slipping (as the PUPR "kontrak kritis" rule of
# thumb for mid-contract works).
SLIPPING_POINTS = 10


def planned_percent(start: date, finish: date, day: date) -> float:
    """0 before the start, 100 from the finish on, linear in between (a one-day project is 100 on its day)."""
    if day < start:
        return 0.0
    if day >= finish:
        return 100.0
    return round(100 * (day - start).days / (finish - start).days, 1)


def actual_percent(reports: list[tuple[date, int]], day: date) -> int:
    """The percentage of the latest report on or before ``day`` (reports: published (date, percent) pairs)."""
    reached = [percent for reported_on, percent in reports if reported_on <= day]
    return max(reached) if reached else 0


@dataclass(frozen=True)
class Slippage:
    planned: float
    actual: int
    overdue_days: int  # days past the planned finish without a handover; 0 when not overdue

    @property
    def behind(self) -> float:
        """Percentage points behind plan (negative when ahead)."""
        return round(self.planned - self.actual, 1)

    @property
    def is_slipping(self) -> bool:
        return self.behind > SLIPPING_POINTS or self.overdue_days > 0


def slippage(*, start: date, finish: date, reports: list[tuple[date, int]], day: date,
             handed_over_on: date | None = None) -> Slippage:
    """Where a project stands on ``day`` against its plan; a handed-over project is never behind."""
    if handed_over_on is not None and handed_over_on <= day:
        return Slippage(planned=100.0, actual=100, overdue_days=0)
    overdue = (day - finish).days if day > finish else 0
    return Slippage(planned=planned_percent(start, finish, day), actual=actual_percent(reports, day),
                    overdue_days=overdue)


def curve(*, start: date, finish: date, reports: list[tuple[date, int]], until: date,
          points: int = 40) -> dict[str, list]:
    """The planned and actual curves from the start to ``until`` (or the finish, if later), for a chart."""
    end = max(until, finish)
    span = max((end - start).days, 1)
    step = max(span // points, 1)
    days = [start + timedelta(days=offset) for offset in range(0, span + 1, step)]
    if days[-1] != end:
        days.append(end)
    return {
        "days": [day.isoformat() for day in days],
        "planned": [planned_percent(start, finish, day) for day in days],
        "actual": [actual_percent(reports, day) if day <= until else None for day in days],
    }
