"""Reading kegiatan: events a user may see, coverage of an attendance list, search at the door, the deal pipeline,
and the monthly usage of a co-working space."""

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from dataclasses import field
from datetime import date
from datetime import datetime
from datetime import timedelta

from django.db.models import Count
from django.db.models import Q
from django.db.models import Sum
from django.utils import timezone

from accounts.selectors import regions_held
from core.identifiers import mask_nik
from core.roles import Action
from core.roles import Role
from core.scoping import scope_for
from koperasi.models import Cooperative
from members.models import Member

from .filtersets import DealFilterSet
from .filtersets import EventFilterSet
from .filtersets import PartnerFilterSet
from .models import HEAD_ROLES
from .models import OPEN_STAGES
from .models import VILLAGE_ROLES
from .models import Attendee
from .models import AttendeeRole
from .models import Booking
from .models import BookingStatus
from .models import Deal
from .models import DealKind
from .models import DealStage
from .models import Event
from .models import EventInvitation
from .models import InvitationReply
from .models import Partner
from .models import Space
from .models import TrainingRecord

__all__ = [
    "Coverage",
    "PersonMatch",
    "SpaceUsage",
    "attendee_phone_shown",
    "attendee_search",
    "cooperative_deals_section",
    "deal_filter",
    "event_coverage",
    "event_filter",
    "events_visible",
    "looks_like_nik",
    "month_bounds",
    "own_invitations",
    "partner_filter",
    "pipeline_summary",
    "space_usage",
    "training_section",
]

SEARCH_LIMIT = 15


def events_visible(user, action: Action = Action.VIEW):
    """
    Events in the user's scope (their organiser's area or federation), and for village staff also the events their
    desa/kelurahan is invited to.
    """
    invited = EventInvitation.objects.for_user(user, action).values("event_id")
    return (Event.objects.filter(Q(pk__in=Event.objects.for_user(user, action).values("pk")) | Q(pk__in=invited))
            .select_related("region", "organiser_federation", "venue_village"))


def attendee_phone_shown(user, event: Event) -> Callable[[Attendee], bool]:
    """
    Whose phone number on the attendance list ``user`` is shown: every one to the event's organisers (who took
    them down), else only those of the desa/kelurahan whose personal data the user may see. Invited village staff
    see their own village's, not the other villages' (UU PDP).
    """
    if scope_for(user, Action.MANAGE_EVENTS).reaches(event.region_id, event.organiser_federation_id):
        return lambda attendee: True
    personal = scope_for(user, Action.VIEW_PERSONAL_DATA)
    return lambda attendee: personal.contains(attendee.village_id)


def event_filter(*, request, filters: dict | None = None) -> EventFilterSet:
    events = (events_visible(request.user)
              .annotate(attendee_count=Count("attendees", distinct=True),
                        invited_count=Count("invitations", distinct=True))
              .order_by("-starts_at", "-pk"))
    return EventFilterSet(filters or {}, events, request=request)


def partner_filter(*, request, filters: dict | None = None) -> PartnerFilterSet:
    partners = Partner.objects.for_user(request.user, Action.VIEW).select_related("region")
    return PartnerFilterSet(filters or {}, partners.annotate(deal_count=Count("deals")).order_by("name", "pk"),
                            request=request)


def deal_filter(*, request, filters: dict | None = None) -> DealFilterSet:
    deals = Deal.objects.for_user(request.user, Action.VIEW).select_related("cooperative__village", "partner", "event")
    return DealFilterSet(filters or {}, deals, request=request)


# SECTION: coverage of an attendance list


@dataclass
class Coverage:
    """Which invited villages came, and by role: "12 of 13 desa, kepala desa from 10"."""

    invited: int
    reached: int
    by_role: dict[str, int]  # role → invited villages with at least one attendee in that role
    heads: int  # invited villages whose kepala desa or Pj kepala desa came
    attendees: int
    attendees_by_role: dict[str, int]
    missing: list = field(default_factory=list)  # invited villages nobody came from (Region rows)
    uninvited_villages: int = 0  # villages that came without an invitation
    # The villages' replies to their invitations, for seats and meals: coming (with the people expected), not.
    coming: int = 0
    not_coming: int = 0
    unanswered: int = 0
    people_expected: int = 0

    @property
    def percent(self) -> float:
        return round(100 * self.reached / self.invited, 1) if self.invited else 0.0


