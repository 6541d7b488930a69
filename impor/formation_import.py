"""
Importing the formation progress of cooperatives from paper records (officers who verify stages). Each row
is one stage of one cooperative (keyed by the village code and the stage): completed on a past date with
its identifiers, or not applicable. Rows go through the koperasi services that record past stages
(``stage_record_from_archive``, ``stage_mark_not_applicable``; ``cooperative_register`` for a cooperative
not yet in the portal), each in a savepoint, so every rule of the workflow applies, stages stay in order,
and the dry run is the same run rolled back. A stage already recorded with the same values is unchanged.
"""

import re

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.roles import Action
from koperasi.models import Cooperative
from koperasi.models import FormationModel
from koperasi.models import FormationStage
from koperasi.models import StageStatus
from koperasi.services import cooperative_register
from koperasi.services import stage_mark_not_applicable
from koperasi.services import stage_record_from_archive
from koperasi.stage_fields import EXISTING_COOPERATIVE_EARLIEST
from koperasi.stage_fields import KDKMP_EARLIEST
from koperasi.stage_fields import STAGE_FIELDS
from koperasi.stage_fields import clean_stage_data

from .kinds import NEW
from .kinds import UNCHANGED
from .kinds import ImportKindBase
from .kinds import RowOutcome
from .kinds import register_import_kind
from .readers import Column
from .readers import parse_date_cell
from .readers import text_cell

__all__ = ["FormationImport"]

_DONE = {"", "selesai", "sudah", "verified", "done"}
_NOT_APPLICABLE = {"tidak berlaku", "tidak_berlaku", "n/a", "not applicable"}
_VILLAGE_CODE = re.compile(r"^(\d{2})\.?(\d{2})\.?(\d{2})\.?(\d{4})$")
# The headers of the stage fields in the template (Indonesian, as the other headers).
_FIELD_HEADERS = {
    "held_on": "Tanggal pelaksanaan", "participants": "Jumlah peserta", "notary_name": "Nama notaris",
    "deed_number": "Nomor akta", "deed_date": "Tanggal akta", "sk_ahu_number": "Nomor SK AHU",
    "sk_ahu_date": "Tanggal SK AHU", "npwp": "NPWP", "npwp_registered_on": "Tanggal terdaftar NPWP", "nib": "NIB",
    "nib_issued_on": "Tanggal terbit NIB", "bank_name": "Nama bank", "bank_account_number": "Nomor rekening",
    "bank_account_name": "Nama pemilik rekening", "account_opened_on": "Tanggal pembukaan rekening",
    "simkopdes_account": "Akun SIMKOPDES", "simkopdes_registered_on": "Tanggal registrasi SIMKOPDES",
    "operational_since": "Operasional sejak",
}
_FIELD_EXAMPLES = {"held_on": "20/05/2025", "sk_ahu_number": "AHU-0036770.AH.01.29.TAHUN 2025",
                   "sk_ahu_date": "20/06/2025", "npwp": "01.234.567.8-901.000"}


def village_code(text: str) -> str:
    """33.18.01.2001 as typed with or without its dots."""
    match = _VILLAGE_CODE.match(text.replace(" ", ""))
    return ".".join(match.groups()) if match else text


