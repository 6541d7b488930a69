"""
The roll-up's facts about events, attendance and the deal pipeline (kegiatan), per village, as one CTE body
that ``reports.sql.village_facts`` joins to the others by village code. Portable between PostgreSQL and SQLite.

Per desa/kelurahan:

- ``events_held``: events (not cancelled) whose venue is in the village and whose attendance has been taken;
- ``villages_reached``: 1 when anyone came from the village to an event (not cancelled), else 0, so a kecamatan's
  row counts its villages reached;
- ``attendees`` and ``attendees_<role>``: attendances of people from the village (partners' representatives,
  who come from no village, are not counted by region);
- ``deals``, ``deals_<kind>``, ``deals_<stage>``: deals of the village's cooperative; ``deal_value_open`` the
  value of those not yet closed or lost (the open pipeline), ``deal_value_closed`` of those completed.

With ``dated`` (snapshots rebuilt for a past day) events count when they started by then, attendances and deals
when recorded by then; a deal counts at its current stage (stage moves are not dated rows).
"""

from kegiatan.models import OPEN_STAGES
from kegiatan.models import Attendee
from kegiatan.models import AttendeeRole
from kegiatan.models import Deal
from kegiatan.models import DealKind
from kegiatan.models import DealStage
from kegiatan.models import Event
from koperasi.models import Cooperative

from .metrics import DEAL_KINDS
from .metrics import DEAL_STAGES
from .metrics import EVENT_ROLES
from .metrics import KEGIATAN_COLUMNS

__all__ = ["dashboard_kegiatan_section", "kegiatan_village_sql"]

_EVENT, _ATTENDEE = Event._meta.db_table, Attendee._meta.db_table
_DEAL, _COOPERATIVE = Deal._meta.db_table, Cooperative._meta.db_table
_OPEN = ", ".join(f"'{stage}'" for stage in OPEN_STAGES)  # fixed values, safe to inline


def _row(values: dict[str, str]) -> str:
    """One select list over every kegiatan column, the ones not named being 0."""
    return ", ".join(f"{values.get(name, '0')} AS {name}" for name in KEGIATAN_COLUMNS)


def kegiatan_village_sql(*, only: bool, dated: bool) -> str:
    """``SELECT code, <every kegiatan column>`` per village; ``only``: the villages ``%(codes)s``."""
    events = _row({"events_held": "1"})
    attendees = _row({"attendees": "1", **{f"attendees_{role}": f"CASE WHEN a.role = '{role}' THEN 1 ELSE 0 END"
                                           for role in EVENT_ROLES}})
    deals = _row({
        "deals": "1",
        **{f"deals_{kind}": f"CASE WHEN d.kind = '{kind}' THEN 1 ELSE 0 END" for kind in DEAL_KINDS},
        **{f"deals_{stage}": f"CASE WHEN d.stage = '{stage}' THEN 1 ELSE 0 END" for stage in DEAL_STAGES},
        "deal_value_open": f"CASE WHEN d.stage IN ({_OPEN}) THEN d.value ELSE 0 END",
        "deal_value_closed": "CASE WHEN d.stage = 'closed' THEN d.value ELSE 0 END",
    })
    event_when = " AND e.venue_village_id IN (%(codes)s)" if only else ""
    attendee_when = " AND a.village_id IN (%(codes)s)" if only else ""
    deal_when = " AND c.village_id IN (%(codes)s)" if only else ""
    if dated:
        event_when += " AND e.starts_at <= %(as_of)s"
        attendee_when += " AND a.recorded_at <= %(as_of)s"
        deal_when += " AND d.created_at <= %(as_of)s"
    facts = (
        f"SELECT e.venue_village_id AS code, {events} FROM {_EVENT} e "
        f"WHERE e.cancelled_at IS NULL AND e.venue_village_id IS NOT NULL "
        f"AND EXISTS (SELECT 1 FROM {_ATTENDEE} x WHERE x.event_id = e.id){event_when} "
        f"UNION ALL SELECT a.village_id AS code, {attendees} FROM {_ATTENDEE} a JOIN {_EVENT} e ON e.id = a.event_id "
        f"WHERE e.cancelled_at IS NULL AND a.village_id IS NOT NULL AND a.role <> 'partner'{attendee_when} "
        f"UNION ALL SELECT c.village_id AS code, {deals} FROM {_DEAL} d "
        f"JOIN {_COOPERATIVE} c ON c.id = d.cooperative_id WHERE 1 = 1{deal_when}"
    )
    sums = {name: f"SUM(k.{name})" for name in KEGIATAN_COLUMNS}
    sums["villages_reached"] = "CASE WHEN SUM(k.attendees) > 0 THEN 1 ELSE 0 END"
    columns = ", ".join(f"{sums[name]} AS {name}" for name in KEGIATAN_COLUMNS)
    return f"SELECT k.code AS code, {columns} FROM ({facts}) k GROUP BY k.code"


def dashboard_kegiatan_section(*, user, board, query) -> dict:
    """The dashboard card: events held, villages reached, attendance by role and the deal pipeline of the area."""
    area = board.area
    roles = [(str(AttendeeRole(role).label), area.metrics[f"attendees_{role}"]) for role in EVENT_ROLES]
    return {
        "area": area,
        "roles": [(label, count) for label, count in roles if count],
        "stages": [(str(DealStage(stage).label), area.metrics[f"deals_{stage}"]) for stage in DEAL_STAGES],
        "kinds": [(str(DealKind(kind).label), area.metrics[f"deals_{kind}"]) for kind in DEAL_KINDS],
        "any": any(area.metrics[name] for name in KEGIATAN_COLUMNS),
    }
