"""
The member register and the board. Governance rules (Juklak 1/2025 as summarised in
docs/domain-rules.md): at least 9 founding members; at least 5 pengurus, an odd number, with ketua,
two wakil ketua, sekretaris and bendahara; the ketua pengawas is the kepala desa/lurah; kepala desa,
perangkat desa and BPD members may not be pengurus; one pengurus or pengawas position per person.
"""

from datetime import date
from functools import lru_cache

from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.db import transaction
from django.db.models import BigIntegerField
from django.db.models import Max
from django.db.models import ProtectedError
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext as _

from core.changes import village_backdated
from core.concurrency import locked
from core.concurrency import save_changed
from core.identifiers import mask_nik
from core.roles import Action
from core.scoping import require_scope
from core.services import is_explained
from core.services import require_known_fields
from core.services import tidy_reason
from koperasi.extensions import FormationIssue
from koperasi.models import Cooperative
from koperasi.services import cooperative_activity
from wilayah.models import Region
from wilayah.models import RegionLevel

from .extensions import joining_date_refusals
from .extensions import status_changed
from .models import PENGAWAS_ROLES
from .models import PENGURUS_ROLES
from .models import REQUIRED_PENGURUS_ROLES
from .models import SINGLE_HOLDER_ROLES
from .models import ApplicationStatus
from .models import Member
from .models import MemberApplication
from .models import MemberStatus
from .models import PersonalDataRead
from .models import Position
from .models import PositionRole
from .models import VillageOffice
from .rules import clean_member_data
from .rules import member_number_format
from .rules import status_change_errors

__all__ = [
    "MIN_FOUNDERS",
    "MIN_PENGURUS",
    "application_approve",
    "application_reject",
    "application_submit",
    "cooperative_lock",
    "governance_issues",
    "member_add",
    "member_numbers_next",
    "member_remove",
    "member_status_change",
    "member_update",
    "personal_data_reads_record",
    "position_assign",
    "position_end",
    "regency_codes",
    "removed_members_forget_personal_data",
]

MIN_FOUNDERS = 9  # UU 25/1992 as amended by UU 6/2023 (was 20)
MIN_PENGURUS = 5


@lru_cache(maxsize=1)
def regency_codes() -> frozenset[str]:
    """The regency codes a NIK's region digits are checked against (read once per process)."""
    return frozenset(Region.objects.filter(level=RegionLevel.REGENCY).values_list("code", flat=True))


def _villages_of(cooperative) -> dict:
    return {link.village_id: link.village for link in cooperative.villages.select_related("village")}


def _current_values(member: Member | None) -> dict:
    if member is None:
        return {}
    return {field: getattr(member, field) for field in ("nik", "sex", "birth_date", "joined_on", "status",
                                                        "status_on", "status_reason")}


def _clean_member_fields(cooperative, data: dict, *, instance: Member | None = None) -> tuple[dict, list[str]]:
    cleaned, warnings, errors = clean_member_data(
        data, current=_current_values(instance), villages=_villages_of(cooperative),
        known_regencies=regency_codes(), today=timezone.localdate(),
    )
    if "nik" in data and "nik" not in errors and (
        Member.objects.filter(cooperative=cooperative, nik=cleaned["nik"])
        .exclude(pk=instance.pk if instance else None).exists()
    ):
        errors["nik"] = [_("A member with this NIK is already registered in this cooperative.")]
    if errors:
        raise ValidationError(errors)
    return cleaned, warnings


def member_numbers_next(cooperative_id: int) -> int:
    """
    The next free sequence of a cooperative's member numbers. The caller holds the cooperative's row lock
    (``cooperative_lock``), so two admissions never take the same number and none is skipped.
    """
    highest = (Member.objects.filter(cooperative_id=cooperative_id, member_number__regex=r"^[0-9]{1,9}$")
               .annotate(sequence=Cast("member_number", BigIntegerField()))
               .aggregate(highest=Max("sequence"))["highest"])
    return (highest or 0) + 1


def cooperative_lock(cooperative_id: int) -> Cooperative:
    """Serialise admissions (and imports) into one cooperative: its member numbers are a gap-free sequence."""
    return Cooperative.objects.select_for_update().get(pk=cooperative_id)


