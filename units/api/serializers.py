"""Input and output serializers of the business-unit endpoints."""

from rest_framework import serializers

from core.api.fields import ScopedPrimaryKeyRelatedField
from core.api.fields import WholeNumberField
from koperasi.models import Cooperative
from units.models import Unit
from units.models import UnitMilestone
from units.models import UnitStatus
from units.models import UnitType

__all__ = [
    "UnitCreateInputSerializer",
    "UnitDetailSerializer",
    "UnitSerializer",
    "UnitTypeBriefSerializer",
    "UnitTypeSerializer",
    "UnitUpdateInputSerializer",
]


class UnitTypeBriefSerializer(serializers.ModelSerializer):
    label = serializers.CharField(read_only=True)

    class Meta:
        model = UnitType
        fields = ["code", "label"]


class UnitTypeSerializer(serializers.ModelSerializer):
    label = serializers.CharField(read_only=True)

    class Meta:
        model = UnitType
        fields = ["code", "order", "label", "name", "name_en", "is_mandatory", "requires_licence"]


class UnitSerializer(serializers.ModelSerializer):
    """A business unit as listed. ``unit_type`` is empty for a local unit, which has its own name."""

    unit_type = UnitTypeBriefSerializer(read_only=True, allow_null=True)
    display_name = serializers.CharField(read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = Unit
        fields = ["id", "cooperative", "unit_type", "name", "display_name", "status", "status_label",
                  "not_run_reason", "land_progress", "building_progress", "licence_number", "licence_date",
                  "go_live_date", "notes", "status_changed_at"]


class UnitMilestoneSerializer(serializers.ModelSerializer):
    class Meta:
        model = UnitMilestone
        fields = ["status", "reached_on"]


class UnitDetailSerializer(UnitSerializer):
    milestones = UnitMilestoneSerializer(many=True, read_only=True)

    class Meta(UnitSerializer.Meta):
        fields = [*UnitSerializer.Meta.fields, "milestones"]


class UnitCreateInputSerializer(serializers.Serializer):
    cooperative = ScopedPrimaryKeyRelatedField(Cooperative)
    name = serializers.CharField(max_length=120, help_text="A unit beyond the mandated seven, e.g. Pariwisata.")
    notes = serializers.CharField(required=False, allow_blank=True, default="", max_length=5000)


class UnitUpdateInputSerializer(serializers.Serializer):
    """Only the fields sent are changed. ``name`` only for a local unit."""

    status = serializers.ChoiceField(choices=UnitStatus.choices, required=False)
    not_run_reason = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    land_progress = WholeNumberField(required=False, help_text="Percent, 0 to 100.")
    building_progress = WholeNumberField(required=False, help_text="Percent, 0 to 100.")
    licence_number = serializers.CharField(required=False, allow_blank=True, max_length=100)
    licence_date = serializers.DateField(required=False, allow_null=True)
    go_live_date = serializers.DateField(required=False, allow_null=True)
    notes = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    name = serializers.CharField(required=False, max_length=120)
