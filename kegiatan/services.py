"""
Every write of kegiatan: events and their invitations and attendance, the sosialisasi stage fed from an
attendance list, training records, partners with meetings and deals, and co-working spaces with bookings.
"""

import uuid
from collections.abc import Iterable
from datetime import date
from datetime import datetime
from datetime import time
from datetime import timedelta

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError
from django.db import transaction
from django.urls import reverse
from django.utils import formats
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.selectors import regions_held
from accounts.selectors import users_holding
from bumdes.models import Federation
from core.changes import village_changed
from core.concurrency import locked
from core.concurrency import save_changed
from core.identifiers import nik_check
from core.roles import Action
from core.roles import Role
from core.scoping import require_scope
from core.scoping import scope_for
from core.services import indonesian_phone
from core.services import require_known_fields
from koperasi.models import Cooperative
from koperasi.models import CooperativeVillage
from koperasi.services import stage_submit
from members.models import PENGAWAS_ROLES
from members.models import PENGURUS_ROLES
from members.models import Member
from members.models import PositionRole
from notifications.models import NotificationKind
from notifications.services import in_each_language
from notifications.services import notify
from wilayah.models import Region
from wilayah.models import RegionLevel
from wilayah.services import active_village

from .models import DEAL_TRANSITIONS
from .models import OPEN_STAGES
from .models import TRAINING_KINDS
from .models import VILLAGE_ROLES
from .models import Attendee
from .models import AttendeeRole
from .models import AttendeeSource
from .models import BookerKind
from .models import Booking
from .models import BookingStatus
from .models import Deal
from .models import DealKind
from .models import DealStage
from .models import Event
from .models import EventInvitation
from .models import EventKind
from .models import InvitationReply
from .models import Meeting
from .models import Partner
from .models import PartnerContact
from .models import PartnerKind
from .models import Resource
from .models import ResourceKind
from .models import Space
from .models import SpaceOwnerKind
from .models import TrainingRecord

__all__ = [
    "MAX_EVENT_DAYS",
    "MAX_INVITED_VILLAGES",
    "attendee_add",
    "attendee_remove",
    "booking_cancel",
    "booking_create",
    "booking_create_weekly",
    "deal_move",
    "event_cancel",
    "event_create",
    "event_invite",
    "event_sosialisasi_submit",
    "event_update",
    "meeting_record",
    "partner_contact_add",
    "partner_create",
    "resource_add",
    "space_create",
]

MAX_EVENT_DAYS = 14  # a bimtek may run for days; two weeks is plenty
MAX_INVITED_VILLAGES = 2000  # a kabupaten has a few hundred desa; a province-wide list is not an invitation
EARLIEST_EVENT = date(2025, 1, 1)
MAX_BOOKING_WEEKS = 53
# A booking may record use that already happened (a walk-in entered afterwards), within a month; ahead, within a
# year (the space's monthly usage reads these).
BOOKING_PAST_DAYS = 31
BOOKING_AHEAD_DAYS = 366
MAX_DEAL_VALUE = 10**15


# SECTION: events


def _check_event_times(starts_at: datetime, ends_at: datetime, respond_by: date | None) -> None:
    errors = {}
    if starts_at is None or ends_at is None:
        raise ValidationError({"starts_at": _("Give when the event starts and ends.")})
    if timezone.localtime(starts_at).date() < EARLIEST_EVENT:
        errors["starts_at"] = [_("Events of the programme start in 2025; check the year.")]
    elif starts_at > timezone.now() + timedelta(days=2 * 366):
        errors["starts_at"] = [_("Plan events at most two years ahead.")]
    if ends_at <= starts_at:
        errors["ends_at"] = [_("The event must end after it starts.")]
    elif ends_at - starts_at > timedelta(days=MAX_EVENT_DAYS):
        errors["ends_at"] = [_("An event lasts at most %(days)s days.") % {"days": MAX_EVENT_DAYS}]
    if respond_by and respond_by > timezone.localtime(starts_at).date():
        errors["respond_by"] = [_("Ask for confirmation before the event starts.")]
    elif respond_by and respond_by < EARLIEST_EVENT:
        errors["respond_by"] = [_("Events of the programme start in 2025; check the year.")]
    if errors:
        raise ValidationError(errors)


def _organiser(actor, *, region_code: str | None, federation: Federation | None) -> tuple[Region, str]:
    """The organiser's area (a region office, or the federation's seat) after checking the actor may organise there."""
    if federation is not None:
        require_scope(actor, Action.MANAGE_EVENTS, None, federation_id=federation.pk)
        return federation.seat, federation.name
    if not region_code:
        raise ValidationError({"region": _("Choose the office's area (kabupaten/kota or kecamatan).")})
    region = Region.objects.filter(code=region_code, is_active=True).first()
    if region is None or region.level == RegionLevel.VILLAGE:
        raise ValidationError({"region": _("The organiser is a Dinas (kabupaten/kota or province) or a kecamatan "
                                           "office; choose that area.")})
    require_scope(actor, Action.MANAGE_EVENTS, region.code)
    office = {RegionLevel.DISTRICT: _("Kecamatan %(name)s"), RegionLevel.REGENCY: _("Dinas Koperasi %(name)s"),
              RegionLevel.PROVINCE: _("Dinas Koperasi Provinsi %(name)s")}.get(region.level, "%(name)s")
    return region, office % {"name": region.name.title()}


