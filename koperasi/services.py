"""
Registering cooperatives and moving them through the formation stages.

Rules (sources in docs/domain-rules.md): one cooperative per desa/kelurahan unless it is a joint
cooperative of small villages; KDMP for a desa, KKMP for a kelurahan; the default name is
"Koperasi Desa/Kelurahan Merah Putih <village>", disambiguated with the kecamatan and kabupaten when
the village name is shared; stages are taken in order, each needing its documents and fields
(except that NIB, NPWP, bank account and SIMKOPDES may come in any order once the SK AHU exists);
a district officer verifies or rejects; stages that do not apply to an existing cooperative may be
marked not applicable with a reason.
"""

from dataclasses import dataclass
from datetime import date
from datetime import datetime
from datetime import time

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import formats
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from accounts.selectors import nearest_users_who_can
from accounts.selectors import users_holding
from core.changes import village_backdated
from core.changes import village_changed
from core.concurrency import locked
from core.concurrency import save_changed
from core.identifiers import normalize_bank_account
from core.identifiers import normalize_nib
from core.identifiers import normalize_nomor_induk_koperasi
from core.identifiers import normalize_npwp
from core.identifiers import normalize_sk_ahu
from core.roles import Action
from core.roles import Role
from core.scoping import require_scope
from core.scoping import scope_for
from core.services import check_coordinates
from core.services import has_hidden_characters
from core.services import indonesian_phone
from core.services import is_explained
from core.services import require_known_fields
from core.services import tidy_reason
from notifications.models import NotificationKind
from notifications.services import in_each_language
from notifications.services import notify
from wilayah.models import Region
from wilayah.models import RegionKind
from wilayah.models import RegionLevel
from wilayah.services import active_village

from .documents import check_upload
from .extensions import formation_issues_blocking
from .extensions import run_registration_steps
from .models import COMPLETED_STATUSES
from .models import REDATED_REASON
from .models import Cooperative
from .models import CooperativeKind
from .models import CooperativeVillage
from .models import FormationModel
from .models import FormationStage
from .models import StageDocument
from .models import StageProgress
from .models import StageStatus
from .stage_fields import EXISTING_COOPERATIVE_EARLIEST
from .stage_fields import KDKMP_EARLIEST
from .stage_fields import STAGE_FIELDS
from .stage_fields import clean_stage_data
from .stage_fields import date_in_bounds

__all__ = [
    "cooperative_activity",
    "cooperative_default_name",
    "cooperative_default_names",
    "cooperative_register",
    "cooperative_update",
    "stage_document_add",
    "stage_document_remove",
    "stage_event_date",
    "stage_mark_not_applicable",
    "stage_record_from_archive",
    "stage_reject",
    "stage_reopen",
    "stage_submit",
    "stage_verify",
    "stages_redate_from_documents",
]

# Fields an officer who verifies stages may correct; village staff change them only through a stage.
_LEGAL_FIELDS = {
    "notary_name": None,
    "deed_number": None,
    "deed_date": None,
    "sk_ahu_number": normalize_sk_ahu,
    "sk_ahu_date": None,
    "npwp": normalize_npwp,
    "nib": normalize_nib,
    "bank_name": None,
    "bank_account_number": normalize_bank_account,
    "bank_account_name": None,
    "simkopdes_account": None,
    "operational_since": None,
}
_PROFILE_FIELDS = {"name", "formation_model", "address", "latitude", "longitude", "phone", "email",
                   "nomor_induk_koperasi"}


# What a default name adds, level by level, while it still collides with a namesake village's.
_NAME_QUALIFIERS = ("Kecamatan {district}", "{regency}", "Provinsi {province}")


@dataclass(frozen=True)
class _Namesake:
    code: str
    name: str
    kind: str
    district: str
    regency: str
    province: str

    def base(self) -> str:
        prefix = ("Koperasi Kelurahan Merah Putih" if self.kind == RegionKind.KELURAHAN
                  else "Koperasi Desa Merah Putih")
        return f"{prefix} {self.name}"

    def qualified(self, depth: int) -> str:
        """The name with ``depth`` qualifiers; past the last one, the village code (two desa of one name in one
        kecamatan, which the official list has)."""
        parts = [self.base()]
        parts += [qualifier.format(district=self.district, regency=self.regency, province=self.province)
                  for qualifier in _NAME_QUALIFIERS[:depth]]
        if depth > len(_NAME_QUALIFIERS):
            parts.append(f"({self.code})")
        return " ".join(parts)


