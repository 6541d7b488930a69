"""
Land and construction pages: the area overview (counts, the plot map, slipping projects, cost per m²), plot
list and recording, a plot's page (survey, verification, documents, photos, construction), a project's page
(progress with photos, slippage curve, handover), the units in business, and the private files.
"""

import re

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from core.audit import audit_trail
from core.identifiers import REGION_CODE_PATTERN
from core.roles import Action
from core.scoping import scope_for
from core.storage import private_file_response
from core.views import ActionRequiredMixin
from core.views import posted_object
from core.views import user_can
from wilayah.models import Region

from . import selectors
from . import services
from .forms import DocumentForm
from .forms import HandoverForm
from .forms import PhotoForm
from .forms import PlotForm
from .forms import ProgressReportForm
from .forms import ProjectForm
from .forms import RejectForm
from .forms import SurveyForm
from .forms import UnitReportForm
from .models import ConstructionProject
from .models import LandPlot
from .models import LandPlotDocument
from .models import PlotStatus
from .models import SitePhoto

__all__ = ["BusinessView", "DocumentDownloadView", "HandoverDownloadView", "MapPointsView", "OverviewView",
           "PhotoView", "PlotCreateView", "PlotDetailView", "PlotListView", "ProjectDetailView"]

PER_PAGE = 50
REGION_CODE = re.compile(REGION_CODE_PATTERN)


def _area_code(request) -> str | None:
    """The area the page is about: ``?region=`` inside the user's scope, else their one area (or none)."""
    code = (request.GET.get("region") or "").strip()
    scope = scope_for(request.user)
    if code and scope.contains(code):
        return code
    if not scope.everything and len(scope.roots) == 1:
        return next(iter(scope.roots))
    return None


def _errors(error) -> str:
    return " ".join(getattr(error, "messages", [str(error)]))


class OverviewView(ActionRequiredMixin, TemplateView):
    """What a district officer chasing land and construction looks at first."""

    template_name = "pembangunan/overview.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        code = _area_code(self.request)
        area = Region.objects.filter(code=code).first() if code else None
        slipping = selectors.slipping_projects(user=user, code=code)
        return super().get_context_data(
            area=area, code=code or "", counts=selectors.land_counts(user=user, code=code),
            slipping=slipping[:20], slipping_count=len(slipping),
            overdue_count=sum(1 for _project, standing in slipping if standing.overdue_days),
            awaiting=selectors.plot_filter(user=user, filters={"status": PlotStatus.SURVEYED,
                                                              **({"region": code} if code else {})}).qs[:20],
            cost_per_m2=selectors.cost_per_m2_by_province(user=user),
            map_region=code if code and len(code) >= 5 else "",
            can_record=not scope_for(user, Action.RECORD_LAND).is_empty, **kwargs)


class MapPointsView(ActionRequiredMixin, View):
    """The located plots of an area (``?region=``, a kabupaten or below) as JSON for the maps."""

    def get(self, request):
        code = (request.GET.get("region") or "").strip()
        # A national or province map of every plot would be tens of thousands of points: kabupaten and below.
        if not REGION_CODE.fullmatch(code) or len(code) < 5:
            return JsonResponse({"region": [_("Choose a kabupaten/kota or an area below it.")]}, status=400)
        return JsonResponse({"points": selectors.map_points(user=request.user, code=code)})


class PlotListView(ActionRequiredMixin, TemplateView):
    template_name = "pembangunan/plot_list.html"

    def get_context_data(self, **kwargs):
        filterset = selectors.plot_filter(user=self.request.user, filters=self.request.GET, request=self.request)
        page = Paginator(filterset.qs.prefetch_related("projects"), PER_PAGE).get_page(self.request.GET.get("page"))
        return super().get_context_data(filterset=filterset, page=page, statuses=PlotStatus.choices,
                                        can_record=not scope_for(self.request.user, Action.RECORD_LAND).is_empty,
                                        **kwargs)


class PlotCreateView(ActionRequiredMixin, TemplateView):
    template_name = "pembangunan/plot_form.html"
    scope_action = Action.RECORD_LAND

    def get_context_data(self, **kwargs):
        kwargs.setdefault("form", PlotForm(actor=self.request.user,
                                           initial={"cooperative": self.request.GET.get("cooperative")}))
        return super().get_context_data(**kwargs)

    def post(self, request, *args, **kwargs):
        form = PlotForm(request.POST, request.FILES, actor=request.user)
        if form.is_valid():
            data = dict(form.cleaned_data)
            photo = data.pop("photo")
            ok, plot = form.call_service(services.plot_record, actor=request.user, photos=[photo] if photo else [],
                                         **data)
            if ok:
                messages.success(request, _("Plot recorded."))
                return redirect("pembangunan:plot", pk=plot.pk)
        return self.render_to_response(self.get_context_data(form=form))


