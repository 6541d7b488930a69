"""
Reading the roll-up for dashboards, exports and the API. Every read starts from the user's scope and
touches a handful of pre-computed rows, never the base tables, so a national page costs the same as a
desa page.
"""

import base64
import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from dataclasses import field
from datetime import UTC
from datetime import date
from datetime import datetime
from datetime import timedelta

from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Q
from django.db.models import Sum
from django.http import Http404
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from bumdes.models import BusinessSite
from bumdes.models import Federation
from bumdes.models import SiteFigure
from bumdes.models import SiteKind
from bumdes.models import SiteStatus
from bumdes.selectors import capital_shares
from bumdes.selectors import federation_family
from core.changes import dirty_villages_pending
from core.roles import Action
from core.scoping import VILLAGE_CODE_LENGTH
from core.scoping import Scope
from core.scoping import federation_member_codes
from core.scoping import scope_for
from koperasi.models import Cooperative
from koperasi.models import FormationStage
from units.models import UnitStatus
from units.models import UnitType
from wilayah.models import Region
from wilayah.models import RegionKind
from wilayah.models import RegionLevel
from wilayah.models import ancestor_codes_of

from .indicators import INDICATORS
from .indicators import Indicator
from .indicators import indicator
from .indicators import operational_indicator
from .metrics import METRIC_COLUMNS
from .metrics import NATION
from .metrics import OPS_BUCKETS
from .metrics import STAGE_BUCKETS
from .metrics import UNIT_CODES
from .metrics import UNIT_STATUSES
from .metrics import stage_column
from .metrics import stage_done_column
from .metrics import unit_column
from .models import FederationRollup
from .models import Letterhead
from .models import RegionRollup
from .models import RegionSnapshot
from .models import RollupState
from .models import SnapshotDay
from .sql import end_of_day
from .sql import time_windows
from .sql import village_facts

__all__ = [
    "AreaRow",
    "Dashboard",
    "FederationBoard",
    "Freshness",
    "NoSnapshot",
    "QuietCooperative",
    "area_at",
    "area_rows",
    "breadcrumbs",
    "catalogue_stages",
    "catalogue_unit_types",
    "counts_on",
    "dashboard",
    "federation_board",
    "freshness",
    "letterhead_for",
    "map_values",
    "not_updated",
    "not_updated_head",
    "rollup_and_snapshots_for",
    "rollup_for",
    "snapshots_for",
    "stage_ranks",
]

LEGAL_ENTITY_STAGE = "sk_ahu"
ZERO = dict.fromkeys(METRIC_COLUMNS, 0)


_MEMO: dict[str, tuple[float, object]] = {}
_MEMO_SECONDS = 60


def _memo(key: str, load, seconds: float = _MEMO_SECONDS):
    """
    Catalogue data (stage order, labels, the nation's village count) kept in this process for a
    minute, the roll-up's freshness for a second: dashboards read them on every page.
    """
    now = time.monotonic()
    hit = _MEMO.get(key)
    if hit is None or hit[0] < now:
        hit = (now + seconds, load())
        _MEMO[key] = hit
    return hit[1]


def stage_ranks() -> dict[str, int]:
    """Stage code → its position in the workflow (1-based)."""
    return _memo("stage-ranks", lambda: {code: rank for rank, code in enumerate(
        FormationStage.objects.order_by("order").values_list("code", flat=True), start=1)})


def catalogue_stages() -> dict[int, FormationStage]:
    """The formation stages by id (catalogue data, read-only), kept for a minute like the other catalogue data."""
    return _memo("stages", lambda: FormationStage.objects.in_bulk())


def catalogue_unit_types() -> dict[int, UnitType]:
    """The unit types by id (catalogue data, read-only), kept for a minute like the other catalogue data."""
    return _memo("unit-types", lambda: UnitType.objects.in_bulk())


def _labels(kind: str, load):
    """Catalogue labels in the active language."""
    return _memo(f"labels:{kind}:{get_language()}", load)


def _provinces() -> list[Region]:
    """The 38 provinces (catalogue data, read-only here), kept for a minute like the other catalogue data."""
    return _memo("provinces", lambda: list(Region.objects.filter(level=RegionLevel.PROVINCE).order_by("code")))


