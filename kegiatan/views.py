"""
Pages of kegiatan: events with invitations and phone-first attendance at the door, the daftar hadir PDF and
exports, the partner directory and the deal pipeline, and co-working spaces with bookings and usage.
"""

from datetime import date
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import formats
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from core.concurrency import etag_of
from core.concurrency import locked_version
from core.roles import Action
from core.scoping import scope_for
from core.views import ActionRequiredMixin
from core.views import posted_object
from koperasi.models import Cooperative
from members.models import Member

from . import services
from .documents import attendance_rows
from .documents import attendance_template_xlsx
from .documents import daftar_hadir_pdf
from .documents import read_attendance_file
from .documents import table_csv
from .documents import table_xlsx
from .filtersets import SpaceFilterSet
from .forms import AttendanceImportForm
from .forms import BookingForm
from .forms import DealMoveForm
from .forms import EventEditForm
from .forms import EventForm
from .forms import InviteForm
from .forms import MeetingForm
from .forms import PartnerContactForm
from .forms import PartnerForm
from .forms import QuickAttendeeForm
from .forms import ResourceForm
from .forms import SpaceForm
from .forms import WeeklyBookingForm
from .models import OPEN_STAGES
from .models import Attendee
from .models import AttendeeRole
from .models import Booking
from .models import Deal
from .models import DealStage
from .models import Event
from .models import EventKind
from .models import Partner
from .models import Space
from .selectors import attendee_phone_shown
from .selectors import attendee_search
from .selectors import deal_filter
from .selectors import event_coverage
from .selectors import event_filter
from .selectors import events_visible
from .selectors import looks_like_nik
from .selectors import month_bounds
from .selectors import own_invitations
from .selectors import partner_filter
from .selectors import pipeline_summary
from .selectors import space_usage
from .services import member_attendee_role

__all__ = [
    "AttendanceExportView",
    "AttendanceImportTemplateView",
    "AttendanceView",
    "DaftarHadirView",
    "DealDetailView",
    "DealExportView",
    "DealListView",
    "EventCreateView",
    "EventDetailView",
    "EventListView",
    "PartnerDetailView",
    "PartnerListView",
    "SpaceDetailView",
    "SpaceListView",
    "SpaceUsageExportView",
]

PER_PAGE = 50


def _errors(error) -> str:
    return " ".join(getattr(error, "messages", [str(error)]))


def _file(content: bytes, name: str, content_type: str, *, inline: bool = False) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(not inline, name)
    return response


def _event_for(request, pk) -> Event:
    return get_object_or_404(events_visible(request.user), pk=pk)


def _can_organise(user, event: Event) -> bool:
    return scope_for(user, Action.MANAGE_EVENTS).reaches(event.region_id, event.organiser_federation_id)


# SECTION: events


class EventListView(ActionRequiredMixin, TemplateView):
    template_name = "kegiatan/event_list.html"

    def get_context_data(self, **kwargs):
        filterset = event_filter(request=self.request, filters=self.request.GET)
        now = timezone.now()
        return super().get_context_data(
            filterset=filterset, now=now,
            page=Paginator(filterset.qs, PER_PAGE).get_page(self.request.GET.get("page")),
            can_create=not scope_for(self.request.user, Action.MANAGE_EVENTS).is_empty, **kwargs)


class EventCreateView(ActionRequiredMixin, TemplateView):
    template_name = "kegiatan/event_form.html"
    scope_action = Action.MANAGE_EVENTS

    def get_context_data(self, **kwargs):
        kwargs.setdefault("form", EventForm(actor=self.request.user, initial={"kind": self.request.GET.get("kind")}))
        return super().get_context_data(**kwargs)

    def post(self, request, *args, **kwargs):
        form = EventForm(request.POST, actor=request.user)
        if form.is_valid():
            data = dict(form.cleaned_data)
            region, village = data.pop("region"), data.pop("venue_village")
            ok, event = form.call_service(
                services.event_create, actor=request.user, region_code=region.code if region else None,
                venue_village_code=village.code if village else None, federation=data.pop("federation", None),
                **data)
            if ok:
                messages.success(request, _("Event recorded. Now invite the desa/kelurahan."))
                return redirect("kegiatan:event", event.pk)
        return self.render_to_response(self.get_context_data(form=form))


