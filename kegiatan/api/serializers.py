"""Input and output serializers of the kegiatan endpoints."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from bumdes.models import Federation
from core.api.fields import RegionCodeField
from core.api.fields import ScopedPrimaryKeyRelatedField
from core.api.fields import VillageCodeField
from core.api.fields import WholeNumberField
from core.roles import Action
from kegiatan.models import Attendee
from kegiatan.models import AttendeeRole
from kegiatan.models import BookerKind
from kegiatan.models import Booking
from kegiatan.models import Deal
from kegiatan.models import DealKind
from kegiatan.models import DealStage
from kegiatan.models import Event
from kegiatan.models import EventKind
from kegiatan.models import InvitationReply
from kegiatan.models import Partner
from kegiatan.models import PartnerKind
from kegiatan.models import Resource
from kegiatan.models import Space
from kegiatan.services import MAX_EXPECTED_PEOPLE
from koperasi.models import Cooperative
from members.models import Member
from wilayah.api.serializers import RegionBriefSerializer

__all__ = [
    "AttendeeInputSerializer",
    "AttendeeSerializer",
    "BookingCancelInputSerializer",
    "BookingInputSerializer",
    "BookingSerializer",
    "CoverageSerializer",
    "DealMoveInputSerializer",
    "DealSerializer",
    "EventInputSerializer",
    "EventSerializer",
    "InviteInputSerializer",
    "MeetingInputSerializer",
    "PartnerInputSerializer",
    "PartnerSerializer",
    "PipelineSerializer",
    "SpaceSerializer",
]

MAX_RUPIAH = 10**15


class TextField(serializers.CharField):
    """Text as text: a number or a boolean sent for a name is refused (DRF would turn 0 into "0")."""

    default_error_messages = {"invalid": "Not a valid string."}

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


@extend_schema_field({"type": "string", "pattern": "^[0-2][0-9]:[0-5][0-9]$", "example": "08:00"})
class ClockTimeField(serializers.TimeField):
    """A time of day as opening hours are written, "08:00" (no time zone: the space's local time)."""

    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", **kwargs)


class EventSerializer(serializers.ModelSerializer):
    region = RegionBriefSerializer(read_only=True)
    venue_village = RegionBriefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Event
        fields = ["id", "title", "kind", "region", "organiser_federation", "organiser_name", "place", "venue_village",
                  "space", "starts_at", "ends_at", "respond_by", "description", "training_title",
                  "invitations_sent_at", "cancelled_at", "created_at"]


class EventInputSerializer(serializers.Serializer):
    title = TextField(max_length=200)
    kind = serializers.ChoiceField(choices=EventKind.choices)
    region = RegionCodeField(required=False, allow_null=True, default=None,
                             help_text="The organising office's area (kabupaten/kota, province or kecamatan).")
    federation = ScopedPrimaryKeyRelatedField(Federation, Action.MANAGE_EVENTS, required=False, allow_null=True,
                                              default=None)
    organiser_name = TextField(max_length=200, required=False, allow_blank=True, default="")
    place = TextField(max_length=200)
    venue_village = VillageCodeField(required=False, allow_null=True, default=None)
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    respond_by = serializers.DateField(required=False, allow_null=True, default=None)
    description = TextField(required=False, allow_blank=True, default="", max_length=5000)
    training_title = TextField(required=False, allow_blank=True, default="", max_length=200)


class InviteInputSerializer(serializers.Serializer):
    regions = serializers.ListField(child=RegionCodeField(), min_length=1, max_length=500,
                                    help_text="Desa/kelurahan codes; a kecamatan code invites all of its villages.")


class AttendeeSerializer(serializers.ModelSerializer):
    nik = serializers.CharField(source="masked_nik", read_only=True, help_text="Masked.")
    phone = serializers.SerializerMethodField(
        help_text="To the event's organisers, and to who may see personal data of the attendee's desa/kelurahan; "
                  "empty to others.")
    village = RegionBriefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Attendee
        fields = ["id", "name", "nik", "phone", "role", "village", "organisation", "member", "partner", "source",
                  "recorded_at"]

    def get_phone(self, attendee) -> str:
        shown = self.context.get("phone_shown")
        return str(attendee.phone) if attendee.phone and shown and shown(attendee) else ""


class AttendeeInputSerializer(serializers.Serializer):
    name = TextField(max_length=150, required=False, allow_blank=True, default="")
    role = serializers.ChoiceField(choices=AttendeeRole.choices)
    village = VillageCodeField(required=False, allow_null=True, default=None)
    nik = TextField(max_length=20, required=False, allow_blank=True, default="")
    phone = TextField(max_length=20, required=False, allow_blank=True, default="")
    organisation = TextField(max_length=200, required=False, allow_blank=True, default="")
    member = ScopedPrimaryKeyRelatedField(Member, required=False, allow_null=True, default=None)
    partner = ScopedPrimaryKeyRelatedField(Partner, required=False, allow_null=True, default=None)


class CoverageSerializer(serializers.Serializer):
    invited = serializers.IntegerField()
    reached = serializers.IntegerField()
    heads = serializers.IntegerField(help_text="Invited villages whose kepala desa or Pj kepala desa came.")
    attendees = serializers.IntegerField()
    by_role = serializers.DictField(child=serializers.IntegerField())
    attendees_by_role = serializers.DictField(child=serializers.IntegerField())
    missing = serializers.ListField(child=TextField())
    coming = serializers.IntegerField(help_text="Invited villages that replied they come.")
    not_coming = serializers.IntegerField()
    unanswered = serializers.IntegerField()
    people_expected = serializers.IntegerField(help_text="The people the villages that come said they bring.")


class InvitationReplyInputSerializer(serializers.Serializer):
    village = VillageCodeField(help_text="The invited desa/kelurahan replying.")
    reply = serializers.ChoiceField(choices=InvitationReply.choices)
    people = WholeNumberField(required=False, allow_null=True, default=None, min_value=1,
                                      max_value=MAX_EXPECTED_PEOPLE)


class PartnerSerializer(serializers.ModelSerializer):
    region = RegionBriefSerializer(read_only=True, allow_null=True, help_text="Null: the national directory.")
    areas_served = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)

    class Meta:
        model = Partner
        fields = ["id", "name", "kind", "region", "areas_served", "offer", "website", "created_at"]