def _nation_villages() -> int:
    return _memo("nation-villages", lambda: Region.objects.filter(level=RegionLevel.PROVINCE).aggregate(
        total=Sum("village_count"))["total"] or 0)


def _nation_kelurahan() -> int:
    return _memo("nation-kelurahan", lambda: Region.objects.filter(level=RegionLevel.PROVINCE).aggregate(
        total=Sum("kelurahan_count"))["total"] or 0)


@dataclass
class AreaRow:
    """One region's counts with the percentages the dashboard shows."""

    code: str
    name: str
    level: str
    villages: int
    metrics: dict[str, int]
    reachable: bool = True
    kelurahan: int = 0  # of the villages; the rest are desa (the base of desa-only indicators)

    def __getattr__(self, name):
        metrics = self.__dict__.get("metrics", {})
        if name in metrics:
            return metrics[name]
        raise AttributeError(name)

    def _percent(self, item: Indicator) -> float:
        """An indicator's percentage as a number (0 over a base of 0), for sorting, the map and the API."""
        return float(item.percent(self) or 0)

    def stage_at_least(self, rank: int) -> int:
        return sum(self.metrics[stage_column(index)] for index in range(rank, STAGE_BUCKETS))

    def stage_done(self, code: str) -> int:
        """Cooperatives that completed this stage, whatever the order of the others."""
        rank = stage_ranks().get(code)
        if not rank:
            return 0
        # Whoever's unbroken run of stages passed it completed it too (also in snapshots older than stage_done).
        return max(self.stage_at_least(rank), self.metrics.get(stage_done_column(rank), 0))

    @property
    def desa(self) -> int:
        return self.villages - self.kelurahan

    @property
    def legal_entity(self) -> int:
        return self.stage_at_least(stage_ranks().get(LEGAL_ENTITY_STAGE, 5))

    @property
    def registered_percent(self) -> float:
        """Desa/kelurahan with a cooperative (a joint cooperative covers all its villages)."""
        return self._percent(indicator("villages_with_cooperative"))

    @property
    def legal_entity_percent(self) -> float:
        return self._percent(indicator("legal_entity_villages"))

    def operational_at_least(self, k: int) -> int:
        return sum(self.metrics[f"ops_{count}"] for count in range(k, OPS_BUCKETS))

    def operational_percent(self, k: int) -> float:
        return self._percent(operational_indicator(k))

    def indicators(self) -> list[dict]:
        """Every published indicator of this area: count, base, base count, percentage and its display."""
        return [item.as_dict(self) for item in INDICATORS]

    def shown(self, code: str) -> str:
        """An indicator's percentage as displayed ("12,34 %")."""
        return indicator(code).display(self)

    def unit_matrix(self) -> list[dict]:
        labels = _labels("units", lambda: {t.code: t.label for t in UnitType.objects.filter(code__in=UNIT_CODES)})
        return [
            {"code": code, "label": labels.get(code, code),
             "counts": [self.metrics[unit_column(code, status)] for status in UNIT_STATUSES]}
            for code in UNIT_CODES
        ]

    def stages(self) -> list[dict]:
        labels = [_("No stage completed"),
                  *_labels("stages", lambda: [stage.label for stage in FormationStage.objects.order_by("order")])]
        return [{"label": label, "count": self.metrics[stage_column(index)]} for index, label in enumerate(labels)]


_ROLLUP_SELECT = f"SELECT code, {', '.join(METRIC_COLUMNS)} FROM {RegionRollup._meta.db_table} WHERE "
_SNAPSHOT_SELECT = f"SELECT code, day, {', '.join(METRIC_COLUMNS)} FROM {RegionSnapshot._meta.db_table} WHERE "


def _code_among(codes: list[str]) -> tuple[str, list[str]]:
    """
    "code is one of ``codes``" as SQL and its parameters. On PostgreSQL one text parameter, split by the server:
    psycopg2 quotes each parameter into the statement in Python, and for the national page's targets (200 regions,
    read twice) that alone took ~0.5 ms of its database time. A region code holds digits and dots only; one that
    held a comma is refused rather than split (on every database, alike). Elsewhere (SQLite) one placeholder per
    code.
    """
    if not codes:
        return "1 = 0", []  # none: "IN ()" is no SQL
    joined = ",".join(codes)
    if joined.count(",") != len(codes) - 1:
        raise ValueError(f"A region code with a comma: {[code for code in codes if ',' in code]}")
    if connection.vendor != "postgresql":
        return f"code IN ({', '.join(['%s'] * len(codes))})", list(codes)
    return "code = ANY(string_to_array(%s, ','))", [joined]


