"""
Pages of the BUMDes registry, federations (members, capital, sites and their figures) and cooperation
agreements. Every object is loaded through the user's scope (404 outside it); every write calls a service.
"""

from pathlib import Path
from types import SimpleNamespace

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.shortcuts import get_object_or_404
from django.shortcuts import redirect
from django.utils import formats
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView
from django.views.generic import TemplateView

from core.audit import audit_trail
from core.concurrency import etag_of
from core.concurrency import locked_version
from core.roles import Action
from core.scoping import scope_for
from core.storage import private_file_response
from core.views import ActionRequiredMixin
from core.views import posted_object
from koperasi.models import Cooperative

from . import services
from .forms import AgreementForm
from .forms import BumdesEditForm
from .forms import BumdesRegisterForm
from .forms import BusinessLineForm
from .forms import CapitalForm
from .forms import ClassificationForm
from .forms import FederationEditForm
from .forms import FederationRegisterForm
from .forms import MemberCooperativeForm
from .forms import MembershipEndForm
from .forms import MemberVillageForm
from .forms import OfficerForm
from .forms import SiteFigureForm
from .forms import SiteForm
from .models import AgreementStatus
from .models import Bumdes
from .models import BumdesVillage
from .models import BusinessLine
from .models import BusinessSite
from .models import CooperationAgreement
from .models import Federation
from .models import FederationCooperative
from .models import FederationVillage
from .models import SiteFigure
from .models import SiteKind
from .models import SiteStatus
from .selectors import agreement_filter
from .selectors import agreements_of
from .selectors import bumdes_filter
from .selectors import capital_shares
from .selectors import federation_filter
from .selectors import federation_memberships
from .selectors import site_figures
from .selectors import site_filter
from .selectors import site_status_counts
from .selectors import with_links
from .services import agreement_legal_problems

__all__ = [
    "AgreementCreateView",
    "AgreementDetailView",
    "AgreementDocumentView",
    "AgreementListView",
    "BumdesDetailView",
    "BumdesEditView",
    "BumdesListView",
    "BumdesRegisterView",
    "FederationDetailView",
    "FederationEditView",
    "FederationListView",
    "FederationRegisterView",
    "SiteCreateView",
    "SiteDetailView",
    "SiteListView",
]

PER_PAGE = 50


def _page(request, queryset):
    return Paginator(queryset, PER_PAGE).get_page(request.GET.get("page"))


def _error_message(request, error) -> None:
    messages.error(request, " ".join(getattr(error, "messages", [str(error)])))


def _can_manage_bumdes(user, bumdes: Bumdes) -> bool:
    federation_id = getattr(getattr(bumdes, "federation", None), "pk", None)
    return scope_for(user, Action.MANAGE_BUMDES).reaches(bumdes.village_id, federation_id)


def _can(user, action: Action, federation: Federation) -> bool:
    """Whether to show a button: the service checks again when it is pressed."""
    return scope_for(user, action).reaches(federation.seat_id, federation.pk)


class _Operations:
    """A page whose POST names an ``operation``; each handler returns a response or None (re-render with errors)."""

    operations: tuple[str, ...] = ()

    def post(self, request, *args, **kwargs):
        operation = request.POST.get("operation", "")
        if operation not in self.operations:
            return redirect(request.path)
        return getattr(self, f"_{operation}")(request)


# SECTION: BUMDes registry


class BumdesListView(ActionRequiredMixin, TemplateView):
    """The BUMDes of the user's area, by name, kecamatan/desa, type and legal status."""

    template_name = "bumdes/bumdes_list.html"

    def get_context_data(self, **kwargs):
        filterset = bumdes_filter(user=self.request.user, filters=self.request.GET)
        return super().get_context_data(
            filterset=filterset, page=_page(self.request, filterset.qs.order_by("village_id", "name")),
            can_register=not scope_for(self.request.user, Action.MANAGE_BUMDES).is_empty, **kwargs)