@register_import_kind
class FormationImport(ImportKindBase):
    kind = "pembentukan"
    order = 30
    label = gettext_lazy("Formation progress")
    action = Action.VERIFY_STAGES
    needs_cooperative = False
    writes_in_dry_run = True
    columns = (
        Column("village", "Kode desa/kelurahan", gettext_lazy(
            "Kemendagri code of the cooperative's desa/kelurahan, e.g. 33.18.01.2001."), "33.18.01.2001",
            required=True, aliases=("kode desa", "kode wilayah")),
        Column("stage", "Tahap", gettext_lazy(
            "The stage's name or code: sosialisasi, musdesus, rapat_pendirian, akta_notaris, sk_ahu, npwp, nib, "
            "rekening_bank, simkopdes, operasional. One row per stage; musdesus, deed and SK AHU in their order, npwp, "
            "nib, rekening_bank and simkopdes in any order after the SK AHU."), "sk_ahu", required=True),
        Column("outcome", "Status tahap", gettext_lazy(
            "selesai (completed) or tidak berlaku (not applicable to an existing cooperative); empty: selesai."),
            "selesai"),
        Column("completed_on", "Tanggal selesai", gettext_lazy(
            "The date the stage was completed (12/06/2025 or 2025-06-12); required when completed."), "20/06/2025"),
        Column("note", "Sumber/catatan", gettext_lazy(
            "Where the record comes from (e.g. the archive file), or why the stage does not apply; at least "
            "5 characters."), "Arsip Dinas, map 12", required=True),
        Column("formation_model", "Model pembentukan", gettext_lazy(
            "For a cooperative not yet in the portal: baru, pengembangan or revitalisasi (it is registered)."),
            "pengembangan"),
        Column("cooperative_name", "Nama koperasi", gettext_lazy(
            "For a cooperative not yet in the portal; empty: the default name."), ""),
        *(Column(key, header, gettext_lazy("Required for the stages that ask for it (see the stage page)."),
                 _FIELD_EXAMPLES.get(key, "")) for key, header in _FIELD_HEADERS.items()),
    )

    def start(self) -> None:
        self.stages = {}
        for stage in FormationStage.objects.all():
            for name in (stage.code, stage.name, stage.name_en):
                self.stages[" ".join(name.lower().replace("_", " ").split())] = stage
        self.cooperatives: dict[str, Cooperative | None] = {}

    def _cooperative(self, code: str, values: dict, errors: dict) -> Cooperative | None:
        if code not in self.cooperatives:
            self.cooperatives[code] = (Cooperative.objects.for_user(self.actor, Action.VERIFY_STAGES)
                                       .filter(villages__village_id=code).first())
        cooperative = self.cooperatives[code]
        model = text_cell(values.get("formation_model")).lower()
        if model and model not in FormationModel.values:
            errors["formation_model"] = [_("Write baru, pengembangan or revitalisasi.")]
            return None
        if cooperative is not None:
            if model and model != cooperative.formation_model:
                errors["formation_model"] = [_("The cooperative is recorded as “%(model)s”; change it on its page.")
                                             % {"model": cooperative.get_formation_model_display()}]
                return None
            return cooperative
        if not model:
            errors["village"] = [_("No cooperative of this desa/kelurahan in your area. To register it, fill in "
                                   "the formation model.")]
            return None
        cooperative = cooperative_register(actor=self.actor, village_code=code, formation_model=model,
                                           name=text_cell(values.get("cooperative_name")))
        self.cooperatives[code] = cooperative
        return cooperative

    def check(self, number: int, values: dict) -> RowOutcome:
        errors: dict[str, list[str]] = {}
        code = village_code(text_cell(values.get("village")))
        stage = self.stages.get(" ".join(text_cell(values.get("stage")).lower().replace("_", " ").split()))
        if stage is None:
            errors["stage"] = [_("Unknown stage; use a name or code from the guide.")]
        outcome = text_cell(values.get("outcome")).lower()
        if outcome not in _DONE | _NOT_APPLICABLE:
            errors["outcome"] = [_("Write selesai or tidak berlaku.")]
        try:
            completed_on = parse_date_cell(values.get("completed_on"))
        except ValueError:
            completed_on = None
            errors["completed_on"] = [_("Write the date as 12/06/1990 (day/month/year) or 1990-06-12.")]
        data = {}
        for key in _FIELD_HEADERS:
            value = values.get(key)
            if STAGE_FIELDS[key].input_type == "date":
                try:
                    value = parse_date_cell(value)
                except ValueError:
                    errors[key] = [_("Write the date as 12/06/1990 (day/month/year) or 1990-06-12.")]
                    continue
                value = value.isoformat() if value else ""
            else:
                value = text_cell(value)
            if value:
                data[key] = value
        if errors:
            return RowOutcome.failed(errors)
        note = text_cell(values.get("note"))
        try:
            with transaction.atomic():
                cooperative = self._cooperative(code, values, errors)
                if errors:
                    return RowOutcome.failed(errors)
                progress = cooperative.stages.select_related("stage").get(stage=stage)
                if progress.is_completed:
                    return self._already(progress, cooperative, outcome, completed_on, data)
                if outcome in _NOT_APPLICABLE:
                    stage_mark_not_applicable(actor=self.actor, progress=progress, reason=note)
                else:
                    stage_record_from_archive(
                        actor=self.actor, progress=progress, completed_on=completed_on,
                        note=_("%(note)s (import of %(file)s, row %(row)d)")
                        % {"note": note, "file": self.job.original_name, "row": number},
                        data={key: data[key] for key in stage.required_fields if key in data},
                        documents_on_paper=True)
        except ValidationError as error:
            self.cooperatives.pop(code, None)  # a cooperative registered by this row was rolled back with it
            return RowOutcome.failed(self._errors(error))
        except PermissionDenied as error:
            self.cooperatives.pop(code, None)
            return RowOutcome.failed({"village": [str(error)]})
        return RowOutcome(NEW)

    def _already(self, progress, cooperative, outcome, completed_on, data) -> RowOutcome:
        """A stage recorded before: unchanged when the row says the same, an error when it says otherwise."""
        if outcome in _NOT_APPLICABLE:
            if progress.status == StageStatus.NOT_APPLICABLE:
                return RowOutcome(UNCHANGED)
        elif progress.status == StageStatus.VERIFIED:
            earliest = (KDKMP_EARLIEST if cooperative.formation_model == FormationModel.BARU
                        else EXISTING_COOPERATIVE_EARLIEST)
            try:
                cleaned = clean_stage_data(progress.stage.required_fields, data, earliest=earliest)
            except ValidationError as error:
                return RowOutcome.failed(self._errors(error))
            same_day = completed_on is None or (progress.completed_at and progress.completed_at.date() == completed_on)
            if cleaned == progress.data and same_day:
                return RowOutcome(UNCHANGED)
        return RowOutcome.failed({"stage": [_(
            "This stage is already recorded (%(status)s) with other values; to correct it, use the stage's page."
        ) % {"status": progress.get_status_display()}]})

    @staticmethod
    def _errors(error: ValidationError) -> dict[str, list[str]]:
        if not hasattr(error, "error_dict"):
            return {"stage": error.messages}
        renamed = {"completed_on": "completed_on", "note": "note", "reason": "note", "governance": "stage",
                   "documents": "stage", NON_FIELD_ERRORS: "stage", "village": "village",
                   "joint_villages": "village", "name": "cooperative_name"}
        errors: dict[str, list[str]] = {}
        for key, messages in error.message_dict.items():
            target = key if key in _FIELD_HEADERS else renamed.get(key, "stage")
            errors.setdefault(target, []).extend(messages)
        return errors