@transaction.atomic
def event_create(*, actor, title: str, kind: str, starts_at: datetime, ends_at: datetime, place: str,
                 region_code: str | None = None, federation: Federation | None = None, organiser_name: str = "",
                 venue_village_code: str | None = None, respond_by: date | None = None, description: str = "",
                 training_title: str = "", space: Space | None = None) -> Event:
    """Record an event organised by a region office (``region_code``) or a federation."""
    if kind not in EventKind.values:
        raise ValidationError({"kind": _("Choose a kind of event.")})
    if not (title or "").strip():
        raise ValidationError({"title": _("Give the event a title.")})
    if not (place or "").strip():
        raise ValidationError({"place": _("Say where the event takes place.")})
    region, default_name = _organiser(actor, region_code=region_code, federation=federation)
    _check_event_times(starts_at, ends_at, respond_by)
    venue = active_village(venue_village_code, field="venue_village") if venue_village_code else None
    if venue is not None and not scope_for(actor, Action.VIEW).contains(venue.code):
        raise ValidationError({"venue_village": _("The venue's desa/kelurahan is outside your area.")})
    if space is not None:
        require_scope(actor, Action.MANAGE_SPACES, space.region_id, federation_id=space.owner_federation_id)
        venue = venue or (space.region if space.region.level == RegionLevel.VILLAGE else None)
    event = Event(
        title=title.strip()[:200], kind=kind, region=region, organiser_federation=federation,
        organiser_name=(organiser_name or "").strip()[:200] or default_name, place=place.strip()[:200],
        venue_village=venue, space=space, starts_at=starts_at, ends_at=ends_at, respond_by=respond_by,
        description=(description or "").strip(), training_title=(training_title or "").strip()[:200],
        created_by=actor,
    )
    event._history_user = actor
    event.save()
    return event


_EVENT_EDITABLE = {"title", "place", "starts_at", "ends_at", "respond_by", "description", "training_title",
                   "organiser_name"}


@transaction.atomic
def event_update(*, actor, event: Event, **changes) -> Event:
    """Reschedule or correct an event (title, place, times, deadline, description); the kind and area stay."""
    _require_organiser(actor, event)
    require_known_fields(changes, _EVENT_EDITABLE)
    event = locked(event)
    _require_open(event)
    for name, value in changes.items():
        setattr(event, name, value.strip() if isinstance(value, str) else value)
    if not event.title:
        raise ValidationError({"title": _("Give the event a title.")})
    if not event.place:
        raise ValidationError({"place": _("Say where the event takes place.")})
    _check_event_times(event.starts_at, event.ends_at, event.respond_by)
    save_changed(event, changes, actor=actor)
    return event


def _require_organiser(actor, event: Event) -> None:
    require_scope(actor, Action.MANAGE_EVENTS, event.region_id, federation_id=event.organiser_federation_id)


def _require_open(event: Event) -> None:
    if event.cancelled_at is not None:
        raise ValidationError(_("This event was cancelled."))


def _require_taking_attendance(event: Event) -> None:
    """Attendance is taken from the event's day on: a list entered earlier would count it as held, its villages
    as reached."""
    _require_open(event)
    day = timezone.localtime(event.starts_at).date()
    if timezone.localdate() < day:
        raise ValidationError(_("Attendance is taken from the day of the event (%(day)s).")
                              % {"day": formats.date_format(day)})


@transaction.atomic
def event_cancel(*, actor, event: Event) -> Event:
    _require_organiser(actor, event)
    event = locked(event)
    if event.cancelled_at is None:
        event.cancelled_at = timezone.now()
        save_changed(event, ["cancelled_at"], actor=actor)
        _refresh_event_villages(event, *event.attendees.values_list("village_id", flat=True).distinct())
    return event


def _villages_of(codes: Iterable[str]) -> list[Region]:
    """The active desa/kelurahan named, a kecamatan (or kabupaten) standing for all of its own."""
    codes = sorted({code.strip() for code in codes if code and code.strip()})
    regions = {region.code: region for region in Region.objects.filter(code__in=codes, is_active=True)}
    unknown = [code for code in codes if code not in regions]
    if unknown:
        raise ValidationError({"villages": _("Not current region codes: %(codes)s.") % {"codes": ", ".join(unknown)}})
    villages: dict[str, Region] = {}
    for region in regions.values():
        if region.level == RegionLevel.VILLAGE:
            villages[region.code] = region
        elif region.level in (RegionLevel.DISTRICT, RegionLevel.REGENCY):
            for village in Region.objects.filter(code__startswith=region.code + ".", level=RegionLevel.VILLAGE,
                                                 is_active=True)[: MAX_INVITED_VILLAGES + 1]:
                villages[village.code] = village
        else:
            raise ValidationError({"villages": _("Invite desa/kelurahan, a whole kecamatan or a kabupaten/kota, "
                                                 "not a province.")})
        if len(villages) > MAX_INVITED_VILLAGES:
            raise ValidationError({"villages": _("At most %(count)s desa/kelurahan per event.")
                                   % {"count": MAX_INVITED_VILLAGES}})
    return sorted(villages.values(), key=lambda village: village.code)


