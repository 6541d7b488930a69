"""
Writes to the BUMDes registry, federations, their members and sites, and cooperation agreements.

Rules (sources in docs/bumdes.md): a BUM Desa is founded by one desa, a BUM Desa Bersama (or Bersama
LKD) by two or more; kelurahan found none. Names follow the naming rule (``naming.py``). Money is whole
rupiah. Members of a federation join and leave on dates, without overlapping periods. A site's status
moves along ``SITE_TRANSITIONS``; an operating klinik pratama has its licence. An agreement becomes active
only when both sides are legal entities.

Bounds, so that a typing error is refused rather than stored: BUMDes history starts in 2000 (village-owned
enterprises entered the law with UU 22/1999, so no record is older); KDKMP cooperation starts in 2025 (the
programme's start); an amount is at most Rp100 miliar (far above any village's capital or a site's monthly
revenue: only extra zeros exceed it); a clinic sees at most 100,000 patients a month. Dates may lie up to a
year ahead where planning ahead is normal (joining, an agreement's start) and never where they record a
fact (a founding, an opening, a month's figures).
"""

from datetime import date
from datetime import timedelta

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import formats
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from accounts.models import RoleAssignment
from accounts.selectors import users_holding
from core.changes import federation_changed
from core.concurrency import locked
from core.concurrency import save_changed
from core.identifiers import normalize_sk_ahu
from core.roles import Action
from core.roles import Role
from core.scoping import require_scope
from core.scoping import scope_for
from core.services import check_coordinates
from core.services import require_known_fields
from core.services import tidy_reason
from koperasi.documents import check_upload
from koperasi.models import Cooperative
from koperasi.stage_fields import KDKMP_EARLIEST
from notifications.models import NotificationKind
from notifications.services import in_each_language
from notifications.services import notify
from wilayah.models import Region
from wilayah.models import RegionKind
from wilayah.services import active_village

from .models import JOINT_KINDS
from .models import SITE_TRANSITIONS
from .models import AgreementKind
from .models import AgreementStatus
from .models import Bumdes
from .models import BumdesClass
from .models import BumdesClassification
from .models import BumdesKind
from .models import BumdesOfficer
from .models import BumdesOrgan
from .models import BumdesVillage
from .models import BusinessLine
from .models import BusinessSector
from .models import BusinessSite
from .models import CooperationAgreement
from .models import Federation
from .models import FederationCooperative
from .models import FederationKind
from .models import FederationVillage
from .models import SiteFigure
from .models import SiteKind
from .models import SiteStatus
from .naming import bumdes_name_problems
from .naming import canonical_bumdes_name

__all__ = [
    "BUMDES_EARLIEST",
    "MAX_PATIENTS",
    "MAX_RUPIAH",
    "agreement_activate",
    "agreement_create",
    "agreement_legal_problems",
    "agreement_party",
    "agreement_set_status",
    "agreements_end_expired",
    "bumdes_classify",
    "bumdes_officer_add",
    "bumdes_officer_update",
    "bumdes_register",
    "bumdes_update",
    "bumdes_village_remove",
    "bumdes_village_set",
    "business_line_add",
    "business_line_update",
    "federation_cooperative_join",
    "federation_register",
    "federation_update",
    "federation_village_join",
    "membership_update",
    "site_create",
    "site_figure_record",
    "site_update",
]

BUMDES_EARLIEST = date(2000, 1, 1)
MAX_RUPIAH = 100_000_000_000
MAX_PATIENTS = 100_000
PLANNING_HORIZON = timedelta(days=366)
LONGEST_AGREEMENT_YEARS = 30  # land and building use (HGB) runs for 30 years at most


# SECTION: shared checks


def _date_error(value: date | None, *, earliest: date, latest: date) -> str | None:
    if value is None:
        return None
    if value > latest:
        if latest == timezone.localdate():
            return _("The date cannot be in the future.")
        return _("The date cannot be after %(date)s.") % {"date": formats.date_format(latest)}
    if value < earliest:
        return _("The date cannot be before %(date)s.") % {"date": formats.date_format(earliest)}
    return None


def _check_dates(errors: dict, values: dict, *, earliest: date = BUMDES_EARLIEST, latest: date | None = None):
    latest = latest or timezone.localdate()
    for field, value in values.items():
        message = _date_error(value, earliest=earliest, latest=latest)
        if message:
            errors.setdefault(field, []).append(message)


def _check_amount(errors: dict, field: str, value, *, required: bool = True) -> None:
    if value is None:
        if required:
            errors.setdefault(field, []).append(_("Enter an amount in whole rupiah."))
        return
    if isinstance(value, bool) or not isinstance(value, int):
        errors.setdefault(field, []).append(_("Enter an amount in whole rupiah, without decimals."))
    elif value < 0:
        errors.setdefault(field, []).append(_("An amount cannot be negative."))
    elif value > MAX_RUPIAH:
        errors.setdefault(field, []).append(
            _("At most Rp%(limit)s; check the number of zeros.") % {"limit": formats.number_format(MAX_RUPIAH,
                                                                                                  force_grouping=True)})


def _raise(errors: dict) -> None:
    if errors:
        raise ValidationError(errors)


def _desa(code: str, *, field: str) -> Region:
    """An active desa (or desa adat): a kelurahan is part of the city administration and founds no BUMDes."""
    village = active_village(code, field=field)
    if village.kind == RegionKind.KELURAHAN:
        raise ValidationError({field: _("%(village)s is a kelurahan; a BUMDes is founded by desa (PP 11/2021).")
                               % {"village": village.name}})
    return village