class BumdesRegisterView(ActionRequiredMixin, FormView):
    """District officers register the BUMDes of their villages."""

    template_name = "bumdes/bumdes_register.html"
    form_class = BumdesRegisterForm
    scope_action = Action.MANAGE_BUMDES

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "actor": self.request.user}

    def get_initial(self):
        return {"village": self.request.GET["village"]} if self.request.GET.get("village") else {}

    def form_valid(self, form):
        data = form.cleaned_data
        ok, bumdes = form.call_service(
            services.bumdes_register, actor=self.request.user, kind=data["kind"], name=data["name"],
            village_code=data["village"].code, villages=data["villages"] or (), capital=data["capital"] or 0,
            address=data["address"], founded_on=data["founded_on"],
            name_registration_number=data["name_registration_number"], regulation_number=data["regulation_number"],
            regulation_date=data["regulation_date"], registration_number=data["registration_number"],
            registration_date=data["registration_date"],
        )
        if not ok:
            return self.form_invalid(form)
        messages.success(self.request, _("%(name)s is registered.") % {"name": bumdes.name})
        return redirect("bumdes:detail", pk=bumdes.pk)


class _BumdesObjectMixin(ActionRequiredMixin):
    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.bumdes = get_object_or_404(
                Bumdes.objects.for_user(request.user).select_related("village__parent", "federation"),
                pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)


class BumdesDetailView(_Operations, _BumdesObjectMixin, TemplateView):
    """
    A BUMDes: its legal registration, founding desa and their capital, organs, classification by year, business
    lines, its cooperation agreements and its history; the forms to add to them for who may manage it.
    """

    template_name = "bumdes/bumdes_detail.html"
    operations = ("capital", "officer", "officer_end", "classification", "line", "line_stop")

    def get_context_data(self, **kwargs):
        bumdes, user = self.bumdes, self.request.user
        can_manage = _can_manage_bumdes(user, bumdes)
        if can_manage:
            kwargs.setdefault("capital_form", CapitalForm(actor=user, prefix="capital"))
            kwargs.setdefault("officer_form", OfficerForm(prefix="officer"))
            kwargs.setdefault("classification_form", ClassificationForm(prefix="classification", initial={
                "year": timezone.localdate().year}))
            kwargs.setdefault("line_form", BusinessLineForm(prefix="line"))
        villages = list(bumdes.villages.select_related("village__parent").order_by("village__name", "village_id"))
        return super().get_context_data(
            bumdes=bumdes, can_manage=can_manage, villages=_page(self.request, villages),
            total_capital=sum(link.capital for link in villages),
            officers=bumdes.officers.all(), classifications=bumdes.classifications.all(),
            lines=bumdes.business_lines.all(), agreements=agreements_of(user=user, bumdes=bumdes),
            history=audit_trail(bumdes.history.all(), BumdesVillage.history.filter(bumdes_id=bumdes.pk),
                                bumdes.officers.model.history.filter(bumdes_id=bumdes.pk),
                                bumdes.classifications.model.history.filter(bumdes_id=bumdes.pk),
                                BusinessLine.history.filter(bumdes_id=bumdes.pk), limit=40),
            **kwargs)

    def _done(self, message: str):
        messages.success(self.request, message)
        return redirect("bumdes:detail", pk=self.bumdes.pk)

    def _capital(self, request):
        form = CapitalForm(request.POST, actor=request.user, prefix="capital")
        if form.is_valid() and form.call_service(
                services.bumdes_village_set, actor=request.user, bumdes=self.bumdes,
                village_code=form.cleaned_data["village"].code, capital=form.cleaned_data["capital"])[0]:
            return self._done(_("Capital participation saved."))
        return self.render_to_response(self.get_context_data(capital_form=form))

    def _officer(self, request):
        form = OfficerForm(request.POST, prefix="officer")
        if form.is_valid() and form.call_service(services.bumdes_officer_add, actor=request.user, bumdes=self.bumdes,
                                                 **form.cleaned_data)[0]:
            return self._done(_("Officer recorded."))
        return self.render_to_response(self.get_context_data(officer_form=form))

    def _officer_end(self, request):
        officer = posted_object(self.bumdes.officers, request, "officer")
        try:
            services.bumdes_officer_update(actor=request.user, officer=officer, until=timezone.localdate())
            messages.success(request, _("The term of %(name)s ended today.") % {"name": officer.name})
        except (ValidationError, PermissionDenied) as error:
            _error_message(request, error)
        return redirect("bumdes:detail", pk=self.bumdes.pk)

    def _classification(self, request):
        form = ClassificationForm(request.POST, prefix="classification")
        if form.is_valid() and form.call_service(services.bumdes_classify, actor=request.user, bumdes=self.bumdes,
                                                 **form.cleaned_data)[0]:
            return self._done(_("Classification saved."))
        return self.render_to_response(self.get_context_data(classification_form=form))

    def _line(self, request):
        form = BusinessLineForm(request.POST, prefix="line")
        if form.is_valid() and form.call_service(services.business_line_add, actor=request.user, bumdes=self.bumdes,
                                                 **form.cleaned_data)[0]:
            return self._done(_("Business line added."))
        return self.render_to_response(self.get_context_data(line_form=form))

    def _line_stop(self, request):
        line = posted_object(self.bumdes.business_lines, request, "line")
        try:
            services.business_line_update(actor=request.user, line=line, stopped_on=timezone.localdate())
            messages.success(request, _("%(name)s stopped today.") % {"name": line.name})
        except (ValidationError, PermissionDenied) as error:
            _error_message(request, error)
        return redirect("bumdes:detail", pk=self.bumdes.pk)