@transaction.atomic
def event_invite(*, actor, event: Event, region_codes: Iterable[str]) -> list[EventInvitation]:
    """
    Invite desa/kelurahan (a kecamatan or kabupaten code invites all of its villages) and notify their village
    staff (in the portal, and by e-mail through the outbox). Villages already invited are left as they are.
    """
    _require_organiser(actor, event)
    event = locked(event)
    _require_open(event)
    villages = _villages_of(region_codes)
    if not villages:
        raise ValidationError({"villages": _("Choose the desa/kelurahan or the kecamatan to invite.")})
    reach = scope_for(actor, Action.VIEW)
    outside = [village.name for village in villages if not reach.contains(village.code)]
    if outside:
        raise ValidationError({"villages": _("Outside your area: %(names)s.") % {"names": ", ".join(outside[:10])}})
    already = set(event.invitations.values_list("village_id", flat=True))
    new = [village for village in villages if village.code not in already]
    cooperatives = dict(CooperativeVillage.objects.filter(village_id__in=[v.code for v in new])
                        .values_list("village_id", "cooperative_id"))
    created = EventInvitation.objects.bulk_create([
        EventInvitation(event=event, village=village, cooperative_id=cooperatives.get(village.code))
        for village in new
    ])
    _notify_invited(event, new)
    if new and event.invitations_sent_at is None:
        event.invitations_sent_at = timezone.now()
        save_changed(event, ["invitations_sent_at"], actor=actor)
    return created


def _notify_invited(event: Event, villages: list[Region]) -> None:
    if not villages:
        return
    staff = users_holding(Role.VILLAGE_STAFF, [village.code for village in villages])
    by_village: dict[str, list] = {}
    for user in staff:
        for code in user.role_assignments.filter(role=Role.VILLAGE_STAFF).values_list("region_id", flat=True):
            by_village.setdefault(code, []).append(user)
    url = reverse("kegiatan:event", args=[event.pk])
    starts = in_each_language(lambda: formats.date_format(timezone.localtime(event.starts_at), "DATETIME_FORMAT"))
    kind = in_each_language(event.get_kind_display)
    for village in villages:
        users = by_village.get(village.code, [])
        if users:
            notify(users=users, kind=NotificationKind.EVENT_INVITATION, url=url,
                   dedup_key=f"event_invitation:{event.pk}:{village.code}", about=village.code,
                   params={"title": event.title, "kind": kind,
                           "organiser": event.organiser_name, "starts": starts, "place": event.place,
                           "village": village.name.title()})
    EventInvitation.objects.filter(event=event, village_id__in=[village.code for village in villages]).update(
        notified_at=timezone.now())


# A village sends its kepala desa, BPD, pengurus and a few others; more is a typing error.
MAX_EXPECTED_PEOPLE = 50


@transaction.atomic
def invitation_reply(*, actor, invitation: EventInvitation, reply: str, people: int | None = None) -> EventInvitation:
    """
    An invited desa/kelurahan answers whether it comes, and with how many people, until the event starts (the
    organiser plans seats and meals from it); a later answer replaces the earlier one.
    """
    if invitation.village_id not in regions_held(actor, Role.VILLAGE_STAFF):
        raise PermissionDenied(_("Each desa/kelurahan answers its invitation itself, through its village staff."))
    invitation = EventInvitation.objects.select_for_update(of=("self",)).select_related("event").get(
        pk=invitation.pk)
    event = invitation.event
    _require_open(event)
    if timezone.now() >= event.starts_at:
        raise ValidationError({"reply": [_("The event has started: replies are closed.")]})
    if reply not in InvitationReply.values:
        raise ValidationError({"reply": [_("Say whether the desa/kelurahan comes.")]})
    if reply == InvitationReply.COMING:
        if isinstance(people, bool) or not isinstance(people, int) or not 1 <= people <= MAX_EXPECTED_PEOPLE:
            raise ValidationError({"people": [_("Say how many people come, from 1 to %(limit)s.")
                                              % {"limit": MAX_EXPECTED_PEOPLE}]})
    else:
        people = None
    invitation.reply, invitation.expected_people = reply, people
    invitation.replied_at, invitation.replied_by = timezone.now(), actor
    invitation._history_user = actor
    invitation.save(update_fields=["reply", "expected_people", "replied_at", "replied_by"])
    return invitation


# SECTION: attendance


def _clean_nik(nik: str) -> str:
    nik = "".join((nik or "").split())
    if not nik:
        return ""
    result = nik_check(nik)
    if result.errors:
        raise ValidationError({"nik": result.errors})
    return result.nik


def _refresh_event_villages(event: Event, *codes: str | None) -> None:
    """The roll-ups count events held at the venue and attendance by the attendees' villages."""
    villages = {code for code in (event.venue_village_id, *codes) if code}
    if villages:
        village_changed(*sorted(villages))


_MEMBER_ROLES = {
    **dict.fromkeys(PENGURUS_ROLES, AttendeeRole.PENGURUS),
    **dict.fromkeys(PENGAWAS_ROLES, AttendeeRole.PENGAWAS),
    PositionRole.MANAJER: AttendeeRole.MANAJER,
}


def member_attendee_role(member: Member) -> str:
    """The role a member most likely attends in: their board position, their village office, else anggota."""
    today = timezone.localdate()
    for position in member.positions.all():
        if position.ended_on is None or position.ended_on >= today:
            role = _MEMBER_ROLES.get(position.role)
            if role:
                return role
    return {"kepala_desa": AttendeeRole.KEPALA_DESA, "bpd": AttendeeRole.BPD}.get(member.village_office,
                                                                                   AttendeeRole.ANGGOTA)