def _unique_default_names(namesakes: list[_Namesake]) -> dict[str, str]:
    """
    Default names of villages sharing a name, unique by construction: every village starts with the bare
    name, and those whose name still collides (case aside) take one more qualifier (kecamatan, then
    kabupaten/kota, then province, then the code) until none collides. A village with a unique name keeps it
    bare; one qualifier more is added only where needed (Permenkum 13/2025).
    """
    depth = dict.fromkeys((village.code for village in namesakes), 0)
    by_code = {village.code: village for village in namesakes}
    while True:
        holders: dict[str, list[str]] = {}
        for code, level in depth.items():
            holders.setdefault(by_code[code].qualified(level).lower(), []).append(code)
        colliding = [code for codes in holders.values() if len(codes) > 1 for code in codes]
        if not colliding:
            return {code: by_code[code].qualified(level) for code, level in depth.items()}
        for code in colliding:
            depth[code] += 1


_NAMESAKE_FIELDS = ("code", "name", "kind", "parent__name", "parent__parent__name", "parent__parent__parent__name")


def cooperative_default_name(village: Region) -> str:
    """
    "Koperasi Desa Merah Putih <desa>" or "Koperasi Kelurahan Merah Putih <kelurahan>", qualified by the
    kecamatan, the kabupaten/kota and the province as far as needed to be unique in the country.
    """
    namesakes = [_Namesake(*row) for row in Region.objects.filter(
        level=RegionLevel.VILLAGE, name__iexact=village.name).values_list(*_NAMESAKE_FIELDS)]
    return _unique_default_names(namesakes)[village.code]


def cooperative_default_names(villages: list[Region]) -> dict[str, str]:
    """The default names of many villages at once (one pass over the region list), for imports and generated
    data; the same names as ``cooperative_default_name``."""
    wanted = {village.name.lower() for village in villages}
    groups: dict[str, list[_Namesake]] = {}
    for row in Region.objects.filter(level=RegionLevel.VILLAGE).values_list(*_NAMESAKE_FIELDS).iterator():
        if row[1].lower() in wanted:
            groups.setdefault(row[1].lower(), []).append(_Namesake(*row))
    names: dict[str, str] = {}
    for group in groups.values():
        names.update(_unique_default_names(group))
    return {village.code: names[village.code] for village in villages}


def cooperative_activity(cooperative_id: int, village_code: str, *, counts_changed: bool = True) -> None:
    """
    Something about a cooperative changed: stamp its last activity (for "who has not updated") and,
    when counts may have moved, queue its village's roll-up refresh. Not an audited change itself.
    """
    Cooperative.objects.filter(pk=cooperative_id).update(last_activity_at=timezone.now())
    if counts_changed:
        village_changed(village_code)


def _check_name_free(name: str, exclude_pk=None) -> None:
    if has_hidden_characters(name):
        raise ValidationError({"name": _("This text contains a character that is not allowed.")})
    taken = Cooperative.objects.filter(name__iexact=name).exclude(pk=exclude_pk)
    if taken.exists():
        raise ValidationError(
            {"name": _("Another cooperative is already named “%(name)s”; add a distinguishing word.") % {"name": name}}
        )


@transaction.atomic
def cooperative_register(
    *,
    actor,
    village_code: str,
    formation_model: str = FormationModel.BARU,
    name: str = "",
    joint_village_codes: list[str] | tuple = (),
    joint_population_confirmed: bool = False,
    address: str = "",
    latitude=None,
    longitude=None,
    phone: str = "",
    email: str = "",
) -> Cooperative:
    """
    Register the cooperative of a desa/kelurahan, with its formation stages and the seven
    mandated business units. A joint cooperative lists further villages, each of which must have
    fewer than 500 inhabitants (confirmed by the person registering; the portal has no census).
    """
    village = active_village(village_code, field="village")
    require_scope(actor, Action.EDIT_COOPERATIVE, village.code)
    if formation_model not in FormationModel.values:
        raise ValidationError({"formation_model": _("Choose baru, pengembangan or revitalisasi.")})
    villages = [village]
    for code in dict.fromkeys(joint_village_codes):
        if code == village.code:
            continue
        joint = active_village(code, field="joint_villages")
        require_scope(actor, Action.EDIT_COOPERATIVE, joint.code)
        villages.append(joint)
    if len(villages) > 1 and not joint_population_confirmed:
        raise ValidationError({"joint_population_confirmed": _(
            "A joint cooperative is only for villages with fewer than 500 inhabitants; confirm that they are."
        )})
    taken = CooperativeVillage.objects.filter(village__in=villages).select_related("cooperative", "village")
    for link in taken:
        raise ValidationError({
            "village" if link.village_id == village.code else "joint_villages": _(
                "%(village)s already belongs to “%(cooperative)s”; a desa/kelurahan has one cooperative."
            ) % {"village": link.village.name, "cooperative": link.cooperative.name}
        })
    name = " ".join((name or "").split()) or cooperative_default_name(village)
    _check_name_free(name)
    check_coordinates(latitude, longitude)
    kind = CooperativeKind.KKMP if village.kind == RegionKind.KELURAHAN else CooperativeKind.KDMP
    cooperative = Cooperative(
        name=name, kind=kind, formation_model=formation_model, village=village, address=address.strip(),
        latitude=latitude, longitude=longitude, phone=indonesian_phone(phone), email=email.strip(),
        registered_by=actor,
    )
    cooperative.full_clean(exclude=["village"])
    cooperative._history_user = actor
    try:
        with transaction.atomic():
            cooperative.save()
    except IntegrityError:
        # Two people registered the same desa at the same moment; the other one won.
        raise ValidationError({"village": _("%(village)s already has a cooperative.") % {"village": village.name}})
    bulk_create_with_history(
        [CooperativeVillage(cooperative=cooperative, village=v, is_seat=v.code == village.code) for v in villages],
        CooperativeVillage, default_user=actor,
    )
    bulk_create_with_history(
        [StageProgress(cooperative=cooperative, stage=stage) for stage in FormationStage.objects.all()],
        StageProgress, default_user=actor,
    )
    run_registration_steps(cooperative=cooperative, actor=actor)
    village_changed(*(v.code for v in villages))
    return cooperative