def _federation_id_of(bumdes: Bumdes) -> int | None:
    return Federation.objects.filter(bumdes=bumdes).values_list("pk", flat=True).first()


def _require_bumdes(actor, bumdes: Bumdes) -> None:
    """The BUMDes' seat is in the actor's area, or it is the actor's federation."""
    require_scope(actor, Action.MANAGE_BUMDES, bumdes.village_id, federation_id=_federation_id_of(bumdes))


def _require_federation(actor, federation: Federation, action: Action = Action.MANAGE_BUMDES) -> None:
    require_scope(actor, action, federation.seat_id, federation_id=federation.pk)


def _require_member_in_area(actor, village_code: str, federation: Federation) -> None:
    """
    A member comes from the kabupaten/kota of the federation's seat (what its own roles may record, as the join
    form offers), or is joined by an officer whose area holds it: a role on a federation never reaches further.
    """
    if village_code[:5] != federation.seat_id[:5] and not scope_for(actor, Action.MANAGE_BUMDES).contains(
            village_code):
        raise PermissionDenied(_("A desa/kelurahan or its cooperative outside the federation's kabupaten/kota joins "
                                 "through an officer whose area holds it (the Dinas or the kecamatan office)."))


def _save_new(instance, actor, *, unique_error: dict | None = None):
    instance._history_user = actor
    try:
        with transaction.atomic():
            instance.save()
    except IntegrityError:
        # Two people recorded the same thing at the same moment: the other one's is kept.
        raise ValidationError(unique_error or _("This was recorded by someone else a moment ago; reload the page."))
    return instance


def _place_names(seat: Region, villages: list[Region], *, joint: bool) -> list[str]:
    """The names a BUMDes name may end with: its desa, or for a joint one any founding desa or the seat's areas."""
    if not joint:
        return [seat.name]
    areas = Region.objects.filter(code__in=seat.ancestor_codes[1:]).order_by("-code").values_list("name", flat=True)
    trimmed = [name.removeprefix("Kabupaten ").removeprefix("Kota ") for name in areas]
    return list(dict.fromkeys([*(village.name for village in villages), *trimmed, *areas]))


# SECTION: BUMDes registry


_BUMDES_FIELDS = {"name", "address", "founded_on", "name_registration_number", "regulation_number", "regulation_date",
                  "registration_number", "registration_date"}


def _check_bumdes(bumdes: Bumdes, villages: list[Region], errors: dict) -> None:
    """Rules within the registry entry: name, dates, legal registration complete."""
    joint = bumdes.kind in JOINT_KINDS
    bumdes.name = canonical_bumdes_name(bumdes.name)
    problems = bumdes_name_problems(bumdes.name, joint=joint, place_names=_place_names(bumdes.village, villages,
                                                                                        joint=joint))
    if problems:
        errors.setdefault("name", []).extend(problems)
    _check_dates(errors, {"founded_on": bumdes.founded_on, "regulation_date": bumdes.regulation_date,
                          "registration_date": bumdes.registration_date})
    if bool(bumdes.registration_number.strip()) != bool(bumdes.registration_date):
        field = "registration_date" if bumdes.registration_number.strip() else "registration_number"
        errors.setdefault(field, []).append(_("Give the registration certificate's number and its date together."))
    if (bumdes.founded_on and bumdes.registration_date and bumdes.registration_date < bumdes.founded_on
            and "registration_date" not in errors):
        errors["registration_date"] = [_("The certificate cannot be older than the founding.")]
    if bumdes.registration_number:
        taken = Bumdes.objects.filter(registration_number__iexact=bumdes.registration_number).exclude(pk=bumdes.pk)
        if taken.exists():
            errors.setdefault("registration_number", []).append(
                _("Another BUMDes already has this registration certificate number."))


@transaction.atomic
def bumdes_register(
    *,
    actor,
    kind: str,
    name: str,
    village_code: str,
    villages: list[tuple[str, int]] | tuple = (),
    capital: int = 0,
    address: str = "",
    founded_on: date | None = None,
    name_registration_number: str = "",
    regulation_number: str = "",
    regulation_date: date | None = None,
    registration_number: str = "",
    registration_date: date | None = None,
) -> Bumdes:
    """
    Record a BUMDes seated in the desa ``village_code`` (in the actor's area). A BUM Desa is its desa's own,
    with ``capital`` put in by that desa; a BUM Desa Bersama (or Bersama LKD) lists its founding ``villages``
    as (code, capital) pairs, at least two, the seat among them or not.
    """
    if kind not in BumdesKind.values:
        raise ValidationError({"kind": _("Choose BUM Desa, BUM Desa Bersama or BUM Desa Bersama LKD.")})
    seat = _desa(village_code, field="village")
    require_scope(actor, Action.MANAGE_BUMDES, seat.code)
    errors: dict = {}
    joint = kind in JOINT_KINDS
    shares: dict[str, int] = {}
    members: list[Region] = []
    if joint:
        for code, amount in villages:
            try:
                village = _desa(code, field="villages")
            except ValidationError as error:
                errors.setdefault("villages", []).extend(error.message_dict["villages"])
                continue
            if village.code in shares:
                errors.setdefault("villages", []).append(_("%(village)s is listed twice.") % {"village": village.name})
                continue
            _check_amount(errors, "villages", amount)
            shares[village.code] = amount
            members.append(village)
        if len(shares) < 2 and "villages" not in errors:
            errors["villages"] = [_("A BUM Desa Bersama is founded by at least two desa; list them with their "
                                    "capital.")]
    else:
        if villages:
            errors["villages"] = [_("A BUM Desa belongs to one desa; choose BUM Desa Bersama for several.")]
        _check_amount(errors, "capital", capital)
        shares[seat.code] = capital
        members.append(seat)
    bumdes = Bumdes(
        kind=kind, name=name, village=seat, address=address.strip(), founded_on=founded_on,
        name_registration_number=name_registration_number.strip(), regulation_number=regulation_number.strip(),
        regulation_date=regulation_date, registration_number=registration_number.strip(),
        registration_date=registration_date, registered_by=actor,
    )
    _check_bumdes(bumdes, members, errors)
    if Bumdes.objects.filter(village=seat, name__iexact=bumdes.name).exists():
        errors.setdefault("name", []).append(_("This desa already has a BUMDes with this name."))
    _raise(errors)
    _save_new(bumdes, actor, unique_error={"name": _("This desa already has a BUMDes with this name.")})
    bulk_create_with_history([BumdesVillage(bumdes=bumdes, village_id=code, capital=amount)
                              for code, amount in shares.items()], BumdesVillage, default_user=actor)
    return bumdes