def _records_nik(actor, event: Event, village_code: str | None) -> bool:
    """
    Whether ``actor`` keeps NIKs on ``event``'s list for someone from ``village_code`` (or, for someone from no
    village, from the event's own area): only where they may see personal data. Otherwise the list's "already on
    it" check, the search or the import's member link would tell an organiser without that right whether a guessed
    NIK is a member's, and a masked NIK could be rebuilt (UU PDP).
    """
    return scope_for(actor, Action.VIEW_PERSONAL_DATA).contains(village_code or event.region_id)


def _attendee(*, actor, event: Event, name: str, role: str, village_code: str | None, nik: str, phone: str,
              organisation: str, member: Member | None, partner: Partner | None, source: str) -> Attendee:
    """Build and check one attendee (not saved): the shared rules of door entry and the imported list."""
    errors: dict[str, list] = {}
    if role not in AttendeeRole.values:
        errors["role"] = [_("Choose the attendee's role.")]
    if nik and not _records_nik(actor, event, village_code or (member.cooperative.village_id if member else None)):
        errors["nik"] = [_("Your role does not record NIKs here: leave the NIK empty, the name and the "
                           "desa/kelurahan are enough.")]
    if member is not None:
        if not Member.objects.for_user(actor, Action.VIEW).filter(pk=member.pk).exists():
            raise PermissionDenied(_("This member record is outside your area."))
        name = name or member.name
        if _records_nik(actor, event, member.cooperative.village_id):
            nik = nik or member.nik
        village_code = village_code or member.cooperative.village_id
    name = " ".join((name or "").split())
    organisation = " ".join((organisation or "").split())
    if not name:
        errors["name"] = [_("Give the attendee's name.")]
    elif len(name) > 150:  # refused, not cut: a list imported from a spreadsheet keeps what it said
        errors["name"] = [_("Use at most %(limit)d characters.") % {"limit": 150}]
    if len(organisation) > 200:
        errors["organisation"] = [_("Use at most %(limit)d characters.") % {"limit": 200}]
    village = None
    if village_code:
        village = Region.objects.filter(code=village_code, level=RegionLevel.VILLAGE, is_active=True).first()
        if village is None:
            errors["village"] = [_("“%(code)s” is not an active desa/kelurahan.") % {"code": village_code}]
    elif role in VILLAGE_ROLES and role not in (AttendeeRole.PENDAMPING_DESA,):
        errors["village"] = [_("Say which desa/kelurahan this attendee comes from.")]
    if village is not None:
        invited = event.invitations.exists()
        if invited and not event.invitations.filter(village=village).exists() and member is None:
            errors["village"] = [_("%(village)s is not invited to this event.") % {"village": village.name.title()}]
        elif not invited and not scope_for(actor, Action.VIEW).contains(village.code):
            errors["village"] = [_("This desa/kelurahan is outside your area.")]
    try:
        nik = _clean_nik(nik)
    except ValidationError as error:
        errors.update(error.message_dict)
    try:
        phone = indonesian_phone(phone or "")
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    if nik and event.attendees.filter(nik=nik).exists():
        raise ValidationError({"nik": [_("This NIK is already on the attendance list.")]})
    if member is not None and event.attendees.filter(member=member).exists():
        raise ValidationError({"member": [_("%(name)s is already on the attendance list.") % {"name": member.name}]})
    attendee = Attendee(event=event, name=name, nik=nik, phone=phone, role=role, village=village,
                        organisation=organisation, member=member, partner=partner, source=source,
                        recorded_by=actor)
    # Without a NIK or a member record, the same name from the same desa with the same phone is the same person
    # (a double tap at the door, a list imported twice): the counts must not take them twice.
    if not nik and member is None and event.attendees.filter(
            name__iexact=name, village=village, phone=phone).exists():
        raise ValidationError({"name": [_("%(name)s is already on the attendance list; give a phone number if "
                                          "this is someone else.") % {"name": name}]})
    return attendee


def _same_person_key(attendee: Attendee) -> tuple:
    return attendee.name.casefold(), attendee.village_id, attendee.phone


def _training_record(attendee: Attendee) -> None:
    """A pengurus/pengawas/manajer at a pelatihan or bimtek gets the training on their board record."""
    event = attendee.event
    if (event.kind in TRAINING_KINDS and attendee.member_id
            and attendee.role in (AttendeeRole.PENGURUS, AttendeeRole.PENGAWAS, AttendeeRole.MANAJER)):
        record = TrainingRecord(member_id=attendee.member_id, event=event, attendee=attendee,
                                title=event.training_title or event.title,
                                held_on=timezone.localtime(event.starts_at).date(),
                                organiser_name=event.organiser_name)
        record._history_user = attendee.recorded_by
        record.save()


@transaction.atomic
def attendee_add(*, actor, event: Event, name: str = "", role: str, village_code: str | None = None, nik: str = "",
                 phone: str = "", organisation: str = "", member: Member | None = None,
                 partner: Partner | None = None, source: str = AttendeeSource.DOOR) -> Attendee:
    """Put one person on an event's attendance list (at the door, or from a member record found by name or NIK)."""
    _require_organiser(actor, event)
    event = locked(event)  # one list: two phones at the door do not enter the same NIK twice
    _require_taking_attendance(event)
    attendee = _attendee(actor=actor, event=event, name=name, role=role, village_code=village_code, nik=nik,
                         phone=phone, organisation=organisation, member=member, partner=partner, source=source)
    attendee._history_user = actor
    try:
        with transaction.atomic():
            attendee.save()
    except IntegrityError:
        raise ValidationError({"nik": [_("This person is already on the attendance list.")]})
    _training_record(attendee)
    _refresh_event_villages(event, attendee.village_id)
    return attendee


