"""Pages for cooperatives: list, registration, the cooperative page with its stages, review queue, documents."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.shortcuts import get_object_or_404
from django.shortcuts import redirect
from django.utils.functional import cached_property
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
from core.views import user_can

from . import services
from .extensions import cooperative_filter_templates
from .extensions import cooperative_sections
from .extensions import list_action_templates
from .forms import CooperativeLegalForm
from .forms import CooperativeProfileForm
from .forms import CooperativeRegisterForm
from .forms import StageArchiveForm
from .forms import StageReasonForm
from .forms import StageSubmitForm
from .models import Cooperative
from .models import FormationStage
from .models import StageDocument
from .models import StageProgress
from .models import StageStatus
from .models import stage_data_rows
from .selectors import cooperative_filter
from .selectors import cooperative_stages
from .selectors import review_queue

__all__ = [
    "CooperativeDetailView",
    "CooperativeEditView",
    "CooperativeListView",
    "CooperativeRegisterView",
    "DocumentDownloadView",
    "ReviewQueueView",
    "StageView",
]

PER_PAGE = 50


class CooperativeObjectMixin(ActionRequiredMixin):
    """Loads ``self.cooperative`` from the URL through the user's scope (404 outside it)."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.cooperative = get_object_or_404(
                Cooperative.objects.for_user(request.user).select_related("village", "stage_reached"), pk=kwargs["pk"]
            )
        return super().dispatch(request, *args, **kwargs)

    def permissions(self) -> dict:
        code = self.cooperative.village_id
        user = self.request.user
        return {
            "can_edit": user_can(user, Action.EDIT_COOPERATIVE, code),
            "can_verify": user_can(user, Action.VERIFY_STAGES, code),
            "can_see_personal": user_can(user, Action.VIEW_PERSONAL_DATA, code),
        }


class CooperativeListView(ActionRequiredMixin, TemplateView):
    """The cooperatives of the user's area, filterable by stage, unit status, kecamatan and stalled."""

    template_name = "koperasi/cooperative_list.html"

    def get_context_data(self, **kwargs):
        filterset = cooperative_filter(user=self.request.user, filters=self.request.GET)
        page = Paginator(filterset.qs.order_by("village_id"), PER_PAGE).get_page(self.request.GET.get("page"))
        return super().get_context_data(
            page=page, filterset=filterset, stages=FormationStage.objects.all(),
            extension_filter_templates=cooperative_filter_templates(),
            list_actions=list_action_templates(), list_kind="cooperatives",
            stalled_days=settings.STALLED_AFTER_DAYS,
            can_register=not scope_for(self.request.user, Action.EDIT_COOPERATIVE).is_empty,
            **kwargs,
        )


class CooperativeRegisterView(ActionRequiredMixin, FormView):
    template_name = "koperasi/cooperative_register.html"
    form_class = CooperativeRegisterForm
    scope_action = Action.EDIT_COOPERATIVE

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "actor": self.request.user}

    def get_initial(self):
        village = self.request.GET.get("village")
        return {"village": village} if village else {}

    def form_valid(self, form):
        data = form.cleaned_data
        ok, cooperative = form.call_service(
            services.cooperative_register,
            actor=self.request.user, village_code=data["village"].code, formation_model=data["formation_model"],
            name=data["name"], joint_village_codes=data.get("joint_villages", []),
            joint_population_confirmed=data.get("joint_population_confirmed", False), address=data["address"],
            latitude=data["latitude"], longitude=data["longitude"], phone=data["phone"], email=data["email"],
        )
        if not ok:
            return self.form_invalid(form)
        messages.success(self.request, _("%(name)s is registered. Next: submit the first stage.")
                         % {"name": cooperative.name})
        return redirect("koperasi:detail", pk=cooperative.pk)