class PartnerInputSerializer(serializers.Serializer):
    name = TextField(max_length=200)
    kind = serializers.ChoiceField(choices=PartnerKind.choices)
    region = RegionCodeField(required=False, allow_null=True, default=None,
                             help_text="The area that keeps this entry; empty for the national directory.")
    areas_served = serializers.ListField(child=RegionCodeField(), required=False, default=list, max_length=500)
    offer = TextField(required=False, allow_blank=True, default="", max_length=5000)
    website = serializers.URLField(required=False, allow_blank=True, default="")


class DealSerializer(serializers.ModelSerializer):
    cooperative_name = serializers.CharField(source="cooperative.name", read_only=True)
    partner_name = serializers.CharField(source="partner.name", read_only=True)

    class Meta:
        model = Deal
        fields = ["id", "cooperative", "cooperative_name", "partner", "partner_name", "event", "kind", "stage",
                  "title", "value", "next_step", "next_step_on", "created_at", "updated_at"]


class MeetingInputSerializer(serializers.Serializer):
    cooperative = ScopedPrimaryKeyRelatedField(Cooperative, Action.MANAGE_PARTNERS)
    partner = ScopedPrimaryKeyRelatedField(Partner)
    event = ScopedPrimaryKeyRelatedField(Event, required=False, allow_null=True, default=None)
    kind = serializers.ChoiceField(choices=DealKind.choices)
    title = TextField(max_length=200, required=False, allow_blank=True, default="")
    value = WholeNumberField(min_value=0, max_value=MAX_RUPIAH, required=False, default=0)
    next_step = TextField(max_length=300, required=False, allow_blank=True, default="")
    next_step_on = serializers.DateField(required=False, allow_null=True, default=None)
    notes = TextField(required=False, allow_blank=True, default="", max_length=5000)
    met_on = serializers.DateField(required=False, allow_null=True, default=None)


class DealMoveInputSerializer(serializers.Serializer):
    """Only the fields sent are changed."""

    stage = serializers.ChoiceField(choices=DealStage.choices, required=False)
    value = WholeNumberField(min_value=0, max_value=MAX_RUPIAH, required=False)
    next_step = TextField(max_length=300, required=False, allow_blank=True)
    next_step_on = serializers.DateField(required=False)


class _Bucket(serializers.Serializer):
    code = TextField()
    label = TextField()
    count = serializers.IntegerField()
    value = serializers.IntegerField()


class PipelineSerializer(serializers.Serializer):
    by_stage = _Bucket(many=True)
    by_kind = _Bucket(many=True)
    open_count = serializers.IntegerField()
    open_value = serializers.IntegerField()
    total_count = serializers.IntegerField()


class ResourceSerializer(serializers.ModelSerializer):
    opens_at = ClockTimeField(read_only=True)
    closes_at = ClockTimeField(read_only=True)

    class Meta:
        model = Resource
        fields = ["id", "name", "kind", "capacity", "opens_at", "closes_at", "open_days"]


class SpaceSerializer(serializers.ModelSerializer):
    region = RegionBriefSerializer(read_only=True)
    resources = ResourceSerializer(many=True, read_only=True)

    class Meta:
        model = Space
        fields = ["id", "name", "owner_kind", "region", "owner_federation", "owner_cooperative", "address",
                  "description", "resources"]


class BookingSerializer(serializers.ModelSerializer):
    class Meta:
        model = Booking
        fields = ["id", "resource", "booker_name", "booker_kind", "group", "purpose", "people", "starts_at",
                  "ends_at", "series", "event", "status", "cancel_reason", "created_at"]


class BookingInputSerializer(serializers.Serializer):
    resource = ScopedPrimaryKeyRelatedField(Resource, Action.MANAGE_SPACES)
    booker_name = TextField(max_length=150)
    booker_kind = serializers.ChoiceField(choices=BookerKind.choices)
    booker_contact = TextField(max_length=150, required=False, allow_blank=True, default="")
    group = TextField(max_length=150, required=False, allow_blank=True, default="")
    purpose = TextField(max_length=200, required=False, allow_blank=True, default="")
    people = WholeNumberField(min_value=1, max_value=1000, required=False, default=1)
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()


class BookingCancelInputSerializer(serializers.Serializer):
    reason = TextField(max_length=200, required=False, allow_blank=True, default="")
