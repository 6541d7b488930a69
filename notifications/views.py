"""The notification list (the bell), opening one, marking read, and the e-mail settings."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView
from django.views.generic import TemplateView

from core.views import ActionRequiredMixin

from . import services
from .forms import NotificationPreferencesForm
from .models import Notification
from .selectors import email_kinds
from .selectors import notification_list

__all__ = ["NotificationListView", "NotificationOpenView", "NotificationPreferencesView"]

PER_PAGE = 30


class NotificationListView(ActionRequiredMixin, TemplateView):
    template_name = "notifications/notification_list.html"

    def get_context_data(self, **kwargs):
        filterset = notification_list(user=self.request.user, filters=self.request.GET)
        page = Paginator(filterset.qs, PER_PAGE).get_page(self.request.GET.get("page"))
        return super().get_context_data(page=page, filterset=filterset, **kwargs)

    def post(self, request):
        count = services.notifications_mark_all_read(user=request.user)
        messages.success(request, _("%(count)s notifications marked as read.") % {"count": count})
        return redirect("notifications:list")


class NotificationOpenView(ActionRequiredMixin, View):
    """Mark one notification read and go where it points."""

    http_method_names = ["post"]

    def post(self, request, pk):
        notification = get_object_or_404(Notification.objects.filter(user=request.user), pk=pk)
        services.notification_mark_read(user=request.user, notification=notification)
        if request.POST.get("next") != "list" and notification.url and url_has_allowed_host_and_scheme(
                notification.url, allowed_hosts={request.get_host()}):
            return redirect(notification.url)
        return redirect("notifications:list")


class NotificationPreferencesView(ActionRequiredMixin, FormView):
    template_name = "notifications/preferences.html"
    form_class = NotificationPreferencesForm

    def get_initial(self):
        return {"email_kinds": email_kinds(self.request.user)}

    def form_valid(self, form):
        ok, _kinds = form.call_service(services.notification_preferences_set, user=self.request.user,
                                       email_kinds=form.cleaned_data["email_kinds"])
        if not ok:
            return self.form_invalid(form)
        messages.success(self.request, _("Notification settings saved."))
        return redirect("notifications:preferences")
