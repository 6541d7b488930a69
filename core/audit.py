"""
Reading the audit trail that django-simple-history keeps for every domain model, in words people
read: names instead of keys, "Ya"/"Tidak", dates as dates, stage data as labelled fields, and no
storage paths or hashes.

A model may shape how its history reads with four optional class attributes or methods:

* ``audit_hidden_fields``: field names never shown (a storage path, a file hash);
* ``audit_format(name, value)``: the text of a value of one of its fields, or ``None`` for the default;
* ``audit_subject(record)``: what an entry is about ("Tahap Sosialisasi", "berkas daftar_hadir.pdf");
* ``audit_reasons``: change-reason codes as words ({"replaced": "berkas diganti"});
* ``audit_skip_created``: true when a row's creation says nothing (stages created empty with their cooperative).
"""

from dataclasses import dataclass
from dataclasses import field
from datetime import date
from datetime import datetime
from datetime import time
from decimal import Decimal

from django.db import models
from django.utils import formats
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.formatting import grouped

__all__ = ["AuditChange", "AuditEntry", "audit_trail", "person_label"]

_ACTIONS = {"+": gettext_lazy("created"), "~": gettext_lazy("changed"), "-": gettext_lazy("deleted")}


@dataclass(frozen=True)
class AuditChange:
    field: str
    label: str
    old: object
    new: object
    old_text: str = ""
    new_text: str = ""


@dataclass(frozen=True)
class AuditEntry:
    when: datetime
    who: str | None
    action: str
    action_label: str
    reason: str
    subject: str
    changes: list[AuditChange] = field(default_factory=list)


def person_label(user) -> str:
    """A person as the history names them: "Siti Aminah (Kabupaten/kota officer, Kabupaten Pati)"."""
    office = getattr(user, "office_label", "")
    return f"{user} ({office})" if office else str(user)


def _field(model, name: str):
    try:
        return model._meta.get_field(name)
    except Exception:  # a field removed since the record was written
        return next((f for f in model._meta.concrete_fields if f.attname == name), None)


def _label(model, name: str) -> str:
    found = _field(model, name)
    return str(found.verbose_name) if found is not None else name


_PLAIN = (str, int, float, bool, date, time, Decimal)


def _raw(record, name: str):
    """
    The stored value of a field (by name or column name): its choice label where it has choices,
    the key for a foreign key, and text for anything richer (a phone number), so that a new record
    and a later change show values the same way and JSON can carry them.
    """
    found = _field(record.instance_type, name)
    if found is None:
        return getattr(record, name, None)
    value = getattr(record, found.attname, None)
    if found.choices and isinstance(value, str | int):
        return dict(found.flatchoices).get(value, value)
    if value is None or isinstance(value, (*_PLAIN, dict, list)):
        return value
    return str(value)


def _text(model, name: str, value, related: dict) -> str:
    """How a value reads on a page."""
    if value is None or value == "":
        return "—"
    custom = getattr(model, "audit_format", None)
    if custom is not None:
        shaped = custom(name, value)
        if shaped is not None:
            return str(shaped)
    found = _field(model, name)
    if isinstance(found, models.ForeignKey):
        return related.get((found.related_model, value), str(value))
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, datetime):
        return formats.date_format(timezone.localtime(value) if timezone.is_aware(value) else value,
                                   "DATETIME_FORMAT")
    if isinstance(value, date):
        # A month's figures are stored on its first day: "Oktober 2026", not "1 Okt 2026".
        return formats.date_format(value, "YEAR_MONTH_FORMAT" if name == "month" else "DATE_FORMAT")
    if isinstance(value, int) and name != "year" and not name.endswith("_bp"):
        return grouped(value)  # amounts, areas and counts as the pages write them: 55.693.000 (not years, shares)
    if isinstance(value, dict):
        return "; ".join(f"{key}: {item}" for key, item in value.items())
    if isinstance(value, list | tuple):  # e.g. a member's NIK warnings, each a sentence
        return "; ".join(str(item) for item in value) or "—"
    return str(value)