@transaction.atomic
def member_add(*, actor, cooperative, nik: str, name: str, sex: str, domicile_code: str,
               birth_date: date | None = None, phone: str = "", village_office: str = "", is_founder: bool = False,
               joined_on: date | None = None, address: str = "", rt: str = "", rw: str = "",
               occupation: str = "") -> tuple[Member, list[str]]:
    """
    Admit a person to the member register with the cooperative's next member number. Returns the member
    and any NIK warnings (region or date digits that look wrong): those are recorded and shown, but do
    not block.
    """
    require_scope(actor, Action.EDIT_COOPERATIVE, cooperative.village_id)
    cleaned, warnings = _clean_member_fields(cooperative, {
        "nik": nik, "name": name, "sex": sex, "domicile_code": domicile_code, "birth_date": birth_date,
        "phone": phone, "village_office": village_office, "joined_on": joined_on or timezone.localdate(),
        "address": address, "rt": rt, "rw": rw, "occupation": occupation,
    })
    return _admit(actor=actor, cooperative=cooperative, cleaned=cleaned, is_founder=is_founder), warnings


def _admit(*, actor, cooperative, cleaned: dict, is_founder: bool = False) -> Member:
    """Write an admitted member with the next member number, under the cooperative's lock."""
    cooperative_lock(cooperative.pk)
    member = Member(cooperative=cooperative, is_founder=is_founder, created_by=actor,
                    member_number=member_number_format(member_numbers_next(cooperative.pk)), **cleaned)
    member._history_user = actor
    try:
        with transaction.atomic():
            member.save()
    except IntegrityError:
        raise ValidationError({"nik": [_("A member with this NIK is already registered in this cooperative.")]})
    cooperative_activity(cooperative.pk, cooperative.village_id)
    village_backdated(cooperative.village_id, member.joined_on)  # joined before today: past snapshots change
    return member


# Self-registration ----------------------------------------------------------------------------------------

_APPLICATION_FIELDS = ("nik", "name", "sex", "birth_date", "domicile", "address", "rt", "rw", "occupation", "phone",
                       "nik_warnings")


@transaction.atomic
def application_submit(*, cooperative, nik: str, name: str, sex: str, domicile_code: str, address: str,
                       phone: str, rt: str = "", rw: str = "", occupation: str = "",
                       birth_date: date | None = None) -> MemberApplication | None:
    """
    A person applies for membership themselves (no account). The fields follow the register's rules; the
    application waits for the pengurus. Whether the NIK is already a member or has applied is not revealed
    (the public form must not tell strangers who is a member): a repeated application is dropped quietly,
    and the pengurus sees a member's NIK when deciding. Returns the new application, or None when dropped.
    """
    errors = {}
    if not (address or "").strip():
        errors["address"] = [_("Enter your address.")]
    if not (phone or "").strip():
        errors["phone"] = [_("Enter a phone number the pengurus can reach you on.")]
    cleaned, _warnings, rule_errors = clean_member_data(
        {"nik": nik, "name": name, "sex": sex, "domicile_code": domicile_code, "birth_date": birth_date,
         "address": address, "rt": rt, "rw": rw, "occupation": occupation, "phone": phone},
        villages=_villages_of(cooperative), known_regencies=regency_codes(), today=timezone.localdate())
    errors = {**rule_errors, **errors}
    if errors:
        raise ValidationError(errors)
    if MemberApplication.objects.filter(cooperative=cooperative, nik=cleaned["nik"],
                                        status=ApplicationStatus.PENDING).exists():
        return None
    application = MemberApplication(cooperative=cooperative, **{key: cleaned[key] for key in _APPLICATION_FIELDS})
    try:
        with transaction.atomic():
            application.save()
    except IntegrityError:  # the same person sent the form twice at the same moment
        return None
    return application


def _locked_pending(actor, application: MemberApplication) -> MemberApplication:
    require_scope(actor, Action.APPROVE_MEMBERS, application.cooperative.village_id)
    application = (MemberApplication.objects.select_for_update(of=("self",)).select_related("cooperative")
                   .get(pk=application.pk))
    if application.status != ApplicationStatus.PENDING:
        raise ValidationError(_("This application was already decided (%(status)s).")
                              % {"status": application.get_status_display()})
    return application


