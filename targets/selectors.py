"""
Reading targets and their figures: achieved now from the roll-up (the dashboards' figures), at the
start of the recent-pace window from that day's snapshot, and on any past day from dated records.
"""

from dataclasses import dataclass
from datetime import date
from datetime import timedelta

from django.conf import settings
from django.db.models import prefetch_related_objects
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from core.roles import Action
from core.scoping import Scope
from koperasi.models import COMPLETED_STATUSES
from koperasi.models import StageProgress
from pembangunan.models import LandPlot
from reports.charts import line_chart_svg
from reports.metrics import METRIC_COLUMNS
from reports.metrics import STAGE_BUCKETS
from reports.metrics import stage_column
from reports.metrics import stage_done_column
from reports.metrics import unit_column
from reports.models import SnapshotDay
from reports.selectors import ZERO
from reports.selectors import Dashboard
from reports.selectors import catalogue_stages
from reports.selectors import catalogue_unit_types
from reports.selectors import rollup_and_snapshots_for
from reports.selectors import snapshots_for
from reports.selectors import stage_ranks
from units.models import READINESS_ORDER
from units.models import UnitMilestone

from .filtersets import TargetFilterSet
from .models import LandStep
from .models import Target
from .models import TargetMetric
from .progress import TargetFigures
from .progress import target_figures

__all__ = [
    "TargetRow",
    "burn_up",
    "chart_days",
    "dashboard_section",
    "dashboard_targets",
    "report_section",
    "target_achieved",
    "target_filter",
    "target_list",
    "target_rows",
]

# The targets a dashboard's card lists (at-risk first); the rest count towards the order only.
DASHBOARD_TARGETS_SHOWN = 10


def target_filter(*, user, filters: dict | None = None) -> TargetFilterSet:
    """The user's targets through the list filters; ``.qs`` the rows, ``.form.errors`` what was refused."""
    queryset = Target.objects.for_user(user, Action.VIEW).select_related("region", "stage", "unit_type", "parent")
    return TargetFilterSet(filters or {}, queryset, user=user)


def target_list(*, user, filters: dict | None = None):
    return target_filter(user=user, filters=filters).qs


def target_achieved(target: Target, on: date) -> int:
    """
    How many cooperatives (or units) in the target's region had reached it by the end of ``on``,
    counted from the base tables' dated records. Pages read the roll-up instead (reports.selectors.
    target_rows); this counts what no snapshot holds.
    """
    area = Scope.of([target.region_id])
    if target.metric == TargetMetric.LAND:
        return land_reached_by(area, target.land_step, on)
    if target.metric == TargetMetric.STAGE:
        return (StageProgress.objects.within(area)
                .filter(stage_id=target.stage_id, status__in=COMPLETED_STATUSES, completed_at__date__lte=on).count())
    return (
        UnitMilestone.objects.within(area)
        .filter(unit__unit_type_id=target.unit_type_id, status=target.unit_status, reached_on__lte=on)
        .count()
    )


# A land step counted cumulatively from the roll-up's land columns (reports.metrics.LAND_COLUMNS).
LAND_STEP_COLUMNS = {
    LandStep.RECORDED: ("land_plots",),
    LandStep.VERIFIED: ("land_verified",),
    LandStep.CONSTRUCTION: ("land_construction", "land_handed_over"),
    LandStep.HANDED_OVER: ("land_handed_over",),
}


def land_reached_by(area: Scope, step: str, on: date) -> int:
    """Plots in ``area`` that had reached ``step`` by the end of ``on``, from the dates each step was reached."""
    plots = LandPlot.objects.within(area)
    if step == LandStep.RECORDED:
        return plots.filter(created_at__date__lte=on).exclude(status="rejected", rejected_at__date__lte=on).count()
    field = {LandStep.VERIFIED: "verified_at", LandStep.CONSTRUCTION: "construction_at",
             LandStep.HANDED_OVER: "handed_over_at"}[step]
    return plots.filter(**{f"{field}__date__lte": on}).count()


def _achieved(target: Target, metrics: dict[str, int], ranks: dict[str, int]) -> int:
    if target.metric == TargetMetric.LAND:
        return sum(metrics.get(column, 0) for column in LAND_STEP_COLUMNS.get(target.land_step, ()))
    if target.metric == TargetMetric.STAGE:
        # Cooperatives that completed the stage, whatever the order (NIB, NPWP, bank account and SIMKOPDES may
        # come in any order after the SK AHU), as target_achieved counts them from the stages' dates. Whoever's
        # unbroken run of stages passed it completed it too: that also covers snapshots older than stage_done.
        rank = ranks.get(target.stage.code, STAGE_BUCKETS)
        in_run = sum(metrics.get(stage_column(index), 0) for index in range(rank, STAGE_BUCKETS))
        return max(in_run, metrics.get(stage_done_column(rank), 0))
    reached = READINESS_ORDER[READINESS_ORDER.index(target.unit_status):]
    return sum(metrics.get(unit_column(target.unit_type.code, status), 0) for status in reached)