def _fetch(select: str, codes: list[str], extra: str = "", params: tuple = ()) -> list[tuple]:
    """
    The roll-up's hot path reads 72 columns a row; building that query through the ORM costs more
    than running it, so these reads use prepared SQL text.
    """
    if not codes:
        return []
    among, among_params = _code_among(codes)
    with connection.cursor() as cursor:
        cursor.execute(select + among + extra, [*among_params, *params])
        return cursor.fetchall()


def _columns(columns: Iterable[str] | None) -> tuple[str, ...]:
    """The roll-up columns asked for, in their order (all when None); only known column names reach the SQL."""
    if columns is None:
        return METRIC_COLUMNS
    wanted = set(columns)
    if not wanted <= set(METRIC_COLUMNS):
        raise ValueError(f"Not roll-up columns: {sorted(wanted - set(METRIC_COLUMNS))}")
    return tuple(name for name in METRIC_COLUMNS if name in wanted)


def rollup_for(codes: list[str], columns: Iterable[str] | None = None) -> dict[str, dict[str, int]]:
    """
    The roll-up rows of these regions: every column, or only ``columns`` (a page reading one figure of many
    areas, e.g. its targets, need not carry the other 150 of each row).
    """
    names = _columns(columns)
    select = _ROLLUP_SELECT if columns is None else (
        f"SELECT code{''.join(', ' + name for name in names)} FROM {RegionRollup._meta.db_table} WHERE ")
    return {row[0]: dict(zip(names, row[1:], strict=True)) for row in _fetch(select, codes)}


def snapshots_for(codes: list[str], *, day: date | None = None, since: date | None = None,
                  until: date | None = None, columns: Iterable[str] | None = None,
                  ) -> list[tuple[str, date, dict[str, int]]]:
    """
    (code, day, metrics) of the snapshots of these regions on ``day``, or between ``since`` and ``until``: every
    column, or only ``columns``.
    """
    names = _columns(columns)
    select = _SNAPSHOT_SELECT if columns is None else (
        f"SELECT code, day{''.join(', ' + name for name in names)} FROM {RegionSnapshot._meta.db_table} WHERE ")
    if day is not None:
        rows = _fetch(select, codes, " AND day = %s", (day,))
    else:
        rows = _fetch(select, codes, " AND day >= %s AND day < %s", (since, until))
    return [(row[0], row[1], dict(zip(names, row[2:], strict=True))) for row in rows]


def rollup_and_snapshots_for(current: list[str], past: list[str], *, day: date, columns: Iterable[str]
                             ) -> tuple[dict[str, dict[str, int]], dict[str, dict[str, int]]]:
    """
    The roll-up rows of ``current`` and the snapshots of ``past`` on ``day``, only ``columns`` of each, in one round
    trip: what targets' figures read (achieved now, and at the start of their pace window).
    """
    names = _columns(columns)
    listed = "".join(", " + name for name in names)
    parts, params = [], []
    if current:
        among, among_params = _code_among(current)
        parts.append(f"SELECT code, CAST(NULL AS DATE){listed} FROM {RegionRollup._meta.db_table} WHERE {among}")
        params += among_params
    if past:
        among, among_params = _code_among(past)
        parts.append(f"SELECT code, day{listed} FROM {RegionSnapshot._meta.db_table} WHERE {among} AND day = %s")
        params += [*among_params, day]
    if not parts:
        return {}, {}
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), params)
        rows = cursor.fetchall()
    now_rows, day_rows = {}, {}
    for code, row_day, *values in rows:
        (now_rows if row_day is None else day_rows)[code] = dict(zip(names, values, strict=True))
    return now_rows, day_rows


class NoSnapshot(Http404):
    """No figures were saved for that day (before the portal, or not back-filled)."""


