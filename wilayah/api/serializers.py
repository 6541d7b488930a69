from rest_framework import serializers

from wilayah.models import Region

__all__ = ["RegionBriefSerializer", "RegionDetailSerializer", "RegionSerializer"]


class RegionBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Region
        fields = ["code", "name", "level"]


class RegionSerializer(serializers.ModelSerializer):
    parent = serializers.CharField(source="parent_id", allow_null=True, read_only=True)

    class Meta:
        model = Region
        fields = ["code", "name", "level", "kind", "parent", "child_count", "village_count", "is_active"]


class RegionDetailSerializer(RegionSerializer):
    ancestors = serializers.SerializerMethodField()

    class Meta(RegionSerializer.Meta):
        fields = [*RegionSerializer.Meta.fields, "ancestors"]

    def get_ancestors(self, region) -> list[dict]:
        return RegionBriefSerializer(self.context["ancestors"], many=True).data