class EventDetailView(ActionRequiredMixin, TemplateView):
    """The event: what, when, who is invited, coverage by role, and (business matching) the meetings and deals."""

    template_name = "kegiatan/event_detail.html"

    def get_context_data(self, **kwargs):
        event = _event_for(self.request, self.kwargs["pk"])
        user = self.request.user
        organiser = _can_organise(user, event)
        context = {"event": event, "coverage": event_coverage(event), "organiser": organiser,
                   "invitations": event.invitations.select_related("village", "cooperative"),
                   "role_labels": dict(AttendeeRole.choices),
                   # The invited villages this user answers for (their village staff), and whether replies are open.
                   "own_invitations": own_invitations(user, event),
                   "replies_open": event.cancelled_at is None and timezone.now() < event.starts_at,
                   "max_people": services.MAX_EXPECTED_PEOPLE}
        if organiser:
            kwargs.setdefault("invite_form", InviteForm(actor=user))
            kwargs.setdefault("edit_form", EventEditForm(initial=EventEditForm.initial_for(event),
                                                         version=etag_of(event)))
            kwargs.setdefault("import_form", AttendanceImportForm())
        if event.kind == EventKind.BUSINESS_MATCHING:
            deals = deal_filter(request=self.request, filters={"event": event.pk}).qs
            context["deals"] = deals
            context["pipeline"] = pipeline_summary(deals)
            if not scope_for(user, Action.MANAGE_PARTNERS).is_empty:
                kwargs.setdefault("meeting_form", MeetingForm(actor=user))
        if event.kind == EventKind.SOSIALISASI and organiser:
            context["sosialisasi"] = self._sosialisasi_rows(event, context["coverage"])
        return super().get_context_data(**context, **kwargs)

    def _sosialisasi_rows(self, event, coverage):
        """Invited villages that came and have a cooperative: the state of their sosialisasi stage."""
        came = set(event.attendees.values_list("village_id", flat=True))
        cooperatives = (Cooperative.objects.for_user(self.request.user, Action.EDIT_COOPERATIVE)
                        .filter(village_id__in=came).select_related("village"))
        rows = []
        for cooperative in cooperatives:
            progress = cooperative.stages.filter(stage__code=services.SOSIALISASI_STAGE).first()
            if progress is not None:
                rows.append((cooperative, progress))
        return rows

    def post(self, request, *args, **kwargs):
        event = _event_for(request, self.kwargs["pk"])
        operation = request.POST.get("operation")
        handlers = {"edit": self._edit, "invite": self._invite, "import": self._import, "meeting": self._meeting,
                    "cancel": self._cancel, "sosialisasi": self._sosialisasi, "reply": self._reply}
        if operation not in handlers:
            messages.error(request, _("Unknown operation."))
            return redirect("kegiatan:event", event.pk)
        return handlers[operation](request, event)

    @transaction.atomic
    def _edit(self, request, event):
        # Every field is saved: a form opened before someone else's save would undo it (the version refuses it).
        form = EventEditForm(request.POST, version=locked_version(event))
        if form.is_valid():
            ok, _event = form.call_service(services.event_update, actor=request.user, event=event,
                                           **form.cleaned_data)
            if ok:
                messages.success(request, _("Event updated."))
                return redirect("kegiatan:event", event.pk)
        return self.render_to_response(self.get_context_data(edit_form=form))

    def _invite(self, request, event):
        form = InviteForm(request.POST, actor=request.user)
        if form.is_valid():
            ok, created = form.call_service(services.event_invite, actor=request.user, event=event,
                                            region_codes=[region.code for region in form.cleaned_data["villages"]])
            if ok:
                messages.success(request, _("%(count)s desa/kelurahan invited; their village staff were notified.")
                                 % {"count": len(created)})
                return redirect("kegiatan:event", event.pk)
        return self.render_to_response(self.get_context_data(invite_form=form))

    def _import(self, request, event):
        form = AttendanceImportForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                rows = read_attendance_file(event, form.cleaned_data["file"])
                added = services.attendance_import(actor=request.user, event=event, rows=rows)
                messages.success(request, _("%(count)s attendees imported.") % {"count": len(added)})
                left_out = sum(1 for row in rows if row.get("nik")) - sum(1 for attendee in added if attendee.nik)
                if left_out:
                    messages.info(request, _("The NIK of %(count)s was left out: your role does not record NIKs "
                                             "there.") % {"count": left_out})
                return redirect("kegiatan:event", event.pk)
            except ValueError as error:
                form.add_error("file", str(error))
            except ValidationError as error:
                form.add_error("file", error.message_dict.get("file", error.messages))
            except PermissionDenied as error:
                form.add_error(None, str(error))
        return self.render_to_response(self.get_context_data(import_form=form))

    def _meeting(self, request, event):
        form = MeetingForm(request.POST, actor=request.user)
        if form.is_valid():
            data = dict(form.cleaned_data)
            data.pop("village")
            ok, _meeting = form.call_service(services.meeting_record, actor=request.user, event=event,
                                             cooperative=data.pop("cooperative"), partner=data.pop("partner"),
                                             value=data.pop("value") or 0, **data)
            if ok:
                messages.success(request, _("Meeting recorded; the deal is in the pipeline."))
                return redirect("kegiatan:event", event.pk)
        return self.render_to_response(self.get_context_data(meeting_form=form))

    def _cancel(self, request, event):
        try:
            services.event_cancel(actor=request.user, event=event)
            messages.success(request, _("Event cancelled."))
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, _errors(error))
        return redirect("kegiatan:event", event.pk)

    def _reply(self, request, event):
        invitation = posted_object(own_invitations(request.user, event), request, "invitation")
        typed = request.POST.get("people", "").strip()
        people = int(typed) if typed.isascii() and typed.isdigit() and len(typed) <= 4 else None
        try:
            services.invitation_reply(actor=request.user, invitation=invitation, reply=request.POST.get("reply", ""),
                                      people=people)
            messages.success(request, _("Reply sent to the organiser."))
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, _errors(error))
        return redirect(f"{reverse('kegiatan:event', args=[event.pk])}#reply")

    def _sosialisasi(self, request, event):
        cooperative = posted_object(Cooperative.objects.for_user(request.user, Action.EDIT_COOPERATIVE), request,
                                    "cooperative")
        try:
            pdf = daftar_hadir_pdf(event, user=request.user, village_code=cooperative.village_id)
            services.event_sosialisasi_submit(actor=request.user, event=event, cooperative=cooperative, pdf=pdf)
            messages.success(request, _("The sosialisasi stage of %(name)s was submitted with the attendance list; "
                                        "it awaits an officer's verification.") % {"name": cooperative.name})
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, _errors(error))
        return redirect("kegiatan:event", event.pk)