def counts_on(codes: list[str], day: date) -> dict[str, dict[str, int]]:
    """
    The counts of these regions at the end of ``day``: nation to kecamatan from that day's snapshot; desa/kelurahan
    (not snapshotted) recomputed from their dated records, a few villages at a time. Http404 when the day has no
    snapshot (none was taken or back-filled).
    """
    if not SnapshotDay.objects.filter(day=day).exists():
        raise NoSnapshot
    areas = [code for code in codes if len(code) != VILLAGE_CODE_LENGTH]
    villages = [code for code in codes if len(code) == VILLAGE_CODE_LENGTH]
    counts = {code: metrics for code, _day, metrics in snapshots_for(areas, day=day)}
    if villages:
        moment = end_of_day(day)
        facts = village_facts(codes=villages, as_of=moment, **time_windows(moment))
        with connection.cursor() as cursor:
            cursor.execute(f"{facts.sql} SELECT code, {', '.join(METRIC_COLUMNS)} FROM village", facts.params)
            counts.update({row[0]: dict(zip(METRIC_COLUMNS, (int(value or 0) for value in row[1:]), strict=True))
                           for row in cursor.fetchall()})
    return counts


def _counts(codes: list[str], day: date | None) -> dict[str, dict[str, int]]:
    return rollup_for(codes) if day is None else counts_on(codes, day)


def _area(region: Region, metrics: dict | None, reachable: bool = True) -> AreaRow:
    return AreaRow(region.code, region.name, region.level, region.village_count, metrics or dict(ZERO), reachable,
                   region.kelurahan_count)


def _sum(rows: list[AreaRow]) -> dict[str, int]:
    return {name: sum(row.metrics[name] for row in rows) for name in METRIC_COLUMNS}


@dataclass
class Freshness:
    as_of: datetime | None
    pending: int  # village refreshes not yet counted
    pending_since: datetime | None
    stale: bool  # changes have waited longer than a healthy worker would take
    held: int = 0  # of those, recorded in PostgreSQL because the queue (Redis) could not be reached


def freshness() -> Freshness:
    """
    When the numbers were last brought up to date, and whether changes are waiting (worker or Redis
    down?). Counted over the whole country, not the viewer's area: it is read once a second per
    process for every dashboard, and waiting changes are a sign of a stopped worker or an unreachable
    Redis, which hold back every area alike.
    """
    return _memo("freshness", _freshness, seconds=1)


def _freshness() -> Freshness:
    state = RollupState.objects.filter(pk=1).first()
    pending = dirty_villages_pending()
    since = timezone.localtime(pending.since) if pending.since else None
    stale = bool(pending.held or (since and timezone.now() - since > timedelta(seconds=30)))
    return Freshness(state.as_of if state else None, pending.count, since, stale, pending.held)


@dataclass
class Dashboard:
    area: AreaRow
    children: list[AreaRow]
    ancestors: list[tuple[str, str]] = field(default_factory=list)  # code, name: the areas above, top first
    is_nation: bool = False
    is_combined: bool = False
    child_level: str = ""
    map_layer: str = ""  # "provinces" or a province code whose kabupaten/kota are drawn
    map_focus: str = ""  # the kabupaten/kota to outline and zoom to, below province level
    extra: dict = field(default_factory=dict)
    as_of: date | None = None  # a past day: the counts at its end (snapshots), else the current roll-up


def breadcrumbs(scope, ancestors: list[tuple[str, str]]) -> list[tuple[str, str, bool]]:
    """(code, name, reachable) of the links above an area's page, from its ancestors' (code, name), top first."""
    return ([(NATION, _("Indonesia"), True)] if scope.everything else []) + [
        (code, name, scope.contains(code)) for code, name in ancestors]


