"""The member register and board of one cooperative. NIKs are masked unless the user may see personal data."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from core.audit import audit_trail
from core.client_ip import client_ip
from core.concurrency import etag_of
from core.roles import Action
from core.scoping import scope_for
from core.throttling import PersonalDataThrottledMixin
from core.views import ActionRequiredMixin
from koperasi.views import CooperativeObjectMixin

from . import services
from .forms import MemberForm
from .forms import PositionForm
from .models import Member
from .models import Position
from .models import ReadChannel
from .selectors import MEMBER_REDACTIONS
from .selectors import personal_data_reads

__all__ = ["MemberDetailView", "MemberListView", "PersonalDataReadListView"]

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
            positions=cooperative.positions.filter(ended_on__isnull=True).select_related("member").order_by("role"),
            governance=services.governance_issues(cooperative),
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
                position = get_object_or_404(Position, pk=request.POST.get("position"), cooperative=self.cooperative)
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
            "village_office": member.village_office, "is_founder": member.is_founder,
        }

    def get_context_data(self, **kwargs):
        member = self.get_member()
        kwargs.pop("member", None)  # the URL's id; the context gets the object
        permissions = self.permissions()
        # The edit form shows the full NIK, so it is only for those who may see it.
        if permissions["can_edit"] and permissions["can_see_personal"] and "form" not in kwargs:
            kwargs["form"] = MemberForm(cooperative=self.cooperative, initial=self.form_initial(member),
                                        version=etag_of(member))
        if permissions["can_see_personal"]:  # the page (and its edit form) shows the full NIK
            services.personal_data_reads_record(user=self.request.user, members=[member], channel=ReadChannel.PAGE,
                                                ip_address=client_ip(self.request))
        return super().get_context_data(
            cooperative=self.cooperative, member=member, positions=member.positions.order_by("-started_on"),
            history=audit_trail(member.history.all(), limit=30,
                                redact={} if permissions["can_see_personal"] else MEMBER_REDACTIONS),
            **permissions, **kwargs,
        )

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
        form = MemberForm(request.POST, cooperative=self.cooperative, initial=self.form_initial(member),
                          version=etag_of(member))
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
