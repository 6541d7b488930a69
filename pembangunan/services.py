"""
Every write of land and construction, with its rules:

* a plot climbs proposed → surveyed → verified (by the Dinas; a rejection carries its reason) → under
  construction → handed over, one step at a time;
* no construction project on a plot the Dinas has not verified;
* progress percentages never go back in date order, and a report without a photo is a draft that counts
  for nothing;
* no handover without a published 100 % report, and never before it;
* each operating unit files one report a month, after the month has ended.

Writes that move the roll-up's figures tell ``core.changes`` (through ``cooperative_activity``).
"""

from datetime import date
from datetime import timedelta
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.db.models import Min
from django.utils import formats
from django.utils import timezone
from django.utils.translation import gettext as _

from core.concurrency import locked
from core.concurrency import save_changed
from core.roles import Action
from core.scoping import require_scope
from core.services import check_coordinates
from core.services import has_hidden_characters
from core.services import is_explained
from core.services import require_known_fields
from core.services import tidy_reason
from koperasi.documents import check_upload
from koperasi.models import Cooperative
from koperasi.services import cooperative_activity
from koperasi.stage_fields import KDKMP_EARLIEST
from units.models import Unit
from units.models import UnitStatus
from units.models import UnitType
from wilayah.services import active_village

from .models import ConstructionProject
from .models import Executor
from .models import LandDocumentKind
from .models import LandPlot
from .models import LandPlotDocument
from .models import LegalStatus
from .models import OwnerKind
from .models import PlotStatus
from .models import ProgressReport
from .models import SitePhoto
from .models import UnitMonthlyReport
from .photos import process_photo
from .unit_figures import FIGURE_MAX
from .unit_figures import figures_for

__all__ = [
    "plot_document_add",
    "plot_photo_add",
    "plot_record",
    "plot_reject",
    "plot_survey",
    "plot_update",
    "plot_verify",
    "progress_photo_add",
    "progress_report_add",
    "project_create",
    "project_hand_over",
    "project_update",
    "unit_report_file",
]

# Bounds that catch typing errors without refusing real sites: the biggest gerai + warehouse plots are ~5,000 m²,
# contracts are around Rp1.6 miliar (Rp24 juta/m² in Papua on a large plot stays far below the cap).
MAX_AREA_M2 = 1_000_000
MAX_CONTRACT_VALUE = 1_000_000_000_000  # Rp1 triliun
MAX_TENOR_MONTHS = 360
MAX_PROJECT_YEARS = 10

_PLOT_EDITABLE = {"name", "address", "village_code", "latitude", "longitude", "area_m2", "owner_kind", "owner_name",
                  "legal_status", "legal_reference", "unit_type_codes"}
_PROJECT_EDITABLE = {"title", "building_area_m2", "executor", "executor_name", "contractor_name", "contract_number",
                     "contract_value", "contract_date", "planned_start", "planned_finish", "bank_name", "loan_amount",
                     "loan_tenor_months"}


def _counts_moved(plot: LandPlot) -> None:
    cooperative = plot.cooperative
    cooperative_activity(cooperative.pk, cooperative.village_id)


def _unit_types(codes) -> list[UnitType]:
    codes = list(dict.fromkeys(codes or []))
    found = list(UnitType.objects.filter(code__in=codes))
    if len(found) != len(codes):
        unknown = sorted(set(codes) - {unit_type.code for unit_type in found})
        raise ValidationError({"unit_types": [_("Unknown unit type: %(codes)s.") % {"codes": ", ".join(unknown)}]})
    return found


def _plot_village(cooperative: Cooperative, village_code: str | None):
    """The plot lies in the cooperative's seat or one of its villages; any other village is a mistake."""
    if not village_code:
        return cooperative.village
    village = active_village(village_code, field="village")
    allowed = {cooperative.village_id, *cooperative.villages.values_list("village_id", flat=True)}
    if village.code not in allowed:
        raise ValidationError({"village": [_("The plot must lie in a desa/kelurahan of the cooperative.")]})
    return village


def _validate_plot(plot: LandPlot) -> None:
    errors = {}
    if not plot.name.strip():
        errors["name"] = [_("Give the plot a name people recognise.")]
    elif has_hidden_characters(plot.name):
        errors["name"] = [_("This text contains a character that is not allowed.")]
    if not 0 < (plot.area_m2 or 0) <= MAX_AREA_M2:
        errors["area_m2"] = [_("The area is in m², between 1 and 1,000,000.")]
    if plot.owner_kind not in OwnerKind.values:
        errors["owner_kind"] = [_("Choose who owns the land.")]
    if plot.legal_status not in LegalStatus.values:
        errors["legal_status"] = [_("Choose the legal status of the land.")]
    try:
        check_coordinates(plot.latitude, plot.longitude)
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)


