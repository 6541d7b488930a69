"""Target arithmetic: pure functions of counts and dates, so they can be tested on fixed dates."""

import math
from dataclasses import dataclass
from datetime import date
from datetime import timedelta

__all__ = ["TargetFigures", "target_figures"]


@dataclass(frozen=True)
class TargetFigures:
    target: int
    achieved: int
    gap: int
    percent: float
    days_left: int  # negative once the due date has passed
    required_daily_rate: float | None  # None when nothing is left to do
    recent_daily_rate: float
    projected_completion: date | None  # None when the recent rate is zero and work remains
    at_risk: bool
    overdue: bool
    started: bool = True  # False before the start date: a target that has not started is never at risk

    @property
    def days_overdue(self) -> int:
        return max(-self.days_left, 0)


def target_figures(*, target: int, achieved: int, achieved_window_start: int, due_date: date, today: date,
                   window_days: int = 14, start_date: date | None = None) -> TargetFigures:
    """
    ``achieved_window_start`` is the count ``window_days`` days ago; the difference is the recent
    pace. The target is at risk when it has started, work remains and, at the recent pace, it would
    finish after the due date (or never).
    """
    started = start_date is None or today >= start_date
    gap = max(target - achieved, 0)
    days_left = (due_date - today).days
    recent = max(achieved - achieved_window_start, 0) / window_days
    if gap == 0:
        return TargetFigures(target, achieved, 0, _percent(achieved, target), days_left, None, recent, None,
                             at_risk=False, overdue=False, started=started)
    required = gap / days_left if days_left > 0 else float(gap)
    days_needed = math.ceil(gap / recent) if recent > 0 else None
    # Beyond a century the pace says "never"; a date that far would not even be representable.
    projected = today + timedelta(days=days_needed) if days_needed is not None and days_needed <= 36_500 else None
    overdue = days_left < 0
    at_risk = started and (overdue or projected is None or projected > due_date)
    return TargetFigures(target, achieved, gap, _percent(achieved, target), days_left, required, recent, projected,
                         at_risk=at_risk, overdue=overdue, started=started)


def _percent(achieved: int, target: int) -> float:
    return round(100 * min(achieved, target) / target, 1) if target else 0.0