class AttendanceView(ActionRequiredMixin, TemplateView):
    """
    Taking attendance at the door, on a phone: find a person by name or full NIK (shown masked) and mark them
    present in one tap, or add a new person quickly. Works without JavaScript (every step is a plain form).
    """

    template_name = "kegiatan/attendance.html"
    scope_action = Action.MANAGE_EVENTS

    def _event(self) -> Event:
        event = _event_for(self.request, self.kwargs["pk"])
        if not _can_organise(self.request.user, event):
            raise PermissionDenied(_("Only the organisers take attendance at this event."))
        return event

    def get_context_data(self, **kwargs):
        event = kwargs.pop("event", None) or self._event()
        query = kwargs.pop("query", None)
        if query is None:  # from the link back after marking someone present: a name, never a NIK (see post)
            query = "" if looks_like_nik(self.request.GET.get("q")) else self.request.GET.get("q", "")
        query = " ".join(str(query).split())[:100]
        by_nik = looks_like_nik(query)
        matches = attendee_search(user=self.request.user, event=event, text=query, suggested_role=member_attendee_role)
        villages = [inv.village for inv in event.invitations.select_related("village").order_by("village__name")]
        # A NIK typed at the door stays out of the page unless it is needed to add a person nobody's record has.
        initial = {"nik": query.replace(" ", "")} if by_nik and not matches else {"name": "" if by_nik else query}
        kwargs.setdefault("form", QuickAttendeeForm(villages=villages, actor=self.request.user, initial=initial))
        return super().get_context_data(
            event=event, query=query, shown_query="" if by_nik else query, by_nik=by_nik,
            finds_by_nik=not scope_for(self.request.user, Action.VIEW_PERSONAL_DATA).is_empty,
            coverage=event_coverage(event),
            matches=matches, recent=event.attendees.select_related("village").order_by("-recorded_at", "-pk")[:10],
            role_choices=AttendeeRole.choices, **kwargs)

    def post(self, request, *args, **kwargs):
        event = self._event()
        operation = request.POST.get("operation")
        if operation == "search":
            # By POST, so that a NIK never lands in a URL (browser history, server logs, the Referer header).
            return self.render_to_response(self.get_context_data(event=event, query=request.POST.get("q", "")))
        query = " ".join(request.POST.get("q", "").split())
        back = redirect(f"{request.path}?{urlencode({'q': query})}" if query and not looks_like_nik(query)
                        else request.path)
        if operation == "member":
            member = posted_object(attendee_member_queryset(request.user), request, "member")
            try:
                attendee = services.attendee_add(actor=request.user, event=event, member=member,
                                                 role=request.POST.get("role") or member_attendee_role(member))
                messages.success(request, _("%(name)s is present.") % {"name": attendee.name})
            except (ValidationError, PermissionDenied) as error:
                messages.error(request, _errors(error))
            return back
        if operation == "remove":
            attendee = posted_object(Attendee, request, "attendee", event=event)
            try:
                services.attendee_remove(actor=request.user, attendee=attendee)
                messages.success(request, _("%(name)s was taken off the list.") % {"name": attendee.name})
            except (ValidationError, PermissionDenied) as error:
                messages.error(request, _errors(error))
            return back
        villages = [inv.village for inv in event.invitations.select_related("village").order_by("village__name")]
        form = QuickAttendeeForm(request.POST, villages=villages, actor=request.user)
        if form.is_valid():
            data = dict(form.cleaned_data)
            ok, attendee = form.call_service(services.attendee_add, actor=request.user, event=event,
                                             village_code=data.pop("village") or None, **data)
            if ok:
                messages.success(request, _("%(name)s is present.") % {"name": attendee.name})
                return redirect(request.path)
        return self.render_to_response(self.get_context_data(event=event, form=form))