def _coordinate(value) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        return Decimal(str(value)).quantize(Decimal("0.000001"))
    except ArithmeticError:
        raise ValidationError({"latitude": [_("Enter coordinates as decimal degrees, e.g. -6.75.")]}) from None


@transaction.atomic
def plot_record(*, actor, cooperative: Cooperative, name: str, area_m2: int, owner_kind: str, legal_status: str,
                village_code: str | None = None, address: str = "", latitude=None, longitude=None,
                owner_name: str = "", legal_reference: str = "", unit_type_codes=(), photos=(),
                keep_location: bool = False) -> LandPlot:
    """Record a candidate plot of a cooperative (status proposed), with any photos taken on the spot."""
    require_scope(actor, Action.RECORD_LAND, cooperative.village_id)
    plot = LandPlot(
        cooperative=cooperative, village=_plot_village(cooperative, village_code), name=name.strip(),
        address=address.strip(), latitude=_coordinate(latitude), longitude=_coordinate(longitude), area_m2=area_m2,
        owner_kind=owner_kind, owner_name=owner_name.strip(), legal_status=legal_status,
        legal_reference=legal_reference.strip(), recorded_by=actor,
    )
    _validate_plot(plot)
    unit_types = _unit_types(unit_type_codes)
    plot._history_user = actor
    plot.save()
    plot.unit_types.set(unit_types)
    for upload in photos:
        _store_photo(actor=actor, plot=plot, upload=upload, keep_location=keep_location, field="photo",
                     latitude=plot.latitude, longitude=plot.longitude)
    _counts_moved(plot)
    return plot


@transaction.atomic
def plot_update(*, actor, plot: LandPlot, **changes) -> LandPlot:
    """Correct a plot's details while the Dinas has not verified it (after that they are what was verified)."""
    require_scope(actor, Action.RECORD_LAND, plot.cooperative.village_id)
    require_known_fields(changes, _PLOT_EDITABLE)
    plot = locked(plot)
    if plot.status not in (PlotStatus.PROPOSED, PlotStatus.SURVEYED, PlotStatus.REJECTED):
        raise ValidationError(_("A verified plot can no longer be changed; ask the Dinas if something is wrong."))
    unit_codes = changes.pop("unit_type_codes", None)
    if "village_code" in changes:
        plot.village = _plot_village(plot.cooperative, changes.pop("village_code"))
        changes["village"] = plot.village
    for field in ("latitude", "longitude"):
        if field in changes:
            changes[field] = _coordinate(changes[field])
    for field, value in changes.items():
        setattr(plot, field, value.strip() if isinstance(value, str) else value)
    _validate_plot(plot)
    if plot.status == PlotStatus.SURVEYED and not plot.has_location:
        raise ValidationError({"latitude": [_("A surveyed plot keeps its position; correct it rather than remove "
                                              "it.")]})
    save_changed(plot, changes, actor=actor)
    if unit_codes is not None:
        plot.unit_types.set(_unit_types(unit_codes))
    return plot


@transaction.atomic
def plot_survey(*, actor, plot: LandPlot, surveyed_on: date) -> LandPlot:
    """The plot was surveyed on site: its position is known and it goes to the Dinas for verification."""
    require_scope(actor, Action.RECORD_LAND, plot.cooperative.village_id)
    plot = locked(plot)
    if plot.status not in (PlotStatus.PROPOSED, PlotStatus.REJECTED):
        raise ValidationError(_("Only a proposed or rejected plot can be marked surveyed."))
    errors = {}
    if not plot.has_location:
        errors["latitude"] = [_("Record the plot's position (GPS or map) before marking it surveyed.")]
    if surveyed_on > timezone.localdate():
        errors["surveyed_on"] = [_("The survey date is in the future.")]
    elif surveyed_on < KDKMP_EARLIEST:
        errors["surveyed_on"] = [_("Surveys of the programme start in 2025; check the year.")]
    if errors:
        raise ValidationError(errors)
    plot.status, plot.surveyed_on, plot.rejection_reason = PlotStatus.SURVEYED, surveyed_on, ""
    save_changed(plot, ["status", "surveyed_on", "rejection_reason"], actor=actor)
    _counts_moved(plot)
    return plot


