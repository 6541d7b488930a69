"""Input and output serializers of the member register and board positions."""

from datetime import date

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.api.fields import ScopedPrimaryKeyRelatedField
from core.api.fields import VillageCodeField
from core.roles import Action
from core.scoping import scope_for
from koperasi.models import Cooperative
from members.models import ApplicationStatus
from members.models import Member
from members.models import MemberApplication
from members.models import MemberStatus
from members.models import Position
from members.models import PositionRole
from members.models import Sex
from members.models import VillageOffice
from wilayah.api.serializers import RegionBriefSerializer

__all__ = [
    "ApplicationRejectInputSerializer",
    "MemberApplicationSerializer",
    "MemberCreateInputSerializer",
    "MemberResultSerializer",
    "MemberSerializer",
    "MemberStatusInputSerializer",
    "MemberUpdateInputSerializer",
    "PositionCreateInputSerializer",
    "PositionEndInputSerializer",
    "PositionSerializer",
]


class MemberSerializer(serializers.ModelSerializer):
    """A person in the member register. Needs ``request`` in the context to decide how much of the NIK to show."""

    nik = serializers.SerializerMethodField(
        help_text="The full NIK for users who may see personal data in the cooperative's village; masked otherwise."
    )
    nik_masked = serializers.CharField(source="masked_nik", read_only=True)
    sex_label = serializers.CharField(source="get_sex_display", read_only=True)
    domicile = RegionBriefSerializer(read_only=True)
    birth_date = serializers.SerializerMethodField(
        help_text="Only for users who may see personal data: with the masked NIK, sex and domicile it would "
                  "rebuild the full NIK. Others get birth_year."
    )
    birth_year = serializers.SerializerMethodField()
    phone = serializers.SerializerMethodField(help_text="Only for users who may see personal data (E.164).")
    address = serializers.SerializerMethodField(help_text="Only for users who may see personal data.")
    rt = serializers.SerializerMethodField(help_text="Only for users who may see personal data.")
    rw = serializers.SerializerMethodField(help_text="Only for users who may see personal data.")
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    village_office_label = serializers.CharField(source="get_village_office_display", read_only=True)
    nik_warnings = serializers.ListField(child=serializers.CharField(), read_only=True)

    class Meta:
        model = Member
        fields = ["id", "cooperative", "nik", "nik_masked", "name", "sex", "sex_label", "birth_date", "birth_year",
                  "domicile",
                  "phone", "address", "rt", "rw", "occupation", "member_number", "status", "status_label",
                  "status_on", "status_reason", "village_office", "village_office_label", "is_founder", "joined_on",
                  "nik_warnings", "created_at"]

    def _personal(self, member) -> bool:
        request = self.context.get("request")
        return scope_for(request.user if request else None, Action.VIEW_PERSONAL_DATA).contains(
            member.cooperative.village_id)

    def get_nik(self, member) -> str:
        return member.nik if self._personal(member) else member.masked_nik

    def get_birth_date(self, member) -> date | None:
        return member.birth_date if self._personal(member) else None

    def get_birth_year(self, member) -> int | None:
        return member.birth_date.year if member.birth_date else None

    def get_phone(self, member) -> str:
        return str(member.phone or "") if self._personal(member) else ""

    def get_address(self, member) -> str:
        return member.address if self._personal(member) else ""

    def get_rt(self, member) -> str:
        return member.rt if self._personal(member) else ""

    def get_rw(self, member) -> str:
        return member.rw if self._personal(member) else ""


class MemberResultSerializer(MemberSerializer):
    """The member after a change, with the NIK warnings of this change (recorded, not blocking)."""

    warnings = serializers.SerializerMethodField()

    class Meta(MemberSerializer.Meta):
        fields = [*MemberSerializer.Meta.fields, "warnings"]

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_warnings(self, member):
        return [str(warning) for warning in self.context.get("warnings", [])]


class _MemberFields(serializers.Serializer):
    nik = serializers.CharField(max_length=32, help_text="16 digits, as on the KTP.")
    name = serializers.CharField(max_length=150)
    sex = serializers.ChoiceField(choices=Sex.choices)
    domicile = VillageCodeField(help_text="The member's desa/kelurahan (KTP domicile), one of the cooperative's.")
    birth_date = serializers.DateField(required=False, allow_null=True)
    phone = serializers.CharField(max_length=30, required=False, allow_blank=True)
    village_office = serializers.ChoiceField(choices=VillageOffice.choices, required=False, allow_blank=True)
    is_founder = serializers.BooleanField(required=False)
    joined_on = serializers.DateField(required=False, allow_null=True)
    address = serializers.CharField(max_length=200, required=False, allow_blank=True)
    rt = serializers.CharField(max_length=3, required=False, allow_blank=True, help_text="1–3 digits, e.g. 005.")
    rw = serializers.CharField(max_length=3, required=False, allow_blank=True, help_text="1–3 digits, e.g. 001.")
    occupation = serializers.CharField(max_length=100, required=False, allow_blank=True)


class MemberCreateInputSerializer(_MemberFields):
    cooperative = ScopedPrimaryKeyRelatedField(Cooperative)


class MemberUpdateInputSerializer(_MemberFields):
    """Only the fields sent are changed."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.required = False


class PositionSerializer(serializers.ModelSerializer):
    member_name = serializers.CharField(source="member.name", read_only=True)
    role_label = serializers.CharField(source="get_role_display", read_only=True)
    is_active = serializers.BooleanField(read_only=True)

    class Meta:
        model = Position
        fields = ["id", "cooperative", "member", "member_name", "role", "role_label", "started_on", "ended_on",
                  "is_active"]


class PositionCreateInputSerializer(serializers.Serializer):
    cooperative = ScopedPrimaryKeyRelatedField(Cooperative)
    member = ScopedPrimaryKeyRelatedField(Member)
    role = serializers.ChoiceField(choices=PositionRole.choices)
    started_on = serializers.DateField(required=False, allow_null=True)


class PositionEndInputSerializer(serializers.Serializer):
    ended_on = serializers.DateField(required=False, allow_null=True, help_text="Today when omitted.")


class MemberStatusInputSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=MemberStatus.choices)
    status_on = serializers.DateField(required=False, allow_null=True,
                                      help_text="Required for keluar and meninggal: between joining and today.")
    reason = serializers.CharField(max_length=250, required=False, allow_blank=True,
                                   help_text="Required for keluar and meninggal (at least 5 characters).")


class MemberApplicationSerializer(serializers.ModelSerializer):
    """A self-registration. The NIK is always masked here; the pengurus sees it in full once admitted."""

    nik_masked = serializers.CharField(source="masked_nik", read_only=True)
    domicile = RegionBriefSerializer(read_only=True)
    status = serializers.ChoiceField(choices=ApplicationStatus.choices, read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    phone = serializers.CharField(read_only=True)

    class Meta:
        model = MemberApplication
        fields = ["id", "cooperative", "nik_masked", "name", "sex", "domicile", "address", "rt", "rw", "occupation",
                  "phone", "nik_warnings", "status", "status_label", "rejection_reason", "member", "decided_at",
                  "submitted_at"]


class ApplicationRejectInputSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=250, help_text="Why the application is refused (at least 5 characters).")