@transaction.atomic
def bumdes_update(*, actor, bumdes: Bumdes, **changes) -> Bumdes:
    """Change the registry entry: name, address, founding, Perdes/Perber, registration certificate."""
    _require_bumdes(actor, bumdes)
    require_known_fields(changes, _BUMDES_FIELDS)
    bumdes = locked(bumdes)  # another officer's change to other fields is kept
    for field, value in changes.items():
        setattr(bumdes, field, value.strip() if isinstance(value, str) else value)
    errors: dict = {}
    villages = list(Region.objects.filter(code__in=bumdes.villages.values("village_id")))
    _check_bumdes(bumdes, villages, errors)
    _raise(errors)
    save_changed(bumdes, changes, actor=actor)
    return bumdes


@transaction.atomic
def bumdes_village_set(*, actor, bumdes: Bumdes, village_code: str, capital: int) -> BumdesVillage:
    """A desa's capital participation: added for a new founding desa of a joint BUMDes, or its amount changed."""
    _require_bumdes(actor, bumdes)
    village = _desa(village_code, field="village")
    errors: dict = {}
    _check_amount(errors, "capital", capital)
    _raise(errors)
    link = BumdesVillage.objects.select_for_update().filter(bumdes=bumdes, village=village).first()
    if link is None:
        if not bumdes.is_joint:
            raise ValidationError({"village": _("A BUM Desa belongs to its own desa only.")})
        return _save_new(BumdesVillage(bumdes=bumdes, village=village, capital=capital), actor,
                         unique_error={"village": _("This village is already listed.")})
    link.capital = capital
    save_changed(link, ["capital"], actor=actor)
    return link


@transaction.atomic
def bumdes_village_remove(*, actor, link: BumdesVillage) -> None:
    _require_bumdes(actor, link.bumdes)
    if link.village_id == link.bumdes.village_id and not link.bumdes.is_joint:
        raise ValidationError(_("A BUM Desa keeps its own desa."))
    if link.bumdes.is_joint and link.bumdes.villages.count() <= 2:
        raise ValidationError(_("A BUM Desa Bersama keeps at least two founding desa."))
    link._history_user = actor
    link.delete()


_OFFICER_FIELDS = {"name", "since", "until"}


def _check_officer(officer: BumdesOfficer) -> None:
    errors: dict = {}
    officer.name = " ".join(officer.name.split())
    if not officer.name:
        errors["name"] = [_("Enter the person's name.")]
    if officer.organ not in BumdesOrgan.values:
        errors["organ"] = [_("Choose an organ.")]
    _check_dates(errors, {"since": officer.since, "until": officer.until})
    if officer.since and officer.until and officer.until < officer.since:
        errors.setdefault("until", []).append(_("The term ends after it starts."))
    _raise(errors)


@transaction.atomic
def bumdes_officer_add(*, actor, bumdes: Bumdes, organ: str, name: str, since: date | None = None,
                       until: date | None = None) -> BumdesOfficer:
    """Record who holds an organ (penasihat, pelaksana operasional, pengawas, sekretaris, bendahara)."""
    _require_bumdes(actor, bumdes)
    officer = BumdesOfficer(bumdes=bumdes, organ=organ, name=name or "", since=since, until=until)
    _check_officer(officer)
    return _save_new(officer, actor)


@transaction.atomic
def bumdes_officer_update(*, actor, officer: BumdesOfficer, **changes) -> BumdesOfficer:
    """Correct a name or the term; ``until`` ends the term."""
    _require_bumdes(actor, officer.bumdes)
    require_known_fields(changes, _OFFICER_FIELDS)
    officer = locked(officer)
    for field, value in changes.items():
        setattr(officer, field, value)
    _check_officer(officer)
    save_changed(officer, changes, actor=actor)
    return officer


@transaction.atomic
def bumdes_classify(*, actor, bumdes: Bumdes, year: int, classification: str,
                    score: int | None = None) -> BumdesClassification:
    """The class of the year's ranking (Perintis, Pemula, Berkembang, Maju); a year's class may be corrected."""
    _require_bumdes(actor, bumdes)
    errors: dict = {}
    this_year = timezone.localdate().year
    if not isinstance(year, int) or not BUMDES_EARLIEST.year <= year <= this_year:
        errors["year"] = [_("Enter a year from %(first)s to %(last)s.") % {"first": BUMDES_EARLIEST.year,
                                                                           "last": this_year}]
    if classification not in BumdesClass.values:
        errors["classification"] = [_("Choose Perintis, Pemula, Berkembang or Maju.")]
    if score is not None and not 0 <= score <= 100:
        errors["score"] = [_("The score is between 0 and 100.")]
    _raise(errors)
    row = BumdesClassification.objects.select_for_update().filter(bumdes=bumdes, year=year).first()
    if row is None:
        return _save_new(BumdesClassification(bumdes=bumdes, year=year, classification=classification, score=score),
                         actor, unique_error={"year": _("This year already has a classification.")})
    row.classification, row.score = classification, score
    save_changed(row, ["classification", "score"], actor=actor)
    return row


