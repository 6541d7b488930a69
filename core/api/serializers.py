from rest_framework import serializers

__all__ = ["AuditEntrySerializer"]


class AuditChangeSerializer(serializers.Serializer):
    field = serializers.CharField()
    label = serializers.CharField()
    old = serializers.JSONField(allow_null=True)
    new = serializers.JSONField(allow_null=True)


class AuditEntrySerializer(serializers.Serializer):
    when = serializers.DateTimeField()
    who = serializers.CharField(allow_null=True)
    action = serializers.ChoiceField(choices=["+", "~", "-"], help_text="+ created, ~ changed, - deleted")
    action_label = serializers.CharField()
    subject = serializers.CharField()
    reason = serializers.CharField(allow_blank=True)
    changes = AuditChangeSerializer(many=True)