def verifies_own_work(plot: LandPlot, user) -> bool:
    """
    Whether ``user`` recorded the plot or made its latest change (a correction, the survey): the Dinas's
    verification is someone else's check of what was entered.
    """
    last_change_by = plot.history.order_by("-history_id").values_list("history_user_id", flat=True).first()
    return user.pk in (plot.recorded_by_id, last_change_by)


@transaction.atomic
def plot_verify(*, actor, plot: LandPlot) -> LandPlot:
    """The Dinas confirms the plot: surveyed, located, its legal status documented."""
    require_scope(actor, Action.VERIFY_LAND, plot.cooperative.village_id)
    plot = locked(plot)
    if plot.status != PlotStatus.SURVEYED:
        raise ValidationError(_("Only a surveyed plot can be verified."))
    if not plot.has_location:
        raise ValidationError(_("Record the plot's position (GPS or map) before it is verified."))
    if verifies_own_work(plot, actor):
        raise PermissionDenied(_("A plot is verified by someone other than who recorded it or made its latest "
                                 "change."))
    plot.status, plot.verified_at, plot.verified_by = PlotStatus.VERIFIED, timezone.now(), actor
    save_changed(plot, ["status", "verified_at", "verified_by"], actor=actor)
    _counts_moved(plot)
    return plot


@transaction.atomic
def plot_reject(*, actor, plot: LandPlot, reason: str) -> LandPlot:
    """The Dinas refuses the plot, saying why; it can be corrected and surveyed again."""
    require_scope(actor, Action.VERIFY_LAND, plot.cooperative.village_id)
    plot = locked(plot)
    if plot.status not in (PlotStatus.SURVEYED, PlotStatus.VERIFIED):
        raise ValidationError(_("Only a surveyed or verified plot without construction can be rejected."))
    if not is_explained(reason):
        raise ValidationError({"reason": [_("Say why the plot is rejected, so that the village can put it right.")]})
    plot.status, plot.rejection_reason, plot.rejected_at = PlotStatus.REJECTED, tidy_reason(reason), timezone.now()
    plot.verified_at, plot.verified_by = None, None
    save_changed(plot, ["status", "rejection_reason", "rejected_at", "verified_at", "verified_by"], actor=actor)
    _counts_moved(plot)
    return plot


@transaction.atomic
def plot_document_add(*, actor, plot: LandPlot, kind: str, upload) -> LandPlotDocument:
    require_scope(actor, Action.RECORD_LAND, plot.cooperative.village_id)
    if kind not in LandDocumentKind.values:
        raise ValidationError({"kind": [_("Choose what kind of document this is.")]})
    try:
        checked = check_upload(upload)
    except ValidationError as error:
        raise ValidationError({"file": error.messages}) from None
    document = LandPlotDocument(plot=plot, kind=kind, original_name=upload.name[:200],
                                content_type=checked.content_type, size=checked.size, sha256=checked.sha256,
                                uploaded_by=actor)
    document.file.save(f"upload{checked.extension}", upload, save=False)
    document._history_user = actor
    document.save()
    cooperative_activity(plot.cooperative_id, plot.cooperative.village_id, counts_changed=False)
    return document


def _store_photo(*, actor, plot: LandPlot, upload, keep_location: bool, report: ProgressReport | None = None,
                 caption: str = "", field: str = "photo", latitude=None, longitude=None) -> SitePhoto:
    try:
        processed = process_photo(upload, keep_location=keep_location)
    except ValidationError as error:
        raise ValidationError({field: error.messages}) from None
    # Where the photo carries no position of its own, the phone's GPS reading sent with it serves, if allowed.
    latitude = processed.latitude if processed.latitude is not None else (_coordinate(latitude)
                                                                           if keep_location else None)
    longitude = processed.longitude if processed.longitude is not None else (_coordinate(longitude)
                                                                             if keep_location else None)
    try:
        check_coordinates(latitude, longitude)
    except ValidationError:
        latitude = longitude = None  # a photo taken abroad or with a broken GPS keeps no position
    photo = SitePhoto(plot=plot, report=report, original_name=(getattr(upload, "name", "") or "foto.jpg")[:200],
                      caption=caption.strip()[:200], latitude=latitude, longitude=longitude,
                      taken_at=processed.taken_at, size=len(processed.content), width=processed.width,
                      height=processed.height, uploaded_by=actor)
    photo.file.save("foto.jpg", ContentFile(processed.content), save=False)
    photo._history_user = actor
    photo.save()
    return photo


