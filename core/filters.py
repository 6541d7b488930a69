import django_filters
from django.utils.translation import gettext_lazy as _

__all__ = ["StrictBooleanFilter"]


class StrictBooleanFilter(django_filters.TypedChoiceFilter):
    """``true``/``false`` only: anything else is a 400 with the field named, not silently ignored."""

    def __init__(self, **kwargs):
        kwargs.setdefault("choices", [("true", _("yes")), ("false", _("no"))])
        kwargs.setdefault("coerce", lambda value: value == "true")
        super().__init__(**kwargs)
