"""Reading the audit trail that django-simple-history keeps for every domain model."""

from dataclasses import dataclass
from dataclasses import field
from datetime import date
from datetime import datetime
from datetime import time
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

__all__ = ["AuditChange", "AuditEntry", "audit_trail"]

_ACTIONS = {"+": _("created"), "~": _("changed"), "-": _("deleted")}


@dataclass(frozen=True)
class AuditChange:
    field: str
    label: str
    old: object
    new: object


@dataclass(frozen=True)
class AuditEntry:
    when: datetime
    who: str | None
    action: str
    action_label: str
    reason: str
    subject: str
    changes: list[AuditChange] = field(default_factory=list)


def _attname(model, name: str) -> str:
    try:
        return model._meta.get_field(name).attname
    except Exception:
        return name


def _label(model, name: str) -> str:
    try:
        return str(model._meta.get_field(name).verbose_name)
    except Exception:  # a field removed since the record was written
        return name


_PLAIN = (str, int, float, bool, date, time, Decimal)


def _display(record, name: str):
    """
    The stored value of a field (by name or column name): its choice label where it has choices,
    the key for a foreign key, and text for anything richer (a phone number), so that a new record
    and a later change show values the same way and JSON can carry them.
    """
    try:
        field = record.instance_type._meta.get_field(name)
    except Exception:  # a field removed since the record was written
        return getattr(record, name, None)
    value = getattr(record, field.attname, None)
    if field.choices and isinstance(value, str | int):
        return dict(field.flatchoices).get(value, value)
    if value is None or isinstance(value, (*_PLAIN, dict, list)):
        return value
    return str(value)


def audit_trail(*history_querysets, limit: int | None = None, redact: dict | None = None) -> list[AuditEntry]:
    """
    Entries newest first, each with the before/after value of every field it changed.

    Accepts the history of several models (an account and its role assignments, say) and merges
    them. One query per model: records are fetched oldest first and compared pairwise in Python.
    ``redact`` maps field names to a function applied to their values (e.g. masking a NIK for a
    reader who may not see it).
    """
    entries: list[AuditEntry] = []
    for queryset in history_querysets:
        entries.extend(_entries(queryset, redact or {}))
    entries.sort(key=lambda entry: entry.when, reverse=True)
    return entries[:limit] if limit else entries


def _redacted(changes: list[AuditChange], redact: dict) -> list[AuditChange]:
    def hide(field, value):
        return redact[field](value) if value else value

    return [
        AuditChange(c.field, c.label, hide(c.field, c.old), hide(c.field, c.new)) if c.field in redact else c
        for c in changes
    ]


def _entries(history_queryset, redact: dict) -> list[AuditEntry]:
    records = history_queryset.select_related("history_user").order_by("history_date", "history_id")
    previous_by_object: dict = {}
    entries: list[AuditEntry] = []
    for record in records:
        model = record.instance_type
        key = getattr(record, model._meta.pk.attname)
        previous = previous_by_object.get(key)
        changes = []
        if previous is not None and record.history_type == "~":
            delta = record.diff_against(previous)
            changes = [
                AuditChange(_attname(model, change.field), _label(model, change.field),
                            _display(previous, change.field), _display(record, change.field))
                for change in delta.changes
            ]
        elif record.history_type == "+":
            changes = [
                AuditChange(f.attname, _label(model, f.name), None, _display(record, f.attname))
                for f in model._meta.concrete_fields
                if not f.primary_key and getattr(record, f.attname, None) not in (None, "", {}, [])
            ]
        previous_by_object[key] = record
        user = record.history_user
        entries.append(
            AuditEntry(
                when=record.history_date,
                who=str(user) if user else None,
                action=record.history_type,
                action_label=str(_ACTIONS.get(record.history_type, record.history_type)),
                reason=record.history_change_reason or "",
                subject=str(model._meta.verbose_name),
                changes=_redacted(changes, redact) if redact else changes,
            )
        )
    return entries