class CooperativeDetailView(CooperativeObjectMixin, TemplateView):
    """
    The cooperative page: formation stepper and legal identifiers, then the cards other apps add (the
    7-unit readiness matrix, members and governance check, recent visits), then the history.
    """

    template_name = "koperasi/cooperative_detail.html"

    def get_context_data(self, **kwargs):
        cooperative = self.cooperative
        stages = cooperative_stages(cooperative)
        next_stage = next((progress for progress in stages if not progress.is_completed), None)
        return super().get_context_data(
            cooperative=cooperative,
            villages=cooperative.villages.select_related("village"),
            stages=stages,
            next_stage=next_stage,
            sections=cooperative_sections(cooperative, self.request.user),
            # The cooperative's own changes with its stages' submissions, reviews and files.
            history=audit_trail(cooperative.history.all(), StageProgress.history.filter(cooperative_id=cooperative.pk),
                                StageDocument.history.filter(progress__cooperative_id=cooperative.pk), limit=30),
            **self.permissions(),
            **kwargs,
        )


class CooperativeEditView(CooperativeObjectMixin, TemplateView):
    """Profile (village staff and officers) and legal identifiers (officers who verify)."""

    template_name = "koperasi/cooperative_edit.html"
    scope_action = Action.EDIT_COOPERATIVE

    def get_context_data(self, **kwargs):
        permissions = self.permissions()
        version = etag_of(self.cooperative)
        kwargs.setdefault("profile_form", CooperativeProfileForm(
            initial=CooperativeProfileForm.initial_for(self.cooperative), version=version))
        if permissions["can_verify"]:
            kwargs.setdefault("legal_form", CooperativeLegalForm(
                initial=CooperativeLegalForm.initial_for(self.cooperative), version=version))
        return super().get_context_data(cooperative=self.cooperative, **permissions, **kwargs)

    @transaction.atomic
    def post(self, request, *args, **kwargs):
        form_class = CooperativeLegalForm if "legal" in request.POST else CooperativeProfileForm
        # The same initial values as the page, so that a cleared field counts as a change.
        form = form_class(request.POST, initial=form_class.initial_for(self.cooperative),
                          version=locked_version(self.cooperative))
        if form.is_valid():
            ok, _cooperative = form.call_service(
                services.cooperative_update, actor=request.user, cooperative=self.cooperative,
                **{field: form.cleaned_data[field] for field in form.changed_data})
            if ok:
                messages.success(request, _("Changes saved."))
                return redirect("koperasi:detail", pk=self.cooperative.pk)
        key = "legal_form" if form_class is CooperativeLegalForm else "profile_form"
        return self.render_to_response(self.get_context_data(**{key: form}))


