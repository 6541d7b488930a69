"""Input and output serializers of the BUMDes, federation, site and agreement endpoints."""

from rest_framework import serializers

from bumdes.models import AgreementKind
from bumdes.models import AgreementStatus
from bumdes.models import Bumdes
from bumdes.models import BumdesClass
from bumdes.models import BumdesClassification
from bumdes.models import BumdesKind
from bumdes.models import BumdesOfficer
from bumdes.models import BumdesOrgan
from bumdes.models import BumdesVillage
from bumdes.models import BusinessLine
from bumdes.models import BusinessSector
from bumdes.models import BusinessSite
from bumdes.models import CooperationAgreement
from bumdes.models import Federation
from bumdes.models import FederationCooperative
from bumdes.models import FederationKind
from bumdes.models import FederationVillage
from bumdes.models import SiteFigure
from bumdes.models import SiteKind
from bumdes.models import SiteStatus
from bumdes.services import MAX_PATIENTS
from bumdes.services import MAX_RUPIAH
from core.api.fields import VillageCodeField
from core.api.fields import WholeNumberField
from wilayah.api.serializers import RegionBriefSerializer

__all__ = [
    "AgreementCreateInputSerializer",
    "AgreementSerializer",
    "AgreementStatusInputSerializer",
    "BumdesCreateInputSerializer",
    "BumdesDetailSerializer",
    "BumdesSerializer",
    "BumdesUpdateInputSerializer",
    "BusinessLineInputSerializer",
    "BusinessLineSerializer",
    "CapitalInputSerializer",
    "ClassificationInputSerializer",
    "ClassificationSerializer",
    "FederationCreateInputSerializer",
    "FederationSerializer",
    "FederationUpdateInputSerializer",
    "MemberCooperativeInputSerializer",
    "MemberCooperativeSerializer",
    "MemberVillageInputSerializer",
    "MemberVillageSerializer",
    "MembershipUpdateInputSerializer",
    "OfficerInputSerializer",
    "OfficerSerializer",
    "SiteCreateInputSerializer",
    "SiteFigureInputSerializer",
    "SiteFigureSerializer",
    "SiteSerializer",
    "SiteUpdateInputSerializer",
]


def _rupiah(**kwargs):
    kwargs.setdefault("help_text", "Whole rupiah.")
    return WholeNumberField(min_value=0, max_value=MAX_RUPIAH, **kwargs)


# SECTION: output


class CapitalSerializer(serializers.ModelSerializer):
    village = RegionBriefSerializer(read_only=True)

    class Meta:
        model = BumdesVillage
        fields = ["village", "capital"]


class OfficerSerializer(serializers.ModelSerializer):
    class Meta:
        model = BumdesOfficer
        fields = ["id", "organ", "name", "since", "until"]


class ClassificationSerializer(serializers.ModelSerializer):
    class Meta:
        model = BumdesClassification
        fields = ["year", "classification", "score"]


class BusinessLineSerializer(serializers.ModelSerializer):
    class Meta:
        model = BusinessLine
        fields = ["id", "name", "sector", "started_on", "stopped_on"]


class BumdesSerializer(serializers.ModelSerializer):
    village = RegionBriefSerializer(read_only=True)
    is_legal_entity = serializers.BooleanField(read_only=True)

    class Meta:
        model = Bumdes
        fields = ["id", "name", "kind", "village", "registration_number", "registration_date", "is_legal_entity"]


class BumdesDetailSerializer(BumdesSerializer):
    villages = CapitalSerializer(many=True, read_only=True)
    officers = OfficerSerializer(many=True, read_only=True)
    classifications = ClassificationSerializer(many=True, read_only=True)
    business_lines = BusinessLineSerializer(many=True, read_only=True)

    class Meta(BumdesSerializer.Meta):
        fields = [*BumdesSerializer.Meta.fields, "address", "founded_on", "name_registration_number",
                  "regulation_number", "regulation_date", "villages", "officers", "classifications", "business_lines",
                  "created_at"]


class FederationSerializer(serializers.ModelSerializer):
    seat = RegionBriefSerializer(read_only=True)
    is_legal_entity = serializers.BooleanField(read_only=True)

    class Meta:
        model = Federation
        fields = ["id", "name", "kind", "seat", "bumdes", "parent", "legal_number", "legal_date", "is_legal_entity",
                  "address", "description", "created_at"]


class MemberVillageSerializer(serializers.ModelSerializer):
    village = RegionBriefSerializer(read_only=True)

    class Meta:
        model = FederationVillage
        fields = ["id", "federation", "village", "joined_on", "left_on", "capital", "note"]