@transaction.atomic
def attendee_remove(*, actor, attendee: Attendee) -> None:
    event = attendee.event
    _require_organiser(actor, event)
    locked(event)
    TrainingRecord.objects.filter(attendee=attendee).delete()
    village = attendee.village_id
    attendee._history_user = actor
    attendee.delete()
    _refresh_event_villages(event, village)


@transaction.atomic
def attendance_import(*, actor, event: Event, rows: list[dict]) -> list[Attendee]:
    """
    Add the rows of a paper/Excel list (already read into dicts by ``kegiatan.imports``), all or nothing: every
    row's problem is reported with its row number and nothing is saved while any row is wrong.
    """
    _require_organiser(actor, event)
    event = locked(event)
    _require_taking_attendance(event)
    problems: list[str] = []
    attendees: list[Attendee] = []
    niks: dict[str, int] = {}
    people: dict[tuple, int] = {}  # attendees without a NIK, by name, desa and phone
    for row in rows:
        number = row["row"]
        # The paper list's NIK column is left out where the importer does not record NIKs (see _attendee): the
        # list still goes in, and the same answer for every NIK tells nothing about any.
        nik = row.get("nik", "") if _records_nik(actor, event, row.get("village_code")) else ""
        try:
            if row.get("error"):
                raise ValidationError(row["error"])
            attendee = _attendee(actor=actor, event=event, name=row.get("name", ""), role=row.get("role", ""),
                                 village_code=row.get("village_code"), nik=nik,
                                 phone=row.get("phone", ""), organisation=row.get("organisation", ""), member=None,
                                 partner=None, source=AttendeeSource.IMPORT)
            if attendee.nik and attendee.nik in niks:
                raise ValidationError(_("The same NIK as row %(row)s.") % {"row": niks[attendee.nik]})
            person = _same_person_key(attendee)
            if not attendee.nik and person in people:
                raise ValidationError(_("The same person as row %(row)s (name, desa/kelurahan and phone); give a "
                                        "phone number if this is someone else.") % {"row": people[person]})
            people.setdefault(person, number)
            if attendee.nik:
                niks[attendee.nik] = number
                # Matched by NIK only where the importer may see personal data (the row's NIK was refused
                # otherwise): a link made or not would answer whether a guessed NIK is a member's.
                attendee.member = (Member.objects.for_user(actor, Action.VIEW_PERSONAL_DATA)
                                   .filter(nik=attendee.nik, cooperative__village_id=attendee.village_id).first())
            attendees.append(attendee)
        except (ValidationError, PermissionDenied) as error:
            messages = (error.messages if isinstance(error, ValidationError) else [str(error)])
            problems.append(_("Row %(row)s: %(problem)s") % {"row": number, "problem": " ".join(messages)})
    if not rows:
        problems.append(_("The list has no rows below its header."))
    if problems:
        raise ValidationError({"file": problems})
    for attendee in attendees:
        attendee._history_user = actor
        attendee.save()
        _training_record(attendee)
    _refresh_event_villages(event, *{attendee.village_id for attendee in attendees})
    return attendees


# SECTION: the sosialisasi stage from an attendance list


SOSIALISASI_STAGE = "sosialisasi"
SOSIALISASI_DOCUMENT = "berita_acara_sosialisasi"


@transaction.atomic
def event_sosialisasi_submit(*, actor, event: Event, cooperative: Cooperative, pdf: bytes):
    """
    Submit the sosialisasi stage of a cooperative whose desa/kelurahan attended this sosialisasi: the village's
    attendance list (``pdf``, the daftar hadir) is the evidence and the event's date the date held. The stage then
    waits for an officer's verification like any other submission; nothing here marks it verified.
    """
    if event.kind != EventKind.SOSIALISASI:
        raise ValidationError(_("Only a sosialisasi can complete the sosialisasi stage."))
    _require_open(event)
    if event.starts_at > timezone.now():
        raise ValidationError(_("The sosialisasi has not taken place yet."))
    villages = list(cooperative.villages.values_list("village_id", flat=True)) or [cooperative.village_id]
    if not event.attendees.filter(village_id__in=villages).exists():
        raise ValidationError(_("Nobody from %(village)s is on this event's attendance list.")
                              % {"village": cooperative.village.name.title()})
    progress = cooperative.stages.select_related("stage").filter(stage__code=SOSIALISASI_STAGE).first()
    if progress is None:
        raise ValidationError(_("This cooperative's workflow has no sosialisasi stage."))
    upload = SimpleUploadedFile(f"daftar-hadir-{event.pk}.pdf", pdf, content_type="application/pdf")
    held_on = timezone.localtime(event.starts_at).date().isoformat()
    return stage_submit(actor=actor, progress=progress, data={"held_on": held_on},
                        documents=[(SOSIALISASI_DOCUMENT, upload)])


# SECTION: partners, meetings and deals


