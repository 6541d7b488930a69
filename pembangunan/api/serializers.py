"""Input and output serializers of the land and construction endpoints."""

from decimal import Decimal

from rest_framework import serializers

from core.api.fields import RegionCodeField
from core.api.fields import ScopedPrimaryKeyRelatedField
from core.api.fields import VillageCodeField
from core.api.fields import WholeNumberField
from core.roles import Action
from koperasi.models import Cooperative
from pembangunan.models import ConstructionProject
from pembangunan.models import Executor
from pembangunan.models import LandDocumentKind
from pembangunan.models import LandPlot
from pembangunan.models import LandPlotDocument
from pembangunan.models import LegalStatus
from pembangunan.models import OwnerKind
from pembangunan.models import ProgressReport
from pembangunan.models import SitePhoto
from pembangunan.models import UnitMonthlyReport
from units.models import Unit
from wilayah.api.serializers import RegionBriefSerializer

__all__ = [
    "DocumentInputSerializer", "LandDocumentSerializer", "LandPlotCreateInputSerializer", "LandPlotSerializer",
    "LandPlotUpdateInputSerializer", "MapQuerySerializer", "PhotoInputSerializer", "ProgressReportInputSerializer",
    "ProgressReportSerializer", "ProjectCreateInputSerializer", "ProjectSerializer", "ProjectUpdateInputSerializer",
    "RejectInputSerializer", "SitePhotoSerializer", "SurveyInputSerializer", "UnitReportInputSerializer",
    "UnitReportSerializer",
]

_LATITUDE = {"max_digits": 9, "decimal_places": 6, "min_value": Decimal("-11.5"), "max_value": Decimal("6.5")}
_LONGITUDE = {"max_digits": 9, "decimal_places": 6, "min_value": Decimal("94.5"), "max_value": Decimal("141.5")}
_MONEY = {"min_value": 1, "max_value": 1_000_000_000_000}


class SitePhotoSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()

    class Meta:
        model = SitePhoto
        fields = ["id", "report", "caption", "width", "height", "size", "latitude", "longitude", "taken_at",
                  "uploaded_at", "url"]

    def get_url(self, photo) -> str:
        return f"/pembangunan/foto/{photo.pk}/"


class LandDocumentSerializer(serializers.ModelSerializer):
    class Meta:
        model = LandPlotDocument
        fields = ["id", "kind", "original_name", "content_type", "size", "uploaded_at"]


class LandPlotSerializer(serializers.ModelSerializer):
    village = RegionBriefSerializer(read_only=True)
    cooperative_name = serializers.CharField(source="cooperative.name", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    unit_types = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)

    class Meta:
        model = LandPlot
        fields = ["id", "cooperative", "cooperative_name", "village", "name", "address", "latitude", "longitude",
                  "area_m2", "owner_kind", "owner_name", "legal_status", "legal_reference", "unit_types", "status",
                  "status_label", "surveyed_on", "rejection_reason", "verified_at", "construction_at",
                  "handed_over_at", "created_at"]


class _PlotFields(serializers.Serializer):
    village = VillageCodeField(required=False, help_text="Where the plot lies; by default the cooperative's seat.")
    name = serializers.CharField(max_length=150)
    address = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    latitude = serializers.DecimalField(required=False, allow_null=True, default=None, **_LATITUDE)
    longitude = serializers.DecimalField(required=False, allow_null=True, default=None, **_LONGITUDE)
    area_m2 = WholeNumberField(min_value=1, max_value=1_000_000)
    owner_kind = serializers.ChoiceField(choices=OwnerKind.choices)
    owner_name = serializers.CharField(max_length=150, required=False, allow_blank=True, default="")
    legal_status = serializers.ChoiceField(choices=LegalStatus.choices)
    legal_reference = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    unit_types = serializers.ListField(child=serializers.SlugField(max_length=40), required=False, default=list,
                                       max_length=20, help_text="Codes of the unit types the plot will host.")


class LandPlotCreateInputSerializer(_PlotFields):
    cooperative = ScopedPrimaryKeyRelatedField(Cooperative, Action.RECORD_LAND)


