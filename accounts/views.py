"""Delegated user administration: officers invite and deactivate users inside their own area."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView
from django.views.generic import TemplateView

from core.audit import audit_trail
from core.roles import Action
from core.scoping import scope_for
from core.views import ActionRequiredMixin
from core.views import posted_object

from . import services
from .forms import ProfileForm
from .forms import RoleAssignForm
from .forms import UserInviteForm
from .models import User
from .selectors import user_assignments
from .selectors import user_audit_history
from .selectors import user_list
from .selectors import user_mfa_state

__all__ = ["ProfileView", "UserCreateView", "UserDetailView", "UserListView", "UserStatusView"]

USERS_PER_PAGE = 50


class UserListView(ActionRequiredMixin, TemplateView):
    template_name = "accounts/user_list.html"
    scope_action = Action.MANAGE_USERS

    def get_context_data(self, **kwargs):
        filters = {key: self.request.GET.get(key, "") for key in ("q", "role", "region", "is_active")}
        users = Paginator(user_list(actor=self.request.user, filters=filters), USERS_PER_PAGE)
        return super().get_context_data(users=users.get_page(self.request.GET.get("page")), filters=filters, **kwargs)


class UserCreateView(ActionRequiredMixin, FormView):
    template_name = "accounts/user_form.html"
    form_class = UserInviteForm
    scope_action = Action.MANAGE_USERS

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "actor": self.request.user}

    def get_initial(self):
        # Links such as "invite a coordinator for this kecamatan" preset the role and region.
        return {key: self.request.GET[key] for key in ("role", "region", "federation") if self.request.GET.get(key)}

    def form_valid(self, form):
        data = form.cleaned_data
        region, federation = data.get("region"), data.get("federation")
        ok, user = form.call_service(services.user_invite, actor=self.request.user, email=data["email"],
                                     full_name=data["full_name"], role=data["role"],
                                     region_code=region.code if region else None,
                                     federation_id=federation.pk if federation else None)
        if not ok:
            return self.form_invalid(form)
        messages.success(self.request, _("%(name)s was invited; an e-mail with a sign-in link is on its way.")
                         % {"name": user.full_name})
        return redirect("accounts:detail", pk=user.pk)


class UserDetailView(ActionRequiredMixin, FormView):
    """One user: roles, status, the form to grant another role, and the audit trail."""

    template_name = "accounts/user_detail.html"
    form_class = RoleAssignForm
    scope_action = Action.MANAGE_USERS

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.subject = get_object_or_404(User.objects.for_user(request.user, Action.MANAGE_USERS),
                                             pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "actor": self.request.user}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            subject=self.subject,
            assignments=user_assignments(self.subject),
            history=audit_trail(*user_audit_history(self.subject), limit=50),
            is_self=self.subject.pk == self.request.user.pk,
            **kwargs,
        )

    def form_valid(self, form):
        region, federation = form.cleaned_data.get("region"), form.cleaned_data.get("federation")
        ok, _assignment = form.call_service(services.role_assign, actor=self.request.user, user=self.subject,
                                            role=form.cleaned_data["role"], region_code=region.code if region else None,
                                            federation_id=federation.pk if federation else None)
        if not ok:
            return self.form_invalid(form)
        messages.success(self.request, _("Role granted."))
        return redirect("accounts:detail", pk=self.subject.pk)


class UserStatusView(ActionRequiredMixin, View):
    """POST-only actions on one user: deactivate, reactivate, revoke a role."""

    scope_action = Action.MANAGE_USERS
    http_method_names = ["post"]

    def post(self, request, pk, operation):
        subject = get_object_or_404(User.objects.for_user(request.user, Action.MANAGE_USERS), pk=pk)
        try:
            if operation == "deactivate":
                services.user_deactivate(actor=request.user, user=subject)
                messages.success(request, _("The account was deactivated."))
            elif operation == "reactivate":
                services.user_reactivate(actor=request.user, user=subject)
                messages.success(request, _("The account was reactivated."))
            elif operation == "revoke":
                assignment = posted_object(subject.role_assignments, request, "assignment")
                services.role_revoke(actor=request.user, assignment=assignment)
                messages.success(request, _("The role was removed."))
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
        return redirect(reverse("accounts:detail", kwargs={"pk": subject.pk}))


class ProfileView(ActionRequiredMixin, FormView):
    """
    The signed-in person's own name, position and NIP (for signatures), their roles, and the ways in to their
    sign-in settings (e-mail address, password, two-factor authentication).
    """

    template_name = "accounts/profile.html"
    form_class = ProfileForm

    def get_initial(self):
        user = self.request.user
        return {"full_name": user.full_name, "position_title": user.position_title, "nip": user.nip}

    def get_context_data(self, **kwargs):
        mfa_required, mfa_active = user_mfa_state(self.request.user)
        return super().get_context_data(assignments=user_assignments(self.request.user),
                                        national=scope_for(self.request.user, Action.MANAGE_USERS).everything,
                                        mfa_required=mfa_required, mfa_active=mfa_active, **kwargs)

    def form_valid(self, form):
        ok, _user = form.call_service(services.user_profile_update, actor=self.request.user, user=self.request.user,
                                      **form.cleaned_data)
        if not ok:
            return self.form_invalid(form)
        messages.success(self.request, _("Profile saved."))
        return redirect("accounts:profile")