def _check_line(line: BusinessLine) -> None:
    errors: dict = {}
    line.name = " ".join(line.name.split())
    if not line.name:
        errors["name"] = [_("Name the business line, e.g. Klinik Pratama.")]
    if line.sector not in BusinessSector.values:
        errors["sector"] = [_("Choose a sector.")]
    _check_dates(errors, {"started_on": line.started_on, "stopped_on": line.stopped_on})
    if line.started_on and line.stopped_on and line.stopped_on < line.started_on:
        errors.setdefault("stopped_on", []).append(_("It stops after it started."))
    duplicate = BusinessLine.objects.filter(bumdes_id=line.bumdes_id, name__iexact=line.name).exclude(pk=line.pk)
    if line.name and duplicate.exists():
        errors.setdefault("name", []).append(_("The BUMDes already has a business line with this name."))
    _raise(errors)


@transaction.atomic
def business_line_add(*, actor, bumdes: Bumdes, name: str, sector: str,
                      started_on: date | None = None) -> BusinessLine:
    _require_bumdes(actor, bumdes)
    line = BusinessLine(bumdes=bumdes, name=name or "", sector=sector, started_on=started_on)
    _check_line(line)
    return _save_new(line, actor, unique_error={"name": _("The BUMDes already has a business line with this name.")})


@transaction.atomic
def business_line_update(*, actor, line: BusinessLine, **changes) -> BusinessLine:
    """Rename, re-sector, or stop a business line (a BUMDes cannot be dissolved; its businesses can stop)."""
    _require_bumdes(actor, line.bumdes)
    require_known_fields(changes, {"name", "sector", "started_on", "stopped_on"})
    line = locked(line)
    for field, value in changes.items():
        setattr(line, field, value)
    _check_line(line)
    save_changed(line, changes, actor=actor)
    return line


# SECTION: federations


_FEDERATION_FIELDS = {"name", "address", "description", "legal_number", "legal_date", "parent"}


def _check_federation(federation: Federation, errors: dict) -> None:
    federation.name = " ".join(federation.name.split())
    if not federation.name:
        errors["name"] = [_("Enter the federation's name.")]
    elif Federation.objects.filter(name__iexact=federation.name).exclude(pk=federation.pk).exists():
        errors["name"] = [_("Another federation already has this name.")]
    if federation.kind == FederationKind.SECONDARY_COOPERATIVE and federation.legal_number:
        try:
            federation.legal_number = normalize_sk_ahu(federation.legal_number)
        except ValidationError as error:
            errors["legal_number"] = error.messages
    if federation.kind == FederationKind.BUMDES_BERSAMA and (federation.legal_number or federation.legal_date):
        errors["legal_number"] = [_("A BUM Desa Bersama is a legal entity through its registration certificate; "
                                    "record it on its BUMDes page.")]
    elif bool(federation.legal_number) != bool(federation.legal_date):
        field = "legal_date" if federation.legal_number else "legal_number"
        errors.setdefault(field, []).append(_("Give the legal entity's number and its date together."))
    _check_dates(errors, {"legal_date": federation.legal_date})
    parent = federation.parent
    if parent is not None:
        if federation.kind != FederationKind.COMPANY:
            errors["parent"] = [_("Only a company is owned by a BUM Desa Bersama.")]
        elif parent.kind != FederationKind.BUMDES_BERSAMA:
            errors["parent"] = [_("A company is owned by a federation that is a BUM Desa Bersama.")]


@transaction.atomic
def federation_register(
    *,
    actor,
    kind: str,
    name: str = "",
    seat_code: str = "",
    bumdes: Bumdes | None = None,
    parent: Federation | None = None,
    legal_number: str = "",
    legal_date: date | None = None,
    address: str = "",
    description: str = "",
) -> Federation:
    """
    Record a federation seated in the actor's area. A BUM Desa Bersama federation is made from its registry
    entry (``bumdes``): it takes its name and seat, and its founding desa become its first member villages,
    from the founding date with their capital. A company names the BUM Desa Bersama that owns it (``parent``).
    """
    if kind not in FederationKind.values:
        raise ValidationError({"kind": _("Choose a BUM Desa Bersama, a company or a secondary cooperative.")})
    errors: dict = {}
    if kind == FederationKind.BUMDES_BERSAMA:
        if bumdes is None or not bumdes.is_joint:
            raise ValidationError({"bumdes": _("Choose the BUM Desa Bersama this federation is.")})
        if Federation.objects.filter(bumdes=bumdes).exists():
            raise ValidationError({"bumdes": _("%(bumdes)s is already recorded as a federation.")
                                   % {"bumdes": bumdes.name}})
        seat = bumdes.village
        name = name or bumdes.name
    else:
        if bumdes is not None:
            raise ValidationError({"bumdes": _("Only a BUM Desa Bersama federation names a BUMDes.")})
        seat = active_village(seat_code, field="seat")
    require_scope(actor, Action.MANAGE_BUMDES, seat.code)
    if parent is not None:
        _require_federation(actor, parent)
    federation = Federation(
        kind=kind, name=name or "", seat=seat, bumdes=bumdes, parent=parent, legal_number=(legal_number or "").strip(),
        legal_date=legal_date, address=address.strip(), description=description.strip(), created_by=actor,
    )
    _check_federation(federation, errors)
    _raise(errors)
    _save_new(federation, actor, unique_error={"name": _("Another federation already has this name.")})
    if bumdes is not None:
        joined = bumdes.founded_on or bumdes.regulation_date or timezone.localdate()
        bulk_create_with_history(
            [FederationVillage(federation=federation, village_id=link.village_id, joined_on=joined,
                               capital=link.capital) for link in bumdes.villages.all()],
            FederationVillage, default_user=actor)
    federation_changed(federation.pk)
    return federation


