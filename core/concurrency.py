"""
No lost updates. Two officers editing different fields of the same row at the same moment both keep
their change: a service re-reads the row under a lock (``locked``) and writes only the fields it changed
(``save_changed``). Over the API, ``etag_of`` versions a row by its last audit record: GET answers an ETag
and a write with ``If-Match`` is refused (412) when someone else changed the row in between. A page's form
carries the same version, checked against ``locked_version`` under the lock its save then runs in.
"""

from django.db import models
from django.db import transaction

__all__ = ["WRITE_METHODS", "etag_of", "locked", "locked_version", "save_changed"]

# The methods a conditional request (If-Match) guards.
WRITE_METHODS = ("PATCH", "PUT", "DELETE")


def locked(instance: models.Model) -> models.Model:
    """The row again, as it is now, locked until the end of the transaction (SELECT … FOR UPDATE)."""
    return type(instance)._default_manager.select_for_update().get(pk=instance.pk)


def save_changed(instance: models.Model, names, *, actor) -> None:
    """Save only the named fields (and the row's auto-updated timestamps), recording ``actor`` in the history."""
    fields = {field.name: field for field in instance._meta.concrete_fields}
    by_attname = {field.attname: field for field in instance._meta.concrete_fields}
    update = {(fields.get(name) or by_attname[name]).name for name in names if name in fields or name in by_attname}
    update |= {field.name for field in fields.values() if getattr(field, "auto_now", False)}
    instance._history_user = actor
    instance.save(update_fields=sorted(update))


def locked_version(instance: models.Model) -> str:
    """
    The row's version (``etag_of``) for checking a posted form, with the row locked until the end of the
    transaction: nobody can save the row between the check and this user's save, which must run in the same
    transaction (a view handling the post under ``transaction.atomic``).
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("locked_version() needs the transaction that will also save the row.")
    type(instance)._default_manager.select_for_update(of=("self",)).filter(pk=instance.pk).values_list("pk").first()
    return etag_of(instance)


def etag_of(instance: models.Model) -> str:
    """A strong ETag that changes with every recorded change of the row."""
    latest = instance.history.order_by("-history_id").values_list("history_id", flat=True).first()
    return f'"{instance._meta.label_lower}-{instance.pk}-{latest or 0}"'