@transaction.atomic
def cooperative_update(*, actor, cooperative: Cooperative, **changes) -> Cooperative:
    """
    Change a cooperative's profile. Legal identifiers normally arrive through verified stages; an
    officer who verifies stages may correct them here.
    """
    require_scope(actor, Action.EDIT_COOPERATIVE, cooperative.village_id)
    require_known_fields(changes, _PROFILE_FIELDS | set(_LEGAL_FIELDS))
    if set(changes) & set(_LEGAL_FIELDS) and not scope_for(actor, Action.VERIFY_STAGES).contains(
            cooperative.village_id):
        raise PermissionDenied(
            _("Only an officer who verifies stages here may change the legal identifiers (%(fields)s).")
            % {"fields": ", ".join(str(Cooperative._meta.get_field(name).verbose_name)
                                   for name in sorted(set(changes) & set(_LEGAL_FIELDS)))})
    errors = {}
    if "name" in changes:
        changes["name"] = " ".join(changes["name"].split())
        try:
            _check_name_free(changes["name"], exclude_pk=cooperative.pk)
        except ValidationError as error:
            errors.update(error.message_dict)
    if "phone" in changes:
        try:
            changes["phone"] = indonesian_phone(changes["phone"])
        except ValidationError as error:
            errors.update(error.message_dict)
    model_changes = changes.get("formation_model", cooperative.formation_model) != cooperative.formation_model
    if model_changes and cooperative.stages.filter(status=StageStatus.NOT_APPLICABLE).exists():
        errors["formation_model"] = [_(
            "Stages were marked not applicable for the current model; reopen them on their stage pages before "
            "changing the model."
        )]
    if changes.get("nomor_induk_koperasi"):
        try:
            changes["nomor_induk_koperasi"] = normalize_nomor_induk_koperasi(changes["nomor_induk_koperasi"])
        except ValidationError as error:
            errors["nomor_induk_koperasi"] = error.messages
    for field in ("deed_date", "sk_ahu_date", "operational_since"):
        # The same bounds as the stages that carry them: not in the future, not before the cooperative could be.
        if changes.get(field):
            try:
                date_in_bounds(changes[field], _earliest_date(changes.get("formation_model",
                                                                          cooperative.formation_model)))
            except ValidationError as error:
                errors[field] = error.messages
    for field, normalize in _LEGAL_FIELDS.items():
        if normalize and changes.get(field):
            try:
                changes[field] = normalize(changes[field])
            except ValidationError as error:
                errors[field] = error.messages
    try:
        check_coordinates(changes.get("latitude", cooperative.latitude),
                           changes.get("longitude", cooperative.longitude))
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    cooperative = locked(cooperative)  # another officer's change to other fields is kept
    for field, value in changes.items():
        setattr(cooperative, field, value)
    cooperative.full_clean(exclude=["village"])
    save_changed(cooperative, changes, actor=actor)
    cooperative_activity(cooperative.pk, cooperative.village_id)
    return cooperative


# SECTION: formation stages


def _locked(progress: StageProgress) -> tuple[StageProgress, Cooperative]:
    """Serialise transitions of one cooperative: lock its row, then re-read the stage."""
    cooperative = Cooperative.objects.select_for_update().get(pk=progress.cooperative_id)
    progress = StageProgress.objects.select_related("stage").get(pk=progress.pk)
    return progress, cooperative


def _earlier(progress: StageProgress):
    """
    The stages that must be completed before this one: every earlier stage, except that a stage the law lets
    happen in any order (``any_order``: NIB, NPWP, bank account, SIMKOPDES) needs only the earlier ordered ones.
    """
    earlier = StageProgress.objects.filter(cooperative_id=progress.cooperative_id,
                                           stage__order__lt=progress.stage.order)
    return earlier.filter(stage__any_order=False) if progress.stage.any_order else earlier