class PlotDetailView(ActionRequiredMixin, TemplateView):
    template_name = "pembangunan/plot_detail.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.plot = get_object_or_404(
                LandPlot.objects.for_user(request.user).select_related("cooperative", "village__parent",
                                                                       "verified_by", "recorded_by"),
                pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        plot, user = self.plot, self.request.user
        code = plot.cooperative.village_id
        can_record, can_verify = user_can(user, Action.RECORD_LAND, code), user_can(user, Action.VERIFY_LAND, code)
        forms = {
            "survey_form": SurveyForm(prefix="survey"), "reject_form": RejectForm(prefix="reject"),
            "document_form": DocumentForm(prefix="document"), "photo_form": PhotoForm(prefix="photo"),
            "project_form": ProjectForm(prefix="project", initial={"executor": "agrinas"}),
        }
        forms.update(kwargs)
        can_see_documents = user_can(user, Action.VIEW_PERSONAL_DATA, code)
        return super().get_context_data(
            plot=plot, can_record=can_record, can_verify=can_verify, can_see_documents=can_see_documents,
            # The verify button only for someone else than who recorded or last changed the plot.
            can_verify_this=can_verify and plot.status == PlotStatus.SURVEYED
            and not services.verifies_own_work(plot, user),
            unit_types=list(plot.unit_types.all()),
            photos=list(plot.photos.filter(report__isnull=True)),
            documents=list(plot.documents.all()) if can_see_documents else [],
            projects=list(plot.projects.all()),
            history=audit_trail(plot.history.all()),
            **forms)

    def post(self, request, *args, **kwargs):
        operation = request.POST.get("operation", "")
        handler = {"survey": self._survey, "verify": self._verify, "reject": self._reject,
                   "document": self._document, "photo": self._photo, "project": self._project}.get(operation)
        if handler is None:
            messages.error(request, _("Unknown action."))
            return redirect("pembangunan:plot", pk=self.plot.pk)
        return handler(request)

    def _done(self, message):
        messages.success(self.request, message)
        return redirect("pembangunan:plot", pk=self.plot.pk)

    def _again(self, **forms):
        return self.render_to_response(self.get_context_data(**forms), status=400)

    def _survey(self, request):
        form = SurveyForm(request.POST, prefix="survey")
        if form.is_valid() and form.call_service(services.plot_survey, actor=request.user, plot=self.plot,
                                                 **form.cleaned_data)[0]:
            return self._done(_("Plot marked surveyed; it now waits for the Dinas to verify it."))
        return self._again(survey_form=form)

    def _verify(self, request):
        try:
            services.plot_verify(actor=request.user, plot=self.plot)
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, _errors(error))
            return redirect("pembangunan:plot", pk=self.plot.pk)
        return self._done(_("Plot verified."))

    def _reject(self, request):
        form = RejectForm(request.POST, prefix="reject")
        if form.is_valid() and form.call_service(services.plot_reject, actor=request.user, plot=self.plot,
                                                 **form.cleaned_data)[0]:
            return self._done(_("Plot rejected; the village sees your reason."))
        return self._again(reject_form=form)

    def _document(self, request):
        form = DocumentForm(request.POST, request.FILES, prefix="document")
        if form.is_valid() and form.call_service(services.plot_document_add, actor=request.user, plot=self.plot,
                                                 kind=form.cleaned_data["kind"],
                                                 upload=form.cleaned_data["file"])[0]:
            return self._done(_("Document added."))
        return self._again(document_form=form)

    def _photo(self, request):
        form = PhotoForm(request.POST, request.FILES, prefix="photo")
        if form.is_valid():
            data = form.cleaned_data
            if form.call_service(services.plot_photo_add, actor=request.user, plot=self.plot, upload=data["photo"],
                                 keep_location=data["keep_location"], caption=data["caption"],
                                 latitude=data["latitude"], longitude=data["longitude"])[0]:
                return self._done(_("Photo added."))
        return self._again(photo_form=form)

    def _project(self, request):
        form = ProjectForm(request.POST, prefix="project")
        if form.is_valid():
            data = {name: ("" if value is None and name in ("executor_name", "contractor_name", "contract_number",
                                                           "bank_name") else value)
                    for name, value in form.cleaned_data.items()}
            ok, project = form.call_service(services.project_create, actor=request.user, plot=self.plot, **data)
            if ok:
                messages.success(request, _("Construction project recorded; the plot is now under construction."))
                return redirect("pembangunan:project", pk=project.pk)
        return self._again(project_form=form)


