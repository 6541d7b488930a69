from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from reports.indicators import Base
from reports.metrics import FORMATION_MODELS
from reports.metrics import KINDS
from reports.metrics import OPS_BUCKETS
from reports.metrics import UNIT_CODES
from reports.metrics import UNIT_STATUSES
from reports.metrics import unit_column
from reports.selectors import stage_ranks

__all__ = ["AreaRollupSerializer", "RollupQuerySerializer"]


class StageCountSerializer(serializers.Serializer):
    label = serializers.CharField()
    count = serializers.IntegerField()


class IndicatorSerializer(serializers.Serializer):
    """A published indicator: its count over its base, the percentage rounded to the published precision."""

    code = serializers.CharField()
    label = serializers.CharField()
    count = serializers.IntegerField()
    base = serializers.ChoiceField(choices=Base.choices, help_text="What the percentage is taken of.")
    base_count = serializers.IntegerField(help_text="The area's number of desa/kelurahan, desa, kelurahan or "
                                                    "cooperatives (the denominator).")
    base_label = serializers.CharField()
    precision = serializers.IntegerField(help_text="Decimals of the published percentage.")
    percent = serializers.CharField(
        allow_null=True, help_text="count / base_count in percent as a decimal string rounded half up to "
                                   "``precision`` decimals (e.g. \"12.34\"); null over a base of 0.")
    display = serializers.CharField(help_text="The percentage as written in the active language, e.g. \"12,34 %\".")


class AreaRollupSerializer(serializers.Serializer):
    """One area's counts from the roll-up (or from a daily snapshot with ``as_of``)."""

    code = serializers.CharField(help_text="Kemendagri code, or ID for the nation.")
    name = serializers.CharField()
    level = serializers.CharField()
    villages = serializers.IntegerField(help_text="Desa/kelurahan in the area.")
    desa = serializers.IntegerField(help_text="Desa in the area (desa adat included).")
    kelurahan = serializers.IntegerField(help_text="Kelurahan in the area.")
    villages_covered = serializers.IntegerField(help_text="Desa/kelurahan served by a cooperative, the villages of "
                                                          "joint cooperatives included.")
    cooperatives = serializers.IntegerField()
    registered_percent = serializers.FloatField(help_text="Desa/kelurahan with a cooperative, of the area's "
                                                          "desa/kelurahan (see ``indicators``).")
    legal_entity = serializers.IntegerField(help_text="Cooperatives that completed the SK AHU stage.")
    legal_entity_percent = serializers.FloatField(help_text="Of the area's desa/kelurahan.")
    by_kind = serializers.SerializerMethodField()
    by_formation_model = serializers.SerializerMethodField()
    by_stage = serializers.SerializerMethodField()
    units = serializers.SerializerMethodField()
    units_local = serializers.IntegerField()
    operational_at_least = serializers.SerializerMethodField()
    members = serializers.IntegerField()
    visits_30d = serializers.IntegerField()
    stalled = serializers.IntegerField()
    awaiting_review = serializers.IntegerField()
    simkopdes_account = serializers.IntegerField(help_text="Cooperatives with a SIMKOPDES account.")
    stages_completed = serializers.SerializerMethodField()
    indicators = serializers.SerializerMethodField()

    def get_by_kind(self, row) -> dict[str, int]:
        return {kind: row.metrics[f"kind_{kind}"] for kind in KINDS}

    def get_by_formation_model(self, row) -> dict[str, int]:
        return {model: row.metrics[f"model_{model}"] for model in FORMATION_MODELS}

    @extend_schema_field(StageCountSerializer(many=True))
    def get_by_stage(self, row):
        return row.stages()

    def get_stages_completed(self, row) -> dict[str, int]:
        """Cooperatives that completed each stage (by stage code), whatever the order of their other stages."""
        return {code: row.stage_done(code) for code in stage_ranks()}

    @extend_schema_field(IndicatorSerializer(many=True))
    def get_indicators(self, row):
        return IndicatorSerializer(row.indicators(), many=True).data

    def get_units(self, row) -> dict[str, dict[str, int]]:
        return {code: {status: row.metrics[unit_column(code, status)] for status in UNIT_STATUSES}
                for code in UNIT_CODES}

    def get_operational_at_least(self, row) -> dict[str, int]:
        """Cooperatives with at least k of the seven mandated units operational, for k = 1…7."""
        return {str(k): row.operational_at_least(k) for k in range(1, OPS_BUCKETS)}


class RollupQuerySerializer(serializers.Serializer):
    as_of = serializers.DateField(required=False, help_text="A past day: the counts from that day's snapshot.")
    parent = serializers.RegexField(r"^(ID|[0-9]{2}(\.[0-9]{2}(\.[0-9]{2})?)?)\Z", required=False,
                                    help_text="List the areas inside this one (ID for the provinces).")

    def validate_as_of(self, day):
        if day >= timezone.localdate():
            raise serializers.ValidationError(_("Give a past day; today's counts are the current ones."))
        return day