def _require_partner_scope(actor, region_code: str | None) -> None:
    if region_code is None:
        if not scope_for(actor, Action.MANAGE_PARTNERS).everything:
            raise PermissionDenied(_("The national directory is kept by the national administrators; record the "
                                     "partner for your area."))
        return
    require_scope(actor, Action.MANAGE_PARTNERS, region_code)


@transaction.atomic
def partner_create(*, actor, name: str, kind: str, region_code: str | None = None, offer: str = "",
                   website: str = "", area_codes: Iterable[str] = ()) -> Partner:
    """Add a partner to the directory of an area (``region_code``) or, for national administrators, the nation's."""
    name = " ".join((name or "").split())[:200]
    errors = {}
    if not name:
        errors["name"] = [_("Give the partner's name.")]
    if kind not in PartnerKind.values:
        errors["kind"] = [_("Choose the kind of partner.")]
    if errors:
        raise ValidationError(errors)
    _require_partner_scope(actor, region_code)
    if Partner.objects.filter(name__iexact=name).exists():
        raise ValidationError({"name": [_("A partner of this name is already in the directory.")]})
    areas = list(Region.objects.filter(code__in=sorted(set(area_codes)), is_active=True))
    partner = Partner(name=name, kind=kind, region_id=region_code, offer=(offer or "").strip(),
                      website=(website or "").strip(), created_by=actor)
    partner.full_clean(exclude=["region", "created_by"])
    partner._history_user = actor
    partner.save()
    partner.areas_served.set(areas)
    return partner


@transaction.atomic
def partner_contact_add(*, actor, partner: Partner, name: str, position: str = "", phone: str = "",
                        email: str = "") -> PartnerContact:
    _require_partner_scope(actor, partner.region_id)
    contact = PartnerContact(partner=partner, name=" ".join((name or "").split())[:150],
                             position=(position or "").strip()[:150], phone=indonesian_phone(phone or ""),
                             email=(email or "").strip())
    if not contact.name:
        raise ValidationError({"name": [_("Give the contact person's name.")]})
    contact.full_clean()
    contact._history_user = actor
    contact.save()
    return contact


def _check_deal_fields(*, value, next_step_on: date | None) -> None:
    errors = {}
    if value is None or value < 0 or value > MAX_DEAL_VALUE:
        errors["value"] = [_("Enter a value between Rp 0 and Rp 1.000 triliun.")]
    if next_step_on and not (EARLIEST_EVENT <= next_step_on <= timezone.localdate() + timedelta(days=3 * 366)):
        errors["next_step_on"] = [_("Give a next-step date between 2025 and three years from now.")]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def meeting_record(*, actor, cooperative: Cooperative, partner: Partner, kind: str, title: str = "",
                   value: int = 0, next_step: str = "", next_step_on: date | None = None, notes: str = "",
                   event: Event | None = None, met_on: date | None = None) -> Meeting:
    """
    Record a meeting between a cooperative and a partner (at a business-matching event or elsewhere); it opens a
    deal in the pipeline at the "lead" stage.
    """
    require_scope(actor, Action.MANAGE_PARTNERS, cooperative.village_id)
    if not Partner.objects.for_user(actor, Action.VIEW).filter(pk=partner.pk).exists():
        raise PermissionDenied(_("This partner is not in your directory."))
    if kind not in DealKind.values:
        raise ValidationError({"kind": [_("Choose what the deal is about.")]})
    _check_deal_fields(value=value, next_step_on=next_step_on)
    if event is not None:
        if not Event.objects.for_user(actor, Action.VIEW).filter(pk=event.pk).exists():
            raise PermissionDenied(_("This event is outside your area."))
        _require_open(event)
        met_on = met_on or timezone.localtime(event.starts_at).date()
    met_on = met_on or timezone.localdate()
    if met_on > timezone.localdate() or met_on < EARLIEST_EVENT:
        raise ValidationError({"met_on": [_("Record a meeting once it has happened (from 2025).")]})
    deal = Deal(cooperative=cooperative, partner=partner, event=event, kind=kind,
                title=(title or "").strip()[:200] or f"{DealKind(kind).label} — {partner.name}",
                value=value or 0, next_step=(next_step or "").strip()[:300], next_step_on=next_step_on,
                created_by=actor)
    deal._history_user = actor
    deal.save()
    meeting = Meeting(event=event, cooperative=cooperative, partner=partner, deal=deal, notes=(notes or "").strip(),
                      met_on=met_on, recorded_by=actor)
    meeting._history_user = actor
    meeting.save()
    village_changed(cooperative.village_id)
    return meeting


@transaction.atomic
def deal_move(*, actor, deal: Deal, stage: str | None = None, value: int | None = None,
              next_step: str | None = None, next_step_on: date | None = None) -> Deal:
    """Move a deal along the pipeline (only to a stage its current one allows) and update its value and next step."""
    require_scope(actor, Action.MANAGE_PARTNERS, deal.cooperative.village_id)
    deal = locked(deal)
    if deal.stage not in OPEN_STAGES:  # closed or lost: its value and steps are history now
        raise ValidationError({"stage": [_("This deal is finished: it moves no further. Record a new meeting to "
                                           "start another.")]})
    changed = []
    if stage is not None and stage != deal.stage:
        if stage not in DealStage.values:
            raise ValidationError({"stage": [_("Unknown stage.")]})
        if stage not in DEAL_TRANSITIONS[deal.stage]:
            allowed = ", ".join(str(DealStage(s).label) for s in sorted(DEAL_TRANSITIONS[deal.stage])) or _("none")
            raise ValidationError({"stage": [_("From “%(from)s” a deal can go to: %(allowed)s.")
                                             % {"from": DealStage(deal.stage).label, "allowed": allowed}]})
        deal.stage = stage
        changed.append("stage")
    if value is not None:
        _check_deal_fields(value=value, next_step_on=None)
        deal.value = value
        changed.append("value")
    if next_step is not None:
        deal.next_step = next_step.strip()[:300]
        changed.append("next_step")
    if next_step_on is not None:
        _check_deal_fields(value=deal.value, next_step_on=next_step_on)
        deal.next_step_on = next_step_on
        changed.append("next_step_on")
    if changed:
        save_changed(deal, changed, actor=actor)
        village_changed(deal.cooperative.village_id)
    return deal