def audit_trail(*history_querysets, limit: int | None = None, redact: dict | None = None) -> list[AuditEntry]:
    """
    Entries newest first, each with the before/after value of every field it changed.

    Accepts the history of several models (a cooperative and its stages, say) and merges them. One
    query per model, plus one per kind of related object named in the changes. ``redact`` maps field
    names to a function applied to their values (e.g. masking a NIK for a reader who may not see it).
    Saves that changed nothing visible (a sign-in stamping a timestamp) are left out.
    """
    redact = redact or {}
    raw_entries = []
    for queryset in history_querysets:
        raw_entries.extend(_entries(queryset))
    related = _related_names(raw_entries)
    entries = []
    for record, model, who, changes in raw_entries:
        shown = []
        for name, old, new in changes:
            if name in redact:
                old, new = (redact[name](old) if old else old), (redact[name](new) if new else new)
            shown.append(AuditChange(name, _label(model, name), old, new,
                                     _text(model, name, old, related) if old is not None else "",
                                     _text(model, name, new, related)))
        if record.history_type == "~" and not shown and not record.history_change_reason:
            continue
        if record.history_type == "+" and getattr(model, "audit_skip_created", False):
            continue
        reason = record.history_change_reason or ""
        entries.append(AuditEntry(
            when=record.history_date,
            who=related.get(("user", who)) if who else None,
            action=record.history_type,
            action_label=str(_ACTIONS.get(record.history_type, record.history_type)),
            reason=str(getattr(model, "audit_reasons", {}).get(reason, reason)),
            subject=_subject(model, record),
            changes=shown,
        ))
    entries.sort(key=lambda entry: entry.when, reverse=True)
    return entries[:limit] if limit else entries


def _subject(model, record) -> str:
    custom = getattr(model, "audit_subject", None)
    return str(custom(record)) if custom is not None else str(model._meta.verbose_name)


def _entries(history_queryset) -> list[tuple]:
    """(record, model, author id, [(field, old, new)]) per history record, oldest first."""
    records = history_queryset.order_by("history_date", "history_id")
    previous_by_object: dict = {}
    entries = []
    for record in records:
        model = record.instance_type
        hidden = set(getattr(model, "audit_hidden_fields", ()))
        key = getattr(record, model._meta.pk.attname)
        previous = previous_by_object.get(key)
        changes = []
        if previous is not None and record.history_type == "~":
            for change in record.diff_against(previous).changes:
                found = _field(model, change.field)
                name = found.attname if found is not None else change.field
                if change.field not in hidden and name not in hidden:
                    changes.append((name, _raw(previous, change.field), _raw(record, change.field)))
        elif record.history_type == "+":
            changes = [
                (f.attname, None, _raw(record, f.attname))
                for f in model._meta.concrete_fields
                if not f.primary_key and f.name not in hidden and f.attname not in hidden
                and getattr(record, f.attname, None) not in (None, "", {}, [])
            ]
        previous_by_object[key] = record
        entries.append((record, model, record.history_user_id, changes))
    return entries


def _related_names(raw_entries) -> dict:
    """Names of the objects the changes point at (and of the authors), fetched once per model."""
    wanted: dict = {}
    authors = set()
    for _record, model, who, changes in raw_entries:
        if who:
            authors.add(who)
        for name, old, new in changes:
            found = _field(model, name)
            if isinstance(found, models.ForeignKey):
                wanted.setdefault(found.related_model, set()).update(v for v in (old, new) if v is not None)
    names: dict = {}
    for related_model, keys in wanted.items():
        for obj in related_model._default_manager.filter(pk__in=keys):
            names[(related_model, obj.pk)] = person_label(obj) if hasattr(obj, "office_label") else str(obj)
    if authors and raw_entries:
        user_model = raw_entries[0][0].__class__._meta.get_field("history_user").related_model
        for user in user_model._default_manager.filter(pk__in=authors):
            names[("user", user.pk)] = person_label(user)
    return names
