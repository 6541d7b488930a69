"""
The roll-up of federations: a federation's row is the sum of the village rows of its members as they are
today (member villages joined on or before today and not yet left, and the seats of member cooperatives, each
village once). Set-based SQL, portable between PostgreSQL and SQLite, writing with an upsert so that two
refreshes of one federation cannot collide.

Kept fresh in three ways: the incremental refresh of villages also refreshes the federations those villages
belong to; a change of membership queues its federation (``core.changes.federation_changed``); and the
nightly reconcile rebuilds every federation row, which also catches the members whose joining or leaving date
has come without any write.
"""

from datetime import date

from django.db import connection
from django.db import transaction
from django.utils import timezone

from bumdes.models import Federation
from bumdes.models import FederationCooperative
from bumdes.models import FederationVillage
from koperasi.models import Cooperative

from .metrics import METRIC_COLUMNS
from .models import FederationRollup
from .models import RegionRollup
from .sql import bind

__all__ = ["federation_members_sql", "federations_of_villages", "rollup_refresh_federations"]

_TABLE = FederationRollup._meta.db_table
_COLUMNS = ", ".join(METRIC_COLUMNS)


def federation_members_sql() -> str:
    """``SELECT federation_id, code``: each federation's member villages on ``%(day)s``, each village once."""
    villages, cooperatives = FederationVillage._meta.db_table, FederationCooperative._meta.db_table
    current = "m.joined_on <= %(day)s AND (m.left_on IS NULL OR m.left_on > %(day)s)"
    return (f"SELECT m.federation_id, m.village_id AS code FROM {villages} m WHERE {current} "
            f"UNION SELECT m.federation_id, c.village_id AS code FROM {cooperatives} m "
            f"JOIN {Cooperative._meta.db_table} c ON c.id = m.cooperative_id WHERE {current}")


def federations_of_villages(codes: list[str], day: date | None = None) -> list[int]:
    """The federations that have any of these villages among their members on ``day`` (default today)."""
    if not codes:
        return []
    query = bind(f"SELECT DISTINCT federation_id FROM ({federation_members_sql()}) members "
                 f"WHERE code IN (%(codes)s)", day=day or timezone.localdate(), codes=sorted(codes))
    with connection.cursor() as cursor:
        cursor.execute(query.sql, query.params)
        return sorted(row[0] for row in cursor.fetchall())


def rollup_refresh_federations(federation_ids: list[int] | None = None, *, day: date | None = None) -> int:
    """
    Recompute the rows of these federations (all of them with ``None``) as the sum of their members' village
    rows. Idempotent; a federation without members gets a row of zeros. Returns the number of rows written.
    """
    if federation_ids is not None and not federation_ids:
        return 0
    sums = ", ".join(f"COALESCE(SUM(r.{name}), 0)" for name in METRIC_COLUMNS)
    updates = ", ".join(f"{name} = excluded.{name}" for name in (*METRIC_COLUMNS, "villages", "updated_at"))
    # SQLite parses an upsert from a SELECT only with a WHERE clause.
    only = "WHERE f.id IN (%(ids)s)" if federation_ids is not None else "WHERE 1 = 1"
    query = bind(
        f"INSERT INTO {_TABLE} (federation_id, villages, {_COLUMNS}, updated_at) "
        f"SELECT f.id, COUNT(members.code), {sums}, %(now)s FROM {Federation._meta.db_table} f "
        f"LEFT JOIN ({federation_members_sql()}) members ON members.federation_id = f.id "
        f"LEFT JOIN {RegionRollup._meta.db_table} r ON r.code = members.code AND r.level = 'village' "
        f"{only} GROUP BY f.id "
        f"ON CONFLICT (federation_id) DO UPDATE SET {updates}",
        day=day or timezone.localdate(), now=timezone.now(), ids=sorted(set(federation_ids or [])))
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(query.sql, query.params)
        return cursor.rowcount