@transaction.atomic
def federation_update(*, actor, federation: Federation, **changes) -> Federation:
    _require_federation(actor, federation)
    require_known_fields(changes, _FEDERATION_FIELDS)
    if changes.get("parent") is not None:
        _require_federation(actor, changes["parent"])
    federation = locked(federation)
    for field, value in changes.items():
        setattr(federation, field, value.strip() if isinstance(value, str) else value)
    errors: dict = {}
    _check_federation(federation, errors)
    _raise(errors)
    save_changed(federation, changes, actor=actor)
    return federation


def _check_period(membership, errors: dict) -> None:
    latest = timezone.localdate() + PLANNING_HORIZON
    _check_dates(errors, {"joined_on": membership.joined_on, "left_on": membership.left_on}, latest=latest)
    if membership.joined_on is None:
        errors.setdefault("joined_on", []).append(_("Enter the date it joins."))
    elif membership.left_on is not None and membership.left_on <= membership.joined_on:
        errors.setdefault("left_on", []).append(_("A member leaves after the day it joined."))
    _check_amount(errors, "capital", membership.capital)
    membership.note = tidy_reason(membership.note)[:300]


def _overlapping(queryset, membership):
    """Periods of the same member that overlap ``membership``'s (a member is in a federation once at a time)."""
    overlapping = queryset.exclude(pk=membership.pk).filter(Q(left_on__isnull=True)
                                                            | Q(left_on__gt=membership.joined_on))
    if membership.left_on is not None:
        overlapping = overlapping.filter(joined_on__lt=membership.left_on)
    return overlapping


def _membership_errors(membership, same_member) -> dict:
    errors: dict = {}
    _check_period(membership, errors)
    if membership.joined_on and "joined_on" not in errors and _overlapping(same_member, membership).exists():
        errors["joined_on"] = [_("It is already a member during this period; end that membership first.")]
    return errors


@transaction.atomic
def federation_village_join(*, actor, federation: Federation, village_code: str, joined_on: date,
                            capital: int = 0, left_on: date | None = None, note: str = "") -> FederationVillage:
    """
    A desa/kelurahan joins the federation on ``joined_on`` (it is a member from that day), with its capital. A
    federation's director reads its member villages' cooperatives, so a village joins from the kabupaten/kota of
    the federation's seat, or through an officer whose own area holds it (``_require_member_in_area``).
    """
    _require_federation(actor, federation)
    Federation.objects.select_for_update().get(pk=federation.pk)  # one membership change of a federation at a time
    village = active_village(village_code, field="village")
    _require_member_in_area(actor, village.code, federation)
    membership = FederationVillage(federation=federation, village=village, joined_on=joined_on, left_on=left_on,
                                   capital=capital, note=note or "")
    _raise(_membership_errors(membership, FederationVillage.objects.filter(federation=federation, village=village)))
    federation_changed(federation.pk)
    return _save_new(membership, actor, unique_error={"joined_on": _("It already joined on this day.")})


@transaction.atomic
def federation_cooperative_join(*, actor, federation: Federation, cooperative: Cooperative, joined_on: date,
                                capital: int = 0, left_on: date | None = None,
                                note: str = "") -> FederationCooperative:
    """A KDKMP joins the federation (e.g. a secondary cooperative) on ``joined_on``, by an officer of its area."""
    _require_federation(actor, federation)
    Federation.objects.select_for_update().get(pk=federation.pk)
    _require_member_in_area(actor, cooperative.village_id, federation)
    membership = FederationCooperative(federation=federation, cooperative=cooperative, joined_on=joined_on,
                                       left_on=left_on, capital=capital, note=note or "")
    same = FederationCooperative.objects.filter(federation=federation, cooperative=cooperative)
    _raise(_membership_errors(membership, same))
    federation_changed(federation.pk)
    return _save_new(membership, actor, unique_error={"joined_on": _("It already joined on this day.")})


@transaction.atomic
def membership_update(*, actor, membership: FederationVillage | FederationCooperative, **changes):
    """
    Change a membership: its capital or note, correct its dates, or end it with ``left_on`` (the first day it is
    no longer a member; from then on the federation's director no longer sees that village).
    """
    federation = membership.federation
    _require_federation(actor, federation)
    require_known_fields(changes, {"joined_on", "left_on", "capital", "note"})
    Federation.objects.select_for_update().get(pk=federation.pk)
    membership = locked(membership)
    for field, value in changes.items():
        setattr(membership, field, value)
    if isinstance(membership, FederationVillage):
        same = FederationVillage.objects.filter(federation=federation, village_id=membership.village_id)
    else:
        same = FederationCooperative.objects.filter(federation=federation, cooperative_id=membership.cooperative_id)
    _raise(_membership_errors(membership, same))
    save_changed(membership, changes, actor=actor)
    federation_changed(federation.pk)
    return membership


# SECTION: business sites and their figures


