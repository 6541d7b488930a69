"""
Reading land and construction: lists through the user's scope, a plot's page, the map layer of a kabupaten,
slipping and overdue projects, cost per m², and the business of operating units (late or missing monthly
reports, revenue by unit type and region, trading units, and sites built but idle).
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from datetime import timedelta

from django.db.models import Count
from django.db.models import Exists
from django.db.models import OuterRef
from django.db.models import Q
from django.db.models import Sum
from django.db.models.functions import Substr
from django.urls import reverse
from django.utils import timezone

from core.roles import Action
from koperasi.models import Cooperative
from units.models import Unit
from units.models import UnitStatus
from units.models import UnitType
from wilayah.models import Region

from .filtersets import ConstructionProjectFilterSet
from .filtersets import LandPlotFilterSet
from .models import VERIFIED_STATUSES
from .models import ConstructionProject
from .models import LandPlot
from .models import PlotStatus
from .models import ProgressReport
from .models import UnitMonthlyReport
from .progress import Slippage
from .progress import curve
from .progress import slippage

__all__ = [
    "IDLE_AFTER_DAYS",
    "MAP_POINTS_LIMIT",
    "REPORT_DUE_DAY",
    "cooperative_land_section",
    "cost_per_m2_by_province",
    "idle_sites",
    "land_counts",
    "map_points",
    "missing_unit_reports",
    "plot_filter",
    "project_filter",
    "project_progress",
    "revenue_by_unit_type",
    "slipping_projects",
    "trading_units",
]

MAP_POINTS_LIMIT = 5000  # a kabupaten has a few hundred plots; a province at most a few thousand
REPORT_DUE_DAY = 10  # a month's report is due by the 10th of the next month
IDLE_AFTER_DAYS = 60  # a building handed over this long ago without a trading unit is idle


def plot_filter(*, user, filters: dict | None = None, request=None) -> LandPlotFilterSet:
    plots = (LandPlot.objects.for_user(user, Action.VIEW)
             .select_related("cooperative", "village__parent").order_by("-created_at"))
    return LandPlotFilterSet(filters or {}, plots, user=user, request=request)


def project_filter(*, user, filters: dict | None = None, request=None) -> ConstructionProjectFilterSet:
    projects = (ConstructionProject.objects.for_user(user, Action.VIEW)
                .select_related("plot__cooperative", "plot__village").order_by("planned_finish"))
    return ConstructionProjectFilterSet(filters or {}, projects, user=user, request=request)


def _published(project: ConstructionProject) -> list[tuple[date, int]]:
    return list(project.reports.filter(is_draft=False).values_list("reported_on", "percent"))


@dataclass
class ProjectProgress:
    project: ConstructionProject
    slippage: Slippage
    curve: dict
    reports: list[ProgressReport]


def project_progress(project: ConstructionProject, *, today: date | None = None) -> ProjectProgress:
    """A project's standing against its plan, its curves and its reports (drafts included, newest first)."""
    today = today or timezone.localdate()
    published = _published(project)
    standing = slippage(start=project.planned_start, finish=project.planned_finish, reports=published, day=today,
                        handed_over_on=project.handed_over_on)
    reports = list(project.reports.prefetch_related("photos").order_by("-reported_on", "-created_at"))
    return ProjectProgress(project=project, slippage=standing, reports=reports,
                           curve=curve(start=project.planned_start, finish=project.planned_finish,
                                       reports=published, until=today))


def slipping_projects(*, user, code: str | None = None, today: date | None = None) -> list[tuple]:
    """
    Projects not handed over that are behind plan or past their planned finish, worst first: (project,
    slippage). Uses the latest published figure kept on the project, so a kabupaten's list is one query.
    """
    today = today or timezone.localdate()
    projects = ConstructionProject.objects.for_user(user, Action.VIEW).filter(handed_over_on__isnull=True)
    if code:
        projects = projects.filter(plot__cooperative__village__code__startswith=code)
    rows = []
    for project in projects.select_related("plot__cooperative"):
        reports = [(project.progress_on, project.progress_percent)] if project.progress_on else []
        standing = slippage(start=project.planned_start, finish=project.planned_finish, reports=reports, day=today)
        if standing.is_slipping:
            rows.append((project, standing))
    rows.sort(key=lambda row: (-row[1].overdue_days, -row[1].behind))
    return rows