class MemberCooperativeSerializer(serializers.ModelSerializer):
    cooperative_name = serializers.CharField(source="cooperative.name", read_only=True)

    class Meta:
        model = FederationCooperative
        fields = ["id", "federation", "cooperative", "cooperative_name", "joined_on", "left_on", "capital", "note"]


class SiteSerializer(serializers.ModelSerializer):
    village = RegionBriefSerializer(read_only=True)

    class Meta:
        model = BusinessSite
        fields = ["id", "federation", "kind", "name", "village", "latitude", "longitude", "status", "opened_on",
                  "closed_on", "licence_number", "licence_date", "note", "status_changed_at"]


class SiteFigureSerializer(serializers.ModelSerializer):
    class Meta:
        model = SiteFigure
        fields = ["month", "revenue", "costs", "patients"]


class AgreementSerializer(serializers.ModelSerializer):
    cooperative_name = serializers.CharField(source="cooperative.name", read_only=True)
    partner_name = serializers.CharField(source="partner.name", read_only=True)
    has_terms_document = serializers.SerializerMethodField()

    class Meta:
        model = CooperationAgreement
        fields = ["id", "cooperative", "cooperative_name", "bumdes", "federation", "partner_name", "kind", "title",
                  "starts_on", "ends_on", "value", "status", "activated_at", "has_terms_document", "note",
                  "created_at"]

    def get_has_terms_document(self, agreement) -> bool:
        return bool(agreement.terms_document)


# SECTION: input


class BumdesCreateInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=BumdesKind.choices)
    name = serializers.CharField(max_length=200)
    village = VillageCodeField(help_text="The seat: a desa in the caller's area.")
    capital = _rupiah(required=False, default=0, help_text="For a BUM Desa: its desa's capital, whole rupiah.")
    founding_villages = serializers.ListField(
        child=serializers.DictField(), required=False, default=list, max_length=10000,
        help_text='For a BUM Desa Bersama: [{"village": "33.18.01.2001", "capital": 75000000}, …], at least two.')
    address = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)
    founded_on = serializers.DateField(required=False, allow_null=True, default=None)
    name_registration_number = serializers.CharField(required=False, allow_blank=True, default="", max_length=100)
    regulation_number = serializers.CharField(required=False, allow_blank=True, default="", max_length=100)
    regulation_date = serializers.DateField(required=False, allow_null=True, default=None)
    registration_number = serializers.CharField(required=False, allow_blank=True, default="", max_length=100)
    registration_date = serializers.DateField(required=False, allow_null=True, default=None)

    def validate_founding_villages(self, value):
        pairs, errors = [], []
        for index, item in enumerate(value):
            entry = CapitalInputSerializer(data=item)
            if entry.is_valid():
                pairs.append((entry.validated_data["village"], entry.validated_data["capital"]))
            else:
                errors.append({str(index): entry.errors})
        if errors:
            raise serializers.ValidationError(errors)
        return pairs


class BumdesUpdateInputSerializer(serializers.Serializer):
    """Only the fields sent are changed."""

    name = serializers.CharField(max_length=200, required=False)
    address = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    founded_on = serializers.DateField(required=False, allow_null=True)
    name_registration_number = serializers.CharField(required=False, allow_blank=True, max_length=100)
    regulation_number = serializers.CharField(required=False, allow_blank=True, max_length=100)
    regulation_date = serializers.DateField(required=False, allow_null=True)
    registration_number = serializers.CharField(required=False, allow_blank=True, max_length=100)
    registration_date = serializers.DateField(required=False, allow_null=True)


class CapitalInputSerializer(serializers.Serializer):
    village = VillageCodeField()
    capital = _rupiah()


class OfficerInputSerializer(serializers.Serializer):
    organ = serializers.ChoiceField(choices=BumdesOrgan.choices)
    name = serializers.CharField(max_length=150)
    since = serializers.DateField(required=False, allow_null=True, default=None)
    until = serializers.DateField(required=False, allow_null=True, default=None)


class ClassificationInputSerializer(serializers.Serializer):
    year = WholeNumberField(min_value=2000, max_value=2100)
    classification = serializers.ChoiceField(choices=BumdesClass.choices)
    score = WholeNumberField(min_value=0, max_value=100, required=False, allow_null=True, default=None)


class BusinessLineInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=150)
    sector = serializers.ChoiceField(choices=BusinessSector.choices)
    started_on = serializers.DateField(required=False, allow_null=True, default=None)


class FederationCreateInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=FederationKind.choices)
    name = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    seat = VillageCodeField(required=False, allow_blank=True, default="",
                            help_text="For a company or secondary cooperative: its desa/kelurahan.")
    bumdes = WholeNumberField(required=False, allow_null=True, default=None,
                                      help_text="For a BUM Desa Bersama: the id of its registry entry.")
    parent = WholeNumberField(required=False, allow_null=True, default=None,
                                      help_text="For a company: the id of the BUM Desa Bersama federation owning it.")
    legal_number = serializers.CharField(required=False, allow_blank=True, default="", max_length=100)
    legal_date = serializers.DateField(required=False, allow_null=True, default=None)
    address = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)
    description = serializers.CharField(required=False, allow_blank=True, default="", max_length=5000)


class FederationUpdateInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200, required=False)
    legal_number = serializers.CharField(required=False, allow_blank=True, max_length=100)
    legal_date = serializers.DateField(required=False, allow_null=True)
    address = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    description = serializers.CharField(required=False, allow_blank=True, max_length=5000)


class MemberVillageInputSerializer(serializers.Serializer):
    village = VillageCodeField()
    joined_on = serializers.DateField()
    left_on = serializers.DateField(required=False, allow_null=True, default=None)
    capital = _rupiah(required=False, default=0)
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=300)


class MemberCooperativeInputSerializer(serializers.Serializer):
    cooperative = WholeNumberField(min_value=1)
    joined_on = serializers.DateField()
    left_on = serializers.DateField(required=False, allow_null=True, default=None)
    capital = _rupiah(required=False, default=0)
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=300)


class MembershipUpdateInputSerializer(serializers.Serializer):
    """Only the fields sent are changed; ``left_on`` ends the membership (the first day it is no longer a member)."""

    joined_on = serializers.DateField(required=False)
    left_on = serializers.DateField(required=False, allow_null=True)
    capital = _rupiah(required=False)
    note = serializers.CharField(required=False, allow_blank=True, max_length=300)


class SiteCreateInputSerializer(serializers.Serializer):
    federation = WholeNumberField(min_value=1)
    kind = serializers.ChoiceField(choices=SiteKind.choices)
    name = serializers.CharField(max_length=150)
    village = VillageCodeField()
    status = serializers.ChoiceField(choices=SiteStatus.choices, required=False, default=SiteStatus.PLANNED)
    latitude = serializers.DecimalField(max_digits=9, decimal_places=6, required=False, allow_null=True, default=None)
    longitude = serializers.DecimalField(max_digits=9, decimal_places=6, required=False, allow_null=True,
                                         default=None)
    opened_on = serializers.DateField(required=False, allow_null=True, default=None)
    licence_number = serializers.CharField(required=False, allow_blank=True, default="", max_length=100)
    licence_date = serializers.DateField(required=False, allow_null=True, default=None)
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=5000)


class SiteUpdateInputSerializer(serializers.Serializer):
    """Only the fields sent are changed; the status moves planned → preparing → operating → closed."""

    kind = serializers.ChoiceField(choices=SiteKind.choices, required=False)
    name = serializers.CharField(max_length=150, required=False)
    village = VillageCodeField(required=False)
    status = serializers.ChoiceField(choices=SiteStatus.choices, required=False)
    latitude = serializers.DecimalField(max_digits=9, decimal_places=6, required=False, allow_null=True)
    longitude = serializers.DecimalField(max_digits=9, decimal_places=6, required=False, allow_null=True)
    opened_on = serializers.DateField(required=False, allow_null=True)
    closed_on = serializers.DateField(required=False, allow_null=True)
    licence_number = serializers.CharField(required=False, allow_blank=True, max_length=100)
    licence_date = serializers.DateField(required=False, allow_null=True)
    note = serializers.CharField(required=False, allow_blank=True, max_length=5000)


class SiteFigureInputSerializer(serializers.Serializer):
    month = serializers.RegexField(r"^[0-9]{4}-(0[1-9]|1[0-2])\Z", help_text="YYYY-MM",
                                   error_messages={"invalid": "Enter the month as YYYY-MM."})
    revenue = _rupiah()
    costs = _rupiah(required=False, default=0)
    patients = WholeNumberField(min_value=0, max_value=MAX_PATIENTS, required=False, allow_null=True,
                                        default=None, help_text="Clinics only.")


class AgreementCreateInputSerializer(serializers.Serializer):
    cooperative = WholeNumberField(min_value=1)
    bumdes = WholeNumberField(required=False, allow_null=True, default=None)
    federation = WholeNumberField(required=False, allow_null=True, default=None)
    kind = serializers.ChoiceField(choices=AgreementKind.choices)
    title = serializers.CharField(max_length=200)
    starts_on = serializers.DateField()
    ends_on = serializers.DateField(required=False, allow_null=True, default=None)
    value = _rupiah(required=False, allow_null=True, default=None)
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=5000)
    activate = serializers.BooleanField(required=False, default=False)


class AgreementStatusInputSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=[AgreementStatus.ENDED, AgreementStatus.CANCELLED])
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=100)