_SITE_FIELDS = {"name", "kind", "status", "opened_on", "closed_on", "licence_number", "licence_date", "latitude",
                "longitude", "note", "village"}


def _check_site(site: BusinessSite, errors: dict) -> None:
    site.name = " ".join(site.name.split())
    if not site.name:
        errors["name"] = [_("Name the site, e.g. Klinik Pratama BUMDes Sehat Juwana.")]
    elif BusinessSite.objects.filter(federation_id=site.federation_id, name__iexact=site.name).exclude(
            pk=site.pk).exists():
        errors["name"] = [_("The federation already has a site with this name.")]
    if site.kind not in SiteKind.values:
        errors["kind"] = [_("Choose the kind of site.")]
    _check_dates(errors, {"opened_on": site.opened_on, "closed_on": site.closed_on, "licence_date": site.licence_date})
    try:
        check_coordinates(site.latitude, site.longitude)
    except ValidationError as error:
        errors.update(error.message_dict)
    opened = site.status in (SiteStatus.OPERATING, SiteStatus.CLOSED) and site.opened_on is not None
    if site.status == SiteStatus.OPERATING and site.opened_on is None:
        errors.setdefault("opened_on", []).append(_("Give the date the site opened."))
    if site.status == SiteStatus.OPERATING and site.needs_licence:
        if not site.licence_number.strip():
            errors.setdefault("licence_number", []).append(
                _("A klinik pratama opens with its operating licence: enter its number."))
        if not site.licence_date:
            errors.setdefault("licence_date", []).append(_("Give the date the licence was issued."))
    if site.status == SiteStatus.CLOSED and site.closed_on is None:
        errors.setdefault("closed_on", []).append(_("Give the date the site closed (or the plan was dropped)."))
    if site.status != SiteStatus.CLOSED and site.closed_on is not None:
        errors.setdefault("closed_on", []).append(_("Only a closed site has a closing date."))
    if site.status in (SiteStatus.PLANNED, SiteStatus.PREPARING) and site.opened_on is not None:
        errors.setdefault("opened_on", []).append(_("A site that has not opened has no opening date yet."))
    if opened and site.closed_on and site.closed_on < site.opened_on:
        errors.setdefault("closed_on", []).append(_("A site closes after it opened."))


@transaction.atomic
def site_create(*, actor, federation: Federation, kind: str, name: str, village_code: str,
                status: str = SiteStatus.PLANNED, latitude=None, longitude=None, opened_on: date | None = None,
                licence_number: str = "", licence_date: date | None = None, note: str = "") -> BusinessSite:
    """
    Record a site of the federation at a desa/kelurahan. A new site is planned, in preparation or (when it
    is recorded after the fact) already operating.
    """
    _require_federation(actor, federation, Action.EDIT_FEDERATION_SITES)
    village = active_village(village_code, field="village")
    errors: dict = {}
    if status not in (SiteStatus.PLANNED, SiteStatus.PREPARING, SiteStatus.OPERATING):
        errors["status"] = [_("A new site is planned, preparing or operating.")]
    site = BusinessSite(federation=federation, kind=kind, name=name or "", village=village, status=status,
                        latitude=latitude, longitude=longitude, opened_on=opened_on,
                        licence_number=(licence_number or "").strip(), licence_date=licence_date,
                        note=(note or "").strip())
    _check_site(site, errors)
    _raise(errors)
    return _save_new(site, actor, unique_error={"name": _("The federation already has a site with this name.")})


@transaction.atomic
def site_update(*, actor, site: BusinessSite, **changes) -> BusinessSite:
    """
    Change a site. Its status moves only as ``SITE_TRANSITIONS`` allows (planned → preparing → operating →
    closed; a plan dropped or postponed; a closed site prepared again); opening needs the opening date, and a
    klinik pratama its licence.
    """
    _require_federation(actor, site.federation, Action.EDIT_FEDERATION_SITES)
    require_known_fields(changes, _SITE_FIELDS)
    if "village" in changes:
        changes["village"] = active_village(getattr(changes["village"], "code", changes["village"]), field="village")
    site = locked(site)
    previous = site.status
    errors: dict = {}
    new_status = changes.get("status", previous)
    if new_status != previous and new_status not in SITE_TRANSITIONS.get(previous, ()):
        allowed = ", ".join(str(SiteStatus(status).label) for status in sorted(SITE_TRANSITIONS.get(previous, ())))
        errors["status"] = [_("A site that is “%(current)s” can become: %(allowed)s.")
                            % {"current": SiteStatus(previous).label, "allowed": allowed or "—"}]
    for field, value in changes.items():
        setattr(site, field, value.strip() if isinstance(value, str) and field != "status" else value)
    if previous == SiteStatus.CLOSED and new_status == SiteStatus.PREPARING:
        # Prepared again: the old opening and closing belong to the history.
        site.opened_on = site.closed_on = None
        changes = {**changes, "opened_on": None, "closed_on": None}
    _check_site(site, errors)
    _raise(errors)
    if new_status != previous:
        site.status_changed_at = timezone.now()
        changes = {**changes, "status_changed_at": site.status_changed_at}
    save_changed(site, changes, actor=actor)
    return site


def _month_start(value: date) -> date:
    return value.replace(day=1)


