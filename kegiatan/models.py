"""
Gatherings the programme runs on: events (sosialisasi, rakor, pelatihan, bimtek, business matching, community
events) with their invitations and attendance; the partner directory with meetings and the deal pipeline they
lead to; and shared co-working spaces with their rooms, desks and bookings.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.identifiers import mask_nik
from core.roles import Action
from core.scoping import ScopedQuerySet
from core.scoping import scope_for

__all__ = [
    "Attendee",
    "AttendeeRole",
    "AttendeeSource",
    "BookerKind",
    "Booking",
    "BookingStatus",
    "Deal",
    "DealKind",
    "DealStage",
    "Event",
    "EventInvitation",
    "EventKind",
    "Meeting",
    "Partner",
    "PartnerContact",
    "PartnerKind",
    "Resource",
    "ResourceKind",
    "Space",
    "SpaceOwnerKind",
    "TrainingRecord",
]


# SECTION: events


class EventKind(models.TextChoices):
    SOSIALISASI = "sosialisasi", _("Sosialisasi")
    RAKOR = "rakor", _("Rakor (coordination meeting)")
    PELATIHAN = "pelatihan", _("Pelatihan (training)")
    BIMTEK = "bimtek", _("Bimtek (technical guidance)")
    BUSINESS_MATCHING = "business_matching", _("Business matching")
    COMMUNITY = "community", _("Community / UMKM event")


# Kinds whose attendance of pengurus/pengawas becomes a training record on their board record.
TRAINING_KINDS = frozenset({EventKind.PELATIHAN, EventKind.BIMTEK})


class Event(models.Model):
    """
    One gathering. It belongs to its organiser's area (``region``: the Dinas's kabupaten, the kecamatan office's
    kecamatan, or a federation's seat) and, when a federation organises it, to the federation too.
    """

    title = models.CharField(verbose_name=_("title"), max_length=200)
    kind = models.CharField(verbose_name=_("kind"), max_length=20, choices=EventKind.choices)
    region = models.ForeignKey(
        verbose_name=_("organiser's area"), to="wilayah.Region", on_delete=models.PROTECT, related_name="+",
    )
    organiser_federation = models.ForeignKey(
        verbose_name=_("organising federation"), to="bumdes.Federation", on_delete=models.PROTECT, null=True,
        blank=True, related_name="events",
    )
    organiser_name = models.CharField(verbose_name=_("organiser"), max_length=200)
    place = models.CharField(verbose_name=_("place"), max_length=200)
    venue_village = models.ForeignKey(
        verbose_name=_("desa/kelurahan of the venue"), to="wilayah.Region", on_delete=models.PROTECT, null=True,
        blank=True, related_name="+",
    )
    space = models.ForeignKey(
        verbose_name=_("co-working space"), to="kegiatan.Space", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="events",
    )
    starts_at = models.DateTimeField(verbose_name=_("starts at"))
    ends_at = models.DateTimeField(verbose_name=_("ends at"))
    respond_by = models.DateField(verbose_name=_("confirm attendance by"), null=True, blank=True)
    description = models.TextField(verbose_name=_("description"), blank=True)
    training_title = models.CharField(
        verbose_name=_("training record title"), max_length=200, blank=True,
        help_text=_("For a pelatihan or bimtek: what attendance records on the pengurus/pengawas, e.g. "
                    "“Pelatihan manajemen koperasi 2025”."),
    )
    invitations_sent_at = models.DateTimeField(verbose_name=_("invitations sent at"), null=True, blank=True)
    cancelled_at = models.DateTimeField(verbose_name=_("cancelled at"), null=True, blank=True)
    created_by = models.ForeignKey(
        verbose_name=_("recorded by"), to=settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(verbose_name=_("recorded at"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()
    history = HistoricalRecords()

    scope_path = "region__code"
    scope_federation_path = "organiser_federation_id"

    class Meta:
        ordering = ["-starts_at", "-pk"]
        verbose_name = _("event")
        verbose_name_plural = _("events")
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="kegiatan_event_ends_after",
                                   violation_error_message=_("The event must end after it starts.")),
        ]
        indexes = [models.Index(fields=["starts_at"], name="kegiatan_event_starts")]

    def __str__(self):
        return self.title

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None


class InvitationReply(models.TextChoices):
    COMING = "coming", _("Coming")
    NOT_COMING = "not_coming", _("Not coming")


class EventInvitation(models.Model):
    """
    A desa/kelurahan (and its cooperative, if any) invited to an event; its village staff are notified and reply
    whether it comes, and with how many people, until the event starts.
    """

    event = models.ForeignKey(verbose_name=_("event"), to=Event, on_delete=models.CASCADE, related_name="invitations")
    village = models.ForeignKey(
        verbose_name=_("desa/kelurahan"), to="wilayah.Region", on_delete=models.PROTECT, related_name="+",
    )
    cooperative = models.ForeignKey(
        verbose_name=_("cooperative"), to="koperasi.Cooperative", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="event_invitations",
    )
    invited_at = models.DateTimeField(verbose_name=_("invited at"), auto_now_add=True)
    notified_at = models.DateTimeField(verbose_name=_("notified at"), null=True, blank=True)
    reply = models.CharField(verbose_name=_("reply"), max_length=12, choices=InvitationReply.choices, blank=True)
    expected_people = models.PositiveSmallIntegerField(verbose_name=_("people expected"), null=True, blank=True)
    replied_at = models.DateTimeField(verbose_name=_("replied at"), null=True, blank=True)
    replied_by = models.ForeignKey(
        verbose_name=_("replied by"), to=settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )
    history = HistoricalRecords()  # a reply replaced by a later one stays on record

    objects = ScopedQuerySet.as_manager()

    scope_path = "village__code"

    class Meta:
        ordering = ["village__name"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [
            models.UniqueConstraint(fields=["event", "village"], name="kegiatan_invitation_unique",
                                    violation_error_message=_("This desa/kelurahan is already invited.")),
        ]

    def __str__(self):
        return f"{self.event_id} {self.village_id}"


class AttendeeRole(models.TextChoices):
    KEPALA_DESA = "kepala_desa", _("Kepala desa / lurah")
    PJ_KEPALA_DESA = "pj_kepala_desa", _("Pj kepala desa")
    SEKRETARIS_DESA = "sekretaris_desa", _("Sekretaris desa")
    BPD = "bpd", _("BPD")
    OPERATOR_DESA = "operator_desa", _("Operator desa")
    DIREKTUR_BUMDES = "direktur_bumdes", _("Direktur BUMDes")
    PENDAMPING_DESA = "pendamping_desa", _("Pendamping desa")
    PENGURUS = "pengurus", _("Pengurus")
    PENGAWAS = "pengawas", _("Pengawas")
    MANAJER = "manajer", _("Manajer")
    ANGGOTA = "anggota", _("Anggota")
    PARTNER = "partner", _("Partner representative")


# Roles who come on behalf of a desa/kelurahan (a village is "reached" by any of them).
VILLAGE_ROLES = frozenset(set(AttendeeRole) - {AttendeeRole.PARTNER})
# The village head's role in either form: a Pj counts where the head is asked for.
HEAD_ROLES = frozenset({AttendeeRole.KEPALA_DESA, AttendeeRole.PJ_KEPALA_DESA})


class AttendeeSource(models.TextChoices):
    DOOR = "door", _("At the door")
    IMPORT = "import", _("Imported list")


class Attendee(models.Model):
    """One person present at an event: their role, their desa/kelurahan, and their member record if they have one."""

    event = models.ForeignKey(verbose_name=_("event"), to=Event, on_delete=models.CASCADE, related_name="attendees")
    name = models.CharField(verbose_name=_("name"), max_length=150)
    nik = models.CharField(verbose_name=_("NIK"), max_length=16, blank=True)
    phone = models.CharField(verbose_name=_("phone"), max_length=20, blank=True)
    role = models.CharField(verbose_name=_("role"), max_length=20, choices=AttendeeRole.choices)
    village = models.ForeignKey(
        verbose_name=_("desa/kelurahan"), to="wilayah.Region", on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )
    organisation = models.CharField(verbose_name=_("organisation"), max_length=200, blank=True)
    member = models.ForeignKey(
        verbose_name=_("member record"), to="members.Member", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="event_attendances",
    )
    partner = models.ForeignKey(
        verbose_name=_("partner"), to="kegiatan.Partner", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="attendances",
    )
    source = models.CharField(verbose_name=_("entered"), max_length=8, choices=AttendeeSource.choices,
                              default=AttendeeSource.DOOR)
    recorded_by = models.ForeignKey(
        verbose_name=_("recorded by"), to=settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
        related_name="+",
    )
    recorded_at = models.DateTimeField(verbose_name=_("recorded at"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()
    history = HistoricalRecords()

    scope_path = "event__region__code"
    scope_federation_path = "event__organiser_federation_id"
    audit_hidden_fields = ("nik",)

    class Meta:
        ordering = ["recorded_at", "pk"]
        verbose_name = _("attendee")
        verbose_name_plural = _("attendees")
        constraints = [
            models.UniqueConstraint(fields=["event", "nik"], condition=~Q(nik=""), name="kegiatan_attendee_nik_once",
                                    violation_error_message=_("This NIK is already on the attendance list.")),
            models.UniqueConstraint(fields=["event", "member"], condition=Q(member__isnull=False),
                                    name="kegiatan_attendee_member_once",
                                    violation_error_message=_("This member is already on the attendance list.")),
        ]
        indexes = [models.Index(fields=["event", "village"], name="kegiatan_attendee_village")]

    def __str__(self):
        return self.name

    @property
    def masked_nik(self) -> str:
        return mask_nik(self.nik) if self.nik else ""


class TrainingRecord(models.Model):
    """A training a pengurus/pengawas took part in (from the attendance of a pelatihan or bimtek)."""

    member = models.ForeignKey(
        verbose_name=_("member"), to="members.Member", on_delete=models.CASCADE, related_name="training_records",
    )
    event = models.ForeignKey(
        verbose_name=_("event"), to=Event, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
    )
    attendee = models.OneToOneField(
        verbose_name=_("attendance"), to=Attendee, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="training_record",
    )
    title = models.CharField(verbose_name=_("training"), max_length=200)
    held_on = models.DateField(verbose_name=_("date"))
    organiser_name = models.CharField(verbose_name=_("organiser"), max_length=200, blank=True)
    created_at = models.DateTimeField(verbose_name=_("recorded at"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()
    history = HistoricalRecords()

    scope_path = "member__cooperative__village__code"

    class Meta:
        ordering = ["-held_on", "-pk"]
        verbose_name = _("training record")
        verbose_name_plural = _("training records")

    def __str__(self):
        return f"{self.title} ({self.held_on})"


# SECTION: partners and the deal pipeline


class PartnerKind(models.TextChoices):
    BUMN = "bumn", _("BUMN")
    BUMD = "bumd", _("BUMD")
    HIMBARA = "himbara", _("Himbara bank")
    POS = "pos", _("PT Pos Indonesia")
    AGRINAS = "agrinas", _("Agrinas")
    PRIVATE = "private", _("Private company")


class PartnerQuerySet(ScopedQuerySet):
    """
    The partner directory: a partner kept by a regional office belongs to that area; the national directory (no
    area: BUMN, Himbara banks, PT Pos, Agrinas) is readable by every officer with a role, written by national
    administrators only (their scope holds everything).
    """

    def for_user(self, user, action: Action = Action.VIEW):
        scope = scope_for(user, action)
        if action == Action.VIEW and not scope.is_empty:
            return self.filter(scope.q(self.model.scope_path) | Q(region__isnull=True))
        return self.within(scope)


class Partner(models.Model):
    """A BUMN, BUMD, bank or firm cooperatives do business with, and the areas it serves."""

    name = models.CharField(verbose_name=_("name"), max_length=200)
    kind = models.CharField(verbose_name=_("kind"), max_length=10, choices=PartnerKind.choices)
    region = models.ForeignKey(
        verbose_name=_("kept by (area)"), to="wilayah.Region", on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", help_text=_("Empty: the national directory."),
    )
    areas_served = models.ManyToManyField(
        verbose_name=_("areas served"), to="wilayah.Region", blank=True, related_name="+",
    )
    offer = models.TextField(verbose_name=_("what it offers"), blank=True)
    website = models.URLField(verbose_name=_("website"), blank=True)
    created_by = models.ForeignKey(
        verbose_name=_("recorded by"), to=settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(verbose_name=_("recorded at"), auto_now_add=True)

    objects = PartnerQuerySet.as_manager()
    history = HistoricalRecords()

    scope_path = "region__code"

    class Meta:
        ordering = ["name"]
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        constraints = [
            models.UniqueConstraint(Lower("name"), name="kegiatan_partner_name_unique",
                                    violation_error_message=_("A partner of this name is already in the directory.")),
        ]

    def __str__(self):
        return self.name


class PartnerContact(models.Model):
    """A contact person at a partner."""

    partner = models.ForeignKey(verbose_name=_("partner"), to=Partner, on_delete=models.CASCADE,
                                related_name="contacts")
    name = models.CharField(verbose_name=_("name"), max_length=150)
    position = models.CharField(verbose_name=_("position"), max_length=150, blank=True)
    phone = models.CharField(verbose_name=_("phone"), max_length=20, blank=True)
    email = models.EmailField(verbose_name=_("e-mail"), blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("contact person")
        verbose_name_plural = _("contact persons")

    def __str__(self):
        return self.name


class DealKind(models.TextChoices):
    PROCUREMENT = "procurement", _("Procurement of goods/services")
    PROJECT = "project", _("Project partnership")
    FINANCING = "financing", _("Financing")
    MENTORING = "mentoring", _("Mentoring")


class DealStage(models.TextChoices):
    LEAD = "lead", _("Lead")
    TALKS = "talks", _("In talks")
    AGREED = "agreed", _("Agreed")
    RUNNING = "running", _("Running (under way)")
    CLOSED = "closed", _("Closed (completed)")
    LOST = "lost", _("Lost")


# Where a deal may go from each stage; closed and lost are final.
DEAL_TRANSITIONS: dict[str, frozenset[str]] = {
    DealStage.LEAD: frozenset({DealStage.TALKS, DealStage.LOST}),
    DealStage.TALKS: frozenset({DealStage.AGREED, DealStage.LOST}),
    DealStage.AGREED: frozenset({DealStage.RUNNING, DealStage.LOST}),
    DealStage.RUNNING: frozenset({DealStage.CLOSED, DealStage.LOST}),
    DealStage.CLOSED: frozenset(),
    DealStage.LOST: frozenset(),
}
# The open pipeline: deals not yet completed or lost.
OPEN_STAGES = (DealStage.LEAD, DealStage.TALKS, DealStage.AGREED, DealStage.RUNNING)


class Deal(models.Model):
    """A business opportunity between a cooperative and a partner, moving through the pipeline's stages."""

    cooperative = models.ForeignKey(verbose_name=_("cooperative"), to="koperasi.Cooperative",
                                    on_delete=models.PROTECT, related_name="deals")
    partner = models.ForeignKey(verbose_name=_("partner"), to=Partner, on_delete=models.PROTECT, related_name="deals")
    event = models.ForeignKey(verbose_name=_("event"), to=Event, on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="deals")
    kind = models.CharField(verbose_name=_("kind"), max_length=12, choices=DealKind.choices)
    stage = models.CharField(verbose_name=_("stage"), max_length=8, choices=DealStage.choices,
                             default=DealStage.LEAD)
    title = models.CharField(verbose_name=_("subject"), max_length=200)
    value = models.PositiveBigIntegerField(verbose_name=_("value (Rp)"), default=0)
    next_step = models.CharField(verbose_name=_("next step"), max_length=300, blank=True)
    next_step_on = models.DateField(verbose_name=_("next step date"), null=True, blank=True)
    created_by = models.ForeignKey(
        verbose_name=_("recorded by"), to=settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(verbose_name=_("recorded at"), auto_now_add=True)
    updated_at = models.DateTimeField(verbose_name=_("updated at"), auto_now=True)

    objects = ScopedQuerySet.as_manager()
    history = HistoricalRecords()

    scope_path = "cooperative__village__code"

    class Meta:
        ordering = ["-updated_at", "-pk"]
        verbose_name = _("deal")
        verbose_name_plural = _("deals")
        constraints = [
            models.CheckConstraint(condition=Q(value__lte=10**15), name="kegiatan_deal_value_bounded",
                                   violation_error_message=_("The value is too large.")),
        ]

    def __str__(self):
        return self.title


class Meeting(models.Model):
    """A cooperative's meeting with a partner (at a business-matching event or elsewhere) and what came of it."""

    event = models.ForeignKey(verbose_name=_("event"), to=Event, on_delete=models.CASCADE, null=True, blank=True,
                              related_name="meetings")
    cooperative = models.ForeignKey(verbose_name=_("cooperative"), to="koperasi.Cooperative",
                                    on_delete=models.PROTECT, related_name="partner_meetings")
    partner = models.ForeignKey(verbose_name=_("partner"), to=Partner, on_delete=models.PROTECT,
                                related_name="meetings")
    deal = models.ForeignKey(verbose_name=_("deal"), to=Deal, on_delete=models.SET_NULL, null=True, blank=True,
                             related_name="meetings")
    notes = models.TextField(verbose_name=_("notes"), blank=True)
    met_on = models.DateField(verbose_name=_("date"))
    recorded_by = models.ForeignKey(
        verbose_name=_("recorded by"), to=settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(verbose_name=_("recorded at"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()
    history = HistoricalRecords()

    scope_path = "cooperative__village__code"

    class Meta:
        ordering = ["-met_on", "-pk"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")

    def __str__(self):
        return f"{self.cooperative_id}–{self.partner_id} {self.met_on}"


# SECTION: shared spaces


class SpaceOwnerKind(models.TextChoices):
    FEDERATION = "federation", _("Federation")
    KECAMATAN = "kecamatan", _("Kecamatan office")
    COOPERATIVE = "cooperative", _("Cooperative")


class Space(models.Model):
    """A co-working space owned by a federation, a kecamatan office or a cooperative."""

    name = models.CharField(verbose_name=_("name"), max_length=200)
    owner_kind = models.CharField(verbose_name=_("owned by"), max_length=12, choices=SpaceOwnerKind.choices)
    region = models.ForeignKey(
        verbose_name=_("area"), to="wilayah.Region", on_delete=models.PROTECT, related_name="+",
        help_text=_("The kecamatan of a kecamatan office; the desa/kelurahan of a cooperative or federation seat."),
    )
    owner_federation = models.ForeignKey(
        verbose_name=_("federation"), to="bumdes.Federation", on_delete=models.PROTECT, null=True, blank=True,
        related_name="spaces",
    )
    owner_cooperative = models.ForeignKey(
        verbose_name=_("cooperative"), to="koperasi.Cooperative", on_delete=models.PROTECT, null=True, blank=True,
        related_name="spaces",
    )
    address = models.CharField(verbose_name=_("address"), max_length=300, blank=True)
    description = models.TextField(verbose_name=_("description"), blank=True)
    created_by = models.ForeignKey(
        verbose_name=_("recorded by"), to=settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(verbose_name=_("recorded at"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()
    history = HistoricalRecords()

    scope_path = "region__code"
    scope_federation_path = "owner_federation_id"

    class Meta:
        ordering = ["name"]
        verbose_name = _("co-working space")
        verbose_name_plural = _("co-working spaces")

    def __str__(self):
        return self.name


class ResourceKind(models.TextChoices):
    ROOM = "room", _("Room")
    DESK = "desk", _("Desk")


class Resource(models.Model):
    """A bookable room or desk of a space, with its capacity and opening hours."""

    space = models.ForeignKey(verbose_name=_("space"), to=Space, on_delete=models.CASCADE, related_name="resources")
    name = models.CharField(verbose_name=_("name"), max_length=100)
    kind = models.CharField(verbose_name=_("kind"), max_length=6, choices=ResourceKind.choices)
    capacity = models.PositiveSmallIntegerField(verbose_name=_("capacity (people)"))
    opens_at = models.TimeField(verbose_name=_("opens at"))
    closes_at = models.TimeField(verbose_name=_("closes at"))
    # ISO weekdays the resource is open, e.g. "12345" for Monday to Friday.
    open_days = models.CharField(verbose_name=_("open days"), max_length=7, default="12345")

    objects = ScopedQuerySet.as_manager()
    history = HistoricalRecords()

    scope_path = "space__region__code"
    scope_federation_path = "space__owner_federation_id"

    class Meta:
        ordering = ["space", "name"]
        verbose_name = _("room or desk")
        verbose_name_plural = _("rooms and desks")
        constraints = [
            models.CheckConstraint(condition=Q(closes_at__gt=models.F("opens_at")), name="kegiatan_resource_hours",
                                   violation_error_message=_("It must close after it opens.")),
            models.CheckConstraint(condition=Q(capacity__gte=1, capacity__lte=1000),
                                   name="kegiatan_resource_capacity",
                                   violation_error_message=_("Capacity is between 1 and 1,000 people.")),
        ]

    def __str__(self):
        return f"{self.space} — {self.name}"


class BookerKind(models.TextChoices):
    PUBLIC = "public", _("Member of the public")
    UMKM = "umkm", _("UMKM")
    COOPERATIVE = "cooperative", _("Cooperative")
    STAFF = "staff", _("Staff")


class BookingStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("Confirmed")
    CANCELLED = "cancelled", _("Cancelled")


class Booking(models.Model):
    """
    A room or desk taken for a time. Two confirmed bookings of one resource never overlap: the booking service
    checks under a lock on the resource row. Weekly series share a ``series`` key.
    """

    resource = models.ForeignKey(verbose_name=_("room or desk"), to=Resource, on_delete=models.PROTECT,
                                 related_name="bookings")
    booker_name = models.CharField(verbose_name=_("booked by"), max_length=150)
    booker_kind = models.CharField(verbose_name=_("booker"), max_length=12, choices=BookerKind.choices)
    booker_contact = models.CharField(verbose_name=_("phone or e-mail"), max_length=150, blank=True)
    group = models.CharField(
        verbose_name=_("group served"), max_length=150, blank=True,
        help_text=_("E.g. a disability community, a youth group, women's UMKM."),
    )
    purpose = models.CharField(verbose_name=_("purpose"), max_length=200, blank=True)
    people = models.PositiveSmallIntegerField(verbose_name=_("people"), default=1)
    starts_at = models.DateTimeField(verbose_name=_("from"))
    ends_at = models.DateTimeField(verbose_name=_("until"))
    series = models.UUIDField(verbose_name=_("weekly series"), null=True, blank=True, db_index=True)
    event = models.ForeignKey(verbose_name=_("event"), to=Event, on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="bookings")
    status = models.CharField(verbose_name=_("status"), max_length=10, choices=BookingStatus.choices,
                              default=BookingStatus.CONFIRMED)
    cancel_reason = models.CharField(verbose_name=_("reason for cancelling"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        verbose_name=_("recorded by"), to=settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(verbose_name=_("recorded at"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()
    history = HistoricalRecords()

    scope_path = "resource__space__region__code"
    scope_federation_path = "resource__space__owner_federation_id"

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = _("booking")
        verbose_name_plural = _("bookings")
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="kegiatan_booking_ends_after",
                                   violation_error_message=_("A booking must end after it starts.")),
        ]
        indexes = [models.Index(fields=["resource", "starts_at"], name="kegiatan_booking_resource")]

    def __str__(self):
        return f"{self.resource} {self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def hours(self) -> float:
        return (self.ends_at - self.starts_at).total_seconds() / 3600