def dashboard(*, user, code: str | None, as_of: date | None = None) -> Dashboard:
    """
    The area a dashboard page shows, and its children, all within the user's scope: now, or at the end of the
    past day ``as_of``.
    """
    scope = scope_for(user, Action.VIEW)
    if scope.is_empty:
        raise Http404
    if code == NATION and not scope.everything:
        raise Http404
    if code in (None, "", NATION):
        if scope.everything:
            provinces = _provinces()
            counts = _counts([NATION, *(p.code for p in provinces)], as_of)
            area = AreaRow(NATION, _("Indonesia"), "nation", _nation_villages(), counts.get(NATION, dict(ZERO)),
                           kelurahan=_nation_kelurahan())
            children = [_area(p, counts.get(p.code)) for p in provinces]
            return Dashboard(area, children, is_nation=True, child_level="province", map_layer="provinces",
                             as_of=as_of)
        roots = list(Region.objects.filter(code__in=scope.roots).order_by("code"))
        counts = _counts([root.code for root in roots], as_of)
        children = [_area(root, counts.get(root.code)) for root in roots]
        area = AreaRow("", _("My area"), "combined", sum(root.village_count for root in roots), _sum(children),
                       kelurahan=sum(root.kelurahan_count for root in roots))
        return Dashboard(area, children, is_combined=True, as_of=as_of)
    if not scope.contains(code):
        raise Http404
    # The area, the areas above it and its children in one read (a drawing is redrawn whenever its figures move).
    above_codes = ancestor_codes_of(code)
    family = list(Region.objects.filter(Q(code__in=[*above_codes, code]) | Q(parent_id=code)).order_by("code"))
    region = next((row for row in family if row.code == code), None)
    if region is None:
        raise Http404
    child_regions = [row for row in family if row.parent_id == code]
    counts = _counts([region.code, *(child.code for child in child_regions)], as_of)
    above = [(row.code, row.name) for row in family if row.code in above_codes]
    # Boundaries are shipped down to kabupaten/kota: below that, the map shows the kabupaten in its province.
    focus = region.code[:5] if region.level in (RegionLevel.REGENCY, RegionLevel.DISTRICT) else ""
    return Dashboard(
        _area(region, counts.get(region.code)),
        [_area(child, counts.get(child.code)) for child in child_regions],
        ancestors=above,
        child_level=child_regions[0].level if child_regions else "",
        map_layer=region.code[:2] if region.level != RegionLevel.VILLAGE else "",
        map_focus=focus,
        as_of=as_of,
    )


def map_values(*, user, board: Dashboard, k: int) -> dict[str, dict]:
    """
    The map's coloured areas: the children down to province level; below it, the kabupaten/kota
    itself, coloured only for users who may see it (a kecamatan officer sees its outline only).
    """
    rows = board.children
    if board.map_focus == board.area.code:
        rows = [board.area]
    elif board.map_focus:
        regency = Region.objects.for_user(user, Action.VIEW).filter(code=board.map_focus).first()
        rows = [_area(regency, _counts([regency.code], board.as_of).get(regency.code))] if regency else []
    return {row.code: {"legal": row.legal_entity_percent, "operational": row.operational_percent(k),
                       "reachable": row.reachable and row.code != board.area.code} for row in rows}


def area_at(*, user, code: str, day: date) -> AreaRow:
    """A region's (or the nation's) counts at the end of ``day`` (Http404 if the day has no snapshot)."""
    scope = scope_for(user, Action.VIEW)
    if code == NATION:
        if not scope.everything:
            raise Http404
        name, level, villages, kelurahan = _("Indonesia"), "nation", _nation_villages(), _nation_kelurahan()
    else:
        region = Region.objects.for_user(user, Action.VIEW).filter(code=code).first()
        if region is None:
            raise Http404
        name, level, villages, kelurahan = region.name, region.level, region.village_count, region.kelurahan_count
    # A day snapshotted without a row for this area: it had nothing to count (zeros).
    return AreaRow(code, name, level, villages, counts_on([code], day).get(code) or dict(ZERO), kelurahan=kelurahan)


def area_rows(*, user, code: str | None, as_of: date | None = None) -> list[AreaRow]:
    """The rows of a dashboard's table (its children), for exports and the API."""
    return dashboard(user=user, code=code, as_of=as_of).children


NOT_UPDATED_COUNT_LIMIT = 1000


def not_updated(*, user, code: str | None, days: int):
    """Cooperatives in the area with no change and no visit for ``days`` days, least recent first."""
    cooperatives = Cooperative.objects.for_user(user, Action.VIEW)
    if code and code != NATION:
        cooperatives = cooperatives.within(Scope.of([code]))
    return (cooperatives.filter(last_activity_at__lt=timezone.now() - timedelta(days=days))
            .select_related("village", "stage_reached").order_by("last_activity_at"))


@dataclass(frozen=True)
class QuietCooperative:
    pk: int
    name: str
    last_activity_at: datetime