@transaction.atomic
def site_figure_record(*, actor, site: BusinessSite, month: date, revenue: int, costs: int = 0,
                       patients: int | None = None) -> SiteFigure:
    """
    A site's figures for a month (any day of it names the month), replacing what was recorded for that month.
    Only for months since the site opened and not in the future; patients only for a clinic.
    """
    _require_federation(actor, site.federation, Action.EDIT_FEDERATION_SITES)
    errors: dict = {}
    if month is None:
        raise ValidationError({"month": _("Choose the month.")})
    month = _month_start(month)
    this_month = _month_start(timezone.localdate())
    if month > this_month:
        errors["month"] = [_("Figures are recorded for months that have begun.")]
    elif month < BUMDES_EARLIEST:
        errors["month"] = [_("The month cannot be before %(date)s.") % {"date": formats.date_format(BUMDES_EARLIEST)}]
    elif site.opened_on is None:
        errors["month"] = [_("The site has not opened: record its opening first.")]
    elif month < _month_start(site.opened_on):
        errors["month"] = [_("The site opened on %(date)s; there are no figures before.")
                           % {"date": formats.date_format(site.opened_on)}]
    _check_amount(errors, "revenue", revenue)
    _check_amount(errors, "costs", costs)
    if patients is not None:
        if not site.needs_licence:
            errors["patients"] = [_("Patients are counted for a clinic only.")]
        elif isinstance(patients, bool) or not isinstance(patients, int) or not 0 <= patients <= MAX_PATIENTS:
            errors["patients"] = [_("Enter a whole number from 0 to %(limit)s.")
                                  % {"limit": formats.number_format(MAX_PATIENTS, force_grouping=True)}]
    _raise(errors)
    figure = SiteFigure.objects.select_for_update().filter(site=site, month=month).first()
    if figure is None:
        return _save_new(SiteFigure(site=site, month=month, revenue=revenue, costs=costs, patients=patients,
                                    recorded_by=actor), actor,
                         unique_error={"month": _("This month is already recorded for the site.")})
    figure.revenue, figure.costs, figure.patients, figure.recorded_by = revenue, costs, patients, actor
    save_changed(figure, ["revenue", "costs", "patients", "recorded_by"], actor=actor)
    return figure


# SECTION: cooperation agreements


def agreement_legal_problems(agreement: CooperationAgreement) -> dict[str, list[str]]:
    """
    Which side is not a legal entity yet, by field: the cooperative without its SK AHU, the BUMDes without its
    registration certificate, the company or secondary cooperative without its SK. Empty when both are.
    """
    problems: dict[str, list[str]] = {}
    cooperative = agreement.cooperative
    if not (cooperative.sk_ahu_number and cooperative.sk_ahu_date):
        problems["cooperative"] = [_("%(cooperative)s is not a legal entity yet: its SK AHU is not recorded.")
                                   % {"cooperative": cooperative.name}]
    if agreement.bumdes_id:
        bumdes = agreement.bumdes
        if not bumdes.is_legal_entity:
            problems["bumdes"] = [_("%(bumdes)s is not a legal entity yet: its registration certificate from the "
                                    "Minister of Law is not recorded.") % {"bumdes": bumdes.name}]
    elif agreement.federation_id:
        federation = agreement.federation
        if not federation.is_legal_entity:
            if federation.kind == FederationKind.BUMDES_BERSAMA:
                message = _("%(federation)s is not a legal entity yet: its registration certificate from the "
                            "Minister of Law is not recorded.")
            else:
                message = _("%(federation)s is not a legal entity yet: its SK is not recorded.")
            problems["federation"] = [message % {"federation": federation.name}]
    return problems


def agreement_party(actor, agreement: CooperationAgreement) -> bool:
    """Either party may record and move the agreement: the cooperative's editors, or the partner's managers."""
    if scope_for(actor, Action.EDIT_COOPERATIVE).contains(agreement.cooperative.village_id):
        return True
    partner_scope = scope_for(actor, Action.MANAGE_BUMDES)
    if agreement.bumdes_id:
        return partner_scope.reaches(agreement.bumdes.village_id, _federation_id_of(agreement.bumdes))
    return partner_scope.reaches(agreement.federation.seat_id, agreement.federation_id)


def _require_party(actor, agreement: CooperationAgreement) -> None:
    if not agreement_party(actor, agreement):
        raise PermissionDenied(_("Only the cooperative's or the partner's own officers can change this agreement."))


@transaction.atomic
def agreement_create(*, actor, cooperative: Cooperative, kind: str, title: str, starts_on: date,
                     bumdes: Bumdes | None = None, federation: Federation | None = None, ends_on: date | None = None,
                     value: int | None = None, note: str = "", terms_document=None,
                     activate: bool = False) -> CooperationAgreement:
    """
    Record an agreement between a cooperative and a BUMDes or a federation, as a draft, or (``activate``)
    active at once when both sides are legal entities. ``terms_document`` is the signed terms (PDF, JPG, PNG).
    """
    agreement = CooperationAgreement(cooperative=cooperative, bumdes=bumdes, federation=federation, kind=kind,
                                     title=" ".join((title or "").split()), starts_on=starts_on, ends_on=ends_on,
                                     value=value, note=(note or "").strip(), created_by=actor)
    errors: dict = {}
    if (bumdes is None) == (federation is None):
        raise ValidationError({"bumdes": _("Choose the BUMDes or the federation the cooperative agrees with.")})
    _require_party(actor, agreement)
    if kind not in AgreementKind.values:
        errors["kind"] = [_("Choose the kind of cooperation.")]
    if not agreement.title:
        errors["title"] = [_("Say what the agreement is about, e.g. Sewa gudang BUMDes untuk gerai sembako.")]
    _check_agreement_dates(agreement, errors)
    if value is not None:
        _check_amount(errors, "value", value)
    checked = None
    if terms_document is not None:
        try:
            checked = check_upload(terms_document)
        except ValidationError as error:
            errors["terms_document"] = error.messages
    if activate:
        for field, messages in agreement_legal_problems(agreement).items():
            errors.setdefault(field, []).extend(messages)
    _raise(errors)
    if checked is not None:
        agreement.terms_document.save(f"terms{checked.extension}", terms_document, save=False)
        agreement.terms_document_name = terms_document.name[:200]
    if activate:
        agreement.status, agreement.activated_at = AgreementStatus.ACTIVE, timezone.now()
    _save_new(agreement, actor)
    _notify_parties(agreement, actor, NotificationKind.AGREEMENT_ACTIVATED if activate
                    else NotificationKind.AGREEMENT_PROPOSED)
    return agreement


