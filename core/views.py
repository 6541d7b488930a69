"""Base classes for server-rendered views. Querysets come from the model's scoping, never by hand."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _

from core.roles import Action
from core.scoping import scope_for

__all__ = ["ActionRequiredMixin", "ScopedQuerysetMixin", "int_param", "posted_object", "user_can"]


def int_param(request, name: str, default: int, low: int, high: int) -> int:
    """A whole number from the query string, kept between ``low`` and ``high``; the default if not a number."""
    try:
        return min(max(int(request.GET.get(name, default)), low), high)
    except ValueError:
        return default


def posted_object(queryset, request, field: str, **filters):
    """
    The object of ``queryset`` whose id the form posted in ``field``, or 404. An id that is not a whole number (a
    tampered or truncated form) finds nothing, rather than failing in the database with a 500.
    """
    value = request.POST.get(field) or ""
    if not (value.isascii() and value.isdigit()):
        raise Http404
    return get_object_or_404(queryset, pk=int(value), **filters)


def user_can(user, action: Action, code: str | None) -> bool:
    """Whether to show a button: the service checks again when it is pressed."""
    return scope_for(user, action).contains(code)


class ActionRequiredMixin(LoginRequiredMixin):
    """Refuses (403) users who may not ``scope_action`` anywhere."""

    scope_action = Action.VIEW

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and scope_for(request.user, self.scope_action).is_empty:
            raise PermissionDenied(_("Your account has no role that allows this page."))
        return super().dispatch(request, *args, **kwargs)


class ScopedQuerysetMixin(ActionRequiredMixin):
    """``get_queryset`` is the model's rows inside the user's scope for ``scope_action``."""

    model = None

    def get_queryset(self):
        return self.model.objects.for_user(self.request.user, self.scope_action)