def _earlier_incomplete(progress: StageProgress) -> list[StageProgress]:
    return list(_earlier(progress).exclude(status__in=COMPLETED_STATUSES).select_related("stage")
                .order_by("stage__order"))


def _earlier_completed_on(progress: StageProgress, cooperative: Cooperative) -> date | None:
    """
    A new KDKMP takes its stages in order, also in time (a stage the law lets happen in any order only after the
    ordered ones): the latest day an earlier stage was completed, which this one's dates cannot precede. None for
    an existing cooperative, whose deed or SK AHU may well be older than its 2025 Musdesus; stages marked not
    applicable carry no date of their own.
    """
    if cooperative.formation_model != FormationModel.BARU:
        return None
    latest = _earlier(progress).filter(status=StageStatus.VERIFIED).aggregate(latest=Max("completed_at"))["latest"]
    return timezone.localdate(latest) if latest else None


def _not_before_earlier_stages(day: date, previous: date | None) -> None:
    if previous and day < previous:
        raise ValidationError(_("The previous stage was completed on %(date)s; this one cannot be earlier.")
                              % {"date": formats.date_format(previous)})


def _require_dated_in_order(progress: StageProgress, cooperative: Cooperative, data: dict) -> None:
    """A submission's document dates (the meeting held, the deed, the account opened…) follow the earlier stages'."""
    previous = _earlier_completed_on(progress, cooperative)
    errors = {}
    for key in EVENT_DATE_FIELDS:
        if data.get(key):
            try:
                _not_before_earlier_stages(date.fromisoformat(str(data[key])), previous)
            except ValidationError as error:
                errors[key] = error.messages
    if errors:
        raise ValidationError(errors)


def _require_in_order(progress: StageProgress) -> None:
    missing = _earlier_incomplete(progress)
    if missing:
        raise ValidationError(
            _("Stages are taken in order: complete “%(stage)s” before “%(next)s”.")
            % {"stage": missing[0].stage.label, "next": progress.stage.label}
        )


def submission_blockers(progress: StageProgress) -> list[str]:
    """
    Why the stage cannot take a submission yet: its turn has not come, or a rule gating it (the board before the
    founding meeting) is unmet. Empty when it can: the page offers its form only then, rather than after typing.
    """
    try:
        _require_in_order(progress)
    except ValidationError as error:
        return error.messages
    return [issue.message for issue in formation_issues_blocking(progress.cooperative, progress.stage.code)]


def _require_four_eyes(progress: StageProgress, actor) -> None:
    """
    Who reviews a submission is someone else than who made it, and not an account the submitter created
    or gave a role to (a second account of one's own would make four eyes two).
    """
    submitter = progress.submitted_by_id
    if submitter is None:
        return
    if submitter == actor.pk:
        raise PermissionDenied(_("Another officer must review a stage you submitted yourself."))
    created = actor.invited_by_id == submitter or actor.role_assignments.filter(granted_by_id=submitter).exists()
    if created:
        raise PermissionDenied(_("Another officer must review this stage: your account was set up by the person "
                                 "who submitted it."))


def _require_open(progress: StageProgress, cooperative: Cooperative, *, when_submitted: str) -> None:
    """
    The stage can take a submission now: not awaiting review, not completed, its turn has come, and the
    rules that gate it (e.g. the board before the founding meeting) are met.
    """
    if progress.status == StageStatus.SUBMITTED:
        raise ValidationError(when_submitted)
    if progress.is_completed:
        raise ValidationError(_("This stage is already completed."))
    _require_in_order(progress)
    blocking = formation_issues_blocking(cooperative, progress.stage.code)
    if blocking:
        raise ValidationError({"governance": [issue.message for issue in blocking]})


def _active_documents(progress: StageProgress):
    return progress.documents.filter(removed_at__isnull=True)


def _refresh_reached_stage(cooperative: Cooperative, actor) -> None:
    """
    The stage reached is the last of an unbroken run of completed stages from the first. ``stage_reached_at`` is
    the event date of the latest stage the cooperative completed (not when it was recorded), or its registration:
    "stalled" counts from what happened in the world, as the roll-up's snapshots of past days do.
    """
    reached, completed_all, last_done = None, True, None
    stages = list(cooperative.stages.select_related("stage").order_by("stage__order"))
    for progress in stages:
        if not progress.is_completed:
            completed_all = False
            break
        reached = progress
    for progress in stages:
        if progress.status == StageStatus.VERIFIED and progress.completed_at:
            last_done = max(last_done or progress.completed_at, progress.completed_at)
    new_stage = reached.stage if reached else None
    moved = last_done or cooperative.created_at
    if (new_stage != cooperative.stage_reached or completed_all != cooperative.formation_completed
            or moved != cooperative.stage_reached_at):
        cooperative.stage_reached = new_stage
        cooperative.stage_reached_at = moved
        cooperative.formation_completed = completed_all
        cooperative._history_user = actor
        cooperative.save(update_fields=["stage_reached", "stage_reached_at", "formation_completed", "updated_at"])