@transaction.atomic
def plot_photo_add(*, actor, plot: LandPlot, upload, keep_location: bool = False, caption: str = "",
                   latitude=None, longitude=None) -> SitePhoto:
    require_scope(actor, Action.RECORD_LAND, plot.cooperative.village_id)
    photo = _store_photo(actor=actor, plot=plot, upload=upload, keep_location=keep_location, caption=caption,
                         latitude=latitude, longitude=longitude)
    cooperative_activity(plot.cooperative_id, plot.cooperative.village_id, counts_changed=False)
    return photo


def _validate_project(project: ConstructionProject) -> None:
    errors = {}
    today = timezone.localdate()
    if not project.title.strip():
        errors["title"] = [_("Say what is built, e.g. gerai and warehouse.")]
    if project.executor not in Executor.values:
        errors["executor"] = [_("Choose the executor.")]
    elif project.executor == Executor.OTHER and not project.executor_name.strip():
        errors["executor_name"] = [_("Name the executor.")]
    if not 0 < (project.building_area_m2 or 0) <= MAX_AREA_M2:
        errors["building_area_m2"] = [_("The floor area is in m², between 1 and 1,000,000.")]
    if not 0 < (project.contract_value or 0) <= MAX_CONTRACT_VALUE:
        errors["contract_value"] = [_("The contract value is in whole rupiah, more than 0 and at most Rp1 triliun.")]
    if project.contract_date > today:
        errors["contract_date"] = [_("Record a contract once it is signed; the date is in the future.")]
    elif project.contract_date < KDKMP_EARLIEST:
        errors["contract_date"] = [_("Contracts of the programme start in 2025; check the year.")]
    if project.planned_finish < project.planned_start:
        errors["planned_finish"] = [_("The planned finish cannot be before the start.")]
    elif project.planned_finish > project.planned_start + timedelta(days=366 * MAX_PROJECT_YEARS):
        errors["planned_finish"] = [_("Plan the finish within ten years of the start.")]
    if project.planned_start < KDKMP_EARLIEST:
        errors["planned_start"] = [_("Construction of the programme starts in 2025; check the year.")]
    if project.loan_amount is not None and not 0 < project.loan_amount <= MAX_CONTRACT_VALUE:
        errors["loan_amount"] = [_("The loan is in whole rupiah, more than 0 and at most Rp1 triliun.")]
    if project.loan_tenor_months is not None and not 0 < project.loan_tenor_months <= MAX_TENOR_MONTHS:
        errors["loan_tenor_months"] = [_("The tenor is in months, from 1 to 360.")]
    if (project.loan_amount or project.loan_tenor_months) and not project.bank_name.strip():
        errors["bank_name"] = [_("Name the bank that lends.")]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def project_create(*, actor, plot: LandPlot, title: str, building_area_m2: int, contract_value: int,
                   contract_date: date,
                   planned_start: date, planned_finish: date, executor: str = Executor.AGRINAS,
                   executor_name: str = "", contractor_name: str = "", contract_number: str = "",
                   bank_name: str = "", loan_amount: int | None = None,
                   loan_tenor_months: int | None = None) -> ConstructionProject:
    """Assign a verified plot to construction: the contract, its schedule and (where known) its financing."""
    require_scope(actor, Action.VERIFY_LAND, plot.cooperative.village_id)
    plot = locked(plot)
    if plot.status not in (PlotStatus.VERIFIED, PlotStatus.CONSTRUCTION):
        raise ValidationError(_("Construction starts only on a plot the Dinas has verified."))
    project = ConstructionProject(
        plot=plot, title=title.strip(), building_area_m2=building_area_m2, executor=executor,
        executor_name=executor_name.strip(),
        contractor_name=contractor_name.strip(), contract_number=contract_number.strip(),
        contract_value=contract_value, contract_date=contract_date, planned_start=planned_start,
        planned_finish=planned_finish, bank_name=bank_name.strip(), loan_amount=loan_amount,
        loan_tenor_months=loan_tenor_months, created_by=actor,
    )
    _validate_project(project)
    project._history_user = actor
    project.save()
    if plot.status != PlotStatus.CONSTRUCTION:
        plot.status, plot.construction_at = PlotStatus.CONSTRUCTION, timezone.now()
        save_changed(plot, ["status", "construction_at"], actor=actor)
    _counts_moved(plot)
    return project


