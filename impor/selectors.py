"""Reading imports: the jobs a user may see are those of the kinds they may import, inside their scope."""

from django.db.models import Q

from core.scoping import scope_for

from .kinds import import_kinds
from .models import ImportJob

__all__ = ["import_jobs_for", "importable_kinds"]


def importable_kinds(user, *, cooperative=None) -> list:
    """The kinds ``user`` may import: into ``cooperative`` (member, balance) or for their area (formation)."""
    kinds = []
    for kind_class in import_kinds():
        scope = scope_for(user, kind_class.action)
        if kind_class.needs_cooperative:
            if cooperative is not None and scope.contains(cooperative.village_id):
                kinds.append(kind_class)
        elif cooperative is None and not scope.is_empty:
            kinds.append(kind_class)
    return kinds


def import_jobs_for(user):
    """Every job whose kind the user may import, in the area where they may import it."""
    query = Q(pk__in=[])
    for kind_class in import_kinds():
        scope = scope_for(user, kind_class.action)
        if not scope.is_empty:
            query |= Q(kind=kind_class.kind) & scope.q(ImportJob.scope_path)
    return ImportJob.objects.filter(query).select_related("cooperative", "created_by")