class BumdesEditView(_BumdesObjectMixin, TemplateView):
    template_name = "bumdes/bumdes_edit.html"
    scope_action = Action.MANAGE_BUMDES

    def get_context_data(self, **kwargs):
        kwargs.setdefault("form", BumdesEditForm(initial=BumdesEditForm.initial_for(self.bumdes),
                                                 version=etag_of(self.bumdes)))
        return super().get_context_data(bumdes=self.bumdes, **kwargs)

    @transaction.atomic
    def post(self, request, *args, **kwargs):
        form = BumdesEditForm(request.POST, initial=BumdesEditForm.initial_for(self.bumdes),
                              version=locked_version(self.bumdes))
        if form.is_valid() and form.call_service(
                services.bumdes_update, actor=request.user, bumdes=self.bumdes,
                **{field: form.cleaned_data[field] or ("" if field in _TEXT_FIELDS else None)
                   for field in form.changed_data})[0]:
            messages.success(request, _("Changes saved."))
            return redirect("bumdes:detail", pk=self.bumdes.pk)
        return self.render_to_response(self.get_context_data(form=form))


_TEXT_FIELDS = {"name", "address", "name_registration_number", "regulation_number", "registration_number",
                "legal_number", "description", "note", "licence_number"}


# SECTION: federations


class FederationListView(ActionRequiredMixin, TemplateView):
    template_name = "bumdes/federation_list.html"

    def get_context_data(self, **kwargs):
        filterset = federation_filter(user=self.request.user, filters=self.request.GET)
        return super().get_context_data(
            filterset=filterset, page=_page(self.request, filterset.qs.order_by("name")),
            can_register=not scope_for(self.request.user, Action.MANAGE_BUMDES).is_empty, **kwargs)


class FederationRegisterView(ActionRequiredMixin, FormView):
    template_name = "bumdes/federation_register.html"
    form_class = FederationRegisterForm
    scope_action = Action.MANAGE_BUMDES

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "actor": self.request.user}

    def get_initial(self):
        return {key: self.request.GET[key] for key in ("kind", "bumdes") if self.request.GET.get(key)}

    def form_valid(self, form):
        data = form.cleaned_data
        ok, federation = form.call_service(
            services.federation_register, actor=self.request.user, kind=data["kind"], name=data["name"],
            seat_code=data["seat"].code if data["seat"] else "", bumdes=data["bumdes"], parent=data["parent"],
            legal_number=data["legal_number"], legal_date=data["legal_date"], address=data["address"],
            description=data["description"],
        )
        if not ok:
            return self.form_invalid(form)
        messages.success(self.request, _("%(name)s is registered as a federation.") % {"name": federation.name})
        return redirect("bumdes:federation-detail", pk=federation.pk)


class _FederationObjectMixin(ActionRequiredMixin):
    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.federation = get_object_or_404(
                Federation.objects.for_user(request.user).select_related("seat__parent", "bumdes", "parent"),
                pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)