def _columns(target: Target, ranks: dict[str, int]) -> set[str]:
    """The roll-up columns ``_achieved`` reads for this target."""
    if target.metric == TargetMetric.LAND:
        return set(LAND_STEP_COLUMNS.get(target.land_step, ()))
    if target.metric == TargetMetric.STAGE:
        rank = ranks.get(target.stage.code, STAGE_BUCKETS)
        return {*(stage_column(index) for index in range(rank, STAGE_BUCKETS)), stage_done_column(rank)}
    reached = READINESS_ORDER[READINESS_ORDER.index(target.unit_status):]
    return {unit_column(target.unit_type.code, status) for status in reached}


def _columns_of(targets: list[Target], ranks: dict[str, int]) -> list[str]:
    """What these targets read of each roll-up row (columns ``_achieved`` would find missing count 0)."""
    return sorted(set().union(*(_columns(target, ranks) for target in targets)) & set(METRIC_COLUMNS))


@dataclass(frozen=True)
class TargetRow:
    target: Target
    figures: TargetFigures


def target_rows(targets: list[Target], today: date | None = None,
                counts: dict[str, dict[str, int]] | None = None, *, as_of: date | None = None) -> list[TargetRow]:
    """
    The figures of these targets (the dashboards', the target pages' and the API's): achieved now
    from the roll-up, and at the start of the recent-pace window from that day's snapshot; a few
    queries for any number of targets. Before the first snapshots exist (a new portal), the window's
    start is counted from dated records instead, one query per target. ``counts``: roll-up rows the caller
    has already read (a dashboard's area and children), not read again. ``as_of``: the figures as they stood at
    the end of that past day (achieved from its snapshot, pace and risk judged on that day).
    """
    today = as_of or today or timezone.localdate()
    window = settings.TARGET_RATE_WINDOW_DAYS
    window_start = today - timedelta(days=window)
    codes = sorted({target.region_id for target in targets})
    ranks = stage_ranks()
    columns = _columns_of(targets, ranks)  # of each row only what the targets count: a few of 150 columns
    known = counts or {}
    now_counts = {code: known[code] for code in codes if code in known}
    unread = [code for code in codes if code not in known]
    if as_of:
        now_counts |= {code: metrics for code, _day, metrics in snapshots_for(unread, day=as_of, columns=columns)}
        then = {code: metrics for code, _day, metrics in snapshots_for(codes, day=window_start, columns=columns)}
    else:  # today's rows and the window's start in one round trip
        current, then = rollup_and_snapshots_for(unread, codes, day=window_start, columns=columns)
        now_counts |= current
    # Rows of that day say it was saved; without any, ask whether it was (its areas may just have had nothing).
    snapshotted = bool(then) or (bool(targets) and SnapshotDay.objects.filter(day=window_start).exists())
    rows = []
    for target in targets:
        if snapshotted:  # a region without a row that day had nothing to count
            earlier = _achieved(target, then.get(target.region_id, ZERO), ranks)
        else:
            earlier = target_achieved(target, on=window_start)
        figures = target_figures(target=target.target_count,
                                 achieved=_achieved(target, now_counts.get(target.region_id, ZERO), ranks),
                                 achieved_window_start=earlier, due_date=target.due_date, today=today,
                                 start_date=target.start_date,
                                 window_days=window)
        rows.append(TargetRow(target, figures))
    return rows


def dashboard_targets(*, user, board: Dashboard, limit: int = 200, regions_for: int | None = None) -> list[TargetRow]:
    """
    The targets of the dashboard's area (top-level ones for the nation), at-risk first. On a dashboard of a past
    day, the targets that had started by then, with their figures as they stood at its end. ``regions_for``: the
    first so many rows get their region (the caller shows only those); by default every row.
    """
    targets = Target.objects.for_user(user)
    if board.as_of:
        targets = targets.filter(start_date__lte=board.as_of)
    if board.is_nation:
        targets = targets.filter(parent__isnull=True)
    elif board.area.code:
        targets = targets.filter(region_id=board.area.code)
    else:
        targets = targets.filter(region_id__in=[child.code for child in board.children])
    # The page's own rows (its day's figures) are the targets' figures for its area and children.
    shown = {row.code: row.metrics for row in (board.area, *board.children) if row.code}
    rows = target_rows(_with_catalogue(list(targets.order_by("due_date")[:limit])), counts=shown,
                       as_of=board.as_of)
    rows.sort(key=lambda row: (not row.figures.at_risk, row.target.due_date))
    # Regions fetched by key for the rows shown rather than joined (a join scans the whole tree).
    prefetch_related_objects([row.target for row in rows[:regions_for]], "region")
    return rows


def _with_catalogue(targets: list[Target]) -> list[Target]:
    """
    Each target's stage or unit type from the catalogues kept in process, not joined: the joins cost the nation's
    200 targets more to plan and send than the rows themselves (an unknown id is left to be read if asked for).
    """
    stages, unit_types = catalogue_stages(), catalogue_unit_types()
    for target in targets:
        if target.stage_id in stages:
            Target.stage.field.set_cached_value(target, stages[target.stage_id])
        if target.unit_type_id in unit_types:
            Target.unit_type.field.set_cached_value(target, unit_types[target.unit_type_id])
    return targets


