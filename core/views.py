"""Base classes for server-rendered views. Querysets come from the model's scoping, never by hand."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from core.roles import Action
from core.scoping import scope_for

__all__ = ["ActionRequiredMixin", "ScopedQuerysetMixin", "int_param", "user_can"]


def int_param(request, name: str, default: int, low: int, high: int) -> int:
    """A whole number from the query string, kept between ``low`` and ``high``; the default if not a number."""
    try:
        return min(max(int(request.GET.get(name, default)), low), high)
    except ValueError:
        return default


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
