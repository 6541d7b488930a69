"""Small helpers shared by the apps' services."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

__all__ = ["require_known_fields"]


def require_known_fields(changes: dict, allowed) -> None:
    """Refuse an update that names fields the service does not let the caller change."""
    unknown = set(changes) - set(allowed)
    if unknown:
        raise ValidationError(
            _("These fields cannot be changed here: %(fields)s.") % {"fields": ", ".join(sorted(unknown))}
        )