# SECTION: co-working spaces and bookings


@transaction.atomic
def space_create(*, actor, name: str, owner_kind: str, region_code: str | None = None,
                 federation: Federation | None = None, cooperative: Cooperative | None = None, address: str = "",
                 description: str = "") -> Space:
    """A co-working space of a federation (at its seat), a kecamatan office or a cooperative (at its village)."""
    name = " ".join((name or "").split())[:200]
    if not name:
        raise ValidationError({"name": [_("Give the space a name.")]})
    if owner_kind == SpaceOwnerKind.FEDERATION:
        if federation is None:
            raise ValidationError({"federation": [_("Choose the federation that runs the space.")]})
        require_scope(actor, Action.MANAGE_SPACES, None, federation_id=federation.pk)
        region, cooperative = federation.seat, None
    elif owner_kind == SpaceOwnerKind.COOPERATIVE:
        if cooperative is None:
            raise ValidationError({"cooperative": [_("Choose the cooperative that runs the space.")]})
        require_scope(actor, Action.MANAGE_SPACES, cooperative.village_id)
        region, federation = cooperative.village, None
    elif owner_kind == SpaceOwnerKind.KECAMATAN:
        region = Region.objects.filter(code=region_code or "", level=RegionLevel.DISTRICT, is_active=True).first()
        if region is None:
            raise ValidationError({"region": [_("Choose the kecamatan whose office runs the space.")]})
        require_scope(actor, Action.MANAGE_SPACES, region.code)
        federation = cooperative = None
    else:
        raise ValidationError({"owner_kind": [_("Choose who runs the space.")]})
    space = Space(name=name, owner_kind=owner_kind, region=region, owner_federation=federation,
                  owner_cooperative=cooperative, address=(address or "").strip()[:300],
                  description=(description or "").strip(), created_by=actor)
    space._history_user = actor
    space.save()
    return space


def _require_space_manager(actor, space: Space) -> None:
    require_scope(actor, Action.MANAGE_SPACES, space.region_id, federation_id=space.owner_federation_id)


@transaction.atomic
def resource_add(*, actor, space: Space, name: str, kind: str, capacity: int, opens_at: time, closes_at: time,
                 open_days: str = "12345") -> Resource:
    _require_space_manager(actor, space)
    errors = {}
    if kind not in ResourceKind.values:
        errors["kind"] = [_("Choose room or desk.")]
    if not capacity or not 1 <= capacity <= 1000:
        errors["capacity"] = [_("Capacity is between 1 and 1,000 people.")]
    if opens_at is None or closes_at is None or closes_at <= opens_at:
        errors["closes_at"] = [_("It must close after it opens.")]
    days = "".join(sorted({day for day in (open_days or "") if day in "1234567"}))
    if not days:
        errors["open_days"] = [_("Choose the days it is open.")]
    if not (name or "").strip():
        errors["name"] = [_("Give the room or desk a name.")]
    if errors:
        raise ValidationError(errors)
    resource = Resource(space=space, name=name.strip()[:100], kind=kind, capacity=capacity, opens_at=opens_at,
                        closes_at=closes_at, open_days=days)
    resource._history_user = actor
    resource.save()
    return resource


def _booking_problem(resource: Resource, starts_at: datetime, ends_at: datetime, people: int) -> str | None:
    """Why this time cannot be booked (outside opening hours, too many people, taken), or None."""
    start, end = timezone.localtime(starts_at), timezone.localtime(ends_at)
    if end <= start:
        return _("A booking must end after it starts.")
    if start.date() != end.date():
        return _("A booking starts and ends on the same day.")
    today = timezone.localdate()
    if start.date() < today - timedelta(days=BOOKING_PAST_DAYS):
        return _("Use that took place can be recorded up to %(days)s days later; check the date.") % {
            "days": BOOKING_PAST_DAYS}
    if start.date() > today + timedelta(days=BOOKING_AHEAD_DAYS):
        return _("Book at most a year ahead; check the date.")
    if str(start.isoweekday()) not in resource.open_days:
        return _("%(name)s is closed on %(day)s.") % {"name": resource.name, "day": formats.date_format(start, "l")}
    if start.time() < resource.opens_at or end.time() > resource.closes_at:
        return _("%(name)s is open %(opens)s–%(closes)s.") % {
            "name": resource.name, "opens": formats.time_format(resource.opens_at),
            "closes": formats.time_format(resource.closes_at)}
    if people > resource.capacity:
        return _("%(name)s takes at most %(count)s people.") % {"name": resource.name, "count": resource.capacity}
    clash = (resource.bookings.filter(status=BookingStatus.CONFIRMED, starts_at__lt=ends_at, ends_at__gt=starts_at)
             .order_by("starts_at").first())
    if clash is not None:
        return _("Already booked %(from)s–%(until)s by %(who)s.") % {
            "from": formats.time_format(timezone.localtime(clash.starts_at)),
            "until": formats.time_format(timezone.localtime(clash.ends_at)), "who": clash.booker_name}
    return None