class StageView(CooperativeObjectMixin, TemplateView):
    """
    One stage of one cooperative: what it needs, what was submitted, the documents, its history;
    the submission form for village staff and the review buttons for the district officer.
    """

    template_name = "koperasi/stage.html"

    @cached_property
    def progress(self) -> StageProgress:
        return get_object_or_404(
            StageProgress.objects.select_related("stage", "submitted_by", "reviewed_by"),
            cooperative=self.cooperative, stage__code=self.kwargs["stage"],
        )

    def get_context_data(self, **kwargs):
        progress = self.progress
        permissions = self.permissions()
        open_for_submission = progress.status in (StageStatus.NOT_STARTED, StageStatus.REJECTED)
        blockers = services.submission_blockers(progress) if permissions["can_edit"] and open_for_submission else []
        if permissions["can_edit"] and open_for_submission and not blockers:
            kwargs.setdefault("submit_form", StageSubmitForm(progress=progress))
        if permissions["can_verify"]:
            kwargs.setdefault("reason_form", StageReasonForm())
            if open_for_submission:
                kwargs.setdefault("archive_form", StageArchiveForm(progress=progress, prefix="archive"))
        return super().get_context_data(
            cooperative=self.cooperative,
            progress=progress,
            blockers=blockers,
            stages=cooperative_stages(self.cooperative),
            documents=progress.documents.filter(removed_at__isnull=True).select_related("document_type"),
            earlier_documents=progress.documents.filter(removed_at__isnull=False).select_related("document_type"),
            can_remove_documents=permissions["can_edit"] and open_for_submission,
            own_submission=progress.submitted_by_id == self.request.user.pk,
            data_rows=stage_data_rows(progress.data),
            can_mark_not_applicable=self.cooperative.formation_model in progress.stage.skippable_for,
            history=audit_trail(progress.history.all(), progress.documents.model.history.filter(progress=progress),
                                limit=50),
            **permissions,
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        operation = request.POST.get("operation")
        handlers = {"submit": self._submit, "verify": self._verify, "reject": self._reject,
                    "not_applicable": self._not_applicable, "reopen": self._reopen, "archive": self._archive,
                    "remove_document": self._remove_document}
        if operation not in handlers:
            return redirect(request.path)
        return handlers[operation](request)

    def _submit(self, request):
        form = StageSubmitForm(request.POST, request.FILES, progress=self.progress)
        if form.is_valid() and form.call_service(services.stage_submit, actor=request.user, progress=self.progress,
                                                 data=form.stage_data(), documents=form.documents())[0]:
            messages.success(request, _("Submitted. The district officer will verify it."))
            return redirect("koperasi:detail", pk=self.cooperative.pk)
        return self.render_to_response(self.get_context_data(submit_form=form))

    def _archive(self, request):
        form = StageArchiveForm(request.POST, request.FILES, progress=self.progress, prefix="archive")
        if form.is_valid() and form.call_service(
            services.stage_record_from_archive, actor=request.user, progress=self.progress,
            completed_on=form.cleaned_data["completed_on"], note=form.cleaned_data["note"], data=form.stage_data(),
            documents=form.documents(),
        )[0]:
            messages.success(request, _("Recorded from the archive."))
            return redirect("koperasi:detail", pk=self.cooperative.pk)
        return self.render_to_response(self.get_context_data(archive_form=form))

    def _remove_document(self, request):
        document_id = request.POST.get("document", "")
        if not (document_id.isascii() and document_id.isdigit()):
            return redirect(request.path)
        document = get_object_or_404(self.progress.documents.filter(removed_at__isnull=True), pk=int(document_id))
        try:
            services.stage_document_remove(actor=request.user, document=document)
            messages.success(request, _("%(file)s removed.") % {"file": document.original_name})
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
        return redirect(request.path)

    def _verify(self, request):
        try:
            services.stage_verify(actor=request.user, progress=self.progress)
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
            return redirect(request.path)
        messages.success(request, _("%(stage)s verified for %(cooperative)s.")
                         % {"stage": self.progress.stage.label, "cooperative": self.cooperative.name})
        return redirect("koperasi:review-queue")

    def _reason_action(self, request, service, success_message):
        form = StageReasonForm(request.POST)
        if form.is_valid() and form.call_service(service, actor=request.user, progress=self.progress,
                                                 reason=form.cleaned_data["reason"])[0]:
            messages.success(request, success_message)
            return redirect("koperasi:detail", pk=self.cooperative.pk)
        return self.render_to_response(self.get_context_data(reason_form=form))

    def _reject(self, request):
        return self._reason_action(request, services.stage_reject, _("Sent back to the village with your reason."))

    def _not_applicable(self, request):
        return self._reason_action(request, services.stage_mark_not_applicable, _("Marked not applicable."))

    def _reopen(self, request):
        return self._reason_action(request, services.stage_reopen, _("Reopened: the stage is to be done."))


class ReviewQueueView(ActionRequiredMixin, TemplateView):
    """Submitted stages awaiting the district officer, oldest first."""

    template_name = "koperasi/review_queue.html"
    scope_action = Action.VERIFY_STAGES

    def get_context_data(self, **kwargs):
        filterset = review_queue(user=self.request.user, filters=self.request.GET)
        page = Paginator(filterset.qs, PER_PAGE).get_page(self.request.GET.get("page"))
        return super().get_context_data(page=page, filterset=filterset, stages=FormationStage.objects.all(),
                                        list_actions=list_action_templates(), list_kind="queue", **kwargs)


class DocumentDownloadView(ActionRequiredMixin, View):
    """Stage documents carry personal data: only users who may see it in that village can download."""

    scope_action = Action.VIEW_PERSONAL_DATA

    def get(self, request, pk):
        document = get_object_or_404(
            StageDocument.objects.for_user(request.user, Action.VIEW_PERSONAL_DATA).filter(removed_at__isnull=True),
            pk=pk,
        )
        return private_file_response(document, inline=request.GET.get("inline") == "1")