def event_coverage(event: Event) -> Coverage:
    invitations = list(event.invitations.select_related("village"))
    invited = {inv.village_id: inv.village for inv in invitations}
    replies = Counter(inv.reply for inv in invitations)
    rows = list(event.attendees.values_list("village_id", "role"))
    villages_by_role: dict[str, set[str]] = {}
    for village, role in rows:
        if village and role in VILLAGE_ROLES:
            villages_by_role.setdefault(role, set()).add(village)
    came = set().union(*villages_by_role.values()) if villages_by_role else set()
    reached = came & set(invited)
    heads = set().union(*(villages_by_role.get(role, set()) for role in HEAD_ROLES)) & set(invited)
    return Coverage(
        invited=len(invited), reached=len(reached),
        by_role={role: len(villages_by_role.get(role, set()) & set(invited)) for role in AttendeeRole.values
                 if role in VILLAGE_ROLES},
        heads=len(heads), attendees=len(rows),
        attendees_by_role=dict(Counter(role for _village, role in rows)),
        missing=[invited[code] for code in sorted(set(invited) - reached, key=lambda c: invited[c].name)],
        uninvited_villages=len(came - set(invited)) if invited else 0,
        coming=replies[InvitationReply.COMING], not_coming=replies[InvitationReply.NOT_COMING], unanswered=replies[""],
        people_expected=sum(inv.expected_people or 0 for inv in invitations),
    )


# SECTION: finding a person at the door


@dataclass(frozen=True)
class PersonMatch:
    """Someone found by name or NIK: a member record of an invited village, shown with a masked NIK."""

    member: Member
    masked_nik: str
    village_name: str
    suggested_role: str
    present: bool


def looks_like_nik(text: str | None) -> bool:
    """Digits only (spaces aside): searched as a NIK, never as a name."""
    digits = "".join((text or "").split())
    return digits.isascii() and digits.isdigit()


def attendee_search(*, user, event: Event, text: str, suggested_role) -> list[PersonMatch]:
    """
    Members (of the cooperatives the user may see, in the invited villages when the event has invitations) whose name
    contains ``text``, or whose NIK is exactly ``text`` (16 digits, the NIK still shown masked). By NIK only among
    the members whose personal data the user may see: to anyone else a hit would confirm a guessed NIK, and a
    masked NIK (its first and last four digits shown, the kecamatan and birth date in between) could be rebuilt
    by guessing the date.
    """
    text = " ".join((text or "").split())[:100]
    if len(text) < 3:
        return []
    if looks_like_nik(text):
        digits = text.replace(" ", "")
        members = Member.objects.for_user(user, Action.VIEW_PERSONAL_DATA)
        members = members.filter(nik=digits) if len(digits) == 16 else members.none()
    else:
        members = Member.objects.for_user(user, Action.VIEW).filter(name__icontains=text)
    members = members.select_related("cooperative__village")
    invited = list(event.invitations.values_list("village_id", flat=True))
    if invited:
        members = members.filter(cooperative__village_id__in=invited)
    members = list(members.prefetch_related("positions").order_by("name", "pk")[:SEARCH_LIMIT])
    present = set(event.attendees.filter(member__in=members).values_list("member_id", flat=True))
    return [PersonMatch(member=m, masked_nik=mask_nik(m.nik), village_name=m.cooperative.village.name.title(),
                        suggested_role=suggested_role(m), present=m.pk in present) for m in members]


# SECTION: cards on the cooperative page


def training_section(cooperative: Cooperative) -> dict:
    """The trainings the cooperative's people took part in (from pelatihan and bimtek attendance)."""
    records = (TrainingRecord.objects.filter(member__cooperative=cooperative).select_related("member")
               .order_by("-held_on", "member__name")[:20])
    return {"training_records": list(records)}