# The stage data that dates a stage in the world: the meeting held, the deed signed, the SK AHU issued, the NPWP
# registered, the NIB issued, the bank account opened, the SIMKOPDES account registered, operations started.
EVENT_DATE_FIELDS = ("held_on", "deed_date", "sk_ahu_date", "npwp_registered_on", "nib_issued_on",
                     "account_opened_on", "simkopdes_registered_on", "operational_since")


def stage_event_date(data: dict) -> date | None:
    """The date a stage happened according to its documents (the stage data's date field), if it has one."""
    for key in EVENT_DATE_FIELDS:
        if data.get(key):
            return date.fromisoformat(str(data[key]))
    return None


def _event_moment(day: date | None, now: datetime) -> datetime:
    """A stage's completion time from its event date: noon of a past day, ``now`` for today or no date."""
    if day is None or day >= timezone.localdate(now):
        return now
    return timezone.make_aware(datetime.combine(day, time(12)))


def _exists_since(cooperative: Cooperative) -> date:
    """The first day the cooperative counts in the snapshots: registered, or an earlier stage's event date."""
    first = (cooperative.stages.filter(status=StageStatus.VERIFIED, completed_at__isnull=False)
             .order_by("completed_at").values_list("completed_at", flat=True).first())
    return timezone.localdate(min(first, cooperative.created_at) if first else cooperative.created_at)


def _backdated(cooperative: Cooperative, day: date | None) -> None:
    """The snapshots of the cooperative's villages from ``day`` on are rebuilt (a past event recorded now)."""
    for code in cooperative.villages.values_list("village_id", flat=True) or [cooperative.village_id]:
        village_backdated(code, day)


def _document_type_for(progress: StageProgress, code: str):
    document_type = progress.stage.required_documents.filter(code=code).first()
    if document_type is None:
        raise ValidationError({"document_type": _("This stage does not ask for that document.")})
    return document_type


def _store_document(*, actor, progress: StageProgress, document_type, upload, checked) -> StageDocument:
    document = StageDocument(
        progress=progress, document_type=document_type, original_name=upload.name[:200],
        content_type=checked.content_type, size=checked.size, sha256=checked.sha256, round=progress.round + 1,
        uploaded_by=actor,
    )
    document.file.save(f"upload{checked.extension}", upload, save=False)
    document._history_user = actor
    document.save()
    return document


@transaction.atomic
def stage_document_add(*, actor, progress: StageProgress, document_type_code: str, upload) -> StageDocument:
    """Attach a document to a stage that is not yet submitted (or was rejected)."""
    progress, cooperative = _locked(progress)
    require_scope(actor, Action.EDIT_COOPERATIVE, cooperative.village_id)
    if progress.status not in (StageStatus.NOT_STARTED, StageStatus.REJECTED):
        raise ValidationError(_("Documents can only be added before the stage is submitted."))
    document_type = _document_type_for(progress, document_type_code)
    try:
        checked = check_upload(upload)
    except ValidationError as error:
        raise ValidationError({"file": error.messages}) from None
    document = _store_document(actor=actor, progress=progress, document_type=document_type, upload=upload,
                               checked=checked)
    cooperative_activity(cooperative.pk, cooperative.village_id, counts_changed=False)
    return document


@transaction.atomic
def stage_document_remove(*, actor, document: StageDocument) -> None:
    progress, cooperative = _locked(document.progress)
    require_scope(actor, Action.EDIT_COOPERATIVE, cooperative.village_id)
    if progress.status not in (StageStatus.NOT_STARTED, StageStatus.REJECTED):
        raise ValidationError(_("Documents of a submitted or verified stage cannot be removed."))
    document.removed_at = timezone.now()
    document._history_user = actor
    document.save(update_fields=["removed_at"])
    cooperative_activity(cooperative.pk, cooperative.village_id, counts_changed=False)


@transaction.atomic
def stage_submit(*, actor, progress: StageProgress, data: dict | None = None, documents=()) -> StageProgress:
    """
    Submit a stage for verification: earlier stages must be complete, the required documents
    attached (``documents`` may add them in the same step: pairs of document-type code and file)
    and the required fields valid. Nothing changes when anything is wrong.
    """
    progress, cooperative = _locked(progress)
    require_scope(actor, Action.EDIT_COOPERATIVE, cooperative.village_id)
    _require_open(progress, cooperative, when_submitted=_("This stage is already submitted and awaits verification."))
    cleaned = clean_stage_data(progress.stage.required_fields, data or {},
                               earliest=_earliest_date(cooperative.formation_model))
    _require_dated_in_order(progress, cooperative, cleaned)
    _check_identifiers_free(cooperative, cleaned)
    # Every check runs before any file is written, so a refused submission leaves nothing behind.
    uploads = _checked_uploads(progress, documents)
    _store_uploads(actor=actor, progress=progress, uploads=uploads)
    progress.data = cleaned
    progress.status = StageStatus.SUBMITTED
    progress.round += 1
    progress.submitted_at = timezone.now()
    progress.submitted_by = actor
    progress.rejection_reason = ""
    progress._history_user = actor
    progress.save()
    cooperative_activity(cooperative.pk, cooperative.village_id)
    _notify_submitted(progress, cooperative, actor)
    return progress