def not_updated_head(*, user, code: str | None, days: int, first: int,
                     limit: int = NOT_UPDATED_COUNT_LIMIT) -> tuple[list[QuietCooperative], int]:
    """
    The ``first`` cooperatives of ``not_updated`` (least recent first) and how many there are, counted up to
    ``limit + 1`` (a national "1000+" costs the same as a kecamatan's 3): one round trip where the list and the
    count were two.
    """
    quiet = (not_updated(user=user, code=code, days=days).select_related(None)
             .values_list("pk", "name", "last_activity_at")[: limit + 1])
    sql, params = quiet.query.sql_with_params()
    # Planned on its own (PostgreSQL): as a subquery, the outer LIMIT made the planner price the window as if it
    # stopped early, so it walked the nation's quiet cooperatives in time order for a kabupaten's few (~15k index
    # entries) instead of reading the area's own (koperasi_coop_area_quiet). SQLite (the quickstart) plans it alike
    # without the word.
    materialized = "MATERIALIZED " if connection.vendor == "postgresql" else ""
    with connection.cursor() as cursor:
        # The count runs over the (at most limit + 1) rows before the outer LIMIT; ordered again by position, as the
        # inner query's order is not kept by the outer one.
        cursor.execute(f"WITH quiet AS {materialized}({sql}) SELECT *, COUNT(*) OVER () FROM quiet ORDER BY 3, 1 "
                       "LIMIT %s", [*params, first])
        rows = cursor.fetchall()
    # PostgreSQL gives the time with its zone; SQLite (the quickstart) as it stores it, in UTC without one.
    return ([QuietCooperative(pk, name, timezone.make_aware(moment, UTC) if timezone.is_naive(moment) else moment)
             for pk, name, moment, _count in rows], rows[0][3] if rows else 0)


def status_labels() -> list[str]:
    return [UnitStatus(status).label for status in UNIT_STATUSES]


@dataclass(frozen=True)
class LetterheadView:
    office_name: str
    address: str
    place: str
    logo_data_uri: str  # embedded, so that the PDF needs no file access or URL
    configured: bool


def letterhead_for(code: str | None) -> LetterheadView:
    """The letterhead of the region ``code``, else of the nearest region above it, else a plain default."""
    codes = [] if code in (None, "", NATION) else [".".join(code.split(".")[:depth])
                                                    for depth in range(code.count(".") + 1, 0, -1)]
    found = {letterhead.region_id: letterhead for letterhead in Letterhead.objects.filter(region_id__in=codes)}
    letterhead = next((found[c] for c in codes if c in found), None)
    if letterhead is None:
        region = Region.objects.filter(code=code).first() if codes else None
        name = region.name if region else _("Indonesia")
        place = name.replace("Kabupaten ", "").replace("Kota ", "") if region else "Jakarta"
        return LetterheadView(_("Office in charge of cooperatives, %(region)s") % {"region": name}, "", place, "",
                              configured=False)
    logo = ""
    if letterhead.logo:
        try:
            with letterhead.logo.open("rb") as handle:
                content = handle.read()
            kind = "png" if content[:8] == b"\x89PNG\r\n\x1a\n" else "jpeg"
            logo = f"data:image/{kind};base64," + base64.b64encode(content).decode()
        except FileNotFoundError:  # lost from the storage: the report goes out without it
            logo = ""
    return LetterheadView(letterhead.office_name, letterhead.address, letterhead.place, logo, configured=True)


# SECTION: the federation director's dashboard

FEDERATION_MEMBERS_PER_PAGE = 50
FIGURE_MONTHS = 24


@dataclass
class CoverageGap:
    """A kecamatan with member villages and no operating site of a kind (e.g. no clinic)."""

    code: str
    name: str
    members: int


@dataclass
class FederationBoard:
    federation: Federation
    area: AreaRow  # the federation's roll-up row: the sum over today's members
    members: object  # a page of AreaRow, one per member village
    sites: list
    site_counts: dict[str, int]
    capital_total: int
    capital_top: list
    gaps: list[CoverageGap]
    gap_count: int
    figures: list[dict]
    regencies: list[str]  # the kabupaten/kota of the members, for the map's outlines
    # When the federation's row was last summed: a village joining or leaving recomputes it alone, from the
    # villages' figures as fresh as the country's (the freshness line); the page says both.
    updated_at: datetime | None = None


