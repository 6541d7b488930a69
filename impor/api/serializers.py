"""Input and output of the import endpoints."""

from rest_framework import serializers

from core.api.fields import ScopedPrimaryKeyRelatedField
from core.roles import Action
from impor.kinds import import_kinds
from impor.models import CommitMode
from impor.models import ImportJob
from impor.models import ImportKind
from impor.models import ImportStatus
from koperasi.models import Cooperative

__all__ = ["ImportCommitInputSerializer", "ImportJobSerializer", "ImportProgressSerializer",
           "ImportUploadInputSerializer"]


class ImportJobSerializer(serializers.ModelSerializer):
    kind = serializers.ChoiceField(choices=ImportKind.choices, read_only=True)
    status = serializers.ChoiceField(choices=ImportStatus.choices, read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    mode = serializers.ChoiceField(choices=CommitMode.choices, read_only=True, allow_blank=True)
    counts = serializers.DictField(child=serializers.IntegerField(), read_only=True,
                                   help_text="The check: new, unchanged, updated, errors (rows).")
    committed_counts = serializers.DictField(child=serializers.IntegerField(), read_only=True,
                                             help_text="The import: new, unchanged, updated, errors (rows).")
    error_preview = serializers.ListField(child=serializers.DictField(), read_only=True,
                                          help_text="The first errors: row, column, value, message.")
    has_error_file = serializers.SerializerMethodField()

    class Meta:
        model = ImportJob
        fields = ["id", "kind", "cooperative", "scope_code", "original_name", "file_format", "size", "sha256",
                  "status", "status_label", "mode", "rows_total", "counts", "committed_counts", "error_preview",
                  "has_error_file", "message", "created_at", "validated_at", "committed_at"]

    def get_has_error_file(self, job) -> bool:
        return bool(job.error_file)


class ImportProgressSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=ImportStatus.choices)
    status_label = serializers.CharField()
    done = serializers.IntegerField()
    total = serializers.IntegerField()
    percent = serializers.IntegerField()
    running = serializers.BooleanField()
    counts = serializers.DictField(child=serializers.IntegerField())
    committed_counts = serializers.DictField(child=serializers.IntegerField())


class ImportUploadInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ImportKind.choices)
    cooperative = ScopedPrimaryKeyRelatedField(Cooperative, Action.EDIT_COOPERATIVE, required=False, allow_null=True,
                                               help_text="For member and opening-balance imports.")
    file = serializers.FileField(help_text="XLSX or CSV from the template, at most IMPORT_MAX_BYTES.")

    def validate_kind(self, value):
        if value not in {kind.kind for kind in import_kinds()}:
            raise serializers.ValidationError("Unknown kind.")
        return value


class ImportCommitInputSerializer(serializers.Serializer):
    mode = serializers.ChoiceField(choices=CommitMode.choices,
                                   help_text="valid_rows: import the valid rows; all_or_nothing: only if all are.")