def _earliest_date(formation_model: str) -> date:
    """The earliest date a stage of a cooperative of this formation model can carry."""
    if formation_model == FormationModel.BARU:
        return KDKMP_EARLIEST
    return EXISTING_COOPERATIVE_EARLIEST


def _checked_uploads(progress: StageProgress, documents, *, require_all: bool = True) -> list[tuple]:
    """Check every file (pairs of document-type code and file) before any is written."""
    uploads = []
    for document_type_code, upload in documents:
        document_type = _document_type_for(progress, document_type_code)
        try:
            uploads.append((document_type, upload, check_upload(upload)))
        except ValidationError as error:
            raise ValidationError({"documents": error.messages}) from None
    present = set(_active_documents(progress).values_list("document_type__code", flat=True))
    present |= {document_type.code for document_type, _upload, _checked in uploads}
    missing = [doc.label for doc in progress.stage.required_documents.all() if doc.code not in present]
    if missing and require_all:
        raise ValidationError({"documents": [_("Attach: %(documents)s.") % {"documents": "; ".join(missing)}]})
    return uploads


def _store_uploads(*, actor, progress: StageProgress, uploads) -> None:
    """
    Write the checked files as documents of the coming round. A new file replaces the earlier ones of
    its type (they stay in the history and the storage, marked removed).
    """
    for document_type, upload, checked in uploads:
        for earlier in _active_documents(progress).filter(document_type=document_type):
            earlier.removed_at = timezone.now()
            earlier._history_user = actor
            earlier._change_reason = "replaced"
            earlier.save(update_fields=["removed_at"])
        _store_document(actor=actor, progress=progress, document_type=document_type, upload=upload, checked=checked)


def _copy_identifiers(cooperative: Cooperative, data: dict, actor) -> None:
    """Verified stage data with a cooperative field (SK AHU, NPWP, NIB, bank account, …) lands on the cooperative."""
    for key, value in data.items():
        target = STAGE_FIELDS[key].cooperative_field
        if target:
            setattr(cooperative, target, value)
    cooperative.full_clean(exclude=["village"])
    cooperative._history_user = actor
    cooperative.save()


def _stage_url(progress: StageProgress) -> str:
    return reverse("koperasi:stage", args=[progress.cooperative_id, progress.stage.code])


def _notify_submitted(progress: StageProgress, cooperative: Cooperative, actor) -> None:
    """The officers nearest the village who may verify the stage (not the submitter) are told it awaits them."""
    verifiers = nearest_users_who_can(Action.VERIFY_STAGES, cooperative.village_id, exclude=actor)
    notify(users=verifiers, kind=NotificationKind.STAGE_SUBMITTED, url=_stage_url(progress),
           about=cooperative.village_id,
           params={"stage": in_each_language(lambda: progress.stage.label), "cooperative": cooperative.name,
                   "village": cooperative.village_id, "submitter": str(actor)})


def _notify_reviewed(progress: StageProgress, cooperative: Cooperative, actor, kind: str, **params) -> None:
    """The cooperative's village staff, and whoever submitted, learn the outcome (not the reviewer)."""
    villages = cooperative.villages.values_list("village_id", flat=True)
    people = {user.pk: user for user in users_holding(Role.VILLAGE_STAFF, villages)}
    if progress.submitted_by is not None:
        people.setdefault(progress.submitted_by.pk, progress.submitted_by)
    people.pop(actor.pk, None)
    # Staff of a joint cooperative's other villages do not see it (its scope is its seat): they are not told.
    people = {pk: user for pk, user in people.items() if scope_for(user).contains(cooperative.village_id)}
    notify(users=people.values(), kind=kind, url=_stage_url(progress), about=cooperative.village_id,
           params={"stage": in_each_language(lambda: progress.stage.label), "cooperative": cooperative.name,
                   "reviewer": str(actor),
                   **params})


def _check_identifiers_free(cooperative: Cooperative, cleaned: dict) -> None:
    """An SK AHU number, NPWP or NIB identifies one cooperative only."""
    errors = {}
    for key in ("sk_ahu_number", "npwp", "nib"):
        if key in cleaned:
            other = Cooperative.objects.filter(**{key: cleaned[key]}).exclude(pk=cooperative.pk).first()
            if other:
                errors[key] = [_("“%(value)s” is already recorded for %(cooperative)s.")
                               % {"value": cleaned[key], "cooperative": other.name}]
    if errors:
        raise ValidationError(errors)



