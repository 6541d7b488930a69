"""Input and output serializers of the assistance-visit endpoints."""

from rest_framework import serializers

from accounts.api.serializers import UserBriefSerializer
from core.api.fields import StrictBooleanField
from core.api.fields import VillageCodeField
from pendampingan.models import Visit
from wilayah.api.serializers import RegionBriefSerializer

__all__ = ["FollowUpsQuerySerializer", "VisitCreateInputSerializer", "VisitSerializer", "VisitUpdateInputSerializer"]


class VisitSerializer(serializers.ModelSerializer):
    village = RegionBriefSerializer(read_only=True)
    cooperative_name = serializers.CharField(source="cooperative.name", read_only=True, allow_null=True,
                                             default=None)
    officer = UserBriefSerializer(read_only=True)

    class Meta:
        model = Visit
        fields = ["id", "village", "cooperative", "cooperative_name", "officer", "visited_on", "topic",
                  "participants", "outcome", "next_step", "follow_up_on", "follow_up_done_at", "created_at"]


class VisitCreateInputSerializer(serializers.Serializer):
    village = VillageCodeField(help_text="The desa/kelurahan visited; its cooperative is linked automatically.")
    visited_on = serializers.DateField()
    topic = serializers.CharField(max_length=200)
    participants = serializers.CharField(required=False, allow_blank=True, default="", max_length=5000)
    outcome = serializers.CharField(required=False, allow_blank=True, default="", max_length=5000)
    next_step = serializers.CharField(required=False, allow_blank=True, default="", max_length=5000)
    follow_up_on = serializers.DateField(required=False, allow_null=True, default=None)


class VisitUpdateInputSerializer(serializers.Serializer):
    """Only the fields sent are changed."""

    visited_on = serializers.DateField(required=False)
    topic = serializers.CharField(max_length=200, required=False)
    participants = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    outcome = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    next_step = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    follow_up_on = serializers.DateField(required=False, allow_null=True)


class FollowUpsQuerySerializer(serializers.Serializer):
    all = StrictBooleanField(required=False, help_text="true: everyone's follow-ups in my area, not only my own.")
