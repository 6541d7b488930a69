"""The member register and board of one cooperative. NIKs are masked unless the user may see personal data."""

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.shortcuts import get_object_or_404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from core.audit import audit_trail
from core.client_ip import client_ip
from core.concurrency import etag_of
from core.concurrency import locked_version
from core.roles import Action
from core.scoping import scope_for
from core.throttling import PersonalDataThrottledMixin
from core.views import ActionRequiredMixin
from core.views import posted_object
from core.views import user_can
from koperasi.models import CooperativeVillage
from koperasi.views import CooperativeObjectMixin

from . import services
from .forms import ApplicationDecisionForm
from .forms import MemberForm
from .forms import MemberStatusForm
from .forms import PositionForm
from .forms import SelfRegistrationForm
from .models import ApplicationStatus
from .models import Member
from .models import MemberApplication
from .models import MemberStatus
from .models import Position
from .models import ReadChannel
from .selectors import MEMBER_REDACTIONS
from .selectors import personal_data_reads

__all__ = ["ApplicationListView", "MemberDetailView", "MemberListView", "PersonalDataReadListView",
           "SelfRegistrationView"]

PER_PAGE = 50


class MemberListView(PersonalDataThrottledMixin, CooperativeObjectMixin, TemplateView):
    template_name = "members/member_list.html"

    def get_context_data(self, **kwargs):
        cooperative = self.cooperative
        permissions = self.permissions()
        members = cooperative.members.select_related("domicile").order_by("name")
        query = self.request.GET.get("q", "").strip()
        if query:
            members = members.filter(name__icontains=query)
        if permissions["can_edit"]:
            kwargs.setdefault("member_form", MemberForm(cooperative=cooperative))
            kwargs.setdefault("position_form", PositionForm(cooperative=cooperative))
        return super().get_context_data(
            cooperative=cooperative,
            page=Paginator(members, PER_PAGE).get_page(self.request.GET.get("page")),
            query=query,
            founders=cooperative.members.filter(is_founder=True).count(),
            active=cooperative.members.filter(status=MemberStatus.AKTIF).count(),
            registered=cooperative.members.count(),
            positions=cooperative.positions.filter(ended_on__isnull=True).select_related("member").order_by("role"),
            governance=services.governance_issues(cooperative),
            can_approve=user_can(self.request.user, Action.APPROVE_MEMBERS, cooperative.village_id),
            pending_applications=cooperative.applications.filter(status=ApplicationStatus.PENDING).count(),
            **permissions,
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        operation = request.POST.get("operation")
        try:
            if operation == "add_member":
                return self._add_member(request)
            if operation == "assign":
                return self._assign(request)
            if operation == "end":
                position = posted_object(Position, request, "position", cooperative=self.cooperative)
                services.position_end(actor=request.user, position=position)
                messages.success(request, _("The term has ended."))
        except PermissionDenied as error:
            messages.error(request, str(error))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect("members:list", pk=self.cooperative.pk)

    def _add_member(self, request):
        form = MemberForm(request.POST, cooperative=self.cooperative)
        if form.is_valid():
            ok, result = form.call_service(services.member_add, actor=request.user, cooperative=self.cooperative,
                                           **form.cleaned_data)
            if ok:
                member, warnings = result
                messages.success(request, _("%(name)s added to the register.") % {"name": member.name})
                for warning in warnings:
                    messages.warning(request, _("Check the NIK: %(warning)s") % {"warning": warning})
                return redirect("members:list", pk=self.cooperative.pk)
        return self.render_to_response(self.get_context_data(member_form=form))

    def _assign(self, request):
        form = PositionForm(request.POST, cooperative=self.cooperative)
        if form.is_valid():
            member = get_object_or_404(Member, pk=form.cleaned_data["member"], cooperative=self.cooperative)
            ok, _position = form.call_service(
                services.position_assign, actor=request.user, cooperative=self.cooperative, member=member,
                role=form.cleaned_data["role"], started_on=form.cleaned_data["started_on"])
            if ok:
                messages.success(request, _("Position assigned."))
                return redirect("members:list", pk=self.cooperative.pk)
        return self.render_to_response(self.get_context_data(position_form=form))


class MemberDetailView(PersonalDataThrottledMixin, CooperativeObjectMixin, TemplateView):
    """One member: full NIK for those who may see personal data, the edit form, positions, history."""

    template_name = "members/member_detail.html"

    def get_member(self) -> Member:
        return get_object_or_404(self.cooperative.members.select_related("domicile"), pk=self.kwargs["member"])

    @staticmethod
    def form_initial(member: Member) -> dict:
        # The POST form gets the same initial values, so that a cleared field counts as changed.
        return {
            "nik": member.nik, "name": member.name, "sex": member.sex, "birth_date": member.birth_date,
            "domicile_code": member.domicile_id, "phone": str(member.phone or ""),
            "village_office": member.village_office, "is_founder": member.is_founder, "address": member.address,
            "rt": member.rt, "rw": member.rw, "occupation": member.occupation, "joined_on": member.joined_on,
        }

    def get_context_data(self, **kwargs):
        member = self.get_member()
        kwargs.pop("member", None)  # the URL's id; the context gets the object
        permissions = self.permissions()
        # The edit form shows the full NIK, so it is only for those who may see it.
        if permissions["can_edit"] and permissions["can_see_personal"] and "form" not in kwargs:
            kwargs["form"] = MemberForm(cooperative=self.cooperative, initial=self.form_initial(member),
                                        version=etag_of(member))
        if permissions["can_edit"] and "status_form" not in kwargs:
            kwargs["status_form"] = MemberStatusForm(initial={"status": member.status, "status_on": member.status_on,
                                                              "reason": member.status_reason})
        if permissions["can_see_personal"]:  # the page (and its edit form) shows the full NIK
            services.personal_data_reads_record(user=self.request.user, members=[member], channel=ReadChannel.PAGE,
                                                ip_address=client_ip(self.request))
        return super().get_context_data(
            cooperative=self.cooperative, member=member, positions=member.positions.order_by("-started_on"),
            history=audit_trail(member.history.all(), limit=30,
                                redact={} if permissions["can_see_personal"] else MEMBER_REDACTIONS),
            **permissions, **kwargs,
        )

    @transaction.atomic
    def post(self, request, *args, **kwargs):
        member = self.get_member()
        if request.POST.get("operation") == "remove":
            try:
                services.member_remove(actor=request.user, member=member)
            except (ValidationError, PermissionDenied) as error:
                messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
                return redirect("members:detail", pk=self.cooperative.pk, member=member.pk)
            messages.success(request, _("%(name)s was removed from the register.") % {"name": member.name})
            return redirect("members:list", pk=self.cooperative.pk)
        if request.POST.get("operation") == "status":
            status_form = MemberStatusForm(request.POST)
            if status_form.is_valid():
                data = status_form.cleaned_data
                ok, _result = status_form.call_service(
                    services.member_status_change, actor=request.user, member=member, status=data["status"],
                    status_on=data["status_on"], reason=data["reason"])
                if ok:
                    messages.success(request, _("The member's status is saved."))
                    return redirect("members:detail", pk=self.cooperative.pk, member=member.pk)
            return self.render_to_response(self.get_context_data(status_form=status_form))
        form = MemberForm(request.POST, cooperative=self.cooperative, initial=self.form_initial(member),
                          version=locked_version(member))
        if form.is_valid():
            ok, result = form.call_service(
                services.member_update, actor=request.user, member=member,
                **{field: form.cleaned_data[field] for field in form.changed_data if field in form.cleaned_data})
            if ok:
                _member, warnings = result
                messages.success(request, _("Changes saved."))
                for warning in warnings:
                    messages.warning(request, _("Check the NIK: %(warning)s") % {"warning": warning})
                return redirect("members:detail", pk=self.cooperative.pk, member=member.pk)
        return self.render_to_response(self.get_context_data(form=form))


class PersonalDataReadListView(ActionRequiredMixin, TemplateView):
    """The log of every showing of a full NIK: who, when, which member, from where. National administrators only."""

    template_name = "members/personal_data_reads.html"
    scope_action = Action.VIEW_PERSONAL_DATA

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not scope_for(request.user, Action.MANAGE_USERS).everything:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        reads = personal_data_reads(filters=self.request.GET)
        page = Paginator(reads, 50).get_page(self.request.GET.get("page"))
        return super().get_context_data(page=page, **kwargs)


def _village_choices(name: str) -> list[tuple[str, str]]:
    """The desa/kelurahan with a cooperative whose name is ``name`` (“Desa Prawoto” or “prawoto”), with their areas."""
    words = name.split()
    if words and words[0].lower() in ("desa", "kelurahan", "kel.", "ds."):
        words = words[1:]
    links = (CooperativeVillage.objects.filter(village__name__iexact=" ".join(words), village__is_active=True)
             .select_related("village__parent__parent").order_by("village_id")[:20])
    return [(link.village_id, f"{link.village.name} — {link.village.parent.name}, {link.village.parent.parent.name}")
            for link in links]


class SelfRegistrationView(TemplateView):
    """
    The public membership application: anyone may apply to the cooperative of their desa/kelurahan. The
    answer is the same whether or not the NIK is known (no one learns who is a member); a hidden trap field
    and a budget per client address (``SELF_REGISTRATION_PER_HOUR``) keep robots out.
    """

    template_name = "members/self_registration.html"

    def get_context_data(self, **kwargs):
        kwargs.setdefault("form", SelfRegistrationForm())
        return super().get_context_data(**kwargs)

    @staticmethod
    def _budget_key(request, what: str) -> str:
        return f"members:self-registration:{what}:{client_ip(request) or 'unknown'}"

    def _over_budget(self, request, what: str, limit: int, *, count: bool = True) -> bool:
        """Whether this client has used up ``limit`` for the hour; ``count``: this request uses one."""
        key = self._budget_key(request, what)
        if not count:
            return (cache.get(key) or 0) >= limit
        cache.add(key, 0, 3600)
        try:
            used = cache.incr(key)
        except ValueError:  # the cache was down and forgot the key: let the person through
            return False
        return used > limit

    def _throttled(self, form):
        """Refused for an hour, with what was typed still in the form."""
        response = self.render_to_response(self.get_context_data(form=form, throttled=True), status=429)
        response["Retry-After"] = "3600"
        return response

    def post(self, request, *args, **kwargs):
        choices = _village_choices(request.POST.get("village", "").strip())
        form = SelfRegistrationForm(request.POST, village_choices=choices if len(choices) > 1 else ())
        # Every post counts toward a wide budget (a flood), complete applications toward the narrow one: a person
        # correcting a mistyped NIK, or choosing among places of the same name, is not locked out by it.
        if self._over_budget(request, "posts", settings.SELF_REGISTRATION_PER_HOUR * 6):
            return self._throttled(form)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        if self._over_budget(request, "applications", settings.SELF_REGISTRATION_PER_HOUR, count=False):
            return self._throttled(form)
        data = form.cleaned_data
        if data["website"]:  # only robots fill the hidden field: they get the usual answer, nothing is stored
            self._over_budget(request, "applications", settings.SELF_REGISTRATION_PER_HOUR)
            return self.render_to_response(self.get_context_data(received=True))
        codes = [code for code, _label in choices]
        code = codes[0] if len(codes) == 1 else data["village_code"]
        if code not in codes:
            if len(codes) > 1:
                form.add_error("village_code", _("Several places have this name; choose yours."))
            else:
                form.add_error("village", _("No cooperative of a desa/kelurahan with this name is in the portal yet."))
            return self.render_to_response(self.get_context_data(form=form))
        cooperative = CooperativeVillage.objects.select_related("cooperative").get(village_id=code).cooperative
        ok, _application = form.call_service(
            services.application_submit, cooperative=cooperative, domicile_code=code,
            **{key: data[key] for key in ("nik", "name", "sex", "birth_date", "address", "rt", "rw", "occupation",
                                          "phone")})
        if not ok:
            form.errors.pop("domicile_code", None)
            return self.render_to_response(self.get_context_data(form=form))
        self._over_budget(request, "applications", settings.SELF_REGISTRATION_PER_HOUR)  # one application sent
        return self.render_to_response(self.get_context_data(received=True, cooperative=cooperative))


class ApplicationListView(CooperativeObjectMixin, TemplateView):
    """The pengurus (village staff of the cooperative) admits or refuses people who applied themselves."""

    template_name = "members/applications.html"
    scope_action = Action.APPROVE_MEMBERS

    def get_context_data(self, **kwargs):
        if not user_can(self.request.user, Action.APPROVE_MEMBERS, self.cooperative.village_id):
            raise PermissionDenied
        applications = self.cooperative.applications.select_related("domicile", "member", "decided_by")
        kwargs.setdefault("decision_form", ApplicationDecisionForm())
        return super().get_context_data(
            cooperative=self.cooperative,
            pending=applications.filter(status=ApplicationStatus.PENDING).order_by("submitted_at"),
            decided=applications.exclude(status=ApplicationStatus.PENDING).order_by("-decided_at")[:30],
            **kwargs)

    def post(self, request, *args, **kwargs):
        application = posted_object(MemberApplication.objects.for_user(request.user, Action.APPROVE_MEMBERS), request,
                                    "application", cooperative=self.cooperative)
        try:
            operation = request.POST.get("operation")
            if operation == "approve":
                member = services.application_approve(actor=request.user, application=application)
                messages.success(request, _("%(name)s is admitted as member number %(number)s.")
                                 % {"name": member.name, "number": member.member_number})
            elif operation != "reject":  # a tampered or missing button refuses no one
                messages.error(request, _("Unknown operation."))
            else:
                services.application_reject(actor=request.user, application=application,
                                            reason=request.POST.get("reason", ""))
                messages.success(request, _("The application of %(name)s was refused.") % {"name": application.name})
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
        return redirect("members:applications", pk=self.cooperative.pk)