class FederationDetailView(_Operations, _FederationObjectMixin, TemplateView):
    """
    A federation: its members today and before (effective-dated), capital and shares per village, its sites by
    status, its agreements and its history; for its director and officers, the forms to add and end members.
    """

    template_name = "bumdes/federation_detail.html"
    operations = ("join_village", "join_cooperative", "end_village", "end_cooperative")

    def get_context_data(self, **kwargs):
        federation, user = self.federation, self.request.user
        can_manage = _can(user, Action.MANAGE_BUMDES, federation)
        if can_manage:
            today = timezone.localdate()
            kwargs.setdefault("village_form", MemberVillageForm(actor=user, federation=federation, prefix="village",
                                                                initial={"joined_on": today, "capital": 0}))
            kwargs.setdefault("cooperative_form", MemberCooperativeForm(actor=user, prefix="cooperative",
                                                                        initial={"joined_on": today, "capital": 0}))
        everyone = self.request.GET.get("members") == "all"
        villages, cooperatives = federation_memberships(federation, current_only=not everyone)
        total, shares = capital_shares(federation, limit=10)
        # Federation staff reach the federation's own records, not its members' cooperatives nor the federation
        # that owns it: their names are shown without a link that would answer 404.
        opens = set(Cooperative.objects.for_user(user).filter(
            pk__in=[membership.cooperative_id for membership in cooperatives]).values_list("pk", flat=True))
        member_page = _page(self.request, villages)
        # A village's cooperatives open for whoever's area holds it: not for the federation's staff, nor for its
        # director once the village has left.
        scope = scope_for(user)
        villages_opened = {membership.village_id for membership in member_page if scope.contains(membership.village_id)}
        return super().get_context_data(
            federation=federation, can_manage=can_manage, cooperatives_opened=opens, villages_opened=villages_opened,
            parent_opens=bool(federation.parent_id
                              and Federation.objects.for_user(user).filter(pk=federation.parent_id).exists()),
            can_edit_sites=_can(user, Action.EDIT_FEDERATION_SITES, federation),
            everyone=everyone, member_page=member_page, member_cooperatives=cooperatives,
            capital_total=total, capital_top=shares[:10], today=timezone.localdate(),
            sites=federation.sites.select_related("village__parent").order_by("status", "kind", "name"),
            site_counts=site_status_counts(federation), statuses=SiteStatus.choices,
            companies=federation.companies.all(), agreements=agreements_of(user=user, federation=federation),
            history=audit_trail(federation.history.all(), FederationVillage.history.filter(federation_id=federation.pk),
                                FederationCooperative.history.filter(federation_id=federation.pk), limit=40),
            **kwargs)

    def _join(self, request, form_class, prefix, service, **extra):
        form = form_class(request.POST, actor=request.user, prefix=prefix, **extra)
        if form.is_valid():
            data = form.cleaned_data
            target = {"cooperative": data["cooperative"]} if "cooperative" in data else {
                "village_code": data["village"].code}
            if form.call_service(service, actor=request.user, federation=self.federation, joined_on=data["joined_on"],
                                 capital=data["capital"] or 0, note=data["note"], **target)[0]:
                messages.success(request, _("Member added."))
                return redirect("bumdes:federation-detail", pk=self.federation.pk)
        return self.render_to_response(self.get_context_data(**{f"{prefix}_form": form}))

    def _join_village(self, request):
        return self._join(request, MemberVillageForm, "village", services.federation_village_join,
                          federation=self.federation)

    def _join_cooperative(self, request):
        return self._join(request, MemberCooperativeForm, "cooperative", services.federation_cooperative_join)

    def _end(self, request, memberships):
        membership = posted_object(memberships, request, "membership")
        form = MembershipEndForm(request.POST)
        if not form.is_valid():
            _error_message(request, ValidationError([f"{field.label}: {' '.join(field.errors)}"
                                                     for field in form if field.errors]))
            return redirect("bumdes:federation-detail", pk=self.federation.pk)
        try:
            services.membership_update(actor=request.user, membership=membership,
                                       left_on=form.cleaned_data["left_on"])
            messages.success(request, _("The membership ends on %(date)s.") % {
                "date": formats.date_format(form.cleaned_data["left_on"])})
        except (ValidationError, PermissionDenied) as error:
            _error_message(request, error)
        return redirect("bumdes:federation-detail", pk=self.federation.pk)

    def _end_village(self, request):
        return self._end(request, self.federation.member_villages.all())

    def _end_cooperative(self, request):
        return self._end(request, self.federation.member_cooperatives.all())


