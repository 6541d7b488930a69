"""Input and output serializers of the target endpoints."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.api.fields import RegionCodeField
from core.api.fields import WholeNumberField
from koperasi.api.serializers import FormationStageBriefSerializer
from targets.models import LandStep
from targets.models import Target
from targets.models import TargetMetric
from targets.selectors import target_rows
from units.api.serializers import UnitTypeBriefSerializer
from units.models import READINESS_ORDER
from wilayah.api.serializers import RegionBriefSerializer

__all__ = [
    "TargetCreateInputSerializer",
    "TargetFiguresSerializer",
    "TargetSerializer",
    "TargetUpdateInputSerializer",
]


class TargetFiguresSerializer(serializers.Serializer):
    target = serializers.IntegerField()
    achieved = serializers.IntegerField()
    gap = serializers.IntegerField()
    percent = serializers.FloatField()
    days_left = serializers.IntegerField(help_text="Negative once the due date has passed.")
    required_daily_rate = serializers.FloatField(allow_null=True, help_text="Empty when nothing is left to do.")
    recent_daily_rate = serializers.FloatField(help_text="Per day over the last TARGET_RATE_WINDOW_DAYS days.")
    projected_completion = serializers.DateField(
        allow_null=True, help_text="Empty when work remains and nothing was achieved recently."
    )
    at_risk = serializers.BooleanField()
    overdue = serializers.BooleanField()


class TargetSerializer(serializers.ModelSerializer):
    """A target and how far its region has come: achieved, gap, required and recent pace, projection."""

    region = RegionBriefSerializer(read_only=True)
    metric_label = serializers.CharField(source="get_metric_display", read_only=True)
    stage = FormationStageBriefSerializer(read_only=True, allow_null=True)
    unit_type = UnitTypeBriefSerializer(read_only=True, allow_null=True)
    figures = serializers.SerializerMethodField()

    class Meta:
        model = Target
        fields = ["id", "region", "title", "metric", "metric_label", "stage", "unit_type", "unit_status",
                  "land_step", "target_count", "start_date", "due_date", "parent", "notes", "created_at", "figures"]

    @extend_schema_field(TargetFiguresSerializer)
    def get_figures(self, target):
        # A list view computes every row's figures at once and passes them in the context.
        figures = self.context.get("figures", {}).get(target.pk) or target_rows([target])[0].figures
        return TargetFiguresSerializer(figures).data


class TargetCreateInputSerializer(serializers.Serializer):
    region = RegionCodeField()
    metric = serializers.ChoiceField(choices=TargetMetric.choices)
    stage = serializers.SlugField(max_length=40, required=False, allow_null=True,
                                  help_text="Formation stage code, for a stage target.")
    unit_type = serializers.SlugField(max_length=40, required=False, allow_null=True,
                                      help_text="Unit type code, for a unit target.")
    unit_status = serializers.ChoiceField(
        choices=[(status.value, status.label) for status in READINESS_ORDER[1:]], required=False, allow_blank=True,
        default="", help_text="Readiness status to reach, for a unit target.",
    )
    land_step = serializers.ChoiceField(choices=LandStep.choices, required=False, allow_blank=True, default="",
                                        help_text="Land step to reach, for a land target (cumulative).")
    target_count = WholeNumberField(
        required=False, allow_null=True, min_value=1, max_value=100_000,
        help_text="Defaults to the number of desa/kelurahan in the region, which is also its upper bound.",
    )
    start_date = serializers.DateField()
    due_date = serializers.DateField()
    title = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    notes = serializers.CharField(required=False, allow_blank=True, default="", max_length=5000)


class TargetUpdateInputSerializer(serializers.Serializer):
    """Only the fields sent are changed."""

    target_count = WholeNumberField(required=False, min_value=1, max_value=100_000)
    start_date = serializers.DateField(required=False)
    due_date = serializers.DateField(required=False)
    title = serializers.CharField(max_length=200, required=False, allow_blank=True)
    notes = serializers.CharField(required=False, allow_blank=True, max_length=5000)