def burn_up(row: TargetRow, today: date | None = None) -> dict:
    """
    Achieved per day from the snapshots, today's figure, the target line and the projection at the
    recent pace, one value a day from ``first_day`` (``chart_days`` names the days). The chart runs to a month
    past the due date (or today), clipping a far projection.
    """
    target, figures = row.target, row.figures
    today = today or timezone.localdate()
    ranks = stage_ranks()
    # By day number: the walk below looks up some 600 days on every drawing of a kabupaten's page.
    points = {day.toordinal(): _achieved(target, metrics, ranks)
              for _code, day, metrics in snapshots_for([target.region_id], since=target.start_date, until=today,
                                                       columns=_columns_of([target], ranks))}
    points[today.toordinal()] = figures.achieved
    # At most six years of daily points, whatever dates a stored row carries (even 9999-12-31).
    cap = today + timedelta(days=5 * 366)
    due = min(target.due_date, cap)
    horizon = max(due, today) + timedelta(days=30)
    last_day = min(max(due, min(figures.projected_completion or due, cap), today), horizon)
    first_day = max(target.start_date, last_day - timedelta(days=6 * 366))
    first, count = first_day.toordinal(), (last_day - first_day).days + 1
    achieved, value = [], None
    for day in range(first, min(today.toordinal(), first + count - 1) + 1):  # up to today: none after it
        value = points.get(day, value)
        achieved.append(value)
    achieved += [None] * (count - len(achieved))
    projection = [None] * count
    if figures.gap and figures.recent_daily_rate and today >= target.start_date:
        today_index = today.toordinal() - first
        for index in range(today_index, count):
            projection[index] = round(min(figures.achieved + figures.recent_daily_rate * (index - today_index),
                                          target.target_count), 1)
    return {"first_day": first_day.isoformat(), "achieved": achieved, "projection": projection,
            "target": target.target_count, "due": target.due_date.isoformat(), "figures": figures}


def chart_days(chart: dict) -> list[str]:
    """The days of a ``burn_up`` chart, one per value (the page's script names them itself)."""
    first = date.fromisoformat(chart["first_day"]).toordinal()
    return [date.fromordinal(first + offset).isoformat() for offset in range(len(chart["achieved"]))]


def dashboard_section(*, user, board: Dashboard, query) -> dict:
    """
    The targets card of an area's dashboard: its targets at-risk first, and the burn-up chart of the
    one chosen in ``query["target"]`` (else the first at risk, else the first).
    """
    rows = dashboard_targets(user=user, board=board, regions_for=DASHBOARD_TARGETS_SHOWN)
    selected = next((row for row in rows if str(row.target.pk) == query.get("target")),
                    next((row for row in rows if row.figures.at_risk), rows[0] if rows else None))
    if selected:  # chosen from further down the list: its region too (a no-op when it is among those shown)
        prefetch_related_objects([selected.target], "region")
    chart = burn_up(selected, today=board.as_of) if selected else None
    labels = {"achieved": _("Achieved"), "projection": _("Projection at the recent pace"), "target": _("Target"),
              "due": _("Due date")}
    return {
        "targets": rows[:DASHBOARD_TARGETS_SHOWN], "selected": selected, "burn_up": chart, "chart": bool(chart),
        "burn_up_json": {key: value for key, value in chart.items() if key != "figures"} | {"labels": labels}
        if chart else None,
        "window_days": settings.TARGET_RATE_WINDOW_DAYS,
    }


def report_section(*, user, board: Dashboard) -> dict:
    """
    The targets part of the PDF progress report: the area's targets with their split by kecamatan (or
    kabupaten) under each, and the burn-up chart of the first one at risk (else the first).
    """
    rows = dashboard_targets(user=user, board=board)
    split = (Target.objects.for_user(user).filter(parent__in=[row.target for row in rows])
             .select_related("region", "stage", "unit_type").order_by("region_id"))
    children: dict[int, list[TargetRow]] = {}
    for row in target_rows(list(split), as_of=board.as_of):
        children.setdefault(row.target.parent_id, []).append(row)
    chosen = next((row for row in rows if row.figures.at_risk), rows[0] if rows else None)
    chart = burn_up(chosen, today=board.as_of) if chosen else None
    svg = line_chart_svg(
        chart_days(chart),
        [{"values": chart["achieved"], "color": "#1a7f37", "label": _("Achieved")},
         {"values": chart["projection"], "color": "#9a6700", "dashed": True,
          "label": _("Projection at the recent pace")}],
        target=chart["target"], due=chart["due"],
    ) if chart else ""
    return {"targets": rows, "children": children, "chart_row": chosen,
            "chart": mark_safe(svg)}  # noqa: S308 - drawn from numbers and escaped labels