class LandPlotUpdateInputSerializer(_PlotFields):
    """Only the fields sent are changed."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.required = False
            field.default = serializers.empty


class SurveyInputSerializer(serializers.Serializer):
    surveyed_on = serializers.DateField()


class RejectInputSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)


class PhotoInputSerializer(serializers.Serializer):
    photo = serializers.FileField(help_text="JPG or PNG; recompressed by the portal.")
    caption = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    keep_location = serializers.BooleanField(required=False, default=False,
                                             help_text="Keep the photo's GPS position (all other EXIF is removed).")
    latitude = serializers.DecimalField(required=False, allow_null=True, default=None, **_LATITUDE)
    longitude = serializers.DecimalField(required=False, allow_null=True, default=None, **_LONGITUDE)


class DocumentInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=LandDocumentKind.choices)
    file = serializers.FileField(help_text="PDF, JPG or PNG, at most DOCUMENT_MAX_BYTES.")


class MapQuerySerializer(serializers.Serializer):
    region = RegionCodeField(help_text="A kabupaten/kota or an area below it.")

    def validate_region(self, value):
        if len(value) < 5:
            raise serializers.ValidationError("Choose a kabupaten/kota or an area below it.")
        return value


class ProgressReportSerializer(serializers.ModelSerializer):
    photos = SitePhotoSerializer(many=True, read_only=True)

    class Meta:
        model = ProgressReport
        fields = ["id", "project", "reported_on", "percent", "notes", "is_draft", "created_at", "photos"]


class ProjectSerializer(serializers.ModelSerializer):
    plot_name = serializers.CharField(source="plot.name", read_only=True)
    cost_per_m2 = serializers.IntegerField(read_only=True)

    class Meta:
        model = ConstructionProject
        fields = ["id", "plot", "plot_name", "title", "building_area_m2", "executor", "executor_name",
                  "contractor_name", "contract_number", "contract_value", "contract_date", "planned_start",
                  "planned_finish", "bank_name", "loan_amount", "loan_tenor_months", "progress_percent",
                  "progress_on", "handed_over_on", "cost_per_m2", "created_at"]


class _ProjectFields(serializers.Serializer):
    title = serializers.CharField(max_length=150)
    building_area_m2 = WholeNumberField(min_value=1, max_value=1_000_000)
    executor = serializers.ChoiceField(choices=Executor.choices, required=False, default=Executor.AGRINAS)
    executor_name = serializers.CharField(max_length=150, required=False, allow_blank=True, default="")
    contractor_name = serializers.CharField(max_length=150, required=False, allow_blank=True, default="")
    contract_number = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    contract_value = WholeNumberField(**_MONEY, help_text="Whole rupiah.")
    contract_date = serializers.DateField()
    planned_start = serializers.DateField()
    planned_finish = serializers.DateField()
    bank_name = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    loan_amount = WholeNumberField(required=False, allow_null=True, default=None, **_MONEY)
    loan_tenor_months = WholeNumberField(required=False, allow_null=True, default=None, min_value=1,
                                                 max_value=360)


class ProjectCreateInputSerializer(_ProjectFields):
    plot = ScopedPrimaryKeyRelatedField(LandPlot, Action.VERIFY_LAND)


class ProjectUpdateInputSerializer(_ProjectFields):
    """Only the fields sent are changed."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.required = False
            field.default = serializers.empty


class ProgressReportInputSerializer(serializers.Serializer):
    reported_on = serializers.DateField()
    percent = WholeNumberField(min_value=0, max_value=100)
    notes = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")
    photo = serializers.FileField(required=False,
                                  help_text="Without a photo the report is a draft until one is added.")
    keep_location = serializers.BooleanField(required=False, default=False)
    latitude = serializers.DecimalField(required=False, allow_null=True, default=None, **_LATITUDE)
    longitude = serializers.DecimalField(required=False, allow_null=True, default=None, **_LONGITUDE)


class HandoverInputSerializer(serializers.Serializer):
    handed_over_on = serializers.DateField()
    file = serializers.FileField(help_text="The signed handover record: PDF, JPG or PNG.")


class UnitReportSerializer(serializers.ModelSerializer):
    class Meta:
        model = UnitMonthlyReport
        fields = ["id", "unit", "month", "revenue", "costs", "figures", "notes", "filed_at"]


class UnitReportInputSerializer(serializers.Serializer):
    unit = ScopedPrimaryKeyRelatedField(Unit, Action.RECORD_LAND)
    month = serializers.DateField(help_text="Any day of the month reported.")
    revenue = WholeNumberField(min_value=0, max_value=10**13, help_text="Whole rupiah.")
    costs = WholeNumberField(min_value=0, max_value=10**13, help_text="Whole rupiah.")
    figures = serializers.DictField(child=serializers.FloatField(min_value=0, max_value=10**13), required=False,
                                    default=dict,
                                    help_text="The unit type's own figures, e.g. {\"transactions\": 812}.")
    notes = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")