def land_counts(*, user, code: str | None = None) -> dict[str, int]:
    """Plots by status in the user's scope (live, for the land pages; dashboards read the roll-up)."""
    plots = LandPlot.objects.for_user(user, Action.VIEW)
    if code:
        plots = plots.filter(cooperative__village__code__startswith=code)
    by_status = dict(plots.values_list("status").annotate(count=Count("id")).values_list("status", "count"))
    return {
        "recorded": sum(count for status, count in by_status.items() if status != PlotStatus.REJECTED),
        "verified": sum(by_status.get(status, 0) for status in VERIFIED_STATUSES),
        "construction": by_status.get(PlotStatus.CONSTRUCTION, 0),
        "handed_over": by_status.get(PlotStatus.HANDED_OVER, 0),
        "rejected": by_status.get(PlotStatus.REJECTED, 0),
        "awaiting_verification": by_status.get(PlotStatus.SURVEYED, 0),
    }


def map_points(*, user, code: str | None = None) -> list[dict]:
    """The located plots of an area for the map: position, status and construction progress."""
    plots = LandPlot.objects.for_user(user, Action.VIEW).filter(latitude__isnull=False)
    if code:
        plots = plots.filter(cooperative__village__code__startswith=code)
    progress = dict(ConstructionProject.objects.filter(plot__in=plots.values("pk"))
                    .values("plot_id").annotate(top=Sum("progress_percent"), n=Count("id"))
                    .values_list("plot_id", "top"))
    counts = dict(ConstructionProject.objects.filter(plot__in=plots.values("pk"))
                  .values("plot_id").annotate(n=Count("id")).values_list("plot_id", "n"))
    points = []
    for plot in plots.select_related("cooperative").order_by("pk")[:MAP_POINTS_LIMIT]:
        percent = round(progress[plot.pk] / counts[plot.pk]) if plot.pk in counts else None
        points.append({
            "id": plot.pk, "name": plot.name, "cooperative": plot.cooperative.name, "status": plot.status,
            "status_label": str(PlotStatus(plot.status).label), "lat": float(plot.latitude),
            "lon": float(plot.longitude), "percent": percent, "url": reverse("pembangunan:plot", args=[plot.pk]),
        })
    return points