def federation_board(*, user, federation_id: int, page: int | str | None = 1) -> FederationBoard:
    """
    A federation's dashboard, from its roll-up row (never from the base tables): members' KDKMP progress, the
    federation's sites, capital and shares, kecamatan of members without an operating clinic, and the sites'
    monthly figures. The federation is reached through the user's scope (Http404 outside it).
    """
    scope = scope_for(user, Action.VIEW)
    federations = Federation.objects.select_related("seat")
    # A federation of the user's own is in scope by its id: no need to test its seat against thousands of members.
    if not scope.reaches(None, federation_id):
        federations = federations.within(scope)
    federation = federations.filter(pk=federation_id).first()
    if federation is None:
        raise Http404
    today = timezone.localdate()
    codes = federation_member_codes(user, [federation.pk])
    row = FederationRollup.objects.filter(federation=federation).first()
    metrics = row.metrics() if row else dict(ZERO)
    kelurahan = Region.objects.filter(code__in=codes, kind=RegionKind.KELURAHAN).count()
    area = AreaRow(f"F{federation.pk}", federation.name, "federation", len(codes), metrics, kelurahan=kelurahan)
    members = Paginator(codes, FEDERATION_MEMBERS_PER_PAGE).get_page(page)
    regions = {region.code: region for region in Region.objects.filter(code__in=list(members)).select_related(
        "parent")}
    counts = rollup_for(list(members))
    members.object_list = [_area(regions[code], counts.get(code)) for code in members if code in regions]
    cooperatives = dict(Cooperative.objects.filter(village_id__in=list(regions)).values_list("village_id", "pk"))
    for member in members.object_list:
        member.district = regions[member.code].parent.name if regions[member.code].parent else ""
        member.cooperative_id = cooperatives.get(member.code)
    # Its own sites and those of the companies it owns (the PT of a BUM Desa Bersama runs its clinics).
    family = sorted(federation_family([federation.pk]))
    sites = list(BusinessSite.objects.filter(federation_id__in=family).select_related("village__parent")
                 .order_by("status", "kind", "name"))
    site_counts = dict.fromkeys(SiteStatus.values, 0)
    for site in sites:
        site_counts[site.status] += 1
    total, shares = capital_shares(federation, day=today, limit=10)
    gaps, gap_count = _coverage_gaps(codes, sites, SiteKind.CLINIC)
    return FederationBoard(
        federation=federation, area=area, members=members, sites=sites, site_counts=site_counts,
        capital_total=total, capital_top=shares, gaps=gaps, gap_count=gap_count,
        figures=_monthly_figures(family, today), regencies=sorted({code[:5] for code in codes}),
        updated_at=row.updated_at if row else None)


COVERAGE_GAPS_NAMED = 30


def _coverage_gaps(codes: list[str], sites: list, kind: str) -> tuple[list[CoverageGap], int]:
    """
    Kecamatan among the member villages with no operating site of ``kind`` in them, most members first: the
    first COVERAGE_GAPS_NAMED of them with their names, and how many there are in all.
    """
    districts = Counter(code[:8] for code in codes)
    covered = {site.village_id[:8] for site in sites if site.kind == kind and site.status == SiteStatus.OPERATING}
    missing = sorted((code for code in districts if code not in covered), key=lambda code: (-districts[code], code))
    shown = missing[:COVERAGE_GAPS_NAMED]
    names = dict(Region.objects.filter(code__in=shown).values_list("code", "name"))
    return [CoverageGap(code, names.get(code, code), districts[code]) for code in shown], len(missing)


def _monthly_figures(federation_ids: list[int], today: date) -> list[dict]:
    """The sites' revenue, costs and patients per month over the last FIGURE_MONTHS months, oldest first."""
    first = (today.replace(day=1) - timedelta(days=31 * (FIGURE_MONTHS - 1))).replace(day=1)
    rows = (SiteFigure.objects.filter(site__federation_id__in=federation_ids, month__gte=first).values("month")
            .annotate(revenue=Sum("revenue"), costs=Sum("costs"), patients=Sum("patients")).order_by("month"))
    return [{"month": row["month"], "revenue": row["revenue"] or 0, "costs": row["costs"] or 0,
             "patients": row["patients"] or 0} for row in rows]