class ProjectDetailView(ActionRequiredMixin, TemplateView):
    template_name = "pembangunan/project_detail.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.project = get_object_or_404(
                ConstructionProject.objects.for_user(request.user).select_related("plot__cooperative",
                                                                                  "plot__village"),
                pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        project, user = self.project, self.request.user
        code = project.plot.cooperative.village_id
        kwargs.setdefault("report_form", ProgressReportForm(prefix="report"))
        kwargs.setdefault("photo_form", PhotoForm(prefix="photo"))
        kwargs.setdefault("handover_form", HandoverForm(prefix="handover", initial={
            "handed_over_on": timezone.localdate()}))
        progress = selectors.project_progress(project)
        return super().get_context_data(
            project=project, plot=project.plot, progress=progress,
            chart={"days": progress.curve["days"], "planned": progress.curve["planned"],
                   "actual": progress.curve["actual"], "labels": {"planned": _("Planned"), "actual": _("Actual")}},
            can_record=user_can(user, Action.RECORD_LAND, code), can_verify=user_can(user, Action.VERIFY_LAND, code),
            can_see_documents=user_can(user, Action.VIEW_PERSONAL_DATA, code),
            history=audit_trail(project.history.all(), project.reports.model.history.filter(project=project)),
            **kwargs)

    def post(self, request, *args, **kwargs):
        operation = request.POST.get("operation", "")
        if operation == "report":
            form = ProgressReportForm(request.POST, request.FILES, prefix="report")
            if form.is_valid():
                data = dict(form.cleaned_data)
                photo = data.pop("photo")
                ok, report = form.call_service(services.progress_report_add, actor=request.user,
                                               project=self.project, photos=[photo] if photo else [], **data)
                if ok:
                    messages.success(request, _("Progress report saved as a draft: add a photo to publish it.")
                                     if report.is_draft else _("Progress report published."))
                    return redirect("pembangunan:project", pk=self.project.pk)
            return self.render_to_response(self.get_context_data(report_form=form), status=400)
        if operation == "photo":
            report = posted_object(self.project.reports.all(), request, "report")
            form = PhotoForm(request.POST, request.FILES, prefix="photo")
            if form.is_valid():
                data = form.cleaned_data
                if form.call_service(services.progress_photo_add, actor=request.user, report=report,
                                     upload=data["photo"], keep_location=data["keep_location"],
                                     caption=data["caption"], latitude=data["latitude"],
                                     longitude=data["longitude"])[0]:
                    messages.success(request, _("Photo added."))
                    return redirect("pembangunan:project", pk=self.project.pk)
            for error in form.errors.values():
                messages.error(request, _errors(ValidationError(error)))
            return redirect("pembangunan:project", pk=self.project.pk)
        if operation == "handover":
            form = HandoverForm(request.POST, request.FILES, prefix="handover")
            if form.is_valid() and form.call_service(services.project_hand_over, actor=request.user,
                                                     project=self.project,
                                                     handed_over_on=form.cleaned_data["handed_over_on"],
                                                     upload=form.cleaned_data["file"])[0]:
                messages.success(request, _("Handover recorded."))
                return redirect("pembangunan:project", pk=self.project.pk)
            return self.render_to_response(self.get_context_data(handover_form=form), status=400)
        messages.error(request, _("Unknown action."))
        return redirect("pembangunan:project", pk=self.project.pk)


class BusinessView(ActionRequiredMixin, TemplateView):
    """Units in business: who is trading, revenue by unit type and area, late reports, idle sites."""

    template_name = "pembangunan/business.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        code = _area_code(self.request)
        area = Region.objects.filter(code=code).first() if code else None
        can_file = not scope_for(user, Action.RECORD_LAND).is_empty
        if can_file:
            kwargs.setdefault("form", UnitReportForm(actor=user))
        return super().get_context_data(
            area=area, code=code or "", trading=selectors.trading_units(user=user, code=code),
            by_type=selectors.revenue_by_unit_type(user=user, code=code),
            by_region=selectors.revenue_by_region(user=user, code=code or ""),
            # Each long list pages on its own (a province's late reports run to a thousand units).
            missing=Paginator(selectors.missing_unit_reports(user=user, code=code), PER_PAGE).get_page(
                self.request.GET.get("laporan")),
            idle=Paginator(selectors.idle_sites(user=user, code=code), PER_PAGE).get_page(
                self.request.GET.get("lokasi")), can_file=can_file, **kwargs)

    def post(self, request, *args, **kwargs):
        form = UnitReportForm(request.POST, actor=request.user)
        if form.is_valid():
            data = form.cleaned_data
            if form.call_service(services.unit_report_file, actor=request.user, unit=data["unit"],
                                 month=data["month"], revenue=data["revenue"], costs=data["costs"],
                                 figures=form.figures(), notes=data["notes"])[0]:
                messages.success(request, _("Monthly report filed."))
                return redirect("pembangunan:business")
        return self.render_to_response(self.get_context_data(form=form), status=400)


class PhotoView(ActionRequiredMixin, View):
    def get(self, request, pk):
        photo = get_object_or_404(SitePhoto.objects.for_user(request.user), pk=pk)
        return private_file_response(photo, inline=True)


class DocumentDownloadView(ActionRequiredMixin, View):
    """Land certificates and letters name people: only those who may see personal data there download them."""

    scope_action = Action.VIEW_PERSONAL_DATA

    def get(self, request, pk):
        document = get_object_or_404(LandPlotDocument.objects.for_user(request.user, Action.VIEW_PERSONAL_DATA),
                                     pk=pk)
        return private_file_response(document, inline=request.GET.get("inline") == "1")


class HandoverDownloadView(ActionRequiredMixin, View):
    scope_action = Action.VIEW_PERSONAL_DATA

    def get(self, request, pk):
        project = get_object_or_404(
            ConstructionProject.objects.for_user(request.user, Action.VIEW_PERSONAL_DATA)
            .filter(handed_over_on__isnull=False), pk=pk)
        return private_file_response(project, inline=request.GET.get("inline") == "1")
