"""Loading the official region list."""

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import connection
from django.db import transaction
from django.utils.translation import gettext as _
from simple_history.utils import bulk_update_with_history

from core.identifiers import REGION_CODE_PATTERN

from .models import LEVELS_BY_DEPTH
from .models import Region
from .models import RegionKind
from .models import RegionLevel

__all__ = ["DEFAULT_REGION_FILE", "RegionImportResult", "active_village", "region_import"]

DEFAULT_REGION_FILE = Path(__file__).resolve().parent / "data" / "wilayah.csv"
_CODE_RE = re.compile(REGION_CODE_PATTERN)
_KINDS_BY_LEVEL = {
    RegionLevel.PROVINCE: {""},
    RegionLevel.REGENCY: {RegionKind.KABUPATEN, RegionKind.KOTA},
    RegionLevel.DISTRICT: {""},
    RegionLevel.VILLAGE: {RegionKind.DESA, RegionKind.KELURAHAN, RegionKind.DESA_ADAT},
}
_FIELDS = ("name", "level", "kind", "parent_id", "child_count", "village_count", "kelurahan_count", "is_active")
_BATCH_SIZE = 5000
_MAX_REPORTED_ERRORS = 20


def active_village(code: str, *, field: str) -> Region:
    """The active desa/kelurahan with this code, or a ValidationError on ``field``."""
    village = Region.objects.filter(code=code, level=RegionLevel.VILLAGE, is_active=True).first()
    if village is None:
        raise ValidationError({field: _("“%(code)s” is not an active desa/kelurahan code.") % {"code": code}})
    return village


@dataclass(frozen=True)
class RegionImportResult:
    created: int
    updated: int
    unchanged: int
    deactivated: int

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged


def _read_rows(path: Path) -> dict[str, dict]:
    """Parse and validate the file; every bad line is reported, and nothing is written."""
    rows: dict[str, dict] = {}
    errors: list[str] = []
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        missing = {"code", "name", "level", "parent_code", "kind"} - set(reader.fieldnames or ())
        if missing:
            raise ValidationError(
                _("The region file lacks the columns: %(columns)s.") % {"columns": ", ".join(sorted(missing))}
            )
        for line, raw in enumerate(reader, start=2):
            code, name = raw["code"].strip(), " ".join(raw["name"].split())
            problem = None
            if not _CODE_RE.match(code):
                problem = _("“%(code)s” is not a Kemendagri code.") % {"code": code}
            elif code in rows:
                problem = _("code %(code)s appears twice.") % {"code": code}
            elif not name:
                problem = _("the name is empty.")
            else:
                level = LEVELS_BY_DEPTH[code.count(".")]
                parent = code.rpartition(".")[0]
                if raw["level"].strip() != level:
                    problem = _("level “%(given)s” does not match the code (expected %(expected)s).") % {
                        "given": raw["level"], "expected": level}
                elif raw["parent_code"].strip() != parent:
                    problem = _("parent “%(given)s” does not match the code (expected “%(expected)s”).") % {
                        "given": raw["parent_code"], "expected": parent}
                elif raw["kind"].strip() not in _KINDS_BY_LEVEL[level]:
                    problem = _("kind “%(kind)s” is not valid for level %(level)s.") % {
                        "kind": raw["kind"], "level": level}
                elif parent and parent not in rows:
                    problem = _("parent %(parent)s is not listed before it.") % {"parent": parent}
            if problem:
                errors.append(_("Line %(line)d: %(problem)s") % {"line": line, "problem": problem})
                if len(errors) >= _MAX_REPORTED_ERRORS:
                    break
                continue
            rows[code] = {
                "name": name,
                "level": level,
                "kind": raw["kind"].strip(),
                "parent_id": parent or None,
                "is_active": True,
            }
    if errors:
        raise ValidationError(errors)
    _add_counts(rows)
    return rows