def stages_redate_from_documents() -> int:
    """
    Date verified stages by their documents where they were dated by their verification: stages verified before
    completion took the documents' date (the meeting held, the deed, the SK AHU…), or whose document date was
    added later to the workflow. Each such stage's completion moves to noon of its document's date, in the audit
    trail with the reason; its cooperative's "stage reached" date follows, and the snapshots of its villages from
    that day on are rebuilt. Archive records keep their own date. Idempotent; returns the stages re-dated.
    """
    redated = 0
    candidates = (StageProgress.objects.filter(status=StageStatus.VERIFIED, from_archive=False)
                  .exclude(completed_at__isnull=True).values_list("pk", "cooperative_id", "data", "completed_at"))
    for pk, cooperative_id, data, completed_at in candidates.iterator(chunk_size=2000):
        day = stage_event_date(data)
        if day is None or day >= timezone.localdate(completed_at):
            continue
        with transaction.atomic():
            progress, cooperative = _locked(StageProgress(pk=pk, cooperative_id=cooperative_id))
            progress.completed_at = _event_moment(day, progress.completed_at)
            progress._change_reason = REDATED_REASON
            progress.save(update_fields=["completed_at"])
            _refresh_reached_stage(cooperative, None)
            _backdated(cooperative, day)
        redated += 1
    return redated


@transaction.atomic
def stage_verify(*, actor, progress: StageProgress) -> StageProgress:
    """
    Accept a submitted stage. Its identifiers (SK AHU, NPWP, NIB, bank account, …) are copied onto
    the cooperative. The person who submitted cannot verify their own submission.
    """
    progress, cooperative = _locked(progress)
    require_scope(actor, Action.VERIFY_STAGES, cooperative.village_id)
    if progress.status != StageStatus.SUBMITTED:
        raise ValidationError(_("Only a submitted stage can be verified."))
    _require_four_eyes(progress, actor)
    _require_in_order(progress)
    _check_identifiers_free(cooperative, progress.data)
    _copy_identifiers(cooperative, progress.data, actor)
    progress.status = StageStatus.VERIFIED
    # Completed when its documents say (the meeting held, the SK AHU issued, …); verified now.
    progress.reviewed_at = timezone.now()
    event_day = stage_event_date(progress.data)
    progress.completed_at = _event_moment(event_day, progress.reviewed_at)
    progress.reviewed_by = actor
    progress._history_user = actor
    progress.save()
    _refresh_reached_stage(cooperative, actor)
    _backdated(cooperative, event_day)
    cooperative_activity(cooperative.pk, cooperative.village_id)
    following = (StageProgress.objects.filter(cooperative=cooperative, stage__order__gt=progress.stage.order)
                 .exclude(status__in=COMPLETED_STATUSES).select_related("stage").order_by("stage__order").first())
    _notify_reviewed(progress, cooperative, actor, NotificationKind.STAGE_VERIFIED,
                     next=in_each_language(lambda: following.stage.label if following else _("formation is complete")))
    return progress


@transaction.atomic
def stage_reject(*, actor, progress: StageProgress, reason: str) -> StageProgress:
    """Send a submitted stage back with the reason the village staff will see."""
    progress, cooperative = _locked(progress)
    require_scope(actor, Action.VERIFY_STAGES, cooperative.village_id)
    if progress.status != StageStatus.SUBMITTED:
        raise ValidationError(_("Only a submitted stage can be rejected."))
    _require_four_eyes(progress, actor)
    if not is_explained(reason):
        raise ValidationError({"reason": _("Explain what must be corrected (at least 5 characters).")})
    reason = tidy_reason(reason)
    progress.status = StageStatus.REJECTED
    progress.rejection_reason = reason
    progress.reviewed_at = timezone.now()
    progress.reviewed_by = actor
    progress._history_user = actor
    progress.save()
    cooperative_activity(cooperative.pk, cooperative.village_id)
    _notify_reviewed(progress, cooperative, actor, NotificationKind.STAGE_REJECTED, reason=reason)
    return progress