def cost_per_m2_by_province(*, user) -> list[dict]:
    """Contract value per m² of floor area built, by province: officers compare a contract with its peers."""
    rows = (ConstructionProject.objects.for_user(user, Action.VIEW)
            .annotate(province=Substr("plot__cooperative__village_id", 1, 2))
            .values("province").annotate(value=Sum("contract_value"), area=Sum("building_area_m2"),
                                         projects=Count("id"))
            .order_by("province"))
    names = dict(Region.objects.filter(code__in=[row["province"] for row in rows]).values_list("code", "name"))
    return [{"code": row["province"], "name": names.get(row["province"], row["province"]),
             "projects": row["projects"], "value": row["value"], "area": row["area"],
             "per_m2": row["value"] // row["area"] if row["area"] else 0} for row in rows]


def cooperative_land_section(cooperative: Cooperative) -> dict:
    """The cooperative's plots and their construction on its page."""
    plots = list(cooperative.land_plots.prefetch_related("projects").order_by("created_at"))
    return {"plots": plots}


# Units in business ------------------------------------------------------------------------------------------------

def _month_start(day: date) -> date:
    return day.replace(day=1)


def _previous_month(day: date) -> date:
    return _month_start(_month_start(day) - timedelta(days=1))


def _months(first: date, last: date) -> list[date]:
    months, month = [], _month_start(first)
    while month <= last:
        months.append(month)
        month = _month_start(month + timedelta(days=32))
    return months


def _operating_units(user, code: str | None):
    units = (Unit.objects.for_user(user, Action.VIEW)
             .filter(status=UnitStatus.OPERASIONAL, go_live_date__isnull=False)
             .select_related("cooperative", "unit_type"))
    if code:
        units = units.filter(cooperative__village__code__startswith=code)
    return units


def missing_unit_reports(*, user, code: str | None = None, today: date | None = None,
                         months_back: int = 6) -> list[dict]:
    """
    Operating units with months (of the last ``months_back``) not reported, or reported late (after the 10th of
    the next month): for follow-up by the area's officers.
    """
    today = today or timezone.localdate()
    last = _previous_month(today)
    first = _month_start(last - timedelta(days=31 * (months_back - 1)))
    units = list(_operating_units(user, code))
    filed = defaultdict(dict)
    for unit_id, month, filed_at in (UnitMonthlyReport.objects.filter(unit__in=[u.pk for u in units],
                                                                       month__gte=first)
                                     .values_list("unit_id", "month", "filed_at")):
        filed[unit_id][month] = timezone.localdate(filed_at)
    rows = []
    for unit in units:
        due_months = _months(max(first, _month_start(unit.go_live_date)), last)
        missing = [month for month in due_months if month not in filed[unit.pk]
                   and today > _month_start(month + timedelta(days=32)).replace(day=REPORT_DUE_DAY)]
        late = [month for month, on in filed[unit.pk].items()
                if on > _month_start(month + timedelta(days=32)).replace(day=REPORT_DUE_DAY)]
        if missing or late:
            rows.append({"unit": unit, "missing": missing, "late": sorted(late)})
    rows.sort(key=lambda row: (-len(row["missing"]), row["unit"].cooperative.name))
    return rows


def revenue_by_unit_type(*, user, code: str | None = None, month: date | None = None) -> list[dict]:
    """Revenue and costs of a month (default: the last ended month) by unit type."""
    month = _month_start(month) if month else _previous_month(timezone.localdate())
    reports = UnitMonthlyReport.objects.for_user(user, Action.VIEW).filter(month=month)
    if code:
        reports = reports.filter(unit__cooperative__village__code__startswith=code)
    sums = {row["unit__unit_type_id"]: row for row in reports.values("unit__unit_type_id").annotate(
        revenue=Sum("revenue"), costs=Sum("costs"), units=Count("id"))}
    rows = []
    for unit_type in UnitType.objects.filter(pk__in=[key for key in sums if key]):
        row = sums[unit_type.pk]
        rows.append({"unit_type": unit_type, "revenue": row["revenue"], "costs": row["costs"], "units": row["units"]})
    return rows


def revenue_by_region(*, user, code: str, month: date | None = None) -> list[dict]:
    """Revenue of a month by the areas one level below ``code`` (kecamatan of a kabupaten, …)."""
    month = _month_start(month) if month else _previous_month(timezone.localdate())
    length = {2: 5, 5: 8, 8: 13}.get(len(code), 2)
    reports = (UnitMonthlyReport.objects.for_user(user, Action.VIEW).filter(month=month)
               .filter(unit__cooperative__village__code__startswith=code)
               .annotate(area=Substr("unit__cooperative__village_id", 1, length))
               .values("area").annotate(revenue=Sum("revenue"), costs=Sum("costs"), units=Count("id")))
    names = dict(Region.objects.filter(code__in=[row["area"] for row in reports]).values_list("code", "name"))
    return sorted(({**row, "name": names.get(row["area"], row["area"])} for row in reports),
                  key=lambda row: -row["revenue"])


def trading_units(*, user, code: str | None = None, today: date | None = None) -> dict:
    """Operating units, and those actually trading: revenue reported for one of the last two ended months."""
    today = today or timezone.localdate()
    recent = (_previous_month(_previous_month(today)), _previous_month(today))
    units = _operating_units(user, code)
    trading = units.filter(Exists(UnitMonthlyReport.objects.filter(unit=OuterRef("pk"), month__in=recent,
                                                                   revenue__gt=0)))
    return {"operating": units.count(), "trading": trading.count()}


def idle_sites(*, user, code: str | None = None, today: date | None = None) -> list[dict]:
    """
    Buildings handed over at least ``IDLE_AFTER_DAYS`` ago whose cooperative has no unit trading there: a hosted
    unit not yet operating, or operating without revenue in the last two ended months.
    """
    today = today or timezone.localdate()
    recent = (_previous_month(_previous_month(today)), _previous_month(today))
    plots = (LandPlot.objects.for_user(user, Action.VIEW)
             .filter(status=PlotStatus.HANDED_OVER,
                     handed_over_at__date__lte=today - timedelta(days=IDLE_AFTER_DAYS))
             .select_related("cooperative").prefetch_related("unit_types"))
    if code:
        plots = plots.filter(cooperative__village__code__startswith=code)
    rows = []
    for plot in plots[:500]:
        hosted = [unit_type.pk for unit_type in plot.unit_types.all()]
        units = Unit.objects.filter(cooperative=plot.cooperative_id)
        if hosted:
            units = units.filter(unit_type__in=hosted)
        trading = units.filter(Q(status=UnitStatus.OPERASIONAL) & Exists(UnitMonthlyReport.objects.filter(
            unit=OuterRef("pk"), month__in=recent, revenue__gt=0)))
        if not trading.exists():
            rows.append({"plot": plot, "units": list(units.select_related("unit_type"))})
    return rows