def _notify_parties(agreement: CooperationAgreement, actor, kind: str) -> None:
    """
    Both sides learn of it (not who did it): the cooperative's village staff, and the director of the federation
    (of the BUMDes that is a federation).
    """
    people = {user.pk: user for user in users_holding(
        Role.VILLAGE_STAFF, agreement.cooperative.villages.values_list("village_id", flat=True))}
    federation_id = agreement.federation_id or (_federation_id_of(agreement.bumdes) if agreement.bumdes_id else None)
    if federation_id:
        directors = RoleAssignment.objects.filter(role=Role.FEDERATION_DIRECTOR, federation_id=federation_id,
                                                  user__is_active=True).select_related("user")
        people.update({assignment.user_id: assignment.user for assignment in directors})
    people.pop(actor.pk, None)
    notify(users=people.values(), kind=kind, url=reverse("bumdes:agreement-detail", args=[agreement.pk]),
           params={"title": agreement.title, "cooperative": agreement.cooperative.name,
                   "partner": agreement.partner.name, "author": str(actor),
                   "starts": in_each_language(lambda: formats.date_format(agreement.starts_on))})


def _check_agreement_dates(agreement: CooperationAgreement, errors: dict) -> None:
    latest = timezone.localdate() + PLANNING_HORIZON
    _check_dates(errors, {"starts_on": agreement.starts_on}, earliest=KDKMP_EARLIEST, latest=latest)
    if agreement.starts_on is None:
        errors.setdefault("starts_on", []).append(_("Enter the date the agreement starts."))
    elif agreement.ends_on is not None:
        if agreement.ends_on < agreement.starts_on:
            errors.setdefault("ends_on", []).append(_("An agreement ends after it starts."))
        elif agreement.ends_on > agreement.starts_on.replace(year=agreement.starts_on.year + LONGEST_AGREEMENT_YEARS,
                                                             day=min(agreement.starts_on.day, 28)):
            errors.setdefault("ends_on", []).append(_("An agreement runs for at most %(years)s years.")
                                                    % {"years": LONGEST_AGREEMENT_YEARS})


@transaction.atomic
def agreement_activate(*, actor, agreement: CooperationAgreement) -> CooperationAgreement:
    """
    Make a draft agreement active. Both sides must be legal entities: the cooperative has its SK AHU, the
    BUMDes its registration certificate (a company or secondary cooperative its SK); the error names the
    side that is missing.
    """
    _require_party(actor, agreement)
    agreement = CooperationAgreement.objects.select_for_update(of=("self",)).select_related(
        "cooperative", "bumdes", "federation__bumdes").get(pk=agreement.pk)
    if agreement.status != AgreementStatus.DRAFT:
        raise ValidationError({"status": _("Only a draft agreement can be made active.")})
    _raise(agreement_legal_problems(agreement))
    agreement.status, agreement.activated_at = AgreementStatus.ACTIVE, timezone.now()
    save_changed(agreement, ["status", "activated_at"], actor=actor)
    _notify_parties(agreement, actor, NotificationKind.AGREEMENT_ACTIVATED)
    return agreement


_AGREEMENT_MOVES = {
    AgreementStatus.ENDED: (AgreementStatus.ACTIVE,),
    AgreementStatus.CANCELLED: (AgreementStatus.DRAFT,),
}


@transaction.atomic
def agreement_set_status(*, actor, agreement: CooperationAgreement, status: str,
                         reason: str = "") -> CooperationAgreement:
    """End an active agreement, or cancel a draft one (with the reason in the history)."""
    _require_party(actor, agreement)
    agreement = locked(agreement)
    if status == AgreementStatus.ACTIVE:
        return agreement_activate(actor=actor, agreement=agreement)
    if status not in _AGREEMENT_MOVES or agreement.status not in _AGREEMENT_MOVES[status]:
        raise ValidationError({"status": _("An active agreement can end; a draft can be cancelled.")})
    agreement.status = status
    if status == AgreementStatus.ENDED and (agreement.ends_on is None or agreement.ends_on > timezone.localdate()):
        agreement.ends_on = max(timezone.localdate(), agreement.starts_on)
    agreement._change_reason = tidy_reason(reason)[:100]
    save_changed(agreement, ["status", "ends_on"], actor=actor)
    return agreement


def agreements_end_expired(today: date | None = None) -> int:
    """
    The daily job: active agreements whose end date has passed are ended, in the history as done by the
    system. Repeatable: an ended agreement is not touched again. Returns how many were ended.
    """
    today = today or timezone.localdate()
    ended = 0
    for agreement in CooperationAgreement.objects.filter(status=AgreementStatus.ACTIVE, ends_on__lt=today):
        with transaction.atomic():
            agreement = locked(agreement)
            if agreement.status != AgreementStatus.ACTIVE:
                continue
            agreement.status = AgreementStatus.ENDED
            agreement._change_reason = "expired"
            save_changed(agreement, ["status"], actor=None)
            ended += 1
    return ended