@transaction.atomic
def project_update(*, actor, project: ConstructionProject, **changes) -> ConstructionProject:
    """Correct the contract, schedule or financing (an addendum moves the planned finish)."""
    require_scope(actor, Action.VERIFY_LAND, project.plot.cooperative.village_id)
    require_known_fields(changes, _PROJECT_EDITABLE)
    project = locked(project)
    if project.is_handed_over:
        raise ValidationError(_("A handed-over project can no longer be changed."))
    for field, value in changes.items():
        setattr(project, field, value.strip() if isinstance(value, str) else value)
    _validate_project(project)
    first_report = project.reports.order_by("reported_on").values_list("reported_on", flat=True).first()
    if "contract_date" in changes and first_report and project.contract_date > first_report:
        # Progress is reported from the contract on (progress_report_add): the reports would predate it.
        raise ValidationError({"contract_date": [_("Progress was reported from %(day)s; the contract cannot be dated "
                                                   "after that.") % {"day": formats.date_format(first_report)}]})
    save_changed(project, changes, actor=actor)
    return project


def _check_monotonic(project: ConstructionProject, reported_on: date, percent: int,
                     exclude: int | None = None) -> None:
    """Published reports never go back: earlier ones are at most ``percent``, later ones at least."""
    published = project.reports.filter(is_draft=False).exclude(pk=exclude)
    before = published.filter(reported_on__lte=reported_on).aggregate(top=Max("percent"))["top"]
    after = published.filter(reported_on__gt=reported_on).aggregate(low=Min("percent"))["low"]
    if before is not None and percent < before:
        raise ValidationError({"percent": [
            _("Progress cannot go back: an earlier report already says %(percent)s %%.") % {"percent": before}]})
    if after is not None and percent > after:
        raise ValidationError({"percent": [
            _("A later report says %(percent)s %%; this one cannot say more.") % {"percent": after}]})


def _refresh_project_progress(project: ConstructionProject, actor) -> None:
    latest = project.reports.filter(is_draft=False).order_by("-reported_on", "-percent").first()
    project.progress_percent = latest.percent if latest else 0
    project.progress_on = latest.reported_on if latest else None
    save_changed(project, ["progress_percent", "progress_on"], actor=actor)


@transaction.atomic
def progress_report_add(*, actor, project: ConstructionProject, reported_on: date, percent: int, notes: str = "",
                        photos=(), keep_location: bool = False, latitude=None, longitude=None) -> ProgressReport:
    """
    Report progress on a day. With at least one photo it is published at once; without, it stays a draft until
    a photo is added.
    """
    require_scope(actor, Action.RECORD_LAND, project.plot.cooperative.village_id)
    project = locked(project)
    errors = {}
    if project.is_handed_over:
        raise ValidationError(_("The project is handed over; no more progress reports."))
    if not 0 <= percent <= 100:
        errors["percent"] = [_("Progress is a percentage from 0 to 100.")]
    if reported_on > timezone.localdate():
        errors["reported_on"] = [_("Report progress once it is there; the date is in the future.")]
    elif reported_on < project.contract_date:
        errors["reported_on"] = [_("The report cannot be before the contract date.")]
    if errors:
        raise ValidationError(errors)
    photos = list(photos)
    if photos:
        _check_monotonic(project, reported_on, percent)
    report = ProgressReport(project=project, reported_on=reported_on, percent=percent, notes=notes.strip(),
                            is_draft=not photos, reported_by=actor)
    report._history_user = actor
    report.save()
    for upload in photos:
        _store_photo(actor=actor, plot=project.plot, report=report, upload=upload, keep_location=keep_location,
                     latitude=latitude, longitude=longitude)
    if photos:
        _refresh_project_progress(project, actor)
    cooperative_activity(project.plot.cooperative_id, project.plot.cooperative.village_id, counts_changed=False)
    return report


@transaction.atomic
def progress_photo_add(*, actor, report: ProgressReport, upload, keep_location: bool = False, caption: str = "",
                       latitude=None, longitude=None) -> SitePhoto:
    """Add a photo to a report; the first photo publishes a draft (if its percentage still fits)."""
    project = report.project
    require_scope(actor, Action.RECORD_LAND, project.plot.cooperative.village_id)
    project = locked(project)
    report = locked(report)
    if project.is_handed_over:
        raise ValidationError(_("The project is handed over; its reports are closed."))
    if report.is_draft:
        _check_monotonic(project, report.reported_on, report.percent, exclude=report.pk)
    photo = _store_photo(actor=actor, plot=project.plot, report=report, upload=upload, keep_location=keep_location,
                         caption=caption, latitude=latitude, longitude=longitude)
    if report.is_draft:
        report.is_draft = False
        save_changed(report, ["is_draft"], actor=actor)
        _refresh_project_progress(project, actor)
    return photo


