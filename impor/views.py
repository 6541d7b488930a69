"""Pages of the bulk import: upload (per cooperative, or for an area), follow the check, decide, download."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.http import HttpResponse
from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from core.roles import Action
from core.scoping import scope_for
from core.storage import private_file_response
from core.views import ActionRequiredMixin
from koperasi.views import CooperativeObjectMixin

from . import services
from .forms import ImportCommitForm
from .forms import ImportUploadForm
from .kinds import import_kind
from .selectors import import_jobs_for
from .selectors import importable_kinds

__all__ = ["CooperativeImportView", "ImportErrorsView", "ImportJobView", "ImportListView", "ImportStatusView",
           "ImportTemplateView"]

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class _UploadMixin:
    cooperative = None

    def kinds(self):
        return importable_kinds(self.request.user, cooperative=self.cooperative)

    def post(self, request, *args, **kwargs):
        kinds = self.kinds()
        if not kinds:
            raise PermissionDenied
        form = ImportUploadForm(request.POST, request.FILES, kinds=kinds)
        if form.is_valid():
            ok, job = form.call_service(services.import_upload, actor=request.user, kind=form.cleaned_data["kind"],
                                        upload=form.cleaned_data["file"], cooperative=self.cooperative)
            if ok:
                return redirect("impor:job", pk=job.pk)
        return self.render_to_response(self.get_context_data(form=form))


class ImportListView(_UploadMixin, ActionRequiredMixin, TemplateView):
    """The imports of the user's area, and the upload of formation progress for officers who verify stages."""

    template_name = "impor/import_list.html"

    def get_context_data(self, **kwargs):
        kinds = self.kinds()
        if kinds:
            kwargs.setdefault("form", ImportUploadForm(kinds=kinds))
        page = Paginator(import_jobs_for(self.request.user), 25).get_page(self.request.GET.get("page"))
        return super().get_context_data(page=page, kinds=kinds, **kwargs)


class CooperativeImportView(_UploadMixin, CooperativeObjectMixin, TemplateView):
    """Import members (and opening balances) into one cooperative."""

    template_name = "impor/cooperative_import.html"
    scope_action = Action.EDIT_COOPERATIVE

    def get_context_data(self, **kwargs):
        kinds = self.kinds()
        if not kinds:
            raise PermissionDenied
        kwargs.setdefault("form", ImportUploadForm(kinds=kinds))
        jobs = import_jobs_for(self.request.user).filter(cooperative=self.cooperative)[:20]
        return super().get_context_data(cooperative=self.cooperative, kinds=kinds, jobs=jobs, **kwargs)


class ImportTemplateView(ActionRequiredMixin, View):
    """The XLSX template of a kind, with its column guide on the second sheet."""

    def get(self, request, kind):
        try:
            import_kind(kind)
        except KeyError:
            raise Http404 from None
        name, content = services.import_template(kind)
        response = HttpResponse(content, content_type=XLSX)
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response


class _JobMixin(ActionRequiredMixin):
    def get_job(self):
        return get_object_or_404(import_jobs_for(self.request.user), pk=self.kwargs["pk"])


class ImportJobView(_JobMixin, TemplateView):
    """The progress of the check, its counts and first errors, and the decision to import."""

    template_name = "impor/import_job.html"

    def get_context_data(self, **kwargs):
        job = self.get_job()
        kwargs.setdefault("commit_form", ImportCommitForm())
        kind_class = import_kind(job.kind)
        can_act = (scope_for(self.request.user, kind_class.action).contains(job.scope_code or None)
                   or scope_for(self.request.user, kind_class.action).everything)
        return super().get_context_data(job=job, progress=services.import_progress(job), can_act=can_act,
                                        kind_label=kind_class.label, **kwargs)

    def post(self, request, pk):
        job = self.get_job()
        try:
            if request.POST.get("operation") == "cancel":
                services.import_cancel(actor=request.user, job=job)
                messages.success(request, _("The file was dropped; nothing was imported."))
                return redirect("impor:job", pk=job.pk)
            form = ImportCommitForm(request.POST)
            if not form.is_valid():
                return self.render_to_response(self.get_context_data(commit_form=form))
            services.import_commit(actor=request.user, job=job, mode=form.cleaned_data["mode"])
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
        return redirect("impor:job", pk=job.pk)


class ImportStatusView(_JobMixin, View):
    """JSON for the progress bar (static/js/impor.js polls it)."""

    def get(self, request, pk):
        return JsonResponse(services.import_progress(self.get_job()))


class ImportErrorsView(_JobMixin, View):
    """The error file: row, column, value and message of every problem found."""

    def get(self, request, pk):
        job = self.get_job()
        if not job.error_file:
            raise Http404(_("This import has no errors to download."))
        stored = _Stored(job.error_file, f"galat-{job.original_name.rsplit('.', 1)[0]}.xlsx", XLSX)
        return private_file_response(stored)


class _Stored:
    def __init__(self, file, original_name, content_type):
        self.file, self.original_name, self.content_type = file, original_name, content_type