def cooperative_deals_section(cooperative: Cooperative) -> dict:
    deals = list(cooperative.deals.select_related("partner").order_by("-updated_at")[:10])
    return {"deals": deals, "deals_open_value": sum(d.value for d in deals if d.stage in OPEN_STAGES)}


# SECTION: the pipeline


@dataclass
class Pipeline:
    by_stage: list[tuple[str, str, int, int]]  # stage, label, count, value
    by_kind: list[tuple[str, str, int, int]]
    open_count: int
    open_value: int
    total_count: int


def pipeline_summary(deals) -> Pipeline:
    """Counts and values by stage and kind of the given (scoped, filtered) deals: one aggregate query each."""
    stages = {row["stage"]: row for row in deals.values("stage").annotate(n=Count("pk"), v=Sum("value"))}
    kinds = {row["kind"]: row for row in deals.values("kind").annotate(n=Count("pk"), v=Sum("value"))}
    by_stage = [(s, str(DealStage(s).label), stages.get(s, {}).get("n", 0), stages.get(s, {}).get("v") or 0)
                for s in DealStage.values]
    by_kind = [(k, str(DealKind(k).label), kinds.get(k, {}).get("n", 0), kinds.get(k, {}).get("v") or 0)
               for k in DealKind.values]
    open_rows = [row for stage, _label, *row in by_stage if stage in OPEN_STAGES]
    return Pipeline(by_stage=by_stage, by_kind=by_kind, open_count=sum(n for n, _v in open_rows),
                    open_value=sum(v for _n, v in open_rows), total_count=sum(row[2] for row in by_stage))


# SECTION: the monthly usage of a space


@dataclass
class SpaceUsage:
    month: date
    bookings: int
    hours: float
    distinct_users: int
    people: int
    by_kind: dict[str, int]
    groups: list[tuple[str, int]]
    events: int
    by_resource: list[tuple[str, int, float]]


def month_bounds(month: date) -> tuple[datetime, datetime]:
    zone = timezone.get_current_timezone()
    start = datetime(month.year, month.month, 1, tzinfo=zone)
    following = (start + timedelta(days=32)).replace(day=1)
    return start, following


def space_usage(space: Space, month: date) -> SpaceUsage:
    """Confirmed bookings that start in ``month``: count, hours, distinct bookers, groups served, events held."""
    start, end = month_bounds(month)
    bookings = list(Booking.objects.filter(resource__space=space, status=BookingStatus.CONFIRMED,
                                           starts_at__gte=start, starts_at__lt=end).select_related("resource"))
    resources: dict[str, list] = {}
    for booking in bookings:
        resources.setdefault(booking.resource.name, []).append(booking)
    groups = Counter(booking.group.strip() for booking in bookings if booking.group.strip())
    users = {(booking.booker_name.strip().lower(), booking.booker_contact.strip().lower()) for booking in bookings}
    return SpaceUsage(
        month=start.date(), bookings=len(bookings), hours=round(sum(b.hours for b in bookings), 1),
        distinct_users=len(users), people=sum(b.people for b in bookings),
        by_kind=dict(Counter(booking.booker_kind for booking in bookings)),
        groups=sorted(groups.items(), key=lambda item: (-item[1], item[0])),
        events=space.events.filter(starts_at__gte=start, starts_at__lt=end, cancelled_at__isnull=True).count(),
        by_resource=[(name, len(rows), round(sum(b.hours for b in rows), 1))
                     for name, rows in sorted(resources.items())],
    )


def attendees_of(event: Event):
    return (Attendee.objects.filter(event=event).select_related("village", "member", "partner")
            .order_by("village__name", "role", "name"))


def own_invitations(user, event: Event):
    """
    The invitations of ``event`` that ``user`` answers: those of the desa/kelurahan where they are village staff
    (an officer of the kecamatan sees every village's invitation, but each village answers for itself).
    """
    return event.invitations.filter(village_id__in=regions_held(user, Role.VILLAGE_STAFF)).select_related("village")