def _add_counts(rows: dict[str, dict]) -> None:
    """Child, village and kelurahan counts per region, accumulated bottom-up in one pass over the file."""
    for row in rows.values():
        row["child_count"] = 0
        row["village_count"] = 1 if row["level"] == RegionLevel.VILLAGE else 0
        row["kelurahan_count"] = int(row["level"] == RegionLevel.VILLAGE and row["kind"] == RegionKind.KELURAHAN)
    # Parents precede their children in the file, so walking it backwards finishes each subtree
    # before its parent is reached.
    for code in reversed(rows):
        row = rows[code]
        if row["parent_id"]:
            parent = rows[row["parent_id"]]
            parent["child_count"] += 1
            parent["village_count"] += row["village_count"]
            parent["kelurahan_count"] += row["kelurahan_count"]


def _copy_value(value) -> str:
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    return str(value).replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")


def _insert(rows: dict[str, dict]) -> None:
    """
    Insert new regions straight through the DB cursor: COPY on PostgreSQL, multi-row INSERTs
    elsewhere. The ORM's bulk_create spends most of its time preparing 91,599 × 8 values one by
    one; this keeps a full national load to a couple of seconds.
    """
    if not rows:
        return
    columns = ("code", *_FIELDS)
    quote = connection.ops.quote_name
    table = quote(Region._meta.db_table)
    values = [(code, *(row[column] for column in _FIELDS)) for code, row in rows.items()]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            buffer = io.StringIO("".join("\t".join(map(_copy_value, row)) + "\n" for row in values))
            cursor.copy_expert(f"COPY {table} ({', '.join(quote(c) for c in columns)}) FROM STDIN", buffer)
            return
        per_statement = max(1, connection.features.max_query_params // len(columns))
        head = f"INSERT INTO {table} ({', '.join(quote(c) for c in columns)}) VALUES "
        placeholder = "(" + ", ".join(["%s"] * len(columns)) + ")"
        for start in range(0, len(values), per_statement):
            chunk = values[start:start + per_statement]
            cursor.execute(head + ", ".join([placeholder] * len(chunk)), [v for row in chunk for v in row])


def _update(changed: dict[str, dict], existing: dict[str, dict], reason: str) -> None:
    """
    Update rows in place, recording each change in the audit history. Creation from the official
    file is not recorded row by row (the file's version is), so a region changed for the first
    time first gets a baseline record of its previous state: the trail then shows before → after.
    """
    codes = list(changed)
    with_history = set(Region.history.filter(code__in=codes).values_list("code", flat=True).distinct())
    baseline = [Region(code=code, **existing[code]) for code in codes if code not in with_history]
    if baseline:
        Region.history.bulk_history_create(baseline, batch_size=_BATCH_SIZE,
                                           default_change_reason=_("State before the update"))
    bulk_update_with_history(
        [Region(code=code, **row) for code, row in changed.items()],
        Region,
        fields=list(_FIELDS),
        batch_size=_BATCH_SIZE,
        default_change_reason=reason,
    )


@transaction.atomic
def region_import(*, path: Path = DEFAULT_REGION_FILE) -> RegionImportResult:
    """
    Create or update the region tree from the official CSV, idempotently.

    New codes are inserted, changed rows (a renamed desa, a new kind) are updated in place, and
    codes no longer in the file are kept but marked inactive, because cooperatives may still
    point at them. A second run with the same file writes nothing.
    """
    rows = _read_rows(Path(path))
    existing = {
        code: dict(zip(_FIELDS, values, strict=True))
        for code, *values in Region.objects.values_list("code", *_FIELDS).iterator(chunk_size=10_000)
    }
    to_create = {code: row for code, row in rows.items() if code not in existing}
    to_update = {code: row for code, row in rows.items() if code in existing and existing[code] != row}
    to_deactivate = {
        code: {**current, "is_active": False}
        for code, current in existing.items()
        if code not in rows and current["is_active"]
    }
    _insert(to_create)
    if to_create and connection.vendor == "postgresql":
        # Fresh statistics, or the planner keeps estimating an empty table and scans it whole.
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(Region._meta.db_table)}")
    if to_update or to_deactivate:
        reason = _("Official region list %(file)s") % {"file": Path(path).name}
        _update({**to_update, **to_deactivate}, existing, reason)
    return RegionImportResult(
        created=len(to_create),
        updated=len(to_update),
        unchanged=len(rows) - len(to_create) - len(to_update),
        deactivated=len(to_deactivate),
    )