class FederationEditView(_FederationObjectMixin, TemplateView):
    template_name = "bumdes/federation_edit.html"
    scope_action = Action.MANAGE_BUMDES

    def get_context_data(self, **kwargs):
        kwargs.setdefault("form", FederationEditForm(initial=FederationEditForm.initial_for(self.federation),
                                                     version=etag_of(self.federation)))
        return super().get_context_data(federation=self.federation, **kwargs)

    @transaction.atomic
    def post(self, request, *args, **kwargs):
        form = FederationEditForm(request.POST, initial=FederationEditForm.initial_for(self.federation),
                                  version=locked_version(self.federation))
        if form.is_valid() and form.call_service(
                services.federation_update, actor=request.user, federation=self.federation,
                **{field: form.cleaned_data[field] or ("" if field in _TEXT_FIELDS else None)
                   for field in form.changed_data})[0]:
            messages.success(request, _("Changes saved."))
            return redirect("bumdes:federation-detail", pk=self.federation.pk)
        return self.render_to_response(self.get_context_data(form=form))


# SECTION: business sites


class SiteListView(ActionRequiredMixin, TemplateView):
    """The business sites of the federations the user may see, by federation, kind, status and area."""

    template_name = "bumdes/site_list.html"

    def get_context_data(self, **kwargs):
        filterset = site_filter(user=self.request.user, filters=self.request.GET)
        return super().get_context_data(filterset=filterset,
                                        page=_page(self.request, filterset.qs.order_by("federation__name", "name")),
                                        **kwargs)


class SiteCreateView(_FederationObjectMixin, FormView):
    template_name = "bumdes/site_form.html"
    scope_action = Action.EDIT_FEDERATION_SITES

    def get_form(self, form_class=None):
        data = self.request.POST if self.request.method == "POST" else None
        initial = {"status": SiteStatus.PLANNED, "kind": self.request.GET.get("kind", "")}
        return SiteForm(data, actor=self.request.user, federation=self.federation, initial=initial)

    def get_context_data(self, **kwargs):
        return super().get_context_data(federation=self.federation, **kwargs)

    def form_valid(self, form):
        data = {**form.cleaned_data}
        village = data.pop("village")
        data.pop("closed_on", None)
        ok, site = form.call_service(services.site_create, actor=self.request.user, federation=self.federation,
                                     village_code=village.code, **data)
        if not ok:
            return self.form_invalid(form)
        messages.success(self.request, _("%(name)s is recorded.") % {"name": site.name})
        return redirect("bumdes:site-detail", pk=site.pk)


class SiteDetailView(_Operations, ActionRequiredMixin, TemplateView):
    """A site: where and what it is, its status and licence, its monthly figures, and its history."""

    template_name = "bumdes/site_detail.html"
    operations = ("update", "figure")

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.site = get_object_or_404(
                BusinessSite.objects.for_user(request.user).select_related("federation", "village__parent"),
                pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        site, user = self.site, self.request.user
        can_edit = _can(user, Action.EDIT_FEDERATION_SITES, site.federation)
        if can_edit:
            kwargs.setdefault("site_form", SiteForm(initial=SiteForm.initial_for(site), version=etag_of(site),
                                                    actor=user, federation=site.federation, prefix="site"))
            kwargs.setdefault("figure_form", SiteFigureForm(prefix="figure", initial={
                "month": timezone.localdate().strftime("%Y-%m")}))
        figures = site_figures(site)
        return super().get_context_data(
            site=site, can_edit=can_edit, figures=figures, is_clinic=site.kind == SiteKind.CLINIC,
            history=audit_trail(site.history.all(), SiteFigure.history.filter(site_id=site.pk), limit=40), **kwargs)

    @transaction.atomic
    def _update(self, request):
        form = SiteForm(request.POST, initial=SiteForm.initial_for(self.site), version=locked_version(self.site),
                        actor=request.user, federation=self.site.federation, prefix="site")
        if form.is_valid():
            changes = {field: form.cleaned_data[field] for field in form.changed_data}
            for field in set(changes) & _TEXT_FIELDS:
                changes[field] = changes[field] or ""
            if form.call_service(services.site_update, actor=request.user, site=self.site, **changes)[0]:
                messages.success(request, _("Changes saved."))
                return redirect("bumdes:site-detail", pk=self.site.pk)
        return self.render_to_response(self.get_context_data(site_form=form))

    def _figure(self, request):
        form = SiteFigureForm(request.POST, prefix="figure")
        if form.is_valid():
            data = form.cleaned_data
            if form.call_service(services.site_figure_record, actor=request.user, site=self.site, month=data["month"],
                                 revenue=data["revenue"], costs=data["costs"] or 0, patients=data["patients"])[0]:
                messages.success(request, _("Figures of %(month)s saved.") % {
                    "month": formats.date_format(data["month"], "YEAR_MONTH_FORMAT")})
                return redirect("bumdes:site-detail", pk=self.site.pk)
        return self.render_to_response(self.get_context_data(figure_form=form))


# SECTION: cooperation agreements


class AgreementListView(ActionRequiredMixin, TemplateView):
    """Every agreement in the user's area: a Dinas officer sees all of their kabupaten's."""

    template_name = "bumdes/agreement_list.html"

    def get_context_data(self, **kwargs):
        filterset = agreement_filter(user=self.request.user, filters=self.request.GET)
        page = _page(self.request, filterset.qs)
        page.object_list = with_links(self.request.user, page.object_list)
        return super().get_context_data(filterset=filterset, page=page, statuses=AgreementStatus.choices, **kwargs)


class AgreementCreateView(ActionRequiredMixin, FormView):
    template_name = "bumdes/agreement_form.html"
    form_class = AgreementForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "actor": self.request.user}

    def get_initial(self):
        return {key: self.request.GET[key] for key in ("village", "bumdes", "federation") if self.request.GET.get(key)}

    def form_valid(self, form):
        data = form.cleaned_data
        ok, agreement = form.call_service(
            services.agreement_create, actor=self.request.user, cooperative=data["cooperative"], kind=data["kind"],
            title=data["title"], starts_on=data["starts_on"], ends_on=data["ends_on"], bumdes=data["bumdes"],
            federation=data["federation"], value=data["value"], note=data["note"],
            terms_document=data["terms_document"], activate=data["activate"],
        )
        if not ok:
            return self.form_invalid(form)
        messages.success(self.request, _("The agreement is recorded."))
        return redirect("bumdes:agreement-detail", pk=agreement.pk)