@transaction.atomic
def application_approve(*, actor, application: MemberApplication, joined_on: date | None = None) -> Member:
    """The pengurus admits the applicant: a member with the next member number, from the day of the decision."""
    application = _locked_pending(actor, application)
    cooperative = application.cooperative
    existing = Member.objects.filter(cooperative=cooperative, nik=application.nik).first()
    if existing is not None:
        raise ValidationError(_(
            "%(name)s is already a member of this cooperative (member number %(number)s); refuse this application."
        ) % {"name": existing.name, "number": existing.member_number or "—"})
    cleaned, _warnings, errors = clean_member_data(
        {"joined_on": joined_on or timezone.localdate()}, current={"birth_date": application.birth_date},
        villages={}, known_regencies=regency_codes(), today=timezone.localdate())
    if errors:
        raise ValidationError(errors)
    values = {key: getattr(application, key) for key in _APPLICATION_FIELDS}
    member = _admit(actor=actor, cooperative=cooperative, cleaned={**values, "joined_on": cleaned["joined_on"]})
    application.status, application.member = ApplicationStatus.APPROVED, member
    application.decided_by, application.decided_at = actor, timezone.now()
    application._history_user = actor
    application.save()
    return member


@transaction.atomic
def application_reject(*, actor, application: MemberApplication, reason: str) -> MemberApplication:
    """The pengurus refuses an application, with the reason (kept with the application)."""
    application = _locked_pending(actor, application)
    if not is_explained(reason):
        raise ValidationError({"reason": [_("Give the reason (at least 5 characters).")]})
    application.status, application.rejection_reason = ApplicationStatus.REJECTED, tidy_reason(reason)[:250]
    application.decided_by, application.decided_at = actor, timezone.now()
    application._history_user = actor
    application.save()
    return application


@transaction.atomic
def member_update(*, actor, member: Member, **changes) -> tuple[Member, list[str]]:
    require_scope(actor, Action.EDIT_COOPERATIVE, member.cooperative.village_id)
    allowed = {"nik", "name", "sex", "domicile_code", "birth_date", "phone", "village_office", "is_founder",
               "joined_on", "address", "rt", "rw", "occupation"}
    require_known_fields(changes, allowed)
    cleaned, warnings = _clean_member_fields(member.cooperative, changes, instance=member)
    new_office = cleaned.get("village_office", member.village_office)
    if new_office and member.positions.filter(ended_on__isnull=True, role__in=PENGURUS_ROLES).exists():
        raise ValidationError({"village_office": [_(
            "This member is pengurus; village leadership may not be pengurus. End the position first."
        )]})
    fresh = locked(member)  # another officer's change to other fields is kept
    if "joined_on" in cleaned and cleaned["joined_on"] > fresh.joined_on:
        # What other apps recorded from the old date on (savings postings, bills) must not end up before it.
        refusals = joining_date_refusals(fresh, cleaned["joined_on"])
        if refusals:
            raise ValidationError({"joined_on": refusals})
    for field, value in cleaned.items():
        setattr(fresh, field, value)
    if "joined_on" in cleaned and cleaned["joined_on"] != member.joined_on:
        village_backdated(member.cooperative.village_id, min(cleaned["joined_on"], member.joined_on))
    save_changed(fresh, cleaned, actor=actor)
    cooperative_activity(fresh.cooperative_id, member.cooperative.village_id, counts_changed=False)
    return fresh, warnings


