import datetime
import uuid
from decimal import Decimal

from django.utils.functional import Promise
from rest_framework import serializers

__all__ = ["AuditEntrySerializer"]

_JSON_READY = (str, int, float, bool, list, dict, datetime.date, datetime.time, datetime.timedelta, Decimal, uuid.UUID,
               Promise)


class AuditValueField(serializers.JSONField):
    """A value from the history: as it is when JSON can carry it, else its text (a related user, a phone number)."""

    def to_representation(self, value):
        if value is None or isinstance(value, _JSON_READY):
            return super().to_representation(value)
        return str(value)


class AuditChangeSerializer(serializers.Serializer):
    field = serializers.CharField()
    label = serializers.CharField()
    old = AuditValueField(allow_null=True)
    new = AuditValueField(allow_null=True)
    old_text = serializers.CharField(help_text="The old value as the portal shows it (names, Ya/Tidak, dates).")
    new_text = serializers.CharField(help_text="The new value as the portal shows it.")


class AuditEntrySerializer(serializers.Serializer):
    when = serializers.DateTimeField()
    who = serializers.CharField(allow_null=True)
    action = serializers.ChoiceField(choices=["+", "~", "-"], help_text="+ created, ~ changed, - deleted")
    action_label = serializers.CharField()
    subject = serializers.CharField()
    reason = serializers.CharField(allow_blank=True)
    changes = AuditChangeSerializer(many=True)