class _AgreementObjectMixin(ActionRequiredMixin):
    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.agreement = get_object_or_404(
                CooperationAgreement.objects.for_user(request.user).select_related(
                    "cooperative__village", "bumdes", "federation__bumdes"), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)


class AgreementDetailView(_Operations, _AgreementObjectMixin, TemplateView):
    """One agreement, what keeps a draft from becoming active (which side is not a legal entity), and its history."""

    template_name = "bumdes/agreement_detail.html"
    operations = ("activate", "end", "cancel")

    def get_context_data(self, **kwargs):
        agreement = self.agreement
        problems = agreement_legal_problems(agreement) if agreement.status == AgreementStatus.DRAFT else {}
        return super().get_context_data(
            agreement=with_links(self.request.user, [agreement])[0],
            legal_problems=[message for messages_ in problems.values() for message in messages_],
            can_act=services.agreement_party(self.request.user, agreement),
            history=audit_trail(agreement.history.all(), limit=30), **kwargs)

    def _move(self, request, call, message):
        try:
            call()
            messages.success(request, message)
        except (ValidationError, PermissionDenied) as error:
            _error_message(request, error)
        return redirect("bumdes:agreement-detail", pk=self.agreement.pk)

    def _activate(self, request):
        return self._move(request, lambda: services.agreement_activate(actor=request.user, agreement=self.agreement),
                          _("The agreement is active."))

    def _end(self, request):
        return self._move(request, lambda: services.agreement_set_status(
            actor=request.user, agreement=self.agreement, status=AgreementStatus.ENDED,
            reason=request.POST.get("reason", "")), _("The agreement has ended."))

    def _cancel(self, request):
        return self._move(request, lambda: services.agreement_set_status(
            actor=request.user, agreement=self.agreement, status=AgreementStatus.CANCELLED,
            reason=request.POST.get("reason", "")), _("The draft is cancelled."))


class AgreementDocumentView(_AgreementObjectMixin, View):
    """The signed terms, for whoever may see the agreement."""

    def get(self, request, pk):
        if not self.agreement.terms_document:
            return redirect("bumdes:agreement-detail", pk=pk)
        suffix = Path(self.agreement.terms_document.name).suffix.lower()
        stored = SimpleNamespace(file=self.agreement.terms_document, content_type=_CONTENT_TYPES.get(suffix, ""),
                                 original_name=self.agreement.terms_document_name or f"perjanjian{suffix}")
        return private_file_response(stored)


# The upload check (koperasi.documents) admits these only, with matching names.
_CONTENT_TYPES = {".pdf": "application/pdf", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png"}