@transaction.atomic
def member_status_change(*, actor, member: Member, status: str, status_on: date | None = None,
                         reason: str = "") -> Member:
    """
    A member leaves (keluar) or has died (meninggal), on a date between joining and today, with a reason;
    or is active again. The row stays in the register (with its member number); removing a row is only
    for one entered by mistake (``member_remove``).
    """
    require_scope(actor, Action.EDIT_COOPERATIVE, member.cooperative.village_id)
    fresh = locked(member)
    errors = status_change_errors(status=status, status_on=status_on, reason=tidy_reason(reason),
                                  joined_on=fresh.joined_on, today=timezone.localdate())
    if errors:
        raise ValidationError(errors)
    if status == fresh.status and status == MemberStatus.AKTIF:
        return fresh
    # The roll-up counts active members, on past days too: those days change from the earlier date on.
    changed_from = min(day for day in (fresh.status_on, status_on if status != MemberStatus.AKTIF else None,
                                       timezone.localdate()) if day)
    if status != MemberStatus.AKTIF and fresh.positions.filter(ended_on__isnull=True).exists():
        raise ValidationError({"status": [_("End this member's positions first.")]})
    changes = {"status": status, "status_on": status_on if status != MemberStatus.AKTIF else None,
               "status_reason": tidy_reason(reason) if status != MemberStatus.AKTIF else ""}
    was_status, was_status_on = fresh.status, fresh.status_on
    for field, value in changes.items():
        setattr(fresh, field, value)
    save_changed(fresh, changes, actor=actor)
    status_changed(fresh, was_status, was_status_on)  # e.g. the bills of the periods after leaving (simpanan)
    cooperative_activity(fresh.cooperative_id, member.cooperative.village_id)
    village_backdated(member.cooperative.village_id, changed_from)
    return fresh


@transaction.atomic
def member_remove(*, actor, member: Member) -> None:
    require_scope(actor, Action.EDIT_COOPERATIVE, member.cooperative.village_id)
    if member.positions.filter(ended_on__isnull=True).exists():
        raise ValidationError(_("End this member's positions before removing them from the register."))
    member._history_user = actor
    member_id = member.pk
    try:
        with transaction.atomic():
            member.delete()
    except ProtectedError:
        raise ValidationError(_("This member has records (e.g. savings postings) and cannot be removed; record "
                                "that they left (keluar) instead.")) from None
    removed_members_forget_personal_data(member_ids=[member_id])
    cooperative_activity(member.cooperative_id, member.cooperative.village_id)


# What the history of a removed member keeps: who changed what and when, the name and the masked NIK.
# The full NIK, birth date and phone go (UU PDP 27/2022: kept no longer than the purpose needs).
FORGOTTEN_ON_REMOVAL = {"birth_date": None, "phone": "", "nik_warnings": []}


def removed_members_forget_personal_data(*, member_ids: list[int] | None = None) -> int:
    """
    Erase the full NIK, birth date and phone from the history of members no longer in any register
    (``member_ids``, or every removed member when None). Idempotent; returns the history rows changed.
    """
    history = Member.history.model.objects.exclude(id__in=Member.objects.values("pk"))
    if member_ids is not None:
        history = history.filter(id__in=member_ids)
    with transaction.atomic():
        unmasked = list(history.exclude(nik__contains="•").only("history_id", "nik"))
        for row in unmasked:
            row.nik = mask_nik(row.nik)
        Member.history.model.objects.bulk_update(unmasked, ["nik"], batch_size=2000)
        history.update(**FORGOTTEN_ON_REMOVAL)
    return len(unmasked)


@transaction.atomic
def position_assign(*, actor, cooperative, member: Member, role: str, started_on: date | None = None) -> Position:
    """Appoint a member to a position, enforcing the governance rules on who may hold it."""
    require_scope(actor, Action.EDIT_COOPERATIVE, cooperative.village_id)
    if member.cooperative_id != cooperative.pk:
        raise ValidationError({"member": [_("The person is not a member of this cooperative.")]})
    if role not in PositionRole.values:
        raise ValidationError({"role": [_("Choose a valid position.")]})
    member = locked(member)  # a member leaving at the same moment is refused while they hold a position
    if member.status != MemberStatus.AKTIF:
        raise ValidationError({"member": [_("%(name)s is no longer an active member (%(status)s); only active "
                                            "members hold positions.")
                                          % {"name": member.name, "status": member.get_status_display()}]})
    label = PositionRole(role).label
    if role in PENGURUS_ROLES and member.village_office:
        raise ValidationError({"role": [_(
            "%(name)s is %(office)s; kepala desa/lurah, perangkat desa and BPD members may not be pengurus."
        ) % {"name": member.name, "office": member.get_village_office_display()}]})
    if role == PositionRole.KETUA_PENGAWAS and member.village_office != VillageOffice.KEPALA_DESA:
        raise ValidationError({"role": [_(
            "The ketua pengawas is the kepala desa/lurah (ex officio); %(name)s is not recorded as kepala desa/lurah."
        ) % {"name": member.name}]})
    active = Position.objects.select_for_update().filter(cooperative=cooperative, ended_on__isnull=True)
    board = PENGURUS_ROLES | PENGAWAS_ROLES
    if role in board:
        held = active.filter(member=member, role__in=board).first()
        if held:
            raise ValidationError({"role": [_(
                "%(name)s already holds the position %(position)s; a person holds one pengurus or pengawas "
                "position at a time."
            ) % {"name": member.name, "position": held.get_role_display()}]})
    if role in SINGLE_HOLDER_ROLES:
        holder = active.filter(role=role).select_related("member").first()
        if holder:
            raise ValidationError({"role": [_("%(position)s is already held by %(name)s; end that term first.")
                                            % {"position": label, "name": holder.member.name}]})
    position = Position(cooperative=cooperative, member=member, role=role,
                        started_on=started_on or timezone.localdate())
    position._history_user = actor
    position.save()
    cooperative_activity(cooperative.pk, cooperative.village_id, counts_changed=False)
    return position