def attendee_member_queryset(user):
    """The member records a door search may pick from: those the user may see."""
    return Member.objects.for_user(user, Action.VIEW).select_related("cooperative")


class DaftarHadirView(ActionRequiredMixin, View):
    """The attendance list as a PDF "daftar hadir" with a signature column (optionally one desa's part)."""

    def get(self, request, pk):
        event = _event_for(request, pk)
        village = request.GET.get("desa") or None
        if village and not event.invitations.filter(village_id=village).exists():
            raise Http404
        pdf = daftar_hadir_pdf(event, user=request.user, village_code=village)
        return _file(pdf, f"daftar-hadir-{event.pk}.pdf", "application/pdf", inline=True)


class AttendanceExportView(ActionRequiredMixin, View):
    def get(self, request, pk, fmt):
        if fmt not in ("csv", "xlsx"):
            raise Http404
        event = _event_for(request, pk)
        header, rows = attendance_rows(event, phone_shown=attendee_phone_shown(request.user, event))
        if fmt == "xlsx":
            return _file(table_xlsx(header, rows, title=_("Attendance")), f"daftar-hadir-{event.pk}.xlsx",
                         "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        return _file(table_csv(header, rows), f"daftar-hadir-{event.pk}.csv", "text/csv; charset=utf-8")


class AttendanceImportTemplateView(ActionRequiredMixin, View):
    def get(self, request):
        return _file(attendance_template_xlsx(), "templat-daftar-hadir.xlsx",
                     "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


# SECTION: partners and deals


class PartnerListView(ActionRequiredMixin, TemplateView):
    template_name = "kegiatan/partner_list.html"

    def get_context_data(self, **kwargs):
        filterset = partner_filter(request=self.request, filters=self.request.GET)
        can_add = not scope_for(self.request.user, Action.MANAGE_PARTNERS).is_empty
        if can_add:
            kwargs.setdefault("form", PartnerForm(actor=self.request.user))
        return super().get_context_data(
            filterset=filterset, can_add=can_add,
            page=Paginator(filterset.qs, PER_PAGE).get_page(self.request.GET.get("page")), **kwargs)

    def post(self, request, *args, **kwargs):
        form = PartnerForm(request.POST, actor=request.user)
        if form.is_valid():
            data = dict(form.cleaned_data)
            region = data.pop("region")
            ok, partner = form.call_service(services.partner_create, actor=request.user,
                                            region_code=region.code if region else None,
                                            area_codes=[r.code for r in data.pop("areas_served") or []], **data)
            if ok:
                messages.success(request, _("Partner added to the directory."))
                return redirect("kegiatan:partner", partner.pk)
        return self.render_to_response(self.get_context_data(form=form))


class PartnerDetailView(ActionRequiredMixin, TemplateView):
    template_name = "kegiatan/partner_detail.html"

    def _partner(self) -> Partner:
        return get_object_or_404(Partner.objects.for_user(self.request.user), pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        partner = kwargs.pop("partner", None) or self._partner()
        deals = deal_filter(request=self.request, filters={"partner": partner.pk}).qs
        can_edit = (scope_for(self.request.user, Action.MANAGE_PARTNERS).contains(partner.region_id)
                    if partner.region_id else scope_for(self.request.user, Action.MANAGE_PARTNERS).everything)
        if can_edit:
            kwargs.setdefault("contact_form", PartnerContactForm())
        return super().get_context_data(partner=partner, deals=deals[:100], pipeline=pipeline_summary(deals),
                                        contacts=partner.contacts.all(), can_edit=can_edit,
                                        areas=partner.areas_served.order_by("code"), **kwargs)

    def post(self, request, *args, **kwargs):
        partner = self._partner()
        form = PartnerContactForm(request.POST)
        if form.is_valid():
            ok, _contact = form.call_service(services.partner_contact_add, actor=request.user, partner=partner,
                                             **form.cleaned_data)
            if ok:
                messages.success(request, _("Contact person added."))
                return redirect("kegiatan:partner", partner.pk)
        return self.render_to_response(self.get_context_data(partner=partner, contact_form=form))


class DealListView(ActionRequiredMixin, TemplateView):
    """The pipeline of the user's area: totals by stage and kind, and the deals (filterable)."""

    template_name = "kegiatan/deal_list.html"

    def get_context_data(self, **kwargs):
        filterset = deal_filter(request=self.request, filters=self.request.GET)
        return super().get_context_data(
            filterset=filterset, pipeline=pipeline_summary(filterset.qs),
            page=Paginator(filterset.qs, PER_PAGE).get_page(self.request.GET.get("page")), **kwargs)


class DealDetailView(ActionRequiredMixin, TemplateView):
    template_name = "kegiatan/deal_detail.html"

    def _deal(self) -> Deal:
        return get_object_or_404(Deal.objects.for_user(self.request.user)
                                 .select_related("cooperative__village", "partner", "event"), pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        deal = kwargs.pop("deal", None) or self._deal()
        can_edit = scope_for(self.request.user, Action.MANAGE_PARTNERS).contains(deal.cooperative.village_id)
        if can_edit and deal.stage in OPEN_STAGES:  # a closed or lost deal moves no further
            kwargs.setdefault("form", DealMoveForm(initial={"stage": deal.stage, "value": deal.value,
                                                            "next_step": deal.next_step,
                                                            "next_step_on": deal.next_step_on},
                                                   version=etag_of(deal)))
        history = deal.history.select_related("history_user").order_by("-history_date")[:20]
        return super().get_context_data(deal=deal, can_edit=can_edit, history=history,
                                        meetings=deal.meetings.all(), stages=DealStage.choices, **kwargs)

    @transaction.atomic
    def post(self, request, *args, **kwargs):
        deal = self._deal()
        form = DealMoveForm(request.POST, version=locked_version(deal))
        if form.is_valid():
            ok, _deal = form.call_service(services.deal_move, actor=request.user, deal=deal, **form.cleaned_data)
            if ok:
                messages.success(request, _("Deal updated."))
                return redirect("kegiatan:deal", deal.pk)
        return self.render_to_response(self.get_context_data(deal=deal, form=form))


class DealExportView(ActionRequiredMixin, View):
    def get(self, request, fmt):
        if fmt not in ("csv", "xlsx"):
            raise Http404
        deals = deal_filter(request=request, filters=request.GET).qs
        header = [_("Cooperative"), _("Desa/kelurahan"), _("Partner"), _("Kind"), _("Stage"), _("Value (Rp)"),
                  _("Next step"), _("Next step date"), _("Event")]
        rows = [[d.cooperative.name, d.cooperative.village.name.title(), d.partner.name, str(d.get_kind_display()),
                 str(d.get_stage_display()), d.value, d.next_step, d.next_step_on.isoformat() if d.next_step_on else "",
                 d.event.title if d.event else ""] for d in deals[:20000]]
        if fmt == "xlsx":
            return _file(table_xlsx(header, rows, title=_("Deals")), "pipeline-kemitraan.xlsx",
                         "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        return _file(table_csv(header, rows), "pipeline-kemitraan.csv", "text/csv; charset=utf-8")


# SECTION: spaces


class SpaceListView(ActionRequiredMixin, TemplateView):
    template_name = "kegiatan/space_list.html"

    def get_context_data(self, **kwargs):
        spaces = Space.objects.for_user(self.request.user).select_related("region", "owner_federation",
                                                                          "owner_cooperative")
        filterset = SpaceFilterSet(self.request.GET, spaces, request=self.request)
        can_add = not scope_for(self.request.user, Action.MANAGE_SPACES).is_empty
        if can_add:
            kwargs.setdefault("form", SpaceForm(actor=self.request.user))
        return super().get_context_data(filterset=filterset, can_add=can_add,
                                        page=Paginator(filterset.qs, PER_PAGE).get_page(self.request.GET.get("page")),
                                        **kwargs)

    def post(self, request, *args, **kwargs):
        form = SpaceForm(request.POST, actor=request.user)
        if form.is_valid():
            data = dict(form.cleaned_data)
            region = data.pop("region")
            data.pop("village")
            ok, space = form.call_service(services.space_create, actor=request.user,
                                          region_code=region.code if region else None, **data)
            if ok:
                messages.success(request, _("Space recorded. Add its rooms and desks."))
                return redirect("kegiatan:space", space.pk)
        return self.render_to_response(self.get_context_data(form=form))


class SpaceUsageExportView(ActionRequiredMixin, View):
    """The month's confirmed bookings of a space (the usage report's rows) as CSV or XLSX."""

    def get(self, request, pk, fmt):
        if fmt not in ("csv", "xlsx"):
            raise Http404
        space = get_object_or_404(Space.objects.for_user(request.user), pk=pk)
        month = _month(request.GET.get("bulan"))
        start, end = month_bounds(month)
        bookings = (Booking.objects.filter(resource__space=space, status="confirmed", starts_at__gte=start,
                                           starts_at__lt=end).select_related("resource").order_by("starts_at"))
        header = [_("From"), _("Until"), _("Room or desk"), _("Booked by"), _("Booker"), _("Group served"),
                  _("People"), _("Hours")]
        rows = [[timezone.localtime(b.starts_at).strftime("%Y-%m-%d %H:%M"),
                 timezone.localtime(b.ends_at).strftime("%H:%M"), b.resource.name, b.booker_name,
                 str(b.get_booker_kind_display()), b.group, b.people, round(b.hours, 2)] for b in bookings]
        name = f"pemakaian-ruang-{space.pk}-{month:%Y-%m}.{fmt}"
        if fmt == "xlsx":
            return _file(table_xlsx(header, rows, title=_("Bookings")), name,
                         "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        return _file(table_csv(header, rows), name, "text/csv; charset=utf-8")


def _month(text: str | None) -> date:
    """The month asked for as "2026-03" (2025 to 2100), else this month."""
    try:
        year, month = (int(part) for part in (text or "").split("-"))
    except ValueError:
        return timezone.localdate().replace(day=1)
    return date(year, month, 1) if 2025 <= year <= 2100 and 1 <= month <= 12 else timezone.localdate().replace(day=1)


class SpaceDetailView(ActionRequiredMixin, TemplateView):
    """A space: its rooms and desks, the coming bookings, booking (once or weekly), cancelling, monthly usage."""

    template_name = "kegiatan/space_detail.html"

    def _space(self) -> Space:
        return get_object_or_404(Space.objects.for_user(self.request.user).select_related("region"),
                                 pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        space = kwargs.pop("space", None) or self._space()
        month = _month(self.request.GET.get("bulan"))
        can_manage = scope_for(self.request.user, Action.MANAGE_SPACES).reaches(space.region_id,
                                                                                space.owner_federation_id)
        if can_manage:
            kwargs.setdefault("resource_form", ResourceForm())
            kwargs.setdefault("booking_form", BookingForm(space=space))
            kwargs.setdefault("weekly_form", WeeklyBookingForm(space=space))
        upcoming = (Booking.objects.filter(resource__space=space, ends_at__gte=timezone.now())
                    .select_related("resource").order_by("starts_at")[:20])
        previous = (month.replace(day=1) - timezone.timedelta(days=1)).replace(day=1)
        following = (month.replace(day=28) + timezone.timedelta(days=4)).replace(day=1)
        return super().get_context_data(
            space=space, resources=space.resources.all(), upcoming=upcoming, usage=space_usage(space, month),
            can_manage=can_manage, events=space.events.order_by("-starts_at")[:10], previous=previous,
            following=following, **kwargs)

    def post(self, request, *args, **kwargs):
        space = self._space()
        operation = request.POST.get("operation")
        if operation == "resource":
            form = ResourceForm(request.POST)
            if form.is_valid():
                data = dict(form.cleaned_data)
                ok, _res = form.call_service(services.resource_add, actor=request.user, space=space,
                                             open_days="".join(data.pop("open_days")), **data)
                if ok:
                    messages.success(request, _("Room or desk added."))
                    return redirect("kegiatan:space", space.pk)
            return self.render_to_response(self.get_context_data(space=space, resource_form=form))
        if operation == "book":
            form = BookingForm(request.POST, space=space)
            if form.is_valid():
                ok, _booking = form.call_service(services.booking_create, actor=request.user, **form.cleaned_data)
                if ok:
                    messages.success(request, _("Booked."))
                    return redirect("kegiatan:space", space.pk)
            return self.render_to_response(self.get_context_data(space=space, booking_form=form))
        if operation == "weekly":
            form = WeeklyBookingForm(request.POST, space=space)
            if form.is_valid():
                ok, result = form.call_service(services.booking_create_weekly, actor=request.user,
                                               **form.cleaned_data)
                if ok:
                    created, conflicts = result
                    messages.success(request, _("%(count)s weeks booked.") % {"count": len(created)})
                    for day, reason in conflicts:
                        messages.warning(request, _("Not booked on %(day)s: %(reason)s")
                                         % {"day": formats.date_format(day), "reason": reason})
                    return redirect("kegiatan:space", space.pk)
            return self.render_to_response(self.get_context_data(space=space, weekly_form=form))
        if operation == "cancel":
            booking = posted_object(Booking, request, "booking", resource__space=space)
            try:
                cancelled = services.booking_cancel(actor=request.user, booking=booking,
                                                    reason=request.POST.get("reason", ""),
                                                    following=request.POST.get("following") == "1")
                messages.success(request, _("%(count)s booking(s) cancelled.") % {"count": len(cancelled)})
            except (ValidationError, PermissionDenied) as error:
                messages.error(request, _errors(error))
            return redirect("kegiatan:space", space.pk)
        messages.error(request, _("Unknown operation."))
        return redirect("kegiatan:space", space.pk)