@transaction.atomic
def project_hand_over(*, actor, project: ConstructionProject, handed_over_on: date, upload) -> ConstructionProject:
    """
    Serah terima: the building passes to the cooperative, with the signed record. Only after a published report
    of 100 %, never dated before it.
    """
    require_scope(actor, Action.VERIFY_LAND, project.plot.cooperative.village_id)
    project = locked(project)
    if project.is_handed_over:
        raise ValidationError(_("The project is already handed over."))
    final = project.reports.filter(is_draft=False, percent=100).order_by("reported_on").first()
    if final is None:
        raise ValidationError({"handed_over_on": [
            _("Handover needs a final progress report of 100 % with a photo first.")]})
    errors = {}
    if handed_over_on < final.reported_on:
        errors["handed_over_on"] = [_("The handover cannot be before the final report (%(day)s).")
                                    % {"day": formats.date_format(final.reported_on)}]
    elif handed_over_on > timezone.localdate():
        errors["handed_over_on"] = [_("Record the handover once it has happened; the date is in the future.")]
    if upload is None:
        errors["file"] = [_("Attach the signed handover record (berita acara serah terima).")]
    else:
        try:
            checked = check_upload(upload)
        except ValidationError as error:
            errors["file"] = error.messages
    if errors:
        raise ValidationError(errors)
    project.handover_file.save(f"serah-terima-{project.pk}{checked.extension}", upload, save=False)
    project.handover_original_name = upload.name[:200]
    project.handover_content_type = checked.content_type
    project.handed_over_on = handed_over_on
    save_changed(project, ["handover_file", "handover_original_name", "handover_content_type", "handed_over_on"],
                 actor=actor)
    plot = locked(project.plot)
    if not plot.projects.filter(handed_over_on__isnull=True).exists():
        plot.status, plot.handed_over_at = PlotStatus.HANDED_OVER, timezone.now()
        save_changed(plot, ["status", "handed_over_at"], actor=actor)
    _counts_moved(plot)
    return project


@transaction.atomic
def unit_report_file(*, actor, unit: Unit, month: date, revenue: int, costs: int, figures: dict | None = None,
                     notes: str = "") -> UnitMonthlyReport:
    """One month of an operating unit: filed once the month has ended, once per month."""
    require_scope(actor, Action.RECORD_LAND, unit.cooperative.village_id)
    errors = {}
    month = month.replace(day=1)
    this_month = timezone.localdate().replace(day=1)
    if unit.status != UnitStatus.OPERASIONAL or unit.go_live_date is None:
        raise ValidationError(_("Only an operating unit with a go-live date files monthly reports."))
    if month >= this_month:
        errors["month"] = [_("Report a month once it has ended.")]
    elif month < unit.go_live_date.replace(day=1):
        errors["month"] = [_("The unit went live after that month.")]
    for name, value in (("revenue", revenue), ("costs", costs)):
        if not 0 <= value <= FIGURE_MAX:
            errors[name] = [_("Enter an amount in whole rupiah.")]
    known = {figure.key: figure for figure in figures_for(unit.unit_type.code if unit.unit_type_id else None)}
    clean = {}
    for key, value in (figures or {}).items():
        if key not in known:
            errors["figures"] = [_("“%(key)s” is not a figure of this unit.") % {"key": key}]
        elif value is not None:
            if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= FIGURE_MAX:
                errors[key] = [_("Enter a number from 0 upwards.")]
            else:
                clean[key] = int(value) if known[key].rupiah or value == int(value) else value
    if UnitMonthlyReport.objects.filter(unit=unit, month=month).exists():
        errors["month"] = [_("This month is already reported for the unit.")]
    if errors:
        raise ValidationError(errors)
    report = UnitMonthlyReport(unit=unit, month=month, revenue=revenue, costs=costs, figures=clean,
                               notes=notes.strip(), filed_by=actor)
    report._history_user = actor
    report.save()
    cooperative_activity(unit.cooperative_id, unit.cooperative.village_id, counts_changed=False)
    return report
