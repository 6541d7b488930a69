from rest_framework import serializers

from notifications.models import Notification
from notifications.models import NotificationKind

__all__ = ["NotificationPreferencesSerializer", "NotificationSerializer"]


class NotificationSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    title = serializers.CharField(read_only=True)
    body = serializers.CharField(read_only=True)
    is_read = serializers.BooleanField(read_only=True)

    class Meta:
        model = Notification
        fields = ["id", "kind", "kind_label", "title", "body", "url", "created_at", "read_at", "is_read"]


class NotificationPreferencesSerializer(serializers.Serializer):
    email_kinds = serializers.ListField(
        child=serializers.ChoiceField(choices=NotificationKind.choices), allow_empty=True,
        help_text="The kinds that also come by e-mail; the others appear only in the portal.",
    )
