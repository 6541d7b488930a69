"""Input and output serializers of the cooperative and formation-stage endpoints."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.reverse import reverse

from accounts.api.serializers import UserBriefSerializer
from core.api.fields import VillageCodeField
from core.api.fields import WholeNumberField
from koperasi.extensions import formation_issues
from koperasi.models import Cooperative
from koperasi.models import DocumentType
from koperasi.models import FormationModel
from koperasi.models import FormationStage
from koperasi.models import StageDocument
from koperasi.models import StageProgress
from koperasi.stage_fields import STAGE_FIELDS
from wilayah.api.serializers import RegionBriefSerializer

__all__ = [
    "CooperativeCreateInputSerializer",
    "CooperativeDetailSerializer",
    "CooperativeSerializer",
    "CooperativeUpdateInputSerializer",
    "DocumentTypeSerializer",
    "FormationIssueSerializer",
    "FormationStageBriefSerializer",
    "FormationStageSerializer",
    "StageArchiveInputSerializer",
    "StageDocumentInputSerializer",
    "StageDocumentSerializer",
    "StageProgressDetailSerializer",
    "StageProgressSerializer",
    "StageReasonInputSerializer",
    "StageSubmitInputSerializer",
    "StalledQuerySerializer",
]


class FormationIssueSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="e.g. founders, pengurus_count, missing_ketua, ketua_pengawas")
    message = serializers.CharField()
    blocking = serializers.BooleanField(
        help_text="Blocking issues stop the stage their rule belongs to (the founding meeting for the board "
                  "rules) from being submitted."
    )


class DocumentTypeSerializer(serializers.ModelSerializer):
    label = serializers.CharField(read_only=True)

    class Meta:
        model = DocumentType
        fields = ["code", "label"]


class FormationStageBriefSerializer(serializers.ModelSerializer):
    label = serializers.CharField(read_only=True)

    class Meta:
        model = FormationStage
        fields = ["code", "label"]


class StageFieldSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    input_type = serializers.CharField(help_text="HTML input type: date, number or text.")


class FormationStageSerializer(serializers.ModelSerializer):
    """One step of the formation workflow, with the documents and fields a submission needs."""

    label = serializers.CharField(read_only=True)
    guidance = serializers.CharField(read_only=True)
    required_documents = DocumentTypeSerializer(many=True, read_only=True)
    required_fields = serializers.SerializerMethodField()
    skippable_for = serializers.ListField(
        child=serializers.ChoiceField(choices=FormationModel.choices), read_only=True,
        help_text="Formation models for which the stage may be marked not applicable.",
    )

    class Meta:
        model = FormationStage
        fields = ["code", "order", "label", "name", "name_en", "guidance", "required_documents", "required_fields",
                  "skippable_for"]

    @extend_schema_field(StageFieldSerializer(many=True))
    def get_required_fields(self, stage):
        return [
            {"key": key, "label": str(STAGE_FIELDS[key].label), "input_type": STAGE_FIELDS[key].input_type}
            for key in stage.required_fields
            if key in STAGE_FIELDS
        ]


# SECTION: cooperatives


class CooperativeSerializer(serializers.ModelSerializer):
    """A cooperative as listed: its seat, type, formation model and how far its formation has come."""

    village = RegionBriefSerializer(read_only=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    formation_model_label = serializers.CharField(source="get_formation_model_display", read_only=True)
    stage_reached = FormationStageBriefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Cooperative
        fields = ["id", "name", "kind", "kind_label", "formation_model", "formation_model_label", "village",
                  "stage_reached", "stage_reached_at", "formation_completed", "created_at"]


class CooperativeVillageSerializer(serializers.Serializer):
    code = serializers.CharField(source="village.code")
    name = serializers.CharField(source="village.name")
    kind = serializers.CharField(source="village.kind")
    is_seat = serializers.BooleanField()


class CooperativeStageSerializer(serializers.ModelSerializer):
    code = serializers.CharField(source="stage.code", read_only=True)
    label = serializers.CharField(source="stage.label", read_only=True)
    order = serializers.IntegerField(source="stage.order", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = StageProgress
        fields = ["id", "code", "label", "order", "status", "status_label", "round", "submitted_at", "completed_at"]


class CooperativeUnitSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    unit_type = serializers.CharField(source="unit_type.code", allow_null=True, default=None)
    name = serializers.CharField(source="display_name")
    status = serializers.CharField()
    status_label = serializers.CharField(source="get_status_display")
    go_live_date = serializers.DateField(allow_null=True)


class CooperativeDetailSerializer(CooperativeSerializer):
    """Everything about one cooperative: profile, legal identifiers, stages, units and governance issues."""

    phone = serializers.CharField(read_only=True)
    villages = serializers.SerializerMethodField()
    stages = serializers.SerializerMethodField()
    units = serializers.SerializerMethodField()
    governance_issues = serializers.SerializerMethodField()

    class Meta(CooperativeSerializer.Meta):
        fields = [
            *CooperativeSerializer.Meta.fields,
            "address", "latitude", "longitude", "phone", "email", "villages",
            "notary_name", "deed_number", "deed_date", "sk_ahu_number", "sk_ahu_date", "npwp", "nib",
            "nomor_induk_koperasi", "bank_name", "bank_account_number", "bank_account_name", "simkopdes_account",
            "operational_since", "updated_at", "stages", "units", "governance_issues",
        ]

    @extend_schema_field(CooperativeVillageSerializer(many=True))
    def get_villages(self, cooperative):
        return CooperativeVillageSerializer(cooperative.villages.select_related("village"), many=True).data

    @extend_schema_field(CooperativeStageSerializer(many=True))
    def get_stages(self, cooperative):
        stages = cooperative.stages.select_related("stage").order_by("stage__order")
        return CooperativeStageSerializer(stages, many=True).data

    @extend_schema_field(CooperativeUnitSerializer(many=True))
    def get_units(self, cooperative):
        return CooperativeUnitSerializer(cooperative.units.select_related("unit_type"), many=True).data

    @extend_schema_field(FormationIssueSerializer(many=True))
    def get_governance_issues(self, cooperative):
        return FormationIssueSerializer(formation_issues(cooperative), many=True).data


class CooperativeCreateInputSerializer(serializers.Serializer):
    village = VillageCodeField(help_text="Code of the desa/kelurahan that is the cooperative's seat.")
    formation_model = serializers.ChoiceField(choices=FormationModel.choices, default=FormationModel.BARU)
    name = serializers.CharField(max_length=200, required=False, allow_blank=True, default="",
                                 help_text="Leave empty for the standard name.")
    joint_villages = serializers.ListField(
        child=VillageCodeField(), required=False, default=list, max_length=50,
        help_text="Further desa/kelurahan of a joint cooperative (each with fewer than 500 inhabitants).",
    )
    joint_population_confirmed = serializers.BooleanField(required=False, default=False)
    address = serializers.CharField(required=False, allow_blank=True, default="", max_length=1000)
    latitude = serializers.DecimalField(max_digits=9, decimal_places=6, required=False, allow_null=True,
                                        default=None)
    longitude = serializers.DecimalField(max_digits=9, decimal_places=6, required=False, allow_null=True,
                                         default=None)
    phone = serializers.CharField(max_length=30, required=False, allow_blank=True, default="")
    email = serializers.EmailField(required=False, allow_blank=True, default="")


class CooperativeUpdateInputSerializer(serializers.Serializer):
    """Only the fields sent are changed. Legal identifiers may be corrected by an officer who verifies stages."""

    name = serializers.CharField(max_length=200, required=False)
    formation_model = serializers.ChoiceField(choices=FormationModel.choices, required=False)
    address = serializers.CharField(required=False, allow_blank=True, max_length=1000)
    latitude = serializers.DecimalField(max_digits=9, decimal_places=6, required=False, allow_null=True)
    longitude = serializers.DecimalField(max_digits=9, decimal_places=6, required=False, allow_null=True)
    phone = serializers.CharField(max_length=30, required=False, allow_blank=True)
    email = serializers.EmailField(required=False, allow_blank=True)
    nomor_induk_koperasi = serializers.CharField(max_length=40, required=False, allow_blank=True)
    notary_name = serializers.CharField(max_length=150, required=False, allow_blank=True)
    deed_number = serializers.CharField(max_length=60, required=False, allow_blank=True)
    deed_date = serializers.DateField(required=False, allow_null=True)
    sk_ahu_number = serializers.CharField(max_length=80, required=False, allow_blank=True)
    sk_ahu_date = serializers.DateField(required=False, allow_null=True)
    npwp = serializers.CharField(max_length=30, required=False, allow_blank=True)
    nib = serializers.CharField(max_length=30, required=False, allow_blank=True)
    bank_name = serializers.CharField(max_length=100, required=False, allow_blank=True)
    bank_account_number = serializers.CharField(max_length=40, required=False, allow_blank=True)
    bank_account_name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    simkopdes_account = serializers.CharField(max_length=100, required=False, allow_blank=True)
    operational_since = serializers.DateField(required=False, allow_null=True)


class StalledQuerySerializer(serializers.Serializer):
    days = WholeNumberField(
        min_value=0, max_value=3650, required=False,
        help_text="Days without a completed stage (0–3650); the portal's STALLED_AFTER_DAYS when omitted.",
    )


# SECTION: stages and documents


class StageDocumentSerializer(serializers.ModelSerializer):
    document_type = DocumentTypeSerializer(read_only=True)
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = StageDocument
        fields = ["id", "document_type", "original_name", "size", "content_type", "round", "uploaded_at",
                  "download_url"]

    def get_download_url(self, document) -> str:
        return reverse("api:stage-document-download", kwargs={"pk": document.pk}, request=self.context.get("request"))


class StageProgressSerializer(serializers.ModelSerializer):
    """A cooperative's standing on one formation stage, as listed."""

    cooperative_name = serializers.CharField(source="cooperative.name", read_only=True)
    village = serializers.CharField(source="cooperative.village_id", read_only=True)
    stage = FormationStageBriefSerializer(read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = StageProgress
        fields = ["id", "cooperative", "cooperative_name", "village", "stage", "status", "status_label", "round",
                  "submitted_at", "reviewed_at", "completed_at", "from_archive"]


class StageProgressDetailSerializer(StageProgressSerializer):
    submitted_by = UserBriefSerializer(read_only=True, allow_null=True)
    reviewed_by = UserBriefSerializer(read_only=True, allow_null=True)
    documents = serializers.SerializerMethodField()

    class Meta(StageProgressSerializer.Meta):
        fields = [*StageProgressSerializer.Meta.fields, "data", "submitted_by", "reviewed_by", "rejection_reason",
                  "not_applicable_reason", "archive_note", "documents"]

    @extend_schema_field(StageDocumentSerializer(many=True))
    def get_documents(self, progress):
        documents = progress.documents.filter(removed_at__isnull=True).select_related("document_type")
        return StageDocumentSerializer(documents, many=True, context=self.context).data


class StageSubmitInputSerializer(serializers.Serializer):
    data = serializers.DictField(
        child=serializers.CharField(allow_blank=True, max_length=1000), required=False, default=dict,
        help_text="Values of the stage's required fields (see /api/formation-stages/), e.g. {\"held_on\": "
                  "\"2025-04-10\"}.",
    )


class StageArchiveInputSerializer(StageSubmitInputSerializer):
    completed_on = serializers.DateField(help_text="The real date the stage was completed, from the archived record.")
    note = serializers.CharField(max_length=2000, help_text="Where the record comes from, e.g. the archive file.")


class StageReasonInputSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)


class StageDocumentInputSerializer(serializers.Serializer):
    document_type = serializers.SlugField(max_length=60, help_text="Code of a document type the stage asks for.")
    file = serializers.FileField(help_text="PDF, JPG or PNG, at most DOCUMENT_MAX_BYTES.")