@transaction.atomic
def stage_record_from_archive(
    *, actor, progress: StageProgress, completed_on: date | None, note: str, data: dict | None = None, documents=(),
    documents_on_paper: bool = False,
) -> StageProgress:
    """
    Record a stage that was completed before it reached the portal (e.g. an SK AHU issued from paper
    records), with its real date and a note on the source. Only an officer who verifies stages may do
    it; the stage is shown everywhere as "from the archive" and the entry is in the audit trail. The
    same fields and documents as a submission are required, and stages stay in order, also in time.
    ``documents_on_paper``: a bulk import of paper records (impor) brings the fields but no scans; the
    documents then stay in the archive the note names, and the stage is recorded without files.
    """
    progress, cooperative = _locked(progress)
    require_scope(actor, Action.VERIFY_STAGES, cooperative.village_id)
    _require_open(progress, cooperative,
                  when_submitted=_("This stage is submitted: verify it or send it back instead."))
    earliest = _earliest_date(cooperative.formation_model)
    previous = _earlier_completed_on(progress, cooperative)
    errors: dict[str, list] = {}
    if completed_on is None:
        errors["completed_on"] = [_("Enter the date the stage was completed.")]
    else:
        try:
            date_in_bounds(completed_on, earliest)
            _not_before_earlier_stages(completed_on, previous)
        except ValidationError as error:
            errors["completed_on"] = error.messages
    if not is_explained(note):
        errors["note"] = [_("Say where the record comes from (at least 5 characters), e.g. the archive file.")]
    try:
        cleaned = clean_stage_data(progress.stage.required_fields, data or {}, earliest=earliest)
        _check_identifiers_free(cooperative, cleaned)
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    uploads = _checked_uploads(progress, documents, require_all=not documents_on_paper)
    _store_uploads(actor=actor, progress=progress, uploads=uploads)
    _copy_identifiers(cooperative, cleaned, actor)
    now = timezone.now()
    progress.data = cleaned
    progress.status = StageStatus.VERIFIED
    progress.round += 1
    progress.submitted_at = progress.reviewed_at = now
    progress.submitted_by = progress.reviewed_by = actor
    progress.completed_at = timezone.make_aware(datetime.combine(completed_on, time(12)))
    progress.from_archive = True
    progress.archive_note = tidy_reason(note)
    progress.rejection_reason = ""
    progress._history_user = actor
    progress.save()
    _refresh_reached_stage(cooperative, actor)
    _backdated(cooperative, completed_on)
    cooperative_activity(cooperative.pk, cooperative.village_id)
    return progress


@transaction.atomic
def stage_mark_not_applicable(*, actor, progress: StageProgress, reason: str) -> StageProgress:
    """
    Record that a stage does not apply, e.g. an existing cooperative (pengembangan, revitalisasi)
    already has its deed and SK AHU. Only stages configured as skippable for the cooperative's
    formation model qualify, and stages stay in order.
    """
    progress, cooperative = _locked(progress)
    require_scope(actor, Action.VERIFY_STAGES, cooperative.village_id)
    if progress.is_completed:
        raise ValidationError(_("This stage is already completed."))
    if progress.status == StageStatus.SUBMITTED:
        raise ValidationError(_("This stage is submitted: verify it or send it back instead."))
    if cooperative.formation_model not in progress.stage.skippable_for:
        raise ValidationError(
            _("“%(stage)s” applies to every cooperative formed as “%(model)s”.")
            % {"stage": progress.stage.label, "model": cooperative.get_formation_model_display()}
        )
    if not is_explained(reason):
        raise ValidationError({"reason": _("Explain why the stage does not apply (at least 5 characters).")})
    reason = tidy_reason(reason)
    _require_in_order(progress)
    progress.status = StageStatus.NOT_APPLICABLE
    progress.not_applicable_reason = reason
    progress.reviewed_at = progress.completed_at = timezone.now()
    progress.reviewed_by = actor
    progress._history_user = actor
    progress.save()
    _refresh_reached_stage(cooperative, actor)
    _backdated(cooperative, _exists_since(cooperative))  # undated: it counts on every day since
    cooperative_activity(cooperative.pk, cooperative.village_id)
    return progress


@transaction.atomic
def stage_reopen(*, actor, progress: StageProgress, reason: str) -> StageProgress:
    """
    Undo a "not applicable" mark (made in error, or before the formation model changes): the stage
    is to be done after all. The cooperative's stage reached falls back accordingly.
    """
    progress, cooperative = _locked(progress)
    require_scope(actor, Action.VERIFY_STAGES, cooperative.village_id)
    if progress.status != StageStatus.NOT_APPLICABLE:
        raise ValidationError(_("Only a stage marked not applicable can be reopened."))
    if not is_explained(reason):
        raise ValidationError({"reason": _("Explain why the stage applies after all (at least 5 characters).")})
    progress.status = StageStatus.NOT_STARTED
    progress.not_applicable_reason = ""
    progress.completed_at = None
    progress.reviewed_at = timezone.now()
    progress.reviewed_by = actor
    progress._history_user = actor
    progress._change_reason = tidy_reason(reason)[:100]  # the audit trail's reason column
    progress.save()
    _refresh_reached_stage(cooperative, actor)
    _backdated(cooperative, _exists_since(cooperative))  # undated: it counts on every day since
    cooperative_activity(cooperative.pk, cooperative.village_id)
    return progress