def _booking_fields(*, booker_name: str, booker_kind: str, people: int) -> dict:
    errors = {}
    booker_name = " ".join((booker_name or "").split())[:150]
    if not booker_name:
        errors["booker_name"] = [_("Say who books.")]
    if booker_kind not in BookerKind.values:
        errors["booker_kind"] = [_("Choose who the booker is.")]
    if not people or not 1 <= people <= 1000:
        errors["people"] = [_("Between 1 and 1,000 people.")]
    if errors:
        raise ValidationError(errors)
    return {"booker_name": booker_name}


@transaction.atomic
def booking_create(*, actor, resource: Resource, booker_name: str, booker_kind: str, starts_at: datetime,
                   ends_at: datetime, people: int = 1, booker_contact: str = "", group: str = "", purpose: str = "",
                   cooperative: Cooperative | None = None, event: Event | None = None) -> Booking:
    """Book a room or desk; refused when it is closed then, too small, or already booked for part of the time."""
    _require_space_manager(actor, resource.space)
    fields = _booking_fields(booker_name=booker_name, booker_kind=booker_kind, people=people)
    resource = locked(resource)  # bookings of one resource are checked and written one at a time
    problem = _booking_problem(resource, starts_at, ends_at, people)
    if problem:
        raise ValidationError({"starts_at": [problem]})
    booking = Booking(resource=resource, booker_kind=booker_kind, booker_contact=(booker_contact or "")[:150],
                      group=(group or "").strip()[:150], purpose=(purpose or "").strip()[:200], people=people,
                      starts_at=starts_at, ends_at=ends_at, event=event, created_by=actor, **fields)
    booking._history_user = actor
    booking.save()
    return booking


@transaction.atomic
def booking_create_weekly(*, actor, resource: Resource, booker_name: str, booker_kind: str, first_day: date,
                          until: date, starts: time, ends: time, people: int = 1, booker_contact: str = "",
                          group: str = "", purpose: str = "") -> tuple[list[Booking], list[tuple[date, str]]]:
    """
    Book the same hours every week from ``first_day`` to ``until``. Free weeks are booked; each week that cannot
    be is reported with its reason. When no week is free nothing is booked and the whole request is refused.
    """
    _require_space_manager(actor, resource.space)
    fields = _booking_fields(booker_name=booker_name, booker_kind=booker_kind, people=people)
    if until < first_day:
        raise ValidationError({"until": [_("The last day cannot be before the first.")]})
    if (until - first_day).days > MAX_BOOKING_WEEKS * 7:
        raise ValidationError({"until": [_("A weekly booking runs at most a year.")]})
    if until > timezone.localdate() + timedelta(days=BOOKING_AHEAD_DAYS):
        raise ValidationError({"until": [_("Book at most a year ahead; check the date.")]})
    resource = locked(resource)
    series = uuid.uuid4()
    created: list[Booking] = []
    conflicts: list[tuple[date, str]] = []
    day = first_day
    zone = timezone.get_current_timezone()
    while day <= until:
        starts_at = datetime.combine(day, starts, tzinfo=zone)
        ends_at = datetime.combine(day, ends, tzinfo=zone)
        problem = _booking_problem(resource, starts_at, ends_at, people)
        if problem:
            conflicts.append((day, problem))
        else:
            booking = Booking(resource=resource, booker_kind=booker_kind,
                              booker_contact=(booker_contact or "")[:150], group=(group or "").strip()[:150],
                              purpose=(purpose or "").strip()[:200], people=people, starts_at=starts_at,
                              ends_at=ends_at, series=series, created_by=actor, **fields)
            booking._history_user = actor
            booking.save()
            created.append(booking)
        day += timedelta(days=7)
    if not created:
        raise ValidationError({"starts_at": [_("No week is free: %(reasons)s")
                                             % {"reasons": "; ".join(f"{formats.date_format(d)}: {reason}"
                                                                     for d, reason in conflicts[:5])}]})
    return created, conflicts


@transaction.atomic
def booking_cancel(*, actor, booking: Booking, reason: str = "", following: bool = False) -> list[Booking]:
    """Cancel a booking (``following``: and the later weeks of its weekly series); returns those cancelled."""
    _require_space_manager(actor, booking.resource.space)
    booking = locked(booking)
    bookings = [booking]
    if following and booking.series:
        bookings = list(Booking.objects.select_for_update().filter(series=booking.series,
                                                                   starts_at__gte=booking.starts_at)
                        .order_by("starts_at"))
    cancelled = []
    for item in bookings:
        if item.status == BookingStatus.CANCELLED:
            continue
        item.status = BookingStatus.CANCELLED
        item.cancel_reason = " ".join((reason or "").split())[:200]
        save_changed(item, ["status", "cancel_reason"], actor=actor)
        cancelled.append(item)
    if not cancelled:
        raise ValidationError({"booking": [_("This booking is already cancelled.")]})
    return cancelled