@transaction.atomic
def position_end(*, actor, position: Position, ended_on: date | None = None) -> Position:
    require_scope(actor, Action.EDIT_COOPERATIVE, position.cooperative.village_id)
    ended_on = ended_on or timezone.localdate()
    if ended_on < position.started_on:
        raise ValidationError({"ended_on": [_("A term cannot end before it started.")]})
    position.ended_on = ended_on
    position._history_user = actor
    position.save()
    cooperative_activity(position.cooperative_id, position.cooperative.village_id, counts_changed=False)
    return position


def governance_issues(cooperative) -> list[FormationIssue]:
    """What stops the board and member register from meeting the founding rules, in plain words."""
    issues = []
    founders = cooperative.members.filter(is_founder=True).count()
    if founders < MIN_FOUNDERS:
        issues.append(FormationIssue("founders", _(
            "At least %(minimum)d founding members are needed; %(count)d are registered."
        ) % {"minimum": MIN_FOUNDERS, "count": founders}))
    active = list(cooperative.positions.filter(ended_on__isnull=True).select_related("member"))
    pengurus = [p for p in active if p.role in PENGURUS_ROLES]
    if len(pengurus) < MIN_PENGURUS:
        issues.append(FormationIssue("pengurus_count", _(
            "At least %(minimum)d pengurus are needed; %(count)d are appointed."
        ) % {"minimum": MIN_PENGURUS, "count": len(pengurus)}))
    elif len(pengurus) % 2 == 0:
        issues.append(FormationIssue("pengurus_odd", _(
            "The number of pengurus must be odd; %(count)d are appointed."
        ) % {"count": len(pengurus)}))
    held = {p.role for p in pengurus}
    for role in REQUIRED_PENGURUS_ROLES:
        if role not in held:
            issues.append(FormationIssue(f"missing_{role}", _("No %(position)s is appointed.")
                                          % {"position": PositionRole(role).label}))
    chair = next((p for p in active if p.role == PositionRole.KETUA_PENGAWAS), None)
    if chair is None:
        issues.append(FormationIssue("ketua_pengawas",
                                      _("The ketua pengawas (the kepala desa/lurah) is not appointed.")))
    elif chair.member.village_office != VillageOffice.KEPALA_DESA:
        issues.append(FormationIssue("ketua_pengawas_office", _(
            "The ketua pengawas must be the kepala desa/lurah."
        )))
    for position in pengurus:
        if position.member.village_office:
            issues.append(FormationIssue("pengurus_village_office", _(
                "%(name)s is %(office)s and may not be pengurus."
            ) % {"name": position.member.name, "office": position.member.get_village_office_display()}))
    return issues


def personal_data_reads_record(*, user, members, channel: str, ip_address: str | None = None) -> int:
    """Log that ``user`` was shown the full NIK of ``members`` (one row each); the caller decides it was shown."""
    rows = [PersonalDataRead(user=user, member=member, member_label=str(member)[:250], channel=channel,
                             ip_address=ip_address or None) for member in members]
    PersonalDataRead.objects.bulk_create(rows)
    return len(rows)
